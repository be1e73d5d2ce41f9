// Test support, not used by production code: an exchangeInfo body shaped like Binance's (the
// field set and filter values follow live rows quoted in public client test suites and the
// filters documented in venues.md 2.7), and helpers to get the parsed rules of one symbol.

import { parseExchangeInfo, type SymbolRules } from './exchange-info.ts';

const FLAGS = {
  icebergAllowed: true,
  ocoAllowed: true,
  otoAllowed: true,
  opoAllowed: true,
  quoteOrderQtyMarketAllowed: true,
  allowTrailingStop: true,
  cancelReplaceAllowed: true,
  amendAllowed: true,
  pegInstructionsAllowed: true,
  isSpotTradingAllowed: true,
  isMarginTradingAllowed: true,
  permissions: [],
  permissionSets: [['SPOT', 'MARGIN']],
  defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
  allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
};

const ALL_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];

interface SymbolSpec {
  symbol: string;
  base: string;
  quote: string;
  tick: string;
  minPrice: string;
  maxPrice: string;
  step: string;
  minQty: string;
  maxQty: string;
  marketMaxQty: string;
  minNotional: string;
}

function symbolRow(s: SymbolSpec, extra: Record<string, unknown> = {}) {
  return {
    symbol: s.symbol,
    status: 'TRADING',
    baseAsset: s.base,
    baseAssetPrecision: 8,
    quoteAsset: s.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ALL_TYPES,
    ...FLAGS,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: s.minPrice, maxPrice: s.maxPrice, tickSize: s.tick },
      { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.step },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: s.marketMaxQty, stepSize: '0.00000000' },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: s.minNotional,
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ORDER_LISTS', maxNumOrderLists: 20 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
      { filterType: 'MAX_NUM_ORDER_AMENDS', maxNumOrderAmends: 10 },
    ],
    ...extra,
  };
}

/** An exchangeInfo body with BTCUSDT, LTCUSDT, SOLUSDT, ETHBTC, an unreadable symbol and a halted one. */
export function exchangeInfoFixture(): unknown {
  return {
    timezone: 'UTC',
    serverTime: 1750476472810,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [{ filterType: 'EXCHANGE_MAX_NUM_ORDERS', maxNumOrders: 1000 }],
    symbols: [
      symbolRow({
        symbol: 'BTCUSDT',
        base: 'BTC',
        quote: 'USDT',
        tick: '0.01000000',
        minPrice: '0.01000000',
        maxPrice: '1000000.00000000',
        step: '0.00001000',
        minQty: '0.00001000',
        maxQty: '9000.00000000',
        marketMaxQty: '85.20788284',
        minNotional: '5.00000000',
      }),
      symbolRow({
        symbol: 'LTCUSDT',
        base: 'LTC',
        quote: 'USDT',
        tick: '0.01000000',
        minPrice: '0.01000000',
        maxPrice: '100000.00000000',
        step: '0.00100000',
        minQty: '0.00100000',
        maxQty: '900000.00000000',
        marketMaxQty: '25000.00000000',
        minNotional: '5.00000000',
      }),
      symbolRow({
        symbol: 'SOLUSDT',
        base: 'SOL',
        quote: 'USDT',
        tick: '0.01000000',
        minPrice: '0.01000000',
        maxPrice: '10000.00000000',
        step: '0.00100000',
        minQty: '0.00100000',
        maxQty: '900000.00000000',
        marketMaxQty: '18000.00000000',
        minNotional: '5.00000000',
      }),
      symbolRow(
        {
          symbol: 'ETHBTC',
          base: 'ETH',
          quote: 'BTC',
          tick: '0.00001000',
          minPrice: '0.00001000',
          maxPrice: '922327.00000000',
          step: '0.00010000',
          minQty: '0.00010000',
          maxQty: '100000.00000000',
          marketMaxQty: '985.33449583',
          minNotional: '0.00010000',
        },
        { amendAllowed: false, cancelReplaceAllowed: false, ocoAllowed: false, otoAllowed: false },
      ),
      symbolRow(
        {
          symbol: 'XYZUSDT',
          base: 'XYZ',
          quote: 'USDT',
          tick: '0.01000000',
          minPrice: '0.01000000',
          maxPrice: '1000.00000000',
          step: '0.00100000',
          minQty: '0.00100000',
          maxQty: '1000.00000000',
          marketMaxQty: '1000.00000000',
          minNotional: '5.00000000',
        },
        { status: 'HALT' },
      ),
      // Unreadable: a PRICE_FILTER without tickSize.
      {
        ...symbolRow({
          symbol: 'BADUSDT',
          base: 'BAD',
          quote: 'USDT',
          tick: '0.01',
          minPrice: '0.01',
          maxPrice: '1',
          step: '1',
          minQty: '1',
          maxQty: '1',
          marketMaxQty: '1',
          minNotional: '1',
        }),
        filters: [{ filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1' }],
      },
    ],
  };
}

/** The parsed rules of one fixture symbol (throws when missing: tests only). */
export function fixtureRules(venueSymbol: string): SymbolRules {
  const info = parseExchangeInfo(exchangeInfoFixture());
  if (!info.ok) throw new Error(info.error.message);
  const r = info.value.symbols.byVenueSymbol(venueSymbol);
  if (r === undefined) throw new Error(`no fixture symbol ${venueSymbol}`);
  return r;
}
