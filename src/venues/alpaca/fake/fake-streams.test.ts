// The fake Alpaca's streams through a raw ws client: a limit order filled by a fed trade shows on
// trade_updates as `new` then `fill` with exact fields in binary frames; listen replaces the set;
// the market data streams publish trades, quotes and minute bars (exact JSON numbers, text frames)
// to subscribers of the right feed only.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  KEY_ID,
  marketData,
  place,
  rest,
  SECRET,
  T0,
  tradeUpdates,
  until,
  WsClient,
  withFake,
} from './fake-test-kit.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('fake Alpaca trade_updates', () => {
  test('a limit filled by a fed trade: new, then fill with price, qty, position_qty, in binary frames', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC/USD', '60000', '1', '60001', '1');
      const c = await tradeUpdates(h);
      const a = await place(h, {
        symbol: 'BTC/USD',
        qty: '0.25',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        limit_price: '59000.5',
        client_order_id: 'fill-me',
      });
      assert.equal(a.status, 200, a.text);
      h.clock.advance(1500);
      h.fake.feedTrade('BTC/USD', '59000', '0.3');
      await until(() => c.frames.length >= 2);
      const [n, f] = c.takeUpdates();
      assert.equal(n.event, 'new');
      assert.equal(n.order.id, a.body.id);
      assert.equal(n.order.status, 'new');
      assert.equal(n.order.filled_qty, '0');
      assert.match(n.execution_id, UUID);
      assert.equal(n.timestamp, '2023-11-14T22:13:20.000000Z');
      assert.deepEqual(Object.keys(f), [
        'event',
        'execution_id',
        'order',
        'position_qty',
        'price',
        'qty',
        'timestamp',
      ]);
      assert.equal(f.event, 'fill');
      assert.match(f.execution_id, UUID);
      assert.notEqual(f.execution_id, n.execution_id);
      assert.equal(f.price, '59000.5');
      assert.equal(f.qty, '0.25');
      assert.equal(f.position_qty, '0.25');
      assert.equal(f.timestamp, '2023-11-14T22:13:21.500000Z');
      assert.equal(f.order.status, 'filled');
      assert.equal(f.order.filled_qty, '0.25');
      assert.equal(f.order.filled_avg_price, '59000.5');
      assert.equal(f.order.filled_at, '2023-11-14T22:13:21.500000Z');
      assert.equal(f.order.client_order_id, 'fill-me');
      assert.equal(f.order.symbol, 'BTC/USD');
      assert.equal(f.order.asset_class, 'crypto');
      assert.ok(
        c.binary.every((b) => b),
        'trade_updates frames are binary',
      );
      const [activity] = (await rest(h, 'GET', '/v2/account/activities/FILL')).body;
      assert.equal(activity.id.split('::')[1], f.execution_id, 'the FILL activity carries the execution id');
      assert.equal(h.fake.tradeEvents().length, 2);
      assert.equal(h.fake.sentEventCount(), 2);
      await c.close();
    }));

  test('listen replaces the set: an empty list stops the updates; a connection not listening gets none', () =>
    withFake(async (h) => {
      h.fake.feedQuote('AAPL', '190', '100', '190.05', '100');
      const c = await tradeUpdates(h);
      const idle = await WsClient.connect(h.urls.ws);
      idle.send({ action: 'auth', key: KEY_ID, secret: SECRET });
      await idle.next();
      c.send({ action: 'listen', data: { streams: [] } });
      assert.deepEqual(await c.next(), { stream: 'listening', data: { streams: [] } });
      await place(h, { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' });
      c.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      await c.next((f) => f.stream === 'listening');
      await place(h, { symbol: 'AAPL', qty: '2', side: 'buy', type: 'market', time_in_force: 'day' });
      await until(() => c.frames.length >= 2);
      assert.deepEqual(
        c.takeUpdates().map((u) => `${u.event}:${u.order.qty}`),
        ['new:2', 'fill:2'],
      );
      assert.equal(idle.frames.length, 0);
      await c.close();
      await idle.close();
    }));
});

test('pendingEvents: pending_new before new, pending_cancel before canceled, pending_replace before replaced', () =>
  withFake(
    async (h) => {
      const c = await tradeUpdates(h);
      const a = await place(h, {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limit_price: '100',
        time_in_force: 'day',
      });
      const r = await rest(h, 'PATCH', `/v2/orders/${a.body.id}`, { limit_price: '101' });
      await rest(h, 'DELETE', `/v2/orders/${r.body.id}`);
      await until(() => c.frames.length >= 8);
      assert.deepEqual(
        c.takeUpdates().map((u) => `${u.event}:${u.order.status}`),
        [
          'pending_new:pending_new',
          'new:new',
          'pending_replace:pending_replace',
          'replaced:replaced',
          'pending_new:pending_new',
          'new:new',
          'pending_cancel:pending_cancel',
          'canceled:canceled',
        ],
      );
      await c.close();
    },
    { pendingEvents: true },
  ));

