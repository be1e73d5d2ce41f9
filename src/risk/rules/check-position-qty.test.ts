// Position size alone: current position + working orders on the order's side + this order, in
// the order's direction; reducing orders pass even when the position is already over the limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const KEY = 'paper:BTC/USD';
const risk = new RiskManager({ positionQtyMax: { default: '5' } });

test('projected long position counts working buys', () => {
  const ctx = new StaticRiskContext({
    positions: { [KEY]: qty('2') },
    openQty: { [KEY]: { buy: qty('2'), sell: qty('9') } },
  });
  assert.equal(risk.check(order({ quantity: qty('1') }), ctx).ok, true);
  assert.deepEqual(risk.check(order({ quantity: qty('1.001') }), ctx), {
    ok: false,
    denials: [
      {
        code: 'position_exceeds_max',
        message:
          'projected position 5.001 (current 2.000, working 2.000 on the buy side, this order 1.001) exceeds the maximum 5.000 for paper:BTC/USD',
        instrument: KEY,
        position: '2.000',
        openQty: '2.000',
        quantity: '1.001',
        positionProjected: '5.001',
        positionMax: '5.000',
      },
    ],
  });
});

test('a sell is judged in the short direction', () => {
  const ctx = new StaticRiskContext({
    positions: { [KEY]: -qty('3') },
    openQty: { [KEY]: { sell: qty('1') } },
  });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('1') }), ctx).ok, true);
  const v = risk.check(order({ side: 'sell', quantity: qty('2') }), ctx);
  assert.equal(
    v.ok === false && v.denials[0]?.code === 'position_exceeds_max' && v.denials[0].positionProjected,
    '-6.000',
  );
  // Selling out of a long of 3 into a short of 5 is exactly at the limit.
  const long = new StaticRiskContext({ positions: { [KEY]: qty('3') } });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('8') }), long).ok, true);
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('8.001') }), long).ok, false);
});

test('an order that reduces passes even when the position is over the limit', () => {
  const ctx = new StaticRiskContext({ positions: { [KEY]: qty('9') } });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('1') }), ctx).ok, true);
  assert.equal(risk.check(order({ side: 'buy', quantity: qty('0.001') }), ctx).ok, false);
});

test('sums beyond 2^53 are compared exactly', () => {
  const max = Number.MAX_SAFE_INTEGER;
  const big = new RiskManager({ positionQtyMax: { default: '9007199254740.991' } });
  const ctx = new StaticRiskContext({ positions: { [KEY]: max }, openQty: { [KEY]: { buy: max } } });
  const v = big.check(order({ quantity: max }), ctx);
  assert.equal(
    v.ok === false && v.denials[0]?.code === 'position_exceeds_max' && v.denials[0].positionProjected,
    '27021597764222.973',
  );
  const short = new StaticRiskContext({ positions: { [KEY]: -max }, openQty: { [KEY]: { buy: max } } });
  assert.equal(big.check(order({ quantity: max }), short).ok, true);
});
