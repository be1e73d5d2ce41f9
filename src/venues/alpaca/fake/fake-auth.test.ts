// Credentials and the rate limit of the fake Alpaca through raw fetch and raw ws: 403 without the
// headers, 401 for a wrong key or secret, the same pair on both streams, 429 with X-RateLimit-*
// headers (not executed), and no secret in any answer, error or log.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KEY_ID, market, place, rest, SECRET, T0, WsClient, withFake } from './fake-test-kit.ts';

describe('fake Alpaca REST auth', () => {
  test('both headers required: 403 forbidden. without them, 401 for a wrong pair, 200 for the right one', () =>
    withFake(async (h) => {
      const none = await rest(h, 'GET', '/v2/account', undefined, { keyId: null, secret: null });
      assert.equal(none.status, 403);
      assert.deepEqual(none.body, { message: 'forbidden.' });
      const noSecret = await rest(h, 'GET', '/v2/account', undefined, { secret: null });
      assert.equal(noSecret.status, 403);
      const wrong = await rest(h, 'GET', '/v2/account', undefined, { secret: `${SECRET}x` });
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.body, { code: 40110000, message: 'request is not authorized' });
      const unknown = await rest(h, 'GET', '/v2/account', undefined, { keyId: 'PKNOSUCHKEY' });
      assert.equal(unknown.status, 401);
      const good = await rest(h, 'GET', '/v2/account');
      assert.equal(good.status, 200);
      assert.equal(good.body.currency, 'USD');
      assert.equal(good.body.cash, '100000');
      assert.deepEqual(
        h.fake.requests().map((r) => [r.status, r.authOk, r.keyId]),
        [
          [403, false, undefined],
          [403, false, KEY_ID],
          [401, false, KEY_ID],
          [401, false, 'PKNOSUCHKEY'],
          [200, true, KEY_ID],
        ],
      );
    }));

  test('the secret never appears in answers, errors, the request log or events', () =>
    withFake(async (h) => {
      market(h);
      const answers = [
        await rest(h, 'GET', '/v2/account', undefined, { secret: `${SECRET}x` }),
        await place(h, {
          symbol: 'AAPL',
          qty: '1',
          side: 'buy',
          type: 'limit',
          time_in_force: 'day',
          limit_price: '1.234',
        }),
        await place(h, { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }),
        await rest(h, 'GET', '/v2/orders?status=all'),
        await rest(h, 'GET', '/v2/nowhere'),
      ];
      const everything = [
        ...answers.map((a) => a.text + JSON.stringify([...a.headers])),
        JSON.stringify(h.fake.requests()),
        JSON.stringify(h.fake.tradeEvents()),
        JSON.stringify(h.fake.orders()),
        JSON.stringify(h.fake.account()),
      ].join('\n');
      assert.ok(!everything.includes(SECRET), 'the secret leaked');
      assert.ok(!everything.includes(SECRET.slice(0, 20)), 'part of the secret leaked');
    }));

  test('unknown routes are 404 and known paths with another method 405, in Alpaca error bodies', () =>
    withFake(async (h) => {
      const a = await rest(h, 'GET', '/v2/nowhere');
      assert.equal(a.status, 404);
      assert.equal(a.body.code, 40410000);
      const b = await rest(h, 'PUT', '/v2/orders');
      assert.equal(b.status, 405);
    }));
});

describe('fake Alpaca stream auth', () => {
  test('trade_updates: auth (both dialects) answers authorized / unauthorized in binary frames', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(h.urls.ws);
      c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      assert.deepEqual(await c.next(), {
        stream: 'authorization',
        data: { status: 'unauthorized', action: 'listen' },
      });
      c.send({ action: 'authenticate', data: { key_id: KEY_ID, secret_key: 'nope' } });
      assert.deepEqual(await c.next(), {
        stream: 'authorization',
        data: { status: 'unauthorized', action: 'authenticate' },
      });
      c.send({ action: 'authenticate', data: { key_id: KEY_ID, secret_key: SECRET } });
      assert.deepEqual(await c.next(), {
        stream: 'authorization',
        data: { status: 'authorized', action: 'authenticate' },
      });
      c.send({ action: 'auth', key: KEY_ID, secret: SECRET });
      assert.equal((await c.next()).data.status, 'authorized');
      c.send({ action: 'listen', data: { streams: ['trade_updates', 'account_updates'] } });
      assert.deepEqual(await c.next(), { stream: 'listening', data: { streams: ['trade_updates'] } });
      assert.ok(
        c.binary.every((b) => b),
        'every frame of /stream is binary',
      );
      assert.equal(h.fake.connectionCount().tradeUpdates, 1);
      await c.close();
    }));

  test('market data: connected, 401 before auth, 402 for a wrong pair, authenticated, 403 twice', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(`${h.urls.marketData}/v1beta3/crypto/us`);
      assert.deepEqual(await c.next(), [{ T: 'success', msg: 'connected' }]);
      c.send({ action: 'subscribe', trades: ['BTC/USD'] });
      assert.deepEqual(await c.next(), [{ T: 'error', code: 401, msg: 'not authenticated' }]);
      c.send({ action: 'auth', key: KEY_ID, secret: 'wrong' });
      assert.deepEqual(await c.next(), [{ T: 'error', code: 402, msg: 'auth failed' }]);
      c.send({ action: 'auth', key: KEY_ID, secret: SECRET });
      assert.deepEqual(await c.next(), [{ T: 'success', msg: 'authenticated' }]);
      c.send({ action: 'auth', key: KEY_ID, secret: SECRET });
      assert.deepEqual(await c.next(), [{ T: 'error', code: 403, msg: 'already authenticated' }]);
      c.ws.send('not json');
      assert.deepEqual(await c.next(), [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      assert.ok(
        c.binary.every((b) => !b),
        'market data frames are text',
      );
      await c.close();
    }));
});

describe('fake Alpaca rate limit', () => {
  // T0 is 20 s into its minute: the window resets 40 s later.
  test('N per minute: X-RateLimit-* on every answer; over it 429 42910000, not executed; resets with the window', () =>
    withFake(
      async (h) => {
        const first = await rest(h, 'GET', '/v2/account');
        assert.equal(first.headers.get('x-ratelimit-limit'), '3');
        assert.equal(first.headers.get('x-ratelimit-remaining'), '2');
        assert.equal(first.headers.get('x-ratelimit-reset'), String((T0 + 40_000) / 1000));
        await rest(h, 'GET', '/v2/account');
        market(h);
        await place(h, { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' });
        const limited = await place(h, {
          symbol: 'AAPL',
          qty: '1',
          side: 'buy',
          type: 'market',
          time_in_force: 'day',
        });
        assert.equal(limited.status, 429);
        assert.deepEqual(limited.body, { code: 42910000, message: 'rate limit exceeded' });
        assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
        assert.equal(limited.headers.get('retry-after'), null, 'Alpaca sends no Retry-After');
        assert.equal(h.fake.orderRecords().length, 1, 'the limited request was not executed');
        assert.equal(h.fake.rateLimitHits().length, 1);
        h.clock.advance(40_000);
        assert.equal((await rest(h, 'GET', '/v2/account')).status, 200);
      },
      { rateLimits: { requestsPerMinute: 3 } },
    ));

  test('refused credentials do not count against the limit', () =>
    withFake(
      async (h) => {
        for (let i = 0; i < 3; i++) await rest(h, 'GET', '/v2/account', undefined, { secret: 'bad' });
        assert.equal((await rest(h, 'GET', '/v2/account')).status, 200);
      },
      { rateLimits: { requestsPerMinute: 1 } },
    ));
});
