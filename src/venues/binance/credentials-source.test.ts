import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { binanceCredentials } from './credentials-source.ts';

const SECRET = 'sEcReT-value-that-must-never-be-printed';

test('reads an HMAC key from the environment and never shows the secret', () => {
  const r = binanceCredentials({ BINANCE_API_KEY: 'AKEY123456789', BINANCE_API_SECRET: SECRET }, () => '');
  assert.ok(r.ok);
  assert.equal(r.value.keyType, 'hmac');
  for (const text of [
    JSON.stringify(r.value),
    inspect(r.value, { showHidden: true, depth: 5 }),
    String(r.value),
  ])
    assert.ok(!text.includes(SECRET) && !text.includes('AKEY123456789'), text);
});

test('reads an Ed25519 key from a PEM file, or a JSON key file', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const files: Record<string, string> = {
    '/k.pem': pem,
    '/keys.json': JSON.stringify({ apiKey: 'K', hmacSecret: SECRET }),
  };
  const read = (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error(`no ${p}`);
    return f;
  };
  const ed = binanceCredentials({ BINANCE_API_KEY: 'K', BINANCE_ED25519_PRIVATE_KEY_FILE: '/k.pem' }, read);
  assert.ok(ed.ok && ed.value.keyType === 'ed25519');
  const file = binanceCredentials({ BINANCE_KEYS_FILE: '/keys.json' }, read);
  assert.ok(file.ok && file.value.keyType === 'hmac');
});

test('names the missing variable or the bad file, without any value', () => {
  const none = binanceCredentials({}, () => '');
  assert.ok(!none.ok && none.error.issues?.[0]?.field === 'BINANCE_API_KEY');
  const noSecret = binanceCredentials({ BINANCE_API_KEY: 'K' }, () => '');
  assert.ok(!noSecret.ok && noSecret.error.issues?.[0]?.field === 'BINANCE_API_SECRET');
  const bad = binanceCredentials(
    { BINANCE_KEYS_FILE: '/x.json' },
    () => `{"apiKey":"K","hmacSecret":"${SECRET}"`,
  );
  assert.ok(!bad.ok);
  assert.match(bad.error.message, /x\.json is not a readable JSON key file/);
  assert.ok(!JSON.stringify(bad).includes(SECRET));
});
