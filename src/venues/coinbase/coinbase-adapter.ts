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
// - a bracket's exit pair (Ordo's take-profit and stop-loss legs) is ONE trigger_bracket order
//   (exit-pair.ts): placed by `submitList`, found by either leg's id, its fills told as the
//   take-profit's until the stop triggers and as the stop-loss's after; a trigger ends the
//   take-profit, a cancel of either leg cancels the order (both legs end), and a leg's modify is
//   an edit of the one order (its size, the take-profit's limit or the stop's trigger; GTC only).

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
import { isTriggerBracket, legOfFill, PairBook, type PairLeg, splitPairId } from './exit-pair.ts';
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
  exitPairLegs,
  exitPairRequest,
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
  /** The leg of every exit-pair fill told (exit-pair.ts). */
  private pairBook = new PairBook();
  /** Exit pairs whose cancel Coinbase has taken (by order id): a second leg's cancel sends nothing. */
  private readonly pairCancels = new Set<string>();
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
    const config = orderConfiguration(rules, order);
    const venueOrderId = await this.place(rules, req, config.ok ? Object.keys(config.value)[0] : undefined);
    return [{ kind: 'accepted', clientOrderId: order.clientOrderId, venueOrderId, ts: this.clock() }];
  }

  /**
   * The one list Coinbase takes natively: a bracket's exit pair (a bracket without its entry, a
   * take-profit limit and a stop-loss stop), as one trigger_bracket order. Both legs are accepted
   * under its order id.
   */
  async submitList(list: VenueListRequest): Promise<VenueReport[]> {
    const { takeProfit, stopLoss } = this.built(exitPairLegs(list));
    const rules = this.rules(takeProfit.instrument);
    const req = this.built(exitPairRequest(rules, list));
    this.precheck(rules, { ...takeProfit, triggerPrice: stopLoss.triggerPrice });
    const body = req.body as { order_configuration: Record<string, unknown> };
    const venueOrderId = await this.place(rules, req, Object.keys(body.order_configuration)[0]);
    const ts = this.clock();
    return [takeProfit, stopLoss].map((o) => ({
      kind: 'accepted' as const,
      clientOrderId: o.clientOrderId,
      venueOrderId,
      ts,
    }));
  }

  async cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]> {
    const rules = this.rules(instrument);
    const found = await this.locate(rules, clientOrderId);
    if (found === undefined)
      throw new VenueError('rejected', 'unknown_order', `coinbase has no order ${clientOrderId}`);
    const id = found.venueOrderId;
    // Both legs of an exit pair are cancelled together: the second one's cancel is already done.
    if (found.leg !== undefined && (this.pairCancels.has(id) || this.streamState.get(id)?.final === true))
      return [];
    // A take-profit whose stop has triggered is over, and the order is the stop-loss executing:
    // it is not cancelled for the take-profit's sake.
    if (found.leg === 'take_profit' && (await this.pairTriggered(rules, id)))
      return [{ kind: 'cancelled', clientOrderId, reason: 'oco', ts: this.clock() }];
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
    if (found.leg !== undefined) this.pairCancels.add(id);
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
    const found = await this.locateSnapshot(rules, command.clientOrderId);
    if (found === undefined)
      throw new VenueError('rejected', 'unknown_order', `coinbase has no order ${command.clientOrderId}`);
    if (found.leg !== undefined) return this.modifyPair(rules, found.snap, found.leg, command);
    const snap = found.snap;
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
    const found = await this.locateSnapshot(rules, clientOrderId);
    if (found === undefined) return undefined;
    const snap = found.snap;
    if (found.leg !== undefined) {
      // Fills first: the leg's filled quantity counts what they attribute to it.
      const all =
        snap.filled === 0
          ? []
          : await this.orderFills(rules, snap.venueOrderId, snap.clientOrderId, snap.side, snap);
      const fills = all.filter((f) => f.clientOrderId === clientOrderId);
      return { ...this.legState(snap, rules, found.leg), fills };
    }
    const st = this.stateOf(snap, rules);
    if (snap.filled === 0) return st;
    return { ...st, fills: await this.orderFills(rules, snap.venueOrderId, snap.clientOrderId, snap.side) };
  }

  async openOrders(): Promise<VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    for (const s of await this.listOrders({ statuses: ['OPEN', 'PENDING', 'QUEUED'] })) {
      if (s.status !== 'open') continue;
      const rules = this.products?.byProductId(s.productId);
      if (rules === undefined) continue;
      if (this.pairLegsOf(s) === undefined) out.push(this.stateOf(s, rules));
      // An exit pair is its legs: the stop-loss, and the take-profit until the stop triggered.
      else
        for (const leg of ['take_profit', 'stop_loss'] as const) {
          const st = this.legState(s, rules, leg);
          if (st.status === 'open') out.push(st);
        }
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

  /** Sends a create; the venue's order id once Coinbase took it (remembered with its client id). */
  private async place(
    rules: ProductRules,
    req: CoinbaseRequest,
    configuration: string | undefined,
  ): Promise<string> {
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
    const clientOrderId = (req.body as { client_order_id: string }).client_order_id;
    this.remember(clientOrderId, venueOrderId, rules, configuration);
    return venueOrderId;
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
    this.notePair(clientOrderId, configuration);
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

  /** Whether an exit pair's stop has triggered: as the user channel said, else as the order shows. */
  private async pairTriggered(rules: ProductRules, venueOrderId: string): Promise<boolean> {
    if (this.streamState.get(venueOrderId)?.triggered === true) return true;
    const body = await this.rest.call(getOrderRequest(venueOrderId), getOrderResponseSchema);
    return this.snapshotFromWire(body.order)?.triggered === true && body.order.product_id === rules.productId;
  }

  /** The legs of an exit pair an order is, by its client id; undefined for any other order. */
  private pairLegsOf(s: { readonly clientOrderId: string; readonly configuration: string | undefined }) {
    return isTriggerBracket(s.configuration) ? splitPairId(s.clientOrderId) : undefined;
  }

  /** The client id Coinbase knows an order by: an exit pair's for one of its legs, else its own. */
  private venueClientId(clientOrderId: string): { id: string; leg: PairLeg | undefined } {
    const pair =
      this.orders.byClientId(clientOrderId) === undefined ? this.pairOfLeg.get(clientOrderId) : undefined;
    return pair === undefined ? { id: clientOrderId, leg: undefined } : { id: pair[0], leg: pair[1] };
  }

  /** Leg client id → [the pair's client id, which leg], learnt with every pair the map learns. */
  private readonly pairOfLeg = new Map<string, [string, PairLeg]>();

  private notePair(clientOrderId: string, configuration: string | undefined): void {
    const legs = this.pairLegsOf({ clientOrderId, configuration });
    if (legs === undefined) return;
    this.pairOfLeg.set(legs.takeProfit, [clientOrderId, 'take_profit']);
    this.pairOfLeg.set(legs.stopLoss, [clientOrderId, 'stop_loss']);
  }

  /** Whether a listed order is the one a client id names: itself, or the exit pair holding it. */
  private names(s: OrderSnapshot, clientOrderId: string): PairLeg | 'self' | undefined {
    if (s.clientOrderId === clientOrderId) return 'self';
    const legs = this.pairLegsOf(s);
    if (legs?.takeProfit === clientOrderId) return 'take_profit';
    if (legs?.stopLoss === clientOrderId) return 'stop_loss';
    return undefined;
  }

  /** The venue order of a client id (an exit pair's for one of its legs), without fetching it when known. */
  private async locate(
    rules: ProductRules,
    clientOrderId: string,
  ): Promise<{ venueOrderId: string; leg: PairLeg | undefined } | undefined> {
    const v = this.venueClientId(clientOrderId);
    const known = this.orders.byClientId(v.id);
    if (known !== undefined) return { venueOrderId: known.venueOrderId, leg: v.leg };
    const found = await this.locateSnapshot(rules, clientOrderId);
    return found === undefined ? undefined : { venueOrderId: found.snap.venueOrderId, leg: found.leg };
  }

  /** The venue order of a client id as Coinbase shows it now, and the leg it is when it is an exit pair. */
  private async locateSnapshot(
    rules: ProductRules,
    clientOrderId: string,
  ): Promise<{ snap: OrderSnapshot; leg: PairLeg | undefined } | undefined> {
    const snap = await this.snapshotOf(rules, this.venueClientId(clientOrderId).id, clientOrderId);
    if (snap === undefined) return undefined;
    const named = this.names(snap, clientOrderId);
    if (named === undefined) return undefined;
    return { snap, leg: named === 'self' ? undefined : named };
  }

  /**
   * The order of a client id as the venue shows it now: fetched by order id when the map knows it,
   * else searched in a listing of the product (every status, the recent window).
   */
  private async snapshotOf(
    rules: ProductRules,
    clientOrderId: string,
    searchFor = clientOrderId,
  ): Promise<OrderSnapshot | undefined> {
    const known = this.orders.byClientId(clientOrderId);
    if (known === undefined) return this.searchListing(rules, searchFor);
    try {
      const body = await this.rest.call(getOrderRequest(known.venueOrderId), getOrderResponseSchema);
      return this.snapshotFromWire(body.order);
    } catch (e) {
      if (e instanceof VenueError && e.code === 'not_found') return undefined;
      throw e;
    }
  }

  /** Looks for a client id (an order's, or a leg's of an exit pair) in the product's recent orders. */
  private async searchListing(
    rules: ProductRules,
    clientOrderId: string,
  ): Promise<OrderSnapshot | undefined> {
    const found = await this.listOrders({
      productIds: [rules.productId],
      startMs: this.windowStart(),
      until: (s) => this.names(s, clientOrderId) !== undefined,
    });
    return found.find((s) => this.names(s, clientOrderId) !== undefined);
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

  /**
   * One leg of an exit pair as Ordo's order: the take-profit limit (ended once the stop triggered),
   * or the stop-loss stop; filled with the fills told as its own, open for what the pair has left.
   */
  private legState(s: OrderSnapshot, rules: ProductRules, leg: PairLeg): VenueOrderState {
    const legs = this.pairLegsOf(s)!;
    const tp = leg === 'take_profit';
    let own = 0;
    for (const seg of this.ledger.get(s.venueOrderId)?.segments ?? [])
      if (this.legOfSegment(s, seg) === leg) own += seg.to - seg.from;
    let status: VenueOrderState['status'] = s.status;
    // The trigger withdraws the take-profit; a pair filled before it leaves the stop-loss unused.
    if (tp && s.triggered && (s.status === 'open' || s.status === 'filled')) status = 'cancelled';
    else if (!tp && !s.triggered && s.status === 'filled') status = 'cancelled';
    return {
      instrument: rules.instrument.key,
      clientOrderId: tp ? legs.takeProfit : legs.stopLoss,
      venueOrderId: s.venueOrderId,
      side: s.side,
      type: tp ? 'limit' : 'stop',
      status,
      quantity: own + Math.max(0, s.quantity - s.filled),
      filled: own,
      price: tp ? s.price : undefined,
      triggerPrice: tp ? undefined : s.triggerPrice,
      ts: s.ts,
      postOnly: false,
    };
  }

  /** The leg of a fill of an exit pair: as attributed when told, else by its price (exit-pair.ts). */
  private legOfSegment(s: OrderSnapshot, seg: Segment): PairLeg {
    const known = this.pairBook.get(seg.id);
    if (known !== undefined) return known;
    const leg = legOfFill(s.side, s.triggered, seg.price, s.price);
    if (this.pairBook.set(seg.id, leg)) this.persist();
    return leg;
  }

  /**
   * A leg's modify is an edit of the one trigger bracket: its size (the pair's quantity Ordo
   * asks), the take-profit's limit or the stop's trigger. Coinbase edits GTC brackets whose stop has
   * not triggered; an edit that changes nothing is not sent (both legs ask for the same resize).
   */
  private async modifyPair(
    rules: ProductRules,
    snap: OrderSnapshot,
    leg: PairLeg,
    command: Extract<VenueCommand, { kind: 'modify' }>,
  ): Promise<VenueReport[]> {
    const inst = rules.instrument;
    const id = command.clientOrderId;
    if (snap.status !== 'open')
      throw new VenueError(
        'rejected',
        'order_closed',
        `the trigger bracket of ${id} is ${snap.status} at coinbase`,
      );
    if (snap.triggered)
      throw new VenueError(
        'rejected',
        'order_closed',
        `the stop of ${id}'s trigger bracket has triggered at coinbase`,
      );
    if (snap.configuration !== 'trigger_bracket_gtc')
      throw new VenueError(
        'rejected',
        'unsupported',
        `coinbase edits only GTC trigger brackets, and ${id}'s is ${snap.configuration}: cancel it and place a new bracket instead`,
      );
    const size = command.pairQuantity ?? snap.quantity;
    const limit = leg === 'take_profit' ? (command.price ?? snap.price) : snap.price;
    const stop = leg === 'stop_loss' ? (command.triggerPrice ?? snap.triggerPrice) : snap.triggerPrice;
    if (limit === undefined || stop === undefined)
      throw new VenueError(
        'rejected',
        'invalid_order',
        `the trigger bracket of ${id} has no limit or stop price`,
      );
    const report: VenueReport = {
      kind: 'modified',
      clientOrderId: id,
      quantity: command.quantity,
      price: leg === 'take_profit' ? limit : undefined,
      triggerPrice: leg === 'stop_loss' ? stop : undefined,
      ts: this.clock(),
    };
    if (size === snap.quantity && limit === snap.price && stop === snap.triggerPrice) return [report];
    if (size <= snap.filled)
      throw new VenueError('rejected', 'below_filled', 'the new quantity must be above what is filled');
    const check = checkOrder(
      rules,
      {
        clientOrderId: snap.clientOrderId,
        instrument: command.instrument,
        side: snap.side,
        type: 'limit',
        tif: 'gtc',
        expireAtMs: undefined,
        quantity: size,
        price: limit,
        triggerPrice: stop,
        trailing: undefined,
        postOnly: false,
        reduceOnly: false,
      },
      this.lastPrices.get(rules.productId),
    );
    if (check !== undefined)
      throw new VenueError('rejected', 'product_rule', `${check.rule}: ${check.message}`, check.rule);
    const req = editOrderRequest(snap.venueOrderId, {
      size: trimmed(formatQty(inst, size)),
      price: trimmed(formatPrice(inst, limit)),
      stopPrice: trimmed(formatPrice(inst, stop)),
    });
    const body = await this.rest.call(req, editOrderResponseSchema);
    if (!body.success) {
      const r = refusalOf(body);
      throw new VenueError('rejected', 'edit_failed', `coinbase refused the edit: ${r.reason}`, r.code);
    }
    return [report];
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
    snapshot?: OrderSnapshot,
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
    const segments = this.ledger.get(venueOrderId)?.segments ?? [];
    const known = this.orders.byClientId(clientOrderId);
    if (this.pairLegsOf({ clientOrderId, configuration: known?.configuration }) === undefined)
      return segments.map((s) => this.venueFill(inst, venueOrderId, clientOrderId, s, fillSide));
    // An exit pair: each fill is told as its leg's.
    let snap = snapshot;
    if (snap === undefined && segments.some((seg) => this.pairBook.get(seg.id) === undefined)) {
      const body = await this.rest.call(getOrderRequest(venueOrderId), getOrderResponseSchema);
      snap = this.snapshotFromWire(body.order);
    }
    const legs = splitPairId(clientOrderId)!;
    return segments.map((seg) => {
      const leg =
        snap === undefined ? (this.pairBook.get(seg.id) ?? 'take_profit') : this.legOfSegment(snap, seg);
      const legId = leg === 'take_profit' ? legs.takeProfit : legs.stopLoss;
      return this.venueFill(inst, venueOrderId, legId, seg, fillSide);
    });
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
    const configuration = configurationOf(u);
    this.remember(clientOrderId, venueOrderId, rules, configuration);
    let st = this.streamState.get(venueOrderId);
    if (st === undefined)
      this.streamState.set(
        venueOrderId,
        (st = { accepted: false, triggered: false, final: false, rested: false }),
      );
    // Anything after the final state is a repeat or arrived out of order.
    if (st.final) return [];
    const legs = this.pairLegsOf({ clientOrderId, configuration });
    if (legs !== undefined) return this.translatePair(u, rules, ts, st, legs);
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

  /**
   * One cumulative state of an exit pair as its legs' reports: fills before the trigger are the
   * take-profit's, after it the stop-loss's (a fill in the update that triggered goes by its price);
   * the trigger ends the take-profit; the end of the order ends what is left of either leg.
   */
  private translatePair(
    u: UserOrderUpdate,
    rules: ProductRules,
    ts: number,
    st: StreamState,
    legs: { readonly takeProfit: string; readonly stopLoss: string },
  ): VenueReport[] {
    const { venueOrderId } = u;
    const both = [legs.takeProfit, legs.stopLoss];
    const out: VenueReport[] = [];
    if (u.status === 'rejected') {
      st.final = true;
      const reason = u.reason ?? 'FAILED at coinbase';
      return both.map((id) => ({ kind: 'rejected', clientOrderId: id, code: 'venue_rejected', reason, ts }));
    }
    if (!st.accepted) {
      st.accepted = true;
      for (const id of both) out.push({ kind: 'accepted', clientOrderId: id, venueOrderId, ts });
    }
    const wasTriggered = st.triggered;
    const seg = this.ledger.observe(rules.instrument, {
      venueOrderId,
      clientOrderId: u.clientOrderId,
      cumulative: u.cumulative,
      fees: u.fees,
      value: u.value,
      ts,
      // The triggered stop is a limit through the market: it takes.
      liquidity: wasTriggered || u.triggered ? 'taker' : liquidityOf(u, st),
      fallbackPrice: u.limitPrice,
    });
    let fill: VenueReport | undefined;
    if (seg !== undefined) {
      const leg = wasTriggered ? 'stop_loss' : legOfFill(u.side, u.triggered, seg.price, u.limitPrice);
      this.pairBook.set(seg.id, leg);
      this.persist();
      fill = {
        kind: 'fill',
        clientOrderId: leg === 'take_profit' ? legs.takeProfit : legs.stopLoss,
        tradeId: seg.id,
        price: seg.price,
        quantity: seg.to - seg.from,
        fee: seg.fee,
        feeCurrency: rules.instrument.quote,
        liquidity: seg.liquidity,
        ts,
      };
      // The take-profit's fill comes before the trigger that ends it.
      if (leg === 'take_profit') out.push(fill);
    }
    if (u.status === 'open' && u.cumulative === 0) st.rested = true;
    if (u.triggered && !st.triggered) {
      st.triggered = true;
      out.push({ kind: 'triggered', clientOrderId: legs.stopLoss, ts });
      out.push({ kind: 'cancelled', clientOrderId: legs.takeProfit, reason: 'oco', ts });
    }
    if (fill !== undefined && fill.clientOrderId === legs.stopLoss) out.push(fill);
    if (u.status === 'cancelled')
      for (const id of both)
        out.push({ kind: 'cancelled', clientOrderId: id, reason: u.reason ?? 'venue', ts });
    if (u.status === 'expired') for (const id of both) out.push({ kind: 'expired', clientOrderId: id, ts });
    // Filled before the trigger: the take-profit took it all, the stop-loss is not needed.
    if (u.status === 'filled' && !st.triggered)
      out.push({ kind: 'cancelled', clientOrderId: legs.stopLoss, reason: 'oco', ts });
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
    const saved = this.options.store?.load() as
      | { orders?: unknown; ledger?: unknown; pairs?: unknown }
      | undefined;
    if (saved === undefined || saved === null) return;
    this.orders = OrderIdMap.fromJSON(saved.orders);
    this.ledger = FillLedger.fromJSON(saved.ledger);
    this.pairBook = PairBook.fromJSON(saved.pairs);
    for (const o of this.orders.toJSON()) this.notePair(o.clientOrderId, o.configuration);
  }

  private persist(): void {
    this.options.store?.save({
      orders: this.orders.toJSON(),
      ledger: this.ledger.toJSON(),
      pairs: this.pairBook.toJSON(),
    });
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
  if (type === 'BRACKET' && tif === 'GOOD_UNTIL_CANCELLED') return 'trigger_bracket_gtc';
  if (type === 'BRACKET' && tif === 'GOOD_UNTIL_DATE_TIME') return 'trigger_bracket_gtd';
  return undefined;
}

/** Maker when the order was seen resting before it filled; taker otherwise (the stream does not say). */
function liquidityOf(u: UserOrderUpdate, st: StreamState): Liquidity {
  const type = (u.orderType ?? '').toUpperCase();
  if (type === 'MARKET' || u.timeInForce === 'IMMEDIATE_OR_CANCEL' || u.timeInForce === 'FILL_OR_KILL')
    return 'taker';
  return st.rested || u.postOnly ? 'maker' : 'taker';
}
