// Placing orders on the fake Coinbase: every order_configuration it takes (market by base and by
// quote, sor_limit_ioc, limit gtc / gtd / fok, stop-limit gtc / gtd, trigger bracket gtc / gtd),
// matched with the paper matcher in exact units; HTTP-200 `success: false` rejections that create
// no order; 400 INVALID_ARGUMENT for malformed requests; the client_order_id safeguard.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getOrder, type Harness, isoAt, orderBody, place, rest, T0, withFake } from './fake-test-kit.ts';

/** Asserts a create answer is a business rejection with these reasons, and nothing was created. */
// biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely in tests
function rejected(h: Harness, body: any, error: string, preview: string, before: number): void {
  assert.equal(body.success, false, JSON.stringify(body));
  assert.equal(body.failure_reason, 'UNKNOWN_FAILURE_REASON');
  assert.equal(body.order_id, '');
  assert.equal(body.error_response.error, error);
  assert.equal(body.error_response.preview_failure_reason, preview);
  assert.equal(body.error_response.new_order_failure_reason, error);
  assert.equal(typeof body.error_response.message, 'string');
  assert.ok(body.order_configuration !== undefined);
  assert.equal(h.fake.orderRecords().length, before, 'a rejected create leaves no order');
}

const GET_ORDER_FIELDS = [
  'order_id',
  'product_id',
  'user_id',
  'order_configuration',
  'side',
  'client_order_id',
  'status',
  'time_in_force',
  'created_time',
  'completion_percentage',
  'filled_size',
  'average_filled_price',
  'fee',
  'number_of_fills',
  'filled_value',
  'pending_cancel',
  'size_in_quote',
  'total_fees',
  'size_inclusive_of_fees',
  'total_value_after_fees',
  'trigger_status',
  'order_type',
  'reject_reason',
  'settled',
  'product_type',
  'reject_message',
  'cancel_message',
  'order_placement_source',
  'outstanding_hold_amount',
  'is_liquidation',
  'last_fill_time',
  'leverage',
  'margin_type',
  'retail_portfolio_id',
  'originating_order_id',
  'attached_order_id',
  'edit_history',
];

