// The dashboard under load: 1,000 open orders (200 brackets of three orders and 400 limits) on
// the real server with the synthetic feed at its fastest (a quote and a trade every 10 ms per
// instrument), in headless Chromium. The page itself counts animation frames, stream messages
// applied and store notifications (renders) over a measured window, with every order drawn in the
// Orders view and then every order line drawn on the chart; the figures are printed, and the
// test fails when the page stops keeping up or stops answering a click.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ensureDashboardBuilt,
  inPage,
  launchBrowser,
  type Running,
  signIn,
  startServer,
  TOKEN,
} from '../web/e2e/harness.ts';

const WINDOW_MS = 5_000;
const BRACKETS = 200;
const LIMITS = 400;

let server: Running;
let browser: Browser;
let page: Page;

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

interface Sample {
  readonly ms: number;
  readonly frames: number;
  readonly messages: number;
  readonly notifies: number;
  readonly longTasks: number;
  readonly longTaskMs: number;
}

const SAMPLE = `(() => {
  const p = window.__ordoPerf, s = window.__ordoStore.perf;
  return { ms: performance.now(), frames: p.frames, messages: s.messages, notifies: s.notifies,
    longTasks: p.longTasks, longTaskMs: p.longTaskMs };
})()`;

/** Rates over a window: frames, stream messages applied and renders per second. */
async function measure(): Promise<{
  fps: number;
  messagesPerS: number;
  rendersPerS: number;
  longTaskMs: number;
}> {
  const a = await inPage<Sample>(page, SAMPLE);
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const b = await inPage<Sample>(page, SAMPLE);
  const s = (b.ms - a.ms) / 1000;
  return {
    fps: (b.frames - a.frames) / s,
    messagesPerS: (b.messages - a.messages) / s,
    rendersPerS: (b.notifies - a.notifies) / s,
    longTaskMs: b.longTaskMs - a.longTaskMs,
  };
}

before(async () => {
  ensureDashboardBuilt();
  server = await startServer({ feed: { tickMs: 10 } });
  // Far below the market (45,000) so nothing fills while the feed wanders.
  for (let i = 0; i < BRACKETS; i++)
    await post('/v1/orders/bracket', {
      symbol: 'BTC/USD',
      side: 'buy',
      quantity: '0.001',
      entry: { type: 'limit', price: String(42_000 + i) },
      takeProfit: { percent: '5' },
      stopLoss: { percent: '2' },
    });
  for (let i = 0; i < LIMITS; i++)
    await post('/v1/orders', {
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      quantity: '0.001',
      price: String(41_000 + i),
    });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(20_000);
  await signIn(page, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('1,000 open orders and a fast feed: the orders view keeps drawing and answers a click', async (t) => {
  await page.goto(`${server.url}/#/orders`);
  await page.getByTestId('open-count').filter({ hasText: '1000 open' }).waitFor();
  // Draw every tree, not just the first page.
  for (let more = page.getByRole('button', { name: /^Show \d+ more/ }); (await more.count()) > 0; )
    await more.click();
  assert.equal(await page.locator('li.leg').count(), BRACKETS * 3 + LIMITS);
  const r = await measure();
  t.diagnostic(
    `orders view, ${BRACKETS * 3 + LIMITS} orders drawn: ${r.fps.toFixed(1)} frames/s, ` +
      `${r.messagesPerS.toFixed(0)} stream messages/s applied, ${r.rendersPerS.toFixed(1)} renders/s, ` +
      `${r.longTaskMs.toFixed(0)} ms in long tasks over ${WINDOW_MS / 1000} s`,
  );
  assert.ok(r.messagesPerS > 100, `the stream keeps flowing (${r.messagesPerS.toFixed(0)} messages/s)`);
  assert.ok(r.fps >= 15, `the page keeps drawing (${r.fps.toFixed(1)} frames/s)`);
  // Still answers: cancelling one order shows its new status within a second or two.
  const leg = page.locator('li.leg[data-role="single"]').first();
  const started = Date.now();
  await leg.getByRole('button', { name: /^Cancel/ }).click();
  await page.getByTestId('open-count').filter({ hasText: '999 open' }).waitFor({ timeout: 2_000 });
  t.diagnostic(`a cancel click to its status on screen: ${Date.now() - started} ms`);
});

test('1,000 open orders and a fast feed: the chart keeps drawing with every order line', async (t) => {
  await page.getByRole('link', { name: 'Chart' }).click();
  await page.waitForFunction(
    `(() => { const c = window.__ordoChart; return c !== undefined && c.priceLines().length > 900; })()`,
  );
  const r = await measure();
  const lines = await inPage<number>(page, 'window.__ordoChart.priceLines().length');
  t.diagnostic(
    `chart view, ${lines} order lines: ${r.fps.toFixed(1)} frames/s, ${r.messagesPerS.toFixed(0)} stream messages/s applied, ` +
      `${r.rendersPerS.toFixed(1)} renders/s, ${r.longTaskMs.toFixed(0)} ms in long tasks over ${WINDOW_MS / 1000} s`,
  );
  assert.ok(r.messagesPerS > 100, `the stream keeps flowing (${r.messagesPerS.toFixed(0)} messages/s)`);
  assert.ok(r.fps >= 15, `the page keeps drawing (${r.fps.toFixed(1)} frames/s)`);
});
