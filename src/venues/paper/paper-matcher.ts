// The deterministic matching core of the paper venue: it takes orders and market data and returns
// the venue reports a real exchange would send, with spot balances kept exactly. It matches only
// MARKET and LIMIT orders; stop, trailing, OCO and bracket orders are held by a wrapper that
// releases market or limit orders into this matcher. The rules below are the paper venue's
// contract: tests pin each one, and changing one is a change of behaviour users can see.
//
// Time and commands
// - Time only moves with inputs: every submit/cancel/modify/onMarket/advanceTo carries a
//   timestamp, and the matcher's clock is the largest one seen (it never goes back).
// - A command sent at `ts` arrives at `ts + latencyMs`. Commands and expiries are processed in
//   time order (an expiry before a command due at the same millisecond; commands in the order they
//   were sent), each against the market state at that moment: market data at time T is applied
//   after everything due at or before T. With latency 0 a command is processed at once.
// - Reports carry the time they happen: arrival time for accept/reject/taker fills, the market
//   data time for fills caused by market data, the expiry time for expiries.
// - DAY orders expire at the end of the UTC day in which they arrived; GTD orders at expireAtMs
//   (which must be after arrival). An order is expired once time ≥ its expiry.
//
// Liquidity
// - The opposite side of a buy is the ask, of a sell the bid, at the displayed size. Size taken
//   from a quote is used up until the next quote replaces it, so no two orders take the same size.
//   A quote side with price or size ≤ 0 is empty.
// - Before the first quote of an instrument, the last trade price stands in for both sides with
//   unlimited size. With neither, market orders are rejected `no_market`.
// - Fill sizes are rounded down to the lot; a displayed size below one lot fills nothing.
//
// Market orders
// - Fill as taker at the opposite side, slipped by the slippage model (slipped-price.ts; market
//   orders only), limited by the displayed size. The remainder waits for later quotes (GTC, DAY,
//   GTD) and fills there before any resting limit, in arrival order; IOC cancels it
//   (`ioc_remainder`); FOK is rejected `fok_unfillable` unless the displayed size covers it all.
//
// Limit orders
// - Marketable on arrival (buy limit ≥ ask, sell limit ≤ bid) → taker fill at the quote, not the
//   limit (price improvement), limited by the displayed size; the remainder rests (or is cancelled
//   for IOC; FOK needs the displayed size to cover the whole order). Post-only orders that would
//   be marketable are rejected `post_only_would_cross`.
// - Resting orders are makers and fill at their own limit price when
//     a quote moves through them: buy when ask < limit (≤ with touchFills), sell when bid > limit
//     (≥ with touchFills), limited by that quote's displayed size; or
//     a trade prints through them: buy when price < limit (≤ with touchFills), sell when
//     price > limit (≥), limited by the trade size. Buys and sells each have their own copy of
//     the trade size; the aggressor side of a trade is not used.
//   Within one market update, better-priced orders fill first, then earlier ones (a modify that
//   changes the price or raises the quantity loses time priority).
// - A bar is four trades at its close time along barPath (model/market.ts; bullish O→L→H→C, bearish
//   O→H→L→C); its volume is one size budget per side shared by the four points. Volume ≤ 0 fills
//   nothing.
//
// Balances (spot)
// - Buys lock quote cash: notional at the limit price plus the fee at the larger of the maker and
//   taker rates, rounded up; a market buy locks the notional at the current slipped ask (the last
//   trade when there is no ask) plus the taker fee. Sells lock the base quantity, unless
//   allowShort, in which case sells lock nothing and the base balance may go negative. Not enough
//   available → rejected `insufficient_balance` (buy) or `insufficient_position` (sell) with no
//   balance change.
// - A fill moves balances exactly: buy −notional −fee quote, +qty base; sell the reverse with the
//   fee still taken from the quote. Fee = notional × rate, rounded half-even, in the quote currency.
//   Locks are used up by fills and released in full when the order ends.
// - A later fill that costs more than the order's lock plus the available cash (a market remainder
//   after the price moved up) fills what the cash covers and the rest is cancelled
//   `insufficient_balance`.
//
// Modify and cancel
// - Modify sets a limit order's total quantity (must exceed what is filled) and optionally its
//   price, keeping the client order id; it re-locks cash for the new remainder. A modify that makes
//   the order marketable fills it as taker. Market orders cannot be modified.
// - Cancel and modify of an order that is not open answer cancel_rejected/modify_rejected with
//   reason `order_closed` (it was accepted and has ended) or `unknown_order` (anything else).
// - Client order ids are never reused: a second submit with a used id is rejected
//   `duplicate_client_order_id`. Malformed requests (off-grid quantity or price, a market order
//   with a price, a GTD order without a future expiry) are rejected `invalid_order`.
//
// Determinism: no clock, no randomness; ids count up (`${venue}-${n}`, `${tradeIdPrefix}${n}`);
// every collection iterated is insertion-ordered or explicitly sorted; the same inputs give the
// same reports. reduceOnly is not enforced here (a spot venue has no position to reduce).

import { appended } from '../../core/append.ts';
import { assert, assertNever, InvariantError } from '../../core/assert.ts';
import { bigProduct, divRound, formatUnits, minBig, pow10 } from '../../core/decimal.ts';
import { IdTable } from '../../core/id-table.ts';
import type { TimestampMs } from '../../core/ports.ts';
import type { VenueOrderRequest, VenueReport } from '../../engine/venue-port.ts';
import { type Instrument, MONEY_SCALE, RATE_ONE } from '../../model/instrument.ts';
import type { Bar, MarketData, QuoteTick } from '../../model/market.ts';
import { barPath } from '../../model/market.ts';
import {
  type Liquidity,
  type OrderType,
  type Side,
  TIME_IN_FORCES,
  type TimeInForce,
} from '../../model/order.ts';
import { type LedgerAccount, type PaperBalance, PaperLedger } from './paper-ledger.ts';
import { OrderQueue, PriceLevels } from './price-levels.ts';
import { type SlippageModel, slippedPrice, validSlippage } from './slipped-price.ts';
import { SnapshotReader } from './snapshot-reader.ts';
import { type Timed, TimedQueue } from './timed-queue.ts';

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
  /** The first acceptance time of an order on this book: PaperOrder keeps its own as an offset. */
  epochMs: TimestampMs | undefined;
  /** Ledger accounts of the base and quote currencies. */
  readonly baseAccount: LedgerAccount;
  readonly quoteAccount: LedgerAccount;
  /** Money units per (price unit × quantity unit), and per quantity unit. */
  readonly notionalUnit: bigint;
  readonly qtyUnit: bigint;
  /** Fee rates as bigints; a limit buy locks its fee at `lockRate`, the larger of the two. */
  readonly makerRate: bigint;
  readonly takerRate: bigint;
  readonly lockRate: bigint;
  /**
   * What a limit buy locks per price unit × quantity unit, when that is exact: see limitBuyLock.
   * Undefined when a money unit does not divide a notional unit by RATE_ONE.
   */
  readonly lockPerPQ: bigint | undefined;
  /**
   * Resting limit buys, highest price first, then by time priority (acceptance, or the last modify
   * that changed the price or raised the quantity).
   */
  readonly buys: PriceLevels<PaperOrder>;
  /** Resting limit sells, lowest price first, then by time priority. */
  readonly sells: PriceLevels<PaperOrder>;
  /** Market order remainders waiting for quotes, in arrival order. */
  readonly marketBuys: OrderQueue<PaperOrder>;
  readonly marketSells: OrderQueue<PaperOrder>;
}

