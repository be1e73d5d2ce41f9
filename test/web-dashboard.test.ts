// The dashboard end to end: the real server on 127.0.0.1 (port 0) on a market the test moves by
// hand, the built dashboard, and Debian's Chromium. A user enters the token, places a bracket
// from the ticket and reads its preview, sees it as a tree, watches the entry fill with the fill
// marker and the take-profit and stop-loss lines on the chart, modifies and then cancels the
// exits from the tree, closes the position from the ticket and finds the round trip in the trade
// log. A screenshot of every view goes to docs/screenshots/ (linked from the README).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ensureDashboardBuilt,
  inPage,
  launchBrowser,
  type Running,
  SCREENSHOTS,
  type ScriptedFeed,
  signIn,
  startServer,
  TOKEN,
} from '../web/e2e/harness.ts';

let server: Running;
let feed: ScriptedFeed;
let browser: Browser;
let page: Page;

/** Opens a view from the navigation bar. */
async function nav(view: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: view, exact: true })
    .click();
}

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** A minute and a half of history, four trades a second, so the chart has candles to draw. */
function history(): void {
  const now = Date.now();
  for (let i = 360; i >= 1; i--) {
    // A deterministic wiggle around 45,000 (no randomness: the screenshots stay alike).
    const btc = 45_000 + Math.round(Math.sin(i / 24) * 60 + Math.cos(i / 3.7) * 18);
    const eth = 2500 + Math.round(Math.sin(i / 20) * 8 + Math.cos(i / 3.1) * 2);
    feed.trade('BTC/USD', String(btc), now - i * 250);
    feed.trade('ETH/USD', String(eth), now - i * 250);
  }
  feed.trade('BTC/USD', '45000');
}

