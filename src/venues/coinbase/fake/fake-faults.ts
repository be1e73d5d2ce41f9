// Fault hooks of the fake Coinbase server, for tests of a client's failure handling. Request faults
// are armed for the next N matching REST requests and consumed in arming order; the user-channel
// faults act on the next messages; the queue hooks keep new orders (PENDING / QUEUED) or cancels
// (CANCEL_QUEUED) from taking effect until released. Everything is deterministic: nothing fires at
// random.

import { FakeRequestFaults } from '../../fake-request-faults.ts';
import { RATE_LIMIT_BODY, SERVER_ERROR_BODIES } from './fake-errors.ts';

/** Which requests a fault applies to; absent fields match anything. */
export interface RequestMatch {
  /** HTTP method, e.g. `POST`. */
  readonly method?: string;
  /** URL path without the query, full (`/api/v3/brokerage/orders`) or below the brokerage base (`/orders`). */
  readonly path?: string;
}

/** A request as the fault hooks match it. */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
}

/** A fault armed for a request. */
export type RequestFault =
  /** Process the request, then destroy the connection without an answer. */
  | { readonly kind: 'drop' }
  /** Answer a 5xx, after processing the request (`execute`) or without touching it. */
  | {
      readonly kind: 'server_error';
      readonly status: number;
      readonly execute: boolean;
      readonly body: unknown;
    }
  /** Answer 429 without processing the request. */
  | { readonly kind: 'rate_limit'; readonly body: unknown };

const BROKERAGE = '/api/v3/brokerage';

function matches(m: RequestMatch, r: RequestInfo): boolean {
  if (m === undefined) return true;
  if (m.method !== undefined && m.method.toUpperCase() !== r.method) return false;
  if (m.path !== undefined && m.path !== r.path && `${BROKERAGE}${m.path}` !== r.path) return false;
  return true;
}

/** What the fault hooks need from the server. */
export interface FaultHooks {
  /** Terminates WebSocket connections (user: those on the user endpoint or subscribed to `user`). */
  readonly disconnect: (which: { user: boolean; market: boolean }) => void;
  /** Lets queued orders and cancels proceed. */
  readonly releaseQueued: () => void;
}

/** The fault hooks of a FakeCoinbase (`fake.faults`). */
export class FakeFaults extends FakeRequestFaults<RequestFault, RequestMatch, RequestInfo> {
  private paused = false;
  private queueNew: { left: number; status: 'PENDING' | 'QUEUED' } | undefined;
  private queueCancel = 0;

  constructor(private readonly hooks: FaultHooks) {
    super(matches, { kind: 'drop' });
  }

  /** The next `count` matching requests get a 5xx (500 by default), executed first if `execute`. */
  serverError(
    options: {
      match?: RequestMatch;
      count?: number;
      status?: number;
      execute?: boolean;
      body?: unknown;
    } = {},
  ): this {
    const status = options.status ?? 500;
    const body = options.body ?? SERVER_ERROR_BODIES[status] ?? SERVER_ERROR_BODIES[500];
    this.arm(
      { kind: 'server_error', status, execute: options.execute ?? false, body },
      options.match,
      options.count,
    );
    return this;
  }

  /** The next `n` matching requests are answered 429 (error_rate_limit_429.json) without effect. */
  rateLimitNext(n = 1, options: { match?: RequestMatch } = {}): this {
    this.arm({ kind: 'rate_limit', body: RATE_LIMIT_BODY }, options.match, n);
    return this;
  }

  /** Terminates WebSocket connections at once (close code 1006 on the client side). */
  disconnectWebSockets(which: { user?: boolean; market?: boolean } = {}): this {
    this.hooks.disconnect({ user: which.user ?? true, market: which.market ?? true });
    return this;
  }

  /**
   * Drops the user channel (connections on the user endpoint, and `user` subscriptions elsewhere)
   * and refuses new connections to the user endpoint and new `user` subscriptions until
   * `resumeUserData`; order updates produced meanwhile are lost, as in an outage, so the client
   * must resynchronise through REST.
   */
  pauseUserData(): this {
    this.paused = true;
    this.hooks.disconnect({ user: true, market: false });
    return this;
  }

  resumeUserData(): this {
    this.paused = false;
    return this;
  }

  get userDataPaused(): boolean {
    return this.paused;
  }

  /**
   * The next `count` new orders are accepted but stay PENDING (or QUEUED) outside the book until
   * `releaseQueued`; `order_status=OPEN` does not list them, as on Coinbase.
   */
  queueNewOrders(options: { count?: number; status?: 'PENDING' | 'QUEUED' } = {}): this {
    this.queueNew = { left: options.count ?? 1, status: options.status ?? 'PENDING' };
    return this;
  }

  /** The next `count` cancels leave their order CANCEL_QUEUED (`pending_cancel`) until `releaseQueued`. */
  queueCancels(options: { count?: number } = {}): this {
    this.queueCancel = options.count ?? 1;
    return this;
  }

  /** Lets queued new orders go to work (they may FAIL then) and queued cancels take effect. */
  releaseQueued(): this {
    this.hooks.releaseQueued();
    return this;
  }

  /** Disarms every fault and hook (orders already queued stay queued until releaseQueued). */
  clear(): this {
    this.clearRequestFaults();
    this.paused = false;
    this.queueNew = undefined;
    this.queueCancel = 0;
    return this;
  }

  // ---- used by the server ---------------------------------------------------------------------

  takeQueuedNew(): 'PENDING' | 'QUEUED' | undefined {
    const q = this.queueNew;
    if (q === undefined) return undefined;
    if (--q.left <= 0) this.queueNew = undefined;
    return q.status;
  }

  takeQueuedCancel(): boolean {
    if (this.queueCancel <= 0) return false;
    this.queueCancel--;
    return true;
  }
}
