// Market data as the engine sees it: quotes, trades and bars for one instrument, in exact units.
// Every item carries its own timestamp; the engine's notion of "now" is the latest one it saw.

import type { TimestampMs } from '../core/ports.ts';

export type Side = 'buy' | 'sell';

export interface QuoteTick {
  readonly kind: 'quote';
  /** Instrument key `venue:symbol`. */
  readonly instrument: string;
  readonly ts: TimestampMs;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
}

export interface TradeTick {
  readonly kind: 'trade';
  readonly instrument: string;
  readonly ts: TimestampMs;
  readonly price: number;
  readonly size: number;
  /** Side of the aggressor (taker), when the source knows it. */
  readonly aggressor: Side | undefined;
  readonly tradeId: string | undefined;
}

export interface Bar {
  readonly kind: 'bar';
  readonly instrument: string;
  /** Bar close time. */
  readonly ts: TimestampMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly durationMs: number;
}

export type MarketData = QuoteTick | TradeTick | Bar;
