// Trailing stops for one price stream and one side, without rescanning them on every tick.
//
// Every trailing stop's watermark is the best price since it started trailing. Stops that started
// at different times have different watermarks only until the market makes a new extreme beyond
// them; from then on they share one. So stops live in groups that share a watermark, kept on a
// stack whose watermarks fall from bottom to top. A new extreme pops the groups it passes and
// merges them (smaller into larger) under the new watermark; a tick that makes no new extreme
// touches nothing but the top of a heap. Within a group the stop nearest the market is the one
// with the smallest offset, so each group keeps two min-heaps (absolute offsets, relative
// offsets), and a heap of groups keyed by their best stop tells in O(1) whether anything fires.
//
// Prices are handled in a signed space (s = price for sells, s = -price for buys) so one code path
// serves both sides: the watermark is the max of s and a stop fires when s <= its stop.

import { divRound } from '../core/decimal.ts';
import { PriceHeap } from '../core/price-heap.ts';
import { RATE_ONE } from '../model/instrument.ts';
import type { Order } from '../model/order.ts';

export class TrailGroup {
  /** Watermark in signed space. */
  wm: number;
  readonly abs = new PriceHeap(4);
  readonly rel = new PriceHeap(4);
  live = 0;
  /** Best stop of the group in signed space as last pushed to the group heap. */
  trig = Number.NEGATIVE_INFINITY;
  constructor(
    readonly id: number,
    wm: number,
  ) {
    this.wm = wm;
  }
}

export interface TrailFire {
  readonly order: Order;
  /** The stop price (real space) at which it fired. */
  readonly stopPrice: number;
}

export class TrailingBook {
  private readonly stack: TrailGroup[] = [];
  private readonly groups: (TrailGroup | undefined)[] = [];
  private readonly freeIds: number[] = [];
  /** Min-heap of -trig: the group whose best stop is highest (signed) comes first. */
  private readonly byTrigger = new PriceHeap(16);
  private liveGroups = 0;

  constructor(
    /** +1 for sell stops (watermark is the high), -1 for buy stops (the low). */
    private readonly dir: 1 | -1,
    private readonly tick: number,
    private readonly lookup: (id: number) => Order | undefined,
  ) {}

  /** Current stop price (real space) of a trailing order in this book. */
  stopPrice(order: Order): number {
    const g = order.trailGroup as TrailGroup;
    return this.stopFor(g.wm, order);
  }

  watermark(order: Order): number {
    return this.dir * (order.trailGroup as TrailGroup).wm;
  }

  /** Starts trailing `order` from the current price `price` (real space). */
  add(order: Order, price: number, startWatermark?: number): void {
    const s = this.dir * (startWatermark ?? price);
    let g = this.top();
    if (g === undefined || g.wm > s) {
      g = this.newGroup(s);
      this.stack.push(g);
    } else if (g.wm < s) {
      // A watermark recovered from the journal can lie beyond the current price: it joins the
      // group with that watermark, or a new one at its place in the stack.
      g = this.groupAt(s);
    }
    this.addMember(g, order);
    this.refresh(g);
  }

  /** Forgets the order (lazy: its heap entries become stale). */
  remove(order: Order): void {
    const g = order.trailGroup as TrailGroup | undefined;
    if (g === undefined) return;
    order.trailGroup = undefined;
    g.live--;
    this.refresh(g);
  }

  /**
   * Feeds one price. Returns true when it moved a watermark (a new extreme), which is what a
   * journal records to resume trailing stops exactly after a restart.
   */
  onPrice(price: number, fired: TrailFire[]): boolean {
    const s = this.dir * price;
    let moved = false;
    let top = this.top();
    if (top !== undefined && top.wm < s) {
      moved = true;
      let merged = this.stack.pop() as TrailGroup;
      for (;;) {
        top = this.top();
        if (top === undefined || top.wm > s) break;
        merged = this.merge(merged, this.stack.pop() as TrailGroup);
      }
      merged.wm = s;
      this.stack.push(merged);
      this.refresh(merged);
    }
    this.collectFires(s, fired);
    return moved;
  }

  /**
   * The highest stop in signed space (stops fire when s <= it), or -Infinity when none is armed.
   * It may belong to a group that has changed since (a stale entry); such an entry is never
   * below the true best stop, so a price above it cannot fire anything.
   */
  bestStopSigned(): number {
    return this.byTrigger.size === 0 ? Number.NEGATIVE_INFINITY : -this.byTrigger.topKey();
  }

  /** The watermark of the top group in signed space (s above it moves it), or +Infinity. */
  topWatermarkSigned(): number {
    const top = this.top();
    return top === undefined ? Number.POSITIVE_INFINITY : top.wm;
  }

  get size(): number {
    let n = 0;
    for (const g of this.stack) n += g.live;
    return n;
  }

