// Managing orders on the fake Coinbase: edit keeps the order_id and records edit_history; edit
// failures come back HTTP 200 `success: false` with Coinbase's reasons; batch_cancel answers per
// order; the historical list (filters, OPEN hiding nothing else, newest first, cursor paging),
// fills, accounts and products read as Coinbase writes them; there is no lookup by client id.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getOrder, type Harness, isoAt, orderBody, place, rest, T0, withFake } from './fake-test-kit.ts';

const limit = (
  id: string,
  side: 'BUY' | 'SELL',
  size: string,
  price: string,
  product = 'BTC-USD',
  postOnly = false,
) =>
  orderBody(
    id,
    side,
    { limit_limit_gtc: { base_size: size, limit_price: price, post_only: postOnly } },
    product,
  );

async function edit(h: Harness, body: Record<string, unknown>) {
  const res = await rest(h, 'POST', '/orders/edit', { body });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** Asserts an edit failed with these reasons. */
// biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely in tests
function editRefused(body: any, reason: string, preview = 'UNKNOWN_PREVIEW_FAILURE_REASON'): void {
  assert.equal(body.success, false, JSON.stringify(body));
  assert.deepEqual(body.errors, [{ edit_failure_reason: reason, preview_failure_reason: preview }]);
}

describe('fake Coinbase: edit', () => {
  test('an edit keeps the order_id, changes price and size, and appends edit_history', () =>
    withFake(async (h) => {
      const res = await place(h, limit('e-1', 'BUY', '0.1', '50000'));
      h.clock.advance(1000);
      const body = await edit(h, { order_id: res.order_id, price: '50100', size: '0.2' });
      assert.deepEqual(body, { success: true, success_response: { order_id: res.order_id }, errors: [] });
      const o = await getOrder(h, res.order_id);
      assert.equal(o.order_id, res.order_id);
      assert.equal(o.client_order_id, 'e-1');
      assert.equal(o.status, 'OPEN');
      assert.deepEqual(o.order_configuration, {
        limit_limit_gtc: { base_size: '0.2', limit_price: '50100', post_only: false },
      });
      assert.deepEqual(o.edit_history, [
        { price: '50100', size: '0.2', replace_accept_timestamp: isoAt(T0 + 1000) },
      ]);
      assert.equal(o.outstanding_hold_amount, '10100.16'); // 10020 + 0.8 %
      assert.equal(h.fake.orderRecords().length, 1);
    }));

  test('an edit that crosses the book trades at once', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const res = await place(h, limit('e-2', 'BUY', '0.1', '59000'));
      assert.equal((await edit(h, { order_id: res.order_id, price: '60001', size: '0.1' })).success, true);
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.average_filled_price, '60001');
    }));

  test('size below what is filled, omitted fields and unchanged requests are refused', () =>
    withFake(async (h) => {
      const res = await place(h, limit('e-3', 'BUY', '0.1', '60000'));
      const id = res.order_id;
      editRefused(await edit(h, { order_id: id, price: '60000' }), 'INVALID_EDITED_SIZE');
      editRefused(
        await edit(h, { order_id: id, size: '0.1' }),
        'INVALID_EDITED_PRICE',
        'PREVIEW_INVALID_PRICE_PRECISION',
      );
      editRefused(
        await edit(h, { order_id: id, price: '60000', size: '0.1' }),
        'EDIT_REQUEST_EQUAL_TO_ORIGINAL_REQUEST',
      );
      editRefused(
        await edit(h, { order_id: id, price: '60000.001', size: '0.1' }),
        'INVALID_EDITED_PRICE',
        'PREVIEW_INVALID_PRICE_PRECISION',
      );
      editRefused(
        await edit(h, { order_id: id, price: '60000', size: '0.1000000001' }),
        'INVALID_EDITED_SIZE',
        'PREVIEW_INVALID_SIZE_PRECISION',
      );
      h.fake.feedTrade('BTC-USD', '59999.99', '0.04');
      assert.equal((await getOrder(h, id)).filled_size, '0.04');
      editRefused(await edit(h, { order_id: id, price: '60000' }), 'CANNOT_EDIT_TO_BELOW_FILLED_SIZE');
      editRefused(
        await edit(h, { order_id: id, price: '60000', size: '0.04' }),
        'CANNOT_EDIT_TO_BELOW_FILLED_SIZE',
      );
      assert.equal((await edit(h, { order_id: id, price: '60000', size: '0.05' })).success, true);
      h.fake.feedTrade('BTC-USD', '59999.99', '1');
      const o = await getOrder(h, id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.filled_size, '0.05');
      editRefused(
        await edit(h, { order_id: id, price: '60000', size: '0.06' }),
        'ONLY_OPEN_ORDERS_CAN_BE_EDITED',
      );
      editRefused(await edit(h, { order_id: 'no-such-order', price: '1', size: '1' }), 'ORDER_NOT_FOUND');
      const missing = await rest(h, 'POST', '/orders/edit', { body: { price: '1', size: '1' } });
      assert.equal(missing.status, 400);
      assert.match(missing.body.error_details, /order_id is required/);
    }));

  test('only GTC orders not sized in quote can be edited; post-only and funds are checked', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const gtd = await place(
        h,
        orderBody('e-gtd', 'BUY', {
          limit_limit_gtd: { base_size: '0.1', limit_price: '50000', end_time: isoAt(T0 + 60_000) },
        }),
      );
      editRefused(
        await edit(h, { order_id: gtd.order_id, price: '50001', size: '0.1' }),
        'ONLY_LIMIT_ORDER_EDITS_SUPPORTED',
      );
      const quoted = await place(
        h,
        orderBody('e-q', 'BUY', { limit_limit_gtc: { quote_size: '1000', limit_price: '50000' } }),
      );
      assert.equal((await getOrder(h, quoted.order_id)).filled_size, '0');
      editRefused(
        await edit(h, { order_id: quoted.order_id, price: '50001', size: '0.02' }),
        'SIZE_IN_QUOTE_EDITS_NOT_ALLOWED',
      );
      const po = await place(h, limit('e-po', 'BUY', '0.1', '59000', 'BTC-USD', true));
      editRefused(
        await edit(h, { order_id: po.order_id, price: '60001', size: '0.1' }),
        'INVALID_EDITED_PRICE',
        'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY',
      );
      editRefused(
        await edit(h, { order_id: po.order_id, price: '59000', size: '100' }),
        'COMMANDER_REJECTED_EDIT_ORDER',
        'PREVIEW_INSUFFICIENT_FUND',
      );
      assert.equal((await getOrder(h, po.order_id)).order_configuration.limit_limit_gtc.base_size, '0.1');
    }));

  test('a stop-limit edit moves its limit, size and stop price; the reservation follows', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const res = await place(
        h,
        orderBody('e-sl', 'BUY', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.1',
            limit_price: '61100',
            stop_price: '61000',
            stop_direction: 'STOP_DIRECTION_STOP_UP',
          },
        }),
      );
      const body = await edit(h, {
        order_id: res.order_id,
        price: '62100',
        size: '0.2',
        stop_price: '62000',
      });
      assert.equal(body.success, true);
      let o = await getOrder(h, res.order_id);
      assert.deepEqual(o.order_configuration.stop_limit_stop_limit_gtc, {
        base_size: '0.2',
        limit_price: '62100',
        stop_price: '62000',
        stop_direction: 'STOP_DIRECTION_STOP_UP',
      });
      assert.equal(o.outstanding_hold_amount, '12519.36'); // 12420 + 0.8 %
      editRefused(
        await edit(h, { order_id: res.order_id, price: '62100', size: '0.2', stop_price: '59000' }),
        'COMMANDER_REJECTED_EDIT_ORDER',
        'PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE',
      );
      h.fake.feedTrade('BTC-USD', '61500', '1');
      assert.equal((await getOrder(h, res.order_id)).trigger_status, 'STOP_PENDING');
      h.fake.feedTrade('BTC-USD', '62000', '1');
      o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.filled_size, '0.2');
      editRefused(
        await edit(h, { order_id: res.order_id, price: '1', size: '1', stop_price: '1' }),
        'ONLY_OPEN_ORDERS_CAN_BE_EDITED',
      );
    }));

  test('a bracket edit re-prices the take-profit and the stop trigger', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const res = await place(
        h,
        orderBody('e-b', 'SELL', {
          trigger_bracket_gtc: { base_size: '0.1', limit_price: '62000', stop_trigger_price: '58000' },
        }),
      );
      editRefused(
        await edit(h, { order_id: res.order_id, price: '57000', size: '0.1' }),
        'INVALID_EDITED_PRICE',
        'PREVIEW_INVALID_STOP_PRICE',
      );
      assert.equal(
        (await edit(h, { order_id: res.order_id, price: '61000', size: '0.1', stop_price: '59000' })).success,
        true,
      );
      h.fake.feedTrade('BTC-USD', '61000.01', '1');
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.average_filled_price, '61000');
      assert.equal(o.order_configuration.trigger_bracket_gtc.stop_trigger_price, '59000');
    }));
});

