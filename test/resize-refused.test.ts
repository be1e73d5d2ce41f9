// A bracket that Ordo links sizes its take-profit (working at the venue) to the entry's fills. A
// resize the venue refuses is not asked again, because it would be refused again, forever: that
// holds across a restart too, since the refusal is rebuilt from the journal (found by the
// simulator, seed 8023362: the refused resize lived in memory only, and was asked again).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { VenueReport } from '../src/engine/venue-port.ts';
import { NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC } from './fixtures.ts';
import { MemoryJournal } from './support/memory-journal.ts';
import { ScriptedVenue } from './support/scripted-venue.ts';

/** Nothing native: Ordo links the bracket; every modify refused. */
function session(journal: MemoryJournal): { oms: AdvancedOrderManager; venue: ScriptedVenue } {
  const venue = new ScriptedVenue([BTC], NONE_NATIVE);
  const oms = new AdvancedOrderManager(venue, { instruments: [BTC], journal });
  oms.restore();
  return { oms, venue };
}

describe('a resize the venue refused', () => {
  it('is not asked again, before or after a restart', () => {
    const journal = new MemoryJournal();
    const first = session(journal);
    const placed = first.oms.placeBracketOrder(
      {
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { price: '46000' },
        stopLoss: { price: '44000' },
      },
      1000,
    );
    assert.ok(placed.ok, placed.ok ? '' : placed.error.message);
    const [entry, tp] = placed.value.orders.map((o) => o.id);
    const coid = (id: number) => first.oms.engine.clientOrderId(first.oms.engine.state.order(id));
    const fill = (tradeId: string, quantity: number, ts: number): VenueReport => ({
      kind: 'fill',
      clientOrderId: coid(entry!),
      tradeId,
      price: 4_500_000,
      quantity,
      fee: 0n,
      feeCurrency: 'USD',
      liquidity: 'maker',
      ts,
    });
    // 0.3 of the entry fills: the take-profit goes to the venue for 0.3.
    first.venue.send(fill('t1', 3000, 2000));
    first.oms.sync(2000);
    assert.equal(first.oms.getOrder(tp!)!.quantity, '0.3000');
    assert.equal(first.oms.getOrder(tp!)!.status, 'accepted');
    // 0.2 more: Ordo asks to resize it to 0.5, and the venue refuses.
    first.venue.send(fill('t2', 2000, 3000));
    first.oms.sync(3000);
    assert.deepEqual(first.venue.modifies, [{ clientOrderId: coid(tp!), quantity: 5000 }]);
    assert.equal(first.oms.getOrder(tp!)!.quantity, '0.3000');
    // Another report about the list (a repeated acknowledgement) does not ask it again.
    const ack: VenueReport = {
      kind: 'accepted',
      clientOrderId: coid(tp!),
      venueOrderId: `v-${coid(tp!)}`,
      ts: 4000,
    };
    first.venue.send(ack);
    first.oms.sync(4000);
    assert.equal(first.venue.modifies.length, 1);

    // After a restart, neither.
    const second = session(journal);
    second.venue.send({ ...ack, ts: 5000 });
    second.oms.sync(5000);
    assert.deepEqual(second.venue.modifies, []);
    // A new size is asked: 0.1 more fills, and Ordo asks for 0.6.
    second.venue.send(fill('t3', 1000, 6000));
    second.oms.sync(6000);
    assert.deepEqual(second.venue.modifies, [{ clientOrderId: coid(tp!), quantity: 6000 }]);
  });
});
