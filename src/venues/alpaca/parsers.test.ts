// Tests of the Alpaca parsers. Every file in shared/venues/examples/alpaca is listed with the
// check it gets (a new file without one fails the test), and ccxt's recorded Alpaca responses
// (assets, fill activities) are read too.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pow10 } from '../../core/decimal.ts';
import { unwrap } from '../../core/errors.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';
import { assetRules, assetSchema, parseAssets } from './assets.ts';
import { AlpacaCredentials } from './auth.ts';
import {
  accountSchema,
  activitySchema,
  cancelAllItemSchema,
  canonicalDecimal,
  classifyError,
  errorBodySchema,
  fillActivitySchema,
  fillTradeId,
  mapAccountCash,
  mapFillActivity,
  mapOrder,
  mapPosition,
  orderSchema,
  positionSchema,
  statusClass,
} from './parsers.ts';
import { placeOrderRequest } from './requests.ts';
import { ccxt, examples, order, SPY } from './test-fixtures.ts';
import { FillTracker, mapTradeUpdate, parseStreamMessage } from './trade-updates.ts';

const M = (text: string): bigint => {
  const [i, f = ''] = text.replace('-', '').split('.');
  const v = BigInt(i!) * pow10(MONEY_SCALE) + BigInt(f.padEnd(MONEY_SCALE, '0') || '0');
  return text.startsWith('-') ? -v : v;
};

/** A legacy-symbol crypto asset for the documented SOLUSD fill event. */
const SOL = unwrap(
  assetRules(
    assetSchema.parse({
      id: '1cf35270-99ee-44e2-a77f-6fab902c7f80',
      class: 'crypto',
      symbol: 'SOL/USD',
      status: 'active',
      tradable: true,
      min_order_size: '0.01',
      min_trade_increment: '0.01',
      price_increment: '0.0000001',
    }),
  ),
);

