// Benchmark: events per second through the SQLite journal, next to the raw better-sqlite3 driver
// writing the same rows in the same run, on the same disk. Events are 100-event batches of fills
// (JSON with a bigint fee, the heaviest record to encode and decode), built before timing; each
// run writes a fresh file in a temporary folder, removed at the end. The rows:
//
// - group commit: APPENDERS_CONCURRENT appenders each await one append at a time, so their batches
//   meet in one event-loop turn and share one transaction (synchronous NORMAL, then FULL);
// - appendSync: one 100-event batch per transaction;
// - raw driver: the same records encoded and checksummed in the timed loop (the same work as the
//   journal), inserted the usual way, one row per step of one prepared statement, one transaction
//   per 100-event batch, and once per group of the journal's measured mean group size; plus rows
//   encoded before timing (the driver alone). The journal itself inserts 32 rows per step;
// - replay: readSync decoding every event of the group-commit file, the async read(), and the
//   raw driver reading the same rows without decoding them (the ceiling).
//
// Run alone: node --import tsx bench/journal-sqlite.ts [events]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { orderId } from '../src/core/ids.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import type { JournalBatch } from '../src/engine/journal-port.ts';
import { CHECKSUM_SEED, chainChecksum, encodeEvent, RECORD_VERSION } from '../src/journal/event-codec.ts';
import { SqliteJournal, type SqliteSynchronous } from '../src/journal/sqlite-journal.ts';
import { count, nowMs, perSecond, si, summarize, table } from './measure.ts';

export interface SqliteJournalBenchRow {
  readonly label: string;
  /** Median over the repetitions. */
  readonly eventsPerSec: number;
}

export interface SqliteJournalBenchOptions {
  /** Events per run (rounded up to whole 100-event batches). */
  readonly events: number;
  readonly reps?: number;
}

const BATCH_EVENTS = 100;
const APPENDERS_CONCURRENT = 64;
const REPS_DEFAULT = 3;
const ACCOUNT = 'bench';

function fill(i: number): OrdoEvent {
  return {
    type: 'order_filled',
    ts: 1_700_000_000_000 + i,
    id: orderId(1 + (i % 5000)),
    tradeId: `t-${i}`,
    price: 6_500_000 + (i % 977),
    quantity: 1 + (i % 13),
    fee: BigInt(125 + (i % 50)),
    feeCurrency: 'USD',
    liquidity: i % 2 === 0 ? 'maker' : 'taker',
  };
}

/** `total` events (rounded up to whole batches) as 100-event batches. */
function batches(total: number): JournalBatch[] {
  const out: JournalBatch[] = [];
  for (let i = 0; i < total; i += BATCH_EVENTS) {
    const events: OrdoEvent[] = [];
    for (let j = i; j < i + BATCH_EVENTS; j++) events.push(fill(j));
    out.push({ events });
  }
  return out;
}

