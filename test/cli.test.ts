// The `ordo` command as a child process: help, the demo, and a clear error with exit code 2.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ordo.mjs', ...args], { encoding: 'utf8' });

describe('ordo CLI', () => {
  it('prints help with examples', () => {
    const r = run('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:/);
  });
  it('runs the demo session', () => {
    const r = run('demo', '--steps', '3000');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /trailing_stop/);
  });
  it('refuses unknown commands and flags with exit code 2', () => {
    assert.equal(run('fly').status, 2);
    const r = run('demo', '--speed', '9');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--speed/);
  });
});

describe('examples', () => {
  it('quickstart runs and ends flat after its bracket closes', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /take_profit: limit sell 0.1000/);
    assert.match(r.stdout, /refused: price \(tick_multiple\)/);
    assert.match(r.stdout, /"side":"flat"/);
  });

  it('binance-sandbox trades through the Binance adapter on a local fake Binance', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/binance-sandbox.ts'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bought: 0\.01000 BTC at 44900/);
    assert.match(r.stdout, /OCO: native/);
    assert.match(r.stdout, /trailing stop by price: emulated: held by Ordo/);
    assert.match(r.stdout, /oco_leg limit: filled/);
    assert.match(r.stdout, /"side":"flat"/);
    assert.match(r.stdout, /bad: 0/);
  });
});
