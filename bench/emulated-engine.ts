// An OrderEngine whose venue makes every stop and trailing stop emulated, with a portfolio port
// that does nothing and no risk, loaded with the benchmark's resting orders. Orders are placed
// through `engine.place` exactly as a trader's would be. A short warm-up walk is fed between
// batches of placements, so trailing stops start at different prices and the trailing books hold
// many watermark groups, as they would after a day of trading; the naive baseline and the peer
// follow the same schedule.

import type { PortfolioPort } from '../src/engine/engine.ts';
import { OrderEngine } from '../src/engine/engine.ts';
import type { Capabilities } from '../src/engine/venue-port.ts';
import type { TradeTick } from '../src/model/market.ts';
import { type RestingOrder, restingOrders, specOf } from './resting-orders.ts';
import { BENCH_BTC, makeTape } from './tape.ts';

export const EMULATING_VENUE: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'emulated',
    stop_limit: 'emulated',
    trailing_stop: 'emulated',
  },
  contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'native', gtd: 'native' },
  modify: true,
};

export const NO_PORTFOLIO: PortfolioPort = {
  applyFill() {},
  positionQty: () => 0,
  realizedPnlToday: () => 0n,
};

/** Warm-up ticks fed while placing: at most this many, one before each batch of placements. */
const WARMUP_TICKS_MAX = 1000;
const WARMUP_START_MS = 1_699_999_000_000;

/**
 * The placement schedule shared by every contender: a first warm-up tick, then `count` orders
 * with another warm-up tick before each batch. `tick` sees each warm-up tick, `order` each order
 * with the last tick's price and time.
 */
export function placementSchedule(
  count: number,
  seed: number,
  tick: (t: TradeTick) => void,
  order: (o: RestingOrder, i: number, price: number, ts: number) => void,
): void {
  const warmup = makeTape({ ticks: WARMUP_TICKS_MAX, seed: seed ^ 0x5eed, startMs: WARMUP_START_MS }).ticks;
  const batch = Math.max(1, Math.ceil(count / WARMUP_TICKS_MAX));
  let last = warmup[0]!;
  tick(last);
  let w = 1;
  let i = 0;
  for (const o of restingOrders(seed, count)) {
    if (i > 0 && i % batch === 0 && w < warmup.length) {
      last = warmup[w++]!;
      tick(last);
    }
    order(o, i, last.price, last.ts);
    i++;
  }
}

export function emulatingEngine(): OrderEngine {
  return new OrderEngine({
    instruments: [BENCH_BTC],
    venues: { [BENCH_BTC.venue]: EMULATING_VENUE },
    portfolio: NO_PORTFOLIO,
  });
}

export interface LoadedEngine {
  readonly engine: OrderEngine;
  /** Venue commands produced while placing, i.e. orders that fired at once; 0 by design. */
  readonly firedWhilePlacing: number;
  readonly placeMs: number;
}

/** A fresh engine holding `count` resting emulated orders drawn from `seed`. */
export function loadedEngine(count: number, seed: number): LoadedEngine {
  const engine = emulatingEngine();
  let fired = 0;
  const t0 = performance.now();
  placementSchedule(
    count,
    seed,
    (t) => engine.onMarket(t),
    (o, i, _price, ts) => {
      const r = engine.place(specOf(o), ts);
      if (!r.ok) throw new Error(`bench order ${i} refused: ${r.error.message}`);
      if ((i & 4095) === 4095) fired += engine.drainCommands().length;
    },
  );
  fired += engine.drainCommands().length;
  return { engine, firedWhilePlacing: fired, placeMs: performance.now() - t0 };
}
