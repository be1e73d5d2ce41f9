// The closed vocabularies of the Binance Spot API (enums.md of binance-spot-api-docs) as const
// arrays and types, shared by the request builders, the filters and the parsers. Nothing here maps
// to Ordo; it only names what Binance sends and accepts.

/** Venue id of Binance Spot in Ordo instrument keys (`binance:BTC/USDT`). */
export const BINANCE_VENUE = 'binance';

export const BINANCE_SIDES = ['BUY', 'SELL'] as const;
export type BinanceSide = (typeof BINANCE_SIDES)[number];

export const BINANCE_ORDER_TYPES = [
  'LIMIT',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
] as const;
export type BinanceOrderType = (typeof BINANCE_ORDER_TYPES)[number];

/** STOP_LOSS*, TAKE_PROFIT*: the "algo" orders counted by MAX_NUM_ALGO_ORDERS. */
export const ALGO_ORDER_TYPES: ReadonlySet<BinanceOrderType> = new Set([
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
]);

/** Types that carry a limit `price`. */
export const PRICED_ORDER_TYPES: ReadonlySet<BinanceOrderType> = new Set([
  'LIMIT',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
]);

/** Types that need `timeInForce`. */
export const TIF_ORDER_TYPES: ReadonlySet<BinanceOrderType> = new Set([
  'LIMIT',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT_LIMIT',
]);

export const BINANCE_TIME_IN_FORCES = ['GTC', 'IOC', 'FOK'] as const;
export type BinanceTimeInForce = (typeof BINANCE_TIME_IN_FORCES)[number];

export const BINANCE_ORDER_STATUSES = [
  'NEW',
  'PENDING_NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'PENDING_CANCEL',
  'REJECTED',
  'EXPIRED',
  'EXPIRED_IN_MATCH',
] as const;
export type BinanceOrderStatus = (typeof BINANCE_ORDER_STATUSES)[number];

export const BINANCE_EXECUTION_TYPES = [
  'NEW',
  'CANCELED',
  'REPLACED',
  'REJECTED',
  'TRADE',
  'EXPIRED',
  'TRADE_PREVENTION',
] as const;
export type BinanceExecutionType = (typeof BINANCE_EXECUTION_TYPES)[number];

export const NEW_ORDER_RESP_TYPES = ['ACK', 'RESULT', 'FULL'] as const;
export type NewOrderRespType = (typeof NEW_ORDER_RESP_TYPES)[number];

export const STP_MODES = [
  'NONE',
  'EXPIRE_TAKER',
  'EXPIRE_MAKER',
  'EXPIRE_BOTH',
  'DECREMENT',
  'TRANSFER',
] as const;
export type StpMode = (typeof STP_MODES)[number];

export const CANCEL_REPLACE_MODES = ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const;
export type CancelReplaceMode = (typeof CANCEL_REPLACE_MODES)[number];

export const CANCEL_RESTRICTIONS = ['ONLY_NEW', 'ONLY_PARTIALLY_FILLED'] as const;
export type CancelRestriction = (typeof CANCEL_RESTRICTIONS)[number];

/** Symbol trading status. `CANCEL_ONLY` is new (2026-07); older names are kept for old payloads. */
export const SYMBOL_STATUSES = [
  'TRADING',
  'END_OF_DAY',
  'HALT',
  'BREAK',
  'CANCEL_ONLY',
  'PRE_TRADING',
  'POST_TRADING',
  'AUCTION_MATCH',
] as const;
export type SymbolStatus = (typeof SYMBOL_STATUSES)[number];

/** Client order ids (newClientOrderId, listClientOrderId, the legs' ids) must match this. */
export const CLIENT_ORDER_ID_RE = /^[a-zA-Z0-9-_]{1,36}$/;

/** Whether `id` is a client order id Binance accepts. */
export function isValidClientOrderId(id: string): boolean {
  return CLIENT_ORDER_ID_RE.test(id);
}
