// Expected failures are values from a closed set of stable snake_case codes. Every public entry
// point returns a Result so that a caller can branch on the code and show the field and rule.

export type ErrorCode =
  | 'invalid_field'
  | 'unknown_symbol'
  | 'unknown_order'
  | 'order_not_open'
  | 'illegal_transition'
  | 'risk_denied'
  | 'duplicate_id'
  | 'unsupported'
  | 'venue_rejected';

export interface FieldIssue {
  /** Dotted path of the offending input, e.g. `takeProfit.price`. */
  readonly field: string;
  /** A stable rule name, e.g. `positive`, `tick_multiple`, `above_entry`. */
  readonly rule: string;
  readonly message: string;
}

export interface OrdoError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues: readonly FieldIssue[];
  /** Extra structured detail: risk denials, the status pair of an illegal transition. */
  readonly detail?: unknown;
}

export type Result<T, E = OrdoError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E = OrdoError>(error: E): Result<never, E> {
  return { ok: false, error };
}

export function fieldError(field: string, rule: string, message: string): OrdoError {
  return { code: 'invalid_field', message: `${field}: ${message}`, issues: [{ field, rule, message }] };
}

export function issuesError(issues: readonly FieldIssue[]): OrdoError {
  const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return { code: 'invalid_field', message, issues };
}

export function codedError(code: ErrorCode, message: string, detail?: unknown): OrdoError {
  return detail === undefined ? { code, message, issues: [] } : { code, message, issues: [], detail };
}

/** Thrown by `unwrap`: carries the OrdoError so library users who prefer exceptions keep the code. */
export class OrdoFailure extends Error {
  override readonly name = 'OrdoFailure';
  constructor(readonly error: OrdoError) {
    super(`${error.code}: ${error.message}`);
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new OrdoFailure(result.error);
}
