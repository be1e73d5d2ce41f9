// The fake's trading core: Binance orders, order lists and balances on top of Ordo's paper matcher.
//
// The PaperMatcher (venues/paper/paper-matcher.ts) does the exact, deterministic matching of
// MARKET and LIMIT orders against the market fed in, and keeps spot balances. This module adds what
// Binance itself does on top:
// - Binance order records: per-symbol orderId / orderListId / trade id counters, client order ids
//   unique among open orders (reusable once closed), statuses and the fields of every response.
// - Conditional orders (STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT) are held here and
//   triggered by the last trade price as Binance defines it: the stop is above the market for
//   STOP_LOSS* BUY and TAKE_PROFIT* SELL (trigger when last ≥ stop), below for the others (last ≤
//   stop); a stop already met on placement is "Order would trigger immediately.". Trailing stops
//   (trailingDelta in BIPS) start tracking at once (from the last price) when there is no
//   stopPrice, or once the stop condition is met; SELL orders trigger after a fall of delta from the
//   highest trade since tracking began, BUY orders after a rise from the lowest. A triggered order is
//   released into the matcher as a MARKET (STOP_LOSS, TAKE_PROFIT) or LIMIT order.
// - Funds of held orders are reserved in an overlay on the matcher's ledger (free = matcher
//   available − reserved), so a held order cannot be spent twice; the reservation is released into
//   the matcher when the order triggers.
// - Order lists: OCO (either leg executing — a fill of the limit-maker leg or a trigger of a stop
//   leg — expires the other leg, and the list is ALL_DONE), OTO (pending legs are placed when the
//   working order is fully filled; if the working order ends otherwise they expire), OTOCO (the
//   pending legs form an OCO). Canceling any leg cancels the whole list.
// - MARKET orders never rest: their unfilled remainder EXPIRES (Binance's insufficient-liquidity
//   rule), as do IOC remainders and unfillable FOK orders. LIMIT_MAKER is post-only.
// - Commissions are the matcher's: maker/taker rate of the notional, in the quote asset, for buys
//   and sells alike (Binance takes a buyer's commission in the base asset; not modeled).
//
// Every operation runs synchronously on the injected clock and emits Binance user-data events
// (executionReport, listStatus, outboundAccountPosition, balanceUpdate) through `onUserEvent`.

import { pow10 } from '../../../core/decimal.ts';
import { SeededRandom } from '../../../core/ports.ts';
import type { VenueReport } from '../../../engine/venue-port.ts';
import { MONEY_SCALE, notionalOf, RATE_ONE } from '../../../model/instrument.ts';
import type { MarketData } from '../../../model/market.ts';
import { barPath } from '../../../model/market.ts';
import { PaperMatcher, type PaperMatcherOptions } from '../../paper/paper-matcher.ts';
import { errors } from './fake-errors.ts';
import { type AvgPrice, type FilterContext, isAlgo, type Side, stopAbove } from './fake-filters.ts';
import {
  balanceUpdateEvent,
  type ExecutionType,
  executionReport,
  listStatusEvent,
  outboundAccountPosition,
} from './fake-render.ts';
import { type BinanceOrderType, DEC_SCALE, fmt, priceDec, qtyDec, type SymbolSpec } from './fake-symbols.ts';

const MONEY_PER_DEC = pow10(MONEY_SCALE - DEC_SCALE);
const RATE_ONE_BIG = BigInt(RATE_ONE);

export type OrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED';
export type Tif = 'GTC' | 'IOC' | 'FOK';
export type Phase = 'pending' | 'held' | 'working' | 'done';
export type LegRole = 'single' | 'working' | 'pending' | 'above' | 'below';

export const isFinal = (s: OrderStatus): boolean =>
  s === 'FILLED' || s === 'CANCELED' || s === 'REJECTED' || s === 'EXPIRED';
export const isOpen = (s: OrderStatus): boolean => !isFinal(s);

export interface Fill {
  readonly tradeId: number;
  /** Instrument units. */
  readonly price: number;
  readonly qty: number;
  /** Money units (10^-18) of the quote asset. */
  readonly quote: bigint;
  readonly commission: bigint;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isMaker: boolean;
}

interface Reservation {
  readonly asset: string;
  readonly amount: bigint;
}

export interface FakeOrder {
  readonly spec: SymbolSpec;
  readonly symbol: string;
  readonly orderId: number;
  readonly orderListId: number;
  /** The id the order was placed (or last amended) with. */
  clientOrderId: string;
  /** The id of the request that canceled the order (`c` of the CANCELED report). */
  cancelClientOrderId: string | undefined;
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly timeInForce: Tif;
  /** Instrument units; undefined for market types. */
  readonly price: number | undefined;
  origQty: number;
  /** DEC units (10^-8) of the quote asset. */
  readonly quoteOrderQty: bigint | undefined;
  readonly stopPrice: number | undefined;
  readonly trailingDelta: number | undefined;
  trailingTime: number;
  readonly icebergQty: number | undefined;
  readonly strategyId: number | undefined;
  readonly strategyType: number | undefined;
  readonly stp: string;
  executedQty: number;
  /** Money units of the quote asset. */
  cumQuote: bigint;
  status: OrderStatus;
  readonly time: number;
  updateTime: number;
  /** -1 while the order is not working (held stop, pending leg). */
  workingTime: number;
  phase: Phase;
  readonly role: LegRole;
  readonly list: FakeList | undefined;
  readonly fills: Fill[];
  amendCount: number;
  /** Internal: the matcher's id, set once the order is in the matcher. */
  matcherId: string | undefined;
  /** Internal: send NEW when the matcher accepts the order. */
  announce: boolean;
  /** Internal: trailing-stop tracking. */
  trail: { active: boolean; extreme: number } | undefined;
  /** Internal: funds held for a single held order. */
  reservation: Reservation | undefined;
}

export interface FakeList {
  readonly spec: SymbolSpec;
  readonly symbol: string;
  readonly orderListId: number;
  readonly listClientOrderId: string;
  readonly kind: 'OCO' | 'OTO' | 'OTOCO';
  readonly contingencyType: 'OCO' | 'OTO';
  readonly orders: FakeOrder[];
  readonly transactionTime: number;
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE' | 'UPDATED' | 'RESPONSE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE' | 'REJECT';
  /** The active one-cancels-the-other pair (OCO, or an OTOCO's pending legs once placed). */
  oco: FakeOrder[] | undefined;
  /** OTO/OTOCO legs waiting for the working order to fill. */
  pending: FakeOrder[];
  /** Funds held for the held legs of `oco` beyond what its working leg locks in the matcher. */
  reservation: Reservation | undefined;
  cancelling: boolean;
}

