// Ordo's Coinbase adapter against the local fake Coinbase: a LiveSession trades through the real
// wire format (a fresh ES256 or EdDSA JWT per REST request and per user-channel subscribe, JSON
// bodies, the user channel's cumulative order state, public market channels), and the fake
// verifies every token. Faults the fake injects (a dropped answer after execution, a 429, the user
// stream paused or dropped in the middle of fills, repeated messages) must not create, miss or
// repeat anything.

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { CoinbaseAdapter } from '../src/venues/coinbase/coinbase-adapter.ts';
import { FakeCoinbase } from '../src/venues/coinbase/fake/index.ts';
import { CoinbaseCredentials } from '../src/venues/coinbase/jwt.ts';
import { MemoryStateStore } from '../src/venues/coinbase/order-ids.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { until } from './support/until.ts';

const KEY_NAME = 'organizations/ordo-test-org/apiKeys/ordo-test-key-0001';

function keys(kind: 'ec' | 'ed25519' = 'ec'): { publicKey: KeyObject; privatePem: string } {
  const pair =
    kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey
    .export(kind === 'ec' ? { type: 'sec1', format: 'pem' } : { type: 'pkcs8', format: 'pem' })
    .toString();
  return { publicKey: pair.publicKey, privatePem };
}

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
  readonly fake?: ConstructorParameters<typeof FakeCoinbase>[0];
  readonly clock?: Clock;
  readonly keyKind?: 'ec' | 'ed25519';
  readonly store?: MemoryStateStore;
}

async function open(options: OpenOptions = {}) {
  const clock = options.clock;
  const k = keys(options.keyKind);
  const fake = new FakeCoinbase({
    apiKeys: [{ name: KEY_NAME, publicKey: k.publicKey }],
    now: clock?.now,
    jwtHosts: [],
    ...options.fake,
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  fake.feedQuote('BTC-USD', '45000.00', '5', '45001.00', '5');
  fake.feedTrade('BTC-USD', '45000.50', '0.1');
  const adapter = new CoinbaseAdapter({
    urls: { rest: urls.brokerage, userWs: urls.ws, marketWs: urls.marketData },
    credentials: unwrap(CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: k.privatePem })),
    products: ['BTC-USD', 'ETH-USD'],
    timeoutMs: 1_000,
    clock: clock?.now,
    sleep: clock?.sleep,
    store: options.store,
  });
  const session = await LiveSession.open(adapter, {
    marketData: true,
    clock: clock?.now,
    bridge: { backoffMs: 20, sleep: clock?.sleep, clock: clock?.now },
  });
  const close = async () => {
    await session.close();
    await fake.stop();
  };
  return { fake, session, oms: session.oms, adapter, close, urls };
}

