// A frozen copy of the paper matcher (and its ledger) as it was before its resting book moved from
// sorted arrays to price levels (src/venues/paper/paper-matcher.ts). It exists only so that the
// equivalence property test (src/venues/paper/paper-matcher-equivalence.test.ts) can drive the old
// and the new matcher with the same inputs and require byte-identical reports and balances. Do not
// change its behaviour: it is the reference, not product code. The contract comment of the original
// is in paper-matcher.ts.

import { assert, assertNever } from '../../src/core/assert.ts';
import { divRound, formatUnits, minBig, parseUnits, pow10 } from '../../src/core/decimal.ts';
import type { TimestampMs } from '../../src/core/ports.ts';
import type { VenueOrderRequest, VenueReport } from '../../src/engine/venue-port.ts';
import { type Instrument, MONEY_SCALE, notionalOf, RATE_ONE } from '../../src/model/instrument.ts';
import type { Bar, MarketData, QuoteTick } from '../../src/model/market.ts';
import { barPath } from '../../src/model/market.ts';
import type { Liquidity, OrderType, Side, TimeInForce } from '../../src/model/order.ts';
import { type SlippageModel, slippedPrice, validSlippage } from '../../src/venues/paper/slipped-price.ts';
import { TimedQueue } from '../../src/venues/paper/timed-queue.ts';

// ---- the old PaperLedger (src/venues/paper/paper-ledger.ts) ----------------------------------

export interface PaperBalance {
  readonly total: bigint;
  readonly locked: bigint;
  readonly available: bigint;
}

interface Account {
  total: bigint;
  locked: bigint;
}

class PaperLedger {
  private readonly accounts = new Map<string, Account>();

  /** `initial` maps currency → decimal string, e.g. `{ USD: '10000', BTC: '0.5' }`. */
  constructor(initial: Readonly<Record<string, string>>) {
    for (const [currency, text] of Object.entries(initial)) {
      const units = parseUnits(text, MONEY_SCALE);
      assert(
        units !== undefined && units >= 0n,
        `balance ${currency}: ${JSON.stringify(text)} is not a non-negative decimal`,
      );
      this.account(currency).total = units;
    }
  }

  /** Makes sure `currency` is listed (at zero) even before anything moves it. */
  open(currency: string): void {
    this.account(currency);
  }

  available(currency: string): bigint {
    const a = this.account(currency);
    return a.total - a.locked;
  }

  lock(currency: string, amount: bigint): void {
    assert(amount >= 0n, `negative lock ${amount}`);
    const a = this.account(currency);
    assert(a.total - a.locked >= amount, `lock of ${amount} ${currency} exceeds available`);
    a.locked += amount;
  }

  unlock(currency: string, amount: bigint): void {
    const a = this.account(currency);
    assert(amount >= 0n && amount <= a.locked, `unlock of ${amount} ${currency} exceeds locked`);
    a.locked -= amount;
  }

  /** Takes `amount` out of the total, `fromLocked` of it out of the locked part. */
  debit(currency: string, amount: bigint, fromLocked: bigint): void {
    this.unlock(currency, fromLocked);
    this.account(currency).total -= amount;
  }

  credit(currency: string, amount: bigint): void {
    this.account(currency).total += amount;
  }

  get(currency: string): PaperBalance {
    const a = this.accounts.get(currency);
    if (a === undefined) return { total: 0n, locked: 0n, available: 0n };
    return { total: a.total, locked: a.locked, available: a.total - a.locked };
  }

  snapshot(): ReadonlyMap<string, PaperBalance> {
    const out = new Map<string, PaperBalance>();
    for (const currency of this.accounts.keys()) out.set(currency, this.get(currency));
    return out;
  }

  private account(currency: string): Account {
    let a = this.accounts.get(currency);
    if (a === undefined) {
      a = { total: 0n, locked: 0n };
      this.accounts.set(currency, a);
    }
    return a;
  }
}

// ---- the old PaperMatcher --------------------------------------------------------------------

export const DAY_MS = 86_400_000;
const RATE_ONE_BIG = BigInt(RATE_ONE);

export interface PaperMatcherOptions {
  readonly venue: string;
  readonly instruments: readonly Instrument[];
  /** Currency → decimal string, e.g. `{ USD: '10000' }`. */
  readonly balances: Readonly<Record<string, string>>;
  /** Default `{ kind: 'none' }`. */
  readonly slippage?: SlippageModel;
  /** Resting limits also fill when the market only touches their price. Default false. */
  readonly touchFills?: boolean;
  /** Delay from sending a command to its arrival at the matcher. Default 0. */
  readonly latencyMs?: number;
  /** Sells need no base asset; the base balance may go negative. Default false. */
  readonly allowShort?: boolean;
  /** Trade ids are `${tradeIdPrefix}${n}`. Default `${venue}-t`. */
  readonly tradeIdPrefix?: string;
}

