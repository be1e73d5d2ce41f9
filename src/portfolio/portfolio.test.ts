// Worked examples for the portfolio: FIFO realized P&L, flips, fees in quote, base and a third
// currency, round trips with their order and trade ids, daily buckets, exposure and the equity
// curve. Every expected number is written as a decimal so the arithmetic can be checked by hand.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvariantError } from '../core/assert.ts';
import { parseUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { orderId } from '../core/ids.ts';
import type { Fill } from '../model/fill.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import { DAY_MS, Portfolio } from './index.ts';

const XYZ = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'XYZ/USD', priceIncrement: '0.01', qtyIncrement: '1' }),
);
const BTC = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.001' }),
);
const BTC_BINANCE = unwrap(
  defineInstrument({ venue: 'binance', symbol: 'BTC/USDT', priceIncrement: '0.01', qtyIncrement: '0.00001' }),
);
const ETH = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'ETH/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);

const T0 = Date.UTC(2024, 0, 2, 9, 30);
let tradeSeq = 0;

function money(text: string): bigint {
  const v = parseUnits(text, MONEY_SCALE);
  assert.ok(v !== undefined, `bad money literal ${text}`);
  return v;
}

function units(text: string, scale: number): number {
  const v = parseUnits(text, scale);
  assert.ok(v !== undefined, `bad literal ${text}`);
  return Number(v);
}

interface FillOptions {
  order?: number;
  fee?: string;
  feeCurrency?: string;
  ts?: number;
  tradeId?: string;
}

function fill(inst: Instrument, side: 'buy' | 'sell', qty: string, price: string, o: FillOptions = {}): Fill {
  tradeSeq++;
  return {
    orderId: orderId(o.order ?? 1),
    instrument: inst.key,
    side,
    price: units(price, inst.priceScale),
    quantity: units(qty, inst.qtyScale),
    fee: money(o.fee ?? '0'),
    feeCurrency: o.feeCurrency ?? inst.quote,
    liquidity: 'taker',
    tradeId: o.tradeId ?? `t${tradeSeq}`,
    ts: o.ts ?? T0 + tradeSeq,
  };
}

