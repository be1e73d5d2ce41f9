// A bracket on Coinbase, end to end on the local fake: its take-profit and stop-loss are ONE native
// trigger_bracket order, placed by Ordo once the entry fills (resized by an edit as more of it
// fills), signed like every request, and split back onto Ordo's two legs — fills before the stop
// triggers are the take-profit's, after it the stop-loss's; the trigger ends the take-profit; a
// cancel of either leg ends both. A restart, before or after the pair is placed, keeps the
// protection: the pair is found by its legs' ids, never adopted as an external order.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import type { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { ListView, OrderHandle } from '../src/engine/order-view.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { CoinbaseAdapter } from '../src/venues/coinbase/coinbase-adapter.ts';
import { FakeCoinbase } from '../src/venues/coinbase/fake/index.ts';
import { CoinbaseCredentials } from '../src/venues/coinbase/jwt.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { until } from './support/until.ts';

const KEY_NAME = 'organizations/ordo-test-org/apiKeys/ordo-bracket-key-0001';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PRIVATE_PEM = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();

interface Opened {
  readonly fake: FakeCoinbase;
  readonly session: LiveSession;
  readonly oms: AdvancedOrderManager;
}

/** A session on a fake (a new one, or `reuse`d across a restart), journaling to `journal`. */
async function open(options: { reuse?: FakeCoinbase; journal?: SqliteJournal } = {}): Promise<Opened> {
  let fake = options.reuse;
  if (fake === undefined) {
    fake = new FakeCoinbase({
      apiKeys: [{ name: KEY_NAME, publicKey: pair.publicKey }],
      jwtHosts: [],
      balances: { USD: '100000', BTC: '0' },
    });
    await fake.start({ port: 0, host: '127.0.0.1' });
    fake.feedQuote('BTC-USD', '45000.00', '5', '45001.00', '5');
    fake.feedTrade('BTC-USD', '45000.50', '0.1');
  }
  const urls = fake.urls;
  const adapter = new CoinbaseAdapter({
    urls: { rest: urls.brokerage, userWs: urls.ws, marketWs: urls.marketData },
    credentials: unwrap(CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: PRIVATE_PEM })),
    products: ['BTC-USD'],
    timeoutMs: 2_000,
  });
  const session = await LiveSession.open(adapter, {
    marketData: true,
    journal: options.journal,
    bridge: { backoffMs: 20 },
  });
  return { fake, session, oms: session.oms };
}

/** A buy bracket: entry limit 44900 for 0.01, take-profit 45500, stop-loss 44500. */
function placeBracket(oms: AdvancedOrderManager): [OrderHandle, OrderHandle, OrderHandle] {
  const list: ListView = unwrap(
    oms.placeBracketOrder(
      {
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '0.01',
        entry: { type: 'limit', price: '44900' },
        takeProfit: { price: '45500' },
        stopLoss: { price: '44500' },
      },
      Date.now(),
    ),
  );
  return list.orders.map((o) => oms.getOrder(o.id as OrderId)!) as [OrderHandle, OrderHandle, OrderHandle];
}

const view = (s: Opened, o: OrderHandle) => s.oms.getOrder(o.id as OrderId)!;
/** The BTC position, as a number for comparison only (the text is exact). */
const position = (s: Opened) => Number(s.oms.portfolio.position('coinbase:BTC/USD')?.qty ?? '0');

/** The fake's trigger_bracket orders, as `GET /orders/historical/{id}` shows them. */
function brackets(fake: FakeCoinbase) {
  return fake.orders().filter((o) => o.order_type === 'BRACKET') as {
    order_id: string;
    client_order_id: string;
    status: string;
    order_configuration: { trigger_bracket_gtc?: Record<string, string> };
  }[];
}

