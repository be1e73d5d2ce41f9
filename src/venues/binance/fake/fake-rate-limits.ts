// Binance's rate limits, on the fake's injectable clock: REQUEST_WEIGHT per minute (per IP; here per
// server, shared by REST and the WebSocket API) and ORDERS per 10 s and per day (per account).
// Intervals are aligned as Binance aligns them (a 1-minute interval starts every minute, 10 s at
// :00, :10, …, a day at 00:00 UTC). Going over a limit answers 429 with Retry-After until the
// interval ends; sending again inside that window is a violation and earns an IP ban (418) of
// 2 minutes, doubling for each repeat up to 3 days. Every 429/418 is recorded for tests.

import { BinanceError, errors } from './fake-errors.ts';

export interface RateLimitOptions {
  /** REQUEST_WEIGHT per minute; default 6000. */
  readonly requestWeightPerMinute?: number;
  /** ORDERS per 10 seconds; default 50. */
  readonly ordersPer10s?: number;
  /** ORDERS per day; default 160000. */
  readonly ordersPerDay?: number;
  /** First ban length; default 120000 ms (doubles per repeat, capped at 3 days). */
  readonly banMs?: number;
}

export interface RateLimitHit {
  readonly time: number;
  readonly rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS';
  readonly interval: string;
  /** 429 over the limit, 418 banned. */
  readonly status: 429 | 418;
  /** When the client may send again (429) or the ban ends (418). */
  readonly retryAt: number;
}

export interface RateLimitEntry {
  readonly rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS';
  readonly interval: 'SECOND' | 'MINUTE' | 'DAY';
  readonly intervalNum: number;
  readonly limit: number;
  readonly count: number;
}

const MINUTE = 60_000;
const TEN_S = 10_000;
const DAY = 86_400_000;
const MAX_BAN = 3 * DAY;

class Window {
  private index = -1;
  count = 0;
  constructor(readonly lengthMs: number) {}
  roll(now: number): void {
    const i = Math.floor(now / this.lengthMs);
    if (i !== this.index) {
      this.index = i;
      this.count = 0;
    }
  }
  endsAt(now: number): number {
    return (Math.floor(now / this.lengthMs) + 1) * this.lengthMs;
  }
}

/** Seconds for a Retry-After header, at least 1. */
export const retryAfterSeconds = (retryAt: number, now: number): number =>
  Math.max(1, Math.ceil((retryAt - now) / 1000));

export class RateLimiter {
  readonly weightLimit: number;
  readonly orders10sLimit: number;
  readonly ordersDayLimit: number;
  private readonly banMs: number;
  private readonly weight = new Window(MINUTE);
  private readonly orders10s = new Window(TEN_S);
  private readonly ordersDay = new Window(DAY);
  /** Inside these windows a further request (of that kind) after a 429 is a violation. */
  private weightBlockedUntil = 0;
  private ordersBlockedUntil = 0;
  private bannedUntilMs = 0;
  private banCount = 0;
  readonly hits: RateLimitHit[] = [];

  constructor(options: RateLimitOptions = {}) {
    this.weightLimit = options.requestWeightPerMinute ?? 6000;
    this.orders10sLimit = options.ordersPer10s ?? 50;
    this.ordersDayLimit = options.ordersPerDay ?? 160_000;
    this.banMs = options.banMs ?? 120_000;
  }

  get bannedUntil(): number {
    return this.bannedUntilMs;
  }

  get bans(): number {
    return this.banCount;
  }

  isBanned(now: number): boolean {
    return now < this.bannedUntilMs;
  }

  /**
   * Counts a request of `weight` that would place `orders` orders, or throws the 429/418 answer.
   * The order count itself is added by `countOrders` once orders are actually placed.
   */
  admit(now: number, weight: number, orders: number): void {
    if (now < this.bannedUntilMs) throw this.hit(now, 'REQUEST_WEIGHT', '1 MINUTE', 418, this.bannedUntilMs);
    if (now < this.weightBlockedUntil || (orders > 0 && now < this.ordersBlockedUntil)) this.ban(now);
    this.weight.roll(now);
    this.weight.count += weight;
    if (this.weight.count > this.weightLimit) {
      this.weightBlockedUntil = this.weight.endsAt(now);
      throw this.hit(now, 'REQUEST_WEIGHT', '1 MINUTE', 429, this.weightBlockedUntil);
    }
    if (orders === 0) return;
    this.orders10s.roll(now);
    this.ordersDay.roll(now);
    if (this.orders10s.count + orders > this.orders10sLimit) {
      this.ordersBlockedUntil = this.orders10s.endsAt(now);
      throw this.hit(now, 'ORDERS', '10 SECOND', 429, this.ordersBlockedUntil);
    }
    if (this.ordersDay.count + orders > this.ordersDayLimit) {
      this.ordersBlockedUntil = this.ordersDay.endsAt(now);
      throw this.hit(now, 'ORDERS', '1 DAY', 429, this.ordersBlockedUntil);
    }
  }

  /** Adds weight without a limit check (the WebSocket API connection cost). */
  addWeight(now: number, weight: number): void {
    this.weight.roll(now);
    this.weight.count += weight;
  }

  countOrders(now: number, orders: number): void {
    this.orders10s.roll(now);
    this.ordersDay.roll(now);
    this.orders10s.count += orders;
    this.ordersDay.count += orders;
  }

  usedWeight(now: number): number {
    this.weight.roll(now);
    return this.weight.count;
  }

  orderCount10s(now: number): number {
    this.orders10s.roll(now);
    return this.orders10s.count;
  }

  orderCountDay(now: number): number {
    this.ordersDay.roll(now);
    return this.ordersDay.count;
  }

  /** The `rateLimits` array of a WebSocket API response. */
  entries(now: number, withOrders: boolean): RateLimitEntry[] {
    const out: RateLimitEntry[] = [];
    if (withOrders)
      out.push(
        {
          rateLimitType: 'ORDERS',
          interval: 'SECOND',
          intervalNum: 10,
          limit: this.orders10sLimit,
          count: this.orderCount10s(now),
        },
        {
          rateLimitType: 'ORDERS',
          interval: 'DAY',
          intervalNum: 1,
          limit: this.ordersDayLimit,
          count: this.orderCountDay(now),
        },
      );
    out.push({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: this.weightLimit,
      count: this.usedWeight(now),
    });
    return out;
  }

  /** exchangeInfo's `rateLimits`. */
  info(): Record<string, unknown>[] {
    return [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: this.weightLimit },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: this.orders10sLimit },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: this.ordersDayLimit },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ];
  }

  private ban(now: number): never {
    const length = Math.min(MAX_BAN, this.banMs * 2 ** this.banCount);
    this.banCount++;
    this.bannedUntilMs = now + length;
    throw this.hit(now, 'REQUEST_WEIGHT', '1 MINUTE', 418, this.bannedUntilMs);
  }

  private hit(
    now: number,
    type: 'REQUEST_WEIGHT' | 'ORDERS',
    interval: string,
    status: 429 | 418,
    retryAt: number,
  ): BinanceError {
    this.hits.push({ time: now, rateLimitType: type, interval, status, retryAt });
    const [num, unit] = interval.split(' ') as [string, string];
    const e =
      status === 418
        ? errors.banned(retryAt)
        : type === 'REQUEST_WEIGHT'
          ? errors.tooManyWeight(this.weightLimit, interval)
          : errors.tooManyOrders(unit === 'DAY' ? this.ordersDayLimit : this.orders10sLimit, interval);
    void num;
    return new BinanceError(e.status, e.code, e.msg, { serverTime: now, retryAfter: retryAt });
  }
}