export type PaperRejectCode =
  | 'insufficient_balance'
  | 'insufficient_position'
  | 'unknown_instrument'
  | 'post_only_would_cross'
  | 'fok_unfillable'
  | 'unsupported_order_type'
  | 'no_market'
  | 'invalid_order'
  | 'duplicate_client_order_id';

export type PaperCancelReason = 'user' | 'ioc_remainder' | 'insufficient_balance';

/** Reasons of cancel_rejected and modify_rejected reports. */
export type PaperCommandRejectReason =
  | 'unknown_order'
  | 'order_closed'
  | 'market_order'
  | 'invalid_order'
  | 'insufficient_balance'
  | 'insufficient_position'
  | 'post_only_would_cross';

export interface PaperModify {
  /** New total quantity, filled part included. */
  readonly quantity: number;
  /** New limit price; undefined keeps the current one. */
  readonly price: number | undefined;
}

export interface PaperOpenOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly tif: TimeInForce;
  readonly quantity: number;
  readonly filled: number;
  readonly price: number | undefined;
  readonly expireAtMs: TimestampMs | undefined;
  /** Money units of `lockedCurrency` held for this order. */
  readonly locked: bigint;
  readonly lockedCurrency: string;
  readonly acceptedMs: TimestampMs;
}

export interface PaperQuote {
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  /** Displayed size not yet taken by paper orders. */
  readonly bidSizeLeft: number;
  readonly askSizeLeft: number;
  readonly ts: TimestampMs;
}

type MatchType = 'market' | 'limit';

interface Book {
  readonly inst: Instrument;
  hasQuote: boolean;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  bidLeft: number;
  askLeft: number;
  quoteTs: TimestampMs;
  last: number | undefined;
  lastSize: number;
  /** Resting limit buys, highest price first, then by priority sequence. */
  readonly buys: PaperOrder[];
  /** Resting limit sells, lowest price first, then by priority sequence. */
  readonly sells: PaperOrder[];
  /** Market order remainders waiting for quotes, in arrival order. */
  readonly marketBuys: PaperOrder[];
  readonly marketSells: PaperOrder[];
}

interface PaperOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly book: Book;
  readonly side: Side;
  readonly type: MatchType;
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
  readonly expireAtMs: TimestampMs | undefined;
  readonly acceptedMs: TimestampMs;
  quantity: number;
  price: number | undefined;
  filled: number;
  locked: bigint;
  seq: number;
  isOpen: boolean;
  resting: boolean;
}

/** What a taker can hit: a price and the size left there (undefined = unlimited). */
interface Opposite {
  readonly price: number;
  readonly left: number | undefined;
  readonly displayed: number | undefined;
}

type Command =
  | { readonly kind: 'submit'; readonly req: VenueOrderRequest }
  | { readonly kind: 'cancel'; readonly clientOrderId: string }
  | { readonly kind: 'modify'; readonly clientOrderId: string; readonly change: PaperModify };

type Screening =
  | { readonly kind: 'admitted'; readonly book: Book; readonly type: MatchType; readonly lock: bigint }
  | { readonly kind: 'denied'; readonly code: PaperRejectCode; readonly reason: string };

function denied(code: PaperRejectCode, reason: string): Screening {
  return { kind: 'denied', code, reason };
}

export class ReferencePaperMatcher {
  readonly venue: string;
  private readonly books = new Map<string, Book>();
  private readonly ledger: PaperLedger;
  private readonly slippage: SlippageModel;
  private readonly touchFills: boolean;
  private readonly latencyMs: number;
  private readonly allowShort: boolean;
  private readonly tradeIdPrefix: string;
  private readonly commands = new TimedQueue<Command>();
  private readonly expiries = new TimedQueue<PaperOrder>();
  /** Open orders by client order id, in acceptance order. */
  private readonly open = new Map<string, PaperOrder>();
  /** Every client order id submitted (ids are never reused) and those of orders that ended. */
  private readonly seen = new Set<string>();
  private readonly ended = new Set<string>();
  private reports: VenueReport[] = [];
  private nowMs: TimestampMs = Number.MIN_SAFE_INTEGER;
  private orderCount = 0;
  private tradeCount = 0;
  private seq = 0;

