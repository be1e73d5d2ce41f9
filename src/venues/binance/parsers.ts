// zod schemas for what Binance Spot sends back (REST bodies, WebSocket API frames, user data and
// public stream events) and the mappers from them to Ordo's vocabulary: VenueReports keyed by
// client order id, order snapshots, balances and trades, all in exact units of the instrument
// (prices, quantities) or MONEY_SCALE (fees, balances, quote amounts).
//
// Keys and ids. A CANCELED executionReport carries the cancel request's own id in `c` and the
// order's id in `C`; the mapper keys it by `C` (REPLACED, from an amend, likewise). Binance trade
// ids are unique per symbol only and both orders of a self-trade share one, while Ordo
// de-duplicates fills by venue and trade id, so a fill's tradeId is `SYMBOL:tradeId:orderId`
// (fillId); the REST FULL response, myTrades and the stream all produce the same one.
//
// Triggers. A stop order is placed not working (`w` false); Binance reports its trigger as another
// NEW execution with `w` true, which maps to `triggered`. A STOP_LOSS that triggers straight into
// trades may show only TRADE executions; the engine then sees fills of an accepted stop.

import { z } from 'zod';
import { parseUnits, toSafe } from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import type { TimestampMs } from '../../core/ports.ts';
import { parseMarketPrice, parseMarketSize } from '../../data/market-units.ts';
import type { VenueReport } from '../../engine/venue-port.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { QuoteTick, TradeTick } from '../../model/market.ts';
import type { Liquidity, Side } from '../../model/order.ts';
import {
  ALGO_ORDER_TYPES,
  BINANCE_EXECUTION_TYPES,
  BINANCE_ORDER_STATUSES,
  BINANCE_ORDER_TYPES,
  BINANCE_SIDES,
  type BinanceOrderStatus,
  type BinanceOrderType,
} from './enums.ts';
import { boolLike, decimalString as dec, idString, intLike, zodMessage } from './wire.ts';

// ---------------------------------------------------------------------------------------------
// REST and WS API bodies

