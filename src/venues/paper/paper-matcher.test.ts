// Scenario and property tests of the paper matcher: each rule in the contract at the top of
// paper-matcher.ts has a step table here (submit, tick, expect reports and balances), and fast-check
// drives random command and market sequences to check that balances are conserved, locks match
// open orders, fills never exceed an order or the size the market showed, and that the same inputs
// give byte-identical reports.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseUnits } from '../../core/decimal.ts';
import { unwrap } from '../../core/errors.ts';
import type { VenueOrderRequest, VenueReport } from '../../engine/venue-port.ts';
import { defineInstrument, MONEY_SCALE, notionalOf } from '../../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, TradeTick } from '../../model/market.ts';
import { DAY_MS, PaperMatcher, type PaperMatcherOptions } from './paper-matcher.ts';

// ---- fixtures: BTC/USD, 0.05 % maker, 0.1 % taker -------------------------------------------

const BTC = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.01',
    qtyIncrement: '0.001',
    feeMaker: '0.0005',
    feeTaker: '0.001',
  }),
);
const KEY = BTC.key;

/** Money units from a decimal string. */
function usd(text: string): bigint {
  const v = parseUnits(text, MONEY_SCALE);
  if (v === undefined) throw new Error(`bad money ${text}`);
  return v;
}

/** Price units of BTC/USD from a decimal string. */
function px(text: string): number {
  const v = parseUnits(text, BTC.priceScale);
  if (v === undefined) throw new Error(`bad price ${text}`);
  return Number(v);
}

/** Quantity units of BTC/USD from a decimal string. */
function qty(text: string): number {
  const v = parseUnits(text, BTC.qtyScale);
  if (v === undefined) throw new Error(`bad quantity ${text}`);
  return Number(v);
}

function makeMatcher(options: Partial<PaperMatcherOptions> = {}): PaperMatcher {
  return new PaperMatcher({
    venue: 'paper',
    instruments: [BTC],
    balances: { USD: '10000' },
    slippage: { kind: 'none' },
    touchFills: false,
    latencyMs: 0,
    allowShort: false,
    tradeIdPrefix: 'T',
    ...options,
  });
}

function order(fields: Partial<VenueOrderRequest> & { clientOrderId: string }): VenueOrderRequest {
  return {
    instrument: KEY,
    side: 'buy',
    type: 'market',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: qty('1'),
    price: undefined,
    triggerPrice: undefined,
    trailing: undefined,
    postOnly: false,
    reduceOnly: false,
    ...fields,
  };
}

function limit(
  clientOrderId: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fields: Partial<VenueOrderRequest> = {},
): VenueOrderRequest {
  return order({ clientOrderId, side, type: 'limit', quantity: qty(quantity), price: px(price), ...fields });
}

function market(
  clientOrderId: string,
  side: 'buy' | 'sell',
  quantity: string,
  fields: Partial<VenueOrderRequest> = {},
): VenueOrderRequest {
  return order({ clientOrderId, side, quantity: qty(quantity), ...fields });
}

function quote(ts: number, bid: string, bidSize: string, ask: string, askSize: string): QuoteTick {
  return {
    kind: 'quote',
    instrument: KEY,
    ts,
    bid: px(bid),
    bidSize: qty(bidSize),
    ask: px(ask),
    askSize: qty(askSize),
  };
}

function trade(ts: number, price: string, size: string): TradeTick {
  return {
    kind: 'trade',
    instrument: KEY,
    ts,
    price: px(price),
    size: qty(size),
    aggressor: undefined,
    tradeId: undefined,
  };
}

function bar(ts: number, o: string, h: string, l: string, c: string, volume: string): Bar {
  return {
    kind: 'bar',
    instrument: KEY,
    ts,
    open: px(o),
    high: px(h),
    low: px(l),
    close: px(c),
    volume: qty(volume),
    durationMs: 60_000,
  };
}

/** Reports reduced to their kinds, for checking sequences at a glance. */
function kinds(reports: readonly VenueReport[]): string[] {
  return reports.map((r) => (r.kind === 'rejected' ? `rejected:${r.code}` : r.kind));
}

