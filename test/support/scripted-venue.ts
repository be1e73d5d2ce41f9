// A venue for engine tests that script the venue's answers: it acknowledges every order, refuses
// (or takes) every cancel and refuses every modify, records what it was asked, and sends whatever
// report a test queues with `send` on the next drain. Its capabilities are the paper venue's.

import type { SyncVenue, VenueCommand, VenueReport } from '../../src/engine/venue-port.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import { type PaperNative, PaperVenue } from '../../src/venues/paper/paper-venue.ts';

export class ScriptedVenue implements SyncVenue {
  readonly id = 'paper';
  readonly capabilities;
  /** Client order ids of the cancels asked, in order. */
  readonly cancels: string[] = [];
  readonly modifies: { clientOrderId: string; quantity: number }[] = [];
  /** Whether cancels are refused (a 429); when not, a cancel ends the order. */
  refusingCancels = true;
  private reports: VenueReport[] = [];

  constructor(instruments: readonly Instrument[], native: PaperNative) {
    this.capabilities = new PaperVenue({ venue: 'paper', instruments, balances: {}, native }).capabilities;
  }

  handle(c: VenueCommand, ts: number): void {
    switch (c.kind) {
      case 'submit':
        this.reports.push({
          kind: 'accepted',
          clientOrderId: c.order.clientOrderId,
          venueOrderId: `v-${c.order.clientOrderId}`,
          ts,
        });
        return;
      case 'cancel':
        this.cancels.push(c.clientOrderId);
        this.reports.push(
          this.refusingCancels
            ? { kind: 'cancel_rejected', clientOrderId: c.clientOrderId, reason: '429 too many requests', ts }
            : { kind: 'cancelled', clientOrderId: c.clientOrderId, reason: 'user', ts },
        );
        return;
      case 'modify':
        this.modifies.push({ clientOrderId: c.clientOrderId, quantity: c.quantity });
        this.reports.push({
          kind: 'modify_rejected',
          clientOrderId: c.clientOrderId,
          reason: 'this order cannot be modified',
          ts,
        });
        return;
      case 'submit_list':
        throw new Error('the scripted venue takes no native lists');
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