describe('Coinbase adapter on the fake Coinbase', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it('places a limit order, hears it fill over the user channel exactly once, and books it', async () => {
    const s = await open();
    closers.push(s.close);
    assert.deepEqual(s.session.blockedBy, []);
    assert.equal(s.adapter.instruments().find((i) => i.symbol === 'BTC/USD')?.key, 'coinbase:BTC/USD');
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    s.fake.feedTrade('BTC-USD', '44899.00', '1', 'SELL');
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'filled', 'the fill');
    await s.session.settle();
    const view = s.oms.getOrder(o.id as OrderId)!;
    assert.equal(view.filled, '0.01000000');
    assert.equal(s.oms.portfolio.position('coinbase:BTC/USD')?.qty, '0.01000000');
    const fills = s.oms.tradeLog.fills().filter((f) => f.orderId === o.id);
    assert.equal(fills.length, 1, 'one fill, told once');
    // A reconciliation now (as after a reconnect) recognises the fill the stream told.
    const r = await s.session.reconcile();
    assert.equal(r.missedFills, 0);
    assert.equal(s.oms.tradeLog.fills().filter((f) => f.orderId === o.id).length, 1);
    assert.deepEqual(s.adapter.discrepancies(), []);
    // Every request carried a valid, fresh JWT (or needed none).
    assert.ok(s.fake.requests().length > 0);
    assert.ok(s.fake.requests().every((r) => r.authOk !== false));
    assert.deepEqual(s.fake.internalErrors(), []);
  });

  it('a dropped answer after the venue placed the order leads to exactly one order', async () => {
    const s = await open();
    closers.push(s.close);
    s.fake.faults.dropResponse({ match: { method: 'POST', path: '/orders' } });
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '44800' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance after the lookup');
    await s.session.settle();
    const coid = s.oms.getOrder(o.id as OrderId)!.clientOrderId;
    assert.equal(
      s.fake.orderRecords().filter((r) => r.clientOrderId === coid).length,
      1,
      'one order at the venue',
    );
    assert.equal(s.fake.orderRecords().length, 1);
    assert.ok(
      s.fake.requests().some((r) => r.fault !== undefined),
      'the fault was applied',
    );
    assert.equal(
      s.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/orders')).length,
      1,
    );
    assert.deepEqual(s.session.bridge.problems, []);
  });

  it('HTTP 200 success:false is a rejection carrying the venue’s reason', async () => {
    const s = await open();
    closers.push(s.close);
    const reasons: string[] = [];
    s.oms.on((e) => {
      if (e.type === 'order_rejected') reasons.push(e.reason);
    });
    // 3 BTC at 45 000 is 135 000 USD; the account holds 100 000.
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '3', price: '45000' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'rejected', 'the rejection');
    assert.equal(reasons.length, 1);
    assert.match(reasons[0]!, /INSUFFICIENT_FUND/);
    assert.equal(s.fake.orderRecords().length, 0);
  });

  it('refuses locally, naming the product rule, what Coinbase would refuse; nothing is sent', async () => {
    const s = await open();
    closers.push(s.close);
    const before = s.fake.requests().length;
    const reasons: string[] = [];
    s.oms.on((e) => {
      if (e.type === 'order_rejected') reasons.push(e.reason);
    });
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.00001', price: '100' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'rejected', 'the refusal');
    assert.equal(s.fake.requests().length, before);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0]!, /^quote_min_size: order value 0\.001 USD is below the minimum 1 USD/);
  });

  it('modify is an edit that keeps the order’s identity; a GTD order is refused clearly', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '44000' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    const venueId = s.fake.orderRecords()[0]!.id;
    unwrap(s.oms.modifyOrder(o.id as OrderId, { price: '44100', quantity: '0.02' }, Date.now()));
    await until(() => s.oms.getOrder(o.id as OrderId)?.price === '44100.00', 'the edit');
    await s.session.settle();
    const view = s.oms.getOrder(o.id as OrderId)!;
    assert.equal(view.quantity, '0.02000000');
    assert.equal(view.status, 'accepted');
    assert.equal(s.fake.orderRecords().length, 1, 'no second order');
    const rec = s.fake.orders()[0] as {
      order_id: string;
      order_configuration: Record<string, Record<string, string>>;
    };
    assert.equal(rec.order_id, venueId, 'same order id');
    assert.equal(rec.order_configuration.limit_limit_gtc?.limit_price, '44100');
    assert.ok(s.fake.requests().some((r) => r.path.endsWith('/orders/edit')));
    // It still fills as itself.
    s.fake.feedTrade('BTC-USD', '44099.00', '1', 'SELL');
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'filled', 'the fill of the edited order');

    const reasons: string[] = [];
    s.oms.on((e) => {
      if (e.type === 'order_modify_rejected') reasons.push(e.reason);
    });
    const gtd = unwrap(
      s.oms.placeOrder(
        {
          symbol: 'BTC/USD',
          side: 'buy',
          type: 'limit',
          quantity: '0.01',
          price: '43000',
          tif: 'gtd',
          expireAt: Date.now() + 3_600_000,
        },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(gtd.id as OrderId)?.status === 'accepted', 'GTD acceptance');
    unwrap(s.oms.modifyOrder(gtd.id as OrderId, { price: '43100' }, Date.now()));
    await until(() => reasons.length > 0, 'the refused edit');
    assert.match(reasons[0]!, /coinbase edits only GTC limit and stop-limit orders/);
    assert.equal(s.oms.getOrder(gtd.id as OrderId)!.price, '43000.00');
  });

  it('the user stream paused, repeated and dropped in the middle of fills misses and repeats no fill', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'sell', type: 'limit', quantity: '1', price: '45100' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    s.fake.feedTrade('BTC-USD', '45101.00', '0.2', 'BUY');
    await until(() => s.oms.getOrder(o.id as OrderId)?.filled === '0.20000000', 'the first fill');
    // Updates are lost while paused; the next one carries the cumulative state past them.
    s.fake.faults.pauseUserData();
    s.fake.feedTrade('BTC-USD', '45102.00', '0.3', 'BUY');
    s.fake.feedTrade('BTC-USD', '45103.00', '0.1', 'BUY');
    s.fake.faults.resumeUserData();
    s.fake.faults.duplicateEvents(3);
    s.fake.feedTrade('BTC-USD', '45104.00', '0.1', 'BUY');
    await until(
      () => s.oms.getOrder(o.id as OrderId)?.filled === '0.70000000',
      'the fills missed while paused',
    );
    // The connection drops; a fill happens while it is down; the reconnect's reconciliation finds it.
    s.fake.faults.disconnectWebSockets({ user: true });
    s.fake.feedTrade('BTC-USD', '45105.00', '0.1', 'BUY');
    await until(() => s.oms.getOrder(o.id as OrderId)?.filled === '0.80000000', 'the fill missed while down');
    s.fake.feedTrade('BTC-USD', '45106.00', '0.2', 'BUY');
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'filled', 'the last fill');
    await s.session.settle();
    // A reconciliation (the reconnect's may still be running: it is awaited first) finds nothing new.
    await s.session.reconcile();
    const r = await s.session.reconcile();
    assert.equal(r.missedFills, 0, 'nothing left to find');
    const fills = s.oms.tradeLog.fills().filter((f) => f.orderId === o.id);
    const total = fills.reduce((n, f) => n + Number(f.quantity), 0);
    assert.equal(Math.round(total * 1e8), 1e8, 'the fills add up to the order, none twice');
    assert.equal(new Set(fills.map((f) => f.tradeId)).size, fills.length);
    assert.equal(s.oms.portfolio.position('coinbase:BTC/USD')?.qty, '-1.00000000');
    assert.ok(s.fake.droppedEvents().length >= 2, 'updates were lost while paused');
    assert.deepEqual(s.adapter.discrepancies(), []);
    // The venue's notional equals Ordo's: every derived price was exact.
    const venue = s.fake.orders()[0] as { filled_value: string };
    const ordo = fills.reduce((n, f) => n + Number(f.price) * Number(f.quantity), 0);
    assert.ok(Math.abs(ordo - Number(venue.filled_value)) < 1e-6, `${ordo} vs ${venue.filled_value}`);
  });

  it('explain: OCO, stop-market and trailing stops are emulated by Ordo; a stop-limit is native', async () => {
    const s = await open();
    closers.push(s.close);
    const oco = unwrap(
      s.oms.explain((o) =>
        o.placeOcoOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '0.01',
          legs: [
            { type: 'limit', price: '46000' },
            { type: 'stop', triggerPrice: '44000' },
          ],
        }),
      ),
    );
    assert.equal(oco.list?.route, 'emulated');
    assert.match(oco.list?.reason ?? '', /no native OCO/);
    const stop = unwrap(
      s.oms.explain((o) =>
        o.placeOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          type: 'stop',
          quantity: '0.01',
          triggerPrice: '44000',
        }),
      ),
    );
    assert.equal(stop.orders[0]!.route, 'emulated');
    assert.match(stop.orders[0]!.reason, /no native stop orders/);
    const trailing = unwrap(
      s.oms.explain((o) =>
        o.placeTrailingStop({
          symbol: 'BTC/USD',
          side: 'sell',
          quantity: '0.01',
          offsetType: 'price',
          offset: '100',
        }),
      ),
    );
    assert.equal(trailing.orders[0]!.route, 'emulated');
    const stopLimit = unwrap(
      s.oms.explain((o) =>
        o.placeOrder({
          symbol: 'BTC/USD',
          side: 'sell',
          type: 'stop_limit',
          quantity: '0.01',
          triggerPrice: '44000',
          price: '43900',
        }),
      ),
    );
    assert.equal(stopLimit.orders[0]!.route, 'native');
  });

  it('an emulated stop-market fires as a market order on the venue', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'sell', type: 'stop', quantity: '0.01', triggerPrice: '44500' },
        Date.now(),
      ),
    );
    assert.equal(s.fake.orderRecords().length, 0, 'held by Ordo');
    s.fake.feedQuote('BTC-USD', '44400.00', '5', '44401.00', '5');
    s.fake.feedTrade('BTC-USD', '44400.00', '0.5', 'SELL');
    await until(
      () => s.oms.getOrder(o.id as OrderId)?.status === 'filled',
      'the released market order to fill',
    );
    const rec = s.fake.orders()[0] as { order_configuration: Record<string, unknown> };
    assert.deepEqual(Object.keys(rec.order_configuration), ['market_market_ioc']);
  });

  it('honours a 429: the request is sent again after the wait, each order placed once', async () => {
    const clock = new Clock();
    const s = await open({ clock });
    closers.push(s.close);
    s.fake.faults.rateLimitNext(2, { match: { method: 'POST', path: '/orders' } });
    const ids: OrderId[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        unwrap(
          s.oms.placeOrder(
            { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: `${44000 + i}` },
            clock.now(),
          ),
        ).id as OrderId,
      );
    await until(() => ids.every((id) => s.oms.getOrder(id)?.status === 'accepted'), 'all three accepted');
    assert.equal(s.fake.orderRecords().length, 3, 'each order placed once');
    const limited = s.fake.requests().filter((r) => r.status === 429);
    assert.equal(limited.length, 2);
    // After a 429 the client waited its second before sending anything again.
    const first = limited[0]!;
    const next = s.fake.requests().find((r) => r.time > first.time);
    assert.ok(next === undefined || next.time - first.time >= 1_000, 'nothing sent inside the wait');
  });

  it('cancels through its own id map, and after a restart rebuilds the map from the venue', async () => {
    const s = await open();
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '43000' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    const coid = s.oms.getOrder(o.id as OrderId)!.clientOrderId;
    // A second adapter (a restart, no store): it finds the order by its client id in a listing.
    const k = keys();
    s.fake.addApiKey({ name: 'restarted-key', publicKey: k.publicKey });
    const again = new CoinbaseAdapter({
      urls: { rest: s.urls.brokerage, userWs: s.urls.ws, marketWs: s.urls.marketData },
      credentials: unwrap(CoinbaseCredentials.from({ keyName: 'restarted-key', privateKey: k.privatePem })),
      products: ['BTC-USD'],
    });
    await again.connect({ report: () => {}, market: () => {}, connection: () => {} });
    const st = await again.lookup('coinbase:BTC/USD', coid);
    await again.close();
    assert.equal(st?.status, 'open');
    assert.equal(st?.venueOrderId, s.fake.orderRecords()[0]!.id);
    assert.equal(await again.lookup('coinbase:BTC/USD', 'never-placed'), undefined);
    unwrap(s.oms.cancelOrder(o.id as OrderId, Date.now()));
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'cancelled', 'the cancel');
    assert.ok(s.fake.requests().some((r) => r.path.endsWith('/orders/batch_cancel')));
    // cancelAll lists the live orders and batch-cancels them.
    const a = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '42000' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(a.id as OrderId)?.status === 'accepted', 'acceptance');
    const all = await s.adapter.cancelAll();
    assert.equal(all.cancelled.length, 1);
    await until(() => s.oms.getOrder(a.id as OrderId)?.status === 'cancelled', 'cancelled by cancelAll');
  });

  it('signs with an Ed25519 key (EdDSA) and keeps its state in a store across a restart', async () => {
    const store = new MemoryStateStore();
    const s = await open({ keyKind: 'ed25519', store });
    closers.push(s.close);
    const o = unwrap(
      s.oms.placeOrder(
        { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
        Date.now(),
      ),
    );
    await until(() => s.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    s.fake.feedTrade('BTC-USD', '44899.00', '0.004', 'SELL');
    await until(() => s.oms.getOrder(o.id as OrderId)?.filled === '0.00400000', 'a partial fill');
    assert.ok(s.fake.requests().every((r) => r.authOk !== false));
    const saved = store.load() as { orders: unknown[]; ledger: { orders: { segments: unknown[] }[] } };
    assert.equal(saved.orders.length, 1);
    assert.equal(saved.ledger.orders[0]!.segments.length, 1);
    // Nothing secret in what is stored.
    assert.ok(!JSON.stringify(saved).includes('PRIVATE KEY'));
  });
});
