// Ordo's Alpaca adapter against the local fake Alpaca: a LiveSession trades through the real wire
// format (key headers, JSON bodies, the binary trade_updates stream, the market-data stream).
// Faults the fake injects (a dropped answer after execution, 5xx, 429, the order stream down in
// the middle of fills, repeated events) must not create, miss or repeat anything, and a replace
// must keep one Ordo order.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import type { MarketData } from '../src/model/market.ts';
import { AlpacaAdapter, type AlpacaAdapterOptions } from '../src/venues/alpaca/alpaca-adapter.ts';
import { AlpacaPublicFeed } from '../src/venues/alpaca/alpaca-market.ts';
import { AlpacaCredentials } from '../src/venues/alpaca/auth.ts';
import { FakeAlpaca, type FakeAlpacaOptions } from '../src/venues/alpaca/fake/index.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { until } from './support/until.ts';

const KEY_ID = 'PKORDOTEST0000000001';
const SECRET = 'OrdoAlpacaTestSecret000000000000000000001';

/** A clock both sides share; waiting moves it, so tests of long waits run at once. */
class Clock {
  t = Date.now();
  readonly now = (): number => this.t;
  readonly sleep = async (ms: number): Promise<void> => {
    this.t += ms;
    await new Promise((r) => setImmediate(r));
  };
}

interface OpenOptions {
  fake?: FakeAlpacaOptions;
  adapter?: Partial<AlpacaAdapterOptions>;
  clock?: Clock;
  marketData?: boolean;
  /** Reuse a running fake (a restart of Ordo against the same venue). */
  reuse?: FakeAlpaca;
  journal?: SqliteJournal;
}

function adapterFor(fake: FakeAlpaca, options: OpenOptions = {}): AlpacaAdapter {
  const clock = options.clock;
  const urls = fake.urls;
  return new AlpacaAdapter({
    urls: { rest: urls.rest, stream: urls.ws, dataStream: urls.marketData },
    credentials: unwrap(AlpacaCredentials.from({ keyId: KEY_ID, secretKey: SECRET })),
    timeoutMs: 1_000,
    clock: clock?.now,
    sleep: clock?.sleep,
    stream: { backoffMs: 20, maxBackoffMs: 100 },
    cryptoFees: 'none',
    ...options.adapter,
  });
}

async function open(options: OpenOptions = {}) {
  const clock = options.clock;
  let fake = options.reuse;
  if (fake === undefined) {
    fake = new FakeAlpaca({
      apiKeys: [{ keyId: KEY_ID, secretKey: SECRET }],
      balances: { USD: '100000', BTC: '2', AAPL: '10' },
      now: clock?.now,
      ...options.fake,
    });
    await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTC/USD', '60000.00', '5', '60001.00', '5');
    fake.feedTrade('BTC/USD', '60000.50', '0.1');
    fake.feedQuote('AAPL', '190.00', '500', '190.01', '500');
  }
  const adapter = adapterFor(fake, options);
  const session = await LiveSession.open(adapter, {
    marketData: options.marketData ?? true,
    clock: clock?.now,
    journal: options.journal,
    bridge: { backoffMs: 20, sleep: clock?.sleep, clock: clock?.now },
  });
  const events: OrdoEvent[] = [];
  session.oms.on((e) => events.push(e));
  const owned = options.reuse === undefined;
  const close = async () => {
    await session.close();
    if (owned) await fake.stop();
  };
  return { fake, session, oms: session.oms, adapter, events, close };
}

type Opened = Awaited<ReturnType<typeof open>>;
const status = (s: Opened, id: OrderId) => s.oms.getOrder(id)?.status;

