// No secret leaves its place: sessions on Binance, Alpaca and Coinbase (each adapter against its
// in-process fake, over real HTTP and WebSocket on 127.0.0.1) run with keys configured, through
// accepted and refused orders, a 429, a 5xx, an answer lost after execution, a dropped stream and
// a login with a wrong secret. Then no API key, secret, private key or bearer token may appear in
// what was written to stdout or stderr or logged, in the SQLite journal's bytes, in any error
// message or problem the session reports, or in the session's objects as a log would print them.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { AlpacaAdapter } from '../src/venues/alpaca/alpaca-adapter.ts';
import { AlpacaCredentials } from '../src/venues/alpaca/auth.ts';
import { FakeAlpaca } from '../src/venues/alpaca/fake/index.ts';
import { BinanceAdapter } from '../src/venues/binance/binance-adapter.ts';
import { FakeBinance } from '../src/venues/binance/fake/fake-binance.ts';
import { Credentials } from '../src/venues/binance/signing.ts';
import { CoinbaseAdapter } from '../src/venues/coinbase/coinbase-adapter.ts';
import { FakeCoinbase } from '../src/venues/coinbase/fake/index.ts';
import { CoinbaseCredentials } from '../src/venues/coinbase/jwt.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import type { VenueAdapter } from '../src/venues/venue-adapter.ts';
import { until } from './support/until.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordo-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Everything written or logged while `run` runs (the test runner's own output is not included). */
async function captured<T>(run: () => Promise<T>): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const errw = process.stderr.write.bind(process.stderr);
  const cons = {
    log: console.log,
    error: console.error,
    warn: console.warn,
    info: console.info,
    debug: console.debug,
  };
  const keep = (...args: unknown[]) => {
    chunks.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6 }))).join(' '));
  };
  // Copied, and still written: the test runner reports through stdout too.
  process.stdout.write = ((c: string | Uint8Array, ...rest: never[]) => {
    chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1'));
    return out(c, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array, ...rest: never[]) => {
    chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1'));
    return errw(c, ...rest);
  }) as typeof process.stderr.write;
  console.log = console.error = console.warn = console.info = console.debug = keep;
  try {
    const value = await run();
    return { value, output: chunks.join('\n') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = errw;
    Object.assign(console, cons);
  }
}

/** Bearer tokens and signatures the adapters send, seen by wrapping fetch. */
const sentTokens: string[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const h = new Headers(init?.headers);
  const auth = h.get('authorization');
  if (auth !== null) sentTokens.push(auth.replace(/^Bearer /, ''));
  const sig = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('signature');
  if (sig !== null) sentTokens.push(sig);
  return realFetch(input, init);
}) as typeof fetch;
after(() => {
  globalThis.fetch = realFetch;
});

