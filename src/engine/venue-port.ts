// The Venue port: what the engine asks of any venue, and what a venue reports back. The engine is
// synchronous and pure; it emits VenueCommands into an outbox, a runner delivers them to a Venue,
// and the venue's VenueReports come back into the engine as inputs. Routing reads only the
// capability matrix declared here, never a venue's name.

import type { TimestampMs } from '../core/ports.ts';
import type { InstrumentKind } from '../model/instrument.ts';
import type {
  Liquidity,
  OrderType,
  Side,
  TimeInForce,
  TrailingBasis,
  TrailingOffsetKind,
  TrailingParams,
} from '../model/order.ts';

/** How a venue handles an order type or contingency. */
export type Support = 'native' | 'emulated' | 'unsupported';

export type ContingencyKind = 'bracket' | 'oco' | 'oto';

export interface Capabilities {
  readonly orderTypes: Readonly<Record<OrderType, Support>>;
  readonly contingencies: Readonly<Record<ContingencyKind, Support>>;
  readonly timeInForce: Readonly<Record<TimeInForce, Support>>;
  /** Modify in place; without it the engine cancels and replaces. */
  readonly modify: boolean;
  /**
   * Refinements of `native` (absent: no restriction). An order the venue cannot take natively for
   * one of these reasons is emulated when its type can be, and refused otherwise.
   */
  /** The price streams native stops trigger on. */
  readonly triggerBases?: readonly TrailingBasis[];
  /** The trailing offsets native trailing stops take. */
  readonly trailingOffsets?: readonly TrailingOffsetKind[];
  /** Whether native trailing stops take an activation price. */
  readonly trailingActivation?: boolean;
  /** Whether native trailing stops can release a limit order (a limit offset). */
  readonly trailingLimit?: boolean;
  /** Relative trailing offsets go native only in whole multiples of this (RATE units; 1 bps = 10 000). */
  readonly trailingRelativeStep?: number;
  /** The most children a native OTO releases (a larger OTO is linked by Ordo). */
  readonly otoMaxChildren?: number;
  /** A native list is cancelled or re-priced only as a whole, never one leg at a time. */
  readonly listLegsFixed?: boolean;
  /** Whether a native trailing stop's quantity can be raised (false: lowered only). */
  readonly trailingRaise?: boolean;
  /**
   * A different matrix for one kind of instrument on this venue (Alpaca: equities take stops,
   * trailing stops and order classes natively, crypto only simple orders). Routing reads it whole.
   */
  readonly byKind?: Partial<Record<InstrumentKind, Capabilities>>;
  /** Native lists release their children only once the parent is filled (not on partial fills). */
  readonly listsReleaseOnFullFill?: boolean;
  /**
   * The venue holds a bracket's exit pair — a take-profit limit and a stop-loss stop, one quantity,
   * one time in force — as ONE native order (Coinbase's trigger bracket), even where it links no
   * native bracket with an entry. The entry goes as its own order; Ordo sends the pair as one
   * `submit_list` (kind bracket, no parent) once the entry fills, and resizes it as more fills.
   * The venue, not Ordo, chooses how the triggered stop is worked.
   */
  readonly bracketExitPair?: boolean;
}

export interface VenueOrderRequest {
  readonly clientOrderId: string;
  /** Instrument key `venue:symbol`. */
  readonly instrument: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly expireAtMs: TimestampMs | undefined;
  readonly quantity: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly trailing: TrailingParams | undefined;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
}

/** A native order list: the venue itself links the legs. */
export interface VenueListRequest {
  readonly kind: ContingencyKind;
  readonly listClientId: string;
  /** Bracket and OTO: the working (parent) order. Absent for OCO and for a bracket on a position. */
  readonly parent: VenueOrderRequest | undefined;
  /** OCO legs, or the children released by the parent. */
  readonly legs: readonly VenueOrderRequest[];
  /** OTO: release children on the first partial fill, or only when the parent is filled. */
  readonly trigger: 'partial' | 'full';
}

export type VenueCommand =
  | { readonly kind: 'submit'; readonly order: VenueOrderRequest }
  | { readonly kind: 'submit_list'; readonly list: VenueListRequest }
  | { readonly kind: 'cancel'; readonly instrument: string; readonly clientOrderId: string }
  | {
      readonly kind: 'modify';
      readonly instrument: string;
      readonly clientOrderId: string;
      readonly quantity: number;
      readonly price: number | undefined;
      readonly triggerPrice: number | undefined;
      /**
       * For a leg of a native exit pair (`bracketExitPair`): the quantity of the whole venue order
       * holding the pair, every leg's fills included (the leg's own `quantity` counts its fills only).
       */
      readonly pairQuantity?: number;
    };

export type VenueReport =
  | {
      readonly kind: 'accepted';
      readonly clientOrderId: string;
      readonly venueOrderId: string;
      readonly ts: TimestampMs;
    }
  | {
      readonly kind: 'rejected';
      readonly clientOrderId: string;
      readonly code: string;
      readonly reason: string;
      readonly ts: TimestampMs;
    }
  | { readonly kind: 'triggered'; readonly clientOrderId: string; readonly ts: TimestampMs }
  | {
      readonly kind: 'fill';
      readonly clientOrderId: string;
      readonly tradeId: string;
      readonly price: number;
      readonly quantity: number;
      readonly fee: bigint;
      readonly feeCurrency: string;
      readonly liquidity: Liquidity;
      readonly ts: TimestampMs;
    }
  | {
      readonly kind: 'cancelled';
      readonly clientOrderId: string;
      readonly reason: string;
      readonly ts: TimestampMs;
    }
  | { readonly kind: 'expired'; readonly clientOrderId: string; readonly ts: TimestampMs }
  | {
      readonly kind: 'modified';
      readonly clientOrderId: string;
      readonly quantity: number;
      readonly price: number | undefined;
      readonly triggerPrice: number | undefined;
      readonly ts: TimestampMs;
    }
  | {
      readonly kind: 'modify_rejected';
      readonly clientOrderId: string;
      readonly reason: string;
      readonly ts: TimestampMs;
    }
  | {
      readonly kind: 'cancel_rejected';
      readonly clientOrderId: string;
      readonly reason: string;
      readonly ts: TimestampMs;
    };

/**
 * A venue driven in-process and in step with the engine (the paper venue, a simulator). Commands
 * are handled at a timestamp; reports are collected and drained. A drain hands over every report
 * the venue holds: none appears between two drains of one synchronous run unless the venue is
 * given a command or market data in between (a bridge to a network venue buffers what arrives
 * later, and says so through its driver). Network venues implement the asynchronous port of the
 * adapters instead and are driven by a runner.
 */
export interface SyncVenue {
  readonly id: string;
  readonly capabilities: Capabilities;
  handle(command: VenueCommand, ts: number): void;
  onMarket(md: import('../model/market.ts').MarketData): void;
  drainReports(): VenueReport[];
}
