// The Binance Spot adapter: Ordo's venue port over Binance's REST API v3, its WebSocket API user
// data stream and its public market streams. Orders are rounded and pre-validated against the
// symbol's filters before they leave (filters.ts), so an order Ordo accepts is not refused for a
// filter; what cannot pass is refused locally with a message naming the filter.
//
// Modify: a lower quantity at the same prices is an amend that keeps priority; anything else is a
// cancel-replace that reuses the order's client id (Binance ids are unique among open orders only),
// so the order keeps one identity in Ordo. The replaced order's CANCELED event and the new order's
// NEW event are then not a cancel and an acceptance but one `modified`.

import type { z } from 'zod';
import type {
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../../engine/venue-port.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderType } from '../../model/order.ts';
import {
  type VenueAdapter,
  type VenueBalance,
  VenueError,
  type VenueFill,
  type VenueListener,
  type VenueOrderState,
  type VenueOrderStatus,
} from '../venue-adapter.ts';
import { marketDataOf, marketStreamUrl } from './binance-market.ts';
import { BinanceRest } from './binance-rest.ts';
import { MarketDataStream, UserDataStream } from './binance-streams.ts';
import { ALGO_ORDER_TYPES } from './enums.ts';
import {
  type ExchangeInfo,
  exchangeInfoSchema,
  parseExchangeInfo,
  type SymbolRules,
} from './exchange-info.ts';
import { checkOrder, rejectionError } from './filters.ts';
import {
  accountSchema,
  amendResponseSchema,
  cancelOrderSchema,
  cancelReplaceResponseSchema,
  type ExecutionReport,
  mapAmendResponse,
  mapBalances,
  mapCancelReplace,
  mapCancelResponse,
  mapExecutionReport,
  mapMyTrade,
  mapNewOrderResponse,
  mapOrderList,
  mapOrderSnapshot,
  myTradesSchema,
  newOrderResponseSchema,
  openOrdersSchema,
  orderListSchema,
  type QueryOrder,
  queryOrderSchema,
  type UserDataEvent,
} from './parsers.ts';
import type { RateLimitTracker } from './rate-limits.ts';
import {
  accountRequest,
  amendKeepPriorityRequest,
  BINANCE_SPOT_CAPABILITIES,
  type BinanceRequest,
  type Built,
  buildError,
  cancelOrderRequest,
  cancelReplaceRequest,
  exchangeInfoRequest,
  myTradesRequest,
  newOrderRequest,
  openOrdersRequest,
  orderListRequest,
  queryOrderRequest,
  toWireOrder,
} from './requests.ts';
import type { Credentials } from './signing.ts';

/** Binance's documented base URLs. Testnet first: real matching, play money. */
export const BINANCE_URLS = {
  live: {
    rest: 'https://api.binance.com',
    wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
    streams: 'wss://stream.binance.com:9443',
  },
  testnet: {
    rest: 'https://testnet.binance.vision',
    wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
    streams: 'wss://stream.testnet.binance.vision',
  },
  demo: {
    rest: 'https://demo-api.binance.com',
    wsApi: 'wss://demo-ws-api.binance.com/ws-api/v3',
    streams: 'wss://demo-stream.binance.com',
  },
} as const;

export interface BinanceUrls {
  readonly rest: string;
  readonly wsApi: string;
  readonly streams: string;
}