describe('fake Coinbase: market and limit orders', () => {
  test('market_market_ioc by base_size fills at the ask; the order reads as Coinbase writes it', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const body = orderBody('m-1', 'BUY', { market_market_ioc: { base_size: '0.01' } });
      const res = await place(h, body);
      assert.equal(res.success, true);
      assert.equal(res.failure_reason, 'UNKNOWN_FAILURE_REASON');
      assert.equal(res.order_id, res.success_response.order_id);
      assert.match(res.order_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(res.success_response, {
        order_id: res.order_id,
        product_id: 'BTC-USD',
        side: 'BUY',
        client_order_id: 'm-1',
      });
      assert.deepEqual(res.order_configuration, body.order_configuration);
      const o = await getOrder(h, res.order_id);
      for (const f of GET_ORDER_FIELDS) assert.ok(f in o, `order field ${f}`);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.order_type, 'MARKET');
      assert.equal(o.time_in_force, 'IMMEDIATE_OR_CANCEL');
      assert.equal(o.trigger_status, 'INVALID_ORDER_TYPE');
      assert.equal(o.filled_size, '0.01');
      assert.equal(o.average_filled_price, '60001');
      assert.equal(o.filled_value, '600.01');
      assert.equal(o.total_fees, '4.80008'); // taker 0.8 %
      assert.equal(o.total_value_after_fees, '604.81008');
      assert.equal(o.completion_percentage, '100.00');
      assert.equal(o.number_of_fills, '1');
      assert.equal(o.size_in_quote, false);
      assert.equal(o.settled, true);
      assert.equal(o.created_time, isoAt(T0));
      assert.equal(o.last_fill_time, isoAt(T0));
      const bal = h.fake.balances();
      assert.equal(bal.BTC?.available, '2.01');
      assert.equal(bal.USD?.available, '99395.18992');
    }));

  test('market_market_ioc by quote_size buys floor(quote / ask) lots', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const res = await place(h, orderBody('m-q', 'BUY', { market_market_ioc: { quote_size: '100' } }));
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.size_in_quote, true);
      assert.equal(o.filled_size, '0.00166663'); // 100 / 60001 = 0.0016666388…
      assert.equal(o.filled_value, '99.99946663');
    }));

  test('a market sell larger than the bid fills what is shown; the remainder is CANCELLED', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '59999', '0.5', '60001', '1');
      const res = await place(h, orderBody('m-s', 'SELL', { market_market_ioc: { base_size: '0.8' } }));
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'CANCELLED');
      assert.equal(o.filled_size, '0.5');
      assert.equal(o.completion_percentage, '62.50');
      assert.equal(o.total_value_after_fees, '29759.504'); // 29999.5 less 0.8 %
      assert.equal(h.fake.balances().BTC?.available, '1.5');
    }));

  test('limit_limit_gtc rests OPEN with its hold; post_only that would cross is refused', () =>
    withFake(async (h) => {
      const res = await place(
        h,
        orderBody('l-1', 'BUY', {
          limit_limit_gtc: { base_size: '0.1', limit_price: '50000', post_only: false },
        }),
      );
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'OPEN');
      assert.equal(o.order_type, 'LIMIT');
      assert.equal(o.time_in_force, 'GOOD_UNTIL_CANCELLED');
      assert.equal(o.filled_size, '0');
      assert.equal(o.average_filled_price, '0');
      assert.equal(o.outstanding_hold_amount, '5040'); // 5000 + 0.8 % (the larger fee rate)
      assert.equal(o.last_fill_time, null);
      assert.deepEqual(h.fake.balances().USD, { available: '94960', hold: '5040' });
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');
      const before = h.fake.orderRecords().length;
      const po = await place(
        h,
        orderBody('l-2', 'BUY', {
          limit_limit_gtc: { base_size: '0.1', limit_price: '60001', post_only: true },
        }),
      );
      rejected(h, po, 'INVALID_LIMIT_PRICE_POST_ONLY', 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY', before);
      const maker = await place(
        h,
        orderBody('l-3', 'BUY', {
          limit_limit_gtc: { base_size: '0.1', limit_price: '60000', post_only: true },
        }),
      );
      assert.equal((await getOrder(h, maker.order_id)).status, 'OPEN');
    }));

  test('limit_limit_gtd expires at end_time (GOOD_UNTIL_DATE_TIME); an end_time in the past is refused', () =>
    withFake(async (h) => {
      const cfg = { base_size: '0.1', limit_price: '50000', end_time: isoAt(T0 + 60_000), post_only: false };
      const res = await place(h, orderBody('d-1', 'BUY', { limit_limit_gtd: cfg }));
      assert.equal((await getOrder(h, res.order_id)).time_in_force, 'GOOD_UNTIL_DATE_TIME');
      h.clock.advance(59_999);
      assert.equal((await getOrder(h, res.order_id)).status, 'OPEN');
      h.clock.advance(1);
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'EXPIRED');
      assert.equal(h.fake.balances().USD?.hold, '0');
      const past = await place(
        h,
        orderBody('d-2', 'BUY', { limit_limit_gtd: { ...cfg, end_time: isoAt(T0) } }),
      );
      rejected(h, past, 'INVALID_END_TIME', 'PREVIEW_INVALID_END_TIME', 1);
    }));

  test('limit_limit_fok: all or nothing (an unfillable FOK is created and CANCELLED)', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '0.05');
      const kill = await place(
        h,
        orderBody('f-1', 'BUY', { limit_limit_fok: { base_size: '0.1', limit_price: '60001' } }),
      );
      assert.equal(kill.success, true);
      const k = await getOrder(h, kill.order_id);
      assert.equal(k.status, 'CANCELLED');
      assert.equal(k.filled_size, '0');
      assert.equal(k.time_in_force, 'FILL_OR_KILL');
      const fill = await place(
        h,
        orderBody('f-2', 'BUY', { limit_limit_fok: { base_size: '0.05', limit_price: '60001' } }),
      );
      assert.equal((await getOrder(h, fill.order_id)).status, 'FILLED');
    }));

  test('sor_limit_ioc takes what the limit allows; the rest is CANCELLED', () =>
    withFake(async (h) => {
      h.fake.feedQuote('BTC-USD', '60000', '1', '60001', '0.05');
      const res = await place(
        h,
        orderBody('s-1', 'BUY', { sor_limit_ioc: { base_size: '0.1', limit_price: '60010' } }),
      );
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'CANCELLED');
      assert.equal(o.filled_size, '0.05');
      assert.equal(o.average_filled_price, '60001');
      assert.equal(o.time_in_force, 'IMMEDIATE_OR_CANCEL');
      assert.equal(o.order_type, 'LIMIT');
    }));
});

