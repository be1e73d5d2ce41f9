// Orders: the types a trader can ask for, and the engine's mutable record of one order. The
// record is only changed by the engine's event application (engine/apply.ts), so replaying the
// journal rebuilds it exactly.

import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Instrument } from './instrument.ts';
import type { Side } from './market.ts';
import type { OrderStatus } from './status.ts';

export type { Side } from './market.ts';

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCES = ['gtc', 'ioc', 'fok', 'day', 'gtd'] as const;
export type TimeInForce = (typeof TIME_IN_FORCES)[number];

/** Where an order lives: at the venue as the venue's own order type, or held by Ordo's emulator. */
export type Route = 'native' | 'emulated';

/** Which price a trailing stop follows: last trade, the quote side it would hit, or the mid. */
export type TrailingBasis = 'last' | 'quote' | 'mid';

export type TrailingOffsetKind = 'price' | 'percent' | 'bps' | 'ticks';

export interface TrailingParams {
  readonly offsetKind: TrailingOffsetKind;
  /** Absolute offsets (price, ticks) in price units; relative ones (percent, bps) in RATE units. */
  readonly offset: number;
  /** Inactive until the market first reaches this price (sell: at or above, buy: at or below). */
  readonly activationPrice: number | undefined;
  /** When set, the trigger releases a limit order this far beyond the stop price. */
  readonly limitOffset: number | undefined;
}

export type LegRole =
  | 'single'
  | 'entry'
  | 'take_profit'
  | 'stop_loss'
  | 'oco_leg'
  | 'oto_parent'
  | 'oto_child'
  | 'scale_leg';

export type Liquidity = 'maker' | 'taker';

/** The immutable facts of an order at creation; also the payload of the `order_created` event. */
export interface OrderInit {
  readonly id: OrderId;
  readonly instrument: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly expireAtMs: TimestampMs | undefined;
  readonly quantity: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly trailing: TrailingParams | undefined;
  /** The price stream a stop or trailing stop watches. */
  readonly triggerBasis: TrailingBasis;
  readonly route: Route;
  readonly role: LegRole;
  readonly listId: ListId | undefined;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
  readonly tag: string | undefined;
}

export enum ArmKind {
  None = 0,
  /** A stop or stop-limit waiting for its trigger price. */
  Stop = 1,
  /** A trailing stop waiting for its activation price. */
  TrailActivation = 2,
  /** A trailing stop following the market. */
  Trailing = 3,
  /** A trailing stop waiting for the first price on its stream. */
  TrailFirstPrice = 4,
}

export class Order {
  readonly id: OrderId;
  readonly instrument: Instrument;
  readonly side: Side;
  readonly type: OrderType;
  readonly route: Route;
  readonly role: LegRole;
  readonly listId: ListId | undefined;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
  readonly tag: string | undefined;
  readonly createdMs: TimestampMs;
  tif: TimeInForce;
  expireAtMs: TimestampMs | undefined;
  quantity: number;
  price: number | undefined;
  triggerPrice: number | undefined;
  trailing: TrailingParams | undefined;
  readonly triggerBasis: TrailingBasis;
  status: OrderStatus = 'initialized';
  filled = 0;
  /** Sum of price × quantity over fills, in money units; average price = notional / filled. */
  notionalFilled = 0n;
  fees = 0n;
  venueOrderId: string | undefined = undefined;
  /** Bumped on every venue-side replace, so each revision has its own client order id. */
  revision = 0;
  updatedMs: TimestampMs;
  /** For a released emulated order: the price at which its trigger fired. */
  triggeredAt: number | undefined = undefined;
  // Emulator bookkeeping (engine/emulator.ts): what the order is armed for, at which key, and
  // the trailing group it belongs to. Index entries that disagree with these are stale.
  armKind: ArmKind = ArmKind.None;
  /** Open quantity this order currently counts toward the engine's open-order totals. */
  counted = 0;
  /** Whether this order currently counts as a live order. */
  live = false;
  armKey = 0;
  trailGroup: unknown = undefined;

  constructor(init: OrderInit, instrument: Instrument, ts: TimestampMs) {
    this.id = init.id;
    this.instrument = instrument;
    this.side = init.side;
    this.type = init.type;
    this.route = init.route;
    this.role = init.role;
    this.listId = init.listId;
    this.reduceOnly = init.reduceOnly;
    this.postOnly = init.postOnly;
    this.tag = init.tag;
    this.tif = init.tif;
    this.expireAtMs = init.expireAtMs;
    this.quantity = init.quantity;
    this.price = init.price;
    this.triggerPrice = init.triggerPrice;
    this.trailing = init.trailing;
    this.triggerBasis = init.triggerBasis;
    this.createdMs = ts;
    this.updatedMs = ts;
  }

  get open(): number {
    return this.quantity - this.filled;
  }
}

export function isTriggerType(t: OrderType): boolean {
  return t === 'stop' || t === 'stop_limit' || t === 'trailing_stop';
}
