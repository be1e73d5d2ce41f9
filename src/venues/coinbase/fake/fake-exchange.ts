// The fake's trading core: Coinbase Advanced Trade orders and balances on top of Ordo's paper
// matcher (venues/paper/paper-matcher.ts), which does the exact, deterministic matching of market
// and limit orders against the market fed in and keeps spot balances. This module adds what
// Coinbase itself does on top:
// - Order records: a UUID `order_id` per order (from the seeded generator), the client_order_id
//   index (a create with a client_order_id already used returns that order and creates nothing —
//   Coinbase's duplicate safeguard; there is no lookup by client id), statuses OPEN (also while
//   partly filled: there is no partial status), FILLED, CANCELLED, EXPIRED, FAILED, and through
//   the queue hooks PENDING / QUEUED (not yet working) and CANCEL_QUEUED (`pending_cancel`).
// - market_market_ioc and sor_limit_ioc go to the matcher as IOC, limit_limit_fok as FOK; an IOC or
//   FOK remainder ends CANCELLED (an unfillable FOK is created and CANCELLED at once, unfilled).
//   A market order sized in quote buys (sells) floor(quote_size / ask (bid)) lots at the touch.
// - stop_limit_stop_limit_* orders are held here with their funds reserved (OPEN, trigger_status
//   STOP_PENDING) and released as limit orders when a fed trade reaches the stop: at or above it for
//   STOP_DIRECTION_STOP_UP, at or below for STOP_DIRECTION_STOP_DOWN. A stop the last trade already
//   meets is refused at placement, as Coinbase does.
// - trigger_bracket_* orders (an exit on a position: one order, type BRACKET) rest their take-profit
//   limit in the matcher and watch the stop trigger: a SELL bracket triggers when a trade is at or
//   below stop_trigger_price, a BUY bracket at or above; the take-profit is withdrawn and the rest of
//   the order becomes a limit order 5 % through the trigger (fake-order.ts BRACKET_STOP_LIMIT_BPS:
//   third-party docs say 5 %, Coinbase's own docs were not found). Extra funds the stop leg may need
//   (a BUY bracket) are reserved. The order records and these rules live in fake-order.ts.
// - Reservations for held orders are an overlay on the matcher's ledger (available = matcher
//   available − reserved), so a held order cannot be spent twice.
// - Edits (GTC limit, stop-limit, bracket; price and size, optional stop price) keep the order_id,
//   go through the matcher's modify for working orders (losing priority on a price change or size
//   increase) and append to edit_history.
// - GTD orders expire at end_time (the matcher's expiry for working ones, here for held ones), on
//   the injected clock as it moves with requests and market data.
//
// Every change of an order is reported through `onOrderUpdate` (the user channel's cumulative order
// state), in the order it happened; everything runs synchronously on the injected clock.

import type { SeededRandom } from '../../../core/ports.ts';
import type { VenueReport } from '../../../engine/venue-port.ts';
import { barPath, type MarketData } from '../../../model/market.ts';
import { PaperMatcher } from '../../paper/paper-matcher.ts';
import {
  type CbSide,
  type CreateRequest,
  checkBase,
  gridUnits,
  isFailure,
  notional,
  sizeOrder,
  type Tif,
} from './fake-config.ts';
import { type EditFailure, editFailure, type OrderFailure, orderFailures } from './fake-errors.ts';
import { ProductMarket, type PublicTrade, type TradeSide } from './fake-market.ts';
import {
  bracketProblem,
  bracketStopLimit,
  type CbFill,
  type CbOrder,
  costWithFee,
  type EditRecord,
  isFinal,
  type PendingEdit,
  type Reservation,
  stopMet,
} from './fake-order.ts';
import { isoMicros, moneyText, type ProductSpec, priceText, qtyMoney, qtyText } from './fake-products.ts';

/** The outcome of a create: a new order, the order a reused client_order_id names, or a failure. */
export type PlaceResult =
  | { readonly kind: 'placed'; readonly order: CbOrder }
  | { readonly kind: 'duplicate'; readonly order: CbOrder }
  | { readonly kind: 'failed'; readonly failure: OrderFailure };

/** One entry of batch_cancel's `results`. */
export interface CancelResult {
  readonly success: boolean;
  readonly failure_reason: string;
  readonly order_id: string;
}

/** An edit as received (decimals as sent; undefined when omitted). */
export interface EditRequest {
  readonly orderId: string;
  readonly price: string | undefined;
  readonly size: string | undefined;
  readonly stopPrice: string | undefined;
}

/** The outcome of an edit. */
export type EditResult =
  | { readonly ok: true; readonly order: CbOrder }
  | { readonly ok: false; readonly failure: EditFailure };

