// Ordo's Binance adapter against the local fake Binance: a LiveSession trades through the real
// wire format (signed REST, the WebSocket API user data stream, public market streams), and the
// fake verifies every signature. Faults the fake injects (a dropped answer after execution, a 429,
// a dropped WebSocket in the middle of fills) must not create, miss or repeat anything.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { BinanceAdapter } from '../src/venues/binance/binance-adapter.ts';
import { FakeBinance } from '../src/venues/binance/fake/fake-binance.ts';
import { Credentials } from '../src/venues/binance/signing.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { until } from './support/until.ts';

const API_KEY = 'OrdoTestKey0000000000000000000000000000000000000000000000000000001';
const SECRET = 'OrdoTestSecret00000000000000000000000000000000000000000000000000001';

/** A clock both sides share; waiting moves it, so tests of long waits run at once. */
class Clock {
  t = Date.now();
  readonly now = (): number => this.t;
  readonly sleep = async (ms: number): Promise<void> => {
    this.t += ms;
    await new Promise((r) => setImmediate(r));
  };
}

async function open(options: { fake?: ConstructorParameters<typeof FakeBinance>[0]; clock?: Clock } = {}) {
  const clock = options.clock;
  const fake = new FakeBinance({
    apiKeys: [{ apiKey: API_KEY, hmacSecret: SECRET }],
    now: clock?.now,
    ...options.fake,
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  fake.feedQuote('BTCUSDT', '45000.00', '5', '45001.00', '5');
  fake.feedTrade('BTCUSDT', '45000.50', '0.1');
  const adapter = new BinanceAdapter({
    urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
    credentials: unwrap(Credentials.from({ apiKey: API_KEY, hmacSecret: SECRET })),
    timeoutMs: 1_000,
    clock: clock?.now,
    sleep: clock?.sleep,
  });
  const session = await LiveSession.open(adapter, {
    marketData: true,
    clock: clock?.now,
    bridge: { backoffMs: 20, sleep: clock?.sleep, clock: clock?.now },
  });
  const close = async () => {
    await session.close();
    await fake.stop();
  };
  return { fake, session, oms: session.oms, adapter, close };
}

describe('Binance adapter on the fake Binance', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it('places a limit order, hears it fill over the user data stream, and books the position', async () => {
    const s = await open();
    closers.push(s.close);
    assert.deepEqual(s.session.blockedBy, []);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    s.fake.feedTrade('BTCUSDT', '44899.00', '1');
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'filled', 'the fill');
    const view = s.oms.getOrder(o.id as OrderId)!;
    assert.equal(view.filled, '0.01000');
    assert.equal(s.oms.portfolio.position('binance:BTC/USDT')?.qty, '0.01000');
    // Every request the fake saw carried a valid signature (or needed none).
    assert.ok(s.fake.requests().every((r) => r.signatureOk !== false));
  });

  it('a request timeout after the venue executed the order leads to exactly one order', async () => {
    const s = await open();
    closers.push(s.close);
    // The fake places the order, then drops the connection without an answer.
    s.fake.faults.dropResponse({ match: { path: '/api/v3/order', method: 'POST' } });
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44800' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance after the lookup');
    await s.session.settle();
    const placed = s.fake
      .orderRecords()
      .filter((r) => r.clientOrderId === s.oms.getOrder(o.id as OrderId)!.clientOrderId);
    assert.equal(placed.length, 1, 'one order at the venue');
    assert.equal(s.fake.orderRecords().length, 1);
    assert.ok(
      s.fake.requests().some((r) => r.fault !== undefined),
      'the fault was applied',
    );
    assert.ok(
      s.fake.requests().some((r) => r.method === 'GET' && r.path === '/api/v3/order'),
      'the order was looked up by its client order id',
    );
  });

  it('honours a 429 and its Retry-After: nothing is sent inside the wait, and no ban', async () => {
    const clock = new Clock();
    const s = await open({ clock, fake: { rateLimits: { ordersPer10s: 3 } } });
    closers.push(s.close);
    const ids: OrderId[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        unwrap(
          s.oms.placeOrder(
            { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: `${44000 + i}` },
            clock.now(),
          ),
        ).id as OrderId,
      );
    await until(() => ids.every((id) => s.oms.getOrder(id)?.status === 'accepted'), 'all five accepted');
    const hits = s.fake.rateLimitHits();
    assert.ok(hits.length >= 1, 'the fake answered 429');
    assert.ok(hits.every((h) => h.status === 429));
    for (const h of hits) {
      const inside = s.fake.requests().filter((r) => r.time > h.time && r.time < h.retryAt);
      assert.deepEqual(inside, [], 'no request inside the Retry-After wait');
    }
    assert.equal(s.fake.banStatus().everBanned, false);
    assert.equal(s.fake.orderRecords().length, 5, 'each order placed once');
  });

  it('a WebSocket dropped in the middle of fills misses and repeats no fill', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'sell', type: 'limit', quantity: '1', price: '45100' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    s.fake.feedTrade('BTCUSDT', '45101.00', '0.2');
    await until(() => s.oms.getOrder(o.id as OrderId)?.filled === '0.20000', 'the first fill');
    // The user data stream goes down; fills happen while it is down; the fake repeats an event.
    s.fake.faults.pauseUserData();
    s.fake.feedTrade('BTCUSDT', '45102.00', '0.3');
    s.fake.feedTrade('BTCUSDT', '45103.00', '0.1');
    s.fake.faults.resumeUserData();
    s.fake.faults.duplicateEvents(2);
    await until(
      () => s.oms.getOrder(o.id as OrderId)?.filled === '0.60000',
      'fills missed while down, after reconnect',
    );
    s.fake.feedTrade('BTCUSDT', '45104.00', '0.4');
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'filled', 'the last fill');
    await s.session.settle();
    const fills = s.oms.tradeLog.fills().filter((f) => f.orderId === o.id);
    assert.equal(fills.length, 4, 'four fills, none twice');
    assert.equal(s.oms.portfolio.position('binance:BTC/USDT')?.qty, '-1.00000');
    assert.ok(s.session.lastReconciliation !== undefined);
  });

  it('refuses locally, naming the filter, an order Binance would refuse; nothing is sent', async () => {
    const s = await open();
    closers.push(s.close);
    const before = s.fake.requests().length;
    const reasons: string[] = [];
    s.oms.on((e) => {
      if (e.type === 'order_rejected') reasons.push(e.reason);
    });
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.00001', price: '1' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'rejected', 'the refusal');
    assert.equal(s.fake.requests().length, before);
    assert.equal(s.fake.orderRecords().length, 0);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0]!, /^(LOT_SIZE|NOTIONAL|MIN_NOTIONAL|PERCENT_PRICE_BY_SIDE): /);
  });

  it('explain shows a native OCO on Binance, and emulation for what Binance lacks', async () => {
    const s = await open();
    closers.push(s.close);
    const oco = unwrap(
      s.oms.explain((o) =>
        o.placeOcoOrder({
          symbol: 'BTC/USDT',
          side: 'sell',
          quantity: '0.01',
          legs: [
            { type: 'limit', price: '46000' },
            { type: 'stop', triggerPrice: '44000' },
          ],
        }),
      ),
    );
    assert.equal(oco.list?.route, 'native');
    assert.deepEqual(
      oco.orders.map((x) => x.route),
      ['native', 'native'],
    );
    const trailing = unwrap(
      s.oms.explain((o) =>
        o.placeTrailingStop({
          symbol: 'BTC/USDT',
          side: 'sell',
          quantity: '0.01',
          offsetType: 'price',
          offset: '100',
        }),
      ),
    );
    assert.equal(trailing.orders[0]!.route, 'emulated');
    assert.match(trailing.orders[0]!.reason, /offsets in bps or percent, not price/);
    const bracket = unwrap(
      s.oms.explain((o) =>
        o.placeBracketOrder({
          symbol: 'BTC/USDT',
          side: 'buy',
          quantity: '0.01',
          entry: { type: 'limit', price: '44000' },
          takeProfit: { percent: '2' },
          stopLoss: { percent: '1' },
        }),
      ),
    );
    assert.equal(bracket.list?.route, 'emulated');
    assert.match(bracket.list?.reason ?? '', /only once the parent is filled/);
  });

  it('keeps its clock in step with the server, so a skewed local clock gets no -1021', async () => {
    // The server runs 30 s ahead of this machine: unsynced timestamps would be outside recvWindow.
    const s = await open({ fake: { now: () => Date.now() + 30_000 } });
    closers.push(s.close);
    assert.ok(Math.abs(s.adapter.rest.offsetMs - 30_000) < 1_000, `offset ${s.adapter.rest.offsetMs}`);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    assert.deepEqual(
      s.fake.requests().filter((r) => r.code === -1021),
      [],
    );
  });

  it('logs on with an Ed25519 key (session.logon) and trades with Ed25519 signatures', async () => {
    const pair = generateKeyPairSync('ed25519');
    const apiKey = 'OrdoEdKey00000000000000000000000000000000000000000000000000000001';
    const fake = new FakeBinance({
      apiKeys: [
        { apiKey, ed25519PublicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      ],
    });
    const urls = await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTCUSDT', '45000.00', '5', '45001.00', '5');
    const adapter = new BinanceAdapter({
      urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
      credentials: unwrap(
        Credentials.from({
          apiKey,
          ed25519PrivateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        }),
      ),
    });
    const session = await LiveSession.open(adapter, {});
    closers.push(async () => {
      await session.close();
      await fake.stop();
    });
    const o = unwrap(
      session.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
        Date.now(),
      ),
    );
    await until(() => session.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    fake.feedTrade('BTCUSDT', '44899.00', '1');
    await until(
      () => session.oms.getOrder(o.id as OrderId)?.status === 'filled',
      'the fill over the user stream',
    );
    const signed = fake.requests().filter((r) => r.signatureOk !== undefined);
    assert.ok(signed.length >= 2);
    assert.ok(signed.every((r) => r.signatureOk === true));
    assert.ok(fake.requests().some((r) => r.path === 'session.logon' && r.status === 200));
  });

  for (const [name, arm] of [
    [
      '-1007 after the venue executed',
      (f: FakeBinance) => f.faults.timeoutAfterExecute({ match: { path: '/api/v3/order', method: 'POST' } }),
    ],
    [
      'a 503 after the venue executed',
      (f: FakeBinance) =>
        f.faults.serverError({
          status: 503,
          execute: true,
          match: { path: '/api/v3/order', method: 'POST' },
        }),
    ],
    [
      'a 500 before the venue executed',
      (f: FakeBinance) =>
        f.faults.serverError({
          status: 500,
          execute: false,
          match: { path: '/api/v3/order', method: 'POST' },
        }),
    ],
  ] as const)
    it(`an unknown outcome (${name}) is looked up before any resend: exactly one order`, async () => {
      const s = await open();
      closers.push(s.close);
      arm(s.fake);
      const o = unwrap(
        s.oms.placeOrder(
          { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44700' },
          Date.now(),
        ),
      );
      await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
      await s.session.settle();
      assert.equal(s.fake.orderRecords().length, 1);
      assert.ok(
        s.fake.requests().some((r) => r.fault !== undefined),
        'the fault was applied',
      );
      const lookups = s.fake.requests().filter((r) => r.method === 'GET' && r.path === '/api/v3/order');
      assert.ok(lookups.length >= 1, 'looked up by client order id');
      assert.deepEqual(s.session.bridge.problems, []);
    });
});
