// The fake's symbol table: Binance symbol definitions (exchangeInfo shape, filters as Binance writes
// them) turned into the exact integer form the fake checks orders with, plus the Ordo Instrument
// each symbol trades as in the paper matcher.
//
// Every decimal the fake reads (prices, quantities, filter bounds, multipliers) is held as a bigint
// count of 10^-8 units (DEC_SCALE): Binance spot assets have at most 8 decimals, so this is exact.
// An instrument's price unit is the tick size (or 10^-quotePrecision when the tick is disabled) and
// its quantity unit the LOT_SIZE step (or 10^-baseAssetPrecision); a value that passed the
// PRICE_FILTER / LOT_SIZE checks converts to instrument units without rounding.

import { formatUnits, parseUnits, pow10 } from '../../../core/decimal.ts';
import { defineInstrument, type Instrument } from '../../../model/instrument.ts';

export const DEC_SCALE = 8;
export const DEC_ONE = pow10(DEC_SCALE);
export const VENUE = 'binance';

export const ORDER_TYPES = [
  'LIMIT',
  'LIMIT_MAKER',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
] as const;
export type BinanceOrderType = (typeof ORDER_TYPES)[number];

export const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'] as const;

/** A filter object exactly as exchangeInfo shows it. */
export type BinanceFilterJson = { readonly filterType: string } & Readonly<Record<string, unknown>>;

export interface FakeSymbolInput {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Default 8; at most 8. */
  readonly baseAssetPrecision?: number;
  readonly quoteAssetPrecision?: number;
  /** Default all seven spot order types. */
  readonly orderTypes?: readonly BinanceOrderType[];
  readonly icebergAllowed?: boolean;
  readonly ocoAllowed?: boolean;
  readonly otoAllowed?: boolean;
  readonly quoteOrderQtyMarketAllowed?: boolean;
  readonly allowTrailingStop?: boolean;
  readonly cancelReplaceAllowed?: boolean;
  readonly amendAllowed?: boolean;
  readonly defaultSelfTradePreventionMode?: string;
  readonly allowedSelfTradePreventionModes?: readonly string[];
  readonly filters: readonly BinanceFilterJson[];
}

export interface Range {
  readonly min: bigint;
  readonly max: bigint;
  readonly step: bigint;
}

export type ParsedFilter =
  | ({ readonly type: 'PRICE_FILTER' } & Range)
  | ({ readonly type: 'LOT_SIZE' } & Range)
  | ({ readonly type: 'MARKET_LOT_SIZE' } & Range)
  | { readonly type: 'ICEBERG_PARTS'; readonly limit: number }
  | {
      readonly type: 'PERCENT_PRICE';
      readonly up: bigint;
      readonly down: bigint;
      readonly avgPriceMins: number;
    }
  | {
      readonly type: 'PERCENT_PRICE_BY_SIDE';
      readonly bidUp: bigint;
      readonly bidDown: bigint;
      readonly askUp: bigint;
      readonly askDown: bigint;
      readonly avgPriceMins: number;
    }
  | {
      readonly type: 'MIN_NOTIONAL';
      readonly min: bigint;
      readonly applyToMarket: boolean;
      readonly avgPriceMins: number;
    }
  | {
      readonly type: 'NOTIONAL';
      readonly min: bigint;
      readonly applyMinToMarket: boolean;
      readonly max: bigint;
      readonly applyMaxToMarket: boolean;
      readonly avgPriceMins: number;
    }
  | { readonly type: 'MAX_NUM_ORDERS'; readonly max: number }
  | { readonly type: 'MAX_NUM_ALGO_ORDERS'; readonly max: number }
  | { readonly type: 'MAX_NUM_ICEBERG_ORDERS'; readonly max: number }
  | {
      readonly type: 'TRAILING_DELTA';
      readonly minAbove: number;
      readonly maxAbove: number;
      readonly minBelow: number;
      readonly maxBelow: number;
    }
  | { readonly type: 'MAX_NUM_ORDER_AMENDS'; readonly max: number }
  | { readonly type: 'OTHER'; readonly name: string };

