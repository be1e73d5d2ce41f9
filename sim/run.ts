// The simulator's command line: runs seeded histories through the real engine and the auditor.
//
//   npm run sim -- --seeds 2000 --from 1         2000 histories, seeds 1..2000
//   npm run sim -- --seeds 1 --from 1234 --verbose   one history, with its whole trace
//   npm run sim -- --long                        a million histories (or until Ctrl-C)
//   npm run sim -- --async --seeds 300           histories through the VenueBridge and reconciliation
//   options: --steps N (market steps per history: default 60, and 30 for --async), --dir PATH (journal files)
//
// Prints histories per second, invariants checked, and each failing seed with the one-line
// command that replays exactly that history. Exits 1 when any history failed.

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runAsyncHistory } from './async-history.ts';
import type { InvariantName } from './auditor.ts';
import { type HistoryResult, runHistory } from './history.ts';

interface Args {
  async: boolean;
  seeds: number;
  from: number;
  steps: number;
  /** Whether --steps was given (asynchronous histories have a default of their own). */
  stepsGiven: boolean;
  verbose: boolean;
  long: boolean;
  dir: string;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    async: false,
    seeds: 100,
    from: 1,
    steps: 60,
    stepsGiven: false,
    verbose: false,
    long: false,
    dir: existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${k} needs a whole number, got ${v}`);
      i++;
      return n;
    };
    if (k === '--seeds') a.seeds = num();
    else if (k === '--from') a.from = num();
    else if (k === '--steps') {
      a.steps = num();
      a.stepsGiven = true;
    } else if (k === '--verbose') a.verbose = true;
    else if (k === '--long') a.long = true;
    else if (k === '--async') a.async = true;
    else if (k === '--dir') {
      a.dir = v ?? a.dir;
      i++;
    } else
      throw new Error(`unknown option ${k} (known: --seeds --from --steps --verbose --long --async --dir)`);
  }
  if (a.long) a.seeds = 1_000_000;
  return a;
}

/** The command that replays one history exactly. */
export function replayCommand(seed: number, steps: number): string {
  return `npm run sim -- --seeds 1 --from ${seed}${steps === 60 ? '' : ` --steps ${steps}`} --verbose`;
}

export function failed(r: HistoryResult): boolean {
  return r.crash !== undefined || r.violations.length > 0;
}

/** The asynchronous histories (sim/async-history.ts): the bridge and reconciliation under faults. */
async function mainAsync(args: Args): Promise<void> {
  const t0 = process.hrtime.bigint();
  let checks = 0;
  let fills = 0;
  let failed = 0;
  let n = 0;
  for (let seed = args.from; seed < args.from + args.seeds; seed++, n++) {
    const r = await runAsyncHistory(seed, args.stepsGiven ? args.steps : undefined);
    checks += r.checks;
    fills += r.fills;
    if (r.problems.length > 0) {
      failed++;
      console.log(`FAILED seed ${seed}: ${r.problems.slice(0, 5).join('; ')}`);
      console.log(
        `  replay: npm run sim -- --async --seeds 1 --from ${seed}${args.stepsGiven ? ` --steps ${args.steps}` : ''}`,
      );
    }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `${n} asynchronous histories in ${secs.toFixed(1)} s (${(n / secs).toFixed(1)}/s), ${fills} venue fills, ${checks} end checks, ${failed} failed`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.async) {
    void mainAsync(args);
    return;
  }
  const checks = new Map<InvariantName, number>();
  let histories = 0;
  let inputs = 0;
  let events = 0;
  let restarts = 0;
  let races = 0;
  const failures: HistoryResult[] = [];
  let stop = false;
  process.on('SIGINT', () => {
    stop = true;
  });
  const t0 = process.hrtime.bigint();
  let lastReport = Date.now();
  const report = (final: boolean) => {
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    let total = 0;
    for (const n of checks.values()) total += n;
    const line = `${histories} histories in ${secs.toFixed(1)} s (${(histories / secs).toFixed(1)}/s), ${inputs} inputs, ${events} events, ${restarts} restarts, ${total} invariant checks, ${failures.length} failed`;
    console.log(line);
    if (final) {
      for (const [name, n] of [...checks].sort((x, y) => x[0].localeCompare(y[0])))
        console.log(`  ${name.padEnd(28)} ${n}`);
      console.log(`  linked-list double fills latency allowed (not failures): ${races}`);
    }
  };
  for (let seed = args.from; seed < args.from + args.seeds && !stop; seed++) {
    // A turn of the event loop between histories, so that Ctrl-C (SIGINT) reaches the handler
    // above and the run stops with its report instead of not at all.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const r = runHistory({ seed, steps: args.steps, dir: args.dir, keepTrace: args.verbose });
    histories++;
    inputs += r.inputs;
    events += r.events;
    restarts += r.restarts;
    races += r.linkedRaces;
    for (const [k, n] of r.checks) checks.set(k, (checks.get(k) ?? 0) + n);
    if (args.verbose) for (const line of r.trace) console.log(line);
    if (failed(r)) {
      failures.push(r);
      console.log(`FAILED seed ${r.seed}: ${r.crash?.split('\n')[0] ?? ''}`);
      for (const v of r.violations.slice(0, 5)) console.log(`  input ${v.input} ${v.invariant}: ${v.detail}`);
      console.log(`  replay: ${replayCommand(r.seed, args.steps)}`);
    }
    if (args.long && Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      report(false);
    }
  }
  report(true);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith('run.ts')) void main();
