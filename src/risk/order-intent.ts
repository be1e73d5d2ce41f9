// What the risk layer is asked about: an order the engine is about to place, in exact instrument
// units. It is a plain value, not the engine's Order record, so risk can also judge orders that
// do not exist yet (what-if, the CLI, a bracket's children before release).

import type { Instrument } from '../model/instrument.ts';
import type { OrderType, Side } from '../model/order.ts';

export interface OrderIntent {
  readonly instrument: Instrument;
  readonly side: Side;
  readonly type: OrderType;
  /** Quantity in units of 10^-qtyScale; a positive safe integer. */
  readonly quantity: number;
  /** Limit price in units of 10^-priceScale; undefined for market, stop and trailing stop orders. */
  readonly price: number | undefined;
  /** Trigger (stop) price in price units; undefined when the order has none (yet). */
  readonly triggerPrice: number | undefined;
  /** The order may only reduce the current position; risk denies it when it would not. */
  readonly reduceOnly: boolean;
}
