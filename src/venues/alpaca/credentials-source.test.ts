import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { AlpacaCredentials } from './auth.ts';
import { alpacaCredentials } from './credentials-source.ts';

const KEY_ID = 'PKTESTKEYID1234567890';
const SECRET = 'sEcReT-value-that-must-never-be-printed';

test('reads the key pair from the environment and never shows the secret', () => {
  const r = alpacaCredentials({ APCA_API_KEY_ID: KEY_ID, APCA_API_SECRET_KEY: SECRET }, () => '');
  assert.ok(r.ok);
  assert.equal(r.value.keyId, KEY_ID);
  for (const text of [
    JSON.stringify(r.value),
    inspect(r.value, { showHidden: true, depth: 5 }),
    String(r.value),
    `${r.value}`,
    JSON.stringify({ nested: r.value }),
  ])
    assert.ok(!text.includes(SECRET) && !text.includes(KEY_ID), text);
  // The secret goes where it must: the two headers and the stream auth messages.
  assert.deepEqual(r.value.headers(), { 'APCA-API-KEY-ID': KEY_ID, 'APCA-API-SECRET-KEY': SECRET });
  assert.deepEqual(JSON.parse(r.value.streamAuthFrame()), {
    action: 'authenticate',
    data: { key_id: KEY_ID, secret_key: SECRET },
  });
  assert.deepEqual(JSON.parse(r.value.dataAuthFrame()), { action: 'auth', key: KEY_ID, secret: SECRET });
});

test('reads a JSON key file, in either spelling', () => {
  const files: Record<string, string> = {
    '/a.json': JSON.stringify({ keyId: 'K1', secretKey: SECRET }),
    '/b.json': JSON.stringify({ key_id: 'K2', secret_key: SECRET }),
  };
  const read = (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error(`no ${p}`);
    return f;
  };
  const a = alpacaCredentials({ ALPACA_KEYS_FILE: '/a.json' }, read);
  assert.ok(a.ok && a.value.keyId === 'K1');
  const b = alpacaCredentials({ ALPACA_KEYS_FILE: '/b.json', APCA_API_KEY_ID: 'ignored' }, read);
  assert.ok(b.ok && b.value.keyId === 'K2');
});

test('names the missing variable or the bad file, without any value', () => {
  const none = alpacaCredentials({}, () => '');
  assert.ok(!none.ok && none.error.issues[0]?.field === 'APCA_API_KEY_ID');
  const noSecret = alpacaCredentials({ APCA_API_KEY_ID: 'K' }, () => '');
  assert.ok(!noSecret.ok && noSecret.error.issues[0]?.field === 'APCA_API_SECRET_KEY');
  const spaced = alpacaCredentials({ APCA_API_KEY_ID: 'K', APCA_API_SECRET_KEY: `a ${SECRET}` }, () => '');
  assert.ok(!spaced.ok && spaced.error.issues[0]?.field === 'APCA_API_SECRET_KEY');
  assert.ok(!JSON.stringify(spaced).includes(SECRET));
  const bad = alpacaCredentials(
    { ALPACA_KEYS_FILE: '/x.json' },
    () => `{"keyId":"K","secretKey":"${SECRET}"`,
  );
  assert.ok(!bad.ok);
  assert.match(bad.error.message, /x\.json is not a readable JSON key file/);
  assert.ok(!JSON.stringify(bad).includes(SECRET));
  const missing = alpacaCredentials({ ALPACA_KEYS_FILE: '/y.json' }, () => '{"keyId":"K"}');
  assert.ok(!missing.ok && missing.error.issues[0]?.rule === 'secret_key');
});

test('refuses empty or multi-word keys at construction, naming the field', () => {
  const r = AlpacaCredentials.from({ keyId: '', secretKey: SECRET });
  assert.ok(!r.ok && r.error.issues[0]?.field === 'keyId');
  assert.ok(!JSON.stringify(r).includes(SECRET));
});
