// A running total in money units, kept by reference on the fill path so it is added to in place:
// the fill path reads and writes no map for a total it has touched before.

export class MoneyCell {
  value = 0n;
}

/** The cell of `key` in `cells`, created at zero on first use. */
export function moneyCell<K>(cells: Map<K, MoneyCell>, key: K): MoneyCell {
  let cell = cells.get(key);
  if (cell === undefined) cells.set(key, (cell = new MoneyCell()));
  return cell;
}
