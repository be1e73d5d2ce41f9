// Reads `GET /api/v3/exchangeInfo` into per-symbol trading rules: an Ordo Instrument (tick from
// PRICE_FILTER, lot from LOT_SIZE, minimum quantity and notional), every known symbol filter as
// exact integer units, the order types and order-list/amend flags the symbol allows, and the name
// map between Binance symbols (`BTCUSDT`) and Ordo symbols (`BTC/USDT`).
//
// Filter values are held at a per-symbol scale at least as fine as the instrument's, because some
// filters are finer than the tick or lot (a MARKET_LOT_SIZE maxQty of `585.20788284` on a symbol
// with a 0.001 lot). Prices and quantities use `filters.priceScale` / `filters.qtyScale`, notionals
// MONEY_SCALE, multipliers RATE_SCALE. A zero in PRICE_FILTER or a lot filter disables that check,
// as Binance documents. A symbol whose rules cannot be read is skipped and listed, not fatal.

import { z } from 'zod';
import { decimalPlaces, parseUnits, pow10 } from '../../core/decimal.ts';
import { codedError, err, ok, type Result } from '../../core/errors.ts';
import {
  defineInstrument,
  FEE_PRESETS,
  type Instrument,
  MONEY_SCALE,
  RATE_SCALE,
} from '../../model/instrument.ts';
import { BINANCE_ORDER_TYPES, BINANCE_VENUE, type BinanceOrderType } from './enums.ts';
import { boolLike, decimalString, intLike, zodMessage } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// Schemas

export const priceFilterSchema = z.object({
  filterType: z.literal('PRICE_FILTER'),
  minPrice: decimalString,
  maxPrice: decimalString,
  tickSize: decimalString,
});
export const percentPriceSchema = z.object({
  filterType: z.literal('PERCENT_PRICE'),
  multiplierUp: decimalString,
  multiplierDown: decimalString,
  avgPriceMins: intLike,
});
export const percentPriceBySideSchema = z.object({
  filterType: z.literal('PERCENT_PRICE_BY_SIDE'),
  bidMultiplierUp: decimalString,
  bidMultiplierDown: decimalString,
  askMultiplierUp: decimalString,
  askMultiplierDown: decimalString,
  avgPriceMins: intLike,
});
const lotFields = { minQty: decimalString, maxQty: decimalString, stepSize: decimalString };
export const lotSizeSchema = z.object({ filterType: z.literal('LOT_SIZE'), ...lotFields });
export const marketLotSizeSchema = z.object({ filterType: z.literal('MARKET_LOT_SIZE'), ...lotFields });
export const minNotionalSchema = z.object({
  filterType: z.literal('MIN_NOTIONAL'),
  minNotional: decimalString,
  applyToMarket: boolLike,
  avgPriceMins: intLike,
});
export const notionalSchema = z.object({
  filterType: z.literal('NOTIONAL'),
  minNotional: decimalString,
  applyMinToMarket: boolLike,
  maxNotional: decimalString,
  applyMaxToMarket: boolLike,
  avgPriceMins: intLike,
});
export const icebergPartsSchema = z.object({ filterType: z.literal('ICEBERG_PARTS'), limit: intLike });
export const maxNumOrdersSchema = z.object({
  filterType: z.literal('MAX_NUM_ORDERS'),
  maxNumOrders: intLike,
});
export const maxNumAlgoOrdersSchema = z.object({
  filterType: z.literal('MAX_NUM_ALGO_ORDERS'),
  maxNumAlgoOrders: intLike,
});
export const maxNumIcebergOrdersSchema = z.object({
  filterType: z.literal('MAX_NUM_ICEBERG_ORDERS'),
  maxNumIcebergOrders: intLike,
});
export const maxPositionSchema = z.object({
  filterType: z.literal('MAX_POSITION'),
  maxPosition: decimalString,
});
export const trailingDeltaSchema = z.object({
  filterType: z.literal('TRAILING_DELTA'),
  minTrailingAboveDelta: intLike,
  maxTrailingAboveDelta: intLike,
  minTrailingBelowDelta: intLike,
  maxTrailingBelowDelta: intLike,
});
export const maxNumOrderAmendsSchema = z.object({
  filterType: z.literal('MAX_NUM_ORDER_AMENDS'),
  maxNumOrderAmends: intLike,
});
export const maxNumOrderListsSchema = z.object({
  filterType: z.literal('MAX_NUM_ORDER_LISTS'),
  maxNumOrderLists: intLike,
});

