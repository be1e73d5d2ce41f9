// The fake's endpoints, shared by REST and the WebSocket API: each one reads its parameters as
// Binance does (mandatory and forbidden parameters per order type, formats, precision), runs the
// symbol filters, then calls the exchange core and renders Binance's answer. REST paths and
// WebSocket API method names map to the same endpoint names (`order.place`, `openOrders.status`, …).

import { parseUnits } from '../../../core/decimal.ts';
import { BinanceError, errors } from './fake-errors.ts';
import type { CancelResult, FakeExchange, FakeList, FakeOrder, NewOrder, Tif } from './fake-exchange.ts';
import { checkFilters, type FilterOrder, isAlgo, type Side } from './fake-filters.ts';
import type { ParamReader } from './fake-params.ts';
import type { RateLimiter } from './fake-rate-limits.ts';
import {
  amendedOrder,
  listQuery,
  listResponse,
  myTrade,
  orderAck,
  orderCancel,
  orderQuery,
  orderResult,
} from './fake-render.ts';
import {
  type BinanceOrderType,
  fmt,
  fmtPrice,
  fmtQty,
  ORDER_TYPES,
  priceUnits,
  qtyUnits,
  STP_MODES,
  type SymbolSpec,
  symbolInfo,
} from './fake-symbols.ts';

export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

export interface ApiContext {
  readonly exchange: FakeExchange;
  readonly limiter: RateLimiter;
  readonly now: () => number;
  /** Commission rates as fractions (for the account endpoint). */
  readonly commission: { readonly maker: string; readonly taker: string };
}

export interface Endpoint {
  readonly security: Security;
  weight(p: ParamReader): number;
  /** Orders this request counts against the ORDERS limits. */
  orders(p: ParamReader): number;
  handle(ctx: ApiContext, p: ParamReader): unknown;
}

/** REST method + path → endpoint name (the WebSocket API method of the same request). */
export const REST_ROUTES: Readonly<Record<string, string>> = {
  'GET /api/v3/ping': 'ping',
  'GET /api/v3/time': 'time',
  'GET /api/v3/exchangeInfo': 'exchangeInfo',
  'GET /api/v3/ticker/bookTicker': 'ticker.book',
  'GET /api/v3/ticker/price': 'ticker.price',
  'GET /api/v3/depth': 'depth',
  'POST /api/v3/order': 'order.place',
  'POST /api/v3/order/test': 'order.test',
  'DELETE /api/v3/order': 'order.cancel',
  'GET /api/v3/order': 'order.status',
  'PUT /api/v3/order/amend/keepPriority': 'order.amend.keepPriority',
  'POST /api/v3/order/cancelReplace': 'order.cancelReplace',
  'GET /api/v3/openOrders': 'openOrders.status',
  'DELETE /api/v3/openOrders': 'openOrders.cancelAll',
  'GET /api/v3/allOrders': 'allOrders',
  'POST /api/v3/orderList/oco': 'orderList.place.oco',
  'POST /api/v3/orderList/oto': 'orderList.place.oto',
  'POST /api/v3/orderList/otoco': 'orderList.place.otoco',
  'DELETE /api/v3/orderList': 'orderList.cancel',
  'GET /api/v3/orderList': 'orderList.status',
  'GET /api/v3/openOrderList': 'openOrderLists.status',
  'GET /api/v3/account': 'account.status',
  'GET /api/v3/myTrades': 'myTrades',
  'GET /api/v3/rateLimit/order': 'account.rateLimits.orders',
};

const RESP_TYPES = ['ACK', 'RESULT', 'FULL'] as const;
type RespType = (typeof RESP_TYPES)[number];
const TIFS = ['GTC', 'IOC', 'FOK'] as const;
const SIDES = ['BUY', 'SELL'] as const;

const fixed = (weight: number, security: Security, handle: Endpoint['handle'], orders = 0): Endpoint => ({
  security,
  weight: () => weight,
  orders: () => orders,
  handle,
});

// ---- new-order parameters ---------------------------------------------------------------------

/** Parameter names of one order (a single order, or one leg of an order list). */
interface LegNames {
  readonly type: string;
  readonly side: string | undefined;
  readonly quantity: string | undefined;
  readonly quoteOrderQty: string | undefined;
  readonly price: string;
  readonly stopPrice: string;
  readonly trailingDelta: string;
  readonly timeInForce: string;
  readonly icebergQty: string;
  readonly clientOrderId: string;
  readonly strategyId: string;
  readonly strategyType: string;
}

