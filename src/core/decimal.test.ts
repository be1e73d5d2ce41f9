// Exact decimal arithmetic: parsing and formatting round-trip, rounding modes agree with an
// independent definition, and sums of many small quantities never drift.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bigProduct,
  divRound,
  formatUnits,
  parseUnits,
  parseUnitsNumber,
  parseUnitsRounded,
  type Rounding,
  rescale,
} from './decimal.ts';

describe('decimal', () => {
  it('parses and formats without loss', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 18 }),
        (units, scale) => {
          const text = formatUnits(units, scale);
          assert.equal(parseUnits(text, scale), units);
        },
      ),
    );
  });

  it('refuses digits beyond the scale instead of rounding them away', () => {
    assert.equal(parseUnits('0.123', 2), undefined);
    assert.equal(parseUnits('0.120', 2), 12n);
    assert.equal(parseUnits('1e5', 2), undefined);
    assert.equal(parseUnits('', 2), undefined);
    assert.equal(parseUnits('0x10', 2), undefined);
    assert.equal(parseUnitsRounded('0.125', 2, 'half_even'), 12n);
    assert.equal(parseUnitsRounded('0.135', 2, 'half_even'), 14n);
  });

  it('rounds like the definition of each mode', () => {
    const modes: Rounding[] = ['down', 'up', 'floor', 'ceil', 'half_even'];
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.constantFrom(...modes),
        (n, d, mode) => {
          const q = divRound(n, d, mode);
          // q*d is within one d of n, on the side the mode says.
          const lo = n >= 0n ? n / d : (n - d + 1n) / d; // floor
          const hi = lo * d === n ? lo : lo + 1n; // ceil
          const expected =
            mode === 'floor'
              ? lo
              : mode === 'ceil'
                ? hi
                : mode === 'down'
                  ? n >= 0n
                    ? lo
                    : hi
                  : mode === 'up'
                    ? n >= 0n
                      ? hi
                      : lo
                    : 2n * (n - lo * d) < d
                      ? lo
                      : 2n * (n - lo * d) > d
                        ? hi
                        : lo % 2n === 0n
                          ? lo
                          : hi;
          assert.equal(q, expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never drifts: 0.1 added ten times is exactly 1, and any sum equals its parts', () => {
    let sum = 0n;
    for (let i = 0; i < 10; i++) sum += parseUnits('0.1', 8)!;
    assert.equal(formatUnits(sum, 8), '1.00000000');
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 200 }), (xs) => {
        const texts = xs.map((x) => formatUnits(x, 8));
        const total = texts.reduce((a, t) => a + parseUnits(t, 8)!, 0n);
        assert.equal(
          total,
          xs.reduce((a, b) => a + b, 0n),
        );
        assert.equal(rescale(rescale(total, 8, 18), 18, 8), total);
      }),
    );
  });
});

describe('parseUnitsNumber', () => {
  it('agrees with the bigint parser on every input', () => {
    const decimalish = fc.oneof(
      fc
        .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
        .map(([u, s]) => formatUnits(u, s)),
      fc.stringMatching(/^[+-]?\d{0,18}(\.\d{0,14})?0{0,3}$/),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(decimalish, fc.integer({ min: 0, max: 12 }), (text, scale) => {
        const fast = parseUnitsNumber(text, scale);
        const slow = parseUnits(text, scale);
        if (slow === undefined) assert.equal(fast, undefined, text);
        else if (slow > BigInt(Number.MAX_SAFE_INTEGER) || slow < BigInt(Number.MIN_SAFE_INTEGER))
          assert.ok(Number.isNaN(fast), text);
        else assert.equal(fast, Number(slow), text);
      }),
      { numRuns: 5000 },
    );
  });
});

it('bigProduct is the exact product of two safe integers, on both sides of 2^53', () => {
  const safe = fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.maxSafeInteger(),
    fc.constantFrom(0, 1, -1, 2 ** 26, 2 ** 27 - 1, 94_906_265, 94_906_266, Number.MAX_SAFE_INTEGER),
  );
  fc.assert(
    fc.property(safe, safe, (a, b) => {
      assert.equal(bigProduct(a, b), BigInt(a) * BigInt(b));
    }),
  );
});
