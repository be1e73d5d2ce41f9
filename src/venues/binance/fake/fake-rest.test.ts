// The fake Binance REST API through raw fetch: signing (HMAC, Ed25519, body/query/mixed), -1022 on
// a changed byte, -1021 on a stale timestamp, API-key errors, parameter errors, every filter failure
// with its exact code and message, engine rejections, response shapes (ACK/RESULT/FULL, query,
// cancel), cancel/replace, amend keep-priority, account, myTrades, exchangeInfo and bookTicker.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FakeBinanceOptions } from './fake-binance.ts';
import { encode, type Harness, hmac, rest, startFake } from './fake-test-kit.ts';

async function withFake(fn: (h: Harness) => Promise<void>, options?: FakeBinanceOptions): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
  } finally {
    await h.fake.stop();
  }
}

/** A market: bid 60000 × 1, ask 60001 × 0.5, last trade 60000. */
function market(h: Harness): void {
  h.fake.feedTrade('BTCUSDT', '60000', '0.1');
  h.fake.feedQuote('BTCUSDT', '60000', '1', '60001', '0.5');
}

const limitBuy = (extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  timeInForce: 'GTC',
  quantity: '0.001',
  price: '50000',
  ...extra,
});

function error(body: unknown, code: number, msg: string): void {
  assert.deepEqual(body, { code, msg });
}

// Key sets of the documented payloads (shared/venues/examples/binance).
const ACK_KEYS = ['symbol', 'orderId', 'orderListId', 'clientOrderId', 'transactTime'];
const RESULT_KEYS = [
  ...ACK_KEYS,
  'price',
  'origQty',
  'executedQty',
  'origQuoteOrderQty',
  'cummulativeQuoteQty',
  'status',
  'timeInForce',
  'type',
  'side',
  'workingTime',
  'selfTradePreventionMode',
];
const QUERY_KEYS = [
  'symbol',
  'orderId',
  'orderListId',
  'clientOrderId',
  'price',
  'origQty',
  'executedQty',
  'cummulativeQuoteQty',
  'status',
  'timeInForce',
  'type',
  'side',
  'stopPrice',
  'icebergQty',
  'time',
  'updateTime',
  'isWorking',
  'workingTime',
  'origQuoteOrderQty',
  'selfTradePreventionMode',
];
const CANCEL_KEYS = [
  'symbol',
  'origClientOrderId',
  'orderId',
  'orderListId',
  'clientOrderId',
  'transactTime',
  'price',
  'origQty',
  'executedQty',
  'origQuoteOrderQty',
  'cummulativeQuoteQty',
  'status',
  'timeInForce',
  'type',
  'side',
  'selfTradePreventionMode',
];
const sorted = (o: object) => Object.keys(o).sort();