/** Decisions the fault hooks make about new orders and cancels. */
export interface QueuePolicy {
  /** PENDING or QUEUED to keep the next new order out of the book until released. */
  takeQueuedNew(): 'PENDING' | 'QUEUED' | undefined;
  /** Whether the next cancel waits (CANCEL_QUEUED) until released. */
  takeQueuedCancel(): boolean;
}

/** What the exchange core is built with. */
export interface ExchangeOptions {
  readonly products: readonly ProductSpec[];
  readonly balances: Readonly<Record<string, string>>;
  readonly now: () => number;
  readonly random: SeededRandom;
  readonly policy: QueuePolicy;
  readonly onOrderUpdate: (order: CbOrder) => void;
}

/** One currency's balance: available and on hold (matcher locks plus reservations). */
export interface BalanceView {
  readonly currency: string;
  /** Money units. */
  readonly available: bigint;
  readonly hold: bigint;
}

interface ProductState {
  readonly spec: ProductSpec;
  readonly market: ProductMarket;
  /** Orders with an untriggered stop (held stop-limits, brackets), in placement order. */
  watching: CbOrder[];
}

interface PumpResult {
  rejected: string | undefined;
}

/** The trading core (see the file header). */
export class FakeExchange {
  private readonly matcher: PaperMatcher;
  private readonly products = new Map<string, ProductState>();
  private readonly byInstrument = new Map<string, ProductState>();
  readonly orders: CbOrder[] = [];
  readonly fills: CbFill[] = [];
  private readonly byId = new Map<string, CbOrder>();
  private readonly byClientId = new Map<string, CbOrder>();
  private readonly byMatcherId = new Map<string, CbOrder>();
  private readonly reserved = new Map<string, bigint>();
  private readonly queuedNew: CbOrder[] = [];
  private readonly queuedCancels: CbOrder[] = [];
  private nextSeq = 1;
  private nextFillSeq = 1;
  private lastFillMs = Number.NaN;
  private microInMs = 0;

  constructor(private readonly options: ExchangeOptions) {
    this.matcher = new PaperMatcher({
      venue: 'coinbase',
      instruments: options.products.map((p) => p.instrument),
      balances: options.balances,
      touchFills: false,
      slippage: { kind: 'none' },
      latencyMs: 0,
      allowShort: false,
    });
    for (const spec of options.products) {
      const st: ProductState = { spec, market: new ProductMarket(spec), watching: [] };
      this.products.set(spec.productId, st);
      this.byInstrument.set(spec.instrument.key, st);
    }
  }

  private now(): number {
    return this.options.now();
  }

  product(productId: string): ProductSpec | undefined {
    return this.products.get(productId)?.spec;
  }

  productList(): ProductSpec[] {
    return [...this.products.values()].map((p) => p.spec);
  }

  market(productId: string): ProductMarket | undefined {
    return this.products.get(productId)?.market;
  }

  order(orderId: string): CbOrder | undefined {
    return this.byId.get(orderId);
  }