before(async () => {
  ensureDashboardBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startServer({ feed: 'scripted' });
  assert.ok(server.feed !== undefined);
  feed = server.feed;
  history();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
  page.setDefaultTimeout(10_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the dashboard asks for the token once and keeps it for the session', async () => {
  await page.goto(server.url);
  await page.getByLabel('API token').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await page.getByText('The server did not accept this token.').waitFor();
  await signIn(page, server.url);
  assert.equal(await inPage(page, `sessionStorage.getItem('ordo.token') !== null`), true);
  await page.reload();
  // No token prompt after a reload: the session keeps it.
  await page.locator('[data-connection="live"]').waitFor();
  assert.equal(await page.getByLabel('API token').count(), 0);
});

test('a bracket placed from the ticket: preview, tree, fill on the chart, modify, cancel, trade log', async () => {
  // --- the ticket and its preview ------------------------------------------------------------
  await page.goto(`${server.url}/#/ticket`);
  await page.getByLabel('Order type').selectOption('bracket');
  await page.getByLabel('Quantity', { exact: true }).fill('0.1');
  await page.getByLabel('Entry price').fill('44900');
  await page.getByLabel('Take profit distance (%)').fill('2');
  await page.getByLabel('Stop loss distance (%)').fill('1');
  const preview = page.getByTestId('preview');
  // Levels computed by the engine: 44,900 × 1.02 and × 0.99.
  await preview.locator('[data-level="takeProfit"]', { hasText: '45,798.00' }).waitFor();
  assert.equal(await preview.locator('[data-level="stopLoss"]').textContent(), '44,451.00');
  assert.equal(await preview.locator('[data-level="entry"]').textContent(), '44,900.00');
  // The routing plan names each leg's route, and the risk what-if passes.
  assert.equal(await preview.locator('.plan li').count(), 3);
  assert.ok((await preview.locator('.plan li[data-route]').first().getAttribute('data-route')) !== null);
  assert.equal(await preview.getByTestId('risk-verdict').textContent(), 'allowed');
  await inPage(page, 'document.activeElement.blur(), window.scrollTo(0, 0)');
  await shot('ticket');

  // A field the server refuses is named beside its input.
  await page.getByLabel('Entry price').fill('44900.005');
  await page.locator('#t-entry-price[aria-invalid="true"]').waitFor();
  const message = await page.locator('#t-entry-price-err').textContent();
  assert.ok(message !== null && message.length > 0, 'the entry price error is shown');
  await page.getByLabel('Entry price').fill('44900');
  await page.locator('#t-entry-price[aria-invalid="false"]').waitFor();

  await page.getByRole('button', { name: 'Place Bracket' }).click();
  const placed = page.getByRole('status').filter({ hasText: 'Placed bracket' });
  await placed.waitFor();

  // --- the tree ------------------------------------------------------------------------------
  await placed.getByRole('link', { name: 'See it in Orders' }).click();
  const tree = page.locator('li.tree.kind-bracket').first();
  await tree.waitFor();
  const entry = tree.locator('li.leg[data-role="entry"]');
  const tp = tree.locator('li.leg[data-role="take_profit"]');
  const sl = tree.locator('li.leg[data-role="stop_loss"]');
  assert.equal(await entry.count(), 1);
  assert.equal(await tp.count(), 1);
  assert.equal(await sl.count(), 1);
  // Each leg shows its route; the exits wait (held) for the entry to fill.
  for (const leg of [entry, tp, sl])
    assert.equal(await leg.locator('.badge.route-native, .badge.route-emulated').count(), 1);
  assert.match((await tp.getAttribute('data-status')) ?? '', /held|accepted|submitted/);
  await shot('orders');

  // --- the entry fills; the chart shows the fill and the exits ---------------------------------
  feed.trade('BTC/USD', '44890');
  await entry.locator('.badge.status', { hasText: 'filled' }).waitFor();
  assert.equal(await entry.locator('[data-field="filled"]').textContent(), '0.1/0.1');
  await nav('Chart');
  await page.waitForFunction(
    `(() => { const c = window.__ordoChart; return c !== undefined && c.markers().length >= 1 && c.priceLines().length >= 2 && c.bars() > 10; })()`,
  );
  const lines = await inPage<{ title: string; price: number }[]>(page, 'window.__ordoChart.priceLines()');
  const titles = lines.map((l) => l.title);
  assert.ok(
    titles.some((t) => t.endsWith('TP')),
    `a take-profit line: ${titles.join(', ')}`,
  );
  assert.ok(
    titles.some((t) => t.includes('SL')),
    `a stop-loss line: ${titles.join(', ')}`,
  );
  assert.deepEqual(
    lines.map((l) => l.price).sort((a, b) => a - b),
    [44451, 45798],
  );
  const markers = await inPage<{ text: string; price: number }[]>(page, 'window.__ordoChart.markers()');
  assert.deepEqual(markers, [{ text: 'buy 0.1', price: 44900 }]);
  await page.getByTestId('chart-lines').getByText('SL stop').waitFor();
  await shot('chart');

  // The position is protected by the bracket's stop-loss, and the positions view says so.
  await nav('Positions');
  const row = page.locator('tr', { hasText: 'BTC/USD' });
  await row.getByRole('link', { name: /^yes, #\d+/ }).waitFor();
  await shot('positions');

  // --- modify the stop-loss from the tree, then cancel the exits -----------------------------
  await nav('Orders');
  const slId = await sl.getAttribute('data-order-id');
  await sl.getByRole('button', { name: /^Modify/ }).click();
  await sl.getByLabel('Trigger price').fill('44400');
  await sl.getByRole('button', { name: 'Save' }).click();
  await sl.locator('.num', { hasText: 'trigger 44,400' }).waitFor();
  // Show finished orders too, so the cancelled exits stay in view.
  await page.getByLabel('Show').selectOption('all');
  await page.getByRole('button', { name: /^Cancel Bracket/ }).click();
  await tp.locator('.badge.status', { hasText: 'cancelled' }).waitFor();
  await sl.locator('.badge.status', { hasText: 'cancelled' }).waitFor();
  assert.ok(slId !== null);

  // The position is now open without a stop.
  await nav('Positions');
  await row.getByText('no stop').waitFor();

  // --- close it from the ticket; the round trip appears in the trade log ---------------------
  feed.trade('BTC/USD', '45100');
  await nav('Order ticket');
  await page.getByLabel('Order type').selectOption('market');
  await page.getByLabel('Sell').check();
  await page.getByLabel('Quantity', { exact: true }).fill('0.1');
  await page.getByRole('button', { name: 'Place Market' }).click();
  await page.getByRole('status').filter({ hasText: 'Placed order' }).waitFor();
  await nav('Trade log');
  const trip = page.locator('[data-testid="round-trips"] tr[data-closed="true"]');
  await trip.first().waitFor();
  const cells = await trip.first().locator('td, th').allTextContents();
  assert.equal(cells[1], 'BTC/USD');
  assert.equal(cells[2], 'long');
  assert.equal(cells[3], '0.1');
  // Each order of the trip links to it in the Orders view.
  const links = trip.first().getByRole('link');
  assert.equal(await links.count(), 2);
  await shot('trades');

  // CSV export gives the server's own trade-log CSV.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /\.csv$/);

  await links.first().click();
  await page.locator('li.leg.focused').waitFor();
});

test('a trailing stop: its line on the chart follows the stop as it tightens, then it fires', async () => {
  feed.trade('BTC/USD', '45000');
  await nav('Order ticket');
  await page.getByLabel('Order type').selectOption('market');
  await page.getByLabel('Buy').check();
  await page.getByLabel('Quantity', { exact: true }).fill('0.01');
  await page.getByRole('button', { name: 'Place Market' }).click();
  await page.getByRole('status').filter({ hasText: 'Placed order' }).waitFor();

  await page.getByLabel('Order type').selectOption('trailing_stop');
  await page.getByLabel('Sell').check();
  await page.getByLabel('Quantity', { exact: true }).fill('0.01');
  await page.getByLabel('Trail by').selectOption('price');
  await page.getByLabel('Trailing offset').fill('50');
  // The preview computes the distance and where the stop starts.
  await page.getByTestId('preview').locator('[data-level="distance"]', { hasText: '50.00' }).waitFor();
  await page.getByRole('button', { name: 'Place Trailing stop' }).click();
  await page.getByRole('status').filter({ hasText: 'Placed order' }).waitFor();

  await nav('Chart');
  const stopLine = `(() => { const l = (window.__ordoChart?.priceLines() ?? []).find((x) => x.title.includes('trailing stop')); return l === undefined ? undefined : l.price; })()`;
  await page.waitForFunction(`${stopLine} !== undefined`);
  const first = await inPage<number>(page, stopLine);
  feed.trade('BTC/USD', '45100');
  feed.trade('BTC/USD', '45200');
  await page.waitForFunction(`${stopLine} === ${first + 200}`);
  // A fall does not loosen it; a fall through it fires it, and the line goes.
  feed.trade('BTC/USD', '45160');
  await page.waitForFunction(`${stopLine} === ${first + 200}`);
  feed.trade('BTC/USD', '45140');
  await page.waitForFunction(`${stopLine} === undefined`);
  await nav('Trade log');
  await page.locator('[data-testid="round-trips"] tr[data-closed="true"]').nth(1).waitFor();
});

test('after the stream drops, the dashboard reconnects and resumes with what it missed', async () => {
  await nav('Orders');
  await page.locator('[data-connection="live"]').waitFor();
  const seqBefore = await inPage<number>(page, 'window.__ordoStore.lastSeq');
  // The server drops every stream client; an order is placed before the dashboard is back.
  const wss = (server.server as unknown as { wss: { clients: Set<{ terminate(): void }> } }).wss;
  for (const ws of wss.clients) ws.terminate();
  const res = await fetch(`${server.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ symbol: 'ETH/USD', side: 'buy', type: 'limit', quantity: '0.5', price: '2400' }),
  });
  assert.equal(res.status, 201);
  const { order } = (await res.json()) as { order: { id: number } };
  await page.locator(`li.leg[data-order-id="${order.id}"]`).waitFor();
  await page.locator('[data-connection="live"]').waitFor();
  // It came back through a resume from the last sequence number it had, not a fresh start.
  const resumedFrom = await inPage<number | undefined>(
    page,
    `window.__ordoStore.events.filter((a) => a.m.kind === 'hello').at(-1).m.resumedFrom`,
  );
  assert.equal(resumedFrom, seqBefore);
  await page.getByRole('button', { name: `Cancel Order #${order.id}` }).click();
  await page.locator(`li.leg[data-order-id="${order.id}"]`).waitFor({ state: 'detached' });
});

test('the overview, the events and a phone-width orders view', async () => {
  await nav('Overview');
  await page.getByText('Equity curve').waitFor();
  await page.waitForFunction(`document.querySelectorAll('.card').length === 4`);
  await page.locator('.venues', { hasText: 'connected' }).waitFor();
  await shot('overview');

  await nav('Events');
  const events = page.getByTestId('events');
  await events.locator('li[data-kind="fill"]').first().waitFor();
  await page.getByLabel('Contains').fill('fill #');
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-testid="events"] li')].every((li) => li.textContent.includes('fill #'))`,
  );
  await page.getByLabel('Contains').fill('');
  await shot('events');

  const phone = await browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    colorScheme: 'dark',
  });
  try {
    await signIn(phone, server.url);
    await phone.goto(`${server.url}/#/orders`);
    await phone.getByLabel('Show').selectOption('all');
    await phone.locator('li.tree').first().waitFor();
    // Nothing is wider than the screen: the page does not scroll sideways.
    const overflow = await inPage<number>(phone, 'document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the page overflows a phone screen by ${overflow}px`);
    await shot('orders-phone', phone);
    // Every other view fits a phone screen too (wide tables scroll inside their own box).
    for (const view of ['overview', 'positions', 'ticket', 'chart', 'trades', 'events']) {
      await phone.goto(`${server.url}/#/${view}`);
      await phone.locator('main h2').waitFor();
      await phone.waitForTimeout(100);
      const wide = await inPage<number>(phone, 'document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(wide <= 0, `the ${view} view overflows a phone screen by ${wide}px`);
    }
  } finally {
    await phone.close();
  }
});

test('every order type: the ticket previews it, places it, and the tree shows it', async () => {
  feed.trade('BTC/USD', '45000');
  await page.goto(`${server.url}/#/ticket`);
  const fill = async (fields: Record<string, string>): Promise<void> => {
    for (const [id, value] of Object.entries(fields)) {
      const el = page.locator(`#${id}`);
      if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
      else await el.fill(value);
    }
  };
  const cases: [string, string, Record<string, string>][] = [
    ['market', 'Market', { 't-quantity': '0.001' }],
    ['limit', 'Limit', { 't-quantity': '0.001', 't-price': '44000' }],
    ['stop', 'Stop', { 't-quantity': '0.001', 't-triggerPrice': '46000' }],
    ['stop_limit', 'Stop-limit', { 't-quantity': '0.001', 't-triggerPrice': '46000', 't-price': '46100' }],
    ['trailing_stop', 'Trailing stop', { 't-quantity': '0.001', 't-trailing-offset': '1' }],
    ['oco', 'OCO', { 't-quantity': '0.001', 't-legs-0-price': '44000', 't-legs-1-triggerPrice': '46000' }],
    [
      'oto',
      'OTO',
      {
        't-parent-quantity': '0.001',
        't-parent-price': '44000',
        't-children-0-side': 'sell',
        't-children-0-quantity': '0.001',
        't-children-0-triggerPrice': '43000',
      },
    ],
    [
      'scale',
      'Scale ladder',
      { 't-totalQuantity': '0.004', 't-levels': '4', 't-startPrice': '44000', 't-step': '100' },
    ],
  ];
  const preview = page.getByTestId('preview');
  for (const [type, button, fields] of cases) {
    await page.getByLabel('Order type').selectOption(type);
    await page.getByLabel('Buy').check();
    await fill(fields);
    await preview.getByTestId('risk-verdict').filter({ hasText: 'allowed' }).waitFor();
    assert.ok((await preview.locator('.plan li').count()) >= 1, `${type}: a routing plan`);
    if (type === 'scale') {
      // Each level with its rounded quantity: 0.004 in four levels stepping down from 44,000.
      await preview.locator('table tbody tr').nth(3).waitFor();
      const rows = await preview.locator('table tbody tr').allTextContents();
      assert.deepEqual(rows, ['144000.000.0010', '243900.000.0010', '343800.000.0010', '443700.000.0010']);
    }
    await page.getByRole('button', { name: new RegExp(`^Place ${button}`) }).click();
    await page.getByRole('status').filter({ hasText: 'Placed' }).waitFor();
  }
  await nav('Orders');
  for (const kind of ['oco', 'oto', 'scale']) await page.locator(`li.tree.kind-${kind}`).first().waitFor();
  assert.equal(await page.locator('li.tree.kind-scale li.leg').count(), 4);
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Cancel all' }).click();
  await page
    .getByTestId('open-count')
    .filter({ hasText: /^0 open$/ })
    .waitFor();
});

test('the views are usable from the keyboard alone', async () => {
  await page.goto(`${server.url}/#/overview`);
  await page.reload();
  await page.locator('[data-connection="live"]').waitFor();
  // Tab from the top: the skip link, then the navigation, each link reachable and activatable.
  await page.keyboard.press('Tab');
  assert.equal(await inPage(page, 'document.activeElement.textContent'), 'Skip to content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await inPage(page, 'document.activeElement.textContent'), 'Orders');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/orders$/);
  // Every form control on the ticket has an accessible name.
  await page.goto(`${server.url}/#/ticket`);
  for (const type of [
    'market',
    'limit',
    'stop',
    'stop_limit',
    'trailing_stop',
    'bracket',
    'oco',
    'oto',
    'scale',
  ]) {
    await page.getByLabel('Order type').selectOption(type);
    const unnamed = await inPage<string[]>(
      page,
      `[...document.querySelectorAll('input, select, button')].filter((el) => {
        const id = el.id;
        const label = (id && document.querySelector('label[for="' + id + '"]')) || el.closest('label');
        return !label && !el.getAttribute('aria-label') && !(el.tagName === 'BUTTON' && el.textContent.trim());
      }).map((el) => el.outerHTML.slice(0, 80))`,
    );
    assert.deepEqual(unnamed, [], `unlabelled controls for ${type}`);
  }
});
