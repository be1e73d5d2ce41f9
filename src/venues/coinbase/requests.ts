// Builds the exact Coinbase Advanced Trade REST requests (method, path, query, JSON body) from
// Ordo's venue requests. Values are formatted from exact units with formatUnits (trailing zeros
// trimmed, never an exponent). The JWT is added by coinbase-rest.ts. Nothing here does I/O.
//
// How Ordo orders become an `order_configuration` (exactly one key, venues.md 3.4):
//
//   market, gtc/ioc                  → market_market_ioc {base_size}
//   limit gtc (+ postOnly)           → limit_limit_gtc {base_size, limit_price, post_only}
//   limit gtd (+ postOnly)           → limit_limit_gtd {…, end_time}
//   limit ioc                        → sor_limit_ioc {base_size, limit_price}
//   limit fok                        → limit_limit_fok {base_size, limit_price}
//   stop_limit gtc / gtd             → stop_limit_stop_limit_gtc / _gtd {base_size, limit_price,
//                                      stop_price, stop_direction (+ end_time)}
//
// An Ordo stop fires in the adverse direction: a buy at or above its trigger (STOP_DIRECTION_STOP_UP),
// a sell at or below (STOP_DIRECTION_STOP_DOWN). ccxt's fixture of a buy stop-limit sends STOP_DOWN
// (ccxt picks the direction from the market price); Ordo's meaning of a stop fixes it instead.
//
// Not native, returned as `unsupported` (Ordo emulates what it can, see COINBASE_CAPABILITIES):
// stop (market) and trailing stops (Coinbase spot has neither), day orders, FOK market orders
// (perpetuals only), post-only with IOC/FOK or on a stop-limit, a stop-limit IOC/FOK.
//
// A bracket's exit pair (routed: see COINBASE_CAPABILITIES.bracketExitPair) is ONE order,
//   take-profit limit + stop-loss stop, gtc / gtd → trigger_bracket_gtc / _gtd {base_size,
//                                      limit_price: take-profit, stop_trigger_price: stop-loss
//                                      trigger (+ end_time)}
// whose client_order_id names both of Ordo's legs (exit-pair.ts). Coinbase works the triggered
// stop as a limit order it prices itself (5 % through the trigger, per third-party docs).
//
// The attached form (built, not routed): an entry (limit gtc/gtd or market) with
// `attached_order_configuration` {trigger_bracket_gtc|gtd: {limit_price, stop_trigger_price}}.
// OCO and OTO lists have no native form.

import { formatUnits } from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import type { Capabilities, VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import { pairClientId } from './exit-pair.ts';
import type { ProductRules } from './products.ts';

export type HttpMethod = 'GET' | 'POST';

/** One REST call, unsigned. `path` is relative to the brokerage base (`/orders`). */
export interface CoinbaseRequest {
  readonly method: HttpMethod;
  readonly path: string;
  /** Query parameters in the order sent; a key may repeat (`product_ids=A&product_ids=B`). */
  readonly query: readonly (readonly [string, string])[];
  /** JSON body of a POST. */
  readonly body?: unknown;
  /** Counted against the private (per key) or the public (per IP) rate limit. */
  readonly scope: 'private' | 'public';
}

/**
 * What Coinbase Advanced Trade (spot) does natively. Stops trigger on the last trade price
 * (orders guide: "Stop orders are triggered based on the movement of the last trade price").
 * Stop-market and trailing stops do not exist: Ordo holds them and sends a market (or limit)
 * order when the trigger holds. OCO and OTO do not exist either (Ordo links them).
 *
 * A bracket's exits — a take-profit limit and a stop-loss stop — go native as one standalone
 * `trigger_bracket_gtc` / `_gtd` order (`bracketExitPair`): Coinbase rests the take-profit and,
 * when a trade reaches the trigger, withdraws it and works the rest as a limit order it prices
 * itself through the trigger. Ordo places that order once the entry fills (sized to the fill, and
 * resized by an edit as more fills: brackets protect partial fills) or at once for a bracket on a
 * position. The entry goes as its own order, so the list itself is linked by Ordo. A stop-limit
 * stop-loss (its own limit) has no place in a trigger bracket and is emulated, as are OCOs.
 *
 * Coinbase's attached form (an entry with `attached_order_configuration`, built by
 * bracketOrderRequest) is not routed: its exits wake only once the entry is completely filled,
 * and whether its trigger bracket can be resized with the entry's partial fills is not documented.
 *
 * Edits (`POST /orders/edit`) keep the order id; Coinbase allows them on GTC limit and stop-limit
 * orders only, and the adapter refuses the rest with a message saying so. Day orders do not exist.
 */
export const COINBASE_CAPABILITIES: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'emulated',
    stop_limit: 'native',
    trailing_stop: 'emulated',
  },
  contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'unsupported', gtd: 'native' },
  modify: true,
  triggerBases: ['last'],
  bracketExitPair: true,
};

