// The fake's WebSocket side, in Coinbase Advanced Trade's dialect (venues.md 3.8): a client sends
// `{type: "subscribe"|"unsubscribe", channel, product_ids?, jwt?}`, one channel per message; every
// message the server sends is `{channel, client_id, timestamp, sequence_num, events}` with
// `sequence_num` counting up per connection (a gap means lost messages).
//
// Channels: `user` (needs a fresh JWT, verified as for REST but without a uri claim; a snapshot of
// the open orders, 50 per message, then one `update` per order change carrying the order's
// cumulative state), `heartbeats` (every heartbeatMs, `heartbeat_counter` counting up),
// `ticker` and `market_trades` (from feedQuote/feedTrade; a snapshot on subscribe, then updates).
// Errors are `{type: "error", message}`; a bad JWT is "authentication failure". A connection
// that does not subscribe within subscribeTimeoutMs is closed, as Coinbase does after ~5 s.
//
// Two endpoints share the server: `/ws/user` (Coinbase's advanced-trade-ws-user host) and
// `/ws/market` (advanced-trade-ws); both take every channel, as Coinbase's market host also
// serves `user`.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { JwtVerifier } from './fake-auth.ts';
import type { FakeExchange } from './fake-exchange.ts';
import type { FakeFaults } from './fake-faults.ts';
import type { PublicTrade } from './fake-market.ts';
import { type CbOrder, isFinal } from './fake-order.ts';
import { isoMicros } from './fake-products.ts';

/** Which WebSocket endpoint a connection came in on. */
export type Endpoint = 'user' | 'market';

const CHANNELS = new Set(['user', 'heartbeats', 'ticker', 'market_trades']);
const SNAPSHOT_BATCH = 50;

interface Conn {
  readonly socket: WebSocket;
  readonly endpoint: Endpoint;
  seq: number;
  /** channel → product ids (empty: every product). */
  readonly channels: Map<string, Set<string>>;
  heartbeat: NodeJS.Timeout | undefined;
  heartbeatCounter: number;
  subscribeTimer: NodeJS.Timeout | undefined;
}

/** What the WebSocket side works with. */
export interface WsHubOptions {
  readonly now: () => number;
  readonly verifier: JwtVerifier;
  readonly faults: FakeFaults;
  readonly exchange: FakeExchange;
  readonly renderOrder: (order: CbOrder) => Record<string, unknown>;
  readonly heartbeatMs: number;
  readonly subscribeTimeoutMs: number;
  readonly onError: (e: Error) => void;
}

/** One order update of the user channel, as produced (before faults). */
export interface UserEvent {
  readonly time: number;
  readonly productId: string;
  readonly order: Record<string, unknown>;
}

