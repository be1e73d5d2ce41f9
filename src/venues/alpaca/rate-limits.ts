// Client-side accounting of Alpaca's Trading API rate limit (venues.md 1.11: 200 requests a
// minute per account, 429 `42910000` beyond), so that a request is sent only when it fits. Time is
// always passed in (`now`, epoch ms); nothing here reads a clock.
//
// Model. A sliding window of the send times of the last minute: a request waits while `limit` of
// them are in it. What Alpaca reports corrects the estimate: `X-RateLimit-Remaining: 0` blocks until
// `X-RateLimit-Reset` (unix seconds); a 429 blocks every request until `Retry-After` when sent, else
// until `X-RateLimit-Reset`, else a full minute. Nothing is sent inside a block: continuing after
// a 429 is hammering.

/** Response headers: a fetch `Headers`, or any `get(name)` source. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The answer to "may I send now?": yes, or the earliest time worth asking again. */
export type Permit = { readonly ok: true } | { readonly ok: false; readonly until: number };

const MINUTE = 60_000;

export interface RateLimitOptions {
  /** Requests per minute; default 200 (Alpaca's default per account). */
  readonly requestsPerMinute?: number;
}

export class AlpacaRateLimiter {
  readonly limit: number;
  /** No request before this time (a 429, or the server's count at zero). */
  blockedUntil = 0;
  /** Send times within the last minute, oldest first. */
  private readonly sent: number[] = [];

  constructor(options: RateLimitOptions = {}) {
    this.limit = options.requestsPerMinute ?? 200;
  }

  /** Whether a request may be sent at `now`, else until when to wait. */
  check(now: number): Permit {
    this.expire(now);
    if (this.blockedUntil > now) return { ok: false, until: this.blockedUntil };
    if (this.sent.length >= this.limit) return { ok: false, until: (this.sent[0] ?? now) + MINUTE };
    return { ok: true };
  }

  /** A request goes out at `now`. */
  onSend(now: number): void {
    this.sent.push(now);
  }

  /** What an answer said: its status and rate-limit headers. */
  onResponse(now: number, status: number, headers: HeaderSource): void {
    const reset = resetMs(headers, now);
    const remaining = headers.get('x-ratelimit-remaining');
    if (status === 429) {
      const retryAfter = headers.get('retry-after');
      const ra = retryAfter === null ? Number.NaN : Number(retryAfter);
      const until = Number.isFinite(ra) && ra >= 0 ? now + ra * 1000 : (reset ?? now + MINUTE);
      this.blockedUntil = Math.max(this.blockedUntil, until);
      return;
    }
    if (remaining !== null && Number(remaining) <= 0 && reset !== undefined)
      this.blockedUntil = Math.max(this.blockedUntil, reset);
  }

  /** Milliseconds from `now` until a request may go, 0 when it may go now. */
  waitMs(now: number): number {
    const p = this.check(now);
    return p.ok ? 0 : Math.max(0, p.until - now);
  }

  private expire(now: number): void {
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - MINUTE) this.sent.shift();
  }
}

/** `X-RateLimit-Reset` (unix seconds) as epoch ms, when it is in the future. */
function resetMs(headers: HeaderSource, now: number): number | undefined {
  const v = headers.get('x-ratelimit-reset');
  if (v === null) return undefined;
  const s = Number(v);
  if (!Number.isFinite(s)) return undefined;
  const ms = s * 1000;
  return ms > now ? ms : undefined;
}
