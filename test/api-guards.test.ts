// What the API refuses, over real HTTP: no token (every protected route, and the stream), bad input
// (a 400 that names every failing field, from the schema and from the engine at once), oversized
// and non-JSON bodies, and retried POSTs with an Idempotency-Key, which return the first order,
// also after a restart. Also: the OpenAPI document lists exactly the routes the server has.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROUTES } from '../src/api/openapi.ts';
import { type Harness, StreamClient, startHarness, TEST_TOKEN } from './support/api-harness.ts';

const BTC = 'BTC/USD';

describe('authentication', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.dispose());

  it('every protected route answers 401 without the token, or with a wrong one', async () => {
    for (const r of ROUTES.filter((x) => x.auth)) {
      const path = r.path.replace(':id', '1');
      const variants: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-0123456789' },
        { authorization: TEST_TOKEN },
      ];
      for (const headers of variants) {
        const res = await h.call(r.method, path, r.body === undefined ? undefined : {}, {
          auth: false,
          headers,
        });
        assert.equal(res.status, 401, `${r.method} ${path} with ${JSON.stringify(headers)}: ${res.text}`);
        assert.equal(res.json.error.code, 'unauthorized');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="ordo"');
      }
    }
    // An unknown route under /v1 is refused before it is looked up: nothing is revealed.
    assert.equal((await h.call('GET', '/v1/nothing', undefined, { auth: false })).status, 401);
    assert.equal((await h.call('GET', '/v1/nothing')).status, 404);
  });

  it('the public routes need no token', async () => {
    for (const path of ['/health', '/openapi.json', '/docs', '/']) {
      const res = await h.call('GET', path, undefined, { auth: false });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
  });

  it('the stream refuses a connection without the token and takes it three ways', async () => {
    const none = new StreamClient(h.url, '', []);
    await assert.rejects(none.open(), /401/);
    const wrong = new StreamClient(h.url, '?token=nope-nope-nope-nope', []);
    await assert.rejects(wrong.open(), /401/);
    const viaQuery = new StreamClient(h.url, `?token=${TEST_TOKEN}`, []);
    await viaQuery.open();
    await viaQuery.waitFor((m) => m.kind === 'hello', 'hello (query token)');
    const viaProtocol = new StreamClient(h.url, '', ['ordo.v1', `bearer.${TEST_TOKEN}`]);
    await viaProtocol.open();
    assert.equal(viaProtocol.ws.protocol, 'ordo.v1');
    const viaHeader = new StreamClient(h.url, '', [], { authorization: `Bearer ${TEST_TOKEN}` });
    await viaHeader.open();
    for (const c of [viaQuery, viaProtocol, viaHeader]) await c.close();
  });

  it('the OpenAPI document lists every route the server has, and nothing else; its references resolve', async () => {
    const registered = h.server.api.routes.map((r) => `${r.method} ${r.url}`).sort();
    const documented = ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    assert.deepEqual(registered, documented);
    const doc = (await h.call('GET', '/openapi.json', undefined, { auth: false })).json;
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length >= 8);
    for (const ref of refs) {
      // biome-ignore lint/suspicious/noExplicitAny: walking a parsed JSON document
      const target = ref.split('/').reduce((cur: any, key) => cur?.[key], doc);
      assert.equal(typeof target, 'object', `${ref} resolves`);
    }
    assert.equal(doc.components.schemas.OrderBody.properties.type.enum.length, 5);
  });
});

