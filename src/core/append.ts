// Appending to the arrays a drain hands over whole and replaces with a fresh `[]` (an engine's
// venue commands, a venue's reports). Most inputs add one item to such an array; a push into an
// empty array calls the runtime to grow it, where a one-element literal is built in place (about
// 300 instructions less per item, and less garbage).

/** `list` with `item` appended: `list` itself, or a new one-element array when `list` was empty. */
export function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}
