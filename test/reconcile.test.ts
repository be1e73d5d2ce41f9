// Reconciliation against the fake Binance: orders placed outside Ordo are adopted, fills Ordo
// cannot explain halt trading until the operator resumes it, and fills missed while Ordo was away
// are applied once, from the journal's last point.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import type { VenueOrderRequest } from '../src/engine/venue-port.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { BinanceAdapter } from '../src/venues/binance/binance-adapter.ts';
import { FakeBinance } from '../src/venues/binance/fake/fake-binance.ts';
import { Credentials } from '../src/venues/binance/signing.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { until } from './support/until.ts';

const API_KEY = 'OrdoReconcileKey000000000000000000000000000000000000000000000001';
const SECRET = 'OrdoReconcileSecret0000000000000000000000000000000000000000000001';

function adapterFor(urls: { rest: string; wsApi: string; stream: string }): BinanceAdapter {
  return new BinanceAdapter({
    urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
    credentials: unwrap(Credentials.from({ apiKey: API_KEY, hmacSecret: SECRET })),
    timeoutMs: 1_000,
  });
}

/** Another program on the same account: places an order with its own client id. */
async function placeOutside(
  urls: { rest: string; wsApi: string; stream: string },
  order: Partial<VenueOrderRequest>,
) {
  const other = adapterFor(urls);
  await other.connect({ report: () => {}, market: () => {}, connection: () => {} });
  await other.submit({
    clientOrderId: 'manual-1',
    instrument: 'binance:BTC/USDT',
    side: 'buy',
    type: 'limit',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: 1_000, // 0.01 BTC at 5 decimals
    price: 4_480_000, // 44800.00
    triggerPrice: undefined,
    trailing: undefined,
    postOnly: false,
    reduceOnly: false,
    ...order,
  });
  await other.close();
}

describe('reconciliation on the fake Binance', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function fake(): Promise<{
    fake: FakeBinance;
    urls: { rest: string; wsApi: string; stream: string };
  }> {
    const f = new FakeBinance({ apiKeys: [{ apiKey: API_KEY, hmacSecret: SECRET }] });
    const urls = await f.start({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => f.stop());
    f.feedQuote('BTCUSDT', '45000.00', '5', '45001.00', '5');
    f.feedTrade('BTCUSDT', '45000.50', '0.1');
    return { fake: f, urls };
  }

  it('adopts an order placed outside Ordo, keeps its id, and follows its fills', async () => {
    const { fake: f, urls } = await fake();
    await placeOutside(urls, {});
    const session = await LiveSession.open(adapterFor(urls), { marketData: true });
    cleanup.push(() => session.close());
    assert.deepEqual(session.lastReconciliation?.adopted, ['manual-1']);
    assert.deepEqual(session.blockedBy, []);
    const adopted = session.oms.getOrders().find((o) => o.clientOrderId === 'manual-1');
    assert.equal(adopted?.status, 'accepted');
    assert.equal(adopted?.tag, 'external');
    f.feedTrade('BTCUSDT', '44799.00', '1');
    await until(() => session.oms.getOrder(adopted!.id as OrderId)?.status === 'filled', 'the external fill');
    assert.equal(session.oms.portfolio.position('binance:BTC/USDT')?.qty, '0.01000');
    // And Ordo can cancel what it adopted.
    await placeOutside(urls, { clientOrderId: 'manual-2', price: 4_470_000 });
    await session.reconcile();
    const second = session.oms.getOrders().find((o) => o.clientOrderId === 'manual-2')!;
    unwrap(session.oms.cancelOrder(second.id as OrderId, Date.now()));
    await until(() => session.oms.getOrder(second.id as OrderId)?.status === 'cancelled', 'the cancel');
  });

  it('halts trading on a fill it cannot explain, until resumed', async () => {
    const { fake: f, urls } = await fake();
    // An order placed and filled outside Ordo before the session: not open, so not adoptable.
    await placeOutside(urls, { clientOrderId: 'gone-1', type: 'market', price: undefined });
    const session = await LiveSession.open(adapterFor(urls), {});
    cleanup.push(() => session.close());
    assert.equal(session.blockedBy.length, 1);
    assert.equal(session.blockedBy[0]?.kind, 'external_fill');
    assert.match(session.blockedBy[0]!.detail, /gone-1/);
    const denied = session.oms.placeOrder(
      { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44000' },
      Date.now(),
    );
    assert.equal(denied.ok, false);
    assert.equal(!denied.ok && denied.error.code, 'risk_denied');
    session.resume();
    unwrap(
      session.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44000' },
        Date.now(),
      ),
    );
    await session.settle();
    assert.equal(f.orderRecords().length, 2);
  });

  it('applies fills missed while Ordo was down, once, from the journal', async () => {
    const { fake: f, urls } = await fake();
    const dir = mkdtempSync(join(tmpdir(), 'ordo-reconcile-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'journal.sqlite');
    const first = await LiveSession.open(adapterFor(urls), { journal: SqliteJournal.open(path) });
    const o = unwrap(
      first.oms.placeOrder(
        { symbol: 'BTC/USDT', side: 'sell', type: 'limit', quantity: '1', price: '45100' },
        Date.now(),
      ),
    );
    await until(() => first.oms.getOrder(o.id as OrderId)?.status === 'accepted', 'acceptance');
    await first.close();
    // Fills while Ordo is away.
    f.feedTrade('BTCUSDT', '45101.00', '0.3');
    f.feedTrade('BTCUSDT', '45102.00', '0.2');
    const journal = SqliteJournal.open(path);
    const second = await LiveSession.open(adapterFor(urls), { journal });
    cleanup.push(() => second.close());
    assert.equal(second.lastReconciliation?.missedFills, 2);
    assert.deepEqual(second.blockedBy, []);
    const view = second.oms.getOrder(o.id as OrderId)!;
    assert.equal(view.filled, '0.50000');
    assert.equal(view.status, 'partially_filled');
    // A second reconciliation finds nothing new.
    const again = await second.reconcile();
    assert.equal(again.missedFills, 0);
    assert.equal(second.oms.tradeLog.fills().length, 2);
  });
});
