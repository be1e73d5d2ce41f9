// Every file in shared/venues/examples/coinbase parses (the directory is iterated; a new file
// without an entry fails), and key payloads map to Ordo's vocabulary: success:false is a refusal
// with its reason, statuses (CANCELLED, no partial status), orders, fills, accounts, user-channel
// cumulative state and market data. Also ccxt's captured Coinbase responses.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { z } from 'zod';
import {
  accountsResponseSchema,
  createOrderResponseSchema,
  errorBodySchema,
  getOrderResponseSchema,
  listFillsResponseSchema,
  listOrdersResponseSchema,
  mapAccounts,
  mapFill,
  mapMarketTrade,
  mapOrder,
  mapTicker,
  mapUserOrder,
  type marketTradesEventSchema,
  parseWsMessage,
  refusalOf,
  statusOf,
  type tickerEventSchema,
  type userEventSchema,
} from './parsers.ts';
import { parseProduct } from './products.ts';
import { CCXT_DIR, EXAMPLES_DIR, rulesOf } from './test-fixtures.ts';

const read = (f: string): unknown => JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8'));

/** How each example file is read. */
const PARSERS: Record<string, (json: unknown) => boolean> = {
  create_order_failure_mock: (j) => createOrderResponseSchema.safeParse(j).success,
  create_order_success_mock: (j) => createOrderResponseSchema.safeParse(j).success,
  error_rate_limit_429: (j) => errorBodySchema.safeParse(j).success,
  get_order_limit_gtc_open: (j) => getOrderResponseSchema.safeParse(j).success,
  list_fills_nautilus: (j) => listFillsResponseSchema.safeParse(j).success,
  list_fills_spot: (j) => listFillsResponseSchema.safeParse(j).success,
  list_orders_filled_market_ioc: (j) => listOrdersResponseSchema.safeParse(j).success,
  list_orders_nautilus: (j) => listOrdersResponseSchema.safeParse(j).success,
  product_btc_usd: (j) => parseProduct(j).ok,
  ws: (j) => parseWsMessage(j).ok,
  request: (j) => typeof j === 'object' && j !== null,
};

test('every Coinbase example file parses', () => {
  const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 26, `${files.length} files`);
  for (const f of files) {
    const name = f.replace(/\.json$/, '');
    const parser = PARSERS[name] ?? PARSERS[name.split('_')[0]!];
    assert.ok(parser !== undefined, `${f} has no parser entry`);
    assert.ok(parser(read(f)), `${f} does not parse`);
  }
});

test('HTTP 200 with success:false is a refusal with its reason; success carries the order id', () => {
  const fail = createOrderResponseSchema.parse(read('create_order_failure_mock.json'));
  assert.equal(fail.success, false);
  const r = refusalOf(fail);
  assert.equal(r.code, 'INSUFFICIENT_FUND');
  assert.equal(r.reason, 'INSUFFICIENT_FUND: Insufficient balance — available=0');
  const ok = createOrderResponseSchema.parse(read('create_order_success_mock.json'));
  assert.equal(ok.success_response?.order_id, 'venue-100');
  assert.equal(ok.success_response?.client_order_id, 'client-100');
  // A preview reason is used when `error` is empty; UNKNOWN_* reasons are not reasons.
  assert.equal(
    refusalOf({
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      error_response: {
        error: '',
        preview_failure_reason: 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
        message: 'too small',
      },
    }).code,
    'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL',
  );
  assert.equal(
    refusalOf({ errors: [{ edit_failure_reason: 'ORDER_NOT_OPEN', preview_failure_reason: '' }] }).code,
    'ORDER_NOT_OPEN',
  );
});

test('statuses: CANCELLED (double L), no partial status, FAILED is a rejection', () => {
  assert.equal(statusOf('CANCELLED'), 'cancelled');
  assert.equal(statusOf('OPEN'), 'open');
  assert.equal(statusOf('PENDING'), 'open');
  assert.equal(statusOf('QUEUED'), 'open');
  assert.equal(statusOf('CANCEL_QUEUED'), 'open');
  assert.equal(statusOf('FILLED'), 'filled');
  assert.equal(statusOf('EXPIRED'), 'expired');
  assert.equal(statusOf('FAILED'), 'rejected');
  // An OPEN order with a filled size is partly filled.
  const btc = rulesOf('BTC-USD');
  const body = getOrderResponseSchema.parse(read('get_order_limit_gtc_open.json'));
  const s = mapOrder(body.order, btc.instrument);
  assert.ok(s.ok, s.ok ? '' : s.error.message);
  assert.equal(s.value.status, 'open');
  assert.equal(s.value.filled, 100_000);
  assert.equal(s.value.quantity, 100_000);
  assert.equal(s.value.price, 1_000_000);
  assert.equal(s.value.configuration, 'limit_limit_gtc');
  assert.equal(s.value.type, 'limit');
  assert.equal(s.value.fees, 5n * 10n ** 18n);
});

