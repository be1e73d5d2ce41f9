// Benchmark 1: ticks per second with 0 … 1M resting emulated orders on one symbol, for the engine
// (OrderEngine.onMarket), the naive full-scan baseline and nodejs-order-book, all on the same
// pre-generated tape and the same orders. Placement is never timed; a warm-up run on a throwaway
// engine lets the JIT settle before the first measured size, so the rate at 0 orders is not
// understated (which would flatter the flatness figure).

import type { OrderEngine } from '../src/engine/engine.ts';
import type { TradeTick } from '../src/model/market.ts';
import { loadedEngine, placementSchedule } from './emulated-engine.ts';
import {
  collect,
  count,
  nowMs,
  perSecond,
  ratio,
  repeatRate,
  type Samples,
  si,
  summarize,
  table,
} from './measure.ts';
import { NaiveBook } from './naive-book.ts';
import { PeerBook } from './peer-order-book.ts';
import { BAND, makeTape, type Tape } from './tape.ts';

export interface TicksConfig {
  readonly sizes: readonly number[];
  readonly tapeTicks: number;
  readonly seed: number;
  /** Timed passes over the whole tape per size; the first is reported on its own. */
  readonly enginePasses: number;
  /** The naive baseline scans at most this many orders per pass (ticks × orders). */
  readonly naiveVisits: number;
  readonly naivePasses: number;
  /** The peer replays this many ticks of the tape per pass. */
  readonly peerTicks: number;
  readonly peerPasses: number;
}

export interface EngineTicksRow {
  readonly size: number;
  readonly placeMs: number;
  /** The first pass after placing also merges the watermark groups built while placing. */
  readonly firstPass: number;
  /** Later passes (the steady state); the median is the headline. */
  readonly rate: Samples;
  readonly fired: number;
  readonly indexBytes: number;
}

export interface NaiveTicksRow {
  readonly size: number;
  readonly ticks: number;
  readonly rate: Samples;
  readonly fired: number;
}

export interface PeerTicksRow {
  readonly size: number;
  readonly ticks: number;
  readonly placeMs: number;
  readonly rate: Samples;
  readonly activated: number;
}

export interface TicksResult {
  readonly tape: Tape;
  readonly engine: readonly EngineTicksRow[];
  readonly naive: readonly NaiveTicksRow[];
  readonly peer: readonly PeerTicksRow[];
}

export function tapeFor(cfg: TicksConfig): Tape {
  return makeTape({ ticks: cfg.tapeTicks, seed: cfg.seed, volatilityTicks: 60 });
}

/** One timed pass of the tape through `engine.onMarket`; a direct method call, no closure. */
function replayEngine(engine: OrderEngine, ticks: readonly TradeTick[]): number {
  const t0 = nowMs();
  for (let i = 0; i < ticks.length; i++) engine.onMarket(ticks[i]!);
  return perSecond(ticks.length, nowMs() - t0);
}

export function benchEngineTicks(cfg: TicksConfig, tape: Tape): EngineTicksRow[] {
  const ticks = tape.ticks;
  // JIT warm-up on a throwaway engine with both empty and loaded books.
  for (const n of [0, Math.min(10_000, Math.max(...cfg.sizes))]) {
    const { engine } = loadedEngine(n, cfg.seed + 1);
    for (let r = 0; r < 3; r++) replayEngine(engine, ticks);
  }
  const rows: EngineTicksRow[] = [];
  for (const size of cfg.sizes) {
    // Garbage (the warm-up's, the previous size's engine) is collected before placing, never
    // between placing and timing; placement garbage does not trigger a GC during the passes
    // because a quiet tick allocates nothing. The first timed pass after a forced GC can still be
    // slower for reasons unrelated to the engine (up to 2x at 0 orders in some runs), which is one
    // more reason it is reported apart and the headline is the median of the later passes.
    collect();
    const loaded = loadedEngine(size, cfg.seed);
    const engine = loaded.engine;
    const firstPass = replayEngine(engine, ticks);
    let fired = loaded.firedWhilePlacing + engine.drainCommands().length;
    const rate = repeatRate(Math.max(1, cfg.enginePasses - 1), () => {
      const r = replayEngine(engine, ticks);
      fired += engine.drainCommands().length;
      return r;
    });
    rows.push({
      size,
      placeMs: loaded.placeMs,
      firstPass,
      rate,
      fired,
      indexBytes: engine.state.emulator.bytes(),
    });
  }
  return rows;
}

