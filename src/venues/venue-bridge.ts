// The bridge between the synchronous engine and an asynchronous venue adapter. To the
// AdvancedOrderManager it is a SyncVenue: `handle` queues a command and returns at once,
// `drainReports` hands over what the venue has said since. Behind it, commands go to the adapter
// one at a time in the order the engine issued them, and each outcome is handled by kind:
//
// - success: the reports the response carried are buffered (the order stream repeats them; the
//   engine ignores what it already knows: acceptances by venue order id, fills by trade id);
// - rejected: the engine hears a rejection of that command (rejected, cancel_rejected,
//   modify_rejected) with the venue's code and message;
// - retryable: the command is sent again after the venue's Retry-After or a backoff;
// - unknown outcome: the order is looked up by its client order id first, and the command is sent
//   again only if the venue does not have it (a submit) or it is unchanged (a cancel, a modify),
//   so a network fault never creates a second order.
//
// A command that still fails after `maxAttempts` is given up: a submit is reported rejected
// (`venue_unavailable`) only when the venue is known not to have the order; otherwise the order
// stays as it is and the failure is listed in `problems` for reconciliation to settle.

import type { SyncVenue, VenueCommand, VenueListRequest, VenueReport } from '../engine/venue-port.ts';
import { reportsOf, type VenueAdapter, VenueError, type VenueOrderState } from './venue-adapter.ts';

export interface BridgeOptions {
  /** Attempts per command (first try included) for retryable and unknown outcomes. Default 5. */
  readonly maxAttempts?: number;
  /** Backoff before the n-th retry: base × 2^(n-1), at most 8 × base. Default 100 ms. */
  readonly backoffMs?: number;
  /** Waits; replaceable so tests can count waits. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock stamping reports the bridge makes up itself (rejections). Default Date.now. */
  readonly clock?: () => number;
}

