// The dashboard's state: one mutable store fed by the REST snapshots and the event stream, with a
// version number that views watch. Changes are coalesced into at most one notification per
// animation frame, so a burst of a thousand events costs one render, not a thousand. Records are
// replaced, never mutated in place, so a row can skip re-rendering when its record is the same
// object as last time.

import type {
  AccountView,
  Candle,
  EquityPoint,
  FillRecord,
  ListKind,
  ListView,
  OrderView,
  PositionView,
  RoundTripRecord,
  StreamMessage,
  VenueView,
} from './api-types.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ListMeta {
  readonly listId: number;
  readonly kind: ListKind;
  readonly native: boolean;
  readonly orderIds: readonly number[];
}

export interface Quote {
  readonly last?: string;
  readonly bid?: string;
  readonly ask?: string;
  readonly ts?: number;
}

/** Events kept for the Events view; older ones drop off. */
const EVENTS_MAX = 2000;
/** Position, account and market messages kept for the Events view. */
const STATE_EVENTS_MAX = 500;
/** Candles kept per symbol. */
const CANDLES_MAX = 2000;
/** Closed orders kept in memory besides the open ones. */
const CLOSED_MAX = 2000;

/** Whether an order is still working, or may still start working (a held child, a pending send). */
export function isOpen(o: OrderView): boolean {
  const s = o.status;
  switch (s) {
    case 'initialized':
    case 'held':
    case 'triggered':
    case 'submitted':
    case 'accepted':
    case 'pending_modify':
    case 'pending_cancel':
    case 'partially_filled':
      return true;
    case 'denied':
    case 'filled':
    case 'cancelled':
    case 'expired':
    case 'rejected':
      return false;
    default:
      return assertNever(s);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}

/** A stream message with its arrival number (the Events view merges the two rings by it). */
export interface Arrival {
  readonly n: number;
  readonly m: StreamMessage;
}

function isStateMessage(m: StreamMessage): boolean {
  return m.kind === 'position' || m.kind === 'account' || m.kind === 'trade' || m.kind === 'candle';
}

export class Store {
  readonly orders = new Map<number, OrderView>();
  readonly lists = new Map<number, ListMeta>();
  readonly positions = new Map<string, PositionView>();
  readonly candles = new Map<string, Candle[]>();
  readonly quotes = new Map<string, Quote>();
  account: AccountView | undefined;
  equityCurrency = '';
  equity: EquityPoint[] = [];
  fills: FillRecord[] = [];
  roundTrips: RoundTripRecord[] = [];
  venues: VenueView[] = [];
  /** Engine events (orders, lists, fills) and connection messages, oldest first. */
  events: Arrival[] = [];
  /** Position, account and market messages: many a second, so kept apart and fewer. */
  stateEvents: Arrival[] = [];
  private arrivals = 0;
  connection: Connection = 'connecting';
  lastSeq = 0;
  version = 0;
  /** Bumped whenever an order or list changes, so views can skip work when only prices moved. */
  ordersVersion = 0;
  /** Counters read by the responsiveness test (window.__ordoPerf). */
  readonly perf = { messages: 0, notifies: 0, renders: 0 };

  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Marks the store changed; listeners run once on the next animation frame. */
  changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.perf.notifies++;
      for (const fn of this.listeners) fn();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible')
      requestAnimationFrame(run);
    else setTimeout(run, 50);
  }

  setOrders(orders: readonly OrderView[]): void {
    for (const o of orders) this.orders.set(o.id, o);
    this.ordersVersion++;
    this.changed();
  }

  upsertOrder(o: OrderView): void {
    this.orders.set(o.id, o);
    this.ordersVersion++;
    this.trimClosed();
  }

  setLists(lists: readonly ListView[]): void {
    for (const l of lists) this.upsertList(l);
    this.changed();
  }

  upsertList(l: ListView): void {
    this.ordersVersion++;
    this.lists.set(l.listId, {
      listId: l.listId,
      kind: l.kind,
      native: l.native,
      orderIds: l.orders.map((o) => o.id),
    });
    for (const o of l.orders) this.orders.set(o.id, o);
  }

  setPositions(positions: readonly PositionView[]): void {
    this.positions.clear();
    for (const p of positions) this.positions.set(p.instrument, p);
    this.changed();
  }

  upsertPosition(p: PositionView): void {
    this.positions.set(p.instrument, p);
  }

  setCandles(symbol: string, candles: readonly Candle[]): void {
    this.candles.set(symbol, candles.slice(-CANDLES_MAX));
    this.changed();
  }

  /** A candle from the stream: replaces the one with the same open time, or appends. */
  upsertCandle(symbol: string, c: Candle): void {
    let list = this.candles.get(symbol);
    if (list === undefined) this.candles.set(symbol, (list = []));
    const last = list[list.length - 1];
    if (last !== undefined && last.ts === c.ts) list[list.length - 1] = c;
    else if (last === undefined || c.ts > last.ts) {
      list.push(c);
      if (list.length > CANDLES_MAX) list.splice(0, list.length - CANDLES_MAX);
    }
  }

  addFill(f: FillRecord): void {
    if (this.fills.some((x) => x.tradeId === f.tradeId && x.orderId === f.orderId)) return;
    this.fills = [...this.fills, f];
  }

  upsertRoundTrip(t: RoundTripRecord): void {
    const i = this.roundTrips.findIndex((x) => x.id === t.id);
    if (i < 0) this.roundTrips = [...this.roundTrips, t];
    else this.roundTrips = this.roundTrips.map((x) => (x.id === t.id ? t : x));
  }

  addEquityPoint(p: EquityPoint): void {
    const last = this.equity[this.equity.length - 1];
    if (last !== undefined && last.ts === p.ts) this.equity[this.equity.length - 1] = p;
    else if (last === undefined || p.ts > last.ts) this.equity = [...this.equity, p];
  }

  pushEvent(m: StreamMessage): void {
    const ring = isStateMessage(m) ? this.stateEvents : this.events;
    ring.push({ n: ++this.arrivals, m });
    const max = ring === this.events ? EVENTS_MAX : STATE_EVENTS_MAX;
    if (ring.length > max + 100) ring.splice(0, ring.length - max);
    // Only messages that carry an engine event advance the resume point: a hello, or a state
    // message (position, account, market), may name a later seq than the events applied so far.
    if ((m.kind === 'order' || m.kind === 'list' || m.kind === 'fill') && m.seq > this.lastSeq)
      this.lastSeq = m.seq;
    this.perf.messages++;
  }

  /** Lists with the orders of each, in id order, newest first. */
  trees(filter: (l: ListMeta) => boolean = () => true): { meta: ListMeta; orders: OrderView[] }[] {
    const out: { meta: ListMeta; orders: OrderView[] }[] = [];
    for (const meta of this.lists.values()) {
      if (!filter(meta)) continue;
      const orders = meta.orderIds.flatMap((id) => {
        const o = this.orders.get(id);
        return o === undefined ? [] : [o];
      });
      out.push({ meta, orders });
    }
    return out.sort((a, b) => b.meta.listId - a.meta.listId);
  }

  private trimClosed(): void {
    if (this.orders.size <= CLOSED_MAX * 2) return;
    let closed = 0;
    for (const o of this.orders.values()) if (!isOpen(o)) closed++;
    for (const [id, o] of this.orders) {
      if (closed <= CLOSED_MAX) break;
      if (!isOpen(o) && o.listId === undefined) {
        this.orders.delete(id);
        closed--;
      }
    }
  }
}
