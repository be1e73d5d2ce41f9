// The fake's order records: every Alpaca order ever placed, with prices and quantities in the
// exact units of its asset's instrument, money in bigint units of 10^-18 USD, and the links of
// advanced orders (a bracket or OTO entry and its legs, an OCO pair) and of replacements.

import type { AssetSpec } from './fake-assets.ts';

export const SIDES = ['buy', 'sell'] as const;
export type AlpacaSide = (typeof SIDES)[number];
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export type AlpacaOrderType = (typeof ORDER_TYPES)[number];
export const TIFS = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
export type AlpacaTif = (typeof TIFS)[number];
export const ORDER_CLASSES = ['', 'simple', 'bracket', 'oco', 'oto'] as const;
/** As the client sent it (`''` and `simple` are the same class; the answer echoes the spelling). */
export type OrderClassText = (typeof ORDER_CLASSES)[number];
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';

/** Statuses the fake produces (Alpaca spellings). */
export type OrderStatus =
  | 'pending_new'
  | 'accepted'
  | 'new'
  | 'held'
  | 'partially_filled'
  | 'filled'
  | 'pending_cancel'
  | 'pending_replace'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'rejected'
  | 'done_for_day';

const FINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'expired', 'replaced', 'rejected']);

/** filled, canceled, expired, replaced and rejected are final; everything else is open. */
export const isFinal = (s: OrderStatus): boolean => FINAL.has(s);
export const isOpen = (s: OrderStatus): boolean => !FINAL.has(s);

/** Where an order is: held for its entry, waiting for its stop, in the matcher, or ended. */
export type Phase = 'held' | 'stop' | 'working' | 'done';
/** Its part in an advanced order. */
export type LegRole = 'single' | 'entry' | 'take_profit' | 'stop_loss';

/** A trailing stop's offset: a price (units) or a percentage (units of 10^-PERCENT_SCALE). */
export type Trail =
  | { readonly kind: 'price'; readonly units: number }
  | { readonly kind: 'percent'; readonly units: bigint; readonly text: string };
export const PERCENT_SCALE = 9;

export interface Fill {
  readonly executionId: string;
  readonly price: number;
  readonly qty: number;
  /** Money units. */
  readonly notional: bigint;
  readonly fee: bigint;
  readonly time: number;
  readonly liquidity: 'maker' | 'taker';
}

/** Funds a held order keeps aside (money units of `asset`). */
export interface Reservation {
  readonly asset: string;
  readonly amount: bigint;
}

/** A bracket, OCO or OTO: the parent (entry, or the OCO's take-profit) and its legs. */
export interface OrderGroup {
  readonly kind: 'bracket' | 'oco' | 'oto';
  /** Replaced when the parent itself is replaced (an OCO's take-profit). */
  parent: FakeOrder;
  readonly legs: FakeOrder[];
  /** True once the legs are working (bracket/OTO: after the entry filled; OCO: at once). */
  active: boolean;
  /** True once one exit leg executed (its sibling is then canceled). */
  resolved: boolean;
  /** Funds the active exit legs share beyond what a working leg locks in the matcher. */
  reservation: Reservation | undefined;
}

export interface FakeOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly asset: AssetSpec;
  readonly side: AlpacaSide;
  readonly type: AlpacaOrderType;
  readonly tif: AlpacaTif;
  readonly orderClass: OrderClassText;
  /** Quantity in instrument units; for a notional order, what the notional bought at entry. */
  qty: number;
  /** Notional orders: the dollar amount (money units); `qty` is then shown as null. */
  readonly notional: bigint | undefined;
  limitPrice: number | undefined;
  /** Stop orders: the stop; trailing stops: the current stop (moves with the high-water mark). */
  stopPrice: number | undefined;
  readonly trail: Trail | undefined;
  /** Trailing stops: highest trade since placement (sells), lowest (buys). */
  hwm: number | undefined;
  readonly extendedHours: boolean;
  readonly positionIntent: string | undefined;
  status: OrderStatus;
  phase: Phase;
  readonly role: LegRole;
  group: OrderGroup | undefined;
  filledQty: number;
  /** Money units. */
  filledNotional: bigint;
  readonly fills: Fill[];
  readonly createdAt: number;
  updatedAt: number;
  readonly submittedAt: number;
  filledAt: number | undefined;
  expiredAt: number | undefined;
  canceledAt: number | undefined;
  failedAt: number | undefined;
  replacedAt: number | undefined;
  cancelRequestedAt: number | undefined;
  replacedBy: string | undefined;
  readonly replaces: string | undefined;
  /** UTC ms after which a held DAY order expires (held orders are not in the matcher). */
  readonly dayEndsAt: number | undefined;
  /** Funds kept aside while the order waits for its stop. */
  reservation: Reservation | undefined;
  /** True while the order rests (or waits) in the paper matcher. */
  inMatcher: boolean;
  /** Why the matcher should end it, when the fake asked it to. */
  endReason: 'canceled' | 'replaced' | undefined;
}

/** The order's legs in Alpaca's `legs` order (take-profit, then stop-loss), or none. */
export function legsOf(o: FakeOrder): readonly FakeOrder[] {
  return o.group !== undefined && o.group.parent === o ? o.group.legs : [];
}

/** Whether `o` is a child leg (listed under its parent with nested=true). */
export function isChild(o: FakeOrder): boolean {
  return o.group !== undefined && o.group.parent !== o;
}
