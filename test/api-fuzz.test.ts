// Fuzzes every POST and PATCH route through Fastify's inject (no sockets, so it is fast) on a real
// service with a SQLite journal: bodies that are nearly right, wildly wrong or arbitrary JSON.
// Whatever comes in, the answer is never a 5xx, every refusal is a JSON error with a code (and a
// 400 names at least one field), and a refused request changes nothing: no order, no list, no
// journal event. Each of the ten routes gets FUZZ_RUNS cases (10,000 by default; ORDO_FUZZ_RUNS
// changes it).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { OrderId } from '../src/core/ids.ts';
import { isTerminal } from '../src/model/status.ts';
import { type Harness, startHarness, TEST_TOKEN } from './support/api-harness.ts';

const FUZZ_RUNS = Number(process.env.ORDO_FUZZ_RUNS ?? 10_000);

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, -1, 0, 1e308, '', ' ', 'NaN', 'Infinity', '-0', '1e400', '0x10', '__proto__'),
);
const decimal = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('0.1', '0.05', '1', '45000', '44990.5', '45010', '2500', '0.0001'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '-1', '0.00001', '45000.001', '1e3', '99999999999999999999', 'abc'),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: junk },
);
const pick = <T>(...values: T[]) =>
  fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: junk });
const symbol = pick('BTC/USD', 'ETH/USD', 'DOGE/USD');
const side = pick('buy', 'sell');
const orderType = pick('market', 'limit', 'stop', 'stop_limit', 'trailing_stop');
const level = fc.oneof(fc.record({ price: decimal }), fc.record({ percent: decimal }), junk);

const orderBody = fc.record(
  {
    symbol,
    venue: pick('paper', 'binance'),
    side,
    type: orderType,
    quantity: decimal,
    price: decimal,
    triggerPrice: decimal,
    trailing: fc.record(
      {
        offsetType: pick('price', 'percent', 'bps', 'ticks'),
        offset: decimal,
        activationPrice: decimal,
        limitOffset: decimal,
      },
      { requiredKeys: ['offsetType', 'offset'] },
    ),
    triggerBasis: pick('last', 'quote', 'mid'),
    tif: pick('gtc', 'ioc', 'fok', 'day', 'gtd'),
    expireAt: fc.oneof(fc.integer(), junk),
    reduceOnly: fc.oneof(fc.boolean(), junk),
    postOnly: fc.oneof(fc.boolean(), junk),
    tag: fc.oneof(fc.string({ maxLength: 80 }), junk),
    extra: junk,
  },
  { requiredKeys: [] },
);
const bracketBody = fc.record(
  {
    symbol,
    side,
    quantity: decimal,
    entry: fc.oneof(
      fc.record({ type: fc.constant('market') }),
      fc.record({ type: fc.constant('limit'), price: decimal }),
      fc.record({ type: fc.constant('stop_limit'), price: decimal, triggerPrice: decimal }),
      junk,
    ),
    takeProfit: level,
    stopLoss: level,
    stopLossLimitOffset: decimal,
    release: pick('partial', 'full'),
    tag: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: [] },
);
const ocoLeg = fc.oneof(
  fc.record({ type: fc.constant('limit'), price: decimal }),
  fc.record({ type: fc.constant('stop'), triggerPrice: decimal }),
  fc.record({ type: fc.constant('stop_limit'), triggerPrice: decimal, price: decimal }),
  junk,
);
const ocoBody = fc.record(
  {
    symbol,
    side,
    quantity: decimal,
    legs: fc.oneof(fc.tuple(ocoLeg, ocoLeg), fc.array(ocoLeg, { maxLength: 3 }), junk),
  },
  { requiredKeys: [] },
);
const otoBody = fc.record(
  {
    parent: fc.oneof(orderBody, junk),
    children: fc.oneof(fc.array(orderBody, { maxLength: 3 }), junk),
    trigger: pick('partial', 'full'),
  },
  { requiredKeys: [] },
);
const scaleBody = fc.record(
  {
    symbol,
    side,
    totalQuantity: decimal,
    levels: fc.oneof(fc.integer({ min: -2, max: 120 }), junk),
    startPrice: decimal,
    step: decimal,
    weights: fc.oneof(fc.array(decimal, { maxLength: 5 }), junk),
  },
  { requiredKeys: [] },
);
const placement = fc.oneof(
  fc.record({ kind: fc.constant('order'), spec: orderBody }),
  fc.record({ kind: fc.constant('bracket'), spec: bracketBody }),
  fc.record({ kind: fc.constant('oco'), spec: ocoBody }),
  fc.record({ kind: fc.constant('oto'), spec: otoBody }),
  fc.record({ kind: fc.constant('scale'), spec: scaleBody }),
  fc.record({ kind: junk, spec: junk }, { requiredKeys: [] }),
);
const modifyBody = fc.record(
  { quantity: decimal, price: decimal, triggerPrice: decimal, extra: junk },
  { requiredKeys: [] },
);

