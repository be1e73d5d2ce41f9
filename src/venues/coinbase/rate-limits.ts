// Client-side pacing of Coinbase REST requests (venues.md 3.9): about 30 requests per second per
// key for private endpoints and 10 per second per IP for public ones, as token buckets, so a burst
// is spread out rather than answered 429. After a 429 nothing at all is sent until its Retry-After
// (seconds or an HTTP date; 1 s when absent) has passed; `x-ratelimit-remaining: 0` with
// `x-ratelimit-reset` blocks until that reset. Time is always passed in (`now`, epoch ms).

export interface RateLimitOptions {
  /** Requests per second, private endpoints. Default 30. */
  readonly privatePerSecond?: number;
  /** Requests per second, public endpoints. Default 10. */
  readonly publicPerSecond?: number;
  /** Wait after a 429 that names none. Default 1000 ms. */
  readonly defaultRetryMs?: number;
}

/** The answer to "may I send now?": ok, or the earliest time worth asking again. */
export type Permit = { readonly ok: true } | { readonly ok: false; readonly until: number };

/** Response headers: a fetch `Headers`-like getter. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** Retry-After in ms: delta-seconds, or an HTTP date relative to `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

class Bucket {
  tokens: number;
  at = Number.NEGATIVE_INFINITY;

  constructor(readonly perSecond: number) {
    this.tokens = perSecond;
  }

  refill(now: number): void {
    if (this.at === Number.NEGATIVE_INFINITY) this.at = now;
    const add = ((now - this.at) / 1000) * this.perSecond;
    if (add > 0) {
      this.tokens = Math.min(this.perSecond, this.tokens + add);
      this.at = now;
    }
  }

  /** When one token will be there. */
  nextAt(now: number): number {
    return now + Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}

export class RateLimiter {
  private readonly buckets: Record<'private' | 'public', Bucket>;
  private readonly defaultRetryMs: number;
  private blockedUntilMs = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimitOptions = {}) {
    this.buckets = {
      private: new Bucket(options.privatePerSecond ?? 30),
      public: new Bucket(options.publicPerSecond ?? 10),
    };
    this.defaultRetryMs = options.defaultRetryMs ?? 1000;
  }

  /** Until when everything is blocked by a 429 (−Infinity when not). */
  get blockedUntil(): number {
    return this.blockedUntilMs;
  }

  /** May a request of this scope be sent at `now`? */
  check(now: number, scope: 'private' | 'public'): Permit {
    if (now < this.blockedUntilMs) return { ok: false, until: this.blockedUntilMs };
    const b = this.buckets[scope];
    b.refill(now);
    return b.tokens >= 1 ? { ok: true } : { ok: false, until: b.nextAt(now) };
  }

  /** Takes a token (call right after a permitted check). */
  onSend(now: number, scope: 'private' | 'public'): void {
    const b = this.buckets[scope];
    b.refill(now);
    b.tokens -= 1;
  }

  /** Reads an answer: a 429 blocks for its Retry-After; an exhausted window until its reset. */
  onResponse(now: number, status: number, headers: HeaderSource): void {
    if (status === 429) {
      const wait = parseRetryAfter(headers.get('retry-after'), now) ?? this.defaultRetryMs;
      this.block(now + wait);
      return;
    }
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = headers.get('x-ratelimit-reset');
    if (
      remaining !== null &&
      remaining.trim() === '0' &&
      reset !== null &&
      /^\d+(\.\d+)?$/.test(reset.trim())
    ) {
      const r = Number(reset.trim());
      // Epoch seconds when it looks like one, else seconds from now.
      this.block(r > 1e9 ? r * 1000 : now + r * 1000);
    }
  }

  private block(until: number): void {
    if (until > this.blockedUntilMs) this.blockedUntilMs = until;
  }
}
