// The emulator holds stop, stop-limit and trailing-stop orders locally and says when their
// trigger holds. Resting triggers are indexed by price per instrument and price stream, so a
// tick costs O(1) when nothing fires and O(log n) per order that fires; trailing stops are kept
// in TrailingBooks that never rescan their members. The emulator only decides *that* an order
// fires; what is released and sent is the engine's business.

import { assert, assertNever } from '../core/assert.ts';
import { PriceHeap } from '../core/price-heap.ts';
import type { Instrument } from '../model/instrument.ts';
import { ArmKind, type Order } from '../model/order.ts';
import { type TrailFire, TrailingBook } from './trailing-book.ts';

export type PriceStream = 'last' | 'bid' | 'ask' | 'mid';
const STREAM_INDEX: Readonly<Record<PriceStream, number>> = { last: 0, bid: 1, ask: 2, mid: 3 };
const STREAMS: readonly PriceStream[] = ['last', 'bid', 'ask', 'mid'];

export interface Fire {
  readonly order: Order;
  /** The trigger (stop) price that was reached. */
  readonly stopPrice: number;
  /** The stream price that reached it. */
  readonly marketPrice: number;
}

class StreamState {
  price = Number.NaN;
  /** Fire when price >= key: buy stops, sell-trailing activations. */
  readonly up = new PriceHeap(16);
  /** Fire when price <= key (keys negated): sell stops, buy-trailing activations. */
  readonly down = new PriceHeap(16);
  readonly trailSell: TrailingBook;
  readonly trailBuy: TrailingBook;
  /** Trailing stops waiting for this stream's first price. */
  waiting: Order[] = [];
  stale = 0;
  // The quiet band: while a price p keeps quietLow < p < quietHigh and watermarkLow <= p <=
  // watermarkHigh, no stop fires, no activation happens and no watermark moves, so onPrice only
  // records p. The bounds are read from the tops of the indexes after a full pass; stale tops
  // only make the band narrower, never wider. Any change to the indexes closes the band (quietLow
  // = +Infinity) until the next full pass reopens it, so it can never hide a trigger.
  quietLow = Number.POSITIVE_INFINITY;
  quietHigh = Number.NEGATIVE_INFINITY;
  watermarkLow = Number.POSITIVE_INFINITY;
  watermarkHigh = Number.NEGATIVE_INFINITY;
  constructor(tick: number, lookup: (id: number) => Order | undefined) {
    this.trailSell = new TrailingBook(1, tick, lookup);
    this.trailBuy = new TrailingBook(-1, tick, lookup);
  }
}

/** Sent when a price makes a new extreme for some trailing stops (for the journal). */
export interface WatermarkMove {
  readonly instrument: string;
  readonly stream: PriceStream;
  readonly price: number;
}

export class Emulator {
  private readonly streams = new Map<string, StreamState[]>();
  private readonly trailFires: TrailFire[] = [];
  /** Orders whose trigger held, in the order it happened; the engine drains this. */
  readonly fired: Fire[] = [];
  readonly watermarkMoves: WatermarkMove[] = [];
  /**
   * Trailing stops whose activation price was reached, or that waited for a first price: they
   * start trailing from `price` when the engine applies its `trailing_started` event.
   */
  readonly starts: { readonly order: Order; readonly price: number }[] = [];
  /**
   * While the engine replays its journal, prices come from `watermark_moved` events and what
   * fires or starts is already in the journal: nothing is reported and nothing fires on arming.
   */
  replaying = false;

  constructor(private readonly lookup: (id: number) => Order | undefined) {}

  streamOf(order: Order): PriceStream {
    switch (order.triggerBasis) {
      case 'last':
        return 'last';
      case 'mid':
        return 'mid';
      case 'quote':
        return order.side === 'sell' ? 'bid' : 'ask';
      default:
        return assertNever(order.triggerBasis, 'trigger basis');
    }
  }

