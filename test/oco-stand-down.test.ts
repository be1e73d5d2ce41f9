// An OCO that Ordo links (the venue holds both legs natively but has no native OCO): when one leg
// fires at the venue, the other stands down. A venue that keeps refusing that cancel (a 429, a 5xx)
// is asked again at once three times, then after waits that double from 1 s to a minute, for as
// long as the sibling works; the asks come from the journaled cancel requests, so a restart goes on
// where it was instead of starting from zero.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC, trade } from './fixtures.ts';
import { MemoryJournal } from './support/memory-journal.ts';
import { ScriptedVenue } from './support/scripted-venue.ts';

/** Native stops, no native OCO; every cancel refused until a test says otherwise. */
function session(journal: MemoryJournal): { oms: AdvancedOrderManager; venue: ScriptedVenue } {
  const venue = new ScriptedVenue([BTC], { ...NONE_NATIVE, stop: true });
  const oms = new AdvancedOrderManager(venue, { instruments: [BTC], journal });
  oms.restore();
  return { oms, venue };
}

describe('an OCO sibling standing down at a venue that refuses cancels', () => {
  it('is asked four times at once, then after waits that double, and a restart goes on from the journal', () => {
    const journal = new MemoryJournal();
    const first = session(journal);
    const placed = first.oms.placeOcoOrder(
      {
        symbol: 'BTC/USD',
        side: 'sell',
        quantity: '0.1',
        legs: [
          { type: 'limit', price: '46000' },
          { type: 'stop', triggerPrice: '44000' },
        ],
      },
      1000,
    );
    assert.ok(placed.ok, placed.ok ? '' : placed.error.message);
    const [takeProfit, stop] = placed.value.orders;
    const tp = takeProfit!.id;
    const coid = first.oms.engine.clientOrderId(first.oms.engine.state.order(tp));
    assert.equal(first.oms.getOrder(stop!.id)!.route, 'native');
    // The stop fires at the venue: the take-profit is asked to cancel, refused, asked again…
    first.venue.send({
      kind: 'triggered',
      clientOrderId: first.oms.engine.clientOrderId(first.oms.engine.state.order(stop!.id)),
      ts: 2000,
    });
    first.oms.feed(trade(BTC, '43990', 2000));
    assert.deepEqual(first.venue.cancels, Array(4).fill(coid));
    assert.equal(first.oms.getOrder(tp)!.status, 'accepted');
    // …then once a second later, and two seconds after that.
    first.oms.sync(2999);
    assert.equal(first.venue.cancels.length, 4);
    first.oms.sync(3000);
    assert.equal(first.venue.cancels.length, 5);
    first.oms.sync(4999);
    assert.equal(first.venue.cancels.length, 5);

    // A restart: the rebuilt session knows the five asks and the last one's time, so it asks next
    // at 5000 (not four times at once), then 4 s later, and never waits more than a minute.
    const second = session(journal);
    second.oms.sync(4999);
    assert.deepEqual(second.venue.cancels, []);
    const asksBy = (ts: number): number => {
      second.oms.sync(ts);
      return second.venue.cancels.length;
    };
    assert.equal(asksBy(5000), 1);
    assert.equal(asksBy(8999), 1);
    assert.equal(asksBy(9000), 2); // after 4 s
    assert.equal(asksBy(17_000), 3); // 8 s
    assert.equal(asksBy(33_000), 4); // 16 s
    assert.equal(asksBy(65_000), 5); // 32 s
    assert.equal(asksBy(124_999), 5);
    assert.equal(asksBy(125_000), 6); // a minute, not 64 s
    assert.equal(asksBy(185_000), 7);
    assert.equal(second.oms.getOrder(tp)!.status, 'accepted');

    // The venue takes the next one: the take-profit ends, and nothing more is asked.
    second.venue.refusingCancels = false;
    assert.equal(asksBy(245_000), 8);
    assert.equal(second.oms.getOrder(tp)!.status, 'cancelled');
    assert.equal(asksBy(1_000_000), 8);
  });
});
