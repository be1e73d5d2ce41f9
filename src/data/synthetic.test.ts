import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../core/errors.ts';
import { defineInstrument } from '../model/instrument.ts';
import type { QuoteTick, TradeTick } from '../model/market.ts';
import { type SyntheticMarketOptions, syntheticMarket } from './synthetic.ts';

const inst = unwrap(
  defineInstrument({ venue: 'sim', symbol: 'BTC/USD', priceIncrement: '0.05', qtyIncrement: '0.001' }),
);
const base: SyntheticMarketOptions = {
  instrument: inst,
  startPrice: 5_000_000, // 50000.00 in units of 0.01, a multiple of the 0.05 tick (5 units)
  seed: 42,
  startMs: 1_700_000_000_000,
  tickIntervalMs: 100,
  volatilityTicks: 3,
  spreadTicks: 2,
  steps: 2000,
};
const run = (o: Partial<SyntheticMarketOptions> = {}) => [...unwrap(syntheticMarket({ ...base, ...o }))];
const quotes = (items: readonly (QuoteTick | TradeTick)[]) =>
  items.filter((x): x is QuoteTick => x.kind === 'quote');

describe('synthetic market', () => {
  it('is deterministic: the same seed gives the same sequence, another seed another', () => {
    assert.deepEqual(run(), run());
    assert.notDeepEqual(run(), run({ seed: 43 }));
  });

  it('alternates quote and trade, one step per interval, starting at the start price', () => {
    const items = run({ steps: 3 });
    assert.deepEqual(
      items.map((x) => [x.kind, x.ts]),
      [
        ['quote', 1_700_000_000_000],
        ['trade', 1_700_000_000_000],
        ['quote', 1_700_000_000_100],
        ['trade', 1_700_000_000_100],
        ['quote', 1_700_000_000_200],
        ['trade', 1_700_000_000_200],
      ],
    );
    assert.equal((items[0] as QuoteTick).bid, 5_000_000);
  });

  it('keeps prices on the tick grid, the spread fixed, sizes in whole lots, trades at the touch', () => {
    const items = run();
    let quote: QuoteTick | undefined;
    for (const x of items) {
      if (x.kind === 'quote') {
        quote = x;
        assert.ok(x.bid > 0 && x.bid % inst.priceIncrement === 0);
        assert.equal(x.ask - x.bid, 2 * inst.priceIncrement);
        assert.ok(x.bidSize >= 1 && x.askSize <= 10 && Number.isSafeInteger(x.bidSize));
      } else {
        assert.equal(x.price, x.aggressor === 'buy' ? quote?.ask : quote?.bid);
        assert.ok(x.size >= 1 && x.size <= 10);
      }
    }
    const moves = quotes(items).map((q, i, all) =>
      i === 0 ? 0 : (q.bid - (all[i - 1] as QuoteTick).bid) / 5,
    );
    assert.ok(moves.every((m) => Math.abs(m) <= 3));
    assert.ok(moves.some((m) => m !== 0));
  });

  it('is endless without a step count', () => {
    const gen = unwrap(syntheticMarket({ ...base, steps: undefined }));
    let n = 0;
    for (const _ of gen) if (++n === 50_000) break;
    assert.equal(n, 50_000);
  });

  it('stays inside a band, and mean reversion keeps it nearer the middle', () => {
    const band = { low: 4_990_000, high: 5_010_000 };
    const dist = (items: readonly (QuoteTick | TradeTick)[]) =>
      quotes(items).reduce((s, q) => s + Math.abs(q.bid - 5_000_000), 0) / 2000;
    const bounded = run({ band, volatilityTicks: 20, seed: 7 });
    assert.ok(quotes(bounded).every((q) => q.bid >= band.low && q.bid <= band.high));
    const reverting = run({ band: { ...band, meanReversion: true }, volatilityTicks: 20, seed: 7 });
    assert.ok(quotes(reverting).every((q) => q.bid >= band.low && q.bid <= band.high));
    assert.ok(dist(reverting) < dist(bounded), `${dist(reverting)} < ${dist(bounded)}`);
  });

  it('can add price gaps and a flash crash that recovers', () => {
    const calm = quotes(run({ volatilityTicks: 0 }));
    assert.ok(calm.every((q) => q.bid === 5_000_000));
    const gappy = quotes(run({ volatilityTicks: 0, events: { gapChancePpm: 10_000, gapTicksMax: 50 } }));
    assert.ok(gappy.some((q, i) => i > 0 && Math.abs(q.bid - (gappy[i - 1] as QuoteTick).bid) > 5));
    const crash = quotes(
      run({
        volatilityTicks: 0,
        events: { flashCrash: { atStep: 100, dropTicks: 1000, recoverySteps: 10 } },
      }),
    );
    assert.equal(crash[99]?.bid, 5_000_000);
    assert.equal(crash[100]?.bid, 5_000_000 - 1000 * 5);
    assert.equal(crash[105]?.bid, 5_000_000 - 500 * 5);
    assert.equal(crash[110]?.bid, 5_000_000);
  });

  it('never quotes a price at or below zero', () => {
    const low = quotes(run({ startPrice: 10, volatilityTicks: 5, seed: 3 }));
    assert.ok(low.every((q) => q.bid >= inst.priceIncrement));
  });

  it('refuses bad options, naming the field and rule', () => {
    const cases: [Partial<SyntheticMarketOptions>, string, string][] = [
      [{ startPrice: 5_000_001 }, 'startPrice', 'tick_multiple'],
      [{ tickIntervalMs: 0 }, 'tickIntervalMs', 'positive'],
      [{ spreadTicks: 0 }, 'spreadTicks', 'positive'],
      [{ volatilityTicks: 1.5 }, 'volatilityTicks', 'integer'],
      [{ band: { low: 10, high: 5 } }, 'band', 'ordered'],
      [{ band: { low: 10, high: 20 } }, 'startPrice', 'in_band'],
      [{ events: { gapChancePpm: 5 } }, 'events.gapTicksMax', 'positive'],
    ];
    for (const [o, field, rule] of cases) {
      const r = syntheticMarket({ ...base, ...o });
      assert.ok(!r.ok);
      assert.equal(r.error.issues[0]?.field, field);
      assert.equal(r.error.issues[0]?.rule, rule);
    }
  });
});
