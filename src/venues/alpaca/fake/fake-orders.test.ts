// Simple orders on the fake Alpaca through raw fetch: each order type and time in force, notional
// and fractional orders, Alpaca's refusals (sub-penny, crypto rules, buying power, duplicate
// client ids) with their exact bodies, replace (a new id, `replaced`), cancel (204) and cancel-all
// (207), the list / get endpoints, FILL activities, positions, the account and the assets.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DAY_END,
  type Harness,
  market,
  place,
  rest,
  tradeUpdates,
  until,
  withFake,
} from './fake-test-kit.ts';

const limitBuyBtc = (extra: Record<string, unknown> = {}) => ({
  symbol: 'BTC/USD',
  qty: '0.5',
  side: 'buy',
  type: 'limit',
  time_in_force: 'gtc',
  limit_price: '59000',
  ...extra,
});

const aapl = (extra: Record<string, unknown>) => ({
  symbol: 'AAPL',
  qty: '10',
  side: 'buy',
  time_in_force: 'day',
  ...extra,
});

async function get(h: Harness, id: string) {
  return (await rest(h, 'GET', `/v2/orders/${id}`)).body;
}

function error(answer: { status: number; body: unknown }, status: number, body: unknown): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, body);
}

describe('fake Alpaca order types', () => {
  test('market buy: answered accepted, then fills at the ask; position, cash and activity follow', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, aapl({ type: 'market', client_order_id: 'm1' }));
      assert.equal(a.status, 200);
      assert.equal(a.body.status, 'accepted');
      assert.equal(a.body.client_order_id, 'm1');
      assert.equal(a.body.qty, '10');
      assert.equal(a.body.filled_qty, '0');
      assert.equal(a.body.order_class, '');
      assert.equal(a.body.expires_at, '2023-11-15T00:00:00.000000Z');
      const o = await get(h, a.body.id);
      assert.equal(o.status, 'filled');
      assert.equal(o.filled_qty, '10');
      assert.equal(o.filled_avg_price, '190.05');
      const [pos] = (await rest(h, 'GET', '/v2/positions')).body;
      assert.equal(pos.symbol, 'AAPL');
      assert.equal(pos.qty, '10');
      assert.equal(pos.avg_entry_price, '190.05');
      assert.equal(pos.cost_basis, '1900.5');
      assert.equal((await rest(h, 'GET', '/v2/positions/AAPL')).body.qty, '10');
      assert.equal((await rest(h, 'GET', '/v2/positions/SPY')).status, 404);
      const acct = (await rest(h, 'GET', '/v2/account')).body;
      assert.equal(acct.cash, '98099.5');
      assert.equal(acct.buying_power, '98099.5');
      const fills = (await rest(h, 'GET', '/v2/account/activities/FILL')).body;
      assert.equal(fills.length, 1);
      assert.equal(fills[0].order_id, a.body.id);
      assert.equal(fills[0].price, '190.05');
      assert.equal(fills[0].qty, '10');
      assert.equal(fills[0].type, 'fill');
    }));

  test('limit: rests as new, fills at its price when a trade goes through it', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, limitBuyBtc());
      assert.equal((await get(h, a.body.id)).status, 'new');
      h.fake.feedTrade('BTC/USD', '59000', '1');
      assert.equal((await get(h, a.body.id)).status, 'new', 'a trade at the limit does not fill it');
      h.fake.feedTrade('BTC/USD', '58999.99', '0.2');
      const partial = await get(h, a.body.id);
      assert.equal(partial.status, 'partially_filled');
      assert.equal(partial.filled_qty, '0.2');
      h.fake.feedTrade('BTC/USD', '58999', '1');
      const done = await get(h, a.body.id);
      assert.equal(done.status, 'filled');
      assert.equal(done.filled_avg_price, '59000');
      assert.equal(h.fake.balances().BTC?.total, '0.5');
      assert.equal(h.fake.balances().USD?.total, '70500');
    }));

  test('stop (equity): new until a trade reaches the stop, then a market order at the ask', () =>
    withFake(
      async (h) => {
        market(h);
        const a = await place(h, aapl({ type: 'stop', stop_price: '191' }));
        h.fake.feedTrade('AAPL', '190.99', '5');
        assert.equal((await get(h, a.body.id)).status, 'new');
        h.fake.feedQuote('AAPL', '191', '100', '191.02', '100');
        h.fake.feedTrade('AAPL', '191', '5');
        const o = await get(h, a.body.id);
        assert.equal(o.status, 'filled');
        assert.equal(o.filled_avg_price, '191.02');
        assert.equal(o.stop_price, '191');
      },
      { balances: { USD: '100000' } },
    ));

  test('stop_limit (crypto): triggers into a limit at its limit price', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, {
        ...limitBuyBtc(),
        type: 'stop_limit',
        stop_price: '60500',
        limit_price: '60600',
      });
      assert.equal(a.status, 200, a.text);
      h.fake.feedTrade('BTC/USD', '60500', '0.01');
      // Triggered: a buy limit at 60600 against the ask 60001 takes 0.5 at once.
      const o = await get(h, a.body.id);
      assert.equal(o.status, 'filled');
      assert.equal(o.filled_avg_price, '60001');
    }));

  test('trailing_stop with trail_price: hwm and stop_price follow the high; a fall of the trail triggers', () =>
    withFake(
      async (h) => {
        market(h);
        h.fake.feedTrade('AAPL', '190', '1');
        const a = await place(h, {
          symbol: 'AAPL',
          qty: '5',
          side: 'sell',
          type: 'trailing_stop',
          trail_price: '2',
          time_in_force: 'gtc',
        });
        assert.equal(a.status, 200, a.text);
        assert.equal(a.body.trail_price, '2');
        let o = await get(h, a.body.id);
        assert.equal(o.hwm, '190');
        assert.equal(o.stop_price, '188');
        h.fake.feedTrade('AAPL', '195', '1');
        o = await get(h, a.body.id);
        assert.equal(o.hwm, '195');
        assert.equal(o.stop_price, '193');
        h.fake.feedTrade('AAPL', '193.5', '1');
        assert.equal((await get(h, a.body.id)).status, 'new');
        h.fake.feedTrade('AAPL', '193', '1');
        o = await get(h, a.body.id);
        assert.equal(o.status, 'filled');
        assert.equal(o.filled_avg_price, '190', 'a market sell at the bid');
      },
      { balances: { USD: '1000', AAPL: '10' } },
    ));

  test('trailing_stop with trail_percent: the stop is rounded to the tick away from the market', () =>
    withFake(
      async (h) => {
        market(h);
        h.fake.feedTrade('AAPL', '190', '1');
        const a = await place(h, {
          symbol: 'AAPL',
          qty: '5',
          side: 'sell',
          type: 'trailing_stop',
          trail_percent: '1.5',
          time_in_force: 'day',
        });
        const o = await get(h, a.body.id);
        assert.equal(o.trail_percent, '1.5');
        assert.equal(o.stop_price, '187.15');
        h.fake.feedTrade('AAPL', '187.15', '1');
        assert.equal((await get(h, a.body.id)).status, 'filled');
      },
      { balances: { USD: '1000', AAPL: '10' } },
    ));

  test('notional (crypto market): qty null, the dollar amount at the ask down to the lot', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, {
        symbol: 'BTC/USD',
        notional: '500',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
      });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.body.notional, '500');
      assert.equal(a.body.qty, null);
      const o = await get(h, a.body.id);
      assert.equal(o.status, 'filled');
      assert.equal(o.filled_qty, '0.008333194');
    }));

  test('fractional equity qty: day market orders only', () =>
    withFake(
      async (h) => {
        h.fake.feedQuote('AAPL', '190', '100', '190.05', '100');
        assert.equal((await place(h, aapl({ qty: '1.5', type: 'market' }))).status, 200);
        error(await place(h, aapl({ qty: 1.5, type: 'market', time_in_force: 'gtc' })), 422, {
          code: 40010001,
          message: 'fractional orders must be DAY orders',
        });
        error(
          await place(h, { symbol: 'GME', qty: '0.5', side: 'buy', type: 'market', time_in_force: 'day' }),
          422,
          {
            code: 42210000,
            message: 'asset GME is not fractionable',
          },
        );
      },
      { assets: [{ symbol: 'AAPL' }, { symbol: 'GME', fractionable: false }] },
    ));

  test('ioc limit: the part the quote covers fills, the rest is canceled; an unfillable fok is canceled', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const ioc = await place(
        h,
        limitBuyBtc({ qty: '1.5', limit_price: '60001', time_in_force: 'ioc', client_order_id: 'ioc' }),
      );
      const o = await get(h, ioc.body.id);
      assert.equal(o.status, 'canceled');
      assert.equal(o.filled_qty, '1');
      const fok = await place(
        h,
        aapl({ qty: '200', type: 'limit', limit_price: '191', time_in_force: 'fok', client_order_id: 'fok' }),
      );
      const f = await get(h, fok.body.id);
      assert.equal(f.status, 'canceled');
      assert.equal(f.filled_qty, '0');
      await until(() => c.frames.length >= 5);
      assert.deepEqual(
        c.takeUpdates().map((u) => `${u.event}:${u.order.client_order_id}`),
        ['new:ioc', 'partial_fill:ioc', 'canceled:ioc', 'new:fok', 'canceled:fok'],
      );
      await c.close();
    }));

  test('a market order with no market at all is accepted, then rejected on the stream', () =>
    withFake(async (h) => {
      const c = await tradeUpdates(h);
      const a = await place(h, aapl({ type: 'market' }));
      assert.equal(a.status, 200);
      const o = await get(h, a.body.id);
      assert.equal(o.status, 'rejected');
      assert.notEqual(o.failed_at, null);
      await until(() => c.frames.length >= 2);
      assert.deepEqual(
        c.takeUpdates().map((u) => u.event),
        ['new', 'rejected'],
      );
      await c.close();
    }));

  test('opg and cls are taken for equity market and limit orders (as DAY orders)', () =>
    withFake(async (h) => {
      market(h);
      assert.equal((await place(h, aapl({ type: 'market', time_in_force: 'opg' }))).status, 200);
      assert.equal(
        (await place(h, aapl({ type: 'limit', limit_price: '100', time_in_force: 'cls' }))).status,
        200,
      );
      error(await place(h, aapl({ type: 'stop', stop_price: '200', time_in_force: 'opg' })), 422, {
        code: 40010001,
        message: 'opg orders must be market or limit orders',
      });
    }));

  test('DAY orders expire at the end of the UTC day, resting or waiting for their stop', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, aapl({ type: 'limit', limit_price: '150' }));
      const b = await place(h, aapl({ type: 'stop', stop_price: '250' }));
      const c = await place(h, limitBuyBtc());
      h.clock.t = DAY_END;
      assert.equal((await get(h, a.body.id)).status, 'expired');
      assert.equal((await get(h, b.body.id)).status, 'expired');
      assert.equal((await get(h, c.body.id)).status, 'new', 'gtc stays');
      assert.equal((await rest(h, 'GET', '/v2/account')).body.buying_power, '70500');
    }));
});

