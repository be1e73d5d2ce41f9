// Request security of the fake Binance: the documented signing vectors (REST body, query, mixed
// query + body, WebSocket API sorted params), Ed25519, and the timestamp/recvWindow rule.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkTimestamp, KeyRing, restPayload, signatureValid, wsPayload } from './fake-auth.ts';
import { BinanceError } from './fake-errors.ts';
import { API_KEY, ED_API_KEY, ED_PUBLIC_PEM, edSign, SECRET } from './fake-test-kit.ts';

const ring = new KeyRing([
  { apiKey: API_KEY, hmacSecret: SECRET },
  { apiKey: ED_API_KEY, ed25519PublicKeyPem: ED_PUBLIC_PEM },
]);
const hmacKey = ring.resolve(API_KEY);
const edKey = ring.resolve(ED_API_KEY);

const DOC_PAYLOAD =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';

function code(fn: () => void): [number, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof BinanceError) return [e.code, e.msg];
    throw e;
  }
  throw new Error('no error');
}

describe('fake Binance request security', () => {
  test('documented HMAC vector, as a body, as a query string and with the signature inside', () => {
    const sig = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
    assert.equal(restPayload('', `${DOC_PAYLOAD}&signature=${sig}`), DOC_PAYLOAD);
    assert.equal(restPayload(`${DOC_PAYLOAD}&signature=${sig}`, ''), DOC_PAYLOAD);
    assert.ok(signatureValid(hmacKey, restPayload('', `${DOC_PAYLOAD}&signature=${sig}`), sig));
    assert.ok(signatureValid(hmacKey, DOC_PAYLOAD, sig.toUpperCase()), 'hex case does not matter');
    assert.ok(!signatureValid(hmacKey, DOC_PAYLOAD.replace('1499827319559', '1499827319558'), sig));
  });

  test('mixed query string and body are concatenated with no separator', () => {
    const sig = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';
    const payload = restPayload(
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC',
      `quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=${sig}`,
    );
    assert.equal(
      payload,
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
    );
    assert.ok(signatureValid(hmacKey, payload, sig));
  });

  test('non-ASCII parameters are signed percent-encoded, as sent', () => {
    const payload = DOC_PAYLOAD.replace('LTCBTC', '%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96');
    assert.ok(
      signatureValid(hmacKey, payload, 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3'),
    );
  });

  test('WebSocket API vectors: params sorted by name, values unencoded', () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '52000.00',
      recvWindow: 100,
      timestamp: 1645423376532,
      apiKey: API_KEY,
      signature: 'ignored',
    };
    const payload = wsPayload(params);
    assert.equal(
      payload,
      `apiKey=${API_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT`,
    );
    assert.ok(
      signatureValid(hmacKey, payload, 'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24'),
    );
    const withAck = wsPayload({ ...params, newOrderRespType: 'ACK' });
    assert.ok(
      signatureValid(hmacKey, withAck, 'cc15477742bd704c29492d96c7ead9414dfd8e0ec4a00f947bb5bb454ddbd08a'),
    );
  });

  test('Ed25519 signatures verify against the public key; one changed byte does not', () => {
    const sig = edSign(DOC_PAYLOAD);
    assert.ok(signatureValid(edKey, DOC_PAYLOAD, sig));
    assert.ok(!signatureValid(edKey, DOC_PAYLOAD.replace('BUY', 'BUX'), sig));
    assert.ok(!signatureValid(hmacKey, DOC_PAYLOAD, sig), 'an HMAC key does not take Ed25519 signatures');
  });

  test('API keys: missing or malformed -2014, unknown -2015', () => {
    assert.deepEqual(
      code(() => ring.resolve(undefined)),
      [-2014, 'API-key format invalid.'],
    );
    assert.deepEqual(
      code(() => ring.resolve('not a key')),
      [-2014, 'API-key format invalid.'],
    );
    assert.deepEqual(
      code(() => ring.resolve('unknownKey123')),
      [-2015, 'Invalid API-key, IP, or permissions for action.'],
    );
  });

  test('timestamp rule: ts < now + 1000 and now − ts ≤ recvWindow (default 5000, max 60000)', () => {
    const now = 1_700_000_000_000;
    checkTimestamp(String(now - 5000), undefined, now);
    checkTimestamp(String(now + 999), undefined, now);
    checkTimestamp(String(now - 60_000), '60000', now);
    checkTimestamp(String((now - 100) * 1000), '100.5', now); // a µs timestamp; recvWindow with decimals
    assert.equal(code(() => checkTimestamp(String((now - 100) * 1000 - 501), '100.5', now))[0], -1021);
    assert.deepEqual(
      code(() => checkTimestamp(String(now - 5001), undefined, now)),
      [-1021, 'Timestamp for this request is outside of the recvWindow.'],
    );
    assert.deepEqual(
      code(() => checkTimestamp(String(now + 1000), undefined, now)),
      [-1021, "Timestamp for this request was 1000ms ahead of the server's time."],
    );
    assert.deepEqual(
      code(() => checkTimestamp(String(now - 101), '100', now)),
      [-1021, 'Timestamp for this request is outside of the recvWindow.'],
    );
    assert.equal(code(() => checkTimestamp(String(now), '60001', now))[0], -1102);
  });
});
