// Fault hooks of the fake Alpaca, for tests of a client's failure handling. Request faults are
// armed for the next N matching REST requests and used in arming order; the stream faults act on
// the next trade_updates events. Everything is deterministic: nothing fires at random.

import { FakeRequestFaults } from '../../fake-request-faults.ts';
export interface RequestMatch {
  /** HTTP method, e.g. `POST`. */
  readonly method?: string;
  /**
   * The URL path without the query (`/v2/orders/61e6...`), or a route template as the fake names
   * its routes (`/v2/orders/{id}`, `/v2/assets/{symbol}`).
   */
  readonly path?: string;
}

export interface RequestInfo {
  readonly method: string;
  readonly path: string;
  /** The route template, when the path matched a route. */
  readonly route: string | undefined;
}

export type RequestFault =
  /** Execute the request, then destroy the connection without an answer. */
  | { readonly kind: 'drop' }
  /** Answer a 5xx, after executing the request (`execute`) or without touching it. */
  | { readonly kind: 'server_error'; readonly status: number; readonly execute: boolean };

export function requestMatches(m: RequestMatch | undefined, r: RequestInfo): boolean {
  if (m === undefined) return true;
  if (m.method !== undefined && m.method.toUpperCase() !== r.method) return false;
  if (m.path !== undefined && m.path !== r.path && m.path !== r.route) return false;
  return true;
}

export interface FaultHooks {
  readonly disconnect: (which: { readonly trading: boolean; readonly marketData: boolean }) => void;
  readonly rateLimitNext: (n: number) => void;
  readonly clearRateLimit: () => void;
  readonly flushHeld: () => void;
}

export class FakeFaults extends FakeRequestFaults<RequestFault, RequestMatch, RequestInfo> {
  private paused = false;
  /** 'armed': hold the next event; 'holding': send the next one first, then the held one. */
  reorder: 'off' | 'armed' | 'holding' = 'off';

  constructor(private readonly hooks: FaultHooks) {
    super(requestMatches, { kind: 'drop' });
  }

  /**
   * The next `count` (default 1) matching requests get a 5xx (default 500): executed first when
   * `execute`, otherwise not touched. 500 has Alpaca's JSON body, 502–504 nginx's HTML page.
   */
  serverError(
    options: { match?: RequestMatch; count?: number; status?: number; execute?: boolean } = {},
  ): this {
    const status = options.status ?? 500;
    if (!Number.isSafeInteger(status) || status < 500 || status > 599)
      throw new Error(`serverError: status must be 5xx, got ${status}`);
    this.arm(
      { kind: 'server_error', status, execute: options.execute ?? false },
      options.match,
      options.count,
    );
    return this;
  }

  /** The next `n` requests (any route) are answered 429 without being executed. */
  rateLimitNext(n = 1): this {
    this.hooks.rateLimitNext(n);
    return this;
  }

  /** Terminates WebSocket connections at once (close code 1006 on the client side). */
  disconnectWebSockets(which: { trading?: boolean; marketData?: boolean } = {}): this {
    this.hooks.disconnect({ trading: which.trading ?? true, marketData: which.marketData ?? true });
    return this;
  }

  /**
   * Drops the trade_updates connections and refuses new ones (HTTP 503 on upgrade) until
   * `resumeUserData`; events produced meanwhile are lost, as in a real outage, so the client must
   * resynchronise through REST.
   */
  pauseUserData(): this {
    this.paused = true;
    this.hooks.disconnect({ trading: true, marketData: false });
    return this;
  }

  resumeUserData(): this {
    this.paused = false;
    return this;
  }

  get userDataPaused(): boolean {
    return this.paused;
  }

  /** The next two trade_updates events are sent in swapped order. */
  reorderNextEvents(): this {
    this.reorder = 'armed';
    return this;
  }

  /** Disarms every fault (a held reordered event is sent) and resumes user data. */
  clear(): this {
    this.clearRequestFaults();
    this.paused = false;
    this.hooks.clearRateLimit();
    if (this.reorder === 'holding') this.hooks.flushHeld();
    this.reorder = 'off';
    return this;
  }

  // ---- used by the server ---------------------------------------------------------------------
}
