// The Journal port on a PostgreSQL server, for several Ordo processes sharing one database: each
// account's events are a gap-free, checksum-chained sequence in `ordo_events`, with checkpoints
// beside them. Appends use group commit: while one transaction is committing, later batches
// queue, and the next transaction writes every queued batch with one INSERT over UNNEST arrays,
// so many concurrent appenders share one fsync. Each append resolves only after its COMMIT.
//
// A commit transaction serializes writers of one account with a transaction-level advisory lock,
// then reads the account's tail inside the lock, so even two journals on the same account (two
// pools, two processes) write a gap-free chain. With a lease (postgres-lease.ts) the transaction
// also locks the lease row and writes nothing unless this process still owns the account.
//
// The schema is created and migrated at open, in one transaction under an advisory lock so that
// processes opening at once do not race; a database from a newer Ordo is refused.

import pg from 'pg';
import type { OrdoEvent } from '../engine/events.ts';
import type {
  Journal,
  JournalBatch,
  JournalEntry,
  StoredCheckpoint,
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
  encodeEvent,
  RECORD_VERSION,
} from './event-codec.ts';
import { JournalError } from './journal-error.ts';
import { LEASE_DDL, type LeaseOptions, PostgresLease } from './postgres-lease.ts';
import {
  ACCOUNT_DEFAULT,
  META_KEY_CREATED_BY,
  META_KEY_SCHEMA_VERSION,
  META_TABLE_SQL,
  migrationsAfter,
  ORDO_VERSION,
  parseSchemaVersion,
  SCHEMA_VERSION,
} from './schema.ts';

/** Connections per journal: the writer, a reader, the lease heartbeat, one spare. */
const POOL_SIZE_DEFAULT = 4;
/** Rows per page when reading or verifying: memory stays flat however long the journal is. */
const READ_PAGE_ROWS = 2000;
/** verify() lists at most this many problems; a badly damaged journal would otherwise list millions. */
const VERIFY_PROBLEMS_MAX = 1000;
/** One commit writes at most about this many events; the rest wait for the next commit. */
const GROUP_EVENTS_MAX = 50_000;
/** First key of every advisory lock Ordo takes ('ORDO'); the second names what is locked. */
const LOCK_NAMESPACE = 0x4f52444f;
const SCHEMA_LOCK_KEY = 0;

export interface PostgresJournalOptions {
  /** Whose journal this is; several accounts share the tables. */
  readonly account?: string;
  /** Own the account while open; without it, nothing fences off a second writer process. */
  readonly lease?: LeaseOptions & {
    /** Wait up to this long for a held lease to expire instead of failing with `lease_held`. */
    readonly waitMs?: number;
  };
  /** Connections in the pool; at least 2 so that reads never wait for a commit. */
  readonly poolSize?: number;
}

/** A stored checkpoint row as pg returns it (bigints as text). */
interface CheckpointRow {
  readonly seq: string;
  readonly input_seq: string;
  readonly payload: string;
  readonly chained: boolean;
}

/** A batch waiting for its commit, already encoded: encoding overlaps the commit in flight. */
interface Pending {
  readonly events: readonly OrdoEvent[];
  readonly payloads: readonly string[];
  readonly checkpoint: EncodedCheckpoint | undefined;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Separates the records of one INSERT's text parameters. JSON text never holds it raw
 * (JSON.stringify escapes every control character), nor does an event type, so the server splits
 * one string with string_to_array: much cheaper for both sides than a quoted array literal.
 */
const RECORD_SEPARATOR = '\x1e';
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

const TAIL_SQL = 'SELECT seq, checksum FROM ordo_events WHERE account = $1 ORDER BY seq DESC LIMIT 1';
/**
 * Every event of one commit in one statement: $2 is the seq before the first, $3 the record
 * version; timestamps and checksums are arrays, types and payloads RECORD_SEPARATOR-joined text.
 * Exported for the benchmark's raw-driver baseline.
 */
export const INSERT_EVENTS_SQL = `
INSERT INTO ordo_events (account, seq, ts, type, version, payload, checksum)
SELECT $1, $2::bigint + r.n, r.ts, r.type, $3::int, r.payload, r.checksum
FROM unnest($4::bigint[], string_to_array($5, E'\\x1e'), string_to_array($6, E'\\x1e'), $7::bigint[])
  WITH ORDINALITY AS r(ts, type, payload, checksum, n)`;
const INSERT_CHECKPOINTS_SQL = `
INSERT INTO ordo_checkpoints (account, seq, input_seq, payload, chained)
SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::boolean[])
ON CONFLICT (account, seq) DO UPDATE
  SET input_seq = EXCLUDED.input_seq, payload = EXCLUDED.payload, chained = EXCLUDED.chained`;
const PAGE_SQL = `
SELECT seq, version, payload, checksum FROM ordo_events
WHERE account = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`;
const ORPHANS_SQL = `
SELECT c.seq FROM ordo_checkpoints c
WHERE c.account = $1 AND c.seq > 0
  AND NOT EXISTS (SELECT 1 FROM ordo_events e WHERE e.account = c.account AND e.seq = c.seq)
ORDER BY c.seq`;

export class PostgresJournal implements Journal {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private lastAppend: Promise<void> | undefined;
  private closed = false;
  private readonly counts = { commits: 0, batches: 0, events: 0 };

