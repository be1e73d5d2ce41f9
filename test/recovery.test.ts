// Recovery: for random workloads over every order type, a manager rebuilt from the journal equals
// the live one — orders, lists, fills, positions, cash, open totals, emulated triggers and the
// current stop of every trailing stop (its watermark) — at every point the journal was cut.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../src/core/ports.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { formatPrice } from '../src/model/instrument.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { BTC, quote, trade } from './fixtures.ts';
import { MemoryJournal } from './support/memory-journal.ts';

function manager(journal: MemoryJournal): AdvancedOrderManager {
  const venue = new PaperVenue({
    venue: 'paper',
    instruments: [BTC],
    balances: { USD: '100000000', BTC: '1000' },
    native: NONE_NATIVE,
  });
  return new AdvancedOrderManager(venue, { instruments: [BTC], portfolio: new Portfolio(), journal });
}

function state(m: AdvancedOrderManager): unknown {
  const e = m.engine;
  const lists = [...e.state.lists.keys()].map((id) => m.getList(id as never));
  return JSON.parse(
    JSON.stringify({
      orders: m.getOrders(),
      armed: [...e.state.orders.values()].map((o) => [
        o.id,
        o.armKind,
        o.status === 'held' ? e.state.emulator.currentStop(o) : null,
      ]),
      watermarks: [...e.state.orders.values()].map((o) => e.state.emulator.watermark(o) ?? null),
      lists,
      positions: m.portfolio.positions(),
      trips: m.portfolio.roundTrips(),
      open: [e.state.openQty(BTC.key, 'buy'), e.state.openQty(BTC.key, 'sell'), e.state.liveOrders],
      fills: m.tradeLog.fills(),
      next: [e.state.nextOrderId, e.state.nextListId],
    }),
  );
}

function workload(
  seed: number,
  m: AdvancedOrderManager,
  steps: number,
  onStep: (step: number) => void,
): void {
  const rnd = new SeededRandom(seed);
  let price = 4_500_000;
  const p = (d: number) => formatPrice(BTC, price + d * 100);
  const base = { symbol: 'BTC/USD', quantity: '0.3' } as const;
  for (let t = 1; t <= steps; t++) {
    price += (rnd.nextInt(41) - 20) * 100;
    m.feed(quote(BTC, formatPrice(BTC, price - 1), formatPrice(BTC, price + 1), t * 1000, '0.2'));
    m.feed(trade(BTC, formatPrice(BTC, price), t * 1000 + 1, '0.2'));
    const ts = t * 1000 + 2;
    switch (rnd.nextInt(14)) {
      case 0:
        m.placeBracketOrder(
          {
            ...base,
            side: 'buy',
            entry: { type: 'limit', price: p(-3) },
            takeProfit: { percent: '1' },
            stopLoss: { percent: '1' },
          },
          ts,
        );
        break;
      case 1:
        m.placeTrailingStop(
          {
            ...base,
            side: rnd.nextInt(2) ? 'sell' : 'buy',
            offsetType: 'price',
            offset: '15',
            activationPrice: rnd.nextInt(2) ? p(5) : undefined,
          },
          ts,
        );
        break;
      case 2:
        m.placeOcoOrder(
          {
            ...base,
            side: 'sell',
            legs: [
              { type: 'limit', price: p(12) },
              { type: 'stop_limit', triggerPrice: p(-12), price: p(-13) },
            ],
          },
          ts,
        );
        break;
      case 3:
        m.placeOtoOrder(
          {
            parent: { ...base, side: 'buy', type: 'limit', price: p(-2) },
            children: [
              {
                ...base,
                side: 'sell',
                type: 'trailing_stop',
                trailing: { offsetType: 'percent', offset: '0.5' },
              },
            ],
            trigger: rnd.nextInt(2) ? 'partial' : 'full',
          },
          ts,
        );
        break;
      case 4:
        m.placeScaleOrder(
          {
            symbol: 'BTC/USD',
            side: rnd.nextInt(2) ? 'buy' : 'sell',
            totalQuantity: '1',
            levels: 3,
            startPrice: p(-1),
            step: '50',
          },
          ts,
        );
        break;
      case 5:
        m.placeOrder(
          { ...base, side: 'buy', type: 'stop', triggerPrice: p(8), tif: 'gtd', expireAt: ts + 20_000 },
          ts,
        );
        break;
      case 6:
        m.placeOrder({ ...base, side: rnd.nextInt(2) ? 'buy' : 'sell', type: 'market' }, ts);
        break;
      case 7: {
        const active = m.getActiveOrders();
        const o = active[rnd.nextInt(Math.max(1, active.length))];
        if (o !== undefined) m.cancelOrder(o.id, ts);
        break;
      }
      case 8: {
        const active = m.getActiveOrders().filter((o) => o.type === 'stop' && o.role === 'single');
        const o = active[0];
        if (o !== undefined) m.modifyOrder(o.id, { triggerPrice: p(3) }, ts);
        break;
      }
      default:
        break;
    }
    onStep(t);
  }
}

describe('recovery from the journal', () => {
  it('rebuilds exactly the live state, for random workloads cut at random points', () => {
    let checks = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const journal = new MemoryJournal();
      const live = manager(journal);
      const rnd = new SeededRandom(seed * 7919);
      workload(seed, live, 160, (step) => {
        if (rnd.nextInt(10) !== 0 && step !== 160) return;
        const rebuilt = manager(journal);
        const r = rebuilt.restore();
        // The last checkpoint is the last input that produced events.
        assert.equal(r?.inputSeq, journal.lastCheckpointSync()?.checkpoint.inputSeq);
        assert.deepEqual(state(rebuilt), state(live), `seed ${seed} step ${step}`);
        checks++;
      });
      assert.ok(
        live.getOrders().some((o) => o.type === 'trailing_stop' && o.status === 'held'),
        `seed ${seed} keeps a trailing stop held`,
      );
    }
    assert.ok(checks > 100, `checks: ${checks}`);
  });
});
