// Request parameters as Binance reads them: a REST query string and x-www-form-urlencoded body, or
// the `params` object of a WebSocket API request, reduced to name → text. The reader remembers
// which parameters were read so that a request carrying parameters the endpoint does not know is
// refused with -1104, and gives each malformed value the -1100/-1102/-1105/-1106/-1111 answer
// Binance gives.

import { parseUnits, pow10 } from '../../../core/decimal.ts';
import { CLIENT_ID_RANGE, DECIMAL_RANGE, errors, INTEGER_RANGE, SYMBOL_RANGE } from './fake-errors.ts';
import { DEC_SCALE } from './fake-symbols.ts';

/** Splits `a=1&b=2` into decoded pairs in order; `+` is a space, as in form encoding. */
export function parseFormPairs(raw: string): [string, string][] {
  const out: [string, string][] = [];
  if (raw === '') return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.push([decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]);
    } catch {
      throw errors.illegalCharsAny();
    }
  }
  return out;
}

/** Query pairs first, then body pairs; a name sent twice in one source is -1101, and a name in
 * both sources takes the query string's value (Binance's rule). */
export function mergeRestParams(query: [string, string][], body: [string, string][]): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [k, v] of query) {
    if (seen.has(k)) throw errors.duplicateParam();
    seen.add(k);
    out.set(k, v);
  }
  const seenBody = new Set<string>();
  for (const [k, v] of body) {
    if (seenBody.has(k)) throw errors.duplicateParam();
    seenBody.add(k);
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

/** The text a WebSocket API parameter value stands for (also what its signature covers). */
export function wsParamText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  return JSON.stringify(v);
}

export class ParamReader {
  private readonly used = new Set<string>();

  constructor(private readonly values: ReadonlyMap<string, string>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Marks a parameter read without looking at it (security parameters, ignored options). */
  markRead(name: string): void {
    if (this.values.has(name)) this.used.add(name);
  }

  /** The value, or undefined when absent; an empty value is -1105. */
  optional(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    this.used.add(name);
    if (v === '') throw errors.empty(name);
    return v;
  }

  required(name: string): string {
    const v = this.values.get(name);
    if (v === undefined || v === '') throw errors.mandatory(name);
    this.used.add(name);
    return v;
  }

  /** -1106 when the parameter was sent. */
  forbid(name: string): void {
    if (this.values.has(name)) throw errors.notRequired(name);
  }

  /** -1104 when some parameter was never read. */
  finish(): void {
    if (this.used.size < this.values.size) throw errors.unread(this.used.size, this.values.size);
  }

  // ---- typed values ---------------------------------------------------------------------------

  decimal(name: string, precision: number): bigint | undefined {
    const v = this.optional(name);
    return v === undefined ? undefined : decimalValue(name, v, precision);
  }

  requiredDecimal(name: string, precision: number): bigint {
    return decimalValue(name, this.required(name), precision);
  }

  int(name: string): number | undefined {
    const v = this.optional(name);
    return v === undefined ? undefined : intValue(name, v);
  }

  /** An enum value; `onBad` gives the error for a value outside `values`. */
  enumValue<T extends string>(name: string, values: readonly T[], onBad?: () => Error): T | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v))
      throw onBad !== undefined ? onBad() : errors.illegalChars(name, values.join(', '));
    return v as T;
  }

  clientId(name: string): string | undefined {
    const v = this.optional(name);
    if (v !== undefined && !/^[a-zA-Z0-9\-_]{1,36}$/.test(v))
      throw errors.illegalChars(name, CLIENT_ID_RANGE);
    return v;
  }

  symbol(name = 'symbol'): string | undefined {
    const v = this.optional(name);
    if (v !== undefined && !/^[A-Z0-9\-_.]{1,20}$/.test(v)) throw errors.illegalChars(name, SYMBOL_RANGE);
    return v;
  }

  requiredSymbol(name = 'symbol'): string {
    const v = this.required(name);
    if (!/^[A-Z0-9\-_.]{1,20}$/.test(v)) throw errors.illegalChars(name, SYMBOL_RANGE);
    return v;
  }
}

/** A decimal parameter in DEC units: -1100 when malformed, -1111 beyond `precision` places. */
export function decimalValue(name: string, text: string, precision: number): bigint {
  if (!/^([0-9]{1,20})(\.[0-9]{1,20})?$/.test(text)) throw errors.illegalChars(name, DECIMAL_RANGE);
  const units = parseUnits(text, precision);
  if (units === undefined) throw errors.precision(name);
  return units * pow10(DEC_SCALE - precision);
}

export function intValue(name: string, text: string): number {
  if (!/^[0-9]{1,20}$/.test(text)) throw errors.illegalChars(name, INTEGER_RANGE);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw errors.illegalChars(name, INTEGER_RANGE);
  return n;
}
