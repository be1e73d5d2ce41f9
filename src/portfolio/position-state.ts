// The mutable per-instrument book that the fill fast path works on: a signed quantity, FIFO lots
// held in two parallel number arrays (no object per lot), the open cost, realized P&L, fees, the
// latest valuation inputs and the open round trip. Quantities are safe-integer quantity units;
// every product of price and quantity is a bigint, so nothing here is ever a binary fraction.

import { assert } from '../core/assert.ts';
import { bigProduct, pow10 } from '../core/decimal.ts';
import type { TimestampMs } from '../core/ports.ts';
import { type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import type { MoneyCell } from './money-cell.ts';
import type { TripState } from './round-trip.ts';

/** A balance of one currency on one venue, in money units. Mutable so hot paths keep a reference. */
export class CashCell {
  constructor(
    readonly venue: string,
    readonly currency: string,
    public amount: bigint,
  ) {}
}

/** The latest mark of an instrument; `price` in price units. */
export class MarkCell {
  price = 0;
  ts: TimestampMs = Number.NEGATIVE_INFINITY;
}

/** Lots consumed from the front are compacted away once they are this many and half the open ones. */
const LOTS_COMPACT_MIN = 256;
/** Lot arrays are kept at their length when the position goes flat, unless longer than this. */
const LOTS_KEEP_MAX = 1024;

export class PositionState {
  /** Money units per price × quantity unit: 10^(MONEY_SCALE − priceScale − qtyScale). */
  readonly moneyPerPQ: bigint;
  /** Money units of the base asset per quantity unit: 10^(MONEY_SCALE − qtyScale). */
  readonly moneyPerQty: bigint;
  /** Signed position in quantity units: > 0 long, < 0 short. */
  qty = 0;
  /**
   * Open lots at [head, end), oldest first: absolute quantity and entry price. Places past `end`
   * are spare: a position that goes flat and opens again writes over them instead of growing a
   * truncated array anew (two array growths per round trip).
   */
  private readonly lotQty: number[] = [];
  private readonly lotPrice: number[] = [];
  private head = 0;
  private end = 0;
  /** Σ price × quantity over the open lots, in price × quantity units (always >= 0). */
  costPQ = 0n;
  /** Realized P&L in quote money units. */
  realized = 0n;
  /** Fees this position paid, by currency. */
  readonly fees = new Map<string, MoneyCell>();
  /**
   * The cells a fill in the quote currency adds to, once the first one has: this position's quote
   * fees, and the portfolio's total fees and realized P&L in the quote currency.
   */
  quoteFees: MoneyCell | undefined = undefined;
  quoteFeesTotal: MoneyCell | undefined = undefined;
  realizedTotal: MoneyCell | undefined = undefined;
  /** Base-asset fees in money units not yet taken from `qty` (less than one quantity unit). */
  feeDust = 0n;
  lastPrice = 0;
  lastTs: TimestampMs = Number.NEGATIVE_INFINITY;
  trip: TripState | undefined = undefined;

  constructor(
    readonly inst: Instrument,
    readonly quoteCash: CashCell,
    readonly mark: MarkCell,
  ) {
    assert(
      inst.priceScale + inst.qtyScale <= MONEY_SCALE,
      () => `${inst.key}: priceScale + qtyScale exceeds MONEY_SCALE`,
    );
    this.moneyPerPQ = pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
    this.moneyPerQty = pow10(MONEY_SCALE - inst.qtyScale);
  }

  /**
   * Adds a lot on side `dir` (+1 long, −1 short); the position must be flat or on that side.
   * `pq` is price × qty, which the caller has already computed.
   */
  open(dir: 1 | -1, qty: number, price: number, pq: bigint): void {
    const next = this.qty + dir * qty;
    // The message is built only on failure: this runs on every fill.
    if (!Number.isSafeInteger(next)) assert(false, () => `${this.inst.key}: position exceeds the safe range`);
    this.qty = next;
    const end = this.end;
    if (end < this.lotQty.length) {
      this.lotQty[end] = qty;
      this.lotPrice[end] = price;
    } else {
      this.lotQty.push(qty);
      this.lotPrice.push(price);
    }
    this.end = end + 1;
    this.costPQ += pq;
  }

  /**
   * Closes `qty` (at most the absolute position) FIFO for proceeds `proceedsPQ` (price × qty, in
   * price × quantity units); returns realized quote money.
   */
  close(qty: number, proceedsPQ: bigint): bigint {
    const long = this.qty > 0;
    let left = qty;
    let costPQ = 0n;
    while (left > 0) {
      const i = this.head;
      const lotQty = this.lotQty[i] as number;
      const lotPrice = this.lotPrice[i] as number;
      if (lotQty <= left) {
        costPQ += bigProduct(lotPrice, lotQty);
        left -= lotQty;
        this.head = i + 1;
      } else {
        costPQ += bigProduct(lotPrice, left);
        this.lotQty[i] = lotQty - left;
        left = 0;
      }
    }
    this.costPQ -= costPQ;
    this.qty = long ? this.qty - qty : this.qty + qty;
    this.tidyLots();
    const pnl = (long ? proceedsPQ - costPQ : costPQ - proceedsPQ) * this.moneyPerPQ;
    this.realized += pnl;
    return pnl;
  }

  /** Price the position is valued at: the newer of the last mark and the last fill (mark on a tie). */
  valuationPrice(): number {
    return this.mark.ts >= this.lastTs ? this.mark.price : this.lastPrice;
  }

  /** Unrealized P&L in quote money units at the valuation price. */
  unrealized(): bigint {
    if (this.qty === 0) return 0n;
    const valuePQ = BigInt(Math.abs(this.qty)) * BigInt(this.valuationPrice());
    return (this.qty > 0 ? valuePQ - this.costPQ : this.costPQ - valuePQ) * this.moneyPerPQ;
  }

  /** Signed market value in quote money units at the valuation price. */
  value(): bigint {
    if (this.qty === 0) return 0n;
    return BigInt(this.qty) * BigInt(this.valuationPrice()) * this.moneyPerPQ;
  }

  private tidyLots(): void {
    const { head, end } = this;
    if (this.qty === 0) {
      assert(this.costPQ === 0n && head === end, 'lots out of step with quantity');
      if (this.lotQty.length > LOTS_KEEP_MAX) {
        this.lotQty.length = 0;
        this.lotPrice.length = 0;
      }
      this.head = 0;
      this.end = 0;
    } else if (head >= LOTS_COMPACT_MIN && head * 2 >= end) {
      this.lotQty.copyWithin(0, head, end);
      this.lotPrice.copyWithin(0, head, end);
      this.head = 0;
      this.end = end - head;
    }
  }
}