  constructor(options: PaperMatcherOptions) {
    assert(options.venue !== '', 'paper venue id must not be empty');
    this.venue = options.venue;
    this.slippage = options.slippage ?? { kind: 'none' };
    assert(validSlippage(this.slippage), `invalid slippage model ${JSON.stringify(this.slippage)}`);
    this.touchFills = options.touchFills ?? false;
    this.latencyMs = options.latencyMs ?? 0;
    assert(Number.isSafeInteger(this.latencyMs) && this.latencyMs >= 0, 'latencyMs must be an integer ≥ 0');
    this.allowShort = options.allowShort ?? false;
    this.tradeIdPrefix = options.tradeIdPrefix ?? `${options.venue}-t`;
    this.ledger = new PaperLedger(options.balances);
    for (const inst of options.instruments) this.addInstrument(inst);
  }

  // ---- commands -------------------------------------------------------------------------------

  submit(req: VenueOrderRequest, ts: TimestampMs): void {
    this.send({ kind: 'submit', req }, ts);
  }

  cancel(clientOrderId: string, ts: TimestampMs): void {
    this.send({ kind: 'cancel', clientOrderId }, ts);
  }

  modify(clientOrderId: string, change: PaperModify, ts: TimestampMs): void {
    this.send({ kind: 'modify', clientOrderId, change }, ts);
  }

  /** Applies market data: first everything due up to md.ts, then the update and its fills. */
  onMarket(md: MarketData): void {
    this.advance(md.ts);
    const book = this.books.get(md.instrument);
    if (book === undefined) return;
    switch (md.kind) {
      case 'quote':
        this.applyQuote(book, md);
        return;
      case 'trade':
        book.last = md.price;
        book.lastSize = md.size;
        this.sweepBoth(book, md.price, md.size, md.size);
        return;
      case 'bar':
        this.applyBar(book, md);
        return;
      default:
        assertNever(md, 'market data');
    }
  }

  /** Moves time to `ts`: processes commands that have arrived and expires DAY/GTD orders. */
  advanceTo(ts: TimestampMs): void {
    this.advance(ts);
  }

  drainReports(): VenueReport[] {
    const out = this.reports;
    this.reports = [];
    return out;
  }

  // ---- queries --------------------------------------------------------------------------------

  /** Every currency seen (configured first, then instruments' base and quote), in money units. */
  balances(): ReadonlyMap<string, PaperBalance> {
    return this.ledger.snapshot();
  }

  balance(currency: string): PaperBalance {
    return this.ledger.get(currency);
  }

  openOrders(): PaperOpenOrder[] {
    const out: PaperOpenOrder[] = [];
    for (const o of this.open.values()) {
      out.push({
        clientOrderId: o.clientOrderId,
        venueOrderId: o.venueOrderId,
        instrument: o.book.inst.key,
        side: o.side,
        type: o.type,
        tif: o.tif,
        quantity: o.quantity,
        filled: o.filled,
        price: o.price,
        expireAtMs: o.expireAtMs,
        locked: o.locked,
        lockedCurrency: lockCurrency(o),
        acceptedMs: o.acceptedMs,
      });
    }
    return out;
  }

  lastPrice(key: string): number | undefined {
    return this.books.get(key)?.last;
  }

  quote(key: string): PaperQuote | undefined {
    const b = this.books.get(key);
    if (b === undefined || !b.hasQuote) return undefined;
    return {
      bid: b.bid,
      bidSize: b.bidSize,
      ask: b.ask,
      askSize: b.askSize,
      bidSizeLeft: b.bidLeft,
      askSizeLeft: b.askLeft,
      ts: b.quoteTs,
    };
  }

  // ---- time -----------------------------------------------------------------------------------

  private send(command: Command, ts: TimestampMs): void {
    assert(Number.isSafeInteger(ts), `timestamp must be an integer: ${ts}`);
    this.commands.push(ts + this.latencyMs, command);
    this.advance(ts);
  }

  private advance(ts: TimestampMs): void {
    assert(Number.isSafeInteger(ts), `timestamp must be an integer: ${ts}`);
    for (;;) {
      const exp = this.expiries.peek();
      const cmd = this.commands.peek();
      if (exp !== undefined && exp.atMs <= ts && (cmd === undefined || exp.atMs <= cmd.atMs)) {
        this.expiries.pop();
        this.setNow(exp.atMs);
        this.expire(exp.item, exp.atMs);
      } else if (cmd !== undefined && cmd.atMs <= ts) {
        this.commands.pop();
        this.setNow(cmd.atMs);
        this.run(cmd.item);
      } else {
        break;
      }
    }
    this.setNow(ts);
  }

