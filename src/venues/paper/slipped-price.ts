// Slippage models of the paper venue: how much worse than the quoted price a market order fills.
// Slippage is a fraction of the reference price (the ask for a buy, the bid for a sell):
//
//   none  fraction = 0; the reference price is used as it is.
//   bps   fraction = bps / 10 000.
//   size  fraction = bpsPerDisplayedSize × quantity / displayed / 10 000, where `quantity` is what
//         is still open on the order and `displayed` the size shown at the reference price (the
//         quote's size, or the last trade's size when there is no quote). An order as large as the
//         displayed size slips `bpsPerDisplayedSize` basis points; half as large, half as much.
//         With no displayed size known the fraction is 0.
//
// A buy pays reference × (1 + fraction), a sell receives reference × (1 − fraction); the result is
// rounded once, exactly, to the tick grid against the taker (up for a buy, down for a sell), and a
// sell never goes below one tick.

import { assert, assertNever } from '../../core/assert.ts';
import { divRound, toSafe } from '../../core/decimal.ts';
import type { Side } from '../../model/market.ts';

export type SlippageModel =
  | { readonly kind: 'none' }
  | { readonly kind: 'bps'; readonly bps: number }
  | { readonly kind: 'size'; readonly bpsPerDisplayedSize: number };

export const BPS_ONE = 10_000n;

export interface SlipInput {
  readonly side: Side;
  /** Reference price in price units. */
  readonly price: number;
  /** Quantity still to fill, in quantity units. */
  readonly quantity: number;
  /** Size shown at the reference price, in quantity units; undefined when unknown. */
  readonly displayed: number | undefined;
  /** Tick size in price units. */
  readonly tick: number;
}

/** Checks a model's parameters: basis points are non-negative safe integers. */
export function validSlippage(model: SlippageModel): boolean {
  switch (model.kind) {
    case 'none':
      return true;
    case 'bps':
      return Number.isSafeInteger(model.bps) && model.bps >= 0;
    case 'size':
      return Number.isSafeInteger(model.bpsPerDisplayedSize) && model.bpsPerDisplayedSize >= 0;
    default:
      return assertNever(model, 'slippage model');
  }
}

/** The price a market order fills at under `model`, on the tick grid and against the taker. */
export function slippedPrice(model: SlippageModel, input: SlipInput): number {
  // The slippage fraction is num / den, kept exact.
  let num: bigint;
  let den: bigint;
  switch (model.kind) {
    case 'none':
      return input.price;
    case 'bps':
      num = BigInt(model.bps);
      den = BPS_ONE;
      break;
    case 'size': {
      const shown = input.displayed;
      if (shown === undefined || shown <= 0) {
        num = 0n;
        den = 1n;
      } else {
        num = BigInt(model.bpsPerDisplayedSize) * BigInt(input.quantity);
        den = BPS_ONE * BigInt(shown);
      }
      break;
    }
    default:
      return assertNever(model, 'slippage model');
  }
  const price = BigInt(input.price);
  const tick = BigInt(input.tick);
  let units: bigint;
  if (input.side === 'buy') {
    units = divRound(price * (den + num), den * tick, 'ceil') * tick;
  } else {
    units = divRound(price * (den - num), den * tick, 'floor') * tick;
    if (units < tick) units = tick;
  }
  const out = toSafe(units);
  assert(out !== undefined, () => `slipped price out of range: ${units}`);
  return out;
}
