// The engine's state and the one function that changes it. Every event goes through `apply`, live
// or replayed from the journal, so the rebuilt state equals the live state by construction. Each
// status change passes the status table; an event that breaks it is a bug and stops the engine.

import { assert, assertNever, InvariantError } from '../core/assert.ts';
import { VenueIdSet } from '../core/id-table.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Fill } from '../model/fill.ts';
import type { Instrument } from '../model/instrument.ts';
import { ArmKind, Order } from '../model/order.ts';
import {
  canTransitionCode,
  isTerminal,
  isTerminalCode,
  ORDER_STATUSES,
  STATUS_CODE,
} from '../model/status.ts';
import { Emulator } from './emulator.ts';
import type { ListInit, OrdoEvent } from './events.ts';

/** Status codes, as the engine's state stores and compares them (S.accepted, …). */
const S = STATUS_CODE;

/** What the state tells the portfolio: one fill at a time, in order. */
export interface FillSink {
  applyFill(fill: Fill, instrument: Instrument): void;
}

export class OrderList {
  readonly id: ListId;
  readonly kind: ListInit['kind'];
  readonly parentId: OrderId | undefined;
  readonly legIds: OrderId[];
  readonly oco: boolean;
  readonly trigger: 'partial' | 'full';
  readonly quantity: number;
  readonly native: boolean;
  /** The venue holds the take-profit and stop-loss as one native order (ListInit.exitPair). */
  readonly exitPair: boolean;
  /** Planned quantity of each leg at creation (OTO children scale by the parent's fill ratio). */
  readonly planned: Map<OrderId, number> = new Map();
  constructor(init: ListInit) {
    this.id = init.id;
    this.kind = init.kind;
    this.parentId = init.parentId;
    this.legIds = [...init.legIds];
    this.oco = init.oco;
    this.trigger = init.trigger;
    this.quantity = init.quantity;
    this.native = init.native;
    this.exitPair = init.exitPair === true;
  }
}

/**
 * Orders by id. Ids are allocated in sequence from 1, so an array indexed by id is the table:
 * 8 bytes an order instead of a hash map entry.
 */
export class OrderTable {
  private readonly slots: (Order | undefined)[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): Order | undefined {
    // Ids come from callers too: 'valueOf' or 1.5 must not reach into the array's properties.
    return Number.isSafeInteger(id) ? this.slots[id] : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, order: Order): void {
    if (!(Number.isSafeInteger(id) && id > 0))
      throw new InvariantError(`order id ${id} is not a positive integer`);
    if (this.slots[id] === undefined) this.count++;
    this.slots[id] = order;
  }

  *values(): IterableIterator<Order> {
    for (const o of this.slots) if (o !== undefined) yield o;
  }

  *keys(): IterableIterator<number> {
    for (const o of this.slots) if (o !== undefined) yield o.id;
  }
}

/**
 * Client order id → order id, for reading venue reports. The engine names an order's first
 * submission `${prefix}${orderId}`: such ids are not stored but parsed back, and the order keeps a
 * flag saying it was submitted under that id. This spares a string-keyed Map entry per order, the
 * costliest table of the placement path. Ids of any other form (a later revision's, or ids from a
 * journal written with another prefix) go to a Map, which is read first and from which an own id
 * is deleted when it is set: every lookup gives the latest submission's order, as one Map of every
 * id would.
 */
export class ClientIdIndex {
  private readonly others = new Map<string, OrderId>();

  constructor(
    private readonly prefix: string,
    private readonly orders: OrderTable,
  ) {}

  get(clientOrderId: string): OrderId | undefined {
    if (this.others.size > 0) {
      const other = this.others.get(clientOrderId);
      if (other !== undefined) return other;
    }
    const id = this.ownId(clientOrderId);
    return id !== undefined && this.orders.get(id)?.hasOwnClientId === true ? (id as OrderId) : undefined;
  }

  /** Records that order `id` (which exists) was submitted under `clientOrderId`. */
  set(clientOrderId: string, id: OrderId): void {
    const order = this.orders.get(id);
    if (order !== undefined && this.ownId(clientOrderId) === id) {
      order.hasOwnClientId = true;
      if (this.others.size > 0) this.others.delete(clientOrderId);
    } else this.others.set(clientOrderId, id);
  }