/** What a session leaves behind that a person or a log could read. */
function traces(session: LiveSession, errors: readonly string[], db: string): string {
  const journal = [db, `${db}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
  return [
    ...errors,
    ...session.bridge.problems.map((p) => p.error),
    ...session.oms.anomalies.map((a) => `${a.code} ${a.message} ${JSON.stringify(a.detail ?? null)}`),
    JSON.stringify(session.lastReconciliation ?? null),
    JSON.stringify(session.oms.getOrders()),
    inspect(session.adapter, { depth: 4 }),
    inspect(session.oms.venue, { depth: 2 }),
    journal,
  ].join('\n');
}

/** Fails naming where a secret (or a long piece of it) was found. */
function assertAbsent(haystacks: Record<string, string>, secrets: Record<string, string>): void {
  for (const [what, secret] of Object.entries(secrets)) {
    assert.ok(secret.length >= 16, `${what} is long enough to look for`);
    // The whole secret, and any 16-character piece of it (a truncated or split copy).
    const pieces = [secret];
    for (let i = 0; i + 16 <= secret.length; i += 8) pieces.push(secret.slice(i, i + 16));
    for (const [where, text] of Object.entries(haystacks))
      for (const p of pieces)
        assert.ok(!text.includes(p), `${what} (…${p.slice(0, 4)}…) appears in ${where}`);
  }
}

/** Places what the scenario needs and waits for the venue's answers; returns error messages. */
async function trade(
  session: LiveSession,
  symbol: string,
  price: string,
  huge: string,
  beforeRefused: () => void = () => {},
): Promise<string[]> {
  const errors: string[] = [];
  const oms = session.oms;
  const ok = unwrap(
    oms.placeOrder({ symbol, side: 'buy', type: 'limit', quantity: '0.01', price }, Date.now()),
  );
  await until(() => oms.getOrder(ok.id as OrderId)?.status !== 'submitted', 'the first order answered');
  beforeRefused();
  // Refused by the venue: far more than the account holds.
  const big = oms.placeOrder({ symbol, side: 'buy', type: 'limit', quantity: huge, price }, Date.now());
  if (!big.ok) errors.push(big.error.message);
  await session.settle();
  const cancel = oms.cancelOrder(ok.id as OrderId, Date.now());
  if (!cancel.ok) errors.push(cancel.error.message);
  await session.settle();
  const unknown = oms.cancelOrder(999_999 as OrderId, Date.now());
  if (!unknown.ok) errors.push(unknown.error.message);
  for (const o of oms.getOrders()) errors.push(`${o.clientOrderId} ${o.status}`);
  return errors;
}

/** Waits (a 429's Retry-After, a backoff) pass at once: the test is about what is said, not when. */
const fastSleep = (_ms: number): Promise<void> => new Promise((r) => setImmediate(r));

const LOGGED_IN = 'a session opened with a wrong secret';

/** Opens a session that must fail to log in (a wrong secret) and returns what it said. */
async function wrongLogin(make: () => VenueAdapter): Promise<string> {
  const adapter = make();
  try {
    const s = await LiveSession.open(adapter, {
      marketData: true,
      bridge: { backoffMs: 5, sleep: fastSleep },
    });
    await s.close();
    return LOGGED_IN;
  } catch (e) {
    return e instanceof Error ? `${e.message}\n${e.stack ?? ''}\n${inspect(e, { depth: 4 })}` : String(e);
  } finally {
    // Whatever it opened before the refusal (a stream, a timer) is closed: the test stops what it starts.
    await adapter.close().catch(() => {});
  }
}

describe('secrets stay secret', () => {
  it('Binance: API key and HMAC secret', async () => {
    const API_KEY = 'SecretsTestBinanceKey9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544';
    const SECRET = 'SecretsTestBinanceHmac0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5';
    const WRONG = 'SecretsTestBinanceWrong1122334455667788990011223344556677889900aa';
    const fake = new FakeBinance({ apiKeys: [{ apiKey: API_KEY, hmacSecret: SECRET }] });
    const urls = await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTCUSDT', '45000.00', '5', '45001.00', '5');
    fake.feedTrade('BTCUSDT', '45000.50', '0.1');
    const db = join(dir, 'binance.sqlite');
    const make = (secret: string) =>
      new BinanceAdapter({
        urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
        credentials: unwrap(Credentials.from({ apiKey: API_KEY, hmacSecret: secret })),
        timeoutMs: 1_000,
        sleep: fastSleep,
      });
    const tokensBefore = sentTokens.length;
    const { value, output } = await captured(async () => {
      const journal = SqliteJournal.open(db);
      const session = await LiveSession.open(make(SECRET), {
        marketData: true,
        journal,
        bridge: { backoffMs: 5, sleep: fastSleep },
      });
      // An answer lost after the order was placed, then a 503 after it was placed.
      fake.faults.dropResponse({ match: { method: 'POST', path: '/api/v3/order' } });
      const errors = await trade(session, 'BTC/USDT', '44000', '100000');
      fake.faults.timeoutAfterExecute({ match: { method: 'POST', path: '/api/v3/order' }, status: 503 });
      unwrap(
        session.oms.placeOrder(
          { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '43000' },
          Date.now(),
        ),
      );
      await session.settle();
      fake.faults.disconnectWebSockets({ wsApi: true, market: true });
      await session.reconcile();
      errors.push(await wrongLogin(() => make(WRONG)));
      const left = traces(session, errors, db);
      await session.close();
      await journal.close();
      return `${left}\n${traces(session, [], db)}`;
    });
    await fake.stop();
    assert.ok(sentTokens.length > tokensBefore, 'the requests were signed');
    assert.ok(!value.includes(LOGGED_IN), 'a wrong secret must not log in');
    const secrets: Record<string, string> = {
      'the API key': API_KEY,
      'the secret': SECRET,
      'the wrong secret': WRONG,
    };
    sentTokens.slice(tokensBefore).forEach((t, i) => {
      if (t.length >= 16) secrets[`signature ${i}`] = t;
    });
    // What is searched holds the journal and the failures (so an absence means something).
    assert.ok(value.includes('order_created') && value.includes('ordo-'), 'the journal was read');
    assertAbsent({ 'the output': output, 'the session': value }, secrets);
  });

  it('Alpaca: key id and secret key', async () => {
    const KEY_ID = 'PKSECRETSTEST0000000000000001';
    const SECRET = 'SecretsTestAlpacaSecretKey000000000000000000000001';
    const WRONG = 'SecretsTestAlpacaWrongSecretKey0000000000000000001';
    // A clock both sides share, moved by waiting: a 429's Retry-After passes at once.
    const clock = { t: Date.now(), now: () => clock.t };
    const sleep = async (ms: number) => {
      clock.t += ms;
      await fastSleep(0);
    };
    const fake = new FakeAlpaca({
      apiKeys: [{ keyId: KEY_ID, secretKey: SECRET }],
      balances: { USD: '100000', BTC: '2' },
      now: () => clock.t,
    });
    await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTC/USD', '60000.00', '5', '60001.00', '5');
    fake.feedTrade('BTC/USD', '60000.50', '0.1');
    const db = join(dir, 'alpaca.sqlite');
    const make = (secret: string) =>
      new AlpacaAdapter({
        urls: { rest: fake.urls.rest, stream: fake.urls.ws, dataStream: fake.urls.marketData },
        credentials: unwrap(AlpacaCredentials.from({ keyId: KEY_ID, secretKey: secret })),
        timeoutMs: 1_000,
        clock: clock.now,
        sleep,
        stream: { backoffMs: 20, maxBackoffMs: 100 },
        cryptoFees: 'none',
      });
    const { value, output } = await captured(async () => {
      const journal = SqliteJournal.open(db);
      const session = await LiveSession.open(make(SECRET), {
        marketData: true,
        journal,
        clock: clock.now,
        bridge: { backoffMs: 5, sleep, clock: clock.now },
      });
      const errors = await trade(session, 'BTC/USD', '59000', '1000', () => fake.faults.rateLimitNext(2));
      fake.faults.dropResponse({ match: { method: 'POST', path: '/v2/orders' } });
      unwrap(
        session.oms.placeOrder(
          { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '58000' },
          Date.now(),
        ),
      );
      await session.settle();
      fake.faults.disconnectWebSockets({ trading: true, marketData: true });
      await session.reconcile();
      errors.push(await wrongLogin(() => make(WRONG)));
      const left = traces(session, errors, db);
      await session.close();
      await journal.close();
      return `${left}\n${traces(session, [], db)}`;
    });
    await fake.stop();
    assert.ok(!value.includes(LOGGED_IN), 'a wrong secret must not log in');
    assert.ok(value.includes('order_created') && value.includes('ordo-'), 'the journal was read');
    assertAbsent(
      { 'the output': output, 'the session': value },
      { 'the key id': KEY_ID, 'the secret key': SECRET, 'the wrong secret key': WRONG },
    );
    // The check itself finds a leak, whole or in part.
    assert.throws(() => assertAbsent({ log: `auth ${SECRET.slice(5, 30)} failed` }, { s: SECRET }));
  });

  it('Coinbase: private key and the JWTs made from it', async () => {
    const KEY_NAME = 'organizations/ordo-secrets-org/apiKeys/ordo-secrets-key-0001';
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const wrongPem = other.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const fake = new FakeCoinbase({ apiKeys: [{ name: KEY_NAME, publicKey: pair.publicKey }], jwtHosts: [] });
    const urls = await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTC-USD', '45000.00', '5', '45001.00', '5');
    fake.feedTrade('BTC-USD', '45000.50', '0.1');
    const db = join(dir, 'coinbase.sqlite');
    const make = (privateKey: string) =>
      new CoinbaseAdapter({
        urls: { rest: urls.brokerage, userWs: urls.ws, marketWs: urls.marketData },
        credentials: unwrap(CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey })),
        products: ['BTC-USD'],
        timeoutMs: 1_000,
        sleep: fastSleep,
      });
    const tokensBefore = sentTokens.length;
    const { value, output } = await captured(async () => {
      const journal = SqliteJournal.open(db);
      const session = await LiveSession.open(make(pem), {
        marketData: true,
        journal,
        bridge: { backoffMs: 5, sleep: fastSleep },
      });
      const errors = await trade(session, 'BTC/USD', '44000', '100000', () => fake.faults.rateLimitNext(1));
      fake.faults.dropResponse({ match: { method: 'POST', path: '/orders' } });
      unwrap(
        session.oms.placeOrder(
          { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '43000' },
          Date.now(),
        ),
      );
      await session.settle();
      fake.faults.disconnectWebSockets({ user: true, market: true });
      await session.reconcile();
      errors.push(await wrongLogin(() => make(wrongPem)));
      const left = traces(session, errors, db);
      await session.close();
      await journal.close();
      return `${left}\n${traces(session, [], db)}`;
    });
    await fake.stop();
    const tokens = sentTokens.slice(tokensBefore);
    assert.ok(tokens.length > 0, 'the requests carried tokens');
    assert.ok(!value.includes(LOGGED_IN), 'a wrong key must not log in');
    const secrets: Record<string, string> = {};
    const body = (p: string) =>
      p
        .split('\n')
        .filter((l) => l.length > 0 && !l.startsWith('-----'))
        .join('');
    secrets['the private key'] = body(pem);
    secrets['the wrong private key'] = body(wrongPem);
    // A JWT's signature is the part that grants access; header and claims are not secret.
    tokens.forEach((t, i) => {
      const sig = t.split('.')[2];
      if (sig !== undefined && sig.length >= 16) secrets[`token ${i}`] = sig;
    });
    // What is searched holds the journal and the failures (so an absence means something).
    assert.ok(value.includes('order_created') && value.includes('ordo-'), 'the journal was read');
    assertAbsent({ 'the output': output, 'the session': value }, secrets);
  });
});
