// Client-side accounting of Binance's rate limits, so that a request is sent only when it fits.
// Fed by what Binance reports (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S / -1D headers, the WS
// API's rateLimits[], 429 and 418 with Retry-After) and by what the caller sends, it answers
// "may I send this request now, else until when must I wait". Time is always passed in (`now`,
// epoch ms); nothing here reads a clock.
//
// Model. Each limiter counts in fixed windows aligned to the epoch (minute, 10 s, UTC day), which
// is how Binance's counters reset. The estimate of a window's count is the last count Binance
// reported plus what was sent since without an answer (in flight); a request that never got an
// answer stays counted. Limits and intervals come from exchangeInfo.rateLimits when given.
//
// 429 and 418. After a 429 nothing at all is sent until Retry-After has passed (continuing past a
// 429 is what earns the 418 ban); a 429 without Retry-After (the order-count limit) blocks
// everything until the end of the current minute. A 418 blocks until Retry-After (default two
// minutes, the shortest ban). The block covers every request, whatever its weight.

import type { RateLimitRule } from './exchange-info.ts';

export type LimiterKind = 'weight' | 'orders' | 'raw_requests';

/** One limit: `limit` units of `kind` per `intervalMs`. */
export interface LimiterSpec {
  readonly kind: LimiterKind;
  readonly intervalMs: number;
  readonly limit: number;
}

/** Binance Spot's documented defaults: 6000 weight/min, 50 orders/10 s, 160 000 orders/day. */
export const DEFAULT_LIMITERS: readonly LimiterSpec[] = [
  { kind: 'weight', intervalMs: 60_000, limit: 6000 },
  { kind: 'orders', intervalMs: 10_000, limit: 50 },
  { kind: 'orders', intervalMs: 86_400_000, limit: 160_000 },
];

const INTERVAL_MS: Record<string, number> = {
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};
const INTERVAL_LETTER: Record<string, string> = { SECOND: 's', MINUTE: 'm', HOUR: 'h', DAY: 'd' };
const KIND_OF: Record<string, LimiterKind> = {
  REQUEST_WEIGHT: 'weight',
  ORDERS: 'orders',
  RAW_REQUESTS: 'raw_requests',
};

/** Limiters from exchangeInfo `rateLimits` (unknown types and intervals are skipped). */
export function limitersFromExchangeInfo(rules: readonly RateLimitRule[]): LimiterSpec[] {
  const out: LimiterSpec[] = [];
  for (const r of rules) {
    const kind = KIND_OF[r.rateLimitType];
    const unit = INTERVAL_MS[r.interval];
    if (kind === undefined || unit === undefined || r.intervalNum <= 0 || r.limit <= 0) continue;
    out.push({ kind, intervalMs: unit * r.intervalNum, limit: r.limit });
  }
  return out;
}

/** What a request costs: its weight and the unfilled orders it adds (BinanceRequest has both). */
export interface RequestCost {
  readonly weight: number;
  readonly orders: number;
}

/** Why a request must wait: a 429/418 block, a full limiter, or a cost above the limit itself. */
export type WaitReason = 'retry_after' | 'banned' | LimiterKind | 'too_large';

/**
 * The answer to "may I send now?". `until` is the earliest time worth asking again (Infinity for
 * `too_large`: the request can never fit).
 */
export type Permit =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: WaitReason; readonly until: number };

/** Response headers: a fetch `Headers`, or Node's lower-cased header record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

function headerLookup(h: HeaderSource): (name: string) => string | undefined {
  if (typeof (h as { get?: unknown }).get === 'function') {
    const g = h as { get(name: string): string | null };
    return (name) => g.get(name) ?? undefined;
  }
  const rec = h as Readonly<Record<string, string | readonly string[] | undefined>>;
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(rec)) {
    if (v === undefined) continue;
    lower.set(k.toLowerCase(), typeof v === 'string' ? v : (v[v.length - 1] ?? ''));
  }
  return (name) => lower.get(name.toLowerCase());
}

/** Retry-After in ms: delta-seconds, or an HTTP date relative to `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The header Binance uses for a limiter, lower case (`x-mbx-used-weight-1m`), if any. */
function headerName(spec: LimiterSpec): string | undefined {
  const prefix =
    spec.kind === 'weight' ? 'x-mbx-used-weight-' : spec.kind === 'orders' ? 'x-mbx-order-count-' : undefined;
  if (prefix === undefined) return undefined;
  for (const unit of ['DAY', 'HOUR', 'MINUTE', 'SECOND']) {
    const ms = INTERVAL_MS[unit]!;
    if (spec.intervalMs % ms === 0) return `${prefix}${spec.intervalMs / ms}${INTERVAL_LETTER[unit]}`;
  }
  return undefined;
}

class Limiter {
  windowStart = Number.NEGATIVE_INFINITY;
  count = 0;
  inFlight = 0;
  readonly header: string | undefined;

  constructor(readonly spec: LimiterSpec) {
    this.header = headerName(spec);
  }

  amount(cost: RequestCost): number {
    return this.spec.kind === 'weight' ? cost.weight : this.spec.kind === 'orders' ? cost.orders : 1;
  }

  windowOf(now: number): number {
    return Math.floor(now / this.spec.intervalMs) * this.spec.intervalMs;
  }

  /** The count `now` would see: a new window starts with only what is still in flight. */
  countAt(now: number): number {
    return this.windowOf(now) > this.windowStart ? this.inFlight : this.count;
  }

  roll(now: number): void {
    const ws = this.windowOf(now);
    if (ws > this.windowStart) {
      this.windowStart = ws;
      this.count = this.inFlight;
    }
  }
}