  /**
   * Starts watching an order's trigger. A trigger that already holds fires at once. A trailing
   * stop without an activation price starts trailing from `startPrice`, the stream's price when
   * it was armed (carried by the arming event, so a replay starts it at the same price), or from
   * the stream's first price when there was none yet.
   */
  arm(order: Order, startPrice: number | undefined): void {
    const st = this.state(order.instrument, this.streamOf(order));
    closeQuiet(st);
    if (order.type === 'trailing_stop') {
      const t = order.trailing!;
      if (t.activationPrice !== undefined) {
        this.armStop(st, order, t.activationPrice, order.side === 'sell', ArmKind.TrailActivation);
      } else if (startPrice === undefined) {
        order.armKind = ArmKind.TrailFirstPrice;
        st.waiting.push(order);
      } else {
        this.startTrailing(st, order, startPrice);
      }
      return;
    }
    assert(order.triggerPrice !== undefined, () => `order ${order.id} has no trigger price`);
    this.armStop(st, order, order.triggerPrice, order.side === 'buy', ArmKind.Stop);
  }

  /** Applies a `trailing_started` event: the stop trails from `price`. */
  startTrailingAt(order: Order, price: number): void {
    const k = order.armKind;
    // Live, the order is TrailStarting; in a replay it may still wait for its activation or first
    // price (nothing fires during a replay), so it leaves that index first.
    if (k !== ArmKind.TrailStarting && k !== ArmKind.TrailActivation && k !== ArmKind.TrailFirstPrice) return;
    if (k !== ArmKind.TrailStarting) this.disarm(order);
    this.startTrailing(this.state(order.instrument, this.streamOf(order)), order, price);
  }

  /** The last price of every stream, for a checkpoint. */
  prices(): { instrument: string; stream: PriceStream; price: number }[] {
    const out: { instrument: string; stream: PriceStream; price: number }[] = [];
    for (const [instrument, list] of this.streams)
      list.forEach((st, i) => {
        if (st !== undefined && !Number.isNaN(st.price))
          out.push({ instrument, stream: STREAMS[i]!, price: st.price });
      });
    return out;
  }

  /** Restores a stream's last price from a checkpoint (nothing fires: it is a past price). */
  setPrice(instrument: Instrument, stream: PriceStream, price: number): void {
    const st = this.state(instrument, stream);
    st.price = price;
    closeQuiet(st);
  }

  disarm(order: Order): void {
    if (order.armKind === ArmKind.None) return;
    // Removing a trigger cannot make anything fire, but the band is closed anyway so that the
    // rule stays simple: every change to the indexes is followed by a full pass.
    closeQuiet(this.state(order.instrument, this.streamOf(order)));
    if (order.armKind === ArmKind.Trailing) {
      const st = this.state(order.instrument, this.streamOf(order));
      (order.side === 'sell' ? st.trailSell : st.trailBuy).remove(order);
    } else if (order.armKind === ArmKind.TrailFirstPrice) {
      const st = this.state(order.instrument, this.streamOf(order));
      st.waiting = st.waiting.filter((o) => o !== order);
    } else if (order.armKind === ArmKind.TrailStarting) {
      // Out of every index already; the pending start is ignored once the kind is cleared.
    } else {
      const st = this.state(order.instrument, this.streamOf(order));
      st.stale++;
      if (st.stale > 1024 && st.stale > st.up.size + st.down.size) this.compact(st);
    }
    order.armKind = ArmKind.None;
  }

  /** The current stop price of an armed order (trailing stops move; others are fixed). */
  currentStop(order: Order): number | undefined {
    if (order.armKind === ArmKind.Trailing) {
      const st = this.state(order.instrument, this.streamOf(order));
      return (order.side === 'sell' ? st.trailSell : st.trailBuy).stopPrice(order);
    }
    return order.type === 'trailing_stop' ? undefined : order.triggerPrice;
  }

  watermark(order: Order): number | undefined {
    if (order.armKind !== ArmKind.Trailing) return undefined;
    const st = this.state(order.instrument, this.streamOf(order));
    return (order.side === 'sell' ? st.trailSell : st.trailBuy).watermark(order);
  }