function fills(reports: readonly VenueReport[]): Extract<VenueReport, { kind: 'fill' }>[] {
  return reports.filter((r): r is Extract<VenueReport, { kind: 'fill' }> => r.kind === 'fill');
}

function balanceOf(m: PaperMatcher, currency: string): { total: bigint; locked: bigint } {
  const b = m.balance(currency);
  return { total: b.total, locked: b.locked };
}

// ---- market orders ------------------------------------------------------------------------------

describe('market orders', () => {
  test('a market buy fills at the ask with a 0.1 % taker fee and moves balances exactly', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.99', '5', '100.00', '5'));
    m.submit(market('a', 'buy', '1'), 2);
    assert.deepEqual(m.drainReports(), [
      { kind: 'accepted', clientOrderId: 'a', venueOrderId: 'paper-1', ts: 2 },
      {
        kind: 'fill',
        clientOrderId: 'a',
        tradeId: 'T1',
        price: px('100.00'),
        quantity: qty('1'),
        fee: usd('0.1'),
        feeCurrency: 'USD',
        liquidity: 'taker',
        ts: 2,
      },
    ]);
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('9899.9'), locked: 0n });
    assert.deepEqual(balanceOf(m, 'BTC'), { total: usd('1'), locked: 0n });
    assert.deepEqual(m.openOrders(), []);
  });

  test('a market sell fills at the bid and the fee comes out of the proceeds', () => {
    const m = makeMatcher({ balances: { USD: '0', BTC: '2' } });
    m.onMarket(quote(1, '99.99', '5', '100.00', '5'));
    m.submit(market('s', 'sell', '1.5'), 2);
    const [f] = fills(m.drainReports());
    assert.equal(f?.price, px('99.99'));
    assert.equal(f?.fee, usd('0.149985'));
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('149.835015'), locked: 0n });
    assert.deepEqual(balanceOf(m, 'BTC'), { total: usd('0.5'), locked: 0n });
  });

  test('a smaller displayed size fills partly; the remainder fills on the next quote', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.99', '5', '100.00', '0.4'));
    m.submit(market('a', 'buy', '1'), 2);
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.price, f.quantity, f.ts]),
      [[px('100.00'), qty('0.4'), 2]],
    );
    assert.equal(m.openOrders()[0]?.filled, qty('0.4'));
    m.onMarket(quote(3, '100.50', '5', '101.00', '2'));
    const later = fills(m.drainReports());
    assert.deepEqual(
      later.map((f) => [f.price, f.quantity, f.ts, f.liquidity]),
      [[px('101.00'), qty('0.6'), 3, 'taker']],
    );
    assert.deepEqual(m.openOrders(), []);
    // 40 + 0.04 fee, then 60.6 + 0.0606 fee.
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('9899.2994'), locked: 0n });
  });

  test('an IOC remainder is cancelled and its lock released', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.99', '5', '100.00', '0.4'));
    m.submit(market('a', 'buy', '1', { tif: 'ioc' }), 2);
    const reports = m.drainReports();
    assert.deepEqual(kinds(reports), ['accepted', 'fill', 'cancelled']);
    assert.deepEqual(reports[2], { kind: 'cancelled', clientOrderId: 'a', reason: 'ioc_remainder', ts: 2 });
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('9959.96'), locked: 0n });
  });

  test('FOK is rejected when the displayed size cannot fill it all, and fills when it can', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.99', '5', '100.00', '0.4'));
    m.submit(market('a', 'buy', '1', { tif: 'fok' }), 2);
    assert.deepEqual(kinds(m.drainReports()), ['rejected:fok_unfillable']);
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('10000'), locked: 0n });
    m.submit(market('b', 'buy', '0.4', { tif: 'fok' }), 3);
    assert.deepEqual(kinds(m.drainReports()), ['accepted', 'fill']);
    m.submit(limit('c', 'buy', '1', '99.00', { tif: 'fok' }), 4);
    assert.deepEqual(kinds(m.drainReports()), ['rejected:fok_unfillable']);
  });

  test('with no quote a market order fills at the last trade with unlimited size; with neither it is rejected', () => {
    const m = makeMatcher();
    m.submit(market('a', 'buy', '1'), 1);
    assert.deepEqual(kinds(m.drainReports()), ['rejected:no_market']);
    m.onMarket(trade(2, '100.00', '0.001'));
    m.submit(market('b', 'buy', '50'), 3);
    const f = fills(m.drainReports());
    assert.deepEqual(
      f.map((x) => [x.price, x.quantity]),
      [[px('100.00'), qty('50')]],
    );
  });

  test('a market remainder that the cash no longer covers fills what it can and is cancelled', () => {
    const m = makeMatcher({ balances: { USD: '101' } });
    m.onMarket(quote(1, '99.99', '5', '100.00', '0.5'));
    m.submit(market('a', 'buy', '1'), 2);
    m.drainReports();
    m.onMarket(quote(3, '109.99', '5', '110.00', '5'));
    const reports = m.drainReports();
    assert.deepEqual(kinds(reports), ['fill', 'cancelled']);
    assert.equal(fills(reports)[0]?.quantity, qty('0.462'));
    assert.deepEqual(reports[1], {
      kind: 'cancelled',
      clientOrderId: 'a',
      reason: 'insufficient_balance',
      ts: 3,
    });
    // 101 − 50.05 − (50.82 + 0.05082)
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('0.07918'), locked: 0n });
    assert.ok(m.balance('USD').available >= 0n);
  });
});

