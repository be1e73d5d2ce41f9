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

// The intrabar path: how the paper venue and the order emulator walk an OHLC bar when bars are
// the finest data there is. A bar does not say whether its high came before its low, so one path
// is chosen and documented, and every consumer uses this one function so they agree:
//
//   bullish bar (close >= open): open → low → high → close
//   bearish bar (close <  open): open → high → low → close
//
// Why: this is the path with a single reversal whose last leg runs in the direction of the close,
// the shape a bar most often has. It is also the conservative reading for a position held in the
// bar's direction — the usual case for trend entries and for a bracket placed on the previous
// bar — because the adverse extreme is visited first: a long's stop-loss below is tested before
// its take-profit above in an up bar, and a short's stop above before its target below in a down
// bar. (Against the bar's direction the same path tests the target first; no fixed path is
// pessimistic for both sides, which is why engines publish theirs. NautilusTrader, for example,
// documents its own O→H→L→C default and an adaptive option; LEAN's fill models test a bar's
// high and low without a path.) Results that depend on the order within one bar should be
// checked with finer data.
//
// Each of the four points becomes a TradeTick with no aggressor and no trade id. The bar's volume
// is split exactly — parts sum to the volume, in whole lots when a lot is given — and the points
// are spread over the bar's interval (ts − durationMs, ts], the close landing on the bar's ts.
export function barPath(bar: Bar): readonly [number, number, number, number] {
  return bar.close >= bar.open
    ? [bar.open, bar.low, bar.high, bar.close]
    : [bar.open, bar.high, bar.low, bar.close];
}
