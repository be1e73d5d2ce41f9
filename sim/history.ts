// One simulated history: a seed decides the venue's configuration (which advanced orders it holds
// natively, latency, shorting), the market path, the trader's inputs, the wire's faults and the
// points where the process dies. The real AdvancedOrderManager, RiskManager and Portfolio run over
// the PaperVenue behind a FaultyVenue wire, journaling to a real SQLite file; after every input the
// Auditor checks its invariants. A restart closes the journal, rebuilds the manager, the venue and
// the wire from the file (as a crashed process would), re-runs the inputs that were not durable and
// checks that nothing changed. Same seed, same history, byte for byte: the trace says so.

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '../src/core/errors.ts';
import { SeededRandom } from '../src/core/ports.ts';
import { AdvancedOrderManager, savedComponentChain } from '../src/engine/advanced-order-manager.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import type { JournalBatch, SyncJournal } from '../src/engine/journal-port.ts';
import type { VenueCommand, VenueOrderRequest, VenueReport } from '../src/engine/venue-port.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../src/model/instrument.ts';
import type { MarketData } from '../src/model/market.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { RiskManager } from '../src/risk/index.ts';
import { type PaperNative, PaperVenue, type PaperVenueOptions } from '../src/venues/paper/paper-venue.ts';
import { Auditor, type EngineView, type InvariantName, type Violation } from './auditor.ts';
import { FaultyVenue, NO_FAULTS, type WireFaults, type WireSnapshot } from './faulty-venue.ts';
import { MarketPath } from './market-path.ts';
import { type RiskConfig, type SimInput, traderInput } from './workload.ts';

export const INSTRUMENTS: readonly Instrument[] = [
  unwrap(
    defineInstrument({
      venue: 'paper',
      symbol: 'BTC/USD',
      priceIncrement: '0.01',
      qtyIncrement: '0.0001',
      feeMaker: '0.001',
      feeTaker: '0.002',
    }),
  ),
  unwrap(
    defineInstrument({
      venue: 'paper',
      symbol: 'ETH/USD',
      priceIncrement: '0.01',
      qtyIncrement: '0.001',
      feeMaker: '0.0005',
      feeTaker: '0.001',
    }),
  ),
];
const START_PRICES = [4_500_000, 300_000];
const OPENING = { USD: '2000000', BTC: '20', ETH: '300' };
const T0 = 1_767_225_600_000;
const STEP_MS = 1000;

export interface HistoryOptions {
  readonly seed: number;
  /** Market steps (each several inputs). Default 60. */
  readonly steps?: number;
  /** Folder for the history's SQLite journal (a fresh file per history, removed after). */
  readonly dir: string;
  /** Keep every trace line (for --verbose); otherwise only the trace's hash is kept. */
  readonly keepTrace?: boolean;
}

export interface HistoryResult {
  readonly seed: number;
  readonly inputs: number;
  readonly events: number;
  readonly restarts: number;
  /** Double fills of Ordo-linked lists that latency made possible (not failures; see auditor.ts). */
  readonly linkedRaces: number;
  readonly checks: ReadonlyMap<InvariantName, number>;
  readonly violations: readonly Violation[];
  /** An exception that stopped the history (an engine assertion, say). */
  readonly crash: string | undefined;
  readonly traceHash: string;
  readonly trace: readonly string[];
}

/** The configuration a seed draws. */
interface Setup {
  readonly native: PaperNative;
  readonly latencyMs: number;
  readonly allowShort: boolean;
  readonly faults: WireFaults;
  readonly hostility: number;
}

function setupOf(r: SeededRandom): Setup {
  const flag = () => r.nextInt(2) === 0;
  const mode = r.nextInt(4);
  const native: PaperNative =
    mode === 0
      ? { stop: true, stop_limit: true, trailing_stop: true, bracket: true, oco: true, oto: true }
      : mode === 1
        ? { stop: false, stop_limit: false, trailing_stop: false, bracket: false, oco: false, oto: false }
        : {
            stop: flag(),
            stop_limit: flag(),
            trailing_stop: flag(),
            bracket: flag(),
            oco: flag(),
            oto: flag(),
          };
  const faulty = r.nextInt(4) !== 0;
  const faults: WireFaults = faulty
    ? {
        delay: r.nextInt(40),
        delayMaxInputs: 1 + r.nextInt(8),
        duplicateFill: r.nextInt(20),
        lostAck: r.nextInt(15),
        cancelOvertakes: r.nextInt(60),
        refuse: r.nextInt(8),
      }
    : NO_FAULTS;
  return {
    native,
    latencyMs: [0, 0, 0, 200, 1500][r.nextInt(5)]!,
    allowShort: flag(),
    faults,
    hostility: 10 + r.nextInt(50),
  };
}