// ---- limit orders -------------------------------------------------------------------------------

describe('limit orders', () => {
  test('a resting buy fills at its limit when a trade prints through it, not when it only touches', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    assert.deepEqual(kinds(m.drainReports()), ['accepted']);
    m.onMarket(trade(3, '99.00', '5'));
    assert.deepEqual(m.drainReports(), []);
    m.onMarket(trade(4, '98.99', '0.3'));
    const [f] = fills(m.drainReports());
    assert.deepEqual(
      [f?.price, f?.quantity, f?.liquidity, f?.fee, f?.ts],
      [px('99.00'), qty('0.3'), 'maker', usd('0.01485'), 4],
    );
    assert.equal(m.openOrders()[0]?.filled, qty('0.3'));
  });

  test('with touchFills a trade at the limit fills it', () => {
    const m = makeMatcher({ touchFills: true });
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    m.onMarket(trade(3, '99.00', '5'));
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.price, f.quantity, f.liquidity]),
      [[px('99.00'), qty('1'), 'maker']],
    );
  });

  test('a quote moving through a resting sell fills it at its limit, limited by the bid size', () => {
    const m = makeMatcher({ balances: { USD: '0', BTC: '1' } });
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(limit('s', 'sell', '1', '101.00'), 2);
    m.onMarket(quote(3, '101.00', '5', '101.50', '5'));
    assert.deepEqual(m.drainReports().slice(1), []);
    m.onMarket(quote(4, '101.20', '0.25', '101.50', '5'));
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.price, f.quantity, f.liquidity]),
      [[px('101.00'), qty('0.25'), 'maker']],
    );
    assert.deepEqual(m.quote(KEY)?.bidSizeLeft, 0);
    assert.deepEqual(balanceOf(m, 'BTC'), { total: usd('0.75'), locked: usd('0.75') });
  });

  test('a marketable limit fills as taker at the quote (price improvement), a resting one as maker', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '0.5'));
    m.submit(limit('a', 'buy', '1', '101.00'), 2);
    const taker = fills(m.drainReports());
    assert.deepEqual(
      taker.map((f) => [f.price, f.quantity, f.liquidity, f.fee]),
      [[px('100.00'), qty('0.5'), 'taker', usd('0.05')]],
    );
    // The remainder rests at 101 and is a maker when the next ask comes in below it.
    m.onMarket(quote(3, '99.50', '5', '100.50', '5'));
    const maker = fills(m.drainReports());
    assert.deepEqual(
      maker.map((f) => [f.price, f.quantity, f.liquidity, f.fee]),
      [[px('101.00'), qty('0.5'), 'maker', usd('0.02525')]],
    );
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('9899.42475'), locked: 0n });
  });

  test('a post-only order that would cross is rejected; one that rests is accepted', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '100.00', { postOnly: true }), 2);
    m.submit(limit('b', 'buy', '1', '99.99', { postOnly: true }), 2);
    assert.deepEqual(kinds(m.drainReports()), ['rejected:post_only_would_cross', 'accepted']);
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('10000'), locked: usd('100.08999') });
  });

  test('displayed size is shared: better prices first, then arrival order, never taken twice', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '97.00', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    m.submit(limit('b', 'buy', '1', '99.50'), 3);
    m.submit(limit('c', 'buy', '1', '99.50'), 4);
    m.drainReports();
    m.onMarket(quote(5, '97.00', '5', '98.00', '1.5'));
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.clientOrderId, f.price, f.quantity]),
      [
        ['b', px('99.50'), qty('1')],
        ['c', px('99.50'), qty('0.5')],
      ],
    );
    // Nothing is left at the ask, so a market buy now waits for the next quote.
    m.submit(market('d', 'buy', '0.1'), 6);
    assert.deepEqual(kinds(m.drainReports()), ['accepted']);
    m.onMarket(quote(7, '97.00', '5', '98.00', '1'));
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.clientOrderId, f.price, f.quantity, f.liquidity]),
      [
        ['d', px('98.00'), qty('0.1'), 'taker'],
        ['c', px('99.50'), qty('0.5'), 'maker'],
        ['a', px('99.00'), qty('0.4'), 'maker'],
      ],
    );
  });

  test('two market orders between quotes do not both take the same displayed size', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '1'));
    m.submit(market('a', 'buy', '0.7'), 2);
    m.submit(market('b', 'buy', '0.7'), 3);
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.clientOrderId, f.quantity]),
      [
        ['a', qty('0.7')],
        ['b', qty('0.3')],
      ],
    );
  });

  test('a bar is walked O→L→H→C when bullish, its volume shared per side', () => {
    const m = makeMatcher({ balances: { USD: '10000', BTC: '1' } });
    m.submit(limit('a', 'buy', '1', '99.00'), 1);
    m.submit(limit('b', 'buy', '1', '98.50'), 1);
    m.submit(limit('s', 'sell', '1', '102.50'), 1);
    m.drainReports();
    m.onMarket(bar(60_000, '100.00', '103.00', '98.00', '102.00', '1.5'));
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.clientOrderId, f.price, f.quantity, f.ts]),
      [
        ['a', px('99.00'), qty('1'), 60_000],
        ['b', px('98.50'), qty('0.5'), 60_000],
        ['s', px('102.50'), qty('1'), 60_000],
      ],
    );
    assert.equal(m.lastPrice(KEY), px('102.00'));
  });
});

