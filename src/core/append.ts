// Appending to arrays that mostly stay short: the arrays a drain hands over whole and replaces with
// a fresh `[]` (an engine's venue commands, a venue's reports), and the id lists of a round trip.
// A push into an empty array calls the runtime to grow it and reserves 17 places; a one- or
// two-element literal is built in place at its exact size (about 300 instructions less for the
// first item, and less garbage, or less memory kept when the array lives on).

/** `list` with `item` appended: `list` itself, or a new exact-size array when `list` had 0 or 1 items. */
export function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  if (list.length === 1) return [list[0]!, item];
  list.push(item);
  return list;
}
