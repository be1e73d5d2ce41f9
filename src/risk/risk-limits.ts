// The risk limits a trader configures, and their validation. Every bound has a name and is
// optional: an absent limit is not checked at all. Decimal limits are read exactly (a number is
// read through its shortest text, `0.1` as "0.1") and stored as canonical decimal strings, so the
// limits can be shown, saved and compared without ever holding a binary fraction. Bad input is a
// list of field issues (`orderQtyMax.default` / `non_negative`), never a partial update.

import { assertNever } from '../core/assert.ts';
import { formatUnits, parseUnits } from '../core/decimal.ts';
import { err, type FieldIssue, issuesError, ok, type Result } from '../core/errors.ts';
import { type DecimalInput, decimalText, MONEY_SCALE } from '../model/instrument.ts';

export const TRADING_STATES = ['active', 'reduce_only', 'halted'] as const;
/** `reduce_only` admits only orders that shrink the current position without flipping it. */
export type TradingState = (typeof TRADING_STATES)[number];

/** Decimal limits are read with at most this many fractional digits (money's own scale). */
export const LIMIT_SCALE = MONEY_SCALE;
/** The rate limiter keeps one timestamp per allowed order, so its size is bounded. */
export const ORDERS_PER_SECOND_CEILING = 100_000;

/** A limit with a default for every instrument and overrides by instrument key `venue:symbol`. */
export interface PerInstrument<T> {
  readonly default?: T;
  readonly byInstrument?: Readonly<Record<string, T>>;
}

export interface RiskLimits {
  /** Largest quantity of one order, in the base asset (e.g. `'2.5'` BTC). */
  readonly orderQtyMax?: PerInstrument<DecimalInput>;
  /** Largest notional (price × quantity) of one order, in the quote currency. */
  readonly orderNotionalMax?: PerInstrument<DecimalInput>;
  /** Largest position, long or short, if this order and every working order on its side filled. */
  readonly positionQtyMax?: PerInstrument<DecimalInput>;
  /** Largest notional of that projected position, in the quote currency. */
  readonly positionNotionalMax?: PerInstrument<DecimalInput>;
  /** Largest number of working orders across all instruments. */
  readonly openOrdersMax?: number;
  /** Fat-finger band: limit and trigger prices within this many basis points of the reference. */
  readonly priceBandBps?: PerInstrument<number>;
  /** Per quote currency: once today's realized P&L is at or below −limit, only reducing orders pass. */
  readonly dailyLossMax?: Readonly<Record<string, DecimalInput>>;
  /** Orders accepted in any sliding 1000 ms window. */
  readonly ordersPerSecondMax?: number;
  /** Absent means `active`. */
  readonly tradingState?: TradingState;
}

/** A change to the limits: an absent (or undefined) key keeps its value, `null` removes the limit. */
export type RiskLimitsPatch = { readonly [K in keyof RiskLimits]?: RiskLimits[K] | null };

type LimitKey = keyof RiskLimits;
type MutableLimits = { -readonly [K in LimitKey]?: RiskLimits[K] };

const LIMIT_KEYS: readonly LimitKey[] = [
  'orderQtyMax',
  'orderNotionalMax',
  'positionQtyMax',
  'positionNotionalMax',
  'openOrdersMax',
  'priceBandBps',
  'dailyLossMax',
  'ordersPerSecondMax',
  'tradingState',
];

const isLimitKey = (k: string): k is LimitKey => (LIMIT_KEYS as readonly string[]).includes(k);

/** Validates a complete set of limits. */
export function parseRiskLimits(input: unknown): Result<RiskLimits> {
  return patchRiskLimits({}, input);
}

/**
 * Applies a patch to valid limits and returns the new limits, or every field issue and no change.
 * Each key replaces the whole limit (a new `orderQtyMax` replaces all its overrides).
 */
export function patchRiskLimits(current: RiskLimits, patch: unknown): Result<RiskLimits> {
  const issues: FieldIssue[] = [];
  if (!isRecord(patch)) return err(issuesError([issue('limits', 'object', 'must be an object')]));
  const out: MutableLimits = { ...current };
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (!isLimitKey(key)) {
      issues.push(issue(key, 'unknown_field', `is not a risk limit (known: ${LIMIT_KEYS.join(', ')})`));
      continue;
    }
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    applyField(out, key, value, issues);
  }
  if (issues.length > 0) return err(issuesError(issues));
  return ok(deepFreeze(out));
}

/** Validates one trading state. */
export function parseTradingState(input: unknown, field = 'tradingState'): Result<TradingState> {
  const issues: FieldIssue[] = [];
  const state = readTradingState(field, input, issues);
  return state === undefined ? err(issuesError(issues)) : ok(state);
}

/** True when no limit is configured and trading is active: every order passes. */
export function isUnlimited(limits: RiskLimits): boolean {
  return LIMIT_KEYS.every((k) => limits[k] === undefined || (k === 'tradingState' && limits[k] === 'active'));
}

