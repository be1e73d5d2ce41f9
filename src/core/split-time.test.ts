// Split times give back exactly the time they were made from, with a low part that is a small
// integer (which is the point of splitting).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { timeHigh, timeLow, timeOf } from './split-time.ts';

test('a split time joins back to itself, its low part an integer in [0, 2^30)', () => {
  const ms = fc.oneof(
    fc.maxSafeInteger(),
    fc.integer({ min: -(2 ** 32), max: 2 ** 42 }),
    fc.constantFrom(
      0,
      2 ** 30 - 1,
      2 ** 30,
      -1,
      -(2 ** 30),
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ),
  );
  fc.assert(
    fc.property(ms, (t) => {
      const hi = timeHigh(t);
      const lo = timeLow(t, hi);
      assert.ok(Number.isInteger(lo) && lo >= 0 && lo < 2 ** 30, `low part ${lo}`);
      assert.equal(timeOf(hi, lo), t);
    }),
  );
});

test('a fractional time is kept exactly', () => {
  for (const t of [0.5, 1_700_000_000_000.25, -3.75])
    assert.equal(timeOf(timeHigh(t), timeLow(t, timeHigh(t))), t);
});
