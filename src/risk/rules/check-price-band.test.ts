// Price band alone: limit and trigger prices within N bps of the reference, exact at the edge;
// market orders need only a reference to exist.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order, px } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';
import { outsideBand } from './check-price-band.ts';

const KEY = 'paper:BTC/USD';
const risk = new RiskManager({ priceBandBps: { default: 500 } });
const ctx = new StaticRiskContext({ referencePrices: { [KEY]: px('100') } });

test('exactly on the band edge passes, one tick beyond is denied (both sides)', () => {
  assert.equal(risk.check(order({ price: px('105') }), ctx).ok, true);
  assert.equal(risk.check(order({ price: px('95') }), ctx).ok, true);
  assert.deepEqual(risk.check(order({ price: px('105.01') }), ctx), {
    ok: false,
    denials: [
      {
        code: 'price_outside_band',
        message:
          'limit price 105.01 is 501.00 bps from the reference 100.00, outside the 500 bps band for paper:BTC/USD',
        instrument: KEY,
        field: 'price',
        price: '105.01',
        referencePrice: '100.00',
        deviationBps: '501.00',
        bandBps: '500',
      },
    ],
  });
  assert.equal(risk.check(order({ price: px('94.99') }), ctx).ok, false);
});

test('trigger prices are checked too; a stop-limit can fail on both fields', () => {
  const stop = order({ type: 'stop', price: undefined, triggerPrice: px('80') });
  const v = risk.check(stop, ctx);
  assert.deepEqual(v.ok === false && v.denials.map((d) => d.code === 'price_outside_band' && d.field), [
    'triggerPrice',
  ]);
  const stopLimit = order({ type: 'stop_limit', price: px('70'), triggerPrice: px('80') });
  const w = risk.check(stopLimit, ctx);
  assert.deepEqual(w.ok === false && w.denials.map((d) => d.code === 'price_outside_band' && d.field), [
    'price',
    'triggerPrice',
  ]);
});

test('deviation is rounded up so it never reads as inside the band', () => {
  const r = new RiskManager({ priceBandBps: { default: 0 } });
  const c = new StaticRiskContext({ referencePrices: { [KEY]: 30_000 } });
  const v = r.check(order({ price: 30_001 }), c);
  assert.equal(
    v.ok === false && v.denials[0]?.code === 'price_outside_band' && v.denials[0].deviationBps,
    '0.34',
  );
});

test('a market order needs only a reference price; without one any order is denied', () => {
  assert.equal(risk.check(order({ type: 'market', price: undefined }), ctx).ok, true);
  const none = new StaticRiskContext();
  for (const o of [order({ type: 'market', price: undefined }), order()]) {
    assert.deepEqual(risk.check(o, none), {
      ok: false,
      denials: [
        {
          code: 'no_reference_price',
          message: 'no reference price for paper:BTC/USD, needed by price_band',
          instrument: KEY,
          neededBy: ['price_band'],
        },
      ],
    });
  }
});

test('a non-positive reference price counts as none', () => {
  const zero = new StaticRiskContext({ referencePrices: { [KEY]: 0 } });
  const v = risk.check(order(), zero);
  assert.equal(v.ok === false && v.denials[0]?.code, 'no_reference_price');
});

test('outsideBand is exact beyond 2^53', () => {
  const max = Number.MAX_SAFE_INTEGER;
  assert.equal(outsideBand(max, max - 1, 0), true);
  assert.equal(outsideBand(max, max - 1, 1), false);
  assert.equal(outsideBand(max - 1, max, 1), false);
});