class Files {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ordo-bench-sqlite-'));
  private n = 0;
  next(): string {
    return join(this.dir, `run-${++this.n}.db`);
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Appends from `appenders` concurrent loops; returns events/s and the mean events per commit. */
async function groupRun(
  path: string,
  work: readonly JournalBatch[],
  synchronous: SqliteSynchronous,
): Promise<{ rate: number; eventsPerCommit: number }> {
  const journal = SqliteJournal.open(path, { account: ACCOUNT, synchronous });
  try {
    let next = 0;
    const loop = async (): Promise<void> => {
      for (let i = next++; i < work.length; i = next++) await journal.append(work[i]!);
    };
    const t0 = nowMs();
    await Promise.all(Array.from({ length: APPENDERS_CONCURRENT }, loop));
    const ms = nowMs() - t0;
    const { events, commits } = journal.stats;
    return { rate: perSecond(events, ms), eventsPerCommit: events / Math.max(1, commits) };
  } finally {
    await journal.close();
  }
}

function syncRun(path: string, work: readonly JournalBatch[]): number {
  const journal = SqliteJournal.open(path, { account: ACCOUNT });
  try {
    const t0 = nowMs();
    for (const batch of work) journal.appendSync(batch);
    return perSecond(journal.stats.events, nowMs() - t0);
  } finally {
    void journal.close();
  }
}

/** A database with the journal's schema, opened as the journal opens it, for the raw driver. */
function rawDb(path: string, synchronous: SqliteSynchronous): Database.Database {
  void SqliteJournal.open(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}

const INSERT_SQL =
  'INSERT INTO ordo_events (account, seq, ts, type, version, payload, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** The raw driver encodes, checksums and inserts `work`, `groupBatches` batches per transaction. */
function rawRun(
  path: string,
  work: readonly JournalBatch[],
  groupBatches: number,
  synchronous: SqliteSynchronous,
) {
  const db = rawDb(path, synchronous);
  try {
    const insert = db.prepare(INSERT_SQL);
    let seq = 0;
    let checksum = CHECKSUM_SEED;
    const write = db.transaction((group: readonly JournalBatch[]) => {
      for (const batch of group) {
        for (const event of batch.events) {
          const payload = encodeEvent(event);
          seq += 1;
          checksum = chainChecksum(checksum, payload);
          insert.run(ACCOUNT, seq, event.ts, event.type, RECORD_VERSION, payload, checksum);
        }
      }
    });
    const t0 = nowMs();
    for (let g = 0; g < work.length; g += groupBatches) write(work.slice(g, g + groupBatches));
    return perSecond(seq, nowMs() - t0);
  } finally {
    db.close();
  }
}

/** The driver's ceiling: rows encoded and checksummed before timing, one transaction per batch. */
function rawPreEncodedRun(path: string, work: readonly JournalBatch[]): number {
  const rows: [number, number, string, string, number][] = [];
  let checksum = CHECKSUM_SEED;
  for (const batch of work)
    for (const event of batch.events) {
      const payload = encodeEvent(event);
      checksum = chainChecksum(checksum, payload);
      rows.push([rows.length + 1, event.ts, event.type, payload, checksum]);
    }
  const db = rawDb(path, 'NORMAL');
  try {
    const insert = db.prepare(INSERT_SQL);
    const write = db.transaction((from: number) => {
      for (let i = from; i < Math.min(rows.length, from + BATCH_EVENTS); i++) {
        const [seq, ts, type, payload, sum] = rows[i]!;
        insert.run(ACCOUNT, seq, ts, type, RECORD_VERSION, payload, sum);
      }
    });
    const t0 = nowMs();
    for (let from = 0; from < rows.length; from += BATCH_EVENTS) write(from);
    return perSecond(rows.length, nowMs() - t0);
  } finally {
    db.close();
  }
}

function replaySync(path: string): number {
  const journal = SqliteJournal.open(path, { account: ACCOUNT });
  try {
    let events = 0;
    let fees = 0n;
    const t0 = nowMs();
    for (const entry of journal.readSync()) {
      events += 1;
      if (entry.event.type === 'order_filled') fees += entry.event.fee;
    }
    const ms = nowMs() - t0;
    if (fees <= 0n) throw new Error('replay decoded no fee');
    return perSecond(events, ms);
  } finally {
    void journal.close();
  }
}

async function replayAsync(path: string): Promise<number> {
  const journal = SqliteJournal.open(path, { account: ACCOUNT });
  try {
    let events = 0;
    const t0 = nowMs();
    for await (const _entry of journal.read()) events += 1;
    return perSecond(events, nowMs() - t0);
  } finally {
    await journal.close();
  }
}

/** The driver reading the same rows, with no decoding: what replay could reach at best. */
function rawReplay(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const select = db
      .prepare('SELECT seq, version, payload FROM ordo_events WHERE account = ? ORDER BY seq')
      .raw(true);
    let rows = 0;
    let chars = 0;
    const t0 = nowMs();
    for (const row of select.iterate(ACCOUNT) as Iterable<[number, number, string]>) {
      rows += 1;
      chars += row[2].length;
    }
    const ms = nowMs() - t0;
    if (chars === 0) throw new Error('raw replay read nothing');
    return perSecond(rows, ms);
  } finally {
    db.close();
  }
}

async function median(reps: number, fn: () => number | Promise<number>): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < reps; i++) all.push(await fn());
  return summarize(all, 'high').median;
}