/** Every symbol filter Ordo reads, by `filterType`. */
export const symbolFilterSchema = z.discriminatedUnion('filterType', [
  priceFilterSchema,
  percentPriceSchema,
  percentPriceBySideSchema,
  lotSizeSchema,
  marketLotSizeSchema,
  minNotionalSchema,
  notionalSchema,
  icebergPartsSchema,
  maxNumOrdersSchema,
  maxNumAlgoOrdersSchema,
  maxNumIcebergOrdersSchema,
  maxPositionSchema,
  trailingDeltaSchema,
  maxNumOrderAmendsSchema,
  maxNumOrderListsSchema,
]);
export type SymbolFilterWire = z.infer<typeof symbolFilterSchema>;

const KNOWN_FILTERS: ReadonlySet<string> = new Set(
  symbolFilterSchema.options.map((o) => o.shape.filterType.value as string),
);

/** Any filter as sent, unknown types included. */
export const rawFilterSchema = z.looseObject({ filterType: z.string() });
export type RawFilter = z.infer<typeof rawFilterSchema>;

export const rateLimitRuleSchema = z.object({
  rateLimitType: z.string(),
  interval: z.string(),
  intervalNum: intLike,
  limit: intLike,
});
export type RateLimitRule = z.infer<typeof rateLimitRuleSchema>;

export const exchangeSymbolSchema = z.object({
  symbol: z.string().min(1),
  status: z.string(),
  baseAsset: z.string().min(1),
  baseAssetPrecision: intLike,
  quoteAsset: z.string().min(1),
  quotePrecision: intLike.optional(),
  quoteAssetPrecision: intLike,
  orderTypes: z.array(z.string()),
  icebergAllowed: boolLike.default(false),
  ocoAllowed: boolLike.default(false),
  otoAllowed: boolLike.default(false),
  opoAllowed: boolLike.default(false),
  quoteOrderQtyMarketAllowed: boolLike.default(false),
  allowTrailingStop: boolLike.default(false),
  cancelReplaceAllowed: boolLike.default(false),
  amendAllowed: boolLike.default(false),
  isSpotTradingAllowed: boolLike.default(true),
  filters: z.array(rawFilterSchema),
  defaultSelfTradePreventionMode: z.string().optional(),
  allowedSelfTradePreventionModes: z.array(z.string()).default([]),
});
export type ExchangeSymbolWire = z.infer<typeof exchangeSymbolSchema>;

export const exchangeInfoSchema = z.object({
  timezone: z.string().optional(),
  serverTime: intLike,
  rateLimits: z.array(rateLimitRuleSchema).default([]),
  exchangeFilters: z.array(rawFilterSchema).default([]),
  symbols: z.array(z.unknown()),
});

// ---------------------------------------------------------------------------------------------
// Rules

/** PRICE_FILTER in units of 10^-filters.priceScale; a zero field disables its check. */
export interface PriceFilter {
  readonly minPrice: bigint;
  readonly maxPrice: bigint;
  readonly tickSize: bigint;
}

/** LOT_SIZE / MARKET_LOT_SIZE in units of 10^-filters.qtyScale; a zero field disables its check. */
export interface LotFilter {
  readonly minQty: bigint;
  readonly maxQty: bigint;
  readonly stepSize: bigint;
}