  private setNow(ts: TimestampMs): void {
    if (ts > this.nowMs) this.nowMs = ts;
  }

  private run(command: Command): void {
    switch (command.kind) {
      case 'submit':
        this.submitNow(command.req);
        return;
      case 'cancel':
        this.cancelNow(command.clientOrderId);
        return;
      case 'modify':
        this.modifyNow(command.clientOrderId, command.change);
        return;
      default:
        assertNever(command, 'paper command');
    }
  }

  private expire(order: PaperOrder, atMs: TimestampMs): void {
    // Expiries are queued once at acceptance; an order that ended since is skipped here.
    if (!order.isOpen || order.expireAtMs !== atMs) return;
    this.removeFromBook(order);
    this.finish(order);
    this.emit({ kind: 'expired', clientOrderId: order.clientOrderId, ts: this.nowMs });
  }

  // ---- submit ---------------------------------------------------------------------------------

  private submitNow(req: VenueOrderRequest): void {
    const screening = this.screen(req);
    if (screening.kind === 'denied') {
      this.reject(req.clientOrderId, screening.code, screening.reason);
      return;
    }
    const order = this.accept(screening.book, req, screening.type, screening.lock);
    this.take(order);
    if (!order.isOpen) return;
    if (order.tif === 'ioc' || order.tif === 'fok') this.cancelOrder(order, 'ioc_remainder');
    else this.rest(order);
  }

  /** Every check a new order passes before acceptance, in a fixed order; the first failure wins. */
  private screen(req: VenueOrderRequest): Screening {
    const id = req.clientOrderId;
    if (this.seen.has(id))
      return denied('duplicate_client_order_id', `client order id ${id} was already used`);
    this.seen.add(id);
    const type = matchTypeOf(req.type);
    if (type === undefined)
      return denied('unsupported_order_type', `the paper matcher does not take ${req.type} orders`);
    const book = this.books.get(req.instrument);
    if (book === undefined)
      return denied('unknown_instrument', `${req.instrument} is not listed on ${this.venue}`);
    const invalid = this.invalidReason(book.inst, req, type);
    if (invalid !== undefined) return denied('invalid_order', invalid);
    return this.admit(book, req, type, this.opposite(book, req.side));
  }

  private invalidReason(inst: Instrument, req: VenueOrderRequest, type: MatchType): string | undefined {
    if (!onGrid(req.quantity, inst.qtyIncrement))
      return `quantity ${req.quantity} is not a positive multiple of the lot ${inst.qtyIncrement}`;
    if (type === 'limit') {
      if (req.price === undefined || !onGrid(req.price, inst.priceIncrement))
        return `limit price ${req.price} is not a positive multiple of the tick ${inst.priceIncrement}`;
    } else {
      if (req.price !== undefined) return 'a market order carries no price';
      if (req.postOnly) return 'a market order cannot be post-only';
    }
    if (req.tif === 'gtd' && (req.expireAtMs === undefined || req.expireAtMs <= this.nowMs))
      return 'a GTD order needs an expiry time after its arrival';
    return undefined;
  }

  private admit(book: Book, req: VenueOrderRequest, type: MatchType, opp: Opposite | undefined): Screening {
    const key = book.inst.key;
    if (type === 'market' && !book.hasQuote && book.last === undefined)
      return denied('no_market', `no quote or trade seen for ${key}`);
    const lock = this.reservation(book, req.side, type, req.price, req.quantity);
    if (lock === undefined) return denied('no_market', `no ask or trade to price a market buy on ${key}`);
    const currency = req.side === 'buy' ? book.inst.quote : book.inst.base;
    const available = this.ledger.available(currency);
    if (lock > available) {
      const code = req.side === 'buy' ? 'insufficient_balance' : 'insufficient_position';
      const need = formatUnits(lock, MONEY_SCALE, true);
      return denied(
        code,
        `needs ${need} ${currency}, ${formatUnits(available, MONEY_SCALE, true)} available`,
      );
    }
    const crosses = opp !== undefined && (type === 'market' || marketable(req.side, req.price!, opp.price));
    if (req.postOnly && crosses)
      return denied('post_only_would_cross', 'a post-only order would take liquidity');
    const lot = book.inst.qtyIncrement;
    const covered = opp !== undefined && (opp.left === undefined || lotFloor(opp.left, lot) >= req.quantity);
    if (req.tif === 'fok' && !(crosses && covered))
      return denied('fok_unfillable', 'the displayed size does not cover the whole order');
    return { kind: 'admitted', book, type, lock };
  }