const SINGLE: LegNames = {
  type: 'type',
  side: 'side',
  quantity: 'quantity',
  quoteOrderQty: 'quoteOrderQty',
  price: 'price',
  stopPrice: 'stopPrice',
  trailingDelta: 'trailingDelta',
  timeInForce: 'timeInForce',
  icebergQty: 'icebergQty',
  clientOrderId: 'newClientOrderId',
  strategyId: 'strategyId',
  strategyType: 'strategyType',
};

/** `above` → aboveType, abovePrice, …; side and quantity shared unless `own` is set. */
function prefixed(prefix: string, own: boolean): LegNames {
  const n = (s: string) => `${prefix}${s}`;
  return {
    type: n('Type'),
    side: own ? n('Side') : undefined,
    quantity: own ? n('Quantity') : undefined,
    quoteOrderQty: undefined,
    price: n('Price'),
    stopPrice: n('StopPrice'),
    trailingDelta: n('TrailingDelta'),
    timeInForce: n('TimeInForce'),
    icebergQty: n('IcebergQty'),
    clientOrderId: n('ClientOrderId'),
    strategyId: n('StrategyId'),
    strategyType: n('StrategyType'),
  };
}

/** An order's parameters in DEC units, before filters. */
interface Draft {
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly tif: Tif | undefined;
  readonly quantity: bigint | undefined;
  readonly quoteOrderQty: bigint | undefined;
  readonly price: bigint | undefined;
  readonly stopPrice: bigint | undefined;
  readonly trailingDelta: number | undefined;
  readonly icebergQty: bigint | undefined;
  readonly clientOrderId: string | undefined;
  readonly strategyId: number | undefined;
  readonly strategyType: number | undefined;
}

const needsPrice = (t: BinanceOrderType) => t !== 'MARKET' && t !== 'STOP_LOSS' && t !== 'TAKE_PROFIT';
const needsTif = (t: BinanceOrderType) =>
  t === 'LIMIT' || t === 'STOP_LOSS_LIMIT' || t === 'TAKE_PROFIT_LIMIT';

function readLeg(
  p: ParamReader,
  spec: SymbolSpec,
  n: LegNames,
  shared: { side?: Side; quantity?: bigint } = {},
  types: readonly BinanceOrderType[] = ORDER_TYPES,
  onBadType: () => Error = errors.invalidType,
): Draft {
  const typeText = p.required(n.type);
  if (!(types as readonly string[]).includes(typeText)) throw onBadType();
  const type = typeText as BinanceOrderType;
  let side = shared.side;
  if (n.side !== undefined) {
    const s = p.required(n.side);
    if (!(SIDES as readonly string[]).includes(s)) throw errors.invalidSide();
    side = s as Side;
  }
  const tifText = p.optional(n.timeInForce);
  let tif: Tif | undefined;
  if (tifText !== undefined) {
    if (!(TIFS as readonly string[]).includes(tifText)) throw errors.invalidTif();
    tif = tifText as Tif;
  }
  let quantity = shared.quantity;
  if (n.quantity !== undefined) quantity = p.decimal(n.quantity, spec.basePrecision);
  const quoteOrderQty =
    n.quoteOrderQty === undefined ? undefined : p.decimal(n.quoteOrderQty, spec.quotePrecision);
  const price = p.decimal(n.price, spec.quotePrecision);
  const stopPrice = p.decimal(n.stopPrice, spec.quotePrecision);
  const trailingDelta = p.int(n.trailingDelta);
  const icebergQty = p.decimal(n.icebergQty, spec.basePrecision);
  const clientOrderId = p.clientId(n.clientOrderId);
  const strategyId = p.int(n.strategyId);
  const strategyType = p.int(n.strategyType);

  // Mandatory and forbidden parameters by order type.
  if (needsTif(type)) {
    if (tif === undefined) throw errors.mandatory(n.timeInForce);
  } else if (tifText !== undefined) throw errors.notRequired(n.timeInForce);
  if (type === 'MARKET' && n.quoteOrderQty !== undefined) {
    if (quantity === undefined && quoteOrderQty === undefined)
      throw errors.eitherMandatory(n.quantity ?? 'quantity', n.quoteOrderQty);
    if (quantity !== undefined && quoteOrderQty !== undefined) throw errors.notRequired(n.quoteOrderQty);
  } else {
    if (quantity === undefined) throw errors.mandatory(n.quantity ?? 'quantity');
    if (quoteOrderQty !== undefined) throw errors.notRequired(n.quoteOrderQty!);
  }
  if (needsPrice(type)) {
    if (price === undefined) throw errors.mandatory(n.price);
  } else if (price !== undefined) throw errors.notRequired(n.price);
  if (isAlgo(type)) {
    if (stopPrice === undefined && trailingDelta === undefined)
      throw errors.eitherMandatory(n.stopPrice, n.trailingDelta);
  } else {
    if (stopPrice !== undefined) throw errors.notRequired(n.stopPrice);
    if (trailingDelta !== undefined) throw errors.notRequired(n.trailingDelta);
  }
  if (icebergQty !== undefined && !needsPrice(type)) throw errors.notRequired(n.icebergQty);
  if (strategyType !== undefined && strategyType < 1_000_000) throw errors.badStrategyType();
  return {
    side: side!,
    type,
    tif,
    quantity,
    quoteOrderQty,
    price,
    stopPrice,
    trailingDelta,
    icebergQty,
    clientOrderId,
    strategyId,
    strategyType,
  };
}

