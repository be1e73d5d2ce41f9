// Order quantity alone: a default, per-instrument overrides, the exact edge, and limits finer
// than the lot size.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACME, order, px, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const ctx = new StaticRiskContext();

test('at the limit passes, one lot above is denied with exact strings', () => {
  const risk = new RiskManager({ orderQtyMax: { default: '1.5' } });
  assert.equal(risk.check(order({ quantity: qty('1.5') }), ctx).ok, true);
  assert.deepEqual(risk.check(order({ quantity: qty('1.501') }), ctx), {
    ok: false,
    denials: [
      {
        code: 'quantity_exceeds_max',
        message: 'order quantity 1.501 exceeds the maximum 1.500 for paper:BTC/USD',
        instrument: 'paper:BTC/USD',
        quantity: '1.501',
        quantityMax: '1.500',
      },
    ],
  });
});

test('a per-instrument override wins over the default', () => {
  const risk = new RiskManager({ orderQtyMax: { default: '1', byInstrument: { 'paper:ACME/USD': '500' } } });
  assert.equal(risk.check(order({ quantity: qty('2') }), ctx).ok, false);
  const acme = order({ instrument: ACME, quantity: qty('500', ACME), price: px('10', ACME) });
  assert.equal(risk.check(acme, ctx).ok, true);
  assert.equal(risk.check({ ...acme, quantity: qty('501', ACME) }, ctx).ok, false);
});

test('an override alone leaves other instruments unlimited', () => {
  const risk = new RiskManager({ orderQtyMax: { byInstrument: { 'paper:ACME/USD': '1' } } });
  assert.equal(risk.check(order({ quantity: qty('1000') }), ctx).ok, true);
});

test('a limit finer than the lot is compared exactly', () => {
  const risk = new RiskManager({ orderQtyMax: { default: '1.0005' } });
  assert.equal(risk.check(order({ quantity: qty('1') }), ctx).ok, true);
  const v = risk.check(order({ quantity: qty('1.001') }), ctx);
  assert.equal(v.ok === false && v.denials[0]?.code === 'quantity_exceeds_max', true);
  assert.equal(v.ok === false && 'quantityMax' in v.denials[0]! && v.denials[0].quantityMax, '1.0005');
});

test('zero allows nothing', () => {
  const risk = new RiskManager({ orderQtyMax: { default: 0 } });
  assert.equal(risk.check(order({ quantity: qty('0.001') }), ctx).ok, false);
});
