// Order notional alone: the price it is computed at (limit, trigger, reference), the exact edge,
// and failing closed when a market order has no reference price.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unwrap } from '../../core/errors.ts';
import { defineInstrument } from '../../model/instrument.ts';
import { ACME, order, px, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const noRef = new StaticRiskContext();
const ref = new StaticRiskContext({
  referencePrices: { 'paper:ACME/USD': px('50', ACME), 'paper:BTC/USD': px('100') },
});

test('a limit order is valued at its limit price', () => {
  const risk = new RiskManager({ orderNotionalMax: { default: '1000' } });
  const acme = order({ instrument: ACME, quantity: qty('100', ACME), price: px('10', ACME) });
  assert.equal(risk.check(acme, noRef).ok, true);
  assert.deepEqual(risk.check({ ...acme, quantity: qty('500', ACME) }, noRef), {
    ok: false,
    denials: [
      {
        code: 'notional_exceeds_max',
        message: 'order notional 5000.00 USD exceeds the maximum 1000.00 for paper:ACME/USD',
        instrument: 'paper:ACME/USD',
        price: '10.00',
        notional: '5000.00',
        notionalMax: '1000.00',
      },
    ],
  });
});

test('the edge is exact: a notional equal to the limit passes, one cent more does not', () => {
  const risk = new RiskManager({ orderNotionalMax: { default: '150.0015' } });
  // 1.500 × 100.00 = 150.00000; 1.500 × 100.01 = 150.015.
  assert.equal(risk.check(order({ quantity: qty('1.5'), price: px('100') }), noRef).ok, true);
  assert.equal(risk.check(order({ quantity: qty('1.5'), price: px('100.01') }), noRef).ok, false);
  const r2 = new RiskManager({ orderNotionalMax: { default: '150.015' } });
  assert.equal(r2.check(order({ quantity: qty('1.5'), price: px('100.01') }), noRef).ok, true);
});

test('a stop is valued at its trigger, a market order at the reference price', () => {
  const risk = new RiskManager({ orderNotionalMax: { default: '1000' } });
  const stop = order({
    instrument: ACME,
    type: 'stop',
    price: undefined,
    triggerPrice: px('11', ACME),
    quantity: qty('100', ACME),
  });
  assert.equal(risk.check(stop, noRef).ok, false);
  const market = order({ instrument: ACME, type: 'market', price: undefined, quantity: qty('21', ACME) });
  const v = risk.check(market, ref);
  assert.equal(v.ok === false && v.denials[0]?.code, 'notional_exceeds_max');
  assert.equal(risk.check({ ...market, quantity: qty('20', ACME) }, ref).ok, true);
});

test('a market order with no reference price is denied, not waved through', () => {
  const risk = new RiskManager({ orderNotionalMax: { default: '1000' } });
  const market = order({ type: 'market', price: undefined });
  assert.deepEqual(risk.check(market, noRef), {
    ok: false,
    denials: [
      {
        code: 'no_reference_price',
        message: 'no reference price for paper:BTC/USD, needed by order_notional',
        instrument: 'paper:BTC/USD',
        neededBy: ['order_notional'],
      },
    ],
  });
});

test('instruments finer than money (priceScale + qtyScale > 18) are compared exactly', () => {
  const fine = unwrap(
    defineInstrument({
      venue: 'paper',
      symbol: 'SHIB/USD',
      priceIncrement: '0.000000000001',
      qtyIncrement: '0.00000001',
    }),
  );
  // One price unit × one quantity unit is 1e-20; the limit 1e-18 is 100 of those.
  const risk = new RiskManager({ orderNotionalMax: { default: '0.000000000000000001' } });
  const one = order({ instrument: fine, quantity: 100, price: 1 });
  assert.equal(risk.check(one, noRef).ok, true);
  const v = risk.check({ ...one, quantity: 101 }, noRef);
  assert.equal(
    v.ok === false && v.denials[0]?.code === 'notional_exceeds_max' && v.denials[0].notional,
    '0.00000000000000000101',
  );
});
