// Benchmark 5: order placement over HTTP. A real server (the service with its SQLite journal in a
// temporary folder, the API on 127.0.0.1) in this process; the load generator (bench/http-load.ts)
// in a separate process with keep-alive connections. Figures in the same run:
//
// - GET /health: the HTTP stack alone (Fastify, auth skipped, loopback), the baseline;
// - POST /v1/orders: market orders, buys and sells alternating, each filled by the paper venue and
//   journaled (with the venue's checkpoint) before the answer;
// - in-process placeOrder: the same orders through the engine and journal without HTTP, timed
//   per call.
//
// Each row runs on a fresh service and journal (after a warm-up on another), because each journal
// batch carries a checkpoint of the paper venue, which grows with what the venue has seen: a later
// row on the same service would pay for the earlier rows' orders. Market orders keep the book empty.
//
// Run alone: node --import tsx bench/http-placement.ts [--quick]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiServer } from '../src/api/server.ts';
import { DEFAULT_CONFIG } from '../src/app/config.ts';
import type { MarketFeed } from '../src/app/market-feed.ts';
import { OrdoService } from '../src/app/service.ts';
import { si, table } from './measure.ts';

export interface HttpRow {
  readonly label: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Of the orders placed over HTTP, the share the paper venue filled (the rest were refused). */
  readonly filledShare?: number;
}

export interface HttpBenchOptions {
  readonly requests: number;
  readonly concurrency: number;
}

const TOKEN = 'bench-token-0123456789abcdef';
const HERE = import.meta.dirname;

/** A feed that never ticks: one quote and trade set the market, deep enough for every order. */
const QUIET: MarketFeed = { name: 'none', start: async () => {}, stop: async () => {} };

function load(
  url: string,
  method: string,
  path: string,
  n: number,
  c: number,
  bodies?: string,
): Promise<HttpRow> {
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      'tsx',
      join(HERE, 'http-load.ts'),
      url,
      TOKEN,
      method,
      path,
      String(n),
      String(c),
    ];
    if (bodies !== undefined) args.push(bodies);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const r = JSON.parse(out) as Omit<HttpRow, 'label'>;
      resolve({ label: `${method} ${path}`, ...r });
    });
  });
}

/**
 * Buys and sells in turn, so the position and cash stay put (the account holds BTC too, so a sell
 * that overtakes its buy on another connection is filled as well).
 */
function spec(i: number): { symbol: string; side: 'buy' | 'sell'; type: 'market'; quantity: string } {
  return { symbol: 'BTC/USD', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: '0.001' };
}

function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** A fresh service (its own journal) and server, so every row starts from the same state. */
async function fresh(): Promise<{
  url: string;
  service: OrdoService;
  bodies: string;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-bench-http-'));
  const service = new OrdoService({
    config: {
      ...DEFAULT_CONFIG,
      dataDir: dir,
      logLevel: 'silent',
      balances: { USD: '1000000000', BTC: '1000' },
      risk: {},
    },
    feed: () => QUIET,
  });
  const api = new ApiServer(service, { token: TOKEN });
  const url = await api.listen('127.0.0.1', 0);
  await service.start();
  const ts = Date.now();
  const instrument = 'paper:BTC/USD';
  service.oms.feed({
    kind: 'quote',
    instrument,
    ts,
    bid: 4_499_999,
    bidSize: 1e9,
    ask: 4_500_001,
    askSize: 1e9,
  });
  service.oms.feed({
    kind: 'trade',
    instrument,
    ts,
    price: 4_500_000,
    size: 10_000,
    aggressor: undefined,
    tradeId: undefined,
  });
  const bodies = join(dir, 'bodies.json');
  writeFileSync(bodies, JSON.stringify([0, 1].map(spec)));
  return {
    url,
    service,
    bodies,
    async close() {
      await api.close();
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchHttp(o: HttpBenchOptions): Promise<HttpRow[]> {
  const rows: HttpRow[] = [];
  // 1. The HTTP stack alone.
  const a = await fresh();
  try {
    await load(a.url, 'GET', '/health', Math.min(500, o.requests), o.concurrency);
    rows.push(await load(a.url, 'GET', '/health', o.requests, o.concurrency));
  } finally {
    await a.close();
  }
  // 2. Placement over HTTP, on a fresh journal (after a short warm-up on another one).
  const warm = await fresh();
  try {
    await load(warm.url, 'POST', '/v1/orders', Math.min(300, o.requests), o.concurrency, warm.bodies);
  } finally {
    await warm.close();
  }
  const b = await fresh();
  try {
    const row = await load(b.url, 'POST', '/v1/orders', o.requests, o.concurrency, b.bodies);
    let filled = 0;
    for (const ord of b.service.oms.engine.state.orders.values()) if (ord.status === 'filled') filled++;
    rows.push({ ...row, filledShare: filled / b.service.oms.engine.state.orders.size });
  } finally {
    await b.close();
  }
  // 3. The same orders in-process, on a fresh journal, timed per call.
  const c = await fresh();
  try {
    for (let i = 0; i < Math.min(300, o.requests); i++) c.service.oms.placeOrder(spec(i));
  } finally {
    await c.close();
  }
  const d = await fresh();
  try {
    const lat: number[] = [];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < o.requests; i++) {
      const s = process.hrtime.bigint();
      d.service.oms.placeOrder(spec(i));
      lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    lat.sort((x, y) => x - y);
    rows.push({
      label: 'in-process placeOrder',
      requests: o.requests,
      perSecond: o.requests / seconds,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      errors: 0,
    });
  } finally {
    await d.close();
  }
  return rows;
}

export function printHttp(rows: readonly HttpRow[], o: HttpBenchOptions): string {
  const health = rows.find((r) => r.label === 'GET /health');
  const place = rows.find((r) => r.label === 'POST /v1/orders');
  const inproc = rows.find((r) => r.label.startsWith('in-process'));
  const lines = [
    `5. HTTP order placement — ${o.requests} requests per row, ${o.concurrency} keep-alive connections from a separate process, loopback`,
    table(
      ['', 'requests/s', 'p50 ms', 'p99 ms', 'errors'],
      rows.map((r) => [r.label, si(r.perSecond), r.p50Ms.toFixed(3), r.p99Ms.toFixed(3), String(r.errors)]),
    ),
  ];
  if (place?.filledShare !== undefined)
    lines.push(`   ${(place.filledShare * 100).toFixed(1)} % of the orders placed over HTTP filled`);
  if (health !== undefined && place !== undefined && inproc !== undefined)
    lines.push(
      `   placement over HTTP runs at ${(place.perSecond / inproc.perSecond).toFixed(2)}x the in-process rate; the HTTP stack alone (health) serves ${(health.perSecond / place.perSecond).toFixed(1)}x as many requests as placement`,
    );
  return lines.join('\n');
}

export async function runHttp(quick: boolean, print: (s: string) => void): Promise<HttpRow[]> {
  const options = { requests: quick ? 500 : 5000, concurrency: 8 };
  const rows = await benchHttp(options);
  print(printHttp(rows, options));
  print('');
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await runHttp(process.argv.includes('--quick'), (s) => console.log(s));
