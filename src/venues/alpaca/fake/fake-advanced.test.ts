// Advanced orders on the fake Alpaca: bracket legs `held` until the entry fills, then one leg
// executing cancels the other (a partial take-profit shrinks the stop-loss); OCO exits with both
// legs working at once; OTO with one leg; nested listings; cancels through a group; replacing a leg;
// and the base-price rules of leg prices.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Harness,
  market,
  place,
  rest,
  tradeUpdates,
  until,
  type WsClient,
  withFake,
} from './fake-test-kit.ts';

const bracket = (extra: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  qty: '10',
  side: 'buy',
  type: 'market',
  time_in_force: 'gtc',
  order_class: 'bracket',
  take_profit: { limit_price: '195' },
  stop_loss: { stop_price: '185', limit_price: '184.5' },
  ...extra,
});

const oco = (extra: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  qty: '10',
  side: 'sell',
  type: 'limit',
  time_in_force: 'gtc',
  order_class: 'oco',
  take_profit: { limit_price: '195' },
  stop_loss: { stop_price: '185' },
  ...extra,
});

async function get(h: Harness, id: string, nested = false) {
  return (await rest(h, 'GET', `/v2/orders/${id}${nested ? '?nested=true' : ''}`)).body;
}

/** The events received so far as `event:type:status`, once `n` have arrived. */
async function events(c: WsClient, n: number): Promise<string[]> {
  await until(() => c.frames.filter((f) => f.stream === 'trade_updates').length >= n);
  return c.takeUpdates().map((u) => `${u.event}:${u.order.type}:${u.order.status}`);
}

describe('fake Alpaca bracket orders', () => {
  test('legs are held until the entry fills, then new; a full take-profit cancels the stop-loss', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const a = await place(h, bracket({ client_order_id: 'br' }));
      assert.equal(a.status, 200, a.text);
      assert.equal(a.body.order_class, 'bracket');
      assert.deepEqual(
        a.body.legs.map((l: Record<string, unknown>) => [
          l.type,
          l.side,
          l.status,
          l.limit_price,
          l.stop_price,
          l.qty,
        ]),
        [
          ['limit', 'sell', 'held', '195', null, '10'],
          ['stop_limit', 'sell', 'held', '184.5', '185', '10'],
        ],
      );
      assert.deepEqual(await events(c, 4), [
        'new:market:new',
        'fill:market:filled',
        'new:limit:new',
        'new:stop_limit:new',
      ]);
      h.fake.feedTrade('AAPL', '195.01', '10');
      assert.deepEqual(await events(c, 2), ['fill:limit:filled', 'canceled:stop_limit:canceled']);
      const [tp, sl] = (await get(h, a.body.id, true)).legs;
      assert.equal(tp.status, 'filled');
      assert.equal(sl.status, 'canceled');
      assert.deepEqual((await rest(h, 'GET', '/v2/positions')).body, []);
      await c.close();
    }));

  test('a partial take-profit shrinks the stop-loss; the stop-loss triggering cancels the take-profit', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const a = await place(h, bracket());
      await events(c, 4);
      h.fake.feedTrade('AAPL', '195.01', '4');
      assert.deepEqual(await events(c, 1), ['partial_fill:limit:partially_filled']);
      assert.equal((await get(h, a.body.id, true)).legs[1].qty, '6');
      h.fake.feedTrade('AAPL', '185', '1');
      assert.deepEqual(await events(c, 2), ['canceled:limit:canceled', 'fill:stop_limit:filled']);
      const sl = (await get(h, a.body.id, true)).legs[1];
      assert.equal(sl.filled_qty, '6');
      assert.equal(sl.filled_avg_price, '190', 'the stop-limit at 184.5 sells at the bid');
      await c.close();
    }));

  test('a limit entry that never fills: canceling it cancels its held legs', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, bracket({ type: 'limit', limit_price: '189' }));
      const held = await get(h, a.body.id, true);
      assert.equal(held.status, 'new');
      assert.deepEqual(
        held.legs.map((l: { status: string }) => l.status),
        ['held', 'held'],
      );
      assert.equal((await rest(h, 'DELETE', `/v2/orders/${a.body.id}`)).status, 204);
      const after = await get(h, a.body.id, true);
      assert.deepEqual(
        [after.status, ...after.legs.map((l: { status: string }) => l.status)],
        ['canceled', 'canceled', 'canceled'],
      );
      assert.equal((await rest(h, 'GET', '/v2/account')).body.buying_power, '100000');
    }));

  test('canceling one active leg cancels its sibling, not the filled entry', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, bracket());
      const [tp] = (await get(h, a.body.id, true)).legs;
      assert.equal((await rest(h, 'DELETE', `/v2/orders/${tp.id}`)).status, 204);
      const after = await get(h, a.body.id, true);
      assert.deepEqual(
        [after.status, ...after.legs.map((l: { status: string }) => l.status)],
        ['filled', 'canceled', 'canceled'],
      );
      const pos = (await rest(h, 'GET', '/v2/positions/AAPL')).body;
      assert.equal(pos.qty_available, '10', 'nothing is held for the canceled legs');
    }));

  test('replacing the take-profit leg: a new id in the bracket, which still cancels the stop-loss', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, bracket());
      const [tp] = (await get(h, a.body.id, true)).legs;
      const r = await rest(h, 'PATCH', `/v2/orders/${tp.id}`, { limit_price: '196' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.replaces, tp.id);
      const legs = (await get(h, a.body.id, true)).legs;
      assert.deepEqual(
        legs.map((l: { id: string; status: string; limit_price: string }) => [l.id, l.status, l.limit_price]),
        [
          [r.body.id, 'new', '196'],
          [legs[1].id, 'new', '184.5'],
        ],
      );
      h.fake.feedTrade('AAPL', '196.5', '10');
      assert.deepEqual(
        (await get(h, a.body.id, true)).legs.map((l: { status: string }) => l.status),
        ['filled', 'canceled'],
      );
    }));

  test('rules: market or limit entries, both legs, prices on the exit side of the base price, no sell brackets', () =>
    withFake(async (h) => {
      market(h);
      const refuse = async (o: Record<string, unknown>, status: number, code: number, message: string) => {
        const r = await place(h, o);
        assert.equal(r.status, status, r.text);
        assert.deepEqual(r.body, { code, message });
      };
      await refuse(
        bracket({ stop_loss: { stop_price: '190.05' } }),
        422,
        42210000,
        'stop price must be less than base_price - 0.01',
      );
      await refuse(
        bracket({ take_profit: { limit_price: '190.05' } }),
        422,
        42210000,
        'take_profit.limit_price must be >= base_price + 0.01',
      );
      await refuse(
        bracket({ type: 'limit', limit_price: '180' }),
        422,
        42210000,
        'stop price must be less than base_price - 0.01',
      );
      await refuse(
        bracket({ type: 'stop', stop_price: '191' }),
        422,
        40010001,
        'bracket orders must be market or limit orders',
      );
      await refuse(
        bracket({ stop_loss: undefined }),
        422,
        40010001,
        'bracket orders require take_profit and stop_loss',
      );
      await refuse(
        bracket({ time_in_force: 'ioc' }),
        422,
        40010001,
        'bracket orders must be day or gtc orders',
      );
      await refuse(
        bracket({ qty: '1.5', time_in_force: 'day' }),
        422,
        40010001,
        'fractional orders must be simple orders',
      );
      const sell = await place(
        h,
        bracket({ side: 'sell', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '195' } }),
      );
      assert.equal(sell.status, 403, 'the fake does not short');
      assert.equal(h.fake.orderRecords().length, 0);
    }));
});

