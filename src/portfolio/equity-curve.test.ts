// The equity curve stays within its bound, keeps evenly spaced samples starting with the first, and
// always remembers the latest sample.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvariantError } from '../core/assert.ts';
import { EquityCurve } from './equity-curve.ts';

describe('EquityCurve', () => {
  it('keeps at most pointsMax evenly spaced samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 0, max: 2000 }), (max, n) => {
        const curve = new EquityCurve(max);
        for (let i = 0; i < n; i++) curve.add(i, BigInt(i) * 10n);
        const points = curve.points();
        assert.ok(points.length <= max);
        points.forEach((pt, k) => {
          assert.equal(pt.ts, k * curve.stride);
          assert.equal(pt.equity, BigInt(pt.ts) * 10n);
        });
        if (n > 0) {
          assert.ok(points.length >= Math.min(n, Math.floor(max / 2)));
          assert.equal(curve.latest()?.ts, n - 1);
        }
      }),
    );
  });

  it('refuses samples that go back in time', () => {
    const curve = new EquityCurve(4);
    curve.add(10, 0n);
    assert.throws(() => curve.add(9, 0n), InvariantError);
  });
});