const filterOrder = (d: Draft): FilterOrder => ({
  side: d.side,
  type: d.type,
  price: d.price,
  stopPrice: d.stopPrice,
  quantity: d.quantity,
  quoteOrderQty: d.quoteOrderQty,
  icebergQty: d.icebergQty,
  trailingDelta: d.trailingDelta,
});

const TYPE_NAMES: Record<BinanceOrderType, string> = {
  LIMIT: 'Limit',
  LIMIT_MAKER: 'Limit maker',
  MARKET: 'Market',
  STOP_LOSS: 'Stop loss',
  STOP_LOSS_LIMIT: 'Stop loss limit',
  TAKE_PROFIT: 'Take profit',
  TAKE_PROFIT_LIMIT: 'Take profit limit',
};

/** Engine-side checks of the symbol's permissions for this order (-2010), then conversion to units. */
function finishDraft(spec: SymbolSpec, d: Draft, stp: string): NewOrder {
  if (!spec.orderTypes.has(d.type))
    throw errors.rejected(`${TYPE_NAMES[d.type]} orders are not supported for this symbol.`);
  if (d.quoteOrderQty !== undefined && !spec.quoteOrderQtyMarketAllowed)
    throw errors.rejected('Quote order qty market orders are not support for this symbol.');
  if (d.trailingDelta !== undefined && !spec.allowTrailingStop)
    throw errors.rejected('Trailing stop orders are not supported for this symbol.');
  if (d.icebergQty !== undefined) {
    if (!spec.icebergAllowed) throw errors.rejected('Iceberg orders are not supported for this symbol.');
    if ((d.tif ?? 'GTC') !== 'GTC') throw errors.rejected('Unsupported order combination');
    if (d.quantity !== undefined && d.icebergQty >= d.quantity)
      throw errors.rejected('IcebergQty exceeds QTY.');
  }
  if (d.price !== undefined && d.quantity !== undefined && d.price * d.quantity === 0n)
    throw errors.rejected('Price * QTY is zero or less.');
  return {
    spec,
    side: d.side,
    type: d.type,
    tif: d.tif ?? 'GTC',
    quantity: d.quantity === undefined ? undefined : qtyUnits(spec, d.quantity),
    quoteOrderQty: d.quoteOrderQty,
    price: d.price === undefined ? undefined : priceUnits(spec, d.price),
    stopPrice: d.stopPrice === undefined ? undefined : priceUnits(spec, d.stopPrice),
    trailingDelta: d.trailingDelta,
    icebergQty: d.icebergQty === undefined ? undefined : qtyUnits(spec, d.icebergQty),
    clientOrderId: d.clientOrderId,
    strategyId: d.strategyId,
    strategyType: d.strategyType,
    stp,
  };
}

function readStp(p: ParamReader, spec: SymbolSpec): string {
  const v = p.enumValue('selfTradePreventionMode', STP_MODES);
  if (v === undefined) return spec.defaultStp;
  if (!spec.allowedStp.includes(v)) throw errors.invalidParam('selfTradePreventionMode');
  return v;
}

function symbolOf(ctx: ApiContext, p: ParamReader): SymbolSpec {
  const spec = ctx.exchange.symbol(p.requiredSymbol());
  if (spec === undefined) throw errors.badSymbol();
  return spec;
}

