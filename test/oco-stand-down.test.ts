// An OCO that Ordo links (the venue holds both legs natively but has no native OCO): when one leg
// fires at the venue, the other stands down. A venue that keeps refusing that cancel (a 429, a 5xx)
// is asked again at once three times, then after waits that double from 1 s to a minute, for as
// long as the sibling works; the asks come from the journaled cancel requests, so a restart goes on
// where it was instead of starting from zero.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { SyncVenue, VenueCommand, VenueReport } from '../src/engine/venue-port.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { BTC, trade } from './fixtures.ts';
import { MemoryJournal } from './support/memory-journal.ts';

/** Native stops, no native OCO: a venue that accepts every order and refuses every cancel. */
class RefusingVenue implements SyncVenue {
  readonly id = 'paper';
  readonly capabilities = new PaperVenue({
    venue: 'paper',
    instruments: [BTC],
    balances: {},
    native: { ...NONE_NATIVE, stop: true },
  }).capabilities;
  readonly cancels: string[] = [];
  /** Whether cancels are refused; when not, a cancel ends the order. */
  refusing = true;
  private reports: VenueReport[] = [];

  handle(c: VenueCommand, ts: number): void {
    if (c.kind === 'submit')
      this.reports.push({
        kind: 'accepted',
        clientOrderId: c.order.clientOrderId,
        venueOrderId: `v-${c.order.clientOrderId}`,
        ts,
      });
    else if (c.kind === 'cancel') {
      this.cancels.push(c.clientOrderId);
      this.reports.push(
        this.refusing
          ? { kind: 'cancel_rejected', clientOrderId: c.clientOrderId, reason: '429 too many requests', ts }
          : { kind: 'cancelled', clientOrderId: c.clientOrderId, reason: 'user', ts },
      );
    }
  }
  onMarket(): void {}
  /** A report the venue sends on the next drain. */
  send(r: VenueReport): void {
    this.reports.push(r);
  }
  drainReports(): VenueReport[] {
    const out = this.reports;
    this.reports = [];
    return out;
  }
}

function session(journal: MemoryJournal): { oms: AdvancedOrderManager; venue: RefusingVenue } {
  const venue = new RefusingVenue();
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
    second.venue.refusing = false;
    assert.equal(asksBy(245_000), 8);
    assert.equal(second.oms.getOrder(tp)!.status, 'cancelled');
    assert.equal(asksBy(1_000_000), 8);
  });
});
