import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { buildJwt, CoinbaseCredentials, decodeJwt, JWT_LIFETIME_S, restUri } from './jwt.ts';

const KEY_NAME = 'organizations/0000-org/apiKeys/1111-key-secret-name';

function es256() {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  return { pair, pem };
}

function verifyToken(
  token: string,
  publicKey: import('node:crypto').KeyObject,
  alg: 'ES256' | 'EdDSA',
): boolean {
  const [h, p, s] = token.split('.') as [string, string, string];
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  return alg === 'EdDSA'
    ? verify(null, data, publicKey, sig)
    : verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig);
}

test('ES256 from a SEC1 EC key: exact header and claims, r‖s signature that verifies', () => {
  const { pair, pem } = es256();
  const creds = CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: pem });
  assert.ok(creds.ok);
  assert.equal(creds.value.algorithm, 'ES256');
  const uri = restUri('POST', 'https://api.coinbase.com/api/v3/brokerage/orders?x=1');
  assert.equal(uri, 'POST api.coinbase.com/api/v3/brokerage/orders');
  const token = buildJwt(creds.value, { nowMs: 1_700_000_000_500, uri, nonce: 'ab'.repeat(32) });
  const d = decodeJwt(token)!;
  assert.deepEqual(d.header, { alg: 'ES256', kid: KEY_NAME, nonce: 'ab'.repeat(32), typ: 'JWT' });
  assert.deepEqual(d.claims, {
    sub: KEY_NAME,
    iss: 'cdp',
    nbf: 1_700_000_000,
    exp: 1_700_000_000 + JWT_LIFETIME_S,
    uri,
  });
  assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64);
  assert.ok(verifyToken(token, pair.publicKey, 'ES256'));
});

test('EdDSA from PKCS#8 PEM and from a base64 seed; WebSocket tokens have no uri', () => {
  const pair = generateKeyPairSync('ed25519');
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = der.subarray(der.length - 32);
  const pub = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(12);
  for (const privateKey of [
    pem,
    pem.replace(/\n/g, '\\n'),
    seed.toString('base64'),
    Buffer.concat([seed, pub]).toString('base64'),
  ]) {
    const creds = CoinbaseCredentials.from({ keyName: 'key-id-1234', privateKey });
    assert.ok(creds.ok, privateKey.slice(0, 12));
    assert.equal(creds.value.algorithm, 'EdDSA');
    const token = buildJwt(creds.value, { nowMs: Date.now() });
    const d = decodeJwt(token)!;
    assert.equal((d.header as { alg: string }).alg, 'EdDSA');
    assert.equal((d.claims as { uri?: string }).uri, undefined);
    assert.ok(verifyToken(token, pair.publicKey, 'EdDSA'));
  }
});

test('a fresh nonce per token; restUri keeps a port and drops the scheme and query', () => {
  const { pem } = es256();
  const creds = CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: pem });
  assert.ok(creds.ok);
  const nonces = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const h = decodeJwt(buildJwt(creds.value, { nowMs: 0 }))!.header as { nonce: string };
    assert.match(h.nonce, /^[0-9a-f]{64}$/);
    nonces.add(h.nonce);
  }
  assert.equal(nonces.size, 5);
  assert.equal(
    restUri('get', 'http://127.0.0.1:8080/api/v3/brokerage/orders/historical/batch?limit=1'),
    'GET 127.0.0.1:8080/api/v3/brokerage/orders/historical/batch',
  );
});

test('refuses keys it cannot sign with, naming the field and rule, never quoting the input', () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const bad = CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: p384 });
  assert.ok(!bad.ok && bad.error.issues[0]?.rule === 'p256');
  const garbage = CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: 'not-a-key SECRETVALUE' });
  assert.ok(!garbage.ok && garbage.error.issues[0]?.rule === 'key_format');
  assert.ok(!JSON.stringify(garbage).includes('SECRETVALUE'));
  const noName = CoinbaseCredentials.from({ keyName: '', privateKey: es256().pem });
  assert.ok(!noName.ok && noName.error.issues[0]?.field === 'keyName');
});

test('credentials never show the private key or the full key name', () => {
  const { pem } = es256();
  const creds = CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: pem });
  assert.ok(creds.ok);
  const body = pem.split('\n')[1]!;
  for (const text of [
    JSON.stringify(creds.value),
    inspect(creds.value, { showHidden: true, depth: 5 }),
    String(creds.value),
  ]) {
    assert.ok(!text.includes(body), text);
    assert.ok(!text.includes(KEY_NAME), text);
  }
});