  /** A random UUID (v4 layout) from the seeded generator. */
  uuid(): string {
    const r = this.options.random;
    const hex = [r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]
      .map((n) => n.toString(16).padStart(8, '0'))
      .join('');
    const v = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${v}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private hex64(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.options.random.nextU32().toString(16).padStart(8, '0');
    return s;
  }

  // ---- time and market data -------------------------------------------------------------------

  /** Moves the matcher to now: GTD orders past end_time expire (working and held alike). */
  advance(): void {
    const now = this.now();
    this.matcher.advanceTo(now);
    this.pump();
    for (const st of this.products.values())
      for (const o of [...st.watching])
        if (o.phase === 'held' && o.endMs !== undefined && o.endMs <= now) this.finish(o, 'EXPIRED', '');
    for (const o of [...this.queuedNew])
      if (o.endMs !== undefined && o.endMs <= now) {
        this.queuedNew.splice(this.queuedNew.indexOf(o), 1);
        this.finish(o, 'EXPIRED', '');
      }
  }

  /** Applies market data (instrument key `coinbase:BTC/USD` or product id) at the clock's now. */
  feed(md: MarketData, side: TradeSide = 'BUY'): PublicTrade[] {
    const st = this.byInstrument.get(md.instrument) ?? this.products.get(md.instrument);
    if (st === undefined) throw new Error(`feed: unknown instrument ${md.instrument}`);
    this.advance();
    const now = this.now();
    const key = st.spec.instrument.key;
    switch (md.kind) {
      case 'quote':
        st.market.quote(md.bid, md.bidSize, md.ask, md.askSize);
        this.matcher.onMarket({ ...md, instrument: key, ts: now });
        this.pump();
        return [];
      case 'trade':
        return [this.trade(st, md.price, md.size, md.aggressor === 'sell' ? 'SELL' : side)];
      case 'bar': {
        const out: PublicTrade[] = [];
        const lot = st.spec.instrument.qtyIncrement;
        const part = Math.floor(md.volume / 4 / lot) * lot;
        barPath(md).forEach((price, i) => {
          out.push(this.trade(st, price, i < 3 ? part : md.volume - 3 * part, 'BUY'));
        });
        return out;
      }
    }
  }

  private trade(st: ProductState, price: number, size: number, side: TradeSide): PublicTrade {
    const now = this.now();
    const t = st.market.trade(price, size, side, now);
    this.matcher.onMarket({
      kind: 'trade',
      instrument: st.spec.instrument.key,
      ts: now,
      price,
      size,
      aggressor: side === 'BUY' ? 'buy' : 'sell',
      tradeId: t.tradeId,
    });
    this.pump();
    for (const o of [...st.watching])
      if (st.watching.includes(o) && stopMet(o, o.stop!, price)) this.trigger(st, o);
    return t;
  }

  // ---- balances -------------------------------------------------------------------------------

  private reservedOf(currency: string): bigint {
    return this.reserved.get(currency) ?? 0n;
  }

  private available(currency: string): bigint {
    return this.matcher.balance(currency).available - this.reservedOf(currency);
  }

  private reserve(order: CbOrder, r: Reservation | undefined): void {
    this.release(order);
    if (r === undefined || r.amount <= 0n) return;
    order.reservation = r;
    this.reserved.set(r.currency, this.reservedOf(r.currency) + r.amount);
  }

  private release(order: CbOrder): void {
    const r = order.reservation;
    if (r === undefined) return;
    order.reservation = undefined;
    this.reserved.set(r.currency, this.reservedOf(r.currency) - r.amount);
  }

  balances(): BalanceView[] {
    const out: BalanceView[] = [];
    for (const [currency, b] of this.matcher.balances()) {
      const r = this.reservedOf(currency);
      out.push({ currency, available: b.available - r, hold: b.locked + r });
    }
    return out;
  }

  /** What an order holds now: its matcher lock plus its reservation (money of `currency`). */
  holdOf(order: CbOrder): { currency: string; amount: bigint } {
    const currency = order.side === 'BUY' ? order.spec.quote : order.spec.base;
    let amount = order.reservation?.amount ?? 0n;
    if (order.phase === 'working' && order.matcherId !== undefined)
      for (const o of this.matcher.openOrders()) if (o.clientOrderId === order.matcherId) amount += o.locked;
    return { currency, amount };
  }

  /** A limit buy's lock (notional plus the fee at the larger rate, rounded up), or a sell's base. */
  private lockFor(spec: ProductSpec, side: CbSide, price: number, qty: number): Reservation {
    if (side === 'SELL') return { currency: spec.base, amount: qtyMoney(spec, qty) };
    const inst = spec.instrument;
    return {
      currency: spec.quote,
      amount: costWithFee(notional(spec, price, qty), Math.max(inst.feeMaker, inst.feeTaker)),
    };
  }

  // ---- placing --------------------------------------------------------------------------------

  /** Places an order from a well-formed create request (fake-config.ts). */
  place(r: CreateRequest): PlaceResult {
    this.advance();
    const dup = this.byClientId.get(r.clientOrderId);
    if (dup !== undefined) return { kind: 'duplicate', order: dup };
    const st = this.products.get(r.productId);
    if (st === undefined) return { kind: 'failed', failure: orderFailures.invalidProduct(r.productId) };
    const spec = st.spec;
    const p = spec.input;
    if (p.cancelOnly === true || p.tradingDisabled === true)
      return { kind: 'failed', failure: orderFailures.orderEntryDisabled(spec.productId) };
    if (p.limitOnly === true && r.kind === 'market')
      return {
        kind: 'failed',
        failure: orderFailures.unsupportedConfiguration(`${spec.productId} is limit-only`),
      };
    if (p.postOnly === true && !r.postOnly)
      return {
        kind: 'failed',
        failure: orderFailures.unsupportedConfiguration(`${spec.productId} is post-only`),
      };
    const sized = sizeOrder(spec, r);
    if (isFailure(sized)) return { kind: 'failed', failure: sized };
    const now = this.now();
    if (r.endMs !== undefined && r.endMs <= now)
      return {
        kind: 'failed',
        failure: orderFailures.invalidEndTime('end_time must be after the current time'),
      };
    const last = st.market.last;
    if (r.kind === 'stop_limit' && last !== undefined) {
      const stop = sized.stop!;
      if (r.stopDirection === 'STOP_DIRECTION_STOP_DOWN' && stop >= last)
        return {
          kind: 'failed',
          failure: orderFailures.stopAboveLast(
            `stop_price ${priceText(spec, stop)} ≥ last trade ${priceText(spec, last)}`,
          ),
        };
      if (r.stopDirection === 'STOP_DIRECTION_STOP_UP' && stop <= last)
        return {
          kind: 'failed',
          failure: orderFailures.stopBelowLast(
            `stop_price ${priceText(spec, stop)} ≤ last trade ${priceText(spec, last)}`,
          ),
        };
    }
    if (r.kind === 'bracket') {
      const bad = bracketProblem(spec, r.side, sized.limit!, sized.stop!, last);
      if (bad !== undefined) return { kind: 'failed', failure: bad };
    }
    let qty = sized.qty;
    if (qty === undefined) {
      // A market order sized in quote: the lots the quote amount buys (sells) at the touch.
      const touch = this.touch(st, r.side);
      if (touch === undefined) return { kind: 'failed', failure: orderFailures.noLiquidity(spec.productId) };
      const perUnit = notional(spec, touch, 1);
      const units = sized.quote! / perUnit;
      qty = Number(units - (units % BigInt(spec.instrument.qtyIncrement)));
      const b = checkBase(spec, qty);
      if (b !== undefined) return { kind: 'failed', failure: b };
    }
    const order = this.create(st, r, qty, sized.limit, sized.stop, sized.quote);
    const queued = this.options.policy.takeQueuedNew();
    if (queued !== undefined) {
      order.status = queued;
      order.phase = 'queued';
      this.queuedNew.push(order);
      this.emit(order);
      return { kind: 'placed', order };
    }
    const failure = this.activate(st, order);
    if (failure !== undefined) {
      this.unregister(order);
      return { kind: 'failed', failure };
    }
    return { kind: 'placed', order };
  }

  /** The price a market order of `side` meets now: the touch, or the last trade before any quote. */
  private touch(st: ProductState, side: CbSide): number | undefined {
    const q = this.matcher.quote(st.spec.instrument.key);
    if (q === undefined) return st.market.last;
    if (side === 'BUY') return q.ask > 0 && q.askSize > 0 ? q.ask : undefined;
    return q.bid > 0 && q.bidSize > 0 ? q.bid : undefined;
  }

  private create(
    st: ProductState,
    r: CreateRequest,
    qty: number,
    limit: number | undefined,
    stop: number | undefined,
    quote: bigint | undefined,
  ): CbOrder {
    const now = this.now();
    const order: CbOrder = {
      seq: this.nextSeq++,
      id: this.uuid(),
      clientOrderId: r.clientOrderId,
      spec: st.spec,
      productId: st.spec.productId,
      side: r.side,
      key: r.key,
      kind: r.kind,
      tif: r.tif,
      configuration: r.configuration,
      sizeInQuote: r.quoteSize !== undefined,
      quoteSize: quote,
      qty,
      limit,
      stop,
      stopDirection: r.stopDirection,
      postOnly: r.postOnly,
      endMs: r.endMs,
      status: 'OPEN',
      triggerStatus: r.kind === 'stop_limit' || r.kind === 'bracket' ? 'STOP_PENDING' : 'INVALID_ORDER_TYPE',
      phase: 'working',
      filled: 0,
      filledValue: 0n,
      fees: 0n,
      fills: [],
      createdMs: now,
      updatedMs: now,
      lastFillMs: undefined,
      pendingCancel: false,
      editHistory: [],
      rejectReason: 'REJECT_REASON_UNSPECIFIED',
      rejectMessage: '',
      cancelMessage: '',
      matcherId: undefined,
      matcherSeq: 0,
      filledBeforeSubmit: 0,
      withdrawing: new Set(),
      reservation: undefined,
      announce: false,
      pendingEdit: undefined,
      editRejected: undefined,
    };
    this.orders.push(order);
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    return order;
  }

  /** Removes an order the request created and the venue then refused (no trace, as on Coinbase). */
  private unregister(order: CbOrder): void {
    this.release(order);
    const i = this.orders.lastIndexOf(order);
    if (i >= 0) this.orders.splice(i, 1);
    this.byId.delete(order.id);
    this.byClientId.delete(order.clientOrderId);
    for (const st of this.products.values()) st.watching = st.watching.filter((o) => o !== order);
  }

  /**
   * Puts a new order to work: into the matcher (market, limit, a bracket's take-profit) or the
   * fake's trigger list (stop-limit). Returns the failure when the venue refuses it.
   */
  private activate(st: ProductState, order: CbOrder): OrderFailure | undefined {
    const spec = st.spec;
    if (order.kind === 'stop_limit') {
      const res = this.lockFor(spec, order.side, order.limit!, order.qty);
      if (res.amount > this.available(res.currency))
        return orderFailures.insufficientFund(
          `needs ${moneyShow(res)}, ${this.availableShow(res.currency)} available`,
        );
      order.phase = 'held';
      this.reserve(order, res);
      st.watching.push(order);
      this.emit(order);
      return undefined;
    }
    const type = order.kind === 'market' ? 'market' : 'limit';
    const price = order.kind === 'market' ? undefined : order.limit!;
    const need =
      price === undefined ? this.marketNeed(st, order) : this.lockFor(spec, order.side, price, order.qty);
    if (need !== undefined && need.amount > this.available(need.currency))
      return orderFailures.insufficientFund(
        `needs ${moneyShow(need)}, ${this.availableShow(need.currency)} available`,
      );
    let extra: Reservation | undefined;
    if (order.kind === 'bracket' && order.side === 'BUY') {
      // The stop leg buys higher than the take-profit: reserve the difference of their locks.
      const sl = this.lockFor(spec, 'BUY', bracketStopLimit(spec, 'BUY', order.stop!), order.qty);
      extra = { currency: spec.quote, amount: sl.amount - need!.amount };
      if (need!.amount + extra.amount > this.available(spec.quote))
        return orderFailures.insufficientFund(
          `needs ${moneyShow(sl)}, ${this.availableShow(spec.quote)} available`,
        );
    }
    order.announce = true;
    const code = this.submit(order, type, order.tif, order.qty, price);
    order.announce = false;
    if (code === undefined) {
      if (order.kind === 'bracket' && !isFinal(order.status)) {
        this.reserve(order, extra);
        st.watching.push(order);
      }
      return undefined;
    }
    switch (code) {
      case 'insufficient_balance':
      case 'insufficient_position':
        return orderFailures.insufficientFund('the matcher found the balance short');
      case 'post_only_would_cross':
        return orderFailures.postOnlyWouldCross();
      case 'no_market':
        return orderFailures.noLiquidity(spec.productId);
      case 'fok_unfillable':
        // Coinbase takes the FOK order and kills it: created, then CANCELLED, nothing filled.
        this.finish(order, 'CANCELLED', 'Fill-or-kill order could not be filled in full');
        return undefined;
      default:
        return orderFailures.unsupportedConfiguration(`refused by the matching engine: ${code}`);
    }
  }

  /** What a market order locks in the matcher, priced at the touch (undefined: no market). */
  private marketNeed(st: ProductState, order: CbOrder): Reservation | undefined {
    const spec = st.spec;
    if (order.side === 'SELL') return { currency: spec.base, amount: qtyMoney(spec, order.qty) };
    const touch = this.touch(st, 'BUY');
    if (touch === undefined) return undefined;
    return {
      currency: spec.quote,
      amount: costWithFee(notional(spec, touch, order.qty), spec.instrument.feeTaker),
    };
  }

  private availableShow(currency: string): string {
    return moneyShow({ currency, amount: this.available(currency) });
  }

  // ---- the matcher ----------------------------------------------------------------------------

  /** Sends `qty` of the order to the matcher; returns the matcher's reject code, if refused. */
  private submit(
    order: CbOrder,
    type: 'market' | 'limit',
    tif: Tif,
    qty: number,
    price: number | undefined,
  ): string | undefined {
    const id = `${order.id}#${++order.matcherSeq}`;
    order.matcherId = id;
    order.filledBeforeSubmit = order.filled;
    order.phase = 'working';
    this.byMatcherId.set(id, order);
    this.matcher.submit(
      {
        clientOrderId: id,
        instrument: order.spec.instrument.key,
        side: order.side === 'BUY' ? 'buy' : 'sell',
        type,
        tif: tif === 'GTC' ? 'gtc' : tif === 'GTD' ? 'gtd' : tif === 'IOC' ? 'ioc' : 'fok',
        expireAtMs: tif === 'GTD' ? order.endMs : undefined,
        quantity: qty,
        price,
        triggerPrice: undefined,
        trailing: undefined,
        postOnly: order.postOnly,
        reduceOnly: false,
      },
      this.now(),
    );
    return this.pump(id).rejected;
  }

  /** Handles matcher reports until none is left; reports the reject code of `watch`, if any. */
  private pump(watch?: string): PumpResult {
    const out: PumpResult = { rejected: undefined };
    for (;;) {
      const reports = this.matcher.drainReports();
      if (reports.length === 0) return out;
      for (const r of reports) {
        if (r.kind === 'rejected') {
          if (r.clientOrderId === watch) out.rejected = r.code;
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
          this.emit(order);
        }
        return;
      case 'fill':
        this.applyFill(order, r.price, r.quantity, r.fee, r.liquidity === 'maker');
        return;
      case 'cancelled': {
        if (order.withdrawing.delete(r.clientOrderId)) return;
        const message =
          r.reason === 'user'
            ? 'User requested cancel'
            : r.reason === 'insufficient_balance'
              ? 'Insufficient funds for the rest of the order'
              : 'Immediate-or-cancel remainder cancelled';
        this.finish(order, 'CANCELLED', message);
        return;
      }
      case 'expired':
        this.finish(order, 'EXPIRED', '');
        return;
      case 'modified': {
        const e = order.pendingEdit;
        if (e === undefined) return;
        order.pendingEdit = undefined;
        this.applyEdit(order, e);
        return;
      }
      case 'modify_rejected':
        order.editRejected = r.reason;
        return;
      default:
        return;
    }
  }

  private applyFill(order: CbOrder, price: number, qty: number, fee: bigint, maker: boolean): void {
    const now = this.now();
    const value = notional(order.spec, price, qty);
    order.filled += qty;
    order.filledValue += value;
    order.fees += fee;
    order.lastFillMs = now;
    order.updatedMs = now;
    // Fills in the same millisecond get increasing microseconds (up to 999 of them).
    if (now === this.lastFillMs) this.microInMs = Math.min(999, this.microInMs + 1);
    else {
      this.lastFillMs = now;
      this.microInMs = 0;
    }
    const fill: CbFill = {
      seq: this.nextFillSeq++,
      entryId: this.hex64(),
      tradeId: this.uuid(),
      order,
      price,
      qty,
      value,
      commission: fee,
      liquidity: maker ? 'MAKER' : 'TAKER',
      timeMs: now,
      sequenceTimestamp: isoMicros(now, this.microInMs),
      sequenceMicros: now * 1000 + this.microInMs,
    };
    order.fills.push(fill);
    this.fills.push(fill);
    if (order.filled === order.qty) {
      this.finish(order, 'FILLED', '');
      return;
    }
    this.emit(order);
  }

  /** An order ends: filled, cancelled, expired or failed. */
  private finish(
    order: CbOrder,
    status: 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'FAILED',
    message: string,
  ): void {
    if (isFinal(order.status)) return;
    order.status = status;
    order.phase = 'done';
    order.pendingCancel = false;
    order.updatedMs = this.now();
    if (status === 'CANCELLED') order.cancelMessage = message;
    if (status === 'FAILED') order.rejectMessage = message;
    this.release(order);
    const st = this.products.get(order.productId)!;
    st.watching = st.watching.filter((o) => o !== order);
    const qi = this.queuedCancels.indexOf(order);
    if (qi >= 0) this.queuedCancels.splice(qi, 1);
    this.emit(order);
  }

  private emit(order: CbOrder): void {
    order.updatedMs = this.now();
    this.options.onOrderUpdate(order);
  }

  // ---- triggers -------------------------------------------------------------------------------

  /** A stop is reached: the stop-limit (or the bracket's stop leg) goes to the matcher as a limit. */
  private trigger(st: ProductState, order: CbOrder): void {
    st.watching = st.watching.filter((o) => o !== order);
    order.triggerStatus = 'STOP_TRIGGERED';
    this.release(order);
    let price = order.limit!;
    if (order.kind === 'bracket') {
      price = bracketStopLimit(st.spec, order.side, order.stop!);
      const tp = order.matcherId;
      if (tp !== undefined) {
        order.withdrawing.add(tp);
        this.matcher.cancel(tp, this.now());
        this.pump();
      }
    }
    if (isFinal(order.status)) return;
    this.emit(order);
    const left = order.qty - order.filled;
    const code = this.submit(order, 'limit', order.tif, left, price);
    if (code !== undefined) {
      order.rejectReason = 'HOLD_FAILURE';
      this.finish(order, 'FAILED', `the triggered order was refused: ${code}`);
    }
  }

  // ---- cancel ---------------------------------------------------------------------------------

  /** `POST /orders/batch_cancel`: one result per id, in request order. */
  cancel(orderIds: readonly string[]): CancelResult[] {
    this.advance();
    return orderIds.map((id) => {
      const order = this.byId.get(id);
      const fail = (reason: string): CancelResult => ({
        success: false,
        failure_reason: reason,
        order_id: id,
      });
      if (order === undefined) return fail('UNKNOWN_CANCEL_ORDER');
      if (order.status === 'FILLED') return fail('ORDER_IS_FULLY_FILLED');
      if (order.status === 'CANCELLED' || order.pendingCancel) return fail('DUPLICATE_CANCEL_REQUEST');
      if (isFinal(order.status)) return fail('UNKNOWN_CANCEL_ORDER');
      if (order.phase !== 'queued' && this.options.policy.takeQueuedCancel()) {
        order.pendingCancel = true;
        order.status = 'CANCEL_QUEUED';
        this.queuedCancels.push(order);
        this.emit(order);
      } else {
        this.cancelNow(order);
      }
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
    });
  }

  private cancelNow(order: CbOrder): void {
    if (isFinal(order.status)) return;
    const qi = this.queuedNew.indexOf(order);
    if (qi >= 0) this.queuedNew.splice(qi, 1);
    if (order.phase === 'working' && order.matcherId !== undefined) {
      this.matcher.cancel(order.matcherId, this.now());
      this.pump();
    }
    this.finish(order, 'CANCELLED', 'User requested cancel');
  }

  /** Lets queued new orders go to work and queued cancels take effect, in arrival order. */
  releaseQueued(): void {
    this.advance();
    for (const order of this.queuedNew.splice(0)) {
      if (isFinal(order.status)) continue;
      order.status = 'OPEN';
      const failure = this.activate(this.products.get(order.productId)!, order);
      if (failure !== undefined) {
        order.rejectReason =
          failure.error === 'INSUFFICIENT_FUND' ? 'REJECT_REASON_INSUFFICIENT_FUNDS' : 'HOLD_FAILURE';
        this.finish(order, 'FAILED', failure.message);
      }
    }
    for (const order of this.queuedCancels.splice(0)) {
      order.status = 'OPEN';
      this.cancelNow(order);
    }
  }

  // ---- edit -----------------------------------------------------------------------------------

  /** `POST /orders/edit`: new price and size (both required), optionally a new stop price. */
  edit(e: EditRequest): EditResult {
    this.advance();
    const bad = (edit: string, preview?: string): EditResult => ({
      ok: false,
      failure: editFailure(edit, preview),
    });
    const order = this.byId.get(e.orderId);
    if (order === undefined) return bad('ORDER_NOT_FOUND');
    if (order.pendingCancel) return bad('CANNOT_EDIT_ORDER_PENDING_CANCEL');
    if (isFinal(order.status) || order.phase === 'queued') return bad('ONLY_OPEN_ORDERS_CAN_BE_EDITED');
    if (order.kind === 'market' || order.tif !== 'GTC') return bad('ONLY_LIMIT_ORDER_EDITS_SUPPORTED');
    if (order.sizeInQuote) return bad('SIZE_IN_QUOTE_EDITS_NOT_ALLOWED');
    const spec = order.spec;
    const inst = spec.instrument;
    // An omitted size is read as 0, as Coinbase does.
    const qty = gridUnits(e.size ?? '0', inst.qtyScale, inst.qtyIncrement);
    if (qty === undefined) return bad('INVALID_EDITED_SIZE', 'PREVIEW_INVALID_SIZE_PRECISION');
    if (qty <= order.filled)
      return bad(order.filled > 0 ? 'CANNOT_EDIT_TO_BELOW_FILLED_SIZE' : 'INVALID_EDITED_SIZE');
    const baseProblem = checkBase(spec, qty);
    if (baseProblem !== undefined) return bad('INVALID_EDITED_SIZE', baseProblem.preview);
    const limit =
      e.price === undefined ? undefined : gridUnits(e.price, inst.priceScale, inst.priceIncrement);
    if (limit === undefined || limit <= 0)
      return bad('INVALID_EDITED_PRICE', 'PREVIEW_INVALID_PRICE_PRECISION');
    let stop = order.stop;
    if (e.stopPrice !== undefined) {
      if (order.kind === 'limit') return bad('FIELD_STOPPRICE_NOT_SUPPORTED');
      if (order.triggerStatus === 'STOP_TRIGGERED') return bad('CANNOT_EDIT_STOP_PRICE_FOR_TRIGGERED_ORDER');
      stop = gridUnits(e.stopPrice, inst.priceScale, inst.priceIncrement);
      if (stop === undefined || stop <= 0) return bad('INVALID_EDITED_PRICE', 'PREVIEW_INVALID_STOP_PRICE');
    }
    if (qty === order.qty && limit === order.limit && stop === order.stop)
      return bad('EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST');
    const st = this.products.get(order.productId)!;
    const last = st.market.last;
    const untriggered = order.triggerStatus === 'STOP_PENDING';
    if (untriggered && order.kind === 'stop_limit' && last !== undefined && stopMet(order, stop!, last))
      return bad(
        'COMMANDER_REJECTED_EDIT_ORDER',
        order.stopDirection === 'STOP_DIRECTION_STOP_DOWN'
          ? 'PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE'
          : 'PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE',
      );
    if (untriggered && order.kind === 'bracket') {
      const problem = bracketProblem(spec, order.side, limit, stop!, last);
      if (problem !== undefined) return bad('INVALID_EDITED_PRICE', problem.preview);
    }
    const record: EditRecord = {
      price: priceText(spec, limit),
      size: qtyText(spec, qty),
      replace_accept_timestamp: isoMicros(this.now()),
    };
    const pending: PendingEdit = { qty, limit, stop, record };
    if (order.phase === 'held') {
      const res = this.lockFor(spec, order.side, limit, qty - order.filled);
      const have = order.reservation?.amount ?? 0n;
      if (res.amount - have > this.available(res.currency))
        return bad('COMMANDER_REJECTED_EDIT_ORDER', 'PREVIEW_INSUFFICIENT_FUND');
      this.reserve(order, res);
      this.applyEdit(order, pending);
      return { ok: true, order };
    }
    // A working order: the matcher re-prices it (the take-profit of an untriggered bracket).
    const hold = this.holdOf(order);
    const need = this.lockFor(spec, order.side, limit, qty - order.filled);
    let extra: Reservation | undefined;
    if (order.kind === 'bracket' && untriggered && order.side === 'BUY') {
      const sl = this.lockFor(spec, 'BUY', bracketStopLimit(spec, 'BUY', stop!), qty - order.filled);
      extra = { currency: spec.quote, amount: sl.amount - need.amount };
    }
    const more = need.amount + (extra?.amount ?? 0n) - hold.amount;
    if (more > this.available(need.currency))
      return bad('COMMANDER_REJECTED_EDIT_ORDER', 'PREVIEW_INSUFFICIENT_FUND');
    const before = order.reservation;
    this.release(order);
    order.pendingEdit = pending;
    order.editRejected = undefined;
    this.matcher.modify(
      order.matcherId!,
      { quantity: qty - order.filledBeforeSubmit, price: limit },
      this.now(),
    );
    this.pump();
    if (order.pendingEdit !== undefined) {
      // Refused by the matcher: nothing changed.
      order.pendingEdit = undefined;
      if (!isFinal(order.status)) this.reserve(order, before);
      const reason = order.editRejected;
      if (reason === 'post_only_would_cross')
        return bad('INVALID_EDITED_PRICE', 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY');
      if (reason === 'insufficient_balance' || reason === 'insufficient_position')
        return bad('COMMANDER_REJECTED_EDIT_ORDER', 'PREVIEW_INSUFFICIENT_FUND');
      if (reason === 'order_closed' || reason === 'unknown_order')
        return bad('ONLY_OPEN_ORDERS_CAN_BE_EDITED');
      return bad('COMMANDER_REJECTED_EDIT_ORDER');
    }
    if (!isFinal(order.status) && extra !== undefined) this.reserve(order, extra);
    return { ok: true, order };
  }

  /** Records an accepted edit on the order and reports it. */
  private applyEdit(order: CbOrder, e: PendingEdit): void {
    const spec = order.spec;
    order.qty = e.qty;
    order.limit = e.limit;
    order.stop = e.stop;
    order.editHistory.push(e.record);
    const cfg = order.configuration[order.key];
    if (cfg !== undefined) {
      cfg.base_size = e.record.size;
      cfg.limit_price = e.record.price;
      if (e.stop !== undefined && order.kind === 'stop_limit') cfg.stop_price = priceText(spec, e.stop);
      if (e.stop !== undefined && order.kind === 'bracket') cfg.stop_trigger_price = priceText(spec, e.stop);
    }
    this.emit(order);
  }

  // ---- queries --------------------------------------------------------------------------------

  /** The last trade and the touch of a product (for product JSON). */
  marketView(productId: string): {
    last: number | undefined;
    bid: number | undefined;
    ask: number | undefined;
  } {
    const m = this.products.get(productId)?.market;
    return { last: m?.last, bid: m?.bid, ask: m?.ask };
  }
}

function moneyShow(r: Reservation): string {
  return `${moneyText(r.amount)} ${r.currency}`;
}