describe('fake Coinbase: stop-limit and bracket orders', () => {
  test('stop_limit STOP_DOWN sell: held until a trade reaches the stop, then a limit that fills', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const cfg = {
        base_size: '0.1',
        limit_price: '58900',
        stop_price: '59000',
        stop_direction: 'STOP_DIRECTION_STOP_DOWN',
      };
      const res = await place(h, orderBody('sl-1', 'SELL', { stop_limit_stop_limit_gtc: cfg }));
      let o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'OPEN');
      assert.equal(o.order_type, 'STOP_LIMIT');
      assert.equal(o.trigger_status, 'STOP_PENDING');
      assert.equal(o.outstanding_hold_amount, '0.1');
      assert.deepEqual(h.fake.balances().BTC, { available: '1.9', hold: '0.1' });
      h.fake.feedTrade('BTC-USD', '59000.01', '1');
      assert.equal((await getOrder(h, res.order_id)).trigger_status, 'STOP_PENDING');
      h.fake.feedTrade('BTC-USD', '59000', '1');
      o = await getOrder(h, res.order_id);
      assert.equal(o.trigger_status, 'STOP_TRIGGERED');
      assert.equal(o.status, 'FILLED');
      assert.equal(o.average_filled_price, '59000'); // the last trade stands in for the book
      assert.equal(h.fake.balances().BTC?.available, '1.9');
    }));

  test('stop_limit STOP_UP buy triggers at or above the stop; a stop already met is refused', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const before = h.fake.orderRecords().length;
      const bad = await place(
        h,
        orderBody('sl-bad', 'SELL', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.1',
            limit_price: '60400',
            stop_price: '60500',
            stop_direction: 'STOP_DIRECTION_STOP_DOWN',
          },
        }),
      );
      rejected(
        h,
        bad,
        'STOP_PRICE_ABOVE_LAST_TRADE_PRICE',
        'PREVIEW_STOP_PRICE_ABOVE_LAST_TRADE_PRICE',
        before,
      );
      const badUp = await place(
        h,
        orderBody('sl-bad2', 'BUY', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.1',
            limit_price: '60100',
            stop_price: '60000',
            stop_direction: 'STOP_DIRECTION_STOP_UP',
          },
        }),
      );
      rejected(
        h,
        badUp,
        'STOP_PRICE_BELOW_LAST_TRADE_PRICE',
        'PREVIEW_STOP_PRICE_BELOW_LAST_TRADE_PRICE',
        before,
      );
      const res = await place(
        h,
        orderBody('sl-up', 'BUY', {
          stop_limit_stop_limit_gtc: {
            base_size: '0.1',
            limit_price: '61100',
            stop_price: '61000',
            stop_direction: 'STOP_DIRECTION_STOP_UP',
          },
        }),
      );
      assert.equal((await getOrder(h, res.order_id)).outstanding_hold_amount, '6158.88'); // 6110 + 0.8 %
      h.fake.feedTrade('BTC-USD', '61000', '1');
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.average_filled_price, '61000');
    }));

  test('stop_limit_stop_limit_gtd expires while held; its reservation is released', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const cfg = {
        base_size: '1',
        limit_price: '61100',
        stop_price: '61000',
        stop_direction: 'STOP_DIRECTION_STOP_UP',
        end_time: isoAt(T0 + 1000),
      };
      const res = await place(h, orderBody('sl-gtd', 'BUY', { stop_limit_stop_limit_gtd: cfg }));
      assert.equal(h.fake.balances().USD?.hold, '61588.8');
      h.clock.advance(1000);
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'EXPIRED');
      assert.equal(o.time_in_force, 'GOOD_UNTIL_DATE_TIME');
      assert.equal(h.fake.balances().USD?.hold, '0');
    }));

  test('held funds cannot be spent twice', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      await place(
        h,
        orderBody('sl-big', 'BUY', {
          stop_limit_stop_limit_gtc: {
            base_size: '1',
            limit_price: '60000',
            stop_price: '61000',
            stop_direction: 'STOP_DIRECTION_STOP_UP',
          },
        }),
      );
      const before = h.fake.orderRecords().length;
      const tooMuch = await place(
        h,
        orderBody('l-big', 'BUY', { limit_limit_gtc: { base_size: '0.7', limit_price: '59000' } }),
      );
      rejected(h, tooMuch, 'INSUFFICIENT_FUND', 'PREVIEW_INSUFFICIENT_FUND', before);
      const fits = await place(
        h,
        orderBody('l-fit', 'BUY', { limit_limit_gtc: { base_size: '0.6', limit_price: '59000' } }),
      );
      assert.equal(fits.success, true);
    }));

  test('trigger_bracket_gtc SELL: the take-profit rests and fills', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const res = await place(
        h,
        orderBody('b-1', 'SELL', {
          trigger_bracket_gtc: { base_size: '0.1', limit_price: '62000', stop_trigger_price: '58000' },
        }),
      );
      let o = await getOrder(h, res.order_id);
      assert.equal(o.order_type, 'BRACKET');
      assert.equal(o.trigger_status, 'STOP_PENDING');
      assert.equal(o.status, 'OPEN');
      h.fake.feedTrade('BTC-USD', '62000.01', '1');
      o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.average_filled_price, '62000');
      assert.equal(o.trigger_status, 'STOP_PENDING');
    }));

  test('trigger_bracket_gtc SELL: the stop trigger withdraws the take-profit and sells 5 % through', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const res = await place(
        h,
        orderBody('b-2', 'SELL', {
          trigger_bracket_gtc: { base_size: '0.1', limit_price: '62000', stop_trigger_price: '58000' },
        }),
      );
      h.fake.feedQuote('BTC-USD', '57000', '0.04', '57001', '1');
      h.fake.feedTrade('BTC-USD', '57500', '1');
      let o = await getOrder(h, res.order_id);
      assert.equal(o.trigger_status, 'STOP_TRIGGERED');
      assert.equal(o.status, 'OPEN', 'the bid shows 0.04 only: the rest waits at the stop limit 55100');
      assert.equal(o.filled_size, '0.04');
      assert.equal(o.average_filled_price, '57000');
      h.fake.feedQuote('BTC-USD', '55100', '1', '55101', '1');
      o = await getOrder(h, res.order_id);
      assert.equal(
        o.filled_size,
        '0.04',
        'a bid at the stop limit does not fill a resting sell (strict crossing)',
      );
      h.fake.feedQuote('BTC-USD', '55100.01', '1', '55101', '1');
      o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'FILLED');
      assert.equal(o.number_of_fills, '2');
      assert.equal(o.average_filled_price, '55860'); // (0.04 × 57000 + 0.06 × 55100) / 0.1
      assert.equal(h.fake.balances().BTC?.hold, '0');
    }));

  test('trigger_bracket_gtd: prices must straddle the market; it expires at end_time', () =>
    withFake(async (h) => {
      h.fake.feedTrade('BTC-USD', '60000', '1');
      const bad = await place(
        h,
        orderBody('b-bad', 'SELL', {
          trigger_bracket_gtd: {
            base_size: '0.1',
            limit_price: '57000',
            stop_trigger_price: '58000',
            end_time: isoAt(T0 + 5000),
          },
        }),
      );
      rejected(h, bad, 'INVALID_STOP_PRICE', 'PREVIEW_INVALID_STOP_PRICE', 0);
      const res = await place(
        h,
        orderBody('b-gtd', 'SELL', {
          trigger_bracket_gtd: {
            base_size: '0.1',
            limit_price: '62000',
            stop_trigger_price: '58000',
            end_time: isoAt(T0 + 5000),
          },
        }),
      );
      h.clock.advance(5000);
      const o = await getOrder(h, res.order_id);
      assert.equal(o.status, 'EXPIRED');
      assert.equal(h.fake.balances().BTC?.hold, '0');
    }));
});

