// Binance's conditional semantics in the fake: stop and take-profit triggers on the last trade,
// trailing stops, OCO (a fill of one leg, or a trigger, expires the other), OTO / OTOCO (pending
// legs placed when the working order fills), list cancel and query, and OCO validation errors.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FakeBinanceOptions } from './fake-binance.ts';
import { type Harness, rest, startFake, userStream } from './fake-test-kit.ts';

async function withFake(fn: (h: Harness) => Promise<void>, options?: FakeBinanceOptions): Promise<void> {
  const h = await startFake(options);
  try {
    await fn(h);
  } finally {
    await h.fake.stop();
  }
}

function market(h: Harness, last = '60000'): void {
  h.fake.feedTrade('BTCUSDT', last, '0.1');
  h.fake.feedQuote('BTCUSDT', '59999', '1', '60001', '1');
}

const sellOco = (extra: Record<string, string> = {}) => ({
  symbol: 'BTCUSDT',
  side: 'SELL',
  quantity: '0.01',
  aboveType: 'LIMIT_MAKER',
  abovePrice: '61000',
  aboveClientOrderId: 'tp',
  belowType: 'STOP_LOSS_LIMIT',
  belowStopPrice: '59000',
  belowPrice: '58900',
  belowTimeInForce: 'GTC',
  belowClientOrderId: 'sl',
  listClientOrderId: 'oco-1',
  ...extra,
});

const status = async (h: Harness, cid: string) =>
  (await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: cid })).body.status;

// biome-ignore lint/suspicious/noExplicitAny: events are inspected freely
const summary = (frames: any[]) =>
  frames
    .map((f) => f.event)
    .filter((e) => e.e !== 'outboundAccountPosition')
    .map((e) => (e.e === 'executionReport' ? `${e.c}:${e.x}/${e.X}` : `list:${e.l}/${e.L}`));

