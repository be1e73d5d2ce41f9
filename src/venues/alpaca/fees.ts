// What a fill costs in Ordo's books. Alpaca's order and fill answers carry no fee: equities trade
// commission-free, and a crypto fee is taken from the asset the trade credits (the base of a buy,
// the quote of a sell) and booked as a CFEE activity, so it shows only in balances. Ordo charges a
// crypto fill at the instrument's maker/taker rate (`FEE_PRESETS.alpaca_crypto` unless configured):
//
//   received   in the asset received: base for a buy (qty × rate), quote for a sell (default)
//   quote      always in the quote currency (notional × rate): brokers that charge so, the fake
//   none       not at all
//
// Amounts are rounded half-even to MONEY_SCALE, as Ordo's paper matcher rounds them.

import { divRound, pow10 } from '../../core/decimal.ts';
import { type Instrument, MONEY_SCALE, notionalOf, RATE_ONE } from '../../model/instrument.ts';
import type { Liquidity, Side } from '../../model/order.ts';

export type CryptoFees = 'received' | 'quote' | 'none';

/** A fee in money units of its currency. */
export interface Charge {
  readonly fee: bigint;
  readonly currency: string;
}

/** The fee Ordo books for one fill. */
export function fillFee(
  inst: Instrument,
  side: Side,
  price: number,
  quantity: number,
  liquidity: Liquidity,
  mode: CryptoFees = 'received',
): Charge {
  if (inst.kind !== 'crypto_spot' || mode === 'none') return { fee: 0n, currency: inst.quote };
  const rate = BigInt(liquidity === 'maker' ? inst.feeMaker : inst.feeTaker);
  if (mode === 'received' && side === 'buy') {
    const base = BigInt(quantity) * pow10(MONEY_SCALE - inst.qtyScale);
    return { fee: divRound(base * rate, BigInt(RATE_ONE), 'half_even'), currency: inst.base };
  }
  return {
    fee: divRound(notionalOf(inst, price, quantity) * rate, BigInt(RATE_ONE), 'half_even'),
    currency: inst.quote,
  };
}
