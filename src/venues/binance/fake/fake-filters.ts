// Binance symbol filters (filters.md), checked in the order the symbol lists them; the first failing
// filter answers -1013 "Filter failure: <FILTER>". All arithmetic is exact on DEC units (10^-8):
// a price times a quantity is compared at DEC² scale, multipliers and average prices as fractions.

import { errors } from './fake-errors.ts';
import { type BinanceOrderType, DEC_ONE, type Range, type SymbolSpec } from './fake-symbols.ts';

export type Side = 'BUY' | 'SELL';

/** One order (or order-list leg) as the filters see it, in DEC units. */
export interface FilterOrder {
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly price: bigint | undefined;
  readonly stopPrice: bigint | undefined;
  readonly quantity: bigint | undefined;
  readonly quoteOrderQty: bigint | undefined;
  readonly icebergQty: bigint | undefined;
  readonly trailingDelta: number | undefined;
}

/** A price as the fraction num/den in DEC units. */
export interface AvgPrice {
  readonly num: bigint;
  readonly den: bigint;
}

export interface FilterContext {
  /** The weighted average trade price over `mins` minutes (0: the last price), if any trade. */
  avgPrice(mins: number): AvgPrice | undefined;
  /** Open orders on the symbol before this request, all and algo (stop/take-profit) only. */
  readonly openOrders: number;
  readonly openAlgoOrders: number;
  readonly openIcebergOrders: number;
  /** Orders this request adds, all / algo / iceberg. */
  readonly addedOrders: number;
  readonly addedAlgoOrders: number;
  readonly addedIcebergOrders: number;
}

export const isAlgo = (t: BinanceOrderType): boolean =>
  t === 'STOP_LOSS' || t === 'STOP_LOSS_LIMIT' || t === 'TAKE_PROFIT' || t === 'TAKE_PROFIT_LIMIT';

/** Order types that execute as market orders (no limit price). */
export const isMarketType = (t: BinanceOrderType): boolean =>
  t === 'MARKET' || t === 'STOP_LOSS' || t === 'TAKE_PROFIT';

/** STOP_LOSS* BUY and TAKE_PROFIT* SELL have their stop above the market. */
export const stopAbove = (t: BinanceOrderType, side: Side): boolean =>
  ((t === 'STOP_LOSS' || t === 'STOP_LOSS_LIMIT') && side === 'BUY') ||
  ((t === 'TAKE_PROFIT' || t === 'TAKE_PROFIT_LIMIT') && side === 'SELL');

function outOfRange(v: bigint, r: Range, zeroFails: boolean): boolean {
  if (zeroFails && v <= 0n) return true;
  if (r.min > 0n && v < r.min) return true;
  if (r.max > 0n && v > r.max) return true;
  return r.step > 0n && v % r.step !== 0n;
}

