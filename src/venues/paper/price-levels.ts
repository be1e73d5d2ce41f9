// The resting side of a paper book: orders queued per price level, levels ordered best first.
//
// - An OrderQueue is a FIFO kept as an intrusive doubly linked list: the nodes (the matcher's
//   orders) carry their own prev/next/queue links, so push, remove and reading the head are O(1)
//   with no search and no array shifting.
// - PriceLevels keeps one PriceLevel (an OrderQueue at one price) per price in a Map, and the levels
//   in a binary heap ordered best price first (highest for buys, lowest for sells) that knows each
//   level's slot, so the best level is O(1) to read and adding or dropping a level is O(log levels).
//   A level is dropped as soon as its last order leaves, so every level in the heap is non-empty.
//
// Priority is therefore better price first, then the order in which nodes were appended to their
// level. Callers that want a node to keep its place (a modify that keeps time priority) simply
// leave it where it is; a node that loses its place is removed and appended again.

import { assert } from '../../core/assert.ts';

export interface QueueNode<T extends QueueNode<T>> {
  prev: T | undefined;
  next: T | undefined;
  /** The queue the node is in; undefined when it is in none. */
  queue: OrderQueue<T> | undefined;
}

/** A FIFO of nodes, each in at most one queue at a time. */
export class OrderQueue<T extends QueueNode<T>> {
  head: T | undefined = undefined;
  tail: T | undefined = undefined;
  size = 0;

  push(node: T): void {
    assert(node.queue === undefined, 'node is already queued');
    node.queue = this;
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`, which must be in this queue. */
  remove(node: T): void {
    assert(node.queue === this, 'node is not in this queue');
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = undefined;
    node.next = undefined;
    node.queue = undefined;
    this.size--;
  }
}

/** The nodes resting at one price, in arrival order. */
export class PriceLevel<T extends QueueNode<T>> extends OrderQueue<T> {
  /** Slot in the owner's heap; -1 once dropped. */
  heapIndex = -1;

  constructor(
    readonly owner: PriceLevels<T>,
    readonly price: number,
  ) {
    super();
  }
}

export class PriceLevels<T extends QueueNode<T>> {
  private readonly byPrice = new Map<number, PriceLevel<T>>();
  private readonly heap: PriceLevel<T>[] = [];
  private readonly higherFirst: boolean;

  /** `best` is which price comes first: `'highest'` for buys, `'lowest'` for sells. */
  constructor(best: 'highest' | 'lowest') {
    this.higherFirst = best === 'highest';
  }

  /** Number of non-empty price levels. */
  get levels(): number {
    return this.heap.length;
  }

  /** Every non-empty level, in the order the levels were created (for a snapshot). */
  levelList(): IterableIterator<PriceLevel<T>> {
    return this.byPrice.values();
  }

  /** The best non-empty level, or undefined when nothing rests. */
  best(): PriceLevel<T> | undefined {
    return this.heap[0];
  }

  /** Appends `node` to the level at `price` (last in time priority there). */
  add(node: T, price: number): void {
    let level = this.byPrice.get(price);
    if (level === undefined) {
      level = new PriceLevel(this, price);
      this.byPrice.set(price, level);
      const i = this.heap.length;
      this.heap.push(level);
      level.heapIndex = i;
      this.siftUp(i);
    }
    level.push(node);
  }

  /** Takes `node` out of its level, which must be one of these; an emptied level is dropped. */
  remove(node: T): void {
    const level = node.queue;
    assert(level instanceof PriceLevel && level.owner === this, 'node does not rest in these levels');
    level.remove(node);
    if (level.size === 0) this.drop(level);
  }

  private drop(level: PriceLevel<T>): void {
    this.byPrice.delete(level.price);
    const heap = this.heap;
    const i = level.heapIndex;
    level.heapIndex = -1;
    const last = heap.pop()!;
    if (last === level) return;
    heap[i] = last;
    last.heapIndex = i;
    if (i > 0 && this.before(last, heap[(i - 1) >> 1]!)) this.siftUp(i);
    else this.siftDown(i);
  }

  private before(a: PriceLevel<T>, b: PriceLevel<T>): boolean {
    return this.higherFirst ? a.price > b.price : a.price < b.price;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const level = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!this.before(level, parent)) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    heap[i] = level;
    level.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const level = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.before(heap[r]!, heap[l]!)) c = r;
      const child = heap[c]!;
      if (!this.before(child, level)) break;
      heap[i] = child;
      child.heapIndex = i;
      i = c;
    }
    heap[i] = level;
    level.heapIndex = i;
  }
}