export interface BinanceAdapterOptions {
  readonly urls: BinanceUrls;
  readonly credentials: Credentials;
  /** Trade only these Binance symbols (BTCUSDT…); all trading symbols when absent. */
  readonly symbols?: readonly string[];
  /** Fee rates for the instruments, as fractions (default Binance's 0.1 %). */
  readonly feeMaker?: string;
  readonly feeTaker?: string;
  readonly clock?: () => number;
  readonly timeoutMs?: number;
  readonly recvWindowMs?: number;
  readonly limiter?: RateLimitTracker;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the adapter remembers of an order it has seen, to translate replaces and trades. */
interface Known {
  venueOrderId: string;
  quantity: number;
  price: number | undefined;
  triggerPrice: number | undefined;
  /** Venue order ids replaced by a cancel-replace: their CANCELED events are not the order's end. */
  readonly replaced: Set<string>;
  /** A cancel-replace in flight: the next NEW of this id is the replacement. */
  replacing: { quantity: number; price: number | undefined; triggerPrice: number | undefined } | undefined;
  /**
   * What the venue orders this one replaced had filled. The venue order's own quantities count
   * from its placement: Ordo's quantity is the venue's plus this.
   */
  filledBefore: number;
}

export class BinanceAdapter implements VenueAdapter {
  readonly id = 'binance';
  readonly rest: BinanceRest;
  private info: ExchangeInfo | undefined;
  private listener: VenueListener | undefined;
  private userStream: UserDataStream | undefined;
  private marketStream: MarketDataStream | undefined;
  private readonly known = new Map<string, Known>();
  /** `SYMBOL:orderId` → client order id, for trades that name only the order id. */
  private readonly byVenueId = new Map<string, string>();
  private readonly clock: () => number;

  constructor(private readonly options: BinanceAdapterOptions) {
    this.clock = options.clock ?? Date.now;
    this.rest = new BinanceRest({
      baseUrl: options.urls.rest,
      credentials: options.credentials,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      recvWindowMs: options.recvWindowMs,
      limiter: options.limiter,
      sleep: options.sleep,
    });
  }

  async connect(listener: VenueListener): Promise<void> {
    this.listener = listener;
    await this.rest.syncTime();
    const raw = await this.rest.call(exchangeInfoRequest(this.options.symbols), exchangeInfoSchema);
    const info = parseExchangeInfo(raw, { feeMaker: this.options.feeMaker, feeTaker: this.options.feeTaker });
    if (!info.ok) throw new VenueError('rejected', 'bad_exchange_info', info.error.message);
    this.info = info.value;
    this.userStream = new UserDataStream(
      this.options.urls.wsApi,
      this.options.credentials,
      () => this.rest.serverNow(),
      {
        message: (ev) => this.onUserEvent(ev),
        state: (s) => listener.connection(s),
      },
    );
    await this.userStream.open();
  }

  async close(): Promise<void> {
    await this.userStream?.close();
    await this.marketStream?.close();
  }

  instruments(): readonly Instrument[] {
    return this.symbols().map((r) => r.instrument);
  }

  capabilities() {
    return BINANCE_SPOT_CAPABILITIES;
  }

  /** The rules of a symbol by Ordo instrument key (after connect). */
  rules(instrument: string): SymbolRules {
    const r = this.info?.symbols.byInstrumentKey(instrument);
    if (r === undefined)
      throw new VenueError('rejected', 'unknown_symbol', `binance does not list ${instrument}`);
    return r;
  }

  async submit(order: VenueOrderRequest): Promise<VenueReport[]> {
    const rules = this.rules(order.instrument);
    this.precheck(rules, order);
    const body = await this.rest.call(this.built(newOrderRequest(rules, order)), newOrderResponseSchema);
    const reports = [...this.ok(mapNewOrderResponse(body, rules.instrument))];
    this.remember(order, String(body.orderId), rules);
    if ('status' in body && (body.status === 'NEW' || body.status === 'PARTIALLY_FILLED'))
      this.setOpen(rules.venueSymbol, order.clientOrderId, body.type, true);
    return reports;
  }

  async submitList(list: VenueListRequest): Promise<VenueReport[]> {
    const legs = list.parent === undefined ? list.legs : [list.parent, ...list.legs];
    const rules = this.rules(legs[0]!.instrument);
    for (const o of legs) this.precheck(rules, o);
    const body = await this.rest.call(this.built(orderListRequest(rules, list)), orderListSchema);
    const summary = this.ok(mapOrderList(body, rules.instrument));
    for (const o of legs) {
      const venueId = summary.orders.find((x) => x.clientOrderId === o.clientOrderId)?.orderId;
      if (venueId !== undefined) this.remember(o, String(venueId), rules);
    }
    // Pending legs are working orders at Binance too: each is acknowledged.
    const reports: VenueReport[] = [...summary.reports];
    for (const x of summary.orders)
      if (!reports.some((r) => r.kind === 'accepted' && r.clientOrderId === x.clientOrderId))
        reports.push({
          kind: 'accepted',
          clientOrderId: x.clientOrderId,
          venueOrderId: String(x.orderId),
          ts: this.rest.serverNow(),
        });
    return reports;
  }

