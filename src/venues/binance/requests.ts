// Builds the exact Binance Spot REST requests (method, path, ordered `[key, value]` text params,
// weight) from Ordo's venue requests. Values are formatted from exact units with formatUnits
// (trailing zeros trimmed, never an exponent). Signing, timestamp and recvWindow are added later
// by signing.ts. Nothing here does I/O.
//
// How Ordo order types become Binance types (a `stop` in Ordo always fires in the adverse
// direction: a sell at or below its trigger, a buy at or above — exactly Binance's STOP_LOSS):
//
//   market                          → MARKET (quantity); by quote amount: quoteMarketOrderRequest
//   limit                           → LIMIT + timeInForce GTC/IOC/FOK
//   limit + postOnly (GTC)          → LIMIT_MAKER (no timeInForce)
//   stop                            → STOP_LOSS, stopPrice = trigger
//   stop_limit                      → STOP_LOSS_LIMIT, price, stopPrice, timeInForce
//   trailing_stop, bps/percent, no activation  → STOP_LOSS + trailingDelta (tracks from next trade)
//   trailing_stop, bps/percent, activation A   → TAKE_PROFIT + stopPrice A + trailingDelta
//       (Binance: TAKE_PROFIT SELL starts tracking once price >= A, BUY once price <= A, which is
//       Ordo's activation rule)
//
// Not expressible natively, returned as `unsupported` so the adapter can leave them to Ordo's
// emulator: trailing offsets by price or ticks, a relative offset that is not a whole number of
// BIPS, a trailing stop-limit (`limitOffset`: Binance's limit price is fixed, Ordo's follows the
// stop), time in force `day`/`gtd` (Binance Spot has neither) except on market orders, FOK market
// orders, post-only with IOC/FOK or on a stop-limit, OTO released on a partial fill, an OTO with
// two independent children, and any type or list the symbol's flags disable. `reduceOnly` is not
// sent: Binance Spot has no such flag (the paper venue ignores it for spot too).
//
// Order lists: OCO → POST /api/v3/orderList/oco (a limit leg becomes LIMIT_MAKER, the only plain
// limit type Binance allows in an OCO; sell: limit/take-profit above, stop below; buy: reverse);
// OTO (parent + one child) → /orderList/oto; bracket with a parent → /orderList/otoco; bracket on a
// position (no parent) → OCO. The working order of OTO/OTOCO must be a limit (LIMIT/LIMIT_MAKER).

import { formatUnits, pow10 } from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import type { Capabilities, VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';
import {
  type BinanceOrderType,
  type BinanceSide,
  type BinanceTimeInForce,
  type CancelReplaceMode,
  type CancelRestriction,
  isValidClientOrderId,
  type NewOrderRespType,
  type StpMode,
} from './enums.ts';
import type { SymbolRules } from './exchange-info.ts';
import type { WireOrder } from './filters.ts';
import type { HttpMethod, Param, Params } from './signing.ts';

/** One REST call, unsigned. SIGNED calls get timestamp and signature from signing.ts. */
export interface BinanceRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: Params;
  /** TRADE / USER_DATA: must be signed. */
  readonly signed: boolean;
  /** REQUEST_WEIGHT it costs. */
  readonly weight: number;
  /** Unfilled orders it adds to the ORDERS limiters (0 for non-order calls). */
  readonly orders: number;
}

/** Why an Ordo request has no native Binance form. */
export type UnsupportedReason =
  | 'time_in_force'
  | 'trailing_offset_kind'
  | 'trailing_fractional_bips'
  | 'trailing_limit_offset'
  | 'post_only'
  | 'market_fok'
  | 'order_type'
  | 'symbol_flag'
  | 'list_shape'
  | 'oto_partial_trigger'
  | 'amend_increase';

/** A request Binance cannot take natively: the adapter emulates it or refuses it. */
export interface Unsupported {
  readonly kind: 'unsupported';
  readonly reason: UnsupportedReason;
  readonly message: string;
}

/** A request that is wrong whatever the venue (bad id, wrong instrument, missing field). */
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
        issues: [{ field: f.field, rule: 'binance', message: f.message }],
      };
}

const unsupported = (reason: UnsupportedReason, message: string): Built<never> =>
  err({ kind: 'unsupported', reason, message });
const invalid = (field: string, message: string): Built<never> => err({ kind: 'invalid', field, message });

/**
 * A suggested capability matrix for Binance Spot. Stops trigger on the last trade only; trailing
 * stops take relative offsets (bps, percent) and an activation price; lists release their pending
 * orders only on a full fill. Two limits cannot be said here and come back from the builders as
 * `unsupported`: a relative offset that is not a whole number of BIPS, and a trailing stop-limit
 * (`limitOffset`). Time in force day/gtd does not exist on Binance Spot. Modify is false: amend
 * (keepPriority) only lowers the quantity; other changes are cancel + new order.
 */
