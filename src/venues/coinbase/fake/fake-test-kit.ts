// Helpers for the fake server's own tests: a manual clock, an ES256 and an Ed25519 key, JWTs signed
// here with node:crypto (independently of both the fake's verifier and Ordo's client), raw REST
// requests with fetch and a raw `ws` client with a frame queue.

import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { FakeWsClient, ManualClock } from '../../fake-test-kit.ts';

export { ManualClock, T0, until } from '../../fake-test-kit.ts';

import { FakeCoinbase, type FakeCoinbaseOptions, type FakeCoinbaseUrls } from './fake-coinbase.ts';
import { isoMicros } from './fake-products.ts';

export const EC_KEY_NAME = 'organizations/0b5e3f7a-org/apiKeys/5c1d2e3f-ec';
export const ED_KEY_NAME = '9a8b7c6d-ed25519-key';
const EC = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ED = generateKeyPairSync('ed25519');
export const EC_PRIVATE: KeyObject = EC.privateKey;
export const ED_PRIVATE: KeyObject = ED.privateKey;
export const EC_PUBLIC_PEM = EC.publicKey.export({ type: 'spki', format: 'pem' }).toString();
export const ED_PUBLIC_PEM = ED.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** 2023-11-14T22:13:20Z. */
export const BROKERAGE = '/api/v3/brokerage';

/** A time as Coinbase writes it (`2023-11-14T22:13:20.000000Z`). */
export const isoAt = (ms: number): string => isoMicros(ms);

export interface Harness {
  readonly fake: FakeCoinbase;
  readonly urls: FakeCoinbaseUrls;
  readonly clock: ManualClock;
}

export async function startFake(options: FakeCoinbaseOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const fake = new FakeCoinbase({
    now: clock.now,
    apiKeys: [
      { name: EC_KEY_NAME, publicKey: EC_PUBLIC_PEM },
      { name: ED_KEY_NAME, publicKey: ED_PUBLIC_PEM },
    ],
    ...options,
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  return { fake, urls, clock };
}

/** Runs `fn` against a fresh fake and always stops it. */
export async function withFake(
  fn: (h: Harness) => Promise<void>,
  options?: FakeCoinbaseOptions,
): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
  } finally {
    await h.fake.stop();
  }
}

export interface JwtSpec {
  /** Which key signs (default ec). */
  readonly key?: 'ec' | 'ed';
  /** The uri claim; null leaves it out (WebSocket). */
  readonly uri?: string | null;
  /** Seconds; default the clock's now. */
  readonly nbf?: number;
  readonly exp?: number;
  readonly nonce?: string | null;
  readonly iss?: string;
  readonly sub?: string;
  readonly kid?: string;
  readonly alg?: string;
  /** Signs with this key instead (a wrong key). */
  readonly signWith?: KeyObject;
  /** Changes the signed text after signing (a forged payload). */
  readonly tamper?: (payloadJson: string) => string;
}

const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

/** A Coinbase CDP JWT as the docs describe it, signed here. */
export function makeJwt(nowMs: number, spec: JwtSpec = {}): string {
  const isEd = spec.key === 'ed';
  const name = isEd ? ED_KEY_NAME : EC_KEY_NAME;
  const header: Record<string, unknown> = {
    alg: spec.alg ?? (isEd ? 'EdDSA' : 'ES256'),
    kid: spec.kid ?? name,
    typ: 'JWT',
  };
  if (spec.nonce !== null) header.nonce = spec.nonce ?? randomBytes(32).toString('hex');
  const nbf = spec.nbf ?? Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = {
    sub: spec.sub ?? name,
    iss: spec.iss ?? 'cdp',
    nbf,
    exp: spec.exp ?? nbf + 120,
  };
  if (spec.uri !== null && spec.uri !== undefined) claims.uri = spec.uri;
  const signed = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const key = spec.signWith ?? (isEd ? ED_PRIVATE : EC_PRIVATE);
  const sig =
    key.asymmetricKeyType === 'ed25519'
      ? sign(null, Buffer.from(signed), key)
      : sign('sha256', Buffer.from(signed), { key, dsaEncoding: 'ieee-p1363' });
  const payload =
    spec.tamper === undefined
      ? signed
      : `${signed.split('.')[0]}.${b64(spec.tamper(JSON.stringify(claims)))}`;
  return `${payload}.${b64(sig)}`;
}

