// zod building blocks for Binance wire values, shared by the exchangeInfo and response parsers.
// Decimals arrive as strings and stay strings here (they become exact units only once the
// instrument is known). Integers (ids, times, counts) arrive as JSON numbers from Binance but as
// digit strings in ccxt's captures, so both are accepted; ids are kept as strings because order
// list and trade ids may outgrow 2^53 (a JSON number that large has already lost precision in
// JSON.parse; the caller must parse such bodies with a big-int aware reader to keep it).

import { z } from 'zod';

const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;
const INT_RE = /^-?\d+$/;

/** A plain decimal string (`"0.00100000"`, `"-1"`): no exponent, no spaces. */
export const decimalString = z.string().regex(DECIMAL_RE, 'must be a plain decimal string');

/** A safe integer, sent as a JSON number or as a digit string. */
export const intLike = z.union([
  z.number().int().refine(Number.isSafeInteger, 'must be a safe integer'),
  z
    .string()
    .regex(INT_RE, 'must be an integer')
    .transform(Number)
    .refine(Number.isSafeInteger, 'must be a safe integer'),
]);

/** An integer id kept as its decimal text. */
export const idString = z.union([
  z
    .number()
    .int()
    .transform((n) => String(n)),
  z.string().regex(INT_RE, 'must be an integer id'),
]);

/** A boolean, also accepted as the strings "true"/"false" (ccxt captures). */
export const boolLike = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

/** The first issue of a zod error as `path: message`, for error messages. */
export function zodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid';
  const path = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `${path}: ${first.message}`;
}
