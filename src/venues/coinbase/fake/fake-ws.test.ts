// The fake Coinbase's WebSockets: the user channel (fresh JWT per subscribe, a snapshot of open
// orders in batches of 50, then cumulative order state per change with sequence_num counting up),
// heartbeats, and the ticker and market_trades channels fed by feedQuote/feedTrade.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getOrder,
  type Harness,
  makeJwt,
  orderBody,
  place,
  until,
  userOrders,
  userStream,
  WsClient,
  withFake,
} from './fake-test-kit.ts';

const limit = (id: string, side: 'BUY' | 'SELL', size: string, price: string, product = 'BTC-USD') =>
  orderBody(id, side, { limit_limit_gtc: { base_size: size, limit_price: price } }, product);

async function subscribe(h: Harness, c: WsClient, msg: Record<string, unknown>): Promise<void> {
  c.send(msg);
  await c.next((f) => f.channel === 'subscriptions' || f.type === 'error');
  void h;
}

describe('fake Coinbase user channel', () => {
  test('a limit fills when a fed trade crosses it; the channel shows cumulative state', () =>
    withFake(async (h) => {
      const c = await userStream(h, undefined, 'ed');
      const res = await place(h, limit('u-1', 'BUY', '0.1', '60000'));
      h.fake.feedTrade('BTC-USD', '59999', '0.04');
      h.fake.feedTrade('BTC-USD', '59999.5', '0.06');
      await until(() => userOrders(c.all).some((o) => o.status === 'FILLED'));
      const updates = userOrders(c.all).filter((o) => o.type === 'update');
      assert.deepEqual(
        updates.map((o) => [o.status, o.cumulative_quantity, o.leaves_quantity, o.avg_price, o.filled_value]),
        [
          ['OPEN', '0', '0.1', '0', '0'],
          ['OPEN', '0.04', '0.06', '60000', '2400'],
          ['FILLED', '0.1', '0', '60000', '6000'],
        ],
      );
      const last = updates.at(-1)!;
      assert.equal(last.order_id, res.order_id);
      assert.equal(last.client_order_id, 'u-1');
      assert.equal(last.order_side, 'BUY');
      assert.equal(last.order_type, 'Limit');
      assert.equal(last.product_id, 'BTC-USD');
      assert.equal(last.total_fees, '36'); // maker 0.6 % of 6000
      assert.equal(last.number_of_fills, '2');
      assert.equal(last.time_in_force, 'GOOD_UNTIL_CANCELLED');
      assert.equal(last.post_only, 'false');
      const userFrames = c.all.filter((f) => f.channel === 'user');
      for (const f of userFrames) {
        assert.equal(f.client_id, '');
        assert.equal(typeof f.timestamp, 'string');
      }
      const seqs = c.all.map((f) => f.sequence_num);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i),
        'sequence_num counts every message of the connection',
      );
      await c.close();
    }));

  test('the snapshot lists open orders (product filter), 50 per message, the last one shorter', () =>
    withFake(async (h) => {
      for (let i = 0; i < 50; i++) {
        h.clock.advance(100); // 10 creates a second, inside the rate limit
        await place(h, limit(`s-${i}`, 'BUY', '0.001', String(40000 + i)));
      }
      await place(h, limit('eth-1', 'BUY', '0.1', '1000', 'ETH-USD'));
      const c = await WsClient.connect(h.urls.ws);
      await subscribe(h, c, {
        type: 'subscribe',
        channel: 'user',
        product_ids: ['BTC-USD'],
        jwt: makeJwt(h.clock.now()),
      });
      const first = await c.next((f) => f.channel === 'user');
      const second = await c.next((f) => f.channel === 'user');
      assert.equal(first.events[0].type, 'snapshot');
      assert.equal(first.events[0].orders.length, 50);
      assert.equal(second.events[0].orders.length, 0);
      assert.deepEqual(first.events[0].positions, {
        perpetual_futures_positions: [],
        expiring_futures_positions: [],
      });
      const all = await WsClient.connect(h.urls.ws);
      await subscribe(h, all, { type: 'subscribe', channel: 'user', jwt: makeJwt(h.clock.now()) });
      const snap = await all.next((f) => f.channel === 'user');
      assert.equal(snap.events[0].orders.length, 50);
      const rest = await all.next((f) => f.channel === 'user');
      assert.equal(rest.events[0].orders[0].product_id, 'ETH-USD');
      // Updates follow the product filter.
      await place(h, limit('eth-2', 'BUY', '0.1', '1000', 'ETH-USD'));
      await until(() => userOrders(all.all).some((o) => o.client_order_id === 'eth-2'));
      assert.equal(userOrders(c.all).filter((o) => o.client_order_id === 'eth-2').length, 0);
      await c.close();
      await all.close();
    }));

  test('subscribing to user needs a fresh, valid JWT', () =>
    withFake(async (h) => {
      const c = await WsClient.connect(h.urls.ws);
      c.send({ type: 'subscribe', channel: 'user' });
      assert.deepEqual(await c.next(), { type: 'error', message: 'authentication failure' });
      const jwt = makeJwt(h.clock.now());
      c.send({ type: 'subscribe', channel: 'user', jwt });
      assert.equal((await c.next()).channel, 'subscriptions');
      c.send({ type: 'subscribe', channel: 'user', jwt });
      assert.deepEqual(await c.next((f) => f.type === 'error'), {
        type: 'error',
        message: 'authentication failure',
      });
      const old = makeJwt(h.clock.now());
      h.clock.advance(120_000);
      c.send({ type: 'subscribe', channel: 'user', jwt: old });
      assert.equal((await c.next((f) => f.type === 'error')).message, 'authentication failure');
      c.send({ type: 'subscribe', channel: 'level3', product_ids: ['BTC-USD'] });
      assert.match((await c.next((f) => f.type === 'error')).message, /not supported/);
      c.send('not json');
      assert.match((await c.next((f) => f.type === 'error')).message, /parse/);
      await c.close();
    }));

  test('a connection that never subscribes is closed', () =>
    withFake(
      async (h) => {
        const c = await WsClient.connect(h.urls.marketData);
        await until(() => c.closed, 1000);
      },
      { subscribeTimeoutMs: 50 },
    ));

  test('stop triggers and edits show in the channel', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const c = await userStream(h);
      const res = await place(
        h,
        orderBody('u-sl', 'SELL', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.1',
            limit_price: '58000',
            stop_price: '59000',
            stop_direction: 'STOP_DIRECTION_STOP_DOWN',
          },
        }),
      );
      h.fake.feedTrade('BTC-USD', '59000', '1');
      await until(() => userOrders(c.all).some((o) => o.status === 'FILLED'));
      assert.deepEqual(
        userOrders(c.all).map((o) => [
          o.status,
          o.trigger_status,
          o.cumulative_quantity,
          o.order_type,
          o.stop_price,
        ]),
        [
          ['OPEN', 'STOP_PENDING', '0', 'Stop Limit', '59000'],
          ['OPEN', 'STOP_TRIGGERED', '0', 'Stop Limit', '59000'],
          ['FILLED', 'STOP_TRIGGERED', '0.1', 'Stop Limit', '59000'],
        ],
      );
      assert.equal((await getOrder(h, res.order_id)).status, 'FILLED');
      await c.close();
    }));
});