export interface SymbolSpec {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly basePrecision: number;
  readonly quotePrecision: number;
  readonly orderTypes: ReadonlySet<string>;
  readonly icebergAllowed: boolean;
  readonly ocoAllowed: boolean;
  readonly otoAllowed: boolean;
  readonly quoteOrderQtyMarketAllowed: boolean;
  readonly allowTrailingStop: boolean;
  readonly cancelReplaceAllowed: boolean;
  readonly amendAllowed: boolean;
  readonly defaultStp: string;
  readonly allowedStp: readonly string[];
  readonly filters: readonly ParsedFilter[];
  /** The filter objects as given, for exchangeInfo. */
  readonly filterJson: readonly BinanceFilterJson[];
  readonly instrument: Instrument;
  /** DEC units per instrument price unit and per quantity unit. */
  readonly priceDiv: bigint;
  readonly qtyDiv: bigint;
}

// ---- defaults ---------------------------------------------------------------------------------

/** BTCUSDT and ETHUSDT with filters shaped like Binance's own (values rounded). */
export const DEFAULT_SYMBOLS: readonly FakeSymbolInput[] = [
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: '0.01000000',
        maxPrice: '1000000.00000000',
        tickSize: '0.01000000',
      },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
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
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    filters: [
      {
        filterType: 'PRICE_FILTER',
        minPrice: '0.01000000',
        maxPrice: '1000000.00000000',
        tickSize: '0.01000000',
      },
      { filterType: 'LOT_SIZE', minQty: '0.00010000', maxQty: '9000.00000000', stepSize: '0.00010000' },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      {
        filterType: 'MARKET_LOT_SIZE',
        minQty: '0.00000000',
        maxQty: '1000.00000000',
        stepSize: '0.00000000',
      },
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
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
  },
];

// ---- parsing ----------------------------------------------------------------------------------

/** A decimal text (or number) from a filter definition, in DEC units. Throws on bad input. */
export function dec(v: unknown, what: string): bigint {
  const text = typeof v === 'number' ? String(v) : v;
  const units = typeof text === 'string' ? parseUnits(text, DEC_SCALE) : undefined;
  if (units === undefined || units < 0n) throw new Error(`${what}: ${JSON.stringify(v)} is not a decimal`);
  return units;
}

function int(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new Error(`${what}: ${JSON.stringify(v)} is not an integer`);
}

function bool(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new Error(`${what}: ${JSON.stringify(v)} is not a boolean`);
}