/** The uri claim for a request to the fake: `METHOD 127.0.0.1:port/api/v3/brokerage<path>`. */
export const uriFor = (h: Harness, method: string, relPath: string): string =>
  `${method} 127.0.0.1:${h.urls.port}${BROKERAGE}${relPath}`;

export interface RestOptions {
  readonly body?: unknown;
  /** Raw body text (sent as is). */
  readonly rawBody?: string;
  readonly query?: string;
  /** `none` sends no Authorization header. */
  readonly key?: 'ec' | 'ed' | 'none';
  /** A ready token to send instead of a fresh one. */
  readonly jwt?: string;
  /** Changes to the fresh token. */
  readonly jwtSpec?: JwtSpec;
}

export interface RestAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
  readonly body: any;
  /** The token sent, if any. */
  readonly jwt: string | undefined;
}

/** A REST request below /api/v3/brokerage, with a fresh JWT unless told otherwise. */
export async function rest(
  h: Harness,
  method: string,
  relPath: string,
  o: RestOptions = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  const keyChoice = o.key ?? 'ec';
  let jwt = o.jwt;
  if (jwt === undefined && keyChoice !== 'none')
    jwt = makeJwt(h.clock.now(), { key: keyChoice, uri: uriFor(h, method, relPath), ...o.jwtSpec });
  if (jwt !== undefined) headers.Authorization = `Bearer ${jwt}`;
  let body: string | undefined = o.rawBody;
  if (o.body !== undefined) body = JSON.stringify(o.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const url = `${h.urls.rest}${relPath}${o.query === undefined ? '' : `?${o.query}`}`;
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text (401)
  }
  return { status: res.status, headers: res.headers, text, body: parsed, jwt };
}

/** A create-order body. */
export function orderBody(
  clientOrderId: string,
  side: 'BUY' | 'SELL',
  config: Record<string, Record<string, unknown>>,
  productId = 'BTC-USD',
): Record<string, unknown> {
  return { client_order_id: clientOrderId, product_id: productId, side, order_configuration: config };
}

/** Places an order and returns the create answer's body. */
// biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
export async function place(h: Harness, body: Record<string, unknown>): Promise<any> {
  const res = await rest(h, 'POST', '/orders', { body });
  if (res.status !== 200) throw new Error(`create answered ${res.status}: ${res.text}`);
  return res.body;
}

/** GET /orders/historical/{id} → order. */
// biome-ignore lint/suspicious/noExplicitAny: test answers are inspected freely
export async function getOrder(h: Harness, id: string): Promise<any> {
  const res = await rest(h, 'GET', `/orders/historical/${id}`);
  if (res.status !== 200) throw new Error(`get order answered ${res.status}: ${res.text}`);
  return res.body.order;
}

/** User-channel order updates of a frame list, flattened: `[{type, order}]`. */
// biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
export function userOrders(frames: readonly any[]): any[] {
  return (
    frames
      .filter((f) => f.channel === 'user')
      // biome-ignore lint/suspicious/noExplicitAny: frames are inspected freely in tests
      .flatMap((f) => f.events.flatMap((e: any) => e.orders.map((o: any) => ({ type: e.type, ...o }))))
  );
}

/** Connects to the user endpoint and subscribes to `user` with a fresh JWT; waits for the snapshot. */
export async function userStream(
  h: Harness,
  productIds?: readonly string[],
  key: 'ec' | 'ed' = 'ec',
): Promise<WsClient> {
  const c = await WsClient.connect(h.urls.ws);
  const msg: Record<string, unknown> = {
    type: 'subscribe',
    channel: 'user',
    jwt: makeJwt(h.clock.now(), { key, uri: null }),
  };
  if (productIds !== undefined) msg.product_ids = productIds;
  c.send(msg);
  await c.next((f) => f.channel === 'user' && f.events[0]?.type === 'snapshot');
  c.take((f) => f.channel === 'subscriptions');
  return c;
}

export class WsClient extends FakeWsClient {}
