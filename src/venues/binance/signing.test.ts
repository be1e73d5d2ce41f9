// Tests of Binance signing: the documented HMAC vectors (REST query, mixed query+body, non-ASCII,
// WS API sorted params), Ed25519 signatures verified with the public key, placement rules, and
// that credentials never print or serialise their secret.

import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import {
  Credentials,
  encodeParams,
  type Params,
  sessionLogonRequest,
  signedWsRequest,
  signRequest,
  signRest,
  withTimestamp,
  wsSigningPayload,
} from './signing.ts';

// Documented example key pair (rest-api.md, "SIGNED Endpoint Examples").
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

function hmac(): Credentials {
  const r = Credentials.from({ apiKey: API_KEY, hmacSecret: SECRET });
  assert.ok(r.ok);
  return r.value;
}

function ed25519(): { creds: Credentials; publicPem: string; privatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const r = Credentials.from({ apiKey: 'edkey-0123456789', ed25519PrivateKeyPem: privatePem });
  assert.ok(r.ok);
  return { creds: r.value, publicPem, privatePem };
}

const ORDER: Params = [
  ['symbol', 'LTCBTC'],
  ['side', 'BUY'],
  ['type', 'LIMIT'],
  ['timeInForce', 'GTC'],
  ['quantity', '1'],
  ['price', '0.1'],
];

