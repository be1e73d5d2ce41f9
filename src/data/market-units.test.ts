import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { defineInstrument } from '../model/instrument.ts';
import { parseMarketPrice, parseMarketSize } from './market-units.ts';

const inst = unwrap(
  defineInstrument({ venue: 'x', symbol: 'BTC/USDT', priceIncrement: '0.05', qtyIncrement: '0.001' }),
);
const exact = { rounding: undefined, allowZero: false } as const;

describe('market units', () => {
  it('reads prices on the tick grid exactly, with or without trailing zeros', () => {
    assert.equal(parseMarketPrice(inst, '61837.65000000'), 6183765);
    assert.equal(parseMarketPrice(inst, '61837.6'), 6183760);
    assert.equal(parseMarketPrice(inst, '9682'), 968200);
  });

  it('refuses prices off the grid, too fine, not positive or not decimal', () => {
    const rule = (text: string) => {
      const r = parseMarketPrice(inst, text);
      return typeof r === 'number' ? r : r.rule;
    };
    assert.equal(rule('61837.63'), 'tick_multiple');
    assert.equal(rule('61837.651'), 'tick_multiple');
    assert.equal(rule('0'), 'positive');
    assert.equal(rule('-1.00'), 'positive');
    assert.equal(rule('1e5'), 'decimal');
    assert.equal(rule(' 1.00'), 'decimal');
    assert.equal(rule('99999999999999999'), 'range');
  });

  it('rounds sizes only when asked, onto the lot', () => {
    assert.equal(parseMarketSize(inst, '0.0200', exact), 20);
    assert.equal(typeof parseMarketSize(inst, '0.0205', exact), 'object');
    assert.equal(parseMarketSize(inst, '0.0205', { rounding: 'half_even', allowZero: false }), 20);
    assert.equal(parseMarketSize(inst, '0.0215', { rounding: 'half_even', allowZero: false }), 22);
    assert.equal(parseMarketSize(inst, '0', { rounding: undefined, allowZero: true }), 0);
    assert.equal(typeof parseMarketSize(inst, '0.0004', { rounding: 'down', allowZero: false }), 'object');
  });

  it('property: any on-grid price survives format → parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 5) }), (ticks) => {
        const units = ticks * inst.priceIncrement;
        assert.equal(parseMarketPrice(inst, formatUnits(units, inst.priceScale)), units);
      }),
    );
  });
});
