// The closed set of reasons the pre-trade check refuses an order, and the verdict it returns.
// Codes are stable snake_case so callers can branch on them; every number a denial carries is an
// exact decimal string (quantities at the instrument's precision, money trimmed but never rounded),
// so a denial can be logged, journalled or sent as JSON without losing a digit.

import type { Side } from '../model/order.ts';

export const DENIAL_CODES = [
  'quantity_exceeds_max',
  'notional_exceeds_max',
  'position_exceeds_max',
  'position_notional_exceeds_max',
  'open_orders_exceed_max',
  'price_outside_band',
  'no_reference_price',
  'daily_loss_limit_reached',
  'trading_halted',
  'reduce_only_violation',
  'rate_limit_exceeded',
] as const;

export type DenialCode = (typeof DENIAL_CODES)[number];

interface DenialBase<C extends DenialCode> {
  readonly code: C;
  /** One sentence for people; the structured fields are for programs. */
  readonly message: string;
  /** Instrument key `venue:symbol` of the order that was checked. */
  readonly instrument: string;
}

export interface QuantityExceedsMax extends DenialBase<'quantity_exceeds_max'> {
  readonly quantity: string;
  readonly quantityMax: string;
}

export interface NotionalExceedsMax extends DenialBase<'notional_exceeds_max'> {
  /** The price the notional was computed at: limit, else trigger, else reference price. */
  readonly price: string;
  readonly notional: string;
  readonly notionalMax: string;
}

export interface PositionExceedsMax extends DenialBase<'position_exceeds_max'> {
  /** Signed current position (+ long, − short). */
  readonly position: string;
  /** Open quantity of working orders on the order's side. */
  readonly openQty: string;
  readonly quantity: string;
  /** Signed position if this order and every working order on its side filled. */
  readonly positionProjected: string;
  readonly positionMax: string;
}

export interface PositionNotionalExceedsMax extends DenialBase<'position_notional_exceeds_max'> {
  readonly positionProjected: string;
  /** The price the projected position is valued at: reference price, else the order's price. */
  readonly markPrice: string;
  readonly positionNotional: string;
  readonly positionNotionalMax: string;
}

export interface OpenOrdersExceedMax extends DenialBase<'open_orders_exceed_max'> {
  readonly openOrders: string;
  readonly openOrdersMax: string;
}

export interface PriceOutsideBand extends DenialBase<'price_outside_band'> {
  readonly field: 'price' | 'triggerPrice';
  readonly price: string;
  readonly referencePrice: string;
  /** Distance from the reference price in basis points, rounded up to 2 places. */
  readonly deviationBps: string;
  readonly bandBps: string;
}

/** A configured rule needs a reference price (latest mid or last trade) and there is none. */
export type ReferenceUser = 'price_band' | 'order_notional' | 'position_notional';

export interface NoReferencePrice extends DenialBase<'no_reference_price'> {
  readonly neededBy: readonly ReferenceUser[];
}

export interface DailyLossLimitReached extends DenialBase<'daily_loss_limit_reached'> {
  readonly currency: string;
  /** Realized P&L today in `currency`; negative is a loss. */
  readonly realizedPnl: string;
  readonly dailyLossMax: string;
}

export type TradingHalted = DenialBase<'trading_halted'>;

export interface ReduceOnlyViolation extends DenialBase<'reduce_only_violation'> {
  /** Why the order had to reduce: the trading state, or the order's own reduce-only flag. */
  readonly reason: 'trading_state' | 'order_flag';
  /** What the order would do instead: grow (or open) the position, or go through zero. */
  readonly effect: 'increases' | 'flips';
  readonly side: Side;
  readonly position: string;
  readonly quantity: string;
}

export interface RateLimitExceeded extends DenialBase<'rate_limit_exceeded'> {
  readonly ordersInWindow: string;
  readonly ordersPerSecondMax: string;
  readonly windowMs: string;
}

export type Denial =
  | QuantityExceedsMax
  | NotionalExceedsMax
  | PositionExceedsMax
  | PositionNotionalExceedsMax
  | OpenOrdersExceedMax
  | PriceOutsideBand
  | NoReferencePrice
  | DailyLossLimitReached
  | TradingHalted
  | ReduceOnlyViolation
  | RateLimitExceeded;

export type RiskPass = { readonly ok: true };
export type RiskDenied = { readonly ok: false; readonly denials: readonly Denial[] };
export type RiskVerdict = RiskPass | RiskDenied;

/** The one pass verdict: shared and frozen, so a passing check allocates nothing. */
export const PASS: RiskPass = Object.freeze({ ok: true as const });

/** Appends a rule's result to the denials gathered so far, allocating the list on first use. */
export function addDenial(denials: Denial[] | undefined, d: Denial | undefined): Denial[] | undefined {
  if (d === undefined) return denials;
  if (denials === undefined) return [d];
  denials.push(d);
  return denials;
}

export function verdictOf(denials: Denial[] | undefined): RiskVerdict {
  return denials === undefined ? PASS : { ok: false, denials };
}
