// The reference-price rule alone: it denies only when a configured rule needs a price that is
// missing, lists which rules needed it, and reports once however many did.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { order } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const none = new StaticRiskContext();

test('no rule needs a reference: a market order passes without one', () => {
  const risk = new RiskManager({ orderQtyMax: { default: '10' } });
  assert.equal(risk.check(order({ type: 'market', price: undefined }), none).ok, true);
});

test('a limit order with notional limits needs no reference', () => {
  const risk = new RiskManager({ orderNotionalMax: { default: '1000' } });
  assert.equal(risk.check(order(), none).ok, true);
});

test('one denial names every rule that needed the price', () => {
  const risk = new RiskManager({
    priceBandBps: { default: 100 },
    orderNotionalMax: { default: '1000000' },
    positionNotionalMax: { default: '1000000' },
  });
  const v = risk.check(order({ type: 'market', price: undefined }), none);
  assert.equal(v.ok, false);
  assert.deepEqual(v.ok === false && v.denials.map((d) => d.code === 'no_reference_price' && d.neededBy), [
    ['price_band', 'order_notional', 'position_notional'],
  ]);
});
