// Rule no_reference_price: a configured rule needs the instrument's reference price (latest mid
// or last trade) and the engine has none. The price band always needs it (a market order is
// checked against its existence only); a notional limit needs it when the order has no price of
// its own. Without a price those limits cannot be checked, and a risk limit fails closed.

import type { InstrumentLimits } from '../compile-limits.ts';
import type { NoReferencePrice, ReferenceUser } from '../denial.ts';
import { ownPrice } from '../exposure.ts';
import type { OrderIntent } from '../order-intent.ts';
import { positionNotionalNeedsReference } from './check-position-notional.ts';

export function checkReferencePrice(
  intent: OrderIntent,
  lim: InstrumentLimits,
  reference: number | undefined,
  position: number,
  openSame: number,
): NoReferencePrice | undefined {
  if (reference !== undefined || !lim.needsReference) return undefined;
  return denial(intent, lim, position, openSame);
}

/**
 * The denial, when some rule needs the missing price: built only when the price is missing, so
 * that the check inlines.
 */
function denial(
  intent: OrderIntent,
  lim: InstrumentLimits,
  position: number,
  openSame: number,
): NoReferencePrice | undefined {
  const neededBy: ReferenceUser[] = [];
  if (lim.priceBandBps !== undefined) neededBy.push('price_band');
  if (lim.orderNotionalMax !== undefined && ownPrice(intent) === undefined) neededBy.push('order_notional');
  if (positionNotionalNeedsReference(intent, lim, position, openSame)) neededBy.push('position_notional');
  if (neededBy.length === 0) return undefined;
  return {
    code: 'no_reference_price',
    message: `no reference price for ${intent.instrument.key}, needed by ${neededBy.join(', ')}`,
    instrument: intent.instrument.key,
    neededBy,
  };
}
