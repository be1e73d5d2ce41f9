// Position notional alone: the projected position valued at the reference price, else at the
// order's own price; a market order with neither is denied for want of a reference price.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order, px, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const KEY = 'paper:BTC/USD';
const risk = new RiskManager({ positionNotionalMax: { default: '1000' } });

test('valued at the reference price when there is one, exact at the edge', () => {
  const ctx = new StaticRiskContext({
    positions: { [KEY]: qty('8') },
    referencePrices: { [KEY]: px('100') },
  });
  // 10 × 100.00 is exactly the limit; a limit price of 50 does not make the position cheaper.
  assert.equal(risk.check(order({ quantity: qty('2'), price: px('50') }), ctx).ok, true);
  assert.deepEqual(risk.check(order({ quantity: qty('2.001'), price: px('50') }), ctx), {
    ok: false,
    denials: [
      {
        code: 'position_notional_exceeds_max',
        message:
          'projected position 10.001 at 100.00 is worth 1000.10 USD, over the maximum 1000.00 for paper:BTC/USD',
        instrument: KEY,
        positionProjected: '10.001',
        markPrice: '100.00',
        positionNotional: '1000.10',
        positionNotionalMax: '1000.00',
      },
    ],
  });
});

test('valued at the order price without a reference; working orders on the side count', () => {
  const ctx = new StaticRiskContext({ openQty: { [KEY]: { buy: qty('5') } } });
  assert.equal(risk.check(order({ quantity: qty('5'), price: px('100') }), ctx).ok, true);
  assert.equal(risk.check(order({ quantity: qty('5'), price: px('100.01') }), ctx).ok, false);
});

test('short positions count in the sell direction; reducing orders pass', () => {
  const ctx = new StaticRiskContext({
    positions: { [KEY]: -qty('20') },
    referencePrices: { [KEY]: px('100') },
  });
  assert.equal(risk.check(order({ side: 'buy', quantity: qty('1') }), ctx).ok, true);
  const v = risk.check(order({ side: 'sell', quantity: qty('1') }), ctx);
  assert.equal(
    v.ok === false &&
      v.denials[0]?.code === 'position_notional_exceeds_max' &&
      v.denials[0].positionProjected,
    '-21.000',
  );
});

test('a growing market order with no price at all is denied for the missing reference', () => {
  const v = risk.check(order({ type: 'market', price: undefined }), new StaticRiskContext());
  assert.deepEqual(v.ok === false && v.denials.map((d) => d.code === 'no_reference_price' && d.neededBy), [
    ['position_notional'],
  ]);
  // A market order that only reduces needs no valuation.
  const short = new StaticRiskContext({ positions: { [KEY]: -qty('5') } });
  assert.equal(risk.check(order({ type: 'market', price: undefined }), short).ok, true);
});