/** The journal, with a way to make the process die in the middle of an input's append. */
class DyingJournal {
  dieAtNextAppend = false;
  constructor(readonly inner: SqliteJournal) {}
  wrap(onDurable: () => void): SyncJournal {
    const inner = this.inner;
    const self = this;
    return {
      append: (b) => inner.append(b),
      read: (s) => inner.read(s),
      lastCheckpoint: () => inner.lastCheckpoint(),
      lastSeq: () => inner.lastSeq(),
      verify: () => inner.verify(),
      close: () => inner.close(),
      readSync: (s) => inner.readSync(s),
      lastCheckpointSync: () => inner.lastCheckpointSync(),
      checkpointChain: () => inner.checkpointChain(),
      checkpointChainSync: () => inner.checkpointChainSync(),
      appendSync(batch: JournalBatch) {
        if (self.dieAtNextAppend) {
          self.dieAtNextAppend = false;
          throw new ProcessDied();
        }
        inner.appendSync(batch);
        onDurable();
      },
    };
  }
}

class ProcessDied extends Error {
  constructor() {
    super('the process died while appending to the journal');
  }
}

/** The live process: manager, venue, wire and journal, as built at start or after a restart. */
interface Proc {
  readonly oms: AdvancedOrderManager;
  readonly paper: PaperVenue;
  readonly wire: FaultyVenue;
  readonly journal: DyingJournal;
  readonly risk: RiskManager;
}