const CHECKS: Record<string, (json: unknown) => void> = {
  'account.json': (j) => {
    const a = accountSchema.parse(j);
    const cash = unwrap(mapAccountCash(a));
    assert.equal(cash.currency, 'USD');
    assert.equal(cash.total, M('-23140.2'));
    assert.equal(cash.available, M('7386.56'));
  },
  'activity_cfee.json': (j) => {
    const a = activitySchema.parse(j);
    assert.equal(a.activity_type, 'CFEE');
    assert.equal(fillActivitySchema.safeParse(j).success, false);
  },
  'asset_crypto.json': (j) => {
    const r = unwrap(assetRules(assetSchema.parse(j)));
    assert.equal(r.instrument.key, 'alpaca:BTC/USD');
    assert.equal(r.instrument.kind, 'crypto_spot');
    assert.equal(r.instrument.priceIncrement, 1); // price_increment "1"
    assert.equal(r.instrument.qtyScale, 4);
    assert.equal(r.instrument.qtyMin, 1); // 0.0001
  },
  'asset_crypto_btcusd_pair.json': (j) => CHECKS['asset_crypto.json']!(j),
  'asset_equity_fractionable_aapl.json': (j) => {
    const r = unwrap(assetRules(assetSchema.parse(j)));
    assert.equal(r.instrument.key, 'alpaca:AAPL');
    assert.equal(r.instrument.symbol, 'AAPL');
    assert.equal(r.instrument.kind, 'equity');
    assert.equal(r.instrument.base, 'AAPL');
    assert.equal(r.instrument.quote, 'USD');
    assert.equal(r.instrument.priceScale, 4);
    assert.equal(r.instrument.qtyScale, 9);
    assert.equal(r.fractionable, true);
  },
  'cancel_all_orders_207_item.json': (j) => {
    const item = cancelAllItemSchema.parse(j);
    assert.equal(item.status, 200);
  },
  'error_subpenny_limit_price.json': (j) => {
    const e = errorBodySchema.parse(j);
    assert.equal(e.code, 42210000);
    assert.deepEqual(classifyError(422, e), { kind: 'rejected', code: 'sub_penny' });
    // Ordo refuses the same price before sending, naming the rule.
    const r = placeOrderRequest(SPY, order(SPY, { price: '290.123' }));
    assert.ok(!r.ok && r.error.rule === 'sub_penny');
  },
  'error_subpenny_stop_price.json': (j) => CHECKS['error_subpenny_limit_price.json']!(j),
  'order_crypto_notional_market_accepted.json': (j) => {
    const o = orderSchema.parse(j);
    const r = unwrap(parseAssets([{ ...asset('BTC/USD'), price_increment: '1' }]));
    const s = unwrap(mapOrder(o, r.assets.byVenueSymbol('BTC/USD')!.instrument));
    assert.equal(s.status, 'open');
    assert.equal(s.quantity, undefined); // notional: no quantity yet
    assert.equal(s.orderClass, 'simple');
    assert.equal(s.createdMs, Date.UTC(2021, 2, 16, 18, 38, 1, 942));
  },
  'order_equity_notional_market_accepted.json': (j) => {
    const o = orderSchema.parse(j);
    const aapl = unwrap(assetRules(assetSchema.parse(asset('AAPL'))));
    const s = unwrap(mapOrder(o, aapl.instrument));
    assert.equal(s.type, 'market');
    assert.equal(s.status, 'open');
    assert.equal(s.rawStatus, 'accepted');
  },
  'position.json': (j) => {
    const p = positionSchema.parse(j);
    const b = unwrap(mapPosition(p));
    assert.equal(b.currency, 'AAPL'); // "AAPL " trimmed
    assert.equal(b.total, M('5'));
    assert.equal(b.available, M('4'));
    // Crypto positions carry the legacy symbol; the asset list names the base.
    const crypto = positionSchema.parse({
      ...(j as object),
      symbol: 'BTCUSD',
      qty: '0.5',
      qty_available: '0.5',
    });
    const base = (s: string) => (s === 'BTCUSD' ? 'BTC' : undefined);
    assert.equal(unwrap(mapPosition(crypto, base)).currency, 'BTC');
  },
  'trade_update_fill_crypto.json': (j) => {
    const m = unwrap(parseStreamMessage(j));
    assert.equal(m.kind, 'trade_update');
    if (m.kind !== 'trade_update') return;
    // `created_at` has a -04:00 offset and nanoseconds.
    assert.equal(m.update.order.created_at, Date.UTC(2022, 3, 19, 17, 45, 4, 981));
    const out = unwrap(mapTradeUpdate(m.update, SOL.instrument, 'ordo-5', new FillTracker()));
    assert.equal(out.gap, false);
    assert.equal(out.reports.length, 1);
    const f = out.reports[0]!;
    assert.ok(f.kind === 'fill');
    assert.equal(f.tradeId, 'a5be8f5e-fdfa-41f5-a644-7a74fe947a8f:1790.86');
    assert.equal(f.quantity, 179_086);
    assert.equal(f.price, 1_058_988_475);
    assert.equal(f.ts, Date.UTC(2022, 3, 19, 17, 45, 5, 24));
  },
  'ws_authenticate_request.json': (j) => {
    // The frame Ordo sends has this shape (values aside).
    const mine = JSON.parse(unwrap(AlpacaCredentials.from({ keyId: 'K', secretKey: 'S' })).streamAuthFrame());
    assert.deepEqual(shape(mine), shape(j));
  },
  'ws_authorized.json': (j) => {
    const m = unwrap(parseStreamMessage(j));
    assert.ok(m.kind === 'authorization' && m.authorized);
  },
  'ws_unauthorized.json': (j) => {
    const m = unwrap(parseStreamMessage(j));
    assert.ok(m.kind === 'authorization' && !m.authorized && m.action === 'authenticate');
  },
  'ws_unauthorized_listen.json': (j) => {
    const m = unwrap(parseStreamMessage(j));
    assert.ok(m.kind === 'authorization' && !m.authorized && m.action === 'listen');
  },
  'ws_listen_request.json': (j) => {
    assert.deepEqual(j, { action: 'listen', data: { streams: ['trade_updates'] } });
  },
  'ws_listening_ack.json': (j) => {
    const m = unwrap(parseStreamMessage(j));
    assert.ok(m.kind === 'listening' && m.streams.includes('trade_updates'));
  },
  // Request bodies: rebuilt from Ordo requests in requests.test.ts; here their shape is checked.
  'request_bracket_order.json': (j) => requestShape(j),
  'request_fractional_market_order.json': (j) => requestShape(j),
  'request_notional_market_order.json': (j) => requestShape(j),
  'request_oco_order.json': (j) => requestShape(j),
  'request_oto_order.json': (j) => requestShape(j),
  'request_trailing_stop_order.json': (j) => requestShape(j),
};

function asset(symbol: string): Record<string, unknown> {
  return {
    id: `id-${symbol}`,
    class: symbol.includes('/') ? 'crypto' : 'us_equity',
    symbol,
    status: 'active',
    tradable: true,
    fractionable: true,
  };
}

function shape(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shape(x)]));
}

function requestShape(j: unknown): void {
  const o = j as Record<string, unknown>;
  for (const k of ['symbol', 'side', 'type', 'time_in_force']) assert.equal(typeof o[k], 'string', k);
  assert.ok(o.qty !== undefined || o.notional !== undefined);
}

describe('every documented Alpaca example parses', () => {
  const all = examples();
  it('has a check for each file', () => {
    const missing = [...all.keys()].filter((f) => CHECKS[f] === undefined);
    assert.deepEqual(missing, []);
    assert.ok(all.size >= 24);
  });
  for (const [name, json] of all) it(name, () => CHECKS[name]?.(json));
});

