// The Alpaca adapter: Ordo's venue port over Alpaca's Trading API v2 (US equities and crypto), its
// `trade_updates` stream and its market-data streams. Orders are checked against Alpaca's rules
// before they leave (order-rules.ts), so what Ordo sends is not refused for a documented rule;
// what cannot pass is refused locally with a message naming the rule.
//
// One identity per order (order-identity.ts). Alpaca's replace (PATCH) creates a new order with a
// new id, and client order ids are unique forever, so the replacement of Ordo's `X` is sent as
// `X-r1` (then `X-r2`…) and every event is translated back to `X`: the old order's `replaced` and
// the new order's `new` are one `modified`, never a cancel and a new order. After a restart the
// same translation comes from Alpaca itself: an order with `replaces` set and a client id ending
// `-rN` belongs to the Ordo order named before the suffix, and a lookup follows `replaced_by` to
// the order working now.
//
// Lists become one order with an order class (bracket, OCO, OTO); Alpaca names the legs it makes
// with its own client ids, so the legs are linked to Ordo's by their Alpaca ids from the answer.
//
// Fills. Every execution is named `fillTradeId(Alpaca order id, cumulative qty)`, from the stream,
// the fill activities and lookups alike, so reconciliation never counts one twice. Stream events
// are handled one at a time, in order; a fill event that does not follow what Ordo heard of its
// order (events lost while the stream was quiet or down) makes the adapter read that order's fills
// from the activities instead (trade-updates.ts).
//
// Fees: Alpaca's answers carry none; Ordo books crypto fees at the instrument's rates (fees.ts).
// Alpaca does not say who provided liquidity either: limit orders count as makers (liquidityOf).

import { z } from 'zod';
import type {
  Capabilities,
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../../engine/venue-port.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Liquidity } from '../../model/order.ts';
import {
  type VenueAdapter,
  type VenueBalance,
  VenueError,
  type VenueFill,
  type VenueListener,
  type VenueOrderState,
  type VenueOrderStatus,
} from '../venue-adapter.ts';
import { MarketStreams } from './alpaca-market.ts';
import { AlpacaRest } from './alpaca-rest.ts';
import { type StreamOptions, TradeUpdatesStream } from './alpaca-streams.ts';
import { type AssetMap, type AssetRules, parseAssets } from './assets.ts';
import type { AlpacaCredentials, AlpacaUrls } from './auth.ts';
import { ALPACA_CAPABILITIES } from './capabilities.ts';
import { type CryptoFees, fillFee } from './fees.ts';
import type { StockFeed } from './market-data.ts';
import { legOf, OrderIdentities, type Tracked } from './order-identity.ts';
import type { RuleFailure } from './order-rules.ts';
import {
  type ActivityFill,
  type AlpacaOrder,
  accountSchema,
  cancelAllSchema,
  type FillActivity,
  fillActivitySchema,
  mapAccountCash,
  mapFillActivity,
  mapOrder,
  mapPosition,
  type OrderSnapshot,
  orderSchema,
  ordersSchema,
  positionsSchema,
} from './parsers.ts';
import type { AlpacaRateLimiter } from './rate-limits.ts';
import {
  accountRequest,
  assetsRequest,
  cancelAllRequest,
  cancelOrderRequest,
  fillActivitiesRequest,
  listOrderRequest,
  listOrdersRequest,
  orderByClientIdRequest,
  orderRequest,
  placeOrderRequest,
  positionsRequest,
  replacementClientId,
  replaceOrderRequest,
} from './requests.ts';
import { FillTracker, liquidityOf, mapTradeUpdate, type TradeUpdate } from './trade-updates.ts';

export { ALPACA_URLS } from './auth.ts';