describe('fake Binance REST: security', () => {
  test('valid HMAC requests succeed with parameters in the body, the query, or both', () =>
    withFake(async (h) => {
      const a = await rest(h, 'POST', '/api/v3/order', limitBuy(), { where: 'body' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.status, 'NEW');
      const b = await rest(h, 'POST', '/api/v3/order', limitBuy({ price: '50001' }), { where: 'query' });
      assert.equal(b.status, 200, JSON.stringify(b.body));
      // Mixed: the signature covers query + body with no separator.
      const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
      const body = `quantity=0.001&price=50002&timestamp=${h.clock.now()}`;
      const res = await fetch(`${h.urls.rest}/api/v3/order?${query}`, {
        method: 'POST',
        headers: {
          'X-MBX-APIKEY': 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: `${body}&signature=${hmac(query + body)}`,
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(h.fake.orders().length, 3);
      assert.ok(h.fake.requests().every((r) => r.signatureOk === true));
    }));

  test('valid Ed25519 requests succeed', () =>
    withFake(async (h) => {
      const a = await rest(h, 'POST', '/api/v3/order', limitBuy(), { sign: 'ed25519' });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      const q = await rest(h, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' }, { sign: 'ed25519' });
      assert.equal(q.status, 200);
      assert.equal(q.body.length, 1);
    }));

  test('a changed byte fails -1022 and places nothing', () =>
    withFake(async (h) => {
      for (const sign of ['hmac', 'ed25519'] as const) {
        const a = await rest(h, 'POST', '/api/v3/order', limitBuy(), {
          sign,
          tamper: (t) => t.replace('price=50000', 'price=50001'),
        });
        assert.equal(a.status, 400);
        error(a.body, -1022, 'Signature for this request is not valid.');
        assert.equal(h.fake.requests().at(-1)?.signatureOk, false);
      }
      assert.equal(h.fake.orders().length, 0);
    }));

  test('a stale or early timestamp fails -1021; recvWindow widens the window', () =>
    withFake(async (h) => {
      const stale = await rest(h, 'POST', '/api/v3/order', limitBuy(), { timestamp: h.clock.now() - 5001 });
      assert.equal(stale.status, 400);
      error(stale.body, -1021, 'Timestamp for this request is outside of the recvWindow.');
      const early = await rest(h, 'POST', '/api/v3/order', limitBuy(), { timestamp: h.clock.now() + 1000 });
      error(early.body, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
      const wide = await rest(h, 'POST', '/api/v3/order', limitBuy(), {
        timestamp: h.clock.now() - 5001,
        recvWindow: 10_000,
      });
      assert.equal(wide.status, 200, JSON.stringify(wide.body));
      h.clock.advance(60_000);
      const tooWide = await rest(h, 'GET', '/api/v3/account', {}, { recvWindow: 60_001 });
      error(tooWide.body, -1102, "'recvWindow' contains unexpected value. Cannot be greater than '60000'.");
    }));

  test('API key: missing -2014, unknown -2015 (HTTP 401)', () =>
    withFake(async (h) => {
      const missing = await rest(h, 'GET', '/api/v3/account', {}, { apiKey: null });
      assert.equal(missing.status, 401);
      error(missing.body, -2014, 'API-key format invalid.');
      const unknown = await rest(h, 'GET', '/api/v3/account', {}, { apiKey: 'A'.repeat(64) });
      assert.equal(unknown.status, 401);
      error(unknown.body, -2015, 'Invalid API-key, IP, or permissions for action.');
      const unsigned = await rest(
        h,
        'GET',
        '/api/v3/account',
        { timestamp: String(h.clock.now()) },
        { sign: 'none' },
      );
      error(
        unsigned.body,
        -1102,
        "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      );
    }));
});

describe('fake Binance REST: parameter errors', () => {
  test('each malformed request gets Binance code and message', () =>
    withFake(async (h) => {
      const place = (p: Record<string, string>) => rest(h, 'POST', '/api/v3/order', p);
      error((await place(limitBuy({ symbol: 'BTCUSDX' }))).body, -1121, 'Invalid symbol.');
      error(
        (await place(limitBuy({ quantity: '0.00l' }))).body,
        -1100,
        "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
      );
      error(
        (await place(limitBuy({ quantity: '0.000000001' }))).body,
        -1111,
        "Parameter 'quantity' has too much precision.",
      );
      error(
        (await place(limitBuy({ price: '50000.123456789' }))).body,
        -1111,
        "Parameter 'price' has too much precision.",
      );
      const noPrice: Record<string, string> = limitBuy();
      delete noPrice.price;
      error(
        (await place(noPrice)).body,
        -1102,
        "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
      );
      error(
        (await place({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', price: '1' })).body,
        -1106,
        "Parameter 'price' sent when not required.",
      );
      error(
        (await place({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' })).body,
        -1102,
        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
      );
      error(
        (await place({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.001' })).body,
        -1102,
        "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
      );
      error((await place(limitBuy({ side: 'BUYY' }))).body, -1117, 'Invalid side.');
      error((await place(limitBuy({ type: 'LIMITX' }))).body, -1116, 'Invalid orderType.');
      error((await place(limitBuy({ timeInForce: 'GTX' }))).body, -1115, 'Invalid timeInForce.');
      error(
        (await place(limitBuy({ newClientOrderId: 'bad id!' }))).body,
        -1100,
        "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.",
      );
      // 8 parameters read (6 + timestamp + signature), 9 sent.
      error(
        (await place(limitBuy({ foo: '1' }))).body,
        -1104,
        "Not all sent parameters were read; read '8' parameter(s) but was sent '9'.",
      );
      assert.equal(h.fake.orders().length, 0);
    }));
});

describe('fake Binance REST: filters', () => {
  test('each symbol filter fails with -1013 "Filter failure: <FILTER>"', () =>
    withFake(async (h) => {
      market(h);
      const cases: [Record<string, string>, string][] = [
        [limitBuy({ price: '50000.005' }), 'PRICE_FILTER'],
        [limitBuy({ price: '0.001' }), 'PRICE_FILTER'],
        [limitBuy({ quantity: '0.000015' }), 'LOT_SIZE'],
        [limitBuy({ quantity: '9001' }), 'LOT_SIZE'],
        [{ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '101' }, 'MARKET_LOT_SIZE'],
        [limitBuy({ quantity: '0.00001' }), 'NOTIONAL'],
        [limitBuy({ price: '300001' }), 'PERCENT_PRICE_BY_SIDE'],
        [{ ...limitBuy({ price: '11999', side: 'SELL' }) }, 'PERCENT_PRICE_BY_SIDE'],
        [
          { symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_LOSS', quantity: '0.001', trailingDelta: '5' },
          'TRAILING_DELTA',
        ],
        [
          { symbol: 'BTCUSDT', side: 'BUY', type: 'STOP_LOSS', quantity: '0.001', trailingDelta: '2001' },
          'TRAILING_DELTA',
        ],
      ];
      for (const [params, filter] of cases) {
        const a = await rest(h, 'POST', '/api/v3/order', params);
        assert.equal(a.status, 400, filter);
        error(a.body, -1013, `Filter failure: ${filter}`);
      }
      // MAX_NUM_ALGO_ORDERS: 5 stop orders are allowed, the 6th is not.
      const stop = (i: number) => ({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        stopPrice: `${55000 + i}`,
        price: '54900',
      });
      for (let i = 0; i < 5; i++) assert.equal((await rest(h, 'POST', '/api/v3/order', stop(i))).status, 200);
      error(
        (await rest(h, 'POST', '/api/v3/order', stop(5))).body,
        -1013,
        'Filter failure: MAX_NUM_ALGO_ORDERS',
      );
      assert.equal(h.fake.orders().length, 5);
    }));

  test('MIN_NOTIONAL and MAX_NUM_ORDERS on a configured symbol', () =>
    withFake(
      async (h) => {
        const buy = (qty: string) => ({
          symbol: 'XYZUSDT',
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'GTC',
          quantity: qty,
          price: '2',
        });
        error((await rest(h, 'POST', '/api/v3/order', buy('4'))).body, -1013, 'Filter failure: MIN_NOTIONAL');
        assert.equal((await rest(h, 'POST', '/api/v3/order', buy('5'))).status, 200);
        assert.equal((await rest(h, 'POST', '/api/v3/order', buy('6'))).status, 200);
        error(
          (await rest(h, 'POST', '/api/v3/order', buy('7'))).body,
          -1013,
          'Filter failure: MAX_NUM_ORDERS',
        );
      },
      {
        symbols: [
          {
            symbol: 'XYZUSDT',
            baseAsset: 'XYZ',
            quoteAsset: 'USDT',
            filters: [
              { filterType: 'PRICE_FILTER', minPrice: '0.0001', maxPrice: '1000', tickSize: '0.0001' },
              { filterType: 'LOT_SIZE', minQty: '1', maxQty: '1000000', stepSize: '1' },
              { filterType: 'MIN_NOTIONAL', minNotional: '10', applyToMarket: true, avgPriceMins: 5 },
              { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 2 },
            ],
          },
        ],
      },
    ));
});

describe('fake Binance REST: engine rejections', () => {
  test('insufficient balance, duplicate id, post-only crossing, stop that would trigger', () =>
    withFake(async (h) => {
      market(h);
      const place = (p: Record<string, string>) => rest(h, 'POST', '/api/v3/order', p);
      error(
        (await place(limitBuy({ quantity: '2', price: '55000' }))).body,
        -2010,
        'Account has insufficient balance for requested action.',
      );
      error(
        (await place({ ...limitBuy({ side: 'SELL', quantity: '3', price: '61000' }) })).body,
        -2010,
        'Account has insufficient balance for requested action.',
      );
      assert.equal((await place(limitBuy({ newClientOrderId: 'dup-1' }))).status, 200);
      error((await place(limitBuy({ newClientOrderId: 'dup-1' }))).body, -2010, 'Duplicate order sent.');
      await rest(h, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'dup-1' });
      assert.equal(
        (await place(limitBuy({ newClientOrderId: 'dup-1' }))).status,
        200,
        'reusable once closed',
      );
      error(
        (
          await place({
            symbol: 'BTCUSDT',
            side: 'BUY',
            type: 'LIMIT_MAKER',
            quantity: '0.001',
            price: '60001',
          })
        ).body,
        -2010,
        'Order would immediately match and take.',
      );
      error(
        (
          await place({
            symbol: 'BTCUSDT',
            side: 'SELL',
            type: 'STOP_LOSS',
            quantity: '0.001',
            stopPrice: '61000',
          })
        ).body,
        -2010,
        'Order would trigger immediately.',
      );
      // Held orders reserve their funds: 1.9 BTC stop + 0.2 BTC sell > 2 BTC.
      assert.equal(
        (
          await place({
            symbol: 'BTCUSDT',
            side: 'SELL',
            type: 'STOP_LOSS',
            quantity: '1.9',
            stopPrice: '50000',
          })
        ).status,
        200,
      );
      error(
        (await place(limitBuy({ side: 'SELL', quantity: '0.2', price: '61000' }))).body,
        -2010,
        'Account has insufficient balance for requested action.',
      );
    }));
});

describe('fake Binance REST: orders', () => {
  test('ACK / RESULT / FULL shapes; market fills at the ask with commission', () =>
    withFake(async (h) => {
      market(h);
      const ack = await rest(h, 'POST', '/api/v3/order', limitBuy({ newOrderRespType: 'ACK' }));
      assert.deepEqual(sorted(ack.body), [...ACK_KEYS].sort());
      assert.equal(ack.body.orderListId, -1);
      assert.equal(ack.body.transactTime, h.clock.now());
      const result = await rest(h, 'POST', '/api/v3/order', limitBuy({ newOrderRespType: 'RESULT' }));
      assert.deepEqual(sorted(result.body), [...RESULT_KEYS].sort());
      const full = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.001',
        newClientOrderId: 'mkt-1',
      });
      assert.equal(full.status, 200, JSON.stringify(full.body));
      assert.deepEqual(sorted(full.body), [...RESULT_KEYS, 'fills'].sort());
      assert.deepEqual(full.body, {
        symbol: 'BTCUSDT',
        orderId: 3,
        orderListId: -1,
        clientOrderId: 'mkt-1',
        transactTime: h.clock.now(),
        price: '0.00000000',
        origQty: '0.00100000',
        executedQty: '0.00100000',
        origQuoteOrderQty: '0.00000000',
        cummulativeQuoteQty: '60.00100000',
        status: 'FILLED',
        timeInForce: 'GTC',
        type: 'MARKET',
        side: 'BUY',
        workingTime: h.clock.now(),
        fills: [
          {
            price: '60001.00000000',
            qty: '0.00100000',
            commission: '0.06000100',
            commissionAsset: 'USDT',
            tradeId: 2,
          },
        ],
        selfTradePreventionMode: 'NONE',
      });
      // A market order larger than the displayed ask fills what is shown; the rest expires.
      const partial = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
      });
      assert.equal(partial.body.status, 'EXPIRED');
      assert.equal(partial.body.executedQty, '0.49900000');
      // quoteOrderQty: spend 120.002 USDT at 60001 → 0.002 BTC.
      h.fake.feedQuote('BTCUSDT', '60000', '1', '60001', '0.5');
      const byQuote = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quoteOrderQty: '120.002',
      });
      assert.equal(byQuote.body.status, 'FILLED', JSON.stringify(byQuote.body));
      assert.equal(byQuote.body.executedQty, '0.00200000');
      assert.equal(byQuote.body.origQuoteOrderQty, '120.00200000');
    }));

  test('query, open orders, cancel (-2011 / -2013 / -2039) and cancel all', () =>
    withFake(async (h) => {
      market(h);
      const placed = await rest(h, 'POST', '/api/v3/order', limitBuy({ newClientOrderId: 'q-1' }));
      const id = placed.body.orderId;
      const byId = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(id) });
      assert.deepEqual(sorted(byId.body), [...QUERY_KEYS].sort());
      assert.equal(byId.body.isWorking, true);
      assert.equal(byId.body.price, '50000.00000000');
      const byCid = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'q-1' });
      assert.equal(byCid.body.orderId, id);
      error(
        (await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: '999' })).body,
        -2013,
        'Order does not exist.',
      );
      error(
        (
          await rest(h, 'GET', '/api/v3/order', {
            symbol: 'BTCUSDT',
            orderId: String(id),
            origClientOrderId: 'other',
          })
        ).body,
        -2039,
        'Client order ID is not correct for this order ID.',
      );
      error(
        (
          await rest(h, 'DELETE', '/api/v3/order', {
            symbol: 'BTCUSDT',
            orderId: String(id),
            cancelRestrictions: 'ONLY_PARTIALLY_FILLED',
          })
        ).body,
        -2011,
        'Order was not canceled due to cancel restrictions.',
      );
      const open = await rest(h, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
      assert.equal(open.body.length, 1);
      assert.equal(open.headers.get('x-mbx-used-weight-1m') !== null, true);
      const cancel = await rest(h, 'DELETE', '/api/v3/order', {
        symbol: 'BTCUSDT',
        origClientOrderId: 'q-1',
        newClientOrderId: 'cancel-q-1',
      });
      assert.deepEqual(sorted(cancel.body), [...CANCEL_KEYS].sort());
      assert.equal(cancel.body.status, 'CANCELED');
      assert.equal(cancel.body.origClientOrderId, 'q-1');
      assert.equal(cancel.body.clientOrderId, 'cancel-q-1');
      error(
        (await rest(h, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(id) })).body,
        -2011,
        'Unknown order sent.',
      );
      error(
        (await rest(h, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body,
        -2011,
        'Unknown order sent.',
      );
      await rest(h, 'POST', '/api/v3/order', limitBuy());
      await rest(h, 'POST', '/api/v3/order', limitBuy({ price: '49000' }));
      const all = await rest(h, 'DELETE', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
      assert.equal(all.body.length, 2);
      assert.ok(all.body.every((o: { status: string }) => o.status === 'CANCELED'));
      assert.equal((await rest(h, 'GET', '/api/v3/openOrders', {})).body.length, 0);
    }));

  test('cancelReplace: success, STOP_ON_FAILURE, ALLOW_FAILURE, new order failing', () =>
    withFake(async (h) => {
      market(h);
      const first = await rest(h, 'POST', '/api/v3/order', limitBuy());
      const ok = await rest(h, 'POST', '/api/v3/order/cancelReplace', {
        ...limitBuy({ price: '51000' }),
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: String(first.body.orderId),
      });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.cancelResult, 'SUCCESS');
      assert.equal(ok.body.newOrderResult, 'SUCCESS');
      assert.equal(ok.body.cancelResponse.status, 'CANCELED');
      assert.equal(ok.body.newOrderResponse.price, '51000.00000000');
      const stop = await rest(h, 'POST', '/api/v3/order/cancelReplace', {
        ...limitBuy(),
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: '999',
      });
      assert.equal(stop.status, 400);
      assert.deepEqual(stop.body, {
        code: -2022,
        msg: 'Order cancel-replace failed.',
        data: {
          cancelResult: 'FAILURE',
          newOrderResult: 'NOT_ATTEMPTED',
          cancelResponse: { code: -2011, msg: 'Unknown order sent.' },
          newOrderResponse: null,
        },
      });
      const allow = await rest(h, 'POST', '/api/v3/order/cancelReplace', {
        ...limitBuy({ newOrderRespType: 'ACK' }),
        cancelReplaceMode: 'ALLOW_FAILURE',
        cancelOrderId: '999',
      });
      assert.equal(allow.status, 409);
      assert.equal(allow.body.code, -2021);
      assert.equal(allow.body.msg, 'Order cancel-replace partially failed.');
      assert.equal(allow.body.data.newOrderResult, 'SUCCESS');
      assert.deepEqual(sorted(allow.body.data.newOrderResponse), [...ACK_KEYS].sort());
      const failNew = await rest(h, 'POST', '/api/v3/order/cancelReplace', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '0.001',
        price: '60001',
        cancelReplaceMode: 'STOP_ON_FAILURE',
        cancelOrderId: String(ok.body.newOrderResponse.orderId),
      });
      assert.equal(failNew.status, 409);
      assert.equal(failNew.body.data.cancelResult, 'SUCCESS');
      assert.deepEqual(failNew.body.data.newOrderResponse, {
        code: -2010,
        msg: 'Order would immediately match and take.',
      });
    }));

  test('amend keep priority reduces the quantity in place', () =>
    withFake(async (h) => {
      market(h);
      const placed = await rest(
        h,
        'POST',
        '/api/v3/order',
        limitBuy({ quantity: '0.01', newClientOrderId: 'am-1' }),
      );
      const amended = await rest(h, 'PUT', '/api/v3/order/amend/keepPriority', {
        symbol: 'BTCUSDT',
        orderId: String(placed.body.orderId),
        newQty: '0.005',
        newClientOrderId: 'am-2',
      });
      assert.equal(amended.status, 200, JSON.stringify(amended.body));
      assert.equal(amended.body.amendedOrder.orderId, placed.body.orderId);
      assert.equal(amended.body.amendedOrder.qty, '0.00500000');
      assert.equal(amended.body.amendedOrder.origClientOrderId, 'am-1');
      assert.equal(amended.body.amendedOrder.clientOrderId, 'am-2');
      assert.equal(amended.body.amendedOrder.cumulativeQuoteQty, '0.00000000');
      const up = await rest(h, 'PUT', '/api/v3/order/amend/keepPriority', {
        symbol: 'BTCUSDT',
        orderId: String(placed.body.orderId),
        newQty: '0.02',
      });
      assert.equal(up.body.code, -2038);
      const q = await rest(h, 'GET', '/api/v3/order', {
        symbol: 'BTCUSDT',
        orderId: String(placed.body.orderId),
      });
      assert.equal(q.body.origQty, '0.00500000');
      assert.equal(h.fake.balances().USDT?.locked, '250.25000000', 'lock follows the amended quantity');
    }));

  test('account balances, myTrades (fromId, orderId, startTime), headers', () =>
    withFake(async (h) => {
      market(h);
      const m1 = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.001',
      });
      assert.equal(m1.headers.get('x-mbx-order-count-10s'), '1');
      assert.equal(m1.headers.get('x-mbx-order-count-1d'), '1');
      h.clock.advance(1000);
      const m2 = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'MARKET',
        quantity: '0.002',
      });
      assert.equal(m2.body.status, 'FILLED');
      const acct = await rest(h, 'GET', '/api/v3/account', {});
      assert.equal(acct.status, 200);
      const bal = Object.fromEntries(
        acct.body.balances.map((b: { asset: string; free: string }) => [b.asset, b.free]),
      );
      // +0.001 −0.002 BTC; −60.001 −0.060001 +120 −0.12 USDT.
      assert.equal(bal.BTC, '1.99900000');
      assert.equal(bal.USDT, '100059.81899900');
      assert.equal(acct.body.commissionRates.maker, '0.00100000');
      assert.equal(acct.body.makerCommission, 10);
      const trades = await rest(h, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' });
      assert.equal(trades.body.length, 2);
      assert.deepEqual(sorted(trades.body[0]), [
        'commission',
        'commissionAsset',
        'id',
        'isBestMatch',
        'isBuyer',
        'isMaker',
        'orderId',
        'orderListId',
        'price',
        'qty',
        'quoteQty',
        'symbol',
        'time',
      ]);
      assert.equal(trades.body[0].isBuyer, true);
      assert.equal(trades.body[1].isBuyer, false);
      const from = await rest(h, 'GET', '/api/v3/myTrades', {
        symbol: 'BTCUSDT',
        fromId: String(trades.body[1].id),
      });
      assert.equal(from.body.length, 1);
      const byOrder = await rest(h, 'GET', '/api/v3/myTrades', {
        symbol: 'BTCUSDT',
        orderId: String(m1.body.orderId),
      });
      assert.equal(byOrder.body.length, 1);
      const since = await rest(h, 'GET', '/api/v3/myTrades', {
        symbol: 'BTCUSDT',
        startTime: String(h.clock.now()),
      });
      assert.equal(since.body.length, 1);
    }));

  test('public endpoints: ping, time, exchangeInfo, bookTicker', () =>
    withFake(async (h) => {
      const get = (path: string, p: Record<string, string> = {}) => rest(h, 'GET', path, p, { sign: 'none' });
      assert.deepEqual((await get('/api/v3/ping')).body, {});
      assert.deepEqual((await get('/api/v3/time')).body, { serverTime: h.clock.now() });
      const info = await get('/api/v3/exchangeInfo');
      assert.equal(info.body.timezone, 'UTC');
      assert.deepEqual(
        info.body.symbols.map((s: { symbol: string }) => s.symbol),
        ['BTCUSDT', 'ETHUSDT'],
      );
      const btc = info.body.symbols[0];
      assert.deepEqual(
        btc.filters.map((f: { filterType: string }) => f.filterType),
        [
          'PRICE_FILTER',
          'LOT_SIZE',
          'ICEBERG_PARTS',
          'MARKET_LOT_SIZE',
          'TRAILING_DELTA',
          'PERCENT_PRICE_BY_SIDE',
          'NOTIONAL',
          'MAX_NUM_ORDERS',
          'MAX_NUM_ALGO_ORDERS',
        ],
      );
      assert.equal(btc.ocoAllowed, true);
      assert.deepEqual(
        info.body.rateLimits.map((r: { rateLimitType: string }) => r.rateLimitType),
        ['REQUEST_WEIGHT', 'ORDERS', 'ORDERS', 'RAW_REQUESTS'],
      );
      const one = await get('/api/v3/exchangeInfo', { symbol: 'ETHUSDT' });
      assert.equal(one.body.symbols.length, 1);
      error((await get('/api/v3/exchangeInfo', { symbol: 'XYZ' })).body, -1121, 'Invalid symbol.');
      market(h);
      assert.deepEqual((await get('/api/v3/ticker/bookTicker', { symbol: 'BTCUSDT' })).body, {
        symbol: 'BTCUSDT',
        bidPrice: '60000.00000000',
        bidQty: '1.00000000',
        askPrice: '60001.00000000',
        askQty: '0.50000000',
      });
      const both = await get('/api/v3/ticker/bookTicker', { symbols: '["BTCUSDT","ETHUSDT"]' });
      assert.equal(both.body.length, 2);
      assert.deepEqual((await get('/api/v3/ticker/price', { symbol: 'BTCUSDT' })).body, {
        symbol: 'BTCUSDT',
        price: '60000.00000000',
      });
      assert.deepEqual((await get('/api/v3/depth', { symbol: 'BTCUSDT', limit: '5' })).body, {
        lastUpdateId: 1,
        bids: [['60000.00000000', '1.00000000']],
        asks: [['60001.00000000', '0.50000000']],
      });
      assert.equal(encode({ a: 'b' }), 'a=b');
    }));

  test('requests shaped as ccxt sends them (timestamp first, broker ids, recvWindow 10000) are accepted', () =>
    withFake(async (h) => {
      market(h);
      // From ccxt's static spot request fixtures (shared/venues/ccxt-static/request/binance.json),
      // with symbols and prices moved to this fake's BTCUSDT; the fake re-signs nothing: the raw
      // string below is signed as sent.
      const bodies = [
        'symbol=BTCUSDT&side=BUY&newClientOrderId=x-R4BD3S82a715e5f92ae442d8989388&newOrderRespType=FULL&type=LIMIT&quantity=0.05&price=55000&timeInForce=GTC&selfTradePreventionMode=EXPIRE_MAKER&icebergQty=0.03',
        'symbol=BTCUSDT&side=BUY&newClientOrderId=x-R4BD3S8265d26698ad954db1b3fee5&newOrderRespType=FULL&type=MARKET&quoteOrderQty=10',
        'symbol=BTCUSDT&side=BUY&newOrderRespType=FULL&newClientOrderId=x-R4BD3S8281350e594e8f4383a36f19&type=LIMIT_MAKER&quantity=0.002&price=55000',
        'symbol=BTCUSDT&side=SELL&trailingDelta=500&newClientOrderId=x-R4BD3S827b685798989f41d5802a06&newOrderRespType=FULL&type=STOP_LOSS_LIMIT&quantity=0.1&price=55000&timeInForce=GTC',
        'symbol=BTCUSDT&side=SELL&trailingDelta=500&newClientOrderId=x-R4BD3S829874c25a35ce4766a6c7bc&newOrderRespType=FULL&type=TAKE_PROFIT_LIMIT&quantity=0.1&price=70000&timeInForce=GTC',
      ];
      for (const b of bodies) {
        const text = `timestamp=${h.clock.now()}&${b}&recvWindow=10000`;
        const res = await fetch(`${h.urls.rest}/api/v3/order`, {
          method: 'POST',
          headers: {
            'X-MBX-APIKEY': 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: `${text}&signature=${hmac(text)}`,
        });
        assert.equal(res.status, 200, `${b}: ${await res.clone().text()}`);
      }
      const iceberg = await rest(h, 'GET', '/api/v3/order', {
        symbol: 'BTCUSDT',
        origClientOrderId: 'x-R4BD3S82a715e5f92ae442d8989388',
      });
      assert.equal(iceberg.body.icebergQty, '0.03000000');
      assert.equal(iceberg.body.selfTradePreventionMode, 'EXPIRE_MAKER');
      const edit = `timestamp=${h.clock.now()}&symbol=BTCUSDT&side=BUY&type=LIMIT&newClientOrderId=x-R4BD3S82230eac64ed3d47c284a92b&newOrderRespType=FULL&quantity=0.25&price=51000&timeInForce=GTC&cancelReplaceMode=STOP_ON_FAILURE&cancelOrderId=1&recvWindow=10000`;
      const res = await fetch(`${h.urls.rest}/api/v3/order/cancelReplace?${edit}&signature=${hmac(edit)}`, {
        method: 'POST',
        headers: { 'X-MBX-APIKEY': 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A' },
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(h.fake.internalErrors().length, 0);
    }));
});
