// Live public market data from Binance, Coinbase and Alpaca as MarketFeeds, for paper trading on
// real prices (`ordo paper --feed binance|coinbase|alpaca`). Each is built on the venue's own
// stream client and reads the symbols' trading rules first, so the instruments the paper venue
// simulates have the venue's real tick and lot sizes. URLs can be overridden (tests point them at
// the local fake venues; nothing here reaches the internet unless asked to).
//
// Binance and Coinbase public data need no key. Alpaca's market data does (a free paper key is
// enough): it is read from the environment (APCA_API_KEY_ID / APCA_API_SECRET_KEY, or
// ALPACA_KEYS_FILE) and never printed.

import type { Instrument } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import { AlpacaPublicFeed } from '../../venues/alpaca/alpaca-market.ts';
import { ALPACA_URLS } from '../../venues/alpaca/auth.ts';
import { alpacaCredentials } from '../../venues/alpaca/credentials-source.ts';
import { BINANCE_URLS } from '../../venues/binance/binance-adapter.ts';
import { BinancePublicFeed } from '../../venues/binance/binance-market.ts';
import { COINBASE_URLS } from '../../venues/coinbase/coinbase-adapter.ts';
import { MarketDataMapper } from '../../venues/coinbase/coinbase-market.ts';
import { CoinbaseRest } from '../../venues/coinbase/coinbase-rest.ts';
import { CoinbaseStream } from '../../venues/coinbase/coinbase-streams.ts';
import {
  type ProductMap,
  parseProducts,
  productOfSymbol,
  productsSchema,
} from '../../venues/coinbase/products.ts';
import type { MarketFeed } from '../market-feed.ts';

/** A venue feed, opened: its instruments are known before it starts. */
export interface VenueMarketFeed extends MarketFeed {
  readonly instruments: readonly Instrument[];
}

export interface VenueFeedOptions {
  /** Ordo symbols, e.g. `BTC/USDT` (Binance), `BTC/USD` (Coinbase), `AAPL` or `BTC/USD` (Alpaca). */
  readonly symbols: readonly string[];
  /** REST base override (exchangeInfo, products, assets). */
  readonly restUrl?: string;
  /** Market-data stream base override. */
  readonly streamUrl?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Binance's public trade and book-ticker streams (no key). */
export async function openBinanceFeed(o: VenueFeedOptions): Promise<VenueMarketFeed> {
  const feed = await BinancePublicFeed.open({
    urls: { rest: o.restUrl ?? BINANCE_URLS.live.rest, streams: o.streamUrl ?? BINANCE_URLS.live.streams },
    symbols: o.symbols.map((s) => s.replace('/', '').toUpperCase()),
  });
  return publicFeed('binance', feed);
}

/** A venue's public feed client as a MarketFeed that knows whether it is connected. */
function publicFeed(
  name: string,
  feed: {
    instruments(): readonly Instrument[];
    start(onData: (md: MarketData) => void): Promise<void>;
    close(): Promise<void>;
  },
): VenueMarketFeed {
  let up = false;
  return {
    name,
    instruments: feed.instruments(),
    async start(onData: (md: MarketData) => void) {
      await feed.start(onData);
      up = true;
    },
    async stop() {
      up = false;
      await feed.close();
    },
    connected: () => up,
  };
}

/** Coinbase Advanced Trade's public market_trades and ticker channels (no key). */
export async function openCoinbaseFeed(o: VenueFeedOptions): Promise<VenueMarketFeed> {
  const productIds = o.symbols.map((s) => (s.includes('/') ? productOfSymbol(s) : s));
  const rest = new CoinbaseRest({ baseUrl: o.restUrl ?? COINBASE_URLS.live.rest, credentials: undefined });
  const raw = await rest.call(
    { method: 'GET', path: '/market/products', query: [['product_type', 'SPOT']], scope: 'public' },
    productsSchema,
  );
  const parsed = parseProducts(raw, { only: productIds });
  if (!parsed.ok) throw new Error(parsed.error.message);
  const products: ProductMap = parsed.value.products;
  const missing = productIds.filter((id) => products.byProductId(id) === undefined);
  if (missing.length > 0) throw new Error(`coinbase does not list ${missing.join(', ')}`);
  const mapper = new MarketDataMapper(() => products);
  let stream: CoinbaseStream | undefined;
  let up = false;
  return {
    name: 'coinbase',
    instruments: productIds.map((id) => (products.byProductId(id) as { instrument: Instrument }).instrument),
    async start(onData: (md: MarketData) => void) {
      stream = new CoinbaseStream(
        o.streamUrl ?? COINBASE_URLS.live.marketWs,
        [
          { channel: 'market_trades', productIds },
          { channel: 'ticker', productIds },
          { channel: 'heartbeats' },
        ],
        {
          message: (m) => {
            for (const md of mapper.map(m, Date.now())) onData(md);
          },
          state: (s) => {
            up = s === 'reconnected';
          },
        },
        undefined,
        Date.now,
      );
      await stream.open();
      up = true;
    },
    async stop() {
      up = false;
      await stream?.close();
    },
    connected: () => up,
  };
}

/** Alpaca's market-data streams (stocks from IEX, crypto); needs a key from the environment. */
export async function openAlpacaFeed(o: VenueFeedOptions): Promise<VenueMarketFeed> {
  const credentials = alpacaCredentials(o.env as NodeJS.ProcessEnv | undefined);
  if (!credentials.ok)
    throw new Error(
      `Alpaca market data needs a key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY (${credentials.error.message})`,
    );
  const feed = await AlpacaPublicFeed.open({
    urls: {
      rest: o.restUrl ?? ALPACA_URLS.paper.rest,
      dataStream: o.streamUrl ?? ALPACA_URLS.paper.dataStream,
    },
    credentials: credentials.value,
    symbols: o.symbols,
  });
  return publicFeed('alpaca', feed);
}