describe('Portfolio: FIFO positions and P&L', () => {
  it('buy 100 at 100, buy 100 at 110, sell 150 at 120 realizes 2500 exactly', () => {
    const p = new Portfolio({ cash: { paper: { USD: money('1000000') } } });
    p.applyFill(fill(XYZ, 'buy', '100', '100'), XYZ);
    p.applyFill(fill(XYZ, 'buy', '100', '110'), XYZ);
    p.applyFill(fill(XYZ, 'sell', '150', '120'), XYZ);
    // 100 × (120 − 100) + 50 × (120 − 110)
    assert.equal(p.realizedPnl('USD'), money('2500'));
    assert.equal(p.positionQty(XYZ.key), 50);
    assert.equal(p.cash('paper', 'USD'), money('997000'));
    const view = p.position(XYZ.key);
    assert.ok(view !== undefined);
    assert.equal(view.side, 'long');
    assert.equal(view.qty, '50');
    assert.equal(view.avgPrice, '110');
    assert.equal(view.avgPriceTick, '110.00');
    assert.equal(view.cost, '5500');
    assert.equal(view.realized, '2500');
    assert.equal(view.unrealized, '500'); // valued at the last fill, 120
    p.mark(XYZ.key, units('130', 2), T0 + 1000);
    assert.equal(p.unrealizedPnl(XYZ.key), money('1000'));
    assert.equal(p.equity('USD'), money('1003500')); // 1 000 000 + 2 500 + 1 000
  });

  it('realizes a short round trip with the sign flipped', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'sell', '10', '100'), XYZ);
    assert.equal(p.position(XYZ.key)?.side, 'short');
    assert.equal(p.position(XYZ.key)?.qty, '-10');
    p.mark(XYZ.key, units('95', 2), T0 + 1000);
    assert.equal(p.unrealizedPnl(XYZ.key), money('50'));
    p.applyFill(fill(XYZ, 'buy', '10', '90', { ts: T0 + 2000 }), XYZ);
    assert.equal(p.realizedPnl('USD'), money('100'));
    assert.equal(p.cash('paper', 'USD'), money('100'));
    assert.equal(p.position(XYZ.key)?.side, 'flat');
    assert.equal(p.position(XYZ.key)?.avgPrice, undefined);
  });

  it('flips long to short: closes one round trip and opens the next with the remainder', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '10', '100', { order: 1 }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '15', '90', { order: 2, fee: '1.5', tradeId: 'flip' }), XYZ);
    assert.equal(p.realizedPnl('USD'), money('-100'));
    const view = p.position(XYZ.key);
    assert.equal(view?.qty, '-5');
    assert.equal(view?.avgPrice, '90');
    const [closed] = p.roundTrips();
    assert.ok(closed !== undefined);
    assert.equal(closed.side, 'long');
    assert.equal(closed.quantity, '10');
    assert.equal(closed.priceEntryAvg, '100');
    assert.equal(closed.priceExitAvg, '90');
    assert.equal(closed.realized, '-100');
    assert.equal(closed.feesQuote, '1'); // 10 of the 15 units
    assert.equal(closed.realizedNet, '-101');
    assert.deepEqual(closed.orderIds, [1, 2]);
    const open = p.openRoundTrip(XYZ.key);
    assert.ok(open !== undefined);
    assert.equal(open.id, 2);
    assert.equal(open.side, 'short');
    assert.equal(open.quantity, '5');
    assert.equal(open.feesQuote, '0.5');
    assert.equal(open.closedMs, undefined);
    assert.deepEqual(open.tradeIds, ['flip']);
    p.applyFill(fill(XYZ, 'buy', '5', '80', { order: 3 }), XYZ);
    assert.equal(p.realizedPnl('USD'), money('-50'));
    assert.equal(p.roundTrips().length, 2);
    assert.equal(p.roundTrips()[1]?.realized, '50');
    assert.equal(p.openRoundTrip(XYZ.key), undefined);
  });

  it('rounds the display average half-even to the tick and keeps the exact one', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '1', '100.00'), XYZ);
    p.applyFill(fill(XYZ, 'buy', '1', '100.01'), XYZ);
    assert.equal(p.position(XYZ.key)?.avgPrice, '100.005');
    assert.equal(p.position(XYZ.key)?.avgPriceTick, '100.00'); // half to even
    p.applyFill(fill(XYZ, 'buy', '1', '100.01'), XYZ);
    assert.equal(p.position(XYZ.key)?.avgPrice, '100.006666666666666667');
    assert.equal(p.position(XYZ.key)?.avgPriceTick, '100.01');
  });

  it('values a position at the newer of its last mark and its last fill', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '1', '100', { ts: T0 }), XYZ);
    p.mark(XYZ.key, units('105', 2), T0 + 10);
    assert.equal(p.unrealizedPnl(XYZ.key), money('5'));
    p.mark(XYZ.key, units('90', 2), T0 + 5); // older than the current mark: ignored
    assert.equal(p.unrealizedPnl(XYZ.key), money('5'));
    p.applyFill(fill(XYZ, 'buy', '1', '110', { ts: T0 + 20 }), XYZ);
    assert.equal(p.position(XYZ.key)?.priceValuation, '110.00');
    assert.equal(p.unrealizedPnl(XYZ.key), money('10'));
  });

  it('refuses a fill whose instrument disagrees or whose units changed', () => {
    const p = new Portfolio();
    assert.throws(() => p.applyFill(fill(XYZ, 'buy', '1', '1'), BTC), InvariantError);
    p.applyFill(fill(XYZ, 'buy', '1', '1'), XYZ);
    const finer = unwrap(
      defineInstrument({ venue: 'paper', symbol: 'XYZ/USD', priceIncrement: '0.001', qtyIncrement: '1' }),
    );
    assert.throws(() => p.applyFill(fill(finer, 'buy', '1', '1'), finer), InvariantError);
  });
});

