// The benchmark suite: `npm run bench` (about a minute) or `npm run bench -- --quick` (a few
// seconds, tiny sizes, for a smoke run). `--only=ticks,place,memory` runs a subset. Every figure
// is printed next to a baseline or peer measured in the same run; nothing here asserts a timing.
// Inputs are deterministic (seeded tape and orders); timings of course are not: to compare two
// versions of the placement path, `npm run bench:instructions` counts instructions instead.
//
// The suite re-runs itself under `node --expose-gc` so that it can collect garbage between
// measurements (and the memory benchmark starts a fresh process per size).

import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { runHttp } from './http-placement.ts';
import { benchPostgresJournal, printPostgresJournal } from './journal-postgres.ts';
import { benchSqliteJournal } from './journal-sqlite.ts';
import { count, nowMs, ratio, si, table } from './measure.ts';
import { benchMemory, type MemoryRow, printMemory } from './memory-bench.ts';
import {
  benchPlacement,
  type PlacementConfig,
  type PlacementRow,
  printPlacement,
} from './placement-bench.ts';
import { benchTicks, flatness, printTicks, type TicksConfig, type TicksResult } from './ticks-bench.ts';

export interface SuiteConfig {
  readonly quick: boolean;
  readonly seed: number;
  readonly ticks: TicksConfig;
  readonly placement: PlacementConfig;
  readonly memorySizes: readonly number[];
}

const SEED = 20_261_124;

export const FULL: SuiteConfig = {
  quick: false,
  seed: SEED,
  ticks: {
    sizes: [0, 10_000, 100_000, 1_000_000],
    tapeTicks: 500_000,
    seed: SEED,
    enginePasses: 5,
    naiveVisits: 100_000_000,
    naivePasses: 3,
    peerTicks: 100_000,
    peerPasses: 3,
  },
  placement: { limitOrders: 100_000, shallowOrders: 10_000, marketOrders: 50_000, reps: 3 },
  memorySizes: [100_000, 1_000_000],
};

export const QUICK: SuiteConfig = {
  quick: true,
  seed: SEED,
  ticks: {
    sizes: [0, 1_000, 10_000],
    tapeTicks: 20_000,
    seed: SEED,
    enginePasses: 3,
    naiveVisits: 2_000_000,
    naivePasses: 1,
    peerTicks: 5_000,
    peerPasses: 1,
  },
  placement: { limitOrders: 2_000, shallowOrders: 500, marketOrders: 1_000, reps: 1 },
  memorySizes: [10_000],
};

/** The issue's targets. */
export const TARGETS = {
  ticksPerSecondAt100k: 2_000_000,
  flatness: 0.85,
  placementsPerSecond: 500_000,
  bytesPerOrder: 250,
} as const;

