// Rule position_exceeds_max: the position this order could build in its own direction (current
// position + working orders on its side + this order) may be no larger than positionQtyMax. An
// order that leaves the position smaller in its direction than the limit passes even when the
// current position is already over it, so a lowered limit never traps a trader in a position.

import { type Bound, exceeds, type InstrumentLimits } from '../compile-limits.ts';
import type { PositionExceedsMax } from '../denial.ts';
import { exposureAfter, signedPosition } from '../exposure.ts';
import { formatQtyOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

export function checkPositionQty(
  intent: OrderIntent,
  lim: InstrumentLimits,
  position: number,
  openSame: number,
): PositionExceedsMax | undefined {
  const max = lim.positionQtyMax;
  if (max === undefined) return undefined;
  const exposure = exposureAfter(intent.side, position, openSame, intent.quantity);
  if (!exceeds(max, exposure)) return undefined;
  return denial(intent, max, position, openSame, exposure);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(
  intent: OrderIntent,
  max: Bound,
  position: number,
  openSame: number,
  exposure: number | bigint,
): PositionExceedsMax {
  const inst = intent.instrument;
  const projected = formatQtyOf(inst, signedPosition(intent.side, exposure));
  return {
    code: 'position_exceeds_max',
    message: `projected position ${projected} (current ${formatQtyOf(inst, position)}, working ${formatQtyOf(inst, openSame)} on the ${intent.side} side, this order ${formatQtyOf(inst, intent.quantity)}) exceeds the maximum ${max.text} for ${inst.key}`,
    instrument: inst.key,
    position: formatQtyOf(inst, position),
    openQty: formatQtyOf(inst, openSame),
    quantity: formatQtyOf(inst, intent.quantity),
    positionProjected: projected,
    positionMax: max.text,
  };
}
