// Rule daily_loss_limit_reached: once today's realized P&L in the instrument's quote currency is at
// or below −dailyLossMax, only orders that reduce the current position (without flipping it) pass.
// Closing risk must stay possible after a bad day; opening more must not.

import type { Bound, InstrumentLimits } from '../compile-limits.ts';
import type { DailyLossLimitReached } from '../denial.ts';
import { isReducing } from '../exposure.ts';
import { formatMoneyOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkDailyLoss(
  intent: OrderIntent,
  lim: InstrumentLimits,
  position: number,
  realizedPnl: bigint,
): DailyLossLimitReached | undefined {
  const max = lim.dailyLossMax;
  const floor = lim.dailyPnlFloor;
  if (max === undefined || floor === undefined || realizedPnl > floor) return undefined;
  if (isReducing(intent.side, intent.quantity, position)) return undefined;
  return denial(intent, max, realizedPnl);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, max: Bound, realizedPnl: bigint): DailyLossLimitReached {
  const inst = intent.instrument;
  const pnl = formatMoneyOf(inst, realizedPnl);
  return {
    code: 'daily_loss_limit_reached',
    message: `realized P&L today ${pnl} ${inst.quote} has reached the daily loss limit ${max.text}: only orders that reduce a position are accepted`,
    instrument: inst.key,
    currency: inst.quote,
    realizedPnl: pnl,
    dailyLossMax: max.text,
  };
}