  // The last text parsed: an order's id is set when it is submitted, and the venue's answer
  // comes back with the very same string, found here without parsing it again.
  private parsedText: string | undefined = undefined;
  private parsedId: number | undefined = undefined;

  /**
   * `${prefix}${id}`: the client order id of an order's first submission. It is remembered as
   * parsed, so recording the submission and reading the venue's answer (which carries the very
   * same string) scan none of it.
   */
  ownText(id: OrderId): string {
    const text = `${this.prefix}${id}`;
    // parseOwnId reads at most 15 digits: a longer id is left to it (and to the Map).
    if (id < 1e15) {
      this.parsedText = text;
      this.parsedId = id;
    }
    return text;
  }

  /** The order id in `${prefix}${id}`, when the text is exactly that (as a number prints). */
  private ownId(text: string): number | undefined {
    if (text === this.parsedText) return this.parsedId;
    const id = this.parseOwnId(text);
    this.parsedText = text;
    this.parsedId = id;
    return id;
  }

  private parseOwnId(text: string): number | undefined {
    const start = this.prefix.length;
    const n = text.length - start;
    if (n < 1 || n > 15 || !text.startsWith(this.prefix)) return undefined;
    let id = 0;
    for (let i = start; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      // Digits only, and no leading zero: `${prefix}${id}` never has one.
      if (d < 0 || d > 9 || (d === 0 && i === start)) return undefined;
      id = id * 10 + d;
    }
    return id;
  }
}

interface SideTotals {
  buy: number;
  sell: number;
}

export class EngineState {
  readonly orders = new OrderTable();
  readonly lists = new Map<number, OrderList>();
  readonly byClientId: ClientIdIndex;
  /** The trade id of every fill applied, by venue (trade ids count up, so an id table is cheap). */
  readonly tradeIds = new VenueIdSet();

  readonly emulator: Emulator;
  nowMs: TimestampMs = 0;
  nextOrderId = 1;
  nextListId = 1;
  liveOrders = 0;
  private readonly openTotals = new Map<string, SideTotals>();

  /** `clientIdPrefix` is the engine's (see ClientIdIndex): it only makes lookups cheaper. */
  constructor(
    readonly instruments: ReadonlyMap<string, Instrument>,
    private readonly fills: FillSink,
    clientIdPrefix = 'ordo-',
  ) {
    this.emulator = new Emulator((id) => this.orders.get(id));
    this.byClientId = new ClientIdIndex(clientIdPrefix, this.orders);
  }

  order(id: number): Order {
    const o = this.orders.get(id);
    // Not assert(): its message closure would be allocated on every call of this hot lookup.
    if (o === undefined) throw new InvariantError(`unknown order ${id}`);
    return o;
  }

  openQty(instrument: string, side: 'buy' | 'sell'): number {
    const t = instrument === this.lastTotalsKey ? this.lastTotals : this.openTotals.get(instrument);
    return t === undefined ? 0 : side === 'buy' ? t.buy : t.sell;
  }

  apply(e: OrdoEvent): void {
    if (e.ts > this.nowMs) this.nowMs = e.ts;
    // The open-quantity totals follow every change of an order: its old contribution is taken
    // out before the event and its new one put in after, whatever the event did.
    const id = eventOrderId(e);
    if (id === undefined) {
      this.applyEvent(e, undefined);
      return;
    }
    const o = this.order(id);
    const openBefore = isLive(o) ? o.quantity - o.filled : -1;
    this.applyEvent(e, o);
    const openAfter = isLive(o) ? o.quantity - o.filled : -1;
    // Most events (submitted, accepted, a cancel asked) change neither: the totals are not touched.
    if (openAfter !== openBefore) this.retrack(o, openBefore, openAfter);
  }

