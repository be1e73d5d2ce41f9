// Open-order count alone: an order is denied once openOrdersMax orders are already working.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

test('below the maximum passes, at it the next order is denied', () => {
  const risk = new RiskManager({ openOrdersMax: 3 });
  assert.equal(risk.check(order(), new StaticRiskContext({ openOrders: 2 })).ok, true);
  assert.deepEqual(risk.check(order(), new StaticRiskContext({ openOrders: 3 })), {
    ok: false,
    denials: [
      {
        code: 'open_orders_exceed_max',
        message: '3 orders are working; the maximum is 3',
        instrument: 'paper:BTC/USD',
        openOrders: '3',
        openOrdersMax: '3',
      },
    ],
  });
});

test('zero allows no working orders at all', () => {
  const risk = new RiskManager({ openOrdersMax: 0 });
  assert.equal(risk.check(order(), new StaticRiskContext()).ok, false);
});
