// JSON shapes of the fake's answers and events, field for field as Binance's documented payloads
// (shared/venues/examples/binance/*.json and venues.md 2.4/2.9): new-order ACK/RESULT/FULL, query,
// cancel, order lists, amend keep-priority, trades, and the user data stream events.
// Decimals are 8-place strings; money held at 10^-18 is cut (not rounded) to 8 places.

import { pow10 } from '../../../core/decimal.ts';
import { MONEY_SCALE } from '../../../model/instrument.ts';
import type { BalanceView, FakeList, FakeOrder, Fill, UserTrade } from './fake-exchange.ts';
import { DEC_SCALE, fmt, fmtPrice, fmtQty } from './fake-symbols.ts';

const MONEY_PER_DEC = pow10(MONEY_SCALE - DEC_SCALE);

export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED' | 'REPLACED';

export const fmtMoney = (v: bigint): string => fmt(v / MONEY_PER_DEC);

const isAlgoType = (t: string): boolean => t.startsWith('STOP_LOSS') || t.startsWith('TAKE_PROFIT');
const marketExecution = (o: FakeOrder): boolean =>
  o.type === 'MARKET' || o.type === 'STOP_LOSS' || o.type === 'TAKE_PROFIT';
const finalStatus = (s: string): boolean =>
  s === 'FILLED' || s === 'CANCELED' || s === 'REJECTED' || s === 'EXPIRED';

/** Conditional fields of order responses: stopPrice, trailingDelta/Time. */
function stopFields(o: FakeOrder, out: Record<string, unknown>): void {
  if (isAlgoType(o.type)) out.stopPrice = fmtPrice(o.spec, o.stopPrice);
  if (o.trailingDelta !== undefined) {
    out.trailingDelta = o.trailingDelta;
    out.trailingTime = o.trailingTime;
  }
}

function strategyFields(o: FakeOrder, out: Record<string, unknown>): void {
  if (o.strategyId !== undefined) out.strategyId = o.strategyId;
  if (o.strategyType !== undefined) out.strategyType = o.strategyType;
}

export function orderAck(o: FakeOrder, transactTime: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
    transactTime,
  };
}