/** Why an Ordo request has no native Coinbase form. */
export type UnsupportedReason =
  | 'order_type'
  | 'time_in_force'
  | 'post_only'
  | 'market_fok'
  | 'list_shape'
  | 'product_flag';

export interface Unsupported {
  readonly kind: 'unsupported';
  readonly reason: UnsupportedReason;
  readonly message: string;
}

/** A request that is wrong whatever the venue (missing field, wrong instrument). */
export interface Invalid {
  readonly kind: 'invalid';
  readonly field: string;
  readonly message: string;
}

export type BuildFailure = Unsupported | Invalid;
export type Built<T> = Result<T, BuildFailure>;

/** The failure as an OrdoError: `unsupported` or `invalid_field`. */
export function buildError(f: BuildFailure): OrdoError {
  return f.kind === 'unsupported'
    ? codedError('unsupported', f.message, { reason: f.reason })
    : {
        code: 'invalid_field',
        message: `${f.field}: ${f.message}`,
        issues: [{ field: f.field, rule: 'coinbase', message: f.message }],
      };
}

const unsupported = (reason: UnsupportedReason, message: string): Built<never> =>
  err({ kind: 'unsupported', reason, message });
const invalid = (field: string, message: string): Built<never> => err({ kind: 'invalid', field, message });

export type StopDirection = 'STOP_DIRECTION_STOP_UP' | 'STOP_DIRECTION_STOP_DOWN';

/** One `order_configuration`: exactly one key. */
export type OrderConfiguration =
  | { readonly market_market_ioc: { readonly base_size?: string; readonly quote_size?: string } }
  | {
      readonly limit_limit_gtc: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly post_only: boolean;
      };
    }
  | {
      readonly limit_limit_gtd: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly end_time: string;
        readonly post_only: boolean;
      };
    }
  | { readonly limit_limit_fok: { readonly base_size: string; readonly limit_price: string } }
  | { readonly sor_limit_ioc: { readonly base_size: string; readonly limit_price: string } }
  | {
      readonly stop_limit_stop_limit_gtc: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly stop_price: string;
        readonly stop_direction: StopDirection;
      };
    }
  | {
      readonly stop_limit_stop_limit_gtd: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly stop_price: string;
        readonly stop_direction: StopDirection;
        readonly end_time: string;
      };
    }
  | {
      readonly trigger_bracket_gtc: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly stop_trigger_price: string;
      };
    }
  | {
      readonly trigger_bracket_gtd: {
        readonly base_size: string;
        readonly limit_price: string;
        readonly stop_trigger_price: string;
        readonly end_time: string;
      };
    };

/** `attached_order_configuration` of a native bracket. */
export type AttachedConfiguration =
  | { readonly trigger_bracket_gtc: { readonly limit_price: string; readonly stop_trigger_price: string } }
  | {
      readonly trigger_bracket_gtd: {
        readonly limit_price: string;
        readonly stop_trigger_price: string;
        readonly end_time: string;
      };
    };

/** The body of `POST /orders`. */
export interface CreateOrderBody {
  readonly client_order_id: string;
  readonly product_id: string;
  readonly side: 'BUY' | 'SELL';
  readonly order_configuration: OrderConfiguration;
  readonly attached_order_configuration?: AttachedConfiguration;
}

const SIDE = { buy: 'BUY', sell: 'SELL' } as const;

/** A stop's direction in Ordo's meaning: a buy stop fires rising, a sell stop falling. */
export function stopDirection(side: 'buy' | 'sell'): StopDirection {
  return side === 'buy' ? 'STOP_DIRECTION_STOP_UP' : 'STOP_DIRECTION_STOP_DOWN';
}

