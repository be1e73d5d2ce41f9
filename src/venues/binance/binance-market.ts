// Binance public market data as Ordo MarketData: trades and book tickers from the combined stream
// endpoint. `BinancePublicFeed` needs no API key: it reads the symbols' rules from exchangeInfo and
// streams their prices, so the paper venue can trade on live (or testnet, or sandbox) Binance prices.

import type { MarketData } from '../../model/market.ts';
import { VenueError } from '../venue-adapter.ts';
import { BinanceRest } from './binance-rest.ts';
import { MarketDataStream } from './binance-streams.ts';
import { exchangeInfoSchema, parseExchangeInfo, type SymbolMap, type SymbolRules } from './exchange-info.ts';
import { bookTickerSchema, mapBookTicker, mapTradeEvent, tradeEventSchema } from './parsers.ts';
import { exchangeInfoRequest } from './requests.ts';

/** One combined-stream frame as MarketData, or undefined when it is not a known symbol's trade or ticker. */
export function marketDataOf(
  frame: { readonly stream: string; readonly data: unknown },
  symbols: SymbolMap,
  now: number,
): MarketData | undefined {
  const [sym, kind] = frame.stream.split('@');
  const rules = symbols.byVenueSymbol((sym ?? '').toUpperCase());
  if (rules === undefined) return undefined;
  if (kind === 'trade') {
    const ev = tradeEventSchema.safeParse(frame.data);
    const m = ev.success ? mapTradeEvent(ev.data, rules.instrument) : undefined;
    return m?.ok ? m.value : undefined;
  }
  if (kind === 'bookTicker') {
    const ev = bookTickerSchema.safeParse(frame.data);
    const m = ev.success ? mapBookTicker(ev.data, rules.instrument, now) : undefined;
    return m?.ok ? m.value : undefined;
  }
  return undefined;
}

/** The combined-stream URL of trades and book tickers for these symbols. */
export function marketStreamUrl(base: string, rules: readonly SymbolRules[]): string {
  const streams = rules.flatMap((r) => {
    const s = r.venueSymbol.toLowerCase();
    return [`${s}@trade`, `${s}@bookTicker`];
  });
  return `${base.replace(/\/$/, '')}/stream?streams=${streams.join('/')}`;
}

export interface PublicFeedOptions {
  /** REST base (for exchangeInfo) and market stream base. */
  readonly urls: { readonly rest: string; readonly streams: string };
  /** Binance symbols, e.g. ['BTCUSDT']. */
  readonly symbols: readonly string[];
  /** Fee rates for the instruments (fractions); Binance's 0.1 % by default. */
  readonly feeMaker?: string;
  readonly feeTaker?: string;
  /** Stamps book tickers (they carry no time). Default Date.now. */
  readonly clock?: () => number;
}

/** Live prices of some Binance symbols, without an API key. */
export class BinancePublicFeed {
  private stream: MarketDataStream | undefined;

  private constructor(
    readonly rules: readonly SymbolRules[],
    private readonly symbols: SymbolMap,
    private readonly options: PublicFeedOptions,
  ) {}

  /** Reads the symbols' rules; `start` then streams their prices. */
  static async open(options: PublicFeedOptions): Promise<BinancePublicFeed> {
    const rest = new BinanceRest({
      baseUrl: options.urls.rest,
      credentials: undefined,
      clock: options.clock,
    });
    const raw = await rest.call(exchangeInfoRequest(options.symbols), exchangeInfoSchema);
    const info = parseExchangeInfo(raw, { feeMaker: options.feeMaker, feeTaker: options.feeTaker });
    if (!info.ok) throw new VenueError('rejected', 'bad_exchange_info', info.error.message);
    const rules = options.symbols.map((s) => {
      const r = info.value.symbols.byVenueSymbol(s);
      if (r === undefined) throw new VenueError('rejected', 'unknown_symbol', `binance does not list ${s}`);
      return r;
    });
    return new BinancePublicFeed(rules, info.value.symbols, options);
  }

  /** The symbols as Ordo instruments (venue `binance`), for a paper venue that simulates Binance. */
  instruments() {
    return this.rules.map((r) => r.instrument);
  }

  async start(onData: (md: MarketData) => void): Promise<void> {
    const clock = this.options.clock ?? Date.now;
    this.stream = new MarketDataStream(marketStreamUrl(this.options.urls.streams, this.rules), {
      message: (f) => {
        const md = marketDataOf(f, this.symbols, clock());
        if (md !== undefined) onData(md);
      },
      state: () => {},
    });
    await this.stream.open();
  }

  async close(): Promise<void> {
    await this.stream?.close();
  }
}
