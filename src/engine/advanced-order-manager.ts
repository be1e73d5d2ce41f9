// The library's front door: the seed's AdvancedOrderManager surface (placeBracketOrder,
// placeTrailingStop, placeOcoOrder, placeScaleOrder, updateTrailingStops, getActiveOrders) plus
// placeOrder, cancelOrder, modifyOrder, events and portfolio queries, over the general engine and
// an in-process venue. Time comes from the market data it is fed (or an explicit timestamp), never
// from the clock, so a session replays exactly.

import { parseUnits } from '../core/decimal.ts';
import {
  codedError,
  err,
  type FieldIssue,
  issuesError,
  type OrdoError,
  ok,
  type Result,
} from '../core/errors.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import {
  type DecimalInput,
  formatPrice,
  formatQty,
  type Instrument,
  readPrice,
  readQty,
} from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import type { LegRole, Order, Side, TimeInForce } from '../model/order.ts';
import { isTerminal } from '../model/status.ts';
import { Portfolio } from '../portfolio/index.ts';
import { type LevelSpec, levelPrice } from './bracket-levels.ts';
import {
  type ExecutionPlan,
  type ListLegInput,
  type ListOptions,
  type ListParentInput,
  OrderEngine,
  type PlacedList,
  type RiskPort,
} from './engine.ts';
import type { ListKind, OrdoEvent } from './events.ts';
import type { SyncJournal } from './journal-port.ts';
import type { OrderSpec, TrailingSpec } from './order-spec.ts';
import { type ListView, OrderHandle, type OrderView, viewList } from './order-view.ts';
import { planScale, type ScaleSpec } from './scale-ladder.ts';
import { TradeLog } from './trade-log.ts';
import type { SyncVenue } from './venue-port.ts';

export type EntrySpec =
  | { readonly type: 'market' }
  | { readonly type: 'limit'; readonly price: DecimalInput }
  | { readonly type: 'stop_limit'; readonly price: DecimalInput; readonly triggerPrice: DecimalInput };

export interface BracketSpec {
  readonly symbol: string;
  readonly venue?: string;
  readonly side: Side;
  readonly quantity: DecimalInput;
  /** Omit to protect an existing position: levels then derive from its average entry price. */
  readonly entry?: EntrySpec;
  readonly takeProfit: LevelSpec;
  readonly stopLoss: LevelSpec;
  /** The stop-loss as a stop (market) or a stop-limit this far beyond its trigger. */
  readonly stopLossLimitOffset?: DecimalInput;
  readonly tif?: TimeInForce;
  readonly tag?: string;
  /**
   * When the exits start working: as the entry fills, sized to each partial fill ('partial', the
   * default: nothing Ordo buys is ever unprotected), or once the entry is completely filled
   * ('full'). Venues whose native brackets release on a full fill (Alpaca, Binance OTOCO) take
   * 'full' brackets natively; 'partial' ones are linked by Ordo.
   */
  readonly release?: 'partial' | 'full';
}

export interface TrailingStopSpec extends TrailingSpec {
  readonly symbol: string;
  readonly venue?: string;
  readonly side: Side;
  readonly quantity: DecimalInput;
  readonly triggerBasis?: 'last' | 'quote' | 'mid';
  readonly tag?: string;
}

export type OcoLegSpec =
  | { readonly type: 'limit'; readonly price: DecimalInput }
  | { readonly type: 'stop'; readonly triggerPrice: DecimalInput }
  | { readonly type: 'stop_limit'; readonly triggerPrice: DecimalInput; readonly price: DecimalInput };

export interface OcoSpec {
  readonly symbol: string;
  readonly venue?: string;
  readonly side: Side;
  readonly quantity: DecimalInput;
  readonly legs: readonly [OcoLegSpec, OcoLegSpec];
  readonly tag?: string;
}

export interface OtoSpec {
  readonly parent: OrderSpec;
  readonly children: readonly OrderSpec[];
  /** Release children on the parent's first fill, sized to it ('partial'), or once it is filled. */
  readonly trigger?: 'partial' | 'full';
}

