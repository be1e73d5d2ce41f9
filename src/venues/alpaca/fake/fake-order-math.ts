// Exact arithmetic of the fake's orders: what an order costs or delivers in money units, when a
// stop is met, and where a trailing stop sits. Prices and quantities are instrument units, money
// is bigint units of 10^-18; nothing is rounded except where a rule says so (named per function).

import { divRound, pow10 } from '../../../core/decimal.ts';
import { MONEY_SCALE, notionalOf, RATE_ONE } from '../../../model/instrument.ts';
import type { TimeInForce } from '../../../model/order.ts';
import type { AssetSpec } from './fake-assets.ts';
import { type FakeOrder, PERCENT_SCALE, type Trail } from './fake-order.ts';

const RATE_ONE_BIG = BigInt(RATE_ONE);
/** Equity stops at or above $1 sit on whole cents (the sub-penny rule). */
const CENT_UNITS_AT_SCALE_4 = 100;

/** The paper matcher's time in force: opg and cls work as DAY orders. */
export function matcherTif(o: FakeOrder): TimeInForce {
  switch (o.tif) {
    case 'gtc':
    case 'ioc':
    case 'fok':
      return o.tif;
    default:
      return 'day';
  }
}

/** A quantity (instrument units) as money units of the base asset. */
export function qtyMoney(a: AssetSpec, qty: number): bigint {
  return BigInt(qty) * pow10(MONEY_SCALE - a.instrument.qtyScale);
}

/** The larger of the maker and taker rates (RATE_SCALE units): what a limit buy locks its fee at. */
export function maxRate(a: AssetSpec): bigint {
  return BigInt(Math.max(a.instrument.feeMaker, a.instrument.feeTaker));
}

/** Notional plus the fee at `rate`, the fee rounded up: what the matcher locks for a buy. */
export function buyCost(a: AssetSpec, price: number, qty: number, rate: bigint): bigint {
  const n = notionalOf(a.instrument, price, qty);
  return n + divRound(n * rate, RATE_ONE_BIG, 'ceil');
}

/** Whether a trade at `price` meets the stop: a buy at or above it, a sell at or below it. */
export function stopMet(o: FakeOrder, price: number): boolean {
  if (o.stopPrice === undefined) return false;
  return o.side === 'buy' ? price >= o.stopPrice : price <= o.stopPrice;
}

/** A trailing stop's distance from `ref` in price units (a percentage rounded up to a unit). */
export function trailOffset(trail: Trail, ref: number): number {
  if (trail.kind === 'price') return trail.units;
  return Number(divRound(BigInt(ref) * trail.units, 100n * pow10(PERCENT_SCALE), 'ceil'));
}

/**
 * The stop of a trailing order at high-water mark `hwm`: hwm ∓ trail_price, or
 * hwm × (1 ∓ trail_percent / 100), rounded away from the market (down for a sell, up for a buy) to
 * the tick — whole cents for an equity stop at or above $1. Never below one tick.
 */
export function trailStop(o: FakeOrder, hwm: number): number {
  const inst = o.asset.instrument;
  const trail = o.trail!;
  const h = BigInt(hwm);
  let stop: bigint;
  if (trail.kind === 'price') stop = o.side === 'sell' ? h - BigInt(trail.units) : h + BigInt(trail.units);
  else {
    const hundred = 100n * pow10(PERCENT_SCALE);
    stop =
      o.side === 'sell'
        ? divRound(h * (hundred - trail.units), hundred, 'floor')
        : divRound(h * (hundred + trail.units), hundred, 'ceil');
  }
  const cents = o.asset.cls === 'us_equity' && inst.priceScale === 4 && stop >= pow10(inst.priceScale);
  const tick = BigInt(cents ? CENT_UNITS_AT_SCALE_4 : inst.priceIncrement);
  stop = divRound(stop, tick, o.side === 'sell' ? 'floor' : 'ceil') * tick;
  return Number(stop > 0n ? stop : BigInt(inst.priceIncrement));
}

export function sameTrail(a: Trail | undefined, b: Trail | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.kind === b.kind && BigInt(a.units) === BigInt(b.units);
}
