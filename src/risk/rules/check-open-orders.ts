// Rule open_orders_exceed_max: at most openOrdersMax working orders across all instruments, so
// an order is denied when that many are already working.

import type { InstrumentLimits } from '../compile-limits.ts';
import type { OpenOrdersExceedMax } from '../denial.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkOpenOrders(
  intent: OrderIntent,
  lim: InstrumentLimits,
  openOrders: number,
): OpenOrdersExceedMax | undefined {
  const max = lim.openOrdersMax;
  if (max === undefined || openOrders < max) return undefined;
  return denial(intent, openOrders, max);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, openOrders: number, max: number): OpenOrdersExceedMax {
  return {
    code: 'open_orders_exceed_max',
    message: `${openOrders} orders are working; the maximum is ${max}`,
    instrument: intent.instrument.key,
    openOrders: String(openOrders),
    openOrdersMax: String(max),
  };
}
