// Two real processes compete for one account's lease on a real PostgreSQL server. Each runs
// test/support/lease-worker.ts: it waits for the lease, then appends 10-event batches that carry
// its name and epoch. The test lets one of them own the account, kills it with SIGKILL in the
// middle of its appends, and checks that the other takes over once the lease expires (within
// ttl + one poll, and not before the lease could have expired), continues with a higher epoch,
// and that the journal read back is one gap-free, verified run per owner, never interleaved, and
// holds every batch the killed owner reported as written. Skips, saying so loudly, when the
// machine has no PostgreSQL binaries.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PostgresJournal } from '../src/journal/postgres-journal.ts';
import { findPostgresBinaries, type PostgresServer, startPostgres } from './support/postgres.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(ROOT, 'test', 'support', 'lease-worker.ts');
const TTL_MS = 1000;
/** The lease module's default poll: ttl / 5. */
const POLL_MS = TTL_MS / 5;
/** Room for process scheduling and pipes on a slow CI machine. */
const SLACK_MS = 1000;
/** Workers stop by themselves after this long, whatever happens to the test. */
const WORKER_LIFETIME_MS = 30_000;
const BATCH_EVENTS = 10;

const skip = findPostgresBinaries() === undefined ? 'PostgreSQL binaries not found' : false;
if (skip !== false)
  console.warn('SKIPPED: PostgreSQL not installed — the two-process lease test on PostgreSQL did not run');

interface Line {
  readonly text: string;
  readonly atMs: number;
}

/** A worker process and the lines it printed, each with the time it arrived. */
class Worker {
  readonly lines: Line[] = [];
  readonly exited: Promise<number | null>;
  readonly process: ChildProcess;
  private readonly stderr: string[] = [];

  constructor(
    readonly name: string,
    url: string,
    account: string,
  ) {
    this.process = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, url, account, name, String(TTL_MS), String(WORKER_LIFETIME_MS)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    createInterface({ input: this.process.stdout! }).on('line', (text) =>
      this.lines.push({ text, atMs: performance.now() }),
    );
    this.process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
  }

  /** The first line matching `re` that arrived at or after `sinceMs`. */
  find(re: RegExp, sinceMs = 0): { match: RegExpMatchArray; atMs: number } | undefined {
    for (const line of this.lines) {
      const match = line.atMs >= sinceMs ? re.exec(line.text) : null;
      if (match !== null) return { match, atMs: line.atMs };
    }
    return undefined;
  }

  count(re: RegExp): number {
    return this.lines.filter((l) => re.test(l.text)).length;
  }

  describe(): string {
    return `${this.name} printed:\n${this.lines.map((l) => `  ${l.text}`).join('\n')}\nstderr:\n${this.stderr.join('')}`;
  }
}

/** Polls `probe` until it returns a value; fails with `what` after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a lease across two processes on PostgreSQL', { skip }, () => {
  let server: PostgresServer | undefined;
  const workers: Worker[] = [];

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    for (const w of workers) if (w.process.exitCode === null) w.process.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await server?.stop();
  });

  it('one process appends at a time; after its owner is killed the other takes over with a higher epoch', {
    timeout: 90_000,
  }, async (t) => {
    const url = server!.url;
    const account = 'two-process';
    const a = new Worker('alpha', url, account);
    const b = new Worker('beta', url, account);
    workers.push(a, b);
    const report = () => `${a.describe()}\n${b.describe()}`;
    try {
      const acquired = /^acquired owner=(\w+) epoch=(\d+)/;
      const owner = await until('one worker to acquire the lease', 30_000, () =>
        a.find(acquired) !== undefined ? a : b.find(acquired) !== undefined ? b : undefined,
      );
      const other = owner === a ? b : a;
      const firstEpoch = Number(owner.find(acquired)!.match[2]);
      await until('the owner to append 5 batches', 10_000, () =>
        owner.count(/^appended /) >= 5 ? true : undefined,
      );
      await until('the other worker to wait', 10_000, () => other.find(/^waiting /));
      assert.equal(other.find(acquired), undefined, 'the lease was held, yet the other worker acquired it');
      assert.equal(other.count(/^appended /), 0, 'the other worker appended while the owner held the lease');

      const killedAtMs = performance.now();
      owner.process.kill('SIGKILL');
      await owner.exited;
      const lastOwnerSeq = Math.max(
        ...owner.lines
          .map((l) => /^appended .* seq=(\d+)/.exec(l.text))
          .map((m) => (m === null ? 0 : Number(m[1]))),
      );

      const takeover = await until('the other worker to take over', TTL_MS + POLL_MS + 10_000, () =>
        other.find(acquired),
      );
      const takeoverMs = takeover.atMs - killedAtMs;
      const secondEpoch = Number(takeover.match[2]);
      assert.ok(
        takeoverMs <= TTL_MS + POLL_MS + SLACK_MS,
        `took over ${Math.round(takeoverMs)} ms after the kill; the bound is ttl + poll + slack = ${TTL_MS + POLL_MS + SLACK_MS} ms`,
      );
      // The dead owner's last heartbeat was at most ttl/3 before the kill: the lease had to run out.
      assert.ok(
        takeoverMs >= (TTL_MS * 2) / 3 - 100,
        `took over ${Math.round(takeoverMs)} ms after the kill, before the lease could have expired`,
      );
      assert.ok(secondEpoch > firstEpoch, `epoch ${secondEpoch} after ${firstEpoch}`);
      t.diagnostic(
        `${owner.name} (epoch ${firstEpoch}) killed; ${other.name} took over ${Math.round(takeoverMs)} ms later at epoch ${secondEpoch}`,
      );

      await until('the new owner to append 5 batches', 10_000, () =>
        other.count(/^appended /) >= 5 ? true : undefined,
      );
      other.process.kill('SIGTERM');
      assert.equal(await other.exited, 0, 'the new owner stops cleanly on SIGTERM');
      assert.ok(other.find(/^stopped /) !== undefined);

      const journal = await PostgresJournal.open(url, { account });
      try {
        const report = await journal.verify();
        assert.deepEqual(report.problems, []);
        assert.ok(report.ok);
        // Who wrote each event, in journal order, collapsed into runs.
        const runs: { writer: string; epoch: number; events: number; lastSeq: number }[] = [];
        for await (const { seq, event } of journal.read()) {
          assert.equal(event.type, 'watermark_moved');
          if (event.type !== 'watermark_moved') continue;
          const run = runs[runs.length - 1];
          if (run !== undefined && run.writer === event.instrument && run.epoch === event.price) {
            run.events += 1;
            run.lastSeq = seq;
          } else runs.push({ writer: event.instrument, epoch: event.price, events: 1, lastSeq: seq });
        }
        assert.deepEqual(
          runs.map((r) => [r.writer, r.epoch]),
          [
            [owner.name, firstEpoch],
            [other.name, secondEpoch],
          ],
          'one run per owner, never interleaved',
        );
        for (const run of runs) assert.equal(run.events % BATCH_EVENTS, 0, 'whole batches only');
        assert.ok(
          runs[0]!.lastSeq >= lastOwnerSeq,
          `the killed owner reported seq ${lastOwnerSeq} as written, the journal ends its run at ${runs[0]!.lastSeq}`,
        );
        assert.equal(runs[1]!.lastSeq, report.lastSeq);
        assert.equal(report.events, report.lastSeq);
      } finally {
        await journal.close();
      }
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${report()}`, { cause: e });
    }
  });
});
