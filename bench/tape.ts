// The benchmark tape: a seeded, bounded, mean-reverting random walk of trades on one instrument,
// built before any timing starts so that every engine and peer replays exactly the same array.
// It reuses the synthetic market generator (src/data/synthetic.ts) and keeps only its trades.
// Alongside the ticks it reports the range, the largest drawdown and the largest run-up, which is
// what the resting orders are sized against so that none of them triggers.

import { unwrap } from '../src/core/errors.ts';
import { syntheticMarket } from '../src/data/synthetic.ts';
import { defineInstrument, type Instrument } from '../src/model/instrument.ts';
import type { TradeTick } from '../src/model/market.ts';

/** The one instrument every benchmark trades: cents and 1/10000 of a coin. */
export const BENCH_BTC: Instrument = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);

/** Where the walk starts and the band it stays in, in price units (cents). */
export const BAND = { start: 5_000_000, low: 4_990_000, high: 5_010_000 } as const;

export interface TapeOptions {
  readonly ticks: number;
  readonly seed: number;
  /** Largest move of one step, in ticks. */
  readonly volatilityTicks?: number;
  /** First timestamp; steps are 1 ms apart. */
  readonly startMs?: number;
}

export interface Tape {
  readonly ticks: readonly TradeTick[];
  readonly low: number;
  readonly high: number;
  /** Largest fall from a running high, in price units (what a sell trailing stop must outlast). */
  readonly maxDrawdown: number;
  /** Largest rise from a running low (what a buy trailing stop must outlast). */
  readonly maxRunup: number;
}

export function makeTape(o: TapeOptions): Tape {
  const gen = unwrap(
    syntheticMarket({
      instrument: BENCH_BTC,
      startPrice: BAND.start,
      seed: o.seed,
      startMs: o.startMs ?? 1_700_000_000_000,
      tickIntervalMs: 1,
      volatilityTicks: o.volatilityTicks ?? 20,
      spreadTicks: 1,
      steps: o.ticks,
      band: { low: BAND.low, high: BAND.high, meanReversion: true },
    }),
  );
  const ticks: TradeTick[] = [];
  for (const md of gen) if (md.kind === 'trade') ticks.push(md);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  let maxDrawdown = 0;
  let maxRunup = 0;
  for (const t of ticks) {
    const p = t.price;
    if (p > high) high = p;
    if (p < low) low = p;
    if (high - p > maxDrawdown) maxDrawdown = high - p;
    if (p - low > maxRunup) maxRunup = p - low;
  }
  return { ticks, low, high, maxDrawdown, maxRunup };
}