/** 1 BIP = 0.0001 = 10 000 RATE units (RATE_SCALE 8). */
const BIPS_IN_RATE_UNITS = 10_000;

export const BINANCE_SPOT_CAPABILITIES: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'native',
    stop_limit: 'native',
    trailing_stop: 'native',
  },
  contingencies: { bracket: 'native', oco: 'native', oto: 'native' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'unsupported', gtd: 'unsupported' },
  modify: false,
  triggerBases: ['last'],
  trailingOffsets: ['bps', 'percent'],
  trailingActivation: true,
  trailingLimit: false,
  trailingRelativeStep: BIPS_IN_RATE_UNITS,
  otoMaxChildren: 1,
  listLegsFixed: true,
  trailingRaise: false,
  listsReleaseOnFullFill: true,
};

// ---------------------------------------------------------------------------------------------
// Ordo order → Binance order

const SIDE: Record<'buy' | 'sell', BinanceSide> = { buy: 'BUY', sell: 'SELL' };
const BIPS_IN_RATE = 10_000; // 1 BIP = 0.0001 = 10_000 RATE units (RATE_SCALE 8)

function tifOf(o: VenueOrderRequest): Built<BinanceTimeInForce> {
  switch (o.tif) {
    case 'gtc':
      return ok('GTC');
    case 'ioc':
      return ok('IOC');
    case 'fok':
      return ok('FOK');
    default:
      return unsupported('time_in_force', `time in force ${o.tif} does not exist on Binance Spot`);
  }
}

/** `trailingDelta` in BIPS for a relative trailing offset, or why there is none. */
export function trailingDeltaOf(t: NonNullable<VenueOrderRequest['trailing']>): Built<number> {
  if (t.offsetKind !== 'bps' && t.offsetKind !== 'percent')
    return unsupported(
      'trailing_offset_kind',
      `a trailing offset in ${t.offsetKind} is not native on Binance (trailingDelta is relative, in BIPS)`,
    );
  if (t.offset <= 0 || t.offset % BIPS_IN_RATE !== 0)
    return unsupported(
      'trailing_fractional_bips',
      `a trailing offset of ${formatUnits(t.offset, 4, true)} bps is not a whole number of BIPS`,
    );
  return ok(t.offset / BIPS_IN_RATE);
}

/**
 * The Binance order an Ordo order is sent as, or why it cannot be. Checks the client id, the
 * instrument and the symbol's order types and flags; the filters are checked by filters.ts.
 */
export function toWireOrder(rules: SymbolRules, o: VenueOrderRequest): Built<WireOrder> {
  if (o.instrument !== rules.instrument.key)
    return invalid('instrument', `${o.instrument} is not ${rules.instrument.key}`);
  if (!isValidClientOrderId(o.clientOrderId))
    return invalid(
      'clientOrderId',
      `${JSON.stringify(o.clientOrderId)} does not match ^[a-zA-Z0-9-_]{1,36}$`,
    );
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0) return invalid('quantity', 'must be > 0');
  const side = SIDE[o.side];
  const base = {
    side,
    quantity: o.quantity,
    quoteOrderQty: undefined,
    price: undefined,
    stopPrice: undefined,
    trailingDelta: undefined,
    icebergQty: undefined,
    timeInForce: undefined,
  };
  let w: WireOrder;
  if (o.postOnly && o.type !== 'limit')
    return unsupported('post_only', `post-only ${o.type} orders do not exist on Binance Spot`);
  switch (o.type) {
    case 'market':
      if (o.tif === 'fok') return unsupported('market_fok', 'a Binance MARKET order cannot be fill-or-kill');
      w = { ...base, type: 'MARKET' };
      break;
    case 'limit': {
      if (o.price === undefined) return invalid('price', 'a limit order needs a price');
      const tif = tifOf(o);
      if (!tif.ok) return tif;
      if (o.postOnly) {
        if (tif.value !== 'GTC')
          return unsupported(
            'post_only',
            `post-only with ${o.tif} does not exist on Binance (LIMIT_MAKER rests)`,
          );
        w = { ...base, type: 'LIMIT_MAKER', price: o.price };
      } else w = { ...base, type: 'LIMIT', price: o.price, timeInForce: tif.value };
      break;
    }
    case 'stop': {
      if (o.triggerPrice === undefined) return invalid('triggerPrice', 'a stop order needs a trigger price');
      const tif = tifOf(o);
      if (!tif.ok) return tif;
      if (tif.value !== 'GTC')
        return unsupported('time_in_force', `a STOP_LOSS order takes no time in force (${o.tif} asked)`);
      w = { ...base, type: 'STOP_LOSS', stopPrice: o.triggerPrice };
      break;
    }
    case 'stop_limit': {
      if (o.triggerPrice === undefined)
        return invalid('triggerPrice', 'a stop-limit order needs a trigger price');
      if (o.price === undefined) return invalid('price', 'a stop-limit order needs a limit price');
      const tif = tifOf(o);
      if (!tif.ok) return tif;
      w = {
        ...base,
        type: 'STOP_LOSS_LIMIT',
        price: o.price,
        stopPrice: o.triggerPrice,
        timeInForce: tif.value,
      };
      break;
    }
    case 'trailing_stop': {
      const t = o.trailing;
      if (t === undefined) return invalid('trailing', 'a trailing stop needs trailing parameters');
      const delta = trailingDeltaOf(t);
      if (!delta.ok) return delta;
      if (t.limitOffset !== undefined)
        return unsupported(
          'trailing_limit_offset',
          'a trailing stop-limit whose limit follows the stop is not native on Binance (its limit price is fixed)',
        );
      const tif = tifOf(o);
      if (!tif.ok) return tif;
      if (tif.value !== 'GTC')
        return unsupported('time_in_force', `a trailing stop takes no time in force (${o.tif} asked)`);
      w =
        t.activationPrice === undefined
          ? { ...base, type: 'STOP_LOSS', trailingDelta: delta.value }
          : { ...base, type: 'TAKE_PROFIT', stopPrice: t.activationPrice, trailingDelta: delta.value };
      break;
    }
  }
  if (!rules.orderTypes.has(w.type))
    return unsupported('order_type', `${w.type} is not enabled on ${rules.venueSymbol}`);
  if (w.trailingDelta !== undefined && !rules.allowTrailingStop)
    return unsupported('symbol_flag', `trailing stops are not enabled on ${rules.venueSymbol}`);
  return ok(w);
}

