// The journal's storage schema, one design for the SQLite and the PostgreSQL journal: the schema
// version this code writes, and the ordered migrations that take an empty store (version 0) to
// it, each step given in both dialects. A journal opens a store by creating `ordo_meta` if it is
// missing, reading `schema_version`, refusing a store from a newer Ordo, and applying the steps
// after the stored version in one transaction, recording the new version in `ordo_meta`.
//
//   ordo_meta(key, value)                    schema_version, created_by (the Ordo that created it)
//   ordo_events(account, seq, ts, type,      one row per event: seq is 1..n per account, gap-free;
//               version, payload, checksum)  payload is the record (event-codec.ts), checksum
//                                            its CRC-32 chained from the previous row's
//   ordo_checkpoints(account, seq,           the checkpoint written with the batch whose last
//                    input_seq, payload,     event is `seq` (0 before any event); chained = 1
//                    chained)                extends the rows before it, 0 stands alone

import { createRequire } from 'node:module';
import { JournalError } from './journal-error.ts';

/** The account a journal writes when its options name none. */
export const ACCOUNT_DEFAULT = 'default';

export type SqlDialect = 'sqlite' | 'postgres';

export interface Migration {
  /** The schema version after this step; steps are numbered 1, 2, … without gaps. */
  readonly version: number;
  readonly description: string;
  /** Statements, run in order inside the opening transaction. */
  readonly sql: Readonly<Record<SqlDialect, readonly string[]>>;
}

/** Created before anything else is read, so that an empty store reads as version 0. */
export const META_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS ordo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

export const META_KEY_SCHEMA_VERSION = 'schema_version';
export const META_KEY_CREATED_BY = 'created_by';

/**
 * Every schema change, oldest first. The SQLite events table is WITHOUT ROWID: its rows live in
 * the primary key's own b-tree, in (account, seq) order, so an append writes one b-tree instead of
 * a table and an index (a fifth faster) and a replay reads the rows in order, side by side. Append a step to change the schema; never edit a step that
 * has shipped, since stores in the field are at its version already.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events and checkpoints',
    sql: {
      sqlite: [
        `CREATE TABLE ordo_events (
          account TEXT NOT NULL,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          payload TEXT NOT NULL,
          checksum INTEGER NOT NULL,
          PRIMARY KEY (account, seq)
        ) WITHOUT ROWID`,
        `CREATE TABLE ordo_checkpoints (
          account TEXT NOT NULL,
          seq INTEGER NOT NULL,
          input_seq INTEGER NOT NULL,
          payload TEXT NOT NULL,
          PRIMARY KEY (account, seq)
        )`,
      ],
      postgres: [
        `CREATE TABLE ordo_events (
          account TEXT NOT NULL,
          seq BIGINT NOT NULL,
          ts BIGINT NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          payload TEXT NOT NULL,
          checksum BIGINT NOT NULL,
          PRIMARY KEY (account, seq)
        )`,
        `CREATE TABLE ordo_checkpoints (
          account TEXT NOT NULL,
          seq BIGINT NOT NULL,
          input_seq BIGINT NOT NULL,
          payload TEXT NOT NULL,
          PRIMARY KEY (account, seq)
        )`,
      ],
    },
  },
  {
    version: 2,
    description: 'chained checkpoints',
    sql: {
      // A chained checkpoint holds only what changed since the checkpoint before it (the paper
      // venue's inputs since then), so recovery reads the chain from its last standalone row.
      sqlite: ['ALTER TABLE ordo_checkpoints ADD COLUMN chained INTEGER NOT NULL DEFAULT 0'],
      postgres: ['ALTER TABLE ordo_checkpoints ADD COLUMN chained BOOLEAN NOT NULL DEFAULT false'],
    },
  },
];

/** The schema version this code writes: the version of the last migration. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The version of the Ordo package, recorded as `created_by` in a store it creates. */
export const ORDO_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/** The stored `schema_version` as a number; a missing row is version 0 (a new store). */
export function parseSchemaVersion(value: string | undefined): number {
  if (value === undefined) return 0;
  const version = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(version))
    throw new JournalError('schema_invalid', `ordo_meta.schema_version is '${value}', not a version number`);
  return version;
}

/**
 * The steps that take a store from `stored` to the last version of `migrations`, in order; throws
 * `schema_too_new` when the store is newer than this code, naming both versions.
 */
export function migrationsAfter(
  stored: number,
  migrations: readonly Migration[] = MIGRATIONS,
): readonly Migration[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const target = migrations.length;
  if (stored > target)
    throw new JournalError(
      'schema_too_new',
      `the journal's schema is version ${stored}, but this Ordo (${ORDO_VERSION}) reads up to schema version ${target}; open it with a newer Ordo`,
    );
  return migrations.slice(stored);
}
