// An order of the fake Coinbase as the exchange core keeps it, and the pure rules about orders:
// Coinbase's statuses (OPEN also while partly filled; CANCELLED with two Ls), when a stop is met
// (stop_direction for stop-limits; for a bracket, at or below the trigger when selling, at or
// above when buying), what a buy locks, and how a bracket's stop leg is priced once triggered.

import { RATE_ONE } from '../../../model/instrument.ts';
import type { CbSide, ConfigKey, OrderKind, StopDirection, Tif } from './fake-config.ts';
import { type OrderFailure, orderFailures } from './fake-errors.ts';
import { type ProductSpec, priceText } from './fake-products.ts';

const RATE_ONE_BIG = BigInt(RATE_ONE);

/** Coinbase's order statuses (UNKNOWN_ORDER_STATUS is never produced). */
export type CbStatus =
  | 'PENDING'
  | 'OPEN'
  | 'FILLED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  | 'QUEUED'
  | 'CANCEL_QUEUED';
/** `trigger_status`: INVALID_ORDER_TYPE for orders without a stop. */
export type TriggerStatus = 'INVALID_ORDER_TYPE' | 'STOP_PENDING' | 'STOP_TRIGGERED';
/** queued: not yet working (PENDING/QUEUED); held: a stop waiting in the fake; working: in the matcher. */
export type Phase = 'queued' | 'held' | 'working' | 'done';

/** Whether a status is final (the order left the book for good). */
export const isFinal = (s: CbStatus): boolean =>
  s === 'FILLED' || s === 'CANCELLED' || s === 'EXPIRED' || s === 'FAILED';

/** How far through the trigger a bracket's stop leg is priced, in basis points (unverified: 5 %). */
export const BRACKET_STOP_LIMIT_BPS = 500;

/** One execution of an order. */
export interface CbFill {
  readonly seq: number;
  readonly entryId: string;
  readonly tradeId: string;
  readonly order: CbOrder;
  /** Instrument units. */
  readonly price: number;
  readonly qty: number;
  /** Money units of the quote currency. */
  readonly value: bigint;
  readonly commission: bigint;
  readonly liquidity: 'MAKER' | 'TAKER';
  readonly timeMs: number;
  /** `sequence_timestamp`: the fill time with a per-millisecond count in the microseconds. */
  readonly sequenceTimestamp: string;
  /** The same as epoch microseconds (for filters). */
  readonly sequenceMicros: number;
}

/** One entry of `edit_history`. */
export interface EditRecord {
  readonly price: string;
  readonly size: string;
  readonly replace_accept_timestamp: string;
}

/** Funds the fake sets aside for an order outside the matcher (money of `currency`). */
export interface Reservation {
  readonly currency: string;
  readonly amount: bigint;
}

/** An edit sent to the matcher, applied when it confirms. */
export interface PendingEdit {
  readonly qty: number;
  readonly limit: number;
  readonly stop: number | undefined;
  readonly record: EditRecord;
}

/** An order as the fake keeps it (read-only outside this module). */
export interface CbOrder {
  /** Creation rank, 1-based: the list cursor. */
  readonly seq: number;
  readonly id: string;
  readonly clientOrderId: string;
  readonly spec: ProductSpec;
  readonly productId: string;
  readonly side: CbSide;
  readonly key: ConfigKey;
  readonly kind: OrderKind;
  readonly tif: Tif;
  /** order_configuration as sent, updated by edits. */
  readonly configuration: Record<string, Record<string, unknown>>;
  readonly sizeInQuote: boolean;
  readonly quoteSize: bigint | undefined;
  /** Quantity units (for a market order in quote: what the quote bought at the touch). */
  qty: number;
  limit: number | undefined;
  stop: number | undefined;
  readonly stopDirection: StopDirection | undefined;
  readonly postOnly: boolean;
  readonly endMs: number | undefined;
  status: CbStatus;
  triggerStatus: TriggerStatus;
  phase: Phase;
  filled: number;
  filledValue: bigint;
  fees: bigint;
  readonly fills: CbFill[];
  readonly createdMs: number;
  updatedMs: number;
  lastFillMs: number | undefined;
  pendingCancel: boolean;
  readonly editHistory: EditRecord[];
  rejectReason: string;
  rejectMessage: string;
  cancelMessage: string;
  /** Internal: the matcher order now carrying the order, and the fills before it was submitted. */
  matcherId: string | undefined;
  matcherSeq: number;
  filledBeforeSubmit: number;
  /** Internal: matcher ids withdrawn on purpose (bracket trigger), whose cancel is not the order's end. */
  readonly withdrawing: Set<string>;
  reservation: Reservation | undefined;
  /** Internal: announce OPEN when the matcher accepts the first submission. */
  announce: boolean;
  pendingEdit: PendingEdit | undefined;
  editRejected: string | undefined;
}

/** Whether the last trade price `last` meets the order's stop. */
export function stopMet(
  o: Pick<CbOrder, 'kind' | 'side' | 'stopDirection'>,
  stop: number,
  last: number,
): boolean {
  const up = o.kind === 'bracket' ? o.side === 'BUY' : o.stopDirection === 'STOP_DIRECTION_STOP_UP';
  return up ? last >= stop : last <= stop;
}

/** Notional plus the fee at `rate` (RATE units), rounded up: what a buy locks. */
export function costWithFee(value: bigint, rate: number): bigint {
  const r = BigInt(rate);
  return value + (value * r + RATE_ONE_BIG - 1n) / RATE_ONE_BIG;
}

/** The limit price of a triggered bracket's stop leg: BRACKET_STOP_LIMIT_BPS through the trigger, on the tick. */
export function bracketStopLimit(spec: ProductSpec, side: CbSide, stop: number): number {
  const tick = BigInt(spec.instrument.priceIncrement);
  const bps = BigInt(BRACKET_STOP_LIMIT_BPS);
  if (side === 'SELL') {
    // Rounded up to the tick: no further than 5 % below the trigger.
    const raw = BigInt(stop) * (10_000n - bps);
    const ticks = (raw + 10_000n * tick - 1n) / (10_000n * tick);
    return Number(ticks > 0n ? ticks * tick : tick);
  }
  // Rounded down to the tick: no further than 5 % above the trigger.
  return Number(((BigInt(stop) * (10_000n + bps)) / (10_000n * tick)) * tick);
}

/** A bracket's prices: the take-profit beyond the stop, a stop the last trade has not met yet. */
export function bracketProblem(
  spec: ProductSpec,
  side: CbSide,
  limit: number,
  stop: number,
  last: number | undefined,
): OrderFailure | undefined {
  const lp = priceText(spec, limit);
  const sp = priceText(spec, stop);
  if (side === 'SELL' && limit <= stop)
    return orderFailures.invalidStopPrice(
      `a SELL bracket needs limit_price ${lp} above stop_trigger_price ${sp}`,
    );
  if (side === 'BUY' && limit >= stop)
    return orderFailures.invalidStopPrice(
      `a BUY bracket needs limit_price ${lp} below stop_trigger_price ${sp}`,
    );
  if (last !== undefined && side === 'SELL' && stop >= last)
    return orderFailures.stopAboveLast(`stop_trigger_price ${sp} ≥ last trade ${priceText(spec, last)}`);
  if (last !== undefined && side === 'BUY' && stop <= last)
    return orderFailures.stopBelowLast(`stop_trigger_price ${sp} ≤ last trade ${priceText(spec, last)}`);
  return undefined;
}
