// Alpaca market data for paper trading on live prices: `AlpacaPublicFeed` reads the symbols' rules
// from the Trading API's asset list and streams their trades and quotes (stocks from the IEX or SIP
// feed, crypto from the crypto feed) as Ordo MarketData of venue `alpaca`, so Ordo's paper venue
// can trade them (like binance-market.ts BinancePublicFeed). Alpaca's market data needs a key
// (a free paper key is enough for IEX and crypto).

import { z } from 'zod';
import type { MarketData } from '../../model/market.ts';
import { VenueError } from '../venue-adapter.ts';
import { AlpacaRest } from './alpaca-rest.ts';
import { MarketDataStream, type StreamOptions } from './alpaca-streams.ts';
import { type AssetMap, type AssetRules, parseAssets } from './assets.ts';
import type { AlpacaCredentials } from './auth.ts';
import { dataStreamUrl, marketDataOfFrame, type StockFeed, subscribeFrame } from './market-data.ts';
import { assetsRequest } from './requests.ts';

/** Streams of the given assets: one for stocks, one for crypto (each only when needed). */
export class MarketStreams {
  private readonly streams: MarketDataStream[] = [];

  constructor(
    private readonly dataStreamBase: string,
    private readonly credentials: AlpacaCredentials,
    private readonly options: {
      readonly feed?: StockFeed;
      readonly bars?: boolean;
      readonly stream?: StreamOptions;
    } = {},
  ) {}

  /** Opens the streams of `rules` and hands every known symbol's data to `onData`. */
  async open(
    rules: readonly AssetRules[],
    assets: AssetMap,
    onData: (md: MarketData) => void,
  ): Promise<void> {
    await this.close();
    const stocks = rules.filter((r) => r.assetClass === 'us_equity').map((r) => r.venueSymbol);
    const crypto = rules.filter((r) => r.assetClass === 'crypto').map((r) => r.venueSymbol);
    const lookup = (symbol: string) => assets.byVenueSymbol(symbol);
    for (const [kind, symbols] of [
      ['stocks', stocks],
      ['crypto', crypto],
    ] as const) {
      if (symbols.length === 0) continue;
      const stream = new MarketDataStream(
        dataStreamUrl(this.dataStreamBase, kind, this.options.feed),
        this.credentials,
        subscribeFrame(symbols, this.options.bars === true),
        {
          message: (json) => {
            for (const md of marketDataOfFrame(json, lookup)) onData(md);
          },
          state: () => {},
        },
        this.options.stream,
      );
      this.streams.push(stream);
      await stream.open();
    }
  }

  async close(): Promise<void> {
    const all = this.streams.splice(0);
    for (const s of all) await s.close();
  }
}

export interface PublicFeedOptions {
  /** Trading API base (for the asset list) and market-data stream base. */
  readonly urls: { readonly rest: string; readonly dataStream: string };
  readonly credentials: AlpacaCredentials;
  /** Alpaca symbols, e.g. ['AAPL', 'BTC/USD']. */
  readonly symbols: readonly string[];
  /** Stock feed: `iex` (free) or `sip`. Default iex. */
  readonly feed?: StockFeed;
  /** Also stream minute bars. Default false (trades and quotes). */
  readonly bars?: boolean;
  readonly cryptoFeeMaker?: string;
  readonly cryptoFeeTaker?: string;
}

/** Live prices of some Alpaca symbols, for a paper venue that simulates Alpaca. */
export class AlpacaPublicFeed {
  private readonly streams: MarketStreams;

  private constructor(
    readonly rules: readonly AssetRules[],
    private readonly assets: AssetMap,
    options: PublicFeedOptions,
  ) {
    this.streams = new MarketStreams(options.urls.dataStream, options.credentials, {
      feed: options.feed,
      bars: options.bars,
    });
  }

  /** Reads the symbols' rules; `start` then streams their prices. */
  static async open(options: PublicFeedOptions): Promise<AlpacaPublicFeed> {
    const rest = new AlpacaRest({ baseUrl: options.urls.rest, credentials: options.credentials });
    const raw = await rest.call(assetsRequest(), z.unknown());
    const list = parseAssets(raw, {
      symbols: options.symbols,
      cryptoFeeMaker: options.cryptoFeeMaker,
      cryptoFeeTaker: options.cryptoFeeTaker,
    });
    if (!list.ok) throw new VenueError('rejected', list.error.code, list.error.message);
    const rules = options.symbols.map((s) => list.value.assets.byVenueSymbol(s) as AssetRules);
    return new AlpacaPublicFeed(rules, list.value.assets, options);
  }

  /** The symbols as Ordo instruments (venue `alpaca`). */
  instruments() {
    return this.rules.map((r) => r.instrument);
  }

  async start(onData: (md: MarketData) => void): Promise<void> {
    await this.streams.open(this.rules, this.assets, onData);
  }

  async close(): Promise<void> {
    await this.streams.close();
  }
}
