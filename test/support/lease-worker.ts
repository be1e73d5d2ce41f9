// A child process for the two-process lease test (test/lease-two-process.test.ts): it opens the
// PostgreSQL journal of one account under a lease named after itself, waiting while another
// process holds it, and then appends batches in a loop until told to stop, its lease is lost, its
// lifetime ends, or its parent dies. Every event carries the writer's name and lease epoch
// (`watermark_moved` with instrument = name, price = epoch), so the test can read back who wrote
// what. It prints one line per step, after the step is durable:
//
//   waiting owner=<name>
//   acquired owner=<name> epoch=<n> ms=<time from start>
//   appended owner=<name> epoch=<n> seq=<last seq of the batch> batches=<count>
//   lost owner=<name> epoch=<n> code=<code>
//   stopped owner=<name> batches=<count>
//
// Usage: node --import tsx test/support/lease-worker.ts <url> <account> <name> [ttlMs] [lifetimeMs]

import type { OrdoEvent } from '../../src/engine/events.ts';
import { PostgresJournal } from '../../src/journal/postgres-journal.ts';

const TTL_MS_DEFAULT = 1000;
const LIFETIME_MS_DEFAULT = 30_000;
const BATCH_EVENTS = 10;
/** A pause between batches keeps the output readable and lets the other process poll. */
const BATCH_PAUSE_MS = 5;

const [url, account, name, ttlArg, lifetimeArg] = process.argv.slice(2);
if (url === undefined || account === undefined || name === undefined) {
  console.error('usage: lease-worker.ts <url> <account> <name> [ttlMs] [lifetimeMs]');
  process.exit(2);
}
const ttlMs = Number(ttlArg ?? TTL_MS_DEFAULT);
const lifetimeMs = Number(lifetimeArg ?? LIFETIME_MS_DEFAULT);
const started = performance.now();

// However the test goes, this process ends: a hard exit shortly after its lifetime, and a stop
// as soon as the parent (the test) is gone.
setTimeout(() => {
  console.log(`stopped owner=${name} reason=hard_timeout`);
  process.exit(4);
}, lifetimeMs + 5000).unref();
const parent = process.ppid;
let stopping = false;
setInterval(() => {
  if (!isAlive(parent)) stopping = true;
}, 500).unref();
process.on('SIGTERM', () => {
  stopping = true;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function batch(epoch: number): OrdoEvent[] {
  const events: OrdoEvent[] = [];
  for (let i = 0; i < BATCH_EVENTS; i++)
    events.push({ type: 'watermark_moved', ts: Date.now(), instrument: name!, stream: 'last', price: epoch });
  return events;
}

async function main(): Promise<number> {
  console.log(`waiting owner=${name}`);
  const journal = await PostgresJournal.open(url!, {
    account,
    lease: { owner: name!, ttlMs, waitMs: lifetimeMs },
  });
  const epoch = journal.lease!.epoch;
  console.log(`acquired owner=${name} epoch=${epoch} ms=${Math.round(performance.now() - started)}`);
  let batches = 0;
  try {
    while (!stopping && performance.now() - started < lifetimeMs) {
      await journal.append({ events: batch(epoch) });
      batches += 1;
      console.log(`appended owner=${name} epoch=${epoch} seq=${await journal.lastSeq()} batches=${batches}`);
      await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
    }
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    console.log(`lost owner=${name} epoch=${epoch} code=${code} message=${(e as Error).message}`);
    await journal.close().catch(() => {});
    return 3;
  }
  await journal.close();
  console.log(`stopped owner=${name} batches=${batches}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(
      `failed owner=${name} code=${(e as { code?: string }).code ?? 'error'} message=${(e as Error).message}`,
    );
    process.exit(1);
  },
);