describe('fake Alpaca refusals', () => {
  test('sub-penny prices: the documented 422 bodies', () =>
    withFake(async (h) => {
      error(await place(h, aapl({ type: 'limit', limit_price: '290.123' })), 422, {
        code: 42210000,
        message: 'invalid limit_price 290.123. sub-penny increment does not fulfill minimum pricing criteria',
      });
      error(await place(h, aapl({ type: 'stop', stop_price: 290.123 })), 422, {
        code: 42210000,
        message: 'invalid stop_price 290.123. sub-penny increment does not fulfill minimum pricing criteria',
      });
      // Below $1 four decimals are allowed.
      assert.equal((await place(h, aapl({ type: 'limit', limit_price: '0.1234' }))).status, 200);
    }));

  test('crypto: simple market / limit / stop_limit orders, gtc or ioc only', () =>
    withFake(async (h) => {
      market(h);
      for (const tif of ['day', 'fok', 'opg', 'cls'])
        error(await place(h, limitBuyBtc({ time_in_force: tif })), 422, {
          code: 42210000,
          message: 'invalid crypto time_in_force',
        });
      error(
        await place(h, { ...limitBuyBtc(), type: 'stop', stop_price: '61000', limit_price: undefined }),
        422,
        {
          code: 40010001,
          message: 'invalid order type for crypto order',
        },
      );
      error(
        await place(h, {
          ...limitBuyBtc(),
          type: 'trailing_stop',
          trail_percent: '1',
          limit_price: undefined,
        }),
        422,
        { code: 40010001, message: 'invalid order type for crypto order' },
      );
      error(
        await place(h, {
          ...limitBuyBtc(),
          order_class: 'bracket',
          take_profit: { limit_price: '61000' },
          stop_loss: { stop_price: '58000' },
        }),
        422,
        { code: 40010001, message: 'crypto orders not allowed for order_class bracket' },
      );
      assert.equal(h.fake.orderRecords().length, 0);
    }));

  test('client_order_id is unique for ever: reuse after a cancel is 422', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, limitBuyBtc({ client_order_id: 'once' }));
      assert.equal((await rest(h, 'DELETE', `/v2/orders/${a.body.id}`)).status, 204);
      error(await place(h, limitBuyBtc({ client_order_id: 'once' })), 422, {
        code: 40010001,
        message: 'client_order_id must be unique',
      });
      assert.equal(h.fake.orderRecords().length, 1);
    }));

  test('buying power and positions: 403 with Alpaca’s extra fields', () =>
    withFake(
      async (h) => {
        market(h);
        error(await place(h, aapl({ type: 'limit', limit_price: '150' })), 403, {
          buying_power: '1000',
          code: 40310000,
          cost_basis: '1500',
          message: 'insufficient buying power',
        });
        error(await place(h, { ...aapl({ type: 'market' }), side: 'sell' }), 403, {
          available: '0',
          code: 40310000,
          existing_qty: '0',
          held_for_orders: '0',
          message: 'insufficient qty available for order (requested: 10, available: 0)',
          symbol: 'AAPL',
        });
        error(await place(h, limitBuyBtc()), 403, {
          available: '1000',
          balance: '1000',
          code: 40310000,
          message: 'insufficient balance for USD (requested: 29500, available: 1000)',
          symbol: 'USD',
        });
        // A resting order holds its cash: a second one that would need it is refused.
        assert.equal((await place(h, aapl({ qty: '6', type: 'limit', limit_price: '150' }))).status, 200);
        assert.equal((await place(h, aapl({ qty: '1', type: 'limit', limit_price: '150' }))).status, 403);
      },
      { balances: { USD: '1000' } },
    ));

  test('field errors: required fields, enums, qty xor notional, extended hours, bodies', () =>
    withFake(async (h) => {
      const msg = async (o: Record<string, unknown>) => (await place(h, o)).body.message;
      assert.equal(
        await msg({ qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }),
        'symbol is required',
      );
      assert.equal(await msg(aapl({ type: 'market', side: 'long' })), 'invalid side');
      assert.equal(await msg(aapl({ type: 'market', time_in_force: 'gtd' })), 'invalid time_in_force');
      assert.equal(
        await msg(aapl({ type: 'market', notional: '100' })),
        'only one of qty or notional may be specified',
      );
      assert.equal(await msg({ ...aapl({ type: 'market' }), qty: undefined }), 'qty or notional is required');
      assert.equal(await msg(aapl({ type: 'limit' })), 'limit orders require a limit price');
      assert.equal(
        await msg(aapl({ type: 'stop_limit', limit_price: '1' })),
        'stop limit orders require a stop price',
      );
      assert.equal(
        await msg(aapl({ type: 'market', extended_hours: true })),
        'only type="limit" is allowed for extended hours orders',
      );
      assert.equal(await msg(aapl({ type: 'market', symbol: 'NOPE' })), 'asset NOPE not found');
      error(await rest(h, 'POST', '/v2/orders', undefined, { rawBody: '{"symbol":' }), 400, {
        code: 40010000,
        message: 'request body format is invalid',
      });
      assert.equal(
        (await place(h, aapl({ type: 'limit', limit_price: '100', extended_hours: true }))).status,
        200,
      );
    }));
});

