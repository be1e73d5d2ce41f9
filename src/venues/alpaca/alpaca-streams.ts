// Alpaca's push channels. The trading stream (`wss://{paper-}api.alpaca.markets/stream`) is
// authenticated with `{"action":"authenticate",...}` and subscribed with
// `{"action":"listen","data":{"streams":["trade_updates"]}}`; its messages come in binary frames
// (JSON text inside) on the paper host and text frames elsewhere, so both are read. The market
// data stream (`/v2/{feed}`, `/v1beta3/crypto/us`) speaks another dialect: `{"action":"auth",...}`
// then `{"action":"subscribe",...}`, answers are arrays of `{T:...}`. Both reconnect on their own
// with a backoff and say so: after a reconnect the trading stream may have missed events, which
// the owner settles by reconciling (fills are never applied twice: they carry trade ids).

import WebSocket from 'ws';
import type { AlpacaCredentials } from './auth.ts';
import { parseDataFrame } from './market-data.ts';
import { parseStreamMessage, type TradeUpdate } from './trade-updates.ts';

export interface StreamEvents<T> {
  readonly message: (m: T) => void;
  /** 'disconnected' when the socket drops, 'reconnected' once it is back (not on the first open). */
  readonly state: (s: 'disconnected' | 'reconnected') => void;
}

export interface StreamOptions {
  /** First reconnect delay; doubled per failed attempt up to `maxBackoffMs`. Default 200 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The handshake must complete within this. Default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

/** The text of a frame, binary or not. */
export function frameText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

interface Waiter {
  readonly test: (json: unknown) => 'yes' | 'no' | Error;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Reconnecting WebSocket plumbing shared by both streams. */
abstract class Stream<T> {
  private ws: WebSocket | undefined;
  private closing = false;
  private opened = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: Waiter[] = [];
  protected readonly backoffMs: number;
  protected readonly maxBackoffMs: number;
  protected readonly handshakeTimeoutMs: number;

  constructor(
    protected readonly url: string,
    protected readonly events: StreamEvents<T>,
    options: StreamOptions = {},
  ) {
    this.backoffMs = options.backoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  }

  /** Opens the socket and completes its handshake; rejects when the first attempt fails. */
  open(): Promise<void> {
    this.closing = false;
    return this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = undefined;
    for (const w of this.waiters) w.reject(new Error('stream closed'));
    this.waiters = [];
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  /** Whether the socket is open and past its handshake. */
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.opened;
  }

  /** After the socket opened: the stream's own handshake (auth, listen, subscribe). */
  protected abstract handshake(ws: WebSocket): Promise<void>;
  /** A frame after the handshake's waiters have seen it. */
  protected abstract onFrame(json: unknown): void;

  /** Sends `frame`, then waits for the first message `test` accepts (or an Error it returns). */
  protected request(ws: WebSocket, frame: string, test: Waiter['test']): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no answer from ${this.describe()} in ${this.handshakeTimeoutMs} ms`));
      }, this.handshakeTimeoutMs);
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
      ws.send(frame);
    });
  }

  /** The URL without any query (for messages). */
  protected describe(): string {
    return this.url.split('?')[0] ?? this.url;
  }

  private dispatch(json: unknown): void {
    for (const w of [...this.waiters]) {
      const r = w.test(json);
      if (r === 'no') continue;
      this.waiters = this.waiters.filter((x) => x !== w);
      if (r === 'yes') w.resolve();
      else w.reject(r);
    }
    this.onFrame(json);
  }

  private connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let settled = false;
      ws.on('message', (data) => {
        let json: unknown;
        try {
          json = JSON.parse(frameText(data));
        } catch {
          return;
        }
        this.dispatch(json);
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
          (e: Error) => {
            if (!settled && !this.opened) {
              settled = true;
              reject(e);
            }
            ws.terminate();
          },
        );
      });
      ws.on('error', (e) => {
        if (!settled && !this.opened) {
          settled = true;
          reject(e);
        }
      });
      ws.once('close', () => {
        for (const w of this.waiters) w.reject(new Error(`${this.describe()} closed during its handshake`));
        this.waiters = [];
        if (this.ws !== ws || this.closing) return;
        if (!this.opened) return;
        if (this.attempt === 0) this.events.state('disconnected');
        this.scheduleReconnect();
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    const delay = Math.min(this.backoffMs * 2 ** this.attempt, this.maxBackoffMs);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.connect().catch(() => {
        // The close handler of the failed socket schedules the next attempt.
      });
    }, delay);
  }
}

/** The trading stream, listening to `trade_updates`. */
export class TradeUpdatesStream extends Stream<TradeUpdate> {
  constructor(
    url: string,
    private readonly credentials: AlpacaCredentials,
    events: StreamEvents<TradeUpdate>,
    options?: StreamOptions,
  ) {
    super(url, events, options);
  }

  protected async handshake(ws: WebSocket): Promise<void> {
    await this.request(ws, this.credentials.streamAuthFrame(), (json) => {
      const m = parseStreamMessage(json);
      if (!m.ok || m.value.kind !== 'authorization') return 'no';
      return m.value.authorized
        ? 'yes'
        : new Error(`${this.describe()}: authentication refused (unauthorized)`);
    });
    await this.request(
      ws,
      JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }),
      (json) => {
        const m = parseStreamMessage(json);
        if (!m.ok) return 'no';
        if (m.value.kind === 'authorization' && !m.value.authorized)
          return new Error(`${this.describe()}: listen refused (unauthorized)`);
        if (m.value.kind !== 'listening') return 'no';
        return m.value.streams.includes('trade_updates') ? 'yes' : new Error('trade_updates not listened to');
      },
    );
  }

  protected onFrame(json: unknown): void {
    const m = parseStreamMessage(json);
    if (m.ok && m.value.kind === 'trade_update') this.events.message(m.value.update);
  }
}

/** One market-data stream (stocks or crypto) of some symbols' trades and quotes. */
export class MarketDataStream extends Stream<unknown> {
  constructor(
    url: string,
    private readonly credentials: AlpacaCredentials,
    private readonly subscribe: string,
    events: StreamEvents<unknown>,
    options?: StreamOptions,
  ) {
    super(url, events, options);
  }

  protected async handshake(ws: WebSocket): Promise<void> {
    const control = (json: unknown, want: (msg: string | undefined, tag: string) => boolean) => {
      for (const d of parseDataFrame(json)) {
        if (d.kind !== 'control') continue;
        if (d.m.T === 'error')
          return new Error(`${this.describe()}: ${d.m.code ?? ''} ${d.m.msg ?? 'error'}`.trim());
        if (want(d.m.msg, d.m.T)) return 'yes' as const;
      }
      return 'no' as const;
    };
    await this.request(ws, this.credentials.dataAuthFrame(), (json) =>
      control(json, (msg) => msg === 'authenticated'),
    );
    await this.request(ws, this.subscribe, (json) => control(json, (_msg, tag) => tag === 'subscription'));
  }

  protected onFrame(json: unknown): void {
    this.events.message(json);
  }
}
