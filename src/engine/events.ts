// Engine events: every state change of the engine is one of these, applied by engine/apply.ts.
// Events are the source of truth: the journal stores them, recovery replays them, and the API
// streams them. Numbers are instrument units (prices, quantities) or money units (bigint).

import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Liquidity, OrderInit } from '../model/order.ts';
import type { Denial } from '../risk/index.ts';
import type { PriceStream } from './emulator.ts';

export type ListKind = 'bracket' | 'oco' | 'oto' | 'scale';

export interface ListInit {
  readonly id: ListId;
  readonly kind: ListKind;
  /** Bracket entry or OTO parent. Absent for OCO, scale, and a bracket on an existing position. */
  readonly parentId: OrderId | undefined;
  readonly legIds: readonly OrderId[];
  /** Legs reduce each other (OCO, bracket take-profit/stop-loss). */
  readonly oco: boolean;
  /** Children follow the parent's fills ('partial') or wait for it to fill completely ('full'). */
  readonly trigger: 'partial' | 'full';
  /** The quantity the OCO legs share when there is no parent. */
  readonly quantity: number;
  /** Whether the venue links the legs itself (a native order list). */
  readonly native: boolean;
  /**
   * A bracket whose take-profit and stop-loss the venue holds as one native order (the venue's
   * `bracketExitPair`); Ordo links them to the entry. Absent (false) in journals written before it.
   */
  readonly exitPair?: boolean;
}

export type OrdoEvent =
  | { readonly type: 'order_created'; readonly ts: TimestampMs; readonly order: OrderInit }
  | { readonly type: 'list_created'; readonly ts: TimestampMs; readonly list: ListInit }
  | {
      readonly type: 'order_denied';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly denials: readonly Denial[];
    }
  /**
   * Held locally; when `armed`, the emulator watches its trigger. `price` is the trigger stream's
   * price at that moment, where a trailing stop without activation starts trailing.
   */
  | {
      readonly type: 'order_held';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly armed: boolean;
      readonly price?: number | undefined;
    }
  /** A held order starts (armed) or stops (disarmed) watching its trigger; no status change. */
  | {
      readonly type: 'order_armed';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly price?: number | undefined;
    }
  /** A trailing stop reached its activation price (or got its first price) and trails from `price`. */
  | {
      readonly type: 'trailing_started';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly price: number;
    }
  | { readonly type: 'order_disarmed'; readonly ts: TimestampMs; readonly id: OrderId }
  | {
      readonly type: 'order_triggered';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly stopPrice: number;
      readonly marketPrice: number;
    }
  | {
      readonly type: 'order_submitted';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly clientOrderId: string;
    }
  | {
      readonly type: 'order_accepted';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly venueOrderId: string;
    }
  | {
      readonly type: 'order_rejected';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly code: string;
      readonly reason: string;
    }
  | {
      readonly type: 'order_filled';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly tradeId: string;
      readonly price: number;
      readonly quantity: number;
      readonly fee: bigint;
      readonly feeCurrency: string;
      readonly liquidity: Liquidity;
    }
  | { readonly type: 'order_cancel_requested'; readonly ts: TimestampMs; readonly id: OrderId }
  | {
      readonly type: 'order_cancelled';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly reason: string;
    }
  | { readonly type: 'order_expired'; readonly ts: TimestampMs; readonly id: OrderId }
  | {
      readonly type: 'order_modify_requested';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly quantity: number;
      readonly price: number | undefined;
      readonly triggerPrice: number | undefined;
      /**
       * Asked by Ordo to bring a list leg to its planned size (a refused resize is not asked
       * again); absent for a caller's modify, and in journals written before it.
       */
      readonly resize?: true;
    }
  | {
      readonly type: 'order_modified';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly quantity: number;
      readonly price: number | undefined;
      readonly triggerPrice: number | undefined;
    }
  | {
      readonly type: 'order_modify_rejected';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly reason: string;
    }
  | {
      readonly type: 'order_cancel_rejected';
      readonly ts: TimestampMs;
      readonly id: OrderId;
      readonly reason: string;
    }
  | {
      readonly type: 'watermark_moved';
      readonly ts: TimestampMs;
      readonly instrument: string;
      readonly stream: PriceStream;
      readonly price: number;
    };

export type OrdoEventType = OrdoEvent['type'];
