// Rule reduce_only_violation: in the reduce_only trading state, and for any order flagged
// reduceOnly, the order must shrink the current position without going through zero. Only the
// current position counts, not other working orders: a bracket's take-profit and stop-loss are
// both full-size reducing orders, and only one of them can fill.

import type { ReduceOnlyViolation } from '../denial.ts';
import { isReducing } from '../exposure.ts';
import { formatQtyOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { TradingState } from '../risk-limits.ts';

export function checkReduceOnly(
  intent: OrderIntent,
  state: TradingState,
  position: number,
): ReduceOnlyViolation | undefined {
  const byState = state === 'reduce_only';
  if (!byState && !intent.reduceOnly) return undefined;
  if (isReducing(intent.side, intent.quantity, position)) return undefined;
  return denial(intent, byState, position);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, byState: boolean, position: number): ReduceOnlyViolation {
  const { side, quantity, instrument } = intent;
  const opposite = side === 'buy' ? position < 0 : position > 0;
  const effect = opposite ? 'flips' : 'increases';
  const why = byState ? 'trading is reduce-only' : 'the order is reduce-only';
  const pos = formatQtyOf(instrument, position);
  const qty = formatQtyOf(instrument, quantity);
  return {
    code: 'reduce_only_violation',
    message:
      effect === 'flips'
        ? `${why}: ${side} ${qty} would flip the position ${pos} through zero`
        : `${why}: ${side} ${qty} would increase the position ${pos}`,
    instrument: instrument.key,
    reason: byState ? 'trading_state' : 'order_flag',
    effect,
    side,
    position: pos,
    quantity: qty,
  };
}