/** Tracker configuration. */
export interface RateLimitOptions {
  /** Default DEFAULT_LIMITERS; see limitersFromExchangeInfo. */
  readonly limiters?: readonly LimiterSpec[];
  /** Ban length assumed when a 418 has no Retry-After. Default 120 000 ms. */
  readonly defaultBanMs?: number;
}

/** A snapshot of one limiter, for logs and tests. */
export interface LimiterUsage {
  readonly kind: LimiterKind;
  readonly intervalMs: number;
  readonly limit: number;
  readonly used: number;
  readonly inFlight: number;
}

/**
 * The tracker. Call `check` before sending, `onSend` when sending, and `onResponse` /
 * `onWsResponse` / `onNoResponse` with the same cost when the request completes.
 */
export class RateLimitTracker {
  private readonly limiters: Limiter[];
  private readonly defaultBanMs: number;
  private blockedUntilMs = Number.NEGATIVE_INFINITY;
  private blockReason: 'retry_after' | 'banned' = 'retry_after';

  constructor(options: RateLimitOptions = {}) {
    this.limiters = (options.limiters ?? DEFAULT_LIMITERS).map((s) => new Limiter(s));
    this.defaultBanMs = options.defaultBanMs ?? 120_000;
  }

  /** Until when everything is blocked by a 429 or 418 (−Infinity when not blocked). */
  get blockedUntil(): number {
    return this.blockedUntilMs;
  }

  /** May a request costing `cost` be sent at `now`? If not, the reason and when to ask again. */
  check(now: number, cost: RequestCost): Permit {
    if (now < this.blockedUntilMs) return { ok: false, reason: this.blockReason, until: this.blockedUntilMs };
    let until = Number.NEGATIVE_INFINITY;
    let reason: LimiterKind | undefined;
    for (const l of this.limiters) {
      const amount = l.amount(cost);
      if (amount <= 0) continue;
      if (amount > l.spec.limit) return { ok: false, reason: 'too_large', until: Number.POSITIVE_INFINITY };
      if (l.countAt(now) + amount <= l.spec.limit) continue;
      const next = l.windowOf(now) + l.spec.intervalMs;
      if (next > until) {
        until = next;
        reason = l.spec.kind;
      }
    }
    return reason === undefined ? { ok: true } : { ok: false, reason, until };
  }

  /** Records a request as sent (call right after a permitted check). */
  onSend(now: number, cost: RequestCost): void {
    for (const l of this.limiters) {
      const amount = l.amount(cost);
      if (amount <= 0) continue;
      l.roll(now);
      l.count += amount;
      l.inFlight += amount;
    }
  }

  /**
   * Records the HTTP answer to a request sent with `cost`: the counts in its headers, and a 429
   * or 418 block (Retry-After in seconds, or an HTTP date).
   */
  onResponse(
    now: number,
    cost: RequestCost,
    response: { readonly status: number; readonly headers: HeaderSource },
  ): void {
    const get = headerLookup(response.headers);
    this.settle(now, cost, (l) => {
      if (l.header === undefined) return undefined;
      const v = get(l.header);
      return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
    });
    this.onStatus(now, response.status, parseRetryAfter(get('retry-after'), now));
  }

  /**
   * Records a WebSocket API answer: its `rateLimits[]` counts, and for 429/418 the block until
   * `retryAfter` (an epoch-ms time, as the WS API sends in `error.data.retryAfter`).
   */
  onWsResponse(
    now: number,
    cost: RequestCost,
    msg: {
      readonly status: number;
      readonly rateLimits?: readonly {
        readonly rateLimitType: string;
        readonly interval: string;
        readonly intervalNum: number;
        readonly count: number;
      }[];
      readonly retryAfter?: number;
    },
  ): void {
    this.settle(now, cost, (l) => {
      const match = msg.rateLimits?.find(
        (r) =>
          KIND_OF[r.rateLimitType] === l.spec.kind &&
          (INTERVAL_MS[r.interval] ?? 0) * r.intervalNum === l.spec.intervalMs,
      );
      return match?.count;
    });
    this.onStatus(
      now,
      msg.status,
      msg.retryAfter === undefined ? undefined : Math.max(0, msg.retryAfter - now),
    );
  }

  /** A request that got no answer (timeout, connection lost): it stays counted, no longer in flight. */
  onNoResponse(now: number, cost: RequestCost): void {
    this.settle(now, cost, () => undefined);
  }

  /** Current usage per limiter at `now`. */
  usage(now: number): LimiterUsage[] {
    return this.limiters.map((l) => ({
      kind: l.spec.kind,
      intervalMs: l.spec.intervalMs,
      limit: l.spec.limit,
      used: l.countAt(now),
      inFlight: l.inFlight,
    }));
  }

  private settle(now: number, cost: RequestCost, reported: (l: Limiter) => number | undefined): void {
    for (const l of this.limiters) {
      const amount = l.amount(cost);
      if (amount > 0) l.inFlight = Math.max(0, l.inFlight - amount);
      l.roll(now);
      const r = reported(l);
      if (r !== undefined) l.count = r + l.inFlight;
    }
  }

  private onStatus(now: number, status: number, retryAfterMs: number | undefined): void {
    if (status === 418) this.block(now + (retryAfterMs ?? this.defaultBanMs), 'banned');
    else if (status === 429) {
      const nextMinute = Math.floor(now / 60_000) * 60_000 + 60_000;
      this.block(retryAfterMs === undefined ? nextMinute : now + retryAfterMs, 'retry_after');
    }
  }

  private block(until: number, reason: 'retry_after' | 'banned'): void {
    if (until > this.blockedUntilMs) {
      this.blockedUntilMs = until;
      this.blockReason = reason;
    } else if (reason === 'banned') this.blockReason = 'banned';
  }
}
