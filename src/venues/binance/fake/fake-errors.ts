// Binance error bodies as the fake server answers them: `{code, msg}` with an HTTP status, codes and
// messages exactly as Binance documents them (errors.md of binance-spot-api-docs, venues.md 2.8).
// Handlers throw a BinanceError; the REST and WebSocket API layers turn it into their own framing.

export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    /** Extra `data` of the error body (cancelReplace results, rate-limit retry times). */
    readonly data?: unknown,
  ) {
    super(`${status} ${code} ${msg}`);
    this.name = 'BinanceError';
  }

  body(): { code: number; msg: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, msg: this.msg }
      : { code: this.code, msg: this.msg, data: this.data };
  }
}

const bad = (code: number, msg: string): BinanceError => new BinanceError(400, code, msg);

/** Decimal parameters must match this; the text is quoted verbatim in -1100 messages. */
export const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
export const INTEGER_RANGE = '^[0-9]{1,20}$';
export const CLIENT_ID_RANGE = '^[a-zA-Z0-9-_]{1,36}$';
export const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$';

export const errors = {
  tooManyWeight: (limit: number, interval: string) =>
    new BinanceError(
      429,
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per ${interval}. Please use WebSocket Streams for live updates to avoid polling the API.`,
    ),
  banned: (until: number) =>
    new BinanceError(
      418,
      -1003,
      `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
    ),
  timeout: () =>
    bad(
      -1007,
      'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    ),
  filter: (name: string) => bad(-1013, `Filter failure: ${name}`),
  unsupportedCombination: () => bad(-1014, 'Unsupported order combination.'),
  tooManyOrders: (limit: number, interval: string) =>
    new BinanceError(429, -1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`),
  timestampOutside: () => bad(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => bad(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => bad(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    bad(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  illegalCharsAny: () => bad(-1100, 'Illegal characters found in a parameter.'),
  duplicateParam: () => bad(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (param: string) =>
    bad(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherMandatory: (a: string, b: string) =>
    bad(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  greaterThan: (param: string, max: string) =>
    bad(-1102, `'${param}' contains unexpected value. Cannot be greater than '${max}'.`),
  unread: (read: number, sent: number) =>
    bad(-1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`),
  empty: (param: string) => bad(-1105, `Parameter '${param}' was empty.`),
  notRequired: (param: string) => bad(-1106, `Parameter '${param}' sent when not required.`),
  precision: (param: string) => bad(-1111, `Parameter '${param}' has too much precision.`),
  invalidTif: () => bad(-1115, 'Invalid timeInForce.'),
  invalidType: () => bad(-1116, 'Invalid orderType.'),
  invalidSide: () => bad(-1117, 'Invalid side.'),
  badSymbol: () => bad(-1121, 'Invalid symbol.'),
  badCombo: () => bad(-1128, 'Combination of optional parameters invalid.'),
  invalidParam: (param: string) => bad(-1130, `Data sent for parameter '${param}' is not valid.`),
  badStrategyType: () => bad(-1134, '`strategyType` was less than 1000000.'),
  invalidJson: () => bad(-1135, 'Invalid JSON Request'),
  invalidCancelRestrictions: () => bad(-1145, 'Invalid cancelRestrictions'),
  ocoTypeRejected: () => bad(-1158, 'Order type not supported in OCO.'),
  buyOcoLimitBelow: () => bad(-1165, 'A limit order in a buy OCO must be below.'),
  sellOcoLimitAbove: () => bad(-1166, 'A limit order in a sell OCO must be above.'),
  ocoNeedsContingent: () => bad(-1168, 'At least one OCO order must be contingent.'),
  buyOcoStopAbove: () => bad(-1196, 'A stop loss order in a buy OCO must be above.'),
  sellOcoStopBelow: () => bad(-1197, 'A stop loss order in a sell OCO must be below.'),
  buyOcoTakeProfitBelow: () => bad(-1198, 'A take profit order in a buy OCO must be below.'),
  sellOcoTakeProfitAbove: () => bad(-1199, 'A take profit order in a sell OCO must be above.'),
  rejected: (msg: string) => bad(-2010, msg),
  insufficientBalance: () => bad(-2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: () => bad(-2010, 'Duplicate order sent.'),
  wouldMatch: () => bad(-2010, 'Order would immediately match and take.'),
  wouldTrigger: () => bad(-2010, 'Order would trigger immediately.'),
  ocoPrices: () => bad(-2010, 'The relationship of the prices for the orders is not correct.'),
  unknownOrderCancel: () => bad(-2011, 'Unknown order sent.'),
  cancelRestricted: () => bad(-2011, 'Order was not canceled due to cancel restrictions.'),
  noSuchOrder: () => bad(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(401, -2014, 'API-key format invalid.'),
  rejectedApiKey: () => new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
  subscriptionActive: () => bad(-2035, 'User Data Stream subscription already active.'),
  subscriptionInactive: () => bad(-2036, 'User Data Stream subscription not active.'),
  amendRejected: (msg: string) => bad(-2038, msg),
  clientIdMismatch: () => bad(-2039, 'Client order ID is not correct for this order ID.'),
  unknownMethod: () => bad(-1000, 'Unknown method.'),
} as const;
