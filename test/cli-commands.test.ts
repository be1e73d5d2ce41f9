// The `ordo` commands as child processes: `--help` with examples on every command, `--json` output
// that parses, and the documented exit codes — 0 ok, 1 refused, 2 usage (the message names the
// flag), 3 unavailable, 4 integrity — for demo, venues, explain, journal verify, sandbox, backtest
// and paper. (The backtest on real data and paper on live feeds have their own files.)

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { run } from '../src/app/cli.ts';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import { PostgresJournal } from '../src/journal/postgres-journal.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { BTC, trade } from './fixtures.ts';
import { findPostgresBinaries, type PostgresServer, startPostgres } from './support/postgres.ts';
import { until } from './support/until.ts';

const ordo = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ordo.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
/** Runs a command line in this process with captured output. */
async function runInProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: process.env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
  });
  return { status, stdout, stderr };
}
/** `ordo` without blocking this process (a server this process runs must keep answering). */
function ordoAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/ordo.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('ordo: help and usage', () => {
  it('without a command prints the command list and exit codes, with exit code 2', () => {
    const r = ordo();
    assert.equal(r.status, 2);
    for (const name of ['demo', 'paper', 'backtest', 'explain', 'venues', 'journal', 'sandbox'])
      assert.match(r.stdout, new RegExp(`\\n  ${name} `), name);
    assert.match(r.stdout, /Exit codes:\n {2}0 {4}ok/);
  });

  for (const name of ['demo', 'paper', 'backtest', 'explain', 'venues', 'journal', 'sandbox'])
    it(`ordo ${name} --help prints usage with examples (exit 0)`, () => {
      const r = ordo(name, '--help');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^ordo ${name} — `));
      assert.match(r.stdout, /Usage:/);
      assert.match(r.stdout, new RegExp(`Examples:\\n {2}ordo ${name}`));
      assert.match(r.stdout, /Exit codes:/);
    });

  it('`ordo help NAME` is the same as `ordo NAME --help`', () => {
    assert.equal(ordo('help', 'explain').stdout, ordo('explain', '--help').stdout);
  });

  it('names the flag in every usage error (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['venues', '--bogus'], /unknown flag --bogus/],
      [['demo', '--seed'], /flag --seed needs a value/],
      [['demo', '--steps', 'many'], /--steps many is not a whole number/],
      [['venues', 'extra'], /unexpected argument 'extra'/],
      [['backtest', '--strategy', 'x.ts'], /--data FILE is required/],
      [['backtest', '--data', 'x.csv', '--strategy', 'x.ts'], /--format is required/],
      [
        ['backtest', '--data', 'x.csv', '--format', 'nope', '--strategy', 'x.ts'],
        /--format nope: unknown format/,
      ],
      [['paper', '--feed', 'moon'], /--feed moon is not one of/],
      [['paper', '--duration', 'soon'], /--duration soon is not a duration/],
      [['explain', '--type', 'bracket', '--symbol', 'BTC/USD', '--qty', '1'], /--side buy\|sell is required/],
      [
        ['explain', '--side', 'buy', '--symbol', 'BTC/USD', '--qty', '1', '--venue', 'moon'],
        /--venue moon is not one of/,
      ],
      [['journal', 'mend'], /unknown subcommand 'mend'/],
      [['sandbox', 'kraken'], /unknown venue 'kraken'/],
    ];
    // In process (the same `run` bin/ordo.mjs calls), so thirteen cases cost no thirteen node starts.
    for (const [args, message] of cases) {
      const r = await runInProcess(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.match(r.stderr, new RegExp(`Run 'ordo ${args[0]} --help'`));
    }
  });

  it('refuses an unknown command with exit code 2', () => {
    const r = ordo('fly'); // as a child process: the exit code is the process's
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'fly'/);
  });
});

describe('ordo demo and venues --json', () => {
  it('demo --json gives the report, the event count and fills', () => {
    const r = ordo('demo', '--steps', '3000', '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = json(r.stdout);
    assert.match(String(j.report), /trailing_stop/);
    assert.ok(Number(j.fills) > 0);
  });

  it('venues --json lists every venue with its capability matrix', () => {
    const r = ordo('venues', '--json');
    assert.equal(r.status, 0, r.stderr);
    const venues = JSON.parse(r.stdout) as { name: string; caps: { orderTypes: Record<string, string> } }[];
    assert.deepEqual(
      venues.map((v) => v.name),
      ['paper (default)', 'binance spot', 'alpaca equity', 'alpaca crypto', 'coinbase spot'],
    );
    assert.equal(venues.find((v) => v.name === 'coinbase spot')?.caps.orderTypes.trailing_stop, 'emulated');
  });
});

describe('ordo explain', () => {
  const plan = (...args: string[]) => {
    const r = ordo('explain', ...args, '--json');
    assert.equal(r.status, 0, r.stderr);
    return (
      json(r.stdout) as {
        plan: {
          list?: { route: string; reason: string };
          orders: { role: string; route: string; reason: string }[];
        };
      }
    ).plan;
  };

  it('a bracket on Binance: linked by Ordo when exits follow partial fills, native when they wait for the fill', () => {
    const args = [
      '--type',
      'bracket',
      '--side',
      'buy',
      '--symbol',
      'BTC/USDT',
      '--qty',
      '0.01',
      '--price',
      '60000',
      '--take-profit',
      '2%',
      '--stop-loss',
      '1%',
      '--venue',
      'binance',
    ];
    const partial = plan(...args);
    assert.equal(partial.list?.route, 'emulated');
    assert.deepEqual(
      partial.orders.map((o) => [o.role, o.route]),
      [
        ['entry', 'native'],
        ['take_profit', 'native'],
        ['stop_loss', 'native'],
      ],
    );
    assert.equal(plan(...args, '--release', 'full').list?.route, 'native');
  });

  it('a trailing stop is emulated on Coinbase and native on Alpaca equities; an Alpaca crypto OCO is emulated', () => {
    const trailing = ['--type', 'trailing-stop', '--side', 'sell', '--qty', '1', '--trail-offset', '2'];
    const cb = plan(...trailing, '--symbol', 'BTC/USD', '--venue', 'coinbase').orders[0];
    assert.equal(cb?.route, 'emulated');
    assert.match(cb?.reason ?? '', /coinbase has no native trailing stop/);
    assert.equal(
      plan(...trailing, '--symbol', 'AAPL/USD', '--kind', 'equity', '--venue', 'alpaca').orders[0]?.route,
      'native',
    );
    const oco = plan(
      '--type',
      'oco',
      '--side',
      'sell',
      '--symbol',
      'BTC/USD',
      '--qty',
      '0.5',
      '--price',
      '70000',
      '--trigger',
      '50000',
      '--venue',
      'alpaca',
    );
    assert.equal(oco.list?.route, 'emulated');
  });

  it('prints a table for people', () => {
    const r = ordo(
      'explain',
      '--type',
      'stop',
      '--side',
      'sell',
      '--symbol',
      'BTC/USD',
      '--qty',
      '1',
      '--trigger',
      '40000',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^single on paper/);
    assert.match(r.stdout, /role +side +type +route/);
    assert.match(r.stdout, /single +sell +stop +native/);
  });

  it('an order the engine refuses is exit code 1, naming the field and the rule', () => {
    const r = ordo(
      'explain',
      '--type',
      'bracket',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '1',
      '--price',
      '60000',
      '--take-profit',
      '59000',
      '--stop-loss',
      '1%',
      '--json',
    );
    assert.equal(r.status, 1);
    assert.match(r.stderr, /takeProfit\.price \(above_entry\)/);
    assert.equal((json(r.stdout) as { ok: boolean }).ok, false);
    const tick = ordo(
      'explain',
      '--type',
      'limit',
      '--side',
      'buy',
      '--symbol',
      'BTC/USD',
      '--qty',
      '1',
      '--price',
      '100.001',
    );
    assert.equal(tick.status, 1);
    assert.match(tick.stderr, /price \(tick_multiple\)/);
  });
});

describe('ordo journal verify', () => {
  /** A journal with a few real events: a paper session that buys at market. */
  function journalFile(): string {
    const path = join(mkdtempSync(join(tmpdir(), 'ordo-journal-')), 'ordo.db');
    const journal = SqliteJournal.open(path);
    const venue = new PaperVenue({ venue: 'paper', instruments: [BTC], balances: { USD: '100000' } });
    const oms = new AdvancedOrderManager(venue, { instruments: [BTC], portfolio: new Portfolio(), journal });
    oms.feed(trade(BTC, '45000', 1));
    unwrap(oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '0.1' }));
    void journal.close();
    return path;
  }

  it('a sound journal is exit code 0, with its event count', () => {
    const path = journalFile();
    const r = ordo('journal', 'verify', '--db', path, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = json(r.stdout);
    assert.equal(report.ok, true);
    assert.ok(Number(report.events) >= 3);
    assert.deepEqual(report.problems, []);
    assert.match(ordo('journal', 'verify', '--db', path).stdout, /result: +sound/);
  });

  it('a damaged record is exit code 4 naming its seq and the checksum mismatch', () => {
    const path = journalFile();
    const db = new Database(path);
    // One character more in one record: it still decodes, but no longer matches its checksum.
    assert.equal(
      db.prepare("UPDATE ordo_events SET payload = payload || ' ' WHERE seq = 2").run().changes,
      1,
    );
    db.close();
    const r = ordo('journal', 'verify', '--db', path, '--json');
    assert.equal(r.status, 4, r.stderr);
    const problems = json(r.stdout).problems as { seq: number; code: string }[];
    assert.deepEqual(
      problems.map((p) => [p.seq, p.code]),
      [[2, 'checksum_mismatch']],
    );
  });

  it('a missing journal is exit code 3 (and is not created)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ordo-journal-')), 'none.db');
    const r = ordo('journal', 'verify', '--db', path);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /no journal at/);
    assert.equal(ordo('journal', 'verify', '--db', path).status, 3);
  });
});

const noPostgres = findPostgresBinaries() === undefined;
if (noPostgres)
  console.warn('SKIPPED: PostgreSQL not installed — ordo journal verify on PostgreSQL did not run');

describe('ordo journal verify on PostgreSQL', { skip: noPostgres && 'PostgreSQL binaries not found' }, () => {
  let server: PostgresServer | undefined;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('verifies a sound journal (exit 0) and finds a damaged record (exit 4)', async () => {
    const url = server?.url ?? '';
    const journal = await PostgresJournal.open(url, { account: 'cli' });
    const events: OrdoEvent[] = [1, 2, 3].map((i) => ({
      type: 'order_submitted',
      ts: 1_000 + i,
      id: i as OrderId,
      clientOrderId: `c-${i}`,
    }));
    await journal.append({ events });
    await journal.close();
    const sound = await ordoAsync('journal', 'verify', '--db', url, '--account', 'cli', '--json');
    assert.equal(sound.status, 0, sound.stderr);
    assert.deepEqual([json(sound.stdout).ok, json(sound.stdout).events], [true, 3]);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await pool.query(
      `UPDATE ordo_events SET payload = replace(payload, 'c-2', 'c-9') WHERE account = 'cli' AND seq = 2`,
    );
    await pool.end();
    const damaged = await ordoAsync('journal', 'verify', '--db', url, '--account', 'cli');
    assert.equal(damaged.status, 4, damaged.stderr);
    assert.match(damaged.stdout, /2 +checksum_mismatch/);
  });
});

describe('ordo sandbox', () => {
  it('runs a fake venue on 127.0.0.1 until interrupted (exit 0); --json gives its URLs', async () => {
    const child = spawn(process.execPath, ['bin/ordo.mjs', 'sandbox', 'binance', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => out.includes('\n'), 'the sandbox banner', 20_000);
    const banner = json(out) as { venue: string; urls: { rest: string } };
    assert.equal(banner.venue, 'binance');
    assert.match(banner.urls.rest, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ping = await fetch(`${banner.urls.rest}/api/v3/ping`);
    assert.equal(ping.status, 200);
    child.kill('SIGINT');
    assert.equal(await exit, 0);
  });
});

describe('ordo backtest: strategy modules', () => {
  it('a strategy module that cannot be loaded is exit code 3; one without createStrategy is exit code 1', () => {
    const data = '../shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz';
    const missing = ordo('backtest', '--data', data, '--strategy', 'examples/strategies/none.ts');
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /cannot load strategy module/);
    const notStrategy = ordo('backtest', '--data', data, '--strategy', 'examples/quickstart.ts', '--quiet');
    assert.equal(notStrategy.status, 1);
    assert.match(notStrategy.stderr, /does not export createStrategy/);
  });

  it('loads a TypeScript strategy from any folder; one that throws stops the run with exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-strategy-'));
    const file = join(dir, 'throws.ts');
    writeFileSync(
      file,
      `export function createStrategy(params: Record<string, string>) {
  let ticks = 0;
  return { name: 'throws', onTick() { if (++ticks === Number(params.at)) throw new Error('boom at tick ' + ticks); } };
}\n`,
    );
    const data = '../shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz';
    const r = ordo(
      'backtest',
      '--data',
      data,
      '--strategy',
      file,
      '--param',
      'at=100',
      '--journal',
      join(dir, 'j.db'),
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /the run stopped: boom at tick 100/);
  });
});
