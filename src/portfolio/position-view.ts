// The read side of one position: decimal strings built from a PositionState on request, so the
// fill fast path never formats anything and a view can go straight to JSON.

import { formatPrice, formatQty } from '../model/instrument.ts';
import type { PositionState } from './position-state.ts';
import { perUnitText, tickPriceText, unitsText } from './units-text.ts';

export type PositionSide = 'long' | 'short' | 'flat';

export interface PositionView {
  /** Instrument key `venue:symbol`. */
  readonly instrument: string;
  readonly venue: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly side: PositionSide;
  /** Signed quantity of the base asset. */
  readonly qty: string;
  /** Open lots' cost / |qty| in quote money per unit of base; undefined when flat. */
  readonly avgPrice: string | undefined;
  /** `avgPrice` rounded half-even to the instrument's tick, for display; undefined when flat. */
  readonly avgPriceTick: string | undefined;
  /** Cost of the open lots in quote money (always >= 0, also for a short). */
  readonly cost: string;
  /** The price unrealized P&L is taken at: the newer of the last mark and the last fill. */
  readonly priceValuation: string | undefined;
  /** FIFO realized P&L in quote money; base-asset fees are inside it, other fees are not. */
  readonly realized: string;
  readonly unrealized: string;
  /** Fees paid per currency. */
  readonly fees: Readonly<Record<string, string>>;
  /** Base-asset fees smaller than one quantity unit, not yet taken from `qty`. */
  readonly feeDust: string;
}

export function positionView(s: PositionState): PositionView {
  const { inst } = s;
  const absQty = BigInt(Math.abs(s.qty));
  const fees: Record<string, string> = {};
  for (const [currency, cell] of [...s.fees].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    fees[currency] = unitsText(cell.value);
  return Object.freeze({
    instrument: inst.key,
    venue: inst.venue,
    symbol: inst.symbol,
    base: inst.base,
    quote: inst.quote,
    side: s.qty > 0 ? 'long' : s.qty < 0 ? 'short' : 'flat',
    qty: formatQty(inst, s.qty),
    avgPrice: s.qty === 0 ? undefined : perUnitText(inst, s.costPQ, absQty),
    avgPriceTick: s.qty === 0 ? undefined : tickPriceText(inst, s.costPQ, absQty),
    cost: unitsText(s.costPQ * s.moneyPerPQ),
    priceValuation: s.qty === 0 ? undefined : formatPrice(inst, s.valuationPrice()),
    realized: unitsText(s.realized),
    unrealized: unitsText(s.unrealized()),
    fees: Object.freeze(fees),
    feeDust: unitsText(s.feeDust),
  });
}