export interface AlpacaAdapterOptions {
  readonly urls: AlpacaUrls;
  readonly credentials: AlpacaCredentials;
  /** Trade only these Alpaca symbols (`AAPL`, `BTC/USD`); every active tradable asset when absent. */
  readonly symbols?: readonly string[];
  /** Send equity limit day orders with `extended_hours: true`. Default false. */
  readonly extendedHours?: boolean;
  /** Stock market-data feed: `iex` (free) or `sip`. Default iex. */
  readonly stockFeed?: StockFeed;
  /** Also stream minute bars. Default false. */
  readonly bars?: boolean;
  /** Crypto fee rates as fractions (default Alpaca's published 0.15 % maker / 0.25 % taker). */
  readonly cryptoFeeMaker?: string;
  readonly cryptoFeeTaker?: string;
  /** How crypto fills are charged in Ordo (fees.ts). Default `received`. */
  readonly cryptoFees?: CryptoFees;
  readonly clock?: () => number;
  readonly timeoutMs?: number;
  readonly limiter?: AlpacaRateLimiter;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly stream?: StreamOptions;
}

/** The cached fill activities of one reconciliation (every instrument asks within a moment). */
interface ActivityCache {
  readonly sinceMs: number;
  readonly at: number;
  readonly items: readonly FillActivity[];
}

const MAX_CHAIN = 50;
const ACTIVITY_CACHE_MS = 2_000;
const GAP_TRIES = 3;
const OPENING = new Set(['new', 'accepted', 'pending_new']);

export class AlpacaAdapter implements VenueAdapter {
  readonly id = 'alpaca';
  readonly rest: AlpacaRest;
  private assets: AssetMap | undefined;
  private listener: VenueListener | undefined;
  private stream: TradeUpdatesStream | undefined;
  private readonly market: MarketStreams;
  private readonly ids = new OrderIdentities();
  private readonly fills = new FillTracker();
  private readonly clock: () => number;
  private events: Promise<void> = Promise.resolve();
  private activityCache: ActivityCache | undefined;
  /** Alpaca order id → who its fills are counted as (Alpaca does not say; see liquidityOf). */
  private readonly liquidity = new Map<string, Liquidity>();
  /** Last trade price per instrument key (fractional minimum checks). */
  private readonly lastPrices = new Map<string, number>();

  constructor(private readonly options: AlpacaAdapterOptions) {
    this.clock = options.clock ?? Date.now;
    this.rest = new AlpacaRest({
      baseUrl: options.urls.rest,
      credentials: options.credentials,
      clock: options.clock,
      timeoutMs: options.timeoutMs,
      limiter: options.limiter,
      sleep: options.sleep,
    });
    this.market = new MarketStreams(options.urls.dataStream, options.credentials, {
      feed: options.stockFeed,
      bars: options.bars,
      stream: options.stream,
    });
  }

  /** Checks the account, reads the assets, opens the trade_updates stream. */
  async connect(listener: VenueListener): Promise<void> {
    this.listener = listener;
    const account = await this.rest.call(accountRequest(), accountSchema);
    if (account.trading_blocked === true || account.account_blocked === true)
      throw new VenueError(
        'rejected',
        'account_blocked',
        `alpaca account ${account.status}: trading is blocked`,
      );
    const raw = await this.rest.call(assetsRequest(), z.unknown());
    const list = parseAssets(raw, {
      symbols: this.options.symbols,
      cryptoFeeMaker: this.options.cryptoFeeMaker,
      cryptoFeeTaker: this.options.cryptoFeeTaker,
    });
    if (!list.ok) throw new VenueError('rejected', list.error.code, list.error.message);
    this.assets = list.value.assets;
    this.stream = new TradeUpdatesStream(
      this.options.urls.stream,
      this.options.credentials,
      {
        // One event at a time, in order: a gap being read holds the events after it.
        message: (u) => {
          this.events = this.events.then(() => this.onTradeUpdate(u)).catch(() => {});
        },
        state: (s) => listener.connection(s),
      },
      this.options.stream,
    );
    await this.stream.open();
  }