export function runHistory(opts: HistoryOptions): HistoryResult {
  const seed = opts.seed >>> 0;
  const r = new SeededRandom(seed);
  const setup = setupOf(r);
  const steps = opts.steps ?? 60;
  const trace: string[] = [];
  const hash = createHash('sha256');
  const log = (line: string) => {
    hash.update(line);
    hash.update('\n');
    if (opts.keepTrace === true) trace.push(line);
  };
  log(`seed ${seed} setup ${JSON.stringify(setup)}`);

  const db = join(opts.dir, `sim-${seed}-${process.pid}.sqlite`);
  removeDb(db);
  const venueOptions: PaperVenueOptions = {
    venue: 'paper',
    instruments: INSTRUMENTS,
    balances: OPENING,
    native: setup.native,
    latencyMs: setup.latencyMs,
    allowShort: setup.allowShort,
  };
  const money = (text: string) => BigInt(text) * 10n ** BigInt(MONEY_SCALE);
  const instMap = new Map(INSTRUMENTS.map((i) => [i.key, i]));
  const auditor = new Auditor(
    instMap,
    'USD',
    money(OPENING.USD),
    new Map([
      ['BTC', money(OPENING.BTC)],
      ['ETH', money(OPENING.ETH)],
    ]),
    setup.latencyMs === 0 && setup.faults.delay === 0 && setup.faults.lostAck === 0,
  );

  // ---- the inputs ------------------------------------------------------------------------------
  const paths = INSTRUMENTS.map((inst, i) => new MarketPath(inst, r, START_PRICES[i]!, setup.hostility));
  const inputs: SimInput[] = [];
  /** The configuration in force before each input. */
  const configBefore: RiskConfig[] = [];
  let config: RiskConfig = { tradingState: 'active', limits: {} };
  const last = new Map<string, number>();
  for (let s = 0; s < steps; s++) {
    const ts = T0 + s * STEP_MS;
    for (const [i, path] of paths.entries()) {
      const m = path.next(ts + i);
      const inst = INSTRUMENTS[i]!;
      if (m.quote !== undefined) {
        const q = m.quote;
        inputs.push({
          kind: 'feed',
          text: `quote ${inst.symbol} ${q.bid}/${q.ask} ${q.bidSize}/${q.askSize}`,
          trades: [],
          run: feed(q),
        });
      }
      if (m.trade !== undefined) {
        const t = m.trade;
        last.set(inst.key, t.price);
        inputs.push({
          kind: 'feed',
          text: `trade ${inst.symbol} ${t.price} ${t.size} (${m.regime})`,
          trades: [{ key: inst.key, price: t.price, ts: t.ts }],
          run: feed(t),
        });
      }
    }
    if (last.size < INSTRUMENTS.length) continue;
    const actions = r.nextInt(3);
    for (let a = 0; a < actions; a++) {
      const input = traderInput(r, INSTRUMENTS, last, ts + 10 + a, config);
      if (input.config !== undefined) config = input.config;
      inputs.push(input);
    }
    inputs.push({ kind: 'sync', text: 'sync', trades: [], run: sync(ts + 500) });
  }
  {
    let c: RiskConfig = { tradingState: 'active', limits: {} };
    for (const input of inputs) {
      configBefore.push(c);
      if (input.config !== undefined) c = input.config;
    }
  }
  // Deaths: between inputs or in the middle of one (during its journal append).
  const deaths = new Map<number, 'between' | 'append'>();
  const nDeaths = r.nextInt(4);
  for (let d = 0; d < nDeaths; d++)
    deaths.set(1 + r.nextInt(inputs.length - 1), r.nextInt(2) === 0 ? 'between' : 'append');

  // ---- the process -----------------------------------------------------------------------------
  let events = 0;
  const observer = {
    command: (c: Parameters<typeof auditor.venueCommand>[0]) => {
      log(`  > ${commandText(c)}`);
      auditor.venueCommand(c);
    },
    refused: (c: Parameters<typeof auditor.venueCommand>[0]) => log(`  > refused ${commandText(c)}`),
    venueReport: (rep: Parameters<typeof auditor.venueReport>[0]) => {
      log(`  < ${reportText(rep)}`);
      auditor.venueReport(rep);
    },
  };
  const start = (cfg: RiskConfig): Proc => {
    const inner = SqliteJournal.open(db);
    const journal = new DyingJournal(inner);
    // The paper venue's checkpoints form a chain (full, then its inputs since); the wire's state
    // is small and saved whole each time, so the newest one is read.
    const saved = savedComponentChain(inner) as { paper: unknown; wire: WireSnapshot }[];
    const paper =
      saved.length === 0
        ? new PaperVenue(venueOptions)
        : PaperVenue.restoreChain(
            venueOptions,
            saved.map((s) => s.paper),
          );
    const wire = new FaultyVenue(paper, seed, setup.faults, observer);
    if (saved.length > 0) wire.restore(saved[saved.length - 1]!.wire);
    const risk = new RiskManager({});
    applyConfig(risk, cfg);
    const oms = new AdvancedOrderManager(wire, {
      instruments: INSTRUMENTS,
      portfolio: new Portfolio({ cash: { paper: { USD: money(OPENING.USD) } } }),
      risk,
      journal: journal.wrap(() => {}),
      checkpoint: (full) => {
        const part = paper.checkpoint(full);
        return { delta: part.delta, state: { paper: part.state, wire: wire.snapshot() } };
      },
    });
    oms.restore();
    oms.on((e) => {
      events++;
      log(`  ${eventText(e)}`);
      const id = 'id' in e ? e.id : e.type === 'order_created' ? e.order.id : undefined;
      auditor.seen(e, id === undefined ? undefined : oms.engine.state.orders.get(id)?.status);
    });
    return { oms, paper, wire, journal, risk };
  };
  let proc = start(configBefore[0]!);
  const view = (): EngineView => engineView(proc.oms);

  let crash: string | undefined;
  let restarts = 0;
  const runInput = (i: number, check: boolean): void => {
    const input = inputs[i]!;
    auditor.beginInput(i + 1, input.trades);
    if (input.config !== undefined) applyConfig(proc.risk, input.config);
    proc.wire.setInput(i + 1);
    const halted = proc.risk.tradingState() === 'halted';
    const res = input.run(proc.oms);
    if (proc.oms.inputCount !== i + 1)
      throw new Error(`input ${i + 1} was counted as ${proc.oms.inputCount}`);
    auditor.commitInput(view());
    const code = res === undefined ? '' : res.ok ? ' ok' : ` ${res.error.code}`;
    log(`${i + 1} ${input.text}${code}`);
    if (check)
      auditor.endInput({
        engine: view(),
        venue: { balance: (c) => proc.paper.matcher.balance(c).total },
        halted,
        placement: input.kind === 'place',
        placed: res?.ok === true,
      });
  };

  const restart = (i: number, how: 'between' | 'append'): void => {
    restarts++;
    const before = stateDigest(proc.oms);
    const guard = protectionDigest(proc.oms);
    if (how === 'append') {
      // Input i runs and dies while its events are written: they never became durable.
      proc.journal.dieAtNextAppend = true;
      auditor.beginInput(i + 1, []);
      if (inputs[i]!.config !== undefined) applyConfig(proc.risk, inputs[i]!.config!);
      proc.wire.setInput(i + 1);
      let died = false;
      try {
        inputs[i]!.run(proc.oms);
      } catch (e) {
        if (!(e instanceof ProcessDied)) throw e;
        died = true;
      }
      proc.journal.dieAtNextAppend = false;
      auditor.dropInput();
      log(`${i + 1} ${inputs[i]!.text} (died ${died ? 'while journaling' : 'after it: nothing to journal'})`);
    }
    void proc.journal.inner.close();
    const cp = SqliteJournal.open(db);
    const inputSeq = cp.lastCheckpointSync()?.checkpoint.inputSeq ?? 0;
    void cp.close();
    proc = start(configBefore[inputSeq] ?? configBefore[0]!);
    log(`restart at ${i} from checkpoint ${inputSeq}`);
    // The inputs after the last durable one are delivered again (their events, if any, were lost).
    for (let j = inputSeq; j < i; j++) runInput(j, false);
    auditor.same('journal_replays', before, stateDigest(proc.oms));
    auditor.same('protected_after_restart', guard, protectionDigest(proc.oms));
  };

  try {
    for (let i = 0; i < inputs.length; i++) {
      const death = deaths.get(i);
      if (death !== undefined) restart(i, death);
      runInput(i, true);
    }
    // The end: the wire delivers everything it holds, and the books must agree with the venue.
    proc.wire.quiet = true;
    const endTs = T0 + steps * STEP_MS + 60_000;
    inputs.push({ kind: 'sync', text: 'settle', trades: [], run: sync(endTs) });
    configBefore.push(config);
    runInput(inputs.length - 1, true);
    auditor.checkSettled(view());
    // The journal rebuilds exactly the live state.
    const live = stateDigest(proc.oms);
    void proc.journal.inner.close();
    proc = start(config);
    auditor.same('journal_replays', live, stateDigest(proc.oms));
  } catch (e) {
    crash = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    void proc.journal.inner.close();
    removeDb(db);
  }
  log(`end ${crash === undefined ? 'ok' : 'crash'} violations ${auditor.violations.length}`);
  return {
    seed,
    inputs: inputs.length,
    events,
    restarts,
    linkedRaces: auditor.linkedRaces,
    checks: auditor.checks,
    violations: auditor.violations,
    crash,
    traceHash: hash.digest('hex'),
    trace,
  };
}

