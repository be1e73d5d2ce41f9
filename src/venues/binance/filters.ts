// Local pre-validation of a Binance order against its symbol's rules, in exact integer arithmetic,
// so that an order Binance would refuse is caught before it costs a request. A refusal names the
// filter and the rule (`LOT_SIZE: quantity 0.00001 is below minQty 0.0001`) and carries the code
// and message Binance would have answered (-1013 `Filter failure: LOT_SIZE`, -2010 `Order would
// trigger immediately.`, ...), from errors.md. Checks needing market state (PERCENT_PRICE*, the
// notional of a MARKET order, the trigger direction, open-order counts) run only when the caller
// supplies that state. Also the rounding helpers: a price to the tick, a quantity down to the lot.
//
// Decisions where Binance's documents are silent (see the report of this module's author):
// STOP_LOSS / TAKE_PROFIT (market on trigger) count as priced by their stopPrice for the notional
// filters and are not subject to `applyToMarket`; MARKET_LOT_SIZE is applied to MARKET orders only;
// a trailing stop with a stopPrice is not checked for "would trigger immediately".

import {
  decimalPlaces,
  divRound,
  formatUnits,
  parseUnits,
  pow10,
  type Rounding,
} from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import { MONEY_SCALE, notionalOf, RATE_ONE } from '../../model/instrument.ts';
import {
  ALGO_ORDER_TYPES,
  type BinanceOrderType,
  type BinanceSide,
  type BinanceTimeInForce,
  PRICED_ORDER_TYPES,
  TIF_ORDER_TYPES,
} from './enums.ts';
import { type LotFilter, priceToFilterUnits, qtyToFilterUnits, type SymbolRules } from './exchange-info.ts';

/** An order as Binance sees it. Prices and quantities in the instrument's units. */
export interface WireOrder {
  readonly side: BinanceSide;
  readonly type: BinanceOrderType;
  /** Base quantity; undefined only for a MARKET order by quoteOrderQty. */
  readonly quantity: number | undefined;
  /** MARKET only: quote amount to spend (buy) or receive (sell), MONEY_SCALE units. */
  readonly quoteOrderQty: bigint | undefined;
  readonly price: number | undefined;
  readonly stopPrice: number | undefined;
  /** BIPS (100 = 1 %). */
  readonly trailingDelta: number | undefined;
  readonly icebergQty: number | undefined;
  readonly timeInForce: BinanceTimeInForce | undefined;
}

/** Market state some checks need; a check whose input is absent is skipped. */
export interface MarketContext {
  /**
   * Weighted average price over the filters' `avgPriceMins` (`GET /api/v3/avgPrice`), in price
   * units: the reference of PERCENT_PRICE(_BY_SIDE) and of the notional of MARKET orders.
   */
  readonly avgPrice?: number;
  /** Last trade price: the reference where avgPriceMins is 0 and for trigger direction. */
  readonly lastPrice?: number;
  /** Open orders on the symbol before this request (all types, algo included). */
  readonly openOrders?: number;
  /** Open STOP_LOSS* / TAKE_PROFIT* orders on the symbol. */
  readonly openAlgoOrders?: number;
  /** Open iceberg orders on the symbol. */
  readonly openIcebergOrders?: number;
}

/** Why Binance would refuse the order, and what it would answer. */
export interface FilterRejection {
  /** `LOT_SIZE`, `PRICE_FILTER`, ... or `SYMBOL_STATUS`, `ORDER_TYPE`, `PARAMETERS`, `TRIGGER`. */
  readonly filter: string;
  /** The broken rule: `min`, `max`, `step`, `tick`, `band_up`, `required`, ... */
  readonly rule: string;
  /** `FILTER: what is wrong`, with the values. */
  readonly message: string;
  /** The error code Binance would return. */
  readonly code: number;
  /** The error message Binance would return. */
  readonly msg: string;
}

/** The rejection as an OrdoError (`venue_rejected`, the rejection in `detail`). */
export function rejectionError(r: FilterRejection): OrdoError {
  return codedError('venue_rejected', r.message, r);
}

const FILTER_FAILURE = -1013;
const NEW_ORDER_REJECTED = -2010;