  async close(): Promise<void> {
    await this.stream?.close();
    await this.market.close();
    await this.events;
  }

  instruments(): readonly Instrument[] {
    return [...(this.assets?.values() ?? [])].map((r) => r.instrument);
  }

  /**
   * Equities' matrix, with crypto's under `byKind` (capabilities.ts): routing reads the one of
   * each instrument's kind.
   */
  capabilities(): Capabilities {
    return ALPACA_CAPABILITIES;
  }

  /** The rules of an asset by Ordo instrument key (after connect). */
  rules(instrument: string): AssetRules {
    const r = this.assets?.byInstrumentKey(instrument);
    if (r === undefined)
      throw new VenueError('rejected', 'unknown_symbol', `alpaca does not list ${instrument}`);
    return r;
  }

  async submit(order: VenueOrderRequest): Promise<VenueReport[]> {
    const rules = this.rules(order.instrument);
    const req = placeOrderRequest(rules, order, {
      extendedHours: this.options.extendedHours,
      lastPrice: this.lastPrices.get(order.instrument),
    });
    if (!req.ok) throw refusal(req.error);
    const t = this.remember(order);
    const body = await this.rest.call(req.value, orderSchema);
    this.ids.link(t, body.id);
    return answerReports(order.clientOrderId, this.snapshot(body, rules));
  }

  async submitList(list: VenueListRequest): Promise<VenueReport[]> {
    const legs = list.parent === undefined ? list.legs : [list.parent, ...list.legs];
    const rules = this.rules(legs[0]!.instrument);
    const req = listOrderRequest(rules, list);
    if (!req.ok) throw refusal(req.error);
    // The order carrying the class: the entry, or an OCO's take-profit limit.
    const main = (list.parent ?? list.legs.find((l) => l.type === 'limit'))!;
    for (const o of legs) {
      const t = this.remember(o);
      if (o !== main)
        t.leg = { mainId: main.clientOrderId, role: o.type === 'limit' ? 'take_profit' : 'stop_loss' };
    }
    // The legs' events can come on trade_updates before this answer links them (Alpaca names the
    // legs itself): they wait until it has, or they would be reported under Alpaca's client ids.
    let release = (): void => {};
    const linked = new Promise<void>((r) => {
      release = r;
    });
    this.events = this.events.then(() => linked);
    try {
      let body = await this.rest.call(req.value, orderSchema);
      this.ids.link(this.ids.get(main.clientOrderId)!, body.id);
      if ((body.legs ?? []).length === 0)
        body = await this.rest.call(orderRequest(body.id, true), orderSchema);
      const reports = answerReports(main.clientOrderId, this.snapshot(body, rules));
      reports.push(...this.linkLegs(body, legs, rules));
      return reports;
    } catch (e) {
      // The answer was lost: if the list is at Alpaca, its legs are linked before their held
      // events are read (the caller looks the orders up next, by Ordo's client ids).
      if (e instanceof VenueError && e.kind === 'unknown') {
        const found = await this.findOrder(main.clientOrderId).catch(() => undefined);
        const withLegs =
          found === undefined
            ? undefined
            : await this.tryGet(orderRequest(found.id, true)).catch(() => undefined);
        if (withLegs !== undefined) {
          this.ids.link(this.ids.get(main.clientOrderId)!, withLegs.id);
          this.linkLegs(withLegs, legs, rules);
        }
      }
      throw e;
    } finally {
      release();
    }
  }

  /** Alpaca made a list's legs and their client ids: links them to Ordo's by their role. */
  private linkLegs(body: AlpacaOrder, legs: readonly VenueOrderRequest[], rules: AssetRules): VenueReport[] {
    const reports: VenueReport[] = [];
    for (const o of legs) {
      const t = this.ids.get(o.clientOrderId)!;
      const leg = t.leg === undefined ? undefined : legOf(body, t.leg.role);
      if (leg === undefined) continue;
      this.ids.linkLeg(t, leg);
      reports.push(...answerReports(o.clientOrderId, this.snapshot(leg, rules)));
    }
    return reports;
  }