/** A new order after parameter and filter checks, prices and quantities in instrument units. */
export interface NewOrder {
  readonly spec: SymbolSpec;
  readonly side: Side;
  readonly type: BinanceOrderType;
  readonly tif: Tif;
  readonly quantity: number | undefined;
  readonly quoteOrderQty: bigint | undefined;
  readonly price: number | undefined;
  readonly stopPrice: number | undefined;
  readonly trailingDelta: number | undefined;
  readonly icebergQty: number | undefined;
  readonly clientOrderId: string | undefined;
  readonly strategyId: number | undefined;
  readonly strategyType: number | undefined;
  readonly stp: string;
}

export interface UserTrade {
  readonly order: FakeOrder;
  readonly fill: Fill;
}

export type PublicEvent =
  | {
      readonly kind: 'trade';
      readonly symbol: string;
      readonly tradeId: number;
      readonly price: string;
      readonly qty: string;
      readonly time: number;
      readonly buyerMaker: boolean;
    }
  | {
      readonly kind: 'bookTicker';
      readonly symbol: string;
      readonly updateId: number;
      readonly bid: string;
      readonly bidQty: string;
      readonly ask: string;
      readonly askQty: string;
    };

export interface BalanceView {
  readonly asset: string;
  /** DEC units. */
  readonly free: bigint;
  readonly locked: bigint;
}

export interface OrderRef {
  readonly orderId: number | undefined;
  readonly origClientOrderId: string | undefined;
}

export type CancelResult =
  | { readonly kind: 'order'; readonly order: FakeOrder }
  | { readonly kind: 'list'; readonly list: FakeList; readonly legs: readonly FakeOrder[] };

export interface ExchangeOptions {
  readonly symbols: readonly SymbolSpec[];
  readonly balances: Readonly<Record<string, string>>;
  readonly touchFills: boolean;
  readonly now: () => number;
  readonly seed: number;
  readonly onUserEvent: (event: Record<string, unknown>) => void;
}

