// Benchmark: events per second appended to the PostgreSQL journal, next to the raw `pg` driver
// inserting the same rows with the same batching in the same run, on the same server. Events are
// 100-event batches of fills (JSON with a bigint fee), built before timing. The journal rows:
//
// - group commit: many appenders (APPENDERS_CONCURRENT) each await one batch at a time, so
//   batches queue while a commit is in flight and share the next commit;
// - the same with a lease, whose row every commit locks and checks;
// - one appender: each 100-event batch is its own commit (what group commit saves).
//
// The raw rows encode the same events (JSON, chained CRC-32) on one pg.Client and insert them
// with the journal's own INSERT ... UNNEST statement, in groups of the journal's measured mean
// group size and once per 100-event batch, each group one transaction: the gap between a journal
// row and its raw row is the journal's own machinery (queueing, account lock, tail read, lease
// check; encoding overlaps the commit in flight in the journal, not in the raw loop). One more raw
// row sends the groups the usual pg way, one array parameter per column, to show what the
// journal's statement (texts joined with U+001E, split on the server) buys. fsync stays on.
// Without a url, it starts a throwaway server (test/support/postgres.ts) and returns undefined
// when PostgreSQL is not installed. Run alone: node --import tsx bench/journal-postgres.ts [events]

import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { orderId } from '../src/core/ids.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import type { JournalBatch } from '../src/engine/journal-port.ts';
import { CHECKSUM_SEED, chainChecksum, encodeEvent, RECORD_VERSION } from '../src/journal/event-codec.ts';
import { INSERT_EVENTS_SQL, PostgresJournal } from '../src/journal/postgres-journal.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { count, nowMs, perSecond, si, summarize, table } from './measure.ts';

export interface JournalBenchRow {
  readonly label: string;
  /** Median over the repetitions. */
  readonly eventsPerSec: number;
}

export interface JournalBenchOptions {
  /** Events per grouped run; the one-batch-per-commit rows write a tenth of it. */
  readonly events: number;
  /** An existing server; a throwaway one is started when absent. */
  readonly url?: string;
  readonly reps?: number;
}

const BATCH_EVENTS = 100;
const APPENDERS_CONCURRENT = 64;
const REPS_DEFAULT = 3;
/** The one-commit-per-batch rows are slow by nature: they write this fraction of the events. */
const UNGROUPED_FRACTION = 10;

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

let runs = 0;
function freshAccount(label: string): string {
  runs += 1;
  return `bench-${label}-${process.pid}-${runs}`;
}

/** Journal appends from `appenders` concurrent loops; returns events/s and the mean group size. */
async function journalRun(
  url: string,
  work: readonly JournalBatch[],
  appenders: number,
  lease: boolean,
): Promise<{ rate: number; eventsPerCommit: number }> {
  const account = freshAccount(lease ? 'lease' : 'journal');
  const journal = await PostgresJournal.open(url, {
    account,
    ...(lease ? { lease: { owner: `bench-${process.pid}` } } : {}),
  });
  try {
    let next = 0;
    const loop = async () => {
      for (let i = next++; i < work.length; i = next++) await journal.append(work[i]!);
    };
    const t0 = nowMs();
    await Promise.all(Array.from({ length: appenders }, loop));
    const ms = nowMs() - t0;
    const { events, commits } = journal.stats;
    return { rate: perSecond(events, ms), eventsPerCommit: events / Math.max(1, commits) };
  } finally {
    await journal.close();
  }
}

/**
 * How the raw driver sends a group: `split` is the journal's own statement (texts joined and split
 * on the server), `arrays` the usual way with pg, one array parameter per column.
 */
type RawInsert = 'split' | 'arrays';

const ARRAYS_INSERT_SQL = `
INSERT INTO ordo_events (account, seq, ts, type, version, payload, checksum)
SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::bigint[])`;