export interface SuiteResult {
  ticks?: TicksResult;
  placement?: PlacementRow[];
  memory?: MemoryRow[];
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

function summary(r: SuiteResult, cfg: SuiteConfig, seconds: number): string {
  const lines: string[] = [];
  const row = (name: string, value: string, target: string, status: string) =>
    lines.push(
      `  ${name.padEnd(58)} ${value.padStart(10)}   ${target.padEnd(12)} ${cfg.quick && target !== '' ? `${status} (quick)` : status}`,
    );
  lines.push(
    `SUMMARY${cfg.quick ? ' (quick mode: tiny sizes, figures are not comparable with the targets)' : ''}`,
  );
  lines.push(`  ${'figure'.padEnd(58)} ${'measured'.padStart(10)}   ${'target'.padEnd(12)} status`);
  const t = r.ticks;
  if (t !== undefined) {
    const at = t.engine.find((e) => e.size === 100_000) ?? t.engine[t.engine.length - 1];
    const largest = t.engine[t.engine.length - 1];
    if (at !== undefined)
      row(
        `engine ticks/s at ${count(at.size)} resting (median)`,
        si(at.rate.median),
        `>= ${si(TARGETS.ticksPerSecondAt100k)}`,
        verdict(at.rate.median >= TARGETS.ticksPerSecondAt100k),
      );
    if (largest !== undefined) {
      const f = flatness(t.engine);
      row(
        `flatness: rate at ${count(largest.size)} / rate at 0`,
        f.toFixed(2),
        `>= ${TARGETS.flatness}`,
        verdict(f >= TARGETS.flatness),
      );
      row(
        `engine 1st pass at ${count(largest.size)} (incl. group merges)`,
        si(largest.firstPass),
        '',
        'info',
      );
      const naive = t.naive.find((n) => n.size === largest.size);
      if (naive !== undefined)
        row(
          `naive full scan ticks/s at ${count(largest.size)}`,
          si(naive.rate.median),
          '',
          `engine ${ratio(largest.rate.median / naive.rate.median)}x faster`,
        );
      const peer = t.peer.find((p) => p.size === largest.size);
      if (peer !== undefined)
        row(
          `nodejs-order-book ticks/s at ${count(largest.size)}`,
          si(peer.rate.median),
          '',
          `its flatness ${flatness(t.peer).toFixed(2)}`,
        );
      const fired = t.engine.reduce((n, e) => n + e.fired, 0);
      row('orders fired on the tape (all sizes)', String(fired), '0 by design', fired === 0 ? 'ok' : 'check');
    }
  }
  for (const p of r.placement ?? []) {
    const full = p.name.includes('full stack');
    row(
      `placements/s: ${p.name}, ${count(p.orders)}`,
      si(p.rate.median),
      full ? `>= ${si(TARGETS.placementsPerSecond)}` : '',
      full ? verdict(p.rate.median >= TARGETS.placementsPerSecond) : 'breakdown',
    );
  }
  for (const m of r.memory ?? []) {
    row(
      `bytes per resting order at ${count(m.size)}`,
      m.bytesPerOrder.toFixed(0),
      `<= ${TARGETS.bytesPerOrder}`,
      verdict(m.bytesPerOrder <= TARGETS.bytesPerOrder),
    );
    row(`  of which emulator index (Emulator.bytes())`, m.indexBytesPerOrder.toFixed(1), '', 'info');
  }
  lines.push(`  total run time ${seconds.toFixed(0)} s`);
  return lines.join('\n');
}

export function runSuite(
  cfg: SuiteConfig,
  only: ReadonlySet<string>,
  print: (s: string) => void,
): SuiteResult {
  const t0 = nowMs();
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  print(
    `Ordo benchmarks — node ${process.version}, ${cpus().length} × ${cpu}, seed ${cfg.seed}${cfg.quick ? ', QUICK' : ''}`,
  );
  print('');
  const r: SuiteResult = {};
  if (only.has('ticks')) {
    r.ticks = benchTicks(cfg.ticks);
    print(printTicks(r.ticks, cfg.ticks));
    print('');
  }
  if (only.has('place')) {
    r.placement = benchPlacement(cfg.placement);
    print(printPlacement(r.placement, cfg.placement));
    print('');
  }
  if (only.has('memory')) {
    r.memory = benchMemory(cfg.memorySizes, cfg.seed);
    print(printMemory(r.memory));
    print('');
  }
  print(summary(r, cfg, (nowMs() - t0) / 1000));
  return r;
}

/**
 * Benchmark 4: the journal. SQLite (group commit, synchronous NORMAL and FULL, and replay) and
 * PostgreSQL (batched group commit, on a throwaway local server), each next to the raw driver
 * writing the same rows in the same run. Asynchronous, so it runs after the others.
 */
export async function runJournal(quick: boolean, print: (s: string) => void): Promise<void> {
  const events = quick ? 20_000 : 200_000;
  const sqlite = await benchSqliteJournal({ events, reps: quick ? 1 : 3 });
  print(
    `4. Journal events per second — ${count(events)} fill events in 100-event batches, median of ${quick ? 1 : 3}`,
  );
  print('   SQLite (better-sqlite3, WAL) — targets: >= 300 k/s with group commit, >= 1 M/s replay');
  print(
    table(
      ['', 'events/s'],
      sqlite.rows.map((r) => [r.label, si(r.eventsPerSec)]),
    ),
  );
  print('');
  const pg = await benchPostgresJournal({ events: quick ? 10_000 : events, reps: quick ? 1 : 3 });
  if (pg === undefined) print('   PostgreSQL: SKIPPED — no PostgreSQL binaries on this machine');
  else {
    print('   PostgreSQL (pg, throwaway local server, fsync on) — target: >= 100 k/s');
    print(printPostgresJournal(pg.rows));
  }
  print('');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    // Re-run under --expose-gc (and with room for a million orders in each contender).
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=6144', ...process.execArgv, process.argv[1]!, ...args],
      { stdio: 'inherit' },
    );
    process.exit(r.status ?? 1);
  }
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only='));
  const only = new Set(
    onlyArg === undefined ? ['ticks', 'place', 'memory', 'journal', 'http'] : onlyArg.slice(7).split(','),
  );
  if (only.has('ticks') || only.has('place') || only.has('memory'))
    runSuite(quick ? QUICK : FULL, only, (s) => console.log(s));
  if (only.has('journal')) await runJournal(quick, (s) => console.log(s));
  if (only.has('http')) await runHttp(quick, (s) => console.log(s));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