  async cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]> {
    const rules = this.rules(instrument);
    const body = await this.rest.call(
      this.built(cancelOrderRequest(rules, { clientOrderId })),
      cancelOrderSchema,
    );
    return [...this.ok(mapCancelResponse(body, rules.instrument))];
  }

  async modify(command: Extract<VenueCommand, { kind: 'modify' }>): Promise<VenueReport[]> {
    const rules = this.rules(command.instrument);
    const known = this.known.get(command.clientOrderId);
    const samePrices =
      known !== undefined && command.price === known.price && command.triggerPrice === known.triggerPrice;
    if (known !== undefined && samePrices && command.quantity < known.quantity && rules.amendAllowed) {
      // The same client id again: without one, Binance gives the amended order a random id, and
      // its later events would name an order Ordo does not know.
      const req = amendKeepPriorityRequest(
        rules,
        { clientOrderId: command.clientOrderId },
        command.quantity - known.filledBefore,
        { newClientOrderId: command.clientOrderId },
      );
      const body = await this.rest.call(this.built(req), amendResponseSchema);
      const amended = this.ok(mapAmendResponse(body, rules.instrument));
      known.quantity = command.quantity;
      return [withFilledBefore(amended.report, known)];
    }
    // Cancel-replace under the same client id; the replacement carries what is left to fill.
    const st = await this.lookup(command.instrument, command.clientOrderId);
    if (st === undefined || st.status !== 'open')
      throw new VenueError(
        'rejected',
        'order_closed',
        `order ${command.clientOrderId} is not open at binance`,
      );
    // Binance cancels a whole order list when one of its orders is cancelled, so a cancel-replace
    // of a leg would leave the other legs cancelled and this one on its own: refuse it, the list
    // stays as it is.
    if (st.listId !== undefined)
      throw new VenueError(
        'rejected',
        'unsupported',
        `order ${command.clientOrderId} is a leg of binance order list ${st.listId}: only its quantity can be lowered; cancel the list and place it again to change its prices`,
      );
    const filledBefore = known?.filledBefore ?? 0;
    const order: VenueOrderRequest = {
      clientOrderId: command.clientOrderId,
      instrument: command.instrument,
      side: st.side,
      type: st.type,
      tif: 'gtc',
      expireAtMs: undefined,
      quantity: command.quantity - filledBefore - st.filled,
      price: command.price,
      triggerPrice: command.triggerPrice,
      trailing: undefined,
      // A LIMIT_MAKER stays one: the replacement must not take liquidity either.
      postOnly: st.postOnly === true,
      reduceOnly: false,
    };
    if (order.quantity <= 0)
      throw new VenueError('rejected', 'below_filled', 'the new quantity must be above what is filled');
    this.precheck(rules, order);
    const k = this.knownOf(command.clientOrderId, st.venueOrderId, st);
    k.replaced.add(st.venueOrderId);
    k.replacing = { quantity: command.quantity, price: command.price, triggerPrice: command.triggerPrice };
    const req = cancelReplaceRequest(rules, { clientOrderId: command.clientOrderId }, order);
    let body: z.infer<typeof cancelReplaceResponseSchema>;
    try {
      body = await this.rest.call(this.built(req), cancelReplaceResponseSchema);
    } catch (e) {
      k.replacing = undefined;
      if (e instanceof VenueError && e.venueCode === -2021) {
        // STOP_ON_FAILURE and a partial failure: the order was cancelled and its replacement
        // refused (a LIMIT_MAKER that would cross, the balance). The order has ended; its CANCELED
        // event is no replacement's.
        k.replaced.delete(st.venueOrderId);
        return [
          {
            kind: 'cancelled',
            clientOrderId: command.clientOrderId,
            reason: `cancelled by a cancel-replace whose new order was refused: ${e.message}`,
            ts: this.rest.serverNow(),
          },
        ];
      }
      // Refused outright: nothing was cancelled, so a later CANCELED of this order is its end.
      if (e instanceof VenueError && e.kind === 'rejected') k.replaced.delete(st.venueOrderId);
      throw e;
    }
    const result = this.ok(mapCancelReplace(body, rules.instrument));
    if (result.error !== undefined || result.newOrder.result !== 'SUCCESS') {
      k.replacing = undefined;
      throw new VenueError(
        'rejected',
        'cancel_replace_failed',
        `cancel-replace: ${result.error?.msg ?? 'failed'}`,
      );
    }
    const accepted = result.newOrder.reports.find((r) => r.kind === 'accepted');
    if (accepted?.kind === 'accepted') this.link(rules, accepted.venueOrderId, command.clientOrderId, k);
    k.filledBefore = filledBefore + st.filled;
    k.quantity = command.quantity;
    k.price = command.price;
    k.triggerPrice = command.triggerPrice;
    k.replacing = undefined;
    return [
      {
        kind: 'modified',
        clientOrderId: command.clientOrderId,
        quantity: command.quantity,
        price: command.price,
        triggerPrice: command.triggerPrice,
        ts: this.rest.serverNow(),
      },
    ];
  }

