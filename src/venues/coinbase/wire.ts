// zod building blocks for Coinbase wire values, shared by the product, response and stream parsers.
// Coinbase sends every decimal as a string, and an empty string where a value is absent (`"fee": ""`,
// `"leverage": ""`); ids are UUID strings; times are RFC 3339 with up to nanoseconds. Decimals stay
// text here and become exact units only once the instrument is known.

import { z } from 'zod';

const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;

/** A plain decimal string (`"0.00100000"`): no exponent, no spaces. */
export const decimalString = z.string().regex(DECIMAL_RE, 'must be a plain decimal string');

/** A decimal string, or `""`/null/absent meaning none (read as undefined). */
export const optDecimal = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    const s = typeof v === 'number' ? String(v) : v;
    if (!DECIMAL_RE.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'must be a plain decimal string' });
      return z.NEVER;
    }
    return s;
  });

/** A boolean, also accepted as the strings "true"/"false". */
export const boolLike = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

/** An optional string that may be null (read as undefined). */
export const optString = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === null ? undefined : v));

/** A count sent as a number or a digit string (`"number_of_fills": "2"`). */
export const countLike = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number), z.literal('')])
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/**
 * An RFC 3339 time as epoch ms. Fractions beyond milliseconds are cut (not rounded); a missing
 * zone is read as UTC. Coinbase's heartbeat form `2026-04-07 14:30:10.000000000+00:00` is accepted.
 */
export function parseTimeMs(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?/.exec(text.trim());
  if (m === null) return undefined;
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  const zone = m[4] === undefined || m[4] === 'Z' ? 'Z' : m[4];
  const t = Date.parse(`${m[1]}T${m[2]}.${ms}${zone}`);
  return Number.isNaN(t) ? undefined : t;
}

/** A sortable key of an RFC 3339 time with its full fraction (microseconds and beyond kept). */
export function timeSortKey(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text.trim());
  const ms = parseTimeMs(text);
  if (m === null || ms === undefined) return text;
  const sub = (m[3] ?? '').slice(3).padEnd(9, '0');
  return `${String(ms).padStart(15, '0')}.${sub}`;
}

/** An RFC 3339 time read to epoch ms. */
export const timeString = z.string().transform((s, ctx) => {
  const t = parseTimeMs(s);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 time' });
    return z.NEVER;
  }
  return t;
});

/** The first issue of a zod error as `path: message`, for error messages. */
export function zodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `${path}: ${first.message}`;
}
