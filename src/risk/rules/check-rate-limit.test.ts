// Rate limit alone, through the manager: only recorded (accepted) orders count, and the window
// is a sliding 1000 ms.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

test('the next order is denied once the window holds the maximum, and allowed when one expires', () => {
  const risk = new RiskManager({ ordersPerSecondMax: 2 });
  const ctx = new StaticRiskContext({ nowMs: 10_000 });
  risk.record(order(), ctx);
  ctx.nowMs = 10_400;
  assert.equal(risk.check(order(), ctx).ok, true);
  risk.record(order(), ctx);
  ctx.nowMs = 10_999;
  assert.deepEqual(risk.check(order(), ctx), {
    ok: false,
    denials: [
      {
        code: 'rate_limit_exceeded',
        message: '2 orders were accepted in the last 1000 ms; the maximum is 2',
        instrument: 'paper:BTC/USD',
        ordersInWindow: '2',
        ordersPerSecondMax: '2',
        windowMs: '1000',
      },
    ],
  });
  ctx.nowMs = 11_000;
  assert.equal(risk.check(order(), ctx).ok, true);
});

test('checks alone never use up the budget', () => {
  const risk = new RiskManager({ ordersPerSecondMax: 1 });
  const ctx = new StaticRiskContext({ nowMs: 0 });
  for (let i = 0; i < 5; i++) assert.equal(risk.check(order(), ctx).ok, true);
  risk.record(order(), ctx);
  assert.equal(risk.check(order(), ctx).ok, false);
});
