// The request builders against the request bodies in shared/venues/examples/coinbase/request_*.json
// (every file is listed: a new one without an entry fails) and against ccxt's static Coinbase
// request fixtures (shared/venues/ccxt-static/request/coinbase.json, spot cases).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseUnits } from '../../core/decimal.ts';
import type { VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import type { OrderType, Side, TimeInForce } from '../../model/order.ts';
import {
  batchCancelRequest,
  bracketOrderRequest,
  COINBASE_CAPABILITIES,
  createOrderRequest,
  editOrderRequest,
  encodeQuery,
  exitPairRequest,
  getOrderRequest,
  listFillsRequest,
  listOrdersRequest,
  orderConfiguration,
} from './requests.ts';
import { CCXT_DIR, EXAMPLES_DIR, rulesOf } from './test-fixtures.ts';

interface Intent {
  readonly product: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif?: TimeInForce;
  readonly qty: string;
  readonly price?: string;
  readonly trigger?: string;
  readonly postOnly?: boolean;
}

function request(
  clientOrderId: string,
  i: Intent,
): { req: VenueOrderRequest; rules: ReturnType<typeof rulesOf> } {
  const rules = rulesOf(i.product);
  const inst = rules.instrument;
  const units = (t: string | undefined, scale: number) =>
    t === undefined ? undefined : Number(parseUnits(t, scale));
  return {
    rules,
    req: {
      clientOrderId,
      instrument: inst.key,
      side: i.side,
      type: i.type,
      tif: i.tif ?? 'gtc',
      expireAtMs: undefined,
      quantity: units(i.qty, inst.qtyScale)!,
      price: units(i.price, inst.priceScale),
      triggerPrice: units(i.trigger, inst.priceScale),
      trailing: undefined,
      postOnly: i.postOnly ?? false,
      reduceOnly: false,
    },
  };
}

function bodyOf(clientOrderId: string, i: Intent): unknown {
  const { req, rules } = request(clientOrderId, i);
  const r = createOrderRequest(rules, req);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.error));
  assert.equal(r.value.method, 'POST');
  assert.equal(r.value.path, '/orders');
  return r.value.body;
}

/** What each request example is, as an Ordo intent (or why Ordo sends no such request). */
const EXAMPLES: Record<string, Intent | { edit: true } | { cancel: true } | { skip: string }> = {
  'request_limit_limit_gtc.json': { product: 'ADA-USDT', side: 'buy', type: 'limit', qty: '4', price: '0.2' },
  'request_limit_limit_gtc_post_only.json': {
    product: 'ADA-USDT',
    side: 'buy',
    type: 'limit',
    qty: '10',
    price: '0.25',
    postOnly: true,
  },
  'request_limit_limit_fok.json': {
    product: 'XRP-USDC',
    side: 'buy',
    type: 'limit',
    tif: 'fok',
    qty: '10',
    price: '0.5',
  },
  'request_sor_limit_ioc.json': {
    product: 'DOGE-USDT',
    side: 'buy',
    type: 'limit',
    tif: 'ioc',
    qty: '10',
    price: '0.05',
  },
  'request_market_market_ioc_base_size.json': {
    product: 'ADA-USDT',
    side: 'sell',
    type: 'market',
    qty: '10',
  },
  'request_market_market_ioc_quote_size.json': {
    skip: 'Ordo sizes market orders in base, never by quote_size',
  },
  'request_preview_order.json': { skip: 'Ordo places no preview orders' },
  'request_stop_limit_stop_limit_gtc.json': {
    product: 'ADA-USDT',
    side: 'buy',
    type: 'stop_limit',
    qty: '10',
    price: '0.25',
    trigger: '0.2',
  },
  'request_edit_order.json': { edit: true },
  'request_batch_cancel.json': { cancel: true },
};