// ---------------------------------------------------------------------------------------------
// Formatting

function price(rules: SymbolRules, units: number): string {
  return formatUnits(units, rules.instrument.priceScale, true);
}

function qty(rules: SymbolRules, units: number): string {
  return formatUnits(units, rules.instrument.qtyScale, true);
}

/** A quote amount (MONEY_SCALE units) at the quote asset's precision, or undefined if finer. */
function quoteAmount(rules: SymbolRules, units: bigint): string | undefined {
  const p = Math.min(rules.quoteAssetPrecision, MONEY_SCALE);
  const div = pow10(MONEY_SCALE - p);
  if (units % div !== 0n) return undefined;
  return formatUnits(units / div, p, true);
}

/** Pushes `[key, value]` when the value is defined. */
function put(out: Param[], key: string, value: string | undefined): void {
  if (value !== undefined) out.push([key, value]);
}

// ---------------------------------------------------------------------------------------------
// New orders

/** Options of a new order beyond what Ordo's request carries. */
export interface NewOrderOptions {
  /** Default FULL (fills in the response for every type; Binance's own default varies by type). */
  readonly newOrderRespType?: NewOrderRespType;
  readonly selfTradePreventionMode?: StpMode;
  /** Iceberg visible quantity, quantity units (LIMIT GTC, LIMIT_MAKER). */
  readonly icebergQty?: number;
  /** `POST /api/v3/order/test`: validated, not placed. */
  readonly test?: boolean;
}

/** The `[key, value]` list of a new order, in the order Binance documents its parameters. */
export function newOrderParams(
  rules: SymbolRules,
  w: WireOrder,
  newClientOrderId: string | undefined,
  opts: NewOrderOptions = {},
): Built<Params> {
  if (newClientOrderId !== undefined && !isValidClientOrderId(newClientOrderId))
    return invalid(
      'newClientOrderId',
      `${JSON.stringify(newClientOrderId)} does not match ^[a-zA-Z0-9-_]{1,36}$`,
    );
  const out: Param[] = [
    ['symbol', rules.venueSymbol],
    ['side', w.side],
    ['type', w.type],
  ];
  put(out, 'timeInForce', w.timeInForce);
  put(out, 'quantity', w.quantity === undefined ? undefined : qty(rules, w.quantity));
  if (w.quoteOrderQty !== undefined) {
    const q = quoteAmount(rules, w.quoteOrderQty);
    if (q === undefined)
      return invalid(
        'quoteOrderQty',
        `has more than ${rules.quoteAssetPrecision} decimal places (-1111 BAD_PRECISION)`,
      );
    out.push(['quoteOrderQty', q]);
  }
  put(out, 'price', w.price === undefined ? undefined : price(rules, w.price));
  put(out, 'newClientOrderId', newClientOrderId);
  put(out, 'stopPrice', w.stopPrice === undefined ? undefined : price(rules, w.stopPrice));
  put(out, 'trailingDelta', w.trailingDelta === undefined ? undefined : String(w.trailingDelta));
  const iceberg = w.icebergQty ?? opts.icebergQty;
  put(out, 'icebergQty', iceberg === undefined ? undefined : qty(rules, iceberg));
  out.push(['newOrderRespType', opts.newOrderRespType ?? 'FULL']);
  put(out, 'selfTradePreventionMode', opts.selfTradePreventionMode);
  return ok(out);
}