// ---- balances, time and commands ----------------------------------------------------------------

describe('balances, time and commands', () => {
  test('insufficient cash or asset is rejected before acceptance with no balance change', () => {
    const m = makeMatcher({ balances: { USD: '50' } });
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    const before = [...m.balances()];
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    m.submit(market('b', 'buy', '1'), 2);
    m.submit(limit('c', 'sell', '1', '101.00'), 2);
    assert.deepEqual(kinds(m.drainReports()), [
      'rejected:insufficient_balance',
      'rejected:insufficient_balance',
      'rejected:insufficient_position',
    ]);
    assert.deepEqual([...m.balances()], before);
  });

  test('allowShort lets a sell go below zero base', () => {
    const m = makeMatcher({ allowShort: true });
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(market('a', 'sell', '1'), 2);
    assert.deepEqual(kinds(m.drainReports()), ['accepted', 'fill']);
    assert.deepEqual(balanceOf(m, 'BTC'), { total: usd('-1'), locked: 0n });
  });

  test('cancel releases the locked cash; a second cancel is rejected', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    // 99 notional + 0.1 % fee at the larger of the two rates.
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('10000'), locked: usd('99.099') });
    m.cancel('a', 3);
    m.cancel('a', 4);
    m.cancel('zzz', 5);
    assert.deepEqual(m.drainReports().slice(1), [
      { kind: 'cancelled', clientOrderId: 'a', reason: 'user', ts: 3 },
      { kind: 'cancel_rejected', clientOrderId: 'a', reason: 'order_closed', ts: 4 },
      { kind: 'cancel_rejected', clientOrderId: 'zzz', reason: 'unknown_order', ts: 5 },
    ]);
    assert.deepEqual(balanceOf(m, 'USD'), { total: usd('10000'), locked: 0n });
  });

  test('latency delays a command to the quote in force when it arrives', () => {
    const m = makeMatcher({ latencyMs: 100 });
    m.onMarket(quote(0, '99.50', '5', '100.00', '5'));
    m.submit(market('a', 'buy', '1'), 0);
    m.onMarket(quote(60, '100.50', '5', '101.00', '5'));
    assert.deepEqual(m.drainReports(), []);
    m.onMarket(quote(150, '101.50', '5', '102.00', '5'));
    const reports = m.drainReports();
    assert.deepEqual(kinds(reports), ['accepted', 'fill']);
    assert.deepEqual(
      [reports[0]?.ts, fills(reports)[0]?.price, fills(reports)[0]?.ts],
      [100, px('101.00'), 100],
    );
  });

  test('advanceTo delivers a delayed command', () => {
    const m = makeMatcher({ latencyMs: 100 });
    m.onMarket(quote(0, '99.50', '5', '100.00', '5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 10);
    m.advanceTo(109);
    assert.deepEqual(m.drainReports(), []);
    m.advanceTo(110);
    assert.deepEqual(kinds(m.drainReports()), ['accepted']);
  });

  test('DAY orders expire at the end of their UTC day, GTD at expireAtMs, before later market data', () => {
    const day = Date.UTC(2024, 0, 2);
    const m = makeMatcher();
    m.onMarket(quote(day + 1000, '99.50', '5', '100.00', '5'));
    m.submit(limit('d', 'buy', '1', '99.00', { tif: 'day' }), day + 36_000_000);
    m.submit(limit('g', 'buy', '1', '99.00', { tif: 'gtd', expireAtMs: day + 40_000_000 }), day + 36_000_000);
    m.drainReports();
    m.advanceTo(day + 39_999_999);
    assert.deepEqual(m.drainReports(), []);
    // The quote would fill the GTD order, but it expired first.
    m.onMarket(quote(day + 50_000_000, '97.50', '5', '98.00', '0.5'));
    assert.deepEqual(m.drainReports(), [
      { kind: 'expired', clientOrderId: 'g', ts: day + 40_000_000 },
      {
        kind: 'fill',
        clientOrderId: 'd',
        tradeId: 'T1',
        price: px('99.00'),
        quantity: qty('0.5'),
        fee: usd('0.02475'),
        feeCurrency: 'USD',
        liquidity: 'maker',
        ts: day + 50_000_000,
      },
    ]);
    m.advanceTo(day + DAY_MS - 1);
    assert.deepEqual(m.drainReports(), []);
    m.advanceTo(day + DAY_MS + 5);
    assert.deepEqual(m.drainReports(), [{ kind: 'expired', clientOrderId: 'd', ts: day + DAY_MS }]);
    assert.deepEqual(balanceOf(m, 'USD').locked, 0n);
    m.submit(limit('late', 'buy', '1', '99.00', { tif: 'gtd', expireAtMs: day }), day + DAY_MS + 6);
    assert.deepEqual(kinds(m.drainReports()), ['rejected:invalid_order']);
  });

  test('modify re-prices and re-locks; a modify that becomes marketable fills as taker', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '0.5'));
    m.submit(limit('a', 'buy', '1', '99.00'), 2);
    m.modify('a', { quantity: qty('2'), price: undefined }, 3);
    assert.deepEqual(balanceOf(m, 'USD').locked, usd('198.198'));
    m.modify('a', { quantity: qty('2'), price: px('100.50') }, 4);
    const reports = m.drainReports().slice(1);
    assert.deepEqual(kinds(reports), ['modified', 'modified', 'fill']);
    assert.deepEqual(reports[1], {
      kind: 'modified',
      clientOrderId: 'a',
      quantity: qty('2'),
      price: px('100.50'),
      triggerPrice: undefined,
      ts: 4,
    });
    assert.deepEqual(
      fills(reports).map((f) => [f.price, f.quantity, f.liquidity]),
      [[px('100.00'), qty('0.5'), 'taker']],
    );
    m.modify('a', { quantity: qty('0.5'), price: undefined }, 5);
    m.modify('a', { quantity: qty('2'), price: px('100.00') + 0.5 }, 5);
    m.modify('nope', { quantity: qty('1'), price: undefined }, 5);
    assert.deepEqual(
      m.drainReports().map((r) => (r.kind === 'modify_rejected' ? r.reason : r.kind)),
      ['invalid_order', 'invalid_order', 'unknown_order'],
    );
  });

  test('orders the matcher does not hold, unknown instruments and reused ids are rejected', () => {
    const m = makeMatcher();
    m.onMarket(quote(1, '99.50', '5', '100.00', '5'));
    m.submit(order({ clientOrderId: 'a', type: 'stop', triggerPrice: px('101.00') }), 2);
    m.submit(order({ clientOrderId: 'b', instrument: 'paper:ETH/USD' }), 2);
    m.submit(market('c', 'buy', '0.1'), 2);
    m.submit(market('c', 'buy', '0.1'), 2);
    m.submit(order({ clientOrderId: 'd', quantity: 1.5 }), 2);
    assert.deepEqual(kinds(m.drainReports()), [
      'rejected:unsupported_order_type',
      'rejected:unknown_instrument',
      'accepted',
      'fill',
      'rejected:duplicate_client_order_id',
      'rejected:invalid_order',
    ]);
  });
});