// Bit layout of PaperOrder.bits: side, type, time in force, post-only and open packed in one small
// integer, and the acceptance time kept as a small offset from the book's first one (a timestamp
// is a 16-byte heap number, an offset under 2^30 ms a small integer), so that each resting order
// keeps less alive: what every resting order keeps is what the young-generation collector copies.
const SELL_BIT = 1;
const MARKET_BIT = 2;
const TIF_SHIFT = 2; // 3 bits
const POST_BIT = 1 << 5;
const OPEN_BIT = 1 << 6;

/** One order the matcher accepted; open until it fills, is cancelled or expires. */
class PaperOrder {
  private bits: number;
  private readonly acceptedOffset: number;
  expireAtMs: TimestampMs | undefined;
  quantity: number;
  price: number | undefined;
  filled: number;
  /**
   * What the order holds locked; undefined while that is still the whole lock of a limit order as
   * accepted (nothing filled, nothing modified), which `locked` computes when read. A resting
   * order then keeps no lock of its own: one bigint less per order, kept for as long as it rests
   * and copied by each young-generation collection it survives.
   */
  private lockHeld: bigint | undefined;
  /** Links of the matcher's list of open orders (acceptance order). */
  openPrev: PaperOrder | undefined;
  openNext: PaperOrder | undefined = undefined;
  /** Links of the book queue the order rests in (queue undefined = not resting). */
  prev: PaperOrder | undefined = undefined;
  next: PaperOrder | undefined = undefined;
  queue: OrderQueue<PaperOrder> | undefined = undefined;

  constructor(
    readonly clientOrderId: string,
    readonly venueOrderId: string,
    readonly book: Book,
    side: Side,
    type: MatchType,
    tif: TimeInForce,
    postOnly: boolean,
    expireAtMs: TimestampMs | undefined,
    acceptedMs: TimestampMs,
    quantity: number,
    price: number | undefined,
    filled: number,
    /** undefined: the whole lock of a limit order as accepted (see lockHeld). */
    locked: bigint | undefined,
    openPrev: PaperOrder | undefined,
  ) {
    let t = 0;
    while (t < TIME_IN_FORCES.length - 1 && TIME_IN_FORCES[t] !== tif) t++;
    this.bits =
      (side === 'sell' ? SELL_BIT : 0) |
      (type === 'market' ? MARKET_BIT : 0) |
      (t << TIF_SHIFT) |
      (postOnly ? POST_BIT : 0) |
      OPEN_BIT;
    book.epochMs ??= acceptedMs;
    this.acceptedOffset = acceptedMs - book.epochMs;
    this.expireAtMs = expireAtMs;
    this.quantity = quantity;
    this.price = price;
    this.filled = filled;
    this.lockHeld = locked;
    this.openPrev = openPrev;
  }

  get locked(): bigint {
    const held = this.lockHeld;
    if (held !== undefined) return held;
    return priceLock(this.book, this.side, this.price, this.quantity);
  }
  set locked(v: bigint) {
    this.lockHeld = v;
  }

  get side(): Side {
    return (this.bits & SELL_BIT) === 0 ? 'buy' : 'sell';
  }
  get type(): MatchType {
    return (this.bits & MARKET_BIT) === 0 ? 'limit' : 'market';
  }
  get tif(): TimeInForce {
    return TIME_IN_FORCES[(this.bits >> TIF_SHIFT) & 7]!;
  }
  get postOnly(): boolean {
    return (this.bits & POST_BIT) !== 0;
  }
  get acceptedMs(): TimestampMs {
    return this.book.epochMs! + this.acceptedOffset;
  }
  get isOpen(): boolean {
    return (this.bits & OPEN_BIT) !== 0;
  }
  set isOpen(open: boolean) {
    this.bits = open ? this.bits | OPEN_BIT : this.bits & ~OPEN_BIT;
  }
}

/** What a taker can hit: a price and the size left there (undefined = unlimited). */
interface Opposite {
  readonly price: number;
  readonly left: number | undefined;
  readonly displayed: number | undefined;
}

/** A command in flight to the matcher (sent, not yet arrived). */
export type PaperCommand =
  | { readonly kind: 'submit'; readonly req: VenueOrderRequest }
  | { readonly kind: 'cancel'; readonly clientOrderId: string }
  | { readonly kind: 'modify'; readonly clientOrderId: string; readonly change: PaperModify };

type Command = PaperCommand;

/** An open order in a snapshot. Absent values are null, so the snapshot is plain JSON. */
export interface PaperOrderSnapshot {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly instrument: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly tif: TimeInForce;
  readonly postOnly: boolean;
  readonly quantity: number;
  readonly filled: number;
  readonly price: number | null;
  readonly expireAtMs: TimestampMs | null;
  readonly acceptedMs: TimestampMs;
  /** Money units of the order's lock currency (quote for a buy, base for a sell). */
  readonly locked: bigint;
}

/** One instrument's book in a snapshot: the quote state and where each open order waits. */
export interface PaperBookSnapshot {
  readonly instrument: string;
  readonly hasQuote: boolean;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  /** Displayed size not yet taken by paper orders. */
  readonly bidLeft: number;
  readonly askLeft: number;
  readonly quoteTs: TimestampMs;
  readonly last: number | null;
  readonly lastSize: number;
  /** Resting limit buys: `[price, client order ids in time priority]` per level. */
  readonly buys: readonly (readonly [number, readonly string[]])[];
  readonly sells: readonly (readonly [number, readonly string[]])[];
  /** Market order remainders waiting for quotes, in arrival order. */
  readonly marketBuys: readonly string[];
  readonly marketSells: readonly string[];
}

/**
 * Everything a PaperMatcher needs to resume exactly where it was, as plain data: JSON apart from
 * bigints (which the journal's checkpoint codec tags). Configuration (instruments, fees, latency,
 * slippage, touchFills, allowShort, trade id prefix) is not in it: it comes from the options given
 * to `restore`, which must be the ones the matcher ran with.
 *
 * Size: O(open orders + price levels + commands in flight + expiries pending) plus one string per
 * client order id ever submitted (`ids`): ids are never reused, so a duplicate must be refused
 * after a restore too, and the table is kept whole, as the live matcher keeps it.
 */