/** MIN_NOTIONAL; minNotional in MONEY_SCALE units of the quote asset. */
export interface MinNotionalFilter {
  readonly minNotional: bigint;
  readonly applyToMarket: boolean;
  readonly avgPriceMins: number;
}

/** NOTIONAL; notionals in MONEY_SCALE units of the quote asset. */
export interface NotionalFilter {
  readonly minNotional: bigint;
  readonly applyMinToMarket: boolean;
  readonly maxNotional: bigint;
  readonly applyMaxToMarket: boolean;
  readonly avgPriceMins: number;
}

/** PERCENT_PRICE; multipliers in RATE_SCALE units (1.2 = 120_000_000n). */
export interface PercentPriceFilter {
  readonly multiplierUp: bigint;
  readonly multiplierDown: bigint;
  readonly avgPriceMins: number;
}

/** PERCENT_PRICE_BY_SIDE; multipliers in RATE_SCALE units. */
export interface PercentPriceBySideFilter {
  readonly bidMultiplierUp: bigint;
  readonly bidMultiplierDown: bigint;
  readonly askMultiplierUp: bigint;
  readonly askMultiplierDown: bigint;
  readonly avgPriceMins: number;
}

/** TRAILING_DELTA, in BIPS. "Above" applies to STOP_LOSS* BUY and TAKE_PROFIT* SELL. */
export interface TrailingDeltaFilter {
  readonly minTrailingAboveDelta: number;
  readonly maxTrailingAboveDelta: number;
  readonly minTrailingBelowDelta: number;
  readonly maxTrailingBelowDelta: number;
}

/** Every filter of a symbol Ordo reads, in exact units; undefined when the symbol has none. */
export interface SymbolFilters {
  /** Scale of PRICE_FILTER values (>= the instrument's priceScale). */
  readonly priceScale: number;
  /** Scale of LOT_SIZE, MARKET_LOT_SIZE and MAX_POSITION values (>= the instrument's qtyScale). */
  readonly qtyScale: number;
  readonly priceFilter: PriceFilter | undefined;
  readonly percentPrice: PercentPriceFilter | undefined;
  readonly percentPriceBySide: PercentPriceBySideFilter | undefined;
  readonly lotSize: LotFilter | undefined;
  readonly marketLotSize: LotFilter | undefined;
  readonly minNotional: MinNotionalFilter | undefined;
  readonly notional: NotionalFilter | undefined;
  readonly icebergParts: number | undefined;
  readonly maxNumOrders: number | undefined;
  readonly maxNumAlgoOrders: number | undefined;
  readonly maxNumIcebergOrders: number | undefined;
  readonly maxPosition: bigint | undefined;
  readonly trailingDelta: TrailingDeltaFilter | undefined;
  readonly maxNumOrderAmends: number | undefined;
  readonly maxNumOrderLists: number | undefined;
  /** Filters of types not listed above, as sent. */
  readonly other: readonly RawFilter[];
}

/** Everything Ordo needs to know about trading one Binance symbol. */
export interface SymbolRules {
  /** Binance's name, `BTCUSDT`. */
  readonly venueSymbol: string;
  /** Ordo's name, `BTC/USDT`. */
  readonly symbol: string;
  readonly instrument: Instrument;
  /** `TRADING`, `HALT`, `BREAK`, `END_OF_DAY`, `CANCEL_ONLY`, ... */
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly baseAssetPrecision: number;
  readonly quoteAssetPrecision: number;
  /** The order types this symbol accepts (unknown names dropped). */
  readonly orderTypes: ReadonlySet<BinanceOrderType>;
  readonly icebergAllowed: boolean;
  readonly ocoAllowed: boolean;
  readonly otoAllowed: boolean;
  readonly opoAllowed: boolean;
  readonly quoteOrderQtyMarketAllowed: boolean;
  readonly allowTrailingStop: boolean;
  readonly cancelReplaceAllowed: boolean;
  readonly amendAllowed: boolean;
  readonly isSpotTradingAllowed: boolean;
  readonly allowedSelfTradePreventionModes: readonly string[];
  readonly filters: SymbolFilters;
}

