// Helpers for the fake server's own tests: a manual clock, keys, signed raw REST requests (fetch)
// and a raw `ws` client with a message queue. Signatures are computed here, independently of both
// the fake's verifier and Ordo's client.

import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { FakeWsClient, ManualClock } from '../../fake-test-kit.ts';

export { ManualClock, T0, until } from '../../fake-test-kit.ts';

import { FakeBinance, type FakeBinanceOptions, type FakeBinanceUrls } from './fake-binance.ts';

/** Binance's documented example key pair (HMAC). */
export const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
export const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
export const ED_API_KEY = 'EdKey0000000000000000000000000000000000000000000000000000000000a';

const ED = generateKeyPairSync('ed25519');
export const ED_PRIVATE: KeyObject = ED.privateKey;
export const ED_PUBLIC_PEM = ED.publicKey.export({ type: 'spki', format: 'pem' }).toString();

export interface Harness {
  readonly fake: FakeBinance;
  readonly urls: FakeBinanceUrls;
  readonly clock: ManualClock;
}

export async function startFake(options: FakeBinanceOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const fake = new FakeBinance({
    now: clock.now,
    apiKeys: [
      { apiKey: API_KEY, hmacSecret: SECRET },
      { apiKey: ED_API_KEY, ed25519PublicKeyPem: ED_PUBLIC_PEM },
    ],
    ...options,
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  return { fake, urls, clock };
}

export const hmac = (payload: string, secret = SECRET): string =>
  createHmac('sha256', secret).update(payload).digest('hex');

export const edSign = (payload: string, key: KeyObject = ED_PRIVATE): string =>
  sign(null, Buffer.from(payload), key).toString('base64');

export type Params = readonly (readonly [string, string])[] | Readonly<Record<string, string>>;

const pairs = (p: Params): (readonly [string, string])[] =>
  Array.isArray(p) ? [...p] : Object.entries(p as Record<string, string>);

export const encode = (p: Params): string =>
  pairs(p)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

export interface RestOptions {
  /** Sign with HMAC (default) or Ed25519; `none` sends no signature or timestamp. */
  readonly sign?: 'hmac' | 'ed25519' | 'none';
  /** Where the parameters go: body for POST/PUT/DELETE by default, query for GET. */
  readonly where?: 'query' | 'body';
  readonly apiKey?: string | null;
  /** Timestamp to send; default the harness clock. */
  readonly timestamp?: number;
  readonly recvWindow?: number;
  /** Changes the signed text after signing (to test -1022). */
  readonly tamper?: (text: string) => string;
}

export interface RestAnswer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
  readonly body: any;
}

export async function rest(
  h: Harness,
  method: string,
  path: string,
  params: Params = {},
  options: RestOptions = {},
): Promise<RestAnswer> {
  const signMode = options.sign ?? 'hmac';
  const list = pairs(params);
  if (signMode !== 'none') {
    if (options.recvWindow !== undefined) list.push(['recvWindow', String(options.recvWindow)]);
    list.push(['timestamp', String(options.timestamp ?? h.clock.now())]);
  }
  const where = options.where ?? (method === 'GET' ? 'query' : 'body');
  let text = encode(list);
  if (signMode !== 'none') {
    const sig = signMode === 'hmac' ? hmac(text) : edSign(text, ED_PRIVATE);
    if (options.tamper !== undefined) text = options.tamper(text);
    text += `&signature=${encodeURIComponent(sig)}`;
  }
  const apiKey =
    options.apiKey === undefined ? (signMode === 'ed25519' ? ED_API_KEY : API_KEY) : options.apiKey;
  const headers: Record<string, string> = {};
  if (apiKey !== null) headers['X-MBX-APIKEY'] = apiKey;
  let url = `${h.urls.rest}${path}`;
  let body: string | undefined;
  if (where === 'query') url += text === '' ? '' : `?${text}`;
  else {
    body = text;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url, { method, headers, body });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, body: raw === '' ? undefined : JSON.parse(raw) };
}

/** WebSocket API params signed as Binance documents: sorted by name, `k=v` joined with `&`. */
export function wsSigned(
  params: Record<string, unknown>,
  timestamp: number,
  mode: 'hmac' | 'ed25519' = 'hmac',
): Record<string, unknown> {
  const p: Record<string, unknown> = { ...params, apiKey: mode === 'hmac' ? API_KEY : ED_API_KEY, timestamp };
  const payload = Object.keys(p)
    .sort()
    .map((k) => `${k}=${String(p[k])}`)
    .join('&');
  return { ...p, signature: mode === 'hmac' ? hmac(payload) : edSign(payload) };
}

/** Connects to the WebSocket API, logs on with the Ed25519 key and subscribes to user data. */
export async function userStream(h: Harness): Promise<WsClient> {
  const c = await WsClient.connect(h.urls.wsApi);
  const logon = await c.request('session.logon', wsSigned({}, h.clock.now(), 'ed25519'));
  if (logon.status !== 200) throw new Error(`logon failed: ${JSON.stringify(logon)}`);
  const sub = await c.request('userDataStream.subscribe');
  if (sub.status !== 200) throw new Error(`subscribe failed: ${JSON.stringify(sub)}`);
  return c;
}

export class WsClient extends FakeWsClient {
  private nextId = 1;

  /** Sends a WebSocket API request and waits for its answer. */
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely in tests
  async request(method: string, params?: Record<string, unknown>): Promise<any> {
    const id = `r${this.nextId++}`;
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.next((f) => f.id === id);
  }

  /** User data events received so far (removed from the queue), in order. */
  // biome-ignore lint/suspicious/noExplicitAny: events are inspected freely in tests
  takeEvents(): any[] {
    return this.take((f) => f.event !== undefined);
  }
}
