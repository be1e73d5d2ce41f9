// Fills of Coinbase orders, exactly once. Coinbase's `user` channel reports each order's
// CUMULATIVE state (cumulative_quantity, total_fees, filled_value / avg_price), never a fill, so
// Ordo derives fills by differencing it; the fills endpoint (`/orders/historical/fills`) lists the
// real executions with their trade ids. This ledger keeps, per venue order, how far along the
// order's cumulative quantity Ordo has been told (`reported`), and the fills it was told as
// SEGMENTS of that axis: [from, to) in quantity units.
//
// Deriving (stream). An update whose cumulative quantity is not above `reported` is a repeat or
// arrived out of order: it makes no fill. Above it, the difference is one fill:
//   quantity = cumulative − reported
//   value    = filled_value − value reported (filled_value, else avg_price × cumulative)
//   price    = value / quantity, half-even to the instrument's price units (exact for one
//              execution; a volume-weighted average when the update covers several)
//   fee      = total_fees − fees reported
// Its id is deterministic: `<order_id>#<from>-<to>` (the decimal cumulative quantities it spans),
// so the same update, replayed after a restart from a saved ledger or by two paths, is the same
// fill, and Ordo (which de-duplicates fills by id) books it once.
//
// Reconciling (fills endpoint). An order's executions, sorted by sequence timestamp, lie end to
// end on the same cumulative axis. An execution ending at or below `reported` was already told —
// as a derived segment (the same execution, or part of one that covered several), or as itself —
// and is NOT told again: that is how a later fills-endpoint fill is recognised as the fill Ordo
// derived. An execution beyond `reported` was missed (a dropped update, a gap, a restart) and is
// told under its trade id, the canonical id; `reported`, fees and value move past it, so the next
// stream update differences from there and cannot count it again. A derived segment that matches
// executions exactly is checked against them (value and fee); a difference is listed in
// `discrepancies` (it cannot be un-booked, but it is said).
//
// The ledger is plain data (`toJSON` / `fromJSON`), so the adapter can keep it across restarts.

import { divRound, formatUnits, pow10 } from '../../core/decimal.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { Liquidity } from '../../model/order.ts';
import type { EndpointFill } from './parsers.ts';

/** One fill Ordo was told of, as a span of the order's cumulative quantity. */
export interface Segment {
  /** The fill id Ordo books it under: a trade id, or `<order_id>#<from>-<to>` when derived. */
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly price: number;
  readonly fee: bigint;
  readonly liquidity: Liquidity;
  readonly ts: number;
  readonly source: 'derived' | 'endpoint';
}

/** What the ledger knows of one venue order. */
export interface OrderLedger {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly instrument: string;
  /** Cumulative quantity told to Ordo, quantity units. */
  reported: number;
  /** Cumulative fees and value told to Ordo, money units. */
  fees: bigint;
  value: bigint;
  readonly segments: Segment[];
}

/** A cumulative state of one order, from the stream or an order snapshot. */
export interface CumulativeState {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly cumulative: number;
  readonly fees: bigint;
  readonly value: bigint;
  readonly ts: number;
  /** Maker or taker, as far as the caller can tell (the stream does not say). */
  readonly liquidity: Liquidity;
  /** Used when the update carries no value (neither filled_value nor avg_price). */
  readonly fallbackPrice: number | undefined;
}

interface LedgerJson {
  readonly orders: readonly {
    readonly venueOrderId: string;
    readonly clientOrderId: string;
    readonly instrument: string;
    readonly reported: number;
    readonly fees: string;
    readonly value: string;
    readonly segments: readonly (Omit<Segment, 'fee'> & { readonly fee: string })[];
  }[];
}

/** The id of a derived fill: the order and the span of its cumulative quantity. */
export function derivedFillId(inst: Instrument, venueOrderId: string, from: number, to: number): string {
  return `${venueOrderId}#${formatUnits(from, inst.qtyScale, true)}-${formatUnits(to, inst.qtyScale, true)}`;
}

/** value (money units) / quantity (quantity units) as a price in price units, half-even. */
export function priceOf(inst: Instrument, value: bigint, quantity: number): number {
  const num = value * pow10(inst.priceScale + inst.qtyScale);
  const den = BigInt(quantity) * pow10(MONEY_SCALE);
  return Number(divRound(num, den, 'half_even'));
}

/** price × quantity in money units. */
export function notional(inst: Instrument, price: number, quantity: number): bigint {
  return BigInt(price) * BigInt(quantity) * pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
}

export class FillLedger {
  private readonly orders = new Map<string, OrderLedger>();
  /** Derived fills that disagree with the executions the fills endpoint lists for them. */
  readonly discrepancies: string[] = [];

  /** The ledger of an order, created empty on first use. */
  entry(venueOrderId: string, clientOrderId: string, instrument: string): OrderLedger {
    let l = this.orders.get(venueOrderId);
    if (l === undefined) {
      l = { venueOrderId, clientOrderId, instrument, reported: 0, fees: 0n, value: 0n, segments: [] };
      this.orders.set(venueOrderId, l);
    }
    return l;
  }

  get(venueOrderId: string): OrderLedger | undefined {
    return this.orders.get(venueOrderId);
  }

  /** Every order the ledger knows. */
  values(): IterableIterator<OrderLedger> {
    return this.orders.values();
  }