function filterFail(filter: string, rule: string, what: string): Result<never, FilterRejection> {
  return err({
    filter,
    rule,
    message: `${filter}: ${what}`,
    code: FILTER_FAILURE,
    msg: `Filter failure: ${filter}`,
  });
}

function rejected(filter: string, rule: string, what: string, code: number, msg: string) {
  return err({ filter, rule, message: `${filter}: ${what}`, code, msg });
}

const TYPE_NOT_SUPPORTED: Partial<Record<BinanceOrderType, string>> = {
  MARKET: 'Market orders are not supported for this symbol.',
  STOP_LOSS: 'Stop loss orders are not supported for this symbol.',
  STOP_LOSS_LIMIT: 'Stop loss limit orders are not supported for this symbol.',
  TAKE_PROFIT: 'Take profit orders are not supported for this symbol.',
  TAKE_PROFIT_LIMIT: 'Take profit limit orders are not supported for this symbol.',
};

type Check = Result<true, FilterRejection>;
const PASS: Check = ok(true);

/**
 * Checks one new order against every filter of its symbol that its fields and `ctx` allow. The
 * first failure is returned, in a fixed order: symbol status, order type and parameters, symbol
 * flags, PRICE_FILTER, PERCENT_PRICE(_BY_SIDE), LOT_SIZE, MARKET_LOT_SIZE, ICEBERG_PARTS,
 * MIN_NOTIONAL, NOTIONAL, TRAILING_DELTA, MAX_NUM_* and trigger direction.
 */
export function checkOrder(rules: SymbolRules, o: WireOrder, ctx: MarketContext = {}): Check {
  const steps: (() => Check)[] = [
    () => checkStatus(rules),
    () => checkShape(rules, o),
    () => checkFlags(rules, o),
    () => checkPriceFilter(rules, o),
    () => checkPercentPrice(rules, o, ctx),
    () => checkLots(rules, o),
    () => checkNotional(rules, o, ctx),
    () => checkTrailingDelta(rules, o),
    () => checkOrderCounts(rules, [o], ctx),
    () => checkTriggerDirection(o, ctx),
  ];
  for (const step of steps) {
    const r = step();
    if (!r.ok) return r;
  }
  return PASS;
}

/** Symbol status: only `TRADING` accepts new orders. */
export function checkStatus(rules: SymbolRules): Check {
  if (rules.status === 'TRADING') return PASS;
  return rejected(
    'SYMBOL_STATUS',
    'trading',
    `${rules.venueSymbol} is ${rules.status}, not TRADING`,
    NEW_ORDER_REJECTED,
    'Market is closed.',
  );
}

/** The order type is enabled on the symbol and the type's mandatory parameters are present. */
export function checkShape(rules: SymbolRules, o: WireOrder): Check {
  if (!rules.orderTypes.has(o.type))
    return rejected(
      'ORDER_TYPE',
      'enabled',
      `${o.type} is not enabled on ${rules.venueSymbol}`,
      NEW_ORDER_REJECTED,
      TYPE_NOT_SUPPORTED[o.type] ?? 'Unsupported order combination',
    );
  const missing = (name: string) =>
    rejected(
      'PARAMETERS',
      'required',
      `${o.type} needs ${name}`,
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    );
  const extra = (name: string) =>
    rejected(
      'PARAMETERS',
      'not_required',
      `${o.type} takes no ${name}`,
      -1106,
      `Parameter '${name}' sent when not required.`,
    );
  if (o.quoteOrderQty !== undefined) {
    if (o.type !== 'MARKET') return extra('quoteOrderQty');
    if (o.quantity !== undefined)
      return rejected(
        'PARAMETERS',
        'exclusive',
        'quantity and quoteOrderQty are exclusive',
        -1102,
        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
      );
    if (o.quoteOrderQty <= 0n) return missing('quoteOrderQty');
  } else if (o.quantity === undefined || o.quantity <= 0) return missing('quantity');
  const priced = PRICED_ORDER_TYPES.has(o.type);
  if (priced && (o.price === undefined || o.price <= 0)) return missing('price');
  if (!priced && o.price !== undefined) return extra('price');
  if (ALGO_ORDER_TYPES.has(o.type)) {
    if (o.stopPrice === undefined && o.trailingDelta === undefined) return missing('stopPrice');
  } else {
    if (o.stopPrice !== undefined) return extra('stopPrice');
    if (o.trailingDelta !== undefined) return extra('trailingDelta');
  }
  if (TIF_ORDER_TYPES.has(o.type) && o.timeInForce === undefined) return missing('timeInForce');
  if (!TIF_ORDER_TYPES.has(o.type) && o.timeInForce !== undefined && o.type !== 'MARKET')
    return rejected(
      'PARAMETERS',
      'tif',
      `${o.type} takes no timeInForce`,
      -1114,
      'TimeInForce parameter sent when not required.',
    );
  if (o.icebergQty !== undefined && o.timeInForce !== undefined && o.timeInForce !== 'GTC')
    return rejected(
      'PARAMETERS',
      'iceberg_gtc',
      'icebergQty needs timeInForce GTC',
      -2010,
      'Unsupported order combination',
    );
  return PASS;
}

