// `ordo journal verify`: checks a journal's integrity — every event present (no gap in the
// sequence), every checksum chaining from the one before, every record and the newest checkpoint
// decodable — on a SQLite file or a PostgreSQL database. Exit 0 when sound, 4 when not.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Journal, VerifyReport } from '../../engine/journal-port.ts';
import { PostgresJournal } from '../../journal/postgres-journal.ts';
import { SqliteJournal } from '../../journal/sqlite-journal.ts';
import { defineCommand, EXIT, fail, keyValues, table, usage, writeJson } from '../cli-kit.ts';

const DB_DEFAULT = 'data/ordo.db';

const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** A connection string with its password masked, for messages. */
const shown = (db: string) => (isPostgres(db) ? db.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') : db);

export const journalCommand = defineCommand({
  name: 'journal',
  summary: 'journal tools: verify the integrity of a SQLite or PostgreSQL journal',
  usage: `Usage:
  ordo journal verify [--db PATH|postgres://...] [--account NAME] [--json]

Checks that the journal's events run 1..n without a gap, that every checksum chains from the one
before it, and that every record and the newest checkpoint decode. Reads only; never repairs.

Flags:
  --db PATH|URL    a SQLite file (default ${DB_DEFAULT}) or a postgres:// connection string
                   (the password is never printed)
  --account NAME   the account whose events to check (default: the default account)
  --json           the report as JSON

Exit codes: 0 the journal is sound, 4 problems were found, 3 it could not be opened.`,
  examples: [
    'ordo journal verify',
    'ordo journal verify --db data/backtests/btcusdt_20240809.gz.breakout.db --json',
    'ordo journal verify --db postgres://ordo@localhost/ordo',
  ],
  flags: { db: { type: 'string' }, account: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ flags, positionals }, io) {
    const sub = positionals[0];
    if (sub !== 'verify') return usage(`unknown subcommand '${sub}'; expected verify`);
    const db = flags.db ?? DB_DEFAULT;
    const path = isPostgres(db) ? db : resolve(io.cwd, db);
    // Opening a SQLite path that does not exist would create an empty journal and call it sound.
    if (!isPostgres(db) && !existsSync(path))
      return fail(io, 'journal', `no journal at ${db}`, EXIT.unavailable);
    let journal: Journal;
    try {
      journal = isPostgres(db)
        ? await PostgresJournal.open(db, { account: flags.account })
        : SqliteJournal.open(path, { account: flags.account });
    } catch (e) {
      return fail(io, 'journal', `cannot open ${shown(db)}: ${(e as Error).message}`, EXIT.unavailable);
    }
    let report: VerifyReport;
    try {
      report = await journal.verify();
    } finally {
      await journal.close();
    }
    if (flags.json) writeJson(io, { db: shown(db), ...report });
    else {
      io.stdout.write(
        keyValues([
          ['journal', shown(db)],
          ['result', report.ok ? 'sound' : `${report.problems.length} problem(s)`],
          ['events', String(report.events)],
          ['last seq', String(report.lastSeq)],
        ]),
      );
      if (!report.ok)
        io.stdout.write(
          `\n${table(
            [{ header: 'seq', align: 'right' }, { header: 'problem' }, { header: 'detail' }],
            report.problems.map((p) => [String(p.seq), p.code, p.message]),
          )}`,
        );
    }
    return report.ok ? EXIT.ok : EXIT.integrity;
  },
});