describe('fake Coinbase heartbeats and market channels', () => {
  test('heartbeats count up', () =>
    withFake(
      async (h) => {
        const c = await WsClient.connect(h.urls.ws);
        await subscribe(h, c, { type: 'subscribe', channel: 'heartbeats' });
        const a = await c.next((f) => f.channel === 'heartbeats');
        const b = await c.next((f) => f.channel === 'heartbeats');
        assert.equal(a.events[0].heartbeat_counter, 1);
        assert.equal(b.events[0].heartbeat_counter, 2);
        assert.equal(a.events[0].current_time, '2023-11-14 22:13:20.000000000+00:00');
        c.send({ type: 'unsubscribe', channel: 'heartbeats' });
        await c.next((f) => f.channel === 'subscriptions');
        await c.close();
      },
      { heartbeatMs: 10 },
    ));

  test('ticker and market_trades: a snapshot on subscribe, then updates from fed quotes and trades', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '0.5', 'SELL');
      const c = await WsClient.connect(h.urls.marketData);
      await subscribe(h, c, { type: 'subscribe', channel: 'market_trades', product_ids: ['BTC-USD'] });
      const snap = await c.next((f) => f.channel === 'market_trades');
      assert.equal(snap.events[0].type, 'snapshot');
      assert.deepEqual(snap.events[0].trades, [
        {
          trade_id: '1',
          product_id: 'BTC-USD',
          price: '60000',
          size: '0.5',
          side: 'SELL',
          time: '2023-11-14T22:13:20.000000Z',
        },
      ]);
      c.send({ type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD'] });
      const tsnap = await c.next((f) => f.channel === 'ticker');
      assert.equal(tsnap.events[0].type, 'snapshot');
      assert.equal(tsnap.events[0].tickers[0].price, '60000');
      h.fake.feedQuote('BTC-USD', '60100', '1.5', '60101', '0.5');
      const t = await c.next((f) => f.channel === 'ticker' && f.events[0].type === 'update');
      assert.deepEqual(
        {
          type: t.events[0].tickers[0].type,
          product_id: t.events[0].tickers[0].product_id,
          best_bid: t.events[0].tickers[0].best_bid,
          best_bid_quantity: t.events[0].tickers[0].best_bid_quantity,
          best_ask: t.events[0].tickers[0].best_ask,
          best_ask_quantity: t.events[0].tickers[0].best_ask_quantity,
        },
        {
          type: 'ticker',
          product_id: 'BTC-USD',
          best_bid: '60100',
          best_bid_quantity: '1.5',
          best_ask: '60101',
          best_ask_quantity: '0.5',
        },
      );
      h.fake.feedTrade('BTC-USD', '60101', '0.25');
      const trade = await c.next((f) => f.channel === 'market_trades' && f.events[0].type === 'update');
      assert.deepEqual(
        trade.events[0].trades.map((x: { price: string; side: string }) => [x.price, x.side]),
        [['60101', 'BUY']],
      );
      const tick = await c.next((f) => f.channel === 'ticker' && f.events[0].type === 'update');
      assert.equal(tick.events[0].tickers[0].price, '60101');
      assert.equal(tick.events[0].tickers[0].volume_24_h, '0.75');
      assert.equal(tick.events[0].tickers[0].high_24_h, '60101');
      assert.equal(tick.events[0].tickers[0].price_percent_chg_24_h, '0.16833333');
      h.fake.feedTrade('ETH-USD', '3000', '1');
      c.take((f) => f.channel === 'subscriptions');
      c.send({ type: 'unsubscribe', channel: 'market_trades', product_ids: ['BTC-USD'] });
      await c.next((f) => f.channel === 'subscriptions');
      h.fake.feedTrade('BTC-USD', '60102', '0.1');
      await c.next((f) => f.channel === 'ticker' && f.events[0].tickers[0].price === '60102');
      assert.deepEqual(
        c.frames.filter((f) => f.channel === 'market_trades'),
        [],
        'no ETH trades, none after unsubscribe',
      );
      c.send({ type: 'subscribe', channel: 'ticker' });
      assert.match((await c.next((f) => f.type === 'error')).message, /product_ids are required/);
      await c.close();
    }));
});