describe('fake Alpaca replace and cancel', () => {
  test('PATCH gives a new order id; the old one is replaced, linked both ways; events replaced then new', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const a = await place(h, limitBuyBtc({ client_order_id: 'r0' }));
      const r = await rest(h, 'PATCH', `/v2/orders/${a.body.id}`, {
        limit_price: '59500',
        client_order_id: 'r1',
      });
      assert.equal(r.status, 200, r.text);
      assert.notEqual(r.body.id, a.body.id);
      assert.equal(r.body.replaces, a.body.id);
      assert.equal(r.body.client_order_id, 'r1');
      assert.equal(r.body.limit_price, '59500');
      assert.equal(r.body.qty, '0.5');
      const old = await get(h, a.body.id);
      assert.equal(old.status, 'replaced');
      assert.equal(old.replaced_by, r.body.id);
      assert.notEqual(old.replaced_at, null);
      assert.equal((await get(h, r.body.id)).status, 'new');
      await until(() => c.frames.length >= 3);
      assert.deepEqual(
        c.takeUpdates().map((u) => `${u.event}:${u.order.client_order_id}:${u.order.status}`),
        ['new:r0:new', 'replaced:r0:replaced', 'new:r1:new'],
      );
      error(await rest(h, 'PATCH', `/v2/orders/${r.body.id}`, { limit_price: '59500' }), 403, {
        code: 40310000,
        message: 'order parameters are not changed',
      });
      error(await rest(h, 'PATCH', `/v2/orders/${a.body.id}`, { limit_price: '59600' }), 422, {
        code: 42210000,
        message: 'order is already in "replaced" state',
      });
      // The new order keeps what was filled on the old one: a partial fill, then a replace of the rest.
      h.fake.feedTrade('BTC/USD', '59499', '0.2');
      const r2 = await rest(h, 'PATCH', `/v2/orders/${r.body.id}`, { qty: '0.6' });
      assert.equal(r2.body.qty, '0.4');
      await c.close();
    }));

  test('DELETE: 204 with no body, canceled on the stream; again 422; unknown 404', () =>
    withFake(async (h) => {
      market(h);
      const c = await tradeUpdates(h);
      const a = await place(h, limitBuyBtc());
      const d = await rest(h, 'DELETE', `/v2/orders/${a.body.id}`);
      assert.equal(d.status, 204);
      assert.equal(d.text, '');
      const o = await get(h, a.body.id);
      assert.equal(o.status, 'canceled');
      assert.notEqual(o.canceled_at, null);
      await c.waitFor((f) => f.data?.event === 'canceled');
      error(await rest(h, 'DELETE', `/v2/orders/${a.body.id}`), 422, {
        code: 42210000,
        message: 'order is already in "canceled" state',
      });
      error(await rest(h, 'DELETE', '/v2/orders/00000000-0000-4000-8000-000000000000'), 404, {
        code: 40410000,
        message: 'order is not found.',
      });
      assert.equal((await rest(h, 'GET', '/v2/account')).body.buying_power, '100000', 'the lock is released');
      await c.close();
    }));

  test('DELETE /v2/orders: 207 with {id, status, body} per open order', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, limitBuyBtc());
      const b = await place(h, aapl({ type: 'limit', limit_price: '150' }));
      await place(h, aapl({ type: 'market' }));
      const all = await rest(h, 'DELETE', '/v2/orders');
      assert.equal(all.status, 207);
      assert.deepEqual(
        all.body.map((r: { id: string; status: number; body: { status: string } }) => [
          r.id,
          r.status,
          r.body.status,
        ]),
        [
          [a.body.id, 200, 'canceled'],
          [b.body.id, 200, 'canceled'],
        ],
      );
      assert.deepEqual((await rest(h, 'DELETE', '/v2/orders')).body, []);
    }));
});