/** Validates a single new order through the filters; the engine checks come at placement. */
function parseNewOrder(ctx: ApiContext, p: ParamReader): { order: NewOrder; resp: RespType } {
  const spec = symbolOf(ctx, p);
  const d = readLeg(p, spec, SINGLE);
  const respText = p.enumValue('newOrderRespType', RESP_TYPES);
  const stp = readStp(p, spec);
  p.finish();
  checkFilters(
    spec,
    filterOrder(d),
    ctx.exchange.filterContext(spec.symbol, 1, isAlgo(d.type) ? 1 : 0, d.icebergQty === undefined ? 0 : 1),
  );
  const resp = respText ?? (d.type === 'MARKET' || d.type === 'LIMIT' ? 'FULL' : 'ACK');
  return { order: finishDraft(spec, d, stp), resp };
}

function renderNew(o: FakeOrder, resp: RespType, now: number): Record<string, unknown> {
  if (resp === 'ACK') return orderAck(o, now);
  return orderResult(o, now, resp === 'FULL' ? o.fills : undefined);
}

function renderCancel(r: CancelResult, now: number): Record<string, unknown> {
  if (r.kind === 'order') return orderCancel(r.order, now);
  return listResponse(
    r.list,
    now,
    r.legs.map((o) => orderCancel(o, now)),
  );
}

function orderRef(p: ParamReader, idName = 'orderId', cidName = 'origClientOrderId') {
  const orderId = p.int(idName);
  const origClientOrderId = p.optional(cidName);
  if (orderId === undefined && origClientOrderId === undefined) throw errors.eitherMandatory(cidName, idName);
  return { orderId, origClientOrderId };
}

function readCancelRestrictions(p: ParamReader): 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED' | undefined {
  return p.enumValue(
    'cancelRestrictions',
    ['ONLY_NEW', 'ONLY_PARTIALLY_FILLED'] as const,
    errors.invalidCancelRestrictions,
  );
}

// ---- order lists ------------------------------------------------------------------------------

const OCO_TYPES: readonly BinanceOrderType[] = [
  'STOP_LOSS_LIMIT',
  'STOP_LOSS',
  'LIMIT_MAKER',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
];
const isStop = (t: BinanceOrderType) => t === 'STOP_LOSS' || t === 'STOP_LOSS_LIMIT';
const isTp = (t: BinanceOrderType) => t === 'TAKE_PROFIT' || t === 'TAKE_PROFIT_LIMIT';

/** Which leg types may sit above and below the market in an OCO of `side` (errors.md -1165..-1199). */
function checkOcoSides(side: Side, above: BinanceOrderType, below: BinanceOrderType): void {
  if (!isAlgo(above) && !isAlgo(below)) throw errors.ocoNeedsContingent();
  if (side === 'SELL') {
    if (isStop(above)) throw errors.sellOcoStopBelow();
    if (below === 'LIMIT_MAKER') throw errors.sellOcoLimitAbove();
    if (isTp(below)) throw errors.sellOcoTakeProfitAbove();
  } else {
    if (above === 'LIMIT_MAKER') throw errors.buyOcoLimitBelow();
    if (isTp(above)) throw errors.buyOcoTakeProfitBelow();
    if (isStop(below)) throw errors.buyOcoStopAbove();
  }
}

function listContext(ctx: ApiContext, spec: SymbolSpec, legs: readonly Draft[]) {
  return ctx.exchange.filterContext(
    spec.symbol,
    legs.length,
    legs.filter((l) => isAlgo(l.type)).length,
    legs.filter((l) => l.icebergQty !== undefined).length,
  );
}

function renderList(l: FakeList, resp: RespType, now: number): Record<string, unknown> {
  return listResponse(
    l,
    now,
    l.orders.map((o) => orderResult(o, now, resp === 'FULL' ? o.fills : undefined)),
  );
}

function placeOco(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const listCid = p.clientId('listClientOrderId');
  const sideText = p.required('side');
  if (!(SIDES as readonly string[]).includes(sideText)) throw errors.invalidSide();
  const side = sideText as Side;
  const quantity = p.requiredDecimal('quantity', spec.basePrecision);
  const above = readLeg(
    p,
    spec,
    prefixed('above', false),
    { side, quantity },
    OCO_TYPES,
    errors.ocoTypeRejected,
  );
  const below = readLeg(
    p,
    spec,
    prefixed('below', false),
    { side, quantity },
    OCO_TYPES,
    errors.ocoTypeRejected,
  );
  const resp = p.enumValue('newOrderRespType', RESP_TYPES) ?? 'RESULT';
  const stp = readStp(p, spec);
  p.finish();
  checkOcoSides(side, above.type, below.type);
  const fctx = listContext(ctx, spec, [above, below]);
  for (const leg of [below, above]) checkFilters(spec, filterOrder(leg), fctx);
  if (!spec.ocoAllowed) throw errors.rejected('OCO orders are not supported for this symbol');
  const now = ctx.now();
  return ctx.exchange.placeOco(
    spec,
    finishDraft(spec, above, stp),
    finishDraft(spec, below, stp),
    listCid,
    (l) => renderList(l, resp, now),
  );
}

