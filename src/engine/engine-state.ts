// The engine's state and the one function that changes it. Every event goes through `apply`, live
// or replayed from the journal, so the rebuilt state equals the live state by construction. Each
// status change passes the status table; an event that breaks it is a bug and stops the engine.

import { assert, assertNever } from '../core/assert.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Fill } from '../model/fill.ts';
import type { Instrument } from '../model/instrument.ts';
import { notionalOf } from '../model/instrument.ts';
import { ArmKind, Order } from '../model/order.ts';
import { canTransition, isTerminal, type OrderStatus } from '../model/status.ts';
import { Emulator } from './emulator.ts';
import type { ListInit, OrdoEvent } from './events.ts';

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
    return this.slots[id];
  }

  has(id: number): boolean {
    return this.slots[id] !== undefined;
  }

  set(id: number, order: Order): void {
    assert(Number.isSafeInteger(id) && id > 0, () => `order id ${id} is not a positive integer`);
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

interface SideTotals {
  buy: number;
  sell: number;
}

export class EngineState {
  readonly orders = new OrderTable();
  readonly lists = new Map<number, OrderList>();
  readonly byClientId = new Map<string, OrderId>();
  readonly tradeIds = new Set<string>();
  readonly emulator: Emulator;
  nowMs: TimestampMs = 0;
  nextOrderId = 1;
  nextListId = 1;
  liveOrders = 0;
  private readonly openTotals = new Map<string, SideTotals>();

  constructor(
    readonly instruments: ReadonlyMap<string, Instrument>,
    private readonly fills: FillSink,
  ) {
    this.emulator = new Emulator((id) => this.orders.get(id));
  }

  order(id: number): Order {
    const o = this.orders.get(id);
    assert(o !== undefined, () => `unknown order ${id}`);
    return o;
  }

  openQty(instrument: string, side: 'buy' | 'sell'): number {
    const t = this.openTotals.get(instrument);
    return t === undefined ? 0 : t[side];
  }

  apply(e: OrdoEvent): void {
    if (e.ts > this.nowMs) this.nowMs = e.ts;
    // The open-quantity totals follow every change of an order: its old contribution is taken
    // out before the event and its new one put in after, whatever the event did.
    const o = 'id' in e ? this.orders.get(e.id) : undefined;
    if (o !== undefined) this.untrack(o);
    this.applyEvent(e);
    if (o !== undefined) this.track(o);
  }

  private applyEvent(e: OrdoEvent): void {
    switch (e.type) {
      case 'order_created': {
        const inst = this.instruments.get(e.order.instrument);
        assert(inst !== undefined, () => `unknown instrument ${e.order.instrument}`);
        assert(!this.orders.has(e.order.id), () => `duplicate order id ${e.order.id}`);
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
      case 'order_denied':
        return this.setStatus(e.id, 'denied', e.ts);
      case 'order_held': {
        this.setStatus(e.id, 'held', e.ts);
        if (e.armed) this.emulator.arm(this.order(e.id), e.price);
        return;
      }
      case 'order_armed':
        return this.emulator.arm(this.touch(e.id, e.ts), e.price);
      case 'trailing_started':
        return this.emulator.startTrailingAt(this.order(e.id), e.price);
      case 'order_disarmed':
        return this.emulator.disarm(this.touch(e.id, e.ts));
      case 'order_triggered': {
        const o = this.order(e.id);
        this.emulator.disarm(o);
        o.triggeredAt = e.stopPrice;
        return this.setStatus(e.id, 'triggered', e.ts);
      }
      case 'order_submitted': {
        const o = this.order(e.id);
        this.emulator.disarm(o);
        this.byClientId.set(e.clientOrderId, e.id);
        return this.setStatus(e.id, 'submitted', e.ts);
      }
      case 'order_accepted': {
        const o = this.order(e.id);
        o.venueOrderId = e.venueOrderId;
        if (o.status === 'submitted') this.setStatus(e.id, 'accepted', e.ts);
        return;
      }
      case 'order_rejected':
        this.emulator.disarm(this.order(e.id));
        return this.setStatus(e.id, 'rejected', e.ts);
      case 'order_filled':
        return this.applyFill(e);
      case 'order_cancel_requested':
        return this.setStatus(e.id, 'pending_cancel', e.ts);
      case 'order_cancelled':
        this.emulator.disarm(this.order(e.id));
        return this.setStatus(e.id, 'cancelled', e.ts);
      case 'order_expired':
        this.emulator.disarm(this.order(e.id));
        return this.setStatus(e.id, 'expired', e.ts);
      case 'order_modify_requested':
        return this.setStatus(e.id, 'pending_modify', e.ts);
      case 'order_modified': {
        const o = this.touch(e.id, e.ts);
        // Only a moved trigger price re-arms; a quantity change leaves the index (and a trailing
        // stop's watermark) alone.
        const rearm = o.armKind !== ArmKind.None && e.triggerPrice !== o.triggerPrice;
        if (rearm) this.emulator.disarm(o);
        assert(e.quantity >= o.filled, () => `order ${o.id} modified below its filled quantity`);
        o.quantity = e.quantity;
        o.price = e.price;
        o.triggerPrice = e.triggerPrice;
        if (o.status === 'pending_modify')
          this.setStatus(e.id, o.filled > 0 ? 'partially_filled' : 'accepted', e.ts);
        if (o.status === 'partially_filled' && o.filled === o.quantity) this.setStatus(e.id, 'filled', e.ts);
        if (rearm) this.emulator.arm(o, undefined);
        return;
      }
      case 'order_modify_rejected':
      case 'order_cancel_rejected': {
        const o = this.order(e.id);
        if (o.status === 'pending_modify' || o.status === 'pending_cancel')
          this.setStatus(e.id, o.filled > 0 ? 'partially_filled' : 'accepted', e.ts);
        return;
      }
      case 'watermark_moved': {
        // Live, the emulator moved the watermark itself; a replay moves it here.
        const inst = this.instruments.get(e.instrument);
        if (this.emulator.replaying && inst !== undefined) this.emulator.onPrice(inst, e.stream, e.price);
        return;
      }
      default:
        return assertNever(e, 'event');
    }
  }

  private applyFill(e: Extract<OrdoEvent, { type: 'order_filled' }>): void {
    const o = this.order(e.id);
    const key = `${o.instrument.venue}:${e.tradeId}`;
    assert(!this.tradeIds.has(key), () => `duplicate trade ${key}`);
    assert(
      e.quantity > 0 && e.quantity <= o.open,
      () => `fill of ${e.quantity} exceeds open ${o.open} of order ${o.id}`,
    );
    this.tradeIds.add(key);
    o.filled += e.quantity;
    o.notionalFilled += notionalOf(o.instrument, e.price, e.quantity);
    if (e.feeCurrency === o.instrument.quote) o.fees += e.fee;
    o.updatedMs = e.ts;
    // A fill after a cancel or expiry is a fact: it is applied, the terminal status stays.
    if (!isTerminal(o.status))
      this.setStatus(o.id, o.filled === o.quantity ? 'filled' : 'partially_filled', e.ts);
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

  private touch(id: number, ts: TimestampMs): Order {
    const o = this.order(id);
    o.updatedMs = ts;
    return o;
  }

  private setStatus(id: number, to: OrderStatus, ts: TimestampMs): void {
    const o = this.order(id);
    if (o.status === to && to === 'partially_filled') return;
    assert(canTransition(o.status, to), () => `illegal transition ${o.status} -> ${to} for order ${id}`);
    o.status = to;
    o.updatedMs = ts;
  }

  /** Live orders count toward the open-quantity totals and the live-order count. */
  private untrack(o: Order): void {
    if (!isLive(o)) return;
    this.liveOrders--;
    this.totals(o.instrument.key)[o.side] -= o.quantity - o.filled;
  }

  private track(o: Order): void {
    if (!isLive(o)) return;
    this.liveOrders++;
    this.totals(o.instrument.key)[o.side] += o.quantity - o.filled;
  }

  private totals(key: string): SideTotals {
    let t = this.openTotals.get(key);
    if (t === undefined) {
      t = { buy: 0, sell: 0 };
      this.openTotals.set(key, t);
    }
    return t;
  }
}

function isLive(o: Order): boolean {
  const s = o.status;
  return s !== 'initialized' && !isTerminal(s);
}
