// Native-versus-emulated parity: the same seeded scenario, with every advanced order held by the
// paper venue itself or emulated by Ordo's engine, must produce identical fills.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../src/core/ports.ts';
import type { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { formatPrice } from '../src/model/instrument.ts';
import { ALL_NATIVE, NONE_NATIVE, type PaperNative } from '../src/venues/paper/paper-venue.ts';
import { BTC, quote, session, trade } from './fixtures.ts';

interface FillRow {
  id: number;
  price: number;
  quantity: number;
  ts: number;
  liquidity: string;
}

function run(seed: number, native: PaperNative): { fills: FillRow[]; statuses: string[] } {
  const { oms } = session({ native });
  const fills: FillRow[] = [];
  oms.on((e) => {
    if (e.type === 'order_filled')
      fills.push({ id: e.id, price: e.price, quantity: e.quantity, ts: e.ts, liquidity: e.liquidity });
  });
  const rnd = new SeededRandom(seed);
  let price = 4_500_000; // 45000.00
  const p = (d: number) => formatPrice(BTC, price + d * 100);
  for (let t = 1; t <= 400; t++) {
    price += (rnd.nextInt(21) - 10) * 100;
    const spread = 1 + rnd.nextInt(3);
    oms.feed(quote(BTC, formatPrice(BTC, price - spread), formatPrice(BTC, price + spread), t * 1000, '0.5'));
    oms.feed(trade(BTC, formatPrice(BTC, price), t * 1000 + 1, '0.3'));
    if (t % 40 === 5) place(oms, rnd.nextInt(7), p, t * 1000 + 2);
  }
  return { fills, statuses: oms.getOrders().map((o) => `${o.id}:${o.seedStatus}:${o.filled}`) };
}

function place(oms: AdvancedOrderManager, kind: number, p: (d: number) => string, ts: number): void {
  const base = { symbol: 'BTC/USD', quantity: '0.5' } as const;
  let r: { ok: boolean };
  switch (kind) {
    case 0:
      r = oms.placeBracketOrder(
        {
          ...base,
          side: 'buy',
          entry: { type: 'limit', price: p(-5) },
          takeProfit: { price: p(10) },
          stopLoss: { percent: '1' },
        },
        ts,
      );
      break;
    case 1:
      oms.placeOrder({ ...base, side: 'buy', type: 'market' }, ts);
      r = oms.placeTrailingStop({ ...base, side: 'sell', offsetType: 'bps', offset: '50' }, ts);
      break;
    case 2:
      oms.placeOrder({ ...base, side: 'buy', type: 'market' }, ts);
      r = oms.placeOcoOrder(
        {
          ...base,
          side: 'sell',
          legs: [
            { type: 'limit', price: p(8) },
            { type: 'stop', triggerPrice: p(-8) },
          ],
        },
        ts,
      );
      break;
    case 3:
      r = oms.placeOtoOrder(
        {
          parent: { ...base, side: 'buy', type: 'limit', price: p(-3) },
          children: [{ ...base, side: 'sell', type: 'stop_limit', triggerPrice: p(-12), price: p(-13) }],
          trigger: 'partial',
        },
        ts,
      );
      break;
    case 4:
      r = oms.placeScaleOrder(
        { symbol: 'BTC/USD', side: 'buy', totalQuantity: '1', levels: 4, startPrice: p(-2), step: '100' },
        ts,
      );
      break;
    case 5:
      r = oms.placeOrder({ ...base, side: 'buy', type: 'stop', triggerPrice: p(6) }, ts);
      break;
    default:
      r = oms.placeTrailingStop(
        { ...base, side: 'buy', offsetType: 'ticks', offset: '300', activationPrice: p(-4) },
        ts,
      );
  }
  assert.ok(r.ok, JSON.stringify(r));
}

describe('native versus emulated parity', () => {
  it('gives identical fills for the same scenario on 25 seeds', () => {
    let total = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const a = run(seed, ALL_NATIVE);
      const b = run(seed, NONE_NATIVE);
      assert.deepEqual(a.fills, b.fills, `seed ${seed}`);
      assert.deepEqual(a.statuses, b.statuses, `seed ${seed}`);
      total += a.fills.length;
    }
    assert.ok(total > 100, `the scenario must actually fill orders (got ${total})`);
  });
});
