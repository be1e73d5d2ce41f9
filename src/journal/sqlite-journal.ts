// The Journal port on an embedded SQLite file (better-sqlite3), the default store of a single Ordo
// process. Each account's events are a gap-free, checksum-chained sequence in `ordo_events`
// (schema.ts), with checkpoints beside them; a batch and its checkpoint share one transaction.
//
// Writes: `appendSync` commits one batch per transaction. `append` groups: every call made before
// the event loop next turns joins one queue, and a setImmediate writes the whole queue in one
// transaction, so many concurrent appenders share one commit (and one fsync under FULL); each
// call's promise resolves after that commit. A batch is encoded when it is appended, so a batch
// that cannot be encoded fails alone, and never takes the batches queued beside it down with it.
// The journal is the account's only writer: the last seq and checksum are kept in memory, and a
// second writer on the same account makes commits fail on the primary key rather than fork it.
//
// Reads go page by page, a page being a range of READ_PAGE_ROWS seqs, instead of one `.iterate()`
// over the whole journal: memory stays flat on a long journal, and no statement is left running
// on the connection between pages (better-sqlite3 refuses every other statement on a connection
// while an iterator is open), so a caller may append while it reads, and a group commit may run
// between two `for await` steps of a read. SQLite joins a page's records into one JSON array that
// is parsed in one call; a page with a gap or an old record format is read row by row instead.
// A read sees the events appended before it began (readSync: the call; read: its first step).
// Durability: WAL with synchronous NORMAL (the default) keeps every commit through a crash of the
// process; FULL also keeps it through a power loss, at the price of an fsync per commit.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { OrdoEvent } from '../engine/events.ts';
import type {
  JournalBatch,
  JournalEntry,
  StoredCheckpoint,
  SyncJournal,
  VerifyProblem,
  VerifyReport,
} from '../engine/journal-port.ts';
import {
  chainFromRows,
  checkpointsToWrite,
  type EncodedCheckpoint,
  encodeBatchCheckpoint,
  storedCheckpoint,
} from './checkpoint-rows.ts';
import {
  CHECKSUM_SEED,
  chainChecksum,
  decodeCheckpointState,
  decodeEvent,
  decodeEventArray,
  encodeEvent,
  RECORD_VERSION,
} from './event-codec.ts';
import { JournalError } from './journal-error.ts';
import {
  ACCOUNT_DEFAULT,
  META_KEY_CREATED_BY,
  META_KEY_SCHEMA_VERSION,
  META_TABLE_SQL,
  MIGRATIONS,
  type Migration,
  migrationsAfter,
  ORDO_VERSION,
  parseSchemaVersion,
} from './schema.ts';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

export interface SqliteJournalOptions {
  /** Whose events these are; several accounts share one file, each numbered from 1. */
  readonly account?: string;
  /** NORMAL (default) survives a process crash; FULL also a power loss (an fsync per commit). */
  readonly synchronous?: SqliteSynchronous;
}

/** Rows per page when reading or verifying: memory stays flat however long the journal is. */
const READ_PAGE_ROWS = 2048;
/** verify() lists at most this many problems; a badly damaged file would otherwise list millions. */
const VERIFY_PROBLEMS_MAX = 1000;
/** Rows per INSERT statement, and the values each row binds. */
const INSERT_ROWS_MAX = 32;
const INSERT_COLUMNS = 6;
/** How long a write waits for another connection's transaction on the same file. */
const BUSY_TIMEOUT_MS = 5000;
const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

/** A stored checkpoint row: seq, input_seq, payload, chained (0 or 1). */
type CheckpointRow = [number, number, string, number];

/** A batch as written: its records encoded when it was appended. */
interface EncodedBatch {
  readonly events: readonly OrdoEvent[];
  readonly payloads: readonly string[];
  readonly checkpoint: EncodedCheckpoint | undefined;
}

