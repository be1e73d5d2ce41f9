// The portfolio's named bounds. Every collection the portfolio keeps that could grow with time has
// a limit here, so a process that runs for months holds a bounded amount of memory.

export interface PortfolioLimits {
  /** Points kept in the equity curve; when full it is decimated (every 2nd point kept). */
  readonly equityCurvePointsMax: number;
  /** Closed round trips kept; when full the oldest quarter is dropped. */
  readonly roundTripsMax: number;
  /** Trade ids (and distinct order ids) recorded per round trip; further fills are only counted. */
  readonly roundTripFillIdsMax: number;
  /** Daily buckets kept per currency for the realized-today and fees-today accumulators. */
  readonly dailyBucketsMax: number;
}

export const PORTFOLIO_LIMITS: PortfolioLimits = Object.freeze({
  equityCurvePointsMax: 10_000,
  roundTripsMax: 100_000,
  roundTripFillIdsMax: 10_000,
  dailyBucketsMax: 400,
});
