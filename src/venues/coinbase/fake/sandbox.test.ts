// runSandbox: starts the fake, prints URLs and throwaway credentials in the forms Coinbase hands
// out (a SEC1 EC PEM for ES256, a base64 Ed25519 secret for EdDSA), and keeps a live synthetic
// market; the printed credentials sign working REST requests and user-channel subscriptions.

import assert from 'node:assert/strict';
import { createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { test } from 'node:test';
import { until, WsClient } from './fake-test-kit.ts';
import { runSandbox } from './sandbox.ts';

const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

function jwt(name: string, key: KeyObject, uri: string | undefined): string {
  const alg = key.asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  const now = Math.floor(Date.now() / 1000);
  const header = b64(JSON.stringify({ alg, kid: name, nonce: randomBytes(16).toString('hex'), typ: 'JWT' }));
  const claims = b64(
    JSON.stringify({
      sub: name,
      iss: 'cdp',
      nbf: now,
      exp: now + 120,
      ...(uri === undefined ? {} : { uri }),
    }),
  );
  const data = Buffer.from(`${header}.${claims}`);
  const sig =
    alg === 'EdDSA' ? sign(null, data, key) : sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${claims}.${b64(sig)}`;
}

test('runSandbox prints working credentials and drives a live market', async () => {
  let printed = '';
  const sb = await runSandbox({ tickMs: 10, seed: 7, out: { write: (t: string) => (printed += t) } });
  try {
    const { credentials: cr, urls } = sb;
    for (const s of [urls.rest, urls.ws, urls.marketData, cr.ecKeyName, cr.ed25519KeyName, cr.ed25519Secret])
      assert.ok(printed.includes(s), s);
    assert.ok(printed.includes('BEGIN EC PRIVATE KEY'));
    const host = urls.origin.replace('http://', '');

    const ecKey = createPrivateKey(cr.ecPrivateKeyPem);
    const accounts = await fetch(`${urls.rest}/accounts`, {
      headers: {
        Authorization: `Bearer ${jwt(cr.ecKeyName, ecKey, `GET ${host}/api/v3/brokerage/accounts`)}`,
      },
    });
    assert.equal(accounts.status, 200, await accounts.clone().text());

    const raw = Buffer.from(cr.ed25519Secret, 'base64');
    assert.equal(raw.length, 64);
    const edKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: b64(raw.subarray(0, 32)), x: b64(raw.subarray(32)) },
      format: 'jwk',
    });
    const placed = await fetch(`${urls.rest}/orders`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${jwt(cr.ed25519KeyName, edKey, `POST ${host}/api/v3/brokerage/orders`)}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        client_order_id: 'sandbox-1',
        product_id: 'BTC-USD',
        side: 'BUY',
        order_configuration: { limit_limit_gtc: { base_size: '0.001', limit_price: '30000' } },
      }),
    });
    const body = (await placed.json()) as { success: boolean };
    assert.equal(body.success, true, JSON.stringify(body));

    const user = await WsClient.connect(urls.ws);
    user.send({ type: 'subscribe', channel: 'user', jwt: jwt(cr.ed25519KeyName, edKey, undefined) });
    const snap = await user.next((f) => f.channel === 'user');
    assert.equal(snap.events[0].orders[0].client_order_id, 'sandbox-1');
    await user.close();

    const market = await WsClient.connect(urls.marketData);
    market.send({ type: 'subscribe', channel: 'market_trades', product_ids: ['ETH-USD'] });
    const update = await market.next((f) => f.channel === 'market_trades' && f.events[0].type === 'update');
    assert.equal(update.events[0].trades[0].product_id, 'ETH-USD');
    await market.close();
    await until(() => sb.fake.userEvents().length > 0);
  } finally {
    await sb.stop();
  }
});