// Well-formed requests near the market (BTC/USD trades at 45,000), so many reach the engine and
// some are placed: the engine's own refusals (risk, levels on the wrong side) are fuzzed too.
const qty = fc.constantFrom('0.001', '0.01', '0.05', '0.1', '1', '6');
const near = fc.integer({ min: -600, max: 600 }).map((d) => (45_000 + d * 5).toFixed(2));
const validOrder = fc.oneof(
  fc.record({ symbol: fc.constant('BTC/USD'), side, type: fc.constant('market'), quantity: qty }),
  fc.record({ symbol: fc.constant('BTC/USD'), side, type: fc.constant('limit'), quantity: qty, price: near }),
  fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    type: fc.constant('stop'),
    quantity: qty,
    triggerPrice: near,
  }),
  fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    type: fc.constant('stop_limit'),
    quantity: qty,
    triggerPrice: near,
    price: near,
  }),
  fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    type: fc.constant('trailing_stop'),
    quantity: qty,
    trailing: fc.record({
      offsetType: fc.constantFrom('price', 'percent', 'bps', 'ticks'),
      offset: fc.constantFrom('1', '10', '50', '0.5'),
    }),
  }),
);
const below = fc.integer({ min: 0, max: 380 }).map((d) => (43_000 + d * 5).toFixed(2));
const validLevel = fc.oneof(
  fc.record({ percent: fc.constantFrom('0.5', '1', '2') }),
  fc.record({ price: near }),
);
const VALID: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  order: validOrder,
  bracket: fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    quantity: qty,
    entry: fc.oneof(
      fc.record({ type: fc.constant('market') }),
      fc.record({ type: fc.constant('limit'), price: near }),
    ),
    takeProfit: validLevel,
    stopLoss: validLevel,
  }),
  oco: fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    quantity: qty,
    legs: fc.tuple(
      fc.record({ type: fc.constant('limit'), price: near }),
      fc.record({ type: fc.constant('stop'), triggerPrice: near }),
    ),
  }),
  oto: fc.record({ parent: validOrder, children: fc.array(validOrder, { minLength: 1, maxLength: 2 }) }),
  scale: fc.record({
    symbol: fc.constant('BTC/USD'),
    side,
    totalQuantity: qty,
    levels: fc.integer({ min: 1, max: 6 }),
    startPrice: near,
    step: fc.constantFrom('1', '5', '25'),
  }),
};
const validPlacement = fc.oneof(
  ...Object.entries(VALID).map(([kind, spec]) => fc.record({ kind: fc.constant(kind), spec })),
);

/** A body as it arrives: often well-formed, often nearly so, sometimes any JSON, now and then not JSON. */
function body(shaped: fc.Arbitrary<unknown>, valid?: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: valid === undefined ? 0 : 6,
      arbitrary: (valid ?? fc.constant({})).map((b) => JSON.stringify(b)),
    },
    { weight: 6, arbitrary: shaped.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.jsonValue().map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  );
}

const ROUTES: readonly {
  name: string;
  method: 'POST' | 'PATCH';
  url: fc.Arbitrary<string>;
  body: fc.Arbitrary<string>;
}[] = [
  {
    name: 'POST /v1/orders',
    method: 'POST',
    url: fc.constant('/v1/orders'),
    body: body(orderBody, VALID.order),
  },
  {
    name: 'POST /v1/orders/bracket',
    method: 'POST',
    url: fc.constant('/v1/orders/bracket'),
    body: body(bracketBody, VALID.bracket),
  },
  {
    name: 'POST /v1/orders/oco',
    method: 'POST',
    url: fc.constant('/v1/orders/oco'),
    body: body(ocoBody, VALID.oco),
  },
  {
    name: 'POST /v1/orders/oto',
    method: 'POST',
    url: fc.constant('/v1/orders/oto'),
    body: body(otoBody, VALID.oto),
  },
  {
    name: 'POST /v1/orders/scale',
    method: 'POST',
    url: fc.constant('/v1/orders/scale'),
    body: body(scaleBody, VALID.scale),
  },
  {
    name: 'POST /v1/orders/cancel-all',
    method: 'POST',
    url: fc.constant('/v1/orders/cancel-all'),
    body: body(
      fc.record({ symbol, venue: pick('paper'), extra: junk }, { requiredKeys: [] }),
      fc.record({ symbol: fc.constantFrom('BTC/USD', 'ETH/USD') }, { requiredKeys: [] }),
    ),
  },
  {
    name: 'POST /v1/explain',
    method: 'POST',
    url: fc.constant('/v1/explain'),
    body: body(placement, validPlacement),
  },
  {
    name: 'POST /v1/risk/what-if',
    method: 'POST',
    url: fc.constant('/v1/risk/what-if'),
    body: body(placement, validPlacement),
  },
  {
    name: 'POST /v1/preview',
    method: 'POST',
    url: fc.constant('/v1/preview'),
    body: body(placement, validPlacement),
  },
  {
    name: 'PATCH /v1/orders/:id',
    method: 'PATCH',
    url: fc.oneof(
      // `open:N` picks one of the orders working when the case runs.
      { weight: 3, arbitrary: fc.nat().map((n) => `open:${n}`) },
      fc.integer({ min: 0, max: 400 }).map((id) => `/v1/orders/${id}`),
      fc.constantFrom('/v1/orders/x', '/v1/orders/-1', '/v1/orders/1e3'),
    ),
    body: body(
      modifyBody,
      // Mostly below the market, where the resting buys stay resting; sometimes through it.
      fc.record(
        { quantity: qty, price: fc.oneof(below, below, near), triggerPrice: near },
        { requiredKeys: [] },
      ),
    ),
  },
];