  private constructor(
    private readonly pool: pg.Pool,
    readonly account: string,
    /** The lease this journal writes under, when opened with one. */
    readonly lease: PostgresLease | undefined,
  ) {}

  static async open(url: string, options: PostgresJournalOptions = {}): Promise<PostgresJournal> {
    const account = options.account ?? ACCOUNT_DEFAULT;
    const poolSize = options.poolSize ?? POOL_SIZE_DEFAULT;
    if (account === '') throw new JournalError('invalid_options', 'account must be a non-empty name');
    if (!Number.isInteger(poolSize) || poolSize < 2)
      throw new JournalError('invalid_options', `poolSize must be an integer ≥ 2, got ${poolSize}`);
    const pool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle connection that breaks (server restart) is dropped by the pool and replaced on the
    // next query, which reports its own error; without a listener the event would end the process.
    pool.on('error', () => {});
    try {
      await migrate(pool);
      const leaseOptions = options.lease;
      let lease: PostgresLease | undefined;
      if (leaseOptions !== undefined)
        lease =
          leaseOptions.waitMs === undefined
            ? await PostgresLease.acquire(pool, account, leaseOptions)
            : await PostgresLease.waitFor(pool, account, leaseOptions, leaseOptions.waitMs);
      return new PostgresJournal(pool, account, lease);
    } catch (e) {
      await pool.end();
      throw e;
    }
  }

