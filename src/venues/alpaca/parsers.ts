// zod schemas for what Alpaca's Trading API sends back (orders, errors, account, positions, fill
// activities, the 207 of cancel-all) and the mappers to Ordo's vocabulary, in exact units of the
// instrument (prices, quantities) or MONEY_SCALE (cash). Unknown fields are ignored everywhere:
// Alpaca adds fields over time (venues.md 1.5).
//
// Statuses (venues.md 1.6) fall into Ordo's closed set:
//
//   new, partially_filled, accepted, pending_new, accepted_for_bidding, held, pending_cancel,
//   pending_replace, stopped, suspended, pending_review              → open
//   filled                                                          → filled
//   canceled                                                        → cancelled
//   expired; done_for_day of a day order                            → expired (done_for_day of
//                                                                     another order stays open)
//   calculated                                                      → filled when fully filled,
//                                                                     else expired
//   rejected                                                        → rejected
//   replaced                                                        → replaced: not an end for
//                                                                     Ordo, the order lives on as
//                                                                     `replaced_by`
//
// Prices that may fall off the instrument's tick (a trailing stop's moving stop price, execution
// prices with more decimals than the grid) are rounded half-even onto it; quantities must be exact.

import { z } from 'zod';
import { parseUnits, parseUnitsRounded, roundToStep, toSafe } from '../../core/decimal.ts';
import { codedError, err, ok, type Result } from '../../core/errors.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { OrderType, Side } from '../../model/order.ts';
import { decimal, optDecimal, optTime, time, zodMessage } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// Schemas

