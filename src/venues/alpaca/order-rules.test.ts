// Tests of the local pre-validation: each rule refuses what Alpaca would, by name, and lets
// through what Alpaca takes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkList, checkOrder, subPennyProblem } from './order-rules.ts';
import { AAPL, BTC, list, order, PENNY, px, SPY } from './test-fixtures.ts';

const rule = (r: ReturnType<typeof checkOrder>) => r?.rule;

describe('single orders', () => {
  it('the sub-penny rule: whole cents at or above $1, 4 decimals below', () => {
    assert.equal(subPennyProblem(AAPL.instrument, px(AAPL, '150.12'), 'price'), undefined);
    assert.equal(subPennyProblem(AAPL.instrument, px(AAPL, '150.125'), 'price')?.rule, 'sub_penny');
    assert.equal(subPennyProblem(PENNY.instrument, px(PENNY, '0.1234'), 'price'), undefined);
    assert.equal(subPennyProblem(PENNY.instrument, px(PENNY, '1.0001'), 'price')?.rule, 'sub_penny');
    assert.equal(rule(checkOrder(SPY, order(SPY, { type: 'stop', triggerPrice: '299.999' }))), 'sub_penny');
    assert.equal(subPennyProblem(BTC.instrument, px(BTC, '50000.01'), 'price'), undefined);
  });

  it('crypto: types, time in force, minimum size', () => {
    assert.equal(rule(checkOrder(BTC, order(BTC, { price: '50000', quantity: '0.01' }))), undefined);
    assert.equal(
      rule(
        checkOrder(
          BTC,
          order(BTC, { type: 'stop_limit', price: '50000', triggerPrice: '50100', quantity: '0.01' }),
        ),
      ),
      undefined,
    );
    assert.equal(
      rule(checkOrder(BTC, order(BTC, { type: 'trailing_stop', quantity: '0.01' }))),
      'crypto_order_type',
    );
    assert.equal(
      rule(checkOrder(BTC, order(BTC, { price: '50000', quantity: '0.01', tif: 'fok' }))),
      'crypto_time_in_force',
    );
    assert.equal(
      rule(checkOrder(BTC, order(BTC, { price: '50000', quantity: '0.00005' }))),
      'min_order_size',
    );
  });

  it('fractional shares: fractionable assets, day, no trailing stops, at least $1', () => {
    assert.equal(
      rule(checkOrder(AAPL, order(AAPL, { type: 'market', quantity: '0.5', tif: 'day' }))),
      undefined,
    );
    assert.equal(
      rule(checkOrder(AAPL, order(AAPL, { type: 'market', quantity: '0.5', tif: 'gtc' }))),
      'fractional_order',
    );
    assert.equal(rule(checkOrder(SPY, order(SPY, { type: 'market', quantity: '1', tif: 'gtc' }))), undefined);
    assert.equal(
      rule(checkOrder(AAPL, order(AAPL, { type: 'limit', price: '150', quantity: '0.001', tif: 'day' }))),
      'fractional_min_notional',
    );
    assert.equal(
      rule(
        checkOrder(AAPL, order(AAPL, { type: 'market', quantity: '0.001', tif: 'day' }), {
          lastPrice: px(AAPL, '150'),
        }),
      ),
      'fractional_min_notional',
    );
  });

  it('trailing stops, time in force, post-only, client ids', () => {
    const trailing = {
      offsetKind: 'percent' as const,
      offset: 1_000_000,
      activationPrice: undefined,
      limitOffset: undefined,
    };
    assert.equal(
      rule(checkOrder(SPY, order(SPY, { type: 'trailing_stop', side: 'sell', trailing, tif: 'gtc' }))),
      undefined,
    );
    assert.equal(
      rule(checkOrder(SPY, order(SPY, { type: 'trailing_stop', side: 'sell', trailing, tif: 'ioc' }))),
      'trailing_time_in_force',
    );
    assert.equal(
      rule(
        checkOrder(SPY, order(SPY, { type: 'trailing_stop', trailing: { ...trailing, activationPrice: 1 } })),
      ),
      'trailing_shape',
    );
    assert.equal(rule(checkOrder(SPY, order(SPY, { price: '400', tif: 'gtd' }))), 'time_in_force');
    assert.equal(
      rule(checkOrder(SPY, order(SPY, { type: 'stop', triggerPrice: '400', tif: 'fok' }))),
      'time_in_force',
    );
    assert.equal(rule(checkOrder(SPY, order(SPY, { price: '400', postOnly: true }))), 'post_only');
    assert.equal(
      rule(checkOrder(SPY, order(SPY, { price: '400', clientOrderId: 'x'.repeat(121) }))),
      'client_order_id',
    );
    assert.equal(
      rule(checkOrder(SPY, order(SPY, { price: '400' }), { extendedHours: true })),
      'extended_hours',
    );
  });
});

describe('order classes', () => {
  const entry = order(SPY, { clientOrderId: 'e', type: 'limit', price: '300', quantity: '10' });
  const tp = order(SPY, { clientOrderId: 'tp', side: 'sell', type: 'limit', price: '310', quantity: '10' });
  const sl = order(SPY, {
    clientOrderId: 'sl',
    side: 'sell',
    type: 'stop',
    triggerPrice: '290',
    quantity: '10',
  });

  it('takes a bracket, an OCO, an OTO released on the full fill', () => {
    const b = checkList(SPY, list('bracket', entry, [tp, sl], 'partial'));
    assert.ok(!('rule' in b) && b.orderClass === 'bracket' && b.main === entry);
    const oco = checkList(SPY, list('oco', undefined, [sl, tp]));
    assert.ok(!('rule' in oco) && oco.orderClass === 'oco' && oco.main === tp && oco.stopLoss === sl);
    const oto = checkList(SPY, list('oto', entry, [sl], 'full'));
    assert.ok(!('rule' in oto) && oto.orderClass === 'oto' && oto.takeProfit === undefined);
  });

  it('refuses what no order class carries, naming the rule', () => {
    const bad = (l: Parameters<typeof checkList>[1], r = SPY) => {
      const x = checkList(r, l);
      assert.ok('rule' in x, JSON.stringify(l.kind));
      return x.message;
    };
    assert.match(bad(list('oco', undefined, [tp, sl]), BTC), /^order_class: .*equities only/);
    assert.match(bad(list('oto', entry, [sl], 'partial')), /full fill/);
    assert.match(bad(list('oto', entry, [tp, sl], 'full')), /exactly one child/);
    assert.match(
      bad(list('oco', undefined, [tp, { ...tp, clientOrderId: 'tp2' }])),
      /one limit and one stop/,
    );
    assert.match(
      bad(list('oco', undefined, [{ ...tp, price: px(SPY, '280') }, sl])),
      /take-profit must be above/,
    );
    assert.match(
      bad(list('bracket', { ...entry, type: 'stop', triggerPrice: px(SPY, '305') }, [tp, sl])),
      /market or limit/,
    );
    assert.match(bad(list('bracket', { ...entry, tif: 'ioc' }, [tp, sl])), /day or gtc/);
    assert.match(bad(list('bracket', entry, [tp, { ...sl, quantity: 5 }])), /share one quantity/);
  });
});
