// Helpers for the fake Alpaca's own tests: a manual clock, a key pair, raw REST requests (fetch)
// and a raw `ws` client that records every frame and whether it came binary. Nothing here uses
// Ordo's Alpaca client: the tests check the wire as a client would see it.

import WebSocket from 'ws';
import { FakeAlpaca, type FakeAlpacaOptions, type FakeAlpacaUrls } from './fake-alpaca.ts';

export const KEY_ID = 'PKFAKETEST0000000001';
export const SECRET = 'fakeSecret0000000000000000000000000000001';

/** 2023-11-14T22:13:20Z: 20 s into a minute, 1 h 46 min 40 s before the UTC day ends. */
export const T0 = 1_700_000_000_000;
export const DAY_END = 1_700_006_400_000;

export class ManualClock {
  t = T0;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  readonly fake: FakeAlpaca;
  readonly urls: FakeAlpacaUrls;
  readonly clock: ManualClock;
}

export async function startFake(options: FakeAlpacaOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const fake = new FakeAlpaca({
    now: clock.now,
    apiKeys: [{ keyId: KEY_ID, secretKey: SECRET }],
    ...options,
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  return { fake, urls, clock };
}

/** Runs `fn` against a fresh fake and always stops it. */
export async function withFake(
  fn: (h: Harness) => Promise<void>,
  options?: FakeAlpacaOptions,
): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
    if (h.fake.internalErrors().length > 0) throw h.fake.internalErrors()[0];
  } finally {
    await h.fake.stop();
  }
}

export interface RestOptions {
  /** null: leave the header out. */
  readonly keyId?: string | null;
  readonly secret?: string | null;
  /** Sent as is instead of JSON.stringify(body). */
  readonly rawBody?: string;
}

export interface RestAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
  readonly body: any;
}

export async function rest(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  options: RestOptions = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  const keyId = options.keyId === undefined ? KEY_ID : options.keyId;
  const secret = options.secret === undefined ? SECRET : options.secret;
  if (keyId !== null) headers['APCA-API-KEY-ID'] = keyId;
  if (secret !== null) headers['APCA-API-SECRET-KEY'] = secret;
  let payload: string | undefined = options.rawBody;
  if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${h.urls.rest}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** POST /v2/orders. */
export const place = (h: Harness, order: Record<string, unknown>) => rest(h, 'POST', '/v2/orders', order);

/** A raw WebSocket client collecting every frame (parsed JSON) and whether each came binary. */
export class WsClient {
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  readonly frames: any[] = [];
  readonly binary: boolean[] = [];
  /** Raw text of every frame, in arrival order. */
  readonly raw: string[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      this.raw.push(text);
      this.binary.push(isBinary);
      this.frames.push(JSON.parse(text));
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new WsClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Waits for (and removes) the first frame matching `pred`. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  async next(pred: (f: any) => boolean = () => true, timeoutMs = 2000): Promise<any> {
    const i = await this.find(pred, timeoutMs);
    return this.frames.splice(i, 1)[0];
  }

  /** Waits until a frame matching `pred` has arrived, leaving it in the queue. */
  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  async waitFor(pred: (f: any) => boolean, timeoutMs = 2000): Promise<void> {
    await this.find(pred, timeoutMs);
  }

  // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
  private async find(pred: (f: any) => boolean, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return i;
      if (this.closed) throw new Error('socket closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting; frames: ${JSON.stringify(this.frames).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** trade_updates events received so far (removed from the queue), in order. */
  // biome-ignore lint/suspicious/noExplicitAny: events are inspected freely in tests
  takeUpdates(): any[] {
    const out = [];
    for (let i = 0; i < this.frames.length; ) {
      if (this.frames[i].stream === 'trade_updates') out.push(this.frames.splice(i, 1)[0].data);
      else i++;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Connects to /stream, authenticates and listens to trade_updates. */
export async function tradeUpdates(h: Harness): Promise<WsClient> {
  const c = await WsClient.connect(h.urls.ws);
  c.send({ action: 'auth', key: KEY_ID, secret: SECRET });
  const auth = await c.next((f) => f.stream === 'authorization');
  if (auth.data.status !== 'authorized') throw new Error(`auth failed: ${JSON.stringify(auth)}`);
  c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
  await c.next((f) => f.stream === 'listening');
  return c;
}

/** Connects to a market data stream (`/v2/iex`, `/v1beta3/crypto/us`) and authenticates. */
export async function marketData(h: Harness, path: string): Promise<WsClient> {
  const c = await WsClient.connect(`${h.urls.marketData}${path}`);
  await c.next((f) => f[0]?.msg === 'connected');
  c.send({ action: 'auth', key: KEY_ID, secret: SECRET });
  const r = await c.next();
  if (r[0]?.msg !== 'authenticated') throw new Error(`auth failed: ${JSON.stringify(r)}`);
  return c;
}

/** Waits until `pred` holds (polling), for asynchronous effects. */
export async function until(pred: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A market for BTC/USD (bid 60000 × 1, ask 60001 × 1) and AAPL (bid 190 × 100, ask 190.05 × 100). */
export function market(h: Harness): void {
  h.fake.feedQuote('BTC/USD', '60000', '1', '60001', '1');
  h.fake.feedQuote('AAPL', '190', '100', '190.05', '100');
}