/** A fresh server per route: the paper venue's checkpoint grows with every order it has seen. */
async function fuzzServer(): Promise<Harness> {
  // Few open orders allowed, so most placements that pass validation are refused by risk later on
  // and the book stays small (each accepted order is journaled with the venue's checkpoint).
  const h = await startHarness({
    config: {
      risk: { orderQtyMax: { default: '5' }, openOrdersMax: 40, priceBandBps: { default: 1000 } },
      // Ordo emulates every trigger and list here: the paper venue then keeps no venue-side
      // history, so its checkpoint (journaled with every placement) stays small and the run fast.
      // Native routing has its own tests (test/parity.test.ts, test/explain.test.ts).
      paperNative: {
        stop: false,
        stop_limit: false,
        trailing_stop: false,
        bracket: false,
        oco: false,
        oto: false,
      },
    },
  });
  h.feed.trade(45_000);
  h.feed.trade(2_500, 'ETH/USD');
  return h;
}

describe('fuzzing every POST and PATCH route', () => {
  for (const route of ROUTES) {
    const label = route.name;
    if (process.env.ORDO_FUZZ_ONLY !== undefined && !label.includes(process.env.ORDO_FUZZ_ONLY)) continue;
    it(`${label}: never a 5xx; a refusal changes nothing`, async () => {
      const h = await fuzzServer();
      after(() => h.dispose());
      const app = h.server.api.app;
      const oms = h.server.service.oms;
      const state = () => ({
        orders: oms.engine.state.orders.size,
        lists: oms.engine.state.lists.size,
        seq: h.server.api.hub.seq,
        journal: h.server.service.journalSeq(),
      });
      /** Ids of working orders, newest first, found among the newest 500 (where they are). */
      const working = (max: number): number[] => {
        const st = oms.engine.state;
        const out: number[] = [];
        const stop = Math.max(1, st.nextOrderId - 500);
        for (let id = st.nextOrderId - 1; id >= stop && out.length < max; id--) {
          const o = st.orders.get(id);
          if (o !== undefined && !isTerminal(o.status)) out.push(id);
        }
        return out;
      };
      let accepted = 0;
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(route.url, route.body, async (url, payload) => {
          // Keep the book small and under the open-orders limit, so placements keep reaching the
          // engine (this is the test's own housekeeping, outside the request under test).
          if (oms.engine.state.liveOrders > 30) {
            for (const id of working(500)) oms.cancelOrder(id as OrderId);
            if (oms.engine.state.liveOrders > 30)
              for (const o of oms.getActiveOrders()) oms.cancelOrder(o.id);
          }
          // Routes that act on open orders get some to act on (cancel-all: now and then).
          cases++;
          if (url.startsWith('open:') || (url === '/v1/orders/cancel-all' && cases % 10 === 0)) {
            for (let i = working(3).length; i < 3; i++)
              oms.placeOrder({
                symbol: 'BTC/USD',
                side: 'buy',
                type: 'limit',
                quantity: '0.01',
                price: String(44_000 + i),
              });
          }
          if (url.startsWith('open:')) {
            const ids = working(30);
            url = `/v1/orders/${ids[Number(url.slice(5)) % ids.length]}`;
          }
          const before = state();
          const res = await app.inject({
            method: route.method,
            url,
            payload,
            headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
          });
          assert.ok(res.statusCode < 500, `${res.statusCode} for ${url} ${payload}: ${res.body}`);
          const json = res.json() as { error?: { code: string; issues: { field: string }[] } };
          if (res.statusCode >= 400) {
            assert.equal(typeof json.error?.code, 'string', res.body);
            if (res.statusCode === 400) assert.ok(json.error!.issues.length > 0, res.body);
            assert.deepEqual(state(), before, `a refused ${url} changed the state: ${payload}`);
          } else accepted++;
        }),
        { numRuns: FUZZ_RUNS },
      );
      // The fuzz must reach the engine, not only the schema: some requests pass.
      assert.ok(accepted > 0, `no ${label} request was accepted`);
    });
  }
});
