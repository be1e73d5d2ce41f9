// JWT authentication of the fake Coinbase: ES256 and EdDSA tokens signed in the test are accepted;
// a token that is reused, expired, not yet valid, too long-lived, signed for another request (uri),
// badly signed, or wrong in any claim or header is refused 401 and logged with `authOk: false` and
// the rule broken, never with the token.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { FakeCoinbase } from './fake-coinbase.ts';
import {
  EC_KEY_NAME,
  ED_KEY_NAME,
  ED_PRIVATE,
  type Harness,
  makeJwt,
  rest,
  T0,
  uriFor,
  withFake,
} from './fake-test-kit.ts';

const accounts = (h: Harness, o: Parameters<typeof rest>[3] = {}) => rest(h, 'GET', '/accounts', o);

/** Sends a request with the token and checks it was refused for `reason`. */
async function refused(
  h: Harness,
  token: string | undefined,
  reason: RegExp,
  relPath = '/accounts',
): Promise<void> {
  const res = await rest(h, 'GET', relPath, token === undefined ? { key: 'none' } : { jwt: token });
  assert.equal(res.status, 401, res.text);
  assert.equal(res.text, 'Unauthorized\n');
  const entry = h.fake.requests().at(-1)!;
  assert.equal(entry.authOk, false);
  assert.match(entry.authError ?? '', reason);
  if (token !== undefined) {
    assert.ok(!JSON.stringify(h.fake.requests()).includes(token), 'the token is never logged');
    assert.ok(!res.text.includes(token));
  }
}

