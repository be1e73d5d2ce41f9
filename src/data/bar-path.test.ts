import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Bar, MarketData } from '../model/market.ts';
import { barPath, barToTrades, expandBars, splitVolume } from './bar-path.ts';

const bar = (o: number, h: number, l: number, c: number, volume = 100, ts = 60_000): Bar => ({
  kind: 'bar',
  instrument: 'test:BTC/USD',
  ts,
  open: o,
  high: h,
  low: l,
  close: c,
  volume,
  durationMs: 60_000,
});

const barArb = fc
  .record({
    a: fc.integer({ min: 1, max: 1e9 }),
    b: fc.integer({ min: 1, max: 1e9 }),
    c: fc.integer({ min: 1, max: 1e9 }),
    d: fc.integer({ min: 1, max: 1e9 }),
    volume: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    ts: fc.integer({ min: 0, max: 2e12 }),
    durationMs: fc.integer({ min: 0, max: 86_400_000 }),
  })
  .map(({ a, b, c, d, volume, ts, durationMs }): Bar => {
    const [low, x, y, high] = [a, b, c, d].sort((p, q) => p - q) as [number, number, number, number];
    return {
      kind: 'bar',
      instrument: 'i',
      ts: ts + durationMs,
      open: x,
      high,
      low,
      close: y,
      volume,
      durationMs,
    };
  });

describe('bar path', () => {
  it('walks a bullish bar open → low → high → close', () => {
    assert.deepEqual(barPath(bar(100, 110, 95, 105)), [100, 95, 110, 105]);
    assert.deepEqual(
      barToTrades(bar(100, 110, 95, 105)).map((t) => t.price),
      [100, 95, 110, 105],
    );
  });

  it('walks a bearish bar open → high → low → close', () => {
    assert.deepEqual(barPath(bar(105, 110, 95, 100)), [105, 110, 95, 100]);
  });

  it('treats a flat bar (close = open) as bullish', () => {
    assert.deepEqual(barPath(bar(100, 110, 90, 100)), [100, 90, 110, 100]);
  });

  it('spreads the points inside the bar, the close on the bar time, with no aggressor or id', () => {
    const trades = barToTrades(bar(100, 110, 95, 105, 10, 120_000));
    assert.deepEqual(
      trades.map((t) => t.ts),
      [75_000, 90_000, 105_000, 120_000],
    );
    assert.ok(trades.every((t) => t.aggressor === undefined && t.tradeId === undefined));
    assert.ok(trades.every((t) => t.instrument === 'test:BTC/USD' && t.kind === 'trade'));
  });

  it('splits the volume exactly, in whole lots when a lot is given', () => {
    assert.deepEqual(splitVolume(10, 4), [3, 3, 2, 2]);
    assert.deepEqual(splitVolume(3, 4), [1, 1, 1, 0]);
    assert.deepEqual(splitVolume(0, 4), [0, 0, 0, 0]);
    assert.deepEqual(splitVolume(1000, 4, 300), [300, 300, 300, 100]);
    assert.deepEqual(splitVolume(500, 4, 300), [300, 0, 0, 200]);
    assert.deepEqual(splitVolume(1050, 4, 100), [300, 300, 200, 250]);
    assert.deepEqual(
      barToTrades(bar(1, 1, 1, 1, 7)).map((t) => t.size),
      [2, 2, 2, 1],
    );
  });

  it('property: the path visits open, both extremes and close, sizes sum to the volume', () => {
    fc.assert(
      fc.property(barArb, fc.integer({ min: 1, max: 1000 }), (b, lot) => {
        const trades = barToTrades(b, { lot });
        const prices = trades.map((t) => t.price);
        assert.equal(prices[0], b.open);
        assert.equal(prices[3], b.close);
        assert.ok(prices.includes(b.high) && prices.includes(b.low));
        // The extreme against the close comes first.
        assert.equal(prices[1], b.close >= b.open ? b.low : b.high);
        assert.equal(
          trades.reduce((s, t) => s + t.size, 0),
          b.volume,
        );
        assert.ok(trades.every((t) => Number.isSafeInteger(t.size) && t.size >= 0));
        // Whole lots except at most one remainder, on the last point.
        assert.ok(trades.slice(0, 3).every((t) => t.size % lot === 0));
        // Timestamps are inside (ts − duration, ts], non-decreasing, the last at ts.
        assert.equal(trades[3]?.ts, b.ts);
        trades.forEach((t, i) => {
          assert.ok(t.ts <= b.ts && (b.durationMs === 0 || t.ts > b.ts - b.durationMs));
          if (i > 0) assert.ok(t.ts >= (trades[i - 1]?.ts ?? 0));
        });
      }),
    );
  });

  it('expands bars in a stream and passes other items through', () => {
    const quote: MarketData = {
      kind: 'quote',
      instrument: 'test:BTC/USD',
      ts: 1,
      bid: 1,
      bidSize: 1,
      ask: 2,
      askSize: 1,
    };
    const out = [...expandBars([quote, bar(100, 110, 95, 105)])];
    assert.deepEqual(
      out.map((x) => x.kind),
      ['quote', 'trade', 'trade', 'trade', 'trade'],
    );
  });
});
