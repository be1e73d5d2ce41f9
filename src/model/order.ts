// Orders: the types a trader can ask for, and the engine's mutable record of one order. The
// record is only changed by the engine's event application (engine/apply.ts), so replaying the
// journal rebuilds it exactly.

import { bigProduct } from '../core/decimal.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import { timeHigh, timeLow, timeOf } from '../core/split-time.ts';
import type { Instrument } from './instrument.ts';
import type { Side } from './market.ts';
import { ORDER_STATUSES, type OrderStatus, STATUS_CODE } from './status.ts';

export type { Side } from './market.ts';

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCES = ['gtc', 'ioc', 'fok', 'day', 'gtd'] as const;
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/** Where an order lives: at the venue as the venue's own order type, or held by Ordo's emulator. */
export type Route = 'native' | 'emulated';

/** Which price a trailing stop follows: last trade, the quote side it would hit, or the mid. */
export type TrailingBasis = 'last' | 'quote' | 'mid';

export type TrailingOffsetKind = 'price' | 'percent' | 'bps' | 'ticks';

export interface TrailingParams {
  readonly offsetKind: TrailingOffsetKind;
  /** Absolute offsets (price, ticks) in price units; relative ones (percent, bps) in RATE units. */
  readonly offset: number;
  /** Inactive until the market first reaches this price (sell: at or above, buy: at or below). */
  readonly activationPrice: number | undefined;
  /** When set, the trigger releases a limit order this far beyond the stop price. */
  readonly limitOffset: number | undefined;
}

export type LegRole =
  | 'single'
  | 'entry'
  | 'take_profit'
  | 'stop_loss'
  | 'oco_leg'
  | 'oto_parent'
  | 'oto_child'
  | 'scale_leg';

export type Liquidity = 'maker' | 'taker';

/** The immutable facts of an order at creation; also the payload of the `order_created` event. */
export interface OrderInit {
  readonly id: OrderId;
  readonly instrument: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly expireAtMs: TimestampMs | undefined;
  readonly quantity: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly trailing: TrailingParams | undefined;
  /** The price stream a stop or trailing stop watches. */
  readonly triggerBasis: TrailingBasis;
  readonly route: Route;
  readonly role: LegRole;
  readonly listId: ListId | undefined;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
  readonly tag: string | undefined;
}

export enum ArmKind {
  None = 0,
  /** A stop or stop-limit waiting for its trigger price. */
  Stop = 1,
  /** A trailing stop waiting for its activation price. */
  TrailActivation = 2,
  /** A trailing stop following the market. */
  Trailing = 3,
  /** A trailing stop waiting for the first price on its stream. */
  TrailFirstPrice = 4,
  /** A trailing stop whose start the engine is about to apply (`trailing_started`). */
  TrailStarting = 5,
}

// Small fields are packed into one integer (`bits`) and rarely set ones live in a side object
// allocated on first use (`x`), so a resting order costs about 150 bytes instead of 300: a
// million resting emulated orders must fit comfortably (see bench/memory-bench.ts). The public
// property names stay the same; the accessors below encode and decode.
const SIDES: readonly Side[] = ['buy', 'sell'];
const ROUTES: readonly Route[] = ['native', 'emulated'];
const ROLES: readonly LegRole[] = [
  'single',
  'entry',
  'take_profit',
  'stop_loss',
  'oco_leg',
  'oto_parent',
  'oto_child',
  'scale_leg',
];
const BASES: readonly TrailingBasis[] = ['last', 'quote', 'mid'];
const STATUSES: readonly OrderStatus[] = ORDER_STATUSES;

/**
 * A value's code in a packed field: its position in `list` (0 when absent, as an unknown value
 * has always been packed). The lists are a handful of interned strings, so a scan is cheaper than
 * hashing the value for a Map lookup, and a plain loop is inlined where indexOf is a call.
 */
function codeOf<T>(list: readonly T[], value: T): number {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return i;
  return 0;
}

// Bit layout of Order.bits (23 bits, always a small integer).
const SIDE_SHIFT = 0; // 1 bit
const TYPE_SHIFT = 1; // 3 bits
const ROUTE_SHIFT = 4; // 1 bit
const ROLE_SHIFT = 5; // 3 bits
const TIF_SHIFT = 8; // 3 bits
const BASIS_SHIFT = 11; // 2 bits
const REDUCE_BIT = 1 << 13;
const POST_BIT = 1 << 14;
const STATUS_SHIFT = 15; // 4 bits
const ARM_SHIFT = 19; // 3 bits
const OWN_CLIENT_ID_BIT = 1 << 22;
/** `fillPrice` before any fill, and once fills came at different prices (prices are > 0). */
const NO_FILL = 0;
const MIXED = -1;

/** sum + price × qty, exactly: a number while the result is a safe integer, a bigint past it. */
function exactSum(sum: number | bigint, price: number, qty: number): number | bigint {
  if (typeof sum === 'number') {
    // A product or sum of safe integers that is itself a safe integer is computed exactly.
    const next = sum + price * qty;
    if (Number.isSafeInteger(next)) return next;
  }
  return BigInt(sum) + bigProduct(price, qty);
}