/** RFC 3339 (UTC, milliseconds) of an epoch-ms time, as `end_time` wants. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** The `order_configuration` of an Ordo order, or why it has none. */
export function orderConfiguration(rules: ProductRules, o: VenueOrderRequest): Built<OrderConfiguration> {
  const inst = rules.instrument;
  if (o.instrument !== inst.key) return invalid('instrument', `${o.instrument} is not ${inst.key}`);
  if (typeof o.clientOrderId !== 'string' || o.clientOrderId.length === 0 || o.clientOrderId.length > 128)
    return invalid('clientOrderId', 'must be 1 to 128 characters');
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0) return invalid('quantity', 'must be > 0');
  const base_size = formatUnits(o.quantity, inst.qtyScale, true);
  const price = (field: 'price' | 'triggerPrice', v: number | undefined): Built<string> =>
    v === undefined || !Number.isSafeInteger(v) || v <= 0
      ? invalid(field, `a ${o.type} order needs a ${field === 'price' ? 'limit' : 'trigger'} price > 0`)
      : ok(formatUnits(v, inst.priceScale, true));
  const endTime = (): Built<string> =>
    o.expireAtMs === undefined
      ? invalid('expireAtMs', 'a GTD order needs an expiry time')
      : ok(rfc3339(o.expireAtMs));
  switch (o.type) {
    case 'market':
      if (o.tif === 'fok')
        return unsupported('market_fok', 'coinbase takes FOK market orders on perpetuals only');
      if (o.postOnly) return unsupported('post_only', 'a market order cannot be post-only');
      return ok({ market_market_ioc: { base_size } });
    case 'limit': {
      const lp = price('price', o.price);
      if (!lp.ok) return lp;
      const limit_price = lp.value;
      switch (o.tif) {
        case 'gtc':
          return ok({ limit_limit_gtc: { base_size, limit_price, post_only: o.postOnly } });
        case 'gtd': {
          const end = endTime();
          if (!end.ok) return end;
          return ok({
            limit_limit_gtd: { base_size, limit_price, end_time: end.value, post_only: o.postOnly },
          });
        }
        case 'ioc':
          if (o.postOnly)
            return unsupported('post_only', 'coinbase takes post-only on GTC and GTD limits only');
          return ok({ sor_limit_ioc: { base_size, limit_price } });
        case 'fok':
          if (o.postOnly)
            return unsupported('post_only', 'coinbase takes post-only on GTC and GTD limits only');
          return ok({ limit_limit_fok: { base_size, limit_price } });
        default:
          return unsupported('time_in_force', `time in force ${o.tif} does not exist on coinbase`);
      }
    }
    case 'stop_limit': {
      const lp = price('price', o.price);
      if (!lp.ok) return lp;
      const sp = price('triggerPrice', o.triggerPrice);
      if (!sp.ok) return sp;
      if (o.postOnly) return unsupported('post_only', 'coinbase stop-limit orders cannot be post-only');
      const common = {
        base_size,
        limit_price: lp.value,
        stop_price: sp.value,
        stop_direction: stopDirection(o.side),
      };
      if (o.tif === 'gtc') return ok({ stop_limit_stop_limit_gtc: common });
      if (o.tif === 'gtd') {
        const end = endTime();
        if (!end.ok) return end;
        return ok({ stop_limit_stop_limit_gtd: { ...common, end_time: end.value } });
      }
      return unsupported(
        'time_in_force',
        `coinbase stop-limit orders are GTC or GTD, not ${o.tif.toUpperCase()}`,
      );
    }
    default:
      return unsupported(
        'order_type',
        `coinbase has no native ${o.type.replace('_', ' ')} orders (Ordo emulates them)`,
      );
  }
}

/** `POST /orders` for one order. */
export function createOrderRequest(rules: ProductRules, o: VenueOrderRequest): Built<CoinbaseRequest> {
  const config = orderConfiguration(rules, o);
  if (!config.ok) return config;
  const body: CreateOrderBody = {
    client_order_id: o.clientOrderId,
    product_id: rules.productId,
    side: SIDE[o.side],
    order_configuration: config.value,
  };
  return ok({ method: 'POST', path: '/orders', query: [], body, scope: 'private' });
}

/** The legs of a native bracket: entry, take-profit limit, stop-loss (stop or stop-limit). */
export interface BracketLegs {
  readonly entry: VenueOrderRequest;
  readonly takeProfit: VenueOrderRequest;
  readonly stopLoss: VenueOrderRequest;
}

