// Fault hooks and rate limits of the fake Coinbase, each doing what it says: delayed answers,
// execute-then-drop, 5xx with and without execution, 429 (armed or from the configured limits),
// WebSocket disconnects, a paused user channel losing its updates, duplicated updates, and orders or
// cancels held in PENDING / QUEUED / CANCEL_QUEUED until released.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getOrder,
  makeJwt,
  orderBody,
  place,
  rest,
  until,
  userOrders,
  userStream,
  WsClient,
  withFake,
} from './fake-test-kit.ts';

const limit = (id: string, size = '0.1', price = '50000') =>
  orderBody(id, 'BUY', { limit_limit_gtc: { base_size: size, limit_price: price } });
const RATE_LIMITED = { errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] };

describe('fake Coinbase request faults', () => {
  test('delayResponses: the order is placed at once, the answer comes later', () =>
    withFake(async (h) => {
      h.fake.faults.delayResponses(150, { match: { method: 'POST', path: '/orders' }, count: 1 });
      const started = Date.now();
      const pending = rest(h, 'POST', '/orders', { body: limit('d-1') });
      await until(() => h.fake.orderRecords().length === 1);
      const res = await pending;
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
      const fast = Date.now();
      await place(h, limit('d-2'));
      assert.ok(Date.now() - fast < 140, 'count: 1 delays one answer only');
    }));

  test('dropResponse: executed, connection destroyed unanswered; a retry with the same client id finds it', () =>
    withFake(async (h) => {
      h.fake.faults.dropResponse({ match: { method: 'POST', path: '/api/v3/brokerage/orders' } });
      await assert.rejects(rest(h, 'POST', '/orders', { body: limit('lost-1') }));
      assert.equal(h.fake.orderRecords().length, 1);
      const entry = h.fake.requests().at(-1)!;
      assert.equal(entry.fault, 'drop');
      assert.equal(entry.status, 0);
      assert.equal(entry.authOk, true);
      const retry = await place(h, limit('lost-1'));
      assert.equal(retry.success, true);
      assert.equal(retry.order_id, h.fake.orderRecords()[0]!.id);
      assert.equal(h.fake.orderRecords().length, 1, 'the client_order_id safeguard prevents a duplicate');
    }));

  test('serverError: 5xx without executing, or after executing', () =>
    withFake(async (h) => {
      h.fake.faults.serverError({ status: 503, count: 2 });
      const a = await rest(h, 'POST', '/orders', { body: limit('s-1') });
      assert.equal(a.status, 503);
      assert.equal(a.body.error, 'UNAVAILABLE');
      assert.equal((await rest(h, 'GET', '/accounts')).status, 503);
      assert.equal(h.fake.orderRecords().length, 0);
      assert.equal((await rest(h, 'GET', '/accounts')).status, 200, 'only the next 2 requests');
      h.fake.faults.serverError({ execute: true, match: { path: '/orders' } });
      const b = await rest(h, 'POST', '/orders', { body: limit('s-2') });
      assert.equal(b.status, 500);
      assert.deepEqual(b.body, {
        error: 'INTERNAL',
        code: 13,
        message: 'Internal server error',
        details: [],
      });
      assert.equal(h.fake.orderRecords().length, 1);
    }));

  test('rateLimitNext: 429 with Coinbase body, nothing executed', () =>
    withFake(async (h) => {
      h.fake.faults.rateLimitNext(2, { match: { method: 'POST' } });
      for (const id of ['r-1', 'r-2']) {
        const res = await rest(h, 'POST', '/orders', { body: limit(id) });
        assert.equal(res.status, 429);
        assert.deepEqual(res.body, RATE_LIMITED);
        assert.equal(res.headers.get('retry-after'), null);
      }
      assert.equal(h.fake.orderRecords().length, 0);
      assert.equal((await place(h, limit('r-3'))).success, true);
    }));

  test('configured limits: per key per second for private endpoints, per server for public ones', () =>
    withFake(
      async (h) => {
        assert.equal((await rest(h, 'GET', '/accounts')).status, 200);
        assert.equal((await rest(h, 'GET', '/accounts')).status, 200);
        const limited = await rest(h, 'GET', '/accounts');
        assert.equal(limited.status, 429);
        assert.deepEqual(limited.body, RATE_LIMITED);
        assert.equal(h.fake.requests().at(-1)!.authOk, true);
        assert.equal(
          (await rest(h, 'GET', '/accounts', { key: 'ed' })).status,
          200,
          'another key has its own budget',
        );
        assert.equal((await rest(h, 'GET', '/time', { key: 'none' })).status, 200);
        assert.equal((await rest(h, 'GET', '/time', { key: 'none' })).status, 429);
        h.clock.advance(1000);
        assert.equal((await rest(h, 'GET', '/accounts')).status, 200, 'the next second');
        assert.deepEqual(
          h.fake.rateLimitHits().map((x) => [x.bucket, x.limit]),
          [
            ['organizations/0b5e3f7a-org/apiKeys/5c1d2e3f-ec', 2],
            ['public', 1],
          ],
        );
      },
      { rateLimits: { privatePerSecond: 2, publicPerSecond: 1 } },
    ));

  test('clear disarms every hook', () =>
    withFake(async (h) => {
      h.fake.faults.serverError().dropResponse().rateLimitNext(3).delayResponses(500).duplicateEvents(2);
      h.fake.faults.queueNewOrders().queueCancels().clear();
      const res = await place(h, limit('c-1'));
      assert.equal((await getOrder(h, res.order_id)).status, 'OPEN');
    }));
});

