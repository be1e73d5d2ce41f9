// The Coinbase Advanced Trade adapter: Ordo's venue port over Coinbase's REST API v3 (brokerage),
// its `user` WebSocket channel and its public market channels. Orders are pre-validated against
// their product (checks.ts) so what Coinbase would refuse for a product rule never leaves.
//
// What Coinbase lacks, and how the adapter makes up for it:
// - no lookup by client order id: the adapter keeps client id ↔ order id (order-ids.ts), learnt
//   from create answers, the user channel and listings, rebuilt on connect from open and recent
//   orders (and a state store when given); `lookup` of an id the map lacks searches a listing.
//   An unknown outcome is therefore settled by a lookup, never by a second order.
// - no cancel-all: `cancelAll` lists the live orders and batch-cancels them, 100 at a time.
// - no per-fill events: the user channel's cumulative state is differenced into fills exactly
//   once, and checked and backfilled against the fills endpoint (fill-ledger.ts).
// - modify is `POST /orders/edit`, which keeps the order id; Coinbase allows it on GTC limit and
//   stop-limit orders only, and the adapter refuses the others saying so.

import { z } from 'zod';
import type {
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../../engine/venue-port.ts';
import type { Instrument } from '../../model/instrument.ts';
import { formatPrice, formatQty } from '../../model/instrument.ts';
import type { Liquidity, Side } from '../../model/order.ts';
import {
  retrying,
  type VenueAdapter,
  type VenueBalance,
  VenueError,
  type VenueFill,
  type VenueListener,
  type VenueOrderState,
} from '../venue-adapter.ts';
import { checkOrder } from './checks.ts';
import { MarketDataMapper } from './coinbase-market.ts';
import { CoinbaseRest } from './coinbase-rest.ts';
import { CoinbaseStream, type StreamOptions } from './coinbase-streams.ts';
import { FillLedger, type Segment } from './fill-ledger.ts';
import type { CoinbaseCredentials } from './jwt.ts';
import { OrderIdMap, type StateStore } from './order-ids.ts';
import {
  accountsResponseSchema,
  batchCancelResponseSchema,
  createOrderResponseSchema,
  type EndpointFill,
  editOrderResponseSchema,
  getOrderResponseSchema,
  listFillsResponseSchema,
  listOrdersResponseSchema,
  mapAccounts,
  mapFill,
  mapOrder,
  mapUserOrder,
  type OrderSnapshot,
  type OrderWire,
  type ParsedWsMessage,
  refusalOf,
  type UserOrderUpdate,
  type userEventSchema,
} from './parsers.ts';
import { type ProductMap, type ProductRules, parseProducts } from './products.ts';
import type { RateLimiter } from './rate-limits.ts';
import {
  accountsRequest,
  type Built,
  batchCancelRequest,
  buildError,
  CANCEL_BATCH,
  COINBASE_CAPABILITIES,
  type CoinbaseRequest,
  createOrderRequest,
  editOrderRequest,
  getOrderRequest,
  listFillsRequest,
  listOrdersRequest,
  orderConfiguration,
  productsRequest,
} from './requests.ts';

/** Coinbase's documented base URLs. */
export const COINBASE_URLS = {
  live: {
    rest: 'https://api.coinbase.com/api/v3/brokerage',
    userWs: 'wss://advanced-trade-ws-user.coinbase.com',
    marketWs: 'wss://advanced-trade-ws.coinbase.com',
  },
  /**
   * The static sandbox: canned REST answers for accounts and orders, no auth, no matching, and no
   * WebSocket sandbox (the streams are production's). A format check, not a trading venue.
   */
  sandbox: {
    rest: 'https://api-sandbox.coinbase.com/api/v3/brokerage',
    userWs: 'wss://advanced-trade-ws-user.coinbase.com',
    marketWs: 'wss://advanced-trade-ws.coinbase.com',
  },
} as const;

export interface CoinbaseUrls {
  /** The brokerage REST base, ending in `/api/v3/brokerage`. */
  readonly rest: string;
  readonly userWs: string;
  readonly marketWs: string;
}

export interface CoinbaseAdapterOptions {
  readonly urls: CoinbaseUrls;
  readonly credentials: CoinbaseCredentials;
  /** Trade only these products (`BTC-USD`…); all SPOT products when absent. */
  readonly products?: readonly string[];
  /** Fee rates for the instruments, as fractions (default Coinbase's lowest tier). */
  readonly feeMaker?: string;
  readonly feeTaker?: string;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly timeoutMs?: number;
  readonly limiter?: RateLimiter;
  /** Keeps the order map and the fill ledger across restarts; rebuilt from the venue when absent. */
  readonly store?: StateStore;
  /** How far back connect lists orders to rebuild the map, and lookup searches. Default 7 days. */
  readonly rebuildWindowMs?: number;
  /** Pages of 250 a listing reads at most. Default 20. */
  readonly maxPages?: number;
  readonly stream?: StreamOptions;
}

/** What the user channel has said of an order so far (to say each thing once). */
interface StreamState {
  accepted: boolean;
  triggered: boolean;
  final: boolean;
  /** Seen resting (OPEN, nothing filled yet): later fills are the maker's. */
  rested: boolean;
}

/** Configurations Coinbase edits (`POST /orders/edit`). */
const EDITABLE = new Set(['limit_limit_gtc', 'stop_limit_stop_limit_gtc']);

export class CoinbaseAdapter implements VenueAdapter {
  readonly id = 'coinbase';
  readonly rest: CoinbaseRest;
  /** What the adapter has noticed but could not settle (fill discrepancies, unreadable messages). */
  readonly problems: string[] = [];
  private products: ProductMap | undefined;
  private listener: VenueListener | undefined;
  private userStream: CoinbaseStream | undefined;
  private marketStream: CoinbaseStream | undefined;
  private orders = new OrderIdMap();
  private ledger = new FillLedger();
  private readonly streamState = new Map<string, StreamState>();
  private readonly lastPrices = new Map<string, number>();
  private readonly market = new MarketDataMapper(() => this.products);
  private readonly clock: () => number;

  constructor(private readonly options: CoinbaseAdapterOptions) {
    this.clock = options.clock ?? Date.now;
    this.rest = new CoinbaseRest({
      baseUrl: options.urls.rest,
      credentials: options.credentials,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      limiter: options.limiter,
      sleep: options.sleep,
    });
  }

  async connect(listener: VenueListener): Promise<void> {
    this.listener = listener;
    // Start-up reads wait out a rate limit rather than fail the connect.
    const raw = await retrying(() => this.rest.call(productsRequest(), z.unknown()));
    const parsed = parseProducts(raw, {
      only: this.options.products,
      feeMaker: this.options.feeMaker,
      feeTaker: this.options.feeTaker,
    });
    if (!parsed.ok) throw new VenueError('rejected', 'bad_products', parsed.error.message);
    this.products = parsed.value.products;
    this.restore();
    await retrying(() => this.rebuildOrderMap());
    this.userStream = new CoinbaseStream(
      this.options.urls.userWs,
      [{ channel: 'heartbeats' }, { channel: 'user' }],
      {
        message: (m) => this.onUserMessage(m),
        state: (s) => listener.connection(s),
      },
      this.options.credentials,
      this.clock,
      this.options.stream,
    );
    await this.userStream.open();
  }

  async close(): Promise<void> {
    await this.userStream?.close();
    await this.marketStream?.close();
    this.persist();
  }

  instruments(): readonly Instrument[] {
    return [...(this.products?.values() ?? [])].map((r) => r.instrument);
  }

  capabilities() {
    return COINBASE_CAPABILITIES;
  }

  /** The product of an instrument key (after connect). */
  rules(instrument: string): ProductRules {
    const r = this.products?.byInstrumentKey(instrument);
    if (r === undefined)
      throw new VenueError('rejected', 'unknown_symbol', `coinbase does not list ${instrument}`);
    return r;
  }

  async submit(order: VenueOrderRequest): Promise<VenueReport[]> {
    const rules = this.rules(order.instrument);
    const req = this.built(createOrderRequest(rules, order));
    this.precheck(rules, order);
    return this.place(rules, order, req);
  }

  /** Coinbase has no native list Ordo routes to it (see COINBASE_CAPABILITIES). */
  async submitList(list: VenueListRequest): Promise<VenueReport[]> {
    throw new VenueError(
      'rejected',
      'unsupported',
      `coinbase has no native ${list.kind.toUpperCase()} lists of Ordo's shape: Ordo links them`,
    );
  }

  async cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]> {
    const rules = this.rules(instrument);
    const id = await this.venueIdOf(rules, clientOrderId);
    if (id === undefined)
      throw new VenueError('rejected', 'unknown_order', `coinbase has no order ${clientOrderId}`);
    const body = await this.rest.call(batchCancelRequest([id]), batchCancelResponseSchema);
    const r = body.results.find((x) => x.order_id === id) ?? body.results[0];
    if (r === undefined) throw new VenueError('unknown', 'bad_response', 'batch_cancel answered no result');
    if (!r.success)
      throw new VenueError(
        'rejected',
        'cancel_failed',
        `coinbase refused to cancel ${clientOrderId}: ${r.failure_reason ?? 'UNKNOWN_CANCEL_FAILURE_REASON'}`,
        r.failure_reason,
      );
    // The CANCELLED status arrives on the user channel (or a reconciliation reads it).
    return [];
  }

  /**
   * Cancels every live order (of one instrument, or all): Coinbase has no cancel-all, so the live
   * orders are listed (PENDING and QUEUED included, which an OPEN filter hides) and batch-cancelled.
   */
  async cancelAll(
    instrument?: string,
  ): Promise<{ cancelled: string[]; failed: { orderId: string; reason: string }[] }> {
    const rules = instrument === undefined ? undefined : this.rules(instrument);
    const live = await this.listOrders({
      productIds: rules === undefined ? undefined : [rules.productId],
      statuses: ['OPEN', 'PENDING', 'QUEUED'],
    });
    const ids = live.filter((o) => o.status === 'open').map((o) => o.venueOrderId);
    const cancelled: string[] = [];
    const failed: { orderId: string; reason: string }[] = [];
    for (let i = 0; i < ids.length; i += CANCEL_BATCH) {
      const body = await this.rest.call(
        batchCancelRequest(ids.slice(i, i + CANCEL_BATCH)),
        batchCancelResponseSchema,
      );
      for (const r of body.results) {
        if (r.order_id === undefined) continue;
        if (r.success) cancelled.push(r.order_id);
        else
          failed.push({ orderId: r.order_id, reason: r.failure_reason ?? 'UNKNOWN_CANCEL_FAILURE_REASON' });
      }
    }
    return { cancelled, failed };
  }

  async modify(command: Extract<VenueCommand, { kind: 'modify' }>): Promise<VenueReport[]> {
    const rules = this.rules(command.instrument);
    const inst = rules.instrument;
    const snap = await this.snapshotOf(rules, command.clientOrderId);
    if (snap === undefined)
      throw new VenueError('rejected', 'unknown_order', `coinbase has no order ${command.clientOrderId}`);
    if (snap.status !== 'open')
      throw new VenueError(
        'rejected',
        'order_closed',
        `order ${command.clientOrderId} is ${snap.status} at coinbase`,
      );
    if (!EDITABLE.has(snap.configuration))
      throw new VenueError(
        'rejected',
        'unsupported',
        `coinbase edits only GTC limit and stop-limit orders, and ${command.clientOrderId} is ${snap.configuration}: cancel it and place a new order instead`,
      );
    if (command.quantity <= snap.filled)
      throw new VenueError('rejected', 'below_filled', 'the new quantity must be above what is filled');
    const price = command.price ?? snap.price;
    if (price === undefined) throw new VenueError('rejected', 'invalid_order', 'an edit needs a limit price');
    const trigger = snap.configuration.startsWith('stop_limit')
      ? (command.triggerPrice ?? snap.triggerPrice)
      : undefined;
    const check = checkOrder(
      rules,
      {
        clientOrderId: command.clientOrderId,
        instrument: command.instrument,
        side: snap.side,
        type: snap.type,
        tif: 'gtc',
        expireAtMs: undefined,
        quantity: command.quantity,
        price,
        triggerPrice: trigger,
        trailing: undefined,
        postOnly: snap.postOnly,
        reduceOnly: false,
      },
      this.lastPrices.get(rules.productId),
    );
    if (check !== undefined)
      throw new VenueError('rejected', 'product_rule', `${check.rule}: ${check.message}`, check.rule);
    const req = editOrderRequest(snap.venueOrderId, {
      size: formatQty(inst, command.quantity).replace(/\.?0+$/, '') || '0',
      price: trimmed(formatPrice(inst, price)),
      stopPrice: trigger === undefined ? undefined : trimmed(formatPrice(inst, trigger)),
    });
    const body = await this.rest.call(req, editOrderResponseSchema);
    if (!body.success) {
      const r = refusalOf(body);
      throw new VenueError('rejected', 'edit_failed', `coinbase refused the edit: ${r.reason}`, r.code);
    }
    return [
      {
        kind: 'modified',
        clientOrderId: command.clientOrderId,
        quantity: command.quantity,
        price,
        triggerPrice: trigger,
        ts: this.clock(),
      },
    ];
  }

  async lookup(instrument: string, clientOrderId: string): Promise<VenueOrderState | undefined> {
    const rules = this.rules(instrument);
    const snap = await this.snapshotOf(rules, clientOrderId);
    if (snap === undefined) return undefined;
    const st = this.stateOf(snap, rules);
    if (snap.filled === 0) return st;
    return { ...st, fills: await this.orderFills(rules, snap.venueOrderId, snap.clientOrderId, snap.side) };
  }

  async openOrders(): Promise<VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    for (const s of await this.listOrders({ statuses: ['OPEN', 'PENDING', 'QUEUED'] })) {
      if (s.status !== 'open') continue;
      const rules = this.products?.byProductId(s.productId);
      if (rules !== undefined) out.push(this.stateOf(s, rules));
    }
    return out;
  }

  async fillsSince(instrument: string, sinceMs: number): Promise<VenueFill[]> {
    const rules = this.rules(instrument);
    const orderIds = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < this.maxPages(); page++) {
      const body = await this.rest.call(
        listFillsRequest({ productIds: [rules.productId], startMs: sinceMs, cursor }),
        listFillsResponseSchema,
      );
      for (const f of body.fills) orderIds.add(f.order_id);
      cursor = body.cursor;
      if (cursor === undefined || cursor === '' || body.fills.length === 0) break;
    }
    const out: VenueFill[] = [];
    for (const venueOrderId of orderIds) {
      const clientOrderId = await this.clientIdOf(rules, venueOrderId);
      if (clientOrderId === undefined) continue;
      out.push(...(await this.orderFills(rules, venueOrderId, clientOrderId)));
    }
    return out.filter((f) => f.ts >= sinceMs).sort((a, b) => a.ts - b.ts);
  }

  async balances(): Promise<VenueBalance[]> {
    const out: VenueBalance[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < this.maxPages(); page++) {
      const body = await this.rest.call(accountsRequest(cursor), accountsResponseSchema);
      const mapped = mapAccounts(body);
      if (!mapped.ok) throw new VenueError('unknown', 'bad_response', mapped.error.message);
      for (const b of mapped.value) {
        const prev = out.findIndex((x) => x.currency === b.currency);
        const total = b.available + b.hold;
        if (prev >= 0) {
          const p = out[prev]!;
          out[prev] = { currency: b.currency, total: p.total + total, available: p.available + b.available };
        } else out.push({ currency: b.currency, total, available: b.available });
      }
      cursor = body.cursor;
      if (body.has_next !== true || cursor === undefined || cursor === '') break;
    }
    return out;
  }

  async subscribeMarket(instruments: readonly string[]): Promise<void> {
    if (instruments.length === 0) return;
    await this.marketStream?.close();
    const productIds = instruments.map((key) => this.rules(key).productId);
    this.marketStream = new CoinbaseStream(
      this.options.urls.marketWs,
      [
        { channel: 'market_trades', productIds },
        { channel: 'ticker', productIds },
      ],
      { message: (m) => this.onMarketMessage(m), state: () => {} },
      undefined,
      this.clock,
      this.options.stream,
    );
    await this.marketStream.open();
  }

  /** Fills Ordo was told that the fills endpoint contradicts (see fill-ledger.ts). */
  discrepancies(): readonly string[] {
    return this.ledger.discrepancies;
  }

  // ---- placing ------------------------------------------------------------------------------------

  private async place(
    rules: ProductRules,
    order: VenueOrderRequest,
    req: CoinbaseRequest,
  ): Promise<VenueReport[]> {
    const body = await this.rest.call(req, createOrderResponseSchema);
    if (!body.success) {
      const r = refusalOf(body);
      const duplicate = /DUPLICATE|ALREADY_EXISTS/i.test(r.code);
      throw new VenueError(
        'rejected',
        duplicate ? 'duplicate_client_order_id' : r.code.toLowerCase(),
        `coinbase refused the order: ${r.reason}`,
        r.code,
      );
    }
    const venueOrderId = body.success_response?.order_id ?? body.order_id;
    if (venueOrderId === undefined || venueOrderId === '')
      throw new VenueError('unknown', 'bad_response', 'POST /orders: success without an order_id');
    const config = orderConfiguration(rules, order);
    this.remember(
      order.clientOrderId,
      venueOrderId,
      rules,
      config.ok ? Object.keys(config.value)[0] : undefined,
    );
    return [{ kind: 'accepted', clientOrderId: order.clientOrderId, venueOrderId, ts: this.clock() }];
  }

  /** Local pre-validation: an order Coinbase would refuse for a product rule never leaves. */
  private precheck(rules: ProductRules, order: VenueOrderRequest): void {
    const f = checkOrder(rules, order, this.lastPrices.get(rules.productId));
    if (f !== undefined) throw new VenueError('rejected', 'product_rule', `${f.rule}: ${f.message}`, f.rule);
  }

  private built<T>(b: Built<T>): T {
    if (!b.ok) {
      const e = buildError(b.error);
      throw new VenueError('rejected', e.code === 'unsupported' ? 'unsupported' : 'invalid_order', e.message);
    }
    return b.value;
  }

  // ---- orders and their ids ----------------------------------------------------------------------

  private maxPages(): number {
    return this.options.maxPages ?? 20;
  }

  private windowStart(): number {
    return this.clock() - (this.options.rebuildWindowMs ?? 7 * 86_400_000);
  }

  private remember(
    clientOrderId: string,
    venueOrderId: string,
    rules: ProductRules,
    configuration?: string,
  ): void {
    if (
      this.orders.remember({ clientOrderId, venueOrderId, instrument: rules.instrument.key, configuration })
    )
      this.persist();
  }

  /** Lists orders (every page up to maxPages) as snapshots, remembering their ids. */
  private async listOrders(p: {
    productIds?: readonly string[];
    statuses?: readonly string[];
    startMs?: number;
    until?: (s: OrderSnapshot) => boolean;
  }): Promise<OrderSnapshot[]> {
    const out: OrderSnapshot[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < this.maxPages(); page++) {
      const body = await this.rest.call(
        listOrdersRequest({ productIds: p.productIds, statuses: p.statuses, startMs: p.startMs, cursor }),
        listOrdersResponseSchema,
      );
      for (const o of body.orders) {
        const s = this.snapshotFromWire(o);
        if (s === undefined) continue;
        out.push(s);
        if (p.until?.(s) === true) return out;
      }
      cursor = body.cursor;
      if (body.has_next !== true || cursor === undefined || cursor === '') break;
    }
    return out;
  }

  private snapshotFromWire(o: OrderWire): OrderSnapshot | undefined {
    const rules = this.products?.byProductId(o.product_id);
    if (rules === undefined) return undefined;
    const m = mapOrder(o, rules.instrument);
    if (!m.ok) {
      this.problems.push(m.error.message);
      return undefined;
    }
    this.remember(m.value.clientOrderId, m.value.venueOrderId, rules, m.value.configuration);
    return m.value;
  }

  /** Rebuilds the map after a restart: live orders, then the orders of the recent window. */
  private async rebuildOrderMap(): Promise<void> {
    await this.listOrders({ statuses: ['OPEN', 'PENDING', 'QUEUED'] });
    await this.listOrders({ startMs: this.windowStart() });
  }

  /** The venue order id of a client id: from the map, else from a listing of the product. */
  private async venueIdOf(rules: ProductRules, clientOrderId: string): Promise<string | undefined> {
    return (
      this.orders.byClientId(clientOrderId)?.venueOrderId ??
      (await this.searchListing(rules, clientOrderId))?.venueOrderId
    );
  }

  /**
   * The order of a client id as the venue shows it now: fetched by order id when the map knows it,
   * else searched in a listing of the product (every status, the recent window).
   */
  private async snapshotOf(rules: ProductRules, clientOrderId: string): Promise<OrderSnapshot | undefined> {
    const known = this.orders.byClientId(clientOrderId);
    if (known === undefined) return this.searchListing(rules, clientOrderId);
    try {
      const body = await this.rest.call(getOrderRequest(known.venueOrderId), getOrderResponseSchema);
      return this.snapshotFromWire(body.order);
    } catch (e) {
      if (e instanceof VenueError && e.code === 'not_found') return undefined;
      throw e;
    }
  }

  /** Looks for a client id in the product's orders of the recent window, newest first. */
  private async searchListing(
    rules: ProductRules,
    clientOrderId: string,
  ): Promise<OrderSnapshot | undefined> {
    const found = await this.listOrders({
      productIds: [rules.productId],
      startMs: this.windowStart(),
      until: (s) => s.clientOrderId === clientOrderId,
    });
    return found.find((s) => s.clientOrderId === clientOrderId);
  }

  /** The client id of a venue order: from the map, else from the order itself. */
  private async clientIdOf(rules: ProductRules, venueOrderId: string): Promise<string | undefined> {
    const known = this.orders.byVenueId(venueOrderId);
    if (known !== undefined) return known.clientOrderId;
    try {
      const body = await this.rest.call(getOrderRequest(venueOrderId), getOrderResponseSchema);
      if (body.order.product_id !== rules.productId) return undefined;
      return this.snapshotFromWire(body.order)?.clientOrderId;
    } catch (e) {
      if (e instanceof VenueError && e.code === 'not_found') return undefined;
      throw e;
    }
  }

  private stateOf(s: OrderSnapshot, rules: ProductRules): VenueOrderState {
    return {
      instrument: rules.instrument.key,
      clientOrderId: s.clientOrderId,
      venueOrderId: s.venueOrderId,
      side: s.side,
      type: s.type,
      status: s.status,
      quantity: s.quantity,
      filled: s.filled,
      price: s.price,
      triggerPrice: s.triggerPrice,
      ts: s.ts,
      postOnly: s.postOnly,
    };
  }

  // ---- fills --------------------------------------------------------------------------------------

  /**
   * Every fill of one order as Ordo books it: the fills endpoint's executions reconciled with
   * what the user channel already told (fill-ledger.ts), so no execution is told twice.
   */
  private async orderFills(
    rules: ProductRules,
    venueOrderId: string,
    clientOrderId: string,
    side?: Side,
  ): Promise<VenueFill[]> {
    const inst = rules.instrument;
    const executions: EndpointFill[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < this.maxPages(); page++) {
      const body = await this.rest.call(
        listFillsRequest({ orderIds: [venueOrderId], cursor }),
        listFillsResponseSchema,
      );
      for (const f of body.fills) {
        if (f.order_id !== venueOrderId) continue;
        const m = mapFill(f, inst);
        if (m.ok) executions.push(m.value);
        else this.problems.push(m.error.message);
      }
      cursor = body.cursor;
      if (cursor === undefined || cursor === '' || body.fills.length === 0) break;
    }
    const added = this.ledger.reconcile(inst, venueOrderId, clientOrderId, executions);
    if (added.length > 0) this.persist();
    const fillSide = executions[0]?.side ?? side ?? 'buy';
    const l = this.ledger.get(venueOrderId);
    return (l?.segments ?? []).map((s) => this.venueFill(inst, venueOrderId, clientOrderId, s, fillSide));
  }

  private venueFill(
    inst: Instrument,
    venueOrderId: string,
    clientOrderId: string,
    s: Segment,
    side: Side,
  ): VenueFill {
    return {
      instrument: inst.key,
      clientOrderId,
      venueOrderId,
      tradeId: s.id,
      side,
      price: s.price,
      quantity: s.to - s.from,
      fee: s.fee,
      feeCurrency: inst.quote,
      liquidity: s.liquidity,
      ts: s.ts,
    };
  }

  // ---- streams ------------------------------------------------------------------------------------

  private onUserMessage(m: ParsedWsMessage): void {
    if (m.channel !== 'user') return;
    const ts = m.timestampMs ?? this.clock();
    for (const ev of m.events as z.infer<typeof userEventSchema>[])
      for (const o of ev.orders ?? []) {
        const rules = this.products?.byProductId(o.product_id);
        if (rules === undefined) continue;
        const u = mapUserOrder(o, rules.instrument);
        if (!u.ok) {
          this.problems.push(u.error.message);
          continue;
        }
        for (const r of this.translate(u.value, rules, ts)) this.listener?.report(r);
      }
  }

  /** One cumulative order state as the reports it adds to what was already said. */
  private translate(u: UserOrderUpdate, rules: ProductRules, ts: number): VenueReport[] {
    const { clientOrderId, venueOrderId } = u;
    this.remember(clientOrderId, venueOrderId, rules, configurationOf(u));
    let st = this.streamState.get(venueOrderId);
    if (st === undefined)
      this.streamState.set(
        venueOrderId,
        (st = { accepted: false, triggered: false, final: false, rested: false }),
      );
    // Anything after the final state is a repeat or arrived out of order.
    if (st.final) return [];
    const out: VenueReport[] = [];
    if (u.status === 'rejected') {
      st.final = true;
      return [
        {
          kind: 'rejected',
          clientOrderId,
          code: 'venue_rejected',
          reason: u.reason ?? 'FAILED at coinbase',
          ts,
        },
      ];
    }
    if (!st.accepted) {
      st.accepted = true;
      out.push({ kind: 'accepted', clientOrderId, venueOrderId, ts });
    }
    if (u.triggered && !st.triggered) {
      st.triggered = true;
      out.push({ kind: 'triggered', clientOrderId, ts });
    }
    const seg = this.ledger.observe(rules.instrument, {
      venueOrderId,
      clientOrderId,
      cumulative: u.cumulative,
      fees: u.fees,
      value: u.value,
      ts,
      liquidity: liquidityOf(u, st),
      fallbackPrice: u.limitPrice,
    });
    if (seg !== undefined) {
      this.persist();
      out.push({
        kind: 'fill',
        clientOrderId,
        tradeId: seg.id,
        price: seg.price,
        quantity: seg.to - seg.from,
        fee: seg.fee,
        feeCurrency: rules.instrument.quote,
        liquidity: seg.liquidity,
        ts,
      });
    }
    if (u.status === 'open' && u.cumulative === 0) st.rested = true;
    if (u.status === 'cancelled')
      out.push({ kind: 'cancelled', clientOrderId, reason: u.reason ?? 'venue', ts });
    if (u.status === 'expired') out.push({ kind: 'expired', clientOrderId, ts });
    if (u.status !== 'open') st.final = true;
    for (const note of this.ledger.discrepancies) if (!this.problems.includes(note)) this.problems.push(note);
    return out;
  }

  private onMarketMessage(m: ParsedWsMessage): void {
    for (const md of this.market.map(m, this.clock())) {
      if (md.kind === 'trade') {
        const productId = this.products?.byInstrumentKey(md.instrument)?.productId;
        if (productId !== undefined) this.lastPrices.set(productId, md.price);
      }
      this.listener?.market(md);
    }
  }

  // ---- state store --------------------------------------------------------------------------------

  private restore(): void {
    const saved = this.options.store?.load() as { orders?: unknown; ledger?: unknown } | undefined;
    if (saved === undefined || saved === null) return;
    this.orders = OrderIdMap.fromJSON(saved.orders);
    this.ledger = FillLedger.fromJSON(saved.ledger);
  }

  private persist(): void {
    this.options.store?.save({ orders: this.orders.toJSON(), ledger: this.ledger.toJSON() });
  }
}