/** Symbol flags: quote-quantity MARKET, trailing stops and icebergs must be enabled. */
export function checkFlags(rules: SymbolRules, o: WireOrder): Check {
  if (o.quoteOrderQty !== undefined && !rules.quoteOrderQtyMarketAllowed)
    return rejected(
      'SYMBOL_FLAGS',
      'quoteOrderQtyMarketAllowed',
      `quoteOrderQty MARKET orders are not enabled on ${rules.venueSymbol}`,
      NEW_ORDER_REJECTED,
      'Quote order qty market orders are not support for this symbol.',
    );
  if (o.trailingDelta !== undefined && !rules.allowTrailingStop)
    return rejected(
      'SYMBOL_FLAGS',
      'allowTrailingStop',
      `trailing stops are not enabled on ${rules.venueSymbol}`,
      NEW_ORDER_REJECTED,
      'Trailing stop orders are not supported for this symbol.',
    );
  if (o.icebergQty !== undefined && !rules.icebergAllowed)
    return rejected(
      'SYMBOL_FLAGS',
      'icebergAllowed',
      `iceberg orders are not enabled on ${rules.venueSymbol}`,
      NEW_ORDER_REJECTED,
      'Iceberg orders are not supported for this symbol.',
    );
  return PASS;
}

/** PRICE_FILTER on `price` and `stopPrice`: min, max, tick (each disabled when 0). */
export function checkPriceFilter(rules: SymbolRules, o: WireOrder): Check {
  const pf = rules.filters.priceFilter;
  if (pf === undefined) return PASS;
  const scale = rules.filters.priceScale;
  for (const [name, value] of [
    ['price', o.price],
    ['stopPrice', o.stopPrice],
  ] as const) {
    if (value === undefined) continue;
    const v = priceToFilterUnits(rules, value);
    const t = (u: bigint) => fmt(u, scale);
    if (pf.minPrice > 0n && v < pf.minPrice)
      return filterFail('PRICE_FILTER', 'min', `${name} ${t(v)} is below minPrice ${t(pf.minPrice)}`);
    if (pf.maxPrice > 0n && v > pf.maxPrice)
      return filterFail('PRICE_FILTER', 'max', `${name} ${t(v)} is above maxPrice ${t(pf.maxPrice)}`);
    if (pf.tickSize > 0n && v % pf.tickSize !== 0n)
      return filterFail(
        'PRICE_FILTER',
        'tick',
        `${name} ${t(v)} is not a multiple of tickSize ${t(pf.tickSize)}`,
      );
  }
  return PASS;
}

/**
 * PERCENT_PRICE and PERCENT_PRICE_BY_SIDE on the limit `price`, against the average price (or the
 * last price where avgPriceMins is 0). Skipped without a reference price.
 */