  private accept(book: Book, req: VenueOrderRequest, type: MatchType, lock: bigint): PaperOrder {
    const order: PaperOrder = {
      clientOrderId: req.clientOrderId,
      venueOrderId: `${this.venue}-${++this.orderCount}`,
      book,
      side: req.side,
      type,
      tif: req.tif,
      postOnly: req.postOnly,
      expireAtMs: this.expiryOf(req),
      acceptedMs: this.nowMs,
      quantity: req.quantity,
      price: req.price,
      filled: 0,
      locked: lock,
      seq: this.seq++,
      isOpen: true,
      resting: false,
    };
    this.ledger.lock(lockCurrency(order), lock);
    this.open.set(order.clientOrderId, order);
    this.emit({
      kind: 'accepted',
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      ts: this.nowMs,
    });
    if (order.expireAtMs !== undefined) this.expiries.push(order.expireAtMs, order);
    return order;
  }

  private expiryOf(req: VenueOrderRequest): TimestampMs | undefined {
    switch (req.tif) {
      case 'gtc':
      case 'ioc':
      case 'fok':
        return undefined;
      case 'day':
        return (Math.floor(this.nowMs / DAY_MS) + 1) * DAY_MS;
      case 'gtd':
        return req.expireAtMs;
      default:
        return assertNever(req.tif, 'time in force');
    }
  }

  /** Money to lock for `qty` more of an order; undefined when a market buy has nothing to price it. */
  private reservation(
    book: Book,
    side: Side,
    type: MatchType,
    price: number | undefined,
    qty: number,
  ): bigint | undefined {
    const inst = book.inst;
    if (side === 'sell') return this.allowShort ? 0n : qtyMoney(inst, qty);
    if (type === 'limit') {
      const rate = Math.max(inst.feeMaker, inst.feeTaker);
      return costOf(inst, price!, qty, rate, 'ceil');
    }
    const opp = this.opposite(book, 'buy');
    let estimate: number | undefined;
    if (opp !== undefined) estimate = this.slip(book, 'buy', opp.price, qty, opp.displayed);
    else if (book.last !== undefined)
      estimate = this.slip(book, 'buy', book.last, qty, positive(book.lastSize));
    return estimate === undefined ? undefined : costOf(inst, estimate, qty, inst.feeTaker, 'ceil');
  }

  // ---- cancel and modify ----------------------------------------------------------------------

  private cancelNow(id: string): void {
    const order = this.open.get(id);
    if (order !== undefined) this.cancelOrder(order, 'user');
    else this.emit({ kind: 'cancel_rejected', clientOrderId: id, reason: this.missing(id), ts: this.nowMs });
  }

  private modifyNow(id: string, change: PaperModify): void {
    const order = this.open.get(id);
    const problem = order === undefined ? this.missing(id) : this.modifyProblem(order, change);
    if (order === undefined || problem !== undefined) {
      this.emit({
        kind: 'modify_rejected',
        clientOrderId: id,
        reason: problem ?? 'unknown_order',
        ts: this.nowMs,
      });
      return;
    }
    const price = change.price ?? order.price!;
    const lock = this.reservation(order.book, order.side, 'limit', price, change.quantity - order.filled)!;
    this.removeFromBook(order);
    if (price !== order.price || change.quantity > order.quantity) order.seq = this.seq++;
    this.relock(order, lock);
    order.quantity = change.quantity;
    order.price = price;
    this.emit({
      kind: 'modified',
      clientOrderId: id,
      quantity: order.quantity,
      price: order.price,
      triggerPrice: undefined,
      ts: this.nowMs,
    });
    this.take(order);
    if (order.isOpen) this.rest(order);
  }

  private modifyProblem(order: PaperOrder, change: PaperModify): PaperCommandRejectReason | undefined {
    if (order.type === 'market') return 'market_order';
    const inst = order.book.inst;
    const price = change.price ?? order.price!;
    if (
      !onGrid(change.quantity, inst.qtyIncrement) ||
      change.quantity <= order.filled ||
      !onGrid(price, inst.priceIncrement)
    )
      return 'invalid_order';
    const opp = this.opposite(order.book, order.side);
    if (order.postOnly && opp !== undefined && marketable(order.side, price, opp.price))
      return 'post_only_would_cross';
    const lock = this.reservation(order.book, order.side, 'limit', price, change.quantity - order.filled)!;
    if (lock > order.locked + this.ledger.available(lockCurrency(order)))
      return order.side === 'buy' ? 'insufficient_balance' : 'insufficient_position';
    return undefined;
  }

