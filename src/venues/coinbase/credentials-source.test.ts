import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { coinbaseCredentials } from './credentials-source.ts';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'sec1', format: 'pem' })
  .toString();
const SECRET_LINE = pem.split('\n')[1]!;
const NAME = 'organizations/org-0001/apiKeys/key-0001-abcdef';

test('reads an ECDSA key from the environment and never shows it', () => {
  const r = coinbaseCredentials({ COINBASE_API_KEY_NAME: NAME, COINBASE_API_PRIVATE_KEY: pem }, () => '');
  assert.ok(r.ok);
  assert.equal(r.value.algorithm, 'ES256');
  for (const text of [
    JSON.stringify(r.value),
    inspect(r.value, { showHidden: true, depth: 5 }),
    String(r.value),
  ])
    assert.ok(!text.includes(SECRET_LINE) && !text.includes(NAME), text);
});

test('reads a key file, or the CDP JSON key file (name or id, privateKey)', () => {
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = ed.subarray(ed.length - 32).toString('base64');
  const files: Record<string, string> = {
    '/k.pem': pem,
    '/cdp.json': JSON.stringify({ name: NAME, privateKey: pem.replace(/\n/g, '\\n') }),
    '/ed.json': JSON.stringify({ id: 'ed-key-id', privateKey: seed }),
  };
  const read = (p: string) => {
    const f = files[p];
    if (f === undefined) throw new Error(`no ${p}`);
    return f;
  };
  const fromFile = coinbaseCredentials(
    { COINBASE_API_KEY_NAME: NAME, COINBASE_API_PRIVATE_KEY_FILE: '/k.pem' },
    read,
  );
  assert.ok(fromFile.ok && fromFile.value.algorithm === 'ES256');
  const cdp = coinbaseCredentials({ COINBASE_KEY_FILE: '/cdp.json' }, read);
  assert.ok(cdp.ok && cdp.value.algorithm === 'ES256' && cdp.value.keyName === NAME);
  const edFile = coinbaseCredentials({ COINBASE_KEY_FILE: '/ed.json' }, read);
  assert.ok(edFile.ok && edFile.value.algorithm === 'EdDSA');
});

test('names the missing variable or the bad file, without any value', () => {
  const none = coinbaseCredentials({}, () => '');
  assert.ok(!none.ok && none.error.issues[0]?.field === 'COINBASE_API_KEY_NAME');
  const noKey = coinbaseCredentials({ COINBASE_API_KEY_NAME: NAME }, () => '');
  assert.ok(!noKey.ok && noKey.error.issues[0]?.field === 'COINBASE_API_PRIVATE_KEY');
  const badKey = coinbaseCredentials(
    {
      COINBASE_API_KEY_NAME: NAME,
      COINBASE_API_PRIVATE_KEY: `-----BEGIN EC PRIVATE KEY-----\n${SECRET_LINE}`,
    },
    () => '',
  );
  assert.ok(!badKey.ok && badKey.error.issues[0]?.field === 'COINBASE_API_PRIVATE_KEY');
  assert.ok(!JSON.stringify(badKey).includes(SECRET_LINE));
  const bad = coinbaseCredentials(
    { COINBASE_KEY_FILE: '/x.json' },
    () => `{"name":"${NAME}","privateKey":"${SECRET_LINE}"`,
  );
  assert.ok(!bad.ok);
  assert.match(bad.error.message, /x\.json is not a readable JSON key file/);
  assert.ok(!JSON.stringify(bad).includes(SECRET_LINE));
  const unreadable = coinbaseCredentials(
    { COINBASE_API_KEY_NAME: NAME, COINBASE_API_PRIVATE_KEY_FILE: '/missing.pem' },
    () => {
      throw new Error('ENOENT');
    },
  );
  assert.ok(!unreadable.ok && unreadable.error.issues[0]?.field === 'COINBASE_API_PRIVATE_KEY_FILE');
});