/** Which leg is which, or why the list has no native Coinbase form. */
export function bracketLegs(list: VenueListRequest): Built<BracketLegs> {
  if (list.kind !== 'bracket' || list.parent === undefined)
    return unsupported(
      'list_shape',
      `coinbase has no native ${list.kind.toUpperCase()}${list.kind === 'bracket' ? ' without an entry' : ''} lists (Ordo links them)`,
    );
  const tp = list.legs.find((l) => l.type === 'limit');
  const sl = list.legs.find((l) => l.type === 'stop' || l.type === 'stop_limit');
  if (list.legs.length !== 2 || tp === undefined || sl === undefined)
    return unsupported(
      'list_shape',
      'a coinbase bracket is an entry, one take-profit limit and one stop-loss',
    );
  return ok({ entry: list.parent, takeProfit: tp, stopLoss: sl });
}

/** `POST /orders` of a bracket: the entry with its exits attached. */
export function bracketOrderRequest(rules: ProductRules, list: VenueListRequest): Built<CoinbaseRequest> {
  const legs = bracketLegs(list);
  if (!legs.ok) return legs;
  const { entry, takeProfit, stopLoss } = legs.value;
  if (entry.type !== 'limit' && entry.type !== 'market')
    return unsupported('list_shape', 'a coinbase bracket entry is a limit or a market order');
  const inst = rules.instrument;
  if (takeProfit.price === undefined) return invalid('takeProfit.price', 'is required');
  if (stopLoss.triggerPrice === undefined) return invalid('stopLoss.triggerPrice', 'is required');
  const exits = {
    limit_price: formatUnits(takeProfit.price, inst.priceScale, true),
    stop_trigger_price: formatUnits(stopLoss.triggerPrice, inst.priceScale, true),
  };
  const base = createOrderRequest(rules, entry);
  if (!base.ok) return base;
  const attached: AttachedConfiguration =
    entry.tif === 'gtd' && entry.expireAtMs !== undefined
      ? { trigger_bracket_gtd: { ...exits, end_time: rfc3339(entry.expireAtMs) } }
      : { trigger_bracket_gtc: exits };
  return ok({
    ...base.value,
    body: { ...(base.value.body as CreateOrderBody), attached_order_configuration: attached },
  });
}

/** The take-profit and stop-loss of an exit pair (a bracket without an entry), or why it is not one. */
export function exitPairLegs(
  list: VenueListRequest,
): Built<{ readonly takeProfit: VenueOrderRequest; readonly stopLoss: VenueOrderRequest }> {
  const tp = list.legs.find((l) => l.type === 'limit');
  const sl = list.legs.find((l) => l.type === 'stop');
  if (list.kind !== 'bracket' || list.parent !== undefined || list.legs.length !== 2 || !tp || !sl)
    return unsupported(
      'list_shape',
      `coinbase takes a ${list.kind.toUpperCase()} natively only as a bracket's exit pair: one take-profit limit and one stop-loss stop`,
    );
  if (
    tp.side !== sl.side ||
    tp.quantity !== sl.quantity ||
    tp.tif !== sl.tif ||
    tp.expireAtMs !== sl.expireAtMs
  )
    return unsupported(
      'list_shape',
      'the take-profit and stop-loss of a coinbase trigger bracket share one side, quantity and time in force',
    );
  if (tp.postOnly) return unsupported('post_only', 'a coinbase trigger bracket cannot be post-only');
  return ok({ takeProfit: tp, stopLoss: sl });
}

/** `POST /orders` of a bracket's exit pair: one trigger_bracket_gtc / _gtd order. */
export function exitPairRequest(rules: ProductRules, list: VenueListRequest): Built<CoinbaseRequest> {
  const legs = exitPairLegs(list);
  if (!legs.ok) return legs;
  const { takeProfit: tp, stopLoss: sl } = legs.value;
  // The take-profit as a limit order checks the size, the limit price and the client id.
  const limit = orderConfiguration(rules, { ...tp, tif: 'gtc' });
  if (!limit.ok) return limit;
  const inst = rules.instrument;
  if (sl.triggerPrice === undefined || !Number.isSafeInteger(sl.triggerPrice) || sl.triggerPrice <= 0)
    return invalid('stopLoss.triggerPrice', 'a trigger bracket needs a stop trigger price > 0');
  const client_order_id = pairClientId(tp.clientOrderId, sl.clientOrderId);
  if (client_order_id === undefined)
    return invalid(
      'clientOrderId',
      'the legs’ client ids do not make one trigger bracket id of at most 128 characters',
    );
  const exits = {
    base_size: formatUnits(tp.quantity, inst.qtyScale, true),
    limit_price: formatUnits(tp.price!, inst.priceScale, true),
    stop_trigger_price: formatUnits(sl.triggerPrice, inst.priceScale, true),
  };
  let order_configuration: OrderConfiguration;
  if (tp.tif === 'gtc') order_configuration = { trigger_bracket_gtc: exits };
  else if (tp.tif === 'gtd') {
    if (tp.expireAtMs === undefined) return invalid('expireAtMs', 'a GTD order needs an expiry time');
    order_configuration = { trigger_bracket_gtd: { ...exits, end_time: rfc3339(tp.expireAtMs) } };
  } else
    return unsupported(
      'time_in_force',
      `coinbase trigger brackets are GTC or GTD, not ${tp.tif.toUpperCase()}`,
    );
  const body: CreateOrderBody = {
    client_order_id,
    product_id: rules.productId,
    side: SIDE[tp.side],
    order_configuration,
  };
  return ok({ method: 'POST', path: '/orders', query: [], body, scope: 'private' });
}