export function parseFilter(f: BinanceFilterJson, where: string): ParsedFilter {
  const w = `${where} ${f.filterType}`;
  switch (f.filterType) {
    case 'PRICE_FILTER':
      return {
        type: 'PRICE_FILTER',
        min: dec(f.minPrice, `${w}.minPrice`),
        max: dec(f.maxPrice, `${w}.maxPrice`),
        step: dec(f.tickSize, `${w}.tickSize`),
      };
    case 'LOT_SIZE':
    case 'MARKET_LOT_SIZE':
      return {
        type: f.filterType,
        min: dec(f.minQty, `${w}.minQty`),
        max: dec(f.maxQty, `${w}.maxQty`),
        step: dec(f.stepSize, `${w}.stepSize`),
      };
    case 'ICEBERG_PARTS':
      return { type: 'ICEBERG_PARTS', limit: int(f.limit, `${w}.limit`) };
    case 'PERCENT_PRICE':
      return {
        type: 'PERCENT_PRICE',
        up: dec(f.multiplierUp, `${w}.multiplierUp`),
        down: dec(f.multiplierDown, `${w}.multiplierDown`),
        avgPriceMins: int(f.avgPriceMins, `${w}.avgPriceMins`),
      };
    case 'PERCENT_PRICE_BY_SIDE':
      return {
        type: 'PERCENT_PRICE_BY_SIDE',
        bidUp: dec(f.bidMultiplierUp, `${w}.bidMultiplierUp`),
        bidDown: dec(f.bidMultiplierDown, `${w}.bidMultiplierDown`),
        askUp: dec(f.askMultiplierUp, `${w}.askMultiplierUp`),
        askDown: dec(f.askMultiplierDown, `${w}.askMultiplierDown`),
        avgPriceMins: int(f.avgPriceMins, `${w}.avgPriceMins`),
      };
    case 'MIN_NOTIONAL':
      return {
        type: 'MIN_NOTIONAL',
        min: dec(f.minNotional, `${w}.minNotional`),
        applyToMarket: bool(f.applyToMarket, `${w}.applyToMarket`),
        avgPriceMins: int(f.avgPriceMins, `${w}.avgPriceMins`),
      };
    case 'NOTIONAL':
      return {
        type: 'NOTIONAL',
        min: dec(f.minNotional, `${w}.minNotional`),
        applyMinToMarket: bool(f.applyMinToMarket, `${w}.applyMinToMarket`),
        max: dec(f.maxNotional, `${w}.maxNotional`),
        applyMaxToMarket: bool(f.applyMaxToMarket, `${w}.applyMaxToMarket`),
        avgPriceMins: int(f.avgPriceMins, `${w}.avgPriceMins`),
      };
    case 'MAX_NUM_ORDERS':
      return { type: 'MAX_NUM_ORDERS', max: int(f.maxNumOrders, `${w}.maxNumOrders`) };
    case 'MAX_NUM_ALGO_ORDERS':
      return { type: 'MAX_NUM_ALGO_ORDERS', max: int(f.maxNumAlgoOrders, `${w}.maxNumAlgoOrders`) };
    case 'MAX_NUM_ICEBERG_ORDERS':
      return { type: 'MAX_NUM_ICEBERG_ORDERS', max: int(f.maxNumIcebergOrders, `${w}.maxNumIcebergOrders`) };
    case 'TRAILING_DELTA':
      return {
        type: 'TRAILING_DELTA',
        minAbove: int(f.minTrailingAboveDelta, `${w}.minTrailingAboveDelta`),
        maxAbove: int(f.maxTrailingAboveDelta, `${w}.maxTrailingAboveDelta`),
        minBelow: int(f.minTrailingBelowDelta, `${w}.minTrailingBelowDelta`),
        maxBelow: int(f.maxTrailingBelowDelta, `${w}.maxTrailingBelowDelta`),
      };
    case 'MAX_NUM_ORDER_AMENDS':
      return { type: 'MAX_NUM_ORDER_AMENDS', max: int(f.maxNumOrderAmends, `${w}.maxNumOrderAmends`) };
    default:
      return { type: 'OTHER', name: f.filterType };
  }
}

/** Commission rates as fractions, e.g. `0.001`. */
export interface Commission {
  readonly maker: string;
  readonly taker: string;
}

