// A fault-injecting wire between the engine and the paper venue, for simulated histories. It is a
// SyncVenue around a PaperVenue: commands may be refused before they reach the venue (a 5xx or 429
// the bridge gave up on), and the venue's reports may be held back for a few inputs (latency),
// overtake reports of other orders (reordering), arrive twice (duplicate fills), lose their
// acknowledgement, or let a cancel overtake the fills before it (a fill after a cancel). Reports
// of one order otherwise keep their order, as a venue's stream does.
//
// Every fault is drawn from the history's seed and a counter kept in the wire's snapshot, so a
// process restart that restores the wire from the journal's checkpoint draws the same faults again.

import { SeededRandom } from '../src/core/ports.ts';
import type { Capabilities, SyncVenue, VenueCommand, VenueReport } from '../src/engine/venue-port.ts';
import type { MarketData } from '../src/model/market.ts';
import type { PaperVenue } from '../src/venues/paper/paper-venue.ts';

/** Percent chances (0–100) of each fault, per command or per report. */
export interface WireFaults {
  /** A report is held back 1 to `delayMaxInputs` inputs. */
  readonly delay: number;
  readonly delayMaxInputs: number;
  /** A fill is delivered a second time, later. */
  readonly duplicateFill: number;
  /** An acceptance never arrives. */
  readonly lostAck: number;
  /** A cancel overtakes the fills of its order still on the wire. */
  readonly cancelOvertakes: number;
  /** A command is refused before it reaches the venue (venue_unavailable / rate_limited). */
  readonly refuse: number;
}

export const NO_FAULTS: WireFaults = {
  delay: 0,
  delayMaxInputs: 0,
  duplicateFill: 0,
  lostAck: 0,
  cancelOvertakes: 0,
  refuse: 0,
};

/** What the wire saw at the venue itself, before any fault: the truth the auditor checks against. */
export interface WireObserver {
  command(c: VenueCommand): void;
  refused(c: VenueCommand): void;
  venueReport(r: VenueReport): void;
}

interface InFlight {
  readonly due: number;
  readonly seq: number;
  readonly report: VenueReport;
}

export interface WireSnapshot {
  readonly draws: number;
  readonly seq: number;
  readonly input: number;
  readonly inFlight: readonly InFlight[];
  readonly lastDue: readonly (readonly [string, number])[];
}

export class FaultyVenue implements SyncVenue {
  readonly id: string;
  readonly capabilities: Capabilities;
  /** Reports on the wire (or due now), with the input at which they arrive. */
  private inFlight: InFlight[] = [];
  /** The latest arrival of each order's reports, so that one order's reports keep their order. */
  private lastDue = new Map<string, number>();
  private draws = 0;
  private seq = 0;
  private input = 0;
  /** Off at the end of a history: everything on the wire arrives, nothing new goes wrong. */
  quiet = false;

  constructor(
    readonly venue: PaperVenue,
    private readonly seed: number,
    private readonly faults: WireFaults,
    private readonly observer: WireObserver,
  ) {
    this.id = venue.id;
    this.capabilities = venue.capabilities;
  }

  /** Sets the input being run: held-back reports due by then arrive. */
  setInput(n: number): void {
    this.input = n;
  }

  /** A percent draw, from the seed and the number of draws so far (restored with the snapshot). */
  private chance(percent: number): boolean {
    if (percent <= 0 || this.quiet) return false;
    return this.draw(100) < percent;
  }

  private draw(n: number): number {
    const r = new SeededRandom(
      (Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(++this.draws, 0x85ebca6b)) >>> 0,
    );
    return r.nextInt(n);
  }

  handle(command: VenueCommand, ts: number): void {
    if (this.chance(this.faults.refuse)) {
      this.observer.refused(command);
      for (const r of refusal(command, ts, this.draw(2) === 0 ? 'venue_unavailable' : 'rate_limited'))
        this.enqueue(r, this.input);
      return;
    }
    this.observer.command(command);
    this.venue.handle(command, ts);
  }

  onMarket(md: MarketData): void {
    this.venue.onMarket(md);
  }

  drainReports(): VenueReport[] {
    for (const r of this.venue.drainReports()) {
      this.observer.venueReport(r);
      this.route(r);
    }
    if (this.inFlight.length === 0) return [];
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const f of this.inFlight) (f.due <= this.input || this.quiet ? due : later).push(f);
    if (due.length === 0) return [];
    this.inFlight = later;
    due.sort((a, b) => a.due - b.due || a.seq - b.seq);
    return due.map((f) => f.report);
  }

  /** Puts one venue report on the wire, with whatever fault it draws. */
  private route(r: VenueReport): void {
    const f = this.faults;
    if (r.kind === 'accepted' && this.chance(f.lostAck)) return;
    if (r.kind === 'cancelled' && this.chance(f.cancelOvertakes)) {
      // Ahead of every fill of its order still on the wire: the engine hears the cancel first.
      const fills = this.inFlight.filter((x) => x.report.clientOrderId === r.clientOrderId);
      if (fills.length > 0) {
        const first = fills.reduce((a, b) => (a.due < b.due || (a.due === b.due && a.seq < b.seq) ? a : b));
        this.inFlight.push({ due: first.due, seq: first.seq - 0.5, report: r });
        return;
      }
    }
    let due = this.input;
    if (this.chance(f.delay)) due += 1 + this.draw(Math.max(1, f.delayMaxInputs));
    this.enqueue(r, due);
    if (r.kind === 'fill' && this.chance(f.duplicateFill))
      this.inFlight.push({ due: due + 1 + this.draw(5), seq: ++this.seq, report: r });
  }

  private enqueue(r: VenueReport, due: number): void {
    const after = Math.max(due, this.lastDue.get(r.clientOrderId) ?? 0);
    this.lastDue.set(r.clientOrderId, after);
    this.inFlight.push({ due: after, seq: ++this.seq, report: r });
  }

  /** Reports still on the wire. */
  get pending(): number {
    return this.inFlight.length;
  }

  snapshot(): WireSnapshot {
    return {
      draws: this.draws,
      seq: this.seq,
      input: this.input,
      inFlight: this.inFlight.map((f) => ({ ...f })),
      lastDue: [...this.lastDue],
    };
  }

  restore(s: WireSnapshot): void {
    this.draws = s.draws;
    this.seq = s.seq;
    this.input = s.input;
    this.inFlight = s.inFlight.map((f) => ({ ...f }));
    this.lastDue = new Map(s.lastDue.map(([k, v]) => [k, v]));
  }
}

/** The reports a refused command gets: nothing happened at the venue. */
function refusal(c: VenueCommand, ts: number, code: string): VenueReport[] {
  const reason = code === 'rate_limited' ? '429 too many requests' : '503 service unavailable';
  switch (c.kind) {
    case 'submit':
      return [{ kind: 'rejected', clientOrderId: c.order.clientOrderId, code, reason, ts }];
    case 'submit_list': {
      const legs = c.list.parent === undefined ? c.list.legs : [c.list.parent, ...c.list.legs];
      return legs.map((o) => ({
        kind: 'rejected' as const,
        clientOrderId: o.clientOrderId,
        code,
        reason,
        ts,
      }));
    }
    case 'cancel':
      return [{ kind: 'cancel_rejected', clientOrderId: c.clientOrderId, reason, ts }];
    case 'modify':
      return [{ kind: 'modify_rejected', clientOrderId: c.clientOrderId, reason, ts }];
  }
}