/** price ≤ avg × mult, compared exactly: price·den·DEC_ONE vs num·mult. */
function cmpAvg(price: bigint, avg: AvgPrice, mult: bigint): number {
  const l = price * avg.den * DEC_ONE;
  const r = avg.num * mult;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The notional at DEC² scale, or undefined when it cannot be known (a market order, no trades). */
function notional(o: FilterOrder, avg: AvgPrice | undefined): { num: bigint; den: bigint } | undefined {
  if (o.quoteOrderQty !== undefined) return { num: o.quoteOrderQty * DEC_ONE, den: 1n };
  if (o.quantity === undefined) return undefined;
  if (!isMarketType(o.type)) return { num: (o.price ?? 0n) * o.quantity, den: 1n };
  if (avg === undefined) return undefined;
  return { num: avg.num * o.quantity, den: avg.den };
}

/** limit at DEC scale vs a DEC² fraction: −1 when the notional is below it. */
function cmpNotional(n: { num: bigint; den: bigint }, limit: bigint): number {
  const l = n.num;
  const r = limit * DEC_ONE * n.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function checkFilters(spec: SymbolSpec, o: FilterOrder, ctx: FilterContext): void {
  const market = isMarketType(o.type);
  for (const f of spec.filters) {
    switch (f.type) {
      case 'PRICE_FILTER': {
        const bad =
          (o.price !== undefined && outOfRange(o.price, f, false)) ||
          (o.stopPrice !== undefined && outOfRange(o.stopPrice, f, false));
        if (bad) throw errors.filter('PRICE_FILTER');
        break;
      }
      case 'LOT_SIZE':
        if (
          (o.quantity !== undefined && outOfRange(o.quantity, f, true)) ||
          (o.icebergQty !== undefined && outOfRange(o.icebergQty, f, true))
        )
          throw errors.filter('LOT_SIZE');
        break;
      case 'MARKET_LOT_SIZE':
        if (o.type === 'MARKET' && o.quantity !== undefined && outOfRange(o.quantity, f, true))
          throw errors.filter('MARKET_LOT_SIZE');
        break;
      case 'ICEBERG_PARTS':
        if (o.icebergQty !== undefined && o.quantity !== undefined && o.icebergQty > 0n) {
          const parts = (o.quantity + o.icebergQty - 1n) / o.icebergQty;
          if (parts > BigInt(f.limit)) throw errors.filter('ICEBERG_PARTS');
        }
        break;
      case 'PERCENT_PRICE':
      case 'PERCENT_PRICE_BY_SIDE': {
        if (market || o.price === undefined) break;
        const avg = ctx.avgPrice(f.avgPriceMins);
        if (avg === undefined) break;
        let up: bigint;
        let down: bigint;
        if (f.type === 'PERCENT_PRICE') {
          up = f.up;
          down = f.down;
        } else {
          up = o.side === 'BUY' ? f.bidUp : f.askUp;
          down = o.side === 'BUY' ? f.bidDown : f.askDown;
        }
        if (cmpAvg(o.price, avg, up) > 0 || cmpAvg(o.price, avg, down) < 0) throw errors.filter(f.type);
        break;
      }
      case 'MIN_NOTIONAL': {
        if (market && !f.applyToMarket) break;
        const n = notional(o, market ? ctx.avgPrice(f.avgPriceMins) : undefined);
        if (n !== undefined && cmpNotional(n, f.min) < 0) throw errors.filter('MIN_NOTIONAL');
        break;
      }
      case 'NOTIONAL': {
        const checkMin = !market || f.applyMinToMarket;
        const checkMax = !market || f.applyMaxToMarket;
        if (!checkMin && !checkMax) break;
        const n = notional(o, market ? ctx.avgPrice(f.avgPriceMins) : undefined);
        if (n === undefined) break;
        if (checkMin && cmpNotional(n, f.min) < 0) throw errors.filter('NOTIONAL');
        if (checkMax && f.max > 0n && cmpNotional(n, f.max) > 0) throw errors.filter('NOTIONAL');
        break;
      }
      case 'MAX_NUM_ORDERS':
        if (ctx.openOrders + ctx.addedOrders > f.max) throw errors.filter('MAX_NUM_ORDERS');
        break;
      case 'MAX_NUM_ALGO_ORDERS':
        if (ctx.addedAlgoOrders > 0 && ctx.openAlgoOrders + ctx.addedAlgoOrders > f.max)
          throw errors.filter('MAX_NUM_ALGO_ORDERS');
        break;
      case 'MAX_NUM_ICEBERG_ORDERS':
        if (ctx.addedIcebergOrders > 0 && ctx.openIcebergOrders + ctx.addedIcebergOrders > f.max)
          throw errors.filter('MAX_NUM_ICEBERG_ORDERS');
        break;
      case 'TRAILING_DELTA': {
        if (o.trailingDelta === undefined) break;
        const above = stopAbove(o.type, o.side);
        const min = above ? f.minAbove : f.minBelow;
        const max = above ? f.maxAbove : f.maxBelow;
        if (o.trailingDelta < min || o.trailingDelta > max) throw errors.filter('TRAILING_DELTA');
        break;
      }
      case 'MAX_NUM_ORDER_AMENDS':
      case 'OTHER':
        break;
    }
  }
}
