// The crash test: a child process runs a seeded paper session that uses every order type, with
// a SQLite journal; it is killed with SIGKILL at random points and restarted from the journal each
// time. The final state (orders, fills, positions, round trips, venue balances) must equal that of
// an uninterrupted run with the same seed; at every restart the recovered state must equal the
// uninterrupted run's state at the same input, so no order is lost or duplicated and every
// position protected before a kill is protected after it.
//
// ORDO_CRASH_KILLS sets the number of kills (default 30); ORDO_CRASH_INPUTS the session length.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SeededRandom } from '../src/core/ports.ts';
import { digest, runSession } from './support/crash-session.ts';

const KILLS = Number(process.env.ORDO_CRASH_KILLS ?? 30);
const INPUTS = Number(process.env.ORDO_CRASH_INPUTS ?? 40_000);
const SEED = 20261124;

const dir = mkdtempSync(join(tmpdir(), 'ordo-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface ChildRun {
  restored: { at: number; digest: string } | undefined;
  done: boolean;
  killed: boolean;
}

/**
 * When to kill a child: `ms` after it is spawned (during start-up and replay) or as soon as it
 * reports its recovery, whichever comes first, so that an early kill stays early however fast the
 * session runs; or once it reports having run `inputs` inputs past its recovery point (during the
 * session); or never.
 */
type KillPlan = { readonly ms: number } | { readonly inputs: number } | undefined;

function runChild(db: string, out: string, plan: KillPlan): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/crash-session.ts', db, String(SEED), String(INPUTS), out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const run: ChildRun = { restored: undefined, done: false, killed: false };
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (!run.killed) run.killed = child.kill('SIGKILL');
    };
    // A run that hangs is killed and fails the test rather than the whole suite.
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    if (plan !== undefined && 'ms' in plan) timer = setTimeout(kill, plan.ms);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const m = /^RESTORED (\d+) (.*)$/m.exec(stdout);
      if (m !== null && run.restored === undefined) {
        run.restored = { at: Number(m[1]), digest: m[2]! };
        if (plan !== undefined && 'ms' in plan) kill();
      }
      if (plan !== undefined && 'inputs' in plan && run.restored !== undefined) {
        // A line split between chunks is missed; the next comes 50 inputs later.
        const at = [...chunk.toString().matchAll(/^AT (\d+)$/gm)].pop();
        if (at !== undefined && Number(at[1]) >= run.restored.at + plan.inputs) kill();
      }
      if (/^DONE$/m.test(stdout)) run.done = true;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      if (signal === 'SIGKILL' && !run.done) run.killed = true;
      else if (code !== 0) return reject(new Error(`session exited with ${code}: ${stderr}`));
      resolve(run);
    });
  });
}

describe('crash recovery', () => {
  it(`survives ${KILLS} SIGKILLs with the state of an uninterrupted run`, async () => {
    // The uninterrupted run, recording the protection digest after every input.
    const digests = new Map<number, string>();
    const reference = runSession(join(dir, 'reference.db'), SEED, INPUTS, (m) =>
      digests.set(m.inputCount, JSON.stringify(digest(m))),
    );
    digests.set(0, JSON.stringify(reference.restoredDigest));

    const db = join(dir, 'crashed.db');
    const out = join(dir, 'crashed.json');
    const rnd = new SeededRandom(SEED);
    let kills = 0;
    let runs = 0;
    let lastRestore = -1;
    const restorePoints: number[] = [];
    for (;;) {
      runs++;
      const wantKill = kills < KILLS;
      // Mostly a kill at a random moment of the session; every fifth one during start-up and replay.
      const early = wantKill && rnd.nextInt(5) === 0;
      const run = await runChild(
        db,
        out,
        !wantKill ? undefined : early ? { ms: 50 + rnd.nextInt(600) } : { inputs: rnd.nextInt(2000) },
      );
      if (run.restored !== undefined) {
        const { at, digest: got } = run.restored;
        assert.ok(at >= lastRestore, `recovery went back from input ${lastRestore} to ${at}`);
        lastRestore = at;
        restorePoints.push(at);
        assert.equal(
          got,
          digests.get(at),
          `state recovered at input ${at} differs from the uninterrupted run`,
        );
      }
      if (run.killed) kills++;
      if (run.done) break;
      assert.ok(runs < KILLS * 4 + 20, 'the session never finishes');
    }
    assert.ok(kills >= KILLS, `only ${kills} kills`);
    const crashed = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(crashed, reference.state);
    const distinct = new Set(restorePoints).size;
    assert.ok(distinct >= KILLS / 3, `kills landed at only ${distinct} distinct points`);
    const s = reference.state as { orders: { type: string; role: string }[]; fills: unknown[] };
    for (const role of [
      'entry',
      'take_profit',
      'stop_loss',
      'oco_leg',
      'oto_parent',
      'oto_child',
      'scale_leg',
    ])
      assert.ok(
        s.orders.some((o) => o.role === role),
        `the session uses ${role}`,
      );
    assert.ok(s.orders.some((o) => o.type === 'trailing_stop'));
    assert.ok(s.fills.length > 50);
    process.stdout.write(
      `# crash test: ${kills} kills over ${runs} runs, ${distinct} distinct recovery points, ${s.fills.length} fills\n`,
    );
  });
});