describe('fake Coinbase: batch_cancel', () => {
  test('per-order results: cancelled, unknown, filled, already cancelled', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const a = await place(h, limit('c-a', 'BUY', '0.1', '50000'));
      const m = await place(h, orderBody('c-m', 'BUY', { market_market_ioc: { base_size: '0.01' } }));
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const s = await place(
        h,
        orderBody('c-s', 'SELL', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.5',
            limit_price: '55000',
            stop_price: '55100',
            stop_direction: 'STOP_DIRECTION_STOP_DOWN',
          },
        }),
      );
      const res = await rest(h, 'POST', '/orders/batch_cancel', {
        body: { order_ids: [a.order_id, 'unknown-id', m.order_id, a.order_id, s.order_id] },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        results: [
          { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: a.order_id },
          { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: 'unknown-id' },
          { success: false, failure_reason: 'ORDER_IS_FULLY_FILLED', order_id: m.order_id },
          { success: false, failure_reason: 'DUPLICATE_CANCEL_REQUEST', order_id: a.order_id },
          { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: s.order_id },
        ],
      });
      const o = await getOrder(h, a.order_id);
      assert.equal(o.status, 'CANCELLED');
      assert.equal(o.cancel_message, 'User requested cancel');
      assert.equal((await getOrder(h, s.order_id)).status, 'CANCELLED');
      assert.deepEqual(h.fake.balances().USD?.hold, '0');
      assert.deepEqual(h.fake.balances().BTC?.hold, '0');
    }));

  test('order_ids must be a non-empty list of at most 100 ids', () =>
    withFake(async (h) => {
      for (const body of [
        {},
        { order_ids: [] },
        { order_ids: [1] },
        { order_ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) },
      ]) {
        const res = await rest(h, 'POST', '/orders/batch_cancel', { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error, 'INVALID_ARGUMENT');
      }
    }));
});