  append(batch: JournalBatch): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError('append'));
    const lost = this.lease?.lost;
    if (lost !== undefined) return Promise.reject(lost);
    let encoded: EncodedBatch;
    try {
      encoded = encodeBatch(batch);
    } catch (e) {
      return Promise.reject(e);
    }
    const appended = new Promise<void>((resolve, reject) => {
      this.queue.push({ ...encoded, resolve, reject });
      // Start on a microtask, so that every append made in this turn joins the first commit.
      if (this.flushing === undefined) this.flushing = Promise.resolve().then(() => this.flush());
    });
    // Commits run in append order: once this one settles, every earlier one has.
    this.lastAppend = appended.then(
      () => {},
      () => {},
    );
    return appended;
  }

  /** Events with seq > `afterSeq` that were appended before the read started, in order. */
  async *read(afterSeq = 0): AsyncIterable<JournalEntry> {
    await this.settled('read');
    const upTo = await this.queryLastSeq();
    let after = afterSeq;
    while (after < upTo) {
      this.assertOpen('read');
      const rows = await this.page(after, upTo);
      if (rows.length === 0) return;
      for (const row of rows) {
        const seq = Number(row.seq);
        const decoded = decodeEvent(row.payload, row.version);
        if (!decoded.ok)
          throw new JournalError(
            'undecodable',
            `${this.where()}: event ${seq}: ${decoded.message} (verify() lists every damaged record)`,
          );
        yield { seq, event: decoded.event };
        after = seq;
      }
    }
  }

  async lastCheckpoint(): Promise<StoredCheckpoint | undefined> {
    await this.settled('read');
    const row = await this.queryLastCheckpoint();
    return row === undefined ? undefined : this.storedCheckpoint(row);
  }

  async checkpointChain(): Promise<StoredCheckpoint[]> {
    await this.settled('read');
    return (await this.queryChain()).map((row) => this.storedCheckpoint(row));
  }

  private storedCheckpoint(row: CheckpointRow): StoredCheckpoint {
    return storedCheckpoint(Number(row.seq), Number(row.input_seq), row.payload, row.chained, this.where());
  }

  /** The stored checkpoint rows that recovery reads, oldest first (see chainFromRows). */
  private async queryChain(): Promise<readonly CheckpointRow[]> {
    const r = await this.pool.query<CheckpointRow>({
      name: 'ordo_checkpoints',
      text: 'SELECT seq, input_seq, payload, chained FROM ordo_checkpoints WHERE account = $1 ORDER BY seq',
      values: [this.account],
    });
    const chain = chainFromRows(
      r.rows.map((row) => ({ seq: Number(row.seq), chained: row.chained })),
      this.where(),
    );
    return r.rows.slice(r.rows.length - chain.length);
  }

  async lastSeq(): Promise<number> {
    await this.settled('read');
    return this.queryLastSeq();
  }

  /**
   * Walks every row of the account: seqs must run 1..n without a gap, each checksum must chain
   * from the stored one before it (so one damaged record is one problem, not all that follow),
   * every record must decode, and every checkpoint must sit on a stored event.
   */
  async verify(): Promise<VerifyReport> {
    await this.settled('verify');
    const problems: VerifyProblem[] = [];
    const report = (p: VerifyProblem): void => {
      if (problems.length < VERIFY_PROBLEMS_MAX) problems.push(p);
    };
    let events = 0;
    let lastSeq = 0;
    let previous = CHECKSUM_SEED;
    for (;;) {
      const rows = await this.page(lastSeq, Number.MAX_SAFE_INTEGER);
      for (const row of rows) {
        const seq = Number(row.seq);
        const checksum = Number(row.checksum);
        events += 1;
        if (seq !== lastSeq + 1)
          report({ seq, code: 'gap', message: `events ${lastSeq + 1}..${seq - 1} are missing` });
        else if (chainChecksum(previous, row.payload) !== checksum)
          report({ seq, code: 'checksum_mismatch', message: `event ${seq} does not match its checksum` });
        const decoded = decodeEvent(row.payload, row.version);
        if (!decoded.ok) report({ seq, code: 'undecodable', message: `event ${seq}: ${decoded.message}` });
        previous = checksum;
        lastSeq = seq;
      }
      if (rows.length < READ_PAGE_ROWS) break;
    }
    const orphans = await this.pool.query<{ seq: string }>(ORPHANS_SQL, [this.account]);
    for (const row of orphans.rows) {
      const seq = Number(row.seq);
      report({
        seq,
        code: 'checkpoint_orphan',
        message: `checkpoint at ${seq} names an event that is not stored`,
      });
    }
    // Recovery reads the checkpoint chain (the last standalone checkpoint and the chained ones
    // after it): each of its rows must decode, and it must have a standalone start.
    let chain: readonly CheckpointRow[] = [];
    try {
      chain = await this.queryChain();
    } catch (e) {
      const newest = await this.queryLastCheckpoint();
      report({ seq: Number(newest?.seq ?? 0), code: 'undecodable', message: (e as Error).message });
    }
    for (const row of chain) {
      try {
        decodeCheckpointState(row.payload);
      } catch (e) {
        const seq = Number(row.seq);
        report({ seq, code: 'undecodable', message: `checkpoint at ${seq}: ${(e as Error).message}` });
      }
    }
    return { ok: problems.length === 0, events, lastSeq, problems };
  }

  /** Commits, batches and events written by this journal: events / commits is the mean group size. */
  get stats(): { readonly commits: number; readonly batches: number; readonly events: number } {
    return { ...this.counts };
  }

  /** Commits the appends still queued, releases the lease and closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    try {
      await this.lease?.release();
    } finally {
      await this.pool.end();
    }
  }

  /** Waits until every append made so far has committed or failed, so reads see them. */
  private async settled(action: string): Promise<void> {
    this.assertOpen(action);
    await this.lastAppend;
    this.assertOpen(action);
  }

  private assertOpen(action: string): void {
    if (this.closed) throw this.closedError(action);
  }

  private closedError(action: string): JournalError {
    return new JournalError('journal_closed', `cannot ${action}: ${this.where()} is closed`);
  }

  private where(): string {
    return `PostgreSQL journal (account '${this.account}')`;
  }

  private async queryLastSeq(): Promise<number> {
    const r = await this.pool.query<{ seq: string | null }>({
      name: 'ordo_last_seq',
      text: 'SELECT max(seq) AS seq FROM ordo_events WHERE account = $1',
      values: [this.account],
    });
    return Number(r.rows[0]?.seq ?? 0);
  }

  private async queryLastCheckpoint(): Promise<CheckpointRow | undefined> {
    const r = await this.pool.query<CheckpointRow>({
      name: 'ordo_last_checkpoint',
      text: 'SELECT seq, input_seq, payload, chained FROM ordo_checkpoints WHERE account = $1 ORDER BY seq DESC LIMIT 1',
      values: [this.account],
    });
    return r.rows[0];
  }

  private async page(afterSeq: number, upTo: number) {
    const r = await this.pool.query<{ seq: string; version: number; payload: string; checksum: string }>({
      name: 'ordo_events_page',
      text: PAGE_SQL,
      values: [this.account, afterSeq, upTo, READ_PAGE_ROWS],
    });
    return r.rows;
  }

  /** Commits queued batches, a group at a time, until the queue is empty. */
  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          await this.commit(group);
          this.counts.commits += 1;
          this.counts.batches += group.length;
          for (const p of group) this.counts.events += p.events.length;
          for (const p of group) p.resolve();
        } catch (e) {
          for (const p of group) p.reject(e);
          // A lost lease is final: nothing queued behind it may be written either.
          const lost = this.lease?.lost;
          if (lost !== undefined) for (const p of this.queue.splice(0)) p.reject(lost);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events < GROUP_EVENTS_MAX)) {
      events += this.queue[n]!.events.length;
      n += 1;
    }
    return this.queue.splice(0, n);
  }

  /** One transaction: lock the account, check the lease, read the tail, insert, commit. */
  private async commit(group: readonly Pending[]): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        await client.query({
          name: 'ordo_account_lock',
          text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
          values: [LOCK_NAMESPACE, this.account],
        });
        if (this.lease !== undefined) await this.lease.check(client);
        const tail = await client.query<{ seq: string; checksum: string }>({
          name: 'ordo_tail',
          text: TAIL_SQL,
          values: [this.account],
        });
        const rows = groupRows(group, tail.rows[0]);
        if (rows.checksums.length > 0)
          await client.query({
            name: 'ordo_insert_events',
            text: INSERT_EVENTS_SQL,
            values: [
              this.account,
              rows.seqBefore,
              RECORD_VERSION,
              rows.tss,
              rows.types.join(RECORD_SEPARATOR),
              rows.payloads.join(RECORD_SEPARATOR),
              rows.checksums,
            ],
          });
        if (rows.checkpointSeqs.length > 0) {
          await client.query({
            name: 'ordo_insert_checkpoints',
            text: INSERT_CHECKPOINTS_SQL,
            values: [
              this.account,
              rows.checkpointSeqs,
              rows.checkpointInputSeqs,
              rows.checkpointPayloads,
              rows.checkpointChained,
            ],
          });
          // A standalone checkpoint holds the whole state of in-process components (the paper
          // venue) and supersedes every older one; a chained one extends those before it.
          if (rows.checkpointStandalone)
            await client.query({
              name: 'ordo_delete_older_checkpoints',
              text: 'DELETE FROM ordo_checkpoints WHERE account = $1 AND seq < $2',
              values: [this.account, rows.checkpointSeqs[0]],
            });
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw e;
      }
    } finally {
      // A connection that could not roll back is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }
}

