// Coinbase's WebSocket feeds (venues.md 3.8). The user-order feed
// (`wss://advanced-trade-ws-user.coinbase.com`) is subscribed channel by channel — `heartbeats`
// (keeps an idle connection open) and `user` — each subscribe message carrying a fresh JWT without
// `uri`. Public market data (`wss://advanced-trade-ws.coinbase.com`) needs no JWT: `market_trades`
// and `ticker` for the products asked. Both reconnect on their own with a backoff and say so
// ('disconnected', then 'reconnected'); the owner reconciles after a reconnect.
//
// Sequence numbers. Every message on a connection carries `sequence_num`, counting up from the
// first message of the connection. A message numbered at or below the last one seen is a repeat
// and is dropped; a jump means messages were lost: the connection is dropped and opened again, so
// the `user` snapshot re-states every open order and the owner reconciles (the fill ledger makes
// both harmless to fills already told).

import WebSocket from 'ws';
import { buildJwt, type CoinbaseCredentials } from './jwt.ts';
import { type ParsedWsMessage, parseWsMessage } from './parsers.ts';

export interface StreamEvents {
  readonly message: (m: ParsedWsMessage) => void;
  /** 'disconnected' when the socket drops, 'reconnected' once it is back (not on the first open). */
  readonly state: (s: 'disconnected' | 'reconnected') => void;
}

export interface StreamOptions {
  /** First reconnect delay; doubles up to 10 s. Default 200 ms. */
  readonly backoffMs?: number;
  /** How long the first answer to the subscriptions may take. Default 5 s. */
  readonly handshakeTimeoutMs?: number;
}

/** One subscribe message (a channel and its products). */
export interface Subscription {
  readonly channel: string;
  readonly productIds?: readonly string[];
}

/** A reconnecting WebSocket that subscribes on every (re)connect and watches sequence numbers. */
export class CoinbaseStream {
  private ws: WebSocket | undefined;
  private closing = false;
  private opened = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSequence: number | undefined;
  /** Messages dropped as repeats, and gaps seen (for tests and logs). */
  repeats = 0;
  gaps = 0;

  constructor(
    private readonly url: string,
    private readonly subscriptions: readonly Subscription[],
    private readonly events: StreamEvents,
    /** Signs subscribe messages (the user feed); undefined for the public feed. */
    private readonly credentials: CoinbaseCredentials | undefined,
    private readonly now: () => number,
    private readonly options: StreamOptions = {},
  ) {}

  /** Opens the socket and subscribes; rejects when the first attempt fails. */
  open(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  /** Drops the connection so that it is opened again (after a sequence gap). */
  restart(): void {
    this.ws?.terminate();
  }

  /** The subscribe message of one channel, with a fresh JWT when the feed is signed. */
  subscribeMessage(s: Subscription): Record<string, unknown> {
    const msg: Record<string, unknown> = { type: 'subscribe', channel: s.channel };
    if (s.productIds !== undefined && s.productIds.length > 0) msg.product_ids = [...s.productIds];
    if (this.credentials !== undefined) msg.jwt = buildJwt(this.credentials, { nowMs: this.now() });
    return msg;
  }

  private connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      this.lastSequence = undefined;
      let settled = false;
      let handshake: NodeJS.Timeout | undefined;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(handshake);
        ws.terminate();
        reject(e);
      };
      const ready = () => {
        if (settled) return;
        settled = true;
        clearTimeout(handshake);
        this.attempt = 0;
        if (this.opened) this.events.state('reconnected');
        this.opened = true;
        resolve();
      };
      ws.on('message', (data) => {
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return;
        }
        const m = parseWsMessage(json);
        if (!m.ok) return;
        if (m.value.channel === 'error') {
          fail(new Error(`coinbase websocket: ${m.value.error}`));
          return;
        }
        if (!this.inSequence(m.value, ws)) return;
        ready();
        this.events.message(m.value);
      });
      ws.once('open', () => {
        handshake = setTimeout(
          () => fail(new Error(`coinbase websocket: no answer to the subscriptions of ${this.url}`)),
          this.options.handshakeTimeoutMs ?? 5_000,
        );
        for (const s of this.subscriptions) ws.send(JSON.stringify(this.subscribeMessage(s)));
      });
      ws.once('error', (e) => {
        if (!settled && !this.opened) fail(e);
      });
      ws.once('close', () => {
        clearTimeout(handshake);
        if (!settled) {
          settled = true;
          reject(new Error(`coinbase websocket closed before subscribing: ${this.url}`));
        }
        if (this.ws !== ws || this.closing) return;
        if (this.opened) this.events.state('disconnected');
        this.scheduleReconnect();
      });
    });
  }

  /** False for a repeat (dropped); on a gap the connection is restarted. */
  private inSequence(m: ParsedWsMessage, ws: WebSocket): boolean {
    const seq = m.sequence;
    if (seq === undefined) return true;
    const last = this.lastSequence;
    if (last !== undefined && seq <= last) {
      this.repeats++;
      return false;
    }
    this.lastSequence = seq;
    if (last !== undefined && seq > last + 1) {
      this.gaps++;
      // Messages were lost: this one is still used, then the connection starts over.
      setImmediate(() => {
        if (this.ws === ws) ws.terminate();
      });
    }
    return true;
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const delay = Math.min((this.options.backoffMs ?? 200) * 2 ** this.attempt, 10_000);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.connect().catch(() => {
        // The close handler of the failed socket schedules the next attempt.
      });
    }, delay);
  }
}
