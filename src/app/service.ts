// The running service: the composition behind `ordo serve`. It wires the order manager to the
// paper venue, the SQLite journal under the data directory and a real-time market feed, and
// passes wall-clock time into the engine (the engine itself never reads a clock). On a data
// directory with a journal it resumes: the paper venue from its newest checkpoint and the manager
// by replaying every event. It implements the API's backend port, so the API layer never imports
// this file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiBackend, VenueStatus } from '../api/api-backend.ts';
import { WhatIfRisk } from '../api/what-if-risk.ts';
import { parseUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { AdvancedOrderManager, savedComponentChain } from '../engine/advanced-order-manager.ts';
import { SqliteJournal } from '../journal/sqlite-journal.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import { Portfolio } from '../portfolio/index.ts';
import { type RiskLimits, RiskManager } from '../risk/index.ts';
import { PaperVenue, type PaperVenueOptions } from '../venues/paper/paper-venue.ts';
import type { OrdoConfig } from './config.ts';
import { type MarketFeed, SyntheticFeed } from './market-feed.ts';

export const JOURNAL_FILE = 'ordo.db';
export const IDEMPOTENCY_FILE = 'api.db';

export interface ServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ServiceOptions {
  readonly config: OrdoConfig;
  /** The wall clock; tests may pass their own. */
  readonly now?: () => number;
  /** The market feed; default from the config (the synthetic market). */
  readonly feed?: (instruments: readonly Instrument[], lastPrices: Record<string, number>) => MarketFeed;
  readonly log?: ServiceLog;
  readonly version?: string;
}

export class OrdoService implements ApiBackend {
  readonly oms: AdvancedOrderManager;
  readonly risk: WhatIfRisk;
  readonly journal: SqliteJournal;
  readonly instruments: readonly Instrument[];
  readonly venue: PaperVenue;
  readonly feed: MarketFeed;
  readonly version: string;
  /** What the journal held at start: the input count and events restored (0 for a new one). */
  readonly restored: { readonly inputs: number; readonly events: number };
  private readonly clock: () => number;
  private readonly listeners = new Set<(md: MarketData) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: ServiceLog | undefined;
  private running = false;
  private stopped = false;

  constructor(private readonly options: ServiceOptions) {
    const config = options.config;
    this.clock = options.now ?? Date.now;
    this.log = options.log;
    this.version = options.version ?? '0.0.0';
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    this.instruments = config.instruments.map((i) =>
      unwrap(
        defineInstrument({
          venue: config.venue,
          symbol: i.symbol,
          kind: i.kind,
          priceIncrement: i.priceIncrement,
          qtyIncrement: i.qtyIncrement,
          qtyMin: i.qtyMin,
          notionalMin: i.notionalMin,
          feeMaker: i.feeMaker,
          feeTaker: i.feeTaker,
        }),
      ),
    );
    const balances = Object.fromEntries(Object.entries(config.balances).map(([c, v]) => [c, String(v)]));
    const venueOptions: PaperVenueOptions = {
      venue: config.venue,
      instruments: this.instruments,
      balances,
      native: config.paperNative,
    };
    this.journal = SqliteJournal.open(join(config.dataDir, JOURNAL_FILE));
    const saved = savedComponentChain(this.journal);
    this.venue =
      saved.length === 0 ? new PaperVenue(venueOptions) : PaperVenue.restoreChain(venueOptions, saved);
    const cash: Record<string, bigint> = {};
    for (const [currency, amount] of Object.entries(balances))
      cash[currency] = parseUnits(amount, MONEY_SCALE) ?? 0n;
    this.risk = new WhatIfRisk(new RiskManager(config.risk as RiskLimits));
    this.oms = new AdvancedOrderManager(this.venue, {
      instruments: this.instruments,
      portfolio: new Portfolio({ cash: { [config.venue]: cash } }),
      risk: this.risk,
      journal: this.journal,
      checkpoint: (full) => this.venue.checkpoint(full),
    });
    const before = this.journal.lastSeqSync();
    const r = this.oms.restore();
    this.restored = { inputs: r?.inputSeq ?? 0, events: before };
    const last: Record<string, number> = {};
    for (const inst of this.instruments) {
      const p = this.oms.engine.state.emulator.lastPrice(inst, 'last');
      const start = config.instruments.find((i) => i.symbol === inst.symbol)?.startPrice;
      const fallback = start === undefined ? undefined : parseUnits(start, inst.priceScale);
      const price = p ?? (fallback === undefined ? undefined : Number(fallback));
      if (price !== undefined) last[inst.key] = price;
    }
    this.feed =
      options.feed?.(this.instruments, last) ??
      new SyntheticFeed({
        instruments: this.instruments,
        startPrices: last,
        seed: config.feed.seed,
        tickMs: config.feed.tickMs,
        volatilityTicks: config.feed.volatilityTicks,
        spreadTicks: config.feed.spreadTicks,
        now: this.clock,
      });
  }

  now(): number {
    return this.clock();
  }

  journalSeq(): number {
    return this.journal.lastSeqSync();
  }

  venues(): readonly VenueStatus[] {
    return [
      {
        id: this.venue.id,
        connected: this.running,
        capabilities: this.venue.capabilities,
        instruments: this.instruments,
        feed: { name: this.feed.name, connected: this.running && (this.feed.connected?.() ?? true) },
      },
    ];
  }

  onMarket(listener: (md: MarketData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the market feed and the timers that let time pass and sample equity. */
  async start(): Promise<void> {
    this.running = true;
    await this.feed.start((md) => this.market(md));
    const config = this.options.config;
    const sample = setInterval(() => this.oms.portfolio.equitySample(this.engineTs()), config.equitySampleMs);
    // Time passes for held orders (GTD, DAY expiries) even when the market is quiet.
    const tick = setInterval(() => this.oms.sync(this.engineTs()), 1000);
    this.timers.push(sample, tick);
    this.oms.portfolio.equitySample(this.engineTs());
  }

  /** One market data item: the engine (and paper venue) first, then marks and listeners. */
  private market(md: MarketData): void {
    if (this.stopped) return;
    // Never behind what the engine has seen: a command stamped by the wall clock may be newer.
    const item = md.ts < this.oms.nowMs ? { ...md, ts: this.oms.nowMs } : md;
    try {
      this.oms.feed(item);
      if (item.kind === 'trade') this.oms.portfolio.mark(item.instrument, item.price, item.ts);
      else if (item.kind === 'bar') this.oms.portfolio.mark(item.instrument, item.close, item.ts);
    } catch (e) {
      // A bug in the engine must not be hidden: log it and stop taking market data.
      this.log?.error({ err: e }, 'market data failed; the feed is stopped');
      void this.feed.stop();
      return;
    }
    for (const l of this.listeners) l(item);
  }

  private engineTs(): number {
    // Never backwards, even when the wall clock is set back.
    this.lastTs = Math.max(this.lastTs, this.clock(), this.oms.nowMs);
    return this.lastTs;
  }

  private lastTs = 0;

  /** Stops the feed and timers and closes the journal; every event written is durable. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    await this.feed.stop();
    await this.journal.close();
  }
}