export interface PaperMatcherSnapshot {
  readonly version: 1;
  readonly venue: string;
  /** The matcher's clock (Number.MIN_SAFE_INTEGER before any input). */
  readonly nowMs: TimestampMs;
  /** Counters of venue order ids (`${venue}-${n}`) and trade ids. */
  readonly orderCount: number;
  readonly tradeCount: number;
  /** Every currency's account, in the ledger's order. */
  readonly balances: readonly {
    readonly currency: string;
    readonly total: bigint;
    readonly locked: bigint;
  }[];
  /** Open orders in acceptance order. */
  readonly openOrders: readonly PaperOrderSnapshot[];
  /** One per instrument, in the options' order. */
  readonly books: readonly PaperBookSnapshot[];
  /** Commands in flight, in the order they will arrive; `seq` breaks ties on `atMs`. */
  readonly commands: readonly {
    readonly atMs: TimestampMs;
    readonly seq: number;
    readonly command: PaperCommand;
  }[];
  readonly commandSeq: number;
  /** Expiries of open DAY/GTD orders, in the order they fire. */
  readonly expiries: readonly {
    readonly atMs: TimestampMs;
    readonly seq: number;
    readonly clientOrderId: string;
  }[];
  readonly expirySeq: number;
  /** Every client order id ever submitted, in first-use order (the id table's own order). */
  readonly ids: readonly string[];
  /** One letter per entry of `ids`: `o` open, `e` accepted and since ended, `r` refused. */
  readonly idStates: string;
  /** Reports produced and not yet drained. */
  readonly reports: readonly VenueReport[];
}

type Screening =
  | { readonly kind: 'admitted'; readonly book: Book; readonly type: MatchType; readonly lock: bigint }
  | { readonly kind: 'denied'; readonly code: PaperRejectCode; readonly reason: string };

function denied(code: PaperRejectCode, reason: string): Screening {
  return { kind: 'denied', code, reason };
}

export class PaperMatcher {
  readonly venue: string;
  private readonly books = new Map<string, Book>();
  /** The book last looked up (books are only ever added): a run of orders for one instrument skips the Map. */
  private lastBook: Book | undefined = undefined;

  private bookOf(key: string): Book | undefined {
    const last = this.lastBook;
    if (last !== undefined && last.inst.key === key) return last;
    const book = this.books.get(key);
    if (book !== undefined) this.lastBook = book;
    return book;
  }
  private readonly ledger: PaperLedger;
  private readonly slippage: SlippageModel;
  private readonly touchFills: boolean;
  private readonly latencyMs: number;
  private readonly allowShort: boolean;
  private readonly tradeIdPrefix: string;
  private readonly commands = new TimedQueue<Command>();
  private readonly expiries = new TimedQueue<PaperOrder>();
  /**
   * Every client order id submitted (ids are never reused): the order while it is open, then
   * 'ended'; 'refused' for ids never accepted. One table, so an order costs one insertion (an
   * array slot for a client's counter-style ids: see IdTable).
   */
  private readonly ids = new IdTable<PaperOrder | 'ended' | 'refused'>();
  /** Open orders in acceptance order, linked through openPrev/openNext. */
  private firstOpen: PaperOrder | undefined = undefined;
  private lastOpen: PaperOrder | undefined = undefined;
  private reports: VenueReport[] = [];
  private nowMs: TimestampMs = Number.MIN_SAFE_INTEGER;
  private orderCount = 0;
  private tradeCount = 0;

  constructor(options: PaperMatcherOptions) {
    assert(options.venue !== '', 'paper venue id must not be empty');
    this.venue = options.venue;
    this.slippage = options.slippage ?? { kind: 'none' };
    assert(validSlippage(this.slippage), () => `invalid slippage model ${JSON.stringify(this.slippage)}`);
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
    if (this.arrivesNow(ts)) this.submitNow(req);
    else this.send({ kind: 'submit', req }, ts);
  }

  cancel(clientOrderId: string, ts: TimestampMs): void {
    if (this.arrivesNow(ts)) this.cancelNow(clientOrderId);
    else this.send({ kind: 'cancel', clientOrderId }, ts);
  }

  modify(clientOrderId: string, change: PaperModify, ts: TimestampMs): void {
    if (this.arrivesNow(ts)) this.modifyNow(clientOrderId, change);
    else this.send({ kind: 'modify', clientOrderId, change }, ts);
  }

  /**
   * A command from inside the venue (a conditional order it holds releasing, an OCO leg cancelling
   * its sibling): no network lies between, so it is processed at `ts` itself, after what is due by
   * then, whatever the latency of commands sent to the venue.
   */
  internal(command: PaperCommand, ts: TimestampMs): void {
    this.advance(ts);
    this.run(command);
  }

  /** Whether a client order id was used: by an order submitted (in flight included), accepted or refused. */
  hasClientId(clientOrderId: string): boolean {
    if (this.ids.has(clientOrderId)) return true;
    return this.commands.some((c) => c.kind === 'submit' && c.req.clientOrderId === clientOrderId);
  }

  /** Applies market data: first everything due up to md.ts, then the update and its fills. */
  onMarket(md: MarketData): void {
    this.advance(md.ts);
    const book = this.bookOf(md.instrument);
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
    if (out.length === 0) return out;
    this.reports = [];
    return out;
  }

  // ---- snapshot ------------------------------------------------------------------------------

  /**
   * The matcher's whole state as plain data (see PaperMatcherSnapshot). It shares no mutable
   * object with the matcher; requests and reports in it are the matcher's own immutable ones.
   * Costs O(size of the snapshot); nothing is kept for it between calls.
   */
  snapshot(): PaperMatcherSnapshot {
    const openOrders: PaperOrderSnapshot[] = [];
    for (let o = this.firstOpen; o !== undefined; o = o.openNext)
      openOrders.push({
        clientOrderId: o.clientOrderId,
        venueOrderId: o.venueOrderId,
        instrument: o.book.inst.key,
        side: o.side,
        type: o.type,
        tif: o.tif,
        postOnly: o.postOnly,
        quantity: o.quantity,
        filled: o.filled,
        price: o.price ?? null,
        expireAtMs: o.expireAtMs ?? null,
        acceptedMs: o.acceptedMs,
        locked: o.locked,
      });
    const books: PaperBookSnapshot[] = [];
    for (const b of this.books.values())
      books.push({
        instrument: b.inst.key,
        hasQuote: b.hasQuote,
        bid: b.bid,
        bidSize: b.bidSize,
        ask: b.ask,
        askSize: b.askSize,
        bidLeft: b.bidLeft,
        askLeft: b.askLeft,
        quoteTs: b.quoteTs,
        last: b.last ?? null,
        lastSize: b.lastSize,
        buys: levelsOf(b.buys),
        sells: levelsOf(b.sells),
        marketBuys: idsOf(b.marketBuys),
        marketSells: idsOf(b.marketSells),
      });
    const ids: string[] = [];
    let idStates = '';
    for (const [id, entry] of this.ids.entries()) {
      ids.push(id);
      idStates += entry === 'ended' ? 'e' : entry === 'refused' ? 'r' : 'o';
    }
    return {
      version: 1,
      venue: this.venue,
      nowMs: this.nowMs,
      orderCount: this.orderCount,
      tradeCount: this.tradeCount,
      balances: this.ledger
        .currencies()
        .map((currency) => ({ currency, ...pick(this.ledger.get(currency), 'total', 'locked') })),
      openOrders,
      books,
      commands: this.commands.entries().map((e) => ({ atMs: e.atMs, seq: e.seq, command: e.item })),
      commandSeq: this.commands.nextSeq,
      // An expiry of an order that has ended since does nothing when it comes due, so it is left out.
      expiries: this.expiries
        .entries()
        .filter((e) => e.item.isOpen)
        .map((e) => ({ atMs: e.atMs, seq: e.seq, clientOrderId: e.item.clientOrderId })),
      expirySeq: this.expiries.nextSeq,
      ids,
      idStates,
      reports: this.reports.slice(),
    };
  }