describe('fake Coinbase WebSocket faults', () => {
  test('disconnectWebSockets closes user and market connections; reconnecting works', () =>
    withFake(async (h) => {
      const user = await userStream(h);
      const market = await WsClient.connect(h.urls.marketData);
      market.send({ type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD'] });
      await market.next((f) => f.channel === 'subscriptions');
      assert.deepEqual(h.fake.connectionCount(), { user: 1, market: 1, connections: 2 });
      h.fake.faults.disconnectWebSockets();
      await until(() => user.closed && market.closed);
      assert.deepEqual(h.fake.connectionCount(), { user: 0, market: 0, connections: 0 });
      const again = await userStream(h);
      assert.equal(h.fake.connectionCount().user, 1);
      await again.close();
    }));

  test('pauseUserData: the channel drops and is refused; updates are lost; REST shows the truth', () =>
    withFake(async (h) => {
      const c = await userStream(h);
      const res = await place(h, limit('p-1', '0.1', '60000'));
      await until(() => userOrders(c.all).length === 1);
      h.fake.faults.pauseUserData();
      await until(() => c.closed);
      await assert.rejects(WsClient.connect(h.urls.ws), /503/);
      const viaMarket = await WsClient.connect(h.urls.marketData);
      viaMarket.send({ type: 'subscribe', channel: 'user', jwt: makeJwt(h.clock.now()) });
      assert.match((await viaMarket.next()).message, /unavailable/);
      h.fake.feedTrade('BTC-USD', '59999', '1');
      assert.deepEqual(
        h.fake.droppedEvents().map((e) => e.order.status),
        ['FILLED'],
      );
      h.fake.faults.resumeUserData();
      const back = await userStream(h);
      assert.equal((await getOrder(h, res.order_id)).status, 'FILLED');
      assert.equal(
        userOrders(back.all).length,
        0,
        'nothing is replayed; the snapshot holds open orders only',
      );
      await back.close();
      await viaMarket.close();
    }));

  test('duplicateEvents: the next update is sent twice with the same sequence_num', () =>
    withFake(async (h) => {
      const c = await userStream(h);
      h.fake.faults.duplicateEvents(1);
      await place(h, limit('dup-1'));
      await place(h, limit('dup-2'));
      await until(() => userOrders(c.all).length === 3);
      const frames = c.all.filter((f) => f.channel === 'user' && f.events[0].type === 'update');
      assert.deepEqual(
        frames.map((f) => [f.sequence_num, f.events[0].orders[0].client_order_id]),
        [
          [2, 'dup-1'],
          [2, 'dup-1'],
          [3, 'dup-2'],
        ],
      );
      assert.equal(h.fake.userEvents().length, 2);
      assert.equal(h.fake.sentEventCount(), 3);
      await c.close();
    }));
});

describe('fake Coinbase queued orders and cancels', () => {
  test('queueNewOrders: QUEUED outside the book and hidden from order_status=OPEN until released', () =>
    withFake(async (h) => {
      const c = await userStream(h);
      h.fake.faults.queueNewOrders({ status: 'QUEUED' });
      const res = await place(h, limit('q-1', '0.1', '60000'));
      assert.equal(res.success, true);
      assert.equal((await getOrder(h, res.order_id)).status, 'QUEUED');
      assert.equal(h.fake.balances().USD?.hold, '0');
      const open = await rest(h, 'GET', '/orders/historical/batch', { query: 'order_status=OPEN' });
      assert.equal(open.body.orders.length, 0);
      const all = await rest(h, 'GET', '/orders/historical/batch');
      assert.equal(all.body.orders[0].status, 'QUEUED');
      h.fake.feedTrade('BTC-USD', '59000', '1');
      assert.equal((await getOrder(h, res.order_id)).filled_size, '0', 'not in the book');
      h.fake.faults.releaseQueued();
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED', 'released, it meets the last trade (59000) and takes it');
      assert.equal(o.average_filled_price, '59000');
      await until(() => userOrders(c.all).some((o) => o.status === 'FILLED'));
      assert.deepEqual(
        userOrders(c.all).map((o) => o.status),
        ['QUEUED', 'OPEN', 'FILLED'],
      );
      await c.close();
    }));

  test('a PENDING order that cannot be funded when released FAILS', () =>
    withFake(async (h) => {
      h.fake.faults.queueNewOrders({ count: 1 });
      const res = await place(h, limit('q-2', '1', '60000'));
      assert.equal((await getOrder(h, res.order_id)).status, 'PENDING');
      await place(h, limit('q-3', '1.6', '60000'));
      h.fake.faults.releaseQueued();
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FAILED');
      assert.equal(o.reject_reason, 'REJECT_REASON_INSUFFICIENT_FUNDS');
      assert.equal(o.reject_message, 'Insufficient balance in source account');
    }));

  test('queueCancels: CANCEL_QUEUED with pending_cancel until released', () =>
    withFake(async (h) => {
      const res = await place(h, limit('qc-1'));
      h.fake.faults.queueCancels();
      const cancel = await rest(h, 'POST', '/orders/batch_cancel', { body: { order_ids: [res.order_id] } });
      assert.equal(cancel.body.results[0].success, true);
      let o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'CANCEL_QUEUED');
      assert.equal(o.pending_cancel, true);
      const again = await rest(h, 'POST', '/orders/batch_cancel', { body: { order_ids: [res.order_id] } });
      assert.equal(again.body.results[0].failure_reason, 'DUPLICATE_CANCEL_REQUEST');
      const edit = await rest(h, 'POST', '/orders/edit', {
        body: { order_id: res.order_id, price: '1', size: '1' },
      });
      assert.equal(edit.body.errors[0].edit_failure_reason, 'CANNOT_EDIT_ORDER_PENDING_CANCEL');
      const open = await rest(h, 'GET', '/orders/historical/batch', { query: 'order_status=OPEN' });
      assert.equal(open.body.orders.length, 0);
      h.fake.faults.releaseQueued();
      o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'CANCELLED');
      assert.equal(o.pending_cancel, false);
    }));
});