test('every request example is built exactly (the stop direction follows Ordo’s stop meaning)', () => {
  const files = readdirSync(EXAMPLES_DIR).filter((f) => f.startsWith('request_'));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const want = JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as Record<string, unknown>;
    const e = EXAMPLES[f];
    assert.ok(e !== undefined, `${f} has no entry in EXAMPLES`);
    if ('skip' in e) continue;
    if ('edit' in e) {
      const w = want as { order_id: string; size: string; price: string };
      assert.deepEqual(editOrderRequest(w.order_id, { size: '20', price: '0.08' }).body, want, f);
      continue;
    }
    if ('cancel' in e) {
      assert.deepEqual(batchCancelRequest(want.order_ids as string[]).body, want, f);
      continue;
    }
    const got = bodyOf(want.client_order_id as string, e) as Record<string, unknown>;
    if (e.type === 'stop_limit') {
      // A buy stop in Ordo fires rising: STOP_UP. ccxt chose STOP_DOWN from the market price.
      const cfg = (got.order_configuration as Record<string, Record<string, unknown>>)
        .stop_limit_stop_limit_gtc!;
      assert.equal(cfg.stop_direction, 'STOP_DIRECTION_STOP_UP');
      cfg.stop_direction = 'STOP_DIRECTION_STOP_DOWN';
    }
    assert.deepEqual(got, want, f);
  }
});

test('ccxt static Coinbase fixtures: spot create, edit, cancel, fetch order and open orders', () => {
  const fixture = JSON.parse(readFileSync(join(CCXT_DIR, 'request/coinbase.json'), 'utf8')) as {
    methods: Record<string, { description: string; url: string; input: unknown[]; output?: string }[]>;
  };
  let checked = 0;
  for (const c of fixture.methods.createOrder ?? []) {
    if (!c.url.endsWith('/api/v3/brokerage/orders') || c.output === undefined) continue;
    const want = JSON.parse(c.output) as { client_order_id: string; product_id: string };
    if (want.product_id.includes('INTX')) continue; // perpetuals
    const [symbol, type, side, amount, price, params] = c.input as [
      string,
      string,
      'buy' | 'sell',
      string | number,
      number | null | undefined,
      Record<string, unknown> | undefined,
    ];
    if (type === 'market' && side === 'buy') continue; // ccxt buys by quote_size; Ordo sizes in base
    const p = params ?? {};
    const trigger = p.triggerPrice === undefined ? undefined : String(p.triggerPrice);
    const tif = p.timeInForce === 'IOC' ? 'ioc' : p.timeInForce === 'FOK' ? 'fok' : 'gtc';
    const got = bodyOf(want.client_order_id, {
      product: symbol.replace('/', '-'),
      side,
      type: trigger !== undefined ? 'stop_limit' : (type as OrderType),
      tif,
      qty: String(amount),
      price: price === null || price === undefined ? undefined : String(price),
      trigger,
      postOnly: p.postOnly === true,
    }) as { order_configuration: Record<string, Record<string, unknown>> };
    const stop = got.order_configuration.stop_limit_stop_limit_gtc;
    if (stop !== undefined) stop.stop_direction = 'STOP_DIRECTION_STOP_DOWN'; // see the test above
    assert.deepEqual(got, want, c.description);
    checked++;
  }
  assert.equal(checked, 6);
  const edit = fixture.methods.editOrder!.find((c) => c.url.endsWith('/orders/edit'))!;
  assert.deepEqual(
    editOrderRequest('9fd0cadc-2ccc-45e8-b254-ea511c34e5b2', { size: '20', price: '0.08' }).body,
    JSON.parse(edit.output!),
  );
  for (const c of [...fixture.methods.cancelOrder!, ...fixture.methods.cancelOrders!]) {
    const ids = Array.isArray(c.input[0]) ? (c.input[0] as string[]) : [c.input[0] as string];
    assert.deepEqual(batchCancelRequest(ids).body, JSON.parse(c.output!), c.description);
    assert.ok(c.url.endsWith(batchCancelRequest(ids).path));
  }
  const fetchOrder = fixture.methods.fetchOrder![0]!;
  assert.ok(fetchOrder.url.endsWith(getOrderRequest(fetchOrder.input[0] as string).path));
  const open = fixture.methods.fetchOpenOrders![0]!;
  const r = listOrdersRequest({ statuses: ['OPEN'], limit: 100 });
  assert.ok(open.url.endsWith(`${r.path}?${encodeQuery(r.query)}`), open.url);
});

