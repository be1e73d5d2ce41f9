// Tests of the Alpaca request builders: the documented request bodies (shared/venues/examples/
// alpaca/request_*.json) and ccxt's recorded requests (ccxt-static/request/alpaca.json) are
// rebuilt from Ordo venue requests and compared field by field, decimals by value (the examples
// write some as JSON numbers, Ordo always sends strings). client_order_id is ccxt's skip key.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pow10 } from '../../core/decimal.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';
import {
  type AlpacaRequest,
  cancelOrderRequest,
  fillActivitiesRequest,
  listOrderRequest,
  listOrdersRequest,
  notionalOrderRequest,
  orderByClientIdRequest,
  orderRequest,
  placeOrderRequest,
  replacementClientId,
  replaceOrderRequest,
  splitReplacementId,
  target,
  trailPercent,
} from './requests.ts';
import { AAPL, BTC, ccxt, example, list, order, px, SPY, qty as units } from './test-fixtures.ts';

/** A body with decimals compared by value: every decimal-looking leaf becomes canonical text. */
function canon(v: unknown): unknown {
  if (typeof v === 'number') return canon(String(v));
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))
    return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => k !== 'client_order_id')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, canon(x)]),
    );
  return v;
}

function body(r: { ok: boolean; value?: AlpacaRequest; error?: { message: string } }): unknown {
  assert.ok(r.ok, r.error?.message);
  return r.value!.body;
}

describe('order requests match the documented examples', () => {
  it('bracket: market entry, take_profit limit, stop_loss stop-limit (request_bracket_order.json)', () => {
    const entry = order(SPY, { clientOrderId: 'ordo-1', type: 'market', quantity: '100', tif: 'gtc' });
    const tp = order(SPY, {
      clientOrderId: 'ordo-2',
      side: 'sell',
      type: 'limit',
      quantity: '100',
      price: '301',
    });
    const sl = order(SPY, {
      clientOrderId: 'ordo-3',
      side: 'sell',
      type: 'stop_limit',
      quantity: '100',
      triggerPrice: '299',
      price: '298.5',
    });
    const b = body(listOrderRequest(SPY, list('bracket', entry, [tp, sl], 'partial')));
    assert.deepEqual(canon(b), canon(example('request_bracket_order.json')));
    assert.equal((b as { client_order_id: string }).client_order_id, 'ordo-1');
  });

  it('OCO: the take-profit limit carries the class, no top-level limit price (request_oco_order.json)', () => {
    const tp = order(SPY, {
      clientOrderId: 'ordo-2',
      side: 'sell',
      type: 'limit',
      quantity: '100',
      price: '301',
    });
    const sl = order(SPY, {
      clientOrderId: 'ordo-3',
      side: 'sell',
      type: 'stop_limit',
      quantity: '100',
      triggerPrice: '299',
      price: '298.5',
    });
    const b = body(listOrderRequest(SPY, list('oco', undefined, [tp, sl])));
    assert.deepEqual(canon(b), canon(example('request_oco_order.json')));
    assert.equal((b as { client_order_id: string }).client_order_id, 'ordo-2');
    // A bracket without an entry is the same OCO.
    assert.deepEqual(canon(body(listOrderRequest(SPY, list('bracket', undefined, [tp, sl])))), canon(b));
  });

  it('OTO: an entry and one stop-loss (request_oto_order.json)', () => {
    const entry = order(SPY, { type: 'market', quantity: '100' });
    const sl = order(SPY, {
      clientOrderId: 'ordo-3',
      side: 'sell',
      type: 'stop_limit',
      quantity: '100',
      triggerPrice: '299',
      price: '298.5',
    });
    const b = body(listOrderRequest(SPY, list('oto', entry, [sl], 'full')));
    assert.deepEqual(canon(b), canon(example('request_oto_order.json')));
  });

  it('trailing stop by price (request_trailing_stop_order.json), and by percent or bps', () => {
    const o = order(SPY, {
      side: 'sell',
      type: 'trailing_stop',
      quantity: '100',
      tif: 'day',
      trailing: {
        offsetKind: 'price',
        offset: px(SPY, '6.15'),
        activationPrice: undefined,
        limitOffset: undefined,
      },
    });
    assert.deepEqual(
      canon(body(placeOrderRequest(SPY, o))),
      canon(example('request_trailing_stop_order.json')),
    );
    const pct = body(
      placeOrderRequest(SPY, {
        ...o,
        trailing: {
          offsetKind: 'percent',
          offset: 1_500_000,
          activationPrice: undefined,
          limitOffset: undefined,
        },
      }),
    ) as Record<string, unknown>;
    assert.equal(pct.trail_percent, '1.5');
    assert.equal(pct.trail_price, undefined);
    assert.equal(trailPercent(25_000), '0.025'); // 2.5 bps
  });

  it('fractional market order (request_fractional_market_order.json)', () => {
    const o = order(AAPL, { type: 'market', quantity: '3.654', tif: 'day' });
    assert.deepEqual(
      canon(body(placeOrderRequest(AAPL, o))),
      canon(example('request_fractional_market_order.json')),
    );
    assert.equal((body(placeOrderRequest(AAPL, o)) as { qty: string }).qty, '3.654');
  });

  it('notional market order (request_notional_market_order.json)', () => {
    const notional = 50_075n * pow10(MONEY_SCALE - 2); // $500.75
    const r = notionalOrderRequest(AAPL, { clientOrderId: 'ordo-9', side: 'buy', notional });
    assert.deepEqual(canon(body(r)), canon(example('request_notional_market_order.json')));
    assert.equal((body(r) as { notional: string }).notional, '500.75');
    const bad = notionalOrderRequest(SPY, { clientOrderId: 'x', side: 'buy', notional });
    assert.ok(!bad.ok && bad.error.rule === 'fractionable');
    const cents = notionalOrderRequest(AAPL, { clientOrderId: 'x', side: 'buy', notional: notional + 1n });
    assert.ok(!cents.ok && cents.error.rule === 'notional_cents');
  });
});

