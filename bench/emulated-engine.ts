// An OrderEngine whose venue makes every stop and trailing stop emulated, with a portfolio port
// that does nothing and no risk, loaded with the benchmark's resting orders. Orders are placed
// through `engine.place` exactly as a trader's would be; a warm-up walk is fed between batches of
// placements, so trailing stops start at different prices and the trailing books hold many
// watermark groups, as they would after a day of trading.

import type { OrderEngine as Engine, PortfolioPort } from '../src/engine/engine.ts';
import { OrderEngine } from '../src/engine/engine.ts';
import type { Capabilities } from '../src/engine/venue-port.ts';
import { restingOrders, specOf } from './resting-orders.ts';
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

const NO_PORTFOLIO: PortfolioPort = {
  applyFill() {},
  positionQty: () => 0,
  realizedPnlToday: () => 0n,
};

/** Warm-up ticks fed while placing: at most this many, one per batch of placements. */
const WARMUP_TICKS_MAX = 1000;
const START_MS = 1_699_999_000_000;

export interface LoadedEngine {
  readonly engine: Engine;
  /** Commands produced while placing (fires during placement); 0 when the mix is sized right. */
  readonly firedWhilePlacing: number;
  readonly placeMs: number;
}

/** A fresh engine holding `count` resting emulated orders drawn from `seed`. */
export function loadedEngine(count: number, seed: number): LoadedEngine {
  const engine = new OrderEngine({
    instruments: [BENCH_BTC],
    venues: { [BENCH_BTC.venue]: EMULATING_VENUE },
    portfolio: NO_PORTFOLIO,
  });
  const warmup = makeTape({ ticks: WARMUP_TICKS_MAX, seed: seed ^ 0x5eed, startMs: START_MS }).ticks;
  const batch = Math.max(1, Math.ceil(count / WARMUP_TICKS_MAX));
  let ts = START_MS;
  engine.onMarket(warmup[0]!);
  let fired = 0;
  let w = 1;
  const t0 = performance.now();
  let i = 0;
  for (const o of restingOrders(seed, count)) {
    if (i > 0 && i % batch === 0 && w < warmup.length) {
      const tick = warmup[w++]!;
      ts = tick.ts;
      engine.onMarket(tick);
    }
    const r = engine.place(specOf(o), ts);
    if (!r.ok) throw new Error(`bench order ${i} refused: ${r.error.message}`);
    i++;
    if (i % 4096 === 0) fired += engine.drainCommands().length;
  }
  fired += engine.drainCommands().length;
  return { engine, firedWhilePlacing: fired, placeMs: performance.now() - t0 };
}