export function benchNaiveTicks(cfg: TicksConfig, tape: Tape): NaiveTicksRow[] {
  const rows: NaiveTicksRow[] = [];
  const warm = naiveBook(Math.min(1000, Math.max(...cfg.sizes)), cfg.seed + 1);
  for (const t of tape.ticks.slice(0, 2000)) warm.onPrice(t.price);
  for (const size of cfg.sizes) {
    collect();
    const book = naiveBook(size, cfg.seed);
    const n = Math.min(tape.ticks.length, Math.max(20, Math.ceil(cfg.naiveVisits / Math.max(1, size))));
    const ticks = tape.ticks.slice(0, n);
    const rate = repeatRate(cfg.naivePasses, () => {
      const t0 = nowMs();
      for (let i = 0; i < ticks.length; i++) book.onPrice(ticks[i]!.price);
      return perSecond(ticks.length, nowMs() - t0);
    });
    rows.push({ size, ticks: n, rate, fired: book.fired });
  }
  return rows;
}

function naiveBook(size: number, seed: number): NaiveBook {
  const book = new NaiveBook();
  // The naive book is not fed the warm-up ticks (a full scan each would dominate the run): a
  // trailing stop starts from the price at which it was placed, which changes no trigger.
  placementSchedule(
    size,
    seed,
    () => {},
    (o, _i, price) => book.add(o, price),
  );
  return book;
}

export function benchPeerTicks(cfg: TicksConfig, tape: Tape): PeerTicksRow[] {
  const rows: PeerTicksRow[] = [];
  const ticks = tape.ticks.slice(0, Math.min(cfg.peerTicks, tape.ticks.length));
  const warm = peerBook(Math.min(1000, Math.max(...cfg.sizes)), cfg.seed + 1).book;
  for (const t of ticks) warm.onPrice(t.price);
  for (const size of cfg.sizes) {
    collect();
    const { book, placeMs } = peerBook(size, cfg.seed);
    // The peer allocates on every tick, so its passes run the GC: collect the placement garbage
    // first so that it is not charged to them, then let the young generation grow back (a forced
    // full GC shrinks it) with an untimed pass before timing.
    const before = book.activated;
    collect();
    for (let i = 0; i < ticks.length; i++) book.onPrice(ticks[i]!.price);
    const all: number[] = [];
    for (let r = 0; r < cfg.peerPasses; r++) {
      const t0 = nowMs();
      for (let i = 0; i < ticks.length; i++) book.onPrice(ticks[i]!.price);
      all.push(perSecond(ticks.length, nowMs() - t0));
    }
    rows.push({
      size,
      ticks: ticks.length,
      placeMs,
      rate: summarize(all, 'high'),
      activated: book.activated - before,
    });
  }
  return rows;
}

function peerBook(size: number, seed: number): { book: PeerBook; placeMs: number } {
  const t0 = nowMs();
  let book: PeerBook | undefined;
  placementSchedule(
    size,
    seed,
    (t) => {
      if (book === undefined) book = new PeerBook(t.price);
      else book.onPrice(t.price);
    },
    (o, _i, price) => book!.add(o, price),
  );
  return { book: book ?? new PeerBook(BAND.start), placeMs: nowMs() - t0 };
}