/** The rows of one commit: events numbered after the tail with chained checksums. */
interface GroupRows {
  readonly seqBefore: number;
  readonly tss: number[];
  readonly types: string[];
  readonly payloads: string[];
  readonly checksums: number[];
  readonly checkpointSeqs: number[];
  readonly checkpointInputSeqs: number[];
  readonly checkpointPayloads: string[];
  readonly checkpointChained: boolean[];
  /** The first checkpoint row stands alone: the rows before it are deleted. */
  checkpointStandalone: boolean;
}

/** Chains the group's checksums from the tail; the checkpoints to store (see checkpointsToWrite). */
function groupRows(
  group: readonly Pending[],
  tail: { seq: string; checksum: string } | undefined,
): GroupRows {
  const seqBefore = tail === undefined ? 0 : Number(tail.seq);
  let seq = seqBefore;
  let checksum = tail === undefined ? CHECKSUM_SEED : Number(tail.checksum);
  const rows: GroupRows = {
    seqBefore,
    tss: [],
    types: [],
    payloads: [],
    checksums: [],
    checkpointSeqs: [],
    checkpointInputSeqs: [],
    checkpointPayloads: [],
    checkpointChained: [],
    checkpointStandalone: false,
  };
  const checkpoints: (EncodedCheckpoint & { readonly at: number })[] = [];
  for (const p of group) {
    for (let i = 0; i < p.events.length; i++) {
      const event = p.events[i]!;
      const payload = p.payloads[i]!;
      seq += 1;
      checksum = chainChecksum(checksum, payload);
      rows.tss.push(event.ts);
      rows.types.push(event.type);
      rows.payloads.push(payload);
      rows.checksums.push(checksum);
    }
    if (p.checkpoint !== undefined) checkpoints.push({ at: seq, ...p.checkpoint });
  }
  const { rows: kept, standalone } = checkpointsToWrite(checkpoints);
  for (const c of kept) {
    rows.checkpointSeqs.push(c.at);
    rows.checkpointInputSeqs.push(c.inputSeq);
    rows.checkpointPayloads.push(c.payload);
    rows.checkpointChained.push(c.chained);
  }
  rows.checkpointStandalone = standalone;
  return rows;
}