/** `POST /api/v3/order` for a Binance order already mapped (or built by hand). */
export function wireOrderRequest(
  rules: SymbolRules,
  w: WireOrder,
  newClientOrderId: string | undefined,
  opts: NewOrderOptions = {},
): Built<BinanceRequest> {
  const params = newOrderParams(rules, w, newClientOrderId, opts);
  if (!params.ok) return params;
  return ok({
    method: 'POST',
    path: opts.test === true ? '/api/v3/order/test' : '/api/v3/order',
    params: params.value,
    signed: true,
    weight: 1,
    orders: opts.test === true ? 0 : 1,
  });
}

/** `POST /api/v3/order` for an Ordo order (see the mapping at the top of this file). */
export function newOrderRequest(
  rules: SymbolRules,
  o: VenueOrderRequest,
  opts: NewOrderOptions = {},
): Built<BinanceRequest> {
  const w = toWireOrder(rules, o);
  if (!w.ok) return w;
  return wireOrderRequest(
    rules,
    opts.icebergQty === undefined ? w.value : { ...w.value, icebergQty: opts.icebergQty },
    o.clientOrderId,
    opts,
  );
}

/** A MARKET order by quote amount: spend (buy) or receive (sell) `quoteOrderQty` (MONEY_SCALE). */
export function quoteMarketOrderRequest(
  rules: SymbolRules,
  req: { readonly clientOrderId: string; readonly side: 'buy' | 'sell'; readonly quoteOrderQty: bigint },
  opts: NewOrderOptions = {},
): Built<BinanceRequest> {
  if (!rules.quoteOrderQtyMarketAllowed)
    return unsupported('symbol_flag', `quote-quantity MARKET orders are not enabled on ${rules.venueSymbol}`);
  if (req.quoteOrderQty <= 0n) return invalid('quoteOrderQty', 'must be > 0');
  const w: WireOrder = {
    side: SIDE[req.side],
    type: 'MARKET',
    quantity: undefined,
    quoteOrderQty: req.quoteOrderQty,
    price: undefined,
    stopPrice: undefined,
    trailingDelta: undefined,
    icebergQty: undefined,
    timeInForce: undefined,
  };
  return wireOrderRequest(rules, w, req.clientOrderId, opts);
}

// ---------------------------------------------------------------------------------------------
// Order lists

/** Options of an order list. */
export interface ListOptions {
  readonly newOrderRespType?: NewOrderRespType;
  readonly selfTradePreventionMode?: StpMode;
}

/** OCO leg types Binance accepts on the take-profit side and on the stop side. */
const TP_SIDE: ReadonlySet<BinanceOrderType> = new Set(['LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const STOP_SIDE: ReadonlySet<BinanceOrderType> = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT']);

interface Leg {
  readonly w: WireOrder;
  readonly clientOrderId: string;
}

/** A list leg as a Binance order; a plain limit becomes LIMIT_MAKER where `limitAsMaker`. */
function legOf(rules: SymbolRules, o: VenueOrderRequest, limitAsMaker: boolean): Built<Leg> {
  const w = toWireOrder(rules, o);
  if (!w.ok) return w;
  if (limitAsMaker && w.value.type === 'LIMIT') {
    if (w.value.timeInForce !== 'GTC')
      return unsupported('list_shape', `an OCO limit leg rests as LIMIT_MAKER and cannot be ${o.tif}`);
    return ok({
      w: { ...w.value, type: 'LIMIT_MAKER', timeInForce: undefined },
      clientOrderId: o.clientOrderId,
    });
  }
  return ok({ w: w.value, clientOrderId: o.clientOrderId });
}

/** Orders the two OCO legs as [above, below] by Binance's rules, or says why they are not an OCO. */
function ocoPair(rules: SymbolRules, a: VenueOrderRequest, b: VenueOrderRequest): Built<readonly [Leg, Leg]> {
  if (a.side !== b.side) return unsupported('list_shape', 'the legs of a Binance OCO have the same side');
  if (a.quantity !== b.quantity)
    return unsupported('list_shape', 'the legs of a Binance OCO share one quantity');
  const la = legOf(rules, a, true);
  if (!la.ok) return la;
  const lb = legOf(rules, b, true);
  if (!lb.ok) return lb;
  const tp = [la.value, lb.value].filter((l) => TP_SIDE.has(l.w.type));
  const stop = [la.value, lb.value].filter((l) => STOP_SIDE.has(l.w.type));
  if (tp.length !== 1 || stop.length !== 1)
    return unsupported(
      'list_shape',
      `a Binance OCO pairs a limit or take-profit leg with a stop leg (got ${la.value.w.type} and ${lb.value.w.type})`,
    );
  // Sell: take-profit above the market, stop below. Buy: the reverse.
  return ok(a.side === 'sell' ? [tp[0]!, stop[0]!] : [stop[0]!, tp[0]!]);
}