  async lookup(instrument: string, clientOrderId: string): Promise<VenueOrderState | undefined> {
    const rules = this.rules(instrument);
    let body: QueryOrder;
    try {
      body = await this.rest.call(this.built(queryOrderRequest(rules, { clientOrderId })), queryOrderSchema);
    } catch (e) {
      if (e instanceof VenueError && e.code === 'unknown_order') return undefined;
      throw e;
    }
    const st = this.stateOf(body, rules);
    if (st.filled === 0) return st;
    return { ...st, fills: await this.orderFills(rules, st) };
  }

  async openOrders(): Promise<VenueOrderState[]> {
    const body = await this.rest.call(openOrdersRequest(), openOrdersSchema);
    const out: VenueOrderState[] = [];
    // The venue's own list resets the counts MAX_NUM_ORDERS is checked against.
    this.openBySymbol.clear();
    for (const o of body) {
      this.setOpen(o.symbol, o.clientOrderId, o.type, true);
      const rules = this.info?.symbols.byVenueSymbol(o.symbol);
      if (rules !== undefined) out.push(this.stateOf(o, rules));
    }
    return out;
  }

  async fillsSince(instrument: string, sinceMs: number): Promise<VenueFill[]> {
    const rules = this.rules(instrument);
    const out: VenueFill[] = [];
    // Binance takes windows of at most 24 h; walk them up to now.
    const now = this.rest.serverNow();
    for (let from = sinceMs; from <= now; from += 86_400_000) {
      const req = myTradesRequest(rules, {
        startTimeMs: from,
        endTimeMs: Math.min(now, from + 86_399_999),
        limit: 1000,
      });
      const trades = await this.rest.call(this.built(req), myTradesSchema);
      for (const t of trades) {
        const m = this.ok(mapMyTrade(t, rules.instrument));
        const clientOrderId = await this.clientIdOf(rules, m.venueOrderId);
        out.push({ ...m, instrument, clientOrderId, venueOrderId: m.venueOrderId });
      }
    }
    return out;
  }

  async balances(): Promise<VenueBalance[]> {
    const body = await this.rest.call(accountRequest(), accountSchema);
    return this.ok(mapBalances(body)).map((b) => ({
      currency: b.asset,
      total: b.free + b.locked,
      available: b.free,
    }));
  }