/** Exchange-wide open-order caps (EXCHANGE_MAX_NUM_*), undefined when not sent. */
export interface ExchangeCaps {
  readonly maxNumOrders: number | undefined;
  readonly maxNumAlgoOrders: number | undefined;
  readonly maxNumIcebergOrders: number | undefined;
  readonly maxNumOrderLists: number | undefined;
}

/** A parsed exchangeInfo: limits, exchange filters and the rules of every readable symbol. */
export interface ExchangeInfo {
  readonly serverTime: number;
  readonly rateLimits: readonly RateLimitRule[];
  readonly exchangeFilters: readonly RawFilter[];
  readonly exchangeCaps: ExchangeCaps;
  readonly symbols: SymbolMap;
  /** Symbols whose rules could not be read, with the reason. */
  readonly skipped: readonly { readonly symbol: string; readonly reason: string }[];
}

/** Fee rates (fractions as decimal strings) given to the instruments; default FEE_PRESETS.binance. */
export interface ExchangeInfoOptions {
  readonly feeMaker?: string;
  readonly feeTaker?: string;
}

/** The two-way name map, and rules by Binance symbol, Ordo symbol or instrument key. */
export class SymbolMap {
  private readonly byVenue = new Map<string, SymbolRules>();
  private readonly byOrdo = new Map<string, SymbolRules>();

  constructor(rules: Iterable<SymbolRules>) {
    for (const r of rules) {
      this.byVenue.set(r.venueSymbol, r);
      this.byOrdo.set(r.symbol, r);
    }
  }

  get size(): number {
    return this.byVenue.size;
  }

  /** `BTCUSDT` → `BTC/USDT`. */
  toOrdo(venueSymbol: string): string | undefined {
    return this.byVenue.get(venueSymbol)?.symbol;
  }

  /** `BTC/USDT` → `BTCUSDT`. */
  toVenue(symbol: string): string | undefined {
    return this.byOrdo.get(symbol)?.venueSymbol;
  }

  byVenueSymbol(venueSymbol: string): SymbolRules | undefined {
    return this.byVenue.get(venueSymbol);
  }

  bySymbol(symbol: string): SymbolRules | undefined {
    return this.byOrdo.get(symbol);
  }

  /** Rules for an instrument key `binance:BTC/USDT`. */
  byInstrumentKey(key: string): SymbolRules | undefined {
    const prefix = `${BINANCE_VENUE}:`;
    return key.startsWith(prefix) ? this.byOrdo.get(key.slice(prefix.length)) : undefined;
  }

  values(): IterableIterator<SymbolRules> {
    return this.byVenue.values();
  }
}

const MAX_SCALE = 18;

