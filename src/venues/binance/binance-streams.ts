// Binance's push channels. The user data stream runs over the WebSocket API: `session.logon` with
// an Ed25519 key then `userDataStream.subscribe`, or `userDataStream.subscribe.signature` with any
// key; events arrive as `{subscriptionId, event}`. Public market data comes from the combined
// stream endpoint (`/stream?streams=btcusdt@trade/btcusdt@bookTicker`). Both reconnect on their
// own with a backoff and say so: after a reconnect the order stream may have missed events, which
// the owner settles by reconciling (fills by trade id are never applied twice).

import WebSocket from 'ws';
import { combinedStreamSchema, parseUserDataMessage, type UserDataEvent } from './parsers.ts';
import { type Credentials, sessionLogonRequest, signedWsRequest } from './signing.ts';

export interface StreamEvents<T> {
  readonly message: (m: T) => void;
  /** 'disconnected' when the socket drops, 'reconnected' once it is back (not on the first open). */
  readonly state: (s: 'disconnected' | 'reconnected') => void;
}

/** Reconnecting WebSocket plumbing shared by both streams. */
abstract class Stream<T> {
  private ws: WebSocket | undefined;
  private closing = false;
  private opened = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    protected readonly url: string,
    protected readonly events: StreamEvents<T>,
    private readonly backoffMs = 200,
  ) {}

  /** Opens the socket and completes its handshake; rejects when the first attempt fails. */
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

  protected get socket(): WebSocket | undefined {
    return this.ws;
  }

  /** After the socket opened: the stream's own handshake (logon, subscribe). */
  protected abstract handshake(ws: WebSocket): Promise<void>;
  protected abstract onFrame(json: unknown): void;

  private connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let settled = false;
      ws.on('message', (data) => {
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return;
        }
        this.onFrame(json);
      });
      ws.once('open', () => {
        this.handshake(ws).then(
          () => {
            settled = true;
            this.attempt = 0;
            if (this.opened) this.events.state('reconnected');
            this.opened = true;
            resolve();
          },
          (e) => {
            settled = true;
            ws.terminate();
            reject(e);
          },
        );
      });
      ws.once('error', (e) => {
        if (!settled && !this.opened) {
          settled = true;
          reject(e);
        }
      });
      ws.once('close', () => {
        if (this.ws !== ws || this.closing) return;
        if (this.opened) this.events.state('disconnected');
        this.scheduleReconnect();
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const delay = Math.min(this.backoffMs * 2 ** this.attempt, 10_000);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.connect().catch(() => {
        // The close handler of the failed socket schedules the next attempt.
      });
    }, delay);
  }
}

/** The user data stream over the WebSocket API. */
export class UserDataStream extends Stream<UserDataEvent> {
  private nextId = 1;
  private readonly pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    url: string,
    private readonly credentials: Credentials,
    private readonly serverNow: () => number,
    events: StreamEvents<UserDataEvent>,
  ) {
    super(url, events);
  }

  protected async handshake(ws: WebSocket): Promise<void> {
    const creds = this.credentials;
    if (creds.keyType === 'ed25519') {
      const logon = sessionLogonRequest(creds, this.id(), this.serverNow());
      if (!logon.ok) throw new Error(logon.error.message);
      await this.request(ws, logon.value);
      await this.request(ws, { id: this.id(), method: 'userDataStream.subscribe' });
    } else {
      await this.request(
        ws,
        signedWsRequest(creds, this.id(), 'userDataStream.subscribe.signature', {}, this.serverNow()),
      );
    }
  }

  protected onFrame(json: unknown): void {
    const frame = json as { id?: unknown; status?: number; error?: { code: number; msg: string } };
    if (frame !== null && typeof frame === 'object' && frame.id !== undefined && frame.id !== null) {
      const p = this.pending.get(String(frame.id));
      if (p === undefined) return;
      this.pending.delete(String(frame.id));
      if (frame.status === 200) p.resolve(json);
      else p.reject(new Error(`WebSocket API: ${frame.error?.code} ${frame.error?.msg}`));
      return;
    }
    const m = parseUserDataMessage(json);
    if (m.ok && m.value.event !== undefined) this.events.message(m.value.event);
  }

  private id(): string {
    return `ordo-${this.nextId++}`;
  }

  private request(
    ws: WebSocket,
    frame: { id: string | number; method: string; params?: unknown },
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.set(String(frame.id), { resolve, reject });
      ws.send(JSON.stringify(frame));
    });
  }
}

/** Public trades and book tickers of some symbols, from the combined stream endpoint. */
export class MarketDataStream extends Stream<{ stream: string; data: unknown }> {
  protected async handshake(): Promise<void> {}

  protected onFrame(json: unknown): void {
    const f = combinedStreamSchema.safeParse(json);
    if (f.success) this.events.message(f.data);
  }
}
