// Trading state alone: halted denies every new order, even one that would reduce; cancels pass.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const ctx = new StaticRiskContext({ positions: { 'paper:BTC/USD': qty('2') } });

test('active passes', () => {
  assert.equal(new RiskManager({ tradingState: 'active' }).check(order(), ctx).ok, true);
});

test('halted denies a new order, even one that would reduce the position', () => {
  const risk = new RiskManager({ tradingState: 'halted' });
  for (const intent of [order(), order({ side: 'sell', quantity: qty('1') })]) {
    assert.deepEqual(risk.check(intent, ctx), {
      ok: false,
      denials: [
        {
          code: 'trading_halted',
          message: 'trading is halted: no new orders are accepted (cancels still are)',
          instrument: 'paper:BTC/USD',
        },
      ],
    });
  }
});

test('halted still allows cancels', () => {
  const risk = new RiskManager();
  assert.equal(risk.setTradingState('halted').ok, true);
  assert.equal(risk.check(order(), ctx).ok, false);
  assert.deepEqual(risk.checkCancel(), { ok: true });
});

test('reduce_only is not a halt: a reducing order passes', () => {
  const risk = new RiskManager({ tradingState: 'reduce_only' });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('1') }), ctx).ok, true);
});