  /** Applies one event; `o` is the order it is about (looked up once, by `apply`). */
  private applyEvent(e: OrdoEvent, o: Order | undefined): void {
    switch (e.type) {
      case 'order_created': {
        const inst = this.instrumentOf(e.order.instrument);
        // Checked without assert(): its message closures would be allocated for every order.
        if (inst === undefined) throw new InvariantError(`unknown instrument ${e.order.instrument}`);
        if (this.orders.has(e.order.id)) throw new InvariantError(`duplicate order id ${e.order.id}`);
        this.orders.set(e.order.id, new Order(e.order, inst, e.ts));
        if (e.order.id >= this.nextOrderId) this.nextOrderId = e.order.id + 1;
        return;
      }
      case 'list_created': {
        const list = new OrderList(e.list);
        for (const id of e.list.legIds) list.planned.set(id, this.order(id).quantity);
        this.lists.set(e.list.id, list);
        if (e.list.id >= this.nextListId) this.nextListId = e.list.id + 1;
        return;
      }
      case 'watermark_moved': {
        // Live, the emulator moved the watermark itself; a replay moves it here.
        const inst = this.instruments.get(e.instrument);
        if (this.emulator.replaying && inst !== undefined) this.emulator.onPrice(inst, e.stream, e.price);
        return;
      }
    }
    // Every other event is about an order, which `apply` has found (or it has thrown).
    const order = o ?? this.order(e.id);
    switch (e.type) {
      case 'order_denied':
        return this.setStatus(order, S.denied, e.ts);
      case 'order_held': {
        this.setStatus(order, S.held, e.ts);
        if (e.armed) this.emulator.arm(order, e.price);
        return;
      }
      case 'order_armed':
        return this.emulator.arm(touch(order, e.ts), e.price);
      case 'trailing_started':
        return this.emulator.startTrailingAt(order, e.price);
      case 'order_disarmed':
        return this.emulator.disarm(touch(order, e.ts));
      case 'order_triggered': {
        this.emulator.disarm(order);
        order.triggeredAt = e.stopPrice;
        return this.setStatus(order, S.triggered, e.ts);
      }
      case 'order_submitted': {
        this.emulator.disarm(order);
        this.byClientId.set(e.clientOrderId, e.id);
        return this.setStatus(order, S.submitted, e.ts);
      }
      case 'order_accepted': {
        order.venueOrderId = e.venueOrderId;
        if (order.statusCode === S.submitted) this.setStatus(order, S.accepted, e.ts);
        return;
      }
      case 'order_rejected':
        this.emulator.disarm(order);
        return this.setStatus(order, S.rejected, e.ts);
      case 'order_filled':
        return this.applyFill(e, order);
      case 'order_cancel_requested':
        order.cancelAsked(e.ts);
        return this.setStatus(order, S.pending_cancel, e.ts);
      case 'order_cancelled':
        this.emulator.disarm(order);
        return this.setStatus(order, S.cancelled, e.ts);
      case 'order_expired':
        this.emulator.disarm(order);
        return this.setStatus(order, S.expired, e.ts);
      case 'order_modify_requested':
        order.modifyAsked(e.quantity, e.resize === true);
        return this.setStatus(order, S.pending_modify, e.ts);
      case 'order_modified': {
        const o = touch(order, e.ts);
        // Only a moved trigger price re-arms; a quantity change leaves the index (and a trailing
        // stop's watermark) alone.
        const rearm = o.armKind !== ArmKind.None && e.triggerPrice !== o.triggerPrice;
        if (rearm) this.emulator.disarm(o);
        assert(e.quantity >= o.filled, () => `order ${o.id} modified below its filled quantity`);
        o.quantity = e.quantity;
        o.price = e.price;
        o.triggerPrice = e.triggerPrice;
        if (o.status === 'pending_modify')
          this.setStatus(o, o.filled > 0 ? S.partially_filled : S.accepted, e.ts);
        if (o.status === 'partially_filled' && o.filled === o.quantity) this.setStatus(o, S.filled, e.ts);
        if (rearm) this.emulator.arm(o, undefined);
        return;
      }
      case 'order_modify_rejected':
      case 'order_cancel_rejected': {
        if (e.type === 'order_modify_rejected') order.modifyRefused();
        if (order.status === 'pending_modify' || order.status === 'pending_cancel')
          this.setStatus(order, order.filled > 0 ? S.partially_filled : S.accepted, e.ts);
        return;
      }
      default:
        return assertNever(e, 'event');
    }
  }

