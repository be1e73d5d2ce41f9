// The user-facing strategy interface: a small set of typed hooks (on start, on tick, on bar, on
// fill, on stop) that user code implements to trade through an AdvancedOrderManager, and the
// runner that drives one. The same strategy runs under `ordo backtest` (a file replayed in sim
// time) and `ordo paper` (a live or synthetic feed): the runner only sees market data items, and
// time is the data's own, so a backtest replays exactly. Pure like the rest of the engine: no clock,
// no I/O; a strategy's log lines go to a sink the caller passes in.
//
// Hooks never run inside the engine's event dispatch. Fills are queued while the manager works and
// handed to `onFill` after the input that produced them has finished, so a hook may place, cancel
// or modify orders freely (each call is its own input, journaled before it returns).

import { assertNever } from '../core/assert.ts';
import { formatUnits } from '../core/decimal.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import { formatPrice, formatQty, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, TradeTick } from '../model/market.ts';
import type { LegRole, Side } from '../model/order.ts';
import type { Portfolio, PositionView } from '../portfolio/index.ts';
import type { AdvancedOrderManager } from './advanced-order-manager.ts';

/** One fill of one of the strategy's orders, in decimal strings. */
export interface StrategyFill {
  readonly ts: TimestampMs;
  readonly orderId: OrderId;
  /** The order's role: `single`, `entry`, `take_profit`, `stop_loss`, `oco_leg`, ... */
  readonly role: LegRole;
  readonly listId: ListId | undefined;
  readonly tag: string | undefined;
  readonly symbol: string;
  readonly side: Side;
  readonly price: string;
  readonly quantity: string;
  readonly fee: string;
  readonly feeCurrency: string;
}

/** What a hook can see and use. */
export interface StrategyContext {
  /** The order manager: place, cancel and modify any order type; read orders and lists. */
  readonly oms: AdvancedOrderManager;
  /** Positions, cash, P&L, round trips. */
  readonly portfolio: Portfolio;
  /** The instrument the strategy trades. */
  readonly instrument: Instrument;
  /** Its symbol, as order specs name it (`BTC/USDT`). */
  readonly symbol: string;
  /** Time of the latest input (epoch ms, the data's time). */
  readonly nowMs: TimestampMs;
  /** Parameters given on the command line (`--param key=value`), as text. */
  readonly params: Readonly<Record<string, string>>;
  /** Price units (as in ticks and bars) as a decimal string, e.g. for an order spec. */
  price(units: number): string;
  /** Quantity units as a decimal string. */
  qty(units: number): string;
  /** The position in the traded instrument; undefined before its first fill. */
  position(): PositionView | undefined;
  /** Whether the position is flat (or was never opened). */
  flat(): boolean;
  /** A line for the session's log, stamped with the data's time by the runner's sink. */
  log(message: string): void;
}

/** User code. Every hook is optional; `name` labels logs and reports. */
export interface Strategy {
  readonly name: string;
  /** Length of the bars `onBar` receives when the data is ticks; the runner may override it. */
  readonly barMs?: number;
  onStart?(ctx: StrategyContext): void;
  /** Every trade and quote tick, after the venue and Ordo's emulator have seen it. */
  onTick?(tick: TradeTick | QuoteTick, ctx: StrategyContext): void;
  /** Every bar: a bar from the data, or one built from trade ticks when it closes. */
  onBar?(bar: Bar, ctx: StrategyContext): void;
  onFill?(fill: StrategyFill, ctx: StrategyContext): void;
  /** The session ends (end of the file, or the user stopped it). */
  onStop?(ctx: StrategyContext): void;
}

/** What a strategy module exports: `ordo backtest --strategy FILE` loads `createStrategy`. */
export interface StrategyModule {
  createStrategy(params: Readonly<Record<string, string>>): Strategy;
}

export const STRATEGY_BAR_MS_DEFAULT = 60_000;
/** A hook that keeps producing fills that produce fills is a bug in the strategy, not a loop to run forever. */
const FILL_ROUNDS_MAX = 10_000;

export interface StrategyRunnerOptions {
  readonly instrument: Instrument;
  readonly params?: Readonly<Record<string, string>>;
  /** Overrides the strategy's own `barMs`. */
  readonly barMs?: number;
  /** Where `ctx.log` lines go, with the data time they were written at. */
  readonly log?: (message: string, ts: TimestampMs) => void;
}

/** Builds bars from trade ticks on a fixed grid: a bar closes when a trade lands past its end. */
class BarBuilder {
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;
  /** End of the current bar (exclusive), or undefined before the first trade. */
  private endMs: number | undefined = undefined;

  constructor(
    private readonly instrument: string,
    private readonly barMs: number,
  ) {}

