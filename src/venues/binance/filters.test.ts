// Tests of the Binance filter pre-validation: messages and codes of each refusal, the rounding
// helpers, and a property test: every order checkOrder accepts passes each filter re-checked here
// independently, from the raw exchangeInfo strings with rational arithmetic.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatUnits } from '../../core/decimal.ts';
import { BINANCE_ORDER_TYPES, type BinanceOrderType, type BinanceSide } from './enums.ts';
import { parseSymbolRules, type SymbolRules } from './exchange-info.ts';
import {
  checkOrder,
  checkOrderCounts,
  type MarketContext,
  passiveRounding,
  rejectionError,
  roundPriceToTick,
  roundQtyDown,
  type WireOrder,
} from './filters.ts';
import { fixtureRules } from './test-fixtures.ts';

/** Raw filters of the property-test symbol: tick and step coarser than one unit of their scale. */
const RAW_FILTERS = [
  { filterType: 'PRICE_FILTER', minPrice: '0.10', maxPrice: '20000.00', tickSize: '0.05' },
  { filterType: 'LOT_SIZE', minQty: '0.004', maxQty: '9000.000', stepSize: '0.002' },
  { filterType: 'MARKET_LOT_SIZE', minQty: '0.010', maxQty: '50.000', stepSize: '0.010' },
  { filterType: 'ICEBERG_PARTS', limit: 10 },
  {
    filterType: 'PERCENT_PRICE_BY_SIDE',
    bidMultiplierUp: '1.2',
    bidMultiplierDown: '0.2',
    askMultiplierUp: '5',
    askMultiplierDown: '0.8',
    avgPriceMins: 5,
  },
  {
    filterType: 'NOTIONAL',
    minNotional: '10.00000000',
    applyMinToMarket: true,
    maxNotional: '100000.00000000',
    applyMaxToMarket: false,
    avgPriceMins: 5,
  },
  { filterType: 'MIN_NOTIONAL', minNotional: '12.5', applyToMarket: false, avgPriceMins: 0 },
  {
    filterType: 'TRAILING_DELTA',
    minTrailingAboveDelta: 10,
    maxTrailingAboveDelta: 2000,
    minTrailingBelowDelta: 20,
    maxTrailingBelowDelta: 1500,
  },
  { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 20 },
  { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
  { filterType: 'MAX_NUM_ICEBERG_ORDERS', maxNumIcebergOrders: 3 },
] as const;

function rulesWith(filters: readonly object[], extra: Record<string, unknown> = {}): SymbolRules {
  const r = parseSymbolRules({
    symbol: 'TSTUSDT',
    status: 'TRADING',
    baseAsset: 'TST',
    baseAssetPrecision: 8,
    quoteAsset: 'USDT',
    quoteAssetPrecision: 8,
    orderTypes: [...BINANCE_ORDER_TYPES],
    icebergAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    filters,
    ...extra,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const TST = rulesWith(RAW_FILTERS);

function order(partial: Partial<WireOrder>): WireOrder {
  return {
    side: 'BUY',
    type: 'LIMIT',
    quantity: undefined,
    quoteOrderQty: undefined,
    price: undefined,
    stopPrice: undefined,
    trailingDelta: undefined,
    icebergQty: undefined,
    timeInForce: undefined,
    ...partial,
  };
}

function refusal(rules: SymbolRules, o: WireOrder, ctx: MarketContext = {}) {
  const r = checkOrder(rules, o, ctx);
  assert.equal(r.ok, false, 'expected a refusal');
  if (r.ok) throw new Error('unreachable');
  return r.error;
}

test('LOT_SIZE minimum: message names filter, rule and values; code -1013', () => {
  const rules = rulesWith([{ filterType: 'LOT_SIZE', minQty: '0.0001', maxQty: '100', stepSize: '0.00001' }]);
  const e = refusal(rules, order({ type: 'LIMIT', quantity: 1, price: 100, timeInForce: 'GTC' }));
  assert.equal(e.message, 'LOT_SIZE: quantity 0.00001 is below minQty 0.0001');
  assert.equal(e.code, -1013);
  assert.equal(e.msg, 'Filter failure: LOT_SIZE');
  assert.equal(e.filter, 'LOT_SIZE');
  assert.equal(e.rule, 'min');
  assert.equal(rejectionError(e).code, 'venue_rejected');
});

test('each filter refuses with its own rule', () => {
  const limit = (p: Partial<WireOrder>) => order({ type: 'LIMIT', timeInForce: 'GTC', ...p });
  // price units: scale 2 (tick 0.05 = 5 units); quantity units: scale 3 (step 0.002 = 2 units)
  const cases: [WireOrder, MarketContext, string, string][] = [
    [limit({ price: 5, quantity: 4000 }), {}, 'PRICE_FILTER', 'price 0.05 is below minPrice 0.1'],
    [limit({ price: 2_000_005, quantity: 4 }), {}, 'PRICE_FILTER', 'price 20000.05 is above maxPrice 20000'],
    [
      limit({ price: 1001, quantity: 4000 }),
      {},
      'PRICE_FILTER',
      'price 10.01 is not a multiple of tickSize 0.05',
    ],
    [
      limit({ price: 1000, quantity: 4001 }),
      {},
      'LOT_SIZE',
      'quantity 4.001 is not a multiple of stepSize 0.002',
    ],
    [limit({ price: 1000, quantity: 9_000_002 }), {}, 'LOT_SIZE', 'quantity 9000.002 is above maxQty 9000'],
    [limit({ price: 1000, quantity: 1000 }), {}, 'MIN_NOTIONAL', 'notional 10 is below minNotional 12.5'],
    [
      limit({ price: 1300, quantity: 10_000 }),
      { avgPrice: 1000 },
      'PERCENT_PRICE_BY_SIDE',
      'price 13 is above average price 10 × bidMultiplierUp 1.2',
    ],
    [
      limit({ side: 'SELL', price: 750, quantity: 20_000 }),
      { avgPrice: 1000 },
      'PERCENT_PRICE_BY_SIDE',
      'price 7.5 is below average price 10 × askMultiplierDown 0.8',
    ],
    [order({ type: 'MARKET', quantity: 60_000 }), {}, 'MARKET_LOT_SIZE', 'quantity 60 is above maxQty 50'],
    [
      order({ type: 'MARKET', quantity: 4 }),
      { avgPrice: 1000 },
      'MARKET_LOT_SIZE',
      'quantity 0.004 is below minQty 0.01',
    ],
    [
      order({ type: 'MARKET', quantity: 10 }),
      { avgPrice: 10_000 },
      'NOTIONAL',
      'notional 1 is below minNotional 10',
    ],
    [
      order({ type: 'STOP_LOSS', side: 'SELL', quantity: 4000, trailingDelta: 10 }),
      {},
      'TRAILING_DELTA',
      'trailingDelta 10 is below minTrailingBelowDelta 20',
    ],
    [
      order({ type: 'TAKE_PROFIT', side: 'SELL', quantity: 4000, trailingDelta: 2001 }),
      {},
      'TRAILING_DELTA',
      'trailingDelta 2001 is above maxTrailingAboveDelta 2000',
    ],
    [
      limit({ price: 1000, quantity: 4000 }),
      { openOrders: 20 },
      'MAX_NUM_ORDERS',
      '20 open + 1 new exceeds the limit of 20',
    ],
    [
      order({ type: 'STOP_LOSS', side: 'SELL', quantity: 4000, stopPrice: 1000 }),
      { openOrders: 3, openAlgoOrders: 5 },
      'MAX_NUM_ALGO_ORDERS',
      '5 open + 1 new exceeds the limit of 5',
    ],
    [
      limit({ price: 1000, quantity: 4000, icebergQty: 200 }),
      {},
      'ICEBERG_PARTS',
      '20 parts exceed the limit of 10',
    ],
  ];
  for (const [o, ctx, filter, what] of cases) {
    const e = refusal(TST, o, ctx);
    assert.equal(e.message, `${filter}: ${what}`);
    assert.equal(e.filter, filter);
    assert.equal(e.code, -1013);
    assert.equal(e.msg, `Filter failure: ${filter}`);
  }
});

test('MIN_NOTIONAL and NOTIONAL both apply to a limit order; MIN_NOTIONAL skips MARKET here', () => {
  const e = refusal(TST, order({ type: 'LIMIT', timeInForce: 'GTC', price: 1000, quantity: 1200 }));
  assert.equal(e.message, 'MIN_NOTIONAL: notional 12 is below minNotional 12.5');
  // MARKET by quoteOrderQty: its notional is the quote amount; MIN_NOTIONAL does not apply to it.
  const ok = checkOrder(TST, order({ type: 'MARKET', quoteOrderQty: 11n * 10n ** 18n }));
  assert.ok(ok.ok);
  const low = refusal(TST, order({ type: 'MARKET', quoteOrderQty: 9n * 10n ** 18n }));
  assert.equal(low.message, 'NOTIONAL: notional 9 is below minNotional 10');
});

test('engine-level refusals carry -2010 and the documented message', () => {
  const halted = fixtureRules('XYZUSDT');
  const e1 = refusal(halted, order({ type: 'LIMIT', timeInForce: 'GTC', price: 100, quantity: 1000 }));
  assert.deepEqual([e1.code, e1.msg], [-2010, 'Market is closed.']);

  const noStops = rulesWith([], { orderTypes: ['LIMIT', 'MARKET'] });
  const e2 = refusal(noStops, order({ type: 'STOP_LOSS', quantity: 1, stopPrice: 1 }));
  assert.deepEqual([e2.code, e2.msg], [-2010, 'Stop loss orders are not supported for this symbol.']);

  const noTrail = rulesWith([], { allowTrailingStop: false });
  const e3 = refusal(noTrail, order({ type: 'STOP_LOSS', quantity: 1, trailingDelta: 100 }));
  assert.deepEqual([e3.code, e3.msg], [-2010, 'Trailing stop orders are not supported for this symbol.']);

  const noQuote = rulesWith([], { quoteOrderQtyMarketAllowed: false });
  const e4 = refusal(noQuote, order({ type: 'MARKET', quoteOrderQty: 1n }));
  assert.equal(e4.msg, 'Quote order qty market orders are not support for this symbol.');

  const e5 = refusal(TST, order({ type: 'STOP_LOSS', side: 'SELL', quantity: 4000, stopPrice: 1000 }), {
    lastPrice: 990,
  });
  assert.deepEqual([e5.code, e5.msg, e5.filter], [-2010, 'Order would trigger immediately.', 'TRIGGER']);
  const e6 = refusal(TST, order({ type: 'TAKE_PROFIT', side: 'SELL', quantity: 4000, stopPrice: 1000 }), {
    lastPrice: 1000,
  });
  assert.equal(e6.rule, 'above_last');
  assert.ok(
    checkOrder(TST, order({ type: 'STOP_LOSS', side: 'BUY', quantity: 4000, stopPrice: 1000 }), {
      lastPrice: 990,
    }).ok,
  );

  const e7 = refusal(TST, order({ type: 'LIMIT', quantity: 4000, price: 1000 }));
  assert.deepEqual([e7.code, e7.rule], [-1102, 'required']); // no timeInForce
  const e8 = refusal(TST, order({ type: 'LIMIT_MAKER', quantity: 4000, price: 1000, timeInForce: 'GTC' }));
  assert.equal(e8.code, -1114);
  const e9 = refusal(
    TST,
    order({ type: 'LIMIT', timeInForce: 'GTC', quantity: 4000, price: 1000, icebergQty: 4000 }),
  );
  assert.equal(e9.msg, 'IcebergQty exceeds QTY.');
});

test('order counts for a whole order list', () => {
  const legs = [
    order({ type: 'LIMIT_MAKER', side: 'SELL', quantity: 4000, price: 1100 }),
    order({
      type: 'STOP_LOSS_LIMIT',
      side: 'SELL',
      quantity: 4000,
      price: 900,
      stopPrice: 905,
      timeInForce: 'GTC',
    }),
  ];
  assert.ok(checkOrderCounts(TST, legs, { openOrders: 18 }).ok);
  const r = checkOrderCounts(TST, legs, { openOrders: 19 });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.message, 'MAX_NUM_ORDERS: 19 open + 2 new exceeds the limit of 20');
});

test('rounding: quantity down to the lot, price to the tick, passive side', () => {
  const btc = fixtureRules('BTCUSDT');
  const ltc = fixtureRules('LTCUSDT');
  // ccxt's "weird amount" cases: 0.0007856509959147719 BTC → 0.00078; 0.4234234234 LTC → 0.423.
  assert.equal(roundQtyDown(btc, '0.0007856509959147719'), 78);
  assert.equal(roundQtyDown(ltc, '0.4234234234'), 423);
  assert.equal(roundPriceToTick(ltc, '55.324242343'), 5532);
  assert.equal(roundPriceToTick(ltc, '55.325'), 5532); // half-even
  assert.equal(roundPriceToTick(ltc, '55.325', 'ceil'), 5533);
  assert.equal(roundPriceToTick(TST, '10.024', passiveRounding('BUY')), 1000);
  assert.equal(roundPriceToTick(TST, '10.026', passiveRounding('SELL')), 1005);
  assert.equal(roundPriceToTick(TST, '10.0249999'), 1000); // one rounding step, no double rounding
  assert.equal(roundPriceToTick(TST, { units: 100_260n, scale: 4 }, 'half_even'), 1005);
  assert.equal(roundQtyDown(TST, '4.0079'), 4006);
  assert.equal(roundQtyDown(TST, '4.0079', true), 4000); // MARKET_LOT_SIZE step 0.01
  assert.equal(roundQtyDown(TST, { units: 40_079n, scale: 4 }), 4006);
  assert.equal(roundQtyDown(TST, 'abc'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Independent re-check from the raw strings, with rationals n / 10^s.

type Dec = readonly [bigint, number];
const dec = (s: string): Dec => {
  const [i, f = ''] = s.split('.');
  return [BigInt(`${i}${f}`), f.length];
};
const fromUnits = (u: number | bigint, scale: number): Dec => [BigInt(u), scale];
const mul = (a: Dec, b: Dec): Dec => [a[0] * b[0], a[1] + b[1]];
const cmp = (a: Dec, b: Dec): number => {
  const s = Math.max(a[1], b[1]);
  const x = a[0] * 10n ** BigInt(s - a[1]);
  const y = b[0] * 10n ** BigInt(s - b[1]);
  return x < y ? -1 : x > y ? 1 : 0;
};
const multipleOf = (a: Dec, step: Dec): boolean => {
  const s = Math.max(a[1], step[1]);
  return (a[0] * 10n ** BigInt(s - a[1])) % (step[0] * 10n ** BigInt(s - step[1])) === 0n;
};
const raw = <T extends string>(type: T) =>
  RAW_FILTERS.find((f) => f.filterType === type) as Extract<(typeof RAW_FILTERS)[number], { filterType: T }>;

function independentlyValid(o: WireOrder, ctx: MarketContext): string | undefined {
  const ps = TST.instrument.priceScale;
  const qs = TST.instrument.qtyScale;
  const pf = raw('PRICE_FILTER');
  for (const p of [o.price, o.stopPrice]) {
    if (p === undefined) continue;
    const v = fromUnits(p, ps);
    if (cmp(v, dec(pf.minPrice)) < 0 || cmp(v, dec(pf.maxPrice)) > 0 || !multipleOf(v, dec(pf.tickSize)))
      return 'PRICE_FILTER';
  }
  const lot = raw('LOT_SIZE');
  for (const q of [o.quantity, o.icebergQty]) {
    if (q === undefined) continue;
    const v = fromUnits(q, qs);
    if (cmp(v, dec(lot.minQty)) < 0 || cmp(v, dec(lot.maxQty)) > 0 || !multipleOf(v, dec(lot.stepSize)))
      return 'LOT_SIZE';
  }
  if (o.type === 'MARKET' && o.quantity !== undefined) {
    const m = raw('MARKET_LOT_SIZE');
    const v = fromUnits(o.quantity, qs);
    if (cmp(v, dec(m.minQty)) < 0 || cmp(v, dec(m.maxQty)) > 0 || !multipleOf(v, dec(m.stepSize)))
      return 'MARKET_LOT_SIZE';
  }
  if (o.icebergQty !== undefined && o.quantity !== undefined) {
    if (o.icebergQty >= o.quantity) return 'ICEBERG';
    if (Math.ceil(o.quantity / o.icebergQty) > raw('ICEBERG_PARTS').limit) return 'ICEBERG_PARTS';
  }
  const pps = raw('PERCENT_PRICE_BY_SIDE');
  if (o.price !== undefined && ctx.avgPrice !== undefined) {
    const avg = fromUnits(ctx.avgPrice, ps);
    const [up, down] =
      o.side === 'BUY'
        ? [pps.bidMultiplierUp, pps.bidMultiplierDown]
        : [pps.askMultiplierUp, pps.askMultiplierDown];
    const p = fromUnits(o.price, ps);
    if (cmp(p, mul(avg, dec(up))) > 0 || cmp(p, mul(avg, dec(down))) < 0) return 'PERCENT_PRICE_BY_SIDE';
  }
  const market = o.type === 'MARKET';
  const notionalAt = (ref: number | undefined): Dec | undefined => {
    if (o.quoteOrderQty !== undefined) return fromUnits(o.quoteOrderQty, 18);
    const price = market ? ref : (o.price ?? o.stopPrice);
    return price === undefined || o.quantity === undefined
      ? undefined
      : mul(fromUnits(price, ps), fromUnits(o.quantity, qs));
  };
  const nf = raw('NOTIONAL');
  const n5 = notionalAt(ctx.avgPrice);
  if (n5 !== undefined) {
    if ((!market || nf.applyMinToMarket) && cmp(n5, dec(nf.minNotional)) < 0) return 'NOTIONAL';
    if ((!market || nf.applyMaxToMarket) && cmp(n5, dec(nf.maxNotional)) > 0) return 'NOTIONAL';
  }
  const mn = raw('MIN_NOTIONAL');
  const n0 = notionalAt(ctx.lastPrice);
  if ((!market || mn.applyToMarket) && n0 !== undefined && cmp(n0, dec(mn.minNotional)) < 0)
    return 'MIN_NOTIONAL';
  const td = raw('TRAILING_DELTA');
  if (o.trailingDelta !== undefined) {
    const above =
      (o.type.startsWith('STOP_LOSS') && o.side === 'BUY') ||
      (o.type.startsWith('TAKE_PROFIT') && o.side === 'SELL');
    const [min, max] = above
      ? [td.minTrailingAboveDelta, td.maxTrailingAboveDelta]
      : [td.minTrailingBelowDelta, td.maxTrailingBelowDelta];
    if (o.trailingDelta < min || o.trailingDelta > max) return 'TRAILING_DELTA';
  }
  const algo = o.type.startsWith('STOP_LOSS') || o.type.startsWith('TAKE_PROFIT');
  if (ctx.openOrders !== undefined && ctx.openOrders + 1 > raw('MAX_NUM_ORDERS').maxNumOrders)
    return 'MAX_NUM_ORDERS';
  if (
    algo &&
    ctx.openAlgoOrders !== undefined &&
    ctx.openAlgoOrders + 1 > raw('MAX_NUM_ALGO_ORDERS').maxNumAlgoOrders
  )
    return 'MAX_NUM_ALGO_ORDERS';
  if (
    o.icebergQty !== undefined &&
    ctx.openIcebergOrders !== undefined &&
    ctx.openIcebergOrders + 1 > raw('MAX_NUM_ICEBERG_ORDERS').maxNumIcebergOrders
  )
    return 'MAX_NUM_ICEBERG_ORDERS';
  if (algo && o.stopPrice !== undefined && o.trailingDelta === undefined && ctx.lastPrice !== undefined) {
    const above =
      (o.type.startsWith('STOP_LOSS') && o.side === 'BUY') ||
      (o.type.startsWith('TAKE_PROFIT') && o.side === 'SELL');
    if (above ? o.stopPrice <= ctx.lastPrice : o.stopPrice >= ctx.lastPrice) return 'TRIGGER';
  }
  return undefined;
}

const arbOrder: fc.Arbitrary<[WireOrder, MarketContext]> = fc
  .record({
    side: fc.constantFrom<BinanceSide>('BUY', 'SELL'),
    type: fc.constantFrom<BinanceOrderType>(...BINANCE_ORDER_TYPES),
    quantity: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10_000_000 })),
    byQuote: fc.boolean(),
    quote: fc.bigInt({ min: 1n, max: 200_000n * 10n ** 18n }),
    price: fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 2_500_000 })),
    stopPrice: fc.option(fc.integer({ min: 1, max: 2_500_000 }), { nil: undefined }),
    trailingDelta: fc.option(fc.integer({ min: 1, max: 2500 }), { nil: undefined }),
    iceberg: fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
    tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'FOK' as const),
    avgPrice: fc.option(fc.integer({ min: 1, max: 2_500_000 }), { nil: undefined }),
    lastPrice: fc.option(fc.integer({ min: 1, max: 2_500_000 }), { nil: undefined }),
    openOrders: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }),
    openAlgoOrders: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    openIcebergOrders: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  })
  .map((g) => {
    const priced = ['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'].includes(g.type);
    const algo = g.type.startsWith('STOP_LOSS') || g.type.startsWith('TAKE_PROFIT');
    const quoteMarket = g.type === 'MARKET' && g.byQuote;
    const o: WireOrder = {
      side: g.side,
      type: g.type,
      quantity: quoteMarket ? undefined : g.quantity,
      quoteOrderQty: quoteMarket ? g.quote : undefined,
      price: priced ? g.price : undefined,
      stopPrice: algo ? (g.stopPrice ?? (g.trailingDelta === undefined ? g.price : undefined)) : undefined,
      trailingDelta: algo ? g.trailingDelta : undefined,
      icebergQty: priced && g.type !== 'LIMIT_MAKER' && g.tif === 'GTC' ? g.iceberg : undefined,
      timeInForce: ['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'].includes(g.type) ? g.tif : undefined,
    };
    const ctx: MarketContext = {
      avgPrice: g.avgPrice,
      lastPrice: g.lastPrice,
      openOrders: g.openOrders,
      openAlgoOrders: g.openAlgoOrders,
      openIcebergOrders: g.openIcebergOrders,
    };
    return [o, ctx];
  });

test('property: every accepted order passes each filter checked independently', () => {
  let accepted = 0;
  fc.assert(
    fc.property(arbOrder, ([o, ctx]) => {
      const r = checkOrder(TST, o, ctx);
      const broken = independentlyValid(o, ctx);
      if (r.ok) {
        accepted++;
        assert.equal(broken, undefined, `accepted but breaks ${broken}: ${JSON.stringify(o, big)}`);
      }
    }),
    { numRuns: 3000 },
  );
  assert.ok(accepted > 50, `too few accepted orders to mean anything: ${accepted}`);
});

test('property: an order the independent check finds valid is accepted', () => {
  fc.assert(
    fc.property(arbOrder, ([o, ctx]) => {
      if (independentlyValid(o, ctx) !== undefined) return;
      const r = checkOrder(TST, o, ctx);
      assert.ok(r.ok, `refused: ${r.ok ? '' : r.error.message} ${JSON.stringify(o, big)}`);
    }),
    { numRuns: 3000 },
  );
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? formatUnits(v, 18, true) : v;
}
