// A fill: the venue's statement that part of an order traded. Fills are facts: they are applied
// even to an order already cancelled, and de-duplicated by (venue, trade id).

import type { OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Liquidity, Side } from './order.ts';

export interface Fill {
  readonly orderId: OrderId;
  /** Instrument key `venue:symbol`. */
  readonly instrument: string;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  /** Fee in money units of `feeCurrency`. */
  readonly fee: bigint;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly tradeId: string;
  readonly ts: TimestampMs;
}