function applyField(out: MutableLimits, key: LimitKey, value: unknown, issues: FieldIssue[]): void {
  switch (key) {
    case 'orderQtyMax':
    case 'orderNotionalMax':
    case 'positionQtyMax':
    case 'positionNotionalMax':
      setOrDelete(out, key, readPerInstrument(key, value, issues, readLimitDecimal));
      return;
    case 'priceBandBps':
      setOrDelete(out, key, readPerInstrument(key, value, issues, readBps));
      return;
    case 'openOrdersMax':
      out.openOrdersMax = readCount(key, value, issues, Number.MAX_SAFE_INTEGER);
      return;
    case 'ordersPerSecondMax':
      out.ordersPerSecondMax = readCount(key, value, issues, ORDERS_PER_SECOND_CEILING);
      return;
    case 'dailyLossMax':
      setOrDelete(out, key, readByCurrency(key, value, issues));
      return;
    case 'tradingState':
      out.tradingState = readTradingState(key, value, issues);
      return;
    default:
      assertNever(key, 'risk limit');
  }
}

function setOrDelete<K extends LimitKey>(out: MutableLimits, key: K, value: MutableLimits[K]): void {
  if (value === undefined) delete out[key];
  else out[key] = value;
}

function readPerInstrument<T>(
  field: string,
  value: unknown,
  issues: FieldIssue[],
  readOne: (field: string, v: unknown, issues: FieldIssue[]) => T | undefined,
): PerInstrument<T> | undefined {
  if (!isRecord(value)) {
    issues.push(issue(field, 'object', 'must be an object { default?, byInstrument? }'));
    return undefined;
  }
  const out: { default?: T; byInstrument?: Record<string, T> } = {};
  for (const k of Object.keys(value)) {
    if (k !== 'default' && k !== 'byInstrument')
      issues.push(issue(`${field}.${k}`, 'unknown_field', 'is not a field (known: default, byInstrument)'));
  }
  if (value.default !== undefined && value.default !== null) {
    const d = readOne(`${field}.default`, value.default, issues);
    if (d !== undefined) out.default = d;
  }
  const by = value.byInstrument;
  if (by !== undefined && by !== null) {
    if (!isRecord(by)) issues.push(issue(`${field}.byInstrument`, 'object', 'must be an object'));
    else {
      const map: Record<string, T> = {};
      for (const key of Object.keys(by)) {
        const f = `${field}.byInstrument.${key}`;
        if (!/^[^:\s]+:\S+$/.test(key)) {
          issues.push(issue(f, 'instrument_key', 'must be an instrument key venue:symbol'));
          continue;
        }
        const v = readOne(f, by[key], issues);
        if (v !== undefined) map[key] = v;
      }
      if (Object.keys(map).length > 0) out.byInstrument = map;
    }
  }
  return out.default === undefined && out.byInstrument === undefined ? undefined : out;
}

function readByCurrency(
  field: string,
  value: unknown,
  issues: FieldIssue[],
): Record<string, string> | undefined {
  if (!isRecord(value)) {
    issues.push(issue(field, 'object', 'must be an object of currency to amount'));
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const currency of Object.keys(value)) {
    const f = `${field}.${currency}`;
    if (!/^[A-Za-z0-9]+$/.test(currency)) {
      issues.push(issue(f, 'currency', 'must be a currency code (letters and digits)'));
      continue;
    }
    const v = readLimitDecimal(f, value[currency], issues);
    if (v !== undefined) out[currency] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A non-negative decimal with at most LIMIT_SCALE places, returned in canonical form. */
function readLimitDecimal(field: string, v: unknown, issues: FieldIssue[]): string | undefined {
  const text = decimalText(v);
  const units = text === undefined ? undefined : parseUnits(text, LIMIT_SCALE);
  if (units === undefined) {
    issues.push(
      issue(field, 'decimal', `must be a decimal number or string with at most ${LIMIT_SCALE} places`),
    );
    return undefined;
  }
  if (units < 0n) {
    issues.push(issue(field, 'non_negative', 'must be >= 0'));
    return undefined;
  }
  return formatUnits(units, LIMIT_SCALE, true);
}

function readBps(field: string, v: unknown, issues: FieldIssue[]): number | undefined {
  return readCount(field, v, issues, Number.MAX_SAFE_INTEGER);
}

/** A non-negative integer no larger than `max`. */
function readCount(field: string, v: unknown, issues: FieldIssue[], max: number): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    issues.push(issue(field, 'integer', 'must be an integer'));
    return undefined;
  }
  if (v < 0) {
    issues.push(issue(field, 'non_negative', 'must be >= 0'));
    return undefined;
  }
  if (v > max) {
    issues.push(issue(field, 'range', `must be <= ${max}`));
    return undefined;
  }
  return v;
}

function readTradingState(field: string, v: unknown, issues: FieldIssue[]): TradingState | undefined {
  if (typeof v === 'string' && (TRADING_STATES as readonly string[]).includes(v)) return v as TradingState;
  issues.push(issue(field, 'one_of', `must be one of ${TRADING_STATES.join(', ')}`));
  return undefined;
}

function issue(field: string, rule: string, message: string): FieldIssue {
  return { field, rule, message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
