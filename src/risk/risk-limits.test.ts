// Limit validation: bad input names the field and the rule, numbers are read exactly and stored
// as canonical decimal strings, and patches replace or remove whole limits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRiskLimits, parseTradingState, patchRiskLimits, type RiskLimits } from './risk-limits.ts';

function issuesOf(input: unknown): string[] {
  const r = parseRiskLimits(input);
  assert.equal(r.ok, false, 'expected field issues');
  return r.ok ? [] : r.error.issues.map((i) => `${i.field} ${i.rule}`);
}

test('valid limits are canonicalised and frozen', () => {
  const r = parseRiskLimits({
    orderQtyMax: { default: 0.1, byInstrument: { 'paper:BTC/USD': '2.50' } },
    orderNotionalMax: { default: '1000.00' },
    priceBandBps: { default: 250 },
    dailyLossMax: { USD: 500 },
    openOrdersMax: 10,
    ordersPerSecondMax: 5,
    tradingState: 'reduce_only',
  });
  assert.equal(r.ok, true);
  const limits = r.ok ? r.value : {};
  assert.deepEqual(limits, {
    orderQtyMax: { default: '0.1', byInstrument: { 'paper:BTC/USD': '2.5' } },
    orderNotionalMax: { default: '1000' },
    priceBandBps: { default: 250 },
    dailyLossMax: { USD: '500' },
    openOrdersMax: 10,
    ordersPerSecondMax: 5,
    tradingState: 'reduce_only',
  });
  assert.equal(Object.isFrozen(limits), true);
  assert.equal(Object.isFrozen(limits.orderQtyMax?.byInstrument), true);
});

test('a negative limit names the field and the rule', () => {
  assert.deepEqual(issuesOf({ orderQtyMax: { default: '-1' } }), ['orderQtyMax.default non_negative']);
  assert.deepEqual(issuesOf({ openOrdersMax: -3 }), ['openOrdersMax non_negative']);
  assert.deepEqual(issuesOf({ dailyLossMax: { USD: -5 } }), ['dailyLossMax.USD non_negative']);
});

test('every bad field is reported at once', () => {
  assert.deepEqual(
    issuesOf({
      orderQtyMax: { default: 'ten', dflt: '1' },
      orderNotionalMax: 5,
      positionQtyMax: { byInstrument: { 'BTC/USD': '1', 'paper:ETH/USD': '0.0000000000000000001' } },
      priceBandBps: { default: 2.5 },
      dailyLossMax: { 'US D': '1' },
      ordersPerSecondMax: 1_000_000,
      tradingState: 'paused',
      orderQtyMaxx: 1,
    }),
    [
      'orderQtyMax.dflt unknown_field',
      'orderQtyMax.default decimal',
      'orderNotionalMax object',
      'positionQtyMax.byInstrument.BTC/USD instrument_key',
      'positionQtyMax.byInstrument.paper:ETH/USD decimal',
      'priceBandBps.default integer',
      'dailyLossMax.US D currency',
      'ordersPerSecondMax range',
      'tradingState one_of',
      'orderQtyMaxx unknown_field',
    ],
  );
  assert.deepEqual(issuesOf(null), ['limits object']);
  assert.deepEqual(issuesOf({ orderQtyMax: { default: 1e21 } }), ['orderQtyMax.default decimal']);
});

test('a patch replaces whole limits, null removes, absent and undefined keep', () => {
  const base: RiskLimits = {
    orderQtyMax: { default: '1', byInstrument: { 'paper:BTC/USD': '2' } },
    openOrdersMax: 4,
  };
  const r = patchRiskLimits(base, { orderQtyMax: { default: '3' }, openOrdersMax: undefined });
  assert.deepEqual(r.ok && r.value, { orderQtyMax: { default: '3' }, openOrdersMax: 4 });
  const removed = patchRiskLimits(base, { openOrdersMax: null, orderQtyMax: {} });
  assert.deepEqual(removed.ok && removed.value, {});
});

test('parseTradingState accepts exactly the three states', () => {
  for (const s of ['active', 'reduce_only', 'halted']) assert.equal(parseTradingState(s).ok, true);
  const bad = parseTradingState('HALTED');
  assert.equal(bad.ok === false && bad.error.issues[0]?.rule, 'one_of');
});
