// Candles and last prices for the dashboard's chart, folded from the market data the service
// feeds the engine: trades (and bars, for a bar feed) into OHLCV candles at a few fixed
// intervals, and the latest quote. Each series keeps a bounded number of candles, so memory stays
// flat however long the service runs. Units stay integers until a view formats them.

import { formatPrice, formatQty, type Instrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import type { Candle, QuoteView } from './contract.ts';

export const CANDLE_INTERVALS = { '1s': 1_000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 } as const;
export type CandleInterval = keyof typeof CANDLE_INTERVALS;
export const CANDLES_KEPT_MAX = 2000;

interface Bucket {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Series {
  readonly intervalMs: number;
  readonly buckets: Bucket[];
}

interface Book {
  readonly inst: Instrument;
  readonly series: Map<CandleInterval, Series>;
  last: number | undefined;
  bid: number | undefined;
  ask: number | undefined;
  ts: number | undefined;
}

export class CandleBook {
  private readonly books = new Map<string, Book>();

  constructor(instruments: readonly Instrument[]) {
    for (const inst of instruments) {
      const series = new Map<CandleInterval, Series>();
      for (const [name, intervalMs] of Object.entries(CANDLE_INTERVALS))
        series.set(name as CandleInterval, { intervalMs, buckets: [] });
      this.books.set(inst.key, {
        inst,
        series,
        last: undefined,
        bid: undefined,
        ask: undefined,
        ts: undefined,
      });
    }
  }

  /** Folds one item; returns the instrument and the intervals whose current candle changed. */
  apply(md: MarketData): Book | undefined {
    const book = this.books.get(md.instrument);
    if (book === undefined) return undefined;
    book.ts = md.ts;
    if (md.kind === 'quote') {
      book.bid = md.bid;
      book.ask = md.ask;
      return undefined;
    }
    if (md.kind === 'trade') {
      book.last = md.price;
      for (const s of book.series.values()) fold(s, md.ts, md.price, md.price, md.price, md.price, md.size);
      return book;
    }
    book.last = md.close;
    const openTs = md.ts - md.durationMs;
    for (const s of book.series.values()) fold(s, openTs, md.open, md.high, md.low, md.close, md.volume);
    return book;
  }

  candles(instrumentKey: string, interval: CandleInterval, limit: number): Candle[] | undefined {
    const book = this.books.get(instrumentKey);
    const s = book?.series.get(interval);
    if (book === undefined || s === undefined) return undefined;
    return s.buckets.slice(-limit).map((b) => candleView(book.inst, b));
  }

  /** The current (newest) candle of one series. */
  latest(instrumentKey: string, interval: CandleInterval): Candle | undefined {
    const book = this.books.get(instrumentKey);
    const b = book?.series.get(interval)?.buckets.at(-1);
    return book === undefined || b === undefined ? undefined : candleView(book.inst, b);
  }

  quotes(): QuoteView[] {
    return [...this.books.values()].map((b) => ({
      venue: b.inst.venue,
      symbol: b.inst.symbol,
      last: b.last === undefined ? undefined : formatPrice(b.inst, b.last),
      bid: b.bid === undefined ? undefined : formatPrice(b.inst, b.bid),
      ask: b.ask === undefined ? undefined : formatPrice(b.inst, b.ask),
      ts: b.ts,
    }));
  }
}

function fold(
  s: Series,
  ts: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): void {
  const start = Math.floor(ts / s.intervalMs) * s.intervalMs;
  const cur = s.buckets.at(-1);
  if (cur !== undefined && cur.ts === start) {
    if (high > cur.high) cur.high = high;
    if (low < cur.low) cur.low = low;
    cur.close = close;
    cur.volume += volume;
    return;
  }
  // Data older than the current candle (a late item) is folded into the current one.
  if (cur !== undefined && start < cur.ts) {
    cur.close = close;
    cur.volume += volume;
    return;
  }
  s.buckets.push({ ts: start, open, high, low, close, volume });
  if (s.buckets.length > CANDLES_KEPT_MAX) s.buckets.splice(0, s.buckets.length - CANDLES_KEPT_MAX);
}

function candleView(inst: Instrument, b: Bucket): Candle {
  return {
    ts: b.ts,
    open: formatPrice(inst, b.open),
    high: formatPrice(inst, b.high),
    low: formatPrice(inst, b.low),
    close: formatPrice(inst, b.close),
    volume: formatQty(inst, b.volume),
  };
}
