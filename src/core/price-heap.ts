// A binary min-heap of (key, id) pairs on growable typed arrays: 12 bytes an entry and no object
// per entry, so a million resting triggers stay compact. Keys are integers held exactly in
// float64 (prices in instrument units); a max-heap is a min-heap of negated keys. Deletion is lazy:
// the owner validates the top entry and pops stale ones. Equal keys come out in id order, so the
// order of equal triggers never depends on the history of the heap (a replay builds it otherwise).

export class PriceHeap {
  private keys: Float64Array;
  private ids: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Smallest key, or +Infinity when empty. */
  topKey(): number {
    return this.n > 0 ? (this.keys[0] as number) : Number.POSITIVE_INFINITY;
  }

  topId(): number {
    return this.ids[0] as number;
  }

  push(key: number, id: number): void {
    if (this.n === this.keys.length) this.grow();
    let i = this.n++;
    const keys = this.keys;
    const ids = this.ids;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk < key || (pk === key && (ids[parent] as number) <= id)) break;
      keys[i] = pk;
      ids[i] = ids[parent] as number;
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
  }

  pop(): void {
    const n = --this.n;
    if (n <= 0) {
      this.n = Math.max(0, n);
      return;
    }
    this.keys[0] = this.keys[n] as number;
    this.ids[0] = this.ids[n] as number;
    this.siftDown(0);
  }

  /** Keeps only entries for which `keep` is true, then restores the heap order (O(n)). */
  compact(keep: (key: number, id: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      const k = this.keys[r] as number;
      const id = this.ids[r] as number;
      if (keep(k, id)) {
        this.keys[w] = k;
        this.ids[w] = id;
        w++;
      }
    }
    this.n = w;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Visits every entry in storage order (not sorted). */
  forEach(visit: (key: number, id: number) => void): void {
    for (let i = 0; i < this.n; i++) visit(this.keys[i] as number, this.ids[i] as number);
  }

  clear(): void {
    this.n = 0;
  }

  /** Approximate retained bytes, for the memory benchmark. */
  bytes(): number {
    return this.keys.byteLength + this.ids.byteLength;
  }

  private siftDown(i: number): void {
    const n = this.n;
    const keys = this.keys;
    const ids = this.ids;
    const key = keys[i] as number;
    const id = ids[i] as number;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const rk = keys[right] as number;
        const ck = keys[child] as number;
        if (rk < ck || (rk === ck && (ids[right] as number) < (ids[child] as number))) child = right;
      }
      const ck = keys[child] as number;
      if (ck > key || (ck === key && (ids[child] as number) >= id)) break;
      keys[i] = keys[child] as number;
      ids[i] = ids[child] as number;
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}
