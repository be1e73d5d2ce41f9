// Take-profit and stop-loss levels of a bracket, from percentages or absolute prices. Levels
// derive from the entry price: the limit price of a limit or stop-limit entry, the market price
// for a market entry, and the position's average entry price for a bracket without an entry.
// Percent levels round half-even to the tick. A buy bracket needs TP above and SL below the entry.

import { divRound, parseUnits } from '../core/decimal.ts';
import type { FieldIssue } from '../core/errors.ts';
import { type DecimalInput, decimalText, type Instrument, RATE_ONE, readPrice } from '../model/instrument.ts';
import type { Side } from '../model/order.ts';

/** A level given as an absolute price or as a percent distance from the entry. */
export type LevelSpec = { readonly price: DecimalInput } | { readonly percent: DecimalInput };

export function levelPrice(
  spec: LevelSpec | undefined,
  entry: number,
  side: Side,
  kind: 'takeProfit' | 'stopLoss',
  inst: Instrument,
  issues: FieldIssue[],
): number | undefined {
  if (spec === undefined || spec === null || typeof spec !== 'object') {
    issues.push({ field: kind, rule: 'required', message: 'needs a price or a percent' });
    return undefined;
  }
  let price: number | undefined;
  if ('price' in spec && spec.price !== undefined)
    price = readPrice(inst, spec.price, `${kind}.price`, issues);
  else if ('percent' in spec && spec.percent !== undefined) {
    const t = decimalText(spec.percent);
    const pct = t === undefined ? undefined : parseUnits(t, 6);
    if (pct === undefined || pct <= 0n || pct >= 100_000_000n) {
      issues.push({ field: `${kind}.percent`, rule: 'range', message: 'must be > 0 and < 100' });
      return undefined;
    }
    // Up for a buy's take-profit and a sell's stop-loss; down otherwise.
    const up = (kind === 'takeProfit') === (side === 'buy');
    const rate = pct; // percent with 6 places = fraction with 8 places, i.e. RATE units
    const factor = up ? BigInt(RATE_ONE) + rate : BigInt(RATE_ONE) - rate;
    const tick = BigInt(inst.priceIncrement);
    price = Number(divRound(BigInt(entry) * factor, BigInt(RATE_ONE) * tick, 'half_even') * tick);
    if (price <= 0) {
      issues.push({ field: `${kind}.percent`, rule: 'range', message: 'gives a price at or below zero' });
      return undefined;
    }
  } else {
    issues.push({ field: kind, rule: 'required', message: 'needs a price or a percent' });
    return undefined;
  }
  if (price === undefined) return undefined;
  const above = price > entry;
  const wantAbove = (kind === 'takeProfit') === (side === 'buy');
  if (above !== wantAbove || price === entry)
    issues.push({
      field: 'price' in spec ? `${kind}.price` : `${kind}.percent`,
      rule: wantAbove ? 'above_entry' : 'below_entry',
      message: `a ${side} bracket's ${kind === 'takeProfit' ? 'take-profit' : 'stop-loss'} must be ${wantAbove ? 'above' : 'below'} the entry price`,
    });
  return price;
}