test('time in force and types: GTD carries end_time, unsupported shapes say why', () => {
  const gtd = request('c', {
    product: 'BTC-USD',
    side: 'sell',
    type: 'limit',
    tif: 'gtd',
    qty: '0.5',
    price: '70000',
  });
  const withEnd = { ...gtd.req, expireAtMs: Date.UTC(2030, 0, 2, 3, 4, 5) };
  const cfg = orderConfiguration(gtd.rules, withEnd);
  assert.deepEqual(cfg.ok && cfg.value, {
    limit_limit_gtd: {
      base_size: '0.5',
      limit_price: '70000',
      end_time: '2030-01-02T03:04:05.000Z',
      post_only: false,
    },
  });
  const noEnd = orderConfiguration(gtd.rules, gtd.req);
  assert.ok(!noEnd.ok && noEnd.error.kind === 'invalid' && noEnd.error.field === 'expireAtMs');
  const sl = request('c', {
    product: 'BTC-USD',
    side: 'sell',
    type: 'stop_limit',
    tif: 'gtd',
    qty: '1',
    price: '59000',
    trigger: '60000',
  });
  const slCfg = orderConfiguration(sl.rules, { ...sl.req, expireAtMs: 0 });
  assert.ok(slCfg.ok && 'stop_limit_stop_limit_gtd' in slCfg.value);
  assert.equal(
    slCfg.ok &&
      'stop_limit_stop_limit_gtd' in slCfg.value &&
      slCfg.value.stop_limit_stop_limit_gtd.stop_direction,
    'STOP_DIRECTION_STOP_DOWN',
  );
  const cases: [Intent, string][] = [
    [{ product: 'BTC-USD', side: 'sell', type: 'stop', qty: '1', trigger: '60000' }, 'order_type'],
    [{ product: 'BTC-USD', side: 'sell', type: 'limit', tif: 'day', qty: '1', price: '1' }, 'time_in_force'],
    [{ product: 'BTC-USD', side: 'sell', type: 'market', tif: 'fok', qty: '1' }, 'market_fok'],
    [
      { product: 'BTC-USD', side: 'sell', type: 'limit', tif: 'ioc', qty: '1', price: '1', postOnly: true },
      'post_only',
    ],
    [
      {
        product: 'BTC-USD',
        side: 'sell',
        type: 'stop_limit',
        tif: 'ioc',
        qty: '1',
        price: '1',
        trigger: '2',
      },
      'time_in_force',
    ],
  ];
  for (const [intent, reason] of cases) {
    const { req, rules } = request('c', intent);
    const r = orderConfiguration(rules, req);
    assert.ok(
      !r.ok && r.error.kind === 'unsupported' && r.error.reason === reason,
      `${intent.type} ${intent.tif}`,
    );
  }
});

test('capabilities: stops and trailing stops and OCO emulated, stops trigger on the last trade', () => {
  const c = COINBASE_CAPABILITIES;
  assert.equal(c.orderTypes.stop, 'emulated');
  assert.equal(c.orderTypes.trailing_stop, 'emulated');
  assert.equal(c.orderTypes.stop_limit, 'native');
  assert.equal(c.contingencies.oco, 'emulated');
  assert.equal(c.contingencies.bracket, 'emulated');
  assert.equal(c.timeInForce.day, 'unsupported');
  assert.equal(c.modify, true);
  assert.deepEqual(c.triggerBases, ['last']);
  // A bracket's exits, not the bracket: its entry is linked by Ordo.
  assert.equal(c.bracketExitPair, true);
});

