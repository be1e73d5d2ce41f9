// zod building blocks for Alpaca wire values. Alpaca sends decimals as strings in the Trading API
// but as bare JSON numbers in market data and in some SDK fixtures (venues.md 1.12.6), so a
// decimal here is either, turned into plain decimal text: a number through its shortest
// round-trip text (`64625.4` is read as "64625.4", never as the binary fraction), with an
// exponent (`1e-7`) spelled out. Times are RFC 3339 with up to nanoseconds and any offset
// (`2022-04-19T13:45:04.981350886-04:00`); they become epoch milliseconds (sub-ms digits dropped).

import { z } from 'zod';

const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;
const EXP_RE = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

/**
 * The plain decimal text of a finite number, exactly as its shortest round-trip form reads
 * (`1e-7` → "0.0000001", `1.5e21` → "1500000000000000000000"); undefined for NaN and infinities.
 */
export function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  const m = EXP_RE.exec(s);
  if (m === null) return s;
  const sign = m[1] ?? '';
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  // Position of the decimal point within `digits` after applying the exponent.
  const point = (m[2] ?? '').length + Number(m[4]);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return out === '0' ? '0' : sign + out;
}

/** A decimal sent as a plain decimal string or as a JSON number, kept as decimal text. */
export const decimal = z.union([
  z.string().trim().regex(DECIMAL_RE, 'must be a plain decimal'),
  z
    .number()
    .refine(Number.isFinite, 'must be finite')
    .transform((n) => numberText(n) as string),
]);

/** A decimal that may be null or absent (Alpaca sends `null` for unset prices). */
export const optDecimal = decimal.nullish().transform((v) => v ?? undefined);

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of an RFC 3339 time with any number of fractional digits, or undefined. */
export function parseTime(text: string): number | undefined {
  const m = RFC3339_RE.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Number(`${frac ?? ''}000`.slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** An RFC 3339 time as epoch ms. */
export const time = z.string().transform((s, ctx) => {
  const t = parseTime(s);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 time' });
    return z.NEVER;
  }
  return t;
});

/** A time that may be null or absent. */
export const optTime = time.nullish().transform((v) => v ?? undefined);

/** An id sent as a string or a number (market-data trade ids are numbers). */
export const idText = z.union([z.string(), z.number().transform((n) => numberText(n) ?? String(n))]);

/** The first issue of a zod error as `path: message`, for error messages. */
export function zodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `${path}: ${first.message}`;
}

/** Epoch ms as RFC 3339 UTC with milliseconds, the form Alpaca's `after`/`until` filters take. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}