/** `prefix` + the leg's fields (`aboveType`, `abovePrice`, ... / `pendingAboveType`, ...). */
function legParams(rules: SymbolRules, out: Param[], prefix: string, leg: Leg, withSideQty: boolean): void {
  const k = (name: string) => `${prefix}${name}`;
  const w = leg.w;
  out.push([k('Type'), w.type]);
  if (withSideQty) out.push([k('Side'), w.side]);
  out.push([k('ClientOrderId'), leg.clientOrderId]);
  put(out, k('Price'), w.price === undefined ? undefined : price(rules, w.price));
  if (withSideQty && w.quantity !== undefined) out.push([k('Quantity'), qty(rules, w.quantity)]);
  put(out, k('StopPrice'), w.stopPrice === undefined ? undefined : price(rules, w.stopPrice));
  put(out, k('TrailingDelta'), w.trailingDelta === undefined ? undefined : String(w.trailingDelta));
  put(out, k('TimeInForce'), w.timeInForce);
}

function listTail(out: Param[], opts: ListOptions): void {
  out.push(['newOrderRespType', opts.newOrderRespType ?? 'FULL']);
  put(out, 'selfTradePreventionMode', opts.selfTradePreventionMode);
}

function listRequest(path: string, params: Params, orders: number): BinanceRequest {
  return { method: 'POST', path, params, signed: true, weight: 1, orders };
}

/** `POST /api/v3/orderList/oco` for two legs (same side and quantity). */
export function ocoRequest(
  rules: SymbolRules,
  listClientOrderId: string,
  legs: readonly [VenueOrderRequest, VenueOrderRequest],
  opts: ListOptions = {},
): Built<BinanceRequest> {
  if (!rules.ocoAllowed) return unsupported('symbol_flag', `OCO is not enabled on ${rules.venueSymbol}`);
  const pair = ocoPair(rules, legs[0], legs[1]);
  if (!pair.ok) return pair;
  const [above, below] = pair.value;
  const out: Param[] = [
    ['symbol', rules.venueSymbol],
    ['listClientOrderId', listClientOrderId],
    ['side', above.w.side],
    ['quantity', qty(rules, legs[0].quantity)],
  ];
  legParams(rules, out, 'above', above, false);
  legParams(rules, out, 'below', below, false);
  listTail(out, opts);
  return ok(listRequest('/api/v3/orderList/oco', out, 2));
}

/** The working order of an OTO/OTOCO: a LIMIT or LIMIT_MAKER. */
function workingLeg(rules: SymbolRules, parent: VenueOrderRequest): Built<Leg> {
  const w = legOf(rules, parent, false);
  if (!w.ok) return w;
  if (w.value.w.type !== 'LIMIT' && w.value.w.type !== 'LIMIT_MAKER')
    return unsupported(
      'list_shape',
      `the working order of a Binance OTO must be a limit order, not ${parent.type}`,
    );
  return w;
}

/** `POST /api/v3/orderList/oto`: a limit working order releasing one pending order when filled. */
export function otoRequest(
  rules: SymbolRules,
  listClientOrderId: string,
  parent: VenueOrderRequest,
  child: VenueOrderRequest,
  opts: ListOptions = {},
): Built<BinanceRequest> {
  if (!rules.otoAllowed) return unsupported('symbol_flag', `OTO is not enabled on ${rules.venueSymbol}`);
  const working = workingLeg(rules, parent);
  if (!working.ok) return working;
  const pending = legOf(rules, child, false);
  if (!pending.ok) return pending;
  const out: Param[] = [
    ['symbol', rules.venueSymbol],
    ['listClientOrderId', listClientOrderId],
  ];
  legParams(rules, out, 'working', working.value, true);
  legParams(rules, out, 'pending', pending.value, true);
  listTail(out, opts);
  return ok(listRequest('/api/v3/orderList/oto', out, 2));
}

/** `POST /api/v3/orderList/otoco`: a limit working order releasing an OCO pair when filled. */
export function otocoRequest(
  rules: SymbolRules,
  listClientOrderId: string,
  parent: VenueOrderRequest,
  legs: readonly [VenueOrderRequest, VenueOrderRequest],
  opts: ListOptions = {},
): Built<BinanceRequest> {
  if (!rules.otoAllowed) return unsupported('symbol_flag', `OTO is not enabled on ${rules.venueSymbol}`);
  const working = workingLeg(rules, parent);
  if (!working.ok) return working;
  const pair = ocoPair(rules, legs[0], legs[1]);
  if (!pair.ok) return pair;
  const [above, below] = pair.value;
  const out: Param[] = [
    ['symbol', rules.venueSymbol],
    ['listClientOrderId', listClientOrderId],
  ];
  legParams(rules, out, 'working', working.value, true);
  out.push(['pendingSide', above.w.side], ['pendingQuantity', qty(rules, legs[0].quantity)]);
  legParams(rules, out, 'pendingAbove', above, false);
  legParams(rules, out, 'pendingBelow', below, false);
  listTail(out, opts);
  return ok(listRequest('/api/v3/orderList/otoco', out, 3));
}

