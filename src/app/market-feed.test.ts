// The synthetic real-time feed: a quote then a trade per instrument per step, stamped by the given
// clock and never backwards, on the tick grid, with a deep book at the touch; nothing after stop().

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../core/errors.ts';
import { defineInstrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import { SyntheticFeed } from './market-feed.ts';

const BTC = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);
const ETH = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'ETH/USD', priceIncrement: '0.05', qtyIncrement: '0.001' }),
);

describe('SyntheticFeed', () => {
  it('paces a seeded walk per instrument by the clock, and stops', async () => {
    let clock = 1_000_000;
    const got: MarketData[] = [];
    const feed = new SyntheticFeed({
      instruments: [BTC, ETH],
      startPrices: { [BTC.key]: 4_500_000 },
      seed: 3,
      tickMs: 5,
      volatilityTicks: 50,
      spreadTicks: 2,
      now: () => (clock -= 1), // a clock that runs backwards: stamps must not
    });
    await feed.start((md) => got.push(md));
    assert.equal(feed.connected(), true);
    await new Promise((r) => setTimeout(r, 60));
    await feed.stop();
    const n = got.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(got.length, n, 'nothing after stop');
    assert.equal(feed.connected(), false);
    assert.ok(n >= 8, `only ${n} items`);
    for (let i = 1; i < got.length; i++) assert.ok(got[i]!.ts >= got[i - 1]!.ts);
    // Each step: BTC quote, BTC trade, ETH quote, ETH trade.
    assert.deepEqual(
      got.slice(0, 4).map((m) => `${m.instrument} ${m.kind}`),
      ['paper:BTC/USD quote', 'paper:BTC/USD trade', 'paper:ETH/USD quote', 'paper:ETH/USD trade'],
    );
    const first = got[1]!;
    assert.ok(first.kind === 'trade' && Math.abs(first.price - 4_500_000) <= 2);
    for (const m of got) {
      const inst = m.instrument === BTC.key ? BTC : ETH;
      if (m.kind === 'quote') {
        assert.equal(m.bid % inst.priceIncrement, 0);
        assert.ok(m.bidSize >= 10 * 10 ** inst.qtyScale, 'ten units at the touch');
      }
      if (m.kind === 'trade') assert.equal(m.price % inst.priceIncrement, 0);
    }
  });
});