export interface BridgeProblem {
  readonly command: VenueCommand;
  readonly error: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class VenueBridge implements SyncVenue {
  /** Called whenever reports are buffered: the driver then lets the manager take them (`sync`). */
  onActivity: (() => void) | undefined;
  /** Commands given up on, for reconciliation and the operator. */
  readonly problems: BridgeProblem[] = [];

  private readonly queue: VenueCommand[] = [];
  private reports: VenueReport[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;

  constructor(
    readonly adapter: VenueAdapter,
    options: BridgeOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 100;
    this.sleep = options.sleep ?? defaultSleep;
    this.clock = options.clock ?? Date.now;
  }

  get id(): string {
    return this.adapter.id;
  }

  get capabilities() {
    return this.adapter.capabilities();
  }

  handle(command: VenueCommand): void {
    this.queue.push(command);
    if (!this.running) void this.run();
  }

  /** The venue matches on its own market; nothing to do. */
  onMarket(): void {}

  drainReports(): VenueReport[] {
    if (this.reports.length === 0) return [];
    const out = this.reports;
    this.reports = [];
    return out;
  }

  /** Buffers reports from the order stream (or a reconciliation) for the engine. */
  deliver(reports: readonly VenueReport[]): void {
    if (reports.length === 0) return;
    this.reports.push(...reports);
    this.onActivity?.();
  }

  /** Commands queued or in flight. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Resolves once every queued command has been sent and answered (or given up). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let c = this.queue.shift(); c !== undefined; c = this.queue.shift()) await this.dispatch(c);
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async dispatch(command: VenueCommand): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let error: VenueError;
      try {
        this.deliver(await this.send(command));
        return;
      } catch (e) {
        error = e instanceof VenueError ? e : new VenueError('unknown', 'transport', String(e));
      }
      // A duplicate id means the venue has an order by that id (sent before a fault or a
      // restart): look it up rather than reject the order that exists.
      const duplicate = error.code === 'duplicate_client_order_id' && command.kind !== 'cancel';
      if (error.kind === 'rejected' && !duplicate) {
        this.deliver(this.rejection(command, error));
        return;
      }
      if (error.kind === 'unknown' || duplicate) {
        // Did it happen? Ask before anything is sent again.
        const settled = await this.settleUnknown(command);
        if (settled) return;
      }
      if (attempt >= this.maxAttempts) {
        this.giveUp(command, error);
        return;
      }
      const backoff = this.backoffMs * 2 ** Math.min(attempt - 1, 3);
      await this.sleep(Math.max(backoff, error.retryAfterMs ?? 0));
    }
  }

  private send(command: VenueCommand): Promise<VenueReport[]> {
    const a = this.adapter;
    switch (command.kind) {
      case 'submit':
        return a.submit(command.order);
      case 'submit_list':
        return a.submitList(command.list);
      case 'cancel':
        return a.cancel(command.instrument, command.clientOrderId);
      case 'modify':
        return a.modify(command);
    }
  }

  /**
   * After an unknown outcome: true when the venue's state shows the command took effect (its
   * reports are delivered), false when it must be sent again. A lookup that fails is retried.
   */
  private async settleUnknown(command: VenueCommand): Promise<boolean> {
    const look = async (instrument: string, id: string): Promise<VenueOrderState | undefined | 'failed'> => {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        try {
          return await this.adapter.lookup(instrument, id);
        } catch (e) {
          const wait = e instanceof VenueError ? (e.retryAfterMs ?? 0) : 0;
          await this.sleep(Math.max(wait, this.backoffMs * 2 ** Math.min(attempt - 1, 3)));
        }
      }
      return 'failed';
    };
    switch (command.kind) {
      case 'submit': {
        const st = await look(command.order.instrument, command.order.clientOrderId);
        if (st === 'failed' || st === undefined) return false;
        this.deliver(reportsOf(st));
        return true;
      }
      case 'submit_list': {
        const states: VenueOrderState[] = [];
        let missing: string | undefined;
        for (const o of legsOf(command.list)) {
          const st = await look(o.instrument, o.clientOrderId);
          if (st === 'failed' || st === undefined) {
            missing = o.clientOrderId;
            break;
          }
          states.push(st);
        }
        if (states.length === 0) return false;
        for (const st of states) this.deliver(reportsOf(st));
        // Part of a list exists: it is never sent again; reconciliation settles the rest.
        if (missing !== undefined)
          this.problems.push({ command, error: `list partly at the venue: ${missing} not found` });
        return true;
      }
      case 'cancel':
      case 'modify': {
        const st = await look(command.instrument, command.clientOrderId);
        if (st === 'failed') return false;
        // Gone or ended: nothing left to cancel or modify; what ended it is told.
        if (st === undefined || st.status !== 'open') {
          if (st !== undefined) this.deliver(reportsOf(st));
          return true;
        }
        if (command.kind === 'cancel') return false;
        const applied =
          st.quantity === command.quantity && (command.price === undefined || st.price === command.price);
        if (applied)
          this.deliver([
            {
              kind: 'modified',
              clientOrderId: command.clientOrderId,
              quantity: st.quantity,
              price: st.price,
              triggerPrice: st.triggerPrice,
              ts: st.ts,
            },
          ]);
        return applied;
      }
    }
  }

  private rejection(command: VenueCommand, error: VenueError): VenueReport[] {
    const ts = this.clock();
    const reason = error.message;
    switch (command.kind) {
      case 'submit':
        return [
          { kind: 'rejected', clientOrderId: command.order.clientOrderId, code: error.code, reason, ts },
        ];
      case 'submit_list':
        return legsOf(command.list).map((o) => ({
          kind: 'rejected' as const,
          clientOrderId: o.clientOrderId,
          code: error.code,
          reason,
          ts,
        }));
      case 'cancel':
        return [{ kind: 'cancel_rejected', clientOrderId: command.clientOrderId, reason, ts }];
      case 'modify':
        return [{ kind: 'modify_rejected', clientOrderId: command.clientOrderId, reason, ts }];
    }
  }

  private giveUp(command: VenueCommand, error: VenueError): void {
    // A retryable failure means the venue did nothing: the order can be reported rejected. After an
    // unknown outcome it may exist, so it stays as it is until reconciliation looks again.
    if (error.kind === 'retryable')
      this.deliver(
        this.rejection(command, new VenueError('rejected', 'venue_unavailable', `gave up: ${error.message}`)),
      );
    this.problems.push({ command, error: `${error.kind}: ${error.message}` });
  }
}

function legsOf(list: VenueListRequest) {
  return list.parent === undefined ? list.legs : [list.parent, ...list.legs];
}