describe('Portfolio: fees', () => {
  it('debits a quote fee from quote cash and reports it per currency', () => {
    const p = new Portfolio({ cash: { paper: { USD: money('1000') } } });
    p.applyFill(fill(XYZ, 'buy', '2', '100', { fee: '0.2' }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '2', '101', { fee: '0.202' }), XYZ);
    assert.equal(p.cash('paper', 'USD'), money('1001.598'));
    assert.equal(p.realizedPnl('USD'), money('2'));
    assert.equal(p.feesPaid('USD'), money('0.402'));
    assert.deepEqual(p.position(XYZ.key)?.fees, { USD: '0.402' });
    const [trip] = p.roundTrips();
    assert.equal(trip?.feesQuote, '0.402');
    assert.equal(trip?.realizedNet, '1.598');
  });

  it('takes a base-asset fee from the position as a disposal at price zero', () => {
    const p = new Portfolio({ cash: { paper: { USD: money('1000') } } });
    p.applyFill(fill(BTC, 'buy', '1', '100', { fee: '0.001', feeCurrency: 'BTC' }), BTC);
    let view = p.position(BTC.key);
    assert.equal(view?.qty, '0.999');
    assert.equal(view?.avgPrice, '100');
    assert.equal(view?.realized, '-0.1'); // the fee's cost, FIFO
    assert.deepEqual(view?.fees, { BTC: '0.001' });
    assert.equal(p.cash('paper', 'USD'), money('900'));
    assert.equal(p.cash('paper', 'BTC'), 0n);
    p.applyFill(fill(BTC, 'sell', '0.999', '110'), BTC);
    view = p.position(BTC.key);
    assert.equal(view?.side, 'flat');
    assert.equal(p.realizedPnl('USD'), money('9.89'));
    assert.equal(p.cash('paper', 'USD'), money('1009.89'));
    const [trip] = p.roundTrips();
    assert.equal(trip?.quantity, '1.000');
    assert.equal(trip?.quantityExited, '1.000');
    assert.equal(trip?.priceExitAvg, '109.89'); // 0.001 at zero and 0.999 at 110
    assert.equal(trip?.realized, '9.89');
    assert.deepEqual(trip?.fees, { BTC: '0.001' });
    assert.equal(trip?.feesQuote, '0');
  });

  it('carries base-asset fees finer than one quantity unit as dust', () => {
    const p = new Portfolio();
    p.applyFill(fill(BTC, 'buy', '1', '100', { fee: '0.0004', feeCurrency: 'BTC' }), BTC);
    assert.equal(p.position(BTC.key)?.qty, '1.000');
    assert.equal(p.position(BTC.key)?.feeDust, '0.0004');
    p.applyFill(fill(BTC, 'buy', '1', '100', { fee: '0.0007', feeCurrency: 'BTC' }), BTC);
    assert.equal(p.position(BTC.key)?.qty, '1.999');
    assert.equal(p.position(BTC.key)?.feeDust, '0.0001');
    assert.equal(p.feesPaid('BTC'), money('0.0011'));
  });

  it('debits a fee in a third currency from that cash on the same venue', () => {
    const p = new Portfolio({ cash: { paper: { BNB: money('1') } } });
    p.applyFill(fill(BTC, 'buy', '1', '100', { fee: '0.01', feeCurrency: 'BNB' }), BTC);
    assert.equal(p.cash('paper', 'BNB'), money('0.99'));
    assert.equal(p.position(BTC.key)?.qty, '1.000');
    assert.equal(p.realizedPnl('USD'), 0n);
    assert.deepEqual(p.cashAll(), [
      { venue: 'paper', currency: 'BNB', amount: '0.99' },
      { venue: 'paper', currency: 'USD', amount: '-100' },
    ]);
  });

  it('credits a negative fee (a maker rebate)', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '1', '100', { fee: '-0.01' }), XYZ);
    assert.equal(p.cash('paper', 'USD'), money('-99.99'));
    assert.equal(p.feesPaid('USD'), money('-0.01'));
  });
});

describe('Portfolio: round trips', () => {
  it('records a flat-to-flat trip with its order ids, trade ids and times', () => {
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '3', '10', { order: 7, tradeId: 'a', ts: T0 }), XYZ);
    p.applyFill(fill(XYZ, 'buy', '2', '11', { order: 7, tradeId: 'b', ts: T0 + 100 }), XYZ);
    p.applyFill(fill(XYZ, 'buy', '5', '12', { order: 8, tradeId: 'c', ts: T0 + 200 }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '4', '13', { order: 9, tradeId: 'd', ts: T0 + 300 }), XYZ);
    p.applyFill(fill(XYZ, 'buy', '1', '12', { order: 10, tradeId: 'e', ts: T0 + 400 }), XYZ);
    assert.equal(p.roundTrips().length, 0);
    assert.equal(p.openRoundTrip(XYZ.key)?.quantityMax, '10');
    p.applyFill(fill(XYZ, 'sell', '7', '14', { order: 9, tradeId: 'f', ts: T0 + 1500 }), XYZ);
    const trips = p.roundTrips();
    assert.equal(trips.length, 1);
    const [trip] = trips;
    assert.ok(trip !== undefined);
    assert.deepEqual(trip, {
      id: 1,
      instrument: 'paper:XYZ/USD',
      side: 'long',
      currency: 'USD',
      quantity: '11',
      quantityExited: '11',
      quantityMax: '10',
      // (3×10 + 2×11 + 5×12 + 1×12) / 11 and (4×13 + 7×14) / 11
      priceEntryAvg: '11.272727272727272727',
      priceExitAvg: '13.636363636363636364',
      realized: '26',
      feesQuote: '0',
      fees: {},
      realizedNet: '26',
      openedMs: T0,
      closedMs: T0 + 1500,
      durationMs: 1500,
      orderIds: [7, 8, 9, 10],
      tradeIds: ['a', 'b', 'c', 'd', 'e', 'f'],
      fillIdsDropped: 0,
    });
    assert.equal(p.openRoundTrip(XYZ.key), undefined);
    p.applyFill(fill(XYZ, 'sell', '1', '14', { order: 11 }), XYZ);
    assert.equal(p.openRoundTrip(XYZ.key)?.id, 2);
    assert.equal(p.openRoundTrip(XYZ.key)?.priceExitAvg, undefined);
  });

  it('keeps round trips and their ids within the named limits', () => {
    const p = new Portfolio({ limits: { roundTripsMax: 8, roundTripFillIdsMax: 3 } });
    for (let i = 0; i < 4; i++) p.applyFill(fill(XYZ, 'buy', '1', '10', { order: i }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '4', '10'), XYZ);
    const [first] = p.roundTrips();
    assert.deepEqual(first?.orderIds, [0, 1, 2]);
    assert.equal(first?.tradeIds.length, 3);
    assert.equal(first?.fillIdsDropped, 2);
    for (let i = 0; i < 9; i++) {
      p.applyFill(fill(XYZ, 'buy', '1', '10'), XYZ);
      p.applyFill(fill(XYZ, 'sell', '1', '10'), XYZ);
    }
    // 10 closed; the 9th pushed the log past 8, so the oldest quarter (2) went.
    assert.equal(p.roundTripsDropped, 2);
    assert.deepEqual(
      p.roundTrips().map((t) => t.id),
      [3, 4, 5, 6, 7, 8, 9, 10],
    );
  });
});

