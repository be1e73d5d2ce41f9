// How failures become HTTP answers. Every expected failure is a value with a stable snake_case
// code: schema failures and the engine's field issues are 400 with every failing field named;
// unknown ids 404; an order that cannot change any more 409; a refusal by risk, the venue or a
// capability 422. Only a bug is a 5xx.

import type { z } from 'zod';
import { assertNever } from '../core/assert.ts';
import type { ErrorCode, FieldIssue, OrdoError } from '../core/errors.ts';
import type { ErrorBody } from './contract.ts';

export type ApiErrorCode =
  | ErrorCode
  | 'unauthorized'
  | 'not_found'
  | 'idempotency_key_reused'
  | 'invalid_idempotency_key'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'invalid_json'
  | 'internal';

export class ApiError {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly message: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly detail?: unknown,
  ) {}

  body(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        issues: this.issues,
        ...(this.detail === undefined ? {} : { detail: this.detail }),
      },
    };
  }
}

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_field':
    case 'unknown_symbol':
      return 400;
    case 'unknown_order':
      return 404;
    case 'order_not_open':
    case 'illegal_transition':
    case 'duplicate_id':
      return 409;
    case 'risk_denied':
    case 'unsupported':
    case 'venue_rejected':
      return 422;
    default:
      return assertNever(code);
  }
}

export function fromOrdoError(e: OrdoError): ApiError {
  return new ApiError(statusOf(e.code), e.code, e.message, e.issues, e.detail);
}

/** A zod path as the engine spells fields: `legs[0].price`, `children[1].quantity`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Every zod issue as a FieldIssue; an unknown key is named by its own path. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys)
        out.push({
          field: fieldPath([...i.path, key]),
          rule: 'unknown_field',
          message: 'is not a known field',
        });
      continue;
    }
    out.push({ field: fieldPath(i.path) || '(body)', rule: ruleOf(i), message: i.message });
  }
  return out;
}

function ruleOf(i: z.core.$ZodIssue): string {
  switch (i.code) {
    case 'invalid_type':
      return i.input === undefined ? 'required' : 'type';
    case 'invalid_value':
      return 'enum';
    case 'invalid_union':
      return 'one_of';
    case 'too_big':
      return 'max';
    case 'too_small':
      return 'min';
    case 'invalid_format':
      return 'format';
    case 'not_multiple_of':
      return 'multiple_of';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_key':
    case 'invalid_element':
      return 'invalid';
    case 'custom':
      return 'custom';
    default:
      return 'invalid';
  }
}

/**
 * Merges issues from the schema and from the engine: one entry per field, the schema's first
 * (it saw the shape), then what the engine found on fields the schema let through.
 */
export function mergeIssues(first: readonly FieldIssue[], second: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set(first.map((i) => i.field));
  const out = [...first];
  for (const i of second) {
    if (seen.has(i.field)) continue;
    // A schema issue on `legs[0]` already covers the engine's `legs[0].price`.
    if ([...seen].some((f) => i.field.startsWith(`${f}.`) || i.field.startsWith(`${f}[`))) continue;
    seen.add(i.field);
    out.push(i);
  }
  return out;
}