const field = (bits: number, shift: number, width: number): number => (bits >>> shift) & ((1 << width) - 1);

/** Fields most resting orders never set. */
class OrderExtra {
  listId: ListId | undefined = undefined;
  tag: string | undefined = undefined;
  expireAtMs: TimestampMs | undefined = undefined;
  triggeredAt: number | undefined = undefined;
  revision = 0;
  cancelAsks = 0;
  lastCancelAskMs = 0;
  /** The quantity of Ordo's last resize ask (see resizeRefused); undefined after a caller's modify. */
  resizeAsked: number | undefined = undefined;
  resizeRefused: number | undefined = undefined;
  /**
   * Σ price × quantity over fills in price units × quantity units, once fills came at more than
   * one price: a number while that sum is a safe integer, a bigint past it.
   */
  filledPQ: number | bigint = 0;
  fees = 0n;
  /** updatedMs split as createdMs is (core/split-time.ts); undefined until the order is updated. */
  updatedHi: number | undefined = undefined;
  updatedLo = 0;
}

export class Order {
  readonly id: OrderId;
  readonly instrument: Instrument;
  quantity: number;
  filled = 0;
  price: number | undefined;
  triggerPrice: number | undefined;
  trailing: TrailingParams | undefined;
  /** createdMs, split (core/split-time.ts): a time in a field of its own is a box per order. */
  private readonly createdHi: number;
  private readonly createdLo: number;
  // Emulator bookkeeping (engine/emulator.ts): the key the order is armed at and the trailing
  // group it belongs to. Index entries that disagree with these are stale.
  armKey = 0;
  trailGroup: unknown = undefined;
  /** Set by the venue's acceptance: every order sent to a venue gets one, so it is no extra. */
  venueOrderId: string | undefined = undefined;
  /**
   * The price of every fill so far while they all came at one price (most orders fill once, or
   * at their limit), so `filledPQ` is that price × filled and needs no field of its own; MIXED
   * once fills came at two prices, and their sum is then kept in the extra fields.
   */
  private fillPrice = NO_FILL;
  private bits: number;
  private x: OrderExtra | undefined = undefined;

  constructor(init: OrderInit, instrument: Instrument, ts: TimestampMs) {
    this.id = init.id;
    this.instrument = instrument;
    this.quantity = init.quantity;
    this.price = init.price;
    this.triggerPrice = init.triggerPrice;
    this.trailing = init.trailing;
    const hi = timeHigh(ts);
    this.createdHi = hi;
    this.createdLo = timeLow(ts, hi);
    this.bits =
      (codeOf(SIDES, init.side) << SIDE_SHIFT) |
      (codeOf(ORDER_TYPES, init.type) << TYPE_SHIFT) |
      (codeOf(ROUTES, init.route) << ROUTE_SHIFT) |
      (codeOf(ROLES, init.role) << ROLE_SHIFT) |
      (codeOf(TIME_IN_FORCES, init.tif) << TIF_SHIFT) |
      (codeOf(BASES, init.triggerBasis) << BASIS_SHIFT) |
      (init.reduceOnly ? REDUCE_BIT : 0) |
      (init.postOnly ? POST_BIT : 0);
    if (init.listId !== undefined) this.extra().listId = init.listId;
    if (init.tag !== undefined) this.extra().tag = init.tag;
    if (init.expireAtMs !== undefined) this.extra().expireAtMs = init.expireAtMs;
  }

  get open(): number {
    return this.quantity - this.filled;
  }

  get side(): Side {
    return SIDES[field(this.bits, SIDE_SHIFT, 1)]!;
  }
  get type(): OrderType {
    return ORDER_TYPES[field(this.bits, TYPE_SHIFT, 3)]!;
  }
  get route(): Route {
    return ROUTES[field(this.bits, ROUTE_SHIFT, 1)]!;
  }
  get role(): LegRole {
    return ROLES[field(this.bits, ROLE_SHIFT, 3)]!;
  }
  get tif(): TimeInForce {
    return TIME_IN_FORCES[field(this.bits, TIF_SHIFT, 3)]!;
  }
  get triggerBasis(): TrailingBasis {
    return BASES[field(this.bits, BASIS_SHIFT, 2)]!;
  }
  get reduceOnly(): boolean {
    return (this.bits & REDUCE_BIT) !== 0;
  }
  get postOnly(): boolean {
    return (this.bits & POST_BIT) !== 0;
  }
  get status(): OrderStatus {
    return STATUSES[field(this.bits, STATUS_SHIFT, 4)]!;
  }
  set status(s: OrderStatus) {
    this.statusCode = STATUS_CODE[s];
  }
  /** The status as its code (see STATUS_CODE), for the engine's hot paths. */
  get statusCode(): number {
    return field(this.bits, STATUS_SHIFT, 4);
  }
  set statusCode(code: number) {
    this.bits = (this.bits & ~(15 << STATUS_SHIFT)) | (code << STATUS_SHIFT);
  }
  /** Submitted under the engine's own client order id for it (see ClientIdIndex). */
  get hasOwnClientId(): boolean {
    return (this.bits & OWN_CLIENT_ID_BIT) !== 0;
  }
  set hasOwnClientId(v: boolean) {
    this.bits = v ? this.bits | OWN_CLIENT_ID_BIT : this.bits & ~OWN_CLIENT_ID_BIT;
  }
  get armKind(): ArmKind {
    return field(this.bits, ARM_SHIFT, 3);
  }
  set armKind(k: ArmKind) {
    this.bits = (this.bits & ~(7 << ARM_SHIFT)) | (k << ARM_SHIFT);
  }