/** The raw driver: encode and insert `work` in groups of `groupBatches` batches, one transaction each. */
async function rawRun(
  url: string,
  work: readonly JournalBatch[],
  groupBatches: number,
  insert: RawInsert,
): Promise<number> {
  const account = freshAccount(`raw-${insert}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let seq = 0;
    let checksum = CHECKSUM_SEED;
    let events = 0;
    const t0 = nowMs();
    for (let g = 0; g < work.length; g += groupBatches) {
      const seqBefore = seq;
      const seqs: number[] = [];
      const tss: number[] = [];
      const types: string[] = [];
      const payloads: string[] = [];
      const checksums: number[] = [];
      for (const batch of work.slice(g, g + groupBatches)) {
        for (const event of batch.events) {
          const payload = encodeEvent(event);
          seq += 1;
          checksum = chainChecksum(checksum, payload);
          seqs.push(seq);
          tss.push(event.ts);
          types.push(event.type);
          payloads.push(payload);
          checksums.push(checksum);
        }
      }
      await client.query('BEGIN');
      if (insert === 'split')
        await client.query({
          name: 'bench_raw_split',
          text: INSERT_EVENTS_SQL,
          values: [
            account,
            seqBefore,
            RECORD_VERSION,
            tss,
            types.join('\x1e'),
            payloads.join('\x1e'),
            checksums,
          ],
        });
      else
        await client.query({
          name: 'bench_raw_arrays',
          text: ARRAYS_INSERT_SQL,
          values: [account, seqs, tss, types, seqs.map(() => RECORD_VERSION), payloads, checksums],
        });
      await client.query('COMMIT');
      events += seqs.length;
    }
    return perSecond(events, nowMs() - t0);
  } finally {
    await client.end();
  }
}

async function median(reps: number, fn: () => Promise<number>): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < reps; i++) all.push(await fn());
  return summarize(all, 'high').median;
}

export async function benchPostgresJournal(
  opts: JournalBenchOptions,
): Promise<{ rows: JournalBenchRow[] } | undefined> {
  const server = opts.url === undefined ? await startPostgres() : undefined;
  if (opts.url === undefined && server === undefined) return undefined;
  const url = opts.url ?? server!.url;
  const reps = opts.reps ?? REPS_DEFAULT;
  try {
    const work = batches(opts.events);
    const fewer = work.slice(0, Math.max(1, Math.floor(work.length / UNGROUPED_FRACTION)));
    // Creates the schema and warms the server, the driver and the code paths.
    await journalRun(url, batches(Math.min(opts.events, 10_000)), APPENDERS_CONCURRENT, true);

    const groupSizes: number[] = [];
    const grouped = await median(reps, async () => {
      const r = await journalRun(url, work, APPENDERS_CONCURRENT, false);
      groupSizes.push(r.eventsPerCommit);
      return r.rate;
    });
    const leased = await median(
      reps,
      async () => (await journalRun(url, work, APPENDERS_CONCURRENT, true)).rate,
    );
    const meanGroupEvents = groupSizes.reduce((a, b) => a + b, 0) / groupSizes.length;
    const groupBatches = Math.max(1, Math.round(meanGroupEvents / BATCH_EVENTS));
    const rawGrouped = await median(reps, () => rawRun(url, work, groupBatches, 'split'));
    const rawArrays = await median(reps, () => rawRun(url, work, groupBatches, 'arrays'));
    const single = await median(reps, async () => (await journalRun(url, fewer, 1, false)).rate);
    const rawSingle = await median(reps, () => rawRun(url, fewer, 1, 'split'));
    const n = count(work.length * BATCH_EVENTS);
    const m = count(fewer.length * BATCH_EVENTS);
    return {
      rows: [
        {
          label: `journal, ${APPENDERS_CONCURRENT} appenders x ${BATCH_EVENTS}-event batches, group commit (${n} events, ~${Math.round(meanGroupEvents)} per commit)`,
          eventsPerSec: grouped,
        },
        {
          label: `journal, the same with a lease checked in every commit (${n} events)`,
          eventsPerSec: leased,
        },
        {
          label: `raw pg, same rows and insert, ${groupBatches * BATCH_EVENTS} events per commit (${n} events)`,
          eventsPerSec: rawGrouped,
        },
        {
          label: `raw pg, same rows, array parameters, ${groupBatches * BATCH_EVENTS} events per commit (${n} events)`,
          eventsPerSec: rawArrays,
        },
        {
          label: `journal, 1 appender, one ${BATCH_EVENTS}-event batch per commit (${m} events)`,
          eventsPerSec: single,
        },
        {
          label: `raw pg, same rows, one ${BATCH_EVENTS}-event insert per commit (${m} events)`,
          eventsPerSec: rawSingle,
        },
      ],
    };
  } finally {
    await server?.stop();
  }
}

export function printPostgresJournal(rows: readonly JournalBenchRow[]): string {
  return [
    `PostgreSQL journal appends, events/s (median of ${REPS_DEFAULT}, fsync on)`,
    table(
      ['run', 'events/s'],
      rows.map((r) => [r.label, si(r.eventsPerSec)]),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200_000);
  const r = await benchPostgresJournal({ events });
  if (r === undefined) {
    console.warn('SKIPPED: PostgreSQL not installed — the PostgreSQL journal benchmark did not run');
    return;
  }
  console.log(printPostgresJournal(r.rows));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
