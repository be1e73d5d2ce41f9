// The paper venue behind the asynchronous adapter port, with the faults of a network venue: for
// histories that exercise the VenueBridge and LiveSession (unknown outcomes settled by looking the
// order up by client order id, retries after 429 and 5xx, reconciliation after a dropped stream).
// Faults are drawn from the seed and a counter; no timer is used, so a history replays exactly.
//
//   answer_lost  the command is applied, its answer never arrives (a timeout: `unknown`)
//   server_error a 5xx before the venue did anything (`unknown`: the bridge must look it up)
//   rate_limited a 429 (`retryable`, with a Retry-After)
//   stream down  reports made while the order stream is down are lost; `reconnected` follows
//   duplicate    a fill is sent on the stream twice

import { SeededRandom } from '../src/core/ports.ts';
import type {
  Capabilities,
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../src/engine/venue-port.ts';
import type { Instrument } from '../src/model/instrument.ts';
import type { MarketData } from '../src/model/market.ts';
import type { PaperVenue } from '../src/venues/paper/paper-venue.ts';
import {
  type VenueAdapter,
  type VenueBalance,
  VenueError,
  type VenueFill,
  type VenueListener,
  type VenueOrderState,
} from '../src/venues/venue-adapter.ts';

export interface AdapterFaults {
  readonly answerLost: number;
  readonly serverError: number;
  readonly rateLimited: number;
  readonly duplicate: number;
}

interface Known {
  state: VenueOrderState;
  readonly fills: VenueFill[];
}

export class FaultyPaperAdapter implements VenueAdapter {
  readonly id: string;
  private listener: VenueListener | undefined;
  private draws = 0;
  private readonly known = new Map<string, Known>();
  /** Submissions of each client order id that reached the venue (must never exceed one). */
  readonly arrivals = new Map<string, number>();
  /** Every fill the venue made: the truth. */
  readonly fills = new Map<string, VenueFill>();
  streamDown = false;
  quiet = false;
  now = 0;

  constructor(
    readonly paper: PaperVenue,
    private readonly insts: readonly Instrument[],
    private readonly seed: number,
    private readonly faults: AdapterFaults,
  ) {
    this.id = paper.id;
  }

  private chance(percent: number): boolean {
    if (this.quiet || percent <= 0) return false;
    const r = new SeededRandom(
      (Math.imul(this.seed, 0x9e3779b1) ^ Math.imul(++this.draws, 0x85ebca6b)) >>> 0,
    );
    return r.nextInt(100) < percent;
  }

  async connect(listener: VenueListener): Promise<void> {
    this.listener = listener;
  }
  async close(): Promise<void> {}
  instruments(): readonly Instrument[] {
    return this.insts;
  }
  capabilities(): Capabilities {
    return this.paper.capabilities;
  }

  /** Market data reaches the venue, then Ordo. */
  feed(md: MarketData): void {
    this.paper.onMarket(md);
    this.flush();
    this.listener?.market(md);
  }

  /** The stream drops, as a socket does: Ordo is told; what the venue reports until it is back is lost. */
  disconnect(): void {
    this.streamDown = true;
    this.listener?.connection('disconnected');
  }

  /** The stream comes back: Ordo is told, and reconciles. */
  reconnect(): void {
    this.streamDown = false;
    this.listener?.connection('reconnected');
  }

  /** Runs a command at the venue with whatever fault it draws; reports go out on the stream. */
  private async run(command: VenueCommand): Promise<VenueReport[]> {
    await Promise.resolve();
    if (this.chance(this.faults.rateLimited))
      throw new VenueError('retryable', 'rate_limited', '429 too many requests', 429, 1000);
    if (this.chance(this.faults.serverError))
      throw new VenueError('unknown', 'server_error', '503 service unavailable', 503);
    if (command.kind === 'submit') this.arrive(command.order);
    if (command.kind === 'submit_list') for (const o of legsOf(command.list)) this.arrive(o);
    this.paper.handle(command, this.now);
    const made = this.flush();
    if (this.chance(this.faults.answerLost))
      throw new VenueError('unknown', 'timeout', 'no answer in 1000 ms');
    // The answer tells what the command did to its own orders, as a REST response does.
    const ids = new Set(
      command.kind === 'submit'
        ? [command.order.clientOrderId]
        : command.kind === 'submit_list'
          ? legsOf(command.list).map((o) => o.clientOrderId)
          : [command.clientOrderId],
    );
    return made.filter((r) => ids.has(r.clientOrderId) && r.kind !== 'fill');
  }

  private arrive(o: VenueOrderRequest): void {
    this.arrivals.set(o.clientOrderId, (this.arrivals.get(o.clientOrderId) ?? 0) + 1);
    if (!this.known.has(o.clientOrderId))
      this.known.set(o.clientOrderId, {
        state: {
          instrument: o.instrument,
          clientOrderId: o.clientOrderId,
          venueOrderId: '',
          side: o.side,
          type: o.type,
          status: 'open',
          quantity: o.quantity,
          filled: 0,
          price: o.price,
          triggerPrice: o.triggerPrice,
          ts: this.now,
        },
        fills: [],
      });
  }

  /** The venue's reports: kept as its books, sent on the stream unless it is down. */
  private flush(): VenueReport[] {
    const made = this.paper.drainReports();
    for (const r of made) {
      this.book(r);
      if (this.streamDown) continue;
      this.listener?.report(r);
      if (r.kind === 'fill' && this.chance(this.faults.duplicate)) this.listener?.report(r);
    }
    return made;
  }

  private book(r: VenueReport): void {
    const k = this.known.get(r.clientOrderId);
    if (k === undefined) return;
    const s = k.state;
    switch (r.kind) {
      case 'accepted':
        k.state = { ...s, venueOrderId: r.venueOrderId };
        return;
      case 'rejected':
        k.state = { ...s, status: s.venueOrderId === '' ? 'rejected' : s.status };
        return;
      case 'fill': {
        const f: VenueFill = {
          instrument: s.instrument,
          clientOrderId: r.clientOrderId,
          venueOrderId: s.venueOrderId,
          tradeId: r.tradeId,
          side: s.side,
          price: r.price,
          quantity: r.quantity,
          fee: r.fee,
          feeCurrency: r.feeCurrency,
          liquidity: r.liquidity,
          ts: r.ts,
        };
        k.fills.push(f);
        this.fills.set(r.tradeId, f);
        const filled = s.filled + r.quantity;
        k.state = { ...s, filled, status: filled >= s.quantity ? 'filled' : s.status, fills: k.fills };
        return;
      }
      case 'cancelled':
        k.state = { ...s, status: s.status === 'open' ? 'cancelled' : s.status };
        return;
      case 'expired':
        k.state = { ...s, status: s.status === 'open' ? 'expired' : s.status };
        return;
      case 'modified':
        k.state = { ...s, quantity: r.quantity, price: r.price, triggerPrice: r.triggerPrice };
        return;
      default:
        return;
    }
  }

  submit(order: VenueOrderRequest): Promise<VenueReport[]> {
    return this.run({ kind: 'submit', order });
  }
  submitList(list: VenueListRequest): Promise<VenueReport[]> {
    return this.run({ kind: 'submit_list', list });
  }
  cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]> {
    return this.run({ kind: 'cancel', instrument, clientOrderId });
  }
  modify(command: Extract<VenueCommand, { kind: 'modify' }>): Promise<VenueReport[]> {
    return this.run(command);
  }
  async lookup(_instrument: string, clientOrderId: string): Promise<VenueOrderState | undefined> {
    const k = this.known.get(clientOrderId);
    if (k === undefined || (k.state.venueOrderId === '' && k.state.status !== 'rejected')) return undefined;
    return { ...k.state, fills: [...k.fills] };
  }
  async openOrders(): Promise<VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    for (const k of this.known.values())
      if (k.state.status === 'open' && k.state.venueOrderId !== '')
        out.push({ ...k.state, fills: [...k.fills] });
    return out;
  }
  async fillsSince(instrument: string, sinceMs: number): Promise<VenueFill[]> {
    return [...this.fills.values()].filter((f) => f.instrument === instrument && f.ts >= sinceMs);
  }
  async balances(): Promise<VenueBalance[]> {
    return [...this.paper.matcher.balances()].map(([currency, b]) => ({
      currency,
      total: b.total,
      available: b.available,
    }));
  }
  async subscribeMarket(): Promise<void> {}
}

function legsOf(list: VenueListRequest): readonly VenueOrderRequest[] {
  return list.parent === undefined ? list.legs : [list.parent, ...list.legs];
}
