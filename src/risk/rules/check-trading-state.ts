// Rule trading_halted: while trading is halted no new order passes, whatever it would do. Cancels
// never reach this rule (RiskManager.checkCancel always passes). The reduce_only state is judged
// by check-reduce-only.ts, since whether an order reduces depends on the position.

import { assertNever } from '../../core/assert.ts';
import type { TradingHalted } from '../denial.ts';
import type { OrderIntent } from '../order-intent.ts';
import type { TradingState } from '../risk-limits.ts';

export function checkTradingState(intent: OrderIntent, state: TradingState): TradingHalted | undefined {
  if (state === 'active' || state === 'reduce_only') return undefined;
  return denial(intent, state);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, state: Exclude<TradingState, 'active' | 'reduce_only'>): TradingHalted {
  if (state === 'halted')
    return {
      code: 'trading_halted',
      message: 'trading is halted: no new orders are accepted (cancels still are)',
      instrument: intent.instrument.key,
    };
  return assertNever(state, 'trading state');
}
