// Round trips for the trade log. A round trip opens when a position leaves flat and closes when it
// returns to flat; a fill that flips the position closes one and opens the next with the remainder.
// TripState is the mutable record the fast path updates; RoundTrip is the immutable, JSON-safe view
// of it (decimal strings, no bigint), built once when the trip closes or when asked for.

import { appended } from '../core/append.ts';
import type { OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import { timeHigh, timeLow, timeOf } from '../core/split-time.ts';
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

/** The list of ids past a trip's first two, while it has none. */
const NO_IDS: never[] = [];

/** The `n` ids of a list kept as its first two and the rest. */
function idList<T>(n: number, first: T | undefined, second: T | undefined, rest: readonly T[]): T[] {
  if (n === 0) return [];
  if (n === 1) return [first!];
  return [first!, second!, ...rest];
}

export class TripState {
  entryQty = 0;
  /** Σ entry price × quantity, in price × quantity units. */
  entryPQ = 0n;
  exitQty = 0;
  exitPQ = 0n;
  maxQty = 0;
  /** Realized P&L in quote money units. */
  realized = 0n;
  /** Opening and closing times split as core/split-time.ts does: no box per trip. */
  private readonly openedHi: number;
  private readonly openedLo: number;
  private closedHi: number | undefined = undefined;
  private closedLo = 0;
  /** Fees in the first currency the trip paid in (almost always its only one)... */
  private feeCurrency: string | undefined = undefined;
  private feeAmount = 0n;
  /** ...and in any other, by currency: created only for a second currency. */
  private otherFees: Map<string, bigint> | undefined = undefined;
  /**
   * The trip's trade ids and distinct order ids: the first two of each in fields, any further
   * ones in a list. Most trips have one or two fills, and then keep no array of ids.
   */
  private tradeCount = 0;
  private trade0: string | undefined = undefined;
  private trade1: string | undefined = undefined;
  private tradeRest: string[] = NO_IDS;
  private orderCount = 0;
  private order0: OrderId | undefined = undefined;
  private order1: OrderId | undefined = undefined;
  private orderRest: OrderId[] = NO_IDS;
  private orderIdSet: Set<OrderId> | undefined = undefined;
  private fillIdsDropped = 0;
  private cached: RoundTrip | undefined = undefined;

  constructor(
    readonly id: number,
    readonly side: RoundTripSide,
    openedMs: TimestampMs,
    readonly inst: Instrument,
    private readonly fillIdsMax: number,
  ) {
    this.openedHi = timeHigh(openedMs);
    this.openedLo = timeLow(openedMs, this.openedHi);
  }

  get openedMs(): TimestampMs {
    return timeOf(this.openedHi, this.openedLo);
  }

  /** When the position returned to flat; undefined while the trip is open. */
  get closedMs(): TimestampMs | undefined {
    return this.closedHi === undefined ? undefined : timeOf(this.closedHi, this.closedLo);
  }

  close(ts: TimestampMs): void {
    const hi = timeHigh(ts);
    this.closedHi = hi;
    this.closedLo = timeLow(ts, hi);
  }

  /** Records the fill's ids and the part of its fee that belongs to this trip. */
  touch(fill: Fill, fee: bigint): void {
    if (fee !== 0n) this.addFee(fill.feeCurrency, fee);
    // The same fill can touch a trip twice (its trade part, then a base-asset fee): record it once.
    const n = this.tradeCount;
    if (n > 0 && this.lastTradeId() === fill.tradeId) return;
    if (n >= this.fillIdsMax) {
      this.fillIdsDropped++;
      return;
    }
    if (n === 0) this.trade0 = fill.tradeId;
    else if (n === 1) this.trade1 = fill.tradeId;
    else this.tradeRest = appended(this.tradeRest, fill.tradeId);
    this.tradeCount = n + 1;
    this.addOrderId(fill.orderId);
  }

  private lastTradeId(): string | undefined {
    const n = this.tradeCount;
    return n === 1 ? this.trade0 : n === 2 ? this.trade1 : this.tradeRest[n - 3];
  }

  /** The trade ids, in order. */
  private tradeIds(): string[] {
    return idList(this.tradeCount, this.trade0, this.trade1, this.tradeRest);
  }

  /** The distinct order ids, in first-fill order. */
  private orderIds(): OrderId[] {
    return idList(this.orderCount, this.order0, this.order1, this.orderRest);
  }

  /**
   * The immutable view. A closed trip builds it once, on first request, so closing a trip on the
   * fill path costs nothing but a push; an open trip builds a fresh one each time.
   */
  record(): RoundTrip {
    if (this.cached !== undefined) return this.cached;
    const record = this.build();
    if (this.closedHi !== undefined) this.cached = record;
    return record;
  }

  private addFee(currency: string, fee: bigint): void {
    if (this.feeCurrency === undefined || this.feeCurrency === currency) {
      this.feeCurrency = currency;
      this.feeAmount += fee;
      return;
    }
    this.otherFees ??= new Map();
    this.otherFees.set(currency, (this.otherFees.get(currency) ?? 0n) + fee);
  }

  /** The fees paid, by currency, in currency order. */
  private feeEntries(): [string, bigint][] {
    const entries: [string, bigint][] = [...(this.otherFees ?? [])];
    if (this.feeCurrency !== undefined) entries.push([this.feeCurrency, this.feeAmount]);
    return entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  private addOrderId(id: OrderId): void {
    const n = this.orderCount;
    if (n === 0) {
      this.order0 = id;
    } else if (n === 1) {
      if (id === this.order0) return;
      this.order1 = id;
    } else if (this.orderIdSet === undefined) {
      if (id === this.order0 || id === this.order1 || this.orderRest.includes(id)) return;
      this.orderRest = appended(this.orderRest, id);
      if (n + 1 > ORDER_IDS_SCAN_MAX) this.orderIdSet = new Set(this.orderIds());
    } else {
      if (this.orderIdSet.has(id)) return;
      this.orderIdSet.add(id);
      this.orderRest.push(id);
    }
    this.orderCount = n + 1;
  }

  private build(): RoundTrip {
    const { inst, closedMs, openedMs } = this;
    const entries = this.feeEntries();
    const feesQuote = entries.find(([currency]) => currency === inst.quote)?.[1] ?? 0n;
    const fees: Record<string, string> = {};
    for (const [currency, amount] of entries) fees[currency] = unitsText(amount);
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
      openedMs,
      closedMs,
      durationMs: closedMs === undefined ? undefined : closedMs - openedMs,
      orderIds: Object.freeze(this.orderIds()),
      tradeIds: Object.freeze(this.tradeIds()),
      fillIdsDropped: this.fillIdsDropped,
    });
  }
}