  /**
   * The last trade price, else the mid, of the instrument with this key (the market price risk
   * and the facade use), in one lookup.
   */
  lastOrMidPrice(instrumentKey: string): number | undefined {
    // Asked by every risk check, mostly for the instrument of the check before: its stream list
    // (one per instrument, never replaced) is kept.
    let list = instrumentKey === this.lastListKey ? this.lastList : undefined;
    if (list === undefined) {
      list = this.streams.get(instrumentKey);
      this.lastListKey = instrumentKey;
      this.lastList = list;
    }
    if (list === undefined) return undefined;
    const last = list[STREAM_INDEX.last]?.price;
    if (last !== undefined && !Number.isNaN(last)) return last;
    const mid = list[STREAM_INDEX.mid]?.price;
    return mid === undefined || Number.isNaN(mid) ? undefined : mid;
  }

  private lastListKey = '';
  private lastList: StreamState[] | undefined = undefined;

  lastPrice(instrument: Instrument, stream: PriceStream): number | undefined {
    const p = this.streams.get(instrument.key)?.[STREAM_INDEX[stream]]?.price;
    return p === undefined || Number.isNaN(p) ? undefined : p;
  }

  /** Feeds one price of one stream; fires go to `this.fired`. */
  onPrice(instrument: Instrument, stream: PriceStream, price: number): void {
    const st = this.state(instrument, stream);
    st.price = price;
    // The common tick: inside the quiet band nothing can happen, whatever the number of orders.
    if (price > st.quietLow && price < st.quietHigh && price >= st.watermarkLow && price <= st.watermarkHigh)
      return;
    if (st.waiting.length > 0) {
      const waiting = st.waiting;
      st.waiting = [];
      for (const o of waiting) if (o.armKind === ArmKind.TrailFirstPrice) this.toStart(o, price);
    }
    this.popUp(st, price);
    this.popDown(st, price);
    const fires = this.trailFires;
    const movedSell = st.trailSell.onPrice(price, fires);
    const movedBuy = st.trailBuy.onPrice(price, fires);
    if ((movedSell || movedBuy) && !this.replaying)
      this.watermarkMoves.push({ instrument: instrument.key, stream, price });
    if (this.replaying) {
      this.fired.length = 0;
      this.starts.length = 0;
    }
    this.takeTrailFires(price);
    this.openQuiet(st);
  }

  /** Moves what the trailing books fired at `price` to `fired` (nothing fires in a replay). */
  private takeTrailFires(price: number): void {
    const fires = this.trailFires;
    if (fires.length === 0) return;
    if (!this.replaying)
      for (const f of fires) {
        f.order.armKind = ArmKind.None;
        this.fired.push({ order: f.order, stopPrice: f.stopPrice, marketPrice: price });
      }
    fires.length = 0;
  }

  /** Bytes held by the trigger indexes (typed arrays and groups), for the memory benchmark. */
  bytes(): number {
    let b = 0;
    for (const list of this.streams.values())
      for (const st of list)
        if (st !== undefined)
          b += st.up.bytes() + st.down.bytes() + st.trailSell.bytes() + st.trailBuy.bytes();
    return b;
  }

  /** Reopens the quiet band from the tops of the indexes, after a full pass over them. */
  private openQuiet(st: StreamState): void {
    if (st.waiting.length > 0) {
      closeQuiet(st);
      return;
    }
    // Sells trail in signed space s = price, buys in s = -price (see trailing-book.ts): a sell stop
    // fires when price <= its stop and its watermark moves when price > the watermark; a buy
    // stop fires when price >= its stop and its watermark moves when price < the watermark.
    const sell = st.trailSell;
    const buy = st.trailBuy;
    st.quietLow = Math.max(-st.down.topKey(), sell.bestStopSigned());
    st.quietHigh = Math.min(st.up.topKey(), -buy.bestStopSigned());
    st.watermarkLow = -buy.topWatermarkSigned();
    st.watermarkHigh = sell.topWatermarkSigned();
  }