function placeOto(ctx: ApiContext, p: ParamReader, otoco: boolean): unknown {
  const spec = symbolOf(ctx, p);
  const listCid = p.clientId('listClientOrderId');
  const working = readLeg(p, spec, prefixed('working', true), {}, ['LIMIT', 'LIMIT_MAKER']);
  let pending: Draft[];
  if (otoco) {
    const sideText = p.required('pendingSide');
    if (!(SIDES as readonly string[]).includes(sideText)) throw errors.invalidSide();
    const side = sideText as Side;
    const quantity = p.requiredDecimal('pendingQuantity', spec.basePrecision);
    const above = readLeg(
      p,
      spec,
      prefixed('pendingAbove', false),
      { side, quantity },
      OCO_TYPES,
      errors.ocoTypeRejected,
    );
    const below = readLeg(
      p,
      spec,
      prefixed('pendingBelow', false),
      { side, quantity },
      OCO_TYPES,
      errors.ocoTypeRejected,
    );
    checkOcoSides(side, above.type, below.type);
    pending = [above, below];
  } else {
    pending = [readLeg(p, spec, prefixed('pending', true))];
  }
  const resp = p.enumValue('newOrderRespType', RESP_TYPES) ?? 'RESULT';
  const stp = readStp(p, spec);
  p.finish();
  const legs = [working, ...pending];
  const fctx = listContext(ctx, spec, legs);
  for (const leg of legs) checkFilters(spec, filterOrder(leg), fctx);
  if (!spec.otoAllowed) throw errors.rejected('OTO orders are not supported for this symbol.');
  if (otoco && !spec.ocoAllowed) throw errors.rejected('OCO orders are not supported for this symbol');
  const now = ctx.now();
  return ctx.exchange.placeOto(
    spec,
    finishDraft(spec, working, stp),
    pending.map((d) => finishDraft(spec, d, stp)),
    listCid,
    (l) => renderList(l, resp, now),
  );
}

// ---- endpoints --------------------------------------------------------------------------------

function exchangeInfo(ctx: ApiContext, p: ParamReader): unknown {
  const one = p.symbol();
  const many = p.optional('symbols');
  p.markRead('permissions');
  p.markRead('showPermissionSets');
  p.markRead('symbolStatus');
  p.finish();
  let specs = ctx.exchange.symbols();
  if (one !== undefined) {
    const s = ctx.exchange.symbol(one);
    if (s === undefined) throw errors.badSymbol();
    specs = [s];
  } else if (many !== undefined) {
    const names = parseSymbolList(many);
    specs = names.map((n) => {
      const s = ctx.exchange.symbol(n);
      if (s === undefined) throw errors.badSymbol();
      return s;
    });
  }
  return {
    timezone: 'UTC',
    serverTime: ctx.now(),
    rateLimits: ctx.limiter.info(),
    exchangeFilters: [],
    symbols: specs.map(symbolInfo),
  };
}

function parseSymbolList(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw errors.invalidJson();
  return v as string[];
}

function bookTicker(ctx: ApiContext, p: ParamReader): unknown {
  const one = p.symbol();
  const many = p.optional('symbols');
  p.finish();
  const render = (spec: SymbolSpec) => {
    const q = ctx.exchange.quote(spec.symbol);
    return {
      symbol: spec.symbol,
      bidPrice: fmtPrice(spec, q?.bid ?? 0),
      bidQty: fmtQty(spec, q?.bidSize ?? 0),
      askPrice: fmtPrice(spec, q?.ask ?? 0),
      askQty: fmtQty(spec, q?.askSize ?? 0),
    };
  };
  const lookup = (n: string) => {
    const s = ctx.exchange.symbol(n);
    if (s === undefined) throw errors.badSymbol();
    return s;
  };
  if (one !== undefined) return render(lookup(one));
  const specs = many !== undefined ? parseSymbolList(many).map(lookup) : ctx.exchange.symbols();
  return specs.map(render);
}

