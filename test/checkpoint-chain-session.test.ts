// A journaled paper session saves its venue as a checkpoint chain (decision 0006): a full snapshot,
// then the venue's inputs since the previous checkpoint. These tests run real sessions on a real
// SQLite journal and rebuild them from it, as `ordo serve` does after a restart: the rebuilt venue
// must equal the live one, the chain must restart with full snapshots so that it stays bounded,
// and a failed append must not leave a chain with a missing link.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SeededRandom } from '../src/core/ports.ts';
import { AdvancedOrderManager, savedComponentChain } from '../src/engine/advanced-order-manager.ts';
import type { JournalBatch, SyncJournal } from '../src/engine/journal-port.ts';
import { decodeCheckpointState, encodeCheckpointState } from '../src/journal/event-codec.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { formatPrice } from '../src/model/instrument.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { PaperVenue, type PaperVenueOptions } from '../src/venues/paper/paper-venue.ts';
import { BTC, quote, trade } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordo-chain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: PaperVenueOptions = {
  venue: 'paper',
  instruments: [BTC],
  balances: { USD: '100000000', BTC: '1000' },
  latencyMs: 5,
};

/** A venue's state as the journal stores it (JSON with tagged bigints: undefined fields drop out). */
function stored(venue: PaperVenue): unknown {
  return decodeCheckpointState(encodeCheckpointState(venue.snapshot()));
}

/** Every order as plain data. */
function views(oms: AdvancedOrderManager): unknown[] {
  return oms.getOrders().map((o) => oms.getOrder(o.id)!.snapshot());
}

/** A session on `journal`, resumed from what it holds (as the service starts). */
function open(journal: SyncJournal): { oms: AdvancedOrderManager; venue: PaperVenue } {
  const saved = savedComponentChain(journal);
  const venue = saved.length === 0 ? new PaperVenue(OPTIONS) : PaperVenue.restoreChain(OPTIONS, saved);
  const oms = new AdvancedOrderManager(venue, {
    instruments: [BTC],
    portfolio: new Portfolio(),
    journal,
    checkpoint: (full) => venue.checkpoint(full),
  });
  oms.restore();
  return { oms, venue };
}

/** One step of a random session: a quote, a trade, and now and then an order of some kind or a cancel. */
function step(rnd: SeededRandom, oms: AdvancedOrderManager, t: number, mid: { price: number }): void {
  mid.price += (rnd.nextInt(21) - 10) * 100;
  const p = (d: number) => formatPrice(BTC, mid.price + d * 100);
  oms.feed(quote(BTC, p(-1), p(1), t * 100, '0.5'));
  oms.feed(trade(BTC, p(0), t * 100 + 1, '0.3'));
  const side = rnd.nextInt(2) === 0 ? 'buy' : 'sell';
  const sign = side === 'buy' ? -1 : 1;
  switch (rnd.nextInt(6)) {
    case 0:
      oms.placeOrder(
        { symbol: 'BTC/USD', side, type: 'limit', price: p(sign * rnd.nextInt(30)), quantity: '0.1' },
        t * 100 + 2,
      );
      break;
    case 1:
      oms.placeOrder({ symbol: 'BTC/USD', side, type: 'market', quantity: '0.05' }, t * 100 + 2);
      break;
    case 2:
      oms.placeOrder(
        {
          symbol: 'BTC/USD',
          side,
          type: 'stop',
          triggerPrice: p(-sign * (1 + rnd.nextInt(20))),
          quantity: '0.1',
        },
        t * 100 + 2,
      );
      break;
    case 3: {
      const open = oms.getActiveOrders();
      if (open.length > 0) oms.cancelOrder(open[rnd.nextInt(open.length)]!.id, t * 100 + 2);
      break;
    }
    default:
      break;
  }
}

describe('a journaled paper session saves its venue as a checkpoint chain', () => {
  it('a session rebuilt from the journal at any point has the live venue, and the chain stays bounded', () => {
    const journal = SqliteJournal.open(join(dir, 'rebuild.db'));
    let live = open(journal);
    const rnd = new SeededRandom(11);
    const mid = { price: 4_500_000 };
    let restarts = 0;
    let longest = 0;
    let fullSeen = 0;
    for (let t = 1; t <= 600; t++) {
      step(rnd, live.oms, t, mid);
      const chain = journal.checkpointChainSync();
      if (chain.length === 1) fullSeen++;
      longest = Math.max(longest, chain.length);
      if (t % 37 === 0) {
        // A restart after an input that made events (inputs without events are not journaled:
        // a resumed session is fed them again), so the journal holds the venue as it is now. The
        // rebuilt session must hold exactly the live venue and carry on from it.
        const far = formatPrice(BTC, mid.price - 50_000);
        live.oms.placeOrder(
          { symbol: 'BTC/USD', side: 'buy', type: 'limit', price: far, quantity: '0.1' },
          t * 100 + 3,
        );
        const rebuilt = open(journal);
        assert.deepEqual(stored(rebuilt.venue), stored(live.venue), `venue after step ${t}`);
        assert.deepEqual(views(rebuilt.oms), views(live.oms), `orders after step ${t}`);
        live = rebuilt;
        restarts++;
      }
    }
    assert.equal(restarts, 16);
    // Deltas were written (chains longer than one link) and full snapshots restarted them.
    assert.ok(longest > 10, `longest chain ${longest}`);
    assert.ok(fullSeen > 1, `full snapshots after the first: ${fullSeen}`);
    void journal.close();
  });

  it('after a failed append the next checkpoint is a full snapshot, and the journal rebuilds the venue', () => {
    const inner = SqliteJournal.open(join(dir, 'failed.db'));
    let failNext = false;
    const journal: SyncJournal = {
      append: (b) => inner.append(b),
      read: (s) => inner.read(s),
      lastCheckpoint: () => inner.lastCheckpoint(),
      checkpointChain: () => inner.checkpointChain(),
      lastSeq: () => inner.lastSeq(),
      verify: () => inner.verify(),
      close: () => inner.close(),
      readSync: (s) => inner.readSync(s),
      lastCheckpointSync: () => inner.lastCheckpointSync(),
      checkpointChainSync: () => inner.checkpointChainSync(),
      appendSync(batch: JournalBatch): void {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        inner.appendSync(batch);
      },
    };
    const { oms, venue } = open(journal);
    const rnd = new SeededRandom(5);
    const mid = { price: 4_500_000 };
    for (let t = 1; t <= 40; t++) step(rnd, oms, t, mid);
    assert.ok(inner.checkpointChainSync().length > 1, 'the chain has deltas before the failure');
    failNext = true;
    assert.throws(
      () =>
        oms.placeOrder(
          {
            symbol: 'BTC/USD',
            side: 'buy',
            type: 'limit',
            price: formatPrice(BTC, 4_000_000),
            quantity: '0.1',
          },
          5000,
        ),
      /disk full/,
    );
    // The venue took that order but its inputs never reached the journal: the next checkpoint
    // is standalone, so the chain holds the venue as it now is.
    oms.placeOrder(
      { symbol: 'BTC/USD', side: 'buy', type: 'limit', price: formatPrice(BTC, 4_000_100), quantity: '0.1' },
      5001,
    );
    const chain = inner.checkpointChainSync();
    assert.equal(chain.length, 1);
    assert.equal(chain[0]!.checkpoint.chained, undefined);
    const rebuilt = PaperVenue.restoreChain(OPTIONS, savedComponentChain(inner));
    assert.deepEqual(stored(rebuilt), stored(venue));
    void inner.close();
  });
});
