// SqliteJournal on real files in a temporary folder: the Journal contract suite (with its sync
// checks and tamper hooks that edit the file through a second connection), then what is SQLite's
// own: WAL and the synchronous setting, schema creation and migration, group commit, paging.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { orderId } from '../core/ids.ts';
import type { OrdoEvent } from '../engine/events.ts';
import { type JournalTamper, journalContract } from './journal-contract.ts';
import { ACCOUNT_DEFAULT, MIGRATIONS, type Migration, ORDO_VERSION, SCHEMA_VERSION } from './schema.ts';
import { migrateSqliteSchema, SqliteJournal } from './sqlite-journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordo-sqlite-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A path in a folder that does not exist yet: open() creates it. */
const newPath = (): string => join(dir, `store-${++files}`, 'journal.db');

/** Edits the file through its own connection, as damage from outside would. */
function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { timeout: 5000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function sqliteTamper(path: string, account: string): JournalTamper {
  const changeOne = (sql: string, ...params: unknown[]): Promise<void> => {
    const changes = withDb(path, (db) => db.prepare(sql).run(...params).changes);
    assert.equal(changes, 1, `${sql} changed ${changes} rows`);
    return Promise.resolve();
  };
  return {
    rewritePayload: (seq, payload) =>
      changeOne('UPDATE ordo_events SET payload = ? WHERE account = ? AND seq = ?', payload, account, seq),
    deleteRow: (seq) => changeOne('DELETE FROM ordo_events WHERE account = ? AND seq = ?', account, seq),
    checkpointSeqs: () =>
      Promise.resolve(
        withDb(path, (db) =>
          db.prepare('SELECT seq FROM ordo_checkpoints WHERE account = ? ORDER BY seq').pluck().all(account),
        ) as number[],
      ),
    setSchemaVersion: (version) =>
      changeOne("UPDATE ordo_meta SET value = ? WHERE key = 'schema_version'", String(version)),
  };
}

const contractPath = newPath();
journalContract(
  'SqliteJournal',
  async ({ account }) =>
    Object.assign(SqliteJournal.open(contractPath, { account }), {
      tamper: sqliteTamper(contractPath, account ?? ACCOUNT_DEFAULT),
    }),
  { sync: true },
);

function numbered(i: number): OrdoEvent {
  return { type: 'order_submitted', ts: 1_700_000_000_000 + i, id: orderId(i), clientOrderId: `c-${i}` };
}

function numberedRange(from: number, count: number): OrdoEvent[] {
  return Array.from({ length: count }, (_, k) => numbered(from + k));
}

function meta(path: string): Record<string, string> {
  return withDb(path, (db) =>
    Object.fromEntries(
      (db.prepare('SELECT key, value FROM ordo_meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        r.value,
      ]),
    ),
  );
}

/** The shipped migrations and one more, as the next schema change would add it. */
const NEXT: readonly Migration[] = [
  ...MIGRATIONS,
  {
    version: SCHEMA_VERSION + 1,
    description: 'test: a note on each event',
    sql: {
      sqlite: ['ALTER TABLE ordo_events ADD COLUMN note TEXT', "UPDATE ordo_events SET note = 'migrated'"],
      postgres: ['ALTER TABLE ordo_events ADD COLUMN note TEXT', "UPDATE ordo_events SET note = 'migrated'"],
    },
  },
];

describe('SqliteJournal on its own', () => {
  it('opens in WAL mode, synchronous NORMAL by default and FULL on request', async () => {
    const path = newPath();
    const normal = SqliteJournal.open(path);
    assert.deepEqual(normal.settings(), { journalMode: 'wal', synchronous: 'NORMAL' });
    await normal.close();
    const full = SqliteJournal.open(path, { synchronous: 'FULL' });
    assert.deepEqual(full.settings(), { journalMode: 'wal', synchronous: 'FULL' });
    await full.close();
    assert.throws(() => SqliteJournal.open(path, { synchronous: 'OFF' as 'FULL' }), /invalid_options/);
    assert.throws(() => SqliteJournal.open(path, { account: '' }), /invalid_options/);
  });

  it('an empty file gets the current schema, recorded in ordo_meta', async () => {
    const path = newPath();
    await SqliteJournal.open(path).close();
    assert.deepEqual(meta(path), { schema_version: String(SCHEMA_VERSION), created_by: ORDO_VERSION });
    const tables = withDb(path, (db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
    );
    assert.deepEqual(tables, ['ordo_checkpoints', 'ordo_events', 'ordo_meta']);
    // Opening again migrates nothing.
    assert.deepEqual(
      withDb(path, (db) => migrateSqliteSchema(db)),
      { from: SCHEMA_VERSION, to: SCHEMA_VERSION },
    );
  });

  it('a store at an older version migrates forward in one step and keeps its data', async () => {
    // The store is made by the shipped steps only, then a longer list migrates it.
    const path = newPath();
    const j = SqliteJournal.open(path);
    j.appendSync({ events: numberedRange(1, 3), checkpoint: { inputSeq: 3, state: { cash: 5n } } });
    await j.close();
    assert.deepEqual(
      withDb(path, (db) => migrateSqliteSchema(db, NEXT)),
      { from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1 },
    );
    assert.equal(meta(path).schema_version, String(SCHEMA_VERSION + 1));
    assert.equal(meta(path).created_by, ORDO_VERSION);
    const notes = withDb(path, (db) => db.prepare('SELECT note FROM ordo_events ORDER BY seq').pluck().all());
    assert.deepEqual(notes, ['migrated', 'migrated', 'migrated']);
    // From an empty store the whole list runs.
    const empty = join(dir, `empty-${++files}.db`);
    assert.deepEqual(
      withDb(empty, (db) => migrateSqliteSchema(db, NEXT)),
      { from: 0, to: SCHEMA_VERSION + 1 },
    );
    // The code of today cannot read the migrated store, and says which versions are involved.
    assert.throws(
      () => SqliteJournal.open(path),
      (e: Error) =>
        /schema_too_new/.test(e.message) &&
        e.message.includes(`version ${SCHEMA_VERSION + 1}`) &&
        e.message.includes(`version ${SCHEMA_VERSION}`),
    );
  });

  it('a migration that fails leaves the store as it was', async () => {
    const path = newPath();
    const j = SqliteJournal.open(path);
    j.appendSync({ events: [numbered(1)] });
    await j.close();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        description: 'test: fails half way',
        sql: { sqlite: ['CREATE TABLE half_done (x INTEGER)', 'THIS IS NOT SQL'], postgres: [] },
      },
    ];
    assert.throws(() => withDb(path, (db) => migrateSqliteSchema(db, broken)), /syntax error/);
    const tables = withDb(path, (db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").all(),
    );
    assert.deepEqual(tables, []);
    assert.equal(meta(path).schema_version, String(SCHEMA_VERSION));
  });

  it('a schema_version that is not a number is refused', async () => {
    const path = newPath();
    await SqliteJournal.open(path).close();
    withDb(path, (db) => db.prepare("UPDATE ordo_meta SET value = 'two' WHERE key = 'schema_version'").run());
    assert.throws(() => SqliteJournal.open(path), /schema_invalid.*'two'/);
  });

  it('appends made in one turn share one commit; awaited ones still group', async () => {
    const j = SqliteJournal.open(newPath());
    await Promise.all(Array.from({ length: 100 }, (_, i) => j.append({ events: [numbered(i + 1)] })));
    assert.deepEqual(j.stats, { commits: 1, batches: 100, events: 100 });
    // Ten appenders, each awaiting its own append ten times: their appends meet in each turn.
    let next = 101;
    const appender = async (): Promise<void> => {
      for (let k = 0; k < 10; k++) await j.append({ events: [numbered(next++)] });
    };
    await Promise.all(Array.from({ length: 10 }, appender));
    const { commits, batches } = j.stats;
    assert.equal(batches, 200);
    assert.ok(commits <= 1 + 12, `100 awaited appends took ${commits - 1} commits`);
    assert.deepEqual(
      [...j.readSync()].map((e) => e.seq),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    assert.equal(j.verifySync().ok, true);
    await j.close();
  });

  it('reads page through a journal longer than one page', async () => {
    const j = SqliteJournal.open(newPath());
    const events = numberedRange(1, 5000);
    j.appendSync({ events });
    const all = [...j.readSync()];
    assert.equal(all.length, 5000);
    assert.ok(all.every((e, i) => e.seq === i + 1 && e.event.ts === events[i]!.ts));
    const tail = [...j.readSync(2047)];
    assert.equal(tail.length, 5000 - 2047);
    assert.equal(tail[0]?.seq, 2048);
    assert.deepEqual(j.verifySync(), { ok: true, events: 5000, lastSeq: 5000, problems: [] });
    await j.close();
  });

  it('a second writer on the same account fails on the key instead of forking the chain', async () => {
    const path = newPath();
    const a = SqliteJournal.open(path);
    const b = SqliteJournal.open(path);
    a.appendSync({ events: [numbered(1)] });
    assert.throws(() => b.appendSync({ events: [numbered(2)] }), /UNIQUE constraint failed/);
    assert.deepEqual(a.verifySync(), { ok: true, events: 1, lastSeq: 1, problems: [] });
    await a.close();
    await b.close();
  });

  it('works in memory too', async () => {
    const j = SqliteJournal.open(':memory:');
    await j.append({ events: numberedRange(1, 3) });
    assert.deepEqual(
      [...j.readSync(1)].map((e) => e.seq),
      [2, 3],
    );
    await j.close();
  });
});