describe('fake Coinbase: lists, fills, accounts, products', () => {
  test('historical/batch filters by status, product, side and type, newest first, with cursor paging', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const l1 = await place(h, limit('h-1', 'BUY', '0.1', '50000'));
      const m = await place(h, orderBody('h-2', 'BUY', { market_market_ioc: { base_size: '0.01' } }));
      const l2 = await place(h, limit('h-3', 'SELL', '1', '4000', 'ETH-USD'));
      const c = await place(h, limit('h-4', 'BUY', '0.1', '49000'));
      await rest(h, 'POST', '/orders/batch_cancel', { body: { order_ids: [c.order_id] } });
      const ids = async (query: string) => {
        const res = await rest(h, 'GET', '/orders/historical/batch', { query });
        assert.equal(res.status, 200, res.text);
        return res.body.orders.map((o: { order_id: string }) => o.order_id);
      };
      assert.deepEqual(await ids('order_status=OPEN'), [l2.order_id, l1.order_id]);
      assert.deepEqual(await ids('order_status=OPEN&product_id=BTC-USD'), [l1.order_id]);
      assert.deepEqual(await ids('product_ids=BTC-USD&product_ids=ETH-USD&order_side=SELL'), [l2.order_id]);
      assert.deepEqual(await ids('order_status=FILLED'), [m.order_id]);
      assert.deepEqual(await ids('order_status=OPEN&order_status=CANCELLED&product_id=BTC-USD'), [
        c.order_id,
        l1.order_id,
      ]);
      assert.deepEqual(await ids('order_types=MARKET'), [m.order_id]);
      assert.deepEqual(await ids(`order_ids=${l1.order_id}&order_ids=${c.order_id}`), [
        c.order_id,
        l1.order_id,
      ]);
      assert.deepEqual(await ids(`start_date=${encodeURIComponent(isoAt(T0 + 1))}`), []);
      const first = await rest(h, 'GET', '/orders/historical/batch', { query: 'limit=3' });
      assert.equal(first.body.has_next, true);
      assert.equal(first.body.sequence, '0');
      assert.equal(first.body.orders.length, 3);
      const second = await rest(h, 'GET', '/orders/historical/batch', {
        query: `limit=3&cursor=${first.body.cursor}`,
      });
      assert.equal(second.body.has_next, false);
      assert.equal(second.body.cursor, '');
      assert.deepEqual(
        second.body.orders.map((o: { order_id: string }) => o.order_id),
        [l1.order_id],
      );
      const bad = await rest(h, 'GET', '/orders/historical/batch', {
        query: 'order_status=PARTIALLY_FILLED',
      });
      assert.equal(bad.status, 400);
    }));

  test('there is no lookup by client order id: an unknown id is 404 NOT_FOUND', () =>
    withFake(async (h) => {
      await place(h, limit('my-client-id', 'BUY', '0.1', '50000'));
      const res = await rest(h, 'GET', '/orders/historical/my-client-id');
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'NOT_FOUND');
    }));

  test('fills: per order and product, from a sequence timestamp, newest first, cursor paging', () =>
    withFake(async (h) => {
      const a = await place(h, limit('f-a', 'BUY', '0.1', '60000'));
      h.fake.feedTrade('BTC-USD', '59999', '0.03');
      h.clock.advance(1000);
      h.fake.feedTrade('BTC-USD', '59999', '0.03');
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const b = await place(h, orderBody('f-b', 'BUY', { market_market_ioc: { base_size: '0.01' } }));
      const all = await rest(h, 'GET', '/orders/historical/fills');
      assert.equal(all.status, 200);
      assert.equal(all.body.fills.length, 3);
      assert.equal(all.body.cursor, '');
      const [last, second, first] = all.body.fills;
      assert.equal(last.order_id, b.order_id);
      assert.equal(last.liquidity_indicator, 'TAKER');
      assert.equal(last.price, '60001');
      assert.equal(last.commission, '4.80008');
      assert.deepEqual(
        {
          ...first,
          entry_id: undefined,
          trade_id: undefined,
          user_id: undefined,
          retail_portfolio_id: undefined,
        },
        {
          entry_id: undefined,
          trade_id: undefined,
          order_id: a.order_id,
          trade_time: isoAt(T0),
          trade_type: 'FILL',
          price: '60000',
          size: '0.03',
          commission: '10.8', // maker 0.6 % of 1800
          product_id: 'BTC-USD',
          sequence_timestamp: isoAt(T0),
          liquidity_indicator: 'MAKER',
          size_in_quote: false,
          user_id: undefined,
          side: 'BUY',
          retail_portfolio_id: undefined,
          cursor: '1',
        },
      );
      assert.equal(
        last.sequence_timestamp,
        '2023-11-14T22:13:21.000001Z',
        'fills in the same ms count microseconds',
      );
      assert.equal(second.sequence_timestamp, '2023-11-14T22:13:21.000000Z');
      const ofA = await rest(h, 'GET', '/orders/historical/fills', { query: `order_id=${a.order_id}` });
      assert.equal(ofA.body.fills.length, 2);
      const since = await rest(h, 'GET', '/orders/historical/fills', {
        query: `start_sequence_timestamp=${encodeURIComponent('2023-11-14T22:13:21Z')}`,
      });
      assert.equal(since.body.fills.length, 2);
      const page = await rest(h, 'GET', '/orders/historical/fills', { query: 'limit=2' });
      assert.equal(page.body.fills.length, 2);
      const rest2 = await rest(h, 'GET', '/orders/historical/fills', {
        query: `limit=2&cursor=${page.body.cursor}`,
      });
      assert.equal(rest2.body.fills[0].trade_id, first.trade_id);
      assert.equal(
        (await rest(h, 'GET', '/orders/historical/fills', { query: 'product_id=ETH-USD' })).body.fills.length,
        0,
      );
    }));

  test('accounts show available and hold per currency; products show increments and the market', () =>
    withFake(async (h) => {
      await place(h, limit('a-1', 'BUY', '0.1', '50000'));
      const res = await rest(h, 'GET', '/accounts');
      assert.equal(res.status, 200);
      assert.equal(res.body.has_next, false);
      const byCurrency = (c: string) => res.body.accounts.find((a: { currency: string }) => a.currency === c);
      const usd = byCurrency('USD');
      assert.deepEqual(usd.available_balance, { value: '94960', currency: 'USD' });
      assert.deepEqual(usd.hold, { value: '5040', currency: 'USD' });
      assert.equal(usd.type, 'ACCOUNT_TYPE_FIAT');
      assert.equal(byCurrency('BTC').type, 'ACCOUNT_TYPE_CRYPTO');
      const one = await rest(h, 'GET', `/accounts/${usd.uuid}`);
      assert.equal(one.body.account.uuid, usd.uuid);
      const paged = await rest(h, 'GET', '/accounts', { query: 'limit=1' });
      assert.equal(paged.body.accounts.length, 1);
      assert.equal(paged.body.has_next, true);
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001.5', '1');
      h.fake.feedTrade('BTC-USD', '60000.5', '0.1');
      const p = await rest(h, 'GET', '/products/BTC-USD');
      assert.equal(p.status, 200);
      for (const [k, v] of Object.entries({
        product_id: 'BTC-USD',
        base_increment: '0.00000001',
        quote_increment: '0.01',
        price_increment: '0.01',
        base_min_size: '0.00000001',
        base_max_size: '3400',
        quote_min_size: '1',
        quote_max_size: '150000000',
        status: 'online',
        product_type: 'SPOT',
        price: '60000.5',
        best_bid_price: '60000',
        best_ask_price: '60001.5',
        mid_market_price: '60000.75',
        base_currency_id: 'BTC',
        quote_currency_id: 'USD',
      }))
        assert.equal(p.body[k], v, k);
      const list = await rest(h, 'GET', '/products');
      assert.equal(list.body.num_products, 2);
      assert.equal((await rest(h, 'GET', '/products/NOPE-USD')).status, 404);
    }));
});