/** Every WebSocket connection of the fake, its subscriptions and what is sent to them. */
export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  readonly events: UserEvent[] = [];
  readonly dropped: UserEvent[] = [];
  /** User-channel frames sent (duplicates included). */
  sent = 0;

  constructor(private readonly o: WsHubOptions) {}

  /** Takes an HTTP upgrade for one of the two endpoints. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, endpoint: Endpoint): void {
    if (endpoint === 'user' && this.o.faults.userDataPaused) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, endpoint));
  }

  private onConnection(socket: WebSocket, endpoint: Endpoint): void {
    const conn: Conn = {
      socket,
      endpoint,
      seq: 0,
      channels: new Map(),
      heartbeat: undefined,
      heartbeatCounter: 0,
      subscribeTimer: undefined,
    };
    this.conns.add(conn);
    if (this.o.subscribeTimeoutMs > 0) {
      conn.subscribeTimer = setTimeout(
        () => socket.close(1000, 'no subscribe received'),
        this.o.subscribeTimeoutMs,
      );
      conn.subscribeTimer.unref();
    }
    const drop = () => this.forget(conn);
    socket.on('close', drop);
    socket.on('error', drop);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.onMessage(conn, String(data));
      } catch (e) {
        this.o.onError(e instanceof Error ? e : new Error(String(e)));
        this.sendError(conn, 'internal error');
      }
    });
  }

  private forget(conn: Conn): void {
    if (conn.heartbeat !== undefined) clearInterval(conn.heartbeat);
    if (conn.subscribeTimer !== undefined) clearTimeout(conn.subscribeTimer);
    conn.heartbeat = undefined;
    conn.subscribeTimer = undefined;
    this.conns.delete(conn);
  }

  private onMessage(conn: Conn, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.sendError(conn, 'Failed to parse message: not JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.sendError(conn, 'Failed to parse message: not an object');
      return;
    }
    const m = msg as Record<string, unknown>;
    if (m.type !== 'subscribe' && m.type !== 'unsubscribe') {
      this.sendError(conn, 'type must be subscribe or unsubscribe');
      return;
    }
    const channel = m.channel;
    if (typeof channel !== 'string' || channel === '') {
      this.sendError(conn, 'channel is required (one channel per message)');
      return;
    }
    if (!CHANNELS.has(channel)) {
      this.sendError(conn, `channel ${channel} is not supported`);
      return;
    }
    let products: string[] = [];
    if (m.product_ids !== undefined && m.product_ids !== null) {
      if (!Array.isArray(m.product_ids) || m.product_ids.some((p) => typeof p !== 'string')) {
        this.sendError(conn, 'product_ids must be an array of strings');
        return;
      }
      products = m.product_ids as string[];
    }
    const unknown = products.find((p) => this.o.exchange.product(p) === undefined);
    if (unknown !== undefined) {
      this.sendError(conn, `unknown product ${unknown}`);
      return;
    }
    if ((channel === 'ticker' || channel === 'market_trades') && products.length === 0) {
      this.sendError(conn, `product_ids are required for ${channel}`);
      return;
    }
    if (m.type === 'unsubscribe') {
      this.unsubscribe(conn, channel, products);
      return;
    }
    if (channel === 'user') {
      if (this.o.faults.userDataPaused) {
        this.sendError(conn, 'Failed to subscribe: the user channel is unavailable');
        return;
      }
      const jwt = m.jwt;
      const check = typeof jwt === 'string' ? this.o.verifier.check(jwt, this.o.now(), undefined) : undefined;
      if (check === undefined || !check.ok) {
        this.sendError(conn, 'authentication failure');
        return;
      }
    }
    this.subscribe(conn, channel, products);
  }

  private subscribe(conn: Conn, channel: string, products: string[]): void {
    if (conn.subscribeTimer !== undefined) clearTimeout(conn.subscribeTimer);
    conn.subscribeTimer = undefined;
    const set = conn.channels.get(channel) ?? new Set<string>();
    const wasAll = conn.channels.has(channel) && set.size === 0;
    if (products.length === 0) set.clear();
    else if (!wasAll) for (const p of products) set.add(p);
    conn.channels.set(channel, set);
    this.sendSubscriptions(conn);
    const now = this.o.now();
    switch (channel) {
      case 'user': {
        const open = this.o.exchange.orders.filter(
          (o) => !isFinal(o.status) && (set.size === 0 || set.has(o.productId)),
        );
        const batches: CbOrder[][] = [];
        for (let i = 0; i < open.length; i += SNAPSHOT_BATCH) batches.push(open.slice(i, i + SNAPSHOT_BATCH));
        // The last snapshot message holds fewer than 50 orders: that is how a client knows it is complete.
        if (open.length % SNAPSHOT_BATCH === 0) batches.push([]);
        const positions = { perpetual_futures_positions: [], expiring_futures_positions: [] };
        for (const batch of batches)
          this.send(conn, 'user', [
            { type: 'snapshot', orders: batch.map((o) => this.o.renderOrder(o)), positions },
          ]);
        return;
      }
      case 'heartbeats':
        if (conn.heartbeat === undefined) {
          conn.heartbeat = setInterval(() => this.heartbeat(conn), this.o.heartbeatMs);
          conn.heartbeat.unref();
        }
        return;
      case 'ticker': {
        const tickers = products
          .map((p) => this.o.exchange.market(p)?.tickerJson(now))
          .filter((t): t is Record<string, unknown> => t !== undefined);
        this.send(conn, 'ticker', [{ type: 'snapshot', tickers }]);
        return;
      }
      case 'market_trades': {
        const trades = products.flatMap((p) => {
          const m = this.o.exchange.market(p)!;
          return m.recentTrades().map((t) => m.tradeJson(t));
        });
        this.send(conn, 'market_trades', [{ type: 'snapshot', trades }]);
        return;
      }
    }
  }

  private unsubscribe(conn: Conn, channel: string, products: string[]): void {
    const set = conn.channels.get(channel);
    if (set !== undefined) {
      if (products.length === 0) conn.channels.delete(channel);
      else {
        for (const p of products) set.delete(p);
        if (set.size === 0) conn.channels.delete(channel);
      }
    }
    if (channel === 'heartbeats' && !conn.channels.has('heartbeats') && conn.heartbeat !== undefined) {
      clearInterval(conn.heartbeat);
      conn.heartbeat = undefined;
    }
    this.sendSubscriptions(conn);
  }

  private heartbeat(conn: Conn): void {
    const now = new Date(this.o.now()).toISOString(); // 2026-04-07T14:30:10.000Z
    const current = `${now.slice(0, 10)} ${now.slice(11, 23)}000000+00:00`;
    this.send(conn, 'heartbeats', [{ current_time: current, heartbeat_counter: ++conn.heartbeatCounter }]);
  }

  private sendSubscriptions(conn: Conn): void {
    const subscriptions: Record<string, string[]> = {};
    for (const [ch, set] of conn.channels)
      subscriptions[ch] = ch === 'heartbeats' ? ['heartbeats'] : [...set];
    this.send(conn, 'subscriptions', [{ subscriptions }]);
  }

  private sendError(conn: Conn, message: string): void {
    this.raw(conn, { type: 'error', message });
  }

  /** Sends one enveloped message; returns the frame. */
  private send(conn: Conn, channel: string, events: unknown[]): string {
    const frame = JSON.stringify({
      channel,
      client_id: '',
      timestamp: isoMicros(this.o.now()),
      sequence_num: conn.seq++,
      events,
    });
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(frame);
    return frame;
  }

  private raw(conn: Conn, body: unknown): void {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(body));
  }

  // ---- publishing -----------------------------------------------------------------------------

  /** An order changed: one `update` to every user subscriber of its product (unless paused). */
  deliverOrder(order: CbOrder): void {
    const ev: UserEvent = {
      time: this.o.now(),
      productId: order.productId,
      order: this.o.renderOrder(order),
    };
    this.events.push(ev);
    if (this.o.faults.userDataPaused) {
      this.dropped.push(ev);
      return;
    }
    const twice = this.o.faults.takeDuplicate();
    for (const conn of this.conns) {
      const set = conn.channels.get('user');
      if (set === undefined || (set.size > 0 && !set.has(order.productId))) continue;
      const frame = this.send(conn, 'user', [{ type: 'update', orders: [ev.order] }]);
      this.sent++;
      if (twice && conn.socket.readyState === conn.socket.OPEN) {
        conn.socket.send(frame);
        this.sent++;
      }
    }
  }

  /** New trades of a product: `market_trades` updates, then a ticker update. */
  publishTrades(productId: string, trades: readonly PublicTrade[]): void {
    const m = this.o.exchange.market(productId);
    if (m === undefined || trades.length === 0) return;
    const json = trades.map((t) => m.tradeJson(t));
    for (const conn of this.subscribers('market_trades', productId))
      this.send(conn, 'market_trades', [{ type: 'update', trades: json }]);
    this.publishTicker(productId);
  }

  /** A ticker update for the product (after a quote or a trade). */
  publishTicker(productId: string): void {
    const t = this.o.exchange.market(productId)?.tickerJson(this.o.now());
    if (t === undefined) return;
    for (const conn of this.subscribers('ticker', productId))
      this.send(conn, 'ticker', [{ type: 'update', tickers: [t] }]);
  }

  private subscribers(channel: string, productId: string): Conn[] {
    const out: Conn[] = [];
    for (const conn of this.conns) if (conn.channels.get(channel)?.has(productId) === true) out.push(conn);
    return out;
  }

  // ---- control --------------------------------------------------------------------------------

  disconnect(which: { user: boolean; market: boolean }): void {
    for (const conn of [...this.conns]) {
      const isUser = conn.endpoint === 'user' || conn.channels.has('user');
      if ((which.user && isUser) || (which.market && conn.endpoint === 'market')) {
        conn.socket.terminate();
        this.forget(conn);
      }
    }
  }

  close(): void {
    this.disconnect({ user: true, market: true });
    this.wss.close();
  }

  counts(): { user: number; market: number; connections: number } {
    let user = 0;
    let market = 0;
    for (const c of this.conns) {
      if (c.channels.has('user')) user++;
      if (c.endpoint === 'market') market++;
    }
    return { user, market, connections: this.conns.size };
  }
}