/** The native Binance list for an Ordo list (OCO, OTO, OTOCO), or why there is none. */
export function orderListRequest(
  rules: SymbolRules,
  list: VenueListRequest,
  opts: ListOptions = {},
): Built<BinanceRequest> {
  if (!isValidClientOrderId(list.listClientId))
    return invalid(
      'listClientId',
      `${JSON.stringify(list.listClientId)} does not match ^[a-zA-Z0-9-_]{1,36}$`,
    );
  const legs = list.legs;
  const pair = legs.length === 2 ? ([legs[0]!, legs[1]!] as const) : undefined;
  if (list.kind === 'oco' || (list.kind === 'bracket' && list.parent === undefined)) {
    if (list.parent !== undefined) return unsupported('list_shape', 'an OCO has no parent order');
    if (pair === undefined) return unsupported('list_shape', `an OCO has two legs, not ${legs.length}`);
    return ocoRequest(rules, list.listClientId, pair, opts);
  }
  const parent = list.parent;
  if (parent === undefined) return invalid('parent', `a ${list.kind} list needs a parent order`);
  if (list.trigger === 'partial')
    return unsupported(
      'oto_partial_trigger',
      'Binance releases the pending orders only when the working order is filled',
    );
  if (list.kind === 'bracket') {
    if (pair === undefined) {
      if (legs.length === 1) return otoRequest(rules, list.listClientId, parent, legs[0]!, opts);
      return unsupported('list_shape', `a bracket has one or two exit legs, not ${legs.length}`);
    }
    return otocoRequest(rules, list.listClientId, parent, pair, opts);
  }
  if (legs.length !== 1)
    return unsupported(
      'list_shape',
      `a Binance OTO releases one order (${legs.length} independent children asked)`,
    );
  return otoRequest(rules, list.listClientId, parent, legs[0]!, opts);
}

// ---------------------------------------------------------------------------------------------
// Cancel, amend, cancel-replace

/** An order named by its client id (`origClientOrderId`) or by Binance's per-symbol orderId. */
export type OrderRef = { readonly clientOrderId: string } | { readonly orderId: string };

function refParams(ref: OrderRef, idKey: string, clientKey: string): Built<Params> {
  if ('orderId' in ref) {
    if (!/^\d+$/.test(ref.orderId)) return invalid(idKey, 'must be a decimal order id');
    return ok([[idKey, ref.orderId]]);
  }
  if (!isValidClientOrderId(ref.clientOrderId))
    return invalid(clientKey, `${JSON.stringify(ref.clientOrderId)} does not match ^[a-zA-Z0-9-_]{1,36}$`);
  return ok([[clientKey, ref.clientOrderId]]);
}

function checkNewId(field: string, id: string | undefined): Built<true> {
  if (id !== undefined && !isValidClientOrderId(id))
    return invalid(field, `${JSON.stringify(id)} does not match ^[a-zA-Z0-9-_]{1,36}$`);
  return ok(true);
}

/** `DELETE /api/v3/order`. The cancel's own `newClientOrderId` shows up as `c` in its report. */
export function cancelOrderRequest(
  rules: SymbolRules,
  ref: OrderRef,
  opts: { readonly newClientOrderId?: string; readonly cancelRestrictions?: CancelRestriction } = {},
): Built<BinanceRequest> {
  const r = refParams(ref, 'orderId', 'origClientOrderId');
  if (!r.ok) return r;
  const n = checkNewId('newClientOrderId', opts.newClientOrderId);
  if (!n.ok) return n;
  const out: Param[] = [['symbol', rules.venueSymbol], ...r.value];
  put(out, 'newClientOrderId', opts.newClientOrderId);
  put(out, 'cancelRestrictions', opts.cancelRestrictions);
  return ok({ method: 'DELETE', path: '/api/v3/order', params: out, signed: true, weight: 1, orders: 0 });
}

/** `DELETE /api/v3/orderList` by list client id or orderListId. */
export function cancelOrderListRequest(
  rules: SymbolRules,
  ref: { readonly listClientOrderId: string } | { readonly orderListId: string },
  opts: { readonly newClientOrderId?: string } = {},
): Built<BinanceRequest> {
  const r =
    'orderListId' in ref
      ? refParams({ orderId: ref.orderListId }, 'orderListId', 'listClientOrderId')
      : refParams({ clientOrderId: ref.listClientOrderId }, 'orderListId', 'listClientOrderId');
  if (!r.ok) return r;
  const n = checkNewId('newClientOrderId', opts.newClientOrderId);
  if (!n.ok) return n;
  const out: Param[] = [['symbol', rules.venueSymbol], ...r.value];
  put(out, 'newClientOrderId', opts.newClientOrderId);
  return ok({ method: 'DELETE', path: '/api/v3/orderList', params: out, signed: true, weight: 1, orders: 0 });
}

