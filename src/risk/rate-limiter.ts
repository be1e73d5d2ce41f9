// A sliding-window counter of accepted orders: a ring buffer holding the timestamps of the last
// `capacity` orders. The window is full when the oldest of those is still inside it, so both the
// test and the record are O(1) with no array shifting and no allocation. An order recorded at t
// counts against every check at t .. t + windowMs − 1 and is forgotten at t + windowMs.

export const RATE_WINDOW_MS = 1000;

export class RateLimiter {
  private readonly stamps: Float64Array;
  /** Index of the next write; when the ring is full it is also the index of the oldest stamp. */
  private next = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number = RATE_WINDOW_MS,
  ) {
    this.stamps = new Float64Array(capacity);
  }

  /** True when `capacity` orders already fall inside the window ending at `nowMs`. */
  isFull(nowMs: number): boolean {
    if (this.size < this.capacity) return false;
    if (this.capacity === 0) return true;
    return nowMs - this.stamps[this.next]! < this.windowMs;
  }

  record(nowMs: number): void {
    if (this.capacity === 0) return;
    this.stamps[this.next] = nowMs;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.size < this.capacity) this.size++;
  }

  /** Orders inside the window ending at `nowMs` (for messages; a scan, off the hot path). */
  countInWindow(nowMs: number): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (nowMs - this.stamps[i]! < this.windowMs) n++;
    return n;
  }

  /** A limiter of another capacity that keeps the most recent stamps this one holds. */
  resized(capacity: number): RateLimiter {
    const out = new RateLimiter(capacity, this.windowMs);
    const keep = Math.min(this.size, capacity);
    for (let i = keep; i > 0; i--) {
      const at = (this.next - i + this.capacity) % this.capacity;
      out.record(this.stamps[at]!);
    }
    return out;
  }
}
