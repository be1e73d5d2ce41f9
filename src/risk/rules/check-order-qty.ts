// Rule quantity_exceeds_max: one order may be no larger than orderQtyMax for its instrument.

import type { Bound, InstrumentLimits } from '../compile-limits.ts';
import type { QuantityExceedsMax } from '../denial.ts';
import { formatQtyOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkOrderQty(intent: OrderIntent, lim: InstrumentLimits): QuantityExceedsMax | undefined {
  const max = lim.orderQtyMax;
  if (max === undefined || !(intent.quantity > max.units)) return undefined;
  return denial(intent, max);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, max: Bound): QuantityExceedsMax {
  const quantity = formatQtyOf(intent.instrument, intent.quantity);
  return {
    code: 'quantity_exceeds_max',
    message: `order quantity ${quantity} exceeds the maximum ${max.text} for ${intent.instrument.key}`,
    instrument: intent.instrument.key,
    quantity,
    quantityMax: max.text,
  };
}
