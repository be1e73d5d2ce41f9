// Failures met while reading market data, as values. Loaders return a Result; streaming readers
// yield MarketData items and, at most once and always last, a DataFault, so a `for await` loop
// branches on `kind` instead of wrapping the read in try/catch. Every fault names the line (when
// there is one), the field and the rule, and carries the line number in `detail` for programs.

import type { OrdoError } from '../core/errors.ts';
import type { MarketData } from '../model/market.ts';

export interface DataFault {
  readonly kind: 'error';
  readonly error: OrdoError;
}

/** What a streaming reader yields: market data, or one final fault. */
export type DataItem = MarketData | DataFault;

/** Structured location of a fault, kept in `OrdoError.detail`. */
export interface LineErrorDetail {
  /** 1-based line number in the source text. */
  readonly line: number;
  /** The file path or a caller's label, when known. */
  readonly source: string | undefined;
}

export function dataFault(error: OrdoError): DataFault {
  return { kind: 'error', error };
}

/**
 * An `invalid_field` error for one line of a source. The issue's `field` stays a plain path
 * (`data.p`, `price`) so programs can match it; the message leads with the line for people.
 */
export function lineError(
  line: number,
  field: string,
  rule: string,
  message: string,
  source?: string,
): OrdoError {
  const where = source === undefined ? `line ${line}` : `${source}:${line}`;
  const detail: LineErrorDetail = { line, source };
  return {
    code: 'invalid_field',
    message: `${where}: ${field}: ${message}`,
    issues: [{ field, rule, message }],
    detail,
  };
}

/** The line number of a fault made by `lineError`, or undefined for other errors. */
export function faultLine(error: OrdoError): number | undefined {
  const detail = error.detail as Partial<LineErrorDetail> | undefined;
  return typeof detail?.line === 'number' ? detail.line : undefined;
}
