// Instructions per placement: the placement benchmark's workloads counted by valgrind (callgrind)
// instead of timed. Wall-clock rates on a shared machine drift by a third from one hour to the
// next; an instruction count does not, so this is the figure to compare two versions of the code
// by. `npm run bench:instructions` (about seven minutes; needs valgrind, and says so without it).
//
// Each workload runs in a child `node --predictable` (single-threaded, no time-based heuristics:
// the same count on every run) under callgrind, twice: with FEW and with MANY sessions of ORDERS
// placements each. The difference, divided by the extra placements, is the steady-state cost of
// one placement with its share of garbage collection; start-up, module loading, compilation of
// the first runs, building the orders and the warm-up cancel out (each session's construction
// is counted: one per 10k placements). The bare engine is the baseline, counted in the same
// run. Counts are of the x86-64 instructions this machine's Node executes; another Node version
// or CPU gives other numbers, so compare figures from one machine.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, table } from './measure.ts';
import {
  FULL_STACK_LIMIT,
  FULL_STACK_MARKET,
  limitSpecs,
  marketSpecs,
  placeAll,
  placeBare,
  placementSession,
} from './placement-bench.ts';

const ORDERS = 10_000;
const FEW = 4;
/**
 * Enough sessions for the collector's work to even out: where collections fall moves with any
 * change to the code, and with 16 sessions the bare engine read 4.1k and 4.7k instructions across
 * edits that did not touch it.
 */
const MANY = 28;

interface Workload {
  readonly name: string;
  /** Builds the orders (once: not counted) and returns one session's run. */
  readonly prepare: () => () => void;
}

const WORKLOADS: Record<string, Workload> = {
  limit: {
    name: FULL_STACK_LIMIT,
    prepare: () => {
      const specs = limitSpecs(ORDERS);
      return () => placeAll(placementSession(true), specs);
    },
  },
  market: {
    name: FULL_STACK_MARKET,
    prepare: () => {
      const specs = marketSpecs(ORDERS);
      return () => placeAll(placementSession(true), specs);
    },
  },
  acknowledging: {
    name: 'limit, acknowledging venue (no paper venue)',
    prepare: () => {
      const specs = limitSpecs(ORDERS);
      return () => placeAll(placementSession(true, true), specs);
    },
  },
  bare: {
    name: 'limit, bare OrderEngine.place (baseline)',
    prepare: () => {
      const specs = limitSpecs(ORDERS);
      return () => placeBare(specs);
    },
  },
};

/** In the child: a warm-up of two sessions, then `sessions` more. */
function child(key: string, sessions: number): void {
  const w = WORKLOADS[key];
  if (w === undefined) throw new Error(`unknown workload ${key}`);
  const run = w.prepare();
  for (let i = 0; i < 2 + sessions; i++) run();
}

/** Instructions one child run executed, as callgrind counts them. */
function counted(key: string, sessions: number, dir: string): Promise<number> {
  const out = join(dir, `${key}.${sessions}.out`);
  const args = [
    '--tool=callgrind',
    `--callgrind-out-file=${out}`,
    process.execPath,
    '--predictable',
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--child',
    key,
    String(sessions),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      const m = /Collected : (\d+)/.exec(err);
      if (code !== 0 || m === null)
        reject(new Error(`callgrind run of ${key} failed (exit ${code}):\n${err}`));
      else resolve(Number(m[1]));
    });
  });
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.log('valgrind is not installed: instruction counts skipped (apt-get install valgrind)');
    return;
  }
  // One uncounted child first: tsx keeps what it compiles in a cache, and a counted run that found
  // it cold would count the compiling of every module.
  const warm = spawnSync(process.execPath, [
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--child',
    'bare',
    '0',
  ]);
  if (warm.status !== 0) throw new Error(`warm-up child failed: ${warm.stderr.toString()}`);
  const dir = mkdtempSync(join(tmpdir(), 'ordo-instructions-'));
  const rows: { name: string; perPlacement: number }[] = [];
  try {
    // Two children at a time: one per core of the machine this was written on.
    for (const key of Object.keys(WORKLOADS)) {
      const [few, many] = await Promise.all([counted(key, FEW, dir), counted(key, MANY, dir)]);
      rows.push({ name: WORKLOADS[key]!.name, perPlacement: (many - few) / ((MANY - FEW) * ORDERS) });
      console.error(`counted ${key}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = rows.find((r) => r.name.includes('baseline'))!.perPlacement;
  console.log(
    `Instructions per placement (callgrind, node --predictable; sessions of ${count(ORDERS)} orders, ` +
      `${MANY} sessions less ${FEW})\n`,
  );
  console.log(
    table(
      ['workload', 'instructions/placement', 'x bare engine'],
      rows.map((r) => [
        r.name,
        Math.round(r.perPlacement).toLocaleString('en'),
        (r.perPlacement / base).toFixed(2),
      ]),
    ),
  );
}

if (process.argv[2] === '--child') child(process.argv[3]!, Number(process.argv[4]));
else await main();
