// An append-only list for records kept for a whole session (fills, closed round trips): items live
// in fixed-size chunks, so the list never regrows by copying itself. A plain array that reaches tens
// of thousands of items copies all of them at each growth, and the collector traces each copy
// again; those copies cost more per item than appending it. Items can be dropped from the front
// (a bounded history), and an index is a position among the items kept.

const BITS = 10;
const SIZE = 1 << BITS;
const MASK = SIZE - 1;

export class ChunkedList<T> implements Iterable<T> {
  private readonly chunks: (T | undefined)[][] = [];
  /** Place of the first kept item in the first chunk (items before it were dropped). */
  private start = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const at = this.start + this.count;
    let chunk = this.chunks[at >> BITS];
    if (chunk === undefined) {
      chunk = new Array(SIZE);
      this.chunks.push(chunk);
    }
    chunk[at & MASK] = item;
    this.count++;
  }

  /** The item at `i` (0 ≤ i < length). */
  get(i: number): T {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`index ${i} outside 0..${this.count - 1}`);
    const at = this.start + i;
    return this.chunks[at >> BITS]![at & MASK] as T;
  }

  /** Drops the first `n` items (at most length); the chunks they emptied are released. */
  dropFirst(n: number): void {
    const drop = Math.min(Math.max(0, Math.floor(n)), this.count);
    for (let k = 0; k < drop; k++) {
      const at = this.start + k;
      this.chunks[at >> BITS]![at & MASK] = undefined;
    }
    this.start += drop;
    this.count -= drop;
    const emptied = this.start >> BITS;
    if (emptied > 0) {
      this.chunks.splice(0, emptied);
      this.start &= MASK;
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