describe('fake Coinbase: rejections and malformed requests', () => {
  test('business rejections answer HTTP 200 success:false and create nothing', () =>
    withFake(async (h) => {
      const lim = (id: string, size: string, price: string, product = 'BTC-USD') =>
        orderBody(id, 'BUY', { limit_limit_gtc: { base_size: size, limit_price: price } }, product);
      const res = await rest(h, 'POST', '/orders', { body: lim('r-1', '10', '60000') });
      assert.equal(res.status, 200);
      rejected(h, res.body, 'INSUFFICIENT_FUND', 'PREVIEW_INSUFFICIENT_FUND', 0);
      assert.equal(res.body.error_response.message, 'Insufficient balance in source account');
      const sell = await place(
        h,
        orderBody('r-2', 'SELL', { limit_limit_gtc: { base_size: '2.5', limit_price: '60000' } }),
      );
      rejected(h, sell, 'INSUFFICIENT_FUND', 'PREVIEW_INSUFFICIENT_FUND', 0);
      rejected(
        h,
        await place(h, lim('r-3', '0.1', '1', 'DOGE-USD')),
        'INVALID_PRODUCT_ID',
        'PREVIEW_INVALID_PRODUCT_ID',
        0,
      );
      rejected(
        h,
        await place(h, lim('r-4', '0.000000001', '60000')),
        'INVALID_SIZE_PRECISION',
        'PREVIEW_INVALID_SIZE_PRECISION',
        0,
      );
      rejected(
        h,
        await place(h, lim('r-5', '0.1', '60000.001')),
        'INVALID_PRICE_PRECISION',
        'PREVIEW_INVALID_PRICE_PRECISION',
        0,
      );
      rejected(
        h,
        await place(h, lim('r-6', '0.00001', '50000')),
        'INVALID_QUOTE_SIZE_TOO_SMALL',
        'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL',
        0,
      );
      rejected(
        h,
        await place(h, lim('r-7', '3400.00000001', '1')),
        'INVALID_BASE_SIZE_TOO_LARGE',
        'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE',
        0,
      );
      rejected(
        h,
        await place(h, lim('r-8', '0', '1')),
        'INVALID_BASE_SIZE_TOO_SMALL',
        'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
        0,
      );
      const fok = await place(h, orderBody('r-9', 'BUY', { market_market_fok: { base_size: '0.1' } }));
      rejected(h, fok, 'UNSUPPORTED_ORDER_CONFIGURATION', 'PREVIEW_INVALID_ORDER_CONFIG', 0);
      const attached = await place(h, {
        ...lim('r-10', '0.1', '50000'),
        attached_order_configuration: {
          trigger_bracket_gtc: { limit_price: '70000', stop_trigger_price: '40000' },
        },
      });
      rejected(h, attached, 'UNSUPPORTED_ORDER_CONFIGURATION', 'PREVIEW_INVALID_ORDER_CONFIG', 0);
      const noMarket = await place(h, orderBody('r-11', 'BUY', { market_market_ioc: { base_size: '0.1' } }));
      rejected(h, noMarket, 'INVALID_NO_LIQUIDITY', 'UNKNOWN_PREVIEW_FAILURE_REASON', 0);
      // A refused create does not take its client_order_id: it may be used again.
      assert.equal((await place(h, lim('r-1', '0.1', '50000'))).success, true);
    }));

  test('malformed requests are 400 INVALID_ARGUMENT naming the field', () =>
    withFake(async (h) => {
      const bad = async (body: unknown, field: RegExp, raw?: string) => {
        const res = await rest(h, 'POST', '/orders', raw === undefined ? { body } : { rawBody: raw });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.error, 'INVALID_ARGUMENT');
        assert.match(res.body.error_details, field);
      };
      const cfg = { limit_limit_gtc: { base_size: '0.1', limit_price: '50000' } };
      await bad(
        { product_id: 'BTC-USD', side: 'BUY', order_configuration: cfg },
        /client_order_id is required/,
      );
      await bad(orderBody('x', 'BUY', { ...cfg, market_market_ioc: { base_size: '1' } }), /exactly one key/);
      await bad(undefined, /not valid JSON/, '{"client_order_id":');
      await bad(
        orderBody('x', 'BUY', { limit_limit_gtc: { base_size: 0.1, limit_price: '50000' } }),
        /base_size must be a string/,
      );
      await bad(orderBody('x', 'BUY', { limit_limit_gtc: { base_size: '0.1' } }), /limit_price is required/);
      await bad(
        orderBody('x', 'BUY', { limit_limit_gtc: { base_size: '1e-3', limit_price: '1' } }),
        /base_size must be a non-negative decimal/,
      );
      await bad({ ...orderBody('x', 'BUY', cfg), side: 'buy' }, /side must be BUY or SELL/);
      await bad(
        orderBody('x', 'BUY', { market_market_ioc: { base_size: '1', quote_size: '1' } }),
        /exactly one/,
      );
      await bad(orderBody('x', 'BUY', { limit_limit_gtx: {} }), /not a known configuration/);
      await bad(
        orderBody('x', 'BUY', {
          stop_limit_stop_limit_gtc: { base_size: '1', limit_price: '1', stop_price: '1' },
        }),
        /stop_direction/,
      );
      await bad(
        orderBody('x', 'BUY', {
          limit_limit_gtd: { base_size: '1', limit_price: '1', end_time: 'tomorrow' },
        }),
        /end_time/,
      );
      assert.equal(h.fake.orderRecords().length, 0);
    }));

  test('a client_order_id already used returns the existing order and creates nothing', () =>
    withFake(async (h) => {
      const body = orderBody('dup-1', 'BUY', { limit_limit_gtc: { base_size: '0.1', limit_price: '50000' } });
      const a = await place(h, body);
      const b = await place(h, {
        ...body,
        order_configuration: { limit_limit_gtc: { base_size: '0.2', limit_price: '50000' } },
      });
      assert.equal(b.success, true);
      assert.equal(b.order_id, a.order_id);
      assert.equal(h.fake.orderRecords().length, 1);
      assert.equal((await getOrder(h, a.order_id)).filled_size, '0');
    }));
});