describe('bad input', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.feed.trade(45_000);
  });
  after(() => h.dispose());

  it('a 400 names every failing field: schema problems and engine problems together', async () => {
    const r = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'up',
      type: 'limit',
      quantity: '0.00001',
      price: '45000.001',
      tif: 'forever',
      colour: 'red',
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'invalid_field');
    const fields = r.json.error.issues.map((i: { field: string }) => i.field).sort();
    assert.deepEqual(fields, ['colour', 'price', 'quantity', 'side', 'tif']);
    const rules = Object.fromEntries(
      r.json.error.issues.map((i: { field: string; rule: string }) => [i.field, i.rule]),
    );
    assert.equal(rules.colour, 'unknown_field');
    assert.equal(rules.price, 'tick_multiple');
  });

  it('nested fields are named by path: legs[1].triggerPrice, takeProfit.price', async () => {
    const oco = await h.call('POST', '/v1/orders/oco', {
      symbol: BTC,
      side: 'sell',
      quantity: '0.1',
      legs: [
        { type: 'limit', price: '46000' },
        { type: 'stop', triggerPrice: 'soon' },
      ],
    });
    assert.equal(oco.status, 400, oco.text);
    assert.deepEqual(
      oco.json.error.issues.map((i: { field: string }) => i.field),
      ['legs[1].triggerPrice'],
    );
    const bracket = await h.call('POST', '/v1/orders/bracket', {
      symbol: BTC,
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'limit', price: '45000' },
      takeProfit: { price: '44000' },
      stopLoss: { price: '46000' },
    });
    assert.equal(bracket.status, 400, bracket.text);
    assert.deepEqual(
      bracket.json.error.issues.map((i: { field: string; rule: string }) => `${i.field}/${i.rule}`).sort(),
      ['stopLoss.price/below_entry', 'takeProfit.price/above_entry'],
    );
  });

  it('bodies that are not JSON objects, too large, or of another type are refused without a 5xx', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['{"symbol": ', { 'content-type': 'application/json' }, 400],
      ['', { 'content-type': 'application/json' }, 400],
      ['null', { 'content-type': 'application/json' }, 400],
      ['[1,2]', { 'content-type': 'application/json' }, 400],
      ['"text"', { 'content-type': 'application/json' }, 400],
      ['{"__proto__": {"x": 1}}', { 'content-type': 'application/json' }, 400],
      ['symbol=BTC', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [JSON.stringify({ symbol: BTC, tag: 'x'.repeat(70_000) }), { 'content-type': 'application/json' }, 413],
    ];
    for (const [body, headers, status] of cases) {
      const res = await fetch(`${h.url}/v1/orders`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${TEST_TOKEN}` },
        body,
      });
      const text = await res.text();
      assert.equal(res.status, status, `${body.slice(0, 40)}: ${text}`);
      assert.equal(typeof JSON.parse(text).error.code, 'string');
    }
    const orders = await h.call('GET', '/v1/orders?status=all');
    assert.deepEqual(orders.json.orders, []);
  });

  it('query parameters are checked too', async () => {
    const r = await h.call('GET', '/v1/orders?status=sleeping&limit=0');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.issues[0].field, 'status');
    const f = await h.call('GET', '/v1/fills?from=yesterday');
    assert.equal(f.status, 400);
    assert.equal(f.json.error.issues[0].field, 'from');
  });
});

describe('idempotency keys', () => {
  it('a retried POST returns the first order, also after a restart; another body with the key is refused', async () => {
    const h = await startHarness();
    const dataDir = h.dataDir;
    h.feed.trade(45_000);
    const body = { symbol: BTC, side: 'buy', type: 'limit', quantity: '0.1', price: '44000' };
    const key = { 'idempotency-key': 'retry-me-1' };
    const first = await h.call('POST', '/v1/orders', body, { headers: key });
    assert.equal(first.status, 201, first.text);
    const again = await h.call('POST', '/v1/orders', body, { headers: key });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.json.order.id, first.json.order.id);
    const other = await h.call('POST', '/v1/orders', { ...body, price: '43000' }, { headers: key });
    assert.equal(other.status, 422, other.text);
    assert.equal(other.json.error.code, 'idempotency_key_reused');
    const listKey = { 'idempotency-key': 'bracket-1' };
    const bracketBody = {
      symbol: BTC,
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'limit', price: '44500' },
      takeProfit: { percent: '1' },
      stopLoss: { percent: '1' },
    };
    const b1 = await h.call('POST', '/v1/orders/bracket', bracketBody, { headers: listKey });
    assert.equal(b1.status, 201, b1.text);
    await h.close();

    const h2 = await startHarness({ dataDir });
    try {
      const after = await h2.call('POST', '/v1/orders', body, { headers: key });
      assert.equal(after.status, 200, after.text);
      assert.equal(after.json.order.id, first.json.order.id);
      const b2 = await h2.call('POST', '/v1/orders/bracket', bracketBody, { headers: listKey });
      assert.equal(b2.status, 200, b2.text);
      assert.equal(b2.json.list.listId, b1.json.list.listId);
      const all = await h2.call('GET', '/v1/orders?status=all');
      assert.equal(all.json.orders.length, 4, 'one limit and one bracket of three, never a second');
      const bad = await h2.call('POST', '/v1/orders', body, { headers: { 'idempotency-key': 'has space' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.issues[0].field, 'Idempotency-Key');
      // The idempotency records and the journal stay beside each other in the data directory.
      assert.ok(statSync(join(dataDir, 'api.db')).isFile());
    } finally {
      await h2.dispose();
    }
  });
});

describe('the dashboard files', () => {
  it('are served from web/dist at /, with index.html for app routes and nothing outside the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ordo-web-'));
    try {
      const dist = join(root, 'dist');
      mkdirSync(join(dist, 'assets'), { recursive: true });
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dash</title>');
      writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
      writeFileSync(join(root, 'secret.txt'), 'do not serve');
      const h = await startHarness({ config: { webDist: dist } });
      try {
        const index = await h.call('GET', '/', undefined, { auth: false });
        assert.equal(index.status, 200);
        assert.match(index.text, /<title>dash<\/title>/);
        const js = await h.call('GET', '/assets/app-1.js', undefined, { auth: false });
        assert.equal(js.status, 200);
        assert.match(js.headers.get('content-type') ?? '', /javascript/);
        assert.match(js.headers.get('cache-control') ?? '', /immutable/);
        const route = await h.call('GET', '/orders/12', undefined, { auth: false });
        assert.match(route.text, /<title>dash<\/title>/);
        for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
          const r = await h.call('GET', path, undefined, { auth: false });
          assert.doesNotMatch(r.text, /do not serve/, path);
        }
        // The API is not shadowed by the files, and stays behind the token.
        assert.equal((await h.call('GET', '/v1/orders', undefined, { auth: false })).status, 401);
      } finally {
        await h.dispose();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
