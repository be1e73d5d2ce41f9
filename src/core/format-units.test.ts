// formatUnits of a number prints exactly what formatUnits of its bigint does (it skips making the
// bigint for a safe integer), trimmed or not, and still refuses a number that is not an integer.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatUnits } from './decimal.ts';

describe('formatUnits of a number', () => {
  // The definition: a number's units print as its bigint's do (trimmed or not).
  function reference(v: bigint, scale: number, trim: boolean): string {
    const neg = v < 0n;
    let s = (neg ? -v : v).toString();
    if (scale > 0) {
      s = s.padStart(scale + 1, '0');
      let frac = s.slice(s.length - scale);
      if (trim) frac = frac.replace(/0+$/, '');
      s = frac.length > 0 ? `${s.slice(0, s.length - scale)}.${frac}` : s.slice(0, s.length - scale);
    }
    return neg && s !== '0' ? `-${s}` : s;
  }

  it('prints a safe integer exactly as its bigint', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -0, 1, -1, 10, 100, -1000)),
        fc.integer({ min: 0, max: 18 }),
        fc.boolean(),
        (units, scale, trim) => {
          assert.equal(formatUnits(units, scale, trim), reference(BigInt(units), scale, trim));
          assert.equal(formatUnits(BigInt(units), scale, trim), reference(BigInt(units), scale, trim));
        },
      ),
    );
  });

  it('still refuses a number that is not an integer', () => {
    assert.throws(() => formatUnits(1.5, 2), RangeError);
  });
});
