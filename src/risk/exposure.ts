// How an order changes a position, shared by the rules that care: the exposure it would build in
// its own direction, and whether it only reduces what is already held. Exposure is computed on
// `number`s and redone in bigint only when a sum leaves the safe-integer range.

import { big } from '../core/decimal.ts';
import type { Side } from '../model/order.ts';
import type { OrderIntent } from './order-intent.ts';

/**
 * The position in the order's direction (long for a buy, short for a sell) if this order and every
 * working order on its side filled. Negative when even that would leave the position on the other
 * side: such an order only reduces, and no position limit can deny it.
 */
export function exposureAfter(side: Side, position: number, openSame: number, qty: number): number | bigint {
  // Each partial sum is tested: a float sum of safe integers is exact exactly when it is safe, but
  // an inexact intermediate could come back into the safe range after the next step.
  const partial = side === 'buy' ? position + openSame : openSame - position;
  if (Number.isSafeInteger(partial)) {
    const e = partial + qty;
    if (Number.isSafeInteger(e)) return e;
  }
  const b = big(openSame) + big(qty);
  return side === 'buy' ? big(position) + b : b - big(position);
}

/** The signed position (+ long, − short) that an exposure in the order's direction stands for. */
export function signedPosition(side: Side, exposure: number | bigint): bigint {
  const e = typeof exposure === 'number' ? big(exposure) : exposure;
  return side === 'buy' ? e : -e;
}

/** True when the order only shrinks the current position: opposite side, no larger than it. */
export function isReducing(side: Side, qty: number, position: number): boolean {
  return side === 'buy' ? position < 0 && qty <= -position : position > 0 && qty <= position;
}

/** The order's own price: its limit price, else its trigger price. */
export function ownPrice(intent: OrderIntent): number | undefined {
  return intent.price ?? intent.triggerPrice;
}
