// Limits compiled for one instrument: every decimal limit converted once into the units the hot
// path compares in (quantity units, or price units × quantity units for notionals), so a check is
// integer comparisons on `number`s and touches bigint only past the safe-integer range. The
// manager caches one of these per instrument key and rebuilds them when the limits change.

import { assert } from '../core/assert.ts';
import { big, parseUnits, rescale, toSafe } from '../core/decimal.ts';
import { type DecimalInput, decimalText, type Instrument } from '../model/instrument.ts';
import { formatDecimal } from './format.ts';
import { LIMIT_SCALE, type PerInstrument, type RiskLimits } from './risk-limits.ts';

/** One upper bound, in the unit its rule compares in. */
export interface Bound {
  /** The bound as a `number`; Infinity when it is beyond the safe-integer range. */
  readonly units: number;
  readonly unitsBig: bigint;
  /** The configured value for messages, at the instrument's precision or finer. */
  readonly text: string;
}

export interface InstrumentLimits {
  readonly instrument: Instrument;
  /** Quantity units. A limit finer than the lot is floored: exact, as quantities are integers. */
  readonly orderQtyMax: Bound | undefined;
  /** Notional units: 10^-(priceScale + qtyScale) of the quote currency. */
  readonly orderNotionalMax: Bound | undefined;
  readonly positionQtyMax: Bound | undefined;
  readonly positionNotionalMax: Bound | undefined;
  readonly priceBandBps: number | undefined;
  /** Money units of the instrument's quote currency. */
  readonly dailyLossMax: Bound | undefined;
  /** −dailyLossMax, precomputed so the check negates nothing. */
  readonly dailyPnlFloor: bigint | undefined;
  readonly openOrdersMax: number | undefined;
  readonly ordersPerSecondMax: number | undefined;
  /** Which context reads a check needs, so it makes no others. */
  readonly needsPosition: boolean;
  readonly needsReference: boolean;
  /** The names of the configured limits, in the order they are checked. */
  readonly ruleNames: readonly string[];
}

export function compileLimits(limits: RiskLimits, inst: Instrument): InstrumentLimits {
  const notionalScale = inst.priceScale + inst.qtyScale;
  const qty = (v: DecimalInput | undefined): Bound | undefined =>
    v === undefined ? undefined : bound(limitUnits(v), inst.qtyScale, inst.qtyScale);
  const notional = (v: DecimalInput | undefined): Bound | undefined =>
    v === undefined ? undefined : bound(limitUnits(v), notionalScale, inst.priceScale);
  const loss = limits.dailyLossMax;
  const lossText = loss !== undefined && Object.hasOwn(loss, inst.quote) ? loss[inst.quote] : undefined;
  const dailyLossMax =
    lossText === undefined ? undefined : bound(limitUnits(lossText), LIMIT_SCALE, inst.priceScale);
  const orderQtyMax = qty(pick(limits.orderQtyMax, inst.key));
  const orderNotionalMax = notional(pick(limits.orderNotionalMax, inst.key));
  const positionQtyMax = qty(pick(limits.positionQtyMax, inst.key));
  const positionNotionalMax = notional(pick(limits.positionNotionalMax, inst.key));
  const priceBandBps = pick(limits.priceBandBps, inst.key);
  const { openOrdersMax, ordersPerSecondMax } = limits;
  const configured: [string, unknown][] = [
    ['orderQtyMax', orderQtyMax],
    ['orderNotionalMax', orderNotionalMax],
    ['positionQtyMax', positionQtyMax],
    ['positionNotionalMax', positionNotionalMax],
    ['priceBandBps', priceBandBps],
    ['dailyLossMax', dailyLossMax],
    ['openOrdersMax', openOrdersMax],
    ['ordersPerSecondMax', ordersPerSecondMax],
  ];
  // One literal with every field, in one order: every instrument's limits share one hidden class,
  // so the checks' property reads stay monomorphic across managers (a spread of a partial object
  // gave each manager's limits a map of their own, and the reads went megamorphic).
  return {
    instrument: inst,
    orderQtyMax,
    orderNotionalMax,
    positionQtyMax,
    positionNotionalMax,
    priceBandBps,
    dailyLossMax,
    dailyPnlFloor: dailyLossMax === undefined ? undefined : -dailyLossMax.unitsBig,
    openOrdersMax,
    ordersPerSecondMax,
    needsPosition:
      positionQtyMax !== undefined || positionNotionalMax !== undefined || dailyLossMax !== undefined,
    needsReference:
      priceBandBps !== undefined || orderNotionalMax !== undefined || positionNotionalMax !== undefined,
    ruleNames: configured.filter(([, v]) => v !== undefined).map(([k]) => k),
  };
}

/** True when `value` (units, a safe integer) is above the bound. */
export function exceeds(b: Bound, value: number | bigint): boolean {
  return typeof value === 'number' ? value > b.units : value > b.unitsBig;
}

/** True when a × b (both safe integers) is above the bound; bigint only past 2^53. */
export function productExceeds(b: Bound, x: number | bigint, y: number): boolean {
  if (typeof x === 'number') {
    const p = x * y;
    // A product above 2^53 rounds to at least 2^53, so this test never accepts an inexact value.
    if (Number.isSafeInteger(p)) return p > b.units;
    return big(x) * big(y) > b.unitsBig;
  }
  return x * big(y) > b.unitsBig;
}

/** x × y as exact bigint units. */
export function product(x: number | bigint, y: number): bigint {
  return (typeof x === 'number' ? big(x) : x) * big(y);
}

function pick<T>(limit: PerInstrument<T> | undefined, key: string): T | undefined {
  if (limit === undefined) return undefined;
  const by = limit.byInstrument;
  return by !== undefined && Object.hasOwn(by, key) ? by[key] : limit.default;
}

function limitUnits(v: DecimalInput): bigint {
  const text = decimalText(v);
  const units = text === undefined ? undefined : parseUnits(text, LIMIT_SCALE);
  assert(units !== undefined, () => `risk limit was not validated: ${String(v)}`);
  return units;
}

/** Floors a non-negative limit at LIMIT_SCALE to `scale`: value ≤ limit ⇔ value ≤ floor(limit). */
function bound(limit: bigint, scale: number, minDigits: number): Bound {
  const unitsBig = rescale(limit, LIMIT_SCALE, scale, 'floor');
  return {
    units: toSafe(unitsBig) ?? Number.POSITIVE_INFINITY,
    unitsBig,
    text: formatDecimal(limit, LIMIT_SCALE, minDigits),
  };
}
