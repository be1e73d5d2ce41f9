// The dashboard's modify form sends only what the user changed. An exit leg keeps being resized
// while its entry fills; a form opened before the last fill must not send the quantity it showed
// when it opened, or saving a new trigger would shrink the stop-loss below the position it
// protects. Real server, real Chromium.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ensureDashboardBuilt,
  launchBrowser,
  type Running,
  type ScriptedFeed,
  signIn,
  startServer,
  TOKEN,
} from '../web/e2e/harness.ts';

let server: Running;
let feed: ScriptedFeed;
let browser: Browser;
let page: Page;

before(async () => {
  ensureDashboardBuilt();
  server = await startServer({ feed: 'scripted' });
  feed = server.feed!;
  for (let i = 0; i < 20; i++) feed.trade('BTC/USD', '45000');
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(10_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function api(
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely and assert on them
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

test('saving a new trigger from a form opened before the entry filled keeps the stop-loss sized to it', async () => {
  const placed = await api('POST', '/v1/orders/bracket', {
    symbol: 'BTC/USD',
    side: 'buy',
    quantity: '0.1',
    entry: { type: 'limit', price: '44900' },
    takeProfit: { percent: '2' },
    stopLoss: { percent: '1' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.json));
  const sl = placed.json.list.orders.find((o: { role: string }) => o.role === 'stop_loss');
  // The entry fills 0.04 (0.02 from the quote and 0.02 from the trade): the exits are sized to it.
  feed.trade('BTC/USD', '44890', undefined, '0.02');
  await signIn(page, server.url);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: 'Orders', exact: true })
    .click();
  const leg = page.locator(`li.leg[data-order-id="${sl.id}"]`);
  await leg.locator('[data-field="filled"]', { hasText: '0/0.04' }).waitFor();
  await leg.getByRole('button', { name: /^Modify/ }).click();
  await leg.getByLabel('Trigger price').waitFor();
  // The rest of the entry fills while the form is open: the stop-loss grows to 0.1.
  feed.trade('BTC/USD', '44890', undefined, '0.03');
  await leg.locator('[data-field="filled"]', { hasText: '0/0.1' }).waitFor();
  await leg.getByLabel('Trigger price').fill('44300');
  await leg.getByRole('button', { name: 'Save' }).click();
  await leg.locator('.num', { hasText: 'trigger 44,300' }).waitFor();
  const after = await api('GET', `/v1/orders/${sl.id}`);
  assert.equal(after.json.order.triggerPrice, '44300.00');
  assert.equal(after.json.order.quantity, '0.1000', 'the stop-loss still covers the whole entry');
});