export interface ManagerOptions {
  readonly instruments: readonly Instrument[];
  /** Defaults to an empty portfolio valued in USD. */
  readonly portfolio?: Portfolio;
  readonly risk?: RiskPort;
  readonly clientIdPrefix?: string;
  /** Where events become durable; every input's events are appended before the call returns. */
  readonly journal?: SyncJournal;
  /**
   * The state of in-process components (a paper venue) saved with every journal batch: a full
   * state, or (delta) only what changed since the previous batch's, which the journal then keeps
   * as a link of a checkpoint chain (PaperVenue.checkpoint gives such parts). `full` asks for a
   * full state: the previous part may never have been written (its append failed), so a delta
   * after it would break the chain. Read it back with savedComponentChain.
   */
  readonly checkpoint?: (full: boolean) => CheckpointPart;
}

/** One checkpoint's share from in-process components: see ManagerOptions.checkpoint. */
export interface CheckpointPart {
  /** True when `state` only extends the previous part (the chain restarts at a full one). */
  readonly delta: boolean;
  readonly state: unknown;
}

/** What the manager saves in each journal checkpoint. */
interface SavedState {
  readonly market?: Parameters<OrderEngine['restoreMarketState']>[0];
  readonly venue?: unknown;
}

/**
 * The saved states of in-process components (ManagerOptions.checkpoint) in the journal's
 * checkpoint chain, oldest first: a full state followed by the deltas after it. Empty for a
 * journal without checkpoints (or whose checkpoints carry none).
 */
export function savedComponentChain(journal: SyncJournal): unknown[] {
  const out: unknown[] = [];
  for (const stored of journal.checkpointChainSync()) {
    const venue = (stored.checkpoint.state as SavedState | null)?.venue;
    if (venue !== undefined) out.push(venue);
  }
  return out;
}

const SINGLE: ListOptions = { trigger: 'partial', oco: false, quantity: undefined };

export class AdvancedOrderManager {
  readonly engine: OrderEngine;

  constructor(
    readonly venue: SyncVenue,
    options: ManagerOptions,
  ) {
    this.portfolio = options.portfolio ?? new Portfolio();
    this.engine = new OrderEngine({
      instruments: options.instruments,
      venues: { [venue.id]: venue.capabilities },
      portfolio: this.portfolio,
      risk: options.risk,
      clientIdPrefix: options.clientIdPrefix,
    });
    this.tradeLog = new TradeLog(this.engine.instruments, this.portfolio, (id) =>
      this.engine.state.orders.get(id),
    );
    // Events are journaled one to one and in order, so the running count is the journal seq.
    this.engine.onEvent((e) => this.tradeLog.apply(e, ++this.eventSeq));
    this.journal = options.journal;
    this.checkpointPart = options.checkpoint;
    if (this.journal !== undefined) this.engine.onEvent((e) => this.pending.push(e));
  }