export function checkPercentPrice(rules: SymbolRules, o: WireOrder, ctx: MarketContext): Check {
  if (o.price === undefined) return PASS;
  const ps = rules.instrument.priceScale;
  const band = (filter: string, up: bigint, down: bigint, mins: number, label: string): Check => {
    const ref = mins === 0 ? ctx.lastPrice : ctx.avgPrice;
    if (ref === undefined) return PASS;
    const p = BigInt(o.price!) * BigInt(RATE_ONE);
    const r = BigInt(ref);
    const shown = `${fmt(BigInt(o.price!), ps)}`;
    const refText = `${mins === 0 ? 'last' : 'average'} price ${fmt(r, ps)}`;
    if (p > r * up)
      return filterFail(filter, 'band_up', `price ${shown} is above ${refText} × ${label}Up ${fmtRate(up)}`);
    if (p < r * down)
      return filterFail(
        filter,
        'band_down',
        `price ${shown} is below ${refText} × ${label}Down ${fmtRate(down)}`,
      );
    return PASS;
  };
  const pp = rules.filters.percentPrice;
  if (pp !== undefined) {
    const r = band('PERCENT_PRICE', pp.multiplierUp, pp.multiplierDown, pp.avgPriceMins, 'multiplier');
    if (!r.ok) return r;
  }
  const pps = rules.filters.percentPriceBySide;
  if (pps !== undefined) {
    const r =
      o.side === 'BUY'
        ? band(
            'PERCENT_PRICE_BY_SIDE',
            pps.bidMultiplierUp,
            pps.bidMultiplierDown,
            pps.avgPriceMins,
            'bidMultiplier',
          )
        : band(
            'PERCENT_PRICE_BY_SIDE',
            pps.askMultiplierUp,
            pps.askMultiplierDown,
            pps.avgPriceMins,
            'askMultiplier',
          );
    if (!r.ok) return r;
  }
  return PASS;
}

/** LOT_SIZE on quantity and icebergQty, MARKET_LOT_SIZE on MARKET quantity, ICEBERG_PARTS. */
export function checkLots(rules: SymbolRules, o: WireOrder): Check {
  const f = rules.filters;
  const lot = (filter: string, l: LotFilter | undefined, name: string, qty: number | undefined): Check => {
    if (l === undefined || qty === undefined) return PASS;
    const v = qtyToFilterUnits(rules, qty);
    const t = (u: bigint) => fmt(u, f.qtyScale);
    if (l.minQty > 0n && v < l.minQty)
      return filterFail(filter, 'min', `${name} ${t(v)} is below minQty ${t(l.minQty)}`);
    if (l.maxQty > 0n && v > l.maxQty)
      return filterFail(filter, 'max', `${name} ${t(v)} is above maxQty ${t(l.maxQty)}`);
    if (l.stepSize > 0n && v % l.stepSize !== 0n)
      return filterFail(filter, 'step', `${name} ${t(v)} is not a multiple of stepSize ${t(l.stepSize)}`);
    return PASS;
  };
  for (const r of [
    lot('LOT_SIZE', f.lotSize, 'quantity', o.quantity),
    lot('LOT_SIZE', f.lotSize, 'icebergQty', o.icebergQty),
    o.type === 'MARKET' ? lot('MARKET_LOT_SIZE', f.marketLotSize, 'quantity', o.quantity) : PASS,
  ])
    if (!r.ok) return r;
  if (o.icebergQty !== undefined && o.quantity !== undefined) {
    if (o.icebergQty >= o.quantity)
      return rejected(
        'ICEBERG_PARTS',
        'below_quantity',
        'icebergQty must be less than quantity',
        NEW_ORDER_REJECTED,
        'IcebergQty exceeds QTY.',
      );
    if (f.icebergParts !== undefined) {
      const parts = Math.ceil(o.quantity / o.icebergQty);
      if (parts > f.icebergParts)
        return filterFail('ICEBERG_PARTS', 'limit', `${parts} parts exceed the limit of ${f.icebergParts}`);
    }
  }
  return PASS;
}

/** The price a notional check multiplies by, and whether the order counts as a MARKET order. */
function notionalBasis(
  o: WireOrder,
  ref: number | undefined,
): { price: number | undefined; market: boolean } {
  if (o.type === 'MARKET') return { price: ref, market: true };
  if (o.price !== undefined) return { price: o.price, market: false };
  return { price: o.stopPrice, market: false };
}

/**
 * MIN_NOTIONAL and NOTIONAL: price × quantity within [min, max]. Limit types use their price,
 * STOP_LOSS/TAKE_PROFIT their stopPrice, MARKET the average price (when the filter applies to
 * MARKET orders and a reference is given) or its quoteOrderQty as the notional.
 */
