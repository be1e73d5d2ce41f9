// `ordo serve` and the commands that talk to it, each as a child process, the way people run them:
// the server prints its URL and, on the first start only, the token it stored with mode 0600;
// `ordo order place|modify|cancel|list`, `ordo positions` and `ordo trades` find it through
// ORDO_URL and the token file; refusals and an unreachable server have their exit codes; SIGTERM
// shuts the server down cleanly and a restart on the same data directory keeps every order.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { until } from './support/until.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'ordo.mjs');

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

async function startServe(dataDir: string): Promise<Server> {
  const env = { ...process.env, ORDO_API_TOKEN: '', ORDO_FEED_TICK_MS: '50', ORDO_LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  await until(() => /\n {2}try /.test(out) || child.exitCode !== null, 'ordo serve to start', 20_000);
  const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
  assert.ok(url !== undefined, `no URL printed:\n${out}\n${err}`);
  return { child, url, stdout: () => out, stderr: () => err };
}

async function stop(s: Server): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const done = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  return done;
}

function ordo(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ORDO_API_TOKEN: '', ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ordo serve with the CLI commands, as child processes', () => {
  let dataDir: string;
  let server: Server;
  let env: Record<string, string>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ordo-serve-'));
    server = await startServe(dataDir);
    env = { ORDO_URL: server.url, ORDO_DATA_DIR: dataDir };
  });
  after(async () => {
    await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL and the generated token once, stored owner-only', () => {
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    assert.ok(token.length >= 32);
    assert.equal(statSync(join(dataDir, 'api-token')).mode & 0o777, 0o600);
    assert.ok(server.stdout().includes(token), 'the token is shown on the first start');
    assert.ok(!server.stderr().includes(token), 'the token never reaches the log');
  });

  it('order place, list, modify and cancel, with tables and --json', async () => {
    // Wait for the synthetic market to have a price.
    await until(() => ordo(env, 'order', 'list').status === 0, 'the server to answer', 20_000);
    const placed = ordo(
      env,
      'order',
      'place',
      '--type',
      'limit',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.1',
      '--price',
      '42000',
      '--json',
    );
    assert.equal(placed.status, 0, placed.stderr);
    const id = JSON.parse(placed.stdout).order.id as number;
    const listed = ordo(env, 'order', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`^\\s*${id}\\s.*limit\\s+0\\.1000\\s+0\\.0000\\s+42000\\.00`, 'm'),
    );
    const modified = ordo(env, 'order', 'modify', String(id), '--price', '42100');
    assert.equal(modified.status, 0, modified.stderr);
    assert.match(modified.stdout, /42100\.00/);
    const cancelled = ordo(env, 'order', 'cancel', String(id));
    assert.equal(cancelled.status, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /cancelled/);
    const bracket = ordo(
      env,
      'order',
      'place',
      '--type',
      'bracket',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.05',
      '--price',
      '42000',
      '--take-profit',
      '2%',
      '--stop-loss',
      '1%',
    );
    assert.equal(bracket.status, 0, bracket.stderr);
    assert.match(bracket.stdout, /^bracket list \d+/m);
    assert.match(bracket.stdout, /take_profit .* 42840\.00/);
    assert.match(bracket.stdout, /stop_loss .* 41580\.00/);
  });

  it('a refused order exits 1 naming every field; a bad command line exits 2', () => {
    const bad = ordo(
      env,
      'order',
      'place',
      '--type',
      'limit',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.00001',
      '--price',
      '42000.001',
    );
    assert.equal(bad.status, 1, bad.stdout);
    assert.match(bad.stderr, /400 invalid_field/);
    assert.match(bad.stderr, /quantity:/);
    assert.match(bad.stderr, /price:/);
    const usage = ordo(env, 'order', 'place', '--side', 'up', '--symbol', 'BTC/USD', '--qty', '1');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--side/);
    const wrong = ordo({ ...env, ORDO_API_TOKEN: 'wrong-token-wrong-token' }, 'positions');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /401 unauthorized/);
    const down = ordo({ ...env, ORDO_URL: 'http://127.0.0.1:9' }, 'positions');
    assert.equal(down.status, 3);
    assert.match(down.stderr, /cannot reach/);
  });

  it('positions and trades show a closed round trip; trades exports CSV and JSON', () => {
    const buy = ordo(
      env,
      'order',
      'place',
      '--type',
      'market',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.2',
    );
    assert.equal(buy.status, 0, buy.stderr);
    const positions = ordo(env, 'positions');
    assert.equal(positions.status, 0, positions.stderr);
    assert.match(positions.stdout, /BTC\/USD\s+long\s+0\.2000/);
    assert.match(positions.stdout, /equity:/);
    const sell = ordo(
      env,
      'order',
      'place',
      '--type',
      'market',
      '--side',
      'sell',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.2',
    );
    assert.equal(sell.status, 0, sell.stderr);
    const trades = ordo(env, 'trades');
    assert.equal(trades.status, 0, trades.stderr);
    assert.match(trades.stdout, /BTC\/USD\s+long\s+0\.2000/);
    const csv = ordo(env, 'trades', '--csv');
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\r\n');
    assert.match(lines[0]!, /^id,venue,symbol,side,quantity,entry_price,exit_price,realized/);
    assert.equal(lines.length, 2);
    const json = JSON.parse(ordo(env, 'trades', '--json').stdout);
    assert.equal(json.roundTrips.length, 1);
    assert.equal(json.roundTrips[0].quantity, '0.2000');
    const fills = JSON.parse(ordo(env, 'trades', '--fills', '--json').stdout);
    assert.equal(fills.fills.length, 2);
  });

  it('SIGTERM stops the server cleanly; a restart keeps every order and does not show the token again', async () => {
    const before = JSON.parse(ordo(env, 'order', 'list', '--status', 'all', '--json').stdout).orders;
    assert.ok(before.length >= 5);
    assert.equal(await stop(server), 0);
    assert.match(server.stderr(), /the journal is closed/);
    server = await startServe(dataDir);
    env = { ORDO_URL: server.url, ORDO_DATA_DIR: dataDir };
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    assert.ok(!server.stdout().includes(token), 'the token is shown only on the first start');
    const afterRestart = JSON.parse(ordo(env, 'order', 'list', '--status', 'all', '--json').stdout).orders;
    assert.deepEqual(
      afterRestart.map((o: { id: number; status: string; filled: string }) => [o.id, o.status, o.filled]),
      before.map((o: { id: number; status: string; filled: string }) => [o.id, o.status, o.filled]),
    );
    const trips = JSON.parse(ordo(env, 'trades', '--json').stdout);
    assert.equal(trips.roundTrips.length, 1);
  });
});