  /**
   * A matcher in exactly the state `snapshot` saved, given the options it ran with: from there it
   * produces the same reports for the same inputs as the matcher that was saved. The snapshot may
   * have been through JSON (the journal's checkpoint codec); its shape and consistency are checked
   * and an Error names the first thing wrong.
   */
  static restore(options: PaperMatcherOptions, snapshot: unknown): PaperMatcher {
    const m = new PaperMatcher(options);
    m.load(new SnapshotReader('paper matcher snapshot'), snapshot, '');
    return m;
  }

  /**
   * Loads a snapshot into this fresh matcher (one that has had no input); `path` prefixes the
   * paths in error messages. For PaperVenue.restore, which restores its own matcher; use
   * `PaperMatcher.restore` otherwise.
   */
  load(r: SnapshotReader, snapshot: unknown, path: string): void {
    const at = (key: string) => (path === '' ? key : `${path}.${key}`);
    assert(
      this.orderCount === 0 && this.ids.size === 0 && this.nowMs === Number.MIN_SAFE_INTEGER,
      'a snapshot loads into a fresh matcher only',
    );
    const s = r.object(snapshot, path);
    if (s.version !== 1) r.fail(at('version'), `must be 1, got ${JSON.stringify(s.version)}`);
    if (s.venue !== this.venue)
      r.fail(at('venue'), `is ${JSON.stringify(s.venue)} but the options are for venue ${this.venue}`);
    const nowMs = r.int(s.nowMs, at('nowMs'));
    const orderCount = r.int(s.orderCount, at('orderCount'), 0);
    const tradeCount = r.int(s.tradeCount, at('tradeCount'), 0);

    // Balances: the same currencies as the options give (configured, then instruments').
    const balances = r.array(s.balances, at('balances'));
    const currencies = this.ledger.currencies();
    const seen = new Set<string>();
    for (const [i, v] of balances.entries()) {
      const p = at(`balances[${i}]`);
      const b = r.object(v, p);
      const currency = r.string(b.currency, `${p}.currency`);
      if (!this.ledger.has(currency))
        r.fail(`${p}.currency`, `${currency} is not a currency of these options (${currencies.join(', ')})`);
      if (seen.has(currency)) r.fail(`${p}.currency`, `${currency} is listed twice`);
      seen.add(currency);
      const total = r.bigint(b.total, `${p}.total`);
      const locked = r.bigint(b.locked, `${p}.locked`);
      if (locked < 0n || (locked > total && !this.allowShort))
        r.fail(p, `has locked ${locked} outside 0..total ${total}`);
      const account = this.ledger.open(currency);
      account.total = total;
      account.locked = locked;
    }
    for (const c of currencies) if (!seen.has(c)) r.fail(at('balances'), `has no entry for ${c}`);

    // The id table, in its own order; open entries get their orders below.
    const ids = r.array(s.ids, at('ids'));
    const idStates = r.string(s.idStates, at('idStates'));
    if (idStates.length !== ids.length)
      r.fail(at('idStates'), `has ${idStates.length} letters for ${ids.length} ids`);
    const expectOpen = new Set<string>();
    for (const [i, v] of ids.entries()) {
      const id = r.string(v, at(`ids[${i}]`));
      if (this.ids.has(id)) r.fail(at(`ids[${i}]`), `${JSON.stringify(id)} is listed twice`);
      const state = idStates[i]!;
      if (state === 'o') expectOpen.add(id);
      else if (state !== 'e' && state !== 'r')
        r.fail(at('idStates'), `has ${JSON.stringify(state)} at ${i}; each letter must be o, e or r`);
      // An open entry holds its place until its order is read.
      this.ids.set(id, state === 'e' ? 'ended' : 'refused');
    }

    // Open orders, in acceptance order.
    const lockedBy = new Map<string, bigint>();
    for (const [i, v] of r.array(s.openOrders, at('openOrders')).entries()) {
      const p = at(`openOrders[${i}]`);
      const o = r.object(v, p);
      const clientOrderId = r.string(o.clientOrderId, `${p}.clientOrderId`);
      if (!expectOpen.delete(clientOrderId))
        r.fail(`${p}.clientOrderId`, `${JSON.stringify(clientOrderId)} is not an open id of the id table`);
      const key = r.string(o.instrument, `${p}.instrument`);
      const book = this.books.get(key);
      if (book === undefined) r.fail(`${p}.instrument`, `${key} is not an instrument of these options`);
      const type = r.oneOf<MatchType>(o.type, `${p}.type`, ['market', 'limit']);
      const quantity = r.int(o.quantity, `${p}.quantity`, 1);
      const filled = r.int(o.filled, `${p}.filled`, 0);
      if (filled >= quantity) r.fail(`${p}.filled`, `must be below the quantity ${quantity}, got ${filled}`);
      const price = r.optInt(o.price, `${p}.price`, 1);
      if ((price === undefined) !== (type === 'market'))
        r.fail(`${p}.price`, type === 'market' ? 'must be null for a market order' : 'is missing');
      const locked = r.bigint(o.locked, `${p}.locked`);
      if (locked < 0n) r.fail(`${p}.locked`, `must not be negative, got ${locked}`);
      const order = new PaperOrder(
        clientOrderId,
        r.string(o.venueOrderId, `${p}.venueOrderId`),
        book,
        r.oneOf<Side>(o.side, `${p}.side`, ['buy', 'sell']),
        type,
        r.oneOf<TimeInForce>(o.tif, `${p}.tif`, ['gtc', 'ioc', 'fok', 'day', 'gtd']),
        r.boolean(o.postOnly, `${p}.postOnly`),
        r.optInt(o.expireAtMs, `${p}.expireAtMs`),
        r.int(o.acceptedMs, `${p}.acceptedMs`),
        quantity,
        price,
        filled,
        locked,
        this.lastOpen,
      );
      const currency = lockCurrency(order);
      lockedBy.set(currency, (lockedBy.get(currency) ?? 0n) + locked);
      this.ids.set(clientOrderId, order);
      if (this.lastOpen === undefined) this.firstOpen = order;
      else this.lastOpen.openNext = order;
      this.lastOpen = order;
    }
    for (const id of expectOpen)
      r.fail(at('openOrders'), `lack open order ${JSON.stringify(id)} of the id table`);
    for (const c of currencies) {
      const sum = lockedBy.get(c) ?? 0n;
      if (this.ledger.get(c).locked !== sum)
        r.fail(at('balances'), `lock ${this.ledger.get(c).locked} of ${c} but its open orders lock ${sum}`);
    }

    // Books: quote state, and every open order in its queue.
    const bookList = r.array(s.books, at('books'));
    const keys = [...this.books.keys()];
    if (bookList.length !== keys.length)
      r.fail(at('books'), `has ${bookList.length} books but the options list ${keys.length} instruments`);
    const openOrder = (v: unknown, p: string, book: Book, side: Side, type: MatchType): PaperOrder => {
      const id = r.string(v, p);
      const o = this.ids.get(id);
      if (typeof o !== 'object') return r.fail(p, `${JSON.stringify(id)} is not an open order`);
      if (o.book !== book || o.side !== side || o.type !== type)
        r.fail(p, `${id} is not a ${type} ${side} order on ${book.inst.key}`);
      if (o.queue !== undefined) r.fail(p, `${id} is queued twice`);
      return o;
    };
    for (const [i, v] of bookList.entries()) {
      const p = at(`books[${i}]`);
      const b = r.object(v, p);
      const key = r.string(b.instrument, `${p}.instrument`);
      if (key !== keys[i]) r.fail(`${p}.instrument`, `must be ${keys[i]} (the options' order), got ${key}`);
      const book = this.books.get(key)!;
      book.hasQuote = r.boolean(b.hasQuote, `${p}.hasQuote`);
      book.bid = r.int(b.bid, `${p}.bid`);
      book.bidSize = r.int(b.bidSize, `${p}.bidSize`);
      book.ask = r.int(b.ask, `${p}.ask`);
      book.askSize = r.int(b.askSize, `${p}.askSize`);
      book.bidLeft = r.int(b.bidLeft, `${p}.bidLeft`, 0);
      book.askLeft = r.int(b.askLeft, `${p}.askLeft`, 0);
      book.quoteTs = r.int(b.quoteTs, `${p}.quoteTs`);
      book.last = r.optInt(b.last, `${p}.last`);
      book.lastSize = r.int(b.lastSize, `${p}.lastSize`);
      for (const side of ['buy', 'sell'] as const) {
        const name = side === 'buy' ? 'buys' : 'sells';
        const levels = side === 'buy' ? book.buys : book.sells;
        for (const [j, lv] of r.array(b[name], `${p}.${name}`).entries()) {
          const lp = `${p}.${name}[${j}]`;
          const level = r.array(lv, lp);
          if (level.length !== 2) r.fail(lp, 'must be [price, client order ids]');
          const price = r.int(level[0], `${lp}[0]`, 1);
          const ids = r.array(level[1], `${lp}[1]`);
          if (ids.length === 0) r.fail(`${lp}[1]`, 'must not be empty');
          for (const [k, id] of ids.entries()) {
            const o = openOrder(id, `${lp}[1][${k}]`, book, side, 'limit');
            if (o.price !== price)
              r.fail(`${lp}[1][${k}]`, `${o.clientOrderId} has price ${o.price}, not ${price}`);
            levels.add(o, price);
          }
        }
        const mname = side === 'buy' ? 'marketBuys' : 'marketSells';
        const queue = side === 'buy' ? book.marketBuys : book.marketSells;
        for (const [k, id] of r.array(b[mname], `${p}.${mname}`).entries())
          queue.push(openOrder(id, `${p}.${mname}[${k}]`, book, side, 'market'));
      }
    }
    for (let o = this.firstOpen; o !== undefined; o = o.openNext)
      if (o.queue === undefined)
        r.fail(at('books'), `do not place open order ${o.clientOrderId} in any queue`);

    // Commands in flight and expiries.
    const commandSeq = r.int(s.commandSeq, at('commandSeq'), 0);
    const commands: Timed<Command>[] = [];
    const seqs = new Set<number>();
    for (const [i, v] of r.array(s.commands, at('commands')).entries()) {
      const p = at(`commands[${i}]`);
      const c = r.object(v, p);
      const seq = r.int(c.seq, `${p}.seq`, 0);
      if (seq >= commandSeq || seqs.has(seq))
        r.fail(`${p}.seq`, `${seq} is repeated or not below commandSeq`);
      seqs.add(seq);
      commands.push({
        atMs: r.int(c.atMs, `${p}.atMs`),
        seq,
        item: readCommand(r, c.command, `${p}.command`),
      });
    }
    const expirySeq = r.int(s.expirySeq, at('expirySeq'), 0);
    const expiries: Timed<PaperOrder>[] = [];
    seqs.clear();
    for (const [i, v] of r.array(s.expiries, at('expiries')).entries()) {
      const p = at(`expiries[${i}]`);
      const e = r.object(v, p);
      const seq = r.int(e.seq, `${p}.seq`, 0);
      if (seq >= expirySeq || seqs.has(seq)) r.fail(`${p}.seq`, `${seq} is repeated or not below expirySeq`);
      seqs.add(seq);
      const atMs = r.int(e.atMs, `${p}.atMs`);
      const id = r.string(e.clientOrderId, `${p}.clientOrderId`);
      const o = this.ids.get(id);
      if (typeof o !== 'object') r.fail(`${p}.clientOrderId`, `${JSON.stringify(id)} is not an open order`);
      if (o.expireAtMs !== atMs) r.fail(`${p}.atMs`, `${atMs} is not the expiry of ${id}`);
      expiries.push({ atMs, seq, item: o });
    }
    this.commands.load(commands, commandSeq);
    this.expiries.load(expiries, expirySeq);

    this.reports = r.array(s.reports, at('reports')).map((v, i) => r.report(v, at(`reports[${i}]`)));
    this.nowMs = nowMs;
    this.orderCount = orderCount;
    this.tradeCount = tradeCount;
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
    for (let o = this.firstOpen; o !== undefined; o = o.openNext) {
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

  /**
   * The fast path of a command sent at `ts` when there is no latency and no command in flight: it
   * would be queued at `ts` and popped at once after the expiries due by then, so this runs those
   * expiries, moves time to `ts` and tells the caller to process the command directly. Nothing the
   * command does can become due at or before `ts` (new expiries are after the arrival time), so
   * this is exactly what `send` would do, without the queue round trip.
   */
  private arrivesNow(ts: TimestampMs): boolean {
    if (this.latencyMs !== 0 || this.commands.size !== 0) return false;
    this.advance(ts);
    return true;
  }

  private send(command: Command, ts: TimestampMs): void {
    checkTimestamp(ts);
    this.commands.push(ts + this.latencyMs, command);
    this.advance(ts);
  }

  private advance(ts: TimestampMs): void {
    checkTimestamp(ts);
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
    if (this.ids.has(id))
      return denied('duplicate_client_order_id', `client order id ${id} was already used`);
    const screening = this.screenNew(req);
    // An admitted id is entered by accept(), which follows at once.
    if (screening.kind === 'denied') this.ids.set(id, 'refused');
    return screening;
  }

  private screenNew(req: VenueOrderRequest): Screening {
    const type = matchTypeOf(req.type);
    if (type === undefined)
      return denied('unsupported_order_type', `the paper matcher does not take ${req.type} orders`);
    const book = this.bookOf(req.instrument);
    if (book === undefined)
      return denied('unknown_instrument', `${req.instrument} is not listed on ${this.venue}`);
    const invalid = this.invalidReason(book.inst, req, type);
    if (invalid !== undefined) return denied('invalid_order', invalid);
    return this.admit(book, req, type);
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

  private admit(book: Book, req: VenueOrderRequest, type: MatchType): Screening {
    const key = book.inst.key;
    if (type === 'market' && !book.hasQuote && book.last === undefined)
      return denied('no_market', `no quote or trade seen for ${key}`);
    const lock = this.reservation(book, req.side, type, req.price, req.quantity);
    if (lock === undefined) return denied('no_market', `no ask or trade to price a market buy on ${key}`);
    const account = req.side === 'buy' ? book.quoteAccount : book.baseAccount;
    const currency = account.currency;
    const available = account.available();
    if (lock > available) {
      const code = req.side === 'buy' ? 'insufficient_balance' : 'insufficient_position';
      const need = formatUnits(lock, MONEY_SCALE, true);
      return denied(
        code,
        `needs ${need} ${currency}, ${formatUnits(available, MONEY_SCALE, true)} available`,
      );
    }
    const oppPrice = oppositePrice(book, req.side);
    const crosses =
      oppPrice !== undefined && (type === 'market' || marketable(req.side, req.price!, oppPrice));
    if (req.postOnly && crosses)
      return denied('post_only_would_cross', 'a post-only order would take liquidity');
    if (req.tif === 'fok') {
      const left = oppositeLeft(book, req.side);
      const covered =
        oppPrice !== undefined &&
        (left === undefined || lotFloor(left, book.inst.qtyIncrement) >= req.quantity);
      if (!(crosses && covered))
        return denied('fok_unfillable', 'the displayed size does not cover the whole order');
    }
    return { kind: 'admitted', book, type, lock };
  }

  private accept(book: Book, req: VenueOrderRequest, type: MatchType, lock: bigint): PaperOrder {
    const order = new PaperOrder(
      req.clientOrderId,
      `${this.venue}-${++this.orderCount}`,
      book,
      req.side,
      type,
      req.tif,
      req.postOnly,
      this.expiryOf(req),
      this.nowMs,
      req.quantity,
      req.price,
      0,
      // A lock `reservation` took from priceLock is recomputed by `locked` while nothing has
      // changed it; a market buy's estimate and a short sale's zero are kept.
      type === 'limit' && !(req.side === 'sell' && this.allowShort) ? undefined : lock,
      this.lastOpen,
    );
    lockAccount(order).lock(lock);
    this.ids.set(order.clientOrderId, order);
    if (this.lastOpen === undefined) this.firstOpen = order;
    else this.lastOpen.openNext = order;
    this.lastOpen = order;
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
    if (side === 'sell' && this.allowShort) return 0n;
    if (side === 'sell' || type === 'limit') return priceLock(book, side, price, qty);
    const opp = this.opposite(book, 'buy');
    let estimate: number | undefined;
    if (opp !== undefined) estimate = this.slip(book, 'buy', opp.price, qty, opp.displayed);
    else if (book.last !== undefined)
      estimate = this.slip(book, 'buy', book.last, qty, positive(book.lastSize));
    return estimate === undefined ? undefined : costOf(book, estimate, qty, book.takerRate, 'ceil');
  }

  // ---- cancel and modify ----------------------------------------------------------------------

  private cancelNow(id: string): void {
    const entry = this.ids.get(id);
    if (typeof entry === 'object') this.cancelOrder(entry, 'user');
    else this.emit({ kind: 'cancel_rejected', clientOrderId: id, reason: missing(entry), ts: this.nowMs });
  }

  private modifyNow(id: string, change: PaperModify): void {
    const entry = this.ids.get(id);
    const problem = typeof entry === 'object' ? this.modifyProblem(entry, change) : missing(entry);
    if (typeof entry !== 'object' || problem !== undefined) {
      this.emit({
        kind: 'modify_rejected',
        clientOrderId: id,
        reason: problem ?? 'unknown_order',
        ts: this.nowMs,
      });
      return;
    }
    const order = entry;
    const price = change.price ?? order.price!;
    const lock = this.reservation(order.book, order.side, 'limit', price, change.quantity - order.filled)!;
    // A modify that keeps time priority leaves the order where it rests; one that loses it goes to
    // the back of its (new) price level. Nothing reads the book while the order takes below.
    if (price !== order.price || change.quantity > order.quantity) this.removeFromBook(order);
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
    if (!order.isOpen) this.removeFromBook(order);
    else if (order.queue === undefined) this.rest(order);
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
    const oppPrice = oppositePrice(order.book, order.side);
    if (order.postOnly && oppPrice !== undefined && marketable(order.side, price, oppPrice))
      return 'post_only_would_cross';
    const lock = this.reservation(order.book, order.side, 'limit', price, change.quantity - order.filled)!;
    if (lock > order.locked + lockAccount(order).available())
      return order.side === 'buy' ? 'insufficient_balance' : 'insufficient_position';
    return undefined;
  }

  private relock(order: PaperOrder, lock: bigint): void {
    const account = lockAccount(order);
    if (lock > order.locked) account.lock(lock - order.locked);
    else account.unlock(order.locked - lock);
    order.locked = lock;
  }

  // ---- matching -------------------------------------------------------------------------------

  private opposite(book: Book, side: Side): Opposite | undefined {
    const price = oppositePrice(book, side);
    if (price === undefined) return undefined;
    if (!book.hasQuote) return { price, left: undefined, displayed: positive(book.lastSize) };
    return side === 'buy'
      ? { price, left: book.askLeft, displayed: book.askSize }
      : { price, left: book.bidLeft, displayed: book.bidSize };
  }

  /** Fills `order` as taker against what the opposite side shows now, if it is marketable. */
  private take(order: PaperOrder): void {
    const book = order.book;
    // The price alone first: most limit orders are not marketable, and this allocates nothing.
    const oppPrice = oppositePrice(book, order.side);
    if (oppPrice === undefined) return;
    if (order.type === 'limit' && !marketable(order.side, order.price!, oppPrice)) return;
    const opp = this.opposite(book, order.side)!;
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
    if (book.marketBuys.size > 0) this.takeRemainders(book.marketBuys);
    if (book.marketSells.size > 0) this.takeRemainders(book.marketSells);
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

  private takeRemainders(queue: OrderQueue<PaperOrder>): void {
    let o = queue.head;
    while (o !== undefined) {
      const next = o.next;
      this.take(o);
      // Still open means the displayed size is used up, so later remainders get nothing either.
      if (o.isOpen) break;
      queue.remove(o);
      o = next;
    }
  }

  /**
   * Fills resting limits of `side` that the market at `ref` has moved through, best first, at their
   * own prices, from `left` size; returns the size left. Does O(1) work when the best is not crossed.
   * Each order visited either ends (filled, or cancelled for want of cash) and leaves the book, or
   * uses up the size, so a level is always emptied before the next one is reached.
   */
  private sweep(book: Book, side: Side, ref: number, left: number): number {
    const levels = side === 'buy' ? book.buys : book.sells;
    const lot = book.inst.qtyIncrement;
    for (;;) {
      const level = levels.best();
      if (level === undefined || left < lot || !this.crossed(side, level.price, ref)) return left;
      let o = level.head;
      while (o !== undefined) {
        if (left < lot) return left;
        const next = o.next;
        const q = Math.min(o.quantity - o.filled, lotFloor(left, lot));
        left -= this.execute(o, level.price, q, 'maker');
        if (!o.isOpen) levels.remove(o);
        o = next;
      }
    }
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
    const book = order.book;
    const rate = liquidity === 'maker' ? book.makerRate : book.takerRate;
    // The notional of the whole quantity is computed once: what a buy must afford, and the fill's.
    let value = notional(book, price, qty);
    let q = qty;
    if (
      order.side === 'buy' &&
      withFee(value, rate, 'half_even') > order.locked + book.quoteAccount.available()
    ) {
      q = this.affordable(order, price, qty, rate);
      value = notional(book, price, q);
    }
    if (q > 0) this.applyFill(order, price, q, value, rate, liquidity);
    if (q < qty && order.isOpen) {
      // Not removed from the book here: the sweeps remove what ended as they go.
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
  private affordable(order: PaperOrder, price: number, qty: number, rate: bigint): number {
    const book = order.book;
    const budget = order.locked + book.quoteAccount.available();
    const lot = book.inst.qtyIncrement;
    const perLot = notional(book, price, lot) * (RATE_ONE_BIG + rate);
    let lots = budget <= 0n ? 0n : (budget * RATE_ONE_BIG) / perLot;
    const maxLots = BigInt(Math.floor(qty / lot));
    if (lots > maxLots) lots = maxLots;
    let q = Number(lots) * lot;
    // Fee rounding can push the estimate a unit over; step down until it fits.
    while (q > 0 && costOf(book, price, q, rate, 'half_even') > budget) q -= lot;
    return q;
  }

  /** Fills `q` of `order` at `price`; `value` is their notional (notional(book, price, q)). */
  private applyFill(
    order: PaperOrder,
    price: number,
    q: number,
    value: bigint,
    rate: bigint,
    liquidity: Liquidity,
  ): void {
    const book = order.book;
    const inst = book.inst;
    // Invariant messages are built only on failure: these run on every fill.
    if (!(q > 0 && q <= order.quantity - order.filled))
      throw new InvariantError(`fill ${q} exceeds what is open on ${order.clientOrderId}`);
    // A zero rate (equities, rebate-free makers) gives the one 0n: no bigint kept per fill.
    const fee = feeOf(value, rate, 'half_even');
    if (order.side === 'buy') {
      const cost = value + fee;
      const fromLock = minBig(cost, order.locked);
      order.locked -= fromLock;
      book.quoteAccount.debit(cost, fromLock);
      book.baseAccount.credit(qtyMoney(book, q));
      if (book.quoteAccount.available() < 0n) throw new InvariantError(`buy fill overdraws ${inst.quote}`);
    } else {
      const units = qtyMoney(book, q);
      const fromLock = minBig(units, order.locked);
      order.locked -= fromLock;
      book.baseAccount.debit(units, fromLock);
      book.quoteAccount.credit(value - fee);
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

  /** Puts `order` at the back of its queue: its price level, or the market remainders. */
  private rest(order: PaperOrder): void {
    const book = order.book;
    if (order.type === 'market') (order.side === 'buy' ? book.marketBuys : book.marketSells).push(order);
    else (order.side === 'buy' ? book.buys : book.sells).add(order, order.price!);
  }

  private removeFromBook(order: PaperOrder): void {
    const queue = order.queue;
    if (queue === undefined) return;
    if (order.type === 'market') queue.remove(order);
    else (order.side === 'buy' ? order.book.buys : order.book.sells).remove(order);
  }

  private cancelOrder(order: PaperOrder, reason: PaperCancelReason): void {
    this.removeFromBook(order);
    this.finish(order);
    this.emit({ kind: 'cancelled', clientOrderId: order.clientOrderId, reason, ts: this.nowMs });
  }

  /** Ends an order: it leaves the open set and its remaining lock is released. */
  private finish(order: PaperOrder): void {
    if (!order.isOpen) throw new InvariantError(`order ${order.clientOrderId} ended twice`);
    order.isOpen = false;
    this.ids.set(order.clientOrderId, 'ended');
    const { openPrev, openNext } = order;
    if (openPrev === undefined) this.firstOpen = openNext;
    else openPrev.openNext = openNext;
    if (openNext === undefined) this.lastOpen = openPrev;
    else openNext.openPrev = openPrev;
    order.openPrev = undefined;
    order.openNext = undefined;
    lockAccount(order).unlock(order.locked);
    order.locked = 0n;
  }

  private reject(clientOrderId: string, code: PaperRejectCode, reason: string): void {
    this.emit({ kind: 'rejected', clientOrderId, code, reason, ts: this.nowMs });
  }

  private emit(report: VenueReport): void {
    this.reports = appended(this.reports, report);
  }

  private addInstrument(inst: Instrument): void {
    assert(inst.venue === this.venue, () => `instrument ${inst.key} is not on venue ${this.venue}`);
    assert(!this.books.has(inst.key), () => `instrument ${inst.key} listed twice`);
    assert(
      inst.priceScale + inst.qtyScale <= MONEY_SCALE,
      () => `instrument ${inst.key}: price and quantity scales exceed the money scale`,
    );
    const notionalUnit = pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
    const baseAccount = this.ledger.open(inst.base);
    const quoteAccount = this.ledger.open(inst.quote);
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
      epochMs: undefined,
      baseAccount,
      quoteAccount,
      notionalUnit,
      qtyUnit: pow10(MONEY_SCALE - inst.qtyScale),
      makerRate: BigInt(inst.feeMaker),
      takerRate: BigInt(inst.feeTaker),
      lockRate: BigInt(Math.max(inst.feeMaker, inst.feeTaker)),
      lockPerPQ: lockPerPQ(notionalUnit, BigInt(Math.max(inst.feeMaker, inst.feeTaker))),
      buys: new PriceLevels('highest'),
      sells: new PriceLevels('lowest'),
      marketBuys: new OrderQueue(),
      marketSells: new OrderQueue(),
    });
  }
}

function levelsOf(levels: PriceLevels<PaperOrder>): [number, string[]][] {
  const out: [number, string[]][] = [];
  for (const level of levels.levelList()) out.push([level.price, idsOf(level)]);
  return out;
}

function idsOf(queue: OrderQueue<PaperOrder>): string[] {
  const out: string[] = [];
  for (let o = queue.head; o !== undefined; o = o.next) out.push(o.clientOrderId);
  return out;
}

function pick<T, K extends keyof T>(v: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = v[k];
  return out;
}

function readCommand(r: SnapshotReader, v: unknown, path: string): Command {
  const c = r.object(v, path);
  const kind = r.oneOf(c.kind, `${path}.kind`, ['submit', 'cancel', 'modify'] as const);
  if (kind === 'submit') return { kind, req: r.request(c.req, `${path}.req`) };
  const clientOrderId = r.string(c.clientOrderId, `${path}.clientOrderId`);
  if (kind === 'cancel') return { kind, clientOrderId };
  const ch = r.object(c.change, `${path}.change`);
  return {
    kind,
    clientOrderId,
    change: {
      quantity: r.int(ch.quantity, `${path}.change.quantity`),
      price: r.optInt(ch.price, `${path}.change.price`),
    },
  };
}

function checkTimestamp(ts: TimestampMs): void {
  // Not assert(): its message would be built on every command and market update.
  if (!Number.isSafeInteger(ts)) throw new InvariantError(`timestamp must be an integer: ${ts}`);
}

/** Why a cancel or modify found no open order, from the id's entry in `ids`. */
function missing(entry: 'ended' | 'refused' | undefined): PaperCommandRejectReason {
  return entry === 'ended' ? 'order_closed' : 'unknown_order';
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

/**
 * The price a taker on `side` would hit now: the ask for a buy, the bid for a sell (undefined when
 * that side is empty), or before any quote the last trade (undefined before any trade).
 */
function oppositePrice(book: Book, side: Side): number | undefined {
  if (!book.hasQuote) return book.last;
  if (side === 'buy') return book.ask > 0 && book.askSize > 0 ? book.ask : undefined;
  return book.bid > 0 && book.bidSize > 0 ? book.bid : undefined;
}

/** The size left at oppositePrice (undefined = unlimited, before any quote). */
function oppositeLeft(book: Book, side: Side): number | undefined {
  if (!book.hasQuote) return undefined;
  return side === 'buy' ? book.askLeft : book.bidLeft;
}

/** A new order at `price` would take liquidity from the opposite side at `opposite`. */
function marketable(side: Side, price: number, opposite: number): boolean {
  return side === 'buy' ? price >= opposite : price <= opposite;
}

function lockCurrency(order: PaperOrder): string {
  return order.side === 'buy' ? order.book.inst.quote : order.book.inst.base;
}

function lockAccount(order: PaperOrder): LedgerAccount {
  return order.side === 'buy' ? order.book.quoteAccount : order.book.baseAccount;
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

// The money helpers below compute what notionalOf (model/instrument.ts) and pow10 would, with the
// book's scale factors precomputed and invariant messages built only on failure (these run several
// times per order and fill).

/** Notional of `qty` at `price` in money units: notionalOf with the same checks. */
function notional(book: Book, price: number, qty: number): bigint {
  if (!Number.isSafeInteger(price)) throw new InvariantError(`not a safe integer: ${price}`);
  if (!Number.isSafeInteger(qty)) throw new InvariantError(`not a safe integer: ${qty}`);
  return bigProduct(price, qty) * book.notionalUnit;
}

function qtyMoney(book: Book, qty: number): bigint {
  return BigInt(qty) * book.qtyUnit;
}

/**
 * The lock an order's own terms fix (shorting aside): a sell locks its quantity of the base asset,
 * a limit buy its cost at its price. `reservation` takes it, and a resting order's `locked`
 * recomputes it instead of keeping it.
 */
function priceLock(book: Book, side: Side, price: number | undefined, qty: number): bigint {
  return side === 'sell' ? qtyMoney(book, qty) : limitBuyLock(book, price!, qty);
}

/**
 * The lock of a limit buy: costOf at the lock rate, rounded up. When a notional unit is a whole
 * multiple of RATE_ONE money units (price and quantity scales summing to at most 10), the fee
 * divides exactly and the lock is price × quantity × lockPerPQ: one bigint product instead of
 * costOf's several, on every limit buy.
 */
function limitBuyLock(book: Book, price: number, qty: number): bigint {
  const perPQ = book.lockPerPQ;
  if (perPQ !== undefined && Number.isSafeInteger(price) && Number.isSafeInteger(qty))
    return bigProduct(price, qty) * perPQ;
  return costOf(book, price, qty, book.lockRate, 'ceil');
}

/** notionalUnit × (RATE_ONE + rate) / RATE_ONE, when exact. */
function lockPerPQ(notionalUnit: bigint, rate: bigint): bigint | undefined {
  if (notionalUnit % RATE_ONE_BIG !== 0n) return undefined;
  return (notionalUnit / RATE_ONE_BIG) * (RATE_ONE_BIG + rate);
}

function costOf(book: Book, price: number, qty: number, rate: bigint, mode: 'ceil' | 'half_even'): bigint {
  return withFee(notional(book, price, qty), rate, mode);
}

/** A notional plus its fee at `rate`, rounded by `mode`; at a zero rate, the notional itself. */
function withFee(value: bigint, rate: bigint, mode: 'ceil' | 'half_even'): bigint {
  // Adding a zero fee would make a new bigint on every market buy's affordability check.
  return rate === 0n ? value : value + feeOf(value, rate, mode);
}

/** The fee on a notional at `rate`, rounded by `mode`; a zero rate gives the one 0n (no new bigint). */
function feeOf(value: bigint, rate: bigint, mode: 'ceil' | 'half_even'): bigint {
  return rate === 0n ? 0n : divRound(value * rate, RATE_ONE_BIG, mode);
}
