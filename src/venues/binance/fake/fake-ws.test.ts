// The fake Binance WebSocket API and streams through a raw `ws` client: session.logon (Ed25519),
// user data subscriptions and their exact executionReport fields, signed WebSocket API requests,
// rate limits in answers, unsubscribe, and the public trade / bookTicker streams.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FakeBinanceOptions } from './fake-binance.ts';
import { type Harness, rest, startFake, T0, userStream, WsClient, wsSigned } from './fake-test-kit.ts';

async function withFake(fn: (h: Harness) => Promise<void>, options?: FakeBinanceOptions): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
  } finally {
    await h.fake.stop();
  }
}

describe('fake Binance WebSocket API', () => {
  test('a resting limit fills when a fed trade crosses it: NEW then TRADE, exact fields', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTCUSDT', '60000', '0.1');
      const c = await userStream(h);
      const placed = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '59000',
        newClientOrderId: 'lim-1',
      });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      const created = await c.next((f) => f.event?.e === 'executionReport');
      assert.deepEqual(created, {
        subscriptionId: 0,
        event: {
          e: 'executionReport',
          E: T0,
          s: 'BTCUSDT',
          c: 'lim-1',
          S: 'BUY',
          o: 'LIMIT',
          f: 'GTC',
          q: '0.00100000',
          p: '59000.00000000',
          P: '0.00000000',
          F: '0.00000000',
          g: -1,
          C: '',
          x: 'NEW',
          X: 'NEW',
          r: 'NONE',
          i: 1,
          l: '0.00000000',
          z: '0.00000000',
          L: '0.00000000',
          n: '0',
          N: null,
          T: T0,
          t: -1,
          I: 1,
          w: true,
          m: false,
          M: false,
          O: T0,
          Z: '0.00000000',
          Y: '0.00000000',
          Q: '0.00000000',
          W: T0,
          V: 'NONE',
        },
      });
      const position = await c.next((f) => f.event?.e === 'outboundAccountPosition');
      assert.deepEqual(position.event.B, [
        { a: 'USDT', f: '99940.94100000', l: '59.05900000' },
        { a: 'BTC', f: '2.00000000', l: '0.00000000' },
      ]);
      h.clock.advance(1500);
      h.fake.feedTrade('BTCUSDT', '58999.99', '0.5', true);
      const trade = await c.next((f) => f.event?.e === 'executionReport');
      assert.deepEqual(trade.event, {
        ...created.event,
        E: T0 + 1500,
        x: 'TRADE',
        X: 'FILLED',
        l: '0.00100000',
        z: '0.00100000',
        L: '59000.00000000',
        n: '0.05900000',
        N: 'USDT',
        T: T0 + 1500,
        t: 3,
        I: 2,
        w: false,
        m: true,
        M: true,
        Z: '59.00000000',
        Y: '59.00000000',
      });
      const after = await c.next((f) => f.event?.e === 'outboundAccountPosition');
      assert.deepEqual(after.event.B, [
        { a: 'USDT', f: '99940.94100000', l: '0.00000000' },
        { a: 'BTC', f: '2.00100000', l: '0.00000000' },
      ]);
      const q = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'lim-1' });
      assert.equal(q.body.status, 'FILLED');
      assert.equal(q.body.updateTime, T0 + 1500);
      await c.close();
    }));

  test('order.place / order.status / openOrders.status / order.cancel, signed or through the session', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(h.urls.wsApi);
      const params = {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '50000',
        newClientOrderId: 'ws-1',
      };
      const placed = await c.request('order.place', wsSigned(params, h.clock.now()));
      assert.equal(placed.status, 200, JSON.stringify(placed));
      assert.equal(placed.result.clientOrderId, 'ws-1');
      assert.deepEqual(
        placed.rateLimits.map(
          (r: { rateLimitType: string; interval: string }) => `${r.rateLimitType}/${r.interval}`,
        ),
        ['ORDERS/SECOND', 'ORDERS/DAY', 'REQUEST_WEIGHT/MINUTE'],
      );
      assert.equal(placed.rateLimits[0].count, 1);
      const bad = await c.request('order.place', { ...wsSigned(params, h.clock.now()), price: '50001' });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.error, { code: -1022, msg: 'Signature for this request is not valid.' });
      const dup = await c.request('order.place', wsSigned(params, h.clock.now(), 'ed25519'));
      assert.deepEqual(dup.error, { code: -2010, msg: 'Duplicate order sent.' });
      const noKey = await c.request('order.status', {
        symbol: 'BTCUSDT',
        orderId: 1,
        timestamp: h.clock.now(),
      });
      assert.equal(noKey.error.code, -1102);
      // Log on: later requests need only a timestamp.
      const logon = await c.request('session.logon', wsSigned({}, h.clock.now(), 'ed25519'));
      assert.equal(logon.status, 200);
      assert.equal(logon.result.apiKey, 'EdKey0000000000000000000000000000000000000000000000000000000000a');
      assert.equal(logon.result.authorizedSince, T0);
      const status = await c.request('order.status', {
        symbol: 'BTCUSDT',
        orderId: 1,
        timestamp: h.clock.now(),
      });
      assert.equal(status.status, 200, JSON.stringify(status));
      assert.equal(status.result.status, 'NEW');
      const open = await c.request('openOrders.status', { symbol: 'BTCUSDT', timestamp: h.clock.now() });
      assert.equal(open.result.length, 1);
      const stale = await c.request('openOrders.status', { timestamp: h.clock.now() - 10_000 });
      assert.equal(stale.error.code, -1021);
      const cancel = await c.request('order.cancel', {
        symbol: 'BTCUSDT',
        origClientOrderId: 'ws-1',
        timestamp: h.clock.now(),
      });
      assert.equal(cancel.result.status, 'CANCELED');
      const time = await c.request('time', { returnRateLimits: false });
      assert.deepEqual(time, { id: time.id, status: 200, result: { serverTime: T0 } });
      const unknown = await c.request('nope.method');
      assert.equal(unknown.status, 400);
      await c.close();
    }));

  test('user data: logon required, subscribe.signature with HMAC, unsubscribe ends the stream', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(h.urls.wsApi);
      const refused = await c.request('userDataStream.subscribe');
      assert.equal(refused.status, 401);
      const hmacLogon = await c.request('session.logon', wsSigned({}, h.clock.now(), 'hmac'));
      assert.equal(hmacLogon.status, 401, 'session.logon takes Ed25519 keys only');
      const sub = await c.request('userDataStream.subscribe.signature', wsSigned({}, h.clock.now(), 'hmac'));
      assert.deepEqual(sub.result, { subscriptionId: 0 });
      h.fake.deposit('USDT', '100');
      const bu = await c.next((f) => f.event?.e === 'balanceUpdate');
      assert.deepEqual(bu, {
        subscriptionId: 0,
        event: { e: 'balanceUpdate', E: T0, a: 'USDT', d: '100.00000000', T: T0 },
      });
      assert.equal(h.fake.balances().USDT?.free, '100100.00000000');
      const un = await c.request('userDataStream.unsubscribe');
      assert.equal(un.status, 200);
      assert.deepEqual(
        c.frames.filter((f) => f.event?.e === 'eventStreamTerminated').map((f) => f.subscriptionId),
        [0],
      );
      const again = await c.request('userDataStream.unsubscribe');
      assert.deepEqual(again.error, { code: -2036, msg: 'User Data Stream subscription not active.' });
      await c.close();
    }));

  test('market streams: raw /ws/<stream>, combined /stream, SUBSCRIBE', () =>
    withFake(async (h) => {
      const raw = await WsClient.connect(`${h.urls.stream}/ws/btcusdt@trade`);
      const combined = await WsClient.connect(
        `${h.urls.stream}/stream?streams=btcusdt@bookTicker/ethusdt@trade`,
      );
      const bare = await WsClient.connect(`${h.urls.stream}/ws`);
      bare.send({ method: 'SUBSCRIBE', params: ['ethusdt@bookTicker'], id: 7 });
      assert.deepEqual(await bare.next(), { result: null, id: 7 });
      h.fake.feedTrade('BTCUSDT', '60000.5', '0.25', true);
      h.fake.feedQuote('BTCUSDT', '60000', '1.5', '60001', '2');
      h.fake.feedQuote('ETHUSDT', '3000', '10', '3000.01', '3');
      assert.deepEqual(await raw.next(), {
        e: 'trade',
        E: T0,
        s: 'BTCUSDT',
        t: 1,
        p: '60000.50000000',
        q: '0.25000000',
        T: T0,
        m: true,
        M: true,
      });
      assert.deepEqual(await combined.next(), {
        stream: 'btcusdt@bookTicker',
        data: {
          u: 1,
          s: 'BTCUSDT',
          b: '60000.00000000',
          B: '1.50000000',
          a: '60001.00000000',
          A: '2.00000000',
        },
      });
      assert.equal((await bare.next()).s, 'ETHUSDT');
      assert.equal(raw.frames.length + combined.frames.length, 0);
      await Promise.all([raw.close(), combined.close(), bare.close()]);
    }));
});
