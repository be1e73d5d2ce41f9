// Exact decimal strings for denial details and summaries. Values are never rounded: a notional is
// shown with every digit it has, trailing zeros trimmed, and padded to the instrument's price
// precision so that money reads the way its quote currency is usually written ('5000.00').

import { formatUnits } from '../core/decimal.ts';
import { type Instrument, MONEY_SCALE } from '../model/instrument.ts';

/** Units of 10^-scale as a decimal with no trailing zeros beyond `minDigits` fractional digits. */
export function formatDecimal(units: bigint, scale: number, minDigits: number): string {
  const s = formatUnits(units, scale, true);
  const dot = s.indexOf('.');
  const have = dot < 0 ? 0 : s.length - dot - 1;
  if (have >= minDigits) return s;
  return `${dot < 0 ? `${s}.` : s}${'0'.repeat(minDigits - have)}`;
}

/** Money units (MONEY_SCALE) in the instrument's quote currency. */
export function formatMoneyOf(inst: Instrument, units: bigint): string {
  return formatDecimal(units, MONEY_SCALE, inst.priceScale);
}

/** A price × quantity product, in units of 10^-(priceScale + qtyScale) of the quote currency. */
export function formatNotionalOf(inst: Instrument, units: bigint): string {
  return formatDecimal(units, inst.priceScale + inst.qtyScale, inst.priceScale);
}

/** Quantity units, exact at the instrument's precision. */
export function formatQtyOf(inst: Instrument, units: number | bigint): string {
  return formatUnits(units, inst.qtyScale);
}

/** Price units, exact at the instrument's precision. */
export function formatPriceOf(inst: Instrument, units: number | bigint): string {
  return formatUnits(units, inst.priceScale);
}
