// Exposure and reduction, checked against a plain bigint model over the whole safe range.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { exposureAfter, isReducing, signedPosition } from './exposure.ts';

const units = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const side = fc.constantFrom('buy' as const, 'sell' as const);

test('property: exposure is exact and signedPosition is position ± (open + qty)', () => {
  fc.assert(
    fc.property(side, units, units, units, (s, position, open, qty) => {
      const e = exposureAfter(s, position, open, qty);
      const sign = s === 'buy' ? 1n : -1n;
      const expected = BigInt(position) + sign * (BigInt(open) + BigInt(qty));
      assert.equal(signedPosition(s, e), expected);
      if (typeof e === 'number') assert.ok(Number.isSafeInteger(e));
    }),
  );
});

test('reducing means opposite side and no larger than the position', () => {
  assert.equal(isReducing('sell', 2, 2), true);
  assert.equal(isReducing('sell', 3, 2), false);
  assert.equal(isReducing('buy', 2, 2), false);
  assert.equal(isReducing('buy', 2, -2), true);
  assert.equal(isReducing('buy', 1, 0), false);
  assert.equal(isReducing('sell', 1, 0), false);
});
