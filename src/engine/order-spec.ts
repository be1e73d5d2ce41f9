// What a trader asks for, as plain data with decimal strings, and its validation into exact
// units. Every field error names the field and the rule; nothing is changed by a rejected spec.

import { parseUnits } from '../core/decimal.ts';
import type { FieldIssue } from '../core/errors.ts';
import { limits } from '../core/limits.ts';
import type { TimestampMs } from '../core/ports.ts';
import {
  type DecimalInput,
  decimalText,
  type Instrument,
  RATE_SCALE,
  readPrice,
  readQty,
} from '../model/instrument.ts';
import {
  ORDER_TYPES,
  type OrderType,
  type Side,
  TIME_IN_FORCES,
  type TimeInForce,
  type TrailingBasis,
  type TrailingOffsetKind,
  type TrailingParams,
} from '../model/order.ts';

export interface TrailingSpec {
  /** How the offset is measured: absolute `price`, `percent`, basis points `bps`, or `ticks`. */
  readonly offsetType: TrailingOffsetKind;
  readonly offset: DecimalInput;
  readonly activationPrice?: DecimalInput;
  /** Makes it a trailing stop-limit: the limit sits this far (price) beyond the stop. */
  readonly limitOffset?: DecimalInput;
}

export interface OrderSpec {
  readonly symbol: string;
  /** Defaults to the engine's default venue. */
  readonly venue?: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly quantity: DecimalInput;
  readonly price?: DecimalInput;
  readonly triggerPrice?: DecimalInput;
  readonly trailing?: TrailingSpec;
  readonly triggerBasis?: TrailingBasis;
  readonly tif?: TimeInForce;
  /** GTD expiry, epoch ms. */
  readonly expireAt?: TimestampMs;
  readonly reduceOnly?: boolean;
  readonly postOnly?: boolean;
  readonly tag?: string;
}

/** A validated spec: exact units, ready to become an order. */
export interface ValidSpec {
  readonly instrument: Instrument;
  readonly side: Side;
  readonly type: OrderType;
  readonly quantity: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly trailing: TrailingParams | undefined;
  readonly triggerBasis: TrailingBasis;
  readonly tif: TimeInForce;
  readonly expireAtMs: TimestampMs | undefined;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
  readonly tag: string | undefined;
}

const SIDES: readonly string[] = ['buy', 'sell'];
const BASES: readonly string[] = ['last', 'quote', 'mid'];
const OFFSET_KINDS: readonly string[] = ['price', 'percent', 'bps', 'ticks'];