/** `POST /orders/edit`: Coinbase wants both price and size (an omitted size reads as 0). */
export function editOrderRequest(
  orderId: string,
  fields: { readonly size: string; readonly price: string; readonly stopPrice?: string },
): CoinbaseRequest {
  const body: Record<string, string> = { order_id: orderId, size: fields.size, price: fields.price };
  if (fields.stopPrice !== undefined) body.stop_price = fields.stopPrice;
  return { method: 'POST', path: '/orders/edit', query: [], body, scope: 'private' };
}

/** Largest batch `POST /orders/batch_cancel` is sent with (nautilus chunks by 100). */
export const CANCEL_BATCH = 100;

/** `POST /orders/batch_cancel` of up to CANCEL_BATCH orders. */
export function batchCancelRequest(orderIds: readonly string[]): CoinbaseRequest {
  return {
    method: 'POST',
    path: '/orders/batch_cancel',
    query: [],
    body: { order_ids: [...orderIds] },
    scope: 'private',
  };
}

/** `GET /orders/historical/{order_id}`. */
export function getOrderRequest(orderId: string): CoinbaseRequest {
  return {
    method: 'GET',
    path: `/orders/historical/${encodeURIComponent(orderId)}`,
    query: [],
    scope: 'private',
  };
}

export interface ListOrdersParams {
  readonly productIds?: readonly string[];
  /** Repeated `order_status`; absent lists every status. */
  readonly statuses?: readonly string[];
  readonly startMs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** `GET /orders/historical/batch`. */
export function listOrdersRequest(p: ListOrdersParams): CoinbaseRequest {
  const q: [string, string][] = [];
  for (const id of p.productIds ?? []) q.push(['product_ids', id]);
  for (const s of p.statuses ?? []) q.push(['order_status', s]);
  if (p.startMs !== undefined) q.push(['start_date', rfc3339(p.startMs)]);
  q.push(['limit', String(p.limit ?? 250)]);
  if (p.cursor !== undefined && p.cursor !== '') q.push(['cursor', p.cursor]);
  return { method: 'GET', path: '/orders/historical/batch', query: q, scope: 'private' };
}

export interface ListFillsParams {
  readonly orderIds?: readonly string[];
  readonly productIds?: readonly string[];
  readonly startMs?: number;
  readonly limit?: number;
  readonly cursor?: string;
}

/** `GET /orders/historical/fills`. */
export function listFillsRequest(p: ListFillsParams): CoinbaseRequest {
  const q: [string, string][] = [];
  for (const id of p.orderIds ?? []) q.push(['order_ids', id]);
  for (const id of p.productIds ?? []) q.push(['product_ids', id]);
  if (p.startMs !== undefined) q.push(['start_sequence_timestamp', rfc3339(p.startMs)]);
  q.push(['limit', String(p.limit ?? 250)]);
  if (p.cursor !== undefined && p.cursor !== '') q.push(['cursor', p.cursor]);
  return { method: 'GET', path: '/orders/historical/fills', query: q, scope: 'private' };
}

/** `GET /accounts` (balances), one page. */
export function accountsRequest(cursor?: string): CoinbaseRequest {
  const q: [string, string][] = [['limit', '250']];
  if (cursor !== undefined && cursor !== '') q.push(['cursor', cursor]);
  return { method: 'GET', path: '/accounts', query: q, scope: 'private' };
}

/** `GET /products` of SPOT products. */
export function productsRequest(): CoinbaseRequest {
  return { method: 'GET', path: '/products', query: [['product_type', 'SPOT']], scope: 'private' };
}

/** The query string of a request (without `?`), keys in order, values percent-encoded. */
export function encodeQuery(query: CoinbaseRequest['query']): string {
  return query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
