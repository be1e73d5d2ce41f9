// How a journaled paper session grows with resting orders: milliseconds per placement and the
// journal's size (file + WAL) after each 1,000 resting limit orders, with the paper venue's
// snapshot in every checkpoint, next to the same session journaling the engine alone (no venue
// snapshot) as the baseline. Run: `node --import tsx bench/checkpoint-growth.ts [orders]`.
// The journals go to a temporary folder that is removed at the end.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { table } from './measure.ts';
import { limitSpecs } from './placement-bench.ts';
import { BAND, BENCH_BTC } from './tape.ts';

const START_MS = 1_700_000_000_000;

function run(path: string, orders: number, withVenue: boolean): string[][] {
  const venue = new PaperVenue({
    venue: BENCH_BTC.venue,
    instruments: [BENCH_BTC],
    balances: { USD: '100000000000', BTC: '1000000000' },
    native: NONE_NATIVE,
    latencyMs: 0,
  });
  const journal = SqliteJournal.open(path);
  const oms = new AdvancedOrderManager(venue, {
    instruments: [BENCH_BTC],
    portfolio: new Portfolio(),
    journal,
    ...(withVenue ? { checkpointState: () => venue.snapshot() } : {}),
  });
  oms.feed({
    kind: 'quote',
    instrument: BENCH_BTC.key,
    ts: START_MS,
    bid: BAND.start - BENCH_BTC.priceIncrement,
    bidSize: 1e12,
    ask: BAND.start,
    askSize: 1e12,
  });
  const rows: string[][] = [];
  const specs = limitSpecs(orders);
  let t0 = performance.now();
  for (let i = 0; i < specs.length; i++) {
    const r = oms.placeOrder(specs[i]!, START_MS + 1 + i);
    if (!r.ok) throw new Error(r.error.message);
    if ((i + 1) % 1000 === 0) {
      const bytes = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
      rows.push([
        withVenue ? 'engine + paper venue' : 'engine only (baseline)',
        String(i + 1),
        ((performance.now() - t0) / 1000).toFixed(2),
        (bytes / 1e6).toFixed(1),
      ]);
      t0 = performance.now();
    }
  }
  void journal.close();
  return rows;
}

const orders = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'ordo-checkpoint-growth-'));
try {
  const rows = [...run(join(dir, 'base.db'), orders, false), ...run(join(dir, 'venue.db'), orders, true)];
  process.stdout.write(
    `Journaled placements of resting limit orders (SQLite, WAL, synchronous NORMAL: the defaults)\n\n${table(
      ['checkpoint holds', 'resting', 'ms/placement (last 1,000)', 'journal MB'],
      rows,
    )}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