test('orders and fills of the fills endpoint map to exact units', () => {
  const ada = rulesOf('ADA-USDT', { base_increment: '1', price_increment: '0.001', base_min_size: '1' });
  const list = listOrdersResponseSchema.parse(read('list_orders_filled_market_ioc.json'));
  const o = mapOrder(list.orders[0]!, ada.instrument);
  assert.ok(o.ok);
  assert.equal(o.value.status, 'filled');
  assert.equal(o.value.type, 'market');
  assert.equal(o.value.side, 'sell');
  assert.equal(o.value.quantity, 10);
  assert.equal(o.value.value, 392n * 10n ** 16n);
  const fills = listFillsResponseSchema.parse(read('list_fills_spot.json'));
  const f = mapFill(fills.fills[0]!, ada.instrument);
  assert.ok(f.ok);
  assert.equal(f.value.tradeId, '19fc7eee-f4b4-40a7-8104-033da1db5311');
  assert.equal(f.value.price, 392);
  assert.equal(f.value.quantity, 10);
  assert.equal(f.value.fee, 3136n * 10n ** 13n);
  assert.equal(f.value.liquidity, 'taker');
  assert.equal(f.value.side, 'sell');
  const nautilus = listFillsResponseSchema.parse(read('list_fills_nautilus.json'));
  const m = mapFill(nautilus.fills[0]!, rulesOf('BTC-USD').instrument);
  assert.ok(m.ok);
  assert.equal(m.value.liquidity, 'maker');
  assert.match(m.value.sortKey, /^0*1705314600123\.456000000\|/);
});

test('the user channel: cumulative state of an order, in Ordo units', () => {
  const msg = parseWsMessage(read('ws_user_snapshot.json'));
  assert.ok(msg.ok);
  assert.equal(msg.value.channel, 'user');
  assert.equal(msg.value.sequence, 1);
  const ev = msg.value.events[0] as z.infer<typeof userEventSchema>;
  assert.equal(ev.type, 'snapshot');
  const u = mapUserOrder(ev.orders![0]!, rulesOf('BTC-USD').instrument);
  assert.ok(u.ok);
  assert.equal(u.value.clientOrderId, '11111-000000-000001');
  assert.equal(u.value.status, 'open');
  assert.equal(u.value.cumulative, 0);
  assert.equal(u.value.leaves, 100_000);
  assert.equal(u.value.value, 0n);
});

test('market_trades and ticker become trades and quotes; accounts become balances', () => {
  const btc = rulesOf('BTC-USD').instrument;
  const trades = parseWsMessage(read('ws_market_trades.json'));
  assert.ok(trades.ok);
  const t = (trades.value.events[0] as z.infer<typeof marketTradesEventSchema>).trades[0]!;
  const tick = mapMarketTrade(t, btc);
  assert.ok(tick.ok);
  assert.equal(tick.value.price, 6_890_050);
  assert.equal(tick.value.size, 150_000);
  assert.equal(tick.value.aggressor, 'buy');
  const ticker = parseWsMessage(read('ws_ticker.json'));
  assert.ok(ticker.ok);
  const q = mapTicker((ticker.value.events[0] as z.infer<typeof tickerEventSchema>).tickers[0]!, btc, 1);
  assert.ok(q.ok && q.value !== undefined);
  assert.equal(q.value.bid, 6_890_000);
  assert.equal(q.value.ask, 6_890_100);
  assert.equal(q.value.askSize, 50_000_000);
  const accounts = accountsResponseSchema.parse({
    accounts: [
      {
        uuid: 'a',
        currency: 'USD',
        available_balance: { value: '100.5', currency: 'USD' },
        hold: { value: '1', currency: 'USD' },
      },
    ],
    has_next: false,
    cursor: '',
  });
  const b = mapAccounts(accounts);
  assert.ok(b.ok);
  assert.deepEqual(b.value[0], { currency: 'USD', available: 1005n * 10n ** 17n, hold: 10n ** 18n });
});

test('ccxt captured Coinbase responses parse: fills, the FILLED order', () => {
  const fixture = JSON.parse(readFileSync(join(CCXT_DIR, 'response/coinbase.json'), 'utf8')) as {
    methods: Record<string, { description: string; httpResponse: unknown }[]>;
  };
  let n = 0;
  const schemas: Record<string, z.ZodType> = {
    fetchMyTrades: listFillsResponseSchema,
    fetchClosedOrders: listOrdersResponseSchema,
  };
  for (const [method, schema] of Object.entries(schemas))
    for (const c of fixture.methods[method] ?? []) {
      const r = schema.safeParse(c.httpResponse);
      assert.ok(r.success, `${method} ${c.description}`);
      n++;
    }
  assert.ok(n >= 3);
});
