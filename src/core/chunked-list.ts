// An append-only list for records kept for a whole session (fills, closed round trips): items live
// in fixed-size chunks, so the list never regrows by copying itself. A plain array that reaches tens
// of thousands of items copies all of them at each growth, and the collector traces each copy
// again; those copies cost more per item than appending it. Items can be dropped from the front
// (a bounded history), and an index is a position among the items kept. The chunked store under
// it also holds the id tables' dense runs (core/id-table.ts).

const BITS = 10;
/** Items per chunk (a power of two). */
export const CHUNK = 1 << BITS;
const MASK = CHUNK - 1;

/**
 * Places by index in fixed-size chunks, created as indexes reach them: the store under both the
 * list below and the id tables' dense runs. An unset place reads undefined.
 */
export class ChunkedArray<T> {
  private readonly chunks: (T | undefined)[][] = [];

  get(i: number): T | undefined {
    const chunk = this.chunks[i >> BITS];
    return chunk === undefined ? undefined : chunk[i & MASK];
  }

  /** Sets place `i` (≥ 0, a few chunks past the last at most, so the chunk list stays dense). */
  set(i: number, item: T | undefined): void {
    const c = i >> BITS;
    let chunk = this.chunks[c];
    if (chunk === undefined) {
      chunk = new Array(CHUNK);
      this.chunks[c] = chunk;
    }
    chunk[i & MASK] = item;
  }

  /** Releases the first `n` chunks: every index moves down by n × CHUNK. */
  dropChunks(n: number): void {
    this.chunks.splice(0, n);
  }
}

export class ChunkedList<T> implements Iterable<T> {
  private readonly items = new ChunkedArray<T>();
  /** Place of the first kept item in the first chunk (items before it were dropped). */
  private start = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.items.set(this.start + this.count, item);
    this.count++;
  }

  /** The item at `i` (0 ≤ i < length). */
  get(i: number): T {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    return this.items.get(this.start + i) as T;
  }

  /** Drops the first `n` items (at most length); the chunks they emptied are released. */
  dropFirst(n: number): void {
    const drop = Math.min(Math.max(0, Math.floor(n)), this.count);
    for (let k = 0; k < drop; k++) this.items.set(this.start + k, undefined);
    this.start += drop;
    this.count -= drop;
    const emptied = Math.floor(this.start / CHUNK);
    if (emptied > 0) {
      this.items.dropChunks(emptied);
      this.start -= emptied * CHUNK;
    }
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.count; i++) yield this.get(i);
  }

  map<U>(f: (item: T) => U): U[] {
    const out: U[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = f(this.get(i));
    return out;
  }
}