  async cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]> {
    const venueOrderId = await this.workingVenueId(instrument, clientOrderId);
    // 204: the cancel is under way; its outcome (canceled, or a fill first) comes on the stream.
    await this.rest.send(cancelOrderRequest(venueOrderId), z.unknown());
    return [];
  }

  /**
   * Cancels every open order (`DELETE /v2/orders`). The 207 says per order whether the cancel was
   * taken; orders are named by Ordo client id when Ordo knows them, else by Alpaca id.
   */
  async cancelAll(): Promise<{
    readonly accepted: string[];
    readonly failed: { id: string; status: number }[];
  }> {
    const answer = await this.rest.send(cancelAllRequest(), cancelAllSchema);
    const accepted: string[] = [];
    const failed: { id: string; status: number }[] = [];
    for (const item of answer.body) {
      const id = this.ids.ordoIdOfVenueId(item.id) ?? item.id;
      if (item.status >= 200 && item.status < 300) accepted.push(id);
      else failed.push({ id, status: item.status });
    }
    return { accepted, failed };
  }

  /**
   * A replace: PATCH with the changed fields and the next `-rN` client id. The answer is the new
   * Alpaca order, which works for the same Ordo order from now on (reported `modified`).
   */
  async modify(command: Extract<VenueCommand, { kind: 'modify' }>): Promise<VenueReport[]> {
    const rules = this.rules(command.instrument);
    let t = this.ids.get(command.clientOrderId);
    if (t?.venueOrderId === undefined || t.quantity === undefined) {
      const st = await this.lookup(command.instrument, command.clientOrderId);
      if (st === undefined || st.status !== 'open')
        throw new VenueError(
          'rejected',
          'order_closed',
          `order ${command.clientOrderId} is not open at alpaca`,
        );
      t = this.ids.get(command.clientOrderId)!;
    }
    const known = t.quantity ?? command.quantity;
    const changes = {
      quantity: command.quantity !== known ? command.quantity - t.filledBefore : undefined,
      price: command.price !== undefined && command.price !== t.price ? command.price : undefined,
      triggerPrice:
        command.triggerPrice !== undefined && command.triggerPrice !== t.triggerPrice
          ? command.triggerPrice
          : undefined,
    };
    if (changes.quantity === undefined && changes.price === undefined && changes.triggerPrice === undefined)
      return [modifiedOf(command, this.clock())];
    if (changes.quantity !== undefined && changes.quantity <= 0)
      throw new VenueError('rejected', 'below_filled', 'the new quantity must be above what is filled');
    const oldVenueId = t.venueOrderId!;
    // Alpaca counts the quantity of the order working now: Ordo's less what replaced orders filled.
    const alpacaTotal = changes.quantity ?? known - t.filledBefore;
    const nextId = replacementClientId(command.clientOrderId, t.revision + 1);
    this.ids.expect(nextId, command.clientOrderId);
    const body = await this.rest.call(
      replaceOrderRequest(rules, oldVenueId, { ...changes, clientOrderId: nextId }),
      orderSchema,
    );
    const snap = this.snapshot(body, rules);
    this.ids.adoptReplacement(t, oldVenueId, snap, alpacaTotal);
    return [
      {
        kind: 'modified',
        clientOrderId: command.clientOrderId,
        quantity: t.quantity ?? command.quantity,
        price: snap.price ?? command.price,
        triggerPrice: snap.triggerPrice ?? command.triggerPrice,
        ts: snap.updatedMs,
      },
    ];
  }

  /** The order by Ordo client id, following replaces to the Alpaca order working now. */
  async lookup(instrument: string, clientOrderId: string): Promise<VenueOrderState | undefined> {
    const rules = this.rules(instrument);
    const first = await this.findOrder(clientOrderId);
    if (first === undefined) return undefined;
    const chain = await this.chainFrom(first);
    const snaps = chain.map((o) => this.snapshot(o, rules));
    const t = this.ids.track(clientOrderId, instrument, chain.at(-1)!.client_order_id);
    this.ids.adoptChain(t, snaps);
    const state = stateOf(clientOrderId, rules, snaps.at(-1)!, t.filledBefore);
    t.quantity = state.quantity;
    t.price = state.price;
    t.triggerPrice = state.triggerPrice;
    if (state.filled === 0) return state;
    return { ...state, fills: await this.orderFills(rules, clientOrderId, chain) };
  }

  async openOrders(): Promise<VenueOrderState[]> {
    const body = await this.rest.call(
      listOrdersRequest({ status: 'open', limit: 500, nested: false }),
      ordersSchema,
    );
    const out: VenueOrderState[] = [];
    for (const o of body) {
      const rules = this.assets?.byVenueSymbol(o.symbol);
      if (rules === undefined) continue;
      const snap = this.snapshot(o, rules);
      const t = await this.trackedOf(o, rules);
      this.ids.link(t, o.id);
      const state = stateOf(t.ordoId, rules, snap, t.filledBefore);
      if (t.quantity === undefined) {
        t.quantity = state.quantity;
        t.price = state.price;
        t.triggerPrice = state.triggerPrice;
      }
      out.push(state);
    }
    return out;
  }

  async fillsSince(instrument: string, sinceMs: number): Promise<VenueFill[]> {
    const rules = this.rules(instrument);
    const out: VenueFill[] = [];
    for (const a of await this.activities(sinceMs)) {
      if (this.assets?.byVenueSymbol(a.symbol) !== rules) continue;
      const f = mapFillActivity(a, rules.instrument);
      if (!f.ok) throw new VenueError('unknown', 'bad_response', f.error.message);
      const clientOrderId = await this.ordoIdOfVenueId(f.value.venueOrderId, rules);
      this.fills.advance(f.value.venueOrderId, f.value.cumQty);
      out.push(this.venueFill(rules, clientOrderId, f.value));
    }
    return out;
  }

  /** Cash in the account's currency, and every position as a balance of its asset. */
  async balances(): Promise<VenueBalance[]> {
    const account = await this.rest.call(accountRequest(), accountSchema);
    const cash = mapAccountCash(account);
    if (!cash.ok) throw new VenueError('unknown', 'bad_response', cash.error.message);
    const out: VenueBalance[] = [cash.value];
    // Crypto positions carry the legacy symbol (`BTCUSD`): the asset list names the base.
    const baseOf = (symbol: string) => this.assets?.byVenueSymbol(symbol)?.instrument.base;
    for (const p of await this.rest.call(positionsRequest(), positionsSchema)) {
      const b = mapPosition(p, baseOf);
      if (!b.ok) throw new VenueError('unknown', 'bad_response', b.error.message);
      out.push(b.value);
    }
    return out;
  }

  async subscribeMarket(instruments: readonly string[]): Promise<void> {
    const assets = this.assets;
    if (instruments.length === 0 || assets === undefined) return;
    const rules = instruments.map((k) => this.rules(k));
    await this.market.open(rules, assets, (md) => {
      if (md.kind === 'trade') this.lastPrices.set(md.instrument, md.price);
      this.listener?.market(md);
    });
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Records an order about to be sent, so its events map to it even before the answer. */
  private remember(o: VenueOrderRequest): Tracked {
    const t = this.ids.track(o.clientOrderId, o.instrument);
    t.quantity = o.quantity;
    t.price = o.price;
    t.triggerPrice = o.triggerPrice;
    return t;
  }

  private snapshot(o: AlpacaOrder, rules: AssetRules): OrderSnapshot {
    this.liquidity.set(o.id, liquidityOf(o));
    const s = mapOrder(o, rules.instrument);
    if (!s.ok) throw new VenueError('unknown', 'bad_response', s.error.message);
    return s.value;
  }

  /** An Alpaca order as GET answers it, or undefined on 404. */
  private async tryGet(req: ReturnType<typeof orderRequest>): Promise<AlpacaOrder | undefined> {
    try {
      return await this.rest.call(req, orderSchema);
    } catch (e) {
      if (e instanceof VenueError && e.code === 'unknown_order') return undefined;
      throw e;
    }
  }

  /** An Ordo order's Alpaca order: by its known Alpaca id, a leg by its role, else by client id. */
  private async findOrder(clientOrderId: string): Promise<AlpacaOrder | undefined> {
    const t = this.ids.get(clientOrderId);
    if (t?.venueOrderId !== undefined) {
      const o = await this.tryGet(orderRequest(t.venueOrderId));
      if (o !== undefined) return o;
    }
    if (t?.leg !== undefined) {
      // A leg Alpaca made: found in the order that carries the class, by its role.
      const main = await this.findOrder(t.leg.mainId);
      const withLegs = main === undefined ? undefined : await this.tryGet(orderRequest(main.id, true));
      const leg = withLegs === undefined ? undefined : legOf(withLegs, t.leg.role);
      if (leg !== undefined) this.ids.linkLeg(t, leg);
      return leg;
    }
    if (t !== undefined && t.alpacaClientId !== clientOrderId) {
      const o = await this.tryGet(orderByClientIdRequest(t.alpacaClientId));
      if (o !== undefined) return o;
    }
    return this.tryGet(orderByClientIdRequest(clientOrderId));
  }

  /** `o` with the orders it replaced and those that replaced it, oldest first. */
  private async chainFrom(o: AlpacaOrder): Promise<AlpacaOrder[]> {
    const chain = [o];
    let cur = o;
    while (cur.status === 'replaced' && cur.replaced_by != null && chain.length < MAX_CHAIN) {
      cur = await this.rest.call(orderRequest(cur.replaced_by), orderSchema);
      chain.push(cur);
    }
    let head = chain[0]!;
    while (head.replaces != null && chain.length < MAX_CHAIN) {
      const id = head.replaces;
      if (chain.some((x) => x.id === id)) break;
      head = await this.rest.call(orderRequest(id), orderSchema);
      chain.unshift(head);
    }
    return chain;
  }

  /** The record of the Ordo order an Alpaca order works for; a replacement Ordo never saw is traced back. */
  private async trackedOf(o: AlpacaOrder, rules: AssetRules): Promise<Tracked> {
    const ordoId = this.ids.ordoIdOf(o);
    if (this.ids.knows(o) || o.replaces == null)
      return this.ids.track(ordoId, rules.instrument.key, o.client_order_id);
    const chain = await this.chainFrom(o);
    const t = this.ids.track(chain[0]!.client_order_id, rules.instrument.key, o.client_order_id);
    this.ids.adoptChain(
      t,
      chain.map((x) => this.snapshot(x, rules)),
    );
    return t;
  }

  /** The Ordo client id of an Alpaca order id, asking Alpaca when it is not known. */
  private async ordoIdOfVenueId(venueOrderId: string, rules: AssetRules): Promise<string> {
    const known = this.ids.ordoIdOfVenueId(venueOrderId);
    if (known !== undefined) return known;
    const o = await this.rest.call(orderRequest(venueOrderId), orderSchema);
    this.snapshot(o, rules);
    const t = await this.trackedOf(o, rules);
    if (t.venueOrderId === undefined) this.ids.link(t, o.id);
    return t.ordoId;
  }

  /** The Alpaca id working for an Ordo order now (looked up when not known). */
  private async workingVenueId(instrument: string, clientOrderId: string): Promise<string> {
    const known = this.ids.get(clientOrderId)?.venueOrderId;
    if (known !== undefined) return known;
    const st = await this.lookup(instrument, clientOrderId);
    if (st === undefined)
      throw new VenueError('rejected', 'unknown_order', `alpaca has no order ${clientOrderId}`);
    return st.venueOrderId;
  }

  /** The fills of an order's Alpaca orders, from the fill activities since the first was made. */
  private async orderFills(
    rules: AssetRules,
    clientOrderId: string,
    chain: readonly Pick<AlpacaOrder, 'id' | 'created_at'>[],
  ): Promise<VenueFill[]> {
    const ids = new Set(chain.map((o) => o.id));
    const since = Math.min(...chain.map((o) => o.created_at)) - 1_000;
    const out: VenueFill[] = [];
    for (const a of await this.activities(since, true)) {
      if (!ids.has(a.order_id)) continue;
      const f = mapFillActivity(a, rules.instrument);
      if (!f.ok) throw new VenueError('unknown', 'bad_response', f.error.message);
      this.fills.advance(f.value.venueOrderId, f.value.cumQty);
      out.push(this.venueFill(rules, clientOrderId, f.value));
    }
    return out;
  }

  private venueFill(rules: AssetRules, clientOrderId: string, f: ActivityFill): VenueFill {
    const liquidity = this.liquidity.get(f.venueOrderId) ?? 'taker';
    const fee = fillFee(rules.instrument, f.side, f.price, f.quantity, liquidity, this.options.cryptoFees);
    return {
      instrument: rules.instrument.key,
      clientOrderId,
      venueOrderId: f.venueOrderId,
      tradeId: f.tradeId,
      side: f.side,
      price: f.price,
      quantity: f.quantity,
      fee: fee.fee,
      feeCurrency: fee.currency,
      liquidity,
      ts: f.ts,
    };
  }

  /** FILL activities since `sinceMs`, oldest first; cached for a moment (one per reconciliation). */
  private async activities(sinceMs: number, fresh = false): Promise<readonly FillActivity[]> {
    const now = this.clock();
    const c = this.activityCache;
    if (!fresh && c !== undefined && c.sinceMs === sinceMs && now - c.at < ACTIVITY_CACHE_MS) return c.items;
    const items: FillActivity[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      // Alpaca's `after` is exclusive: one millisecond earlier includes a fill at `sinceMs`.
      const body = await this.rest.call(
        fillActivitiesRequest({ afterMs: sinceMs - 1, pageSize: 100, pageToken }),
        z.array(z.looseObject({ id: z.string(), activity_type: z.string().optional() })),
      );
      for (const a of body) {
        const f = fillActivitySchema.safeParse(a);
        if (f.success) items.push(f.data);
        else if (a.activity_type === 'FILL')
          throw new VenueError('unknown', 'bad_response', `fill activity ${a.id}: unreadable`);
      }
      if (body.length < 100) break;
      pageToken = body.at(-1)?.id;
    }
    this.activityCache = { sinceMs, at: now, items };
    return items;
  }

  /** One `trade_updates` event, in stream order. */
  private async onTradeUpdate(u: TradeUpdate): Promise<void> {
    const listener = this.listener;
    const rules = this.assets?.byVenueSymbol(u.order.symbol);
    if (listener === undefined || rules === undefined) return;
    const o = u.order;
    this.liquidity.set(o.id, liquidityOf(o));
    const ordoId = this.ids.ordoIdOf(o);
    const t = this.ids.get(ordoId);
    const opening = OPENING.has(u.event);
    // A replace: the old order ends `replaced` and the new one opens. Ordo's order lives on,
    // reported `modified` by the replace's answer.
    if (u.event === 'replaced' || u.event === 'pending_replace') {
      t?.replaced.add(o.id);
      return;
    }
    if (t?.replaced.has(o.id) === true && (opening || u.event === 'canceled')) return;
    if (o.replaces != null && opening) {
      if (t !== undefined && (t.venueOrderId === undefined || t.venueOrderId === o.replaces)) {
        t.replaced.add(o.replaces);
        this.ids.link(t, o.id);
      }
      return;
    }
    if (t !== undefined && t.venueOrderId === undefined) this.ids.link(t, o.id);
    const out = mapTradeUpdate(u, rules.instrument, ordoId, this.fills, (price, qty) =>
      fillFee(rules.instrument, o.side, price, qty, liquidityOf(o), this.options.cryptoFees),
    );
    if (!out.ok) return;
    if (!out.value.gap) {
      for (const r of out.value.reports) listener.report(r);
      return;
    }
    // Something between is unknown: the order's executions, read from the fill activities (a few
    // tries; should they all fail, the next reconciliation finds the fills).
    const chain = [
      o,
      ...[...(t?.replaced ?? [])].map((id) => ({ id, created_at: o.created_at - 86_400_000 })),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        for (const f of await this.orderFills(rules, ordoId, chain)) listener.report(fillReport(f));
        return;
      } catch (e) {
        if (attempt >= GAP_TRIES) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }
}

/** The reports a placement answer tells: accepted, or how it already ended (fills come as events). */
function answerReports(clientOrderId: string, s: OrderSnapshot): VenueReport[] {
  const ts = s.updatedMs;
  if (s.status === 'rejected')
    return [{ kind: 'rejected', clientOrderId, code: 'venue_rejected', reason: 'rejected by alpaca', ts }];
  const out: VenueReport[] = [{ kind: 'accepted', clientOrderId, venueOrderId: s.venueOrderId, ts }];
  if (s.status === 'cancelled' && s.filled === 0)
    out.push({ kind: 'cancelled', clientOrderId, reason: 'canceled', ts });
  if (s.status === 'expired' && s.filled === 0) out.push({ kind: 'expired', clientOrderId, ts });
  return out;
}

/** An Alpaca order as the state of its Ordo order (`filledBefore` added to its counts). */
function stateOf(
  clientOrderId: string,
  rules: AssetRules,
  s: OrderSnapshot,
  filledBefore: number,
): VenueOrderState {
  return {
    instrument: rules.instrument.key,
    clientOrderId,
    venueOrderId: s.venueOrderId,
    side: s.side,
    type: s.type,
    status: venueStatus(s),
    quantity: filledBefore + (s.quantity ?? s.filled),
    filled: filledBefore + s.filled,
    price: s.price,
    triggerPrice: s.triggerPrice,
    ts: s.updatedMs,
  };
}

/** The fill report of a fill the venue lists. */
function fillReport(f: VenueFill): VenueReport {
  return {
    kind: 'fill',
    clientOrderId: f.clientOrderId,
    tradeId: f.tradeId,
    price: f.price,
    quantity: f.quantity,
    fee: f.fee,
    feeCurrency: f.feeCurrency,
    liquidity: f.liquidity,
    ts: f.ts,
  };
}

function modifiedOf(c: Extract<VenueCommand, { kind: 'modify' }>, ts: number): VenueReport {
  return {
    kind: 'modified',
    clientOrderId: c.clientOrderId,
    quantity: c.quantity,
    price: c.price,
    triggerPrice: c.triggerPrice,
    ts,
  };
}

function venueStatus(s: OrderSnapshot): VenueOrderStatus {
  switch (s.status) {
    case 'filled':
      return 'filled';
    case 'cancelled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    case 'replaced':
      // A replaced order found without its replacement: it no longer works.
      return 'cancelled';
    default:
      return 'open';
  }
}

/** A local rule failure as the VenueError the bridge reports as a rejection. */
function refusal(f: RuleFailure): VenueError {
  return new VenueError('rejected', f.kind === 'unsupported' ? 'unsupported' : 'invalid_order', f.message);
}