describe("ccxt's recorded Alpaca responses", () => {
  const fixture = ccxt('response/alpaca.json');

  it('fetchMarkets: crypto assets become instruments on their own grids', () => {
    const rows = fixture.methods.fetchMarkets![0]!.httpResponse;
    const list = unwrap(parseAssets(rows));
    const doge = list.assets.byVenueSymbol('DOGE/USDC')!;
    assert.equal(doge.instrument.qtyScale, 9);
    assert.equal(doge.instrument.qtyMin, 9_337_068_160); // 9.33706816
    const aave = list.assets.byVenueSymbol('AAVEUSD')!; // legacy form finds the pair
    assert.equal(aave.instrument.key, 'alpaca:AAVE/USD');
    assert.equal(aave.instrument.priceIncrement, 1);
    assert.equal(aave.instrument.priceScale, 2);
    const wanted = parseAssets(rows, { symbols: ['AAVE/USD', 'NOPE/USD'] });
    assert.ok(!wanted.ok && /NOPE\/USD is not listed/.test(wanted.error.message));
  });

  it('fetchMyTrades: a FILL activity, with the trade id the stream gives', () => {
    const rows = fixture.methods.fetchMyTrades![0]!.httpResponse as unknown[];
    const a = fillActivitySchema.parse(rows[0]);
    const ltc = unwrap(
      assetRules(
        assetSchema.parse({
          ...asset('LTC/USD'),
          min_trade_increment: '0.000000001',
          price_increment: '0.01',
        }),
      ),
    );
    const f = unwrap(mapFillActivity(a, ltc.instrument));
    assert.equal(f.tradeId, fillTradeId('82eebcf7-6e66-4b7e-93f8-be0df0e4f12e', '0.07'));
    assert.equal(f.side, 'sell');
    assert.equal(f.quantity, 70_000_000);
    assert.equal(f.price, 6_731);
    assert.equal(f.cumQty, 70_000_000);
  });
});

describe('statuses, errors and numbers', () => {
  it('maps every status into Ordo’s set', () => {
    const o = { time_in_force: 'gtc', qty: '1', filled_qty: '0' };
    const cases: [string, string][] = [
      ['new', 'open'],
      ['partially_filled', 'open'],
      ['accepted', 'open'],
      ['pending_new', 'open'],
      ['held', 'open'],
      ['pending_cancel', 'open'],
      ['pending_replace', 'open'],
      ['accepted_for_bidding', 'open'],
      ['stopped', 'open'],
      ['suspended', 'open'],
      ['filled', 'filled'],
      ['canceled', 'cancelled'],
      ['expired', 'expired'],
      ['rejected', 'rejected'],
      ['replaced', 'replaced'],
      ['done_for_day', 'open'],
      ['calculated', 'expired'],
    ];
    for (const [status, want] of cases) assert.equal(statusClass({ ...o, status }), want, status);
    assert.equal(statusClass({ ...o, status: 'done_for_day', time_in_force: 'day' }), 'expired');
    assert.equal(statusClass({ ...o, status: 'calculated', filled_qty: '1.0' }), 'filled');
  });

  it('classifies error answers (venues.md 1.9)', () => {
    const c = (status: number, code: number | undefined, message: string) =>
      classifyError(status, { code, message });
    assert.deepEqual(c(429, 42910000, 'rate limit exceeded'), { kind: 'retryable', code: 'rate_limited' });
    assert.deepEqual(c(500, 50010000, 'internal server error occurred'), {
      kind: 'unknown',
      code: 'http_500',
    });
    assert.deepEqual(classifyError(504, undefined), { kind: 'unknown', code: 'http_504' });
    assert.deepEqual(c(404, 40410000, 'order is not found.'), { kind: 'rejected', code: 'unknown_order' });
    assert.deepEqual(c(422, 40010001, 'client_order_id must be unique'), {
      kind: 'rejected',
      code: 'duplicate_client_order_id',
    });
    assert.deepEqual(c(403, 40310000, 'insufficient buying power'), {
      kind: 'rejected',
      code: 'insufficient_balance',
    });
    assert.deepEqual(c(403, 40310000, 'order parameters are not changed'), {
      kind: 'rejected',
      code: 'order_unchanged',
    });
    assert.deepEqual(c(403, undefined, 'forbidden.'), { kind: 'rejected', code: 'unauthorized' });
    assert.deepEqual(c(401, 40110000, 'request is not authorized'), {
      kind: 'rejected',
      code: 'unauthorized',
    });
    assert.deepEqual(c(422, 42210000, 'order is already in "filled" state'), {
      kind: 'rejected',
      code: 'order_closed',
    });
  });

  it('decimals as strings or numbers, canonical trade ids', () => {
    assert.equal(canonicalDecimal('0.500'), '0.5');
    assert.equal(canonicalDecimal('2.0'), '2');
    assert.equal(canonicalDecimal('007'), '7');
    assert.equal(fillTradeId('x', '1.50'), 'x:1.5');
    const withNumbers = orderSchema.parse({
      id: 'o1',
      client_order_id: 'c1',
      created_at: '2024-01-01T00:00:00Z',
      symbol: 'SPY',
      qty: 100,
      filled_qty: 0,
      type: 'limit',
      side: 'buy',
      time_in_force: 'day',
      limit_price: 450.5,
      status: 'new',
      legs: [],
    });
    const s = unwrap(mapOrder(withNumbers, SPY.instrument));
    assert.equal(s.quantity, 100);
    assert.equal(s.price, 4_505_000);
  });
});
