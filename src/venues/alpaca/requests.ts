// Builds the exact Alpaca Trading API v2 requests (method, path, query, JSON body) from Ordo's venue
// requests. Decimals are formatted from exact units with formatUnits, trailing zeros trimmed, never
// an exponent, always as JSON strings. Nothing here does I/O; auth headers are added by the client.
//
// How an Ordo order becomes an Alpaca order (venues.md 1.4):
//
//   market / limit / stop / stop_limit   → type of the same name; limit_price, stop_price
//   trailing_stop, offset price or ticks → type trailing_stop, trail_price (the offset in dollars)
//   trailing_stop, offset percent or bps → type trailing_stop, trail_percent (1.0 = 1 %)
//   time in force gtc / ioc / fok / day  → the same word (gtd has no Alpaca form: refused)
//   quantity                             → qty as a decimal string (fractional shares as such)
//   clientOrderId                        → client_order_id
//   extended hours (adapter option)      → extended_hours: true on equity limit day orders
//
// A list becomes one order with an order class (order-rules.ts checkList): bracket (entry +
// take_profit + stop_loss), OCO (the take-profit limit carries the class, the stop is stop_loss),
// OTO (entry + one of them); a stop-limit stop-loss sends its limit as stop_loss.limit_price.
// A notional (dollar amount) market order has its own builder. `reduceOnly` is not sent: Alpaca
// has no such flag.
//
// A replace is `PATCH /v2/orders/{id}` with the changed fields and a new client_order_id (client
// ids are unique forever on Alpaca, so the replacement of `X` is `X-r1`, then `X-r2`, …).

import { formatUnits } from '../../core/decimal.ts';
import { err, ok, type Result } from '../../core/errors.ts';
import type { VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { Side, TimeInForce, TrailingParams } from '../../model/order.ts';
import type { AssetRules } from './assets.ts';
import { checkList, checkOrder, type OrderRuleOptions, type RuleFailure } from './order-rules.ts';
import { formatTime } from './wire.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type QueryParam = readonly [key: string, value: string];

/** One Trading API call. */
export interface AlpacaRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query: readonly QueryParam[];
  /** The JSON body of POST and PATCH. */
  readonly body?: object;
}

/** The JSON body of `POST /v2/orders`. */
export interface AlpacaOrderBody {
  symbol: string;
  qty?: string;
  notional?: string;
  side: Side;
  type: 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
  time_in_force: 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok';
  limit_price?: string;
  stop_price?: string;
  trail_price?: string;
  trail_percent?: string;
  client_order_id: string;
  extended_hours?: boolean;
  order_class?: 'simple' | 'bracket' | 'oco' | 'oto';
  take_profit?: { limit_price: string };
  stop_loss?: { stop_price: string; limit_price?: string };
}

const trimmed = (units: number | bigint, scale: number): string => formatUnits(units, scale, true);
const price = (inst: Instrument, units: number): string => trimmed(units, inst.priceScale);
const qty = (inst: Instrument, units: number): string => trimmed(units, inst.qtyScale);