/** The batches appended since the last commit; every caller waits on the one promise. */
interface Group {
  readonly batches: EncodedBatch[];
  readonly committed: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

type Statement = Database.Statement<unknown[], unknown>;
type EventRow = [seq: number, version: number, payload: string];
type PageRow = [count: number, otherVersions: number | null, json: string | null];
type VerifyRow = [seq: number, version: number, payload: string, checksum: number];

export class SqliteJournal implements SyncJournal {
  private readonly insertEvent: Statement;
  private readonly insertEvents: Statement;
  /** Bind values of up to INSERT_ROWS_MAX rows, reused by every write. */
  private readonly rowValues: unknown[] = new Array(INSERT_ROWS_MAX * INSERT_COLUMNS);
  private readonly upsertCheckpoint: Statement;
  private readonly deleteOlderCheckpoints: Statement;
  private readonly selectPage: Statement;
  private readonly selectPageJson: Statement;
  private readonly selectVerifyPage: Statement;
  private readonly selectLastCheckpoint: Statement;
  private readonly selectCheckpoints: Statement;
  private readonly selectOrphans: Statement;
  private readonly writeTransaction: Database.Transaction<(batches: readonly EncodedBatch[]) => void>;
  private seqLast: number;
  private checksumLast: number;
  /** The seq and checksum a write transaction reached, taken over only once it commits. */
  private seqWritten = 0;
  private checksumWritten = 0;
  private group: Group | undefined;
  private closed = false;
  private readonly counts = { commits: 0, batches: 0, events: 0 };
  private readonly flushScheduled = (): void => this.flushGroup();

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly account: string,
  ) {
    // Rows go in INSERT_ROWS_MAX at a time: one statement step per row costs a third more.
    const row = `(?, ?, ?, ?, ${RECORD_VERSION}, ?, ?)`;
    const insert = 'INSERT INTO ordo_events (account, seq, ts, type, version, payload, checksum) VALUES ';
    this.insertEvent = db.prepare(insert + row);
    this.insertEvents = db.prepare(insert + Array(INSERT_ROWS_MAX).fill(row).join(', '));
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO ordo_checkpoints (account, seq, input_seq, payload, chained) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, seq) DO UPDATE SET
         input_seq = excluded.input_seq, payload = excluded.payload, chained = excluded.chained`,
    );
    this.deleteOlderCheckpoints = db.prepare('DELETE FROM ordo_checkpoints WHERE account = ? AND seq < ?');
    this.selectPage = db
      .prepare(
        `SELECT seq, version, payload FROM ordo_events
         WHERE account = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      )
      .raw(true);
    // One row per page: the page's records joined by SQLite into one JSON array, parsed in one
    // call, which is what lets replay pass a million events a second. The page is a seq range
    // read straight down the primary key, so group_concat sees the rows in seq order; a count
    // equal to the range's width proves the page has no gap, and a zero sum that every record
    // is of today's format.
    this.selectPageJson = db
      .prepare(
        `SELECT count(*), sum(version <> ${RECORD_VERSION}), '[' || group_concat(payload, ',') || ']'
         FROM ordo_events WHERE account = ? AND seq > ? AND seq <= ?`,
      )
      .raw(true);
    this.selectVerifyPage = db
      .prepare(
        `SELECT seq, version, payload, checksum FROM ordo_events
         WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw(true);
    this.selectLastCheckpoint = db
      .prepare(
        'SELECT seq, input_seq, payload, chained FROM ordo_checkpoints WHERE account = ? ORDER BY seq DESC LIMIT 1',
      )
      .raw(true);
    this.selectCheckpoints = db
      .prepare('SELECT seq, input_seq, payload, chained FROM ordo_checkpoints WHERE account = ? ORDER BY seq')
      .raw(true);
    this.selectOrphans = db
      .prepare(
        `SELECT c.seq FROM ordo_checkpoints c
         WHERE c.account = ? AND c.seq > 0
           AND NOT EXISTS (SELECT 1 FROM ordo_events e WHERE e.account = c.account AND e.seq = c.seq)
         ORDER BY c.seq`,
      )
      .pluck(true);
    this.writeTransaction = db.transaction((batches: readonly EncodedBatch[]) => this.writeRows(batches));
    const tail = db
      .prepare('SELECT seq, checksum FROM ordo_events WHERE account = ? ORDER BY seq DESC LIMIT 1')
      .raw(true)
      .get(account) as [number, number] | undefined;
    this.seqLast = tail?.[0] ?? 0;
    this.checksumLast = tail?.[1] ?? CHECKSUM_SEED;
  }

  /**
   * Opens (creating it and its folder if needed) the journal file at `path`, in WAL mode, and
   * brings its schema up to date; throws `schema_too_new` for a file written by a newer Ordo.
   */
  static open(path: string, options: SqliteJournalOptions = {}): SqliteJournal {
    const account = options.account ?? ACCOUNT_DEFAULT;
    const synchronous = options.synchronous ?? 'NORMAL';
    if (typeof account !== 'string' || account === '')
      throw new JournalError('invalid_options', 'account must be a non-empty name');
    if (synchronous !== 'NORMAL' && synchronous !== 'FULL')
      throw new JournalError(
        'invalid_options',
        `synchronous must be NORMAL or FULL, got ${String(synchronous)}`,
      );
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      migrateSqliteSchema(db);
      return new SqliteJournal(db, path, account);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  append(batch: JournalBatch): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError('append'));
    let encoded: EncodedBatch;
    try {
      encoded = encodeBatch(batch);
    } catch (e) {
      return Promise.reject(e);
    }
    let group = this.group;
    if (group === undefined) {
      group = this.group = newGroup();
      setImmediate(this.flushScheduled);
    }
    group.batches.push(encoded);
    return group.committed;
  }

  appendSync(batch: JournalBatch): void {
    if (this.closed) throw this.closedError('append');
    const encoded = encodeBatch(batch);
    // Batches appended earlier but not yet committed go first, so seqs follow the call order.
    this.flushGroup();
    this.write([encoded]);
  }

  /** Events with seq > `afterSeq` that were appended before the call, in order. */
  readSync(afterSeq = 0): Iterable<JournalEntry> {
    this.assertOpen('read');
    this.flushGroup();
    // Pages are seq ranges: start on a whole seq (rows after 2.5 are the rows after 2).
    return this.entries(Math.max(0, Math.floor(afterSeq)) || 0, this.seqLast);
  }

  async *read(afterSeq = 0): AsyncIterable<JournalEntry> {
    yield* this.readSync(afterSeq);
  }

  lastSeqSync(): number {
    this.assertOpen('read');
    this.flushGroup();
    return this.seqLast;
  }

  async lastSeq(): Promise<number> {
    return this.lastSeqSync();
  }

  lastCheckpointSync(): StoredCheckpoint | undefined {
    this.assertOpen('read');
    this.flushGroup();
    const row = this.selectLastCheckpoint.get(this.account) as CheckpointRow | undefined;
    return row === undefined ? undefined : this.storedCheckpoint(row);
  }

  checkpointChainSync(): StoredCheckpoint[] {
    this.assertOpen('read');
    this.flushGroup();
    return this.chainRows().map((row) => this.storedCheckpoint(row));
  }

  async checkpointChain(): Promise<StoredCheckpoint[]> {
    return this.checkpointChainSync();
  }

  /** The stored checkpoint rows that recovery reads, oldest first (see chainFromRows). */
  private chainRows(): readonly CheckpointRow[] {
    const stored = this.selectCheckpoints.all(this.account) as CheckpointRow[];
    const chain = chainFromRows(
      stored.map(([seq, , , chained]) => ({ seq, chained: chained !== 0 })),
      this.where(),
    );
    return stored.slice(stored.length - chain.length);
  }

  private storedCheckpoint([seq, inputSeq, payload, chained]: CheckpointRow): StoredCheckpoint {
    return storedCheckpoint(seq, inputSeq, payload, chained !== 0, this.where());
  }

  async lastCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.lastCheckpointSync();
  }

  /**
   * Walks every row of the account: seqs must run 1..n without a gap, each checksum must chain
   * from the stored one before it (so one damaged record is one problem, not all that follow),
   * every record must decode, and every checkpoint must sit on a stored event.
   */
  verifySync(): VerifyReport {
    this.assertOpen('verify');
    this.flushGroup();
    const problems: VerifyProblem[] = [];
    const report = (p: VerifyProblem): void => {
      if (problems.length < VERIFY_PROBLEMS_MAX) problems.push(p);
    };
    let events = 0;
    let lastSeq = 0;
    let previous = CHECKSUM_SEED;
    for (;;) {
      const rows = this.selectVerifyPage.all(this.account, lastSeq, READ_PAGE_ROWS) as VerifyRow[];
      for (const [seq, version, payload, checksum] of rows) {
        events += 1;
        if (seq !== lastSeq + 1)
          report({ seq, code: 'gap', message: `events ${lastSeq + 1}..${seq - 1} are missing` });
        else if (chainChecksum(previous, payload) !== checksum)
          report({ seq, code: 'checksum_mismatch', message: `event ${seq} does not match its checksum` });
        const decoded = decodeEvent(payload, version);
        if (!decoded.ok) report({ seq, code: 'undecodable', message: `event ${seq}: ${decoded.message}` });
        previous = checksum;
        lastSeq = seq;
      }
      if (rows.length < READ_PAGE_ROWS) break;
    }
    for (const seq of this.selectOrphans.all(this.account) as number[])
      report({
        seq,
        code: 'checkpoint_orphan',
        message: `checkpoint at ${seq} names an event that is not stored`,
      });
    // Recovery reads the checkpoint chain (the last standalone checkpoint and the chained ones
    // after it): each of its rows must decode, and it must have a standalone start.
    let chain: readonly CheckpointRow[] = [];
    try {
      chain = this.chainRows();
    } catch (e) {
      const newest = this.selectLastCheckpoint.get(this.account) as CheckpointRow;
      report({ seq: newest[0], code: 'undecodable', message: (e as Error).message });
    }
    for (const [seq, , payload] of chain) {
      try {
        decodeCheckpointState(payload);
      } catch (e) {
        report({ seq, code: 'undecodable', message: `checkpoint at ${seq}: ${(e as Error).message}` });
      }
    }
    return { ok: problems.length === 0, events, lastSeq, problems };
  }

  async verify(): Promise<VerifyReport> {
    return this.verifySync();
  }

  /** Commits, batches and events written by this journal: events / commits is the mean group size. */
  get stats(): { readonly commits: number; readonly batches: number; readonly events: number } {
    return { ...this.counts };
  }

  /** The connection's journal mode and synchronous setting, as SQLite reports them. */
  settings(): { readonly journalMode: string; readonly synchronous: string } {
    this.assertOpen('read');
    const journalMode = String(this.db.pragma('journal_mode', { simple: true }));
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    return { journalMode, synchronous: SYNCHRONOUS_NAMES[level] ?? String(level) };
  }

  /** Commits the appends still queued, then closes the file; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flushGroup();
    this.closed = true;
    this.db.close();
  }

  private *entries(afterSeq: number, upTo: number): Generator<JournalEntry> {
    let after = afterSeq;
    while (after < upTo) {
      this.assertOpen('read');
      const last = Math.min(upTo, after + READ_PAGE_ROWS);
      const [count, otherVersions, json] = this.selectPageJson.get(this.account, after, last) as PageRow;
      const events =
        count === last - after && otherVersions === 0 ? decodeEventArray(json!, count) : undefined;
      if (events !== undefined)
        for (let i = 0; i < count; i++) yield { seq: after + 1 + i, event: events[i]! };
      else if (count > 0) yield* this.entriesByRow(after, last);
      after = last;
    }
  }

  /** Record by record, for a page the fast path refused: says which record is damaged. */
  private *entriesByRow(afterSeq: number, upTo: number): Generator<JournalEntry> {
    let after = afterSeq;
    while (after < upTo) {
      const rows = this.selectPage.all(this.account, after, upTo, READ_PAGE_ROWS) as EventRow[];
      if (rows.length === 0) return;
      for (const [seq, version, payload] of rows) {
        const decoded = decodeEvent(payload, version);
        if (!decoded.ok)
          throw new JournalError(
            'undecodable',
            `${this.where()}: event ${seq}: ${decoded.message} (verify() lists every damaged record)`,
          );
        yield { seq, event: decoded.event };
      }
      after = rows[rows.length - 1]![0];
    }
  }

  /** Writes the queued group now, settling its callers' promise. */
  private flushGroup(): void {
    const group = this.group;
    if (group === undefined) return;
    this.group = undefined;
    try {
      this.write(group.batches);
    } catch (e) {
      group.reject(e);
      return;
    }
    group.resolve();
  }

  /** One transaction for all `batches`; the in-memory tail moves only once it has committed. */
  private write(batches: readonly EncodedBatch[]): void {
    this.writeTransaction.immediate(batches);
    this.seqLast = this.seqWritten;
    this.checksumLast = this.checksumWritten;
    this.counts.commits += 1;
    this.counts.batches += batches.length;
    for (const b of batches) this.counts.events += b.payloads.length;
  }

  private writeRows(batches: readonly EncodedBatch[]): void {
    const account = this.account;
    const values = this.rowValues;
    let rows = 0;
    let seq = this.seqLast;
    let checksum = this.checksumLast;
    const checkpoints: (EncodedCheckpoint & { readonly seq: number })[] = [];
    for (const batch of batches) {
      const { events, payloads } = batch;
      for (let i = 0; i < payloads.length; i++) {
        const event = events[i]!;
        const payload = payloads[i]!;
        seq += 1;
        checksum = chainChecksum(checksum, payload);
        const at = rows * INSERT_COLUMNS;
        values[at] = account;
        values[at + 1] = seq;
        values[at + 2] = event.ts;
        values[at + 3] = event.type;
        values[at + 4] = payload;
        values[at + 5] = checksum;
        if (++rows === INSERT_ROWS_MAX) {
          this.insertEvents.run(values);
          rows = 0;
        }
      }
      // The checkpoint row names its event by seq only, so it may go in before that event's row.
      if (batch.checkpoint !== undefined) checkpoints.push({ seq, ...batch.checkpoint });
    }
    for (let r = 0; r < rows; r++)
      this.insertEvent.run(values.slice(r * INSERT_COLUMNS, (r + 1) * INSERT_COLUMNS));
    // A standalone checkpoint holds the whole state of in-process components (the paper venue)
    // and supersedes every older one; a chained one extends those before it, which are kept.
    const { rows: kept, standalone } = checkpointsToWrite(checkpoints);
    for (const c of kept) this.upsertCheckpoint.run(account, c.seq, c.inputSeq, c.payload, c.chained ? 1 : 0);
    if (standalone) this.deleteOlderCheckpoints.run(account, kept[0]!.seq);
    this.seqWritten = seq;
    this.checksumWritten = checksum;
  }

  private assertOpen(action: string): void {
    if (this.closed) throw this.closedError(action);
  }

  private closedError(action: string): JournalError {
    return new JournalError('journal_closed', `cannot ${action}: ${this.where()} is closed`);
  }

  private where(): string {
    return `journal '${this.path}' (account '${this.account}')`;
  }
}

/**
 * Brings a SQLite database to the last version of `migrations` in one immediate transaction and
 * returns the versions before and after; a database already there is left untouched. Exported
 * so that tests can migrate through a longer list than the one shipped.
 */
export function migrateSqliteSchema(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { readonly from: number; readonly to: number } {
  const migrate = db.transaction(() => {
    db.exec(META_TABLE_SQL);
    const row = db.prepare('SELECT value FROM ordo_meta WHERE key = ?').get(META_KEY_SCHEMA_VERSION) as
      | { value: string }
      | undefined;
    const from = parseSchemaVersion(row?.value);
    const steps = migrationsAfter(from, migrations);
    for (const step of steps) for (const sql of step.sql.sqlite) db.exec(sql);
    const to = from + steps.length;
    if (steps.length > 0) {
      const setMeta = db.prepare(
        'INSERT INTO ordo_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      );
      setMeta.run(META_KEY_SCHEMA_VERSION, String(to));
      if (from === 0) setMeta.run(META_KEY_CREATED_BY, ORDO_VERSION);
    }
    return { from, to };
  });
  return migrate.immediate();
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const committed = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { batches: [], committed, resolve, reject };
}

/** Encodes a batch's records, or throws `invalid_batch` naming what cannot be written. */
function encodeBatch(batch: JournalBatch): EncodedBatch {
  const events = batch.events;
  const payloads: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (typeof event?.type !== 'string' || !Number.isSafeInteger(event.ts))
      throw new JournalError('invalid_batch', `events[${i}] needs a string type and an integer ts`);
    try {
      payloads.push(encodeEvent(event));
    } catch (e) {
      throw new JournalError(
        'invalid_batch',
        `events[${i}] (${event.type}) cannot be encoded: ${(e as Error).message}`,
      );
    }
  }
  return { events, payloads, checkpoint: encodeBatchCheckpoint(batch.checkpoint, events.length) };
}