/** `{code, msg}`: every error body. */
export const errorBodySchema = z.object({ code: z.number().int(), msg: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** `GET /api/v3/time`. */
export const serverTimeSchema = z.object({ serverTime: intLike });

const side = z.enum(BINANCE_SIDES);
const orderType = z.enum(BINANCE_ORDER_TYPES);
const orderStatus = z.enum(BINANCE_ORDER_STATUSES);

/** One fill of a FULL new-order response. */
export const orderFillSchema = z.object({
  price: dec,
  qty: dec,
  commission: dec,
  commissionAsset: z.string(),
  tradeId: idString,
});

const orderIds = {
  symbol: z.string(),
  orderId: idString,
  orderListId: idString,
  clientOrderId: z.string(),
};

/** The order state fields of RESULT/FULL responses, queries and cancels (conditional ones optional). */
const orderState = {
  price: dec,
  origQty: dec,
  executedQty: dec,
  origQuoteOrderQty: dec.optional(),
  cummulativeQuoteQty: dec,
  status: orderStatus,
  timeInForce: z.string(),
  type: orderType,
  side,
  stopPrice: dec.optional(),
  icebergQty: dec.optional(),
  trailingDelta: intLike.optional(),
  trailingTime: intLike.optional(),
  workingTime: intLike.optional(),
  selfTradePreventionMode: z.string().optional(),
  preventedMatchId: idString.optional(),
  preventedQuantity: dec.optional(),
  strategyId: idString.optional(),
  strategyType: intLike.optional(),
  usedSor: boolLike.optional(),
  workingFloor: z.string().optional(),
  expiryReason: z.string().optional(),
};

export const newOrderAckSchema = z.object({ ...orderIds, transactTime: intLike });
export const newOrderResultSchema = z.object({ ...orderIds, transactTime: intLike, ...orderState });
export const newOrderFullSchema = newOrderResultSchema.extend({ fills: z.array(orderFillSchema) });
/** `POST /api/v3/order` in any `newOrderRespType` (FULL tried first, then RESULT, then ACK). */
export const newOrderResponseSchema = z.union([newOrderFullSchema, newOrderResultSchema, newOrderAckSchema]);
export type NewOrderResponse = z.infer<typeof newOrderResponseSchema>;

/** `GET /api/v3/order` and each element of `GET /api/v3/openOrders` / `allOrders`. */
export const queryOrderSchema = z.object({
  ...orderIds,
  ...orderState,
  time: intLike,
  updateTime: intLike,
  isWorking: boolLike,
});
export type QueryOrder = z.infer<typeof queryOrderSchema>;
export const openOrdersSchema = z.array(queryOrderSchema);

/** `DELETE /api/v3/order`, and a canceled order inside list and cancel-all responses. */
export const cancelOrderSchema = z.object({
  ...orderIds,
  origClientOrderId: z.string(),
  transactTime: intLike,
  ...orderState,
});
export type CancelOrder = z.infer<typeof cancelOrderSchema>;

const listOrderRef = z.object({ symbol: z.string(), orderId: idString, clientOrderId: z.string() });

/** An order report inside an order-list response (placement or cancel). */
export const listOrderReportSchema = z.union([
  newOrderFullSchema,
  cancelOrderSchema,
  newOrderResultSchema,
  newOrderAckSchema,
]);

/** Order-list placement (OCO/OTO/OTOCO), cancel and query responses. OTOCO reports `OTO`. */
export const orderListSchema = z.object({
  orderListId: idString,
  contingencyType: z.string(),
  listStatusType: z.string(),
  listOrderStatus: z.string(),
  listClientOrderId: z.string(),
  transactionTime: intLike,
  symbol: z.string(),
  orders: z.array(listOrderRef),
  orderReports: z.array(listOrderReportSchema).optional(),
});
export type OrderList = z.infer<typeof orderListSchema>;

/** `DELETE /api/v3/openOrders`: canceled orders and canceled order lists, mixed. */
export const cancelAllSchema = z.array(z.union([orderListSchema, cancelOrderSchema]));

/** `PUT /api/v3/order/amend/keepPriority`: note `qty` and `cumulativeQuoteQty` (one m). */
export const amendResponseSchema = z.object({
  transactTime: intLike,
  executionId: idString,
  amendedOrder: z.object({
    ...orderIds,
    origClientOrderId: z.string(),
    price: dec,
    qty: dec,
    executedQty: dec,
    preventedQty: dec.optional(),
    quoteOrderQty: dec.optional(),
    cumulativeQuoteQty: dec,
    status: orderStatus,
    timeInForce: z.string(),
    type: orderType,
    side,
    stopPrice: dec.optional(),
    workingTime: intLike.optional(),
    selfTradePreventionMode: z.string().optional(),
  }),
  listStatus: z
    .object({
      orderListId: idString,
      contingencyType: z.string(),
      listOrderStatus: z.string(),
      listClientOrderId: z.string(),
      symbol: z.string(),
      orders: z.array(listOrderRef),
    })
    .optional(),
});
export type AmendResponse = z.infer<typeof amendResponseSchema>;

const crResult = z.enum(['SUCCESS', 'FAILURE', 'NOT_ATTEMPTED']);

/** `POST /api/v3/order/cancelReplace` when both parts succeeded (HTTP 200). */
export const cancelReplaceSuccessSchema = z.object({
  cancelResult: z.literal('SUCCESS'),
  newOrderResult: z.literal('SUCCESS'),
  cancelResponse: cancelOrderSchema,
  newOrderResponse: newOrderResponseSchema,
});

/** cancelReplace failures: -2021 (one part failed, HTTP 409) and -2022 (both, HTTP 400). */
export const cancelReplaceFailureSchema = z.object({
  code: z.number().int(),
  msg: z.string(),
  data: z.object({
    cancelResult: crResult,
    newOrderResult: crResult,
    cancelResponse: z.union([cancelOrderSchema, errorBodySchema]),
    newOrderResponse: z.union([newOrderResponseSchema, errorBodySchema]).nullable(),
  }),
});
export const cancelReplaceResponseSchema = z.union([cancelReplaceSuccessSchema, cancelReplaceFailureSchema]);
export type CancelReplaceResponse = z.infer<typeof cancelReplaceResponseSchema>;

/** `GET /api/v3/account`. */
export const accountSchema = z.object({
  makerCommission: intLike,
  takerCommission: intLike,
  buyerCommission: intLike,
  sellerCommission: intLike,
  commissionRates: z.object({ maker: dec, taker: dec, buyer: dec, seller: dec }).optional(),
  canTrade: boolLike,
  canWithdraw: boolLike,
  canDeposit: boolLike,
  brokered: boolLike.optional(),
  requireSelfTradePrevention: boolLike.optional(),
  preventSor: boolLike.optional(),
  updateTime: intLike,
  accountType: z.string(),
  balances: z.array(z.object({ asset: z.string(), free: dec, locked: dec })),
  permissions: z.array(z.string()),
  uid: intLike.optional(),
});
export type Account = z.infer<typeof accountSchema>;

/** One element of `GET /api/v3/myTrades`. */
export const myTradeSchema = z.object({
  symbol: z.string(),
  id: idString,
  orderId: idString,
  orderListId: idString.optional(),
  price: dec,
  qty: dec,
  quoteQty: dec,
  commission: dec,
  commissionAsset: z.string(),
  time: intLike,
  isBuyer: boolLike,
  isMaker: boolLike,
  isBestMatch: boolLike.optional(),
});
export type MyTrade = z.infer<typeof myTradeSchema>;
export const myTradesSchema = z.array(myTradeSchema);

/** `rateLimits[]` of WS API responses (the REST headers' counterpart). */
export const rateLimitCountSchema = z.object({
  rateLimitType: z.string(),
  interval: z.string(),
  intervalNum: intLike,
  limit: intLike,
  count: intLike,
});
export type RateLimitCount = z.infer<typeof rateLimitCountSchema>;

/** A WebSocket API response frame: `result` on success, `error` (with optional `data`) otherwise. */
export const wsApiResponseSchema = z.object({
  id: z.union([z.string(), z.number(), z.null()]),
  status: z.number().int(),
  result: z.unknown().optional(),
  error: errorBodySchema.extend({ data: z.unknown().optional() }).optional(),
  rateLimits: z.array(rateLimitCountSchema).optional(),
});
export type WsApiResponse = z.infer<typeof wsApiResponseSchema>;

/** `userDataStream.subscribe` result. */
export const subscribeResultSchema = z.object({ subscriptionId: intLike });

/** Legacy `POST /api/v3/userDataStream` (removed from production 2026-02-20). */
export const listenKeySchema = z.object({ listenKey: z.string().min(1) });

// ---------------------------------------------------------------------------------------------
// User data stream events

export const executionReportSchema = z.object({
  e: z.literal('executionReport'),
  E: intLike,
  s: z.string(),
  c: z.string(),
  S: side,
  o: orderType,
  f: z.string(),
  q: dec,
  p: dec,
  P: dec,
  F: dec,
  g: idString,
  C: z.string().nullable(),
  x: z.enum(BINANCE_EXECUTION_TYPES),
  X: orderStatus,
  r: z.string(),
  i: idString,
  l: dec,
  z: dec,
  L: dec,
  n: dec.nullable(),
  N: z.string().nullable(),
  T: intLike,
  t: idString,
  I: idString.optional(),
  w: boolLike,
  m: boolLike,
  M: boolLike,
  O: intLike,
  Z: dec,
  Y: dec,
  Q: dec,
  W: intLike.optional(),
  V: z.string().optional(),
  v: idString.optional(),
  d: intLike.optional(),
  D: intLike.optional(),
  eR: z.string().optional(),
});
export type ExecutionReport = z.infer<typeof executionReportSchema>;

export const listStatusEventSchema = z.object({
  e: z.literal('listStatus'),
  E: intLike,
  s: z.string(),
  g: idString,
  c: z.string(),
  l: z.string(),
  L: z.string(),
  r: z.string(),
  C: z.string(),
  T: intLike,
  O: z.array(z.object({ s: z.string(), i: idString, c: z.string() })),
});
export type ListStatusEvent = z.infer<typeof listStatusEventSchema>;

export const outboundAccountPositionSchema = z.object({
  e: z.literal('outboundAccountPosition'),
  E: intLike,
  u: intLike,
  B: z.array(z.object({ a: z.string(), f: dec, l: dec })),
});

export const balanceUpdateSchema = z.object({
  e: z.literal('balanceUpdate'),
  E: intLike,
  a: z.string(),
  d: dec,
  T: intLike,
});

export const externalLockUpdateSchema = z.object({
  e: z.literal('externalLockUpdate'),
  E: intLike,
  a: z.string(),
  d: dec,
  T: intLike,
});

export const eventStreamTerminatedSchema = z.object({ e: z.literal('eventStreamTerminated'), E: intLike });

/** Legacy listenKey streams only. */
export const listenKeyExpiredSchema = z.object({
  e: z.literal('listenKeyExpired'),
  E: intLike,
  listenKey: z.string(),
});

export const userDataEventSchema = z.discriminatedUnion('e', [
  executionReportSchema,
  listStatusEventSchema,
  outboundAccountPositionSchema,
  balanceUpdateSchema,
  externalLockUpdateSchema,
  eventStreamTerminatedSchema,
  listenKeyExpiredSchema,
]);
export type UserDataEvent = z.infer<typeof userDataEventSchema>;

const KNOWN_EVENTS: ReadonlySet<string> = new Set(
  userDataEventSchema.options.map((o) => o.shape.e.value as string),
);

/** A user data message: the event, the subscription it came on (WS API) or none (legacy bare event). */
export interface UserDataMessage {
  readonly subscriptionId: number | undefined;
  /** Undefined for an event type this module does not know (`unknownType` names it). */
  readonly event: UserDataEvent | undefined;
  readonly unknownType?: string;
}

const envelopeSchema = z.object({ subscriptionId: intLike, event: z.looseObject({ e: z.string() }) });
const bareSchema = z.looseObject({ e: z.string() });

/**
 * Reads a user data message in either form: the WS API envelope `{subscriptionId, event}` or a
 * bare event (legacy listenKey stream). Unknown event types are returned, not refused.
 */
export function parseUserDataMessage(json: unknown): Result<UserDataMessage> {
  const env = envelopeSchema.safeParse(json);
  const wrapped = env.success ? { subscriptionId: env.data.subscriptionId, raw: env.data.event } : undefined;
  let subscriptionId: number | undefined;
  let raw: z.infer<typeof bareSchema>;
  if (wrapped !== undefined) {
    subscriptionId = wrapped.subscriptionId;
    raw = wrapped.raw;
  } else {
    const bare = bareSchema.safeParse(json);
    if (!bare.success) return err(parseError('user data message', bare.error));
    raw = bare.data;
  }
  if (!KNOWN_EVENTS.has(raw.e)) return ok({ subscriptionId, event: undefined, unknownType: raw.e });
  const ev = userDataEventSchema.safeParse(raw);
  if (!ev.success) return err(parseError(raw.e, ev.error));
  return ok({ subscriptionId, event: ev.data });
}

// ---------------------------------------------------------------------------------------------
// Public market streams

export const tradeEventSchema = z.object({
  e: z.literal('trade'),
  E: intLike,
  s: z.string(),
  t: idString,
  p: dec,
  q: dec,
  T: intLike,
  m: boolLike,
  M: boolLike.optional(),
});
export type TradeEvent = z.infer<typeof tradeEventSchema>;

export const bookTickerSchema = z.object({
  u: intLike,
  s: z.string(),
  b: dec,
  B: dec,
  a: dec,
  A: dec,
});
export type BookTicker = z.infer<typeof bookTickerSchema>;

/** A combined-stream frame `{stream: "btcusdt@trade", data: {...}}`. */
export const combinedStreamSchema = z.object({ stream: z.string(), data: z.unknown() });

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

// ---------------------------------------------------------------------------------------------
// Mapping to Ordo

/** Ordo's fill id for a Binance trade: unique across symbols and across the two sides of a self-trade. */
export function fillId(venueSymbol: string, tradeId: string, orderId: string): string {
  return `${venueSymbol}:${tradeId}:${orderId}`;
}

class UnitError extends Error {}

function priceUnits(inst: Instrument, text: string, field: string): number {
  return units(text, inst.priceScale, field);
}

function qtyUnits(inst: Instrument, text: string, field: string): number {
  return units(text, inst.qtyScale, field);
}

function units(text: string, scale: number, field: string): number {
  const v = parseUnits(text, scale);
  const n = v === undefined ? undefined : toSafe(v);
  if (n === undefined || n < 0)
    throw new UnitError(`${field} ${JSON.stringify(text)} does not fit ${scale} decimal places exactly`);
  return n;
}

function money(text: string, field: string): bigint {
  const v = parseUnits(text, MONEY_SCALE);
  if (v === undefined)
    throw new UnitError(`${field} ${JSON.stringify(text)} has more than ${MONEY_SCALE} places`);
  return v;
}

/** A price of 0 means "none" in Binance payloads. */
function optPrice(inst: Instrument, text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const v = priceUnits(inst, text, field);
  return v === 0 ? undefined : v;
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
const liquidity = (maker: boolean): Liquidity => (maker ? 'maker' : 'taker');
const isExpired = (s: BinanceOrderStatus) => s === 'EXPIRED' || s === 'EXPIRED_IN_MATCH';

/**
 * An executionReport as VenueReports (none, one, or for a REPLACED amend one `modified`):
 *
 *   NEW (a stop not yet working, or any other type)    → accepted
 *   NEW of a stop or take-profit type now working (w)  → triggered
 *   TRADE                                              → fill (maker/taker from `m`, fee `n` in `N`)
 *   CANCELED                                           → cancelled, keyed by `C` (the original id)
 *   EXPIRED, TRADE_PREVENTION that expired it          → expired (EXPIRED_IN_MATCH included)
 *   REJECTED                                           → rejected (code and reason from `r`)
 *   REPLACED (amend keepPriority)                      → modified, keyed by `C`
 *
 * A TRADE_PREVENTION that only decremented the order maps to nothing (the next report carries
 * the new state).
 */
export function mapExecutionReport(ev: ExecutionReport, inst: Instrument): Result<readonly VenueReport[]> {
  return guard(`executionReport ${ev.s} ${ev.i}`, () => {
    const ts = ev.T;
    const original = ev.C !== null && ev.C !== '' ? ev.C : ev.c;
    switch (ev.x) {
      case 'NEW':
        if (ALGO_ORDER_TYPES.has(ev.o) && ev.w)
          return [{ kind: 'triggered', clientOrderId: ev.c, ts } satisfies VenueReport];
        return [{ kind: 'accepted', clientOrderId: ev.c, venueOrderId: ev.i, ts } satisfies VenueReport];
      case 'TRADE':
        return [
          {
            kind: 'fill',
            clientOrderId: ev.c,
            tradeId: fillId(ev.s, ev.t, ev.i),
            price: priceUnits(inst, ev.L, 'L'),
            quantity: qtyUnits(inst, ev.l, 'l'),
            fee: money(ev.n ?? '0', 'n'),
            feeCurrency: ev.N ?? '',
            liquidity: liquidity(ev.m),
            ts,
          } satisfies VenueReport,
        ];
      case 'CANCELED':
        return [{ kind: 'cancelled', clientOrderId: original, reason: 'canceled', ts } satisfies VenueReport];
      case 'EXPIRED':
        return [{ kind: 'expired', clientOrderId: ev.c, ts } satisfies VenueReport];
      case 'TRADE_PREVENTION':
        return isExpired(ev.X) ? [{ kind: 'expired', clientOrderId: ev.c, ts } satisfies VenueReport] : [];
      case 'REJECTED':
        return [
          { kind: 'rejected', clientOrderId: ev.c, code: ev.r, reason: ev.r, ts } satisfies VenueReport,
        ];
      case 'REPLACED':
        return [
          {
            kind: 'modified',
            clientOrderId: original,
            quantity: qtyUnits(inst, ev.q, 'q'),
            price: optPrice(inst, ev.p, 'p'),
            triggerPrice: optPrice(inst, ev.P, 'P'),
            ts,
          } satisfies VenueReport,
        ];
    }
  });
}

/** Which response type a parsed new-order response is. */
export function responseType(r: NewOrderResponse): 'ACK' | 'RESULT' | 'FULL' {
  return 'fills' in r ? 'FULL' : 'status' in r ? 'RESULT' : 'ACK';
}

/**
 * A new-order response (REST or WS API `order.place`) as reports: accepted, then the fills of a
 * FULL response (taker: they traded on arrival), then `expired` when the order already ended
 * EXPIRED (a MARKET or IOC remainder) or `rejected`/`cancelled` for those statuses.
 */
export function mapNewOrderResponse(r: NewOrderResponse, inst: Instrument): Result<readonly VenueReport[]> {
  return guard(`order ${r.symbol} ${r.orderId}`, () => {
    const ts = r.transactTime;
    const out: VenueReport[] = [
      { kind: 'accepted', clientOrderId: r.clientOrderId, venueOrderId: r.orderId, ts },
    ];
    if ('fills' in r)
      for (const f of r.fills)
        out.push({
          kind: 'fill',
          clientOrderId: r.clientOrderId,
          tradeId: fillId(r.symbol, f.tradeId, r.orderId),
          price: priceUnits(inst, f.price, 'fills.price'),
          quantity: qtyUnits(inst, f.qty, 'fills.qty'),
          fee: money(f.commission, 'fills.commission'),
          feeCurrency: f.commissionAsset,
          liquidity: 'taker',
          ts,
        });
    if ('status' in r) {
      if (isExpired(r.status)) out.push({ kind: 'expired', clientOrderId: r.clientOrderId, ts });
      else if (r.status === 'CANCELED')
        out.push({ kind: 'cancelled', clientOrderId: r.clientOrderId, reason: 'canceled', ts });
      else if (r.status === 'REJECTED')
        out.push({
          kind: 'rejected',
          clientOrderId: r.clientOrderId,
          code: 'REJECTED',
          reason: 'REJECTED',
          ts,
        });
    }
    return out;
  });
}

/**
 * A cancel response as `cancelled` keyed by the original client id (the order's, not the cancel's).
 * The instrument is not needed (a cancel carries no amounts) and is taken for a uniform signature.
 */
export function mapCancelResponse(r: CancelOrder, _inst: Instrument): Result<readonly VenueReport[]> {
  return guard(`cancel ${r.symbol} ${r.orderId}`, () => {
    const ts = r.transactTime;
    if (r.status === 'CANCELED')
      return [
        {
          kind: 'cancelled',
          clientOrderId: r.origClientOrderId,
          reason: 'canceled',
          ts,
        } satisfies VenueReport,
      ];
    if (isExpired(r.status))
      return [{ kind: 'expired', clientOrderId: r.origClientOrderId, ts } satisfies VenueReport];
    return [];
  });
}

/** An order list as its ids and the reports of its orders (placement or cancel). */
export interface OrderListSummary {
  readonly orderListId: string;
  readonly listClientOrderId: string;
  readonly contingencyType: string;
  readonly listStatusType: string;
  readonly listOrderStatus: string;
  readonly orders: readonly { readonly orderId: string; readonly clientOrderId: string }[];
  readonly reports: readonly VenueReport[];
}

/** Maps an order-list response; each report is mapped as a placement or as a cancel. */
export function mapOrderList(r: OrderList, inst: Instrument): Result<OrderListSummary> {
  const reports: VenueReport[] = [];
  for (const rep of r.orderReports ?? []) {
    const m = 'origClientOrderId' in rep ? mapCancelResponse(rep, inst) : mapNewOrderResponse(rep, inst);
    if (!m.ok) return m;
    reports.push(...m.value);
  }
  return ok({
    orderListId: r.orderListId,
    listClientOrderId: r.listClientOrderId,
    contingencyType: r.contingencyType,
    listStatusType: r.listStatusType,
    listOrderStatus: r.listOrderStatus,
    orders: r.orders.map((o) => ({ orderId: o.orderId, clientOrderId: o.clientOrderId })),
    reports,
  });
}

/** An amend as `modified` (keyed by the original id) and the order's new client id. */
export interface AmendResult {
  readonly report: VenueReport;
  readonly origClientOrderId: string;
  /** The order's client id from now on (Binance assigns one when none was asked for). */
  readonly clientOrderId: string;
}

/** Maps an amend keepPriority response (single order or order-list leg). */
export function mapAmendResponse(r: AmendResponse, inst: Instrument): Result<AmendResult> {
  const a = r.amendedOrder;
  return guard(`amend ${a.symbol} ${a.orderId}`, () => ({
    report: {
      kind: 'modified',
      clientOrderId: a.origClientOrderId,
      quantity: qtyUnits(inst, a.qty, 'qty'),
      price: optPrice(inst, a.price, 'price'),
      triggerPrice: optPrice(inst, a.stopPrice, 'stopPrice'),
      ts: r.transactTime,
    },
    origClientOrderId: a.origClientOrderId,
    clientOrderId: a.clientOrderId,
  }));
}

/** Either part of a cancel-replace: its reports, or Binance's error for it, or not attempted. */
export type PartOutcome =
  | { readonly result: 'SUCCESS'; readonly reports: readonly VenueReport[] }
  | { readonly result: 'FAILURE'; readonly error: ErrorBody }
  | { readonly result: 'NOT_ATTEMPTED' };

/** A cancelReplace outcome: the error code when one part failed, and each part. */
export interface CancelReplaceResult {
  /** Undefined on success; -2021 (partial) or -2022 (total failure) otherwise. */
  readonly error: ErrorBody | undefined;
  readonly cancel: PartOutcome;
  readonly newOrder: PartOutcome;
}

/** Maps a cancelReplace body (success, -2021 or -2022 shape) part by part. */
export function mapCancelReplace(r: CancelReplaceResponse, inst: Instrument): Result<CancelReplaceResult> {
  const cancelPart = (result: string, body: CancelOrder | ErrorBody | undefined): Result<PartOutcome> => {
    if (result === 'NOT_ATTEMPTED' || body === undefined) return ok({ result: 'NOT_ATTEMPTED' });
    if ('code' in body) return ok({ result: 'FAILURE', error: body });
    const m = mapCancelResponse(body, inst);
    return m.ok ? ok({ result: 'SUCCESS', reports: m.value }) : m;
  };
  const newPart = (
    result: string,
    body: NewOrderResponse | ErrorBody | null | undefined,
  ): Result<PartOutcome> => {
    if (result === 'NOT_ATTEMPTED' || body === null || body === undefined)
      return ok({ result: 'NOT_ATTEMPTED' });
    if ('code' in body) return ok({ result: 'FAILURE', error: body });
    const m = mapNewOrderResponse(body, inst);
    return m.ok ? ok({ result: 'SUCCESS', reports: m.value }) : m;
  };
  const isFailure = 'data' in r;
  const data = isFailure ? r.data : r;
  const cancel = cancelPart(data.cancelResult, data.cancelResponse);
  if (!cancel.ok) return cancel;
  const newOrder = newPart(data.newOrderResult, data.newOrderResponse);
  if (!newOrder.ok) return newOrder;
  return ok({
    error: isFailure ? { code: r.code, msg: r.msg } : undefined,
    cancel: cancel.value,
    newOrder: newOrder.value,
  });
}

/** An order's state at the venue (query, open orders), for reconciliation. */
export interface OrderSnapshot {
  readonly venueSymbol: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  /** Undefined when the order is not in a list (Binance sends -1). */
  readonly orderListId: string | undefined;
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly status: BinanceOrderStatus;
  readonly timeInForce: string;
  readonly quantity: number;
  readonly filled: number;
  /** Undefined for types without a limit price (Binance sends 0). */
  readonly price: number | undefined;
  readonly stopPrice: number | undefined;
  readonly trailingDelta: number | undefined;
  /** Quote amount traded (MONEY_SCALE); undefined when Binance reports it unknown (< 0). */
  readonly cumulativeQuote: bigint | undefined;
  readonly createdMs: TimestampMs;
  readonly updatedMs: TimestampMs;
  /** On the book (false for an untriggered stop or a pending order-list leg). */
  readonly working: boolean;
}

/** Maps a queried or open order (prices of 0 become undefined). */
export function mapOrderSnapshot(o: QueryOrder, inst: Instrument): Result<OrderSnapshot> {
  return guard(`order ${o.symbol} ${o.orderId}`, () => {
    const quote = money(o.cummulativeQuoteQty, 'cummulativeQuoteQty');
    return {
      venueSymbol: o.symbol,
      clientOrderId: o.clientOrderId,
      venueOrderId: o.orderId,
      orderListId: o.orderListId === '-1' ? undefined : o.orderListId,
      side: toSide(o.side),
      type: o.type,
      status: o.status,
      timeInForce: o.timeInForce,
      quantity: qtyUnits(inst, o.origQty, 'origQty'),
      filled: qtyUnits(inst, o.executedQty, 'executedQty'),
      price: optPrice(inst, o.price, 'price'),
      stopPrice: optPrice(inst, o.stopPrice, 'stopPrice'),
      trailingDelta: o.trailingDelta,
      cumulativeQuote: quote < 0n ? undefined : quote,
      createdMs: o.time,
      updatedMs: o.updateTime,
      working: o.isWorking,
    };
  });
}

/** A balance in MONEY_SCALE units of its asset. */
export interface Balance {
  readonly asset: string;
  readonly free: bigint;
  readonly locked: bigint;
}

/** Balances of `GET /api/v3/account`. */
export function mapBalances(a: Account): Result<readonly Balance[]> {
  return guard('account', () =>
    a.balances.map((b) => ({
      asset: b.asset,
      free: money(b.free, `${b.asset}.free`),
      locked: money(b.locked, `${b.asset}.locked`),
    })),
  );
}

/** Balances of an `outboundAccountPosition` event. */
export function mapAccountPosition(
  ev: z.infer<typeof outboundAccountPositionSchema>,
): Result<readonly Balance[]> {
  return guard('outboundAccountPosition', () =>
    ev.B.map((b) => ({ asset: b.a, free: money(b.f, `${b.a}.f`), locked: money(b.l, `${b.a}.l`) })),
  );
}

/** One of the account's trades (myTrades), in exact units; `tradeId` is fillId(...). */
export interface AccountTrade {
  readonly tradeId: string;
  readonly venueTradeId: string;
  readonly venueOrderId: string;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly fee: bigint;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly ts: TimestampMs;
}

/** Maps one myTrades entry; `isMaker` gives the liquidity, `isBuyer` the side. */
export function mapMyTrade(t: MyTrade, inst: Instrument): Result<AccountTrade> {
  return guard(`trade ${t.symbol} ${t.id}`, () => ({
    tradeId: fillId(t.symbol, t.id, t.orderId),
    venueTradeId: t.id,
    venueOrderId: t.orderId,
    side: t.isBuyer ? 'buy' : 'sell',
    price: priceUnits(inst, t.price, 'price'),
    quantity: qtyUnits(inst, t.qty, 'qty'),
    fee: money(t.commission, 'commission'),
    feeCurrency: t.commissionAsset,
    liquidity: liquidity(t.isMaker),
    ts: t.time,
  }));
}

/** A myTrades entry as a fill report of the order whose client id the adapter knows. */
export function tradeFillReport(t: AccountTrade, clientOrderId: string): VenueReport {
  return {
    kind: 'fill',
    clientOrderId,
    tradeId: t.tradeId,
    price: t.price,
    quantity: t.quantity,
    fee: t.fee,
    feeCurrency: t.feeCurrency,
    liquidity: t.liquidity,
    ts: t.ts,
  };
}

/** How a failed call should be treated. */
export type ErrorClass =
  /** The request was refused; nothing happened. */
  | 'rejected'
  /** Execution status unknown (5xx, -1006, -1007, -1000/-1001): query before retrying. */
  | 'unknown'
  /** 429, -1003, -1015: back off (see rate-limits.ts). */
  | 'rate_limited'
  /** 418: the IP is banned for Retry-After seconds. */
  | 'banned'
  /** -1021: outside recvWindow; resync the clock, then retry. */
  | 'timestamp'
  /** -1022, -2014, -2015: signature, key or permission. */
  | 'auth'
  /** -2013, or -2011 "Unknown order sent.": no such order. */
  | 'not_found';

const UNKNOWN_CODES = new Set([-1000, -1001, -1006, -1007]);

/** Classifies a failed REST or WS API call by HTTP status and Binance code. */
export function classifyError(httpStatus: number, body: ErrorBody | undefined): ErrorClass {
  const code = body?.code;
  if (httpStatus === 418) return 'banned';
  if (httpStatus === 429 || code === -1003 || code === -1015) return 'rate_limited';
  if (httpStatus >= 500 || (code !== undefined && UNKNOWN_CODES.has(code))) return 'unknown';
  if (code === -1021) return 'timestamp';
  if (code === -1022 || code === -2014 || code === -2015) return 'auth';
  if (code === -2013 || (code === -2011 && body?.msg === 'Unknown order sent.')) return 'not_found';
  return 'rejected';
}

/** A refused order placement as a `rejected` report (code = Binance's code as text). */
export function rejectedReport(clientOrderId: string, body: ErrorBody, ts: TimestampMs): VenueReport {
  return { kind: 'rejected', clientOrderId, code: String(body.code), reason: body.msg, ts };
}

/** A public trade as a TradeTick: the aggressor sold when the buyer was the maker (`m`). */
export function mapTradeEvent(ev: TradeEvent, inst: Instrument): Result<TradeTick> {
  const price = parseMarketPrice(inst, ev.p);
  if (typeof price !== 'number') return err(codedError('invalid_field', `trade ${ev.t} p: ${price.message}`));
  const size = parseMarketSize(inst, ev.q, { rounding: undefined, allowZero: false });
  if (typeof size !== 'number') return err(codedError('invalid_field', `trade ${ev.t} q: ${size.message}`));
  return ok({
    kind: 'trade',
    instrument: inst.key,
    ts: ev.T,
    price,
    size,
    aggressor: ev.m ? 'sell' : 'buy',
    tradeId: ev.t,
  });
}

/** A bookTicker as a QuoteTick; the event has no time, so the caller stamps it (`ts`). */
export function mapBookTicker(ev: BookTicker, inst: Instrument, ts: TimestampMs): Result<QuoteTick> {
  const rules = { rounding: undefined, allowZero: true } as const;
  const bid = parseMarketPrice(inst, ev.b);
  const ask = parseMarketPrice(inst, ev.a);
  const bidSize = parseMarketSize(inst, ev.B, rules);
  const askSize = parseMarketSize(inst, ev.A, rules);
  for (const [name, v] of [
    ['b', bid],
    ['a', ask],
    ['B', bidSize],
    ['A', askSize],
  ] as const)
    if (typeof v !== 'number')
      return err(codedError('invalid_field', `bookTicker ${ev.u} ${name}: ${v.message}`));
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
