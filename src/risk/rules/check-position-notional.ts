// Rule position_notional_exceeds_max: the notional of the projected position (see
// check-position-qty.ts) may be no larger than positionNotionalMax. The position is valued at the
// reference price, which is what it is worth now, else at the order's own price; with neither,
// check-reference-price.ts denies the order.

import { type Bound, type InstrumentLimits, product, productExceeds } from '../compile-limits.ts';
import type { PositionNotionalExceedsMax } from '../denial.ts';
import { exposureAfter, ownPrice, signedPosition } from '../exposure.ts';
import { formatNotionalOf, formatPriceOf, formatQtyOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkPositionNotional(
  intent: OrderIntent,
  lim: InstrumentLimits,
  position: number,
  openSame: number,
  reference: number | undefined,
): PositionNotionalExceedsMax | undefined {
  const max = lim.positionNotionalMax;
  if (max === undefined) return undefined;
  const exposure = exposureAfter(intent.side, position, openSame, intent.quantity);
  if (exposure <= 0) return undefined;
  const mark = reference ?? ownPrice(intent);
  if (mark === undefined || !productExceeds(max, exposure, mark)) return undefined;
  return denial(intent, max, exposure, mark);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(
  intent: OrderIntent,
  max: Bound,
  exposure: number | bigint,
  mark: number,
): PositionNotionalExceedsMax {
  const inst = intent.instrument;
  const notional = formatNotionalOf(inst, product(exposure, mark));
  const projected = formatQtyOf(inst, signedPosition(intent.side, exposure));
  return {
    code: 'position_notional_exceeds_max',
    message: `projected position ${projected} at ${formatPriceOf(inst, mark)} is worth ${notional} ${inst.quote}, over the maximum ${max.text} for ${inst.key}`,
    instrument: inst.key,
    positionProjected: projected,
    markPrice: formatPriceOf(inst, mark),
    positionNotional: notional,
    positionNotionalMax: max.text,
  };
}

/** True when the rule would need a price it does not have: the position grows and there is no mark. */
export function positionNotionalNeedsReference(
  intent: OrderIntent,
  lim: InstrumentLimits,
  position: number,
  openSame: number,
): boolean {
  if (lim.positionNotionalMax === undefined || ownPrice(intent) !== undefined) return false;
  return exposureAfter(intent.side, position, openSame, intent.quantity) > 0;
}
