// What the dashboard's browser tests (test/web-*.test.ts) share: a real Ordo service and API
// server on 127.0.0.1 port 0 with a throwaway data directory, a market feed the test drives price
// by price (or the fast synthetic one), the built dashboard, and Debian's Chromium driven by
// playwright-core (which never downloads a browser of its own).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ApiServer } from '../../src/api/server.ts';
import { DEFAULT_CONFIG, type OrdoConfig } from '../../src/app/config.ts';
import type { MarketFeed } from '../../src/app/market-feed.ts';
import { OrdoService } from '../../src/app/service.ts';
import { parseUnits } from '../../src/core/decimal.ts';
import type { Instrument } from '../../src/model/instrument.ts';
import type { MarketData } from '../../src/model/market.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
/**
 * Where the tests save a screenshot of every view: docs/screenshots/ (linked from the README) when
 * ORDO_UPDATE_SCREENSHOTS=1, otherwise a temporary folder, so that an ordinary test run leaves the
 * working tree as it found it (a live page never renders twice the same to the byte).
 */
export const SCREENSHOTS =
  process.env.ORDO_UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs', 'screenshots')
    : join(tmpdir(), 'ordo-screenshots');
export const CHROMIUM = process.env.ORDO_CHROMIUM ?? '/usr/bin/chromium';
/** A test token (the server wants 16 characters or more). */
export const TOKEN = 'web-test-token-0123456789abcdef';

/** Builds web/dist when its sources changed since the last build (fast when they did not). */
export function ensureDashboardBuilt(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'web', 'scripts', 'ensure-built.mjs'), '--strict'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`building the dashboard failed (exit ${r.status})`);
}

/**
 * A feed the test moves by hand: each `trade` sends a quote one tick either side and a trade at
 * that price, stamped with the wall clock (or a given time, for history before the test starts).
 */
export class ScriptedFeed implements MarketFeed {
  readonly name = 'scripted';
  private onData: ((md: MarketData) => void) | undefined;
  private lastTs = 0;
  private trades = 0;

  constructor(readonly instruments: readonly Instrument[]) {}

  async start(onData: (md: MarketData) => void): Promise<void> {
    this.onData = onData;
  }

  async stop(): Promise<void> {
    this.onData = undefined;
  }

  /** A trade at `price` (a decimal string) on `symbol`, of `size` (default 1) on each side of the quote. */
  trade(symbol: string, price: string, ts = Date.now(), size?: string): void {
    const inst = this.instruments.find((i) => i.symbol === symbol);
    if (inst === undefined || this.onData === undefined) throw new Error(`no feed for ${symbol}`);
    const exact = parseUnits(price, inst.priceScale);
    if (exact === undefined) throw new Error(`${price} is not a price of ${symbol}`);
    const units = Number(exact);
    const at = Math.max(ts, this.lastTs);
    this.lastTs = at;
    const key = inst.key;
    const lots = size === undefined ? 10 ** inst.qtyScale : Number(parseUnits(size, inst.qtyScale));
    this.onData({
      kind: 'quote',
      instrument: key,
      ts: at,
      bid: units - inst.priceIncrement,
      bidSize: lots,
      ask: units + inst.priceIncrement,
      askSize: lots,
    });
    this.onData({
      kind: 'trade',
      instrument: key,
      ts: at,
      price: units,
      size: lots,
      aggressor: undefined,
      tradeId: `t${++this.trades}`,
    });
  }
}

export interface Running {
  readonly url: string;
  readonly service: OrdoService;
  readonly server: ApiServer;
  /** Set when the server runs on the scripted feed. */
  readonly feed: ScriptedFeed | undefined;
  stop(): Promise<void>;
}

/** The real service and API server on 127.0.0.1, port 0, in a new data directory. */
export async function startServer(options: {
  readonly feed: 'scripted' | { readonly tickMs: number };
  readonly config?: Partial<OrdoConfig>;
}): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ordo-web-'));
  const config: OrdoConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    logLevel: 'silent',
    webDist: WEB_DIST,
    equitySampleMs: 500,
    ...(options.feed === 'scripted' ? {} : { feed: { ...DEFAULT_CONFIG.feed, tickMs: options.feed.tickMs } }),
    ...options.config,
  };
  let feed: ScriptedFeed | undefined;
  const service = new OrdoService({
    config,
    ...(options.feed === 'scripted'
      ? {
          feed: (instruments) => {
            feed = new ScriptedFeed(instruments);
            return feed;
          },
        }
      : {}),
  });
  const server = new ApiServer(service, { token: TOKEN, webDist: WEB_DIST });
  await service.start();
  const url = await server.listen('127.0.0.1', 0);
  return {
    url,
    service,
    server,
    feed,
    async stop() {
      await server.close();
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile and no background traffic. */
export async function launchBrowser(): Promise<Browser> {
  // playwright gives every launch a new empty profile (--user-data-dir in a temporary folder).
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Evaluates an expression in the page (the tests' TypeScript has no DOM types, so it is text). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** Opens the dashboard and signs in with the token, as a user would. */
export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
}
