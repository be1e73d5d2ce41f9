// Decimal text for the portfolio's views. Values are held as exact integers; these helpers turn
// them into strings once, at the edge, so a view never carries a binary fraction.

import { divRound, formatUnits, pow10 } from '../core/decimal.ts';
import { formatPrice, type Instrument, MONEY_SCALE } from '../model/instrument.ts';

/** Money (or an asset amount at MONEY_SCALE) as an exact decimal with trailing zeros trimmed. */
export function unitsText(units: bigint): string {
  return formatUnits(units, MONEY_SCALE, true);
}

/**
 * Quote money per whole unit of the base asset for `costPQ` (price × quantity units) spread over
 * `qty` quantity units: exact whenever the quotient terminates within MONEY_SCALE places, otherwise
 * rounded half-even at the last of them.
 */
export function perUnitText(inst: Instrument, costPQ: bigint, qty: bigint): string {
  return unitsText(divRound(costPQ * pow10(MONEY_SCALE - inst.priceScale), qty, 'half_even'));
}

/** The same average as a price on the instrument's tick grid, rounded half-even in one step. */
export function tickPriceText(inst: Instrument, costPQ: bigint, qty: bigint): string {
  const tick = BigInt(inst.priceIncrement);
  return formatPrice(inst, Number(divRound(costPQ, qty * tick, 'half_even') * tick));
}
