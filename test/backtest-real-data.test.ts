// `ordo backtest` on a real data file (five minutes of Binance BTCUSDT trades and book tickers from
// ../shared/data), run as a child process, for both example strategies. The summary must match the
// trades in the journal it wrote: the journal file is opened here and fills, fees, P&L, round
// trips and the win rate are recomputed from its events alone. The HTML report must be
// self-contained (the chart library inlined, nothing fetched) and mark every fill.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { formatUnits, parseUnits } from '../src/core/decimal.ts';
import type { OrdoEvent } from '../src/engine/events.ts';
import { SqliteJournal } from '../src/journal/sqlite-journal.ts';

const REAL_FILE = '../shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz';
/** BTC/USDT as the binance-capture format reads it: tick 0.01, lot 0.00001. */
const PRICE_SCALE = 2;
const QTY_SCALE = 5;
const money = (units: bigint) => formatUnits(units, 18, true);

const ordo = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ordo.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });

/** What the journal says happened, recomputed from its events alone. */
function recompute(journalPath: string) {
  const journal = SqliteJournal.open(journalPath);
  const events: OrdoEvent[] = [...journal.readSync()].map((e) => e.event);
  void journal.close();
  const side = new Map<number, 'buy' | 'sell'>();
  let fills = 0;
  let fees = 0n;
  let cash = 0n;
  let position = 0;
  let tripCash = 0n;
  let tripFees = 0n;
  let realized = 0n;
  const trips: bigint[] = [];
  for (const e of events) {
    if (e.type === 'order_created') side.set(e.order.id, e.order.side);
    if (e.type !== 'order_filled') continue;
    const s = side.get(e.id);
    assert.ok(s !== undefined, `fill of order ${e.id} follows its creation`);
    fills++;
    fees += e.fee;
    assert.equal(e.feeCurrency, 'USDT');
    const notional = BigInt(e.price) * BigInt(e.quantity) * 10n ** BigInt(18 - PRICE_SCALE - QTY_SCALE);
    const flow = s === 'sell' ? notional : -notional;
    cash += flow;
    tripCash += flow;
    tripFees += e.fee;
    position += s === 'buy' ? e.quantity : -e.quantity;
    if (position === 0) {
      // The position is back to flat: a round trip closed (the examples never flip long to short).
      trips.push(tripCash - tripFees);
      realized += tripCash;
      tripCash = 0n;
      tripFees = 0n;
    }
  }
  return { events: events.length, fills, fees, cash, position, trips, realized, orders: side.size };
}

