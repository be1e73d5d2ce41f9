// The trade log: every fill and every round trip, queryable by symbol, time range and tag, and
// exportable as CSV (one row per round trip, or per fill) and JSON. It is a projection of the
// engine's events, so it is rebuilt exactly by replaying the journal; each fill remembers the
// journal sequence number of its event, and each round trip links to its orders, fills and events.

import { ChunkedList } from '../core/chunked-list.ts';
import { formatUnits } from '../core/decimal.ts';
import { VenueIdTable } from '../core/id-table.ts';
import type { OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import { timeHigh, timeLow, timeOf } from '../core/split-time.ts';
import type { Fill } from '../model/fill.ts';
import { formatPrice, formatQty, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import type { Liquidity, Order, Side } from '../model/order.ts';
import type { Portfolio, RoundTrip } from '../portfolio/index.ts';
import type { OrdoEvent } from './events.ts';

export interface FillRecord {
  /** Journal sequence number of the `order_filled` event (0 when not journaled). */
  readonly seq: number;
  readonly ts: TimestampMs;
  readonly orderId: OrderId;
  readonly venue: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: string;
  readonly quantity: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly tradeId: string;
  readonly tag: string | undefined;
}

export interface TradeQuery {
  readonly symbol?: string;
  readonly venue?: string;
  /** Inclusive lower bound, epoch ms. */
  readonly fromMs?: TimestampMs;
  /** Exclusive upper bound, epoch ms. */
  readonly toMs?: TimestampMs;
  readonly tag?: string;
}

export interface RoundTripRecord extends RoundTrip {
  readonly symbol: string;
  readonly venue: string;
  /** Tags of the orders behind the trip. */
  readonly tags: readonly string[];
  /** Journal sequence numbers of the fill events behind the trip. */
  readonly fillSeqs: readonly number[];
}

/**
 * A fill as the log keeps it, for as long as the log lives: in units, formatted only when a query
 * reads it; its time split (core/split-time.ts), and its order's instrument, side and tag read from
 * the order (kept by the engine, and never changed), so that each fill is one object.
 */
interface FillEntry extends Omit<Fill, 'instrument' | 'side' | 'ts'> {
  readonly seq: number;
  readonly tsHi: number;
  readonly tsLo: number;
}

function fillRecord(f: FillEntry, o: Order): FillRecord {
  const inst = o.instrument;
  return {
    seq: f.seq,
    ts: timeOf(f.tsHi, f.tsLo),
    orderId: f.orderId,
    venue: inst.venue,
    symbol: inst.symbol,
    side: o.side,
    price: formatPrice(inst, f.price),
    quantity: formatQty(inst, f.quantity),
    fee: formatUnits(f.fee, MONEY_SCALE, true),
    feeCurrency: f.feeCurrency,
    liquidity: f.liquidity,
    tradeId: f.tradeId,
    tag: o.tag,
  };
}

export class TradeLog {
  /** Every fill, in units: formatting three decimals per fill as it arrives cost more than the fill's own bookkeeping. */
  private readonly fillList = new ChunkedList<FillEntry>();
  /**
   * Journal seq of each fill, by venue and trade id (IdTables: trade ids count up), for the round
   * trips' fill seqs. Built from the fill list when a query needs it, and extended from where it
   * stopped: the fill path keeps no index.
   */
  private readonly seqByTrade = new VenueIdTable<number>();
  private indexed = 0;

  constructor(
    private readonly instruments: ReadonlyMap<string, Instrument>,
    private readonly portfolio: Portfolio,
    /** The engine's orders: the log keeps no copy of them. */
    private readonly order: (id: number) => Order | undefined,
  ) {}

  /** Feeds one event (live or replayed); `seq` is its journal position when known. */
  apply(e: OrdoEvent, seq = 0): void {
    if (e.type === 'order_filled') {
      const info = this.order(e.id);
      if (info === undefined) return;
      const hi = timeHigh(e.ts);
      this.fillList.push({
        seq,
        tsHi: hi,
        tsLo: timeLow(e.ts, hi),
        orderId: e.id,
        price: e.price,
        quantity: e.quantity,
        fee: e.fee,
        feeCurrency: e.feeCurrency,
        liquidity: e.liquidity,
        tradeId: e.tradeId,
      });
    }
  }

  private seqIndex(): VenueIdTable<number> {
    for (; this.indexed < this.fillList.length; this.indexed++) {
      const f = this.fillList.get(this.indexed);
      this.seqByTrade.set(this.order(f.orderId)!.instrument.venue, f.tradeId, f.seq);
    }
    return this.seqByTrade;
  }

  fills(q: TradeQuery = {}): FillRecord[] {
    const out: FillRecord[] = [];
    for (const f of this.fillList) {
      // Fills are logged only for known orders, and the engine never drops an order.
      const o = this.order(f.orderId)!;
      const ts = timeOf(f.tsHi, f.tsLo);
      if (
        (q.symbol === undefined || o.instrument.symbol === q.symbol) &&
        (q.venue === undefined || o.instrument.venue === q.venue) &&
        (q.fromMs === undefined || ts >= q.fromMs) &&
        (q.toMs === undefined || ts < q.toMs) &&
        (q.tag === undefined || o.tag === q.tag)
      )
        out.push(fillRecord(f, o));
    }
    return out;
  }

  /** Closed round trips matching the query (by close time for the time range). */
  roundTrips(q: TradeQuery = {}): RoundTripRecord[] {
    const out: RoundTripRecord[] = [];
    const seqs = this.seqIndex();
    for (const t of this.portfolio.roundTrips()) {
      const inst = this.instruments.get(t.instrument);
      if (inst === undefined) continue;
      const tags = [
        ...new Set(t.orderIds.map((id) => this.order(id)?.tag).filter((x): x is string => x !== undefined)),
      ];
      const rec: RoundTripRecord = {
        ...t,
        symbol: inst.symbol,
        venue: inst.venue,
        tags,
        fillSeqs: t.tradeIds.map((id) => seqs.get(inst.venue, id) ?? 0),
      };
      const at = t.closedMs ?? t.openedMs;
      if (q.symbol !== undefined && rec.symbol !== q.symbol) continue;
      if (q.venue !== undefined && rec.venue !== q.venue) continue;
      if (q.fromMs !== undefined && at < q.fromMs) continue;
      if (q.toMs !== undefined && at >= q.toMs) continue;
      if (q.tag !== undefined && !tags.includes(q.tag)) continue;
      out.push(rec);
    }
    return out;
  }
}

const TRIP_COLUMNS = [
  'id',
  'venue',
  'symbol',
  'side',
  'quantity',
  'entry_price',
  'exit_price',
  'realized',
  'fees_quote',
  'realized_net',
  'currency',
  'opened_at',
  'closed_at',
  'duration_ms',
  'order_ids',
  'trade_ids',
  'fill_seqs',
  'tags',
] as const;

/** One row per round trip; RFC 4180 quoting, ISO-8601 UTC times, so a spreadsheet opens it as is. */
export function roundTripsCsv(trips: readonly RoundTripRecord[]): string {
  const rows = trips.map((t) =>
    [
      t.id,
      t.venue,
      t.symbol,
      t.side,
      t.quantity,
      t.priceEntryAvg,
      t.priceExitAvg ?? '',
      t.realized,
      t.feesQuote,
      t.realizedNet,
      t.currency,
      new Date(t.openedMs).toISOString(),
      t.closedMs === undefined ? '' : new Date(t.closedMs).toISOString(),
      t.durationMs ?? '',
      t.orderIds.join(' '),
      t.tradeIds.join(' '),
      t.fillSeqs.join(' '),
      t.tags.join(' '),
    ].map(csvCell),
  );
  return `${[TRIP_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;
}

const FILL_COLUMNS = [
  'seq',
  'time',
  'order_id',
  'venue',
  'symbol',
  'side',
  'price',
  'quantity',
  'fee',
  'fee_currency',
  'liquidity',
  'trade_id',
  'tag',
];

export function fillsCsv(fills: readonly FillRecord[]): string {
  const rows = fills.map((f) =>
    [
      f.seq,
      new Date(f.ts).toISOString(),
      f.orderId,
      f.venue,
      f.symbol,
      f.side,
      f.price,
      f.quantity,
      f.fee,
      f.feeCurrency,
      f.liquidity,
      f.tradeId,
      f.tag ?? '',
    ].map(csvCell),
  );
  return `${[FILL_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;
}

export function tradeLogJson(value: readonly RoundTripRecord[] | readonly FillRecord[]): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  // Quote what needs it, and neutralise a leading formula character so a spreadsheet never
  // evaluates a tag or id as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
