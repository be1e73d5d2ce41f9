// The deterministic order engine. Commands (place, cancel, modify), market data and venue
// reports come in with their timestamps; events and venue commands come out. It never reads the
// clock, draws a random number, awaits or does I/O, so the same inputs give the same outputs.
//
// Flow of one order: validate → route (native or emulated, from the venue's capabilities) → risk
// → `order_created` → held by the emulator, or `order_submitted` with a venue command in the
// outbox → venue reports come back → fills update the order, the portfolio and linked orders.

import { appended } from '../core/append.ts';
import type { FieldIssue } from '../core/errors.ts';
import { codedError, err, issuesError, type OrdoError, ok, type Result } from '../core/errors.ts';
import { type ListId, listId, type OrderId, orderId, type VenueId } from '../core/ids.ts';
import type { TimestampMs } from '../core/ports.ts';
import { PriceHeap } from '../core/price-heap.ts';
import { type Instrument, type InstrumentKind, readPrice, readQty } from '../model/instrument.ts';
import { barPath, type MarketData } from '../model/market.ts';
import {
  ArmKind,
  type LegRole,
  type Order,
  type OrderInit,
  type OrderType,
  type Route,
  type Side,
} from '../model/order.ts';
import { isTerminal, isWorkingAtVenue } from '../model/status.ts';
import type { Denial, OrderIntent, RiskContext } from '../risk/index.ts';
import { planList } from './contingency.ts';
import type { PriceStream } from './emulator.ts';
import { EngineState, type FillSink, type OrderList } from './engine-state.ts';
import type { ListInit, ListKind, OrdoEvent } from './events.ts';
import { type OrderSpec, type ValidSpec, validateSpec } from './order-spec.ts';
import {
  exitPairDecision,
  exitPairLegReason,
  isExitPair,
  quickRoute,
  type RouteDecision,
  releasedType,
  routeList,
  routeOrder,
} from './routing.ts';
import type {
  Capabilities,
  ContingencyKind,
  VenueCommand,
  VenueOrderRequest,
  VenueReport,
} from './venue-port.ts';

/** What the engine needs from risk: a pure check and a record of what was accepted. */
export interface RiskPort {
  check(intent: OrderIntent, ctx: RiskContext): { ok: true } | { ok: false; denials: readonly Denial[] };
  record(intent: OrderIntent, ctx: RiskContext): void;
}

/** What the engine needs from the portfolio: fills in, positions and today's P&L out. */
export interface PortfolioPort extends FillSink {
  positionQty(instrumentKey: string): number;
  realizedPnlToday(currency: string, dayStartMs: TimestampMs): bigint;
}

export interface EngineOptions {
  readonly instruments: readonly Instrument[];
  readonly venues: Readonly<Record<string, Capabilities>>;
  readonly portfolio: PortfolioPort;
  readonly risk?: RiskPort;
  /** Client order ids are `${prefix}${orderId}` (plus `r${revision}` after a replace). */
  readonly clientIdPrefix?: string;
}

export interface VenueAction {
  readonly venue: VenueId;
  readonly command: VenueCommand;
}

export interface PlacedList {
  readonly listId: ListId;
  readonly orderIds: readonly OrderId[];
}

export interface ListParentInput {
  readonly spec: OrderSpec;
  readonly role: LegRole;
}

export interface ListLegInput {
  readonly spec: OrderSpec;
  readonly role: LegRole;
  /** Prefix naming the leg in errors, e.g. `stopLoss.`. */
  readonly field: string;
}

export interface ListOptions {
  readonly trigger: 'partial' | 'full';
  readonly oco: boolean;
  readonly quantity: number | undefined;
  readonly extraIssues?: readonly FieldIssue[];
}

/** One order of an execution plan (see `explain`). */
export interface OrderPlan {
  readonly role: LegRole;
  readonly side: Side;
  readonly type: OrderType;
  readonly route: Route;
  /** What reaches the venue: the order itself, or what Ordo releases when the trigger holds. */
  readonly sends: string;
  /** When it starts working: now, or once its parent fills. */
  readonly when: string;
  readonly reason: string;
}

/** What a placement would do, before anything is sent. */
export interface ExecutionPlan {
  readonly venue: string;
  readonly kind: ListKind | 'single';
  /** For a list: linked natively by the venue, or by Ordo, and why. */
  readonly list: RouteDecision | undefined;
  readonly orders: readonly OrderPlan[];
}

/** A validated leg, ready to become an order of a list. */
interface LegDraft {
  readonly spec: ValidSpec;
  readonly role: LegRole;
  readonly route: Route;
}

/** Returned when there is nothing to drain, so an idle pump allocates nothing. */
const NO_ACTIONS: VenueAction[] = [];

/** How many cancels an OCO sibling standing down is asked for at once (see standDownAgain). */
const STAND_DOWN_ASKS = 4;
/** After those, the wait before each further ask: 1 s, doubling up to a minute (engine time). */
const STAND_DOWN_RETRY_FIRST_MS = 1000;
const STAND_DOWN_RETRY_MAX_MS = 60_000;

/** The wait before asking again a sibling that was asked `asks` times (≥ STAND_DOWN_ASKS). */
function standDownRetryMs(asks: number): number {
  return Math.min(STAND_DOWN_RETRY_MAX_MS, STAND_DOWN_RETRY_FIRST_MS * 2 ** (asks - STAND_DOWN_ASKS));
}

/** When a sibling standing down is asked to cancel next: at once for its first asks, then after a wait. */
function nextStandDownAsk(o: Order): TimestampMs {
  const last = o.lastCancelAskMs;
  return o.cancelAsks < STAND_DOWN_ASKS ? last : last + standDownRetryMs(o.cancelAsks);
}

export class OrderEngine {
  readonly state: EngineState;
  readonly instruments: ReadonlyMap<string, Instrument>;
  private readonly venues: Readonly<Record<string, Capabilities>>;
  private readonly risk: RiskPort | undefined;
  private readonly portfolio: PortfolioPort;
  private readonly prefix: string;
  private outbox: VenueAction[] = [];
  private readonly listeners: ((e: OrdoEvent) => void)[] = [];
  private readonly expiries = new PriceHeap(16);
  /**
   * Siblings standing down that were refused too often to ask again at once: (when, order id).
   * An entry is checked against the order's own next ask when it comes up (nextStandDownAsk), so
   * one that an ask since has made early is passed over.
   */
  private readonly standDowns = new PriceHeap(4);
  private readonly riskCtx: RiskContext;