describe('fake Coinbase JWT authentication', () => {
  test('ES256 and EdDSA tokens are accepted; the log names the key', () =>
    withFake(async (h) => {
      for (const key of ['ec', 'ed'] as const) {
        const res = await accounts(h, { key });
        assert.equal(res.status, 200, res.text);
        assert.ok(Array.isArray(res.body.accounts));
        const entry = h.fake.requests().at(-1)!;
        assert.equal(entry.authOk, true);
        assert.equal(entry.keyName, key === 'ec' ? EC_KEY_NAME : ED_KEY_NAME);
        assert.equal(entry.route, 'accounts.list');
      }
    }));

  test('the uri claim names the host the request went to, or api.coinbase.com; never the query', () =>
    withFake(async (h) => {
      const prod = await accounts(h, { jwtSpec: { uri: 'GET api.coinbase.com/api/v3/brokerage/accounts' } });
      assert.equal(prod.status, 200, 'a production-style uri is accepted by default');
      const withQuery = makeJwt(h.clock.now(), { uri: `${uriFor(h, 'GET', '/accounts')}?limit=1` });
      const res = await rest(h, 'GET', '/accounts', { jwt: withQuery, query: 'limit=1' });
      assert.equal(res.status, 401, 'the query string is not part of the uri');
      const fine = await rest(h, 'GET', '/accounts', { query: 'limit=1' });
      assert.equal(fine.status, 200);
    }));

  test('jwtHosts: [] accepts only the Host header the request came with', () =>
    withFake(
      async (h) => {
        await refused(
          h,
          makeJwt(h.clock.now(), { uri: 'GET api.coinbase.com/api/v3/brokerage/accounts' }),
          /uri/,
        );
        assert.equal((await accounts(h)).status, 200);
      },
      { jwtHosts: [] },
    ));

  test('a token is good for one request only', () =>
    withFake(async (h) => {
      const token = makeJwt(h.clock.now(), { uri: uriFor(h, 'GET', '/accounts') });
      assert.equal((await accounts(h, { jwt: token })).status, 200);
      await refused(h, token, /used before/);
    }));

  test('time: expired, not yet valid, or longer-lived than 120 s', () =>
    withFake(async (h) => {
      const uri = uriFor(h, 'GET', '/accounts');
      const old = makeJwt(h.clock.now(), { uri });
      h.clock.advance(120_000);
      await refused(h, old, /expired/);
      await refused(h, makeJwt(h.clock.now() + 5_000, { uri }), /not valid yet/);
      const nbf = Math.floor(h.clock.now() / 1000);
      await refused(h, makeJwt(h.clock.now(), { uri, nbf, exp: nbf + 121 }), /life/);
      await refused(h, makeJwt(h.clock.now(), { uri, nbf, exp: nbf }), /life/);
      assert.equal(
        (await accounts(h, { jwtSpec: { nbf: nbf - 119, exp: nbf + 1 } })).status,
        200,
        'still inside its life',
      );
    }));

  test('signed for another request: other path, method or host', () =>
    withFake(async (h) => {
      await refused(h, makeJwt(h.clock.now(), { uri: uriFor(h, 'GET', '/orders/historical/batch') }), /uri/);
      await refused(h, makeJwt(h.clock.now(), { uri: uriFor(h, 'POST', '/accounts') }), /uri/);
      await refused(h, makeJwt(h.clock.now(), { uri: 'GET example.com/api/v3/brokerage/accounts' }), /uri/);
      await refused(
        h,
        makeJwt(h.clock.now(), { uri: 'GET https://api.coinbase.com/api/v3/brokerage/accounts' }),
        /uri/,
      );
      await refused(h, makeJwt(h.clock.now(), { uri: null }), /uri is missing/);
    }));

  test('bad signatures: forged payload, another key, mismatched alg', () =>
    withFake(async (h) => {
      const uri = uriFor(h, 'GET', '/accounts');
      const forged = makeJwt(h.clock.now(), {
        uri,
        tamper: (json) => json.replace(/"exp":\d+/, `"exp":${Math.floor(T0 / 1000) + 100}`),
      });
      await refused(h, forged, /signature/);
      const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      await refused(h, makeJwt(h.clock.now(), { uri, signWith: other }), /signature/);
      await refused(h, makeJwt(h.clock.now(), { uri, signWith: ED_PRIVATE }), /signature/);
      await refused(h, makeJwt(h.clock.now(), { uri, alg: 'EdDSA' }), /alg must be ES256/);
      await refused(h, makeJwt(h.clock.now(), { uri, key: 'ed', alg: 'ES256' }), /alg must be EdDSA/);
      await refused(h, 'not-a-jwt', /three/);
      await refused(h, 'a.b.c', /base64url JSON/);
    }));

  test('wrong claims or header: iss, sub, kid, nonce; no header at all', () =>
    withFake(async (h) => {
      const uri = uriFor(h, 'GET', '/accounts');
      await refused(h, makeJwt(h.clock.now(), { uri, iss: 'coinbase-cloud' }), /iss/);
      await refused(h, makeJwt(h.clock.now(), { uri, sub: 'someone-else' }), /sub/);
      await refused(h, makeJwt(h.clock.now(), { uri, kid: 'unknown-key' }), /kid names no registered key/);
      await refused(h, makeJwt(h.clock.now(), { uri, nonce: null }), /nonce/);
      await refused(h, undefined, /Bearer/);
      assert.equal(h.fake.requests().filter((r) => r.authOk === true).length, 0);
    }));

  test('public endpoints need no token and are not auth-checked', () =>
    withFake(async (h) => {
      const time = await rest(h, 'GET', '/time', { key: 'none' });
      assert.equal(time.status, 200);
      assert.deepEqual(time.body, {
        iso: '2023-11-14T22:13:20.000000Z',
        epochSeconds: String(T0 / 1000),
        epochMillis: String(T0),
      });
      const product = await rest(h, 'GET', '/market/products/BTC-USD', { key: 'none' });
      assert.equal(product.status, 200);
      assert.equal(h.fake.requests().at(-1)!.authOk, undefined);
      const priv = await rest(h, 'GET', '/products/BTC-USD', { key: 'none' });
      assert.equal(priv.status, 401, 'the authenticated products endpoint needs a token');
    }));

  test('keys: only P-256 ECDSA and Ed25519 public keys are accepted', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(
      () => new FakeCoinbase({ apiKeys: [{ name: 'k', publicKey: rsa.publicKey }] }),
      /P-256 ECDSA or Ed25519/,
    );
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    assert.throws(() => new FakeCoinbase({ apiKeys: [{ name: 'k', publicKey: k1.publicKey }] }), /P-256/);
    const ed = generateKeyPairSync('ed25519');
    assert.throws(
      () => new FakeCoinbase({ apiKeys: [{ name: 'k', publicKey: ed.privateKey }] }),
      /public key/,
    );
  });
});