/** Fills the entry (a seller trades through its limit), then waits for the exit pair to work. */
async function fillEntry(s: Opened, entry: OrderHandle, tp: OrderHandle, sl: OrderHandle, qty = '1') {
  await until(() => view(s, entry).status === 'accepted', 'the entry at the venue');
  s.fake.feedTrade('BTC-USD', '44899.00', qty, 'SELL');
  await until(
    () => view(s, tp).status === 'accepted' && view(s, sl).status === 'accepted',
    'the exits working at the venue',
  );
}

describe('Coinbase native bracket (trigger bracket) on the fake Coinbase', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers.reverse()) await c();
  });
  const started = async (o: Opened) => {
    closers.push(
      () => o.session.close(),
      () => o.fake.stop(),
    );
    return o;
  };

  it('the entry fills, the exits go out as one signed trigger_bracket order; the take-profit fills and the stop-loss ends', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    assert.equal(view(s, tp).route, 'native');
    assert.equal(view(s, sl).route, 'native');
    await until(() => view(s, entry).status === 'accepted', 'the entry at the venue');
    assert.equal(brackets(s.fake).length, 0, 'nothing but the entry before it fills');
    await fillEntry(s, entry, tp, sl);
    assert.equal(view(s, entry).status, 'filled');
    // One venue order holds both exits, under a client id naming both legs.
    const [b, ...more] = brackets(s.fake);
    assert.equal(more.length, 0);
    assert.deepEqual(b!.order_configuration, {
      trigger_bracket_gtc: { base_size: '0.01', limit_price: '45500', stop_trigger_price: '44500' },
    });
    assert.equal(b!.client_order_id, `${view(s, tp).clientOrderId}_${view(s, sl).clientOrderId}`);
    assert.equal(view(s, tp).venueOrderId, b!.order_id);
    assert.equal(view(s, sl).venueOrderId, b!.order_id);
    // Created with a JWT the fake verified, like every request of the session.
    const creates = s.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/orders'));
    assert.equal(creates.length, 2, 'the entry, then the exit pair');
    assert.ok(s.fake.requests().every((r) => r.authOk !== false));
    // A buyer lifts the take-profit.
    s.fake.feedTrade('BTC-USD', '45501.00', '1', 'BUY');
    await until(
      () => view(s, tp).status === 'filled' && view(s, sl).status === 'cancelled',
      'tp filled, sl ended',
    );
    assert.equal(view(s, tp).filled, '0.01000000');
    assert.equal(Number(view(s, tp).averageFillPrice), 45500);
    assert.equal(view(s, sl).filled, '0.00000000');
    assert.equal(brackets(s.fake)[0]!.status, 'FILLED');
    await s.session.settle();
    assert.equal(position(s), 0, 'flat');
    assert.deepEqual(s.fake.internalErrors(), []);
  });

  it('the stop triggers: the take-profit ends, the stop-loss fills the rest of the order', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    await fillEntry(s, entry, tp, sl);
    // A buyer takes part of the take-profit first: that part is the take-profit's.
    s.fake.feedTrade('BTC-USD', '45501.00', '0.003', 'BUY');
    await until(() => view(s, tp).filled === '0.00300000', 'a part of the take-profit');
    await s.session.settle();
    assert.equal(view(s, sl).quantity, '0.00700000', 'the stop-loss covers what is left');
    // Then the market falls through the stop trigger.
    s.fake.feedQuote('BTC-USD', '44498.50', '5', '44499.50', '5');
    s.fake.feedTrade('BTC-USD', '44499.00', '0.1', 'SELL');
    await until(
      () => view(s, sl).status === 'filled' && view(s, tp).status === 'cancelled',
      'sl filled, tp ended',
    );
    assert.equal(view(s, sl).filled, '0.00700000');
    assert.equal(view(s, tp).filled, '0.00300000');
    // The triggered stop worked as a limit through the trigger: it sold at the bid.
    assert.equal(Number(view(s, sl).averageFillPrice), 44498.5);
    const [b] = brackets(s.fake);
    assert.equal(b!.status, 'FILLED');
    assert.equal(s.fake.requests().filter((r) => r.path.endsWith('/orders/edit')).length, 0, 'no edit sent');
    await s.session.settle();
    assert.equal(position(s), 0, 'flat');
    // A reconciliation (as after a reconnect) agrees: each fill on its leg, none told twice.
    const r = await s.session.reconcile();
    assert.equal(r.missedFills, 0);
    assert.deepEqual(r.mismatches, []);
    assert.equal(view(s, tp).filled, '0.00300000');
    assert.equal(view(s, sl).filled, '0.00700000');
  });

  it('a triggered stop-loss that rests at the venue keeps working until it fills', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    await fillEntry(s, entry, tp, sl);
    // No bid near: the stop's limit (5 % through the trigger) rests when the stop triggers.
    s.fake.feedQuote('BTC-USD', '40000.00', '5', '44499.50', '5');
    s.fake.feedTrade('BTC-USD', '44499.00', '0.1', 'SELL');
    await until(
      () => view(s, sl).status === 'triggered' && view(s, tp).status === 'cancelled',
      'the stop triggered, the take-profit ended',
    );
    await s.session.settle();
    assert.equal(brackets(s.fake)[0]!.status, 'OPEN', 'the stop-loss still works at the venue');
    assert.equal(s.fake.requests().filter((r) => r.path.endsWith('/orders/batch_cancel')).length, 0);
    // A buyer comes back: the stop-loss sells.
    s.fake.feedQuote('BTC-USD', '44000.00', '5', '44001.00', '5');
    s.fake.feedTrade('BTC-USD', '44000.00', '1', 'BUY');
    await until(() => view(s, sl).status === 'filled', 'the stop-loss fill');
    assert.equal(view(s, sl).filled, '0.01000000');
    await s.session.settle();
    assert.equal(position(s), 0, 'flat');
  });

  it('more of the entry fills: the one order is resized by an edit; a take-profit re-price is an edit too', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    await fillEntry(s, entry, tp, sl, '0.004');
    s.fake.feedTrade('BTC-USD', '44899.00', '1', 'SELL');
    await until(() => view(s, entry).status === 'filled', 'the rest of the entry');
    await until(
      () => brackets(s.fake)[0]!.order_configuration.trigger_bracket_gtc?.base_size === '0.01',
      'the pair resized to the whole entry',
    );
    await s.session.settle();
    assert.equal(view(s, tp).quantity, '0.01000000');
    assert.equal(view(s, sl).quantity, '0.01000000');
    const edits = () => s.fake.requests().filter((r) => r.path.endsWith('/orders/edit')).length;
    assert.equal(edits(), 1, 'both legs asked for the resize; one edit was sent');
    assert.equal(brackets(s.fake).length, 1, 'still one venue order');
    unwrap(s.oms.modifyOrder(tp.id as OrderId, { price: '45600' }, Date.now()));
    await until(() => view(s, tp).price === '45600.00' && view(s, tp).status === 'accepted', 'the re-price');
    const cfg = brackets(s.fake)[0]!.order_configuration.trigger_bracket_gtc!;
    assert.equal(cfg.limit_price, '45600');
    assert.equal(cfg.stop_trigger_price, '44500', 'the stop is untouched');
    assert.equal(edits(), 2);
  });

  it('a lost answer to the pair’s create: found by its legs’ ids, placed once', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    await until(() => view(s, entry).status === 'accepted', 'the entry at the venue');
    // The pair's create is carried out but its answer is lost, and the user channel says nothing
    // more once the entry's fill is heard: the pair must be found by a listing.
    s.fake.faults.dropResponse({ match: { method: 'POST', path: '/orders' } });
    const off = s.oms.on((e) => {
      if (e.type === 'order_filled' && e.id === entry.id) s.fake.faults.pauseUserData();
    });
    closers.push(async () => off());
    s.fake.feedTrade('BTC-USD', '44899.00', '1', 'SELL');
    await until(
      () => view(s, tp).status === 'accepted' && view(s, sl).status === 'accepted',
      'the exits accepted after the lookup',
    );
    const log = s.fake.requests();
    const faulted = log.findIndex((r) => r.fault !== undefined);
    assert.ok(faulted >= 0, 'the fault was applied');
    assert.ok(
      log.slice(faulted).some((r) => r.path.endsWith('/orders/historical/batch')),
      'looked for in a listing (Coinbase has no lookup by client id)',
    );
    assert.equal(brackets(s.fake).length, 1, 'one trigger bracket at the venue');
    assert.equal(
      s.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/orders')).length,
      2,
      'the entry and the pair, each sent once',
    );
    assert.deepEqual(s.session.bridge.problems, []);
    s.fake.faults.resumeUserData();
    s.fake.feedTrade('BTC-USD', '45501.00', '1', 'BUY');
    await until(() => view(s, tp).status === 'filled' && view(s, sl).status === 'cancelled', 'tp filled');
  });

  it('cancelling either leg cancels the one venue order and ends both legs', async () => {
    const s = await started(await open());
    const [entry, tp, sl] = placeBracket(s.oms);
    await fillEntry(s, entry, tp, sl);
    unwrap(s.oms.cancelOrder(sl.id as OrderId, Date.now()));
    assert.equal(view(s, tp).status, 'pending_cancel', 'both legs, at once');
    await until(
      () => view(s, tp).status === 'cancelled' && view(s, sl).status === 'cancelled',
      'both legs cancelled',
    );
    assert.equal(brackets(s.fake)[0]!.status, 'CANCELLED');
    const cancels = s.fake.requests().filter((r) => r.path.endsWith('/orders/batch_cancel'));
    assert.equal(cancels.length, 1, 'one cancel for the one venue order');
    await s.session.settle();
    assert.equal(position(s), 0.01, 'the position stays');
  });

  it('a restart before the pair is placed places it; a restart after keeps it, never adopted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-coinbase-bracket-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'journal.sqlite');
    const first = await open({ journal: SqliteJournal.open(path) });
    closers.push(() => first.fake.stop());
    const [entry, tp, sl] = placeBracket(first.oms);
    await until(() => view(first, entry).status === 'accepted', 'the entry at the venue');
    await first.session.close();
    // Ordo is down when the entry fills: no exit exists at the venue yet.
    first.fake.feedTrade('BTC-USD', '44899.00', '1', 'SELL');
    assert.equal(brackets(first.fake).length, 0);

    const second = await open({ reuse: first.fake, journal: SqliteJournal.open(path) });
    assert.deepEqual(second.session.lastReconciliation?.adopted, []);
    assert.deepEqual(second.session.blockedBy, []);
    await until(
      () => view(second, tp).status === 'accepted' && view(second, sl).status === 'accepted',
      'the exit pair placed after the restart',
    );
    assert.equal(view(second, entry).status, 'filled');
    assert.equal(brackets(second.fake).length, 1);
    await second.session.settle();
    await second.session.close();

    // Ordo restarts again, with the pair working at the venue and no adapter state kept.
    const third = await open({ reuse: first.fake, journal: SqliteJournal.open(path) });
    closers.push(() => third.session.close());
    assert.deepEqual(third.session.lastReconciliation?.adopted, [], 'the pair is Ordo’s two legs');
    assert.deepEqual(third.session.blockedBy, []);
    assert.equal(third.oms.getOrders().length, 3);
    assert.equal(view(third, tp).status, 'accepted');
    assert.equal(view(third, sl).status, 'accepted');
    // The protection works: the stop triggers and the stop-loss sells the position.
    third.fake.feedQuote('BTC-USD', '44498.50', '5', '44499.50', '5');
    third.fake.feedTrade('BTC-USD', '44499.00', '0.1', 'SELL');
    await until(
      () => view(third, sl).status === 'filled' && view(third, tp).status === 'cancelled',
      'sl filled after the restart',
    );
    await third.session.settle();
    assert.equal(position(third), 0, 'flat');
    assert.equal(brackets(third.fake).length, 1, 'one exit order in all');
  });
});
