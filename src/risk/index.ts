// The risk layer's public surface: the pre-trade check, its limits, and the closed set of
// denials. Risk is pure: it imports only from core and model, reads the world through the
// RiskContext the engine supplies, and never performs an action.

export type {
  DailyLossLimitReached,
  Denial,
  DenialCode,
  NoReferencePrice,
  NotionalExceedsMax,
  OpenOrdersExceedMax,
  PositionExceedsMax,
  PositionNotionalExceedsMax,
  PriceOutsideBand,
  QuantityExceedsMax,
  RateLimitExceeded,
  ReduceOnlyViolation,
  ReferenceUser,
  RiskDenied,
  RiskPass,
  RiskVerdict,
  TradingHalted,
} from './denial.ts';
export { DENIAL_CODES, PASS } from './denial.ts';
export type { OrderIntent } from './order-intent.ts';
export { RATE_WINDOW_MS, RateLimiter } from './rate-limiter.ts';
export type { RiskContext } from './risk-context.ts';
export type { PerInstrument, RiskLimits, RiskLimitsPatch, TradingState } from './risk-limits.ts';
export {
  LIMIT_SCALE,
  ORDERS_PER_SECOND_CEILING,
  parseRiskLimits,
  parseTradingState,
  patchRiskLimits,
  TRADING_STATES,
} from './risk-limits.ts';
export type { RiskWhatIf } from './risk-manager.ts';
export { RiskManager } from './risk-manager.ts';
export type { StaticRiskContextInit } from './static-risk-context.ts';
export { StaticRiskContext } from './static-risk-context.ts';