/** `{code, message}`: every error body (code absent on some 403s). */
export const errorBodySchema = z.object({
  code: z.number().int().optional(),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

const sideSchema = z.enum(['buy', 'sell']);

const orderFields = {
  id: z.string().min(1),
  client_order_id: z.string(),
  created_at: time,
  updated_at: optTime,
  submitted_at: optTime,
  filled_at: optTime,
  expired_at: optTime,
  canceled_at: optTime,
  failed_at: optTime,
  replaced_at: optTime,
  replaced_by: z.string().nullish(),
  replaces: z.string().nullish(),
  asset_id: z.string().nullish(),
  symbol: z.string(),
  asset_class: z.string().nullish(),
  notional: optDecimal,
  qty: optDecimal,
  filled_qty: decimal.nullish().transform((v) => v ?? '0'),
  filled_avg_price: optDecimal,
  order_class: z.string().nullish(),
  order_type: z.string().nullish(),
  type: z.string().nullish(),
  side: sideSchema,
  time_in_force: z.string(),
  limit_price: optDecimal,
  stop_price: optDecimal,
  status: z.string(),
  extended_hours: z.boolean().nullish(),
  trail_percent: optDecimal,
  trail_price: optDecimal,
  hwm: optDecimal,
  commission: optDecimal,
};

/** The Order object (venues.md 1.5); `legs` holds the children of an order class (`nested=true`). */
export interface AlpacaOrder extends z.infer<z.ZodObject<typeof orderFields>> {
  readonly legs?: readonly AlpacaOrder[] | null | undefined;
}

export const orderSchema: z.ZodType<AlpacaOrder> = z.lazy(() =>
  z.object({ ...orderFields, legs: z.array(orderSchema).nullish() }),
) as z.ZodType<AlpacaOrder>;
export const ordersSchema = z.array(orderSchema);

/** One element of the 207 answer to `DELETE /v2/orders`. */
export const cancelAllItemSchema = z.object({
  id: z.string(),
  status: z.number().int(),
  body: z.unknown().optional(),
});
export const cancelAllSchema = z.array(cancelAllItemSchema);
export type CancelAllItem = z.infer<typeof cancelAllItemSchema>;

/** `GET /v2/account` (the fields Ordo reads). */
export const accountSchema = z.object({
  id: z.string(),
  account_number: z.string().optional(),
  status: z.string(),
  currency: z.string(),
  cash: decimal,
  buying_power: decimal.optional(),
  non_marginable_buying_power: decimal.optional(),
  equity: decimal.optional(),
  crypto_status: z.string().optional(),
  trading_blocked: z.boolean().optional(),
  account_blocked: z.boolean().optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** One element of `GET /v2/positions`. */
export const positionSchema = z.object({
  asset_id: z.string().optional(),
  symbol: z.string(),
  exchange: z.string().optional(),
  asset_class: z.string().optional(),
  avg_entry_price: decimal.optional(),
  qty: decimal,
  qty_available: decimal.optional(),
  side: z.string().optional(),
  market_value: optDecimal,
  cost_basis: optDecimal,
});
export type Position = z.infer<typeof positionSchema>;
export const positionsSchema = z.array(positionSchema);

/** A FILL account activity (`GET /v2/account/activities/FILL`). */
export const fillActivitySchema = z.object({
  id: z.string(),
  activity_type: z.literal('FILL'),
  transaction_time: time,
  type: z.string().optional(),
  price: decimal,
  qty: decimal,
  side: z.string(),
  symbol: z.string(),
  leaves_qty: decimal.optional(),
  order_id: z.string(),
  cum_qty: decimal,
  order_status: z.string().optional(),
});
export type FillActivity = z.infer<typeof fillActivitySchema>;

/** A non-trade activity (fees, dividends, transfers: CFEE, DIV, CSD, …). */
export const nonTradeActivitySchema = z.object({
  id: z.string(),
  activity_type: z.string(),
  date: z.string().optional(),
  net_amount: decimal.optional(),
  description: z.string().optional(),
  symbol: z.string().optional(),
  qty: decimal.optional(),
  price: decimal.optional(),
  status: z.string().optional(),
});

/** Any activity: a fill, or one of the others. */
export const activitySchema = z.union([fillActivitySchema, nonTradeActivitySchema]);
export const activitiesSchema = z.array(activitySchema);

/** `GET /v2/clock`. */
export const clockSchema = z.object({
  timestamp: time,
  is_open: z.boolean(),
  next_open: optTime,
  next_close: optTime,
});

/** Parses `json` with `schema`; the error names `what` and the first issue. */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown, what: string): Result<z.infer<S>> {
  const r = schema.safeParse(json);
  return r.success ? ok(r.data) : err(codedError('invalid_field', `${what}: ${zodMessage(r.error)}`));
}

// ---------------------------------------------------------------------------------------------
// Units

class UnitError extends Error {}

/** An exact quantity in the instrument's units. */
export function qtyUnits(inst: Instrument, text: string, field: string): number {
  const v = parseUnits(text, inst.qtyScale);
  const n = v === undefined ? undefined : toSafe(v);
  if (n === undefined || n < 0)
    throw new UnitError(
      `${field} ${JSON.stringify(text)} does not fit ${inst.qtyScale} decimal places exactly`,
    );
  return n;
}

/** A price on the instrument's tick, rounded half-even onto it when it has more decimals. */
export function priceUnits(inst: Instrument, text: string, field: string): number {
  const v = parseUnitsRounded(text, inst.priceScale, 'half_even');
  const stepped = v === undefined ? undefined : roundToStep(v, BigInt(inst.priceIncrement), 'half_even');
  const n = stepped === undefined ? undefined : toSafe(stepped);
  if (n === undefined || n < 0) throw new UnitError(`${field} ${JSON.stringify(text)} is not a price`);
  return n;
}

/** Money (cash, notional) in MONEY_SCALE units. */
export function moneyUnits(text: string, field: string): bigint {
  const v = parseUnitsRounded(text, MONEY_SCALE, 'half_even');
  if (v === undefined) throw new UnitError(`${field} ${JSON.stringify(text)} is not a decimal`);
  return v;
}

/** Runs `f`, turning a unit error into an invalid_field error that names `what`. */
export function guard<T>(what: string, f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof UnitError) return err(codedError('invalid_field', `${what}: ${e.message}`));
    throw e;
  }
}

/** A decimal text without trailing zeros (`"0.500"` → `"0.5"`, `"2.0"` → `"2"`). */
export function canonicalDecimal(text: string): string {
  const t = text.trim().replace(/^\+/, '');
  if (!t.includes('.')) return t.replace(/^(-?)0+(?=\d)/, '$1');
  const s = t.replace(/0+$/, '').replace(/\.$/, '');
  return s.replace(/^(-?)0+(?=\d)/, '$1');
}

/**
 * Ordo's trade id of one Alpaca execution: the order's id and its cumulative filled quantity
 * after it. The stream, the fill activities and a lookup all give both, so the three sources
 * name every execution alike (an event's `execution_id` does not appear in the activities).
 */
export function fillTradeId(venueOrderId: string, cumQty: string): string {
  return `${venueOrderId}:${canonicalDecimal(cumQty)}`;
}

// ---------------------------------------------------------------------------------------------
// Orders

/** Where an Alpaca order stands, in Ordo's words, plus `replaced` (it lives on as another id). */
export type StatusClass = 'open' | 'filled' | 'cancelled' | 'expired' | 'rejected' | 'replaced';

/** Statuses of an order still alive at Alpaca (documentation; any unknown status counts as open). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set([
  'new',
  'partially_filled',
  'accepted',
  'pending_new',
  'accepted_for_bidding',
  'held',
  'pending_cancel',
  'pending_replace',
  'stopped',
  'suspended',
  'pending_review',
]);

/** The status class of an order (see the table at the top of this file). */
export function statusClass(
  o: Pick<AlpacaOrder, 'status' | 'time_in_force' | 'qty' | 'filled_qty'>,
): StatusClass {
  switch (o.status) {
    case 'filled':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    case 'replaced':
      return 'replaced';
    case 'done_for_day':
      return o.time_in_force === 'day' ? 'expired' : 'open';
    case 'calculated':
      return o.qty !== undefined && canonicalDecimal(o.qty) === canonicalDecimal(o.filled_qty)
        ? 'filled'
        : 'expired';
    default:
      // Every other status (OPEN_STATUSES, and any Alpaca adds later) is an order still alive.
      return 'open';
  }
}

/** The Ordo order type of an Alpaca type (`order_type` is the deprecated duplicate of `type`). */
export function ordoType(o: Pick<AlpacaOrder, 'type' | 'order_type'>): OrderType {
  switch (o.type ?? o.order_type) {
    case 'market':
      return 'market';
    case 'stop':
      return 'stop';
    case 'stop_limit':
      return 'stop_limit';
    case 'trailing_stop':
      return 'trailing_stop';
    default:
      return 'limit';
  }
}

/** An order in exact units, under the client order id Alpaca knows it by. */
export interface OrderSnapshot {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly status: StatusClass;
  readonly rawStatus: string;
  /** Undefined for a notional order that has not filled (its quantity is in dollars). */
  readonly quantity: number | undefined;
  readonly filled: number;
  /** The cumulative filled quantity as Alpaca wrote it (for trade ids). */
  readonly filledText: string;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly orderClass: string;
  readonly replacedBy: string | undefined;
  readonly replaces: string | undefined;
  readonly createdMs: number;
  readonly updatedMs: number;
  readonly legs: readonly AlpacaOrder[];
}

/** An order as a snapshot in the instrument's units. */
export function mapOrder(o: AlpacaOrder, inst: Instrument): Result<OrderSnapshot> {
  return guard(`order ${o.id}`, () => {
    const filled = qtyUnits(inst, o.filled_qty, 'filled_qty');
    const quantity =
      o.qty === undefined ? (statusClass(o) === 'open' ? undefined : filled) : qtyUnits(inst, o.qty, 'qty');
    const type = ordoType(o);
    return {
      venueOrderId: o.id,
      clientOrderId: o.client_order_id,
      symbol: o.symbol,
      side: o.side,
      type,
      status: statusClass(o),
      rawStatus: o.status,
      quantity,
      filled,
      filledText: o.filled_qty,
      price: o.limit_price === undefined ? undefined : priceUnits(inst, o.limit_price, 'limit_price'),
      triggerPrice: o.stop_price === undefined ? undefined : priceUnits(inst, o.stop_price, 'stop_price'),
      orderClass: o.order_class === '' || o.order_class == null ? 'simple' : o.order_class,
      replacedBy: o.replaced_by ?? undefined,
      replaces: o.replaces ?? undefined,
      createdMs: o.created_at,
      updatedMs: latest(o),
      legs: o.legs ?? [],
    };
  });
}

/** The latest time an order carries (its last change). */
export function latest(o: AlpacaOrder): number {
  let t = o.created_at;
  for (const v of [
    o.updated_at,
    o.submitted_at,
    o.filled_at,
    o.canceled_at,
    o.expired_at,
    o.failed_at,
    o.replaced_at,
  ])
    if (v !== undefined && v > t) t = v;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Fills, account, positions

/** One execution from the fill activities, in exact units. */
export interface ActivityFill {
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly cumQty: number;
  readonly ts: number;
}

/** A FILL activity in the instrument's units; its trade id is `fillTradeId(order_id, cum_qty)`. */
export function mapFillActivity(a: FillActivity, inst: Instrument): Result<ActivityFill> {
  return guard(`activity ${a.id}`, () => ({
    venueOrderId: a.order_id,
    tradeId: fillTradeId(a.order_id, a.cum_qty),
    symbol: a.symbol,
    side: a.side === 'sell' || a.side === 'sell_short' ? 'sell' : 'buy',
    price: priceUnits(inst, a.price, 'price'),
    quantity: qtyUnits(inst, a.qty, 'qty'),
    cumQty: qtyUnits(inst, a.cum_qty, 'cum_qty'),
    ts: a.transaction_time,
  }));
}

/** A balance in money units. */
export interface Balance {
  readonly currency: string;
  readonly total: bigint;
  readonly available: bigint;
}

/**
 * The account's cash as a balance of its currency: total is `cash`, available the buying power
 * that needs no margin (`non_marginable_buying_power`, what crypto is checked against), else `cash`.
 */
export function mapAccountCash(a: Account): Result<Balance> {
  return guard(`account ${a.id}`, () => ({
    currency: a.currency,
    total: moneyUnits(a.cash, 'cash'),
    available: moneyUnits(a.non_marginable_buying_power ?? a.cash, 'non_marginable_buying_power'),
  }));
}

/**
 * A position as a balance of its asset: equities by ticker, crypto by its base. Alpaca names
 * crypto positions by the legacy symbol (`BTCUSD`), so `baseOf` (the asset list) names the base;
 * without it a slash symbol is split. Short positions are negative.
 */
export function mapPosition(
  p: Position,
  baseOf: (symbol: string) => string | undefined = () => undefined,
): Result<Balance> {
  return guard(`position ${p.symbol}`, () => {
    const symbol = p.symbol.trim();
    const currency = baseOf(symbol) ?? (symbol.includes('/') ? (symbol.split('/')[0] ?? symbol) : symbol);
    const total = moneyUnits(p.qty, 'qty');
    const available = p.qty_available === undefined ? total : moneyUnits(p.qty_available, 'qty_available');
    return { currency, total, available };
  });
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Ordo's code for an Alpaca failure, and whether it may have taken effect. */
export interface ErrorClass {
  readonly kind: 'rejected' | 'retryable' | 'unknown';
  readonly code: string;
}

/**
 * Classifies an error answer (venues.md 1.9). 5xx answers and 504 gateway timeouts may hide an
 * order that was placed: `unknown`, to be looked up before anything is sent again. A 429 is
 * `retryable`. Everything else is a refusal: nothing happened.
 */
export function classifyError(status: number, body: ErrorBody | undefined): ErrorClass {
  const msg = (body?.message ?? '').toLowerCase();
  if (status === 429) return { kind: 'retryable', code: 'rate_limited' };
  if (status >= 500) return { kind: 'unknown', code: `http_${status}` };
  if (status === 401) return { kind: 'rejected', code: 'unauthorized' };
  if (status === 404) return { kind: 'rejected', code: 'unknown_order' };
  if (msg.includes('client_order_id must be unique') || msg.includes('duplicate'))
    return { kind: 'rejected', code: 'duplicate_client_order_id' };
  if (status === 403) {
    if (msg.includes('buying power') || msg.includes('insufficient'))
      return { kind: 'rejected', code: 'insufficient_balance' };
    if (msg.includes('wash trade')) return { kind: 'rejected', code: 'wash_trade' };
    if (msg.includes('not changed')) return { kind: 'rejected', code: 'order_unchanged' };
    if (msg.includes('forbidden') || body?.code === 40110000)
      return { kind: 'rejected', code: 'unauthorized' };
    return { kind: 'rejected', code: 'forbidden' };
  }
  if (status === 422 && (msg.includes('not cancelable') || msg.includes('already in')))
    return { kind: 'rejected', code: 'order_closed' };
  if (status === 422 && msg.includes('sub-penny')) return { kind: 'rejected', code: 'sub_penny' };
  return { kind: 'rejected', code: 'invalid_order' };
}

/** An error body's text as Alpaca wrote it (`42210000 invalid limit_price …`). */
export function errorText(status: number, body: ErrorBody | undefined): string {
  if (body === undefined) return `HTTP ${status}`;
  return body.code === undefined ? `HTTP ${status} ${body.message}` : `${body.code} ${body.message}`;
}