export function benchTicks(cfg: TicksConfig): TicksResult {
  const tape = tapeFor(cfg);
  const engine = benchEngineTicks(cfg, tape);
  const naive = benchNaiveTicks(cfg, tape);
  const peer = benchPeerTicks(cfg, tape);
  return { tape, engine, naive, peer };
}

/** Rate at the largest size over the rate at 0 (or the smallest size). */
export function flatness(rows: readonly { size: number; rate: Samples }[]): number {
  const first = rows[0];
  const last = rows[rows.length - 1];
  return first === undefined || last === undefined ? Number.NaN : last.rate.median / first.rate.median;
}

export function printTicks(r: TicksResult, cfg: TicksConfig): string {
  const t = r.tape;
  const lines: string[] = [];
  lines.push(
    '1. Ticks per second with N resting emulated orders (one symbol, trades on the last-price stream)',
  );
  lines.push(
    `   tape: ${t.ticks.length} trades, seeded bounded mean-reverting walk, range ${t.low}..${t.high} cents, ` +
      `max drawdown ${t.maxDrawdown}, max run-up ${t.maxRunup} (every trailing offset is > ${BAND.high - BAND.low})`,
  );
  lines.push(
    '   orders: 30% buy stops above / 30% sell stops below the band, 20% sell + 20% buy trailing stops ' +
      '(3/4 price, 1/4 percent offsets), placed through OrderEngine.place between 1000 warm-up ticks',
  );
  lines.push(
    `   method: engine = median of ${Math.max(1, cfg.enginePasses - 1)} passes after a separate first pass ` +
      `(which also merges the watermark groups built while placing); naive and peer = median of ` +
      `${cfg.naivePasses}/${cfg.peerPasses} passes. Placement is not timed.`,
  );
  const naive = new Map(r.naive.map((n) => [n.size, n]));
  const peer = new Map(r.peer.map((p) => [p.size, p]));
  const base = r.engine[0]?.rate.median ?? Number.NaN;
  const rows = r.engine.map((e) => {
    const n = naive.get(e.size);
    const p = peer.get(e.size);
    return [
      count(e.size),
      si(e.rate.median),
      si(e.rate.best),
      si(e.firstPass),
      (e.rate.median / base).toFixed(2),
      String(e.fired),
      n === undefined ? '-' : si(n.rate.median),
      n === undefined ? '-' : String(n.ticks),
      n === undefined ? '-' : ratio(e.rate.median / n.rate.median),
      p === undefined ? '-' : si(p.rate.median),
      p === undefined ? '-' : String(p.activated),
      (e.placeMs / 1000).toFixed(1),
    ];
  });
  lines.push('');
  lines.push(
    table(
      [
        'resting',
        'engine/s',
        'best',
        '1st pass',
        'vs 0',
        'fired',
        'naive/s',
        'naive ticks',
        'engine÷naive',
        'peer/s',
        'peer fired',
        'place s',
      ],
      rows,
    ),
  );
  lines.push('');
  lines.push(
    `   flatness (rate at ${count(r.engine[r.engine.length - 1]?.size ?? 0)} ÷ rate at 0): engine ${flatness(r.engine).toFixed(2)}, ` +
      `naive ${ratio(flatness(r.naive))}, nodejs-order-book ${flatness(r.peer).toFixed(2)}`,
  );
  lines.push(
    '   naive: one array of order objects, every tick scans it all (watermarks, stops, trigger checks); ' +
      'capped at ~' +
      `${si(cfg.naiveVisits)} order visits per pass.`,
  );
  lines.push(
    `   peer: nodejs-order-book holds the same number of stop-market orders (no trailing stops: those rest ` +
      `at a fixed stop); each tick is a 1-lot maker + 1-lot market order printing at the tick's price ` +
      `(${r.peer[0]?.ticks ?? 0} ticks per pass). Its absolute rate includes that matching; compare its flatness.`,
  );
  return lines.join('\n');
}
