// The PostgreSQL journal against a real, throwaway PostgreSQL server (test/support/postgres.ts),
// one for the whole file: the shared journal contract (with tamper hooks that edit rows through
// a separate connection), then what only a shared server has — schema creation racing between
// openers, group commit, two writers on one account, and leases (acquire, heartbeat, expiry,
// takeover, fencing). Every test writes its own account, so tests never see each other's rows.
// Skips, saying so loudly, when PostgreSQL is not installed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { findPostgresBinaries, type PostgresServer, startPostgres } from '../../test/support/postgres.ts';
import type { OrdoEvent } from '../engine/events.ts';
import type { JournalBatch } from '../engine/journal-port.ts';
import { chainChecksum } from './event-codec.ts';
import { type JournalTamper, journalContract } from './journal-contract.ts';
import { PostgresJournal } from './postgres-journal.ts';
import { LeaseError, PostgresLease } from './postgres-lease.ts';
import { ACCOUNT_DEFAULT, ORDO_VERSION, SCHEMA_VERSION } from './schema.ts';

const skip = findPostgresBinaries() === undefined ? 'PostgreSQL binaries not found' : false;
if (skip !== false)
  console.warn('SKIPPED: PostgreSQL not installed — journal tests on PostgreSQL did not run');

let server: PostgresServer | undefined;
let admin: pg.Pool | undefined;
let accounts = 0;

/** A name no other test uses. */
function freshAccount(what: string): string {
  accounts += 1;
  return `${what}-${accounts}`;
}

function url(): string {
  return server!.url;
}