describe('ordo backtest on a real Binance capture', () => {
  for (const [name, params] of [
    [
      'breakout',
      ['--param', 'lookback=12', '--param', 'takeProfitPercent=0.1', '--param', 'stopLossPercent=0.1'],
    ],
    ['trend-trailing', ['--param', 'fast=3', '--param', 'slow=8', '--param', 'trailPercent=0.05']],
  ] as const) {
    it(`${name}: the summary matches the trades in the journal`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ordo-backtest-'));
      const journalPath = join(dir, 'journal.db');
      const reportPath = join(dir, 'report.html');
      const r = ordo(
        'backtest',
        '--data',
        REAL_FILE,
        '--strategy',
        `examples/strategies/${name}.ts`,
        '--bar',
        '5s',
        ...params,
        '--journal',
        journalPath,
        '--report',
        reportPath,
        '--quiet',
        '--json',
      );
      assert.equal(r.status, 0, r.stderr);
      const s = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(s.strategy, name);
      assert.equal(s.items, 55_281, 'every trade and book ticker of the file');

      const j = recompute(journalPath);
      assert.ok(j.fills > 0, 'the strategy traded on the file');
      assert.equal(j.position, 0, 'the backtest ends flat');
      assert.equal(s.journalEvents, j.events);
      assert.equal(s.fills, j.fills);
      assert.equal(s.orders, j.orders);
      assert.equal(s.fees, money(j.fees));
      assert.equal(s.realizedPnl, money(j.realized));
      assert.equal(s.netPnl, money(j.cash - j.fees), 'net P&L = cash from every fill − fees');
      assert.equal(
        units(s.equityEnd) - units(s.equityStart),
        units(s.netPnl),
        'equity end − start = net P&L',
      );
      assert.equal(s.roundTrips, j.trips.length);
      const wins = j.trips.filter((t) => t > 0n).length;
      assert.equal(s.wins, wins);
      assert.equal(
        s.winRatePercent,
        j.trips.length === 0 ? null : Number(((wins / j.trips.length) * 100).toFixed(6)),
      );
      // The drawdown is at least what was lost by the end (the start is a peak it fell from).
      const dd = units(s.maxDrawdown);
      const net = units(s.netPnl);
      assert.ok(dd >= 0n && dd >= -net, `max drawdown ${s.maxDrawdown} covers the net loss ${s.netPnl}`);
      assert.ok(s.sharpe === null || Number.isFinite(s.sharpe));

      const verify = ordo('journal', 'verify', '--db', journalPath, '--json');
      assert.equal(verify.status, 0, verify.stdout);
      assert.equal((JSON.parse(verify.stdout) as { events: number }).events, j.events);

      const html = readFileSync(reportPath, 'utf8');
      assert.ok(html.includes('TradingView Lightweight Charts™ v5.3.0'), 'the chart library is inlined');
      assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html), 'no external script or style');
      // The only addresses are the library's licence, attribution and the SVG namespace: none is loaded.
      const urls = new Set(html.match(/https?:\/\/[\w./-]+/g));
      assert.deepEqual([...urls].sort(), [
        'http://www.w3.org/2000/svg',
        'https://www.apache.org/licenses/LICENSE-2.0',
        'https://www.tradingview.com/',
      ]);
      const data = JSON.parse(
        /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}',
      );
      // Every fill is on the price chart: one marker per order and candle, however many partial fills.
      const groups = data.fills as { fills: number }[];
      assert.equal(
        groups.reduce((n, g) => n + g.fills, 0),
        j.fills,
      );
      assert.equal(data.markers.length, groups.length);
      assert.ok(data.candles.length >= 60, 'five minutes of 5 s candles');
      assert.ok(data.equity.length > 10, 'an equity curve');
    });
  }

  it('the report renders offline in Chromium: both charts drawn, no script error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-backtest-'));
    const reportPath = join(dir, 'report.html');
    const r = ordo(
      'backtest',
      '--data',
      REAL_FILE,
      '--strategy',
      'examples/strategies/breakout.ts',
      '--bar',
      '5s',
      '--param',
      'lookback=6',
      '--journal',
      join(dir, 'j.db'),
      '--report',
      reportPath,
      '--quiet',
    );
    assert.equal(r.status, 0, r.stderr);
    const browser = await chromium.launch({
      executablePath: process.env.ORDO_CHROMIUM ?? '/usr/bin/chromium',
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(reportPath).href);
      for (const id of ['equity', 'price'])
        await page.locator(`#${id} canvas`).first().waitFor({ state: 'attached', timeout: 10_000 });
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [pathToFileURL(reportPath).href], 'the page loads nothing but itself');
      /** A canvas element as far as this test reads it (the test is compiled without DOM types). */
      type Canvas = { width: number; height: number };
      const drawn: number[] = [];
      for (const id of ['equity', 'price'])
        drawn.push(
          await page
            .locator(`#${id} canvas`)
            .first()
            .evaluate((c) => (c as unknown as Canvas).width * (c as unknown as Canvas).height),
        );
      assert.ok(
        drawn.every((area) => area > 10_000),
        `both charts have a drawn canvas: ${drawn}`,
      );
    } finally {
      await browser.close();
    }
  });

  it('is deterministic: the same inputs give the same summary and journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-backtest-'));
    const run = (n: number) =>
      ordo(
        'backtest',
        '--data',
        REAL_FILE,
        '--strategy',
        'examples/strategies/breakout.ts',
        '--bar',
        '5s',
        '--param',
        'lookback=6',
        '--journal',
        join(dir, `j${n}.db`),
        '--quiet',
        '--json',
      );
    const [a, b] = [run(1), run(2)];
    assert.equal(a.status, 0, a.stderr);
    const strip = (text: string) => {
      const { journal: _j, ...rest } = JSON.parse(text) as Record<string, unknown>;
      return rest;
    };
    assert.deepEqual(strip(a.stdout), strip(b.stdout));
    const events = (n: number) => {
      const j = SqliteJournal.open(join(dir, `j${n}.db`));
      const all = JSON.stringify([...j.readSync()], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      void j.close();
      return all;
    };
    assert.equal(events(1), events(2));
  });

  it('refuses a journal that already holds events, and names a missing file (exit 3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-backtest-'));
    const args = [
      'backtest',
      '--data',
      REAL_FILE,
      '--strategy',
      'examples/strategies/breakout.ts',
      '--bar',
      '5s',
      '--param',
      'lookback=6',
      '--journal',
      join(dir, 'j.db'),
      '--quiet',
    ];
    assert.equal(ordo(...args).status, 0);
    const again = ordo(...args);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds events/);
    const missing = ordo(
      'backtest',
      '--data',
      join(dir, 'nope.gz'),
      '--strategy',
      'examples/strategies/breakout.ts',
    );
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /no such data file/);
  });
});

/** Decimal money text (as the summary prints it) to money units. */
function units(text: unknown): bigint {
  const u = parseUnits(String(text), 18);
  assert.ok(u !== undefined, `${String(text)} is an exact decimal`);
  return u;
}
