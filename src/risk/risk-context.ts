// The read-only view of the world a risk check needs, supplied by the engine on every call. Risk
// never holds positions, orders or market data itself: it asks for exactly the numbers a rule
// needs, and only when a configured rule needs them, so an engine can back this with its own maps.

import type { TimestampMs } from '../core/ports.ts';
import type { Side } from '../model/order.ts';

export interface RiskContext {
  /** The engine's current time (from its inputs, never the wall clock); drives the rate limit. */
  readonly nowMs: TimestampMs;
  /** Signed position in quantity units: + long, − short, 0 flat. */
  positionQty(instrumentKey: string): number;
  /** Sum of the open (unfilled) quantity of working orders on one side, in quantity units. */
  openQty(instrumentKey: string, side: Side): number;
  /** Number of working orders across all instruments. */
  openOrdersCount(): number;
  /** Latest mid or last trade in price units; undefined when the engine has seen none. */
  referencePrice(instrumentKey: string): number | undefined;
  /** Realized P&L since the start of the trading day, in money units; negative is a loss. */
  realizedPnlToday(currency: string): bigint;
}