/** `DELETE /api/v3/openOrders`: every open order and list of the symbol (there is no global one). */
export function cancelAllOrdersRequest(rules: SymbolRules): BinanceRequest {
  return {
    method: 'DELETE',
    path: '/api/v3/openOrders',
    params: [['symbol', rules.venueSymbol]],
    signed: true,
    weight: 1,
    orders: 0,
  };
}

/**
 * `PUT /api/v3/order/amend/keepPriority`: lowers the quantity in place, keeping queue priority and
 * the orderId. Only a decrease is allowed; give `currentQty` to have that checked here.
 */
export function amendKeepPriorityRequest(
  rules: SymbolRules,
  ref: OrderRef,
  newQty: number,
  opts: { readonly newClientOrderId?: string; readonly currentQty?: number } = {},
): Built<BinanceRequest> {
  if (!rules.amendAllowed) return unsupported('symbol_flag', `amend is not enabled on ${rules.venueSymbol}`);
  if (!Number.isSafeInteger(newQty) || newQty <= 0) return invalid('newQty', 'must be > 0');
  if (opts.currentQty !== undefined && newQty >= opts.currentQty)
    return unsupported('amend_increase', 'amend keepPriority only lowers the quantity');
  const r = refParams(ref, 'orderId', 'origClientOrderId');
  if (!r.ok) return r;
  const n = checkNewId('newClientOrderId', opts.newClientOrderId);
  if (!n.ok) return n;
  const out: Param[] = [['symbol', rules.venueSymbol], ...r.value];
  put(out, 'newClientOrderId', opts.newClientOrderId);
  out.push(['newQty', qty(rules, newQty)]);
  return ok({
    method: 'PUT',
    path: '/api/v3/order/amend/keepPriority',
    params: out,
    signed: true,
    weight: 4,
    orders: 0,
  });
}

/** Options of a cancelReplace: those of the new order and of the cancel. */
export interface CancelReplaceOptions extends NewOrderOptions {
  /** Default STOP_ON_FAILURE: the new order is placed only if the cancel succeeded. */
  readonly mode?: CancelReplaceMode;
  /** The cancel's own client id. */
  readonly cancelNewClientOrderId?: string;
  readonly cancelRestrictions?: CancelRestriction;
}

/** `POST /api/v3/order/cancelReplace`: cancel `cancel` and place `order` (a new orderId). */
export function cancelReplaceRequest(
  rules: SymbolRules,
  cancel: OrderRef,
  order: VenueOrderRequest,
  opts: CancelReplaceOptions = {},
): Built<BinanceRequest> {
  if (!rules.cancelReplaceAllowed)
    return unsupported('symbol_flag', `cancelReplace is not enabled on ${rules.venueSymbol}`);
  const w = toWireOrder(rules, order);
  if (!w.ok) return w;
  const wire = opts.icebergQty === undefined ? w.value : { ...w.value, icebergQty: opts.icebergQty };
  const base = newOrderParams(rules, wire, order.clientOrderId, opts);
  if (!base.ok) return base;
  const r = refParams(cancel, 'cancelOrderId', 'cancelOrigClientOrderId');
  if (!r.ok) return r;
  const n = checkNewId('cancelNewClientOrderId', opts.cancelNewClientOrderId);
  if (!n.ok) return n;
  const out: Param[] = [...base.value, ['cancelReplaceMode', opts.mode ?? 'STOP_ON_FAILURE'], ...r.value];
  put(out, 'cancelNewClientOrderId', opts.cancelNewClientOrderId);
  put(out, 'cancelRestrictions', opts.cancelRestrictions);
  return ok({
    method: 'POST',
    path: '/api/v3/order/cancelReplace',
    params: out,
    signed: true,
    weight: 1,
    orders: 1,
  });
}

// ---------------------------------------------------------------------------------------------
// Queries

/** `GET /api/v3/order` by client id or orderId (weight 4). */
export function queryOrderRequest(rules: SymbolRules, ref: OrderRef): Built<BinanceRequest> {
  const r = refParams(ref, 'orderId', 'origClientOrderId');
  if (!r.ok) return r;
  return ok({
    method: 'GET',
    path: '/api/v3/order',
    params: [['symbol', rules.venueSymbol], ...r.value],
    signed: true,
    weight: 4,
    orders: 0,
  });
}

/** `GET /api/v3/orderList` by list client id or orderListId (weight 4). */
export function queryOrderListRequest(
  ref: { readonly listClientOrderId: string } | { readonly orderListId: string },
): Built<BinanceRequest> {
  const r =
    'orderListId' in ref
      ? refParams({ orderId: ref.orderListId }, 'orderListId', 'origClientOrderId')
      : refParams({ clientOrderId: ref.listClientOrderId }, 'orderListId', 'origClientOrderId');
  if (!r.ok) return r;
  return ok({
    method: 'GET',
    path: '/api/v3/orderList',
    params: r.value,
    signed: true,
    weight: 4,
    orders: 0,
  });
}

