// zod schemas for what Coinbase Advanced Trade sends back (REST bodies, WebSocket messages) and
// the mappers from them to Ordo's vocabulary, in exact units of the instrument (prices,
// quantities) or MONEY_SCALE (fees, balances, order values). Unknown fields are ignored; fields
// Coinbase leaves empty (`""`) read as absent.
//
// Statuses (venues.md 3.5): PENDING, QUEUED, OPEN (also with a filled size: there is no partial
// status), CANCEL_QUEUED and UNKNOWN_ORDER_STATUS are `open`; FILLED `filled`; CANCELLED (double
// L) `cancelled`; EXPIRED `expired`; FAILED `rejected`.
//
// Rejections. A create or edit refused for a business reason comes back as HTTP 200 with
// `success: false`; its reason is the first non-empty of error_response.error,
// preview_failure_reason, new_order_failure_reason and the top-level failure_reason, with the
// message and details kept for the trader.

import { z } from 'zod';
import { divRound, parseUnits, parseUnitsRounded, pow10, toSafe } from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import { parseMarketPrice, parseMarketSize } from '../../data/market-units.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { QuoteTick, TradeTick } from '../../model/market.ts';
import type { Liquidity, OrderType, Side } from '../../model/order.ts';
import type { VenueOrderStatus } from '../venue-adapter.ts';
import {
  boolLike,
  countLike,
  decimalString as dec,
  optDecimal,
  optString,
  parseTimeMs,
  timeSortKey,
  zodMessage,
} from './wire.ts';

// ---------------------------------------------------------------------------------------------
// REST bodies