function tickerPrice(ctx: ApiContext, p: ParamReader): unknown {
  const one = p.symbol();
  const many = p.optional('symbols');
  p.finish();
  const render = (spec: SymbolSpec) => ({
    symbol: spec.symbol,
    price: fmtPrice(spec, ctx.exchange.lastPrice(spec.symbol) ?? 0),
  });
  const lookup = (n: string) => {
    const s = ctx.exchange.symbol(n);
    if (s === undefined) throw errors.badSymbol();
    return s;
  };
  if (one !== undefined) return render(lookup(one));
  const specs = many !== undefined ? parseSymbolList(many).map(lookup) : ctx.exchange.symbols();
  return specs.map(render);
}

/** The order book as the fake knows it: the fed top of book, one level a side. */
function depth(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const limit = p.int('limit') ?? 100;
  p.finish();
  if (limit > 5000) throw errors.greaterThan('limit', '5000');
  const q = ctx.exchange.quote(spec.symbol);
  const side = (price: number, size: number) =>
    price > 0 && size > 0 && limit > 0 ? [[fmtPrice(spec, price), fmtQty(spec, size)]] : [];
  return {
    lastUpdateId: ctx.exchange.bookUpdateId(spec.symbol),
    bids: q === undefined ? [] : side(q.bid, q.bidSize),
    asks: q === undefined ? [] : side(q.ask, q.askSize),
  };
}

function account(ctx: ApiContext, p: ParamReader): unknown {
  const omitZero = p.optional('omitZeroBalances') === 'true';
  p.finish();
  // Rates as exact decimals: `0.001` → "0.00100000" and 10 (hundredths of a percent).
  const units = (s: string) => parseUnits(s, 8) ?? 0n;
  const rate = (s: string) => fmt(units(s));
  const bps = (s: string) => Number(units(s) / 10_000n);
  let balances = ctx.exchange.balances();
  if (omitZero) balances = balances.filter((b) => b.free !== 0n || b.locked !== 0n);
  return {
    makerCommission: bps(ctx.commission.maker),
    takerCommission: bps(ctx.commission.taker),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: {
      maker: rate(ctx.commission.maker),
      taker: rate(ctx.commission.taker),
      buyer: '0.00000000',
      seller: '0.00000000',
    },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: ctx.now(),
    accountType: 'SPOT',
    balances: balances.map((b) => ({ asset: b.asset, free: fmt(b.free), locked: fmt(b.locked) })),
    permissions: ['SPOT'],
    uid: 354937868,
  };
}

function myTrades(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const orderId = p.int('orderId');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const fromId = p.int('fromId');
  const limit = p.int('limit') ?? 500;
  p.finish();
  if (limit > 1000) throw errors.greaterThan('limit', '1000');
  if (fromId !== undefined && (startTime !== undefined || endTime !== undefined)) throw errors.badCombo();
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > 86_400_000)
    throw new BinanceError(400, -1127, 'More than 24 hours between startTime and endTime.');
  let trades = ctx.exchange.trades.filter((t) => t.order.symbol === spec.symbol);
  if (orderId !== undefined) trades = trades.filter((t) => t.order.orderId === orderId);
  trades.sort((a, b) => a.fill.tradeId - b.fill.tradeId);
  if (fromId !== undefined) trades = trades.filter((t) => t.fill.tradeId >= fromId).slice(0, limit);
  else if (startTime !== undefined)
    trades = trades
      .filter((t) => t.fill.time >= startTime && (endTime === undefined || t.fill.time <= endTime))
      .slice(0, limit);
  else {
    if (endTime !== undefined) trades = trades.filter((t) => t.fill.time <= endTime);
    trades = trades.slice(Math.max(0, trades.length - limit));
  }
  return trades.map(myTrade);
}

function allOrders(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const orderId = p.int('orderId');
  const startTime = p.int('startTime');
  const endTime = p.int('endTime');
  const limit = p.int('limit') ?? 500;
  p.finish();
  if (limit > 1000) throw errors.greaterThan('limit', '1000');
  let orders = ctx.exchange.orders.filter((o) => o.symbol === spec.symbol);
  if (orderId !== undefined) orders = orders.filter((o) => o.orderId >= orderId).slice(0, limit);
  else if (startTime !== undefined)
    orders = orders
      .filter((o) => o.time >= startTime && (endTime === undefined || o.time <= endTime))
      .slice(0, limit);
  else {
    if (endTime !== undefined) orders = orders.filter((o) => o.time <= endTime);
    orders = orders.slice(Math.max(0, orders.length - limit));
  }
  return orders.map(orderQuery);
}