export function buildSymbol(input: FakeSymbolInput, commission: Commission): SymbolSpec {
  const where = `symbol ${input.symbol}`;
  const basePrecision = input.baseAssetPrecision ?? 8;
  const quotePrecision = input.quoteAssetPrecision ?? 8;
  for (const p of [basePrecision, quotePrecision])
    if (!Number.isSafeInteger(p) || p < 0 || p > DEC_SCALE)
      throw new Error(`${where}: asset precision must be an integer in 0..${DEC_SCALE}`);
  const filters = input.filters.map((f) => parseFilter(f, where));
  const priceFilter = filters.find((f) => f.type === 'PRICE_FILTER');
  const lotSize = filters.find((f) => f.type === 'LOT_SIZE');
  const tick =
    priceFilter !== undefined && priceFilter.step > 0n ? priceFilter.step : pow10(DEC_SCALE - quotePrecision);
  const step = lotSize !== undefined && lotSize.step > 0n ? lotSize.step : pow10(DEC_SCALE - basePrecision);
  const inst = defineInstrument({
    venue: VENUE,
    symbol: `${input.baseAsset}/${input.quoteAsset}`,
    priceIncrement: formatUnits(tick, DEC_SCALE, true),
    qtyIncrement: formatUnits(step, DEC_SCALE, true),
    feeMaker: commission.maker,
    feeTaker: commission.taker,
  });
  if (!inst.ok) throw new Error(`${where}: ${inst.error.message}`);
  const instrument = inst.value;
  return {
    symbol: input.symbol,
    baseAsset: input.baseAsset,
    quoteAsset: input.quoteAsset,
    basePrecision,
    quotePrecision,
    orderTypes: new Set(input.orderTypes ?? ORDER_TYPES),
    icebergAllowed: input.icebergAllowed ?? true,
    ocoAllowed: input.ocoAllowed ?? true,
    otoAllowed: input.otoAllowed ?? true,
    quoteOrderQtyMarketAllowed: input.quoteOrderQtyMarketAllowed ?? true,
    allowTrailingStop: input.allowTrailingStop ?? true,
    cancelReplaceAllowed: input.cancelReplaceAllowed ?? true,
    amendAllowed: input.amendAllowed ?? true,
    defaultStp: input.defaultSelfTradePreventionMode ?? 'NONE',
    allowedStp: input.allowedSelfTradePreventionModes ?? STP_MODES,
    filters,
    filterJson: input.filters,
    instrument,
    priceDiv: pow10(DEC_SCALE - instrument.priceScale),
    qtyDiv: pow10(DEC_SCALE - instrument.qtyScale),
  };
}

/** The symbol object of exchangeInfo. */
export function symbolInfo(s: SymbolSpec): Record<string, unknown> {
  return {
    symbol: s.symbol,
    status: 'TRADING',
    baseAsset: s.baseAsset,
    baseAssetPrecision: s.basePrecision,
    quoteAsset: s.quoteAsset,
    quotePrecision: s.quotePrecision,
    quoteAssetPrecision: s.quotePrecision,
    baseCommissionPrecision: s.basePrecision,
    quoteCommissionPrecision: s.quotePrecision,
    orderTypes: ORDER_TYPES.filter((t) => s.orderTypes.has(t)),
    icebergAllowed: s.icebergAllowed,
    ocoAllowed: s.ocoAllowed,
    otoAllowed: s.otoAllowed,
    quoteOrderQtyMarketAllowed: s.quoteOrderQtyMarketAllowed,
    allowTrailingStop: s.allowTrailingStop,
    cancelReplaceAllowed: s.cancelReplaceAllowed,
    amendAllowed: s.amendAllowed,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: s.filterJson,
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: s.defaultStp,
    allowedSelfTradePreventionModes: s.allowedStp,
  };
}

// ---- unit conversions -------------------------------------------------------------------------

/** DEC units → instrument price units (exact for prices on the instrument's grid). */
export const priceUnits = (s: SymbolSpec, v: bigint): number => Number(v / s.priceDiv);
export const qtyUnits = (s: SymbolSpec, v: bigint): number => Number(v / s.qtyDiv);
export const priceDec = (s: SymbolSpec, units: number): bigint => BigInt(units) * s.priceDiv;
export const qtyDec = (s: SymbolSpec, units: number): bigint => BigInt(units) * s.qtyDiv;

/** Binance's 8-decimal text of a DEC value. */
export const fmt = (v: bigint): string => formatUnits(v, DEC_SCALE);
export const fmtPrice = (s: SymbolSpec, units: number | undefined): string =>
  fmt(units === undefined ? 0n : priceDec(s, units));
export const fmtQty = (s: SymbolSpec, units: number): string => fmt(qtyDec(s, units));