/** RESULT, or FULL when `fills` is given. */
export function orderResult(
  o: FakeOrder,
  transactTime: number,
  fills?: readonly Fill[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...orderAck(o, transactTime),
    price: fmtPrice(o.spec, o.price),
    origQty: fmtQty(o.spec, o.origQty),
    executedQty: fmtQty(o.spec, o.executedQty),
    origQuoteOrderQty: fmt(o.quoteOrderQty ?? 0n),
    cummulativeQuoteQty: fmtMoney(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
  stopFields(o, out);
  out.workingTime = o.workingTime;
  if (o.icebergQty !== undefined) out.icebergQty = fmtQty(o.spec, o.icebergQty);
  strategyFields(o, out);
  if (fills !== undefined) out.fills = fills.map((f) => fillJson(o, f));
  out.selfTradePreventionMode = o.stp;
  return out;
}

export function fillJson(o: FakeOrder, f: Fill): Record<string, unknown> {
  return {
    price: fmtPrice(o.spec, f.price),
    qty: fmtQty(o.spec, f.qty),
    commission: fmtMoney(f.commission),
    commissionAsset: f.commissionAsset,
    tradeId: f.tradeId,
  };
}

/** GET /api/v3/order, openOrders, allOrders. */
export function orderQuery(o: FakeOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
    price: fmtPrice(o.spec, o.price),
    origQty: fmtQty(o.spec, o.origQty),
    executedQty: fmtQty(o.spec, o.executedQty),
    cummulativeQuoteQty: fmtMoney(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: fmtPrice(o.spec, o.stopPrice),
  };
  if (o.trailingDelta !== undefined) {
    out.trailingDelta = o.trailingDelta;
    out.trailingTime = o.trailingTime;
  }
  out.icebergQty = fmtQty(o.spec, o.icebergQty ?? 0);
  out.time = o.time;
  out.updateTime = o.updateTime;
  out.isWorking = o.workingTime !== -1 && o.phase !== 'held' && o.phase !== 'pending';
  out.workingTime = o.workingTime;
  out.origQuoteOrderQty = fmt(o.quoteOrderQty ?? 0n);
  strategyFields(o, out);
  out.selfTradePreventionMode = o.stp;
  return out;
}

/** A canceled order (DELETE /api/v3/order, a leg of a canceled list). */
export function orderCancel(o: FakeOrder, transactTime: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.cancelClientOrderId ?? o.clientOrderId,
    transactTime,
    price: fmtPrice(o.spec, o.price),
    origQty: fmtQty(o.spec, o.origQty),
    executedQty: fmtQty(o.spec, o.executedQty),
    origQuoteOrderQty: fmt(o.quoteOrderQty ?? 0n),
    cummulativeQuoteQty: fmtMoney(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
  if (isAlgoType(o.type)) out.stopPrice = fmtPrice(o.spec, o.stopPrice);
  if (o.trailingDelta !== undefined) out.trailingDelta = o.trailingDelta;
  if (o.icebergQty !== undefined) out.icebergQty = fmtQty(o.spec, o.icebergQty);
  strategyFields(o, out);
  out.selfTradePreventionMode = o.stp;
  return out;
}

/** An order list without its reports (GET /api/v3/orderList). */
export function listQuery(l: FakeList): Record<string, unknown> {
  return {
    orderListId: l.orderListId,
    contingencyType: l.contingencyType,
    listStatusType: l.listStatusType,
    listOrderStatus: l.listOrderStatus,
    listClientOrderId: l.listClientOrderId,
    transactionTime: l.transactionTime,
    symbol: l.symbol,
    orders: l.orders.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
  };
}

export function listResponse(
  l: FakeList,
  transactionTime: number,
  reports: readonly Record<string, unknown>[],
): Record<string, unknown> {
  return { ...listQuery(l), transactionTime, orderReports: reports };
}

export function myTrade(t: UserTrade): Record<string, unknown> {
  const o = t.order;
  return {
    symbol: o.symbol,
    id: t.fill.tradeId,
    orderId: o.orderId,
    orderListId: o.orderListId,
    price: fmtPrice(o.spec, t.fill.price),
    qty: fmtQty(o.spec, t.fill.qty),
    quoteQty: fmtMoney(t.fill.quote),
    commission: fmtMoney(t.fill.commission),
    commissionAsset: t.fill.commissionAsset,
    time: t.fill.time,
    isBuyer: o.side === 'BUY',
    isMaker: t.fill.isMaker,
    isBestMatch: true,
  };
}

/** The amended order of an amend keep-priority answer (note `qty` and single-m `cumulativeQuoteQty`). */
export function amendedOrder(o: FakeOrder, origClientOrderId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    origClientOrderId,
    clientOrderId: o.clientOrderId,
    price: fmtPrice(o.spec, o.price),
    qty: fmtQty(o.spec, o.origQty),
    executedQty: fmtQty(o.spec, o.executedQty),
    preventedQty: '0.00000000',
    quoteOrderQty: fmt(o.quoteOrderQty ?? 0n),
    cumulativeQuoteQty: fmtMoney(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
  if (isAlgoType(o.type)) out.stopPrice = fmtPrice(o.spec, o.stopPrice);
  if (o.workingTime !== -1) out.workingTime = o.workingTime;
  out.selfTradePreventionMode = o.stp;
  return out;
}

// ---- user data stream events ------------------------------------------------------------------

export function executionReport(
  o: FakeOrder,
  x: ExecutionType,
  now: number,
  executionId: number,
  fill?: Fill,
  prevClientOrderId?: string,
): Record<string, unknown> {
  const spec = o.spec;
  const canceled = x === 'CANCELED';
  const ev: Record<string, unknown> = {
    e: 'executionReport',
    E: now,
    s: o.symbol,
    c: canceled ? (o.cancelClientOrderId ?? o.clientOrderId) : o.clientOrderId,
    S: o.side,
    o: o.type,
    f: o.timeInForce,
    q: fmtQty(spec, o.origQty),
    p: fmtPrice(spec, o.price),
    P: fmtPrice(spec, o.stopPrice),
    F: fmtQty(spec, o.icebergQty ?? 0),
    g: o.orderListId,
    C: canceled ? o.clientOrderId : x === 'REPLACED' ? (prevClientOrderId ?? '') : '',
    x,
    X: o.status,
    r: x === 'REJECTED' ? 'INSUFFICIENT_BALANCES' : 'NONE',
    i: o.orderId,
    l: fill === undefined ? '0.00000000' : fmtQty(spec, fill.qty),
    z: fmtQty(spec, o.executedQty),
    L: fill === undefined ? '0.00000000' : fmtPrice(spec, fill.price),
    n: fill === undefined ? '0' : fmtMoney(fill.commission),
    N: fill === undefined ? null : fill.commissionAsset,
    T: now,
    t: fill === undefined ? -1 : fill.tradeId,
  };
  if (o.trailingDelta !== undefined) {
    ev.d = o.trailingDelta;
    if (o.trailingTime !== -1) ev.D = o.trailingTime;
  }
  if (o.strategyId !== undefined) ev.j = o.strategyId;
  if (o.strategyType !== undefined) ev.J = o.strategyType;
  ev.I = executionId;
  ev.w = o.phase === 'working' && !finalStatus(o.status) && (x === 'NEW' || !marketExecution(o));
  ev.m = fill?.isMaker ?? false;
  ev.M = fill !== undefined;
  ev.O = o.time;
  ev.Z = fmtMoney(o.cumQuote);
  ev.Y = fill === undefined ? '0.00000000' : fmtMoney(fill.quote);
  ev.Q = fmt(o.quoteOrderQty ?? 0n);
  if (o.workingTime !== -1) ev.W = o.workingTime;
  ev.V = o.stp;
  return ev;
}

export function listStatusEvent(l: FakeList, now: number): Record<string, unknown> {
  return {
    e: 'listStatus',
    E: now,
    s: l.symbol,
    g: l.orderListId,
    c: l.contingencyType,
    l: l.listStatusType,
    L: l.listOrderStatus,
    r: 'NONE',
    C: l.listClientOrderId,
    T: now,
    O: l.orders.map((o) => ({ s: o.symbol, i: o.orderId, c: o.clientOrderId })),
  };
}

export function outboundAccountPosition(
  balances: readonly BalanceView[],
  now: number,
): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition',
    E: now,
    u: now,
    B: balances.map((b) => ({ a: b.asset, f: fmt(b.free), l: fmt(b.locked) })),
  };
}

export function balanceUpdateEvent(asset: string, delta: bigint, now: number): Record<string, unknown> {
  const neg = delta < 0n;
  return { e: 'balanceUpdate', E: now, a: asset, d: `${neg ? '-' : ''}${fmt(neg ? -delta : delta)}`, T: now };
}