interface SymbolState {
  readonly spec: SymbolSpec;
  nextOrderId: number;
  nextListId: number;
  nextTradeId: number;
  nextBookId: number;
  last: number | undefined;
  /** Fed trades within the longest average-price window: time, price and qty in DEC units. */
  readonly window: { time: number; price: bigint; qty: bigint }[];
  readonly windowMs: number;
  /** Held (untriggered) orders in placement order. */
  held: FakeOrder[];
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class FakeExchange {
  private matcher: PaperMatcher;
  private matcherOptions: PaperMatcherOptions;
  private readonly states = new Map<string, SymbolState>();
  private readonly byInstrument = new Map<string, SymbolState>();
  readonly orders: FakeOrder[] = [];
  readonly lists: FakeList[] = [];
  readonly trades: UserTrade[] = [];
  private readonly byKey = new Map<string, FakeOrder>();
  private readonly byMatcherId = new Map<string, FakeOrder>();
  private readonly cancelReasons = new Map<string, 'user' | 'list' | 'oco'>();
  private readonly reserved = new Map<string, bigint>();
  private readonly random: SeededRandom;
  private execId = 1;
  private depth = 0;
  private readonly dirty = new Set<string>();
  private deferActivation = false;
  private readonly deferred: FakeList[] = [];

  constructor(private readonly options: ExchangeOptions) {
    this.random = new SeededRandom(options.seed);
    this.matcherOptions = {
      venue: 'binance',
      instruments: options.symbols.map((s) => s.instrument),
      balances: options.balances,
      touchFills: options.touchFills,
      slippage: { kind: 'none' },
      latencyMs: 0,
      allowShort: false,
    };
    this.matcher = new PaperMatcher(this.matcherOptions);
    for (const spec of options.symbols) {
      let mins = 0;
      for (const f of spec.filters)
        if ('avgPriceMins' in f && typeof f.avgPriceMins === 'number') mins = Math.max(mins, f.avgPriceMins);
      const st: SymbolState = {
        spec,
        nextOrderId: 1,
        nextListId: 0,
        nextTradeId: 1,
        nextBookId: 1,
        last: undefined,
        window: [],
        windowMs: mins * 60_000,
        held: [],
      };
      this.states.set(spec.symbol, st);
      this.byInstrument.set(spec.instrument.key, st);
    }
  }

  private now(): number {
    return this.options.now();
  }

  symbol(symbol: string): SymbolSpec | undefined {
    return this.states.get(symbol)?.spec;
  }

  symbols(): SymbolSpec[] {
    return [...this.states.values()].map((s) => s.spec);
  }

  private state(symbol: string): SymbolState {
    const st = this.states.get(symbol);
    if (st === undefined) throw errors.badSymbol();
    return st;
  }

  /** A Binance-style random client order id (22 characters), from the seeded generator. */
  genId(): string {
    let s = '';
    for (let i = 0; i < 22; i++) s += ID_CHARS[this.random.nextInt(ID_CHARS.length)];
    return s;
  }

  // ---- market data ----------------------------------------------------------------------------

  /** Applies market data (instrument key `binance:BTC/USDT`, or the Binance symbol) at the clock's now. */
  feed(md: MarketData): PublicEvent[] {
    return this.op(() => {
      const st = this.byInstrument.get(md.instrument) ?? this.states.get(md.instrument);
      if (st === undefined) throw new Error(`feed: unknown instrument ${md.instrument}`);
      const out: PublicEvent[] = [];
      const spec = st.spec;
      switch (md.kind) {
        case 'quote': {
          this.matcher.onMarket({ ...md, instrument: spec.instrument.key, ts: this.now() });
          this.pump();
          out.push({
            kind: 'bookTicker',
            symbol: spec.symbol,
            updateId: st.nextBookId++,
            bid: fmt(priceDec(spec, md.bid)),
            bidQty: fmt(qtyDec(spec, md.bidSize)),
            ask: fmt(priceDec(spec, md.ask)),
            askQty: fmt(qtyDec(spec, md.askSize)),
          });
          break;
        }
        case 'trade':
          this.trade(st, md.price, md.size, md.aggressor === 'sell', out);
          break;
        case 'bar': {
          const lot = spec.instrument.qtyIncrement;
          const part = Math.floor(md.volume / 4 / lot) * lot;
          const path = barPath(md);
          path.forEach((price, i) => {
            const size = i < 3 ? part : md.volume - 3 * part;
            this.trade(st, price, size, false, out);
          });
          break;
        }
      }
      return out;
    });
  }

  private trade(st: SymbolState, price: number, size: number, buyerMaker: boolean, out: PublicEvent[]): void {
    const spec = st.spec;
    const tradeId = st.nextTradeId++;
    const now = this.now();
    this.matcher.onMarket({
      kind: 'trade',
      instrument: spec.instrument.key,
      ts: now,
      price,
      size,
      aggressor: buyerMaker ? 'sell' : 'buy',
      tradeId: String(tradeId),
    });
    this.pump();
    st.last = price;
    if (st.windowMs > 0) {
      st.window.push({ time: now, price: priceDec(spec, price), qty: qtyDec(spec, size) });
      while (st.window.length > 0 && st.window[0]!.time < now - st.windowMs) st.window.shift();
    }
    for (const o of [...st.held]) if (o.phase === 'held' && this.shouldTrigger(o, price)) this.trigger(o);
    out.push({
      kind: 'trade',
      symbol: spec.symbol,
      tradeId,
      price: fmt(priceDec(spec, price)),
      qty: fmt(qtyDec(spec, size)),
      time: now,
      buyerMaker,
    });
  }

  /** The update id of the symbol's latest quote (0 before any). */
  bookUpdateId(symbol: string): number {
    return (this.states.get(symbol)?.nextBookId ?? 1) - 1;
  }

  lastPrice(symbol: string): number | undefined {
    return this.states.get(symbol)?.last;
  }

  quote(symbol: string): { bid: number; bidSize: number; ask: number; askSize: number } | undefined {
    const spec = this.symbol(symbol);
    return spec === undefined ? undefined : this.matcher.quote(spec.instrument.key);
  }

  /** The filters' average price: VWAP of fed trades over `mins` minutes, or the last price. */
  avgPrice(symbol: string, mins: number): AvgPrice | undefined {
    const st = this.state(symbol);
    if (st.last === undefined) return undefined;
    const last = { num: priceDec(st.spec, st.last), den: 1n };
    if (mins <= 0) return last;
    const from = this.now() - mins * 60_000;
    let num = 0n;
    let den = 0n;
    for (const t of st.window)
      if (t.time >= from) {
        num += t.price * t.qty;
        den += t.qty;
      }
    return den > 0n ? { num, den } : last;
  }

  filterContext(symbol: string, added: number, addedAlgo: number, addedIceberg: number): FilterContext {
    let open = 0;
    let algo = 0;
    let iceberg = 0;
    for (const o of this.orders)
      if (o.symbol === symbol && isOpen(o.status)) {
        open++;
        if (isAlgo(o.type)) algo++;
        if (o.icebergQty !== undefined) iceberg++;
      }
    return {
      avgPrice: (mins) => this.avgPrice(symbol, mins),
      openOrders: open,
      openAlgoOrders: algo,
      openIcebergOrders: iceberg,
      addedOrders: added,
      addedAlgoOrders: addedAlgo,
      addedIcebergOrders: addedIceberg,
    };
  }

  // ---- balances -------------------------------------------------------------------------------

  private reservedOf(asset: string): bigint {
    return this.reserved.get(asset) ?? 0n;
  }

  private available(asset: string): bigint {
    return this.matcher.balance(asset).available - this.reservedOf(asset);
  }

  private reserve(r: Reservation | undefined): void {
    if (r === undefined || r.amount === 0n) return;
    this.reserved.set(r.asset, this.reservedOf(r.asset) + r.amount);
    this.dirty.add(r.asset);
  }

  private release(r: Reservation | undefined): void {
    if (r === undefined || r.amount === 0n) return;
    this.reserved.set(r.asset, this.reservedOf(r.asset) - r.amount);
    this.dirty.add(r.asset);
  }

  balances(): BalanceView[] {
    const out: BalanceView[] = [];
    for (const [asset, b] of this.matcher.balances()) {
      const r = this.reservedOf(asset);
      out.push({ asset, free: (b.available - r) / MONEY_PER_DEC, locked: (b.locked + r) / MONEY_PER_DEC });
    }
    return out;
  }

  /** Credits (or debits, when negative) an asset as a deposit/withdrawal: a balanceUpdate event. */
  deposit(asset: string, amount: bigint): void {
    this.op(() => {
      const snap = this.matcher.snapshot();
      const money = amount * MONEY_PER_DEC;
      let found = false;
      const balances = snap.balances.map((b) => {
        if (b.currency !== asset) return b;
        found = true;
        return { ...b, total: b.total + money };
      });
      if (!found) balances.push({ currency: asset, total: money, locked: 0n });
      const cur = balances.find((b) => b.currency === asset)!;
      if (cur.total - cur.locked - this.reservedOf(asset) < 0n) throw errors.insufficientBalance();
      this.matcherOptions = {
        ...this.matcherOptions,
        balances: { ...this.matcherOptions.balances, [asset]: this.matcherOptions.balances[asset] ?? '0' },
      };
      this.matcher = PaperMatcher.restore(this.matcherOptions, { ...snap, balances });
      const now = this.now();
      this.emit(balanceUpdateEvent(asset, amount, now));
      this.dirty.add(asset);
    });
  }

  // ---- operations -----------------------------------------------------------------------------

  /** Runs `fn` as one exchange operation: one outboundAccountPosition for what it changed. */
  private op<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0 && this.dirty.size > 0) {
        const assets = new Set(this.dirty);
        this.dirty.clear();
        this.emit(
          outboundAccountPosition(
            this.balances().filter((b) => assets.has(b.asset)),
            this.now(),
          ),
        );
      }
    }
  }

  private emit(event: Record<string, unknown>): void {
    this.options.onUserEvent(event);
  }

  private exec(order: FakeOrder, x: ExecutionType, fill?: Fill): void {
    this.emit(executionReport(order, x, this.now(), this.execId++, fill));
  }

  private listEvent(list: FakeList): void {
    this.emit(listStatusEvent(list, this.now()));
  }

  private markDirty(spec: SymbolSpec): void {
    this.dirty.add(spec.baseAsset);
    this.dirty.add(spec.quoteAsset);
  }

  // ---- placing --------------------------------------------------------------------------------

  /** Places a single order; throws a BinanceError when the engine rejects it (no order created). */
  place(o: NewOrder): FakeOrder {
    return this.op(() => {
      const st = this.state(o.spec.symbol);
      const cid = o.clientOrderId ?? this.genId();
      if (this.openWithClientId(st.spec.symbol, cid)) throw errors.duplicateOrder();
      const qty =
        o.quoteOrderQty !== undefined ? this.quoteQuantity(st, o.side, o.quoteOrderQty) : o.quantity!;
      if (isAlgo(o.type)) {
        this.checkWouldTrigger(st, o.type, o.side, o.stopPrice);
        const res = this.heldReservation(st, o.side, o.price, o.stopPrice, qty);
        if (res.amount > this.available(res.asset)) throw errors.insufficientBalance();
        const order = this.create(st, o, cid, qty, 'single', undefined, 'held');
        this.hold(st, order, res);
        this.exec(order, 'NEW');
        return order;
      }
      if (o.type === 'LIMIT_MAKER' && this.wouldCross(st, o.side, o.price!)) throw errors.wouldMatch();
      const need = this.workingNeed(st, o.side, o.type, o.price, qty);
      if (need !== undefined && need.amount > this.available(need.asset)) throw errors.insufficientBalance();
      const order = this.create(st, o, cid, qty, 'single', undefined, 'working');
      const code = this.submitNew(order);
      if (code === 'insufficient_balance' || code === 'insufficient_position') {
        this.unregister(order);
        throw errors.insufficientBalance();
      }
      if (code === 'post_only_would_cross') {
        this.unregister(order);
        throw errors.wouldMatch();
      }
      if (code !== undefined) {
        // FOK that cannot fill, a market order with no market: accepted, then expired.
        this.exec(order, 'NEW');
        this.finish(order, 'EXPIRED');
      }
      return order;
    });
  }

  /** An OCO pair; `below` is listed (and numbered) first, as Binance does. */
  placeOco<R>(
    spec: SymbolSpec,
    above: NewOrder,
    below: NewOrder,
    listClientOrderId: string | undefined,
    snapshot: (list: FakeList) => R,
  ): R {
    return this.op(() => {
      const st = this.state(spec.symbol);
      const listCid = this.checkListIds(st, listClientOrderId, [below, above]);
      const last = st.last;
      const aboveRef = above.type === 'LIMIT_MAKER' ? above.price : above.stopPrice;
      const belowRef = below.type === 'LIMIT_MAKER' ? below.price : below.stopPrice;
      if (last !== undefined) {
        const okAbove = aboveRef === undefined || aboveRef > last;
        const okBelow = belowRef === undefined || belowRef < last;
        if (!okAbove || !okBelow) throw errors.ocoPrices();
      }
      if (aboveRef !== undefined && belowRef !== undefined && aboveRef <= belowRef) throw errors.ocoPrices();
      for (const leg of [below, above])
        if (leg.type === 'LIMIT_MAKER' && this.wouldCross(st, leg.side, leg.price!))
          throw errors.wouldMatch();
      const qty = above.quantity!;
      const costs = [below, above].map((l) => this.legCost(st, l, qty));
      const need = maxReservation(costs);
      if (need.amount > this.available(need.asset)) throw errors.insufficientBalance();
      const list = this.createList(st, listCid, 'OCO');
      const legs = [
        this.create(st, below, below.clientOrderId ?? this.genId(), qty, 'below', list, phaseOf(below)),
        this.create(st, above, above.clientOrderId ?? this.genId(), qty, 'above', list, phaseOf(above)),
      ];
      list.orders.push(...legs);
      list.oco = legs;
      this.activateGroup(st, list, legs, costs);
      if (list.listOrderStatus === 'EXECUTING') this.listEvent(list);
      return snapshot(list);
    });
  }

  /** An OTO (one pending leg) or OTOCO (pending above and below legs, `[above, below]`). */
  placeOto<R>(
    spec: SymbolSpec,
    working: NewOrder,
    pending: readonly NewOrder[],
    listClientOrderId: string | undefined,
    snapshot: (list: FakeList) => R,
  ): R {
    return this.op(() => {
      const st = this.state(spec.symbol);
      const listCid = this.checkListIds(st, listClientOrderId, [working, ...pending]);
      if (working.type === 'LIMIT_MAKER' && this.wouldCross(st, working.side, working.price!))
        throw errors.wouldMatch();
      const need = this.workingNeed(st, working.side, working.type, working.price, working.quantity!);
      if (need !== undefined && need.amount > this.available(need.asset)) throw errors.insufficientBalance();
      const list = this.createList(st, listCid, pending.length === 2 ? 'OTOCO' : 'OTO');
      const w = this.create(
        st,
        working,
        working.clientOrderId ?? this.genId(),
        working.quantity!,
        'working',
        list,
        'working',
      );
      list.orders.push(w);
      for (const p of pending) {
        const leg = this.create(
          st,
          p,
          p.clientOrderId ?? this.genId(),
          p.quantity!,
          'pending',
          list,
          'pending',
        );
        leg.status = 'PENDING_NEW';
        list.orders.push(leg);
        list.pending.push(leg);
      }
      this.deferActivation = true;
      let result: R;
      try {
        const code = this.submitNew(w);
        if (code !== undefined) {
          this.exec(w, 'NEW');
          this.finish(w, 'EXPIRED');
        }
        for (const leg of list.orders) if (leg.status === 'PENDING_NEW') this.exec(leg, 'NEW');
        if (list.listOrderStatus === 'EXECUTING') this.listEvent(list);
        result = snapshot(list);
      } finally {
        this.deferActivation = false;
      }
      while (this.deferred.length > 0) this.activatePending(this.deferred.shift()!);
      return result;
    });
  }

  private checkListIds(st: SymbolState, listCid: string | undefined, legs: readonly NewOrder[]): string {
    const id = listCid ?? this.genId();
    if (this.lists.some((l) => l.symbol === st.spec.symbol && l.listClientOrderId === id && listOpen(l)))
      throw errors.duplicateOrder();
    const seen = new Set<string>();
    for (const l of legs) {
      if (l.clientOrderId === undefined) continue;
      if (seen.has(l.clientOrderId) || this.openWithClientId(st.spec.symbol, l.clientOrderId))
        throw errors.duplicateOrder();
      seen.add(l.clientOrderId);
    }
    return id;
  }

  private createList(st: SymbolState, listCid: string, kind: 'OCO' | 'OTO' | 'OTOCO'): FakeList {
    const list: FakeList = {
      spec: st.spec,
      symbol: st.spec.symbol,
      orderListId: st.nextListId++,
      listClientOrderId: listCid,
      kind,
      contingencyType: kind === 'OCO' ? 'OCO' : 'OTO',
      orders: [],
      transactionTime: this.now(),
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      oco: undefined,
      pending: [],
      reservation: undefined,
      cancelling: false,
    };
    this.lists.push(list);
    return list;
  }

  /**
   * Puts the legs of an OCO pair to work: the limit-maker leg into the matcher, stop legs held with
   * one shared reservation (the largest leg's cost beyond what the working leg locks).
   */
  private activateGroup(st: SymbolState, list: FakeList, legs: FakeOrder[], costs: Reservation[]): void {
    const need = maxReservation(costs);
    let working = 0n;
    legs.forEach((leg, i) => {
      if (leg.phase === 'working' && costs[i]!.asset === need.asset) working += costs[i]!.amount;
    });
    list.reservation = { asset: need.asset, amount: need.amount > working ? need.amount - working : 0n };
    this.reserve(list.reservation);
    for (const leg of legs) {
      if (leg.phase === 'held') {
        this.hold(st, leg, undefined);
        this.exec(leg, 'NEW');
      } else {
        const code = this.submitNew(leg);
        if (code !== undefined) {
          this.exec(leg, 'NEW');
          this.finish(leg, 'EXPIRED');
        }
      }
    }
  }

  /** Puts a held order in the symbol's trigger list (with its own reservation, if single). */
  private hold(st: SymbolState, order: FakeOrder, res: Reservation | undefined): void {
    order.phase = 'held';
    order.workingTime = -1;
    order.reservation = res;
    this.reserve(res);
    if (order.trailingDelta !== undefined) {
      if (order.stopPrice === undefined && st.last !== undefined) {
        order.trail = { active: true, extreme: st.last };
        order.trailingTime = this.now();
      } else {
        order.trail = { active: false, extreme: 0 };
      }
    }
    st.held.push(order);
    this.markDirty(st.spec);
  }

  private create(
    st: SymbolState,
    o: NewOrder,
    cid: string,
    qty: number,
    role: LegRole,
    list: FakeList | undefined,
    phase: Phase,
  ): FakeOrder {
    const now = this.now();
    const order: FakeOrder = {
      spec: st.spec,
      symbol: st.spec.symbol,
      orderId: st.nextOrderId++,
      orderListId: list?.orderListId ?? -1,
      clientOrderId: cid,
      cancelClientOrderId: undefined,
      side: o.side,
      type: o.type,
      timeInForce: o.tif,
      price: o.price,
      origQty: qty,
      quoteOrderQty: o.quoteOrderQty,
      stopPrice: o.stopPrice,
      trailingDelta: o.trailingDelta,
      trailingTime: -1,
      icebergQty: o.icebergQty,
      strategyId: o.strategyId,
      strategyType: o.strategyType,
      stp: o.stp,
      executedQty: 0,
      cumQuote: 0n,
      status: 'NEW',
      time: now,
      updateTime: now,
      workingTime: phase === 'working' ? now : -1,
      phase,
      role,
      list,
      fills: [],
      amendCount: 0,
      matcherId: undefined,
      announce: false,
      trail: undefined,
      reservation: undefined,
    };
    this.orders.push(order);
    this.byKey.set(`${order.symbol}:${order.orderId}`, order);
    return order;
  }

  /** Removes an order created by the current request that the engine refused. */
  private unregister(order: FakeOrder): void {
    const i = this.orders.lastIndexOf(order);
    if (i >= 0) this.orders.splice(i, 1);
    this.byKey.delete(`${order.symbol}:${order.orderId}`);
    if (order.matcherId !== undefined) this.byMatcherId.delete(order.matcherId);
    const st = this.state(order.symbol);
    if (st.nextOrderId === order.orderId + 1) st.nextOrderId--;
  }

  private openWithClientId(symbol: string, cid: string): boolean {
    return this.orders.some((o) => o.symbol === symbol && o.clientOrderId === cid && isOpen(o.status));
  }

  /** The quantity a quoteOrderQty MARKET order trades: the quote amount at the touch, on the lot grid. */
  private quoteQuantity(st: SymbolState, side: Side, quoteQty: bigint): number {
    const spec = st.spec;
    const q = this.matcher.quote(spec.instrument.key);
    const touch = q !== undefined ? (side === 'BUY' ? q.ask : q.bid) : st.last;
    if (touch === undefined || touch <= 0)
      throw errors.rejected('Order book liquidity is less than symbol minimum quantity.');
    const qtyDecUnits = (quoteQty * pow10(DEC_SCALE)) / priceDec(spec, touch);
    const lot = BigInt(spec.instrument.qtyIncrement);
    const units = (qtyDecUnits / spec.qtyDiv / lot) * lot;
    const lotSize = spec.filters.find((f) => f.type === 'LOT_SIZE');
    const min = lotSize !== undefined && lotSize.type === 'LOT_SIZE' ? lotSize.min : 0n;
    if (units <= 0n || qtyDec(spec, Number(units)) < min)
      throw errors.rejected('Order book liquidity is less than LOT_SIZE filter minimum quantity.');
    return Number(units);
  }

  private checkWouldTrigger(
    st: SymbolState,
    type: BinanceOrderType,
    side: Side,
    stop: number | undefined,
  ): void {
    if (stop === undefined || st.last === undefined) return;
    if (stopMet(type, side, stop, st.last)) throw errors.wouldTrigger();
  }

  /** Whether a post-only order at `price` would take liquidity now (the matcher's own rule). */
  private wouldCross(st: SymbolState, side: Side, price: number): boolean {
    const q = this.matcher.quote(st.spec.instrument.key);
    let opposite: number | undefined;
    if (q !== undefined) {
      if (side === 'BUY') opposite = q.ask > 0 && q.askSize > 0 ? q.ask : undefined;
      else opposite = q.bid > 0 && q.bidSize > 0 ? q.bid : undefined;
    } else opposite = st.last;
    if (opposite === undefined) return false;
    return side === 'BUY' ? price >= opposite : price <= opposite;
  }

  private notional(spec: SymbolSpec, price: number, qty: number): bigint {
    return notionalOf(spec.instrument, price, qty);
  }

  private buyCost(spec: SymbolSpec, price: number, qty: number, rate: number): bigint {
    const n = this.notional(spec, price, qty);
    const r = BigInt(rate);
    return n + (n * r + RATE_ONE_BIG - 1n) / RATE_ONE_BIG;
  }

  private qtyMoney(spec: SymbolSpec, qty: number): bigint {
    return BigInt(qty) * pow10(MONEY_SCALE - spec.instrument.qtyScale);
  }

  /** What a working LIMIT/LIMIT_MAKER/MARKET order locks in the matcher (undefined: no market). */
  private workingNeed(
    st: SymbolState,
    side: Side,
    type: BinanceOrderType,
    price: number | undefined,
    qty: number,
  ): Reservation | undefined {
    const spec = st.spec;
    if (side === 'SELL') return { asset: spec.baseAsset, amount: this.qtyMoney(spec, qty) };
    const inst = spec.instrument;
    if (type !== 'MARKET')
      return {
        asset: spec.quoteAsset,
        amount: this.buyCost(spec, price!, qty, Math.max(inst.feeMaker, inst.feeTaker)),
      };
    const q = this.matcher.quote(inst.key);
    const ref = q !== undefined ? (q.ask > 0 && q.askSize > 0 ? q.ask : undefined) : st.last;
    if (ref === undefined) return undefined;
    return { asset: spec.quoteAsset, amount: this.buyCost(spec, ref, qty, inst.feeTaker) };
  }

  /** Funds a held stop / take-profit order keeps aside until it triggers. */
  private heldReservation(
    st: SymbolState,
    side: Side,
    price: number | undefined,
    stop: number | undefined,
    qty: number,
  ): Reservation {
    const spec = st.spec;
    if (side === 'SELL') return { asset: spec.baseAsset, amount: this.qtyMoney(spec, qty) };
    const inst = spec.instrument;
    if (price !== undefined)
      return {
        asset: spec.quoteAsset,
        amount: this.buyCost(spec, price, qty, Math.max(inst.feeMaker, inst.feeTaker)),
      };
    const ref = stop ?? st.last;
    return {
      asset: spec.quoteAsset,
      amount: ref === undefined ? 0n : this.buyCost(spec, ref, qty, inst.feeTaker),
    };
  }

  private legCost(st: SymbolState, leg: NewOrder, qty: number): Reservation {
    if (isAlgo(leg.type)) return this.heldReservation(st, leg.side, leg.price, leg.stopPrice, qty);
    return (
      this.workingNeed(st, leg.side, leg.type, leg.price, qty) ?? {
        asset: leg.side === 'BUY' ? st.spec.quoteAsset : st.spec.baseAsset,
        amount: 0n,
      }
    );
  }

  // ---- the matcher ----------------------------------------------------------------------------

  /** Submits a newly placed working order; NEW is sent when the matcher accepts it. */
  private submitNew(order: FakeOrder): string | undefined {
    order.announce = true;
    const market = order.type === 'MARKET';
    const code = this.submit(order, market ? 'market' : 'limit', market ? 'IOC' : order.timeInForce);
    order.announce = false;
    return code;
  }

  /** Sends the order's open quantity to the matcher; returns the reject code, if refused. */
  private submit(order: FakeOrder, type: 'market' | 'limit', tif: Tif): string | undefined {
    const id = `${order.symbol}:${order.orderId}`;
    order.matcherId = id;
    this.byMatcherId.set(id, order);
    this.matcher.submit(
      {
        clientOrderId: id,
        instrument: order.spec.instrument.key,
        side: order.side === 'BUY' ? 'buy' : 'sell',
        type,
        tif: tif === 'GTC' ? 'gtc' : tif === 'IOC' ? 'ioc' : 'fok',
        expireAtMs: undefined,
        quantity: order.origQty - order.executedQty,
        price: type === 'limit' ? order.price : undefined,
        triggerPrice: undefined,
        trailing: undefined,
        postOnly: order.type === 'LIMIT_MAKER',
        reduceOnly: false,
      },
      this.now(),
    );
    this.markDirty(order.spec);
    return this.pump(id);
  }

  /** Handles matcher reports until none is left; returns the reject code of `watch`, if any. */
  private pump(watch?: string): string | undefined {
    let rejected: string | undefined;
    for (;;) {
      const reports = this.matcher.drainReports();
      if (reports.length === 0) return rejected;
      for (const r of reports) {
        if (r.kind === 'rejected') {
          if (r.clientOrderId === watch) rejected = r.code;
          continue;
        }
        this.onReport(r);
      }
    }
  }

  private onReport(r: VenueReport): void {
    const order = this.byMatcherId.get(r.clientOrderId);
    if (order === undefined) return;
    switch (r.kind) {
      case 'accepted':
        if (order.announce) {
          order.announce = false;
          this.exec(order, 'NEW');
        }
        return;
      case 'fill':
        this.applyFill(order, r.price, r.quantity, r.fee, r.feeCurrency, r.liquidity === 'maker');
        return;
      case 'cancelled': {
        const why = this.cancelReasons.get(r.clientOrderId);
        this.cancelReasons.delete(r.clientOrderId);
        this.finish(order, why === 'user' || why === 'list' ? 'CANCELED' : 'EXPIRED');
        return;
      }
      case 'expired':
        this.finish(order, 'EXPIRED');
        return;
      default:
        return;
    }
  }

  private applyFill(
    order: FakeOrder,
    price: number,
    qty: number,
    fee: bigint,
    feeAsset: string,
    isMaker: boolean,
  ): void {
    const st = this.state(order.symbol);
    const now = this.now();
    const quote = this.notional(order.spec, price, qty);
    order.executedQty += qty;
    order.cumQuote += quote;
    order.status = order.executedQty === order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = now;
    const fill: Fill = {
      tradeId: st.nextTradeId++,
      price,
      qty,
      quote,
      commission: fee,
      commissionAsset: feeAsset,
      time: now,
      isMaker,
    };
    order.fills.push(fill);
    this.trades.push({ order, fill });
    if (order.status === 'FILLED') order.phase = 'done';
    this.markDirty(order.spec);
    this.exec(order, 'TRADE', fill);
    const list = order.list;
    if (list === undefined) return;
    if (list.oco?.includes(order)) this.resolveOco(list, order);
    if (order.status === 'FILLED') this.legDone(order);
  }

  /** An order leaves the book: canceled, expired or rejected. */
  private finish(order: FakeOrder, status: 'CANCELED' | 'EXPIRED' | 'REJECTED'): void {
    if (isFinal(order.status)) return;
    order.status = status;
    order.phase = 'done';
    order.updateTime = this.now();
    this.release(order.reservation);
    order.reservation = undefined;
    const st = this.state(order.symbol);
    st.held = st.held.filter((o) => o !== order);
    this.markDirty(order.spec);
    this.exec(order, status);
    if (order.list !== undefined) this.legDone(order);
  }

  // ---- triggers -------------------------------------------------------------------------------

  private shouldTrigger(order: FakeOrder, t: number): boolean {
    const stop = order.stopPrice;
    if (order.trailingDelta === undefined)
      return stop !== undefined && stopMet(order.type, order.side, stop, t);
    const tr = order.trail!;
    if (!tr.active) {
      if (stop === undefined || stopMet(order.type, order.side, stop, t)) {
        tr.active = true;
        tr.extreme = t;
        order.trailingTime = this.now();
      }
      return false;
    }
    const delta = BigInt(order.trailingDelta);
    if (order.side === 'SELL') {
      if (t > tr.extreme) tr.extreme = t;
      return BigInt(t) * 10_000n <= BigInt(tr.extreme) * (10_000n - delta);
    }
    if (t < tr.extreme) tr.extreme = t;
    return BigInt(t) * 10_000n >= BigInt(tr.extreme) * (10_000n + delta);
  }

  /** Releases a held order into the matcher as the market or limit order it becomes. */
  private trigger(order: FakeOrder): void {
    const st = this.state(order.symbol);
    st.held = st.held.filter((o) => o !== order);
    order.phase = 'working';
    order.workingTime = this.now();
    order.updateTime = this.now();
    const list = order.list;
    if (list?.oco?.includes(order)) this.resolveOco(list, order);
    this.release(order.reservation);
    order.reservation = undefined;
    const market = order.type === 'STOP_LOSS' || order.type === 'TAKE_PROFIT';
    const code = this.submit(order, market ? 'market' : 'limit', market ? 'IOC' : order.timeInForce);
    if (code !== undefined) this.finish(order, 'EXPIRED');
  }

  // ---- order lists ----------------------------------------------------------------------------

  /** One leg of an OCO pair executed (filled or triggered): the others expire. */
  private resolveOco(list: FakeList, winner: FakeOrder): void {
    const group = list.oco;
    if (group === undefined) return;
    list.oco = undefined;
    this.release(list.reservation);
    list.reservation = undefined;
    for (const o of group) if (o !== winner) this.expireLeg(o);
    this.updateList(list);
  }

  private expireLeg(order: FakeOrder): void {
    if (isFinal(order.status)) return;
    if (order.phase === 'working' && order.matcherId !== undefined) {
      this.cancelReasons.set(order.matcherId, 'oco');
      this.matcher.cancel(order.matcherId, this.now());
      this.pump();
    } else {
      this.finish(order, 'EXPIRED');
    }
  }

  /** A leg reached a final status. */
  private legDone(order: FakeOrder): void {
    const list = order.list!;
    if (list.cancelling) return;
    if (order.role === 'working' && list.pending.length > 0) {
      if (order.status === 'FILLED') this.activatePending(list);
      else {
        const legs = list.pending;
        list.pending = [];
        for (const leg of legs) this.finish(leg, 'EXPIRED');
      }
    }
    if (list.oco?.includes(order) && order.status !== 'FILLED') this.resolveOco(list, order);
    this.updateList(list);
  }

  /** The working order of an OTO/OTOCO filled: its pending legs go to work. */
  private activatePending(list: FakeList): void {
    if (this.deferActivation) {
      if (!this.deferred.includes(list)) this.deferred.push(list);
      return;
    }
    const legs = list.pending;
    if (legs.length === 0) return;
    list.pending = [];
    const st = this.state(list.symbol);
    const costs = legs.map((l) => this.orderCost(st, l));
    const need = maxReservation(costs);
    if (need.amount > this.available(need.asset)) {
      for (const leg of legs) this.finish(leg, 'REJECTED');
      return;
    }
    const now = this.now();
    for (const leg of legs) {
      leg.status = 'NEW';
      leg.updateTime = now;
      leg.phase = isAlgo(leg.type) ? 'held' : 'working';
      if (leg.phase === 'working') leg.workingTime = now;
    }
    if (legs.length === 2) {
      list.oco = legs;
      this.activateGroup(st, list, legs, costs);
    } else {
      const leg = legs[0]!;
      if (leg.phase === 'held') {
        this.hold(st, leg, costs[0]);
        this.exec(leg, 'NEW');
      } else {
        const code = this.submitNew(leg);
        if (code !== undefined) {
          this.exec(leg, 'NEW');
          this.finish(leg, 'EXPIRED');
        }
      }
    }
    if (list.listOrderStatus === 'EXECUTING') this.listEvent(list);
    // A stop already met by the last price triggers at once.
    for (const leg of legs)
      if (
        leg.phase === 'held' &&
        leg.trailingDelta === undefined &&
        leg.stopPrice !== undefined &&
        st.last !== undefined &&
        stopMet(leg.type, leg.side, leg.stopPrice, st.last)
      )
        this.trigger(leg);
  }

  private orderCost(st: SymbolState, o: FakeOrder): Reservation {
    const qty = o.origQty - o.executedQty;
    if (isAlgo(o.type)) return this.heldReservation(st, o.side, o.price, o.stopPrice, qty);
    return (
      this.workingNeed(st, o.side, o.type, o.price, qty) ?? {
        asset: o.side === 'BUY' ? st.spec.quoteAsset : st.spec.baseAsset,
        amount: 0n,
      }
    );
  }

  /**
   * ALL_DONE once no contingency is left: an OCO pair resolved, no pending legs; an OTO only when
   * every leg has ended.
   */
  private updateList(list: FakeList): void {
    if (list.listOrderStatus !== 'EXECUTING' || list.cancelling) return;
    const allFinal = list.orders.every((o) => isFinal(o.status));
    const noContingency = list.pending.length === 0 && list.oco === undefined;
    if (allFinal || (noContingency && list.kind !== 'OTO')) {
      list.listOrderStatus = 'ALL_DONE';
      list.listStatusType = 'ALL_DONE';
      this.listEvent(list);
    }
  }

  // ---- cancel and amend -----------------------------------------------------------------------

  /** Finds an order by orderId (searched first) and/or client order id. */
  find(symbol: string, ref: OrderRef): { order: FakeOrder | undefined; mismatch: boolean } {
    if (ref.orderId !== undefined) {
      const order = this.byKey.get(`${symbol}:${ref.orderId}`);
      if (order === undefined) return { order: undefined, mismatch: false };
      if (ref.origClientOrderId !== undefined && ref.origClientOrderId !== order.clientOrderId)
        return { order: undefined, mismatch: true };
      return { order, mismatch: false };
    }
    let found: FakeOrder | undefined;
    for (const o of this.orders)
      if (o.symbol === symbol && o.clientOrderId === ref.origClientOrderId)
        if (found === undefined || isOpen(o.status) || !isOpen(found.status)) found = o;
    return { order: found, mismatch: false };
  }

  cancel(
    symbol: string,
    ref: OrderRef,
    cancelClientOrderId: string | undefined,
    restrictions: 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED' | undefined,
  ): CancelResult {
    return this.op(() => {
      this.state(symbol);
      const { order } = this.find(symbol, ref);
      if (order === undefined || isFinal(order.status)) throw errors.unknownOrderCancel();
      if (restrictions === 'ONLY_NEW' && order.status !== 'NEW') throw errors.cancelRestricted();
      if (restrictions === 'ONLY_PARTIALLY_FILLED' && order.status !== 'PARTIALLY_FILLED')
        throw errors.cancelRestricted();
      const cid = cancelClientOrderId ?? this.genId();
      if (order.list !== undefined)
        return { kind: 'list', list: order.list, legs: this.cancelList(order.list, cid) };
      this.cancelOne(order, cid, 'user');
      return { kind: 'order', order };
    });
  }

  cancelOrderList(
    symbol: string,
    orderListId: number | undefined,
    listClientOrderId: string | undefined,
    cancelClientOrderId: string | undefined,
  ): CancelResult {
    return this.op(() => {
      this.state(symbol);
      const list = this.findList(symbol, orderListId, listClientOrderId);
      if (list === undefined || !listOpen(list)) throw errors.rejected('Order list does not exist.');
      return { kind: 'list', list, legs: this.cancelList(list, cancelClientOrderId ?? this.genId()) };
    });
  }

  /** Cancels every open order and order list on the symbol; -2011 when there is none. */
  cancelAll(symbol: string, cancelClientOrderId: string | undefined): CancelResult[] {
    return this.op(() => {
      this.state(symbol);
      const open = this.orders.filter((o) => o.symbol === symbol && isOpen(o.status));
      if (open.length === 0) throw errors.unknownOrderCancel();
      const out: CancelResult[] = [];
      const done = new Set<FakeList>();
      for (const o of open) {
        if (isFinal(o.status)) continue;
        const cid = cancelClientOrderId ?? this.genId();
        if (o.list !== undefined) {
          if (done.has(o.list)) continue;
          done.add(o.list);
          out.push({ kind: 'list', list: o.list, legs: this.cancelList(o.list, cid) });
        } else {
          this.cancelOne(o, cid, 'user');
          out.push({ kind: 'order', order: o });
        }
      }
      return out;
    });
  }

  private cancelOne(order: FakeOrder, cid: string, why: 'user' | 'list'): void {
    order.cancelClientOrderId = cid;
    if (order.phase === 'working' && order.matcherId !== undefined) {
      this.cancelReasons.set(order.matcherId, why);
      this.matcher.cancel(order.matcherId, this.now());
      this.pump();
    } else {
      this.finish(order, 'CANCELED');
    }
  }

  private cancelList(list: FakeList, cid: string): FakeOrder[] {
    const legs = list.orders.filter((o) => isOpen(o.status));
    list.cancelling = true;
    list.pending = [];
    list.oco = undefined;
    this.release(list.reservation);
    list.reservation = undefined;
    try {
      for (const leg of legs) this.cancelOne(leg, cid, 'list');
    } finally {
      list.cancelling = false;
    }
    if (list.listOrderStatus === 'EXECUTING') {
      list.listOrderStatus = 'ALL_DONE';
      list.listStatusType = 'ALL_DONE';
      this.listEvent(list);
    }
    return legs;
  }

  findList(
    symbol: string | undefined,
    orderListId: number | undefined,
    listCid: string | undefined,
  ): FakeList | undefined {
    let found: FakeList | undefined;
    for (const l of this.lists) {
      if (symbol !== undefined && l.symbol !== symbol) continue;
      if (orderListId !== undefined ? l.orderListId === orderListId : l.listClientOrderId === listCid)
        if (found === undefined || listOpen(l)) found = l;
    }
    return found;
  }

  /**
   * Order amend keep priority: reduces the quantity (of both legs of an OCO pair), keeping queue
   * priority; the amended order gets `newClientOrderId` (a fresh id when not given).
   */
  amend(
    symbol: string,
    ref: OrderRef,
    newQty: number,
    newClientOrderId: string | undefined,
  ): { order: FakeOrder; origClientOrderId: string; executionId: number; list: FakeList | undefined } {
    return this.op(() => {
      const st = this.state(symbol);
      const { order, mismatch } = this.find(symbol, ref);
      if (mismatch) throw errors.clientIdMismatch();
      if (order === undefined || isFinal(order.status)) throw errors.unknownOrderCancel();
      if (newQty >= order.origQty)
        throw errors.amendRejected('Order amend (quantity increase) is not supported.');
      if (newQty <= order.executedQty)
        throw errors.amendRejected(
          'Order amend (quantity decrease) must leave a quantity above the executed quantity.',
        );
      const maxAmends = st.spec.filters.find((f) => f.type === 'MAX_NUM_ORDER_AMENDS');
      if (
        maxAmends !== undefined &&
        maxAmends.type === 'MAX_NUM_ORDER_AMENDS' &&
        order.amendCount >= maxAmends.max
      )
        throw errors.amendRejected('Order amend rejected: too many amendments (MAX_NUM_ORDER_AMENDS).');
      const cid = newClientOrderId ?? this.genId();
      if (cid !== order.clientOrderId && this.openWithClientId(symbol, cid)) throw errors.duplicateOrder();
      const list = order.list;
      const targets = list?.oco?.includes(order) === true ? list.oco : [order];
      const origClientOrderId = order.clientOrderId;
      const executionId = this.execId;
      const now = this.now();
      if (list?.oco !== undefined && targets === list.oco) {
        this.release(list.reservation);
        list.reservation = undefined;
      }
      for (const t of targets) {
        if (t.phase === 'working' && t.matcherId !== undefined) {
          this.matcher.modify(t.matcherId, { quantity: newQty, price: undefined }, now);
          this.pump();
        }
        this.release(t.reservation);
        t.reservation = undefined;
        t.origQty = newQty;
        t.updateTime = now;
        t.amendCount++;
        const prev = t.clientOrderId;
        if (t === order) t.clientOrderId = cid;
        if (t.phase === 'held' && list?.oco === undefined) {
          t.reservation = this.heldReservation(st, t.side, t.price, t.stopPrice, t.origQty - t.executedQty);
          this.reserve(t.reservation);
        }
        this.emit(executionReport(t, 'REPLACED', now, this.execId++, undefined, prev));
      }
      if (list?.oco !== undefined && targets === list.oco) {
        const costs = list.oco.map((o) => this.orderCost(st, o));
        const need = maxReservation(costs);
        let working = 0n;
        list.oco.forEach((o, i) => {
          if (o.phase === 'working' && costs[i]!.asset === need.asset) working += costs[i]!.amount;
        });
        list.reservation = { asset: need.asset, amount: need.amount > working ? need.amount - working : 0n };
        this.reserve(list.reservation);
      }
      this.markDirty(st.spec);
      if (list !== undefined && cid !== origClientOrderId) {
        list.listStatusType = 'UPDATED';
        this.listEvent(list);
        list.listStatusType = list.listOrderStatus === 'ALL_DONE' ? 'ALL_DONE' : 'EXEC_STARTED';
      }
      return { order, origClientOrderId, executionId, list };
    });
  }

  openOrders(symbol: string | undefined): FakeOrder[] {
    return this.orders.filter((o) => (symbol === undefined || o.symbol === symbol) && isOpen(o.status));
  }

  openLists(): FakeList[] {
    return this.lists.filter(listOpen);
  }
}

// ---- helpers ----------------------------------------------------------------------------------

export function listOpen(l: FakeList): boolean {
  return l.listOrderStatus === 'EXECUTING';
}

/** Whether the last price `t` meets the stop condition of a stop / take-profit order. */
export function stopMet(type: BinanceOrderType, side: Side, stop: number, t: number): boolean {
  return stopAbove(type, side) ? t >= stop : t <= stop;
}

function phaseOf(o: NewOrder): Phase {
  return isAlgo(o.type) ? 'held' : 'working';
}

function maxReservation(costs: readonly Reservation[]): Reservation {
  let best = costs[0]!;
  for (const c of costs) if (c.amount > best.amount) best = c;
  return best;
}