// ---- slippage -----------------------------------------------------------------------------------

describe('slippage', () => {
  test('bps slippage rounds to the tick against the taker', () => {
    const m = makeMatcher({ slippage: { kind: 'bps', bps: 3 }, balances: { USD: '10000', BTC: '1' } });
    m.onMarket(quote(1, '100.01', '5', '100.01', '5'));
    m.submit(market('b', 'buy', '0.1'), 2);
    m.submit(market('s', 'sell', '0.1'), 2);
    // 100.01 × 1.0003 = 100.040003 → 100.05; 100.01 × 0.9997 = 99.979997 → 99.97.
    assert.deepEqual(
      fills(m.drainReports()).map((f) => [f.clientOrderId, f.price]),
      [
        ['b', px('100.05')],
        ['s', px('99.97')],
      ],
    );
  });

  test('size slippage grows with the order against the displayed size', () => {
    const m = makeMatcher({ slippage: { kind: 'size', bpsPerDisplayedSize: 10 } });
    m.onMarket(quote(1, '99.00', '5', '100.00', '2'));
    // 1 against 2 displayed: 5 bps → 100.05.
    m.submit(market('a', 'buy', '1'), 2);
    assert.deepEqual(
      fills(m.drainReports()).map((f) => f.price),
      [px('100.05')],
    );
  });

  test('limit orders never slip', () => {
    const m = makeMatcher({ slippage: { kind: 'bps', bps: 50 } });
    m.onMarket(quote(1, '99.00', '5', '100.00', '2'));
    m.submit(limit('a', 'buy', '1', '101.00'), 2);
    assert.deepEqual(
      fills(m.drainReports()).map((f) => f.price),
      [px('100.00')],
    );
  });
});

