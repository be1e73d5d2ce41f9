// The manager as the engine sees it: every failing rule reported together in a fixed order, the
// shared PASS, what-if that changes nothing, limit changes that validate and are all-or-nothing,
// checkPositionSize, and a property that check never throws and never changes state.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatUnits } from '../core/decimal.ts';
import { ORDER_TYPES } from '../model/order.ts';
import { DENIAL_CODES, PASS, type RiskVerdict } from './denial.ts';
import type { OrderIntent } from './order-intent.ts';
import { ACME, BTC, ETH_EUR, money, order, px, qty } from './risk-fixtures.ts';
import type { RiskLimits, TradingState } from './risk-limits.ts';
import { RiskManager } from './risk-manager.ts';
import { StaticRiskContext } from './static-risk-context.ts';

const KEY = 'paper:BTC/USD';

const ALL: RiskLimits = {
  orderQtyMax: { default: '1' },
  orderNotionalMax: { default: '1000' },
  positionQtyMax: { default: '5' },
  positionNotionalMax: { default: '1000' },
  openOrdersMax: 3,
  priceBandBps: { default: 500 },
  dailyLossMax: { USD: '500' },
  ordersPerSecondMax: 1,
};

function codes(v: RiskVerdict): string[] {
  return v.ok ? [] : v.denials.map((d) => d.code);
}

test('every failing rule is reported, in a fixed order', () => {
  const risk = new RiskManager({ ...ALL, tradingState: 'halted' });
  const ctx = new StaticRiskContext({
    nowMs: 1_000,
    positions: { [KEY]: qty('1') },
    openOrders: 3,
    referencePrices: { [KEY]: px('100') },
    realizedPnl: { USD: money('-600') },
  });
  risk.record(order(), ctx);
  const intent = order({ quantity: qty('10'), price: px('200'), reduceOnly: true });
  assert.deepEqual(codes(risk.check(intent, ctx)), [
    'trading_halted',
    'reduce_only_violation',
    'quantity_exceeds_max',
    'notional_exceeds_max',
    'position_exceeds_max',
    'position_notional_exceeds_max',
    'open_orders_exceed_max',
    'price_outside_band',
    'daily_loss_limit_reached',
    'rate_limit_exceeded',
  ]);
  const noReference = new StaticRiskContext({ nowMs: 1_000 });
  assert.deepEqual(codes(risk.check(order({ type: 'market', price: undefined }), noReference)), [
    'trading_halted',
    'no_reference_price',
    'rate_limit_exceeded',
  ]);
});

test('a passing check returns the shared frozen PASS', () => {
  const ctx = new StaticRiskContext({ referencePrices: { [KEY]: px('100') } });
  assert.equal(new RiskManager().check(order(), ctx), PASS);
  assert.equal(new RiskManager(ALL).check(order({ quantity: qty('0.5') }), ctx), PASS);
  assert.equal(Object.isFrozen(PASS), true);
});

test('whatIf summarises and does not touch the rate limit', () => {
  const risk = new RiskManager({ ordersPerSecondMax: 1, orderQtyMax: { default: '1' } });
  const ctx = new StaticRiskContext({ nowMs: 0 });
  for (let i = 0; i < 5; i++) {
    const w = risk.whatIf(order(), ctx);
    assert.equal(w.verdict, PASS);
    assert.equal(
      w.summary,
      'limit buy 1.000 paper:BTC/USD @ 100.00: allowed (checked orderQtyMax, ordersPerSecondMax)',
    );
  }
  assert.equal(risk.check(order(), ctx), PASS);
  risk.record(order(), ctx);
  const w = risk.whatIf(order({ quantity: qty('2') }), ctx);
  assert.deepEqual(w.checked, ['orderQtyMax', 'ordersPerSecondMax']);
  assert.equal(
    w.summary,
    [
      'limit buy 2.000 paper:BTC/USD @ 100.00: denied by 2 rules (checked orderQtyMax, ordersPerSecondMax)',
      '  quantity_exceeds_max: order quantity 2.000 exceeds the maximum 1.000 for paper:BTC/USD',
      '  rate_limit_exceeded: 1 orders were accepted in the last 1000 ms; the maximum is 1',
    ].join('\n'),
  );
  assert.equal(
    new RiskManager().whatIf(order(), ctx).summary,
    'limit buy 1.000 paper:BTC/USD @ 100.00: allowed (no limits apply)',
  );
});

