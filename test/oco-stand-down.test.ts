// An OCO that Ordo links (the venue holds both legs natively but has no native OCO): when one leg
// fires at the venue, the other stands down. A venue that keeps refusing that cancel (a 429, a 5xx)
// is asked again, a bounded number of times; the count comes from the journaled cancel requests, so
// a restart does not start asking from zero.

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
      this.reports.push({
        kind: 'cancel_rejected',
        clientOrderId: c.clientOrderId,
        reason: '429 too many requests',
        ts,
      });
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
  it('is asked four times in all, and a restart does not ask again', () => {
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
    const coid = (id: number) => first.oms.engine.clientOrderId(first.oms.engine.state.order(id));
    assert.equal(first.oms.getOrder(stop!.id)!.route, 'native');
    // The stop fires at the venue: the take-profit is asked to cancel, refused, asked again…
    first.venue.send({ kind: 'triggered', clientOrderId: coid(stop!.id), ts: 2000 });
    first.oms.feed(trade(BTC, '43990', 2000));
    assert.deepEqual(first.venue.cancels, Array(4).fill(coid(takeProfit!.id)));
    assert.equal(first.oms.getOrder(takeProfit!.id)!.status, 'accepted');

    // A restart: the rebuilt session knows the four asks and asks no more, also when the OCO's
    // state is looked at again (a fill of the fired stop).
    const second = session(journal);
    second.venue.send({
      kind: 'fill',
      clientOrderId: coid(stop!.id),
      tradeId: 't1',
      price: first.oms.engine.state.order(stop!.id).triggerPrice!,
      quantity: first.oms.engine.state.order(stop!.id).quantity,
      fee: 0n,
      feeCurrency: 'USD',
      liquidity: 'taker',
      ts: 3000,
    });
    second.oms.feed(trade(BTC, '43990', 3000));
    assert.equal(second.oms.getOrder(stop!.id)!.status, 'filled');
    assert.deepEqual(second.venue.cancels, []);
  });
});