  private missing(id: string): PaperCommandRejectReason {
    return this.ended.has(id) ? 'order_closed' : 'unknown_order';
  }

  private relock(order: PaperOrder, lock: bigint): void {
    const currency = lockCurrency(order);
    if (lock > order.locked) this.ledger.lock(currency, lock - order.locked);
    else this.ledger.unlock(currency, order.locked - lock);
    order.locked = lock;
  }

  // ---- matching -------------------------------------------------------------------------------

  private opposite(book: Book, side: Side): Opposite | undefined {
    if (book.hasQuote) {
      if (side === 'buy')
        return book.ask > 0 && book.askSize > 0
          ? { price: book.ask, left: book.askLeft, displayed: book.askSize }
          : undefined;
      return book.bid > 0 && book.bidSize > 0
        ? { price: book.bid, left: book.bidLeft, displayed: book.bidSize }
        : undefined;
    }
    if (book.last === undefined) return undefined;
    return { price: book.last, left: undefined, displayed: positive(book.lastSize) };
  }

  /** Fills `order` as taker against what the opposite side shows now, if it is marketable. */
  private take(order: PaperOrder): void {
    const book = order.book;
    const opp = this.opposite(book, order.side);
    if (opp === undefined) return;
    if (order.type === 'limit' && !marketable(order.side, order.price!, opp.price)) return;
    const open = order.quantity - order.filled;
    const q = opp.left === undefined ? open : Math.min(open, lotFloor(opp.left, book.inst.qtyIncrement));
    if (q <= 0) return;
    const price =
      order.type === 'market' ? this.slip(book, order.side, opp.price, open, opp.displayed) : opp.price;
    const got = this.execute(order, price, q, 'taker');
    if (opp.left === undefined) return;
    if (order.side === 'buy') book.askLeft -= got;
    else book.bidLeft -= got;
  }

  private slip(
    book: Book,
    side: Side,
    price: number,
    quantity: number,
    displayed: number | undefined,
  ): number {
    return slippedPrice(this.slippage, { side, price, quantity, displayed, tick: book.inst.priceIncrement });
  }

  private applyQuote(book: Book, q: QuoteTick): void {
    book.hasQuote = true;
    book.bid = q.bid;
    book.bidSize = q.bidSize;
    book.ask = q.ask;
    book.askSize = q.askSize;
    book.bidLeft = Math.max(0, q.bidSize);
    book.askLeft = Math.max(0, q.askSize);
    book.quoteTs = q.ts;
    // Market remainders are the most aggressive orders, so they take the new size first.
    if (book.marketBuys.length > 0) this.takeRemainders(book.marketBuys);
    if (book.marketSells.length > 0) this.takeRemainders(book.marketSells);
    if (book.ask > 0) book.askLeft = this.sweep(book, 'buy', book.ask, book.askLeft);
    if (book.bid > 0) book.bidLeft = this.sweep(book, 'sell', book.bid, book.bidLeft);
  }

  private applyBar(book: Book, bar: Bar): void {
    let buyLeft = Math.max(0, bar.volume);
    let sellLeft = buyLeft;
    for (const price of barPath(bar)) {
      book.last = price;
      [buyLeft, sellLeft] = this.sweepBoth(book, price, buyLeft, sellLeft);
    }
    book.lastSize = bar.volume;
  }

  /** A trade at `price`: resting buys above it and sells below it fill, each side from its budget. */
  private sweepBoth(book: Book, price: number, buyLeft: number, sellLeft: number): [number, number] {
    return [this.sweep(book, 'buy', price, buyLeft), this.sweep(book, 'sell', price, sellLeft)];
  }

  private takeRemainders(orders: PaperOrder[]): void {
    let scanned = 0;
    for (const o of orders) {
      scanned++;
      this.take(o);
      // Still open means the displayed size is used up, so later remainders get nothing either.
      if (o.isOpen) break;
    }
    compactPrefix(orders, scanned);
  }