function trimmed(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** The order_configuration key a user-channel order must have, when its type and TIF say. */
function configurationOf(u: UserOrderUpdate): string | undefined {
  const type = (u.orderType ?? '').toUpperCase().replace(/[^A-Z]/g, '');
  const tif = u.timeInForce ?? '';
  if (type === 'LIMIT' && tif === 'GOOD_UNTIL_CANCELLED') return 'limit_limit_gtc';
  if (type === 'LIMIT' && tif === 'GOOD_UNTIL_DATE_TIME') return 'limit_limit_gtd';
  if (type === 'LIMIT' && tif === 'FILL_OR_KILL') return 'limit_limit_fok';
  if (type === 'LIMIT' && tif === 'IMMEDIATE_OR_CANCEL') return 'sor_limit_ioc';
  if (type === 'STOPLIMIT' && tif === 'GOOD_UNTIL_CANCELLED') return 'stop_limit_stop_limit_gtc';
  if (type === 'STOPLIMIT' && tif === 'GOOD_UNTIL_DATE_TIME') return 'stop_limit_stop_limit_gtd';
  if (type === 'MARKET') return 'market_market_ioc';
  return undefined;
}

/** Maker when the order was seen resting before it filled; taker otherwise (the stream does not say). */
function liquidityOf(u: UserOrderUpdate, st: StreamState): Liquidity {
  const type = (u.orderType ?? '').toUpperCase();
  if (type === 'MARKET' || u.timeInForce === 'IMMEDIATE_OR_CANCEL' || u.timeInForce === 'FILL_OR_KILL')
    return 'taker';
  return st.rested || u.postOnly ? 'maker' : 'taker';
}