// ---- properties ---------------------------------------------------------------------------------

type Op =
  | {
      readonly k: 'quote';
      readonly bid: number;
      readonly spread: number;
      readonly bidSize: number;
      readonly askSize: number;
    }
  | { readonly k: 'trade'; readonly price: number; readonly size: number }
  | {
      readonly k: 'bar';
      readonly open: number;
      readonly close: number;
      readonly wick: number;
      readonly volume: number;
    }
  | {
      readonly k: 'submit';
      readonly side: 'buy' | 'sell';
      readonly type: 'market' | 'limit';
      readonly tif: 'gtc' | 'ioc' | 'fok' | 'day' | 'gtd';
      readonly quantity: number;
      readonly price: number;
      readonly postOnly: boolean;
    }
  | { readonly k: 'cancel'; readonly ref: number }
  | { readonly k: 'modify'; readonly ref: number; readonly quantity: number; readonly price: number }
  | { readonly k: 'advance' };

interface Scenario {
  readonly options: Partial<PaperMatcherOptions>;
  readonly usd: number;
  readonly btc: number;
  readonly steps: readonly { readonly dt: number; readonly op: Op }[];
}

const LOT = BTC.qtyIncrement;
const BASE_PRICE = px('100.00');
const priceArb = fc.integer({ min: -300, max: 300 }).map((t) => BASE_PRICE + t);
const sizeArb = fc.integer({ min: 0, max: 3000 }).map((lots) => lots * LOT);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('quote' as const),
      bid: priceArb,
      spread: fc.integer({ min: 0, max: 20 }),
      bidSize: sizeArb,
      askSize: sizeArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('trade' as const), price: priceArb, size: sizeArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('bar' as const),
      open: priceArb,
      close: priceArb,
      wick: fc.integer({ min: 0, max: 50 }),
      volume: sizeArb,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant('submit' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      type: fc.constantFrom('market' as const, 'limit' as const),
      tif: fc.constantFrom('gtc' as const, 'ioc' as const, 'fok' as const, 'day' as const, 'gtd' as const),
      quantity: fc.integer({ min: 1, max: 3000 }).map((lots) => lots * LOT),
      price: priceArb,
      postOnly: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), ref: fc.nat(4) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('modify' as const),
      ref: fc.nat(4),
      quantity: fc.integer({ min: 1, max: 3000 }).map((lots) => lots * LOT),
      price: priceArb,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'advance' as const }) },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  options: fc.record({
    touchFills: fc.boolean(),
    latencyMs: fc.constantFrom(0, 0, 7, 500),
    allowShort: fc.boolean(),
    slippage: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.integer({ min: 0, max: 100 }).map((bps) => ({ kind: 'bps' as const, bps })),
      fc.integer({ min: 0, max: 100 }).map((b) => ({ kind: 'size' as const, bpsPerDisplayedSize: b })),
    ),
  }),
  usd: fc.integer({ min: 0, max: 2000 }),
  btc: fc.integer({ min: 0, max: 5 }),
  steps: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3_000_000 }), op: opArb }), {
    minLength: 10,
    maxLength: 80,
  }),
});