export async function benchSqliteJournal(
  opts: SqliteJournalBenchOptions,
): Promise<{ rows: SqliteJournalBenchRow[] }> {
  const reps = opts.reps ?? REPS_DEFAULT;
  const files = new Files();
  try {
    const work = batches(opts.events);
    // Warms the JIT on every path before the first timed run.
    const warm = batches(Math.min(opts.events, 20_000));
    await groupRun(files.next(), warm, 'NORMAL');
    syncRun(files.next(), warm);
    rawRun(files.next(), warm, 1, 'NORMAL');
    const groupSizes: number[] = [];
    let replayFile = '';
    const group = async (synchronous: SqliteSynchronous): Promise<number> =>
      median(reps, async () => {
        const path = files.next();
        const r = await groupRun(path, work, synchronous);
        if (synchronous === 'NORMAL') {
          groupSizes.push(r.eventsPerCommit);
          replayFile = path;
        }
        return r.rate;
      });
    const groupNormal = await group('NORMAL');
    const groupFull = await group('FULL');
    const groupBatches = Math.max(1, Math.round(summarize(groupSizes, 'high').median / BATCH_EVENTS));
    const rows: SqliteJournalBenchRow[] = [
      {
        label: `SqliteJournal.append, group commit, ${APPENDERS_CONCURRENT} appenders, NORMAL`,
        eventsPerSec: groupNormal,
      },
      {
        label: `SqliteJournal.append, group commit, ${APPENDERS_CONCURRENT} appenders, FULL`,
        eventsPerSec: groupFull,
      },
      {
        label: 'SqliteJournal.appendSync, 1 batch per commit, NORMAL',
        eventsPerSec: await median(reps, () => syncRun(files.next(), work)),
      },
      {
        label: 'raw better-sqlite3, 1 batch per transaction, NORMAL',
        eventsPerSec: await median(reps, () => rawRun(files.next(), work, 1, 'NORMAL')),
      },
      {
        label: 'raw better-sqlite3, 1 batch per transaction, FULL',
        eventsPerSec: await median(reps, () => rawRun(files.next(), work, 1, 'FULL')),
      },
      {
        label: `raw better-sqlite3, ${groupBatches} batches per transaction (journal's group), NORMAL`,
        eventsPerSec: await median(reps, () => rawRun(files.next(), work, groupBatches, 'NORMAL')),
      },
      {
        label: 'raw better-sqlite3, rows encoded before timing, 1 batch per transaction, NORMAL',
        eventsPerSec: await median(reps, () => rawPreEncodedRun(files.next(), work)),
      },
      {
        label: 'replay: SqliteJournal.readSync, decoding every event',
        eventsPerSec: await median(reps, () => replaySync(replayFile)),
      },
      {
        label: 'replay: SqliteJournal.read (async), decoding every event',
        eventsPerSec: await median(reps, () => replayAsync(replayFile)),
      },
      {
        label: 'replay: raw better-sqlite3 rows, not decoded',
        eventsPerSec: await median(reps, () => rawReplay(replayFile)),
      },
    ];
    return { rows };
  } finally {
    files.remove();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const events = Number(process.argv[2] ?? 200_000);
  const { rows } = await benchSqliteJournal({ events });
  console.log(
    `SQLite journal, ${count(events)} events (100-event batches of fills), median of ${REPS_DEFAULT}`,
  );
  console.log(
    table(
      ['', 'events/s'],
      rows.map((r) => [r.label, si(r.eventsPerSec)]),
    ),
  );
}