  /**
   * Takes a cumulative state: the new fill it implies (undefined when it implies none, as a repeat
   * or an out-of-order update does).
   */
  observe(inst: Instrument, s: CumulativeState): Segment | undefined {
    const l = this.entry(s.venueOrderId, s.clientOrderId, inst.key);
    if (s.cumulative <= l.reported) return undefined;
    const from = l.reported;
    const quantity = s.cumulative - from;
    const valueDelta = s.value - l.value;
    const price =
      valueDelta > 0n
        ? priceOf(inst, valueDelta, quantity)
        : (s.fallbackPrice ?? priceOf(inst, s.value, s.cumulative));
    const fee = s.fees > l.fees ? s.fees - l.fees : 0n;
    const seg: Segment = {
      id: derivedFillId(inst, s.venueOrderId, from, s.cumulative),
      from,
      to: s.cumulative,
      price,
      fee,
      liquidity: s.liquidity,
      ts: s.ts,
      source: 'derived',
    };
    l.reported = s.cumulative;
    if (s.fees > l.fees) l.fees = s.fees;
    l.value = valueDelta > 0n ? s.value : l.value + notional(inst, price, quantity);
    l.segments.push(seg);
    return seg;
  }

  /**
   * Takes every execution the fills endpoint lists for one order (any order; they are sorted
   * here) and returns the ones Ordo had not been told, as new segments under their trade ids.
   */
  reconcile(
    inst: Instrument,
    venueOrderId: string,
    clientOrderId: string,
    fills: readonly EndpointFill[],
  ): Segment[] {
    const l = this.entry(venueOrderId, clientOrderId, inst.key);
    const sorted = [...fills].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const out: Segment[] = [];
    const spans: { from: number; to: number; value: bigint; fee: bigint }[] = [];
    let pos = 0;
    for (const f of sorted) {
      const from = pos;
      const to = pos + f.quantity;
      pos = to;
      spans.push({ from, to, value: notional(inst, f.price, f.quantity), fee: f.fee });
      if (to <= l.reported) continue;
      const start = Math.max(from, l.reported);
      const part = to - start;
      const whole = part === f.quantity;
      const fee = whole ? f.fee : divRound(f.fee * BigInt(part), BigInt(f.quantity), 'half_even');
      const seg: Segment = {
        id: whole
          ? f.tradeId
          : `${f.tradeId}#${formatUnits(start, inst.qtyScale, true)}-${formatUnits(to, inst.qtyScale, true)}`,
        from: start,
        to,
        price: f.price,
        fee,
        liquidity: f.liquidity,
        ts: f.ts,
        source: 'endpoint',
      };
      l.reported = to;
      l.fees += fee;
      l.value += notional(inst, f.price, part);
      l.segments.push(seg);
      out.push(seg);
    }
    this.check(inst, l, spans);
    return out;
  }

  /** Compares derived segments with the executions that span exactly the same quantity. */
  private check(
    inst: Instrument,
    l: OrderLedger,
    spans: readonly { from: number; to: number; value: bigint; fee: bigint }[],
  ): void {
    for (const seg of l.segments) {
      if (seg.source !== 'derived') continue;
      const inside = spans.filter((s) => s.from >= seg.from && s.to <= seg.to);
      const covered = inside.reduce((n, s) => n + (s.to - s.from), 0);
      if (covered !== seg.to - seg.from) continue;
      const value = inside.reduce((n, s) => n + s.value, 0n);
      const fee = inside.reduce((n, s) => n + s.fee, 0n);
      const quantity = seg.to - seg.from;
      // The derived price is rounded to a price unit: it may be off by half a unit per quantity.
      const tolerance = notional(inst, 1, quantity);
      const derived = notional(inst, seg.price, quantity);
      const off = derived > value ? derived - value : value - derived;
      const note =
        off > tolerance
          ? `fill ${seg.id}: derived value ${formatUnits(derived, MONEY_SCALE, true)}, executions ${formatUnits(value, MONEY_SCALE, true)}`
          : fee !== seg.fee
            ? `fill ${seg.id}: derived fee ${formatUnits(seg.fee, MONEY_SCALE, true)}, executions ${formatUnits(fee, MONEY_SCALE, true)}`
            : undefined;
      if (note !== undefined && !this.discrepancies.includes(note)) this.discrepancies.push(note);
    }
  }

  toJSON(): LedgerJson {
    return {
      orders: [...this.orders.values()].map((l) => ({
        venueOrderId: l.venueOrderId,
        clientOrderId: l.clientOrderId,
        instrument: l.instrument,
        reported: l.reported,
        fees: l.fees.toString(),
        value: l.value.toString(),
        segments: l.segments.map((s) => ({ ...s, fee: s.fee.toString() })),
      })),
    };
  }

  /** Restores a ledger saved with toJSON; an unreadable one gives an empty ledger. */
  static fromJSON(json: unknown): FillLedger {
    const ledger = new FillLedger();
    const orders = (json as Partial<LedgerJson> | null | undefined)?.orders;
    if (!Array.isArray(orders)) return ledger;
    for (const o of orders as LedgerJson['orders']) {
      try {
        ledger.orders.set(o.venueOrderId, {
          venueOrderId: o.venueOrderId,
          clientOrderId: o.clientOrderId,
          instrument: o.instrument,
          reported: o.reported,
          fees: BigInt(o.fees),
          value: BigInt(o.value),
          segments: o.segments.map((s: LedgerJson['orders'][number]['segments'][number]) => ({
            ...s,
            fee: BigInt(s.fee),
          })),
        });
      } catch {
        // A damaged entry is dropped: the fills endpoint brings that order back.
      }
    }
    return ledger;
  }
}