describe("ccxt's recorded requests (request/alpaca.json)", () => {
  const fixture = ccxt('request/alpaca.json');

  it('createOrder: the same body for every case', () => {
    const cases = fixture.methods.createOrder!;
    assert.equal(cases.length, 3);
    for (const c of cases) {
      const [symbol, type, side, amount, price] = c.input as [
        string,
        string,
        string,
        string | number,
        string?,
      ];
      assert.equal(symbol, 'BTC/USD');
      const o = order(BTC, {
        type: type as 'market' | 'limit',
        side: side as 'buy' | 'sell',
        quantity: String(amount),
        price: type === 'limit' ? price : undefined,
        tif: 'gtc',
      });
      const r = placeOrderRequest(BTC, o);
      assert.ok(r.ok, `${c.description}: ${!r.ok && r.error.message}`);
      assert.equal(`https://paper-api.alpaca.markets${target(r.value)}`, c.url, c.description);
      assert.deepEqual(canon(r.value.body), canon(JSON.parse(c.output!)), c.description);
    }
  });

  it('cancelOrder and fetchOrder: the order id in the path', () => {
    const id = 'eb625a98-5137-4c3d-b88c-699151ed21a8';
    assert.equal(
      `https://paper-api.alpaca.markets${target(cancelOrderRequest(id))}`,
      fixture.methods.cancelOrder![0]!.url,
    );
    assert.equal(cancelOrderRequest(id).method, 'DELETE');
    assert.equal(
      `https://paper-api.alpaca.markets${target(orderRequest(id))}`,
      fixture.methods.fetchOrder![0]!.url,
    );
  });

  it('fetchOrders / fetchOpenOrders / fetchClosedOrders: status and symbols', () => {
    for (const [method, status] of [
      ['fetchOrders', 'all'],
      ['fetchOpenOrders', 'open'],
      ['fetchClosedOrders', 'closed'],
    ] as const) {
      const req = listOrdersRequest({ status, symbols: ['LTC/USDT'] });
      assert.equal(`https://api.alpaca.markets${target(req)}`, fixture.methods[method]![0]!.url);
    }
  });
});

describe('the other requests', () => {
  it('lookup by client order id, activities, replace', () => {
    assert.equal(
      target(orderByClientIdRequest('ordo-1-r2')),
      '/v2/orders:by_client_order_id?client_order_id=ordo-1-r2',
    );
    const acts = target(
      fillActivitiesRequest({ afterMs: Date.UTC(2024, 0, 2, 3, 4, 5, 6), pageToken: 'abc' }),
    );
    assert.equal(
      acts,
      '/v2/account/activities/FILL?after=2024-01-02T03%3A04%3A05.006Z&direction=asc&page_size=100&page_token=abc',
    );
    const r = replaceOrderRequest(AAPL, 'id-1', {
      quantity: units(AAPL, '5'),
      price: px(AAPL, '150.25'),
      clientOrderId: replacementClientId('ordo-7', 1),
    });
    assert.equal(r.method, 'PATCH');
    assert.equal(r.path, '/v2/orders/id-1');
    assert.deepEqual(r.body, { qty: '5', limit_price: '150.25', client_order_id: 'ordo-7-r1' });
    assert.deepEqual(splitReplacementId('ordo-7-r12'), { original: 'ordo-7', n: 12 });
    assert.deepEqual(splitReplacementId('ordo-7'), { original: 'ordo-7', n: 0 });
  });

  it('extended hours only on equity limit day orders', () => {
    const o = order(AAPL, { type: 'limit', price: '150', tif: 'day' });
    assert.equal(
      (body(placeOrderRequest(AAPL, o, { extendedHours: true })) as Record<string, unknown>).extended_hours,
      true,
    );
    const gtc = body(placeOrderRequest(AAPL, { ...o, tif: 'gtc' }, { extendedHours: true })) as Record<
      string,
      unknown
    >;
    assert.equal(gtc.extended_hours, undefined);
  });

  it('refuses locally, naming the rule, what Alpaca would refuse', () => {
    const cases: [ReturnType<typeof placeOrderRequest>, string][] = [
      [placeOrderRequest(AAPL, order(AAPL, { price: '150.1234' })), 'sub_penny'],
      [
        placeOrderRequest(BTC, order(BTC, { type: 'stop', triggerPrice: '50000', quantity: '0.01' })),
        'crypto_order_type',
      ],
      [
        placeOrderRequest(BTC, order(BTC, { price: '50000', quantity: '0.01', tif: 'day' })),
        'crypto_time_in_force',
      ],
      [placeOrderRequest(BTC, order(BTC, { price: '50000', quantity: '0.00001' })), 'min_order_size'],
      [placeOrderRequest(SPY, order(SPY, { price: '400', postOnly: true })), 'post_only'],
    ];
    for (const [r, rule] of cases) {
      assert.ok(!r.ok, rule);
      assert.equal(r.error.rule, rule);
      assert.match(r.error.message, new RegExp(`^${rule}: `));
    }
  });
});