  /**
   * Fills resting limits of `side` that the market at `ref` has moved through, best first, at their
   * own prices, from `left` size; returns the size left. Does O(1) work when the best is not crossed.
   */
  private sweep(book: Book, side: Side, ref: number, left: number): number {
    const orders = side === 'buy' ? book.buys : book.sells;
    const best = orders[0];
    const lot = book.inst.qtyIncrement;
    if (best === undefined || left < lot || !this.crossed(side, best.price!, ref)) return left;
    let scanned = 0;
    for (const o of orders) {
      if (left < lot || !this.crossed(side, o.price!, ref)) break;
      scanned++;
      const q = Math.min(o.quantity - o.filled, lotFloor(left, lot));
      left -= this.execute(o, o.price!, q, 'maker');
    }
    compactPrefix(orders, scanned);
    return left;
  }

  /** Whether the market at `ref` fills a resting limit at `limit`. */
  private crossed(side: Side, limit: number, ref: number): boolean {
    if (ref === limit) return this.touchFills;
    return side === 'buy' ? ref < limit : ref > limit;
  }

  // ---- fills and balances ---------------------------------------------------------------------

  /**
   * Fills up to `qty` of `order` at `price`; returns the quantity filled. A buy the cash cannot
   * fully pay for fills what it can and its remainder is cancelled.
   */
  private execute(order: PaperOrder, price: number, qty: number, liquidity: Liquidity): number {
    const inst = order.book.inst;
    const rate = liquidity === 'maker' ? inst.feeMaker : inst.feeTaker;
    const q = order.side === 'buy' ? this.affordable(order, price, qty, rate) : qty;
    if (q > 0) this.applyFill(order, price, q, rate, liquidity);
    if (q < qty && order.isOpen) {
      // Not removed from the resting arrays here: callers compact them after their sweep.
      this.finish(order);
      this.emit({
        kind: 'cancelled',
        clientOrderId: order.clientOrderId,
        reason: 'insufficient_balance' satisfies PaperCancelReason,
        ts: this.nowMs,
      });
    }
    return q;
  }

  /** The largest lot multiple ≤ qty a buy can pay for from its lock plus available cash. */
  private affordable(order: PaperOrder, price: number, qty: number, rate: number): number {
    const inst = order.book.inst;
    const budget = order.locked + this.ledger.available(inst.quote);
    if (costOf(inst, price, qty, rate, 'half_even') <= budget) return qty;
    const lot = inst.qtyIncrement;
    const perLot = notionalOf(inst, price, lot) * (RATE_ONE_BIG + BigInt(rate));
    let lots = budget <= 0n ? 0n : (budget * RATE_ONE_BIG) / perLot;
    const maxLots = BigInt(Math.floor(qty / lot));
    if (lots > maxLots) lots = maxLots;
    let q = Number(lots) * lot;
    // Fee rounding can push the estimate a unit over; step down until it fits.
    while (q > 0 && costOf(inst, price, q, rate, 'half_even') > budget) q -= lot;
    return q;
  }

  private applyFill(order: PaperOrder, price: number, q: number, rate: number, liquidity: Liquidity): void {
    const inst = order.book.inst;
    assert(
      q > 0 && q <= order.quantity - order.filled,
      `fill ${q} exceeds what is open on ${order.clientOrderId}`,
    );
    const notional = notionalOf(inst, price, q);
    const fee = divRound(notional * BigInt(rate), RATE_ONE_BIG, 'half_even');
    if (order.side === 'buy') {
      const cost = notional + fee;
      const fromLock = minBig(cost, order.locked);
      order.locked -= fromLock;
      this.ledger.debit(inst.quote, cost, fromLock);
      this.ledger.credit(inst.base, qtyMoney(inst, q));
      assert(this.ledger.available(inst.quote) >= 0n, `buy fill overdraws ${inst.quote}`);
    } else {
      const units = qtyMoney(inst, q);
      const fromLock = minBig(units, order.locked);
      order.locked -= fromLock;
      this.ledger.debit(inst.base, units, fromLock);
      this.ledger.credit(inst.quote, notional - fee);
    }
    order.filled += q;
    this.emit({
      kind: 'fill',
      clientOrderId: order.clientOrderId,
      tradeId: `${this.tradeIdPrefix}${++this.tradeCount}`,
      price,
      quantity: q,
      fee,
      feeCurrency: inst.quote,
      liquidity,
      ts: this.nowMs,
    });
    if (order.filled === order.quantity) this.finish(order);
  }

  // ---- order lifecycle ------------------------------------------------------------------------

  private rest(order: PaperOrder): void {
    const book = order.book;
    order.resting = true;
    if (order.type === 'market') {
      (order.side === 'buy' ? book.marketBuys : book.marketSells).push(order);
      return;
    }
    const orders = order.side === 'buy' ? book.buys : book.sells;
    orders.splice(insertionIndex(orders, order), 0, order);
  }