/** A batch as written: its records encoded when it was appended. */
type EncodedBatch = Omit<Pending, 'resolve' | 'reject'>;

/**
 * Encodes a batch's records, or throws `invalid_batch` naming what cannot be written. Done when
 * the batch is appended, so a bad batch fails alone, and the JSON work overlaps the commit in
 * flight instead of lengthening the next one.
 */
function encodeBatch(batch: JournalBatch): EncodedBatch {
  const events = batch.events;
  const payloads: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (typeof event?.type !== 'string' || (event.type as string) === '' || !Number.isSafeInteger(event.ts))
      throw new JournalError('invalid_batch', `events[${i}] needs a string type and an integer ts`);
    let payload: string;
    try {
      payload = encodeEvent(event);
    } catch (e) {
      throw new JournalError(
        'invalid_batch',
        `events[${i}] (${event.type}) cannot be encoded: ${(e as Error).message}`,
      );
    }
    // The insert splits on RECORD_SEPARATOR: JSON never holds it (nor NUL) raw, a type is checked.
    if (CONTROL_CHARACTER.test(event.type) || payload.includes(RECORD_SEPARATOR))
      throw new JournalError('invalid_batch', `events[${i}] has a control character in its type`);
    payloads.push(payload);
  }
  return { events, payloads, checkpoint: encodeBatchCheckpoint(batch.checkpoint, events.length) };
}

/**
 * Creates or upgrades the schema (schema.ts) in one transaction, holding Ordo's schema advisory
 * lock, so that processes opening the same database at once run the steps once, in order.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, SCHEMA_LOCK_KEY]);
      await client.query(META_TABLE_SQL);
      const r = await client.query<{ value: string }>('SELECT value FROM ordo_meta WHERE key = $1', [
        META_KEY_SCHEMA_VERSION,
      ]);
      const stored = parseSchemaVersion(r.rows[0]?.value);
      for (const m of migrationsAfter(stored))
        for (const statement of m.sql.postgres) await client.query(statement);
      // Leases exist only on a shared server; the table is created beside the versioned schema.
      await client.query(LEASE_DDL);
      if (stored === 0)
        await client.query(
          'INSERT INTO ordo_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
          [META_KEY_CREATED_BY, ORDO_VERSION],
        );
      if (stored < SCHEMA_VERSION)
        await client.query(
          'INSERT INTO ordo_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
          [META_KEY_SCHEMA_VERSION, String(SCHEMA_VERSION)],
        );
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
  }
}
