// Per-currency sums bucketed by trading day, so "realized P&L today" is one map lookup instead of a
// scan over fills. A day starts at UTC midnight plus a fixed offset; buckets are whole days, and
// the oldest buckets are dropped past a named limit so the map stays bounded.

import { assert, InvariantError } from '../core/assert.ts';
import type { TimestampMs } from '../core/ports.ts';

export const DAY_MS = 86_400_000;

export class DailyTotals {
  private readonly byCurrency = new Map<string, Map<number, bigint>>();

  constructor(
    private readonly dayOffsetMs: number,
    private readonly bucketsMax: number,
  ) {
    assert(Number.isSafeInteger(dayOffsetMs) && Math.abs(dayOffsetMs) < DAY_MS, 'dayOffsetMs out of range');
    assert(Number.isSafeInteger(bucketsMax) && bucketsMax >= 1, 'dailyBucketsMax must be >= 1');
  }

  /** Index of the trading day that contains `ts`. */
  dayOf(ts: TimestampMs): number {
    return Math.floor((ts - this.dayOffsetMs) / DAY_MS);
  }

  /** True when `ts` is the first millisecond of a trading day. */
  isDayStart(ts: TimestampMs): boolean {
    return (ts - this.dayOffsetMs) % DAY_MS === 0;
  }

  add(currency: string, ts: TimestampMs, amount: bigint): void {
    this.lastAsked = undefined;
    let days = this.byCurrency.get(currency);
    if (days === undefined) {
      days = new Map();
      this.byCurrency.set(currency, days);
    }
    const day = this.dayOf(ts);
    const prev = days.get(day);
    if (prev !== undefined) {
      days.set(day, prev + amount);
      return;
    }
    days.set(day, amount);
    if (days.size > this.bucketsMax) dropOldest(days);
  }

  /** The total for the trading day that starts at `dayStartMs` (which must be a day start). */
  onDay(currency: string, dayStartMs: TimestampMs): bigint {
    // Every risk check asks this, mostly the same question as the one before: the last answer is
    // kept until the next add().
    const last = this.lastAsked;
    if (last !== undefined && last.currency === currency && last.dayStartMs === dayStartMs) return last.total;
    const total = this.lookUp(currency, dayStartMs);
    this.lastAsked = { currency, dayStartMs, total };
    return total;
  }

  private lastAsked: { currency: string; dayStartMs: TimestampMs; total: bigint } | undefined = undefined;

  private lookUp(currency: string, dayStartMs: TimestampMs): bigint {
    const day = this.dayOf(dayStartMs);
    // isDayStart, tested without a floating-point remainder (a slow operation on this hot path,
    // asked by every risk check): exact, as times are integers far below 2^53.
    if (day * DAY_MS + this.dayOffsetMs !== dayStartMs)
      throw new InvariantError(`not the start of a trading day: ${dayStartMs}`);
    return this.byCurrency.get(currency)?.get(day) ?? 0n;
  }
}

function dropOldest(days: Map<number, bigint>): void {
  // A new day is added at most once per day per currency, so this scan is rare.
  let oldest = Number.POSITIVE_INFINITY;
  for (const day of days.keys()) if (day < oldest) oldest = day;
  days.delete(oldest);
}
