// A min-heap of items due at a time, popped in (time, insertion sequence) order. The paper matcher
// keeps two: commands in flight (due at send time + latency) and order expiries. Ties on time come
// out in insertion order, so equal inputs always produce the same sequence; peeking is O(1), which
// keeps the per-tick check "is anything due?" cheap.

export interface Timed<T> {
  readonly atMs: number;
  readonly seq: number;
  readonly item: T;
}

export class TimedQueue<T> {
  private readonly heap: Timed<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(atMs: number, item: T): void {
    const heap = this.heap;
    heap.push({ atMs, seq: this.seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      swap(heap, i, parent);
      i = parent;
    }
  }

  /** The sequence number the next push gets (for a snapshot). */
  get nextSeq(): number {
    return this.seq;
  }

  /** Whether any queued item satisfies `test` (in no particular order). */
  some(test: (item: T) => boolean): boolean {
    return this.heap.some((e) => test(e.item));
  }

  /** Every entry, in the order they would pop (for a snapshot; O(n log n), off the hot path). */
  entries(): Timed<T>[] {
    return this.heap.slice().sort(compare);
  }

  /**
   * Replaces the contents with `entries` (any order) and the sequence counter with `nextSeq`, as
   * saved by `entries()` and `nextSeq`: the queue then pops exactly as the saved one would. The
   * caller checks the values; sequence numbers must be distinct and below `nextSeq`.
   */
  load(entries: readonly Timed<T>[], nextSeq: number): void {
    // A sorted array is a valid heap.
    const sorted = entries.slice().sort(compare);
    this.heap.length = 0;
    for (const e of sorted) this.heap.push({ atMs: e.atMs, seq: e.seq, item: e.item });
    this.seq = nextSeq;
  }

  peek(): Timed<T> | undefined {
    return this.heap[0];
  }

  pop(): Timed<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      swap(heap, i, m);
      i = m;
    }
    return top;
  }
}

function before<T>(a: Timed<T>, b: Timed<T>): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

function compare<T>(a: Timed<T>, b: Timed<T>): number {
  return a.atMs - b.atMs || a.seq - b.seq;
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