function cancelReplace(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const mode = p.enumValue('cancelReplaceMode', ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const);
  if (mode === undefined) throw errors.mandatory('cancelReplaceMode');
  const cancelRef = orderRef(p, 'cancelOrderId', 'cancelOrigClientOrderId');
  const cancelCid = p.clientId('cancelNewClientOrderId');
  const restrictions = readCancelRestrictions(p);
  p.enumValue('orderRateLimitExceededMode', ['DO_NOTHING', 'CANCEL_ONLY'] as const);
  const d = readLeg(p, spec, SINGLE);
  const respText = p.enumValue('newOrderRespType', RESP_TYPES);
  const stp = readStp(p, spec);
  p.finish();
  checkFilters(
    spec,
    filterOrder(d),
    ctx.exchange.filterContext(spec.symbol, 1, isAlgo(d.type) ? 1 : 0, d.icebergQty === undefined ? 0 : 1),
  );
  if (!spec.cancelReplaceAllowed)
    throw errors.rejected('Order cancel-replace is not supported for this symbol.');
  const resp = respText ?? (d.type === 'MARKET' || d.type === 'LIMIT' ? 'FULL' : 'ACK');
  const now = ctx.now();
  let cancelResponse: unknown;
  let cancelOk = false;
  try {
    cancelResponse = renderCancel(ctx.exchange.cancel(spec.symbol, cancelRef, cancelCid, restrictions), now);
    cancelOk = true;
  } catch (e) {
    if (!(e instanceof BinanceError)) throw e;
    cancelResponse = e.body();
  }
  if (!cancelOk && mode === 'STOP_ON_FAILURE')
    throw new BinanceError(400, -2022, 'Order cancel-replace failed.', {
      cancelResult: 'FAILURE',
      newOrderResult: 'NOT_ATTEMPTED',
      cancelResponse,
      newOrderResponse: null,
    });
  let newOrderResponse: unknown;
  let newOk = false;
  try {
    newOrderResponse = renderNew(ctx.exchange.place(finishDraft(spec, d, stp)), resp, now);
    newOk = true;
  } catch (e) {
    if (!(e instanceof BinanceError)) throw e;
    newOrderResponse = e.body();
  }
  const data = {
    cancelResult: cancelOk ? 'SUCCESS' : 'FAILURE',
    newOrderResult: newOk ? 'SUCCESS' : 'FAILURE',
    cancelResponse,
    newOrderResponse,
  };
  if (cancelOk && newOk) return data;
  if (cancelOk || newOk) throw new BinanceError(409, -2021, 'Order cancel-replace partially failed.', data);
  throw new BinanceError(400, -2022, 'Order cancel-replace failed.', data);
}

function amend(ctx: ApiContext, p: ParamReader): unknown {
  const spec = symbolOf(ctx, p);
  const ref = orderRef(p);
  const newCid = p.clientId('newClientOrderId');
  const newQty = p.requiredDecimal('newQty', spec.basePrecision);
  p.finish();
  const lot = spec.filters.find((f) => f.type === 'LOT_SIZE');
  if (
    lot !== undefined &&
    lot.type === 'LOT_SIZE' &&
    (newQty <= 0n ||
      newQty < lot.min ||
      (lot.max > 0n && newQty > lot.max) ||
      (lot.step > 0n && newQty % lot.step !== 0n))
  )
    throw errors.filter('LOT_SIZE');
  if (!spec.amendAllowed)
    throw errors.rejected('Order amend keep priority is not supported for this symbol.');
  const r = ctx.exchange.amend(spec.symbol, ref, qtyUnits(spec, newQty), newCid);
  const out: Record<string, unknown> = {
    transactTime: ctx.now(),
    executionId: r.executionId,
    amendedOrder: amendedOrder(r.order, r.origClientOrderId),
  };
  if (r.list !== undefined) {
    const l = listQuery(r.list);
    out.listStatus = {
      orderListId: l.orderListId,
      contingencyType: l.contingencyType,
      listOrderStatus: l.listOrderStatus,
      listClientOrderId: l.listClientOrderId,
      symbol: l.symbol,
      orders: l.orders,
    };
  }
  return out;
}