test('bad limit input returns field issues and changes nothing', () => {
  const risk = new RiskManager({ openOrdersMax: 5, ordersPerSecondMax: 1 });
  const before = risk.limits();
  const ctx = new StaticRiskContext({ openOrders: 2 });
  risk.record(order(), ctx);
  const r = risk.setLimits({ openOrdersMax: 1, orderQtyMax: { default: '-1' }, ordersPerSecondMax: 10 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.ok ? [] : r.error.issues.map((i) => [i.field, i.rule]), [
    ['orderQtyMax.default', 'non_negative'],
  ]);
  assert.equal(r.ok ? '' : r.error.code, 'invalid_field');
  assert.equal(risk.limits(), before);
  assert.deepEqual(codes(risk.check(order(), ctx)), ['rate_limit_exceeded']);
  const s = risk.setTradingState('paused' as TradingState);
  assert.deepEqual(s.ok ? [] : s.error.issues.map((i) => [i.field, i.rule]), [['tradingState', 'one_of']]);
  assert.equal(risk.tradingState(), 'active');
  assert.equal(risk.limits(), before);
});

test('setLimits applies a patch, keeps the rate history and recompiles per-instrument limits', () => {
  const risk = new RiskManager({ ordersPerSecondMax: 1 });
  const ctx = new StaticRiskContext({ nowMs: 0 });
  risk.record(order(), ctx);
  assert.deepEqual(codes(risk.check(order(), ctx)), ['rate_limit_exceeded']);
  const r = risk.setLimits({ ordersPerSecondMax: 2, orderQtyMax: { default: '0.5' } });
  assert.equal(r.ok, true);
  assert.deepEqual(risk.limits(), { ordersPerSecondMax: 2, orderQtyMax: { default: '0.5' } });
  assert.deepEqual(codes(risk.check(order(), ctx)), ['quantity_exceeds_max']);
  risk.record(order(), ctx);
  assert.deepEqual(codes(risk.check(order({ quantity: qty('0.5') }), ctx)), ['rate_limit_exceeded']);
  assert.equal(risk.setLimits({ ordersPerSecondMax: null, orderQtyMax: null }).ok, true);
  assert.equal(risk.check(order(), ctx), PASS);
});

test('setTradingState moves between states and back', () => {
  const risk = new RiskManager();
  const ctx = new StaticRiskContext();
  assert.deepEqual(risk.setTradingState('halted'), { ok: true, value: 'halted' });
  assert.deepEqual(codes(risk.check(order(), ctx)), ['trading_halted']);
  assert.equal(risk.setTradingState('active').ok, true);
  assert.equal(risk.check(order(), ctx), PASS);
});

test('constructor throws on bad limits; create returns the issues', () => {
  assert.throws(() => new RiskManager({ openOrdersMax: -1 }), { name: 'OrdoFailure' });
  const r = RiskManager.create({ priceBandBps: 5 });
  assert.deepEqual(r.ok ? [] : r.error.issues.map((i) => [i.field, i.rule]), [['priceBandBps', 'object']]);
  assert.equal(RiskManager.create(ALL).ok, true);
});

test('checkPositionSize judges size limits from decimal strings', () => {
  const risk = new RiskManager({
    orderQtyMax: { default: '2' },
    positionQtyMax: { default: '1.5' },
    positionNotionalMax: { default: '150' },
    tradingState: 'halted',
    priceBandBps: { default: 1 },
  });
  assert.deepEqual(risk.checkPositionSize(BTC, '1.5', '100'), { ok: true, value: PASS });
  const r = risk.checkPositionSize(BTC, '1.6', 100);
  assert.deepEqual(r.ok && codes(r.value), ['position_exceeds_max', 'position_notional_exceeds_max']);
  const bad = risk.checkPositionSize(BTC, '1.0001', '-5');
  assert.deepEqual(bad.ok ? [] : bad.error.issues.map((i) => [i.field, i.rule]), [
    ['quantity', 'lot_multiple'],
    ['price', 'positive'],
  ]);
});

test('a new instrument object with the same units reuses compiled limits correctly', () => {
  const risk = new RiskManager({ orderQtyMax: { default: '1' } });
  const ctx = new StaticRiskContext();
  assert.equal(risk.check(order(), ctx), PASS);
  const copy = { ...BTC };
  assert.deepEqual(codes(risk.check(order({ instrument: copy, quantity: qty('2') }), ctx)), [
    'quantity_exceeds_max',
  ]);
});

const safe = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const decimalLimit = fc
  .bigInt({ min: 0n, max: 10n ** 24n })
  .chain((u) => fc.integer({ min: 0, max: 18 }).map((s) => formatUnits(u, s)));
const perInstrument = decimalLimit.map((d) => ({ default: d, byInstrument: { 'paper:ACME/USD': d } }));
const limitsArb = fc.record(
  {
    orderQtyMax: perInstrument,
    orderNotionalMax: perInstrument,
    positionQtyMax: perInstrument,
    positionNotionalMax: perInstrument,
    openOrdersMax: fc.nat({ max: 10 }),
    priceBandBps: fc.nat({ max: 20_000 }).map((b) => ({ default: b })),
    dailyLossMax: decimalLimit.map((d) => ({ USD: d, EUR: d })),
    ordersPerSecondMax: fc.nat({ max: 5 }),
    tradingState: fc.constantFrom<TradingState>('active', 'reduce_only', 'halted'),
  },
  { requiredKeys: [] },
);
const intentArb = fc.record<OrderIntent>({
  instrument: fc.constantFrom(BTC, ACME, ETH_EUR),
  side: fc.constantFrom('buy', 'sell'),
  type: fc.constantFrom(...ORDER_TYPES),
  quantity: safe,
  price: fc.option(safe, { nil: undefined }),
  triggerPrice: fc.option(safe, { nil: undefined }),
  reduceOnly: fc.boolean(),
});
const ctxArb = fc
  .record({
    nowMs: fc.nat({ max: 5_000 }),
    position: safe,
    buy: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    sell: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
    openOrders: fc.nat({ max: 20 }),
    reference: fc.option(safe, { nil: undefined }),
    pnl: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  })
  .map((c) => {
    const keys = ['paper:BTC/USD', 'paper:ACME/USD', 'paper:ETH/EUR'];
    const each = <T>(v: T): Record<string, T> => Object.fromEntries(keys.map((k) => [k, v]));
    return new StaticRiskContext({
      nowMs: c.nowMs,
      positions: each(c.position),
      openQty: each({ buy: c.buy, sell: c.sell }),
      openOrders: c.openOrders,
      referencePrices: c.reference === undefined ? {} : each(c.reference),
      realizedPnl: { USD: c.pnl, EUR: c.pnl },
    });
  });

test('property: check never throws, is repeatable, and its verdict is well formed', () => {
  fc.assert(
    fc.property(limitsArb, fc.nat({ max: 3 }), intentArb, ctxArb, (limits, recorded, intent, ctx) => {
      const created = RiskManager.create(limits);
      assert.equal(created.ok, true);
      if (!created.ok) return;
      const risk = created.value;
      for (let i = 0; i < recorded; i++) risk.record(intent, ctx);
      const v = risk.check(intent, ctx);
      assert.deepEqual(risk.check(intent, ctx), v);
      assert.deepEqual(risk.whatIf(intent, ctx).verdict, v);
      if (v.ok) assert.equal(v, PASS);
      else {
        assert.ok(v.denials.length > 0);
        for (const d of v.denials) {
          assert.ok(DENIAL_CODES.includes(d.code));
          assert.equal(d.instrument, intent.instrument.key);
          for (const value of Object.values(d)) assert.notEqual(typeof value, 'number');
        }
      }
    }),
    { numRuns: 500 },
  );
});

test('property: with no limits only reduce-only orders can be denied', () => {
  const risk = new RiskManager();
  fc.assert(
    fc.property(intentArb, ctxArb, (intent, ctx) => {
      const v = risk.check(intent, ctx);
      if (!intent.reduceOnly) assert.equal(v, PASS);
      else assert.ok(codes(v).every((c) => c === 'reduce_only_violation'));
    }),
  );
});