test('a bracket’s exit pair is one trigger_bracket order, its client id naming both legs', () => {
  const tp = request('ordo-2', {
    product: 'BTC-USD',
    side: 'sell',
    type: 'limit',
    qty: '0.01',
    price: '55000',
  });
  const sl = request('ordo-3', {
    product: 'BTC-USD',
    side: 'sell',
    type: 'stop',
    qty: '0.01',
    trigger: '45000.5',
  });
  const list: VenueListRequest = {
    kind: 'bracket',
    listClientId: 'ordo-L1',
    parent: undefined,
    legs: [tp.req, sl.req],
    trigger: 'partial',
  };
  const r = exitPairRequest(tp.rules, list);
  assert.ok(r.ok);
  assert.deepEqual(r.value.body, {
    client_order_id: 'ordo-2_ordo-3',
    product_id: 'BTC-USD',
    side: 'SELL',
    order_configuration: {
      trigger_bracket_gtc: { base_size: '0.01', limit_price: '55000', stop_trigger_price: '45000.5' },
    },
  });
  const gtd = exitPairRequest(tp.rules, {
    ...list,
    legs: [
      { ...tp.req, tif: 'gtd', expireAtMs: Date.UTC(2030, 0, 2) },
      { ...sl.req, tif: 'gtd', expireAtMs: Date.UTC(2030, 0, 2) },
    ],
  });
  assert.ok(gtd.ok);
  assert.deepEqual((gtd.value.body as { order_configuration: unknown }).order_configuration, {
    trigger_bracket_gtd: {
      base_size: '0.01',
      limit_price: '55000',
      stop_trigger_price: '45000.5',
      end_time: '2030-01-02T00:00:00.000Z',
    },
  });
  // Not a pair: a stop-limit stop-loss (its own limit), an entry, different sizes.
  const stopLimit = { ...sl.req, type: 'stop_limit' as const, price: 4_400_000 };
  for (const bad of [
    { ...list, legs: [tp.req, stopLimit] },
    { ...list, parent: tp.req },
    { ...list, legs: [tp.req, { ...sl.req, quantity: sl.req.quantity + 1 }] },
    { ...list, kind: 'oco' as const },
  ]) {
    const b = exitPairRequest(tp.rules, bad);
    assert.ok(!b.ok && b.error.kind === 'unsupported', JSON.stringify(b));
  }
});

test('a bracket entry with its exits attached; listings and fills with repeated parameters', () => {
  const e = request('entry', { product: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.01', price: '50000' });
  const tp = request('tp', { product: 'BTC-USD', side: 'sell', type: 'limit', qty: '0.01', price: '55000' });
  const sl = request('sl', {
    product: 'BTC-USD',
    side: 'sell',
    type: 'stop_limit',
    qty: '0.01',
    price: '44000',
    trigger: '45000',
  });
  const list: VenueListRequest = {
    kind: 'bracket',
    listClientId: 'L1',
    parent: e.req,
    legs: [tp.req, sl.req],
    trigger: 'full',
  };
  const r = bracketOrderRequest(e.rules, list);
  assert.ok(r.ok);
  assert.deepEqual((r.value.body as Record<string, unknown>).attached_order_configuration, {
    trigger_bracket_gtc: { limit_price: '55000', stop_trigger_price: '45000' },
  });
  const oco = bracketOrderRequest(e.rules, { ...list, kind: 'oco', parent: undefined });
  assert.ok(!oco.ok && oco.error.kind === 'unsupported');
  const l = listOrdersRequest({
    productIds: ['BTC-USD', 'ETH-USD'],
    statuses: ['OPEN', 'PENDING'],
    cursor: 'c1',
  });
  assert.equal(
    encodeQuery(l.query),
    'product_ids=BTC-USD&product_ids=ETH-USD&order_status=OPEN&order_status=PENDING&limit=250&cursor=c1',
  );
  const f = listFillsRequest({ orderIds: ['o1'], startMs: 0 });
  assert.equal(
    encodeQuery(f.query),
    'order_ids=o1&start_sequence_timestamp=1970-01-01T00%3A00%3A00.000Z&limit=250',
  );
});
