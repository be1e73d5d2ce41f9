// The market feed a running service trades on: anything that delivers market data in real time
// (a venue's public stream, a replayed file, the synthetic market) implements MarketFeed. The
// service stamps nothing itself: a feed hands over items with their own timestamps, in order.
// This file also holds the feed `npm start` uses by default, a seeded synthetic market paced by
// the wall clock, so the service runs offline.

import { unwrap } from '../core/errors.ts';
import { syntheticMarket } from '../data/synthetic.ts';
import type { Instrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';

/** A source of market data in real time. */
export interface MarketFeed {
  /** A short name for logs and metrics, e.g. `synthetic` or `binance`. */
  readonly name: string;
  /** Starts delivering; resolves once the feed is running (connected, for a network feed). */
  start(onData: (md: MarketData) => void): Promise<void>;
  /** Stops delivering; no `onData` call happens after it resolves. */
  stop(): Promise<void>;
  /** Whether data is flowing now (a network feed may be reconnecting); absent means always. */
  connected?(): boolean;
}

export interface SyntheticFeedOptions {
  readonly instruments: readonly Instrument[];
  /** First bid per instrument key, in price units; default 45,000 at the instrument's scale. */
  readonly startPrices?: Readonly<Record<string, number>>;
  readonly seed: number;
  /** Milliseconds between steps; each step is a quote then a trade. */
  readonly tickMs: number;
  readonly volatilityTicks: number;
  readonly spreadTicks: number;
  /** Largest size of a quote or trade, in lots; default two units of the base asset. */
  readonly sizeLotsMax?: number;
  /** The wall clock: the timestamp given to each item. */
  readonly now: () => number;
}

/**
 * A seeded random walk per instrument, one step every `tickMs` of wall time, held inside ±20 % of
 * its start so a service left running for days keeps sensible prices.
 */
export class SyntheticFeed implements MarketFeed {
  readonly name = 'synthetic';
  private timer: NodeJS.Timeout | undefined;
  private lastTs = 0;

  constructor(private readonly options: SyntheticFeedOptions) {}

  async start(onData: (md: MarketData) => void): Promise<void> {
    const o = this.options;
    const walks = o.instruments.map((inst, i) => {
      const start = o.startPrices?.[inst.key] ?? 45_000 * 10 ** inst.priceScale;
      const tick = inst.priceIncrement;
      const onGrid = Math.max(tick, Math.round(start / tick) * tick);
      const band = Math.max(tick * 10, Math.round(onGrid / 5 / tick) * tick);
      // A deep book at the touch, ten units of the base: the walk's random sizes are for trades.
      const depth = 10 * 10 ** inst.qtyScale;
      const gen = unwrap(
        syntheticMarket({
          instrument: inst,
          startPrice: onGrid,
          seed: o.seed + i,
          tickIntervalMs: o.tickMs,
          volatilityTicks: o.volatilityTicks,
          spreadTicks: o.spreadTicks,
          // Up to 2 units of the base per step (20,000 lots of 0.0001 BTC): enough depth that a
          // market order of ordinary size fills at the touch, as on a liquid exchange.
          sizeLotsMax:
            o.sizeLotsMax ?? Math.max(1, Math.round((2 * 10 ** inst.qtyScale) / inst.qtyIncrement)),
          band: { low: Math.max(tick, onGrid - band), high: onGrid + band, meanReversion: true },
        }),
      );
      return { gen, depth };
    });
    const step = (): void => {
      // Never backwards, even if the wall clock is set back: the engine's time only moves on.
      const ts = Math.max(this.lastTs, o.now());
      this.lastTs = ts;
      for (const { gen, depth } of walks) {
        for (let k = 0; k < 2; k++) {
          const next = gen.next();
          if (next.done === true) continue;
          const md = next.value;
          if (md.kind === 'quote')
            onData({ ...md, ts, bidSize: Math.max(md.bidSize, depth), askSize: Math.max(md.askSize, depth) });
          else onData({ ...md, ts });
        }
      }
    };
    this.timer = setInterval(step, o.tickMs);
    step();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  connected(): boolean {
    return this.timer !== undefined;
  }
}