/** Parses an exchangeInfo body (already JSON-decoded). Fails only when its envelope is unreadable. */
export function parseExchangeInfo(json: unknown, options: ExchangeInfoOptions = {}): Result<ExchangeInfo> {
  const parsed = exchangeInfoSchema.safeParse(json);
  if (!parsed.success) return err(invalid(`exchangeInfo: ${zodMessage(parsed.error)}`));
  const rules: SymbolRules[] = [];
  const skipped: { symbol: string; reason: string }[] = [];
  for (const [i, raw] of parsed.data.symbols.entries()) {
    const r = parseSymbolRules(raw, options);
    if (r.ok) rules.push(r.value);
    else {
      const name =
        typeof raw === 'object' && raw !== null && typeof (raw as { symbol?: unknown }).symbol === 'string'
          ? (raw as { symbol: string }).symbol
          : `#${i}`;
      skipped.push({ symbol: name, reason: r.error.message });
    }
  }
  const caps = (type: string, field: string): number | undefined => {
    const f = parsed.data.exchangeFilters.find((x) => x.filterType === type);
    const v = f?.[field];
    const n = intLike.safeParse(v);
    return n.success ? n.data : undefined;
  };
  return ok({
    serverTime: parsed.data.serverTime,
    rateLimits: parsed.data.rateLimits,
    exchangeFilters: parsed.data.exchangeFilters,
    exchangeCaps: {
      maxNumOrders: caps('EXCHANGE_MAX_NUM_ORDERS', 'maxNumOrders'),
      maxNumAlgoOrders: caps('EXCHANGE_MAX_NUM_ALGO_ORDERS', 'maxNumAlgoOrders'),
      maxNumIcebergOrders: caps('EXCHANGE_MAX_NUM_ICEBERG_ORDERS', 'maxNumIcebergOrders'),
      maxNumOrderLists: caps('EXCHANGE_MAX_NUM_ORDER_LISTS', 'maxNumOrderLists'),
    },
    symbols: new SymbolMap(rules),
    skipped,
  });
}

