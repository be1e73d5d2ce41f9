// Runs a backtest: a data file replayed through a strategy on the paper venue, in the data's own
// time, with every event journaled to a SQLite file. Deterministic: the same file, strategy,
// parameters and cash give the same fills, journal and statistics, byte for byte. At the end the
// strategy stops, working orders are cancelled and the position is closed at market (unless told
// not to), so the P&L is realized and can be recomputed from the journal's fills alone.

import { existsSync, rmSync } from 'node:fs';
import { parseUnits } from '../../core/decimal.ts';
import type { Result } from '../../core/errors.ts';
import type { Strategy } from '../../engine/strategy.ts';
import type { FillRecord, RoundTripRecord } from '../../engine/trade-log.ts';
import { SqliteJournal } from '../../journal/sqlite-journal.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import type { EquityPoint } from '../../portfolio/index.ts';
import { type DataFormatName, loadMarketData } from './data-formats.ts';
import { type BacktestStatistics, computeStatistics } from './statistics.ts';
import { StrategySession } from './strategy-session.ts';

export interface BacktestOptions {
  readonly dataPath: string;
  readonly format: DataFormatName;
  readonly instrument: Instrument;
  readonly strategy: Strategy;
  readonly params?: Readonly<Record<string, string>>;
  readonly barMs: number;
  readonly cash: string;
  /** The SQLite journal file; must be new or empty unless `replaceJournal`. */
  readonly journalPath: string;
  /** Delete an existing journal file first (the default journal path only). */
  readonly replaceJournal?: boolean;
  /** Close the position at the end (default true). */
  readonly flatten?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  readonly log?: (message: string, ts: number) => void;
}

/** A price candle for the report's chart, in price units. */
export interface Candle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface BacktestResult {
  readonly statistics: BacktestStatistics;
  readonly instrument: Instrument;
  readonly strategy: string;
  readonly dataPath: string;
  readonly format: DataFormatName;
  readonly journalPath: string;
  readonly journalEvents: number;
  readonly items: number;
  readonly firstMs: number | undefined;
  readonly lastMs: number | undefined;
  readonly equity: readonly EquityPoint[];
  readonly candles: readonly Candle[];
  readonly fills: readonly FillRecord[];
  readonly roundTrips: readonly RoundTripRecord[];
  readonly notes: readonly string[];
}

export type BacktestProblem =
  | { readonly code: 'unavailable'; readonly message: string }
  | { readonly code: 'journal_not_empty'; readonly message: string };

/** Candles kept for the chart at most; finer ones are merged. */
const CANDLES_MAX = 4000;

export async function runBacktest(
  options: BacktestOptions,
): Promise<Result<BacktestResult, BacktestProblem>> {
  const data = loadMarketData(options.dataPath, options.format, options.instrument);
  if (!data.ok) return { ok: false, error: { code: 'unavailable', message: data.error.message } };
  if (options.replaceJournal === true) removeSqlite(options.journalPath);
  const journal = SqliteJournal.open(options.journalPath);
  try {
    if (journal.lastSeqSync() > 0)
      return {
        ok: false,
        error: {
          code: 'journal_not_empty',
          message: `journal ${options.journalPath} already holds events; give a new --journal path`,
        },
      };
    const result = replay(data.value, options, journal);
    return { ok: true, value: { ...result, journalEvents: journal.lastSeqSync() } };
  } finally {
    await journal.close();
  }
}

function replay(
  items: readonly MarketData[],
  options: BacktestOptions,
  journal: SqliteJournal,
): Omit<BacktestResult, 'journalEvents'> {
  const inst = options.instrument;
  const session = new StrategySession({
    instrument: inst,
    strategy: options.strategy,
    params: options.params,
    cash: options.cash,
    barMs: options.barMs,
    journal,
    checkpointVenue: false,
    log: options.log,
  });
  const candles = new CandleBuilder(options.barMs);
  const step = Math.max(1, Math.floor(items.length / 200));
  for (let i = 0; i < items.length; i++) {
    const md = items[i] as MarketData;
    session.feed(md);
    candles.add(md);
    if (i % step === 0) options.onProgress?.(i, items.length);
  }
  options.onProgress?.(items.length, items.length);
  const notes = session.finish(options.flatten ?? true);
  const { portfolio, oms } = session;
  const currency = inst.quote;
  const roundTrips = oms.tradeLog.roundTrips();
  const fills = oms.tradeLog.fills();
  const statistics = computeStatistics({
    currency,
    equityStart: session.equityStart,
    equityEnd: portfolio.equity(currency),
    realizedPnl: portfolio.realizedPnl(currency),
    fees: portfolio.feesPaid(currency),
    drawdown: session.drawdown,
    periodCloses: session.periods.finish(),
    periodMs: options.barMs,
    trips: roundTrips.map((t) => ({ realizedNet: parseUnits(t.realizedNet, MONEY_SCALE) ?? 0n })),
    fills: fills.length,
    orders: oms.getOrders().length,
  });
  if (oms.anomalies.length > 0) notes.push(`${oms.anomalies.length} venue report(s) could not be applied`);
  return {
    statistics,
    instrument: inst,
    strategy: options.strategy.name,
    dataPath: options.dataPath,
    format: options.format,
    journalPath: options.journalPath,
    items: session.items,
    firstMs: session.firstMs,
    lastMs: session.lastMs,
    equity: portfolio.equityCurve(),
    candles: candles.finish(),
    fills,
    roundTrips,
    notes,
  };
}

/** A SQLite file with its WAL and shared-memory files. */
function removeSqlite(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(p)) rmSync(p);
}

/** Candles on the bar grid from trades and bars (quotes by their mid when there are no trades). */
class CandleBuilder {
  private readonly candles: Candle[] = [];
  private current: { ts: number; open: number; high: number; low: number; close: number } | undefined;
  private sawTrade = false;

  constructor(private readonly barMs: number) {}

  add(md: MarketData): void {
    let price: number;
    if (md.kind === 'trade') {
      this.sawTrade = true;
      price = md.price;
    } else if (md.kind === 'quote') {
      if (this.sawTrade || md.bid <= 0 || md.ask <= 0) return;
      price = Math.floor((md.bid + md.ask) / 2);
    } else {
      this.push({ ts: md.ts - md.durationMs, open: md.open, high: md.high, low: md.low, close: md.close });
      return;
    }
    const start = Math.floor(md.ts / this.barMs) * this.barMs;
    const c = this.current;
    if (c !== undefined && c.ts === start) {
      if (price > c.high) c.high = price;
      if (price < c.low) c.low = price;
      c.close = price;
      return;
    }
    if (c !== undefined) this.push(c);
    this.current = { ts: start, open: price, high: price, low: price, close: price };
  }

  private push(c: Candle): void {
    const last = this.candles[this.candles.length - 1];
    if (last !== undefined && c.ts <= last.ts) return;
    this.candles.push({ ...c });
  }

  /** The candles, merged k at a time when there are more than CANDLES_MAX. */
  finish(): Candle[] {
    if (this.current !== undefined) this.push(this.current);
    this.current = undefined;
    const k = Math.ceil(this.candles.length / CANDLES_MAX);
    if (k <= 1) return this.candles;
    const out: Candle[] = [];
    for (let i = 0; i < this.candles.length; i += k) {
      const group = this.candles.slice(i, i + k);
      const first = group[0] as Candle;
      out.push({
        ts: first.ts,
        open: first.open,
        high: Math.max(...group.map((c) => c.high)),
        low: Math.min(...group.map((c) => c.low)),
        close: (group[group.length - 1] as Candle).close,
      });
    }
    return out;
  }
}
