// Exact decimal arithmetic on scaled integers. A decimal with `scale` s is an integer count of
// 10^-s units. Prices and quantities live in `number` as safe integers of their instrument's units
// (fast comparisons, compact typed-array indexes); money and any product of two quantities lives
// in `bigint` so it never overflows. No value here is ever a binary fraction: see
// docs/decisions/0001-exact-numbers.md.

import { assert, InvariantError } from './assert.ts';

export type Rounding = 'down' | 'up' | 'half_even' | 'floor' | 'ceil';

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;
const POW10: bigint[] = [];
for (let i = 0n; i <= 40n; i++) POW10.push(10n ** i);

export function pow10(n: number): bigint {
  const p = POW10[n];
  if (p === undefined) throw new InvariantError(`pow10 out of range: ${n}`);
  return p;
}

/**
 * 10^n for parsing text, where the number of digits comes from outside (a venue may send
 * 1e-324 written out): beyond the table it is computed rather than refused.
 */
function pow10Text(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/**
 * Parses a decimal string into units of 10^-scale. Returns undefined when the text is not a plain
 * decimal or has more fractional digits than `scale` allows (after trailing zeros are dropped).
 */
export function parseUnits(text: string, scale: number): bigint | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (m === null) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] ?? '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) return undefined;
  const units =
    BigInt(intPart) * pow10Text(scale) +
    (frac.length === 0 ? 0n : BigInt(frac) * pow10Text(scale - frac.length));
  return sign * units;
}

/** Parses a decimal string, rounding extra fractional digits with `mode` instead of refusing them. */
export function parseUnitsRounded(text: string, scale: number, mode: Rounding): bigint | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (m === null) return undefined;
  const frac = m[3] ?? '';
  if (frac.length <= scale) return parseUnits(text, scale);
  const exact = parseUnits(text, frac.length);
  if (exact === undefined) return undefined;
  return divRound(exact, pow10Text(frac.length - scale), mode);
}

/** Number of fractional digits a decimal string needs (trailing zeros ignored). */
export function decimalPlaces(text: string): number | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (m === null) return undefined;
  return (m[3] ?? '').replace(/0+$/, '').length;
}

/** Formats units of 10^-scale as a plain decimal string with exactly `scale` fractional digits. */
export function formatUnits(units: bigint | number, scale: number, trim = false): string {
  let neg: boolean;
  let s: string;
  if (typeof units === 'number' && Number.isSafeInteger(units)) {
    // A safe integer prints exactly as its bigint would, without making one (fills, views).
    neg = units < 0;
    s = String(neg ? -units : units);
  } else {
    let v = typeof units === 'bigint' ? units : BigInt(units);
    neg = v < 0n;
    if (neg) v = -v;
    s = v.toString();
  }
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    const intEnd = s.length - scale;
    let fracEnd = s.length;
    if (trim) while (fracEnd > intEnd && s.charCodeAt(fracEnd - 1) === 48 /* 0 */) fracEnd--;
    s = fracEnd > intEnd ? `${s.slice(0, intEnd)}.${s.slice(intEnd, fracEnd)}` : s.slice(0, intEnd);
  }
  return neg && s !== '0' ? `-${s}` : s;
}

/** Integer division with an explicit rounding mode. */
export function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  assert(d !== 0n, 'division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n - q * d;
  if (r === 0n) return q;
  const neg = n < 0n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return neg ? q - 1n : q + 1n;
    case 'floor':
      return neg ? q - 1n : q;
    case 'ceil':
      return neg ? q : q + 1n;
    case 'half_even': {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice < d || (twice === d && q % 2n === 0n)) return q;
      return neg ? q - 1n : q + 1n;
    }
  }
}

/** Rescales units from one scale to another, rounding when precision is lost. */
export function rescale(units: bigint, from: number, to: number, mode: Rounding = 'half_even'): bigint {
  if (to >= from) return units * pow10(to - from);
  return divRound(units, pow10(from - to), mode);
}

/** Converts a safe-integer `number` of units to bigint, asserting it is an integer. */
export function big(units: number): bigint {
  if (!Number.isSafeInteger(units)) throw new InvariantError(`not a safe integer: ${units}`);
  return BigInt(units);
}

/**
 * a × b as a bigint, for safe integers a and b (the caller's invariant): through one conversion
 * when the product is itself a safe integer, which it then is exactly.
 */
export function bigProduct(a: number, b: number): bigint {
  const p = a * b;
  return Number.isSafeInteger(p) ? BigInt(p) : BigInt(a) * BigInt(b);
}

/** Converts bigint units back to a safe-integer `number`, or undefined when out of range. */
export function toSafe(units: bigint): number | undefined {
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(units);
}

/** Rounds an integer to a multiple of `step` with the given mode. */
export function roundToStep(units: bigint, step: bigint, mode: Rounding): bigint {
  return divRound(units, step, mode) * step;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function absBig(a: bigint): bigint {
  return a < 0n ? -a : a;
}

// Powers of ten as numbers. Those up to 10^9 are small integers and are kept in an array of their
// own: read from an array that also holds 10^10.., they would come out as heap numbers, so would
// every price and quantity parsed with them (until the optimizing compiler took over), and the
// fields that first held such values stay boxed doubles for every order after (V8 fixes a field's
// representation from the first values stored).
const POW10_SMALL = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const POW10_LARGE = [1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function pow10Num(n: number): number {
  return n < 10 ? (POW10_SMALL[n] as number) : (POW10_LARGE[n - 10] as number);
}

/**
 * Parses a decimal string into a `number` of units of 10^-scale, exactly. The digits are combined
 * as integers (never through a binary fraction); when they could exceed 15 significant digits the
 * bigint path decides. Returns undefined for a non-decimal or too many places, and NaN when the
 * value is beyond the safe-integer range.
 */
export function parseUnitsNumber(text: string, scale: number): number | undefined {
  const n = text.length;
  let i = 0;
  let sign = 1;
  const c0 = text.charCodeAt(0);
  if (c0 === 45 /* - */ || c0 === 43 /* + */) {
    sign = c0 === 45 ? -1 : 1;
    i = 1;
  }
  let int = 0;
  let intLen = 0;
  while (i < n) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
    intLen++;
    i++;
  }
  let frac = 0;
  let fracLen = 0;
  let fracDigits = 0; // digits up to the last non-zero one
  let fracAtLast = 0;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    i++;
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      fracLen++;
      if (fracLen <= 15) frac = frac * 10 + c;
      if (c !== 0) {
        fracDigits = fracLen;
        fracAtLast = frac;
      }
      i++;
    }
    if (i === start) return undefined; // "1." is not a decimal
  }
  if (i !== n || intLen === 0) return slowPath(text, scale);
  if (fracDigits > scale) return undefined;
  if (intLen + scale > 15 || fracLen > 15) return slowPath(text, scale);
  const value = int * pow10Num(scale) + fracAtLast * pow10Num(scale - fracDigits);
  return value === 0 ? 0 : sign * value;
}

function slowPath(text: string, scale: number): number | undefined {
  const units = parseUnits(text, scale);
  if (units === undefined) return undefined;
  const safe = toSafe(units);
  return safe === undefined ? Number.NaN : safe;
}