  get listId(): ListId | undefined {
    return this.x?.listId;
  }
  get tag(): string | undefined {
    return this.x?.tag;
  }
  get expireAtMs(): TimestampMs | undefined {
    return this.x?.expireAtMs;
  }
  /** For a released emulated order: the price at which its trigger fired. */
  get triggeredAt(): number | undefined {
    return this.x?.triggeredAt;
  }
  set triggeredAt(v: number | undefined) {
    if (v !== undefined || this.x !== undefined) this.extra().triggeredAt = v;
  }
  /** Bumped on every venue-side replace, so each revision has its own client order id. */
  get revision(): number {
    return this.x?.revision ?? 0;
  }
  set revision(v: number) {
    if (v !== 0 || this.x !== undefined) this.extra().revision = v;
  }
  /**
   * Cancels asked of the venue for this order (order_cancel_requested events), so rebuilt by a
   * replay like the rest of the order.
   */
  get cancelAsks(): number {
    return this.x?.cancelAsks ?? 0;
  }
  /** When the last of those cancels was asked (engine time); 0 before the first. */
  get lastCancelAskMs(): TimestampMs {
    return this.x?.lastCancelAskMs ?? 0;
  }
  /**
   * The quantity of a resize by Ordo that the venue refused: Ordo does not ask it again (it would
   * be refused again, forever). Kept from the journaled events, so a restart knows it too.
   */
  get resizeRefused(): number | undefined {
    return this.x?.resizeRefused;
  }
  /** A modify asked of the venue (order_modify_requested): by Ordo resizing a list leg, or not. */
  modifyAsked(quantity: number, resize: boolean): void {
    if (resize) this.extra().resizeAsked = quantity;
    else if (this.x !== undefined) this.x.resizeAsked = undefined;
  }
  /** The venue refused the modify asked last (order_modify_rejected). */
  modifyRefused(): void {
    const x = this.x;
    if (x?.resizeAsked !== undefined) x.resizeRefused = x.resizeAsked;
  }
  /** Counts a cancel asked of the venue at `ts` (an order_cancel_requested event). */
  cancelAsked(ts: TimestampMs): void {
    const x = this.extra();
    x.cancelAsks++;
    x.lastCancelAskMs = ts;
  }
  /** Σ price × quantity over fills, in price units × quantity units; average price = it / filled. */
  get filledPQ(): bigint {
    const p = this.fillPrice;
    if (p === NO_FILL) return 0n;
    if (p !== MIXED) return bigProduct(p, this.filled);
    const pq = this.x!.filledPQ;
    return typeof pq === 'bigint' ? pq : BigInt(pq);
  }

  /**
   * Counts a fill of `qty` at `price` (both in units, price > 0) into `filled` and `filledPQ`.
   * Fills at the price of the ones before change no field but `filled`.
   */
  addFill(price: number, qty: number): void {
    const p = this.fillPrice;
    if (p === price || p === NO_FILL) {
      this.fillPrice = price;
      this.filled += qty;
      return;
    }
    const x = this.extra();
    if (p !== MIXED) {
      x.filledPQ = exactSum(0, p, this.filled);
      this.fillPrice = MIXED;
    }
    x.filledPQ = exactSum(x.filledPQ, price, qty);
    this.filled += qty;
  }
  get fees(): bigint {
    return this.x?.fees ?? 0n;
  }
  set fees(v: bigint) {
    this.extra().fees = v;
  }
  get createdMs(): TimestampMs {
    return timeOf(this.createdHi, this.createdLo);
  }
  get updatedMs(): TimestampMs {
    const x = this.x;
    return x === undefined || x.updatedHi === undefined ? this.createdMs : timeOf(x.updatedHi, x.updatedLo);
  }
  set updatedMs(v: TimestampMs) {
    const hi = timeHigh(v);
    const lo = timeLow(v, hi);
    let x = this.x;
    if (x === undefined) {
      if (hi === this.createdHi && lo === this.createdLo) return;
      x = this.extra();
    }
    x.updatedHi = hi;
    x.updatedLo = lo;
  }

  private extra(): OrderExtra {
    let x = this.x;
    if (x === undefined) x = this.x = new OrderExtra();
    return x;
  }
}

export function isTriggerType(t: OrderType): boolean {
  return t === 'stop' || t === 'stop_limit' || t === 'trailing_stop';
}
