// Coinbase's error answers (venues.md 3.6), in two families:
// - protocol errors: an HTTP status and a body `{error, error_details, message}` (400
//   INVALID_ARGUMENT for a malformed request, 404 NOT_FOUND), 401 `Unauthorized` as plain text, 429
//   with the body of error_rate_limit_429.json, 5xx for the fault hooks;
// - business rejections of create and edit: HTTP 200 with `success: false`. A create failure carries
//   `error_response: {error, message, error_details, preview_failure_reason,
//   new_order_failure_reason}` (a captured live answer reads `error: "INSUFFICIENT_FUND"`,
//   `preview_failure_reason: "PREVIEW_INSUFFICIENT_FUND"`, top-level `failure_reason:
//   "UNKNOWN_FAILURE_REASON"`); the fake keeps that pattern for every reason it sends.

/** A protocol error the HTTP layer answers with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(
      typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : String(body),
    );
    this.name = 'ApiError';
  }
}

/** The protocol errors the endpoints throw. */
export const apiErrors = {
  /** 400: the request is malformed; `details` names the field and the rule. */
  invalidArgument: (details: string): ApiError =>
    new ApiError(400, { error: 'INVALID_ARGUMENT', error_details: details, message: details }),
  notFound: (details: string): ApiError =>
    new ApiError(404, { error: 'NOT_FOUND', error_details: details, message: details }),
};

/** The body of a 429 (error_rate_limit_429.json). */
export const RATE_LIMIT_BODY = { errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] };

/** The plain-text body of a 401. */
export const UNAUTHORIZED_TEXT = 'Unauthorized';

/** Default bodies of the 5xx the serverError fault sends (gRPC-gateway style). */
export const SERVER_ERROR_BODIES: Readonly<Record<number, unknown>> = {
  500: { error: 'INTERNAL', code: 13, message: 'Internal server error', details: [] },
  502: { error: 'UNAVAILABLE', code: 14, message: 'Bad gateway', details: [] },
  503: { error: 'UNAVAILABLE', code: 14, message: 'Service unavailable', details: [] },
  504: { error: 'DEADLINE_EXCEEDED', code: 4, message: 'Gateway timeout', details: [] },
};

/** Why a create (or the preview behind it) failed: the `error_response` fields. */
export interface OrderFailure {
  /** `error` and `new_order_failure_reason`, e.g. INSUFFICIENT_FUND. */
  readonly error: string;
  /** `preview_failure_reason`, e.g. PREVIEW_INSUFFICIENT_FUND; UNKNOWN_PREVIEW_FAILURE_REASON when none. */
  readonly preview: string;
  readonly message: string;
  readonly details: string;
}

function failure(error: string, preview: string, message: string, details = ''): OrderFailure {
  return { error, preview, message, details };
}

/** A preview-stage failure: `error` is the preview reason without its PREVIEW_ prefix. */
const previewFailure = (preview: string, message: string, details = ''): OrderFailure =>
  failure(preview.replace(/^PREVIEW_/, ''), preview, message, details);

/** Business rejections of a create, by reason. */
export const orderFailures = {
  insufficientFund: (details: string) =>
    failure(
      'INSUFFICIENT_FUND',
      'PREVIEW_INSUFFICIENT_FUND',
      'Insufficient balance in source account',
      details,
    ),
  invalidProduct: (productId: string) =>
    failure(
      'INVALID_PRODUCT_ID',
      'PREVIEW_INVALID_PRODUCT_ID',
      'Invalid product_id',
      `unknown product ${productId}`,
    ),
  unsupportedConfiguration: (details: string) =>
    failure(
      'UNSUPPORTED_ORDER_CONFIGURATION',
      'PREVIEW_INVALID_ORDER_CONFIG',
      'Unsupported order configuration',
      details,
    ),
  orderEntryDisabled: (productId: string) =>
    failure('ORDER_ENTRY_DISABLED', 'UNKNOWN_PREVIEW_FAILURE_REASON', 'Order entry is disabled', productId),
  sizePrecision: (details: string) =>
    previewFailure('PREVIEW_INVALID_SIZE_PRECISION', 'Invalid size precision', details),
  pricePrecision: (details: string) =>
    previewFailure('PREVIEW_INVALID_PRICE_PRECISION', 'Invalid price precision', details),
  quoteSizePrecision: (details: string) =>
    previewFailure('PREVIEW_INVALID_QUOTE_SIZE_PRECISION', 'Invalid quote size precision', details),
  baseSizeTooSmall: (details: string) =>
    previewFailure('PREVIEW_INVALID_BASE_SIZE_TOO_SMALL', 'Base size is too small', details),
  baseSizeTooLarge: (details: string) =>
    previewFailure('PREVIEW_INVALID_BASE_SIZE_TOO_LARGE', 'Base size is too large', details),
  quoteSizeTooSmall: (details: string) =>
    previewFailure('PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL', 'Quote size is too small', details),
  quoteSizeTooLarge: (details: string) =>
    previewFailure('PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE', 'Quote size is too large', details),
  invalidLimitPrice: (details: string) =>
    failure('INVALID_LIMIT_PRICE', 'PREVIEW_INVALID_LIMIT_PRICE', 'Invalid limit price', details),
  postOnlyWouldCross: () =>
    failure(
      'INVALID_LIMIT_PRICE_POST_ONLY',
      'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY',
      'Post-only order would cross the book',
      'the limit price would take liquidity',
    ),
  /** A stop that the last trade already meets (Coinbase refuses a stop that would trigger at once). */
  stopAboveLast: (details: string) =>
    previewFailure(
      'PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE',
      'Stop price must be below the last trade price for STOP_DIRECTION_STOP_DOWN',
      details,
    ),
  stopBelowLast: (details: string) =>
    previewFailure(
      'PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE',
      'Stop price must be above the last trade price for STOP_DIRECTION_STOP_UP',
      details,
    ),
  invalidStopPrice: (details: string) =>
    previewFailure('PREVIEW_INVALID_STOP_PRICE', 'Invalid stop price', details),
  invalidEndTime: (details: string) =>
    previewFailure('PREVIEW_INVALID_END_TIME', 'end_time must be in the future', details),
  noLiquidity: (productId: string) =>
    failure(
      'INVALID_NO_LIQUIDITY',
      'UNKNOWN_PREVIEW_FAILURE_REASON',
      'No liquidity to price the order',
      `no quote or trade for ${productId}`,
    ),
};

/** The HTTP-200 body of a refused create (create_order_failure_mock.json, plus the echo). */
export function createFailureBody(f: OrderFailure, orderConfiguration: unknown): Record<string, unknown> {
  return {
    success: false,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: '',
    error_response: {
      error: f.error,
      message: f.message,
      error_details: f.details,
      preview_failure_reason: f.preview,
      new_order_failure_reason: f.error,
    },
    order_configuration: orderConfiguration,
  };
}

/** Why an edit failed: the `errors[]` entry of the edit response. */
export interface EditFailure {
  readonly edit: string;
  readonly preview: string;
}

/** An edit failure entry; the preview reason defaults to UNKNOWN_PREVIEW_FAILURE_REASON. */
export const editFailure = (edit: string, preview = 'UNKNOWN_PREVIEW_FAILURE_REASON'): EditFailure => ({
  edit,
  preview,
});