describe('fake Binance order lists and conditional orders', () => {
  test('OCO: a fill of the limit-maker leg expires the stop leg', () =>
    withFake(async (h) => {
      market(h);
      const c = await userStream(h);
      const placed = await rest(h, 'POST', '/api/v3/orderList/oco', sellOco());
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      assert.equal(placed.body.orderListId, 0);
      assert.equal(placed.body.contingencyType, 'OCO');
      assert.equal(placed.body.listStatusType, 'EXEC_STARTED');
      assert.equal(placed.body.listOrderStatus, 'EXECUTING');
      assert.deepEqual(
        placed.body.orders.map((o: { clientOrderId: string }) => o.clientOrderId),
        ['sl', 'tp'],
      );
      const [sl, tp] = placed.body.orderReports;
      assert.equal(sl.type, 'STOP_LOSS_LIMIT');
      assert.equal(sl.stopPrice, '59000.00000000');
      assert.equal(sl.workingTime, -1);
      assert.equal(tp.type, 'LIMIT_MAKER');
      assert.equal(tp.workingTime, h.clock.now());
      assert.deepEqual(
        h.fake.balances().BTC,
        { free: '1.99000000', locked: '0.01000000' },
        'quantity locked once',
      );
      h.clock.advance(1000);
      h.fake.feedTrade('BTCUSDT', '61000.01', '1');
      await c.waitFor((f) => f.event?.e === 'listStatus' && f.event.L === 'ALL_DONE');
      assert.deepEqual(summary(c.takeEvents()), [
        'sl:NEW/NEW',
        'tp:NEW/NEW',
        'list:EXEC_STARTED/EXECUTING',
        'tp:TRADE/FILLED',
        'sl:EXPIRED/EXPIRED',
        'list:ALL_DONE/ALL_DONE',
      ]);
      assert.equal(await status(h, 'sl'), 'EXPIRED');
      assert.equal(await status(h, 'tp'), 'FILLED');
      assert.deepEqual(h.fake.balances().BTC, { free: '1.99000000', locked: '0.00000000' });
      const list = await rest(h, 'GET', '/api/v3/orderList', { orderListId: '0' });
      assert.equal(list.body.listOrderStatus, 'ALL_DONE');
      assert.equal(list.body.listClientOrderId, 'oco-1');
      await c.close();
    }));

  test('OCO: a trade through the stop triggers it and expires the limit-maker leg', () =>
    withFake(async (h) => {
      market(h);
      const c = await userStream(h);
      await rest(h, 'POST', '/api/v3/orderList/oco', sellOco());
      h.fake.feedQuote('BTCUSDT', '58950', '1', '59000', '1');
      h.fake.feedTrade('BTCUSDT', '58999', '0.5');
      await c.waitFor((f) => f.event?.x === 'TRADE');
      assert.deepEqual(summary(c.takeEvents()), [
        'sl:NEW/NEW',
        'tp:NEW/NEW',
        'list:EXEC_STARTED/EXECUTING',
        'tp:EXPIRED/EXPIRED',
        'list:ALL_DONE/ALL_DONE',
        'sl:TRADE/FILLED',
      ]);
      const sl = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'sl' });
      assert.equal(sl.body.status, 'FILLED');
      assert.equal(sl.body.executedQty, '0.01000000');
      assert.equal(sl.body.cummulativeQuoteQty, '589.50000000', 'the released limit sold at the bid, 58950');
      assert.equal(sl.body.isWorking, true);
      await c.close();
    }));

  test('OCO validation: leg placement per side and price relationship', () =>
    withFake(async (h) => {
      market(h);
      const post = async (p: Record<string, string>) =>
        (await rest(h, 'POST', '/api/v3/orderList/oco', p)).body;
      assert.deepEqual(
        await post(sellOco({ aboveType: 'STOP_LOSS', aboveStopPrice: '61000', abovePrice: '' })),
        {
          code: -1105,
          msg: "Parameter 'abovePrice' was empty.",
        },
      );
      const swapped = {
        ...sellOco(),
        aboveType: 'STOP_LOSS_LIMIT',
        aboveStopPrice: '61000',
        abovePrice: '61100',
        aboveTimeInForce: 'GTC',
        belowType: 'LIMIT_MAKER',
        belowPrice: '59000',
      } as Record<string, string>;
      delete swapped.belowStopPrice;
      delete swapped.belowTimeInForce;
      assert.deepEqual(await post(swapped), {
        code: -1197,
        msg: 'A stop loss order in a sell OCO must be below.',
      });
      assert.deepEqual(await post(sellOco({ side: 'BUY' })), {
        code: -1165,
        msg: 'A limit order in a buy OCO must be below.',
      });
      assert.deepEqual(await post(sellOco({ aboveType: 'LIMIT' })), {
        code: -1158,
        msg: 'Order type not supported in OCO.',
      });
      assert.deepEqual(await post(sellOco({ belowStopPrice: '60500', belowPrice: '60400' })), {
        code: -2010,
        msg: 'The relationship of the prices for the orders is not correct.',
      });
      assert.equal(h.fake.orders().length, 0);
    }));

  test('cancel: DELETE orderList, or DELETE order on one leg, cancels the whole list', () =>
    withFake(async (h) => {
      market(h);
      await rest(h, 'POST', '/api/v3/orderList/oco', sellOco());
      const byList = await rest(h, 'DELETE', '/api/v3/orderList', {
        symbol: 'BTCUSDT',
        listClientOrderId: 'oco-1',
        newClientOrderId: 'kill-1',
      });
      assert.equal(byList.status, 200, JSON.stringify(byList.body));
      assert.equal(byList.body.listStatusType, 'ALL_DONE');
      assert.deepEqual(
        byList.body.orderReports.map(
          (r: { clientOrderId: string; origClientOrderId: string; status: string }) => [
            r.origClientOrderId,
            r.clientOrderId,
            r.status,
          ],
        ),
        [
          ['sl', 'kill-1', 'CANCELED'],
          ['tp', 'kill-1', 'CANCELED'],
        ],
      );
      assert.deepEqual(h.fake.balances().BTC, { free: '2.00000000', locked: '0.00000000' });
      await rest(h, 'POST', '/api/v3/orderList/oco', sellOco({ listClientOrderId: 'oco-2' }));
      const byLeg = await rest(h, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'tp' });
      assert.equal(byLeg.body.contingencyType, 'OCO');
      assert.equal(byLeg.body.orderReports.length, 2);
      assert.equal((await rest(h, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body.length, 0);
    }));

  test('OTO: the pending leg is placed when the working order fills', () =>
    withFake(async (h) => {
      market(h);
      const c = await userStream(h);
      const placed = await rest(h, 'POST', '/api/v3/orderList/oto', {
        symbol: 'BTCUSDT',
        workingType: 'LIMIT',
        workingSide: 'BUY',
        workingPrice: '59000',
        workingQuantity: '0.01',
        workingTimeInForce: 'GTC',
        workingClientOrderId: 'entry',
        pendingType: 'LIMIT',
        pendingSide: 'SELL',
        pendingPrice: '61000',
        pendingQuantity: '0.01',
        pendingTimeInForce: 'GTC',
        pendingClientOrderId: 'exit',
      });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      assert.equal(placed.body.contingencyType, 'OTO');
      assert.deepEqual(
        placed.body.orderReports.map((r: { status: string; workingTime: number }) => [
          r.status,
          r.workingTime,
        ]),
        [
          ['NEW', h.clock.now()],
          ['PENDING_NEW', -1],
        ],
      );
      h.fake.feedTrade('BTCUSDT', '58999', '1');
      assert.equal(await status(h, 'entry'), 'FILLED');
      assert.equal(await status(h, 'exit'), 'NEW');
      h.fake.feedTrade('BTCUSDT', '61001', '1');
      assert.equal(await status(h, 'exit'), 'FILLED');
      await c.waitFor((f) => f.event?.L === 'ALL_DONE');
      assert.deepEqual(summary(c.takeEvents()), [
        'entry:NEW/NEW',
        'exit:NEW/PENDING_NEW',
        'list:EXEC_STARTED/EXECUTING',
        'entry:TRADE/FILLED',
        'exit:NEW/NEW',
        'list:EXEC_STARTED/EXECUTING',
        'exit:TRADE/FILLED',
        'list:ALL_DONE/ALL_DONE',
      ]);
      await c.close();
    }));

  test('OTO whose working order fills at once still answers PENDING_NEW for the pending leg', () =>
    withFake(async (h) => {
      market(h);
      const placed = await rest(h, 'POST', '/api/v3/orderList/oto', {
        symbol: 'BTCUSDT',
        workingType: 'LIMIT',
        workingSide: 'BUY',
        workingPrice: '60001',
        workingQuantity: '0.01',
        workingTimeInForce: 'GTC',
        pendingType: 'STOP_LOSS',
        pendingSide: 'SELL',
        pendingStopPrice: '55000',
        pendingQuantity: '0.01',
        pendingClientOrderId: 'protect',
      });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      assert.equal(placed.body.orderReports[0].status, 'FILLED');
      assert.equal(placed.body.orderReports[1].status, 'PENDING_NEW');
      assert.equal(await status(h, 'protect'), 'NEW');
      assert.deepEqual(h.fake.balances().BTC, { free: '2.00000000', locked: '0.01000000' });
    }));

  test('OTOCO: working fill places an OCO pair; the stop leg triggers as a market order', () =>
    withFake(async (h) => {
      market(h);
      const placed = await rest(h, 'POST', '/api/v3/orderList/otoco', {
        symbol: 'BTCUSDT',
        workingType: 'LIMIT',
        workingSide: 'BUY',
        workingPrice: '59500',
        workingQuantity: '0.01',
        workingTimeInForce: 'GTC',
        pendingSide: 'SELL',
        pendingQuantity: '0.01',
        pendingAboveType: 'LIMIT_MAKER',
        pendingAbovePrice: '62000',
        pendingAboveClientOrderId: 'tp',
        pendingBelowType: 'STOP_LOSS',
        pendingBelowStopPrice: '57000',
        pendingBelowClientOrderId: 'sl',
      });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      assert.equal(placed.body.contingencyType, 'OTO');
      assert.equal(placed.body.orders.length, 3);
      h.fake.feedTrade('BTCUSDT', '59499', '1');
      assert.equal(await status(h, 'tp'), 'NEW');
      assert.equal(await status(h, 'sl'), 'NEW');
      h.fake.feedQuote('BTCUSDT', '56900', '1', '57000', '1');
      h.fake.feedTrade('BTCUSDT', '56999', '1');
      assert.equal(await status(h, 'sl'), 'FILLED');
      assert.equal(await status(h, 'tp'), 'EXPIRED');
      const list = await rest(h, 'GET', '/api/v3/orderList', { orderListId: '0' });
      assert.equal(list.body.listOrderStatus, 'ALL_DONE');
    }));

  test('stop-loss limit triggers on the last trade; trailing stop follows the high', () =>
    withFake(async (h) => {
      market(h);
      await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'STOP_LOSS_LIMIT',
        timeInForce: 'GTC',
        quantity: '0.01',
        stopPrice: '60500',
        price: '60600',
        newClientOrderId: 'breakout',
      });
      const trailing = await rest(h, 'POST', '/api/v3/order', {
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_LOSS',
        quantity: '0.01',
        trailingDelta: '100',
        newClientOrderId: 'trail',
        newOrderRespType: 'RESULT',
      });
      assert.equal(trailing.body.trailingDelta, 100);
      assert.equal(trailing.body.trailingTime, h.clock.now(), 'no stopPrice: tracking starts at once');
      assert.equal(trailing.body.workingTime, -1);
      h.fake.feedTrade('BTCUSDT', '60499', '1');
      assert.equal(await status(h, 'breakout'), 'NEW');
      h.fake.feedQuote('BTCUSDT', '60500', '1', '60550', '1');
      h.fake.feedTrade('BTCUSDT', '60500', '1');
      const b = await rest(h, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'breakout' });
      assert.equal(b.body.status, 'FILLED', 'triggered at 60500 and bought at the ask 60550');
      assert.equal(b.body.cummulativeQuoteQty, '605.50000000');
      h.fake.feedTrade('BTCUSDT', '61000', '1');
      h.fake.feedTrade('BTCUSDT', '60391', '1');
      assert.equal(await status(h, 'trail'), 'NEW', '60391 is less than 1 % below 61000');
      h.fake.feedTrade('BTCUSDT', '60390', '1');
      assert.equal(await status(h, 'trail'), 'FILLED', '60390 = 61000 × 0.99');
    }));
});