  constructor(options: EngineOptions) {
    const map = new Map<string, Instrument>();
    for (const inst of options.instruments) map.set(inst.key, inst);
    this.instruments = map;
    for (const inst of options.instruments) {
      let byVenue = this.bySymbol.get(inst.symbol);
      if (byVenue === undefined) this.bySymbol.set(inst.symbol, (byVenue = new Map()));
      byVenue.set(inst.venue, inst);
    }
    this.venues = options.venues;
    this.risk = options.risk;
    this.portfolio = options.portfolio;
    this.prefix = options.clientIdPrefix ?? 'ordo-';
    this.state = new EngineState(map, options.portfolio, this.prefix);
    this.riskCtx = new EngineRiskContext(this.state, options.portfolio);
  }

  // ---- outputs --------------------------------------------------------------------------------

  onEvent(listener: (e: OrdoEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Whether there are venue commands to drain. */
  get hasCommands(): boolean {
    return this.outbox.length !== 0;
  }

  /** Venue commands produced since the last call, in order. */
  drainCommands(): VenueAction[] {
    const out = this.outbox;
    if (out.length === 0) return NO_ACTIONS;
    // Handed over whole and replaced: cheaper than copying it out with splice.
    this.outbox = [];
    return out;
  }

  get riskContext(): RiskContext {
    return this.riskCtx;
  }

  clientOrderId(order: Order): string {
    const external = this.externalIds.size === 0 ? undefined : this.externalIds.get(order.id);
    if (external !== undefined) return external;
    return order.revision === 0
      ? this.state.byClientId.ownText(order.id)
      : `${this.prefix}${order.id}r${order.revision}`;
  }

  /** Client order ids of adopted external orders (they keep the id they were placed with). */
  private readonly externalIds = new Map<OrderId, string>();

  /**
   * Adopts an order found working at a venue that Ordo did not place (reconciliation): it becomes
   * an order of Ordo's, tagged `external`, that keeps its client order id, so its fills update the
   * portfolio and it can be cancelled. Not risk-checked: it is already at the venue.
   */
  adopt(
    ext: {
      readonly instrument: string;
      readonly side: Side;
      readonly type: OrderType;
      readonly quantity: number;
      readonly price: number | undefined;
      readonly triggerPrice: number | undefined;
      readonly clientOrderId: string;
      readonly venueOrderId: string;
    },
    ts: TimestampMs,
  ): Result<OrderId> {
    this.advance(ts);
    const inst = this.instruments.get(ext.instrument);
    if (inst === undefined) return err(codedError('unknown_symbol', `no instrument ${ext.instrument}`));
    if (this.state.byClientId.get(ext.clientOrderId) !== undefined)
      return err(codedError('duplicate_id', `client order id ${ext.clientOrderId} is already Ordo's`));
    if (!Number.isSafeInteger(ext.quantity) || ext.quantity <= 0)
      return err(codedError('invalid_field', `external order ${ext.clientOrderId} has no quantity`));
    const id = orderId(this.state.nextOrderId);
    this.emit({
      type: 'order_created',
      ts,
      order: {
        id,
        instrument: inst.key,
        side: ext.side,
        type: ext.type,
        tif: 'gtc',
        expireAtMs: undefined,
        quantity: ext.quantity,
        price: ext.price,
        triggerPrice: ext.triggerPrice,
        trailing: undefined,
        triggerBasis: 'last',
        route: 'native',
        role: 'single',
        listId: undefined,
        reduceOnly: false,
        postOnly: false,
        tag: 'external',
      },
    });
    this.externalIds.set(id, ext.clientOrderId);
    this.emit({ type: 'order_submitted', ts, id, clientOrderId: ext.clientOrderId });
    this.emit({ type: 'order_accepted', ts, id, venueOrderId: ext.venueOrderId });
    return ok(id);
  }

  /** The instrument for a symbol on a venue, or on the first venue that lists it. */
  instrument(symbol: string, venue: string | undefined): Instrument | undefined {
    // Orders mostly come in runs on one instrument: the last answer is kept to skip two lookups.
    if (symbol === this.lastSymbol && venue === this.lastVenue) return this.lastInstrument;
    const byVenue = this.bySymbol.get(symbol);
    if (byVenue === undefined) return undefined;
    const inst = venue === undefined ? byVenue.values().next().value : byVenue.get(venue);
    if (inst !== undefined) {
      this.lastSymbol = symbol;
      this.lastVenue = venue;
      this.lastInstrument = inst;
    }
    return inst;
  }

  /** The instruments, by symbol then venue; fixed at construction. */
  private readonly bySymbol = new Map<string, Map<string, Instrument>>();
  private lastSymbol: string | undefined = undefined;
  private lastVenue: string | undefined = undefined;
  private lastInstrument: Instrument | undefined = undefined;

  // ---- commands -------------------------------------------------------------------------------

  place(spec: OrderSpec, ts: TimestampMs): Result<OrderId> {
    this.advance(ts);
    const issues: FieldIssue[] = [];
    const inst = this.resolve(spec, '', issues);
    const valid = inst === undefined ? undefined : validateSpec(spec, inst, this.state.nowMs, '', issues);
    if (valid === undefined) return err(issuesError(issues));
    const route = this.route(valid, '', issues);
    if (route === undefined) return err(issuesError(issues));
    const denied = this.checkRiskOne(valid);
    if (denied !== undefined) return err(denied);
    const id = this.create(valid, route, 'single', undefined, ts);
    this.start(this.state.order(id), ts);
    this.settle(ts);
    return ok(id);
  }

  /**
   * Places linked orders. `parent` (bracket entry, OTO parent) is optional; `legs` are the OCO
   * legs or OTO children. Validation and risk cover every order before anything is created.
   */
  placeList(
    kind: ListKind,
    parent: ListParentInput | undefined,
    legs: readonly ListLegInput[],
    options: ListOptions,
    ts: TimestampMs,
  ): Result<PlacedList> {
    this.advance(ts);
    const drafted = this.draftList(parent, legs, options);
    if (!drafted.ok) return drafted;
    const { parentDraft, legDrafts, all } = drafted.value;
    // A bracket's exits close what its entry opens: the entry is checked for them. Every other
    // order of a list (OTO children, OCO and scale legs, exits of an existing position) is checked.
    const checked = kind === 'bracket' && parentDraft !== undefined ? [parentDraft] : all;
    const denied = this.checkRisk(checked.map((d) => d.spec));
    if (denied !== undefined) return err(denied);
    const native = this.listIsNative(kind, all, parentDraft !== undefined, options.trigger);
    // Exits the venue holds as one native order go native; their entry keeps its own route.
    const pair = !native && isExitPair(kind, legDrafts, this.capsFor(all[0]!.spec.instrument)!);
    const lid = listId(this.state.nextListId);
    const parentId =
      parentDraft === undefined
        ? undefined
        : this.create(parentDraft.spec, native ? 'native' : parentDraft.route, parentDraft.role, lid, ts);
    const legIds = legDrafts.map((d) =>
      this.create(d.spec, native || pair ? 'native' : d.route, d.role, lid, ts),
    );
    const init: ListInit = {
      id: lid,
      kind,
      parentId,
      legIds,
      oco: options.oco,
      trigger: options.trigger,
      quantity: options.quantity ?? 0,
      native,
      // Only when set, so lists without it journal as they always did.
      ...(pair ? { exitPair: true } : {}),
    };
    this.emit({ type: 'list_created', ts, list: init });
    const list = this.state.lists.get(lid)!;
    if (native) this.submitNativeList(list, ts);
    else {
      if (parentId !== undefined) this.start(this.state.order(parentId), ts);
      else if (kind === 'scale') for (const id of legIds) this.start(this.state.order(id), ts);
      for (const id of legIds) {
        const leg = this.state.order(id);
        if (leg.status !== 'initialized') continue;
        this.emit({ type: 'order_held', ts, id, armed: false });
        // A held order expires at its time, armed or not (as `restore` queues it).
        if (leg.expireAtMs !== undefined) this.expiries.push(leg.expireAtMs, leg.id);
      }
      this.syncList(list, ts);
    }
    this.settle(ts);
    return ok({ listId: lid, orderIds: parentId === undefined ? legIds : [parentId, ...legIds] });
  }

  /**
   * What placing this order (`parent` undefined, one leg, kind 'single') or list would do, without
   * doing it: each order native or held by Ordo, and why; the list linked by the venue or by Ordo.
   * Validation is the placement's own (same errors); risk is not consulted.
   */
  explain(
    kind: ListKind | 'single',
    parent: ListParentInput | undefined,
    legs: readonly ListLegInput[],
    options: ListOptions,
  ): Result<ExecutionPlan> {
    const drafted = this.draftList(parent, legs, options);
    if (!drafted.ok) return drafted;
    const { parentDraft, legDrafts, all, venue } = drafted.value;
    const caps = this.capsFor(all[0]!.spec.instrument)!;
    const listDecision =
      kind === 'single'
        ? undefined
        : routeList(
            kind,
            parentDraft !== undefined,
            options.trigger,
            all.map((d) => d.route),
            caps,
          );
    const nativeList = listDecision?.route === 'native';
    const pair = kind !== 'single' && !nativeList && isExitPair(kind, legDrafts, caps);
    const orders = all.map((d): OrderPlan => {
      const decision = routeOrder(d.spec, caps);
      const waits = parentDraft !== undefined && d !== parentDraft;
      const inPair = pair && d !== parentDraft;
      const route = nativeList || inPair ? 'native' : d.route;
      const other = d.role === 'take_profit' ? 'stop-loss' : 'take-profit';
      return {
        role: d.role,
        side: d.spec.side,
        type: d.spec.type,
        route,
        sends: inPair
          ? `${d.spec.type} to ${venue} with the ${other}, as one native order`
          : route === 'native'
            ? `${d.spec.type} to ${venue}${nativeList ? ' in a native list' : ''}`
            : `${releasedType(d.spec)} order to ${venue} when its trigger holds`,
        when: waits ? `once the ${parentDraft.role === 'entry' ? 'entry' : 'parent'} fills` : 'now',
        reason: inPair ? exitPairLegReason(venue) : decision.reason,
      };
    });
    const list = pair ? exitPairDecision(parentDraft !== undefined) : listDecision;
    return ok({ venue, kind, list, orders });
  }

  /** Validates and routes every order of a list (or of a single order), before anything is created. */
  private draftList(
    parent: ListParentInput | undefined,
    legs: readonly ListLegInput[],
    options: ListOptions,
  ): Result<{ parentDraft: LegDraft | undefined; legDrafts: LegDraft[]; all: LegDraft[]; venue: VenueId }> {
    const issues: FieldIssue[] = [...(options.extraIssues ?? [])];
    const draft = (spec: OrderSpec, role: LegRole, field: string): LegDraft | undefined => {
      const inst = this.resolve(spec, field, issues);
      const valid =
        inst === undefined ? undefined : validateSpec(spec, inst, this.state.nowMs, field, issues);
      if (valid === undefined) return undefined;
      const route = this.route(valid, field, issues);
      return route === undefined ? undefined : { spec: valid, role, route };
    };
    const parentDraft = parent === undefined ? undefined : draft(parent.spec, parent.role, 'entry.');
    const legDrafts = legs.map((l) => draft(l.spec, l.role, l.field));
    if (issues.length > 0) return err(issuesError(issues));
    const drafted = legDrafts as LegDraft[];
    const all = parentDraft === undefined ? drafted : [parentDraft, ...drafted];
    if (all.length === 0)
      return err(
        issuesError([{ field: 'legs', rule: 'required', message: 'a list needs at least one order' }]),
      );
    const venue = all[0]!.spec.instrument.venue;
    if (all.some((d) => d.spec.instrument.venue !== venue))
      return err(
        issuesError([
          { field: 'legs', rule: 'same_venue', message: 'all orders of a list must be on one venue' },
        ]),
      );
    return ok({ parentDraft, legDrafts: drafted, all, venue });
  }

  cancel(id: OrderId, ts: TimestampMs, reason = 'user'): Result<void> {
    this.advance(ts);
    const o = this.state.orders.get(id);
    if (o === undefined) return err(codedError('unknown_order', `no order ${id}`));
    if (isTerminal(o.status)) return err(codedError('order_not_open', `order ${id} is ${o.status}`));
    if (o.status === 'pending_cancel') return ok(undefined);
    const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
    const fixed = this.fixedLegProblem(o, list, 'cancelled');
    if (fixed !== undefined) return err(fixed);
    if (list?.native === true && list.parentId === o.id) {
      // Cancelling the parent of a native list cancels the list at the venue.
      for (const lid of [list.parentId, ...list.legIds]) this.cancelOne(this.state.order(lid), ts, reason);
    } else if (list?.exitPair === true && list.parentId !== o.id) {
      // The venue holds both exits as one order: cancelling either ends both (but a stop-loss the
      // venue has triggered, and is executing, only when it is the one asked).
      for (const lid of list.legIds) {
        const leg = this.state.order(lid);
        if (leg === o || leg.triggeredAt === undefined) this.cancelOne(leg, ts, reason);
      }
    } else this.cancelOne(o, ts, reason);
    if (list !== undefined) this.syncList(list, ts);
    this.settle(ts);
    return ok(undefined);
  }

  cancelList(id: ListId, ts: TimestampMs): Result<void> {
    const list = this.state.lists.get(id);
    if (list === undefined) return err(codedError('unknown_order', `no list ${id}`));
    this.advance(ts);
    for (const oid of [...(list.parentId === undefined ? [] : [list.parentId]), ...list.legIds])
      this.cancelOne(this.state.order(oid), ts, 'user');
    this.settle(ts);
    return ok(undefined);
  }

  modify(
    id: OrderId,
    changes: { quantity?: string | number; price?: string | number; triggerPrice?: string | number },
    ts: TimestampMs,
  ): Result<void> {
    this.advance(ts);
    const o = this.state.orders.get(id);
    if (o === undefined) return err(codedError('unknown_order', `no order ${id}`));
    if (
      isTerminal(o.status) ||
      o.status === 'pending_cancel' ||
      o.status === 'pending_modify' ||
      o.status === 'triggered' ||
      o.status === 'submitted'
    )
      return err(
        codedError(
          'order_not_open',
          o.status === 'submitted'
            ? `order ${id} is submitted: modify it once the venue has accepted it`
            : `order ${id} is ${o.status} and cannot be modified now`,
        ),
      );
    if (o.route === 'emulated' && releasedAsMarket(o) && o.status !== 'held')
      return err(
        codedError('order_not_open', `order ${id} was released as a market order and cannot be modified`),
      );
    const issues: FieldIssue[] = [];
    if (changes === null || typeof changes !== 'object')
      return err(issuesError([{ field: 'changes', rule: 'object', message: 'must be an object' }]));
    const inst = o.instrument;
    let quantity = o.quantity;
    if (changes.quantity !== undefined) {
      if (o.listId !== undefined && o.role !== 'entry' && o.role !== 'oto_parent' && o.role !== 'scale_leg')
        issues.push({
          field: 'quantity',
          rule: 'follows_list',
          message: 'a linked leg is sized by its list',
        });
      const q = readQty(inst, changes.quantity, 'quantity', issues);
      if (q !== undefined && q <= o.filled)
        issues.push({
          field: 'quantity',
          rule: 'above_filled',
          message: 'must be above the filled quantity',
        });
      if (q !== undefined) quantity = q;
    }
    let price = o.price;
    if (changes.price !== undefined) {
      if (o.price === undefined)
        issues.push({ field: 'price', rule: 'not_allowed', message: `a ${o.type} order has no price` });
      else price = readPrice(inst, changes.price, 'price', issues);
    }
    let triggerPrice = o.triggerPrice;
    if (changes.triggerPrice !== undefined) {
      if (o.triggerPrice === undefined)
        issues.push({
          field: 'triggerPrice',
          rule: 'not_allowed',
          message: `a ${o.type} order has no trigger price`,
        });
      else triggerPrice = readPrice(inst, changes.triggerPrice, 'triggerPrice', issues);
    }
    if (issues.length > 0) return err(issuesError(issues));
    if (price !== o.price || triggerPrice !== o.triggerPrice) {
      const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
      const fixed = this.fixedLegProblem(o, list, 're-priced');
      if (fixed !== undefined) return err(fixed);
    }
    const caps = this.capsFor(inst);
    if (
      o.type === 'trailing_stop' &&
      o.route === 'native' &&
      quantity > o.quantity &&
      caps?.trailingRaise === false
    )
      return err(
        codedError(
          'unsupported',
          `${inst.venue} cannot raise a native trailing stop's quantity without losing how far it has trailed: place another`,
        ),
      );
    if (o.status === 'held' || o.status === 'initialized') {
      this.emit({ type: 'order_modified', ts, id, quantity, price, triggerPrice });
    } else {
      this.emit({ type: 'order_modify_requested', ts, id, quantity, price, triggerPrice });
      const pairQuantity = this.pairSize(o);
      this.push(o, {
        kind: 'modify',
        instrument: inst.key,
        clientOrderId: this.clientOrderId(o),
        quantity,
        price,
        triggerPrice,
        ...(pairQuantity === undefined ? {} : { pairQuantity }),
      });
    }
    if (o.listId !== undefined) this.syncList(this.state.lists.get(o.listId)!, ts);
    this.settle(ts);
    return ok(undefined);
  }

  // ---- recovery --------------------------------------------------------------------------------

  /**
   * Rebuilds the engine from journaled events, in order, before any other input: orders, lists,
   * fills (and so the portfolio), emulated triggers with their trailing watermarks. Nothing is
   * sent and no listener is called; `onEach` sees every event (to rebuild projections).
   */
  restore(events: Iterable<OrdoEvent>, onEach?: (e: OrdoEvent) => void): number {
    const em = this.state.emulator;
    em.replaying = true;
    let n = 0;
    try {
      for (const e of events) {
        this.state.apply(e);
        // An adopted order's id is not one Ordo makes: remember it, as adopt() did.
        if (e.type === 'order_submitted') {
          const o = this.state.order(e.id);
          if (o.tag === 'external' && e.clientOrderId !== this.clientOrderId(o))
            this.externalIds.set(o.id, e.clientOrderId);
        }
        onEach?.(e);
        n++;
      }
    } finally {
      em.replaying = false;
    }
    for (const o of this.state.orders.values())
      if (o.status === 'held' && o.expireAtMs !== undefined) this.expiries.push(o.expireAtMs, o.id);
    // Siblings still standing down are asked again when due, by the first input that gets there.
    for (const list of this.state.lists.values())
      if (list.oco && !list.native && list.exitPair !== true)
        for (const s of this.standingDown(list) ?? []) this.standDowns.push(nextStandDownAsk(s), s.id);
    return n;
  }

  /** The last price of every trigger stream, for a checkpoint. */
  marketState(): { instrument: string; stream: PriceStream; price: number }[] {
    return this.state.emulator.prices();
  }

  /** Restores the last prices saved by `marketState` (after `restore`). */
  restoreMarketState(prices: readonly { instrument: string; stream: PriceStream; price: number }[]): void {
    for (const p of prices) {
      const inst = this.instruments.get(p.instrument);
      if (inst !== undefined) this.state.emulator.setPrice(inst, p.stream, p.price);
    }
  }

  // ---- inputs from the market and the venue --------------------------------------------------

  onMarket(md: MarketData): void {
    const inst = this.instruments.get(md.instrument);
    if (inst === undefined) return;
    this.advance(md.ts);
    const em = this.state.emulator;
    switch (md.kind) {
      case 'trade':
        em.onPrice(inst, 'last', md.price);
        break;
      case 'quote':
        em.onPrice(inst, 'bid', md.bid);
        em.onPrice(inst, 'ask', md.ask);
        em.onPrice(
          inst,
          'mid',
          Math.floor((md.bid + md.ask) / 2 / inst.priceIncrement) * inst.priceIncrement,
        );
        break;
      case 'bar':
        // Point by point: what one point fires or starts is handled before the next point, so a
        // trailing stop activated mid-bar trails through the rest of the bar.
        for (const p of barPath(md)) {
          em.onPrice(inst, 'last', p);
          if (em.fired.length > 0 || em.starts.length > 0) this.settle(md.ts);
        }
        break;
    }
    if (
      em.fired.length > 0 ||
      em.starts.length > 0 ||
      em.watermarkMoves.length > 0 ||
      this.expiries.topKey() <= md.ts ||
      this.standDowns.topKey() <= md.ts
    )
      this.settle(md.ts);
  }

  onTime(ts: TimestampMs): void {
    this.advance(ts);
    this.settle(ts);
  }

  onReport(venue: VenueId, r: VenueReport): Result<void> {
    this.advance(r.ts);
    const id = this.state.byClientId.get(r.clientOrderId);
    if (id === undefined)
      return err(codedError('unknown_order', `no order with client id ${r.clientOrderId} on ${venue}`));
    const o = this.state.order(id);
    const ts = r.ts;
    switch (r.kind) {
      case 'accepted':
        if (o.venueOrderId !== r.venueOrderId || o.status === 'submitted')
          this.emit({ type: 'order_accepted', ts, id, venueOrderId: r.venueOrderId });
        break;
      case 'rejected':
        if (isTerminal(o.status)) return ok(undefined);
        if (o.status === 'pending_modify') {
          this.emit({ type: 'order_modify_rejected', ts, id, reason: r.reason });
        } else if (o.status === 'pending_cancel' && o.venueOrderId === undefined && o.filled === 0)
          // The venue refused the order itself, which Ordo was already cancelling (an OCO sibling
          // standing down before its acknowledgement): it never worked there, so it ends; read as a
          // refused cancel it would stay 'accepted' forever (found by the simulator, seed 505).
          this.emit({ type: 'order_cancelled', ts, id, reason: `refused by the venue: ${r.reason}` });
        else if (o.status === 'pending_cancel')
          this.emit({ type: 'order_cancel_rejected', ts, id, reason: r.reason });
        else if (o.status === 'submitted' || o.status === 'triggered' || o.status === 'accepted')
          this.emit({ type: 'order_rejected', ts, id, code: r.code, reason: r.reason });
        else return err(codedError('illegal_transition', `reject of order ${id} in status ${o.status}`));
        break;
      case 'triggered':
        if (o.status === 'accepted' || o.status === 'submitted') {
          this.emit({
            type: 'order_triggered',
            ts,
            id,
            stopPrice: o.triggerPrice ?? 0,
            marketPrice: o.triggerPrice ?? 0,
          });
          this.pairStopFired(o, ts);
          this.nativeLegFired(o, ts);
        }
        break;
      case 'fill': {
        if (this.state.tradeIds.has(o.instrument.venue, r.tradeId)) return ok(undefined);
        if (r.quantity <= 0 || r.quantity > o.open)
          return err(
            codedError('venue_rejected', `fill of ${r.quantity} exceeds the open ${o.open} of order ${id}`),
          );
        this.emit({
          type: 'order_filled',
          ts,
          id,
          tradeId: r.tradeId,
          price: r.price,
          quantity: r.quantity,
          fee: r.fee,
          feeCurrency: r.feeCurrency,
          liquidity: r.liquidity,
        });
        break;
      }
      case 'cancelled':
        if (isTerminal(o.status)) return ok(undefined);
        this.emit({ type: 'order_cancelled', ts, id, reason: r.reason });
        break;
      case 'expired':
        if (isTerminal(o.status)) return ok(undefined);
        this.emit({ type: 'order_expired', ts, id });
        break;
      case 'modified':
        // Applied to an ended order too: a cancel's answer can overtake the venue's earlier
        // reports, and fills that follow the resize in them are checked against its quantity
        // (seed 9002512). The status stays what it is.
        if (r.quantity < o.filled)
          return err(codedError('venue_rejected', `modified below the filled quantity of ${id}`));
        this.emit({
          type: 'order_modified',
          ts,
          id,
          quantity: r.quantity,
          price: r.price,
          triggerPrice: r.triggerPrice,
        });
        break;
      case 'modify_rejected':
        if (o.status === 'pending_modify') {
          // A resize the venue refuses is not asked again (Order.resizeRefused).
          this.emit({ type: 'order_modify_rejected', ts, id, reason: r.reason });
        }
        break;
      case 'cancel_rejected':
        if (o.status === 'pending_cancel')
          this.emit({ type: 'order_cancel_rejected', ts, id, reason: r.reason });
        break;
    }
    if (o.listId !== undefined) this.syncList(this.state.lists.get(o.listId)!, ts);
    this.settle(ts);
    return ok(undefined);
  }

  // ---- internals ------------------------------------------------------------------------------

  private advance(ts: TimestampMs): void {
    if (ts > this.state.nowMs) this.state.nowMs = ts;
  }

  private emit(e: OrdoEvent): void {
    this.state.apply(e);
    for (const l of this.listeners) l(e);
  }

  private push(o: Order, command: VenueCommand): void {
    this.outbox = appended(this.outbox, { venue: o.instrument.venue, command });
  }

  private resolve(spec: OrderSpec, field: string, issues: FieldIssue[]): Instrument | undefined {
    if (spec === null || typeof spec !== 'object') {
      issues.push({
        field: field === '' ? 'order' : field.slice(0, -1),
        rule: 'required',
        message: 'must be an object',
      });
      return undefined;
    }
    if (typeof spec.symbol !== 'string') {
      issues.push({ field: `${field}symbol`, rule: 'required', message: 'must be a symbol such as BTC/USD' });
      return undefined;
    }
    const inst = this.instrument(spec.symbol, spec.venue);
    if (inst === undefined)
      issues.push({
        field: `${field}symbol`,
        rule: 'known_symbol',
        // Shown only when they are text: a hostile object's toString may throw.
        message: `unknown symbol ${spec.symbol}${typeof spec.venue === 'string' && spec.venue !== '' ? ` on ${spec.venue}` : ''}`,
      });
    return inst;
  }

  /** Native or emulated, from the venue's capability matrix alone (routing.ts). */
  private route(spec: ValidSpec, field: string, issues: FieldIssue[]): Route | undefined {
    const caps = this.capsFor(spec.instrument);
    if (caps === undefined) {
      issues.push({
        field: `${field}venue`,
        rule: 'known_venue',
        message: `no venue ${spec.instrument.venue}`,
      });
      return undefined;
    }
    const quick = quickRoute(spec, caps);
    if (quick !== undefined) return quick;
    const decision = routeOrder(spec, caps);
    if (decision.route === undefined)
      issues.push({
        field: `${field}${decision.reason.startsWith('time in force') ? 'tif' : 'type'}`,
        rule: 'supported',
        message: decision.reason,
      });
    return decision.route;
  }

  private listIsNative(
    kind: ListKind,
    drafts: readonly LegDraft[],
    hasParent: boolean,
    trigger: 'partial' | 'full',
  ): boolean {
    const routes = drafts.map((d) => d.route);
    return (
      routeList(kind, hasParent, trigger, routes, this.capsFor(drafts[0]!.spec.instrument)!).route ===
      'native'
    );
  }

  /**
   * Why a leg of a native list cannot be cancelled or re-priced on its own, when its venue changes
   * native lists only as a whole (`listLegsFixed`): undefined when it can.
   */
  private fixedLegProblem(o: Order, list: OrderList | undefined, what: string): OrdoError | undefined {
    if (list?.native !== true || list.parentId === o.id) return undefined;
    if (this.capsFor(o.instrument)?.listLegsFixed !== true) return undefined;
    const siblings = list.legIds.filter((id) => id !== o.id && !isTerminal(this.state.order(id).status));
    if (siblings.length === 0) return undefined;
    return codedError(
      'unsupported',
      `${o.instrument.venue} links this ${list.kind.toUpperCase()} natively and changes it only as a whole: a leg cannot be ${what} on its own; cancel the list and place what you want instead`,
    );
  }

  /** The capabilities of a venue the engine routes to (for one kind of instrument, when given). */
  capabilitiesOf(venue: string, kind?: InstrumentKind): Capabilities | undefined {
    const caps = this.venues[venue];
    return kind === undefined ? caps : (caps?.byKind?.[kind] ?? caps);
  }

  /** The capability matrix an instrument's orders are routed by: its venue's, for its kind. */
  private capsFor(inst: Instrument): Capabilities | undefined {
    // Orders mostly come for the instrument of the one before: a venue's matrix is a keyed read of
    // a record, which costs more than this check.
    if (inst === this.capsInstrument) return this.capsOfInstrument;
    const venueCaps = this.venues[inst.venue];
    const caps = venueCaps?.byKind?.[inst.kind] ?? venueCaps;
    this.capsInstrument = inst;
    this.capsOfInstrument = caps;
    return caps;
  }

  private capsInstrument: Instrument | undefined = undefined;
  private capsOfInstrument: Capabilities | undefined = undefined;

  /** checkRisk of a single order, without wrapping it in an array. */
  private checkRiskOne(spec: ValidSpec): OrdoError | undefined {
    if (this.risk === undefined) return undefined;
    const v = this.risk.check(spec, this.riskCtx);
    if (!v.ok) return riskDenied([...v.denials]);
    this.risk.record(spec, this.riskCtx);
    return undefined;
  }

  private checkRisk(specs: readonly ValidSpec[]): OrdoError | undefined {
    if (this.risk === undefined) return undefined;
    // A ValidSpec is an OrderIntent (same fields), so it is checked as is, without a copy.
    let denials: Denial[] | undefined;
    for (const s of specs) {
      const v = this.risk.check(s, this.riskCtx);
      if (!v.ok) (denials ??= []).push(...v.denials);
    }
    if (denials === undefined) {
      for (const s of specs) this.risk.record(s, this.riskCtx);
      return undefined;
    }
    return riskDenied(denials);
  }

  private create(
    spec: ValidSpec,
    route: Route,
    role: LegRole,
    lid: ListId | undefined,
    ts: TimestampMs,
  ): OrderId {
    const id = orderId(this.state.nextOrderId);
    const init: OrderInit = {
      id,
      instrument: spec.instrument.key,
      side: spec.side,
      type: spec.type,
      tif: spec.tif,
      expireAtMs: spec.expireAtMs,
      quantity: spec.quantity,
      price: spec.price,
      triggerPrice: spec.triggerPrice,
      trailing: spec.trailing,
      triggerBasis: spec.triggerBasis,
      route,
      role,
      listId: lid,
      reduceOnly: spec.reduceOnly,
      postOnly: spec.postOnly,
      tag: spec.tag,
    };
    this.emit({ type: 'order_created', ts, order: init });
    return id;
  }

  /** A created order goes to the emulator or to the venue. */
  private start(o: Order, ts: TimestampMs): void {
    if (o.route === 'emulated') {
      this.emit({ type: 'order_held', ts, id: o.id, armed: true, price: this.streamPrice(o) });
      if (o.expireAtMs !== undefined) this.expiries.push(o.expireAtMs, o.id);
    } else this.send(o, ts);
  }

  /** Sends an order to its venue: as itself when native, as the released market/limit when emulated. */
  private send(o: Order, ts: TimestampMs): void {
    const clientOrderId = this.clientOrderId(o);
    this.emit({ type: 'order_submitted', ts, id: o.id, clientOrderId });
    this.push(o, { kind: 'submit', order: this.request(o, clientOrderId) });
  }

  private request(o: Order, clientOrderId: string): VenueOrderRequest {
    let type = o.type;
    let price = o.price;
    let triggerPrice = o.triggerPrice;
    let trailing = o.trailing;
    if (o.route === 'emulated') {
      // The released order: stop and trailing stop become market, stop-limit and trailing
      // stop-limit become limit.
      trailing = undefined;
      triggerPrice = undefined;
      if (o.type === 'stop_limit') type = 'limit';
      else if (o.type === 'trailing_stop' && o.trailing?.limitOffset !== undefined) {
        type = 'limit';
        const stop = o.triggeredAt ?? 0;
        price = o.side === 'buy' ? stop + o.trailing.limitOffset : stop - o.trailing.limitOffset;
      } else type = 'market';
    }
    return {
      clientOrderId,
      instrument: o.instrument.key,
      side: o.side,
      type,
      tif: type === 'market' && (o.tif === 'day' || o.tif === 'gtd') ? 'gtc' : o.tif,
      expireAtMs: o.expireAtMs,
      quantity: o.quantity - o.filled,
      price,
      triggerPrice,
      trailing,
      postOnly: o.postOnly,
      reduceOnly: o.reduceOnly,
    };
  }

  private submitNativeList(list: OrderList, ts: TimestampMs): void {
    const parent = list.parentId === undefined ? undefined : this.state.order(list.parentId);
    const legs = list.legIds.map((id) => this.state.order(id));
    const requests = (o: Order): VenueOrderRequest => {
      const coid = this.clientOrderId(o);
      this.emit({ type: 'order_submitted', ts, id: o.id, clientOrderId: coid });
      return this.request(o, coid);
    };
    const parentReq = parent === undefined ? undefined : requests(parent);
    const legReqs = legs.map(requests);
    const anchor = parent ?? legs[0]!;
    this.push(anchor, {
      kind: 'submit_list',
      list: {
        kind: list.kind as ContingencyKind,
        listClientId: `${this.prefix}L${list.id}`,
        parent: parentReq,
        legs: legReqs,
        trigger: list.trigger,
      },
    });
  }

  private cancelOne(o: Order, ts: TimestampMs, reason: string): void {
    if (isTerminal(o.status) || o.status === 'pending_cancel') return;
    if (o.status === 'held' || o.status === 'initialized') {
      this.emit({ type: 'order_cancelled', ts, id: o.id, reason });
      return;
    }
    if (o.status === 'triggered' && o.route === 'emulated') {
      this.emit({ type: 'order_cancelled', ts, id: o.id, reason });
      return;
    }
    const clientOrderId = this.clientOrderId(o);
    // Submitted and cancelled in one step (a bracket's take-profit released as its stop-loss
    // fires): the submission has not left Ordo, so it is withdrawn, and the order ends unsent.
    // Sent, then cancelled, a marketable order could fill before its cancel arrived.
    if (o.status === 'submitted' && this.withdrawSubmit(clientOrderId)) {
      this.emit({ type: 'order_cancelled', ts, id: o.id, reason });
      return;
    }
    this.emit({ type: 'order_cancel_requested', ts, id: o.id });
    this.push(o, { kind: 'cancel', instrument: o.instrument.key, clientOrderId });
  }

  /** Takes the submission of `clientOrderId` out of the commands not yet drained; whether it was there. */
  private withdrawSubmit(clientOrderId: string): boolean {
    const out = this.outbox;
    for (let i = out.length - 1; i >= 0; i--) {
      const c = out[i]!.command;
      if (c.kind === 'submit' && c.order.clientOrderId === clientOrderId) {
        out.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Brings every leg of an emulated list to the quantity its plan says. */
  private syncList(list: OrderList, ts: TimestampMs): void {
    if (list.native || list.kind === 'scale') return;
    // An exit pair's legs stand down at the venue, which holds them as one order.
    if (list.oco && !list.exitPair && this.standDownAgain(list, ts)) return;
    const plan = planList(list, (id) => this.state.order(id));
    // A native exit pair leaves as one order, with both its legs.
    let pairOut: Order[] | undefined;
    for (const { leg, quantity } of plan.targets) {
      const open = quantity - leg.filled;
      if (leg.status === 'held') {
        if (open === 0) {
          if (plan.capFinal)
            this.emit({ type: 'order_cancelled', ts, id: leg.id, reason: list.oco ? 'oco' : 'parent_done' });
          else if (leg.armKind !== 0) this.emit({ type: 'order_disarmed', ts, id: leg.id });
          continue;
        }
        if (quantity !== leg.quantity)
          this.emit({
            type: 'order_modified',
            ts,
            id: leg.id,
            quantity,
            price: leg.price,
            triggerPrice: leg.triggerPrice,
          });
        if (leg.route === 'emulated') {
          if (leg.armKind === 0)
            this.emit({ type: 'order_armed', ts, id: leg.id, price: this.streamPrice(leg) });
        } else if (list.exitPair) (pairOut ??= []).push(leg);
        else this.send(leg, ts);
      } else if (
        isWorkingAtVenue(leg.status) &&
        leg.status !== 'pending_cancel' &&
        leg.status !== 'pending_modify'
      ) {
        if (open === 0) this.cancelOne(leg, ts, list.oco ? 'oco' : 'parent_done');
        else if (quantity !== leg.quantity && this.resizable(leg) && leg.resizeRefused !== quantity) {
          const pairQuantity = list.exitPair ? plan.released : undefined;
          if (pairQuantity !== undefined && this.pairSize(leg) === pairQuantity) {
            // The sibling's fill moved this leg's share, not the venue order: nothing to send.
            this.emit({
              type: 'order_modified',
              ts,
              id: leg.id,
              quantity,
              price: leg.price,
              triggerPrice: leg.triggerPrice,
            });
            continue;
          }
          this.emit({
            type: 'order_modify_requested',
            ts,
            id: leg.id,
            quantity,
            price: leg.price,
            triggerPrice: leg.triggerPrice,
            resize: true,
          });
          this.push(leg, {
            kind: 'modify',
            instrument: leg.instrument.key,
            clientOrderId: this.clientOrderId(leg),
            quantity,
            price: leg.price,
            triggerPrice: leg.triggerPrice,
            ...(pairQuantity === undefined ? {} : { pairQuantity }),
          });
        }
      }
    }
    if (pairOut !== undefined) this.sendExitPair(list, pairOut, ts);
  }

  /** Sends a bracket's take-profit and stop-loss as the one native order the venue holds them in. */
  private sendExitPair(list: OrderList, legs: readonly Order[], ts: TimestampMs): void {
    // Both legs are released together; one alone (its sibling ended while held) goes by itself.
    if (legs.length !== list.legIds.length) {
      for (const leg of legs) this.send(leg, ts);
      return;
    }
    const requests = legs.map((o) => {
      const coid = this.clientOrderId(o);
      this.emit({ type: 'order_submitted', ts, id: o.id, clientOrderId: coid });
      return this.request(o, coid);
    });
    this.push(legs[0]!, {
      kind: 'submit_list',
      list: {
        kind: 'bracket',
        listClientId: `${this.prefix}L${list.id}`,
        parent: undefined,
        legs: requests,
        trigger: list.trigger,
      },
    });
  }

  /**
   * The quantity of the venue order holding a native exit pair, fills included, as Ordo last set
   * it; undefined for an order of no pair. Each live leg's open quantity is the pair's remainder,
   * except for a moment after its sibling filled (it is then larger): the smallest is the truth.
   */
  private pairSize(o: Order): number | undefined {
    const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
    if (list?.exitPair !== true || o.id === list.parentId) return undefined;
    let used = 0;
    let open: number | undefined;
    for (const id of list.legIds) {
      const leg = this.state.order(id);
      used += leg.filled;
      if (!isTerminal(leg.status)) open = Math.min(open ?? leg.open, leg.open);
    }
    return open === undefined ? undefined : used + open;
  }

  /**
   * A native exit pair's stop-loss fired at the venue: as when Ordo fires one, what the entry has
   * not filled yet is cancelled, so no new position opens that the exit would not cover.
   */
  private pairStopFired(o: Order, ts: TimestampMs): void {
    const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
    if (list?.exitPair !== true || o.role !== 'stop_loss' || list.parentId === undefined) return;
    const entry = this.state.order(list.parentId);
    if (!isTerminal(entry.status)) this.cancelOne(entry, ts, 'stop_loss_triggered');
  }

  /**
   * Once a leg of an OCO that Ordo links has fired, it executes the rest and its siblings only
   * stand down: they are never resized again, and a cancel the venue refused (a 429, a 5xx) is
   * asked again (seeds 249 and 257): STAND_DOWN_ASKS asks at once, then one after each wait of
   * standDownRetryMs, for as long as the sibling works (seed 7018930). The asks are counted from
   * the order's journaled cancel requests, so they go on across a restart.
   * Returns whether a leg has fired.
   */
  private standDownAgain(list: OrderList, ts: TimestampMs): boolean {
    const legs = this.standingDown(list);
    if (legs === undefined) return false;
    for (const s of legs) {
      // The first ask and three more at once after refusals, then one after each wait, for as long
      // as the sibling works; counted from the journaled events, so a restart goes on from there.
      const due = nextStandDownAsk(s);
      if (due <= this.state.nowMs) this.cancelOne(s, ts, 'oco');
      else this.standDowns.push(due, s.id);
    }
    return true;
  }

  /**
   * The legs of an OCO list that must stand down and still work (not asked to cancel right now),
   * or undefined when none of its legs fired.
   */
  private standingDown(list: OrderList): Order[] | undefined {
    let fired = false;
    for (const id of list.legIds) if (this.state.order(id).triggeredAt !== undefined) fired = true;
    if (!fired) return undefined;
    const legs: Order[] = [];
    for (const id of list.legIds) {
      const s = this.state.order(id);
      if (s.triggeredAt === undefined && !isTerminal(s.status) && s.status !== 'pending_cancel') legs.push(s);
    }
    return legs;
  }

  /**
   * A native leg of an OCO that Ordo links (an OCO, a bracket's exits) fired at its venue and now
   * executes there: its siblings stand down at once, as when Ordo fires an emulated leg, so that
   * the pair cannot both fill (found by the simulator, seed 248). A bracket whose stop-loss fired
   * also cancels what its entry has not filled. Native lists and exit pairs are the venue's to do.
   */
  private nativeLegFired(o: Order, ts: TimestampMs): void {
    const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
    if (list === undefined || list.native || list.exitPair === true || !list.oco) return;
    for (const sid of list.legIds) {
      const s = this.state.order(sid);
      if (s !== o && !isTerminal(s.status)) this.cancelOne(s, ts, 'oco');
    }
    if (list.kind === 'bracket' && o.role === 'stop_loss' && list.parentId !== undefined) {
      const entry = this.state.order(list.parentId);
      if (!isTerminal(entry.status)) this.cancelOne(entry, ts, 'stop_loss_triggered');
    }
  }

  /**
   * Whether a working leg can be resized at the venue now. Not while it is `submitted` (the resize
   * follows its acceptance, which syncs the list again), nor once an emulated stop was released as
   * a market order (a market order cannot be modified; it is executing).
   */
  private resizable(leg: Order): boolean {
    return leg.status !== 'submitted' && !(leg.route === 'emulated' && releasedAsMarket(leg));
  }

  /** The price of the stream an order's trigger watches, if it has one yet. */
  private streamPrice(o: Order): number | undefined {
    const em = this.state.emulator;
    return em.lastPrice(o.instrument, em.streamOf(o));
  }

  /** Handles whatever the emulator fired and whatever expired, until nothing more happens. */
  private settle(ts: TimestampMs): void {
    const em = this.state.emulator;
    // The usual case, checked first: nothing fired, started, moved or expired.
    if (
      em.watermarkMoves.length === 0 &&
      em.starts.length === 0 &&
      em.fired.length === 0 &&
      this.expiries.topKey() > this.state.nowMs &&
      this.standDowns.topKey() > this.state.nowMs
    )
      return;
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (em.watermarkMoves.length > 0) {
        for (const m of em.watermarkMoves.splice(0))
          this.emit({
            type: 'watermark_moved',
            ts,
            instrument: m.instrument,
            stream: m.stream,
            price: m.price,
          });
      }
      const start = em.starts.shift();
      if (start !== undefined) {
        if (start.order.status === 'held' && start.order.armKind === ArmKind.TrailStarting)
          this.emit({ type: 'trailing_started', ts, id: start.order.id, price: start.price });
        continue;
      }
      const fire = em.fired.shift();
      if (fire !== undefined) {
        this.release(fire.order, fire.stopPrice, fire.marketPrice, ts);
        continue;
      }
      if (this.expiries.size > 0 && this.expiries.topKey() <= this.state.nowMs) {
        const o = this.state.orders.get(this.expiries.topId());
        this.expiries.pop();
        if (
          o !== undefined &&
          o.status === 'held' &&
          o.expireAtMs !== undefined &&
          o.expireAtMs <= this.state.nowMs
        ) {
          this.emit({ type: 'order_expired', ts, id: o.id });
          if (o.listId !== undefined) this.syncList(this.state.lists.get(o.listId)!, ts);
        }
        continue;
      }
      if (this.standDowns.topKey() <= this.state.nowMs) {
        const o = this.state.order(this.standDowns.topId() as OrderId);
        this.standDowns.pop();
        if (o.listId !== undefined && nextStandDownAsk(o) <= this.state.nowMs)
          this.standDownAgain(this.state.lists.get(o.listId)!, ts);
        continue;
      }
      return;
    }
  }

  private release(o: Order, stopPrice: number, marketPrice: number, ts: TimestampMs): void {
    if (o.status !== 'held' || o.open <= 0) return;
    this.emit({ type: 'order_triggered', ts, id: o.id, stopPrice, marketPrice });
    const list = o.listId === undefined ? undefined : this.state.lists.get(o.listId);
    if (list?.oco === true) {
      // The triggered leg takes the whole remaining quantity; its siblings stand down so the
      // pair can never fill beyond what it protects.
      for (const sid of list.legIds) {
        const s = this.state.order(sid);
        if (s !== o && !isTerminal(s.status)) this.cancelOne(s, ts, 'oco');
      }
    }
    // A bracket whose stop-loss fires is over: what its entry has not filled yet is cancelled, so
    // no new position opens that the exit (already executing) would not cover.
    if (list?.kind === 'bracket' && o.role === 'stop_loss' && list.parentId !== undefined) {
      const entry = this.state.order(list.parentId);
      if (!isTerminal(entry.status)) this.cancelOne(entry, ts, 'stop_loss_triggered');
    }
    this.send(o, ts);
  }
}

function riskDenied(denials: readonly Denial[]): OrdoError {
  return codedError('risk_denied', denials.map((d) => d.message).join('; '), { denials });
}

/** An emulated order released as a market order: a stop, or a trailing stop without a limit offset. */
function releasedAsMarket(o: Order): boolean {
  return o.type === 'stop' || (o.type === 'trailing_stop' && o.trailing?.limitOffset === undefined);
}

/**
 * What risk reads of the engine. A class rather than an object literal: a getter written in a
 * literal is a fresh closure each time, which the compiler cannot inline, so every `nowMs` read
 * went through a generic property lookup (about 500 instructions a placement).
 */
class EngineRiskContext implements RiskContext {
  constructor(
    private readonly state: EngineState,
    private readonly portfolio: PortfolioPort,
  ) {}

  get nowMs(): TimestampMs {
    return this.state.nowMs;
  }

  positionQty(key: string): number {
    return this.portfolio.positionQty(key);
  }

  openQty(key: string, side: Side): number {
    return this.state.openQty(key, side);
  }

  openOrdersCount(): number {
    return this.state.liveOrders;
  }

  // Streams exist only for known instruments, so an unknown key has no price here either.
  referencePrice(key: string): number | undefined {
    return this.state.emulator.lastOrMidPrice(key);
  }

  realizedPnlToday(currency: string): bigint {
    return this.portfolio.realizedPnlToday(currency, Math.floor(this.state.nowMs / 86_400_000) * 86_400_000);
  }
}