/** Parses one entry of `symbols[]` into its rules. */
export function parseSymbolRules(json: unknown, options: ExchangeInfoOptions = {}): Result<SymbolRules> {
  const parsed = exchangeSymbolSchema.safeParse(json);
  if (!parsed.success) return err(invalid(zodMessage(parsed.error)));
  const s = parsed.data;
  const known: SymbolFilterWire[] = [];
  const other: RawFilter[] = [];
  for (const f of s.filters) {
    if (!KNOWN_FILTERS.has(f.filterType)) {
      other.push(f);
      continue;
    }
    const r = symbolFilterSchema.safeParse(f);
    if (!r.success) return err(invalid(`${s.symbol} ${f.filterType}: ${zodMessage(r.error)}`));
    known.push(r.data);
  }
  const find = <T extends SymbolFilterWire['filterType']>(type: T) =>
    known.find((f): f is Extract<SymbolFilterWire, { filterType: T }> => f.filterType === type);
  const pf = find('PRICE_FILTER');
  const lot = find('LOT_SIZE');
  const mlot = find('MARKET_LOT_SIZE');
  const minN = find('MIN_NOTIONAL');
  const notional = find('NOTIONAL');
  const maxPos = find('MAX_POSITION');

  // Instrument increments: the tick and lot, or the asset precision where a filter disables them.
  const tickText = pf !== undefined && !isZero(pf.tickSize) ? pf.tickSize : unitText(s.quoteAssetPrecision);
  const stepText = lot !== undefined && !isZero(lot.stepSize) ? lot.stepSize : unitText(s.baseAssetPrecision);
  const notionalMins = [minN?.minNotional, notional?.minNotional].filter((x): x is string => x !== undefined);
  const notionalMin = notionalMins.reduce<string | undefined>(
    (a, b) => (a === undefined || compareDecimal(b, a) > 0 ? b : a),
    undefined,
  );
  const symbol = `${s.baseAsset}/${s.quoteAsset}`;
  const inst = defineInstrument({
    venue: BINANCE_VENUE,
    symbol,
    kind: 'crypto_spot',
    priceIncrement: tickText,
    qtyIncrement: stepText,
    qtyMin: lot !== undefined && !isZero(lot.minQty) ? lot.minQty : undefined,
    notionalMin,
    feeMaker: options.feeMaker ?? FEE_PRESETS.binance.feeMaker,
    feeTaker: options.feeTaker ?? FEE_PRESETS.binance.feeTaker,
  });
  if (!inst.ok) return err(invalid(`${s.symbol}: ${inst.error.message}`));
  const instrument = inst.value;

  const priceTexts = pf === undefined ? [] : [pf.minPrice, pf.maxPrice, pf.tickSize];
  const qtyTexts = [
    ...(lot === undefined ? [] : [lot.minQty, lot.maxQty, lot.stepSize]),
    ...(mlot === undefined ? [] : [mlot.minQty, mlot.maxQty, mlot.stepSize]),
    ...(maxPos === undefined ? [] : [maxPos.maxPosition]),
  ];
  const priceScale = Math.max(instrument.priceScale, ...priceTexts.map((t) => decimalPlaces(t) ?? 0));
  const qtyScale = Math.max(instrument.qtyScale, ...qtyTexts.map((t) => decimalPlaces(t) ?? 0));
  if (priceScale > MAX_SCALE || qtyScale > MAX_SCALE)
    return err(invalid(`${s.symbol}: filter values have more than ${MAX_SCALE} decimal places`));

  const problems: string[] = [];
  const units = (text: string, scale: number, what: string): bigint => {
    const v = parseUnits(text, scale);
    if (v === undefined || v < 0n) {
      problems.push(
        `${what} ${JSON.stringify(text)} is not a non-negative decimal with at most ${scale} places`,
      );
      return 0n;
    }
    return v;
  };
  const price = (t: string, what: string) => units(t, priceScale, what);
  const qty = (t: string, what: string) => units(t, qtyScale, what);
  const money = (t: string, what: string) => units(t, MONEY_SCALE, what);
  const rate = (t: string, what: string) => units(t, RATE_SCALE, what);
  const lotOf = (f: { minQty: string; maxQty: string; stepSize: string }, name: string): LotFilter => ({
    minQty: qty(f.minQty, `${name}.minQty`),
    maxQty: qty(f.maxQty, `${name}.maxQty`),
    stepSize: qty(f.stepSize, `${name}.stepSize`),
  });
  const pp = find('PERCENT_PRICE');
  const pps = find('PERCENT_PRICE_BY_SIDE');
  const td = find('TRAILING_DELTA');
  const filters: SymbolFilters = {
    priceScale,
    qtyScale,
    priceFilter:
      pf === undefined
        ? undefined
        : {
            minPrice: price(pf.minPrice, 'PRICE_FILTER.minPrice'),
            maxPrice: price(pf.maxPrice, 'PRICE_FILTER.maxPrice'),
            tickSize: price(pf.tickSize, 'PRICE_FILTER.tickSize'),
          },
    percentPrice:
      pp === undefined
        ? undefined
        : {
            multiplierUp: rate(pp.multiplierUp, 'PERCENT_PRICE.multiplierUp'),
            multiplierDown: rate(pp.multiplierDown, 'PERCENT_PRICE.multiplierDown'),
            avgPriceMins: pp.avgPriceMins,
          },
    percentPriceBySide:
      pps === undefined
        ? undefined
        : {
            bidMultiplierUp: rate(pps.bidMultiplierUp, 'PERCENT_PRICE_BY_SIDE.bidMultiplierUp'),
            bidMultiplierDown: rate(pps.bidMultiplierDown, 'PERCENT_PRICE_BY_SIDE.bidMultiplierDown'),
            askMultiplierUp: rate(pps.askMultiplierUp, 'PERCENT_PRICE_BY_SIDE.askMultiplierUp'),
            askMultiplierDown: rate(pps.askMultiplierDown, 'PERCENT_PRICE_BY_SIDE.askMultiplierDown'),
            avgPriceMins: pps.avgPriceMins,
          },
    lotSize: lot === undefined ? undefined : lotOf(lot, 'LOT_SIZE'),
    marketLotSize: mlot === undefined ? undefined : lotOf(mlot, 'MARKET_LOT_SIZE'),
    minNotional:
      minN === undefined
        ? undefined
        : {
            minNotional: money(minN.minNotional, 'MIN_NOTIONAL.minNotional'),
            applyToMarket: minN.applyToMarket,
            avgPriceMins: minN.avgPriceMins,
          },
    notional:
      notional === undefined
        ? undefined
        : {
            minNotional: money(notional.minNotional, 'NOTIONAL.minNotional'),
            applyMinToMarket: notional.applyMinToMarket,
            maxNotional: money(notional.maxNotional, 'NOTIONAL.maxNotional'),
            applyMaxToMarket: notional.applyMaxToMarket,
            avgPriceMins: notional.avgPriceMins,
          },
    icebergParts: find('ICEBERG_PARTS')?.limit,
    maxNumOrders: find('MAX_NUM_ORDERS')?.maxNumOrders,
    maxNumAlgoOrders: find('MAX_NUM_ALGO_ORDERS')?.maxNumAlgoOrders,
    maxNumIcebergOrders: find('MAX_NUM_ICEBERG_ORDERS')?.maxNumIcebergOrders,
    maxPosition: maxPos === undefined ? undefined : qty(maxPos.maxPosition, 'MAX_POSITION.maxPosition'),
    trailingDelta:
      td === undefined
        ? undefined
        : {
            minTrailingAboveDelta: td.minTrailingAboveDelta,
            maxTrailingAboveDelta: td.maxTrailingAboveDelta,
            minTrailingBelowDelta: td.minTrailingBelowDelta,
            maxTrailingBelowDelta: td.maxTrailingBelowDelta,
          },
    maxNumOrderAmends: find('MAX_NUM_ORDER_AMENDS')?.maxNumOrderAmends,
    maxNumOrderLists: find('MAX_NUM_ORDER_LISTS')?.maxNumOrderLists,
    other,
  };
  if (problems.length > 0) return err(invalid(`${s.symbol}: ${problems.join('; ')}`));
  const orderTypes = new Set<BinanceOrderType>(
    s.orderTypes.filter((t): t is BinanceOrderType => (BINANCE_ORDER_TYPES as readonly string[]).includes(t)),
  );
  return ok({
    venueSymbol: s.symbol,
    symbol,
    instrument,
    status: s.status,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    baseAssetPrecision: s.baseAssetPrecision,
    quoteAssetPrecision: s.quoteAssetPrecision,
    orderTypes,
    icebergAllowed: s.icebergAllowed,
    ocoAllowed: s.ocoAllowed,
    otoAllowed: s.otoAllowed,
    opoAllowed: s.opoAllowed,
    quoteOrderQtyMarketAllowed: s.quoteOrderQtyMarketAllowed,
    allowTrailingStop: s.allowTrailingStop,
    cancelReplaceAllowed: s.cancelReplaceAllowed,
    amendAllowed: s.amendAllowed,
    isSpotTradingAllowed: s.isSpotTradingAllowed,
    allowedSelfTradePreventionModes: s.allowedSelfTradePreventionModes,
    filters,
  });
}

/** Converts instrument price units to filter price units. */
export function priceToFilterUnits(rules: SymbolRules, price: number): bigint {
  return BigInt(price) * pow10(rules.filters.priceScale - rules.instrument.priceScale);
}

/** Converts instrument quantity units to filter quantity units. */
export function qtyToFilterUnits(rules: SymbolRules, qty: number): bigint {
  return BigInt(qty) * pow10(rules.filters.qtyScale - rules.instrument.qtyScale);
}

function invalid(message: string) {
  return codedError('invalid_field', message);
}

function isZero(text: string): boolean {
  return /^-?0*(?:\.0*)?$/.test(text);
}

/** `10^-p` as decimal text (`8` → `0.00000001`), capped at 12 places (the instrument maximum). */
function unitText(precision: number): string {
  const p = Math.min(Math.max(precision, 0), 12);
  return p === 0 ? '1' : `0.${'0'.repeat(p - 1)}1`;
}

function compareDecimal(a: string, b: string): number {
  const scale = Math.max(decimalPlaces(a) ?? 0, decimalPlaces(b) ?? 0);
  const x = parseUnits(a, scale) ?? 0n;
  const y = parseUnits(b, scale) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}
