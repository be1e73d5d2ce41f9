// An Idempotency-Key must hold across a crash: a client that retries after the server died must
// neither get a second order nor lose the one it asked for. The key's record (data/api.db) and the
// order (the journal) are two files, so the key is reserved, pending, before the placement is made
// durable and completed after it; these tests leave the files as a crash between those steps
// would, restart the server on them, and retry.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Harness, startHarness } from './support/api-harness.ts';

const BTC = 'BTC/USD';
const BODY = { symbol: BTC, side: 'buy', type: 'limit', quantity: '0.1', price: '44000' };

/** The api.db of a closed server, to leave it as a crash would have. */
function apiDb(dataDir: string): Database.Database {
  return new Database(join(dataDir, 'api.db'));
}

async function orders(h: Harness): Promise<{ id: number }[]> {
  return (await h.call('GET', '/v1/orders?status=all')).json.orders;
}

describe('idempotency keys across a crash', () => {
  it('a crash after the order was journaled, before its key was completed: the retry gets that order', async () => {
    const h = await startHarness();
    h.feed.trade(45_000);
    const key = { 'idempotency-key': 'crash-after-journal' };
    const first = await h.call('POST', '/v1/orders', BODY, { headers: key });
    assert.equal(first.status, 201, first.text);
    await h.close();
    // What the crash leaves: the order is in the journal, its key still pending.
    const db = apiDb(h.dataDir);
    assert.equal(
      db.prepare("UPDATE idempotency SET pending = 1 WHERE key = 'crash-after-journal'").run().changes,
      1,
    );
    db.close();

    const h2 = await startHarness({ dataDir: h.dataDir });
    try {
      const retry = await h2.call('POST', '/v1/orders', BODY, { headers: key });
      assert.equal(retry.status, 200, retry.text);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      assert.equal(retry.json.order.id, first.json.order.id);
      assert.equal((await orders(h2)).length, 1, 'never a second order');
    } finally {
      await h2.dispose();
    }
  });

  it('a crash after the key was reserved, before the order was journaled: the retry places it, once', async () => {
    const h = await startHarness();
    h.feed.trade(45_000);
    const placed = await h.call('POST', '/v1/orders', { ...BODY, price: '43000' });
    assert.equal(placed.status, 201, placed.text);
    await h.close();
    // What the crash leaves: the key reserved for the next order id, which the journal never got.
    const next = placed.json.order.id + 1;
    const db = apiDb(h.dataDir);
    db.prepare(
      `INSERT INTO idempotency (key, request_hash, kind, id, created_ms, pending)
       VALUES ('crash-before-journal', 'whatever the request hashed to', 'order', ?, 0, 1)`,
    ).run(next);
    db.close();

    const h2 = await startHarness({ dataDir: h.dataDir });
    try {
      const key = { 'idempotency-key': 'crash-before-journal' };
      const retry = await h2.call('POST', '/v1/orders', BODY, { headers: key });
      assert.equal(retry.status, 201, retry.text);
      assert.equal(retry.headers.get('idempotent-replayed'), null);
      assert.equal(retry.json.order.id, next);
      const again = await h2.call('POST', '/v1/orders', BODY, { headers: key });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.order.id, next);
      assert.equal((await orders(h2)).length, 2, 'the first order and the retried one');
    } finally {
      await h2.dispose();
    }
  });

  it('a placement the engine refuses frees its key; nothing stays pending', async () => {
    const h = await startHarness({ config: { risk: { orderQtyMax: { default: '1' } } } });
    try {
      h.feed.trade(45_000);
      const key = { 'idempotency-key': 'refused-then-fine' };
      const refused = await h.call('POST', '/v1/orders', { ...BODY, quantity: '5' }, { headers: key });
      assert.equal(refused.status, 422, refused.text);
      const ok = await h.call('POST', '/v1/orders', BODY, { headers: key });
      assert.equal(ok.status, 201, ok.text);
      await h.close();
      const db = apiDb(h.dataDir);
      const rows = db.prepare('SELECT key, id, pending FROM idempotency').all();
      db.close();
      assert.deepEqual(rows, [{ key: 'refused-then-fine', id: ok.json.order.id, pending: 0 }]);
    } finally {
      await h.dispose();
    }
  });
});
