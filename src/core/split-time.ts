// Epoch times kept as two small integers, ms = hi × 2^30 + lo, in records that live long (orders,
// the trade log's fills). A number field holding an epoch time, beyond the range of a small
// integer, is a separate 16-byte box: one more object per record, allocated with it and copied by
// each young-generation collection it survives. Two small-integer fields are stored in place.
// Exact for every safe integer, negative ones included; a fractional time, which no clock here
// produces, is kept exactly too (its low part is then a box).

const SPLIT = 2 ** 30;

/** The high part of `ms`. */
export function timeHigh(ms: number): number {
  return Math.floor(ms / SPLIT);
}

/**
 * The low part of `ms`, given its high part: in [0, 2^30), and a small integer. `| 0` makes the
 * interpreter's result one (a subtraction of two boxed times gives a box, and a field once given a
 * box boxes every value stored in it after).
 */
export function timeLow(ms: number, hi: number): number {
  const lo = ms - hi * SPLIT;
  return (lo | 0) === lo ? lo | 0 : lo;
}

/** The time whose parts are `hi` and `lo`. */
export function timeOf(hi: number, lo: number): number {
  return hi * SPLIT + lo;
}