  async subscribeMarket(instruments: readonly string[]): Promise<void> {
    if (instruments.length === 0) return;
    await this.marketStream?.close();
    const url = marketStreamUrl(
      this.options.urls.streams,
      instruments.map((key) => this.rules(key)),
    );
    this.marketStream = new MarketDataStream(url, {
      message: (f) => this.onMarketFrame(f),
      state: () => {},
    });
    await this.marketStream.open();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private symbols(): SymbolRules[] {
    const info = this.info;
    if (info === undefined) return [];
    return [...info.symbols.values()].filter((r) => r.status === 'TRADING');
  }

  /** Local pre-validation: an order Binance would refuse for a filter never leaves. */
  private precheck(rules: SymbolRules, order: VenueOrderRequest): void {
    const w = toWireOrder(rules, order);
    if (!w.ok) throw this.refusal(w.error);
    const open = this.openBySymbol.get(rules.venueSymbol);
    let algo = 0;
    for (const isAlgo of open?.values() ?? []) if (isAlgo) algo++;
    const checked = checkOrder(rules, w.value, {
      lastPrice: this.lastPrices.get(rules.venueSymbol),
      openOrders: open?.size ?? 0,
      openAlgoOrders: algo,
    });
    if (!checked.ok) {
      const e = rejectionError(checked.error);
      throw new VenueError('rejected', 'filter_failure', e.message, checked.error.code);
    }
  }

  private built(b: Built<BinanceRequest>): BinanceRequest {
    if (!b.ok) throw this.refusal(b.error);
    return b.value;
  }

  private refusal(f: Parameters<typeof buildError>[0]): VenueError {
    const e = buildError(f);
    return new VenueError('rejected', e.code === 'unsupported' ? 'unsupported' : 'invalid_order', e.message);
  }

  private ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
    if (!r.ok) throw new VenueError('unknown', 'bad_response', r.error.message);
    return r.value;
  }

  /** Open orders per symbol (client id → is an algo order), for MAX_NUM_ORDERS / MAX_NUM_ALGO_ORDERS. */
  private readonly openBySymbol = new Map<string, Map<string, boolean>>();
  /** Last trade price per symbol, from the market stream (when subscribed). */
  private readonly lastPrices = new Map<string, number>();

  private setOpen(venueSymbol: string, clientOrderId: string, type: string, open: boolean): void {
    let m = this.openBySymbol.get(venueSymbol);
    if (m === undefined) this.openBySymbol.set(venueSymbol, (m = new Map()));
    if (open) m.set(clientOrderId, ALGO_ORDER_TYPES.has(type as never));
    else m.delete(clientOrderId);
  }

  private remember(order: VenueOrderRequest, venueOrderId: string, rules: SymbolRules): void {
    const k = this.knownOf(order.clientOrderId, venueOrderId, {
      quantity: order.quantity,
      price: order.price,
      triggerPrice: order.triggerPrice,
    });
    this.link(rules, venueOrderId, order.clientOrderId, k);
  }

  private knownOf(
    clientOrderId: string,
    venueOrderId: string,
    init: { quantity: number; price: number | undefined; triggerPrice: number | undefined },
  ): Known {
    let k = this.known.get(clientOrderId);
    if (k === undefined) {
      k = {
        venueOrderId,
        quantity: init.quantity,
        price: init.price,
        triggerPrice: init.triggerPrice,
        replaced: new Set(),
        replacing: undefined,
        filledBefore: 0,
      };
      this.known.set(clientOrderId, k);
    }
    return k;
  }

  private link(rules: SymbolRules, venueOrderId: string, clientOrderId: string, k: Known): void {
    k.venueOrderId = venueOrderId;
    this.byVenueId.set(`${rules.venueSymbol}:${venueOrderId}`, clientOrderId);
  }

  private stateOf(o: QueryOrder, rules: SymbolRules): VenueOrderState {
    const s = this.ok(mapOrderSnapshot(o, rules.instrument));
    this.byVenueId.set(`${rules.venueSymbol}:${s.venueOrderId}`, s.clientOrderId);
    return {
      instrument: rules.instrument.key,
      clientOrderId: s.clientOrderId,
      venueOrderId: s.venueOrderId,
      side: s.side,
      type: ordoType(s.type),
      status: statusOf(s.status),
      quantity: s.quantity,
      filled: s.filled,
      price: s.price,
      triggerPrice: s.stopPrice,
      ts: s.updatedMs,
      listId: s.orderListId,
      postOnly: s.type === 'LIMIT_MAKER',
    };
  }

