// Per-currency sums bucketed by trading day, so "realized P&L today" is one map lookup instead of a
// scan over fills. A day starts at UTC midnight plus a fixed offset; buckets are whole days, and
// the oldest buckets are dropped past a named limit so the map stays bounded.

import { assert, InvariantError } from '../core/assert.ts';
import type { TimestampMs } from '../core/ports.ts';
import { MoneyCell } from './money-cell.ts';

export const DAY_MS = 86_400_000;

export class DailyTotals {
  private readonly byCurrency = new Map<string, Map<number, MoneyCell>>();
  /**
   * The day last added to or asked about, by currency and start: fills and risk checks mostly
   * touch the same day in the same currency as the one before, so they update or read its cell
   * without a map lookup (each day's total is a cell, added to in place). `hotCell` is undefined
   * while that day has no total yet.
   */
  private hotCurrency: string | undefined = undefined;
  private hotDayStartMs = 0;
  private hotCell: MoneyCell | undefined = undefined;

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
    const hot = this.hotCell;
    const start = this.hotDayStartMs;
    if (hot !== undefined && currency === this.hotCurrency && ts >= start && ts - start < DAY_MS) {
      hot.value += amount;
      return;
    }
    let days = this.byCurrency.get(currency);
    if (days === undefined) {
      days = new Map();
      this.byCurrency.set(currency, days);
    }
    const day = this.dayOf(ts);
    let cell = days.get(day);
    if (cell === undefined) {
      cell = new MoneyCell();
      days.set(day, cell);
      if (days.size > this.bucketsMax) dropOldest(days);
      if (days.get(day) !== cell) {
        // A day older than every day kept is dropped at once, its amount with it.
        this.hotCurrency = undefined;
        this.hotCell = undefined;
        return;
      }
    }
    cell.value += amount;
    this.hotCurrency = currency;
    this.hotDayStartMs = day * DAY_MS + this.dayOffsetMs;
    this.hotCell = cell;
  }

  /** The total for the trading day that starts at `dayStartMs` (which must be a day start). */
  onDay(currency: string, dayStartMs: TimestampMs): bigint {
    // Every risk check asks this, mostly the same question as the one before.
    if (currency === this.hotCurrency && dayStartMs === this.hotDayStartMs) return this.hotCell?.value ?? 0n;
    const day = this.dayOf(dayStartMs);
    // isDayStart, tested without a floating-point remainder: exact, as times are integers far
    // below 2^53.
    if (day * DAY_MS + this.dayOffsetMs !== dayStartMs)
      throw new InvariantError(`not the start of a trading day: ${dayStartMs}`);
    const cell = this.byCurrency.get(currency)?.get(day);
    this.hotCurrency = currency;
    this.hotDayStartMs = dayStartMs;
    this.hotCell = cell;
    return cell?.value ?? 0n;
  }
}

function dropOldest(days: Map<number, MoneyCell>): void {
  // A new day is added at most once per day per currency, so this scan is rare.
  let oldest = Number.POSITIVE_INFINITY;
  for (const day of days.keys()) if (day < oldest) oldest = day;
  days.delete(oldest);
}
