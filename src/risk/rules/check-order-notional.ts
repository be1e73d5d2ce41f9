// Rule notional_exceeds_max: one order's notional (price × quantity, in the quote currency) may be
// no larger than orderNotionalMax. The price is the order's limit price, else its trigger price,
// else the reference price (a market order). With none of them the notional is unknown and
// check-reference-price.ts denies the order instead: a risk limit fails closed.

import { type Bound, type InstrumentLimits, product, productExceeds } from '../compile-limits.ts';
import type { NotionalExceedsMax } from '../denial.ts';
import { ownPrice } from '../exposure.ts';
import { formatNotionalOf, formatPriceOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkOrderNotional(
  intent: OrderIntent,
  lim: InstrumentLimits,
  reference: number | undefined,
): NotionalExceedsMax | undefined {
  const max = lim.orderNotionalMax;
  if (max === undefined) return undefined;
  const price = ownPrice(intent) ?? reference;
  if (price === undefined || !productExceeds(max, intent.quantity, price)) return undefined;
  return denial(intent, max, price);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(intent: OrderIntent, max: Bound, price: number): NotionalExceedsMax {
  const inst = intent.instrument;
  const notional = formatNotionalOf(inst, product(intent.quantity, price));
  return {
    code: 'notional_exceeds_max',
    message: `order notional ${notional} ${inst.quote} exceeds the maximum ${max.text} for ${inst.key}`,
    instrument: inst.key,
    price: formatPriceOf(inst, price),
    notional,
    notionalMax: max.text,
  };
}