export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  ping: fixed(1, 'NONE', (_c, p) => {
    p.finish();
    return {};
  }),
  time: fixed(1, 'NONE', (c, p) => {
    p.finish();
    return { serverTime: c.now() };
  }),
  exchangeInfo: fixed(20, 'NONE', exchangeInfo),
  'ticker.book': {
    security: 'NONE',
    weight: (p) => (p.has('symbol') ? 2 : 4),
    orders: () => 0,
    handle: bookTicker,
  },
  'ticker.price': {
    security: 'NONE',
    weight: (p) => (p.has('symbol') ? 2 : 4),
    orders: () => 0,
    handle: tickerPrice,
  },
  depth: fixed(5, 'NONE', depth),
  'order.place': fixed(
    1,
    'SIGNED',
    (ctx, p) => {
      const { order, resp } = parseNewOrder(ctx, p);
      return renderNew(ctx.exchange.place(order), resp, ctx.now());
    },
    1,
  ),
  'order.test': fixed(1, 'SIGNED', (ctx, p) => {
    p.markRead('computeCommissionRates');
    const { order } = parseNewOrder(ctx, p);
    void order;
    return {};
  }),
  'order.cancel': fixed(1, 'SIGNED', (ctx, p) => {
    const spec = symbolOf(ctx, p);
    const ref = orderRef(p);
    const cid = p.clientId('newClientOrderId');
    const restrictions = readCancelRestrictions(p);
    p.finish();
    return renderCancel(ctx.exchange.cancel(spec.symbol, ref, cid, restrictions), ctx.now());
  }),
  'order.status': fixed(4, 'SIGNED', (ctx, p) => {
    const spec = symbolOf(ctx, p);
    const ref = orderRef(p);
    p.finish();
    const { order, mismatch } = ctx.exchange.find(spec.symbol, ref);
    if (mismatch) throw errors.clientIdMismatch();
    if (order === undefined) throw errors.noSuchOrder();
    return orderQuery(order);
  }),
  'order.amend.keepPriority': fixed(4, 'SIGNED', amend),
  'order.cancelReplace': fixed(1, 'SIGNED', cancelReplace, 1),
  'openOrders.status': {
    security: 'SIGNED',
    weight: (p) => (p.has('symbol') ? 6 : 80),
    orders: () => 0,
    handle: (ctx, p) => {
      const s = p.symbol();
      p.finish();
      if (s !== undefined && ctx.exchange.symbol(s) === undefined) throw errors.badSymbol();
      return ctx.exchange.openOrders(s).map(orderQuery);
    },
  },
  'openOrders.cancelAll': fixed(1, 'SIGNED', (ctx, p) => {
    const spec = symbolOf(ctx, p);
    const cid = p.clientId('newClientOrderId');
    p.finish();
    const now = ctx.now();
    return ctx.exchange.cancelAll(spec.symbol, cid).map((r) => renderCancel(r, now));
  }),
  allOrders: fixed(20, 'SIGNED', allOrders),
  'orderList.place.oco': fixed(1, 'SIGNED', placeOco, 2),
  'orderList.place.oto': fixed(1, 'SIGNED', (c, p) => placeOto(c, p, false), 2),
  'orderList.place.otoco': fixed(1, 'SIGNED', (c, p) => placeOto(c, p, true), 3),
  'orderList.cancel': fixed(1, 'SIGNED', (ctx, p) => {
    const spec = symbolOf(ctx, p);
    const orderListId = p.int('orderListId');
    const listCid = p.optional('listClientOrderId');
    if (orderListId === undefined && listCid === undefined)
      throw errors.eitherMandatory('listClientOrderId', 'orderListId');
    const cid = p.clientId('newClientOrderId');
    p.finish();
    return renderCancel(ctx.exchange.cancelOrderList(spec.symbol, orderListId, listCid, cid), ctx.now());
  }),
  'orderList.status': fixed(4, 'SIGNED', (ctx, p) => {
    const orderListId = p.int('orderListId');
    const listCid = p.optional('origClientOrderId');
    if (orderListId === undefined && listCid === undefined)
      throw errors.eitherMandatory('origClientOrderId', 'orderListId');
    const s = p.symbol();
    p.finish();
    const list = ctx.exchange.findList(s, orderListId, listCid);
    if (list === undefined) throw new BinanceError(400, -2013, 'Order list does not exist.');
    return listQuery(list);
  }),
  'openOrderLists.status': fixed(6, 'SIGNED', (ctx, p) => {
    p.finish();
    return ctx.exchange.openLists().map(listQuery);
  }),
  'account.status': fixed(20, 'SIGNED', account),
  myTrades: fixed(20, 'SIGNED', myTrades),
  'account.rateLimits.orders': fixed(40, 'SIGNED', (ctx, p) => {
    p.finish();
    const now = ctx.now();
    return ctx.limiter.entries(now, true).filter((e) => e.rateLimitType === 'ORDERS');
  }),
};