/** Error bodies: `{error, message, error_details}`, or `{errors: [{id, message}]}` (429). */
export const errorBodySchema = z.object({
  error: optString,
  message: optString,
  error_details: optString,
  errors: z.array(z.object({ id: optString, message: optString })).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

const errorResponseSchema = z.object({
  error: optString,
  message: optString,
  error_details: optString,
  preview_failure_reason: optString,
  new_order_failure_reason: optString,
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** `POST /orders`. */
export const createOrderResponseSchema = z.object({
  success: boolLike,
  success_response: z
    .object({
      order_id: z.string(),
      product_id: optString,
      side: optString,
      client_order_id: optString,
    })
    .optional()
    .nullable(),
  error_response: errorResponseSchema.optional().nullable(),
  failure_reason: optString,
  order_id: optString,
  order_configuration: z.unknown().optional(),
});
export type CreateOrderResponse = z.infer<typeof createOrderResponseSchema>;

/** `POST /orders/edit`. */
export const editOrderResponseSchema = z.object({
  success: boolLike,
  success_response: z.object({ order_id: optString }).optional().nullable(),
  error_response: errorResponseSchema.optional().nullable(),
  errors: z
    .array(z.object({ edit_failure_reason: optString, preview_failure_reason: optString }))
    .optional()
    .nullable(),
});
export type EditOrderResponse = z.infer<typeof editOrderResponseSchema>;

/** `POST /orders/batch_cancel`. */
export const batchCancelResponseSchema = z.object({
  results: z.array(z.object({ success: boolLike, failure_reason: optString, order_id: optString })),
});
export type BatchCancelResponse = z.infer<typeof batchCancelResponseSchema>;

const sideSchema = z.enum(['BUY', 'SELL']);

/** An order object (`GET /orders/historical/{id}` → `order`, list items). */
export const orderSchema = z.object({
  order_id: z.string().min(1),
  product_id: z.string().min(1),
  client_order_id: z.string(),
  side: sideSchema,
  status: z.string(),
  order_configuration: z.record(z.string(), z.record(z.string(), z.unknown())),
  time_in_force: optString,
  created_time: optString,
  filled_size: optDecimal,
  average_filled_price: optDecimal,
  number_of_fills: countLike,
  filled_value: optDecimal,
  total_fees: optDecimal,
  pending_cancel: boolLike.optional(),
  order_type: optString,
  trigger_status: optString,
  reject_reason: optString,
  reject_message: optString,
  cancel_message: optString,
  last_fill_time: optString,
  edit_history: z.array(z.unknown()).optional().nullable(),
  originating_order_id: optString,
  attached_order_id: optString,
});
export type OrderWire = z.infer<typeof orderSchema>;

export const getOrderResponseSchema = z.object({ order: orderSchema });

/** `GET /orders/historical/batch`. */
export const listOrdersResponseSchema = z.object({
  orders: z.array(orderSchema),
  has_next: boolLike.optional(),
  cursor: optString,
  sequence: optString,
});

/** One fill of `GET /orders/historical/fills`. */
export const fillSchema = z.object({
  entry_id: optString,
  trade_id: z.string().min(1),
  order_id: z.string().min(1),
  trade_time: z.string(),
  trade_type: optString,
  price: dec,
  size: dec,
  commission: optDecimal,
  product_id: z.string(),
  sequence_timestamp: optString,
  liquidity_indicator: optString,
  size_in_quote: boolLike.optional(),
  side: sideSchema.optional(),
});
export type FillWire = z.infer<typeof fillSchema>;

export const listFillsResponseSchema = z.object({
  fills: z.array(fillSchema),
  cursor: optString,
});

const amountSchema = z.object({ value: dec, currency: z.string() });

/** `GET /accounts`. */
export const accountsResponseSchema = z.object({
  accounts: z.array(
    z.object({
      uuid: optString,
      currency: z.string(),
      available_balance: amountSchema,
      hold: amountSchema.optional().nullable(),
    }),
  ),
  has_next: boolLike.optional(),
  cursor: optString,
});
export type AccountsResponse = z.infer<typeof accountsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// WebSocket messages

/** Every WebSocket message: the envelope, events parsed by channel. */
export const wsMessageSchema = z.object({
  /** Absent on error frames (`{"type":"error","message":…}`). */
  channel: z.string().optional(),
  client_id: optString,
  timestamp: optString,
  sequence_num: z.number().int().nonnegative().optional(),
  events: z.array(z.unknown()).optional(),
  type: optString,
  message: optString,
});
export type WsMessage = z.infer<typeof wsMessageSchema>;

/** An order in the `user` channel: cumulative state, not per-fill deltas. */
export const userOrderSchema = z.object({
  order_id: z.string().min(1),
  client_order_id: z.string(),
  cumulative_quantity: optDecimal,
  leaves_quantity: optDecimal,
  avg_price: optDecimal,
  total_fees: optDecimal,
  filled_value: optDecimal,
  number_of_fills: countLike,
  status: z.string(),
  product_id: z.string(),
  creation_time: optString,
  order_side: sideSchema,
  order_type: optString,
  limit_price: optDecimal,
  stop_price: optDecimal,
  post_only: boolLike.optional(),
  time_in_force: optString,
  trigger_status: optString,
  cancel_reason: optString,
  reject_reason: optString,
});
export type UserOrderWire = z.infer<typeof userOrderSchema>;

export const userEventSchema = z.object({
  type: z.string(),
  orders: z.array(userOrderSchema).optional().nullable(),
  positions: z.unknown().optional(),
});

export const marketTradesEventSchema = z.object({
  type: z.string(),
  trades: z.array(
    z.object({
      trade_id: z.union([z.string(), z.number()]).transform(String),
      product_id: z.string(),
      price: dec,
      size: dec,
      side: z.string(),
      time: z.string(),
    }),
  ),
});

export const tickerEventSchema = z.object({
  type: z.string(),
  tickers: z.array(
    z.object({
      type: optString,
      product_id: z.string(),
      price: optDecimal,
      best_bid: optDecimal,
      best_bid_quantity: optDecimal,
      best_ask: optDecimal,
      best_ask_quantity: optDecimal,
    }),
  ),
});

export const heartbeatEventSchema = z.object({
  current_time: z.string(),
  heartbeat_counter: z.union([z.number(), z.string()]),
});

export const subscriptionsEventSchema = z.object({
  subscriptions: z.record(z.string(), z.array(z.string())),
});

export const l2EventSchema = z.object({
  type: z.string(),
  product_id: z.string(),
  updates: z.array(
    z.object({ side: z.string(), event_time: z.string(), price_level: dec, new_quantity: dec }),
  ),
});

export const candlesEventSchema = z.object({
  type: z.string(),
  candles: z.array(
    z.object({
      start: z.string(),
      high: dec,
      low: dec,
      open: dec,
      close: dec,
      volume: dec,
      product_id: z.string(),
    }),
  ),
});

/** The event schema of each channel Ordo reads (`l2_data` is the `level2` channel's name). */
export const EVENT_SCHEMAS = {
  user: userEventSchema,
  market_trades: marketTradesEventSchema,
  ticker: tickerEventSchema,
  ticker_batch: tickerEventSchema,
  heartbeats: heartbeatEventSchema,
  subscriptions: subscriptionsEventSchema,
  l2_data: l2EventSchema,
  candles: candlesEventSchema,
} as const;

/** A WebSocket message with its events parsed by its channel's schema. */
export interface ParsedWsMessage {
  readonly channel: string;
  readonly sequence: number | undefined;
  readonly timestampMs: number | undefined;
  readonly events: readonly unknown[];
  /** An `error` frame's message. */
  readonly error: string | undefined;
}

/** Parses one WebSocket frame; events of a known channel must match its schema. */
export function parseWsMessage(json: unknown): Result<ParsedWsMessage> {
  const env = wsMessageSchema.safeParse(json);
  if (!env.success) return err(parseError('websocket message', env.error));
  const m = env.data;
  if (m.type === 'error' || m.channel === 'error')
    return ok({
      channel: 'error',
      sequence: m.sequence_num,
      timestampMs: undefined,
      events: [],
      error: m.message ?? 'error',
    });
  if (m.channel === undefined) return err(codedError('invalid_field', 'websocket message: no channel'));
  const schema = EVENT_SCHEMAS[m.channel as keyof typeof EVENT_SCHEMAS];
  const events: unknown[] = [];
  for (const [i, ev] of (m.events ?? []).entries()) {
    if (schema === undefined) {
      events.push(ev);
      continue;
    }
    const r = schema.safeParse(ev);
    if (!r.success) return err(parseError(`${m.channel} event ${i}`, r.error));
    events.push(r.data);
  }
  return ok({
    channel: m.channel,
    sequence: m.sequence_num,
    timestampMs: m.timestamp === undefined ? undefined : parseTimeMs(m.timestamp),
    events,
    error: undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers

function parseError(what: string, e: z.ZodError): OrdoError {
  return codedError('invalid_field', `${what}: ${zodMessage(e)}`);
}

/** Parses `json` with `schema`; the error names `what` and the first issue. */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown, what: string): Result<z.infer<S>> {
  const r = schema.safeParse(json);
  return r.success ? ok(r.data) : err(parseError(what, r.error));
}

class UnitError extends Error {}

function units(text: string, scale: number, field: string): number {
  const v = parseUnits(text, scale);
  const n = v === undefined ? undefined : toSafe(v);
  if (n === undefined || n < 0)
    throw new UnitError(`${field} ${JSON.stringify(text)} does not fit ${scale} decimal places exactly`);
  return n;
}

/** A price in instrument units; off-grid decimals (an average) round half-even. */
function priceUnitsRounded(inst: Instrument, text: string, field: string): number {
  const v = parseUnitsRounded(text, inst.priceScale, 'half_even');
  const n = v === undefined ? undefined : toSafe(v);
  if (n === undefined || n < 0) throw new UnitError(`${field} ${JSON.stringify(text)} is not a price`);
  return n;
}

/** Money (fees, values, balances) at MONEY_SCALE; more places than that round half-even. */
export function money(text: string | undefined, field = 'amount'): bigint {
  if (text === undefined) return 0n;
  const v = parseUnitsRounded(text, MONEY_SCALE, 'half_even');
  if (v === undefined) throw new UnitError(`${field} ${JSON.stringify(text)} is not a decimal`);
  return v;
}

/** price × quantity in money units, exact when it fits MONEY_SCALE (else half-even). */
export function quoteValue(priceText: string, qtyUnits: number, qtyScale: number): bigint {
  const places = (priceText.split('.')[1] ?? '').length;
  const p = parseUnits(priceText, places);
  if (p === undefined) throw new UnitError(`price ${JSON.stringify(priceText)} is not a decimal`);
  const raw = p * BigInt(qtyUnits);
  const scale = places + qtyScale;
  return scale <= MONEY_SCALE
    ? raw * pow10(MONEY_SCALE - scale)
    : divRound(raw, pow10(scale - MONEY_SCALE), 'half_even');
}

function guard<T>(what: string, f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof UnitError) return err(codedError('invalid_field', `${what}: ${e.message}`));
    throw e;
  }
}

const toSide = (s: 'BUY' | 'SELL'): Side => (s === 'BUY' ? 'buy' : 'sell');

// ---------------------------------------------------------------------------------------------
// Mapping to Ordo

/** Coinbase order status → Ordo's venue status. */
export function statusOf(s: string): VenueOrderStatus {
  switch (s) {
    case 'FILLED':
      return 'filled';
    case 'CANCELLED':
    case 'CANCELED':
      return 'cancelled';
    case 'EXPIRED':
      return 'expired';
    case 'FAILED':
      return 'rejected';
    default:
      return 'open';
  }
}

/** Whether a status is final (no fill can follow). */
export function isFinalStatus(s: string): boolean {
  return statusOf(s) !== 'open';
}

/** The Ordo order type of an `order_configuration` key. */
export function typeOfConfiguration(key: string): OrderType {
  if (key.startsWith('market_')) return 'market';
  if (key.startsWith('stop_limit_') || key.startsWith('trigger_bracket_')) return 'stop_limit';
  return 'limit';
}

/** Why a create or edit with `success: false` was refused: a code and a readable reason. */
export interface Refusal {
  readonly code: string;
  readonly reason: string;
}

/** The refusal of a `success: false` body (create or edit). */
export function refusalOf(body: {
  readonly error_response?: Partial<ErrorResponse> | null;
  readonly failure_reason?: string;
  readonly errors?: readonly { edit_failure_reason?: string; preview_failure_reason?: string }[] | null;
}): Refusal {
  const e = body.error_response ?? undefined;
  const meaningful = (s: string | undefined) =>
    s !== undefined && s !== '' && !/^UNKNOWN_[A-Z_]*FAILURE_REASON$/.test(s) ? s : undefined;
  const edit = body.errors?.find(
    (x) => meaningful(x.edit_failure_reason) ?? meaningful(x.preview_failure_reason),
  );
  const code =
    meaningful(e?.error) ??
    meaningful(e?.preview_failure_reason) ??
    meaningful(e?.new_order_failure_reason) ??
    meaningful(edit?.edit_failure_reason) ??
    meaningful(edit?.preview_failure_reason) ??
    meaningful(body.failure_reason) ??
    'UNKNOWN_FAILURE_REASON';
  const parts = [e?.message, e?.error_details].filter((s): s is string => s !== undefined && s !== '');
  return { code, reason: parts.length > 0 ? `${code}: ${parts.join(' — ')}` : code };
}

/** An order as the REST API shows it, in Ordo units. */
export interface OrderSnapshot {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: Side;
  readonly type: OrderType;
  /** The `order_configuration` key, e.g. `limit_limit_gtc`. */
  readonly configuration: string;
  readonly status: VenueOrderStatus;
  readonly venueStatus: string;
  /** Ordered quantity (base); for an order by quote size, what has filled. */
  readonly quantity: number;
  readonly filled: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly postOnly: boolean;
  /** Total fees and filled value so far, money units of the quote currency. */
  readonly fees: bigint;
  readonly value: bigint;
  readonly numberOfFills: number | undefined;
  readonly ts: number;
  readonly reason: string | undefined;
  readonly originatingOrderId: string | undefined;
  /** trigger_status STOP_TRIGGERED: a stop-limit's or trigger bracket's stop has fired. */
  readonly triggered: boolean;
}

/** Maps an order object; quantities must fit the instrument exactly. */
export function mapOrder(o: OrderWire, inst: Instrument): Result<OrderSnapshot> {
  return guard(`order ${o.order_id}`, () => {
    const [key, cfg] = Object.entries(o.order_configuration)[0] ?? ['unknown', {}];
    const text = (k: string): string | undefined => {
      const v = cfg[k];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const filled = units(o.filled_size ?? '0', inst.qtyScale, 'filled_size');
    const base = text('base_size');
    const quantity = base === undefined ? filled : units(base, inst.qtyScale, 'base_size');
    const limit = text('limit_price');
    const stop = text('stop_price') ?? text('stop_trigger_price');
    const value =
      o.filled_value !== undefined
        ? money(o.filled_value, 'filled_value')
        : o.average_filled_price !== undefined
          ? quoteValue(o.average_filled_price, filled, inst.qtyScale)
          : 0n;
    const ts =
      (o.last_fill_time === undefined ? undefined : parseTimeMs(o.last_fill_time)) ??
      (o.created_time === undefined ? undefined : parseTimeMs(o.created_time)) ??
      0;
    const reason = [o.reject_message, o.cancel_message, o.reject_reason].find(
      (s) => s !== undefined && s !== '' && s !== 'REJECT_REASON_UNSPECIFIED',
    );
    return {
      venueOrderId: o.order_id,
      clientOrderId: o.client_order_id,
      productId: o.product_id,
      side: toSide(o.side),
      type: typeOfConfiguration(key),
      configuration: key,
      status: statusOf(o.status),
      venueStatus: o.status,
      quantity,
      filled,
      price: limit === undefined ? undefined : units(limit, inst.priceScale, 'limit_price'),
      triggerPrice: stop === undefined ? undefined : units(stop, inst.priceScale, 'stop_price'),
      postOnly: cfg.post_only === true || cfg.post_only === 'true',
      fees: money(o.total_fees, 'total_fees'),
      value,
      numberOfFills: o.number_of_fills,
      ts,
      reason,
      originatingOrderId: o.originating_order_id === '' ? undefined : o.originating_order_id,
      triggered: o.trigger_status === 'STOP_TRIGGERED',
    };
  });
}

/** One execution from the fills endpoint, in Ordo units. */
export interface EndpointFill {
  readonly tradeId: string;
  readonly venueOrderId: string;
  readonly productId: string;
  readonly side: Side | undefined;
  readonly price: number;
  readonly quantity: number;
  readonly fee: bigint;
  readonly liquidity: Liquidity;
  readonly ts: number;
  /** Orders the fills of one order in execution order (sequence timestamp, then trade time). */
  readonly sortKey: string;
}

/** Maps one fill. A fill sized in quote (`size_in_quote`) is converted to base at its price. */
export function mapFill(f: FillWire, inst: Instrument): Result<EndpointFill> {
  return guard(`fill ${f.trade_id}`, () => {
    const price = units(f.price, inst.priceScale, 'price');
    let quantity: number;
    if (f.size_in_quote === true) {
      // size is the quote amount: base = size / price, exactly on the lot grid when it fills one.
      const quote = money(f.size, 'size');
      const per = BigInt(price) * pow10(MONEY_SCALE - inst.priceScale);
      const q = divRound(quote * pow10(inst.qtyScale), per, 'half_even');
      quantity = Number(q);
    } else quantity = units(f.size, inst.qtyScale, 'size');
    const ts = parseTimeMs(f.trade_time) ?? 0;
    return {
      tradeId: f.trade_id,
      venueOrderId: f.order_id,
      productId: f.product_id,
      side: f.side === undefined ? undefined : toSide(f.side),
      price,
      quantity,
      fee: money(f.commission, 'commission'),
      liquidity: f.liquidity_indicator === 'MAKER' ? 'maker' : 'taker',
      ts,
      sortKey: `${timeSortKey(f.sequence_timestamp ?? f.trade_time)}|${timeSortKey(f.trade_time)}|${f.trade_id}`,
    };
  });
}

/** A `user` channel order as cumulative state, in Ordo units. */
export interface UserOrderUpdate {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: Side;
  readonly venueStatus: string;
  readonly status: VenueOrderStatus;
  /** Cumulative filled quantity, quantity units. */
  readonly cumulative: number;
  readonly leaves: number | undefined;
  /** Cumulative fees, money units of the quote currency. */
  readonly fees: bigint;
  /** Cumulative filled value (filled_value, else avg_price × cumulative), money units. */
  readonly value: bigint;
  readonly numberOfFills: number | undefined;
  readonly orderType: string | undefined;
  readonly timeInForce: string | undefined;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly postOnly: boolean;
  readonly triggered: boolean;
  readonly reason: string | undefined;
  readonly createdMs: number | undefined;
}

/** Maps a `user` channel order. */
export function mapUserOrder(o: UserOrderWire, inst: Instrument): Result<UserOrderUpdate> {
  return guard(`user order ${o.order_id}`, () => {
    const cumulative = units(o.cumulative_quantity ?? '0', inst.qtyScale, 'cumulative_quantity');
    const value =
      o.filled_value !== undefined
        ? money(o.filled_value, 'filled_value')
        : o.avg_price !== undefined
          ? quoteValue(o.avg_price, cumulative, inst.qtyScale)
          : 0n;
    const reason = [o.cancel_reason, o.reject_reason].find(
      (s) => s !== undefined && s !== '' && s !== 'REJECT_REASON_UNSPECIFIED',
    );
    return {
      venueOrderId: o.order_id,
      clientOrderId: o.client_order_id,
      productId: o.product_id,
      side: toSide(o.order_side),
      venueStatus: o.status,
      status: statusOf(o.status),
      cumulative,
      leaves:
        o.leaves_quantity === undefined
          ? undefined
          : units(o.leaves_quantity, inst.qtyScale, 'leaves_quantity'),
      fees: money(o.total_fees, 'total_fees'),
      value,
      numberOfFills: o.number_of_fills,
      orderType: o.order_type,
      timeInForce: o.time_in_force,
      limitPrice:
        o.limit_price === undefined ? undefined : priceUnitsRounded(inst, o.limit_price, 'limit_price'),
      stopPrice: o.stop_price === undefined ? undefined : priceUnitsRounded(inst, o.stop_price, 'stop_price'),
      postOnly: o.post_only === true,
      triggered: o.trigger_status === 'STOP_TRIGGERED',
      reason,
      createdMs: o.creation_time === undefined ? undefined : parseTimeMs(o.creation_time),
    };
  });
}

/** A balance in money units. */
export interface Balance {
  readonly currency: string;
  readonly available: bigint;
  readonly hold: bigint;
}

/** Maps `GET /accounts` (one page). */
export function mapAccounts(a: AccountsResponse): Result<readonly Balance[]> {
  return guard('accounts', () =>
    a.accounts.map((x) => ({
      currency: x.currency,
      available: money(x.available_balance.value, 'available_balance'),
      hold: money(x.hold?.value, 'hold'),
    })),
  );
}

/** A public trade as a TradeTick (`side` is the taker's side). */
export function mapMarketTrade(
  t: z.infer<typeof marketTradesEventSchema>['trades'][number],
  inst: Instrument,
): Result<TradeTick> {
  const price = parseMarketPrice(inst, t.price);
  if (typeof price !== 'number')
    return err(codedError('invalid_field', `trade ${t.trade_id} price: ${price.message}`));
  const size = parseMarketSize(inst, t.size, { rounding: undefined, allowZero: false });
  if (typeof size !== 'number')
    return err(codedError('invalid_field', `trade ${t.trade_id} size: ${size.message}`));
  const side = t.side.toUpperCase();
  return ok({
    kind: 'trade',
    instrument: inst.key,
    ts: parseTimeMs(t.time) ?? 0,
    price,
    size,
    aggressor: side === 'BUY' ? 'buy' : side === 'SELL' ? 'sell' : undefined,
    tradeId: t.trade_id,
  });
}

/** A ticker with best bid and ask as a QuoteTick; undefined when it carries no full quote. */
export function mapTicker(
  t: z.infer<typeof tickerEventSchema>['tickers'][number],
  inst: Instrument,
  ts: number,
): Result<QuoteTick | undefined> {
  if (
    t.best_bid === undefined ||
    t.best_ask === undefined ||
    t.best_bid_quantity === undefined ||
    t.best_ask_quantity === undefined
  )
    return ok(undefined);
  const rules = { rounding: undefined, allowZero: true } as const;
  const bid = parseMarketPrice(inst, t.best_bid);
  const ask = parseMarketPrice(inst, t.best_ask);
  const bidSize = parseMarketSize(inst, t.best_bid_quantity, rules);
  const askSize = parseMarketSize(inst, t.best_ask_quantity, rules);
  for (const [name, v] of [
    ['best_bid', bid],
    ['best_ask', ask],
    ['best_bid_quantity', bidSize],
    ['best_ask_quantity', askSize],
  ] as const)
    if (typeof v !== 'number')
      return err(codedError('invalid_field', `ticker ${t.product_id} ${name}: ${v.message}`));
  return ok({
    kind: 'quote',
    instrument: inst.key,
    ts,
    bid: bid as number,
    bidSize: bidSize as number,
    ask: ask as number,
    askSize: askSize as number,
  });
}