  bytes(): number {
    let b = this.byTrigger.bytes();
    for (const g of this.stack) b += g.abs.bytes() + g.rel.bytes() + 64;
    return b;
  }

  /**
   * The group on top of the stack. Reading `stack[-1]` of an empty stack would be a named-property
   * lookup up the prototype chain, the slowest thing a tick could do here, so it is never made.
   */
  private top(): TrailGroup | undefined {
    const n = this.stack.length;
    return n > 0 ? this.stack[n - 1] : undefined;
  }

  private collectFires(s: number, fired: TrailFire[]): void {
    for (;;) {
      if (this.byTrigger.size === 0) return;
      const trig = -this.byTrigger.topKey();
      const g = this.groups[this.byTrigger.topId()];
      if (g === undefined || g.trig !== trig || g.live === 0) {
        this.byTrigger.pop();
        continue;
      }
      if (s > trig) return;
      const order = this.bestMember(g);
      if (order === undefined) {
        this.byTrigger.pop();
        continue;
      }
      fired.push({ order, stopPrice: this.stopFor(g.wm, order) });
      this.remove(order);
    }
  }

  /** Pops stale entries and returns the member with the best (highest signed) stop. */
  private bestMember(g: TrailGroup): Order | undefined {
    const a = this.peekValid(g, g.abs);
    const r = this.peekValid(g, g.rel);
    if (a === undefined) return r;
    if (r === undefined) return a;
    return this.dir * this.stopFor(g.wm, a) >= this.dir * this.stopFor(g.wm, r) ? a : r;
  }

  private peekValid(g: TrailGroup, heap: PriceHeap): Order | undefined {
    while (heap.size > 0) {
      const o = this.lookup(heap.topId());
      if (
        o !== undefined &&
        o.trailGroup === g &&
        offsetKey(o) === heap.topKey() &&
        isRel(o) === (heap === g.rel)
      )
        return o;
      heap.pop();
    }
    return undefined;
  }

  private refresh(g: TrailGroup): void {
    if (g.live === 0) {
      g.trig = Number.NEGATIVE_INFINITY;
      return;
    }
    const best = this.bestMember(g);
    if (best === undefined) return;
    const trig = this.dir * this.stopFor(g.wm, best);
    if (trig === g.trig) return;
    g.trig = trig;
    this.byTrigger.push(-trig, g.id);
    if (this.byTrigger.size > 64 + 4 * this.liveGroups) {
      this.byTrigger.compact((k, id) => this.groups[id]?.trig === -k);
    }
  }

  private addMember(g: TrailGroup, order: Order): void {
    order.trailGroup = g;
    g.live++;
    (isRel(order) ? g.rel : g.abs).push(offsetKey(order), order.id);
  }

  /** Merges two groups, moving the smaller one's valid entries into the larger. */
  private merge(a: TrailGroup, b: TrailGroup): TrailGroup {
    const [big, small] = a.abs.size + a.rel.size >= b.abs.size + b.rel.size ? [a, b] : [b, a];
    const move = (heap: PriceHeap): void =>
      heap.forEach((_k, id) => {
        const o = this.lookup(id);
        if (o !== undefined && o.trailGroup === small && offsetKey(o) === _k) {
          small.live--;
          this.addMember(big, o);
        }
      });
    move(small.abs);
    move(small.rel);
    this.releaseGroup(small);
    return big;
  }

  private stopFor(wmSigned: number, o: Order): number {
    const t = o.trailing!;
    const wm = this.dir * wmSigned;
    if (!isRel(o)) return wm - this.dir * t.offset;
    // Relative offsets round away from the market to the tick, so a stop never sits closer to
    // the market than the trader asked for.
    const factor = BigInt(RATE_ONE - this.dir * t.offset);
    const raw = BigInt(wm) * factor;
    const unit = BigInt(RATE_ONE) * BigInt(this.tick);
    return Number(divRound(raw, unit, this.dir === 1 ? 'floor' : 'ceil')) * this.tick;
  }

  private newGroup(wm: number): TrailGroup {
    const id = this.freeIds.pop() ?? this.groups.length;
    const g = new TrailGroup(id, wm);
    this.groups[id] = g;
    this.liveGroups++;
    return g;
  }

  private releaseGroup(g: TrailGroup): void {
    this.groups[g.id] = undefined;
    this.freeIds.push(g.id);
    this.liveGroups--;
  }

  private groupAt(s: number): TrailGroup {
    let i = this.stack.length;
    while (i > 0 && (this.stack[i - 1] as TrailGroup).wm < s) i--;
    const below = this.stack[i - 1];
    if (below !== undefined && below.wm === s) return below;
    const g = this.newGroup(s);
    this.stack.splice(i, 0, g);
    return g;
  }
}

function isRel(o: Order): boolean {
  const k = o.trailing!.offsetKind;
  return k === 'percent' || k === 'bps';
}

function offsetKey(o: Order): number {
  return o.trailing!.offset;
}
