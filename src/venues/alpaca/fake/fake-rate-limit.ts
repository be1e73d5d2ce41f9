// The Trading API rate limit on the fake's clock: N requests per minute per account (Alpaca's
// default is 200), counted in windows aligned to the minute. Every answer carries
// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds when the window
// ends); a request over the limit is answered 429 `{"code":42910000,...}` without being executed.
// Alpaca sends no Retry-After; a client waits for X-RateLimit-Reset. `forceNext(n)` makes the next
// n requests 429 whatever the count, for tests of a client's back-off.

export interface RateLimitOptions {
  /** Requests per minute; default 200. */
  readonly requestsPerMinute?: number;
}

export interface RateLimitHit {
  readonly time: number;
  /** Unix ms when the window ends. */
  readonly resetAt: number;
  /** True when the 429 came from `forceNext`. */
  readonly forced: boolean;
}

export interface RateLimitState {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

const MINUTE = 60_000;

export class RateLimiter {
  readonly limit: number;
  private window = -1;
  private count = 0;
  private forced = 0;
  readonly hits: RateLimitHit[] = [];

  constructor(options: RateLimitOptions = {}) {
    this.limit = options.requestsPerMinute ?? 200;
    if (!Number.isSafeInteger(this.limit) || this.limit < 1)
      throw new Error(`rateLimits.requestsPerMinute must be an integer ≥ 1, got ${this.limit}`);
  }

  /** The next `n` requests are answered 429 (their count still moves the window). */
  forceNext(n: number): void {
    this.forced += n;
  }

  clearForced(): void {
    this.forced = 0;
  }

  /** Counts one request at `now`; says whether it may run and what headers to send. */
  admit(now: number): RateLimitState {
    this.roll(now);
    this.count++;
    const resetAt = (this.window + 1) * MINUTE;
    const forced = this.forced > 0;
    if (forced) this.forced--;
    const allowed = !forced && this.count <= this.limit;
    if (!allowed) this.hits.push({ time: now, resetAt, forced });
    return { allowed, headers: this.headers(resetAt) };
  }

  /** Headers of an answer that was not counted (a refused credential). */
  peek(now: number): Readonly<Record<string, string>> {
    this.roll(now);
    return this.headers((this.window + 1) * MINUTE);
  }

  private roll(now: number): void {
    const w = Math.floor(now / MINUTE);
    if (w !== this.window) {
      this.window = w;
      this.count = 0;
    }
  }

  private headers(resetAt: number): Record<string, string> {
    return {
      'X-RateLimit-Limit': String(this.limit),
      'X-RateLimit-Remaining': String(Math.max(0, this.limit - this.count)),
      'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
    };
  }
}