/** A new, empty database on the test server, for tests about the schema itself. */
async function freshDatabase(what: string): Promise<string> {
  const name = `ordo_${what}_${++accounts}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  return url().replace(/\/postgres$/, `/${name}`);
}

/** `n` events that say who wrote them: instrument = writer, price = the event's index in the batch. */
function batch(writer: string, n: number, ts = 1_700_000_000_000): JournalBatch {
  const events: OrdoEvent[] = [];
  for (let i = 0; i < n; i++)
    events.push({ type: 'watermark_moved', ts: ts + i, instrument: writer, stream: 'last', price: i });
  return { events };
}

async function readAll(journal: PostgresJournal, afterSeq = 0) {
  const out: { seq: number; event: OrdoEvent }[] = [];
  for await (const entry of journal.read(afterSeq)) out.push(entry);
  return out;
}

/** Asserts each writer's batches landed whole: runs of `size` events with prices 0..size-1. */
function assertWholeBatches(
  entries: readonly { seq: number; event: OrdoEvent }[],
  size: number,
): Map<string, number> {
  const perWriter = new Map<string, number>();
  entries.forEach(({ seq, event }, i) => {
    assert.equal(seq, i + 1, 'seqs run 1..n without a gap');
    assert.equal(event.type, 'watermark_moved');
    if (event.type !== 'watermark_moved') return;
    assert.equal(event.price, i % size, `event ${seq} is not where its batch put it`);
    if (i % size !== 0)
      assert.equal(event.instrument, (entries[i - 1]!.event as { instrument: string }).instrument);
    else perWriter.set(event.instrument, (perWriter.get(event.instrument) ?? 0) + 1);
  });
  return perWriter;
}

function hasCode(code: string) {
  return (e: unknown): boolean => {
    assert.equal((e as { code?: string }).code, code, `expected ${code}, got ${(e as Error).message}`);
    return true;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// One server for the whole file, started before the first test and stopped after the last.
before(async () => {
  if (skip !== false) return;
  server = await startPostgres();
  admin = new pg.Pool({ connectionString: url(), max: 2 });
});

after(async () => {
  await admin?.end();
  await server?.stop();
});

/** Edits rows behind the journal's back, through the test's own connection. */
function postgresTamper(account: string): JournalTamper {
  const changeOne = async (sql: string, ...values: unknown[]): Promise<void> => {
    const r = await admin!.query(sql, values);
    assert.equal(r.rowCount, 1, `${sql} changed ${r.rowCount} rows`);
  };
  return {
    rewritePayload: (seq, payload) =>
      changeOne('UPDATE ordo_events SET payload = $1 WHERE account = $2 AND seq = $3', payload, account, seq),
    deleteRow: (seq) => changeOne('DELETE FROM ordo_events WHERE account = $1 AND seq = $2', account, seq),
    checkpointSeqs: async () =>
      (
        await admin!.query('SELECT seq FROM ordo_checkpoints WHERE account = $1 ORDER BY seq', [account])
      ).rows.map((r: { seq: string | number }) => Number(r.seq)),
    setSchemaVersion: (version) =>
      changeOne("UPDATE ordo_meta SET value = $1 WHERE key = 'schema_version'", String(version)),
  };
}

if (skip === false)
  journalContract('PostgresJournal', async ({ account }) =>
    Object.assign(await PostgresJournal.open(url(), { account }), {
      tamper: postgresTamper(account ?? ACCOUNT_DEFAULT),
    }),
  );
else it('Journal contract: PostgresJournal', { skip }, () => {});

describe('PostgresJournal on a real PostgreSQL server', { skip }, () => {
  describe('schema', () => {
    it('is created once when several processes open an empty database at once', async () => {
      const db = await freshDatabase('race');
      const journals = await Promise.all(
        Array.from({ length: 6 }, (_, i) => PostgresJournal.open(db, { account: `a${i}` })),
      );
      await Promise.all(journals.map((j, i) => j.append(batch(`a${i}`, 1))));
      const check = new pg.Client({ connectionString: db });
      await check.connect();
      try {
        const meta = await check.query<{ key: string; value: string }>(
          'SELECT key, value FROM ordo_meta ORDER BY key',
        );
        assert.deepEqual(meta.rows, [
          { key: 'created_by', value: ORDO_VERSION },
          { key: 'schema_version', value: String(SCHEMA_VERSION) },
        ]);
      } finally {
        await check.end();
      }
      for (const j of journals) assert.equal(await j.lastSeq(), 1);
      await Promise.all(journals.map((j) => j.close()));
    });

    it('refuses a database written by a newer Ordo, naming both versions', async () => {
      const db = await freshDatabase('newer');
      await (await PostgresJournal.open(db)).close();
      const newer = SCHEMA_VERSION + 1;
      const c = new pg.Client({ connectionString: db });
      await c.connect();
      await c.query("UPDATE ordo_meta SET value = $1 WHERE key = 'schema_version'", [String(newer)]);
      await c.end();
      await assert.rejects(PostgresJournal.open(db), (e: Error) => {
        hasCode('schema_too_new')(e);
        assert.match(e.message, new RegExp(`version ${newer}\\b`));
        assert.match(e.message, new RegExp(`version ${SCHEMA_VERSION}\\b`));
        return true;
      });
    });
  });

  describe('group commit', () => {
    it('writes concurrent appends in shared commits, each resolved once committed, gap-free', async () => {
      const account = freshAccount('group');
      const journal = await PostgresJournal.open(url(), { account });
      const other = await PostgresJournal.open(url(), { account });
      try {
        const appends: Promise<void>[] = [];
        for (let k = 0; k < 50; k++) appends.push(journal.append(batch(`b${k}`, 5)));
        // A second wave while the first commit is in flight: it queues and shares the next commit.
        await sleep(0);
        for (let k = 50; k < 200; k++) appends.push(journal.append(batch(`b${k}`, 5)));
        await Promise.all(appends);
        const stats = journal.stats;
        assert.equal(stats.batches, 200);
        assert.equal(stats.events, 1000);
        assert.ok(stats.commits < 10, `${stats.commits} commits for 200 concurrent batches`);
        // Another connection sees everything: each append resolved after its COMMIT.
        assert.equal(await other.lastSeq(), 1000);
        const perWriter = assertWholeBatches(await readAll(other), 5);
        assert.equal(perWriter.size, 200);
        assert.ok((await other.verify()).ok);
      } finally {
        await journal.close();
        await other.close();
      }
    });

    for (const withLease of [true, false])
      it(`serializes two pools appending to one account${withLease ? ' under one lease owner' : ' without a lease'}`, async () => {
        const account = freshAccount('two-pools');
        const lease = withLease ? { lease: { owner: 'one-process' } } : {};
        const one = await PostgresJournal.open(url(), { account, ...lease });
        const two = await PostgresJournal.open(url(), { account, ...lease });
        try {
          if (withLease) assert.equal(one.lease!.epoch, two.lease!.epoch, 'one owner shares one lease');
          const appends: Promise<void>[] = [];
          for (let k = 0; k < 60; k++) {
            appends.push(one.append(batch('one', 7)));
            appends.push(two.append(batch('two', 7)));
            if (k % 10 === 9) await sleep(1);
          }
          await Promise.all(appends);
          const report = await one.verify();
          assert.deepEqual(report.problems, []);
          assert.equal(report.lastSeq, 60 * 2 * 7);
          const perWriter = assertWholeBatches(await readAll(two), 7);
          assert.deepEqual(Object.fromEntries(perWriter), { one: 60, two: 60 });
        } finally {
          await one.close();
          await two.close();
        }
      });
  });

  describe('leases', () => {
    it('a second owner gets lease_held, naming the holder and its expiry', async () => {
      const account = freshAccount('held');
      const a = await PostgresJournal.open(url(), { account, lease: { owner: 'alpha' } });
      try {
        await assert.rejects(
          PostgresJournal.open(url(), { account, lease: { owner: 'beta' } }),
          (e: unknown) => {
            assert.ok(e instanceof LeaseError);
            assert.equal(e.code, 'lease_held');
            assert.equal(e.detail.owner, 'alpha');
            assert.equal(e.detail.epoch, a.lease!.epoch);
            assert.ok(e.detail.expiresAtMs! > e.detail.nowMs!, 'the holder is live');
            assert.match(e.message, /'alpha'/);
            return true;
          },
        );
      } finally {
        await a.close();
      }
    });

    it('the heartbeat keeps a lease alive well past its ttl', async () => {
      const account = freshAccount('heartbeat');
      const a = await PostgresJournal.open(url(), { account, lease: { owner: 'alpha', ttlMs: 500 } });
      try {
        const firstExpiry = a.lease!.expiresAtMs;
        await sleep(1200);
        assert.ok(a.lease!.expiresAtMs > firstExpiry, 'renewed');
        await assert.rejects(
          PostgresJournal.open(url(), { account, lease: { owner: 'beta', ttlMs: 500 } }),
          hasCode('lease_held'),
        );
        await a.append(batch('alpha', 3));
        assert.equal(await a.lastSeq(), 3);
      } finally {
        await a.close();
      }
    });

    it('an expired lease is taken over at a higher epoch; the old owner then writes nothing', async () => {
      const account = freshAccount('fencing');
      // A long ttl: no heartbeat runs during the test, so only the expiry below ends the lease.
      const a = await PostgresJournal.open(url(), { account, lease: { owner: 'alpha', ttlMs: 60_000 } });
      const reader = await PostgresJournal.open(url(), { account });
      let b: PostgresJournal | undefined;
      try {
        await a.append(batch('alpha', 4));
        // As if alpha had stalled (a long GC pause, a frozen VM) past its expiry.
        await admin!.query('UPDATE ordo_leases SET expires_at_ms = 0 WHERE account = $1', [account]);
        b = await PostgresJournal.open(url(), { account, lease: { owner: 'beta', ttlMs: 60_000 } });
        assert.equal(b.lease!.epoch, a.lease!.epoch + 1);
        await b.append(batch('beta', 4));
        // alpha wakes up and appends: the commit checks the lease row and writes nothing.
        const late = [a.append(batch('alpha', 4)), a.append(batch('alpha', 4))];
        for (const p of late) await assert.rejects(p, hasCode('lease_lost'));
        assert.equal(a.lease!.lost?.code, 'lease_lost');
        await assert.rejects(a.append(batch('alpha', 1)), hasCode('lease_lost'));
        await b.append(batch('beta', 4));
        const entries = await readAll(reader);
        assert.deepEqual(
          entries.map((e) => (e.event as { instrument: string }).instrument),
          [...Array(4).fill('alpha'), ...Array(8).fill('beta')],
        );
        assert.ok((await reader.verify()).ok);
      } finally {
        await a.close();
        await b?.close();
        await reader.close();
      }
    });

    it('an owner whose lease expired cannot append even when nobody took over', async () => {
      const account = freshAccount('expired');
      const a = await PostgresJournal.open(url(), { account, lease: { owner: 'alpha', ttlMs: 60_000 } });
      try {
        await admin!.query('UPDATE ordo_leases SET expires_at_ms = 0 WHERE account = $1', [account]);
        await assert.rejects(a.append(batch('alpha', 2)), hasCode('lease_lost'));
        assert.equal(await a.lastSeq(), 0);
      } finally {
        await a.close();
      }
    });

    it('a waiter times out while the holder renews, and takes over at once when it releases', async () => {
      const account = freshAccount('wait');
      const pool = new pg.Pool({ connectionString: url(), max: 2 });
      const a = await PostgresJournal.open(url(), { account, lease: { owner: 'alpha', ttlMs: 400 } });
      try {
        await assert.rejects(
          PostgresLease.waitFor(pool, account, { owner: 'beta', ttlMs: 400 }, 600),
          hasCode('lease_timeout'),
        );
        const waiting = PostgresLease.waitFor(pool, account, { owner: 'beta', ttlMs: 400 }, 5000);
        await sleep(100);
        const releasedAt = performance.now();
        await a.close();
        const b = await waiting;
        const waitedMs = performance.now() - releasedAt;
        assert.ok(
          waitedMs < 80 + 500,
          `took over ${Math.round(waitedMs)} ms after the release (poll is 80 ms)`,
        );
        assert.equal(b.epoch, a.lease!.epoch + 1);
        await b.release();
      } finally {
        await a.close();
        await pool.end();
      }
    });

    it('epochs only grow, across releases and owners', async () => {
      const account = freshAccount('epochs');
      const epochs: number[] = [];
      for (const owner of ['alpha', 'beta', 'alpha']) {
        const j = await PostgresJournal.open(url(), { account, lease: { owner } });
        epochs.push(j.lease!.epoch);
        await j.close();
      }
      assert.deepEqual(epochs, [1, 2, 3]);
    });
  });

  describe('storage', () => {
    it('reads page through a long journal from any seq', async () => {
      const account = freshAccount('pages');
      const journal = await PostgresJournal.open(url(), { account });
      try {
        const appends: Promise<void>[] = [];
        for (let k = 0; k < 45; k++) appends.push(journal.append(batch(`b${k}`, 100)));
        await Promise.all(appends);
        const all = await readAll(journal);
        assert.equal(all.length, 4500);
        assertWholeBatches(all, 100);
        const tail = await readAll(journal, 2222);
        assert.equal(tail.length, 4500 - 2222);
        assert.equal(tail[0]!.seq, 2223);
        assert.deepEqual(await readAll(journal, 4500), []);
      } finally {
        await journal.close();
      }
    });

    it('verify finds an edited record, a gap, an undecodable record and an orphan checkpoint', async () => {
      const account = freshAccount('verify');
      const journal = await PostgresJournal.open(url(), { account });
      try {
        await journal.append({ ...batch('w', 10), checkpoint: { inputSeq: 1, state: { n: 1n } } });
        assert.ok((await journal.verify()).ok);
        const q = (sql: string, ...values: unknown[]) => admin!.query(sql, [account, ...values]);
        await q(
          `UPDATE ordo_events SET payload = replace(payload, '"w"', '"x"') WHERE account = $1 AND seq = 3`,
        );
        await q('DELETE FROM ordo_events WHERE account = $1 AND seq = 6');
        // The last event becomes unreadable with a checksum that chains: only decoding catches it.
        const eight = await q('SELECT checksum FROM ordo_events WHERE account = $1 AND seq = 8');
        const garbage = 'not json';
        const checksum = chainChecksum(Number(eight.rows[0].checksum), garbage);
        await q(
          'UPDATE ordo_events SET payload = $2, checksum = $3 WHERE account = $1 AND seq = 9',
          garbage,
          checksum,
        );
        await q('DELETE FROM ordo_events WHERE account = $1 AND seq = 10');
        const report = await journal.verify();
        assert.equal(report.ok, false);
        assert.deepEqual(
          report.problems.map((p) => [p.seq, p.code]),
          [
            [3, 'checksum_mismatch'],
            [7, 'gap'],
            [9, 'undecodable'],
            [10, 'checkpoint_orphan'],
          ],
        );
        assert.equal(report.events, 8);
        assert.equal(report.lastSeq, 9);
      } finally {
        await journal.close();
      }
    });
  });
});
