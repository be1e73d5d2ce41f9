// Fault hooks of the fake server, for tests of a client's failure handling. Request faults are
// armed for the next N matching requests (REST or WebSocket API) and consumed in arming order; the
// user-data faults act on the next events. Everything is deterministic: nothing fires at random.

import { FakeRequestFaults } from '../../fake-request-faults.ts';
export interface RequestMatch {
  /** Endpoint name, e.g. `order.place` (the same for REST and the WebSocket API). */
  readonly endpoint?: string;
  /** HTTP method (REST only). */
  readonly method?: string;
  /** URL path without the query (REST only), e.g. `/api/v3/order`. */
  readonly path?: string;
  readonly transport?: 'rest' | 'ws';
}

export interface RequestInfo {
  readonly transport: 'rest' | 'ws';
  readonly endpoint: string | undefined;
  readonly method: string;
  readonly path: string;
}

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
  /** Process the request, then answer -1007 TIMEOUT (execution status unknown). */
  | { readonly kind: 'timeout'; readonly status: number };

export const SERVER_ERROR_BODIES: Readonly<Record<number, { code: number; msg: string }>> = {
  500: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  502: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  503: {
    code: -1008,
    msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
  },
  504: {
    code: -1006,
    msg: 'An unexpected response was received from the message bus. Execution status unknown.',
  },
};

function matches(m: RequestMatch, r: RequestInfo): boolean {
  if (m === undefined) return true;
  if (m.transport !== undefined && m.transport !== r.transport) return false;
  if (m.endpoint !== undefined && m.endpoint !== r.endpoint) return false;
  if (m.method !== undefined && (r.transport !== 'rest' || m.method.toUpperCase() !== r.method)) return false;
  if (m.path !== undefined && (r.transport !== 'rest' || m.path !== r.path)) return false;
  return true;
}

export class FakeFaults extends FakeRequestFaults<RequestFault, RequestMatch, RequestInfo> {
  /** 'armed': hold the next event; 'holding': send the next one first, then the held one. */
  reorder: 'off' | 'armed' | 'holding' = 'off';
  held: Record<string, unknown> | undefined;
  private paused = false;

  constructor(
    private readonly hooks: {
      readonly disconnect: (which: { wsApi: boolean; market: boolean }) => void;
      readonly flushHeld: () => void;
    },
  ) {
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

  /** The next `count` matching requests are executed, then answered -1007 (HTTP `status`, 408). */
  timeoutAfterExecute(options: { match?: RequestMatch; count?: number; status?: number } = {}): this {
    this.arm({ kind: 'timeout', status: options.status ?? 408 }, options.match, options.count);
    return this;
  }

  /** Terminates WebSocket connections at once (close code 1006 on the client side). */
  disconnectWebSockets(which: { wsApi?: boolean; market?: boolean } = {}): this {
    this.hooks.disconnect({ wsApi: which.wsApi ?? true, market: which.market ?? true });
    return this;
  }

  /** The next two user data events are sent in swapped order. */
  reorderNextEvents(): this {
    this.reorder = 'armed';
    return this;
  }

  /**
   * Disconnects the user data stream (WebSocket API connections) and refuses new WebSocket API
   * connections until `resumeUserData`; events produced meanwhile are lost, as on a real outage, so
   * the client must resynchronise through REST.
   */
  pauseUserData(): this {
    this.paused = true;
    this.hooks.disconnect({ wsApi: true, market: false });
    return this;
  }

  resumeUserData(): this {
    this.paused = false;
    return this;
  }

  get userDataPaused(): boolean {
    return this.paused;
  }

  /** Disarms every fault; a held (reordered) event is sent. */
  clear(): this {
    this.clearRequestFaults();
    this.paused = false;
    if (this.reorder === 'holding') this.hooks.flushHeld();
    this.reorder = 'off';
    return this;
  }

  // ---- used by the server ---------------------------------------------------------------------
}
