// End to end over HTTP and WebSocket: a real server on 127.0.0.1 with a real SQLite journal. Every
// order type is placed with a POST, its events arrive on the stream, it is cancelled or fills;
// a stream client that disconnects resumes with `since` and gets exactly what it missed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StreamMessage } from '../src/api/contract.ts';
import { type Harness, StreamClient, startHarness } from './support/api-harness.ts';
import { until } from './support/until.ts';

const BTC = 'BTC/USD';

function orderMsgs(c: StreamClient, id: number): StreamMessage[] {
  return c.messages.filter((m) => (m.kind === 'order' || m.kind === 'fill') && m.order.id === id);
}

describe('the API places every order type and streams its events', () => {
  let h: Harness;
  let stream: StreamClient;

  before(async () => {
    h = await startHarness();
    h.feed.trade(45_000);
    stream = new StreamClient(h.url);
    await stream.open();
    await stream.waitFor((m) => m.kind === 'hello', 'hello');
  });
  after(async () => {
    await stream.close();
    await h.dispose();
  });

  it('a market order fills, and the fill, position and account arrive on the stream', async () => {
    const r = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'buy',
      type: 'market',
      quantity: '0.1',
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.order.id as number;
    assert.equal(r.json.order.status, 'filled');
    assert.equal(r.json.order.filled, '0.1000');
    const fill = await stream.waitFor((m) => m.kind === 'fill' && m.order.id === id, 'the fill');
    assert.ok(fill.kind === 'fill');
    assert.equal(fill.fill.quantity, '0.1000');
    assert.equal(typeof fill.fill.price, 'string');
    const pos = await stream.waitFor(
      (m) => m.kind === 'position' && m.position.symbol === BTC,
      'the position',
    );
    assert.ok(pos.kind === 'position');
    assert.equal(pos.position.qty, '0.1000');
    await stream.waitFor((m) => m.kind === 'account', 'the account');
    const positions = await h.call('GET', '/v1/positions');
    assert.equal(positions.json.positions[0].qty, '0.1000');
  });

  it('a limit order rests, is modified, then cancelled; each step is an event', async () => {
    const r = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'buy',
      type: 'limit',
      quantity: '0.2',
      price: '44000',
    });
    assert.equal(r.status, 201, r.text);
    const id = r.json.order.id as number;
    const m = await h.call('PATCH', `/v1/orders/${id}`, { price: '44100.5' });
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.order.price, '44100.50');
    const c = await h.call('DELETE', `/v1/orders/${id}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.order.status, 'cancelled');
    await until(
      () => orderMsgs(stream, id).some((x) => x.kind === 'order' && x.event.type === 'order_cancelled'),
      'the cancel on the stream',
    );
    const types = orderMsgs(stream, id).map((x) => (x.kind === 'order' ? x.event.type : x.kind));
    assert.deepEqual(types.slice(0, 1), ['order_created']);
    assert.ok(types.includes('order_modified'), types.join());
    // Cancelling again is a conflict, an unknown id is 404.
    assert.equal((await h.call('DELETE', `/v1/orders/${id}`)).status, 409);
    assert.equal((await h.call('DELETE', '/v1/orders/999999')).status, 404);
    assert.equal((await h.call('GET', '/v1/orders/abc')).status, 404);
  });

  it('stop, stop-limit and trailing stop are placed and held or working', async () => {
    const stop = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'sell',
      type: 'stop',
      quantity: '0.05',
      triggerPrice: '44000',
    });
    assert.equal(stop.status, 201, stop.text);
    const stopLimit = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'sell',
      type: 'stop_limit',
      quantity: '0.05',
      triggerPrice: '44000',
      price: '43990',
    });
    assert.equal(stopLimit.status, 201, stopLimit.text);
    const trailing = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'sell',
      type: 'trailing_stop',
      quantity: '0.05',
      trailing: { offsetType: 'price', offset: '100' },
    });
    assert.equal(trailing.status, 201, trailing.text);
    assert.equal(trailing.json.order.route, 'emulated');
    const tid = trailing.json.order.id as number;
    // The market rises: the trailing stop tightens, and the stream says so.
    h.feed.trade(45_050);
    await stream.waitFor(
      (m) =>
        m.kind === 'order' &&
        m.order.id === tid &&
        m.event.type === 'stop_moved' &&
        m.order.stopPrice === '44950.00',
      'the trailing stop moving to 44950',
    );
    for (const id of [stop.json.order.id, stopLimit.json.order.id, tid]) {
      const c = await h.call('DELETE', `/v1/orders/${id}`);
      assert.equal(c.status, 200, c.text);
      await stream.waitFor(
        (m) => m.kind === 'order' && m.order.id === id && m.event.type === 'order_cancelled',
        `the cancel of order ${id}`,
      );
      const types = orderMsgs(stream, id).map((x) => (x.kind === 'order' ? x.event.type : x.kind));
      assert.equal(types[0], 'order_created', `order ${id}: ${types.join()}`);
    }
  });

  it('bracket, OCO, OTO and scale are placed as trees and listed with their legs', async () => {
    const bracket = await h.call('POST', '/v1/orders/bracket', {
      symbol: BTC,
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'limit', price: '44900' },
      takeProfit: { percent: '1' },
      stopLoss: { price: '44500' },
    });
    assert.equal(bracket.status, 201, bracket.text);
    assert.deepEqual(
      bracket.json.list.orders.map((o: { role: string; price?: string; triggerPrice?: string }) => [
        o.role,
        o.price ?? o.triggerPrice,
      ]),
      [
        ['entry', '44900.00'],
        ['take_profit', '45349.00'],
        ['stop_loss', '44500.00'],
      ],
    );
    const oco = await h.call('POST', '/v1/orders/oco', {
      symbol: BTC,
      side: 'sell',
      quantity: '0.05',
      legs: [
        { type: 'limit', price: '46000' },
        { type: 'stop', triggerPrice: '44000' },
      ],
    });
    assert.equal(oco.status, 201, oco.text);
    const oto = await h.call('POST', '/v1/orders/oto', {
      parent: { symbol: BTC, side: 'buy', type: 'limit', quantity: '0.05', price: '44800' },
      children: [{ symbol: BTC, side: 'sell', type: 'limit', quantity: '0.05', price: '45800' }],
    });
    assert.equal(oto.status, 201, oto.text);
    const scale = await h.call('POST', '/v1/orders/scale', {
      symbol: BTC,
      side: 'buy',
      totalQuantity: '0.1',
      levels: 3,
      startPrice: '44700',
      step: '50',
    });
    assert.equal(scale.status, 201, scale.text);
    assert.deepEqual(
      scale.json.list.orders.map((o: { quantity: string; price: string }) => [o.price, o.quantity]),
      [
        ['44700.00', '0.0334'],
        ['44650.00', '0.0333'],
        ['44600.00', '0.0333'],
      ],
    );
    const ids = [bracket, oco, oto, scale].map((r) => r.json.list.listId as number);
    for (const id of ids)
      await stream.waitFor((m) => m.kind === 'list' && m.list.listId === id, `list ${id}`);
    const lists = await h.call('GET', '/v1/lists');
    assert.deepEqual(
      lists.json.lists.map((l: { kind: string }) => l.kind),
      ['scale', 'oto', 'oco', 'bracket'],
    );
    const one = await h.call('GET', `/v1/lists/${ids[0]}`);
    assert.equal(one.json.list.orders.length, 3);
    // Cancel the bracket as a whole, the rest with cancel-all.
    const c = await h.call('DELETE', `/v1/lists/${ids[0]}`);
    assert.equal(c.status, 200, c.text);
    assert.ok(c.json.list.orders.every((o: { status: string }) => o.status === 'cancelled'));
    const all = await h.call('POST', '/v1/orders/cancel-all', { symbol: BTC });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.json.failed, []);
    const open = await h.call('GET', '/v1/orders?status=open');
    assert.deepEqual(open.json.orders, []);
  });

  it('a bracket entry fills; the take-profit closes the round trip, in JSON and CSV', async () => {
    // Flatten what the first test bought, so the next trip starts flat.
    const flat = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'sell',
      type: 'market',
      quantity: '0.1',
    });
    assert.equal(flat.status, 201, flat.text);
    const bracket = await h.call('POST', '/v1/orders/bracket', {
      symbol: BTC,
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'market' },
      takeProfit: { price: '45200' },
      stopLoss: { price: '44800' },
    });
    assert.equal(bracket.status, 201, bracket.text);
    const tp = bracket.json.list.orders[1].id as number;
    h.feed.trade(45_250);
    await stream.waitFor((m) => m.kind === 'fill' && m.order.id === tp, 'the take-profit fill');
    const trips = await h.call('GET', '/v1/round-trips');
    assert.equal(trips.status, 200);
    assert.ok(trips.json.roundTrips.length >= 2);
    const last = trips.json.roundTrips.at(-1);
    assert.equal(last.side, 'long');
    assert.equal(last.priceExitAvg, '45200');
    const csv = await h.call('GET', '/v1/round-trips?format=csv');
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(csv.text.split('\r\n')[0]!, /^id,venue,symbol,side,quantity,entry_price,exit_price/);
    assert.equal(csv.text.trim().split('\r\n').length, trips.json.roundTrips.length + 1);
    const fills = await h.call('GET', '/v1/fills?symbol=BTC/USD');
    assert.ok(fills.json.fills.some((f: { orderId: number }) => f.orderId === tp));
    const account = await h.call('GET', '/v1/account');
    assert.equal(account.json.currency, 'USD');
    assert.match(account.json.equity, /^\d+(\.\d+)?$/);
    assert.match(account.json.realizedTotal, /^-?\d+(\.\d+)?$/);
  });

  it('explain, what-if and preview answer without placing anything', async () => {
    const before = (await h.call('GET', '/v1/orders?status=all')).json.orders.length;
    const spec = {
      symbol: BTC,
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'limit', price: '45000' },
      takeProfit: { percent: '2' },
      stopLoss: { percent: '1' },
    };
    const plan = await h.call('POST', '/v1/explain', { kind: 'bracket', spec });
    assert.equal(plan.status, 200, plan.text);
    assert.deepEqual(
      plan.json.plan.orders.map((o: { role: string }) => o.role),
      ['entry', 'take_profit', 'stop_loss'],
    );
    const whatIf = await h.call('POST', '/v1/risk/what-if', {
      kind: 'order',
      spec: { symbol: BTC, side: 'buy', type: 'market', quantity: '50' },
    });
    assert.equal(whatIf.status, 200, whatIf.text);
    assert.equal(whatIf.json.allowed, false);
    assert.equal(whatIf.json.checks[0].denials[0].code, 'quantity_exceeds_max');
    const preview = await h.call('POST', '/v1/preview', { kind: 'bracket', spec });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.json.levels, {
      entry: '45000.00',
      takeProfit: '45900.00',
      stopLoss: '44550.00',
    });
    assert.equal(preview.json.risk.allowed, true);
    const after = (await h.call('GET', '/v1/orders?status=all')).json.orders.length;
    assert.equal(after, before);
    // A placement risk refuses is a 422 naming the denial.
    const denied = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'buy',
      type: 'market',
      quantity: '50',
    });
    assert.equal(denied.status, 422, denied.text);
    assert.equal(denied.json.error.code, 'risk_denied');
  });

  it('venues, candles, quotes, equity, health and the API description answer', async () => {
    const venues = await h.call('GET', '/v1/venues');
    assert.equal(venues.json.venues[0].id, 'paper');
    assert.equal(venues.json.venues[0].capabilities.orderTypes.stop, 'native');
    const candles = await h.call('GET', '/v1/market/candles?symbol=BTC/USD&interval=1s');
    assert.equal(candles.status, 200, candles.text);
    assert.ok(candles.json.candles.length >= 1);
    assert.match(candles.json.candles.at(-1).close, /^\d+\.\d{2}$/);
    const bad = await h.call('GET', '/v1/market/candles?symbol=BTC/USD&interval=7m');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.issues[0].field, 'interval');
    const quotes = await h.call('GET', '/v1/market/quotes');
    assert.equal(quotes.json.quotes[0].symbol, BTC);
    assert.equal((await h.call('GET', '/v1/equity')).status, 200);
    const health = await h.call('GET', '/health', undefined, { auth: false });
    assert.equal(health.json.status, 'ok');
    const spec = await h.call('GET', '/openapi.json', undefined, { auth: false });
    assert.equal(spec.json.openapi, '3.1.0');
    assert.ok(spec.json.paths['/v1/orders/bracket'].post.requestBody);
    const docs = await h.call('GET', '/docs', undefined, { auth: false });
    assert.match(docs.text, /POST \/v1\/orders\/bracket/);
    const metrics = await h.call('GET', '/metrics');
    assert.match(metrics.text, /ordo_orders\{status="filled"\} [1-9]/);
    assert.match(metrics.text, /ordo_fills_total [1-9]/);
    assert.match(metrics.text, /ordo_rejections_total\{code="risk_denied",source="api"\} 1/);
    assert.match(metrics.text, /ordo_order_latency_seconds_bucket/);
    assert.match(metrics.text, /ordo_venue_connected\{venue="paper"\} 1/);
    assert.match(metrics.text, /ordo_journal_lag_events 0/);
  });
});

describe('the stream resumes after a disconnect', () => {
  it('a client reconnecting with since gets every event it missed, then live ones', async () => {
    const h = await startHarness();
    try {
      h.feed.trade(45_000);
      const first = new StreamClient(h.url);
      await first.open();
      const a = await h.call('POST', '/v1/orders', {
        symbol: BTC,
        side: 'buy',
        type: 'limit',
        quantity: '0.1',
        price: '44000',
      });
      await first.waitFor((m) => m.kind === 'order' && m.order.id === a.json.order.id, 'the first order');
      const since = first.lastEventSeq();
      await first.close();
      // Missed while disconnected: an OCO and a cancel.
      const oco = await h.call('POST', '/v1/orders/oco', {
        symbol: BTC,
        side: 'buy',
        quantity: '0.05',
        legs: [
          { type: 'limit', price: '44100' },
          { type: 'stop', triggerPrice: '46000' },
        ],
      });
      assert.equal(oco.status, 201, oco.text);
      assert.equal((await h.call('DELETE', `/v1/orders/${a.json.order.id}`)).status, 200);
      const second = new StreamClient(h.url, `?since=${since}`);
      await second.open();
      await second.waitFor(
        (m) => m.kind === 'order' && m.order.id === a.json.order.id && m.event.type === 'order_cancelled',
        'the missed cancel',
      );
      const hello = second.messages[0]!;
      assert.equal(hello.kind, 'hello');
      assert.equal(hello.kind === 'hello' && hello.resumedFrom, since);
      const replayed = second.messages.filter(
        (m) => m.kind === 'order' || m.kind === 'list' || m.kind === 'fill',
      );
      // Nothing at or before `since`, nothing twice, in order, and the OCO's list is there.
      assert.ok(replayed.every((m) => m.seq > since));
      const seqs = replayed.map((m) => m.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => x - y),
      );
      assert.ok(replayed.some((m) => m.kind === 'list' && m.list.listId === oco.json.list.listId));
      // Every event the server journaled since `since` is covered.
      const health = await h.call('GET', '/health', undefined, { auth: false });
      assert.equal(Math.max(...seqs), health.json.seq);
      // Then live.
      const b = await h.call('POST', '/v1/orders', {
        symbol: BTC,
        side: 'buy',
        type: 'limit',
        quantity: '0.1',
        price: '43000',
      });
      await second.waitFor(
        (m) => m.kind === 'order' && m.order.id === b.json.order.id,
        'a live order after the replay',
      );
      await second.close();
    } finally {
      await h.dispose();
    }
  });

  it('resumes from the journal after a server restart, and refuses a since from the future', async () => {
    const h = await startHarness();
    const dataDir = h.dataDir;
    h.feed.trade(45_000);
    const placed = await h.call('POST', '/v1/orders', {
      symbol: BTC,
      side: 'buy',
      type: 'limit',
      quantity: '0.1',
      price: '44000',
    });
    assert.equal(placed.status, 201);
    await h.close();
    const h2 = await startHarness({ dataDir });
    try {
      const c = new StreamClient(h2.url, '?since=0');
      await c.open();
      await c.waitFor(
        (m) => m.kind === 'order' && m.order.id === placed.json.order.id && m.event.type === 'order_created',
        'the order created before the restart',
      );
      await c.close();
      const future = new StreamClient(h2.url, '?since=999999');
      await future.open();
      await future.waitFor((m) => m.kind === 'reset', 'a reset');
      await future.close();
    } finally {
      await h2.dispose();
    }
  });
});
