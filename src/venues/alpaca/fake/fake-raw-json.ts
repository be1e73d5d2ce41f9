// JSON with exact decimal numbers. Alpaca's market data stream sends prices and sizes as JSON
// numbers (`"p":144.6`), not strings; JSON.stringify would route them through a binary double. A
// RawNumber carries the decimal text the fake already holds exactly and is written as it is.

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A JSON number written verbatim from its decimal text. */
export class RawNumber {
  constructor(readonly text: string) {
    if (!PLAIN_DECIMAL.test(text))
      throw new Error(`RawNumber: ${JSON.stringify(text)} is not a plain decimal`);
  }
}

export type RawJson =
  | null
  | boolean
  | number
  | string
  | RawNumber
  | readonly RawJson[]
  | { readonly [key: string]: RawJson | undefined };

/** Like JSON.stringify (no spacing; undefined members left out), with RawNumber written verbatim. */
export function stringifyRaw(value: RawJson): string {
  if (value === null) return 'null';
  if (value instanceof RawNumber) return value.text;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: RawJson) => stringifyRaw(v)).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as { readonly [key: string]: RawJson | undefined }))
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${stringifyRaw(v)}`);
  return `{${parts.join(',')}}`;
}