test('HMAC: documented REST vector, as query string and as body', () => {
  const creds = hmac();
  const asBody = signRequest(creds, 'POST', ORDER, { timestampMs: 1499827319559, recvWindowMs: 5000 });
  assert.ok(asBody.ok);
  assert.equal(
    asBody.value.payload,
    'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
  );
  assert.equal(asBody.value.signature, 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  assert.equal(asBody.value.query, '');
  assert.ok(
    asBody.value.body.endsWith('&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'),
  );
  assert.equal(asBody.value.headers['X-MBX-APIKEY'], API_KEY);
  assert.equal(asBody.value.headers['Content-Type'], 'application/x-www-form-urlencoded');

  const asQuery = signRequest(creds, 'POST', ORDER, {
    timestampMs: 1499827319559,
    recvWindowMs: 5000,
    placement: 'query',
  });
  assert.ok(asQuery.ok);
  assert.equal(asQuery.value.signature, asBody.value.signature);
  assert.equal(asQuery.value.body, '');
  assert.ok(
    asQuery.value.query.endsWith(
      '&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    ),
  );
  assert.equal(asQuery.value.headers['Content-Type'], undefined);
});

test('HMAC: mixed query string and body are concatenated without a separator', () => {
  const r = signRest(hmac(), 'POST', {
    query: ORDER.slice(0, 4),
    body: withTimestamp(ORDER.slice(4), 1499827319559, 5000),
  });
  assert.ok(r.ok);
  assert.equal(
    r.value.payload,
    'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
  );
  assert.equal(r.value.signature, '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
  assert.equal(r.value.query, 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC');
  assert.ok(r.value.body.endsWith(`&signature=${r.value.signature}`));
});

test('HMAC: non-ASCII values are percent-encoded (UTF-8) before signing', () => {
  const params: Params = [['symbol', '１２３４５６'], ...ORDER.slice(1)];
  const r = signRequest(hmac(), 'POST', params, { timestampMs: 1499827319559, recvWindowMs: 5000 });
  assert.ok(r.ok);
  assert.ok(
    r.value.payload.startsWith('symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&'),
  );
  assert.equal(r.value.signature, 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3');
});

test('GET and DELETE sign the query string and refuse a body', () => {
  const creds = hmac();
  const get = signRequest(creds, 'GET', [['symbol', 'BTCUSDT']], { timestampMs: 1 });
  assert.ok(get.ok);
  assert.equal(get.value.body, '');
  assert.equal(get.value.payload, 'symbol=BTCUSDT&timestamp=1');
  assert.ok(get.value.query.startsWith('symbol=BTCUSDT&timestamp=1&signature='));
  const del = signRest(creds, 'DELETE', { body: [['symbol', 'BTCUSDT']] });
  assert.equal(del.ok, false);
  const reserved = signRest(creds, 'GET', { query: [['signature', 'x']] });
  assert.equal(reserved.ok, false);
});

test('encodeParams keeps order and escapes reserved characters', () => {
  assert.equal(
    encodeParams([
      ['symbols', '["BTCUSDT","LTCUSDT"]'],
      ['a b', 'x&y=z'],
    ]),
    'symbols=%5B%22BTCUSDT%22%2C%22LTCUSDT%22%5D&a%20b=x%26y%3Dz',
  );
});

test('WS API: documented vector signs params sorted by name, values not encoded', () => {
  const creds = hmac();
  const params = {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01000000',
    price: '52000.00',
  };
  const req = signedWsRequest(creds, 'id-1', 'order.place', params, 1645423376532, 100);
  assert.equal(
    wsSigningPayload(req.params!),
    `apiKey=${API_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
  );
  assert.equal(req.params!.signature, 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24');
  assert.equal(req.method, 'order.place');
  assert.equal(wsSigningPayload({ b: 'é', a: 1, signature: 'ignored' }), 'a=1&b=é');
});

test('Ed25519: REST signature is base64 over the payload and percent-encoded when sent', () => {
  const { creds, publicPem } = ed25519();
  const r = signRequest(creds, 'POST', ORDER, { timestampMs: 1499827319559 });
  assert.ok(r.ok);
  const sig = Buffer.from(r.value.signature, 'base64');
  assert.equal(sig.length, 64);
  assert.ok(verify(null, Buffer.from(r.value.payload), createPublicKey(publicPem), sig));
  assert.ok(r.value.body.endsWith(`&signature=${encodeURIComponent(r.value.signature)}`));
});

test('Ed25519: session.logon signs apiKey and timestamp sorted; HMAC keys are refused', () => {
  const { creds, publicPem } = ed25519();
  const r = sessionLogonRequest(creds, 7, 1700000000000);
  assert.ok(r.ok);
  assert.equal(r.value.method, 'session.logon');
  const p = r.value.params!;
  assert.deepEqual(Object.keys(p).sort(), ['apiKey', 'signature', 'timestamp']);
  const payload = wsSigningPayload(p);
  assert.equal(payload, 'apiKey=edkey-0123456789&timestamp=1700000000000');
  assert.ok(
    verify(
      null,
      Buffer.from(payload),
      createPublicKey(publicPem),
      Buffer.from(String(p.signature), 'base64'),
    ),
  );
  assert.equal(sessionLogonRequest(hmac(), 1, 1).ok, false);
});

test('credentials never reveal the secret in JSON, toString or util.inspect', () => {
  const h = hmac();
  const { creds: e, privatePem } = ed25519();
  const pemBody = privatePem.split('\n')[1]!;
  for (const c of [h, e]) {
    const shown = [
      JSON.stringify(c),
      JSON.stringify({ nested: c }),
      String(c),
      `${c}`,
      inspect(c),
      inspect({ c }, { depth: 10, showHidden: true }),
      inspect(c, { customInspect: false, showHidden: true, depth: 10 }),
      JSON.stringify(Object.entries(c)),
      JSON.stringify({ ...c }),
    ];
    for (const text of shown) {
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!text.includes(pemBody), text);
      assert.ok(!text.includes('PRIVATE KEY'), text);
    }
  }
  assert.match(String(h), /hmac/);
  assert.ok(!JSON.stringify(h).includes(API_KEY));
});

test('invalid credentials are refused without echoing the input', () => {
  const bad = Credentials.from({ apiKey: 'k', ed25519PrivateKeyPem: 'not a key SECRETSECRET' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(!bad.error.message.includes('SECRETSECRET'));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec = Credentials.from({
    apiKey: 'k',
    ed25519PrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  });
  assert.equal(ec.ok, false);
  assert.equal(Credentials.from({ apiKey: '', hmacSecret: 'x' }).ok, false);
  assert.equal(Credentials.from({ apiKey: 'k', hmacSecret: '' }).ok, false);
});