/** `query` as `k=v&k=v`, percent-encoded (`BTC/USD` → `BTC%2FUSD`). */
export function encodeQuery(query: readonly QueryParam[]): string {
  return query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The path and query of a request as sent, e.g. `/v2/orders?status=open`. */
export function target(req: AlpacaRequest): string {
  const q = encodeQuery(req.query);
  return q.length > 0 ? `${req.path}?${q}` : req.path;
}

/** RATE units (10^-8 fraction) of a relative offset, as Alpaca's `trail_percent` (1.0 = 1 %). */
export function trailPercent(offset: number): string {
  return trimmed(offset, 6);
}

function trailFields(
  inst: Instrument,
  t: TrailingParams,
): Pick<AlpacaOrderBody, 'trail_price' | 'trail_percent'> {
  // Absolute offsets (price, ticks) are price units already; relative ones are RATE units.
  return t.offsetKind === 'price' || t.offsetKind === 'ticks'
    ? { trail_price: price(inst, t.offset) }
    : { trail_percent: trailPercent(t.offset) };
}

function tifOf(t: TimeInForce): AlpacaOrderBody['time_in_force'] {
  // gtd is refused by checkOrder before this is reached.
  return t === 'gtd' ? 'gtc' : t;
}

/** The body of one simple order (no rules checked: see placeOrderRequest). */
export function orderBody(rules: AssetRules, o: VenueOrderRequest, extendedHours = false): AlpacaOrderBody {
  const inst = rules.instrument;
  const body: AlpacaOrderBody = {
    symbol: rules.venueSymbol,
    qty: qty(inst, o.quantity),
    side: o.side,
    type: o.type,
    time_in_force: tifOf(o.tif),
    client_order_id: o.clientOrderId,
  };
  if (o.type === 'limit' || o.type === 'stop_limit') body.limit_price = price(inst, o.price ?? 0);
  if (o.type === 'stop' || o.type === 'stop_limit') body.stop_price = price(inst, o.triggerPrice ?? 0);
  if (o.type === 'trailing_stop' && o.trailing !== undefined)
    Object.assign(body, trailFields(inst, o.trailing));
  if (extendedHours) body.extended_hours = true;
  return body;
}

export interface PlaceOptions extends OrderRuleOptions {
  /** Send equity limit day orders with `extended_hours: true`. */
  readonly extendedHours?: boolean;
}

/** `POST /v2/orders` for one order, after the local rules (order-rules.ts). */
export function placeOrderRequest(
  rules: AssetRules,
  o: VenueOrderRequest,
  options: PlaceOptions = {},
): Result<AlpacaRequest, RuleFailure> {
  const extended =
    options.extendedHours === true &&
    rules.assetClass === 'us_equity' &&
    o.type === 'limit' &&
    o.tif === 'day';
  const bad = checkOrder(rules, o, { ...options, extendedHours: extended });
  if (bad !== undefined) return err(bad);
  return ok({ method: 'POST', path: '/v2/orders', query: [], body: orderBody(rules, o, extended) });
}

/** `POST /v2/orders` for a native list: one order carrying its order class. */
export function listOrderRequest(
  rules: AssetRules,
  list: VenueListRequest,
): Result<AlpacaRequest, RuleFailure> {
  const shape = checkList(rules, list);
  if ('rule' in shape) return err(shape);
  const inst = rules.instrument;
  const tif = list.parent?.tif ?? shape.main.tif;
  const body: AlpacaOrderBody = {
    ...orderBody(rules, { ...shape.main, tif }),
    order_class: shape.orderClass,
  };
  // An OCO names its take-profit price once, in take_profit (venues.md 1.7, request_oco_order.json).
  if (shape.orderClass === 'oco') delete body.limit_price;
  if (shape.takeProfit !== undefined)
    body.take_profit = { limit_price: price(inst, shape.takeProfit.price ?? 0) };
  const sl = shape.stopLoss;
  if (sl !== undefined) {
    body.stop_loss = { stop_price: price(inst, sl.triggerPrice ?? 0) };
    if (sl.type === 'stop_limit') body.stop_loss.limit_price = price(inst, sl.price ?? 0);
  }
  return ok({ method: 'POST', path: '/v2/orders', query: [], body });
}

export interface NotionalOrder {
  readonly clientOrderId: string;
  readonly side: Side;
  /** The dollar amount in money units (MONEY_SCALE). */
  readonly notional: bigint;
  readonly tif?: 'day' | 'gtc' | 'ioc';
}

/**
 * `POST /v2/orders` for a market order by dollar amount (venues.md 1.4, 1.7): equities in whole
 * cents with time in force day, on fractionable assets only; crypto with gtc or ioc.
 */
export function notionalOrderRequest(
  rules: AssetRules,
  o: NotionalOrder,
): Result<AlpacaRequest, RuleFailure> {
  const equity = rules.assetClass === 'us_equity';
  const tif = o.tif ?? (equity ? 'day' : 'gtc');
  const failure = (rule: string, field: string, message: string): Result<never, RuleFailure> =>
    err({ kind: 'invalid', rule, field, message: `${rule}: ${message}` });
  if (o.notional <= 0n) return failure('positive', 'notional', 'must be > 0');
  if (equity && !rules.fractionable)
    return failure('fractionable', 'notional', `${rules.venueSymbol} cannot be bought by dollar amount`);
  if (equity && tif !== 'day') return failure('fractional_order', 'tif', 'notional equity orders take day');
  if (!equity && tif === 'day') return failure('crypto_time_in_force', 'tif', 'crypto takes gtc and ioc');
  const cents = 10n ** BigInt(MONEY_SCALE - 2);
  if (equity && o.notional % cents !== 0n)
    return failure('notional_cents', 'notional', 'a notional amount is in whole cents');
  const body: AlpacaOrderBody = {
    symbol: rules.venueSymbol,
    notional: trimmed(o.notional, MONEY_SCALE),
    side: o.side,
    type: 'market',
    time_in_force: tif,
    client_order_id: o.clientOrderId,
  };
  return ok({ method: 'POST', path: '/v2/orders', query: [], body });
}

/** The changes of a replace, in Ordo units; absent fields are left as they are. */
export interface ReplaceChanges {
  readonly quantity?: number;
  readonly price?: number;
  readonly triggerPrice?: number;
  readonly trailing?: TrailingParams;
  readonly tif?: TimeInForce;
  /** The replacement's client order id (`${original}-rN`). */
  readonly clientOrderId: string;
}

/** The client order id of the n-th replacement of an order (n ≥ 1). */
export function replacementClientId(original: string, n: number): string {
  return `${original}-r${n}`;
}

/** The original client order id and the replace count of a (possibly replaced) client id. */
export function splitReplacementId(id: string): { readonly original: string; readonly n: number } {
  const m = /^(.*)-r(\d+)$/.exec(id);
  return m === null ? { original: id, n: 0 } : { original: m[1] ?? id, n: Number(m[2]) };
}

/** `PATCH /v2/orders/{id}`: a new order replaces the old one (venues.md 1.3, 1.11). */
export function replaceOrderRequest(
  rules: AssetRules,
  venueOrderId: string,
  c: ReplaceChanges,
): AlpacaRequest {
  const inst = rules.instrument;
  const body: Record<string, unknown> = {};
  if (c.quantity !== undefined) body.qty = qty(inst, c.quantity);
  if (c.tif !== undefined) body.time_in_force = tifOf(c.tif);
  if (c.price !== undefined) body.limit_price = price(inst, c.price);
  if (c.triggerPrice !== undefined) body.stop_price = price(inst, c.triggerPrice);
  if (c.trailing !== undefined) {
    const t = trailFields(inst, c.trailing);
    body.trail = t.trail_price ?? t.trail_percent;
  }
  body.client_order_id = c.clientOrderId;
  return { method: 'PATCH', path: `/v2/orders/${encodeURIComponent(venueOrderId)}`, query: [], body };
}

/** `DELETE /v2/orders/{id}`: 204 when the cancel is accepted (the outcome comes on the stream). */
export function cancelOrderRequest(venueOrderId: string): AlpacaRequest {
  return { method: 'DELETE', path: `/v2/orders/${encodeURIComponent(venueOrderId)}`, query: [] };
}

/** `DELETE /v2/orders`: 207 with one `{id, status, body}` per open order. */
export function cancelAllRequest(): AlpacaRequest {
  return { method: 'DELETE', path: '/v2/orders', query: [] };
}

/** `GET /v2/orders:by_client_order_id`: the order placed with this client id. */
export function orderByClientIdRequest(clientOrderId: string): AlpacaRequest {
  return {
    method: 'GET',
    path: '/v2/orders:by_client_order_id',
    query: [['client_order_id', clientOrderId]],
  };
}

/** `GET /v2/orders/{id}`, with its legs when `nested`. */
export function orderRequest(venueOrderId: string, nested = false): AlpacaRequest {
  return {
    method: 'GET',
    path: `/v2/orders/${encodeURIComponent(venueOrderId)}`,
    query: nested ? [['nested', 'true']] : [],
  };
}

export interface ListOrdersQuery {
  readonly status: 'open' | 'closed' | 'all';
  /** At most 500 (Alpaca's default is 50). */
  readonly limit?: number;
  readonly afterMs?: number;
  readonly untilMs?: number;
  readonly direction?: 'asc' | 'desc';
  readonly nested?: boolean;
  readonly symbols?: readonly string[];
}

/** `GET /v2/orders?status=…`. */
export function listOrdersRequest(q: ListOrdersQuery): AlpacaRequest {
  const query: QueryParam[] = [['status', q.status]];
  if (q.limit !== undefined) query.push(['limit', String(q.limit)]);
  if (q.afterMs !== undefined) query.push(['after', formatTime(q.afterMs)]);
  if (q.untilMs !== undefined) query.push(['until', formatTime(q.untilMs)]);
  if (q.direction !== undefined) query.push(['direction', q.direction]);
  if (q.nested !== undefined) query.push(['nested', String(q.nested)]);
  if (q.symbols !== undefined && q.symbols.length > 0) query.push(['symbols', q.symbols.join(',')]);
  return { method: 'GET', path: '/v2/orders', query };
}

export interface ActivitiesQuery {
  readonly afterMs: number;
  readonly untilMs?: number;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/** `GET /v2/account/activities/FILL`, oldest first, from `after`. */
export function fillActivitiesRequest(q: ActivitiesQuery): AlpacaRequest {
  const query: QueryParam[] = [
    ['after', formatTime(q.afterMs)],
    ['direction', 'asc'],
    ['page_size', String(q.pageSize ?? 100)],
  ];
  if (q.untilMs !== undefined) query.push(['until', formatTime(q.untilMs)]);
  if (q.pageToken !== undefined) query.push(['page_token', q.pageToken]);
  return { method: 'GET', path: '/v2/account/activities/FILL', query };
}

/** `GET /v2/account`. */
export function accountRequest(): AlpacaRequest {
  return { method: 'GET', path: '/v2/account', query: [] };
}

/** `GET /v2/positions`. */
export function positionsRequest(): AlpacaRequest {
  return { method: 'GET', path: '/v2/positions', query: [] };
}

/** `GET /v2/assets?status=active` (every class; the caller keeps equities and crypto). */
export function assetsRequest(assetClass?: 'us_equity' | 'crypto'): AlpacaRequest {
  const query: QueryParam[] = [['status', 'active']];
  if (assetClass !== undefined) query.push(['asset_class', assetClass]);
  return { method: 'GET', path: '/v2/assets', query };
}

/** `GET /v2/clock`: the server's time and whether the market is open. */
export function clockRequest(): AlpacaRequest {
  return { method: 'GET', path: '/v2/clock', query: [] };
}