describe('fake Alpaca OCO and OTO orders', () => {
  test('OCO exits a position: both legs new at once; the stop triggering cancels the take-profit', () =>
    withFake(
      async (h) => {
        market(h);
        const c = await tradeUpdates(h);
        const a = await place(h, oco());
        assert.equal(a.status, 200, a.text);
        assert.equal(a.body.type, 'limit');
        assert.equal(a.body.limit_price, '195');
        assert.deepEqual(
          a.body.legs.map((l: Record<string, unknown>) => [l.type, l.side, l.stop_price, l.status]),
          [['stop', 'sell', '185', 'accepted']],
        );
        assert.deepEqual(await events(c, 2), ['new:limit:new', 'new:stop:new']);
        const pos = (await rest(h, 'GET', '/v2/positions/AAPL')).body;
        assert.equal(pos.qty_available, '0', 'the pair holds the 10 shares once, not twice');
        h.fake.feedTrade('AAPL', '184.99', '1');
        assert.deepEqual(await events(c, 2), ['canceled:limit:canceled', 'fill:stop:filled']);
        assert.deepEqual((await rest(h, 'GET', '/v2/positions')).body, []);
        await c.close();
      },
      { balances: { USD: '1000', AAPL: '10' } },
    ));

  test('OCO: the take-profit filling cancels the stop; listed nested or flat; buy OCOs are refused', () =>
    withFake(
      async (h) => {
        market(h);
        const a = await place(h, oco({ client_order_id: 'oco' }));
        h.fake.feedTrade('AAPL', '195.5', '10');
        const nested = (await rest(h, 'GET', '/v2/orders?status=all&nested=true')).body;
        assert.equal(nested.length, 1);
        assert.equal(nested[0].id, a.body.id);
        assert.deepEqual([nested[0].status, nested[0].legs[0].status], ['filled', 'canceled']);
        const flat = (await rest(h, 'GET', '/v2/orders?status=all')).body;
        assert.equal(flat.length, 2);
        assert.equal(flat[0].legs, null);
        const buy = await place(
          h,
          oco({ side: 'buy', take_profit: { limit_price: '180' }, stop_loss: { stop_price: '195' } }),
        );
        assert.deepEqual(buy.body, { code: 42210000, message: 'oco orders must be exit orders' });
        const bad = await place(h, oco({ stop_loss: { stop_price: '195' } }));
        assert.deepEqual(bad.body, {
          code: 42210000,
          message: 'stop price must be less than base_price - 0.01',
        });
        const tooMuch = await place(h, oco({ qty: '11' }));
        assert.equal(tooMuch.status, 403);
      },
      { balances: { USD: '1000', AAPL: '10' } },
    ));

  test('OTO: one leg, held until the entry fills, then working on its own', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const a = await place(h, {
        symbol: 'AAPL',
        qty: '10',
        side: 'buy',
        type: 'limit',
        limit_price: '189',
        time_in_force: 'day',
        order_class: 'oto',
        stop_loss: { stop_price: '180' },
      });
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(await events(c, 1), ['new:limit:new']);
      assert.equal((await get(h, a.body.id, true)).legs[0].status, 'held');
      h.fake.feedTrade('AAPL', '188.99', '10');
      assert.deepEqual(await events(c, 2), ['fill:limit:filled', 'new:stop:new']);
      const leg = (await get(h, a.body.id, true)).legs[0];
      assert.equal(leg.order_class, 'oto');
      const r = await rest(h, 'PATCH', `/v2/orders/${leg.id}`, { stop_price: '181' });
      assert.deepEqual(r.body, {
        code: 42210000,
        message: 'replacing the legs of an oto order is not supported',
      });
      h.fake.feedTrade('AAPL', '179', '1');
      assert.deepEqual(await events(c, 1), ['fill:stop:filled']);
      await c.close();
    }));
});