  /**
   * Runs one input (a market data item or a command). Events it produced are appended to the
   * journal, with a checkpoint, before the call returns: what the caller is told has happened is
   * durable. Nested calls (a facade method using another) form one input.
   */
  private input<T>(run: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = run();
    } finally {
      this.depth--;
    }
    this.endInput();
    return result;
  }

  /** Closes an input that returned normally: an outermost one is counted and journaled. */
  private endInput(): void {
    if (this.depth === 0 && !this.explaining) {
      this.inputSeq++;
      this.flush();
    }
  }

  private flush(): void {
    if (this.pending.length === 0 || this.journal === undefined) {
      // Only events of a journaled manager are kept, so this is nearly always empty already
      // (and setting an array's length is not free even then).
      if (this.pending.length !== 0) this.pending.length = 0;
      return;
    }
    const events = this.pending.splice(0);
    const part = this.checkpointPart === undefined ? undefined : this.checkpointPart(this.chainBroken);
    const state: SavedState = { market: this.engine.marketState(), venue: part?.state };
    // Until this append is durable its part is not in the journal: should it fail, the next
    // checkpoint must not be a delta after it.
    this.chainBroken = true;
    this.journal.appendSync({
      events,
      checkpoint: { inputSeq: this.inputSeq, state, chained: part?.delta === true },
    });
    this.chainBroken = false;
  }

  /**
   * Rebuilds the manager from its journal: every order, list, fill, position and emulated trigger
   * (with trailing watermarks) as they were after the last durable input. Returns that input's
   * number, or undefined for an empty journal (the saved states of in-process components are read
   * with savedComponentChain, before the components are built). Call it once, before anything else.
   */
  restore(): { inputSeq: number } | undefined {
    const journal = this.journal;
    if (journal === undefined) return undefined;
    const cp = journal.lastCheckpointSync();
    this.engine.restore(
      (function* () {
        for (const entry of journal.readSync()) yield entry.event;
      })(),
      (e) => this.tradeLog.apply(e, ++this.eventSeq),
    );
    if (cp === undefined) return undefined;
    // Every checkpoint of a chain carries the whole market state: the newest one is read.
    const state = cp.checkpoint.state as SavedState | null;
    if (state?.market !== undefined) this.engine.restoreMarketState(state.market);
    this.inputSeq = cp.checkpoint.inputSeq;
    return { inputSeq: cp.checkpoint.inputSeq };
  }

  /** The number of inputs handled so far (restored from the journal's last checkpoint). */
  get inputCount(): number {
    return this.inputSeq;
  }

  private readonly journal: SyncJournal | undefined;
  private readonly checkpointPart: ((full: boolean) => CheckpointPart) | undefined;
  private chainBroken = false;
  private readonly pending: OrdoEvent[] = [];
  private depth = 0;
  private inputSeq = 0;

  /** Fills and round trips, queryable and exportable. */
  readonly tradeLog: TradeLog;
  /** Number of events emitted (live or replayed): the journal seq of the latest one. */
  private eventSeq = 0;

  readonly portfolio: Portfolio;

  /** The open position's average entry price rounded to the tick, in price units. */
  private positionAvgPrice(inst: Instrument): number | undefined {
    const text = this.portfolio.position(inst.key)?.avgPriceTick;
    const units = text === undefined ? undefined : parseUnits(text, inst.priceScale);
    return units === undefined ? undefined : Number(units);
  }

  get nowMs(): TimestampMs {
    return this.engine.state.nowMs;
  }

  on(listener: (e: OrdoEvent) => void): () => void {
    return this.engine.onEvent(listener);
  }

  /** Feeds one market data item: the venue matches first, then the emulator's triggers. */
  feed(md: MarketData): void {
    this.input(() => {
      this.venue.onMarket(md);
      this.pump(md.ts);
      this.engine.onMarket(md);
      this.pump(md.ts);
    });
  }

  /**
   * Takes in what the venue has reported since the last input and lets time pass to `ts` (held
   * orders due by then expire): how a driver of an asynchronous venue (a VenueBridge buffers its
   * reports) hands them over. One input, journaled like any other.
   */
  sync(ts: TimestampMs): void {
    this.input(() => {
      this.pump(ts);
      this.engine.onTime(ts);
      this.pump(ts);
    });
  }

  /**
   * Adopts an order found working at the venue that Ordo did not place (reconciliation does this):
   * it keeps its client order id, is tagged `external`, and from then on its fills update the
   * portfolio and it can be cancelled like any other order.
   */
  adoptOrder(ext: Parameters<OrderEngine['adopt']>[0], ts: TimestampMs = this.nowMs): Result<OrderView> {
    return this.input(() => {
      const r = this.engine.adopt(ext, ts);
      return r.ok ? ok(this.getOrder(r.value)!) : r;
    });
  }

  /** Feeds a last-trade price for a symbol (the seed's way to move trailing stops). */
  updateTrailingStops(symbol: string, price: DecimalInput, ts: TimestampMs = this.nowMs): Result<void> {
    return this.input(() => {
      const inst = this.engine.instrument(symbol, undefined);
      if (inst === undefined)
        return err(
          issuesError([{ field: 'symbol', rule: 'known_symbol', message: `unknown symbol ${symbol}` }]),
        );
      const issues: FieldIssue[] = [];
      const p = readPrice(inst, price, 'price', issues);
      if (p === undefined) return err(issuesError(issues));
      this.feed({
        kind: 'trade',
        instrument: inst.key,
        ts,
        price: p,
        size: 0,
        aggressor: undefined,
        tradeId: undefined,
      });
      return ok(undefined);
    });
  }

  placeOrder(spec: OrderSpec, ts: TimestampMs = this.nowMs): Result<OrderView> {
    if (this.explaining)
      return this.explained(
        this.engine.explain('single', undefined, [{ spec, role: 'single', field: '' }], SINGLE),
      );
    // One input, as `input` runs it, written out: the hottest entry point allocates no closure.
    this.depth++;
    let r: Result<OrderId>;
    try {
      r = this.engine.place(spec, ts);
      this.pump(ts);
    } finally {
      this.depth--;
    }
    this.endInput();
    return r.ok ? ok(this.getOrder(r.value)!) : r;
  }

  /**
   * What a placement would do, before anything is sent: `oms.explain((o) =>
   * o.placeBracketOrder(spec))` gives each order's route (native at the venue, or held and emulated
   * by Ordo) and why, when it starts working, and whether the venue or Ordo links the list. Any
   * placement method can be explained. Nothing is created, sent or journaled; invalid input gives
   * the placement's own error.
   */
  explain(placement: (oms: AdvancedOrderManager) => Result<unknown>): Result<ExecutionPlan> {
    this.explaining = true;
    this.plan = undefined;
    let r: Result<unknown>;
    try {
      r = placement(this);
    } finally {
      this.explaining = false;
    }
    const plan = this.plan;
    this.plan = undefined;
    if (plan !== undefined) return ok(plan);
    return r.ok ? err(codedError('unsupported', 'the call placed nothing to explain')) : r;
  }

  private explaining = false;
  private plan: ExecutionPlan | undefined;

  /** In explain mode, keeps the plan and ends the placement with a marker error. */
  private explained(plan: Result<ExecutionPlan>): Result<never> {
    if (!plan.ok) return plan;
    this.plan = plan.value;
    return err(codedError('unsupported', 'explained, not placed'));
  }

  /** Places a list, or explains it in explain mode. */
  private placeList(
    kind: ListKind,
    parent: ListParentInput | undefined,
    legs: readonly ListLegInput[],
    options: ListOptions,
    ts: TimestampMs,
  ): Result<PlacedList> {
    if (this.explaining) return this.explained(this.engine.explain(kind, parent, legs, options));
    return this.engine.placeList(kind, parent, legs, options, ts);
  }

  placeTrailingStop(spec: TrailingStopSpec, ts: TimestampMs = this.nowMs): Result<OrderView> {
    return this.input(() => {
      if (spec === null || typeof spec !== 'object')
        return err(issuesError([{ field: 'order', rule: 'required', message: 'must be an object' }]));
      return this.placeOrder(
        {
          symbol: spec.symbol,
          venue: spec.venue,
          side: spec.side,
          type: 'trailing_stop',
          quantity: spec.quantity,
          triggerBasis: spec.triggerBasis,
          trailing: {
            offsetType: spec.offsetType,
            offset: spec.offset,
            activationPrice: spec.activationPrice,
            limitOffset: spec.limitOffset,
          },
          tag: spec.tag,
        },
        ts,
      );
    });
  }

  placeBracketOrder(spec: BracketSpec, ts: TimestampMs = this.nowMs): Result<ListView> {
    return this.input(() => {
      const issues: FieldIssue[] = [];
      const inst = this.engine.instrument(spec?.symbol, spec?.venue);
      if (inst === undefined)
        return err(
          issuesError([
            { field: 'symbol', rule: 'known_symbol', message: `unknown symbol ${shown(spec?.symbol)}` },
          ]),
        );
      const side = spec.side;
      if (side !== 'buy' && side !== 'sell')
        return err(issuesError([{ field: 'side', rule: 'enum', message: 'must be buy or sell' }]));
      const exit: Side = side === 'buy' ? 'sell' : 'buy';
      let entryPrice: number | undefined;
      const entry = spec.entry;
      if (entry !== undefined && (entry === null || typeof entry !== 'object'))
        return err(
          issuesError([{ field: 'entry', rule: 'object', message: 'must be an entry object or absent' }]),
        );
      if (entry === undefined) {
        entryPrice = this.positionAvgPrice(inst);
        if (entryPrice === undefined)
          issues.push({
            field: 'entry',
            rule: 'position_required',
            message: 'without an entry, a bracket needs an open position to protect',
          });
      } else if (entry.type === 'market') {
        entryPrice = this.marketPrice(inst);
        if (entryPrice === undefined)
          issues.push({
            field: 'entry',
            rule: 'market_price',
            message: 'no market price yet to derive levels from',
          });
      } else if (entry.type === 'limit' || entry.type === 'stop_limit') {
        entryPrice = readPrice(inst, entry.price, 'entry.price', issues);
      } else
        issues.push({ field: 'entry.type', rule: 'enum', message: 'must be market, limit or stop_limit' });
      if (spec.release !== undefined && spec.release !== 'partial' && spec.release !== 'full')
        issues.push({ field: 'release', rule: 'enum', message: 'must be partial or full' });
      if (entryPrice === undefined || issues.length > 0) return err(issuesError(issues));
      const tp = levelPrice(spec.takeProfit, entryPrice, side, 'takeProfit', inst, issues);
      const sl = levelPrice(spec.stopLoss, entryPrice, side, 'stopLoss', inst, issues);
      if (tp === undefined || sl === undefined || issues.length > 0) return err(issuesError(issues));
      const qty = spec.quantity;
      const base = { symbol: spec.symbol, venue: spec.venue, quantity: qty, tag: spec.tag };
      const parent =
        entry === undefined
          ? undefined
          : {
              spec: {
                ...base,
                side,
                type: entry.type,
                price: 'price' in entry ? entry.price : undefined,
                triggerPrice: 'triggerPrice' in entry ? entry.triggerPrice : undefined,
                tif: spec.tif,
              } as OrderSpec,
              role: 'entry' as LegRole,
            };
      const slSpec: OrderSpec =
        spec.stopLossLimitOffset === undefined
          ? { ...base, side: exit, type: 'stop', triggerPrice: formatPrice(inst, sl), reduceOnly: true }
          : {
              ...base,
              side: exit,
              type: 'stop_limit',
              triggerPrice: formatPrice(inst, sl),
              price: this.offsetPrice(inst, sl, exit, spec.stopLossLimitOffset, issues),
              reduceOnly: true,
            };
      if (issues.length > 0) return err(issuesError(issues));
      let legQty: number | undefined;
      if (entry === undefined) legQty = readQty(inst, qty, 'quantity', issues);
      const r = this.placeList(
        'bracket',
        parent,
        [
          {
            spec: { ...base, side: exit, type: 'limit', price: formatPrice(inst, tp), reduceOnly: true },
            role: 'take_profit',
            field: 'takeProfit.',
          },
          { spec: slSpec, role: 'stop_loss', field: 'stopLoss.' },
        ],
        { trigger: spec.release ?? 'partial', oco: true, quantity: legQty, extraIssues: issues },
        ts,
      );
      this.pump(ts);
      return r.ok ? ok(this.getList(r.value.listId)!) : r;
    });
  }

  placeOcoOrder(spec: OcoSpec, ts: TimestampMs = this.nowMs): Result<ListView> {
    return this.input(() => {
      const inst = this.engine.instrument(spec?.symbol, spec?.venue);
      if (inst === undefined)
        return err(
          issuesError([
            { field: 'symbol', rule: 'known_symbol', message: `unknown symbol ${shown(spec?.symbol)}` },
          ]),
        );
      const issues: FieldIssue[] = [];
      if (!Array.isArray(spec.legs) || spec.legs.length !== 2)
        return err(issuesError([{ field: 'legs', rule: 'length', message: 'an OCO has exactly two legs' }]));
      const quantity = readQty(inst, spec.quantity, 'quantity', issues);
      const legs = spec.legs.map((leg, i) => ({
        spec: {
          ...leg,
          symbol: spec.symbol,
          venue: spec.venue,
          side: spec.side,
          quantity: spec.quantity,
          tag: spec.tag,
        } as OrderSpec,
        role: 'oco_leg' as LegRole,
        field: `legs[${i}].`,
      }));
      for (const [i, leg] of spec.legs.entries())
        if (leg === null || typeof leg !== 'object')
          issues.push({ field: `legs[${i}]`, rule: 'object', message: 'must be an order leg' });
        else if (leg.type !== 'limit' && leg.type !== 'stop' && leg.type !== 'stop_limit')
          issues.push({
            field: `legs[${i}].type`,
            rule: 'enum',
            message: 'must be limit, stop or stop_limit',
          });
      if (issues.length > 0) return err(issuesError(issues));
      const r = this.placeList('oco', undefined, legs, { trigger: 'partial', oco: true, quantity }, ts);
      this.pump(ts);
      return r.ok ? ok(this.getList(r.value.listId)!) : r;
    });
  }

  placeOtoOrder(spec: OtoSpec, ts: TimestampMs = this.nowMs): Result<ListView> {
    return this.input(() => {
      const children = Array.isArray(spec?.children) ? spec.children : [];
      const extra: FieldIssue[] = [];
      if (children.length === 0 || children.length > 10)
        extra.push({ field: 'children', rule: 'length', message: 'an OTO releases 1 to 10 children' });
      const trigger = spec?.trigger ?? 'full';
      if (trigger !== 'partial' && trigger !== 'full')
        extra.push({ field: 'trigger', rule: 'enum', message: 'must be partial or full' });
      const r = this.placeList(
        'oto',
        { spec: spec?.parent, role: 'oto_parent' },
        children.map((c, i) => ({ spec: c, role: 'oto_child' as LegRole, field: `children[${i}].` })),
        { trigger, oco: false, quantity: undefined, extraIssues: extra },
        ts,
      );
      this.pump(ts);
      return r.ok ? ok(this.getList(r.value.listId)!) : r;
    });
  }

  placeScaleOrder(spec: ScaleSpec, ts: TimestampMs = this.nowMs): Result<ListView> {
    return this.input(() => {
      const inst = this.engine.instrument(spec?.symbol, spec?.venue);
      if (inst === undefined)
        return err(
          issuesError([
            { field: 'symbol', rule: 'known_symbol', message: `unknown symbol ${shown(spec?.symbol)}` },
          ]),
        );
      if (spec.side !== 'buy' && spec.side !== 'sell')
        return err(issuesError([{ field: 'side', rule: 'enum', message: 'must be buy or sell' }]));
      const issues: FieldIssue[] = [];
      const levels = planScale(spec, inst, issues);
      if (levels === undefined) return err(issuesError(issues));
      const legs = levels.map((l, i) => ({
        spec: {
          symbol: spec.symbol,
          venue: spec.venue,
          side: spec.side,
          type: 'limit',
          price: formatPrice(inst, l.price),
          quantity: formatQty(inst, l.quantity),
          tag: spec.tag,
        } as OrderSpec,
        role: 'scale_leg' as LegRole,
        field: `levels[${i}].`,
      }));
      const r = this.placeList(
        'scale',
        undefined,
        legs,
        { trigger: 'partial', oco: false, quantity: undefined },
        ts,
      );
      this.pump(ts);
      return r.ok ? ok(this.getList(r.value.listId)!) : r;
    });
  }

  cancelOrder(id: OrderId, ts: TimestampMs = this.nowMs): Result<void> {
    return this.input(() => {
      const r = this.engine.cancel(id, ts);
      this.pump(ts);
      return r;
    });
  }

  cancelList(id: ListId, ts: TimestampMs = this.nowMs): Result<void> {
    return this.input(() => {
      const r = this.engine.cancelList(id, ts);
      this.pump(ts);
      return r;
    });
  }

  modifyOrder(
    id: OrderId,
    changes: { quantity?: DecimalInput; price?: DecimalInput; triggerPrice?: DecimalInput },
    ts: TimestampMs = this.nowMs,
  ): Result<OrderView> {
    return this.input(() => {
      const r = this.engine.modify(id, changes, ts);
      this.pump(ts);
      return r.ok ? ok(this.getOrder(id)!) : r;
    });
  }

  /** A live handle on the order (see OrderHandle), or undefined for an unknown id. */
  getOrder(id: OrderId): OrderHandle | undefined {
    const o = this.engine.state.orders.get(id);
    return o === undefined ? undefined : new OrderHandle(o, this.clientId, this.engine.state.emulator);
  }

  private readonly clientId = (o: Order): string => this.engine.clientOrderId(o);

  getList(id: ListId): ListView | undefined {
    const list = this.engine.state.lists.get(id);
    return list === undefined ? undefined : viewList(list, (oid) => this.getOrder(oid as OrderId)!);
  }

  /** Orders not yet in a terminal status, oldest first. */
  getActiveOrders(): OrderView[] {
    const out: OrderView[] = [];
    for (const o of this.engine.state.orders.values())
      if (!isTerminal(o.status)) out.push(this.getOrder(o.id)!);
    return out;
  }

  getOrders(): OrderView[] {
    return [...this.engine.state.orders.keys()].map((id) => this.getOrder(id as OrderId)!);
  }

  /** Delivers engine commands to the venue and venue reports to the engine until both are quiet. */
  private pump(ts: TimestampMs): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const commands = this.engine.drainCommands();
      for (let i = 0; i < commands.length; i++) this.venue.handle(commands[i]!.command, ts);
      const reports = this.venue.drainReports();
      for (let i = 0; i < reports.length; i++) {
        const res = this.engine.onReport(this.venue.id as never, reports[i]!);
        if (!res.ok) this.recordAnomaly(res.error);
      }
      // A drain hands over every report the venue holds, and it makes no more unless given
      // something (SyncVenue): when the engine sends nothing in answer, the two are quiet.
      if (!this.engine.hasCommands) return;
    }
    throw new Error('engine and venue did not settle');
  }

  /**
   * Venue reports the engine could not apply (an unknown client order id, a fill beyond an
   * order's quantity, a status the table forbids), newest last. They change nothing; they are
   * kept for the operator to see and for reconciliation.
   */
  readonly anomalies: OrdoError[] = [];

  private recordAnomaly(e: OrdoError): void {
    if (this.anomalies.length >= 1000) this.anomalies.shift();
    this.anomalies.push(e);
  }

  private marketPrice(inst: Instrument): number | undefined {
    const em = this.engine.state.emulator;
    return em.lastPrice(inst, 'last') ?? em.lastPrice(inst, 'mid');
  }

  private offsetPrice(
    inst: Instrument,
    stop: number,
    side: Side,
    offset: DecimalInput,
    issues: FieldIssue[],
  ): string {
    const off = readPrice(inst, offset, 'stopLossLimitOffset', issues);
    if (off === undefined) return '0';
    return formatPrice(inst, side === 'sell' ? stop - off : stop + off);
  }
}

/** A caller's value in a message: text as it is, anything else by its type (its toString may throw). */
function shown(v: unknown): string {
  return typeof v === 'string' ? v : typeof v;
}
