// Round trips for the trade log. A round trip opens when a position leaves flat and closes when it
// returns to flat; a fill that flips the position closes one and opens the next with the remainder.
// TripState is the mutable record the fast path updates; RoundTrip is the immutable, JSON-safe view
// of it (decimal strings, no bigint), built once when the trip closes or when asked for.

import { appended } from '../core/append.ts';
import type { OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Fill } from '../model/fill.ts';
import { formatQty, type Instrument } from '../model/instrument.ts';
import { perUnitText, unitsText } from './units-text.ts';

export type RoundTripSide = 'long' | 'short';

export interface RoundTrip {
  /** Sequential across the portfolio, from 1. */
  readonly id: number;
  /** Instrument key `venue:symbol`. */
  readonly instrument: string;
  readonly side: RoundTripSide;
  /** The quote currency: the currency of prices, `realized`, `feesQuote` and `realizedNet`. */
  readonly currency: string;
  /**
   * Total quantity entered (the sum of every fill part that grew the position). For a closed trip
   * it equals the total exited, so `realized = (priceExitAvg − priceEntryAvg) × quantity` (sign
   * flipped for a short).
   */
  readonly quantity: string;
  /** Total quantity exited so far. */
  readonly quantityExited: string;
  /** The largest absolute position the trip reached. */
  readonly quantityMax: string;
  /** Average entry price in quote money per unit of base (see units-text.ts for rounding). */
  readonly priceEntryAvg: string;
  /** Average exit price; undefined while nothing has been exited. */
  readonly priceExitAvg: string | undefined;
  /** FIFO realized P&L in quote money, gross of fees paid in any currency but the base asset. */
  readonly realized: string;
  /** Fees paid in the quote currency. */
  readonly feesQuote: string;
  /** Fees per currency (quote included); base-asset fees are already inside `realized`. */
  readonly fees: Readonly<Record<string, string>>;
  /** `realized − feesQuote`; fees in other currencies are not converted. */
  readonly realizedNet: string;
  readonly openedMs: TimestampMs;
  readonly closedMs: TimestampMs | undefined;
  readonly durationMs: number | undefined;
  /** Distinct order ids in first-fill order. */
  readonly orderIds: readonly OrderId[];
  /** Trade ids of the fills, in order. */
  readonly tradeIds: readonly string[];
  /** Fills beyond `roundTripFillIdsMax` whose ids were not recorded. */
  readonly fillIdsDropped: number;
}

/** Distinct order ids are checked by scanning up to this many, then through a Set. */
const ORDER_IDS_SCAN_MAX = 16;

export class TripState {
  entryQty = 0;
  /** Σ entry price × quantity, in price × quantity units. */
  entryPQ = 0n;
  exitQty = 0;
  exitPQ = 0n;
  maxQty = 0;
  /** Realized P&L in quote money units. */
  realized = 0n;
  closedMs: TimestampMs | undefined = undefined;
  private fees: Map<string, bigint> | undefined = undefined;
  private orderIds: OrderId[] = [];
  private orderIdSet: Set<OrderId> | undefined = undefined;
  private tradeIds: string[] = [];
  private fillIdsDropped = 0;
  private cached: RoundTrip | undefined = undefined;

  constructor(
    readonly id: number,
    readonly side: RoundTripSide,
    readonly openedMs: TimestampMs,
    readonly inst: Instrument,
    private readonly fillIdsMax: number,
  ) {}

  /** Records the fill's ids and the part of its fee that belongs to this trip. */
  touch(fill: Fill, fee: bigint): void {
    if (fee !== 0n) {
      this.fees ??= new Map();
      this.fees.set(fill.feeCurrency, (this.fees.get(fill.feeCurrency) ?? 0n) + fee);
    }
    // The same fill can touch a trip twice (its trade part, then a base-asset fee): record it once.
    if (this.tradeIds[this.tradeIds.length - 1] === fill.tradeId) return;
    if (this.tradeIds.length >= this.fillIdsMax) {
      this.fillIdsDropped++;
      return;
    }
    this.tradeIds = appended(this.tradeIds, fill.tradeId);
    this.addOrderId(fill.orderId);
  }

  /**
   * The immutable view. A closed trip builds it once, on first request, so closing a trip on the
   * fill path costs nothing but a push; an open trip builds a fresh one each time.
   */
  record(): RoundTrip {
    if (this.cached !== undefined) return this.cached;
    const record = this.build();
    if (this.closedMs !== undefined) this.cached = record;
    return record;
  }

  private addOrderId(id: OrderId): void {
    const ids = this.orderIds;
    if (ids[ids.length - 1] === id) return;
    if (this.orderIdSet === undefined) {
      if (ids.includes(id)) return;
      this.orderIds = appended(ids, id);
      if (this.orderIds.length > ORDER_IDS_SCAN_MAX) this.orderIdSet = new Set(this.orderIds);
    } else if (!this.orderIdSet.has(id)) {
      this.orderIdSet.add(id);
      ids.push(id);
    }
  }

  private build(): RoundTrip {
    const { inst, closedMs } = this;
    const feesQuote = this.fees?.get(inst.quote) ?? 0n;
    const fees: Record<string, string> = {};
    for (const [currency, amount] of [...(this.fees ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      fees[currency] = unitsText(amount);
    return Object.freeze({
      id: this.id,
      instrument: inst.key,
      side: this.side,
      currency: inst.quote,
      quantity: formatQty(inst, this.entryQty),
      quantityExited: formatQty(inst, this.exitQty),
      quantityMax: formatQty(inst, this.maxQty),
      priceEntryAvg: perUnitText(inst, this.entryPQ, BigInt(this.entryQty)),
      priceExitAvg: this.exitQty === 0 ? undefined : perUnitText(inst, this.exitPQ, BigInt(this.exitQty)),
      realized: unitsText(this.realized),
      feesQuote: unitsText(feesQuote),
      fees: Object.freeze(fees),
      realizedNet: unitsText(this.realized - feesQuote),
      openedMs: this.openedMs,
      closedMs,
      durationMs: closedMs === undefined ? undefined : closedMs - this.openedMs,
      orderIds: Object.freeze(this.orderIds.slice()),
      tradeIds: Object.freeze(this.tradeIds.slice()),
      fillIdsDropped: this.fillIdsDropped,
    });
  }
}