describe('fake Alpaca market data streams', () => {
  test('crypto: subscription ack, quotes and trades with exact JSON numbers, minute bars when the minute ends', () =>
    withFake(async (h) => {
      const c = await marketData(h, '/v1beta3/crypto/us');
      c.send({ action: 'subscribe', trades: ['BTC/USD'], quotes: ['BTC/USD'], bars: ['*'] });
      assert.deepEqual(await c.next(), [
        {
          T: 'subscription',
          trades: ['BTC/USD'],
          quotes: ['BTC/USD'],
          orderbooks: [],
          bars: ['*'],
          updatedBars: [],
          dailyBars: [],
        },
      ]);
      h.fake.feedQuote('BTC/USD', '60000.1', '0.123456789', '60000.2', '2');
      h.fake.feedQuote('ETH/USD', '3000', '1', '3000.01', '1');
      h.fake.feedTrade('BTC/USD', '60000.15', '0.5');
      h.clock.advance(10_000);
      h.fake.feedTrade('BTC/USD', '60001', '1.5');
      await until(() => c.frames.length >= 3);
      assert.deepEqual(c.raw.slice(-3), [
        '[{"T":"q","S":"BTC/USD","bp":60000.1,"bs":0.123456789,"ap":60000.2,"as":2,"t":"2023-11-14T22:13:20.000000Z"}]',
        '[{"T":"t","S":"BTC/USD","p":60000.15,"s":0.5,"t":"2023-11-14T22:13:20.000000Z","i":1,"tks":"B"}]',
        '[{"T":"t","S":"BTC/USD","p":60001,"s":1.5,"t":"2023-11-14T22:13:30.000000Z","i":2,"tks":"B"}]',
      ]);
      h.clock.advance(40_000); // into the next minute
      h.fake.flushBars();
      await until(() => c.frames.length >= 4);
      assert.deepEqual(c.frames.at(-1), [
        {
          T: 'b',
          S: 'BTC/USD',
          o: 60000.15,
          h: 60001,
          l: 60000.15,
          c: 60001,
          v: 2,
          t: new Date(T0 - 20_000).toISOString().replace('.000Z', 'Z'),
          n: 2,
          vw: 60000.7875,
        },
      ]);
      assert.ok(
        c.binary.every((b) => !b),
        'market data frames are text',
      );
      c.send({ action: 'unsubscribe', trades: ['BTC/USD'] });
      assert.deepEqual((await c.next((f) => f[0]?.T === 'subscription'))[0].trades, []);
      await c.close();
    }));

  test('a fed bar is published as one bar and walks the matcher through open, low, high, close', () =>
    withFake(async (h) => {
      h.fake.feedQuote('ETH/USD', '3000', '10', '3000.01', '10');
      const buy = await place(h, {
        symbol: 'ETH/USD',
        qty: '1',
        side: 'buy',
        type: 'limit',
        limit_price: '2990',
        time_in_force: 'gtc',
      });
      const c = await marketData(h, '/v1beta3/crypto/us');
      c.send({ action: 'subscribe', bars: ['ETH/USD'] });
      await c.next();
      const inst = h.fake.instrument('ETH/USD');
      h.fake.feed({
        kind: 'bar',
        instrument: inst.key,
        ts: T0,
        open: 300_000,
        high: 301_000,
        low: 298_000,
        close: 300_500,
        volume: 4_000_000_000,
        durationMs: 60_000,
      });
      const [bar] = await c.next();
      assert.deepEqual([bar.T, bar.o, bar.h, bar.l, bar.c, bar.v], ['b', 3000, 3010, 2980, 3005, 4]);
      assert.equal((await rest(h, 'GET', `/v2/orders/${buy.body.id}`)).body.status, 'filled');
      await c.close();
    }));

  test('stocks: AAPL on /v2/iex with exchange, conditions and tape; crypto prints do not reach it', () =>
    withFake(async (h) => {
      const c = await marketData(h, '/v2/iex');
      c.send({ action: 'subscribe', trades: ['AAPL', 'BTC/USD'], quotes: ['*'] });
      const ack = (await c.next())[0];
      assert.deepEqual(ack.trades, ['AAPL', 'BTC/USD']);
      assert.deepEqual(ack.corrections, ['AAPL', 'BTC/USD']);
      h.fake.feedTrade('BTC/USD', '60000', '1');
      h.fake.feedQuote('AAPL', '190', '100', '190.05', '200');
      h.fake.feedTrade('AAPL', '190.02', '50');
      await until(() => c.frames.length >= 2);
      assert.deepEqual(c.frames, [
        [
          {
            T: 'q',
            S: 'AAPL',
            bx: 'V',
            bp: 190,
            bs: 100,
            ax: 'V',
            ap: 190.05,
            as: 200,
            c: ['R'],
            t: '2023-11-14T22:13:20.000000Z',
            z: 'C',
          },
        ],
        [
          {
            T: 't',
            S: 'AAPL',
            p: 190.02,
            s: 50,
            t: '2023-11-14T22:13:20.000000Z',
            i: 1,
            x: 'V',
            c: ['@'],
            z: 'C',
          },
        ],
      ]);
      await c.close();
    }));
});