/** Whether `value` is one of `list`: a loop the compiler inlines, where includes() is a call. */
function oneOf(list: readonly string[], value: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

/**
 * Validates one order spec against its instrument. `prefix` names the spec inside a larger
 * request (e.g. `stopLoss.`). Issues are appended; the return is undefined when any were found.
 */
export function validateSpec(
  spec: OrderSpec,
  inst: Instrument,
  nowMs: TimestampMs,
  prefix: string,
  issues: FieldIssue[],
): ValidSpec | undefined {
  const before = issues.length;
  const f = prefix === '' ? identity : (name: string): string => `${prefix}${name}`;
  if (!oneOf(SIDES, spec.side))
    issues.push({ field: f('side'), rule: 'enum', message: 'must be buy or sell' });
  if (!oneOf(ORDER_TYPES, spec.type))
    issues.push({ field: f('type'), rule: 'enum', message: `must be one of ${ORDER_TYPES.join(', ')}` });
  const tif = spec.tif ?? 'gtc';
  if (!oneOf(TIME_IN_FORCES, tif))
    issues.push({ field: f('tif'), rule: 'enum', message: `must be one of ${TIME_IN_FORCES.join(', ')}` });
  const basis = spec.triggerBasis ?? 'last';
  if (!oneOf(BASES, basis))
    issues.push({ field: f('triggerBasis'), rule: 'enum', message: 'must be last, quote or mid' });
  const quantity = readQty(inst, spec.quantity, f('quantity'), issues);
  if (quantity !== undefined && quantity < inst.qtyMin)
    issues.push({
      field: f('quantity'),
      rule: 'min_quantity',
      message: `is below the minimum quantity of ${inst.symbol}`,
    });
  const type = spec.type;
  const needsPrice = type === 'limit' || type === 'stop_limit';
  const needsTrigger = type === 'stop' || type === 'stop_limit';
  let price: number | undefined;
  let triggerPrice: number | undefined;
  if (needsPrice) price = readPrice(inst, spec.price, f('price'), issues);
  else if (spec.price !== undefined)
    issues.push({ field: f('price'), rule: 'not_allowed', message: `is not used by a ${type} order` });
  if (needsTrigger) triggerPrice = readPrice(inst, spec.triggerPrice, f('triggerPrice'), issues);
  else if (spec.triggerPrice !== undefined)
    issues.push({ field: f('triggerPrice'), rule: 'not_allowed', message: `is not used by a ${type} order` });
  let trailing: TrailingParams | undefined;
  if (type === 'trailing_stop') trailing = validateTrailing(spec.trailing, inst, f('trailing.'), issues);
  else if (spec.trailing !== undefined)
    issues.push({
      field: f('trailing'),
      rule: 'not_allowed',
      message: `is only used by a trailing_stop order`,
    });
  let expireAtMs: number | undefined;
  if (tif === 'gtd') {
    if (typeof spec.expireAt !== 'number' || !Number.isSafeInteger(spec.expireAt))
      issues.push({
        field: f('expireAt'),
        rule: 'required',
        message: 'a gtd order needs expireAt (epoch ms)',
      });
    else if (spec.expireAt <= nowMs)
      issues.push({ field: f('expireAt'), rule: 'future', message: 'must be in the future' });
    else expireAtMs = spec.expireAt;
  } else if (spec.expireAt !== undefined) {
    issues.push({ field: f('expireAt'), rule: 'not_allowed', message: 'is only used with tif gtd' });
  }
  if (type === 'market' && (tif === 'gtd' || tif === 'day'))
    issues.push({ field: f('tif'), rule: 'market_tif', message: 'a market order is gtc, ioc or fok' });
  if (spec.postOnly === true && type !== 'limit')
    issues.push({ field: f('postOnly'), rule: 'limit_only', message: 'only a limit order can be post-only' });
  if (spec.tag !== undefined && (typeof spec.tag !== 'string' || spec.tag.length > limits.tagLengthMax))
    issues.push({
      field: f('tag'),
      rule: 'max_length',
      message: `must be a string of at most ${limits.tagLengthMax} characters`,
    });
  if (type === 'stop_limit' && price !== undefined && triggerPrice !== undefined) {
    // A buy stop-limit's limit must not be below its trigger (and the mirror for sells), or the
    // released order could never fill at the price that triggered it.
    if (spec.side === 'buy' && price < triggerPrice)
      issues.push({
        field: f('price'),
        rule: 'limit_vs_trigger',
        message: 'a buy stop-limit needs price >= triggerPrice',
      });
    if (spec.side === 'sell' && price > triggerPrice)
      issues.push({
        field: f('price'),
        rule: 'limit_vs_trigger',
        message: 'a sell stop-limit needs price <= triggerPrice',
      });
  }
  if (issues.length > before || quantity === undefined) return undefined;
  return {
    instrument: inst,
    side: spec.side,
    type,
    quantity,
    price,
    triggerPrice,
    trailing,
    triggerBasis: basis,
    tif,
    expireAtMs: tif === 'day' ? endOfUtcDay(nowMs) : expireAtMs,
    reduceOnly: spec.reduceOnly === true,
    postOnly: spec.postOnly === true,
    tag: spec.tag,
  };
}

function validateTrailing(
  t: TrailingSpec | undefined,
  inst: Instrument,
  prefix: string,
  issues: FieldIssue[],
): TrailingParams | undefined {
  if (t === undefined || t === null || typeof t !== 'object') {
    issues.push({
      field: prefix.slice(0, -1),
      rule: 'required',
      message: 'a trailing_stop needs trailing parameters',
    });
    return undefined;
  }
  if (!oneOf(OFFSET_KINDS, t.offsetType)) {
    issues.push({
      field: `${prefix}offsetType`,
      rule: 'enum',
      message: 'must be price, percent, bps or ticks',
    });
    return undefined;
  }
  const text = decimalText(t.offset);
  let offset: number | undefined;
  const kind = t.offsetType;
  if (kind === 'price') offset = readPrice(inst, t.offset, `${prefix}offset`, issues);
  else if (kind === 'ticks') {
    const n = text === undefined ? undefined : parseUnits(text, 0);
    if (n === undefined || n <= 0n || n > 1_000_000n)
      issues.push({
        field: `${prefix}offset`,
        rule: 'whole_ticks',
        message: 'must be a whole number of ticks from 1 to 1000000',
      });
    else offset = Number(n) * inst.priceIncrement;
  } else {
    // percent: 0 < p < 100; bps: 0 < b < 10000; both stored as a fraction in RATE units.
    const scale = kind === 'percent' ? RATE_SCALE - 2 : RATE_SCALE - 4;
    const v = text === undefined ? undefined : parseUnits(text, scale);
    const max = kind === 'percent' ? 100n : 10000n;
    const maxUnits = max * 10n ** BigInt(scale);
    if (v === undefined)
      issues.push({
        field: `${prefix}offset`,
        rule: 'decimal',
        message: `must be a decimal with at most ${scale} places`,
      });
    else if (v <= 0n || v >= maxUnits)
      issues.push({
        field: `${prefix}offset`,
        rule: 'range',
        message: kind === 'percent' ? 'must be > 0 and < 100 percent' : 'must be > 0 and < 10000 bps',
      });
    else offset = Number(v);
  }
  let activationPrice: number | undefined;
  if (t.activationPrice !== undefined)
    activationPrice = readPrice(inst, t.activationPrice, `${prefix}activationPrice`, issues);
  let limitOffset: number | undefined;
  if (t.limitOffset !== undefined) {
    const text2 = decimalText(t.limitOffset);
    const v = text2 === undefined ? undefined : parseUnits(text2, inst.priceScale);
    if (v === undefined || v < 0n || v % BigInt(inst.priceIncrement) !== 0n)
      issues.push({
        field: `${prefix}limitOffset`,
        rule: 'tick_multiple',
        message: 'must be a non-negative multiple of the tick size',
      });
    else limitOffset = Number(v);
  }
  if (offset === undefined) return undefined;
  return { offsetKind: kind, offset, activationPrice, limitOffset };
}

const DAY_MS = 86_400_000;

function identity(name: string): string {
  return name;
}

/** DAY orders expire at the end of the UTC day they were placed in. */
export function endOfUtcDay(ts: TimestampMs): TimestampMs {
  return Math.floor(ts / DAY_MS) * DAY_MS + DAY_MS;
}
