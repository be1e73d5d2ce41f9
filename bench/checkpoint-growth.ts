// How a journaled paper session grows with resting orders: milliseconds per placement and the
// journal's size (file + WAL) after each 1,000 resting limit orders, three ways: the engine alone
// (no venue state in its checkpoints) as the baseline; the paper venue's whole snapshot in every
// checkpoint (as Ordo did before checkpoint chains: O(venue state) per placement); and the paper
// venue's checkpoint chain (PaperVenue.checkpoint: a full snapshot, then its inputs since the
// previous checkpoint, restarted when they outweigh the snapshot), as sessions run now.
// Run: `node --import tsx bench/checkpoint-growth.ts [orders]`. The journals go to a temporary
// folder that is removed at the end.

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

type Mode = 'engine only (baseline)' | 'whole venue snapshot' | 'venue checkpoint chain';

function run(path: string, orders: number, mode: Mode): string[][] {
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
    checkpoint:
      mode === 'engine only (baseline)'
        ? undefined
        : mode === 'whole venue snapshot'
          ? () => ({ delta: false, state: venue.snapshot() })
          : (full) => venue.checkpoint(full),
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
        mode,
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
  const rows = [
    ...run(join(dir, 'base.db'), orders, 'engine only (baseline)'),
    ...run(join(dir, 'whole.db'), orders, 'whole venue snapshot'),
    ...run(join(dir, 'chain.db'), orders, 'venue checkpoint chain'),
  ];
  process.stdout.write(
    `Journaled placements of resting limit orders (SQLite, WAL, synchronous NORMAL: the defaults)\n\n${table(
      ['checkpoints hold', 'resting', 'ms/placement (last 1,000)', 'journal MB'],
      rows,
    )}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
