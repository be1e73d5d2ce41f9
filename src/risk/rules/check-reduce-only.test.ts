// Reduce-only alone: in the reduce_only state (or for a reduceOnly order) an order must shrink the
// current position without flipping it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Denial, RiskVerdict } from '../denial.ts';
import { order, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const long2 = new StaticRiskContext({ positions: { 'paper:BTC/USD': qty('2') } });
const short2 = new StaticRiskContext({ positions: { 'paper:BTC/USD': -qty('2') } });
const flat = new StaticRiskContext();

function only(v: RiskVerdict): Denial {
  assert.equal(v.ok, false);
  assert.equal(v.ok === false && v.denials.length, 1);
  return (v as { denials: readonly Denial[] }).denials[0]!;
}

test('reduce_only state: reducing orders pass, up to exactly flat', () => {
  const risk = new RiskManager({ tradingState: 'reduce_only' });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('1') }), long2).ok, true);
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('2') }), long2).ok, true);
  assert.equal(risk.check(order({ side: 'buy', quantity: qty('2') }), short2).ok, true);
});

test('reduce_only state: a flip is denied', () => {
  const risk = new RiskManager({ tradingState: 'reduce_only' });
  assert.deepEqual(only(risk.check(order({ side: 'sell', quantity: qty('2.001') }), long2)), {
    code: 'reduce_only_violation',
    message: 'trading is reduce-only: sell 2.001 would flip the position 2.000 through zero',
    instrument: 'paper:BTC/USD',
    reason: 'trading_state',
    effect: 'flips',
    side: 'sell',
    position: '2.000',
    quantity: '2.001',
  });
  const d = only(risk.check(order({ side: 'buy', quantity: qty('3') }), short2));
  assert.equal(d.code === 'reduce_only_violation' && d.effect, 'flips');
});

test('reduce_only state: increasing or opening a position is denied', () => {
  const risk = new RiskManager({ tradingState: 'reduce_only' });
  const inc = only(risk.check(order({ side: 'buy', quantity: qty('0.001') }), long2));
  assert.equal(inc.code === 'reduce_only_violation' && inc.effect, 'increases');
  const open = only(risk.check(order({ side: 'sell' }), flat));
  assert.equal(open.code === 'reduce_only_violation' && open.effect, 'increases');
});

test('a reduceOnly order is held to the same rule with no limits configured', () => {
  const risk = new RiskManager();
  assert.equal(risk.check(order({ side: 'sell', reduceOnly: true }), long2).ok, true);
  const d = only(risk.check(order({ side: 'sell', quantity: qty('3'), reduceOnly: true }), long2));
  assert.equal(d.code === 'reduce_only_violation' && d.reason, 'order_flag');
  assert.equal(risk.check(order({ side: 'buy', reduceOnly: true }), flat).ok, false);
});

test('working orders do not count: both legs of a full-size bracket exit pass', () => {
  const ctx = new StaticRiskContext({
    positions: { 'paper:BTC/USD': qty('2') },
    openQty: { 'paper:BTC/USD': { sell: qty('2') } },
  });
  const risk = new RiskManager({ tradingState: 'reduce_only' });
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('2'), reduceOnly: true }), ctx).ok, true);
});
