// Configuration of `ordo serve`: the example file is the embedded defaults (so it stays true),
// environment variables and flags override the file, every bad value is named at once, secret
// files readable by others are refused, the generated token file is owner-only, and the log
// redacts the token and the Authorization header.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadOrCreateToken } from '../src/app/api-token.ts';
import { DEFAULT_CONFIG, loadConfig, readSecretFile } from '../src/app/config.ts';
import { createLogger } from '../src/app/serve.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('ordo serve configuration', () => {
  it('the example config file is exactly the embedded defaults', () => {
    const fromFile = loadConfig({ file: 'ordo.config.example.json', env: {}, cwd: ROOT });
    const defaults = loadConfig({ env: {}, cwd: ROOT });
    assert.ok(fromFile.ok && defaults.ok);
    assert.deepEqual(fromFile.value, defaults.value);
    const example = JSON.parse(readFileSync(join(ROOT, 'ordo.config.example.json'), 'utf8'));
    delete example.$comment;
    assert.deepEqual(example, DEFAULT_CONFIG);
  });

  it('file < environment < flags, and a file changes one risk limit without dropping the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-config-'));
    try {
      writeFileSync(
        join(dir, 'c.json'),
        JSON.stringify({ port: 9000, logLevel: 'warn', risk: { openOrdersMax: 7 } }),
      );
      const r = loadConfig({
        file: 'c.json',
        env: { ORDO_PORT: '9100', ORDO_DATA_DIR: 'elsewhere', ORDO_RISK_ORDER_QTY_MAX: '3' },
        overrides: { port: 9200 },
        cwd: dir,
      });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.equal(r.value.port, 9200);
      assert.equal(r.value.logLevel, 'warn');
      assert.equal(r.value.dataDir, join(dir, 'elsewhere'));
      assert.deepEqual(r.value.risk, {
        orderQtyMax: { default: '3' },
        openOrdersMax: 7,
        priceBandBps: { default: 1000 },
      });
      const viaEnv = loadConfig({ env: { ORDO_CONFIG: 'c.json' }, cwd: dir });
      assert.ok(viaEnv.ok);
      assert.equal(viaEnv.value.port, 9000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every bad value is named in one error', () => {
    const r = loadConfig({
      env: { ORDO_PORT: 'eighty', ORDO_LOG_LEVEL: 'loud' },
      cwd: ROOT,
    });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.error.issues.map((i) => i.field),
      ['ORDO_PORT', 'logLevel'],
    );
    const r2 = loadConfig({
      env: { ORDO_LOG_LEVEL: 'loud', ORDO_HOST: '' },
      overrides: { port: 70_000 },
      cwd: ROOT,
    });
    assert.ok(!r2.ok);
    assert.deepEqual(r2.error.issues.map((i) => i.field).sort(), ['logLevel', 'port']);
    const missing = loadConfig({ file: 'no-such-file.json', env: {}, cwd: ROOT });
    assert.ok(!missing.ok);
    assert.equal(missing.error.issues[0]?.rule, 'readable');
  });

  it('secret files must be owner-only; the generated token file is 0600 and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-secret-'));
    try {
      const first = loadOrCreateToken(dir, {});
      assert.ok(first.ok);
      assert.equal(first.value.source, 'generated');
      assert.equal(statSync(first.value.path).mode & 0o777, 0o600);
      const again = loadOrCreateToken(dir, {});
      assert.ok(again.ok);
      assert.equal(again.value.source, 'file');
      assert.equal(again.value.token, first.value.token);
      chmodSync(first.value.path, 0o644);
      const open = readSecretFile(first.value.path);
      assert.ok(!open.ok);
      assert.equal(open.error.issues[0]?.rule, 'owner_only');
      assert.ok(!loadOrCreateToken(dir, {}).ok, 'a token file others can read is refused');
      const env = loadOrCreateToken(dir, { ORDO_API_TOKEN: 'from-the-environment-1234' });
      assert.ok(env.ok);
      assert.equal(env.value.source, 'env');
      assert.ok(!loadOrCreateToken(dir, { ORDO_API_TOKEN: 'short' }).ok);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the log redacts the token and the Authorization header', async () => {
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const log = createLogger('info', false, sink);
    log.info(
      { req: { headers: { authorization: 'Bearer s3cret-s3cret' } }, token: 's3cret-s3cret' },
      'hello',
    );
    log.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.match(text, /hello/);
    assert.doesNotMatch(text, /s3cret/);
    assert.match(text, /\[redacted\]/);
  });
});
