// Rate limits and fault hooks of the fake Binance: 429 + Retry-After, then a 418 ban for a client
// that keeps sending; the ORDERS limit (-1015); and each fault hook doing what it says (delay,
// execute-then-drop, 5xx with and without execution, -1007, WebSocket disconnects, duplicated and
// reordered user data events, events lost while the user data stream is down).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FakeBinanceOptions } from './fake-binance.ts';
import { type Harness, rest, startFake, T0, until, userStream, WsClient, wsSigned } from './fake-test-kit.ts';

async function withFake(fn: (h: Harness) => Promise<void>, options?: FakeBinanceOptions): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
  } finally {
    await h.fake.stop();
  }
}

const ping = (h: Harness) => rest(h, 'GET', '/api/v3/ping', {}, { sign: 'none' });
const order = (extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.001',
  price: '50000',
  ...extra,
});

describe('fake Binance rate limits', () => {
  // T0 is 20 s into its minute: the weight window resets 40 s later.
  test('over the weight limit: 429 with Retry-After; sending again inside it: 418 and a ban', () =>
    withFake(
      async (h) => {
        for (let i = 1; i <= 5; i++) {
          const ok = await ping(h);
          assert.equal(ok.status, 200);
          assert.equal(ok.headers.get('x-mbx-used-weight-1m'), String(i));
        }
        const limited = await ping(h);
        assert.equal(limited.status, 429);
        assert.equal(limited.headers.get('retry-after'), '40');
        assert.deepEqual(limited.body, {
          code: -1003,
          msg: 'Too much request weight used; current limit is 5 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
        });
        assert.equal(h.fake.banStatus().everBanned, false);
        h.clock.advance(1000);
        const banned = await ping(h);
        assert.equal(banned.status, 418);
        assert.equal(banned.headers.get('retry-after'), '120');
        assert.deepEqual(banned.body, {
          code: -1003,
          msg: `Way too much request weight used; IP banned until ${T0 + 121_000}. Please use WebSocket Streams for live updates to avoid bans.`,
        });
        assert.deepEqual(h.fake.banStatus(), {
          banned: true,
          bannedUntil: T0 + 121_000,
          bans: 1,
          everBanned: true,
        });
        assert.deepEqual(
          h.fake.rateLimitHits().map((x) => x.status),
          [429, 418],
        );
        h.clock.advance(120_000);
        assert.equal((await ping(h)).status, 200, 'the ban ends');
      },
      { rateLimits: { requestWeightPerMinute: 5 } },
    ));

  test('a client that waits out Retry-After is never banned', () =>
    withFake(
      async (h) => {
        for (let i = 0; i < 3; i++) await ping(h);
        const limited = await ping(h);
        assert.equal(limited.status, 429);
        h.clock.advance(Number(limited.headers.get('retry-after')) * 1000);
        assert.equal((await ping(h)).status, 200);
        assert.equal(h.fake.banStatus().everBanned, false);
      },
      { rateLimits: { requestWeightPerMinute: 3 } },
    ));

  test('ORDERS per 10 s: 429 -1015; other requests still pass; more orders inside the window are banned', () =>
    withFake(
      async (h) => {
        assert.equal((await rest(h, 'POST', '/api/v3/order', order())).status, 200);
        const second = await rest(h, 'POST', '/api/v3/order', order());
        assert.equal(second.headers.get('x-mbx-order-count-10s'), '2');
        const third = await rest(h, 'POST', '/api/v3/order', order());
        assert.equal(third.status, 429);
        assert.equal(third.headers.get('retry-after'), '10');
        assert.deepEqual(third.body, {
          code: -1015,
          msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.',
        });
        assert.equal((await rest(h, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).status, 200);
        assert.equal(h.fake.banStatus().everBanned, false);
        assert.equal((await rest(h, 'POST', '/api/v3/order', order())).status, 418);
        assert.equal(h.fake.orders().length, 2);
      },
      { rateLimits: { ordersPer10s: 2 } },
    ));

  test('the WebSocket API shares the weight and answers 429 in its own framing', () =>
    withFake(
      async (h) => {
        const c = await WsClient.connect(h.urls.wsApi); // connecting costs 2
        assert.equal((await c.request('ping')).status, 200);
        const limited = await c.request('ping');
        assert.equal(limited.status, 429);
        assert.equal(limited.error.code, -1003);
        assert.deepEqual(limited.error.data, { serverTime: T0, retryAfter: T0 + 40_000 });
        assert.equal(limited.rateLimits[0].count, 4);
        await c.close();
      },
      { rateLimits: { requestWeightPerMinute: 3 } },
    ));
});

describe('fake Binance fault hooks', () => {
  test('delayResponses: the order is placed at once, the answer comes later', () =>
    withFake(async (h) => {
      h.fake.faults.delayResponses(150, { match: { endpoint: 'order.place' }, count: 1 });
      const started = Date.now();
      const pending = rest(h, 'POST', '/api/v3/order', order());
      await until(() => h.fake.orders().length === 1);
      const res = await pending;
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
      const fast = Date.now();
      await rest(h, 'POST', '/api/v3/order', order({ price: '50001' }));
      assert.ok(Date.now() - fast < 140, 'count: 1 delays one answer only');
    }));

  test('dropResponse: executed, connection destroyed unanswered; exactly one order exists', () =>
    withFake(async (h) => {
      h.fake.faults.dropResponse({ match: { method: 'POST', path: '/api/v3/order' } });
      await assert.rejects(rest(h, 'POST', '/api/v3/order', order({ newClientOrderId: 'lost-1' })));
      assert.equal(h.fake.orders().length, 1);
      assert.equal(h.fake.requests().at(-1)?.fault, 'drop');
      const q = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'lost-1' });
      assert.equal(q.body.status, 'NEW');
      // A blind retry with the same id is refused while the first is open.
      const retry = await rest(h, 'POST', '/api/v3/order', order({ newClientOrderId: 'lost-1' }));
      assert.deepEqual(retry.body, { code: -2010, msg: 'Duplicate order sent.' });
      assert.equal(h.fake.orders().length, 1);
    }));

  test('serverError: 5xx without executing, or after executing', () =>
    withFake(async (h) => {
      h.fake.faults.serverError({ status: 503, count: 2 });
      const a = await rest(h, 'POST', '/api/v3/order', order());
      assert.equal(a.status, 503);
      assert.equal(a.body.code, -1008);
      assert.equal((await ping(h)).status, 503);
      assert.equal(h.fake.orders().length, 0);
      assert.equal((await ping(h)).status, 200, 'only the next 2 requests');
      h.fake.faults.serverError({ execute: true, match: { endpoint: 'order.place' } });
      const b = await rest(h, 'POST', '/api/v3/order', order());
      assert.equal(b.status, 500);
      assert.deepEqual(b.body, {
        code: -1001,
        msg: 'Internal error; unable to process your request. Please try again.',
      });
      assert.equal(h.fake.orders().length, 1);
    }));

  test('timeoutAfterExecute: -1007 after the order is placed', () =>
    withFake(async (h) => {
      h.fake.faults.timeoutAfterExecute({ match: { endpoint: 'order.place' } });
      const a = await rest(h, 'POST', '/api/v3/order', order());
      assert.equal(a.status, 408);
      assert.deepEqual(a.body, {
        code: -1007,
        msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
      });
      assert.equal(h.fake.orders().length, 1);
    }));

  test('WebSocket API faults: drop closes the connection after executing; -1007 in a frame', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(h.urls.wsApi);
      h.fake.faults.timeoutAfterExecute({ match: { transport: 'ws' } });
      const t = await c.request('order.place', wsSigned(order({ newClientOrderId: 'w1' }), h.clock.now()));
      assert.equal(t.status, 408);
      assert.equal(t.error.code, -1007);
      h.fake.faults.dropResponse({ match: { endpoint: 'order.place' } });
      c.send({
        id: 'x',
        method: 'order.place',
        params: wsSigned(order({ newClientOrderId: 'w2' }), h.clock.now()),
      });
      await until(() => c.closed);
      assert.equal(c.frames.length, 0);
      assert.deepEqual(
        h.fake.orders().map((o) => o.clientOrderId),
        ['w1', 'w2'],
      );
    }));

  test('disconnectWebSockets closes user data and market connections', () =>
    withFake(async (h) => {
      const user = await userStream(h);
      const market = await WsClient.connect(`${h.urls.stream}/ws/btcusdt@trade`);
      h.fake.faults.disconnectWebSockets();
      await until(() => user.closed && market.closed);
      assert.deepEqual(h.fake.connectionCount(), { wsApi: 0, userData: 0, market: 0 });
      const again = await userStream(h);
      assert.equal(h.fake.connectionCount().userData, 1);
      await again.close();
    }));

  test('duplicateEvents and reorderNextEvents act on the next user data events', () =>
    withFake(async (h) => {
      const c = await userStream(h);
      h.fake.faults.duplicateEvents(1);
      await rest(h, 'POST', '/api/v3/order', order({ newClientOrderId: 'd1' }));
      await c.waitFor((f) => f.event?.e === 'outboundAccountPosition');
      assert.deepEqual(
        c.takeEvents().map((f) => `${f.event.e}:${f.event.I ?? ''}`),
        ['executionReport:1', 'executionReport:1', 'outboundAccountPosition:'],
      );
      h.fake.faults.reorderNextEvents();
      await rest(h, 'POST', '/api/v3/order', order({ newClientOrderId: 'd2' }));
      await c.waitFor((f) => f.event?.e === 'executionReport');
      assert.deepEqual(
        c.takeEvents().map((f) => f.event.e),
        ['outboundAccountPosition', 'executionReport'],
      );
      assert.equal(h.fake.userEvents().length, 4);
      await c.close();
    }));

  test('pauseUserData: the stream drops and refuses reconnects; events are lost; REST shows the truth', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTCUSDT', '60000', '1');
      const c = await userStream(h);
      await rest(h, 'POST', '/api/v3/order', order({ price: '59000', newClientOrderId: 'p1' }));
      await c.waitFor((f) => f.event?.e === 'outboundAccountPosition');
      h.fake.faults.pauseUserData();
      await until(() => c.closed);
      await assert.rejects(WsClient.connect(h.urls.wsApi), /503/);
      h.fake.feedTrade('BTCUSDT', '58000', '1');
      assert.deepEqual(
        h.fake.droppedEvents().map((e) => `${e.e}:${e.x ?? ''}`),
        ['executionReport:TRADE', 'outboundAccountPosition:'],
      );
      h.fake.faults.resumeUserData();
      const back = await userStream(h);
      const q = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'p1' });
      assert.equal(q.body.status, 'FILLED');
      assert.equal(back.takeEvents().length, 0, 'nothing is replayed');
      await back.close();
    }));
});