  private removeFromBook(order: PaperOrder): void {
    if (!order.resting) return;
    const book = order.book;
    const orders =
      order.type === 'market'
        ? order.side === 'buy'
          ? book.marketBuys
          : book.marketSells
        : order.side === 'buy'
          ? book.buys
          : book.sells;
    const i = orders.indexOf(order);
    assert(i >= 0, `resting order ${order.clientOrderId} missing from its book`);
    orders.splice(i, 1);
    order.resting = false;
  }

  private cancelOrder(order: PaperOrder, reason: PaperCancelReason): void {
    this.removeFromBook(order);
    this.finish(order);
    this.emit({ kind: 'cancelled', clientOrderId: order.clientOrderId, reason, ts: this.nowMs });
  }

  /** Ends an order: it leaves the open set and its remaining lock is released. */
  private finish(order: PaperOrder): void {
    order.isOpen = false;
    this.open.delete(order.clientOrderId);
    this.ended.add(order.clientOrderId);
    this.ledger.unlock(lockCurrency(order), order.locked);
    order.locked = 0n;
  }

  private reject(clientOrderId: string, code: PaperRejectCode, reason: string): void {
    this.emit({ kind: 'rejected', clientOrderId, code, reason, ts: this.nowMs });
  }

  private emit(report: VenueReport): void {
    this.reports.push(report);
  }

  private addInstrument(inst: Instrument): void {
    assert(inst.venue === this.venue, `instrument ${inst.key} is not on venue ${this.venue}`);
    assert(!this.books.has(inst.key), `instrument ${inst.key} listed twice`);
    assert(
      inst.priceScale + inst.qtyScale <= MONEY_SCALE,
      `instrument ${inst.key}: price and quantity scales exceed the money scale`,
    );
    this.ledger.open(inst.base);
    this.ledger.open(inst.quote);
    this.books.set(inst.key, {
      inst,
      hasQuote: false,
      bid: 0,
      bidSize: 0,
      ask: 0,
      askSize: 0,
      bidLeft: 0,
      askLeft: 0,
      quoteTs: 0,
      last: undefined,
      lastSize: 0,
      buys: [],
      sells: [],
      marketBuys: [],
      marketSells: [],
    });
  }
}

function matchTypeOf(type: OrderType): MatchType | undefined {
  switch (type) {
    case 'market':
    case 'limit':
      return type;
    case 'stop':
    case 'stop_limit':
    case 'trailing_stop':
      return undefined;
    default:
      return assertNever(type, 'order type');
  }
}

/** A new order at `price` would take liquidity from the opposite side at `opposite`. */
function marketable(side: Side, price: number, opposite: number): boolean {
  return side === 'buy' ? price >= opposite : price <= opposite;
}

function lockCurrency(order: PaperOrder): string {
  return order.side === 'buy' ? order.book.inst.quote : order.book.inst.base;
}

function onGrid(units: number, step: number): boolean {
  return Number.isSafeInteger(units) && units > 0 && units % step === 0;
}

function lotFloor(size: number, lot: number): number {
  if (size <= 0) return 0;
  return size - (size % lot);
}

function positive(size: number): number | undefined {
  return size > 0 ? size : undefined;
}

function qtyMoney(inst: Instrument, qty: number): bigint {
  return BigInt(qty) * pow10(MONEY_SCALE - inst.qtyScale);
}

function costOf(
  inst: Instrument,
  price: number,
  qty: number,
  rate: number,
  mode: 'ceil' | 'half_even',
): bigint {
  const notional = notionalOf(inst, price, qty);
  return notional + divRound(notional * BigInt(rate), RATE_ONE_BIG, mode);
}

/** Index keeping resting limits sorted: better price first, then lower priority sequence. */
function insertionIndex(orders: readonly PaperOrder[], order: PaperOrder): number {
  const sign = order.side === 'buy' ? -1 : 1;
  let lo = 0;
  let hi = orders.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const o = orders[mid]!;
    const d = sign * (o.price! - order.price!);
    if (d < 0 || (d === 0 && o.seq < order.seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drops ended orders from the first `n` entries, keeping the order of the rest. */
function compactPrefix(orders: PaperOrder[], n: number): void {
  let w = 0;
  for (let r = 0; r < n; r++) {
    const o = orders[r]!;
    if (o.isOpen) orders[w++] = o;
    else o.resting = false;
  }
  if (w < n) orders.splice(w, n - w);
}