describe('fake Alpaca reads', () => {
  test('GET /v2/orders: status, limit, direction, symbols, side; by id and by client order id', () =>
    withFake(async (h) => {
      market(h);
      const a = await place(h, limitBuyBtc({ client_order_id: 'a' }));
      h.clock.advance(1000);
      const b = await place(h, aapl({ type: 'market', client_order_id: 'b' }));
      h.clock.advance(1000);
      const c = await place(h, aapl({ type: 'limit', limit_price: '100', client_order_id: 'c' }));
      const ids = async (q: string) =>
        (await rest(h, 'GET', `/v2/orders${q}`)).body.map(
          (o: { client_order_id: string }) => o.client_order_id,
        );
      assert.deepEqual(await ids(''), ['c', 'a']);
      assert.deepEqual(await ids('?status=closed'), ['b']);
      assert.deepEqual(await ids('?status=all'), ['c', 'b', 'a']);
      assert.deepEqual(await ids('?status=all&direction=asc&limit=2'), ['a', 'b']);
      assert.deepEqual(await ids('?status=all&symbols=BTCUSD'), ['a']);
      assert.deepEqual(await ids('?status=all&symbols=BTC/USD,AAPL&side=sell'), []);
      assert.deepEqual(
        await ids(`?status=all&after=${encodeURIComponent(new Date(h.clock.t - 1500).toISOString())}`),
        ['c', 'b'],
      );
      assert.equal((await rest(h, 'GET', '/v2/orders?status=pending')).status, 422);
      assert.equal((await rest(h, 'GET', '/v2/orders?limit=501')).status, 422);
      const byCid = await rest(h, 'GET', '/v2/orders:by_client_order_id?client_order_id=b');
      assert.equal(byCid.body.id, b.body.id);
      assert.equal((await rest(h, 'GET', '/v2/orders:by_client_order_id?client_order_id=zz')).status, 404);
      assert.equal((await get(h, a.body.id)).client_order_id, 'a');
      assert.equal((await get(h, c.body.id)).status, 'new');
    }));

  test('FILL activities: since a time, both directions, paged with page_token', () =>
    withFake(async (h) => {
      market(h);
      await place(h, aapl({ type: 'market', qty: '1' }));
      h.clock.advance(1000);
      await place(h, aapl({ type: 'market', qty: '2' }));
      h.clock.advance(1000);
      await place(h, aapl({ type: 'market', qty: '3' }));
      const qtys = async (q: string) =>
        (await rest(h, 'GET', `/v2/account/activities/FILL${q}`)).body.map((a: { qty: string }) => a.qty);
      assert.deepEqual(await qtys(''), ['3', '2', '1']);
      assert.deepEqual(await qtys('?direction=asc'), ['1', '2', '3']);
      assert.deepEqual(await qtys(`?after=${new Date(h.clock.t - 1500).toISOString()}`), ['3', '2']);
      const page = (await rest(h, 'GET', '/v2/account/activities/FILL?page_size=2')).body;
      assert.equal(page.length, 2);
      assert.deepEqual(await qtys(`?page_size=2&page_token=${encodeURIComponent(page[1].id)}`), ['1']);
      assert.deepEqual(
        (await rest(h, 'GET', '/v2/account/activities?activity_types=FILL,DIV')).body.length,
        3,
      );
      assert.deepEqual((await rest(h, 'GET', '/v2/account/activities/DIV')).body, []);
      error(await rest(h, 'GET', '/v2/account/activities/FFFFF'), 422, {
        code: 40010001,
        message: 'invalid activity type: FFFFF',
      });
    }));

  test('assets: by symbol (slash, legacy, encoded) and listed by class', () =>
    withFake(async (h) => {
      const btc = (await rest(h, 'GET', '/v2/assets/BTC/USD')).body;
      assert.deepEqual(btc, {
        id: '276e2673-764b-4ab6-a611-caf665ca6340',
        class: 'crypto',
        exchange: 'CRYPTO',
        symbol: 'BTC/USD',
        name: 'Bitcoin / US Dollar',
        status: 'active',
        tradable: true,
        marginable: false,
        maintenance_margin_requirement: 100,
        margin_requirement_long: '100',
        margin_requirement_short: '100',
        shortable: false,
        easy_to_borrow: false,
        fractionable: true,
        attributes: [],
        min_order_size: '0.0001',
        min_trade_increment: '0.000000001',
        price_increment: '0.01',
      });
      assert.equal((await rest(h, 'GET', '/v2/assets/BTCUSD')).body.symbol, 'BTC/USD');
      assert.equal((await rest(h, 'GET', '/v2/assets/BTC%2FUSD')).body.symbol, 'BTC/USD');
      assert.equal((await rest(h, 'GET', '/v2/assets/AAPL')).body.fractionable, true);
      assert.equal((await rest(h, 'GET', '/v2/assets/NOPE')).status, 404);
      const crypto = (await rest(h, 'GET', '/v2/assets?asset_class=crypto')).body;
      assert.deepEqual(
        crypto.map((a: { symbol: string }) => a.symbol),
        ['BTC/USD', 'ETH/USD'],
      );
    }));
});
