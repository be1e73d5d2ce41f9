// The trade log: round trips and fills queried by symbol, time and tag, exported as CSV a
// spreadsheet opens (one row per round trip) and as JSON, each trip linked to its orders and fills.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import { fillsCsv, roundTripsCsv, tradeLogJson } from '../src/engine/trade-log.ts';
import { NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC, ETH, market, session } from './fixtures.ts';
import { MemoryJournal } from './support/memory-journal.ts';

function parseCsv(text: string): string[][] {
  // A small RFC 4180 reader, independent of the writer.
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('trade log', () => {
  const { oms } = session({ native: NONE_NATIVE });
  market(oms, BTC, '45000', 1000);
  market(oms, ETH, '2000', 1000);
  unwrap(oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '0.5', tag: 'swing' }));
  market(oms, BTC, '46000', 2000);
  unwrap(
    oms.placeOrder({
      symbol: 'BTC/USD',
      side: 'sell',
      type: 'market',
      quantity: '0.5',
      tag: 'swing,exit "a"',
    }),
  );
  unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '2', tag: '=SUM(A1)' }));
  market(oms, ETH, '1990', 3000);
  unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'sell', type: 'market', quantity: '2', tag: 'scalp' }));

  it('queries round trips by symbol, time range and tag, linked to orders and fill events', () => {
    assert.equal(oms.tradeLog.roundTrips().length, 2);
    const [btc] = oms.tradeLog.roundTrips({ symbol: 'BTC/USD' });
    assert.equal(btc?.side, 'long');
    assert.equal(btc?.realized, '500');
    assert.deepEqual(btc?.orderIds, [1, 2]);
    assert.equal(btc?.fillSeqs.length, 2);
    assert.ok(btc!.fillSeqs.every((s) => s > 0));
    assert.equal(oms.tradeLog.roundTrips({ tag: 'scalp' })[0]?.symbol, 'ETH/USD');
    assert.equal(oms.tradeLog.roundTrips({ fromMs: 2500 }).length, 1);
    assert.equal(oms.tradeLog.roundTrips({ toMs: 2500 }).length, 1);
    assert.equal(oms.tradeLog.fills({ symbol: 'ETH/USD' }).length, 2);
    assert.equal(oms.tradeLog.fills({ tag: 'swing' })[0]?.price, '45000.00');
  });

  it('exports CSV with one row per round trip that a spreadsheet reads back', () => {
    const csv = roundTripsCsv(oms.tradeLog.roundTrips());
    const rows = parseCsv(csv);
    assert.equal(rows.length, 3);
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    assert.equal(rows[1]![col('symbol')], 'BTC/USD');
    assert.equal(rows[1]![col('tags')], 'swing swing,exit "a"', 'commas and quotes survive quoting');
    assert.equal(rows[2]![col('tags')], "'=SUM(A1) scalp", 'a formula is neutralised');
    assert.equal(rows[1]![col('realized_net')], oms.tradeLog.roundTrips()[0]!.realizedNet);
    assert.match(rows[1]![col('opened_at')]!, /^1970-01-01T00:00:01.000Z$/);
    const fills = parseCsv(fillsCsv(oms.tradeLog.fills()));
    assert.equal(fills.length, 5);
  });

  it('exports JSON that parses back to the same records', () => {
    const trips = oms.tradeLog.roundTrips();
    assert.deepEqual(JSON.parse(tradeLogJson(trips)), JSON.parse(JSON.stringify(trips)));
  });
});

describe('trade log of a journaled session', () => {
  const manager = (journal: MemoryJournal) =>
    session({ native: NONE_NATIVE, instruments: [BTC], journal }).oms;

  it('numbers each fill by the journal seq of its order_filled event, live and after a restart', () => {
    const journal = new MemoryJournal();
    const oms = manager(journal);
    market(oms, BTC, '45000', 1000);
    for (let i = 0; i < 4; i++) {
      unwrap(
        oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', price: '44000', quantity: '0.1' }),
      );
      unwrap(
        oms.placeOrder({
          symbol: 'BTC/USD',
          side: i % 2 === 0 ? 'buy' : 'sell',
          type: 'market',
          quantity: '0.2',
        }),
      );
      // A query midway indexes the fills so far; the later ones must be found as well.
      if (i === 1) assert.ok(oms.tradeLog.roundTrips().length > 0);
    }
    market(oms, BTC, '43900', 2000);
    const seqOf = new Map<string, number>();
    for (const entry of journal.readSync())
      if (entry.event.type === 'order_filled') seqOf.set(entry.event.tradeId, entry.seq);
    const fills = oms.tradeLog.fills();
    assert.equal(fills.length, seqOf.size);
    assert.ok(fills.length >= 8, `${fills.length} fills`);
    for (const f of fills) assert.equal(f.seq, seqOf.get(f.tradeId), `seq of trade ${f.tradeId}`);
    const trips = oms.tradeLog.roundTrips();
    assert.ok(trips.length >= 2, `${trips.length} round trips`);
    for (const t of trips)
      assert.deepEqual(
        t.fillSeqs,
        t.tradeIds.map((id) => seqOf.get(id)),
        `fill seqs of round trip ${t.id}`,
      );
    const restarted = manager(journal);
    restarted.restore();
    assert.deepEqual(restarted.tradeLog.fills(), fills);
    assert.deepEqual(restarted.tradeLog.roundTrips(), oms.tradeLog.roundTrips());
  });
});