const START_MS = DAY_MS * 19_000 - 20_000_000;

function toMarket(op: Op, ts: number): MarketData | undefined {
  switch (op.k) {
    case 'quote':
      return {
        kind: 'quote',
        instrument: KEY,
        ts,
        bid: op.bid,
        bidSize: op.bidSize,
        ask: op.bid + op.spread,
        askSize: op.askSize,
      };
    case 'trade':
      return {
        kind: 'trade',
        instrument: KEY,
        ts,
        price: op.price,
        size: op.size,
        aggressor: undefined,
        tradeId: undefined,
      };
    case 'bar':
      return {
        kind: 'bar',
        instrument: KEY,
        ts,
        open: op.open,
        close: op.close,
        high: Math.max(op.open, op.close) + op.wick,
        low: Math.max(1, Math.min(op.open, op.close) - op.wick),
        volume: op.volume,
        durationMs: 60_000,
      };
    default:
      return undefined;
  }
}

/** Runs a scenario, calling `check` after every step with the reports that step produced. */
function play(s: Scenario, check: (m: PaperMatcher, op: Op, reports: VenueReport[]) => void): VenueReport[] {
  const m = makeMatcher({ ...s.options, balances: { USD: String(s.usd), BTC: String(s.btc) } });
  const all: VenueReport[] = [];
  let ts = START_MS;
  let n = 0;
  for (const { dt, op } of s.steps) {
    ts += dt;
    const md = toMarket(op, ts);
    if (md !== undefined) m.onMarket(md);
    else if (op.k === 'submit') {
      const price = op.type === 'limit' ? op.price : undefined;
      const expireAtMs = op.tif === 'gtd' ? ts + 1_000_000 : undefined;
      const postOnly = op.type === 'limit' && op.postOnly;
      m.submit(order({ clientOrderId: `o${n++}`, ...op, price, expireAtMs, postOnly }), ts);
    } else if (op.k === 'cancel') m.cancel(`o${n - 1 - op.ref}`, ts);
    else if (op.k === 'modify')
      m.modify(`o${n - 1 - op.ref}`, { quantity: op.quantity, price: op.price }, ts);
    else m.advanceTo(ts);
    const reports = m.drainReports();
    all.push(...reports);
    check(m, op, reports);
  }
  return all;
}

