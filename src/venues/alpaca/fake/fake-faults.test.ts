// Each fault hook of the fake Alpaca doing what it says: delayed answers, execute-then-drop,
// 5xx with and without execution (Alpaca's JSON 500, nginx's HTML 502–504), forced 429s,
// WebSocket disconnects, trade_updates lost while paused, duplicated and reordered events, clear.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Harness,
  KEY_ID,
  place,
  rest,
  SECRET,
  tradeUpdates,
  until,
  WsClient,
  withFake,
} from './fake-test-kit.ts';

const order = (extra: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  qty: '1',
  side: 'buy',
  type: 'limit',
  limit_price: '150',
  time_in_force: 'gtc',
  ...extra,
});

function quote(h: Harness): void {
  h.fake.feedQuote('AAPL', '190', '100', '190.05', '100');
}

describe('fake Alpaca request faults', () => {
  test('delayResponses: the order exists at once, the answer comes later; count limits it', () =>
    withFake(async (h) => {
      h.fake.faults.delayResponses(150, { match: { method: 'POST', path: '/v2/orders' }, count: 1 });
      const started = Date.now();
      const pending = place(h, order());
      await until(() => h.fake.orderRecords().length === 1);
      const res = await pending;
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
      const fast = Date.now();
      await place(h, order());
      assert.ok(Date.now() - fast < 140, 'count: 1 delays one answer only');
    }));

  test('dropResponse: executed, the connection destroyed unanswered; a retry with the same id is 422', () =>
    withFake(async (h) => {
      h.fake.faults.dropResponse({ match: { method: 'POST', path: '/v2/orders' } });
      await assert.rejects(place(h, order({ client_order_id: 'lost-1' })));
      assert.equal(h.fake.orderRecords().length, 1);
      const entry = h.fake.requests().at(-1)!;
      assert.deepEqual([entry.fault, entry.status], ['drop', 0]);
      const q = await rest(h, 'GET', '/v2/orders:by_client_order_id?client_order_id=lost-1');
      assert.equal(q.body.status, 'new');
      const retry = await place(h, order({ client_order_id: 'lost-1' }));
      assert.deepEqual(retry.body, { code: 40010001, message: 'client_order_id must be unique' });
      assert.equal(h.fake.orderRecords().length, 1);
    }));

  test('serverError: 500 without executing, 5xx after executing; 502–504 are nginx HTML pages', () =>
    withFake(async (h) => {
      h.fake.faults.serverError({ count: 2 });
      const a = await place(h, order());
      assert.equal(a.status, 500);
      assert.deepEqual(a.body, { code: 50010000, message: 'internal server error occurred' });
      assert.equal((await rest(h, 'GET', '/v2/account')).status, 500);
      assert.equal(h.fake.orderRecords().length, 0);
      assert.equal((await rest(h, 'GET', '/v2/account')).status, 200, 'only the next 2 requests');
      h.fake.faults.serverError({
        status: 504,
        execute: true,
        match: { method: 'POST', path: '/v2/orders' },
      });
      const b = await place(h, order());
      assert.equal(b.status, 504);
      assert.equal(b.headers.get('content-type'), 'text/html');
      assert.ok(b.text.includes('504 Gateway Time-out'));
      assert.equal(h.fake.orderRecords().length, 1, 'executed before the 504');
      assert.throws(() => h.fake.faults.serverError({ status: 404 }), /5xx/);
    }));

  test('a route template matches every id: DELETE /v2/orders/{id}', () =>
    withFake(async (h) => {
      const a = await place(h, order());
      h.fake.faults.serverError({ status: 503, match: { method: 'DELETE', path: '/v2/orders/{id}' } });
      assert.equal((await rest(h, 'GET', `/v2/orders/${a.body.id}`)).status, 200);
      assert.equal((await rest(h, 'DELETE', `/v2/orders/${a.body.id}`)).status, 503);
      assert.equal((await rest(h, 'GET', `/v2/orders/${a.body.id}`)).body.status, 'new', 'not executed');
      assert.equal((await rest(h, 'DELETE', `/v2/orders/${a.body.id}`)).status, 204);
    }));

  test('rateLimitNext: the next n requests are 429 and not executed', () =>
    withFake(async (h) => {
      h.fake.faults.rateLimitNext(2);
      assert.equal((await place(h, order())).status, 429);
      assert.equal((await rest(h, 'GET', '/v2/account')).status, 429);
      assert.equal((await place(h, order())).status, 200);
      assert.equal(h.fake.orderRecords().length, 1);
      assert.deepEqual(
        h.fake.rateLimitHits().map((x) => x.forced),
        [true, true],
      );
    }));

  test('clear disarms everything armed', () =>
    withFake(async (h) => {
      h.fake.faults
        .serverError({ count: 5 })
        .dropResponse()
        .delayResponses(500)
        .rateLimitNext(3)
        .duplicateEvents(4);
      h.fake.faults.clear();
      const started = Date.now();
      assert.equal((await rest(h, 'GET', '/v2/account')).status, 200);
      assert.ok(Date.now() - started < 400);
    }));
});

