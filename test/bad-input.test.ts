// Bad input returns a typed error naming the field and the rule, and changes no state: no order,
// no event, no venue command, no cash or position movement.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrdoError, Result } from '../src/core/errors.ts';
import type { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { BTC, market, session } from './fixtures.ts';

function expectRejected(
  oms: AdvancedOrderManager,
  call: () => Result<unknown>,
  field: string,
  rule?: string,
): OrdoError {
  const before = JSON.stringify(oms.getOrders());
  const cash = balancesText(oms);
  let events = 0;
  const off = oms.on(() => events++);
  const r = call();
  off();
  assert.equal(r.ok, false, `expected a rejection naming ${field}`);
  if (r.ok) throw new Error('unreachable');
  const fields = r.error.issues.map((i) => i.field);
  assert.ok(fields.includes(field), `expected field ${field} in ${JSON.stringify(r.error.issues)}`);
  if (rule !== undefined)
    assert.ok(
      r.error.issues.some((i) => i.field === field && i.rule === rule),
      `rule ${rule}: ${JSON.stringify(r.error.issues)}`,
    );
  assert.equal(events, 0, 'no event may be emitted');
  assert.equal(JSON.stringify(oms.getOrders()), before, 'no order may change');
  const cashAfter = balancesText(oms);
  assert.equal(cashAfter, cash, 'no balance may change');
  assert.equal(oms.engine.drainCommands().length, 0, 'nothing may be sent');
  return r.error;
}

function balancesText(oms: AdvancedOrderManager): string {
  const venue = oms.venue as PaperVenue;
  return JSON.stringify([...venue.matcher.balances()], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

describe('bad input', () => {
  const { oms } = session();
  market(oms, BTC, '45000', 1);
  const order = { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.1', price: '45000' } as const;

  it('negative or zero quantity', () => {
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: '-1' }), 'quantity', 'positive');
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: '0' }), 'quantity', 'positive');
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: 'abc' }), 'quantity', 'decimal');
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: '0.00001' }), 'quantity', 'lot_multiple');
  });

  it('price off the tick', () => {
    expectRejected(oms, () => oms.placeOrder({ ...order, price: '45000.005' }), 'price', 'tick_multiple');
    expectRejected(
      oms,
      () => oms.placeOrder({ ...order, type: 'stop', price: undefined, triggerPrice: '1.001' }),
      'triggerPrice',
      'tick_multiple',
    );
  });

  it('unknown symbol', () => {
    expectRejected(oms, () => oms.placeOrder({ ...order, symbol: 'DOGE/USD' }), 'symbol', 'known_symbol');
    expectRejected(
      oms,
      () =>
        oms.placeBracketOrder({
          symbol: 'NOPE/USD',
          side: 'buy',
          quantity: '1',
          takeProfit: { percent: '1' },
          stopLoss: { percent: '1' },
        }),
      'symbol',
    );
  });

  it('a buy bracket whose take-profit is below its entry', () => {
    const e = expectRejected(
      oms,
      () =>
        oms.placeBracketOrder({
          symbol: 'BTC/USD',
          side: 'buy',
          quantity: '0.1',
          entry: { type: 'limit', price: '45000' },
          takeProfit: { price: '44000' },
          stopLoss: { price: '43000' },
        }),
      'takeProfit.price',
      'above_entry',
    );
    assert.equal(e.code, 'invalid_field');
    expectRejected(
      oms,
      () =>
        oms.placeBracketOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '0.1',
          entry: { type: 'limit', price: '45000' },
          takeProfit: { price: '44000' },
          stopLoss: { price: '44500' },
        }),
      'stopLoss.price',
      'above_entry',
    );
  });

  it('zero or too many scale levels', () => {
    const scale = {
      symbol: 'BTC/USD',
      side: 'buy',
      totalQuantity: '1',
      startPrice: '45000',
      step: '10',
    } as const;
    expectRejected(oms, () => oms.placeScaleOrder({ ...scale, levels: 0 }), 'levels', 'range');
    expectRejected(oms, () => oms.placeScaleOrder({ ...scale, levels: 101 }), 'levels', 'range');
    expectRejected(oms, () => oms.placeScaleOrder({ ...scale, levels: 2.5 }), 'levels', 'range');
    // A level that would be below the minimum size is refused before anything is placed.
    expectRejected(
      oms,
      () => oms.placeScaleOrder({ ...scale, totalQuantity: '0.0003', levels: 5 }),
      'levels[3]',
      'min_quantity',
    );
    expectRejected(
      oms,
      () => oms.placeScaleOrder({ ...scale, startPrice: '20', levels: 5 }),
      'levels[2]',
      'positive_price',
    );
  });

  it('a trailing percent <= 0 or >= 100', () => {
    const t = { symbol: 'BTC/USD', side: 'sell', quantity: '0.1', offsetType: 'percent' } as const;
    expectRejected(oms, () => oms.placeTrailingStop({ ...t, offset: '0' }), 'trailing.offset', 'range');
    expectRejected(oms, () => oms.placeTrailingStop({ ...t, offset: '-5' }), 'trailing.offset', 'range');
    expectRejected(oms, () => oms.placeTrailingStop({ ...t, offset: '100' }), 'trailing.offset', 'range');
    expectRejected(oms, () => oms.placeTrailingStop({ ...t, offset: '150' }), 'trailing.offset', 'range');
    expectRejected(
      oms,
      () => oms.placeTrailingStop({ ...t, offsetType: 'ticks', offset: '1.5' }),
      'trailing.offset',
      'whole_ticks',
    );
  });

  it('wrong types and unknown enums', () => {
    expectRejected(oms, () => oms.placeOrder({ ...order, side: 'hold' as never }), 'side', 'enum');
    expectRejected(oms, () => oms.placeOrder({ ...order, type: 'iceberg' as never }), 'type', 'enum');
    expectRejected(oms, () => oms.placeOrder({ ...order, tif: 'forever' as never }), 'tif', 'enum');
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: Number.NaN }), 'quantity', 'decimal');
    expectRejected(oms, () => oms.placeOrder({ ...order, quantity: '1e308' }), 'quantity', 'decimal');
    expectRejected(
      oms,
      () => oms.placeOrder({ ...order, quantity: '99999999999999999999' }),
      'quantity',
      'range',
    );
    expectRejected(oms, () => oms.placeOrder({ ...order, tif: 'gtd' }), 'expireAt', 'required');
    expectRejected(oms, () => oms.placeOrder({ ...order, type: 'market' }), 'price', 'not_allowed');
  });

  it('reports every failing field at once', () => {
    const e = expectRejected(
      oms,
      () => oms.placeOrder({ ...order, quantity: '-1', price: '1.001' }),
      'quantity',
    );
    assert.deepEqual(
      e.issues.map((i) => i.field),
      ['quantity', 'price'],
    );
  });

  it('cancel and modify of unknown or finished orders are coded errors', () => {
    const r = oms.cancelOrder(9999 as never);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'unknown_order');
  });
});
