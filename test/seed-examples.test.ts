// The seed's worked examples, to the cent, through the whole stack: facade, engine, paper venue.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import { ALL_NATIVE, NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC, ETH, market, SOL, session } from './fixtures.ts';

for (const [mode, native] of [
  ['native', ALL_NATIVE],
  ['emulated', NONE_NATIVE],
] as const) {
  describe(`seed examples (${mode})`, () => {
    it('bracket buy 0.1 BTC/USD at 45000 with TP 10% and SL 5% gives 49500 and 42750', () => {
      const { oms } = session({ native });
      market(oms, BTC, '45100', 1);
      const list = unwrap(
        oms.placeBracketOrder({
          symbol: 'BTC/USD',
          side: 'buy',
          quantity: '0.1',
          entry: { type: 'limit', price: '45000' },
          takeProfit: { percent: '10' },
          stopLoss: { percent: '5' },
        }),
      );
      const [entry, tp, sl] = list.orders;
      assert.equal(entry?.price, '45000.00');
      assert.equal(tp?.price, '49500.00');
      assert.equal(sl?.triggerPrice, '42750.00');
      assert.equal(list.native, mode === 'native');
      market(oms, BTC, '44990', 2);
      assert.equal(oms.getOrder(entry!.id)?.status, 'filled');
      assert.equal(oms.getOrder(tp!.id)?.quantity, '0.1000');
      market(oms, BTC, '42700', 3);
      assert.equal(oms.getOrder(sl!.id)?.status, 'filled');
      assert.equal(oms.getOrder(tp!.id)?.status, 'cancelled');
      assert.equal(oms.portfolio.position(BTC.key)?.side, 'flat');
    });

    it('a 5% trailing sell stop moves to 2090 when ETH goes 2000 → 2200 and fires at 2090', () => {
      const { oms } = session({ native });
      market(oms, ETH, '2000', 1);
      unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '1' }));
      const ts = unwrap(
        oms.placeTrailingStop({
          symbol: 'ETH/USD',
          side: 'sell',
          quantity: '1',
          offsetType: 'percent',
          offset: '5',
        }),
      );
      assert.equal(oms.getOrder(ts.id)?.status, mode === 'native' ? 'accepted' : 'held');
      market(oms, ETH, '2200', 2);
      if (mode === 'emulated') assert.equal(oms.getOrder(ts.id)?.stopPrice, '2090.00');
      market(oms, ETH, '2091', 3);
      assert.notEqual(oms.getOrder(ts.id)?.status, 'filled');
      market(oms, ETH, '2090', 4);
      const done = oms.getOrder(ts.id)!;
      assert.equal(done.status, 'filled');
      assert.equal(done.averageFillPrice, '2090.000000');
    });

    it('a 5% trailing stop on a position bought at 100 sits at 104.50 after 110, 114.00 after 120, then exits', () => {
      const { oms } = session({ native: NONE_NATIVE });
      market(oms, SOL, '100', 1);
      unwrap(oms.placeOrder({ symbol: 'SOL/USD', side: 'buy', type: 'market', quantity: '10' }));
      const ts = unwrap(
        oms.placeTrailingStop({
          symbol: 'SOL/USD',
          side: 'sell',
          quantity: '10',
          offsetType: 'percent',
          offset: '5',
        }),
      );
      assert.equal(oms.getOrder(ts.id)?.stopPrice, '95.00');
      market(oms, SOL, '110', 2);
      assert.equal(oms.getOrder(ts.id)?.stopPrice, '104.50');
      market(oms, SOL, '105', 3);
      assert.equal(oms.getOrder(ts.id)?.stopPrice, '104.50', 'the stop never loosens');
      market(oms, SOL, '120', 4);
      assert.equal(oms.getOrder(ts.id)?.stopPrice, '114.00');
      market(oms, SOL, '113.50', 5);
      assert.equal(oms.getOrder(ts.id)?.status, 'filled');
      assert.equal(oms.getOrder(ts.id)?.averageFillPrice, '113.500000', 'a gapped stop fills at the market');
      assert.equal(oms.portfolio.position(SOL.key)?.side, 'flat');
    });

    it('OCO on SOL/USD (limit 120, stop 90): whichever fills first cancels the other', () => {
      for (const path of [['121'], ['89']]) {
        const { oms } = session({ native });
        market(oms, SOL, '100', 1);
        unwrap(oms.placeOrder({ symbol: 'SOL/USD', side: 'buy', type: 'market', quantity: '5' }));
        const oco = unwrap(
          oms.placeOcoOrder({
            symbol: 'SOL/USD',
            side: 'sell',
            quantity: '5',
            legs: [
              { type: 'limit', price: '120' },
              { type: 'stop', triggerPrice: '90' },
            ],
          }),
        );
        market(oms, SOL, path[0]!, 2);
        const [limit, stop] = oco.orders.map((o) => oms.getOrder(o.id)!);
        if (path[0] === '121') {
          assert.equal(limit?.status, 'filled');
          assert.equal(stop?.status, 'cancelled');
        } else {
          assert.equal(stop?.status, 'filled');
          assert.equal(limit?.status, 'cancelled');
        }
      }
    });

    it('scale-in of 1.0 BTC in 5 orders stepping 500 from 45000', () => {
      const { oms } = session({ native });
      market(oms, BTC, '46000', 1);
      const list = unwrap(
        oms.placeScaleOrder({
          symbol: 'BTC/USD',
          side: 'buy',
          totalQuantity: '1.0',
          levels: 5,
          startPrice: '45000',
          step: '500',
        }),
      );
      assert.deepEqual(
        list.orders.map((o) => [o.quantity, o.price]),
        [
          ['0.2000', '45000.00'],
          ['0.2000', '44500.00'],
          ['0.2000', '44000.00'],
          ['0.2000', '43500.00'],
          ['0.2000', '43000.00'],
        ],
      );
    });

    it('scale-out of 1.0 in 4 orders stepping 1000 from 46000', () => {
      const { oms } = session({ native });
      market(oms, BTC, '45000', 1);
      unwrap(oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '1' }));
      const list = unwrap(
        oms.placeScaleOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          totalQuantity: '1.0',
          levels: 4,
          startPrice: '46000',
          step: '1000',
        }),
      );
      assert.deepEqual(
        list.orders.map((o) => [o.quantity, o.price]),
        [
          ['0.2500', '46000.00'],
          ['0.2500', '47000.00'],
          ['0.2500', '48000.00'],
          ['0.2500', '49000.00'],
        ],
      );
    });
  });
}