  /** Adds a trade; answers the bar it closed, if it closed one. */
  add(t: TradeTick): Bar | undefined {
    let closed: Bar | undefined;
    if (this.endMs !== undefined && t.ts >= this.endMs) closed = this.flush();
    if (this.endMs === undefined) {
      this.endMs = (Math.floor(t.ts / this.barMs) + 1) * this.barMs;
      this.open = this.high = this.low = t.price;
      this.volume = 0;
    }
    if (t.price > this.high) this.high = t.price;
    if (t.price < this.low) this.low = t.price;
    this.close = t.price;
    this.volume += t.size;
    return closed;
  }

  /** The bar in progress, closed now (end of data); undefined when there is none. */
  flush(): Bar | undefined {
    if (this.endMs === undefined) return undefined;
    const bar: Bar = {
      kind: 'bar',
      instrument: this.instrument,
      ts: this.endMs,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      durationMs: this.barMs,
    };
    this.endMs = undefined;
    return bar;
  }
}

/**
 * Drives one strategy on one instrument: feeds each market data item to the order manager, then
 * calls the strategy's hooks, then hands it the fills that resulted.
 */
export class StrategyRunner {
  readonly ctx: StrategyContext;
  private readonly bars: BarBuilder;
  private readonly fills: StrategyFill[] = [];
  private readonly unsubscribe: () => void;
  private started = false;
  private stopped = false;

  constructor(
    readonly strategy: Strategy,
    readonly oms: AdvancedOrderManager,
    options: StrategyRunnerOptions,
  ) {
    const inst = options.instrument;
    const log = options.log ?? (() => {});
    const portfolio = oms.portfolio;
    this.ctx = {
      oms,
      portfolio,
      instrument: inst,
      symbol: inst.symbol,
      get nowMs() {
        return oms.nowMs;
      },
      params: Object.freeze({ ...options.params }),
      price: (units) => formatPrice(inst, units),
      qty: (units) => formatQty(inst, units),
      position: () => portfolio.position(inst.key),
      flat: () => portfolio.positionQty(inst.key) === 0,
      log: (message) => log(message, oms.nowMs),
    };
    const barMs = options.barMs ?? strategy.barMs ?? STRATEGY_BAR_MS_DEFAULT;
    this.bars = new BarBuilder(inst.key, barMs);
    this.unsubscribe = oms.on((e) => {
      if (e.type !== 'order_filled') return;
      const o = oms.getOrder(e.id);
      if (o === undefined) return;
      this.fills.push({
        ts: e.ts,
        orderId: e.id,
        role: o.role,
        listId: o.listId,
        tag: o.tag,
        symbol: o.symbol,
        side: o.side,
        price: formatPrice(inst, e.price),
        quantity: formatQty(inst, e.quantity),
        fee: formatUnits(e.fee, MONEY_SCALE, true),
        feeCurrency: e.feeCurrency,
      });
    });
  }

  /** Calls `onStart` once; `feed` calls it on the first item if the caller did not. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.strategy.onStart?.(this.ctx);
    this.deliverFills();
  }

  /** One market data item: the manager first (venue, emulator), then the strategy's hooks. */
  feed(md: MarketData): void {
    if (this.stopped) return;
    this.oms.feed(md);
    this.onMarket(md);
  }

  /**
   * The strategy's hooks for an item the manager has already been fed by its owner (a running
   * service feeds its manager itself and tells listeners after).
   */
  onMarket(md: MarketData): void {
    if (this.stopped) return;
    if (!this.started) this.start();
    this.deliverFills();
    if (md.instrument !== this.ctx.instrument.key) return;
    switch (md.kind) {
      case 'trade': {
        const closed = this.bars.add(md);
        if (closed !== undefined) this.bar(closed);
        this.strategy.onTick?.(md, this.ctx);
        break;
      }
      case 'quote':
        this.strategy.onTick?.(md, this.ctx);
        break;
      case 'bar':
        this.bar(md);
        break;
      default:
        assertNever(md);
    }
    this.deliverFills();
  }

  /** Ends the session: the bar in progress closes, then `onStop`. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    if (!this.started) this.start();
    const last = this.bars.flush();
    if (last !== undefined) this.bar(last);
    this.deliverFills();
    this.stopped = true;
    this.strategy.onStop?.(this.ctx);
    this.deliverFills();
    this.unsubscribe();
  }

  private bar(bar: Bar): void {
    this.strategy.onBar?.(bar, this.ctx);
    this.deliverFills();
  }

  private deliverFills(): void {
    for (let round = 0; this.fills.length > 0; round++) {
      if (round >= FILL_ROUNDS_MAX) throw new Error(`strategy ${this.strategy.name}: fills do not settle`);
      const batch = this.fills.splice(0);
      for (const f of batch) this.strategy.onFill?.(f, this.ctx);
    }
  }
}