export function checkNotional(rules: SymbolRules, o: WireOrder, ctx: MarketContext): Check {
  const inst = rules.instrument;
  const notional = (mins: number): bigint | undefined => {
    if (o.quoteOrderQty !== undefined) return o.quoteOrderQty;
    const ref = mins === 0 ? ctx.lastPrice : ctx.avgPrice;
    const basis = notionalBasis(o, ref);
    if (basis.price === undefined || o.quantity === undefined) return undefined;
    return notionalOf(inst, basis.price, o.quantity);
  };
  const isMarket = o.type === 'MARKET';
  const t = (u: bigint) => fmt(u, MONEY_SCALE);
  const mn = rules.filters.minNotional;
  if (mn !== undefined && (!isMarket || mn.applyToMarket)) {
    const n = notional(mn.avgPriceMins);
    if (n !== undefined && n < mn.minNotional)
      return filterFail('MIN_NOTIONAL', 'min', `notional ${t(n)} is below minNotional ${t(mn.minNotional)}`);
  }
  const nf = rules.filters.notional;
  if (nf !== undefined) {
    const n = notional(nf.avgPriceMins);
    if (n !== undefined) {
      if ((!isMarket || nf.applyMinToMarket) && n < nf.minNotional)
        return filterFail('NOTIONAL', 'min', `notional ${t(n)} is below minNotional ${t(nf.minNotional)}`);
      if ((!isMarket || nf.applyMaxToMarket) && nf.maxNotional > 0n && n > nf.maxNotional)
        return filterFail('NOTIONAL', 'max', `notional ${t(n)} is above maxNotional ${t(nf.maxNotional)}`);
    }
  }
  return PASS;
}

/** Whether a trailing delta is checked against the "above" bounds (STOP_LOSS* BUY, TAKE_PROFIT* SELL). */
export function isAboveTrailing(side: BinanceSide, type: BinanceOrderType): boolean {
  const stop = type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT';
  return stop === (side === 'BUY');
}

/** TRAILING_DELTA: the delta within the above/below bounds for the order's type and side. */
export function checkTrailingDelta(rules: SymbolRules, o: WireOrder): Check {
  if (o.trailingDelta === undefined) return PASS;
  if (!Number.isSafeInteger(o.trailingDelta) || o.trailingDelta <= 0)
    return filterFail(
      'TRAILING_DELTA',
      'integer',
      `trailingDelta ${o.trailingDelta} is not a positive integer`,
    );
  const td = rules.filters.trailingDelta;
  if (td === undefined) return PASS;
  const above = isAboveTrailing(o.side, o.type);
  const [min, max, label] = above
    ? [td.minTrailingAboveDelta, td.maxTrailingAboveDelta, 'TrailingAboveDelta']
    : [td.minTrailingBelowDelta, td.maxTrailingBelowDelta, 'TrailingBelowDelta'];
  if (o.trailingDelta < min)
    return filterFail(
      'TRAILING_DELTA',
      'min',
      `trailingDelta ${o.trailingDelta} is below min${label} ${min}`,
    );
  if (o.trailingDelta > max)
    return filterFail(
      'TRAILING_DELTA',
      'max',
      `trailingDelta ${o.trailingDelta} is above max${label} ${max}`,
    );
  return PASS;
}

/**
 * MAX_NUM_ORDERS, MAX_NUM_ALGO_ORDERS and MAX_NUM_ICEBERG_ORDERS for adding `orders` (one order,
 * or every leg of an order list) to the symbol. Each count is skipped when `ctx` lacks it.
 */
export function checkOrderCounts(
  rules: SymbolRules,
  orders: readonly WireOrder[],
  ctx: MarketContext,
): Check {
  const f = rules.filters;
  const algo = orders.filter((o) => ALGO_ORDER_TYPES.has(o.type)).length;
  const iceberg = orders.filter((o) => o.icebergQty !== undefined).length;
  const over = (filter: string, open: number | undefined, adding: number, max: number | undefined): Check => {
    if (open === undefined || max === undefined || adding === 0 || open + adding <= max) return PASS;
    return filterFail(filter, 'max', `${open} open + ${adding} new exceeds the limit of ${max}`);
  };
  for (const r of [
    over('MAX_NUM_ORDERS', ctx.openOrders, orders.length, f.maxNumOrders),
    over('MAX_NUM_ALGO_ORDERS', ctx.openAlgoOrders, algo, f.maxNumAlgoOrders),
    over('MAX_NUM_ICEBERG_ORDERS', ctx.openIcebergOrders, iceberg, f.maxNumIcebergOrders),
  ])
    if (!r.ok) return r;
  return PASS;
}

