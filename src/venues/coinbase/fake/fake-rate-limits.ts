// Coinbase Advanced Trade's REST rate limits (venues.md 3.9), on the fake's injectable clock:
// private (authenticated) endpoints ~30 requests per second per API key, public endpoints ~10 per
// second (per IP; here per server). Windows are whole seconds of the clock. A request over a limit
// is answered 429 with the body of error_rate_limit_429.json and has no effect; Coinbase documents
// no Retry-After header and no ban, so the fake sends neither. Every 429 is recorded for tests.

export interface RateLimitOptions {
  /** Authenticated requests per second per key; default 30. */
  readonly privatePerSecond?: number;
  /** Public requests per second; default 10. */
  readonly publicPerSecond?: number;
}

/** One request answered 429 by the configured limits. */
export interface RateLimitHit {
  readonly time: number;
  /** The key name, or `public`. */
  readonly bucket: string;
  readonly limit: number;
}

/** Fixed one-second windows per key (private) and for the server (public). */
export class RateLimiter {
  readonly privateLimit: number;
  readonly publicLimit: number;
  /** bucket → [second, count]. */
  private readonly windows = new Map<string, [number, number]>();
  readonly hits: RateLimitHit[] = [];

  constructor(options: RateLimitOptions = {}) {
    this.privateLimit = options.privatePerSecond ?? 30;
    this.publicLimit = options.publicPerSecond ?? 10;
  }

  /** Counts a request; false when it is over the limit (and must be answered 429). */
  admit(now: number, keyName: string | undefined): boolean {
    const bucket = keyName ?? 'public';
    const limit = keyName === undefined ? this.publicLimit : this.privateLimit;
    const second = Math.floor(now / 1000);
    const w = this.windows.get(bucket);
    const count = w !== undefined && w[0] === second ? w[1] + 1 : 1;
    this.windows.set(bucket, [second, count]);
    if (count <= limit) return true;
    this.hits.push({ time: now, bucket, limit });
    return false;
  }
}
