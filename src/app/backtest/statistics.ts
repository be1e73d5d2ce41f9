// Backtest statistics. Everything that is money — P&L, fees, drawdown, equity — is exact `bigint`
// in money units (10^-18 of the quote currency), computed from the portfolio and the equity
// samples; only ratios (win rate, drawdown as a share of the peak, Sharpe) are floats, made at the
// presentation edge from exact inputs.
//
// Drawdown is measured on every equity sample the runner takes (after each market data item), not
// on the thinned curve the chart shows. Sharpe is the mean over the standard deviation of the
// returns between equity samples taken at the close of each period (the strategy's bar length),
// annualised with √(periods in a 365-day year) because crypto trades every day; it is undefined
// with fewer than two returns or no variation.

import { formatUnits } from '../../core/decimal.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';

const YEAR_MS = 365 * 86_400_000;

/** Tracks peak and deepest drawdown over a stream of equity samples. */
export class DrawdownTracker {
  private peak: bigint | undefined;
  /** The deepest fall below a running peak, and the peak it fell from. */
  maxDrawdown = 0n;
  peakAtMaxDrawdown = 0n;

  add(equity: bigint): void {
    if (this.peak === undefined || equity > this.peak) this.peak = equity;
    const dd = this.peak - equity;
    if (dd > this.maxDrawdown) {
      this.maxDrawdown = dd;
      this.peakAtMaxDrawdown = this.peak;
    }
  }
}

/** Equity at the end of each period of `periodMs`: the last sample at or before each boundary. */
export class PeriodSampler {
  readonly closes: bigint[] = [];
  private boundary: number | undefined;
  private last: bigint | undefined;

  constructor(readonly periodMs: number) {}

  add(ts: number, equity: bigint): void {
    if (this.boundary === undefined) {
      this.boundary = (Math.floor(ts / this.periodMs) + 1) * this.periodMs;
      this.closes.push(equity); // the starting equity
    }
    while (ts >= this.boundary) {
      this.closes.push(this.last ?? equity);
      this.boundary += this.periodMs;
    }
    this.last = equity;
  }

  /** Closes the period in progress. */
  finish(): readonly bigint[] {
    if (this.last !== undefined) this.closes.push(this.last);
    this.last = undefined;
    return this.closes;
  }
}

export interface TradeOutcome {
  /** Realized P&L of a closed round trip net of fees in the quote currency, money units. */
  readonly realizedNet: bigint;
}

export interface BacktestStatistics {
  readonly currency: string;
  readonly equityStart: bigint;
  readonly equityEnd: bigint;
  /** equityEnd − equityStart: realized and unrealized, net of every fee in the quote currency. */
  readonly netPnl: bigint;
  /** Realized P&L before fees in the quote currency. */
  readonly realizedPnl: bigint;
  readonly fees: bigint;
  readonly maxDrawdown: bigint;
  /** maxDrawdown / the peak it fell from; 0 without a drawdown. */
  readonly maxDrawdownRatio: number;
  readonly roundTrips: number;
  readonly wins: number;
  readonly losses: number;
  /** wins / round trips; undefined with no closed round trip. */
  readonly winRate: number | undefined;
  readonly fills: number;
  readonly orders: number;
  readonly sharpe: number | undefined;
  readonly periodMs: number;
}

export interface StatisticsInput {
  readonly currency: string;
  readonly equityStart: bigint;
  readonly equityEnd: bigint;
  readonly realizedPnl: bigint;
  readonly fees: bigint;
  readonly drawdown: DrawdownTracker;
  readonly periodCloses: readonly bigint[];
  readonly periodMs: number;
  readonly trips: readonly TradeOutcome[];
  readonly fills: number;
  readonly orders: number;
}

export function computeStatistics(input: StatisticsInput): BacktestStatistics {
  const wins = input.trips.filter((t) => t.realizedNet > 0n).length;
  const losses = input.trips.filter((t) => t.realizedNet < 0n).length;
  const dd = input.drawdown;
  return {
    currency: input.currency,
    equityStart: input.equityStart,
    equityEnd: input.equityEnd,
    netPnl: input.equityEnd - input.equityStart,
    realizedPnl: input.realizedPnl,
    fees: input.fees,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownRatio: dd.peakAtMaxDrawdown > 0n ? ratio(dd.maxDrawdown, dd.peakAtMaxDrawdown) : 0,
    roundTrips: input.trips.length,
    wins,
    losses,
    winRate: input.trips.length === 0 ? undefined : wins / input.trips.length,
    fills: input.fills,
    orders: input.orders,
    sharpe: sharpeRatio(input.periodCloses, input.periodMs),
    periodMs: input.periodMs,
  };
}

/** a / b as a float, taken from an exact quotient at 12 decimal places. */
export function ratio(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  return Number((a * 10n ** 12n) / b) / 1e12;
}

/** Annualised Sharpe ratio of the returns between consecutive period closes (risk-free rate 0). */
export function sharpeRatio(closes: readonly bigint[], periodMs: number): number | undefined {
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const prev = closes[i - 1] as bigint;
    if (prev <= 0n) return undefined;
    returns.push(ratio((closes[i] as bigint) - prev, prev));
  }
  if (returns.length < 2) return undefined;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) return undefined;
  return (mean / sd) * Math.sqrt(YEAR_MS / periodMs);
}

/** Money units as exact decimal text, trailing zeros trimmed (for JSON). */
export const moneyText = (units: bigint): string => formatUnits(units, MONEY_SCALE, true);

/** The statistics as JSON-safe values: money as exact decimal strings. */
export function statisticsJson(s: BacktestStatistics): Record<string, string | number | null> {
  return {
    currency: s.currency,
    equityStart: moneyText(s.equityStart),
    equityEnd: moneyText(s.equityEnd),
    netPnl: moneyText(s.netPnl),
    realizedPnl: moneyText(s.realizedPnl),
    fees: moneyText(s.fees),
    maxDrawdown: moneyText(s.maxDrawdown),
    maxDrawdownPercent: round(s.maxDrawdownRatio * 100, 6),
    roundTrips: s.roundTrips,
    wins: s.wins,
    losses: s.losses,
    winRatePercent: s.winRate === undefined ? null : round(s.winRate * 100, 6),
    fills: s.fills,
    orders: s.orders,
    sharpe: s.sharpe === undefined ? null : round(s.sharpe, 6),
    sharpePeriodMs: s.periodMs,
  };
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