describe('Portfolio: days, exposure and equity', () => {
  it('buckets realized P&L and fees by trading day', () => {
    const day0 = Date.UTC(2024, 0, 2);
    const p = new Portfolio();
    p.applyFill(fill(XYZ, 'buy', '2', '100', { ts: day0 + 1000, fee: '1' }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '1', '110', { ts: day0 + 2000, fee: '1' }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '1', '90', { ts: day0 + DAY_MS + 5, fee: '1' }), XYZ);
    assert.equal(p.realizedPnlToday('USD', day0), money('10'));
    assert.equal(p.realizedPnlToday('USD', day0 + DAY_MS), money('-10'));
    assert.equal(p.realizedPnlToday('USD', day0 + 2 * DAY_MS), 0n);
    assert.equal(p.feesToday('USD', day0), money('2'));
    assert.equal(p.realizedPnlToday('EUR', day0), 0n);
    assert.throws(() => p.realizedPnlToday('USD', day0 + 1), InvariantError);
  });

  it('starts the trading day at the configured offset', () => {
    const offset = 22 * 3_600_000; // 22:00 UTC
    const dayStart = Date.UTC(2024, 0, 1, 22);
    const p = new Portfolio({ dayOffsetMs: offset });
    p.applyFill(fill(XYZ, 'buy', '1', '100', { ts: dayStart - 1 }), XYZ);
    p.applyFill(fill(XYZ, 'sell', '1', '101', { ts: dayStart + 1 }), XYZ);
    assert.equal(p.realizedPnlToday('USD', dayStart), money('1'));
    assert.equal(p.realizedPnlToday('USD', dayStart - DAY_MS), 0n);
  });

  it('sums exposure per base asset across venues', () => {
    const p = new Portfolio();
    p.applyFill(fill(BTC, 'buy', '1.5', '100'), BTC);
    p.applyFill(fill(BTC_BINANCE, 'sell', '0.25', '100'), BTC_BINANCE);
    p.applyFill(fill(ETH, 'sell', '2', '10'), ETH);
    p.applyFill(fill(XYZ, 'buy', '1', '1'), XYZ);
    p.applyFill(fill(XYZ, 'sell', '1', '1'), XYZ); // flat: not an exposure
    assert.deepEqual(p.exposureByAsset(), [
      {
        asset: 'BTC',
        quantity: '1.25',
        venues: [
          { venue: 'binance', quantity: '-0.25' },
          { venue: 'paper', quantity: '1.5' },
        ],
      },
      { asset: 'ETH', quantity: '-2', venues: [{ venue: 'paper', quantity: '-2' }] },
    ]);
  });

  it('values equity per currency without conversion and samples a bounded curve', () => {
    const p = new Portfolio({
      cash: { paper: { USD: money('1000') }, binance: { USDT: money('500'), USD: money('1') } },
      limits: { equityCurvePointsMax: 4 },
    });
    p.applyFill(fill(XYZ, 'buy', '2', '100'), XYZ);
    p.applyFill(fill(BTC_BINANCE, 'buy', '1', '100'), BTC_BINANCE);
    p.mark(XYZ.key, units('150', 2), T0 + 100);
    assert.equal(p.equity('USD'), money('1101')); // 800 + 1 + 2 × 150
    assert.equal(p.equity('USDT'), money('500'));
    for (let i = 0; i < 9; i++) p.equitySample(T0 + 1000 + i);
    const curve = p.equityCurve();
    assert.ok(curve.length <= 4);
    assert.deepEqual(
      curve.map((pt) => pt.ts - T0 - 1000),
      [0, 4, 8],
    );
    assert.equal(p.equityLatest()?.ts, T0 + 1008);
    assert.equal(p.equityLatest()?.equity, money('1101'));
  });
});
