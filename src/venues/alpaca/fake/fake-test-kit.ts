// Helpers for the fake Alpaca's own tests: a manual clock, a key pair, raw REST requests (fetch)
// and a raw `ws` client that records every frame and whether it came binary. Nothing here uses
// Ordo's Alpaca client: the tests check the wire as a client would see it.

import { FakeWsClient, ManualClock } from '../../fake-test-kit.ts';

export { ManualClock, T0, until } from '../../fake-test-kit.ts';

import { FakeAlpaca, type FakeAlpacaOptions, type FakeAlpacaUrls } from './fake-alpaca.ts';

export const KEY_ID = 'PKFAKETEST0000000001';
export const SECRET = 'fakeSecret0000000000000000000000000000001';

/** 2023-11-14T22:13:20Z: 20 s into a minute, 1 h 46 min 40 s before the UTC day ends. */
export const DAY_END = 1_700_006_400_000;

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

/** A market for BTC/USD (bid 60000 × 1, ask 60001 × 1) and AAPL (bid 190 × 100, ask 190.05 × 100). */
export function market(h: Harness): void {
  h.fake.feedQuote('BTC/USD', '60000', '1', '60001', '1');
  h.fake.feedQuote('AAPL', '190', '100', '190.05', '100');
}

export class WsClient extends FakeWsClient {
  /** trade_updates events received so far (removed from the queue), in order. */
  // biome-ignore lint/suspicious/noExplicitAny: events are inspected freely in tests
  takeUpdates(): any[] {
    return this.take((f) => f.stream === 'trade_updates').map((f) => f.data);
  }
}