/**
 * A stop must not be already reached: STOP_LOSS* BUY and TAKE_PROFIT* SELL need stopPrice above
 * the last price, STOP_LOSS* SELL and TAKE_PROFIT* BUY below it. Trailing orders are not checked.
 */
export function checkTriggerDirection(o: WireOrder, ctx: MarketContext): Check {
  if (o.stopPrice === undefined || o.trailingDelta !== undefined || ctx.lastPrice === undefined) return PASS;
  if (!ALGO_ORDER_TYPES.has(o.type)) return PASS;
  const mustBeAbove = isAboveTrailing(o.side, o.type);
  const ok = mustBeAbove ? o.stopPrice > ctx.lastPrice : o.stopPrice < ctx.lastPrice;
  if (ok) return PASS;
  return rejected(
    'TRIGGER',
    mustBeAbove ? 'above_last' : 'below_last',
    `${o.type} ${o.side} stopPrice must be ${mustBeAbove ? 'above' : 'below'} the last price`,
    NEW_ORDER_REJECTED,
    'Order would trigger immediately.',
  );
}

// ---------------------------------------------------------------------------------------------
// Rounding

/** A decimal given as text, or as integer units at an explicit scale. */
export type DecimalValue = string | { readonly units: bigint; readonly scale: number };

/** The value exactly, at a scale of at least `minScale` (never rounded). */
function exactly(v: DecimalValue, minScale: number): { units: bigint; scale: number } | undefined {
  if (typeof v !== 'string') {
    return v.scale >= minScale ? v : { units: v.units * pow10(minScale - v.scale), scale: minScale };
  }
  const places = decimalPlaces(v);
  if (places === undefined || places > 36) return undefined;
  const scale = Math.max(places, minScale);
  const units = parseUnits(v, scale);
  return units === undefined ? undefined : { units, scale };
}

/** The rounding that keeps a limit order passive: down for a buy, up for a sell. */
export function passiveRounding(side: BinanceSide): Rounding {
  return side === 'BUY' ? 'floor' : 'ceil';
}

/**
 * Rounds a price to the symbol's tick in one step (`mode` default half-even), in the instrument's
 * price units. Undefined when the text is not a decimal or the result is not a safe integer.
 */
export function roundPriceToTick(
  rules: SymbolRules,
  value: DecimalValue,
  mode: Rounding = 'half_even',
): number | undefined {
  const inst = rules.instrument;
  const v = exactly(value, inst.priceScale);
  if (v === undefined) return undefined;
  const tick = BigInt(inst.priceIncrement) * pow10(v.scale - inst.priceScale);
  return safeNumber(divRound(v.units, tick, mode) * BigInt(inst.priceIncrement));
}

/**
 * Rounds a quantity down to the lot, in the instrument's quantity units. With `market`, the
 * MARKET_LOT_SIZE step (when set) is honoured too. Undefined for a non-decimal or an unsafe result.
 */
export function roundQtyDown(rules: SymbolRules, value: DecimalValue, market = false): number | undefined {
  const inst = rules.instrument;
  const fs = rules.filters.qtyScale;
  const v = exactly(value, fs);
  if (v === undefined) return undefined;
  let step = qtyToFilterUnits(rules, inst.qtyIncrement);
  const ms = rules.filters.marketLotSize?.stepSize ?? 0n;
  if (market && ms > 0n) step = lcm(step, ms);
  // step is in filter units (scale fs <= v.scale); count whole steps, then express in qty units.
  const steps = divRound(v.units, step * pow10(v.scale - fs), 'floor');
  return safeNumber((steps * step) / pow10(fs - inst.qtyScale));
}

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

function safeNumber(v: bigint): number | undefined {
  return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

function fmt(units: bigint, scale: number): string {
  return formatUnits(units, scale, true);
}

function fmtRate(units: bigint): string {
  return formatUnits(units, 8, true);
}