function eventText(e: OrdoEvent): string {
  switch (e.type) {
    case 'order_created': {
      const o = e.order;
      return `created ${o.id} ${o.role} ${o.side} ${o.type} ${o.quantity} px ${o.price ?? '-'} trig ${o.triggerPrice ?? '-'} ${o.route}${o.listId === undefined ? '' : ` list ${o.listId}`}`;
    }
    case 'list_created':
      return `list ${e.list.id} ${e.list.kind} parent ${e.list.parentId ?? '-'} legs ${e.list.legIds.join(',')} qty ${e.list.quantity}${e.list.native ? ' native' : ''}`;
    case 'order_filled':
      return `filled ${e.id} ${e.quantity}@${e.price} ${e.tradeId}`;
    case 'watermark_moved':
      return `watermark ${e.instrument} ${e.stream} ${e.price}`;
    case 'order_modified':
    case 'order_modify_requested':
      return `${e.type.slice(6)} ${e.id} qty ${e.quantity} px ${e.price ?? '-'} trig ${e.triggerPrice ?? '-'}`;
    case 'order_triggered':
      return `triggered ${e.id} stop ${e.stopPrice} at ${e.marketPrice}`;
    default:
      return `${e.type.slice(6)} ${e.id}${'reason' in e ? ` ${e.reason}` : ''}`;
  }
}