  private async orderFills(rules: SymbolRules, st: VenueOrderState): Promise<VenueFill[]> {
    const req = myTradesRequest(rules, { orderId: st.venueOrderId });
    const trades = await this.rest.call(this.built(req), myTradesSchema);
    return trades.map((t) => ({
      ...this.ok(mapMyTrade(t, rules.instrument)),
      instrument: st.instrument,
      clientOrderId: st.clientOrderId,
    }));
  }

  private async clientIdOf(rules: SymbolRules, venueOrderId: string): Promise<string> {
    const key = `${rules.venueSymbol}:${venueOrderId}`;
    const cached = this.byVenueId.get(key);
    if (cached !== undefined) return cached;
    const body = await this.rest.call(
      this.built(queryOrderRequest(rules, { orderId: venueOrderId })),
      queryOrderSchema,
    );
    this.byVenueId.set(key, body.clientOrderId);
    return body.clientOrderId;
  }

  private onUserEvent(ev: UserDataEvent): void {
    if (ev.e !== 'executionReport') return;
    const rules = this.info?.symbols.byVenueSymbol(ev.s);
    if (rules === undefined) return;
    const ended = ev.X !== 'NEW' && ev.X !== 'PARTIALLY_FILLED' && ev.X !== 'PENDING_NEW';
    const id = ev.C !== null && ev.C !== undefined && ev.C !== '' ? ev.C : ev.c;
    if (!(ended && ev.x === 'CANCELED' && this.known.get(id)?.replaced.has(String(ev.i))))
      this.setOpen(ev.s, id, ev.o, !ended);
    for (const r of this.translate(ev, rules)) this.listener?.report(r);
  }

  /** An executionReport as reports, with cancel-replaces folded into one identity. */
  private translate(ev: ExecutionReport, rules: SymbolRules): VenueReport[] {
    const mapped = mapExecutionReport(ev, rules.instrument);
    if (!mapped.ok) return [];
    const venueOrderId = String(ev.i);
    const out: VenueReport[] = [];
    for (const r of mapped.value) {
      const k = this.known.get(r.clientOrderId);
      if (r.kind === 'cancelled' && k?.replaced.has(venueOrderId)) continue;
      if (r.kind === 'accepted' && k !== undefined && k.venueOrderId !== venueOrderId) {
        if (k.replacing !== undefined || k.replaced.size > 0) {
          // The replacement of a cancel-replace: the same order, modified.
          this.link(rules, venueOrderId, r.clientOrderId, k);
          continue;
        }
      }
      if (r.kind === 'accepted') this.byVenueId.set(`${rules.venueSymbol}:${venueOrderId}`, r.clientOrderId);
      out.push(r.kind === 'modified' && k !== undefined ? withFilledBefore(r, k) : r);
    }
    return out;
  }

  private onMarketFrame(f: { stream: string; data: unknown }): void {
    const symbols = this.info?.symbols;
    if (symbols === undefined || this.listener === undefined) return;
    const md = marketDataOf(f, symbols, this.clock());
    if (md === undefined) return;
    if (md.kind === 'trade') {
      const venueSymbol = symbols.byInstrumentKey(md.instrument)?.venueSymbol;
      if (venueSymbol !== undefined) this.lastPrices.set(venueSymbol, md.price);
    }
    this.listener.market(md);
  }
}

/** A `modified` of the venue order (an amend) in Ordo's terms: its quantity includes earlier fills. */
function withFilledBefore(r: VenueReport, k: Known): VenueReport {
  return r.kind === 'modified' && k.filledBefore > 0 ? { ...r, quantity: r.quantity + k.filledBefore } : r;
}

function statusOf(s: string): VenueOrderStatus {
  switch (s) {
    case 'FILLED':
      return 'filled';
    case 'CANCELED':
    case 'PENDING_CANCEL':
      return 'cancelled';
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH':
      return 'expired';
    case 'REJECTED':
      return 'rejected';
    default:
      return 'open';
  }
}

function ordoType(t: string): OrderType {
  switch (t) {
    case 'MARKET':
      return 'market';
    case 'STOP_LOSS':
    case 'TAKE_PROFIT':
      return 'stop';
    case 'STOP_LOSS_LIMIT':
    case 'TAKE_PROFIT_LIMIT':
      return 'stop_limit';
    default:
      return 'limit';
  }
}