  private armStop(st: StreamState, order: Order, key: number, firesUp: boolean, kind: ArmKind): void {
    order.armKind = kind;
    order.armKey = key;
    if (firesUp) st.up.push(key, order.id);
    else st.down.push(-key, order.id);
    if (!Number.isNaN(st.price) && !this.replaying) {
      if (firesUp) this.popUp(st, st.price);
      else this.popDown(st, st.price);
    }
  }

  /**
   * The stop trails from `price`. Live, the stream may have moved on since that price (the engine
   * handles a start after the price that caused it): the stream's current price is then applied
   * to the book like any new price, so the order sees it, and a move it makes is reported.
   */
  private startTrailing(st: StreamState, order: Order, price: number): void {
    closeQuiet(st);
    order.armKind = ArmKind.Trailing;
    const book = order.side === 'sell' ? st.trailSell : st.trailBuy;
    book.add(order, price);
    if (this.replaying || Number.isNaN(st.price) || st.price === price) return;
    if (book.onPrice(st.price, this.trailFires))
      this.watermarkMoves.push({
        instrument: order.instrument.key,
        stream: this.streamOf(order),
        price: st.price,
      });
    this.takeTrailFires(st.price);
  }

  private popUp(st: StreamState, price: number): void {
    const heap = st.up;
    while (heap.size > 0 && heap.topKey() <= price) {
      const key = heap.topKey();
      const order = this.lookup(heap.topId());
      heap.pop();
      if (order === undefined || order.armKey !== key || !isHeapArmed(order) || !firesUp(order)) {
        if (st.stale > 0) st.stale--;
        continue;
      }
      this.trigger(order, key, price);
    }
  }

  private popDown(st: StreamState, price: number): void {
    const heap = st.down;
    while (heap.size > 0 && -heap.topKey() >= price) {
      const key = -heap.topKey();
      const order = this.lookup(heap.topId());
      heap.pop();
      if (order === undefined || order.armKey !== key || !isHeapArmed(order) || firesUp(order)) {
        if (st.stale > 0) st.stale--;
        continue;
      }
      this.trigger(order, key, price);
    }
  }

  private trigger(order: Order, key: number, price: number): void {
    if (order.armKind === ArmKind.TrailActivation) {
      // Activation: the stop starts trailing from the activating price.
      this.toStart(order, price);
      return;
    }
    order.armKind = ArmKind.None;
    this.fired.push({ order, stopPrice: key, marketPrice: price });
  }

  private toStart(order: Order, price: number): void {
    order.armKind = ArmKind.TrailStarting;
    if (!this.replaying) this.starts.push({ order, price });
  }

  private compact(st: StreamState): void {
    closeQuiet(st);
    const keep = (sign: number) => (k: number, id: number) => {
      const o = this.lookup(id);
      return o !== undefined && isHeapArmed(o) && o.armKey === sign * k;
    };
    st.up.compact(keep(1));
    st.down.compact(keep(-1));
    st.stale = 0;
  }

  private state(instrument: Instrument, stream: PriceStream): StreamState {
    let list = this.streams.get(instrument.key);
    if (list === undefined) {
      list = [];
      this.streams.set(instrument.key, list);
    }
    const i = STREAM_INDEX[stream];
    let st = list[i];
    if (st === undefined) {
      st = new StreamState(instrument.priceIncrement, this.lookup);
      list[i] = st;
    }
    return st;
  }
}

/** Makes the next price of the stream take the full pass (which reopens the band). */
function closeQuiet(st: StreamState): void {
  st.quietLow = Number.POSITIVE_INFINITY;
}

function isHeapArmed(o: Order): boolean {
  return o.armKind === ArmKind.Stop || o.armKind === ArmKind.TrailActivation;
}

/** Stops of buys and activations of sell trailing stops fire on a rise; the rest on a fall. */
function firesUp(o: Order): boolean {
  return o.armKind === ArmKind.Stop ? o.side === 'buy' : o.side === 'sell';
}
