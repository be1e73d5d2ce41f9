// One strategy trading one instrument on the paper venue, with a journal: what `ordo backtest` and
// `ordo paper` both build. It also loads strategy modules (a file exporting `createStrategy`) and
// keeps the session's bookkeeping that the engine does not: marks for unrealized P&L, equity
// samples, drawdown and per-period closes for the statistics.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { assertNever } from '../../core/assert.ts';
import { parseUnits } from '../../core/decimal.ts';
import { err, ok, type Result } from '../../core/errors.ts';
import { AdvancedOrderManager } from '../../engine/advanced-order-manager.ts';
import type { SyncJournal } from '../../engine/journal-port.ts';
import { type Strategy, type StrategyModule, StrategyRunner } from '../../engine/strategy.ts';
import { type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import { Portfolio } from '../../portfolio/index.ts';
import { RiskManager } from '../../risk/index.ts';
import { PaperVenue } from '../../venues/paper/paper-venue.ts';
import { DrawdownTracker, PeriodSampler } from './statistics.ts';

export interface StrategySessionOptions {
  readonly instrument: Instrument;
  readonly strategy: Strategy | undefined;
  readonly params?: Readonly<Record<string, string>>;
  /** Starting cash in the quote currency, decimal text. */
  readonly cash: string;
  /** Bar length for onBar and for the Sharpe periods. */
  readonly barMs: number;
  readonly journal?: SyncJournal;
  /**
   * Save the paper venue's state with each journal batch, so the session can resume after a crash
   * (paper trading). A backtest is rerun rather than resumed: without it the journal keeps every
   * event but not a venue snapshot per input, which on a long replay is most of the file.
   */
  readonly checkpointVenue?: boolean;
  readonly log?: (message: string, ts: number) => void;
}

/** Why a strategy module could not be used: not loadable (`unavailable`), or not a strategy. */
export interface StrategyLoadProblem {
  readonly code: 'unavailable' | 'invalid';
  readonly message: string;
}

/** Loads a strategy module: a file that exports `createStrategy(params)`. */
export async function loadStrategy(
  path: string,
  cwd: string,
  params: Readonly<Record<string, string>>,
): Promise<Result<Strategy, StrategyLoadProblem>> {
  let mod: Partial<StrategyModule>;
  try {
    // Through tsx's own import: a TypeScript file outside a `"type": "module"` package (a user's
    // strategy in any folder) loads as a module all the same.
    mod = (await tsImport(
      pathToFileURL(resolve(cwd, path)).href,
      import.meta.url,
    )) as Partial<StrategyModule>;
  } catch (e) {
    return err({
      code: 'unavailable',
      message: `cannot load strategy module ${path}: ${(e as Error).message}`,
    });
  }
  if (typeof mod.createStrategy !== 'function')
    return err({
      code: 'invalid',
      message: `strategy module ${path} does not export createStrategy(params)`,
    });
  try {
    const strategy = mod.createStrategy(params);
    if (typeof strategy?.name !== 'string')
      return err({
        code: 'invalid',
        message: `createStrategy in ${path} did not return a strategy with a name`,
      });
    return ok(strategy);
  } catch (e) {
    return err({ code: 'invalid', message: `strategy ${path}: ${(e as Error).message}` });
  }
}

export class StrategySession {
  readonly venue: PaperVenue;
  readonly portfolio: Portfolio;
  readonly oms: AdvancedOrderManager;
  readonly runner: StrategyRunner | undefined;
  readonly drawdown = new DrawdownTracker();
  readonly periods: PeriodSampler;
  readonly equityStart: bigint;
  private lastMark: number | undefined;
  items = 0;
  firstMs: number | undefined;
  lastMs: number | undefined;

  constructor(readonly options: StrategySessionOptions) {
    const inst = options.instrument;
    const cash = parseUnits(options.cash, MONEY_SCALE);
    if (cash === undefined || cash < 0n) throw new Error(`cash ${options.cash} is not a decimal amount`);
    this.equityStart = cash;
    this.venue = new PaperVenue({
      venue: inst.venue,
      instruments: [inst],
      balances: { [inst.quote]: options.cash, [inst.base]: '0' },
    });
    this.portfolio = new Portfolio({
      valuationCurrency: inst.quote,
      cash: { [inst.venue]: { [inst.quote]: cash } },
    });
    this.oms = new AdvancedOrderManager(this.venue, {
      instruments: [inst],
      portfolio: this.portfolio,
      // Only the checks every session wants: a strategy bug must not send absurd orders.
      risk: new RiskManager({ openOrdersMax: 1000 }),
      journal: options.journal,
      checkpoint:
        options.journal !== undefined && options.checkpointVenue !== false
          ? (full) => this.venue.checkpoint(full)
          : undefined,
    });
    this.runner =
      options.strategy === undefined
        ? undefined
        : new StrategyRunner(options.strategy, this.oms, {
            instrument: inst,
            params: options.params,
            barMs: options.barMs,
            log: options.log,
          });
    this.periods = new PeriodSampler(options.barMs);
  }

  /**
   * One market data item through the manager and the strategy, then the bookkeeping. Time never
   * goes back: live streams interleave channels (a trade's exchange time, a ticker stamped on
   * arrival), so an item older than the last one is restamped to it, as the service does.
   */
  feed(item: MarketData): void {
    const md = this.lastMs !== undefined && item.ts < this.lastMs ? { ...item, ts: this.lastMs } : item;
    if (this.runner !== undefined) this.runner.feed(md);
    else this.oms.feed(md);
    this.items++;
    this.firstMs ??= md.ts;
    this.lastMs = md.ts;
    const price = markPrice(md);
    if (price !== undefined && md.instrument === this.options.instrument.key) {
      this.lastMark = price;
      this.portfolio.mark(md.instrument, price, md.ts);
    }
    this.sample(md.ts);
  }

  /** Samples equity for the curve, the drawdown and the Sharpe periods. */
  sample(ts: number): bigint {
    const equity = this.portfolio.equitySample(ts);
    this.drawdown.add(equity);
    this.periods.add(ts, equity);
    return equity;
  }

  /**
   * Ends the session: the strategy stops; then, with `flatten`, every working order is cancelled
   * and an open position is closed at market, so the result is all realized.
   */
  finish(flatten: boolean): string[] {
    const notes: string[] = [];
    this.runner?.stop();
    if (!flatten) return notes;
    for (const o of this.oms.getActiveOrders()) this.oms.cancelOrder(o.id);
    const qty = this.portfolio.position(this.options.instrument.key)?.qty;
    if (qty !== undefined && !/^-?0(\.0*)?$/.test(qty)) {
      const long = !qty.startsWith('-');
      const r = this.oms.placeOrder({
        symbol: this.options.instrument.symbol,
        side: long ? 'sell' : 'buy',
        type: 'market',
        quantity: long ? qty : qty.slice(1),
        tag: 'flatten',
      });
      notes.push(r.ok ? `closed ${qty} at market at the end` : `could not close ${qty}: ${r.error.message}`);
    }
    if (this.lastMs !== undefined) {
      if (this.lastMark !== undefined)
        this.portfolio.mark(this.options.instrument.key, this.lastMark, this.lastMs);
      this.sample(this.lastMs);
    }
    return notes;
  }
}

/** The price a data item says the instrument is worth: last trade, mid quote, bar close. */
function markPrice(md: MarketData): number | undefined {
  switch (md.kind) {
    case 'trade':
      return md.price;
    case 'quote':
      return md.bid > 0 && md.ask > 0 ? Math.floor((md.bid + md.ask) / 2) : undefined;
    case 'bar':
      return md.close;
    default:
      return assertNever(md, 'market data');
  }
}
