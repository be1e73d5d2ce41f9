// The paper venue: Ordo's deterministic simulated exchange. Market and limit orders match in the
// PaperMatcher; stop, stop-limit and trailing-stop orders and bracket/OCO/OTO lists, where the
// venue is configured to support them natively, are held by a venue-side instance of Ordo's own
// engine, exactly as an exchange holds its conditional orders. Which of these the venue offers is
// configuration, so one scenario can run with every advanced order native here or emulated by the
// client engine, and must give identical fills.
//
// Checkpoints: `snapshot()` saves the venue (the matcher's state, the venue-side engine as its
// event history, the links between the client's order ids and the venue-side orders, undrained
// reports) as plain data for the journal's checkpoint codec, and `PaperVenue.restore` rebuilds a
// venue that continues exactly as the saved one would have. `checkpoint()` makes the same saving
// incremental: a chain of one full snapshot and then parts holding only the venue's inputs since
// the previous part, which `PaperVenue.restoreChain` replays (see checkpoint-log.ts).

import { appended } from '../../core/append.ts';
import type { OrderId } from '../../core/ids.ts';
import type { TimestampMs } from '../../core/ports.ts';
import type { PriceStream } from '../../engine/emulator.ts';
import { type EngineOptions, OrderEngine, type PortfolioPort } from '../../engine/engine.ts';
import type { OrdoEvent } from '../../engine/events.ts';
import type { OrderSpec } from '../../engine/order-spec.ts';
import type {
  Capabilities,
  SyncVenue,
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../../engine/venue-port.ts';
import { formatPrice, formatQty, type Instrument } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import type { LegRole } from '../../model/order.ts';
import { isTerminal } from '../../model/status.ts';
import { readVenueInputs, snapshotWeight, type VenueInput, type VenueInputsState } from './checkpoint-log.ts';
import { PaperMatcher, type PaperMatcherOptions, type PaperMatcherSnapshot } from './paper-matcher.ts';
import { SnapshotReader } from './snapshot-reader.ts';

export interface PaperNative {
  readonly stop: boolean;
  readonly stop_limit: boolean;
  readonly trailing_stop: boolean;
  readonly bracket: boolean;
  readonly oco: boolean;
  readonly oto: boolean;
}

export const ALL_NATIVE: PaperNative = {
  stop: true,
  stop_limit: true,
  trailing_stop: true,
  bracket: true,
  oco: true,
  oto: true,
};
export const NONE_NATIVE: PaperNative = {
  stop: false,
  stop_limit: false,
  trailing_stop: false,
  bracket: false,
  oco: false,
  oto: false,
};

export interface PaperVenueOptions extends PaperMatcherOptions {
  /** Which advanced orders the venue holds itself; the rest the client engine emulates. */
  readonly native?: PaperNative;
}

const HELD_PREFIX = 'pv-';

const NATIVE_KEYS = ['stop', 'stop_limit', 'trailing_stop', 'bracket', 'oco', 'oto'] as const;
const STREAMS: readonly PriceStream[] = ['last', 'bid', 'ask', 'mid'];

/**
 * A paper venue's state as plain data (JSON apart from bigints, which the journal's checkpoint
 * codec tags): see `PaperVenue.snapshot`.
 */
export interface PaperVenueSnapshot {
  readonly version: 1;
  /** The native configuration it ran with; a restore must use the same. */
  readonly native: PaperNative;
  readonly nowMs: TimestampMs;
  readonly matcher: PaperMatcherSnapshot;
  /** The venue-side engine that holds native stop, trailing and list orders. */
  readonly held: {
    /** Its events, oldest first (see `snapshot` for what is left out). */
    readonly events: readonly OrdoEvent[];
    /** The last price of each trigger stream. */
    readonly market: readonly {
      readonly instrument: string;
      readonly stream: PriceStream;
      readonly price: number;
    }[];
    readonly nowMs: TimestampMs;
    readonly nextOrderId: number;
    readonly nextListId: number;
  };
  /** `[venue-side order id, client order id]` of every order the venue-side engine holds, in link order. */
  readonly links: readonly (readonly [number, string])[];
  /** Reports produced and not yet drained. */
  readonly reports: readonly VenueReport[];
}

/** One link of a checkpoint chain: a full snapshot, or the venue's inputs since the previous link. */
export interface VenueCheckpointPart {
  /** False: `state` is a full snapshot (a chain starts here). True: `state` holds the inputs since the previous part. */
  readonly delta: boolean;
  /** Plain data: JSON plus bigints (the journal's checkpoint codec tags bigints). */
  readonly state: unknown;
}

/** Returned by an empty drain, so that draining after every command allocates nothing. */
const NO_REPORTS: VenueReport[] = [];

const NO_PORTFOLIO: PortfolioPort = {
  applyFill: () => {},
  positionQty: () => 0,
  realizedPnlToday: () => 0n,
};

export class PaperVenue implements SyncVenue {
  readonly id: string;
  readonly capabilities: Capabilities;
  readonly matcher: PaperMatcher;
  private readonly native: PaperNative;
  private readonly held: OrderEngine;
  /**
   * Every event of the venue-side engine, for snapshots. Pruned (see pruneHeldEvents) by each
   * snapshot, and whenever it has doubled since the last pruning, so that a session that never
   * takes a snapshot (a backtest) does not keep every price move of its trailing stops.
   */
  private heldEvents: OrdoEvent[] = [];
  private pruneAt = 4096;
  private readonly instruments = new Map<string, Instrument>();
  private readonly outerToHeld = new Map<string, OrderId>();
  private readonly heldToOuter = new Map<number, string>();
  private reports: VenueReport[] = [];
  private nowMs: TimestampMs = 0;
  /**
   * Inputs since the previous `checkpoint()`; undefined until the first call, so that a session
   * that never checkpoints (a backtest) keeps no log.
   */
  private inputLog: VenueInput[] | undefined;
  /** `snapshotWeight` of the chain's full snapshot (see `checkpoint`). */
  private chainWeight = 0;
  /** Inputs in the chain's delta parts so far (the log not included). */
  private chainInputs = 0;

  constructor(options: PaperVenueOptions) {
    this.id = options.venue;
    const n = options.native ?? ALL_NATIVE;
    this.native = n;
    const s = (b: boolean) => (b ? 'native' : 'emulated') as 'native' | 'emulated';
    this.capabilities = {
      orderTypes: {
        market: 'native',
        limit: 'native',
        stop: s(n.stop),
        stop_limit: s(n.stop_limit),
        trailing_stop: s(n.trailing_stop),
      },
      contingencies: { bracket: s(n.bracket), oco: s(n.oco), oto: s(n.oto) },
      timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'native', gtd: 'native' },
      modify: true,
    };
    for (const inst of options.instruments) this.instruments.set(inst.key, inst);
    this.matcher = new PaperMatcher(options);
    const heldOptions: EngineOptions = {
      instruments: options.instruments,
      venues: {
        [options.venue]: {
          orderTypes: {
            market: 'native',
            limit: 'native',
            stop: 'emulated',
            stop_limit: 'emulated',
            trailing_stop: 'emulated',
          },
          contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
          timeInForce: this.capabilities.timeInForce,
          modify: true,
        },
      },
      portfolio: NO_PORTFOLIO,
      clientIdPrefix: HELD_PREFIX,
    };
    this.held = new OrderEngine(heldOptions);
    this.held.onEvent((e) => this.onHeldEvent(e));
  }

  handle(command: VenueCommand, ts: TimestampMs): void {
    // Kept by reference: commands are immutable once sent (the matcher keeps them in flight too).
    this.inputLog?.push({ op: 'handle', command, ts });
    this.nowMs = Math.max(this.nowMs, ts);
    switch (command.kind) {
      case 'submit': {
        const o = command.order;
        // Ids are never reused, across the matcher and the venue-held orders alike.
        if (this.isHeldId(o.clientOrderId)) this.refuseDuplicate(o.clientOrderId, ts);
        else if (o.type === 'market' || o.type === 'limit') this.matcher.submit(o, ts);
        else if (this.matcher.hasClientId(o.clientOrderId)) this.refuseDuplicate(o.clientOrderId, ts);
        else this.placeHeld(o, ts);
        break;
      }
      case 'submit_list': {
        const l = command.list;
        const all = l.parent === undefined ? l.legs : [l.parent, ...l.legs];
        const ids = all.map((o) => o.clientOrderId);
        if (
          ids.some(
            (id, i) => this.outerToHeld.has(id) || this.matcher.hasClientId(id) || ids.indexOf(id) !== i,
          )
        )
          for (const id of ids) this.refuseDuplicate(id, ts);
        else this.placeHeldList(l, ts);
        break;
      }
      case 'cancel': {
        const id = this.outerToHeld.get(command.clientOrderId);
        if (id === undefined) this.matcher.cancel(command.clientOrderId, ts);
        else {
          const r = this.held.cancel(id, ts);
          if (!r.ok)
            this.report({
              kind: 'cancel_rejected',
              clientOrderId: command.clientOrderId,
              reason: r.error.message,
              ts,
            });
        }
        break;
      }
      case 'modify': {
        const id = this.outerToHeld.get(command.clientOrderId);
        if (id === undefined)
          this.matcher.modify(
            command.clientOrderId,
            { quantity: command.quantity, price: command.price },
            ts,
          );
        else {
          const inst = this.instruments.get(command.instrument)!;
          const order = this.held.state.order(id);
          const r = this.held.modify(
            id,
            {
              quantity: command.quantity !== order.quantity ? formatQty(inst, command.quantity) : undefined,
              price:
                command.price === undefined || command.price === order.price
                  ? undefined
                  : formatPrice(inst, command.price),
              triggerPrice:
                command.triggerPrice === undefined || command.triggerPrice === order.triggerPrice
                  ? undefined
                  : formatPrice(inst, command.triggerPrice),
            },
            ts,
          );
          if (!r.ok)
            this.report({
              kind: 'modify_rejected',
              clientOrderId: command.clientOrderId,
              reason: r.error.message,
              ts,
            });
        }
        break;
      }
    }
    this.pump();
  }

  onMarket(md: MarketData): void {
    // A copy: a feed may reuse its market data object for the next item.
    this.inputLog?.push({ op: 'market', md: { ...md } });
    this.nowMs = Math.max(this.nowMs, md.ts);
    this.matcher.onMarket(md);
    this.pump();
    this.held.onMarket(md);
    this.pump();
  }

  drainReports(): VenueReport[] {
    this.pump();
    const out = this.reports;
    // An empty drain changes nothing, so it is not logged: every public call ends with the pump
    // settled (no commands of the venue-side engine and no matcher reports left), so this pump
    // has nothing to move, and there are no reports to clear.
    if (out.length === 0) return NO_REPORTS;
    this.inputLog?.push({ op: 'drain' });
    this.reports = [];
    return out;
  }

  // ---- incremental checkpoints ---------------------------------------------------------------

  /**
   * The venue's part of the next checkpoint. The first call returns a full snapshot and starts
   * recording inputs; each later call returns the inputs recorded since the previous call
   * (delta: true) and clears them — unless the chain would then hold more inputs than its full
   * snapshot weighs, in which case it returns a new full snapshot and the chain restarts.
   *
   * The rule: with W = `snapshotWeight` of the chain's full snapshot (open matcher orders, client
   * ids, commands in flight, venue-side events, undrained reports, + 64), a delta is returned only
   * if the inputs of all the chain's delta parts, this one included, number at most W. So a chain
   * holds at most W inputs besides its snapshot (about twice one snapshot in all), a delta call
   * costs O(inputs since the previous call), and a full one, O(venue state), comes at most once
   * every W inputs: amortised O(1) an input.
   *
   * `full` asks for a full snapshot whatever the rule says: the caller's previous part may never
   * have been stored (its write failed), so a delta after it would break the chain.
   *
   * The recorded inputs are the calls that change state: `handle`, `onMarket` and the drains
   * that returned reports. (`matcher` is exposed for reading; a caller that changed it directly
   * would go unrecorded.) A part is plain data and shares nothing the venue later changes.
   */
  checkpoint(full = false): VenueCheckpointPart {
    const log = this.inputLog;
    if (!full && log !== undefined && this.chainInputs + log.length <= this.chainWeight) {
      this.chainInputs += log.length;
      this.inputLog = [];
      const state: VenueInputsState = { version: 1, inputs: log };
      return { delta: true, state };
    }
    const snapshot = this.snapshot();
    this.inputLog = [];
    this.chainWeight = snapshotWeight(snapshot);
    this.chainInputs = 0;
    return { delta: false, state: snapshot };
  }

  /**
   * A venue in exactly the state the chain saved: parts[0] a full part's state, the rest delta
   * parts' states, in order (as they may come back from the journal's checkpoint codec). The
   * snapshot is restored and the inputs re-run with the same calls as live, the reports of the
   * re-run drains discarded (they were delivered before). Malformed parts throw an Error naming
   * the field. The venue records on: its next `checkpoint()` is a delta to this state, counted
   * with the replayed inputs against the same full snapshot, so a restored chain restarts when
   * the uninterrupted one would have.
   */
  static restoreChain(options: PaperVenueOptions, parts: readonly unknown[]): PaperVenue {
    const r = new SnapshotReader('paper venue checkpoint chain');
    if (!Array.isArray(parts)) r.fail('parts', 'must be an array of checkpoint parts');
    if (parts.length === 0) r.fail('parts', 'are empty: a chain starts with a full snapshot (parts[0])');
    const base = r.object(parts[0], 'parts[0]');
    if ('inputs' in base) r.fail('parts[0]', 'is a delta part; a chain starts with a full snapshot');
    const venue = PaperVenue.restore(options, base);
    const snapshot = base as unknown as PaperVenueSnapshot;
    let replayed = 0;
    for (let i = 1; i < parts.length; i++) {
      const p = r.object(parts[i], `parts[${i}]`);
      if (!('inputs' in p) && 'matcher' in p)
        r.fail(`parts[${i}]`, 'is a full snapshot; only parts[0] may be one');
      // Checked whole before any of it runs, so that a bad part fails by its path, not midway.
      for (const input of readVenueInputs(r, p, `parts[${i}]`)) {
        switch (input.op) {
          case 'handle':
            venue.handle(input.command, input.ts);
            break;
          case 'market':
            venue.onMarket(input.md);
            break;
          case 'drain':
            venue.drainReports();
            break;
        }
        replayed++;
      }
    }
    venue.inputLog = [];
    venue.chainWeight = snapshotWeight(snapshot);
    venue.chainInputs = replayed;
    return venue;
  }

  // ---- snapshot ------------------------------------------------------------------------------

  /**
   * The venue's whole state as plain data, for a checkpoint (see PaperVenueSnapshot): the matcher's
   * snapshot; the venue-side engine as its event history (rebuilt by replay, as Ordo's own engine is
   * rebuilt from its journal) plus its trigger streams' last prices, clock and id counters; the
   * client-id links; undrained reports. Call it between inputs (any time the venue is not inside a
   * call of its own).
   *
   * Size and cost: O(matcher snapshot) + O(venue-side history). The history grows with the number of
   * orders the venue has held (a handful of events each) and the links with their ids: terminal
   * orders stay, because the client can still cancel or modify them by id and must get the same
   * answer. What does not grow without bound is `watermark_moved` events (one per new extreme of a
   * trailing stop, i.e. per tick in a trending market): each call drops those that no live order
   * needs, i.e. every one on an instrument older than the oldest live venue-held order there, so
   * the history is bounded by orders plus the moves since the oldest live order (the same pruning
   * runs whenever the history has doubled, snapshot or not). The snapshot is built afresh on each
   * call (O(size)); the hot path only keeps the events.
   *
   * Exactness: the restored venue sends the same reports as the saved one would have. Its own
   * later history may hold a few `watermark_moved` events more (a trailing stop that ended leaves
   * an empty group in the engine's trailing book, whose watermark lags on a restored venue when
   * its moves were pruned); nothing depends on them. The venue-side engine is rebuilt by the
   * engine's replay, so it is as exact as that replay is (its known limits today: ties between
   * equal trigger prices or expiry times, and trailing fires collected at a stale price).
   */
  snapshot(): PaperVenueSnapshot {
    this.pruneHeldEvents();
    const links: [number, string][] = [];
    for (const [id, outer] of this.heldToOuter) links.push([id, outer]);
    const st = this.held.state;
    return {
      version: 1,
      native: { ...this.native },
      nowMs: this.nowMs,
      matcher: this.matcher.snapshot(),
      held: {
        events: this.heldEvents.slice(),
        // Sorted, so that equal states give equal snapshots (the engine lists streams as it met them).
        market: this.held
          .marketState()
          .sort((a, b) => cmp(a.instrument, b.instrument) || cmp(a.stream, b.stream)),
        nowMs: st.nowMs,
        nextOrderId: st.nextOrderId,
        nextListId: st.nextListId,
      },
      links,
      reports: this.reports.slice(),
    };
  }

  /**
   * A venue in exactly the state `snapshot` saved, given the options it ran with: it answers the
   * same inputs with the same reports as the saved venue. The snapshot may have been through JSON
   * (the journal's checkpoint codec); it is checked, and an Error names what is wrong with it.
   */
  static restore(options: PaperVenueOptions, snapshot: unknown): PaperVenue {
    const r = new SnapshotReader('paper venue snapshot');
    const s = r.object(snapshot, '');
    if (s.version !== 1) r.fail('version', `must be 1, got ${JSON.stringify(s.version)}`);
    const venue = new PaperVenue(options);
    const native = r.object(s.native, 'native');
    for (const k of NATIVE_KEYS)
      if (r.boolean(native[k], `native.${k}`) !== venue.native[k])
        r.fail(`native.${k}`, `is ${native[k]} but the options say ${venue.native[k]}`);
    venue.matcher.load(r, s.matcher, 'matcher');

    const h = r.object(s.held, 'held');
    const events = r.array(h.events, 'held.events') as OrdoEvent[];
    for (const [i, e] of events.entries()) {
      const o = r.object(e, `held.events[${i}]`);
      r.string(o.type, `held.events[${i}].type`);
      r.int(o.ts, `held.events[${i}].ts`);
    }
    const market = r.array(h.market, 'held.market').map((v, i) => {
      const p = `held.market[${i}]`;
      const m = r.object(v, p);
      const instrument = r.string(m.instrument, `${p}.instrument`);
      if (!venue.instruments.has(instrument)) r.fail(`${p}.instrument`, `${instrument} is not listed here`);
      return {
        instrument,
        stream: r.oneOf(m.stream, `${p}.stream`, STREAMS),
        price: r.int(m.price, `${p}.price`),
      };
    });
    const heldNow = r.int(h.nowMs, 'held.nowMs');
    const nextOrderId = r.int(h.nextOrderId, 'held.nextOrderId', 1);
    const nextListId = r.int(h.nextListId, 'held.nextListId', 1);
    const st = venue.held.state;
    try {
      venue.held.restore(events);
    } catch (e) {
      r.fail('held.events', `do not replay: ${(e as Error).message}`);
    }
    venue.held.restoreMarketState(market);
    if (heldNow < st.nowMs) r.fail('held.nowMs', `${heldNow} is before its last event (${st.nowMs})`);
    if (nextOrderId < st.nextOrderId)
      r.fail('held.nextOrderId', `${nextOrderId} is not above the held orders (next ${st.nextOrderId})`);
    if (nextListId < st.nextListId)
      r.fail('held.nextListId', `${nextListId} is not above the held lists (next ${st.nextListId})`);
    st.nowMs = heldNow;
    st.nextOrderId = nextOrderId;
    st.nextListId = nextListId;
    venue.heldEvents = events.slice();

    for (const [i, v] of r.array(s.links, 'links').entries()) {
      const p = `links[${i}]`;
      const link = r.array(v, p);
      if (link.length !== 2) r.fail(p, 'must be [venue-side order id, client order id]');
      const id = r.int(link[0], `${p}[0]`, 1) as OrderId;
      const outer = r.string(link[1], `${p}[1]`);
      if (!st.orders.has(id)) r.fail(`${p}[0]`, `${id} is not a venue-side order of held.events`);
      if (venue.heldToOuter.has(id)) r.fail(`${p}[0]`, `${id} is linked twice`);
      venue.heldToOuter.set(id, outer);
      venue.outerToHeld.set(outer, id);
    }
    for (const id of st.orders.keys())
      if (!venue.heldToOuter.has(id)) r.fail('links', `have no client order id for venue-side order ${id}`);
    venue.reports = r.array(s.reports, 'reports').map((v, i) => r.report(v, `reports[${i}]`));
    venue.nowMs = r.int(s.nowMs, 'nowMs');
    return venue;
  }

  /**
   * Drops the `watermark_moved` events no replay needs. A replayed price move only matters to
   * orders that exist when it is replayed; an order that has ended is fully described by its own
   * events (its trigger state no longer counts), so a move on an instrument is needed only if some
   * live venue-held order on that instrument was created before it.
   */
  private pruneHeldEvents(): void {
    const events = this.heldEvents;
    const orders = this.held.state.orders;
    /** Instrument → index of the creation of its oldest live venue-held order. */
    const oldestLive = new Map<string, number>();
    let moves = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.type === 'watermark_moved') moves++;
      else if (e.type === 'order_created' && !oldestLive.has(e.order.instrument)) {
        const o = orders.get(e.order.id);
        if (o !== undefined && !isTerminal(o.status)) oldestLive.set(e.order.instrument, i);
      }
    }
    if (moves > 0) {
      const kept = events.filter(
        (e, i) =>
          e.type !== 'watermark_moved' || (oldestLive.get(e.instrument) ?? Number.POSITIVE_INFINITY) < i,
      );
      if (kept.length < events.length) this.heldEvents = kept;
    }
    // Amortised O(1) an event: the next pruning waits until the history has doubled.
    this.pruneAt = Math.max(4096, 2 * this.heldEvents.length);
  }

  /** Whether a client id names a venue-held order (without hashing it when none is held). */
  private isHeldId(clientOrderId: string): boolean {
    return this.outerToHeld.size > 0 && this.outerToHeld.has(clientOrderId);
  }

  private refuseDuplicate(clientOrderId: string, ts: TimestampMs): void {
    this.report({
      kind: 'rejected',
      clientOrderId,
      code: 'duplicate_client_order_id',
      reason: `client order id ${clientOrderId} was already used`,
      ts,
    });
  }

  private placeHeld(o: VenueOrderRequest, ts: TimestampMs): void {
    const r = this.held.place(this.specOf(o), ts);
    if (!r.ok) {
      this.report({
        kind: 'rejected',
        clientOrderId: o.clientOrderId,
        code: r.error.code,
        reason: r.error.message,
        ts,
      });
      return;
    }
    this.link(o.clientOrderId, r.value, ts);
  }

  private placeHeldList(list: VenueListRequest, ts: TimestampMs): void {
    const parentRole: LegRole = list.kind === 'bracket' ? 'entry' : 'oto_parent';
    const legRole = (i: number): LegRole =>
      list.kind === 'bracket'
        ? i === 0
          ? 'take_profit'
          : 'stop_loss'
        : list.kind === 'oco'
          ? 'oco_leg'
          : 'oto_child';
    const quantity = list.parent === undefined ? list.legs[0]?.quantity : undefined;
    const r = this.held.placeList(
      list.kind,
      list.parent === undefined ? undefined : { spec: this.specOf(list.parent), role: parentRole },
      list.legs.map((l, i) => ({ spec: this.specOf(l), role: legRole(i), field: `legs[${i}].` })),
      { trigger: list.trigger, oco: list.kind !== 'oto', quantity },
      ts,
    );
    const all = list.parent === undefined ? list.legs : [list.parent, ...list.legs];
    if (!r.ok) {
      for (const o of all)
        this.report({
          kind: 'rejected',
          clientOrderId: o.clientOrderId,
          code: r.error.code,
          reason: r.error.message,
          ts,
        });
      return;
    }
    for (const [i, o] of all.entries()) this.link(o.clientOrderId, r.value.orderIds[i]!, ts);
  }

  private link(outer: string, id: OrderId, ts: TimestampMs): void {
    this.outerToHeld.set(outer, id);
    this.heldToOuter.set(id, outer);
    this.report({ kind: 'accepted', clientOrderId: outer, venueOrderId: `${this.id}-h${id}`, ts });
  }

  private specOf(o: VenueOrderRequest): OrderSpec {
    const inst = this.instruments.get(o.instrument)!;
    const p = (v: number | undefined) => (v === undefined ? undefined : formatPrice(inst, v));
    const t = o.trailing;
    return {
      symbol: inst.symbol,
      venue: inst.venue,
      side: o.side,
      type: o.type,
      quantity: formatQty(inst, o.quantity),
      price: p(o.price),
      triggerPrice: p(o.triggerPrice),
      trailing:
        t === undefined
          ? undefined
          : {
              // Tick offsets travel as the price distance they stand for.
              offsetType: t.offsetKind === 'ticks' ? 'price' : t.offsetKind,
              offset:
                t.offsetKind === 'price' || t.offsetKind === 'ticks'
                  ? formatPrice(inst, t.offset)
                  : rateText(t),
              activationPrice: p(t.activationPrice),
              limitOffset: p(t.limitOffset),
            },
      tif: o.tif,
      expireAt: o.tif === 'gtd' ? o.expireAtMs : undefined,
      postOnly: o.postOnly || undefined,
      reduceOnly: o.reduceOnly || undefined,
    };
  }

  /** Venue-side engine events become the venue's reports about the client's orders. */
  private onHeldEvent(e: OrdoEvent): void {
    if (this.heldEvents.push(e) > this.pruneAt) this.pruneHeldEvents();
    if (!('id' in e)) return;
    const outer = this.heldToOuter.get(e.id);
    if (outer === undefined) return;
    const ts = e.ts;
    switch (e.type) {
      case 'order_triggered':
        return this.report({ kind: 'triggered', clientOrderId: outer, ts });
      case 'order_filled':
        return this.report({
          kind: 'fill',
          clientOrderId: outer,
          tradeId: e.tradeId,
          price: e.price,
          quantity: e.quantity,
          fee: e.fee,
          feeCurrency: e.feeCurrency,
          liquidity: e.liquidity,
          ts,
        });
      case 'order_cancelled':
        return this.report({ kind: 'cancelled', clientOrderId: outer, reason: e.reason, ts });
      case 'order_expired':
        return this.report({ kind: 'expired', clientOrderId: outer, ts });
      case 'order_rejected':
        return this.report({ kind: 'rejected', clientOrderId: outer, code: e.code, reason: e.reason, ts });
      case 'order_modified':
        return this.report({
          kind: 'modified',
          clientOrderId: outer,
          quantity: e.quantity,
          price: e.price,
          triggerPrice: e.triggerPrice,
          ts,
        });
      case 'order_modify_rejected':
        return this.report({ kind: 'modify_rejected', clientOrderId: outer, reason: e.reason, ts });
      case 'order_cancel_rejected':
        return this.report({ kind: 'cancel_rejected', clientOrderId: outer, reason: e.reason, ts });
      default:
        return;
    }
  }

  private report(r: VenueReport): void {
    this.reports = appended(this.reports, r);
  }

  /** Moves commands from the venue-side engine to the matcher and the matcher's reports back. */
  private pump(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const commands = this.held.drainCommands();
      // The venue's own conditional orders act inside the venue, without the latency of commands
      // sent to it: a native OCO's sibling is cancelled as its other leg triggers, not later.
      for (const { command } of commands) {
        const ts = this.nowMs;
        if (command.kind === 'submit') this.matcher.internal({ kind: 'submit', req: command.order }, ts);
        else if (command.kind === 'cancel')
          this.matcher.internal({ kind: 'cancel', clientOrderId: command.clientOrderId }, ts);
        else if (command.kind === 'modify')
          this.matcher.internal(
            {
              kind: 'modify',
              clientOrderId: command.clientOrderId,
              change: { quantity: command.quantity, price: command.price },
            },
            ts,
          );
      }
      const reports = this.matcher.drainReports();
      if (this.reports.length === 0 && !reports.some(isHeldReport)) {
        // All of them are the client's (the usual case): the matcher's array is handed on whole,
        // in the same order, instead of being copied report by report.
        if (reports.length !== 0) this.reports = reports;
      } else
        for (const r of reports) {
          if (isHeldReport(r)) this.held.onReport(this.id as never, r);
          else this.report(r);
        }
      if (commands.length === 0 && reports.length === 0) return;
    }
    throw new Error('paper venue did not settle');
  }
}

/** A report about an order of the venue-side engine (it submits under its own client id prefix). */
function isHeldReport(r: VenueReport): boolean {
  return r.clientOrderId.startsWith(HELD_PREFIX);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rateText(t: { offsetKind: string; offset: number }): string {
  // RATE units (1e-8 fractions) back to the percent or bps the client sent.
  const places = t.offsetKind === 'percent' ? 6 : 4;
  const v = BigInt(t.offset);
  const d = 10n ** BigInt(places);
  const frac = (v % d).toString().padStart(places, '0').replace(/0+$/, '');
  return frac.length > 0 ? `${v / d}.${frac}` : `${v / d}`;
}