function json(reports: readonly VenueReport[]): string {
  return JSON.stringify(reports, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

describe('properties', () => {
  test('balances are conserved, locks match open orders, fills never exceed the order', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        let usdExpected = usd(String(s.usd));
        let btcExpected = usd(String(s.btc));
        const sides = new Map<string, 'buy' | 'sell'>();
        const quantities = new Map<string, number>();
        const filled = new Map<string, number>();
        let n = 0;
        play(s, (m, op, reports) => {
          if (op.k === 'submit') {
            sides.set(`o${n}`, op.side);
            quantities.set(`o${n++}`, op.quantity);
          }
          for (const r of reports) {
            if (r.kind === 'modified') quantities.set(r.clientOrderId, r.quantity);
            if (r.kind !== 'fill') continue;
            const notional = notionalOf(BTC, r.price, r.quantity);
            const base = usd('0.001') * BigInt(r.quantity);
            assert.equal(r.feeCurrency, 'USD');
            if (sides.get(r.clientOrderId) === 'buy') {
              usdExpected -= notional + r.fee;
              btcExpected += base;
            } else {
              usdExpected += notional - r.fee;
              btcExpected -= base;
            }
            const done = (filled.get(r.clientOrderId) ?? 0) + r.quantity;
            filled.set(r.clientOrderId, done);
            assert.ok(r.quantity > 0 && done <= (quantities.get(r.clientOrderId) ?? 0), 'overfill');
          }
          const usdBal = m.balance('USD');
          const btcBal = m.balance('BTC');
          assert.equal(usdBal.total, usdExpected);
          assert.equal(btcBal.total, btcExpected);
          assert.ok(usdBal.available >= 0n && usdBal.locked >= 0n && btcBal.locked >= 0n);
          if (s.options.allowShort !== true) assert.ok(btcBal.available >= 0n);
          const locks = new Map<string, bigint>();
          for (const o of m.openOrders())
            locks.set(o.lockedCurrency, (locks.get(o.lockedCurrency) ?? 0n) + o.locked);
          assert.equal(usdBal.locked, locks.get('USD') ?? 0n);
          assert.equal(btcBal.locked, locks.get('BTC') ?? 0n);
        });
      }),
      { numRuns: 300 },
    );
  });

  test('no two orders take the same displayed size (latency 0)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        let shown: { bid: number; ask: number } | undefined;
        let usedBid = 0;
        let usedAsk = 0;
        const sides = new Map<string, 'buy' | 'sell'>();
        let n = 0;
        play({ ...s, options: { ...s.options, latencyMs: 0 } }, (_m, op, reports) => {
          if (op.k === 'submit') sides.set(`o${n++}`, op.side);
          if (op.k === 'quote') {
            shown = { bid: op.bidSize, ask: op.askSize };
            usedBid = 0;
            usedAsk = 0;
          }
          let tradeBuys = 0;
          let tradeSells = 0;
          for (const f of fills(reports)) {
            const buy = sides.get(f.clientOrderId) === 'buy';
            // Makers outside a quote update fill from trade or bar size, which has its own budget.
            const fromQuote = op.k === 'quote' || f.liquidity === 'taker';
            if (!fromQuote) {
              if (buy) tradeBuys += f.quantity;
              else tradeSells += f.quantity;
            } else if (shown !== undefined) {
              if (buy) usedAsk += f.quantity;
              else usedBid += f.quantity;
            }
          }
          if (shown !== undefined)
            assert.ok(usedAsk <= shown.ask && usedBid <= shown.bid, 'displayed size reused');
          if (op.k === 'trade' || op.k === 'bar') {
            const size = op.k === 'trade' ? op.size : op.volume;
            assert.ok(tradeBuys <= size && tradeSells <= size, 'trade size reused');
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  test('the same inputs give byte-identical reports', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const none = () => {};
        assert.equal(json(play(s, none)), json(play(s, none)));
      }),
      { numRuns: 100 },
    );
  });
});