describe('fake Alpaca stream faults', () => {
  test('disconnectWebSockets closes trade_updates and market data connections; reconnecting works', () =>
    withFake(async (h) => {
      const t = await tradeUpdates(h);
      const m = await WsClient.connect(`${h.urls.marketData}/v2/iex`);
      h.fake.faults.disconnectWebSockets();
      await until(() => t.closed && m.closed);
      assert.deepEqual(h.fake.connectionCount(), { trading: 0, tradeUpdates: 0, marketData: 0 });
      const again = await tradeUpdates(h);
      assert.equal(h.fake.connectionCount().tradeUpdates, 1);
      await again.close();
    }));

  test('pauseUserData: the stream drops and refuses reconnects; events are lost; REST shows the truth', () =>
    withFake(async (h) => {
      quote(h);
      const c = await tradeUpdates(h);
      const a = await place(h, order({ limit_price: '189' }));
      await c.waitFor((f) => f.data?.event === 'new');
      h.fake.faults.pauseUserData();
      await until(() => c.closed);
      await assert.rejects(WsClient.connect(h.urls.ws), /503/);
      h.fake.feedTrade('AAPL', '188', '5');
      assert.deepEqual(
        h.fake.droppedEvents().map((e) => (e.data as { event: string }).event),
        ['fill'],
      );
      h.fake.faults.resumeUserData();
      const back = await tradeUpdates(h);
      assert.equal((await rest(h, 'GET', `/v2/orders/${a.body.id}`)).body.status, 'filled');
      const fills = (await rest(h, 'GET', '/v2/account/activities/FILL')).body;
      assert.equal(fills[0].order_id, a.body.id, 'the fill is in the activities');
      assert.equal(back.takeUpdates().length, 0, 'nothing is replayed');
      await back.close();
    }));

  test('duplicateEvents and reorderNextEvents act on the next trade_updates', () =>
    withFake(async (h) => {
      quote(h);
      const c = await tradeUpdates(h);
      h.fake.faults.duplicateEvents(1);
      await place(
        h,
        order({ type: 'market', limit_price: undefined, time_in_force: 'day', client_order_id: 'd1' }),
      );
      await until(() => c.frames.length >= 3);
      assert.deepEqual(
        c.takeUpdates().map((u) => u.event),
        ['new', 'new', 'fill'],
      );
      h.fake.faults.reorderNextEvents();
      await place(
        h,
        order({ type: 'market', limit_price: undefined, time_in_force: 'day', client_order_id: 'd2' }),
      );
      await until(() => c.frames.length >= 2);
      assert.deepEqual(
        c.takeUpdates().map((u) => u.event),
        ['fill', 'new'],
      );
      assert.equal(h.fake.tradeEvents().length, 4);
      assert.equal(h.fake.sentEventCount(), 5);
      await c.close();
    }));

  test('a socket that authenticates with the documented authenticate message gets events too', () =>
    withFake(async (h) => {
      quote(h);
      const c = await WsClient.connect(h.urls.ws);
      c.send({ action: 'authenticate', data: { key_id: KEY_ID, secret_key: SECRET } });
      await c.next();
      c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      await c.next();
      await place(h, order());
      await c.waitFor((f) => f.stream === 'trade_updates' && f.data.event === 'new');
      await c.close();
    }));
});