describe('Alpaca adapter on the fake Alpaca', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it('places a crypto limit order, hears it fill over trade_updates, books it, fees exact', async () => {
    const s = await open({
      fake: { commission: { maker: '0.0015', taker: '0.0025' } },
      adapter: { cryptoFees: 'quote' },
    });
    closers.push(s.close);
    assert.deepEqual(s.session.blockedBy, []);
    assert.deepEqual(
      s.adapter.instruments().map((i) => i.key),
      ['alpaca:BTC/USD', 'alpaca:ETH/USD', 'alpaca:AAPL', 'alpaca:SPY'],
    );
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '59900' },
        Date.now(),
      ),
    );
    await until(() => status(s, o.id as OrderId) === 'accepted', 'acceptance');
    s.fake.feedTrade('BTC/USD', '59899.00', '1');
    await until(() => status(s, o.id as OrderId) === 'filled', 'the fill');
    assert.equal(s.oms.getOrder(o.id as OrderId)!.filled, '0.010000000');
    assert.equal(s.oms.portfolio.position('alpaca:BTC/USD')?.qty, '0.010000000');
    // The maker fee Ordo charged is the venue's: cash agrees to the last unit.
    const r = await s.session.reconcile();
    assert.deepEqual(r.mismatches, []);
    assert.ok(s.fake.requests().every((q) => q.authOk !== false));
    assert.deepEqual(s.fake.internalErrors(), []);
  });

  it('a replace keeps one Ordo order: modified, never a cancel and a new order', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '10', price: '189.50', tif: 'gtc' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    await until(() => status(s, id) === 'accepted', 'acceptance');
    s.fake.feedTrade('AAPL', '189.49', '4');
    await until(() => s.oms.getOrder(id)?.filled === '4.000000000', 'the partial fill');
    unwrap(s.oms.modifyOrder(id, { price: '189.40', quantity: '12' }, Date.now()));
    await until(() => s.events.some((e) => e.type === 'order_modified'), 'the modification');
    const v = s.oms.getOrder(id)!;
    assert.equal(v.quantity, '12.000000000');
    assert.equal(v.price, '189.4000');
    assert.equal(v.status, 'partially_filled');
    const coid = v.clientOrderId;
    const records = s.fake.orderRecords().map((r) => [r.clientOrderId, r.status]);
    assert.deepEqual(records, [
      [coid, 'replaced'],
      [`${coid}-r1`, 'new'],
    ]);
    s.fake.feedTrade('AAPL', '189.39', '100');
    await until(() => status(s, id) === 'filled', 'the rest filled on the replacement');
    assert.equal(s.oms.getOrder(id)!.filled, '12.000000000');
    assert.equal(s.oms.getOrders().length, 1);
    assert.equal(s.events.filter((e) => e.type === 'order_cancelled').length, 0);
    assert.equal(s.oms.tradeLog.fills().length, 2);
    assert.equal(s.oms.portfolio.position('alpaca:AAPL')?.qty, '12.000000000');
    // A second replace after a restart-free lookup names the next revision.
    assert.deepEqual(await s.session.reconcile().then((r) => r.mismatches), []);
  });

  it('a replace whose answer is lost is looked up through replaced_by: still one order', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '5', price: '180', tif: 'gtc' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    await until(() => status(s, id) === 'accepted', 'acceptance');
    s.fake.faults.dropResponse({ match: { method: 'PATCH', path: '/v2/orders/{id}' } });
    unwrap(s.oms.modifyOrder(id, { price: '181' }, Date.now()));
    await until(
      () => s.oms.getOrder(id)?.price === '181.0000' && status(s, id) === 'accepted',
      'the modification',
    );
    await s.session.settle();
    assert.equal(s.fake.orderRecords().length, 2, 'the order and its one replacement');
    assert.ok(s.fake.requests().some((r) => r.fault === 'drop'));
    assert.ok(s.fake.requests().some((r) => r.method === 'GET' && r.route === '/v2/orders/{id}'));
    assert.deepEqual(s.session.bridge.problems, []);
    unwrap(s.oms.cancelOrder(id, Date.now()));
    await until(() => status(s, id) === 'cancelled', 'the cancel of the replacement');
    assert.equal(s.fake.orderRecords().at(-1)!.status, 'canceled');
  });

  for (const [name, arm] of [
    [
      'a dropped answer after the venue executed',
      (f: FakeAlpaca) => f.faults.dropResponse({ match: { method: 'POST', path: '/v2/orders' } }),
    ],
    [
      'a 503 after the venue executed',
      (f: FakeAlpaca) =>
        f.faults.serverError({ status: 503, execute: true, match: { method: 'POST', path: '/v2/orders' } }),
    ],
    [
      'a 500 before the venue executed',
      (f: FakeAlpaca) =>
        f.faults.serverError({ status: 500, execute: false, match: { method: 'POST', path: '/v2/orders' } }),
    ],
  ] as const)
    it(`an unknown outcome (${name}) is looked up by client order id: exactly one order`, async () => {
      const s = await open();
      closers.push(s.close);
      arm(s.fake);
      // The order stream is down meanwhile: only Alpaca's answer to the lookup can tell.
      s.fake.faults.pauseUserData();
      const o = unwrap(
        s.oms.placeOrder(
          { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '59800' },
          Date.now(),
        ),
      );
      await until(() => status(s, o.id as OrderId) === 'accepted', 'acceptance');
      await s.session.settle();
      s.fake.faults.resumeUserData();
      const coid = s.oms.getOrder(o.id as OrderId)!.clientOrderId;
      assert.equal(s.fake.orderRecords().filter((r) => r.clientOrderId === coid).length, 1);
      assert.equal(s.fake.orderRecords().length, 1);
      assert.ok(
        s.fake.requests().some((r) => r.fault !== undefined),
        'the fault was applied',
      );
      assert.ok(
        s.fake.requests().some((r) => r.method === 'GET' && r.route === '/v2/orders:by_client_order_id'),
        'looked up by client order id',
      );
      assert.deepEqual(s.session.bridge.problems, []);
    });

  it('honours a 429: nothing is sent before X-RateLimit-Reset, each order placed once', async () => {
    const clock = new Clock();
    const s = await open({ clock, fake: { rateLimits: { requestsPerMinute: 12 } }, marketData: false });
    closers.push(s.close);
    s.fake.faults.rateLimitNext(1);
    const ids: OrderId[] = [];
    for (let i = 0; i < 8; i++)
      ids.push(
        unwrap(
          s.oms.placeOrder(
            { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: `${59000 + i}` },
            clock.now(),
          ),
        ).id as OrderId,
      );
    await until(() => ids.every((id) => status(s, id) === 'accepted'), 'all eight accepted');
    const hits = s.fake.rateLimitHits();
    assert.ok(hits.length >= 1, 'the fake answered 429');
    for (const h of hits) {
      const inside = s.fake.requests().filter((r) => r.time > h.time && r.time < h.resetAt);
      assert.deepEqual(inside, [], 'no request inside the wait');
    }
    assert.equal(s.fake.orderRecords().length, 8, 'each order placed once');
  });

  it('the order stream down in the middle of fills: nothing missed, nothing repeated', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'sell', type: 'limit', quantity: '1', price: '60100' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    await until(() => status(s, id) === 'accepted', 'acceptance');
    s.fake.feedTrade('BTC/USD', '60101.00', '0.2');
    await until(() => s.oms.getOrder(id)?.filled === '0.200000000', 'the first fill');
    // The stream goes down; fills happen while it is; then it comes back, repeating events.
    s.fake.faults.pauseUserData();
    s.fake.feedTrade('BTC/USD', '60102.00', '0.3');
    s.fake.feedTrade('BTC/USD', '60103.00', '0.1');
    assert.equal(s.fake.droppedEvents().length, 2);
    s.fake.faults.resumeUserData();
    s.fake.faults.duplicateEvents(2);
    await until(() => s.oms.getOrder(id)?.filled === '0.600000000', 'the missed fills, after reconnecting');
    // The reconciliation that found them compares balances too; let it finish first.
    const r = await s.session.reconcile();
    assert.deepEqual(r.mismatches, []);
    s.fake.feedTrade('BTC/USD', '60104.00', '0.4');
    await until(() => status(s, id) === 'filled', 'the last fill');
    await s.session.settle();
    const fills = s.oms.tradeLog.fills().filter((f) => f.orderId === id);
    assert.equal(fills.length, 4, 'four fills, none twice');
    assert.equal(s.oms.portfolio.position('alpaca:BTC/USD')?.qty, '-1.000000000');
    assert.ok(s.session.lastReconciliation !== undefined);
    assert.deepEqual(s.session.blockedBy, []);
  });

  it('fills lost on a quiet stream are found from the next event, and reordered events change nothing', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'sell', type: 'limit', quantity: '1', price: '60100' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    await until(() => status(s, id) === 'accepted', 'acceptance');
    // Two fills whose events arrive swapped: the later one first (a gap, read from the activities).
    s.fake.faults.reorderNextEvents();
    s.fake.feedTrade('BTC/USD', '60101.00', '0.2');
    s.fake.feedTrade('BTC/USD', '60102.00', '0.3');
    await until(() => s.oms.getOrder(id)?.filled === '0.500000000', 'both fills');
    s.fake.feedTrade('BTC/USD', '60103.00', '0.5');
    await until(() => status(s, id) === 'filled', 'the last fill');
    await s.session.settle();
    const fills = s.oms.tradeLog.fills().filter((f) => f.orderId === id);
    assert.deepEqual(
      fills.map((f) => f.quantity),
      ['0.200000000', '0.300000000', '0.500000000'],
    );
  });

  it('refuses locally, naming the rule, what Alpaca would refuse; nothing is sent', async () => {
    const s = await open();
    closers.push(s.close);
    const before = s.fake.requests().length;
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '1', price: '150.1234' },
        Date.now(),
      ),
    );
    await until(() => status(s, o.id as OrderId) === 'rejected', 'the refusal');
    const rejected = s.events.find((e) => e.type === 'order_rejected');
    assert.ok(rejected?.type === 'order_rejected');
    assert.match(rejected.reason, /^sub_penny: price 150\.1234 must be in whole cents/);
    assert.equal(s.fake.requests().length, before);
    assert.equal(s.fake.orderRecords().length, 0);
  });

  it('explain: equities take order classes natively, crypto lists and stops are emulated', async () => {
    const s = await open();
    closers.push(s.close);
    const ocoCrypto = unwrap(
      s.oms.explain((o) =>
        o.placeOcoOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '0.01',
          legs: [
            { type: 'limit', price: '62000' },
            { type: 'stop', triggerPrice: '58000' },
          ],
        }),
      ),
    );
    assert.equal(ocoCrypto.list?.route, 'emulated');
    assert.match(ocoCrypto.list?.reason ?? '', /no native OCO lists/);
    assert.deepEqual(
      ocoCrypto.orders.map((x) => x.route),
      ['native', 'emulated'],
    );
    const ocoEquity = unwrap(
      s.oms.explain((o) =>
        o.placeOcoOrder({
          symbol: 'AAPL',
          side: 'sell',
          quantity: '10',
          legs: [
            { type: 'limit', price: '200' },
            { type: 'stop', triggerPrice: '180' },
          ],
        }),
      ),
    );
    assert.equal(ocoEquity.list?.route, 'native');
    const trailing = unwrap(
      s.oms.explain((o) =>
        o.placeTrailingStop({
          symbol: 'AAPL',
          side: 'sell',
          quantity: '10',
          offsetType: 'price',
          offset: '1.50',
        }),
      ),
    );
    assert.equal(trailing.orders[0]!.route, 'native');
    const cryptoTrailing = unwrap(
      s.oms.explain((o) =>
        o.placeTrailingStop({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '0.01',
          offsetType: 'percent',
          offset: '1',
        }),
      ),
    );
    assert.equal(cryptoTrailing.orders[0]!.route, 'emulated');
    // A bracket that enters goes native only where children protect partial fills; Alpaca
    // releases them on the full fill only, so Ordo links it (see the report).
    const bracket = unwrap(
      s.oms.explain((o) =>
        o.placeBracketOrder({
          symbol: 'AAPL',
          side: 'buy',
          quantity: '10',
          entry: { type: 'limit', price: '185' },
          takeProfit: { price: '195' },
          stopLoss: { price: '180' },
        }),
      ),
    );
    assert.equal(bracket.list?.route, 'emulated');
    assert.match(bracket.list?.reason ?? '', /only once the parent is filled/);
  });

  it('a bracket on an equity position goes native (one OCO order class) and resolves at the venue', async () => {
    const s = await open();
    closers.push(s.close);
    // Ordo buys the position first.
    const entry = unwrap(
      s.oms.placeOrder(
        { symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '10', price: '190.01' },
        Date.now(),
      ),
    );
    await until(() => status(s, entry.id as OrderId) === 'filled', 'the entry');
    const plan = unwrap(
      s.oms.explain((o) =>
        o.placeBracketOrder({
          symbol: 'AAPL',
          side: 'buy',
          quantity: '10',
          takeProfit: { price: '200' },
          stopLoss: { price: '180' },
        }),
      ),
    );
    assert.equal(plan.list?.route, 'native');
    assert.match(plan.list?.reason ?? '', /links OCO lists natively/);
    const list = unwrap(
      s.oms.placeBracketOrder({
        symbol: 'AAPL',
        side: 'buy',
        quantity: '10',
        takeProfit: { price: '200' },
        stopLoss: { price: '180' },
      }),
    );
    const [tp, sl] = list.orders.map((x) => x.id as OrderId);
    await until(() => status(s, tp!) === 'accepted' && status(s, sl!) === 'accepted', 'both legs accepted');
    const placed = s.fake.orderRecords().filter((r) => r.orderClass === 'oco');
    assert.equal(placed.length, 2, 'one order class: the take-profit and its stop-loss leg');
    s.fake.feedTrade('AAPL', '200.50', '50');
    await until(
      () => status(s, tp!) === 'filled' && status(s, sl!) === 'cancelled',
      'take-profit filled, stop cancelled',
    );
    assert.equal(s.oms.portfolio.position('alpaca:AAPL')?.qty, '0.000000000');
  });

  it('a native OTO on an equity: the child works once the entry is filled', async () => {
    const s = await open();
    closers.push(s.close);
    const spec = {
      parent: { symbol: 'AAPL', side: 'buy' as const, type: 'limit' as const, quantity: '5', price: '189' },
      children: [
        { symbol: 'AAPL', side: 'sell' as const, type: 'stop' as const, quantity: '5', triggerPrice: '185' },
      ],
      trigger: 'full' as const,
    };
    assert.equal(unwrap(s.oms.explain((o) => o.placeOtoOrder(spec))).list?.route, 'native');
    const list = unwrap(s.oms.placeOtoOrder(spec));
    const [parent, child] = list.orders.map((x) => x.id as OrderId);
    await until(() => status(s, parent!) === 'accepted' && status(s, child!) === 'accepted', 'accepted');
    assert.deepEqual(
      s.fake.orderRecords().map((r) => [r.orderClass, r.status]),
      [
        ['oto', 'new'],
        ['oto', 'held'],
      ],
    );
    s.fake.feedTrade('AAPL', '188.99', '5');
    await until(() => status(s, parent!) === 'filled', 'the entry filled');
    s.fake.feedQuote('AAPL', '184.00', '500', '184.01', '500');
    s.fake.feedTrade('AAPL', '184.50', '10');
    await until(() => status(s, child!) === 'filled', 'the stop-loss filled');
    assert.equal(s.oms.portfolio.position('alpaca:AAPL')?.qty, '0.000000000');
  });

  it('streams market data: an emulated crypto stop fires on the fake’s trades and fills', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'sell', type: 'stop', quantity: '0.1', triggerPrice: '59000' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    assert.equal(status(s, id), 'held');
    assert.equal(s.fake.orderRecords().length, 0);
    s.fake.feedQuote('BTC/USD', '58900.00', '5', '58901.00', '5');
    s.fake.feedTrade('BTC/USD', '58950.00', '0.5');
    await until(() => status(s, id) === 'filled', 'the released market order filled');
    const placed = s.fake.orderRecords();
    assert.equal(placed.length, 1);
    assert.equal(placed[0]!.type, 'market');
  });

  it('cancels (204), the cancel arriving over the stream', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'SPY', side: 'buy', type: 'limit', quantity: '3', price: '400', tif: 'day' },
        Date.now(),
      ),
    );
    await until(() => status(s, o.id as OrderId) === 'accepted', 'acceptance');
    unwrap(s.oms.cancelOrder(o.id as OrderId, Date.now()));
    await until(() => status(s, o.id as OrderId) === 'cancelled', 'the cancel');
    assert.ok(s.fake.requests().some((r) => r.method === 'DELETE' && r.status === 204));
    assert.equal(s.fake.orderRecords()[0]!.status, 'canceled');
  });

  it('never shows the secret; a wrong secret is refused without it', async () => {
    const s = await open();
    closers.push(s.close);
    for (const text of [
      JSON.stringify(s.adapter),
      inspect(s.adapter, { depth: 6 }),
      JSON.stringify(s.fake.requests()),
    ])
      assert.ok(!text.includes(SECRET));
    const bad = new AlpacaAdapter({
      urls: { rest: s.fake.urls.rest, stream: s.fake.urls.ws, dataStream: s.fake.urls.marketData },
      credentials: unwrap(AlpacaCredentials.from({ keyId: KEY_ID, secretKey: `${SECRET}x` })),
    });
    await assert.rejects(
      bad.connect({ report: () => {}, market: () => {}, connection: () => {} }),
      (e: Error) =>
        /unauthorized/.test(`${(e as { code?: string }).code} ${e.message}`) && !e.message.includes(SECRET),
    );
    await bad.close();
  });

  it('after a restart, a replaced order is still the one Ordo order (the journal and replaced_by)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-alpaca-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'journal.sqlite');
    const first = await open({ journal: SqliteJournal.open(path) });
    const o = unwrap(
      first.oms.placeOrder(
        { symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '6', price: '185', tif: 'gtc' },
        Date.now(),
      ),
    );
    const id = o.id as OrderId;
    await until(() => status(first, id) === 'accepted', 'acceptance');
    first.fake.feedTrade('AAPL', '184.99', '2');
    await until(() => first.oms.getOrder(id)?.filled === '2.000000000', 'a partial fill');
    unwrap(first.oms.modifyOrder(id, { price: '186' }, Date.now()));
    await until(
      () => first.oms.getOrder(id)?.price === '186.0000' && status(first, id) === 'partially_filled',
      'modified',
    );
    await first.session.close();
    // Away from Ordo: the replacement fills some more.
    first.fake.feedTrade('AAPL', '185.99', '1');
    const second = await open({ reuse: first.fake, journal: SqliteJournal.open(path) });
    closers.push(second.close, () => first.fake.stop());
    assert.deepEqual(second.session.lastReconciliation?.adopted, []);
    assert.deepEqual(second.session.blockedBy, []);
    assert.equal(second.session.lastReconciliation?.missedFills, 1);
    const v = second.oms.getOrder(id)!;
    assert.equal(v.filled, '3.000000000');
    assert.equal(v.quantity, '6.000000000');
    assert.equal(second.oms.getOrders().length, 1);
    // And it goes on: cancelling it cancels the replacement at Alpaca.
    unwrap(second.oms.cancelOrder(id, Date.now()));
    await until(() => status(second, id) === 'cancelled', 'the cancel');
    assert.deepEqual(
      second.fake.orderRecords().map((r) => r.status),
      ['replaced', 'canceled'],
    );
  });

  it('a native list whose answer is lost is found through its main order: one order class', async () => {
    const s = await open();
    closers.push(s.close);
    s.fake.faults.pauseUserData();
    s.fake.faults.dropResponse({ match: { method: 'POST', path: '/v2/orders' } });
    const list = unwrap(
      s.oms.placeOcoOrder({
        symbol: 'AAPL',
        side: 'sell',
        quantity: '10',
        legs: [
          { type: 'limit', price: '200' },
          { type: 'stop', triggerPrice: '180' },
        ],
      }),
    );
    assert.equal(list.native, true);
    const [tp, sl] = list.orders.map((x) => x.id as OrderId);
    await until(() => status(s, tp!) === 'accepted' && status(s, sl!) === 'accepted', 'both legs accepted');
    await s.session.settle();
    s.fake.faults.resumeUserData();
    assert.equal(s.fake.orderRecords().length, 2, 'one OCO: the take-profit and its stop leg');
    assert.deepEqual(s.session.bridge.problems, []);
    assert.ok(s.fake.requests().some((r) => r.route === '/v2/orders/{id}' && r.method === 'GET'));
  });

  it('cancel-all (207) names Ordo orders', async () => {
    const s = await open();
    closers.push(s.close);
    const a = unwrap(
      s.oms.placeOrder(
        { symbol: 'SPY', side: 'buy', type: 'limit', quantity: '1', price: '400', tif: 'gtc' },
        Date.now(),
      ),
    );
    const b = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '50000' },
        Date.now(),
      ),
    );
    await until(
      () => status(s, a.id as OrderId) === 'accepted' && status(s, b.id as OrderId) === 'accepted',
      'accepted',
    );
    const r = await s.adapter.cancelAll();
    assert.deepEqual([...r.accepted].sort(), [a.clientOrderId, b.clientOrderId].sort());
    assert.deepEqual(r.failed, []);
    await until(
      () => status(s, a.id as OrderId) === 'cancelled' && status(s, b.id as OrderId) === 'cancelled',
      'cancelled',
    );
  });

  it('AlpacaPublicFeed streams live prices of stocks and crypto for paper trading', async () => {
    const fake = new FakeAlpaca({ apiKeys: [{ keyId: KEY_ID, secretKey: SECRET }] });
    const urls = await fake.start({ port: 0, host: '127.0.0.1' });
    const feed = await AlpacaPublicFeed.open({
      urls: { rest: urls.rest, dataStream: urls.marketData },
      credentials: unwrap(AlpacaCredentials.from({ keyId: KEY_ID, secretKey: SECRET })),
      symbols: ['AAPL', 'BTC/USD'],
    });
    closers.push(async () => {
      await feed.close();
      await fake.stop();
    });
    assert.deepEqual(
      feed.instruments().map((i) => [i.key, i.kind]),
      [
        ['alpaca:AAPL', 'equity'],
        ['alpaca:BTC/USD', 'crypto_spot'],
      ],
    );
    const seen: MarketData[] = [];
    await feed.start((md) => seen.push(md));
    fake.feedQuote('AAPL', '190.00', '100', '190.02', '200');
    fake.feedTrade('BTC/USD', '60000.25', '0.5');
    await until(
      () => seen.some((m) => m.kind === 'quote') && seen.some((m) => m.kind === 'trade'),
      'a quote and a trade',
    );
    const q = seen.find((m) => m.kind === 'quote');
    assert.ok(
      q?.kind === 'quote' && q.instrument === 'alpaca:AAPL' && q.bid === 1_900_000 && q.ask === 1_900_200,
    );
    const t = seen.find((m) => m.kind === 'trade');
    assert.ok(t?.kind === 'trade' && t.instrument === 'alpaca:BTC/USD' && t.price === 6_000_025);
  });
});