function commandText(c: VenueCommand): string {
  const req = (o: VenueOrderRequest) =>
    `${o.clientOrderId} ${o.side} ${o.type} ${o.quantity} px ${o.price ?? '-'} trig ${o.triggerPrice ?? '-'}`;
  switch (c.kind) {
    case 'submit':
      return `submit ${req(c.order)}`;
    case 'submit_list':
      return `list ${c.list.kind} ${c.list.parent === undefined ? '' : `parent ${req(c.list.parent)}; `}${c.list.legs.map(req).join('; ')}`;
    case 'cancel':
      return `cancel ${c.clientOrderId}`;
    case 'modify':
      return `modify ${c.clientOrderId} qty ${c.quantity} px ${c.price ?? '-'} trig ${c.triggerPrice ?? '-'}`;
  }
}

function reportText(r: VenueReport): string {
  switch (r.kind) {
    case 'fill':
      return `fill ${r.clientOrderId} ${r.quantity}@${r.price} ${r.tradeId}`;
    case 'rejected':
      return `rejected ${r.clientOrderId} ${r.code}`;
    case 'modified':
      return `modified ${r.clientOrderId} qty ${r.quantity} px ${r.price ?? '-'}`;
    default:
      return `${r.kind} ${r.clientOrderId}`;
  }
}

function sync(ts: number): SimInput['run'] {
  return (m) => {
    m.sync(ts);
    return undefined;
  };
}

function feed(md: MarketData): SimInput['run'] {
  return (m) => {
    m.feed(md);
    return undefined;
  };
}

function applyConfig(risk: RiskManager, c: RiskConfig): void {
  unwrap(risk.setLimits({ orderQtyMax: null, openOrdersMax: null, ...c.limits }));
  unwrap(risk.setTradingState(c.tradingState));
}

function engineView(oms: AdvancedOrderManager): EngineView {
  const st = oms.engine.state;
  return {
    nowMs: oms.nowMs,
    positionQty: (key) => oms.portfolio.positionQty(key),
    cash: (c) => oms.portfolio.cash('paper', c),
    order: (id) => {
      const o = st.orders.get(id);
      return o === undefined ? undefined : { filled: o.filled, quantity: o.quantity, status: o.status };
    },
    byClientId: (coid) => st.byClientId.get(coid),
  };
}

/** Everything a restart must bring back: orders, lists, fills, positions, cash, triggers. */
export function stateDigest(m: AdvancedOrderManager): string {
  const e = m.engine;
  return JSON.stringify(
    {
      orders: m.getOrders(),
      lists: [...e.state.lists.keys()].map((id) => m.getList(id as never)),
      armed: [...e.state.orders.values()].map((o) => [
        o.id,
        o.armKind,
        o.status === 'held' ? e.state.emulator.currentStop(o) : null,
        e.state.emulator.watermark(o) ?? null,
      ]),
      positions: m.portfolio.positions(),
      cash: m.portfolio.cashAll(),
      open: INSTRUMENTS.map((i) => [e.state.openQty(i.key, 'buy'), e.state.openQty(i.key, 'sell')]),
      live: e.state.liveOrders,
      fills: m.tradeLog.fills(),
      next: [e.state.nextOrderId, e.state.nextListId],
    },
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

/** The stops working for positions: id, status, quantity, filled, and where each stands. */
export function protectionDigest(m: AdvancedOrderManager): string {
  const em = m.engine.state.emulator;
  return JSON.stringify(
    [...m.engine.state.orders.values()]
      .filter(
        (o) =>
          (o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') &&
          o.status !== 'filled' &&
          o.status !== 'cancelled' &&
          o.status !== 'expired' &&
          o.status !== 'rejected' &&
          o.status !== 'denied',
      )
      .map((o) => [o.id, o.status, o.quantity, o.filled, o.triggerPrice ?? null, em.currentStop(o) ?? null]),
  );
}

function removeDb(db: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
}