/** `GET /api/v3/openOrders`: one symbol (weight 6) or all symbols (weight 80). */
export function openOrdersRequest(rules?: SymbolRules): BinanceRequest {
  return {
    method: 'GET',
    path: '/api/v3/openOrders',
    params: rules === undefined ? [] : [['symbol', rules.venueSymbol]],
    signed: true,
    weight: rules === undefined ? 80 : 6,
    orders: 0,
  };
}

/** `GET /api/v3/openOrderList`: open order lists of all symbols (weight 6). */
export function openOrderListsRequest(): BinanceRequest {
  return { method: 'GET', path: '/api/v3/openOrderList', params: [], signed: true, weight: 6, orders: 0 };
}

/** A myTrades query; Binance allows orderId+fromId, fromId alone, or a time range of at most 24 h. */
export interface MyTradesQuery {
  /** Trades of one order. May be combined with fromId only. */
  readonly orderId?: string;
  /** Trades with id >= fromId. Not combinable with startTime/endTime. */
  readonly fromId?: string;
  readonly startTimeMs?: number;
  /** At most 24 h after startTime. */
  readonly endTimeMs?: number;
  /** Default 500, at most 1000. */
  readonly limit?: number;
}

const DAY_MS = 86_400_000;

/** `GET /api/v3/myTrades` (weight 20), with Binance's allowed parameter combinations checked. */
export function myTradesRequest(rules: SymbolRules, q: MyTradesQuery = {}): Built<BinanceRequest> {
  const timed = q.startTimeMs !== undefined || q.endTimeMs !== undefined;
  if (q.fromId !== undefined && timed) return invalid('fromId', 'cannot be combined with startTime/endTime');
  if (q.orderId !== undefined && timed)
    return invalid('orderId', 'cannot be combined with startTime/endTime');
  if (q.startTimeMs !== undefined && q.endTimeMs !== undefined && q.endTimeMs - q.startTimeMs > DAY_MS)
    return invalid('endTime', 'must be at most 24 hours after startTime');
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000))
    return invalid('limit', 'must be 1..1000');
  for (const [k, v] of [
    ['orderId', q.orderId],
    ['fromId', q.fromId],
  ] as const)
    if (v !== undefined && !/^\d+$/.test(v)) return invalid(k, 'must be a decimal id');
  const out: Param[] = [['symbol', rules.venueSymbol]];
  put(out, 'orderId', q.orderId);
  put(out, 'startTime', q.startTimeMs === undefined ? undefined : String(q.startTimeMs));
  put(out, 'endTime', q.endTimeMs === undefined ? undefined : String(q.endTimeMs));
  put(out, 'fromId', q.fromId);
  put(out, 'limit', q.limit === undefined ? undefined : String(q.limit));
  return ok({ method: 'GET', path: '/api/v3/myTrades', params: out, signed: true, weight: 20, orders: 0 });
}

/** `GET /api/v3/account` (weight 20): balances and commission rates. */
export function accountRequest(opts: { readonly omitZeroBalances?: boolean } = {}): BinanceRequest {
  return {
    method: 'GET',
    path: '/api/v3/account',
    params: opts.omitZeroBalances === true ? [['omitZeroBalances', 'true']] : [],
    signed: true,
    weight: 20,
    orders: 0,
  };
}

/** `GET /api/v3/exchangeInfo` (weight 20), for some symbols (`BTCUSDT` names) or all. */
export function exchangeInfoRequest(venueSymbols?: readonly string[]): BinanceRequest {
  const params: Params =
    venueSymbols === undefined || venueSymbols.length === 0
      ? []
      : venueSymbols.length === 1
        ? [['symbol', venueSymbols[0]!]]
        : [['symbols', JSON.stringify(venueSymbols)]];
  return { method: 'GET', path: '/api/v3/exchangeInfo', params, signed: false, weight: 20, orders: 0 };
}

/** `GET /api/v3/time` (weight 1). */
export function serverTimeRequest(): BinanceRequest {
  return { method: 'GET', path: '/api/v3/time', params: [], signed: false, weight: 1, orders: 0 };
}

/** `GET /api/v3/avgPrice` (weight 2): the average price the PERCENT_PRICE and NOTIONAL filters use. */
export function avgPriceRequest(rules: SymbolRules): BinanceRequest {
  return {
    method: 'GET',
    path: '/api/v3/avgPrice',
    params: [['symbol', rules.venueSymbol]],
    signed: false,
    weight: 2,
    orders: 0,
  };
}

/** `GET /api/v3/rateLimit/order` (weight 40): the unfilled order counts. */
export function unfilledOrderCountRequest(): BinanceRequest {
  return { method: 'GET', path: '/api/v3/rateLimit/order', params: [], signed: true, weight: 40, orders: 0 };
}
