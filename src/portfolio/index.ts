// The portfolio layer's public surface: positions, cash, P&L, round trips and equity folded from
// fills. Everything else in this folder is an implementation detail.

export { DAY_MS } from './daily-totals.ts';
export { EquityCurve, type EquityPoint } from './equity-curve.ts';
export {
  type AssetExposure,
  type CashBalance,
  Portfolio,
  type PortfolioOptions,
  type VenueExposure,
} from './portfolio.ts';
export { PORTFOLIO_LIMITS, type PortfolioLimits } from './portfolio-limits.ts';
export type { PositionSide, PositionView } from './position-view.ts';
export type { RoundTrip, RoundTripSide } from './round-trip.ts';