  private applyFill(e: Extract<OrdoEvent, { type: 'order_filled' }>, o: Order): void {
    const venue = o.instrument.venue;
    // Checked without assert(): its message closures would be allocated for every fill.
    if (!(e.quantity > 0 && e.quantity <= o.open))
      throw new InvariantError(`fill of ${e.quantity} exceeds open ${o.open} of order ${o.id}`);
    // The duplicate check records the id too: a lookup before the add cost as much as the add.
    if (!this.tradeIds.addNew(venue, e.tradeId))
      throw new InvariantError(`duplicate trade ${venue}:${e.tradeId}`);
    o.addFill(e.price, e.quantity);
    // A zero fee (equities, rebate-free makers) leaves the sum as it is, without a new bigint.
    if (e.fee !== 0n && e.feeCurrency === o.instrument.quote) o.fees += e.fee;
    o.updatedMs = e.ts;
    // A fill after a cancel or expiry is a fact: it is applied, the terminal status stays.
    if (!isTerminal(o.status))
      this.setStatus(o, o.filled === o.quantity ? S.filled : S.partially_filled, e.ts);
    this.fills.applyFill(
      {
        orderId: o.id,
        instrument: o.instrument.key,
        side: o.side,
        price: e.price,
        quantity: e.quantity,
        fee: e.fee,
        feeCurrency: e.feeCurrency,
        liquidity: e.liquidity,
        tradeId: e.tradeId,
        ts: e.ts,
      },
      o.instrument,
    );
  }

  /** Moves `o` to status `to` (a code: S.accepted, …), through the status table. */
  private setStatus(o: Order, to: number, ts: TimestampMs): void {
    // Statuses are compared as codes: no status name is looked up or hashed.
    const from = o.statusCode;
    if (from === to && to === S.partially_filled) return;
    if (!canTransitionCode(from, to))
      throw new InvariantError(`illegal transition ${o.status} -> ${ORDER_STATUSES[to]} for order ${o.id}`);
    o.statusCode = to;
    o.updatedMs = ts;
  }

  /**
   * Live orders count toward the open-quantity totals and the live-order count: moves `o` from
   * open quantity `before` to `after`, each −1 when the order is not live.
   */
  private retrack(o: Order, before: number, after: number): void {
    this.liveOrders += (after >= 0 ? 1 : 0) - (before >= 0 ? 1 : 0);
    const t = this.totals(o.instrument.key);
    const delta = Math.max(after, 0) - Math.max(before, 0);
    if (o.side === 'buy') t.buy += delta;
    else t.sell += delta;
  }

  /** The instrument of the last order created, so a run of orders on one instrument skips the Map. */
  private lastInstrument: Instrument | undefined = undefined;

  private instrumentOf(key: string): Instrument | undefined {
    const last = this.lastInstrument;
    if (last !== undefined && last.key === key) return last;
    const inst = this.instruments.get(key);
    if (inst !== undefined) this.lastInstrument = inst;
    return inst;
  }

  /** The totals of the instrument last asked for, so a run of orders on one instrument skips the Map. */
  private lastTotals: SideTotals | undefined = undefined;
  private lastTotalsKey = '';

  private totals(key: string): SideTotals {
    if (key === this.lastTotalsKey && this.lastTotals !== undefined) return this.lastTotals;
    let t = this.openTotals.get(key);
    if (t === undefined) {
      t = { buy: 0, sell: 0 };
      this.openTotals.set(key, t);
    }
    this.lastTotalsKey = key;
    this.lastTotals = t;
    return t;
  }
}

function touch(o: Order, ts: TimestampMs): Order {
  o.updatedMs = ts;
  return o;
}
const INITIALIZED = S.initialized;

function isLive(o: Order): boolean {
  const code = o.statusCode;
  return code !== INITIALIZED && !isTerminalCode(code);
}

/** The order an event is about, if any (every event but order_created, list_created, watermark_moved). */
function eventOrderId(e: OrdoEvent): number | undefined {
  switch (e.type) {
    case 'order_created':
    case 'list_created':
    case 'watermark_moved':
      return undefined;
    default:
      return e.id;
  }
}
