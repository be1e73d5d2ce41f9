// Tests of the slippage models and of the intrabar path: exact rounding against the taker, the
// size model's proportionality, and the fixed O→L→H→C / O→H→L→C walk through a bar.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bar } from '../../model/market.ts';
import { barPath as intrabarPath } from '../../model/market.ts';
import { slippedPrice, validSlippage } from './slipped-price.ts';

const base = { quantity: 1000, displayed: 2000, tick: 1 };

test('bps slippage rounds up for a buy and down for a sell, to the tick', () => {
  const model = { kind: 'bps', bps: 3 } as const;
  assert.equal(slippedPrice(model, { ...base, side: 'buy', price: 10001 }), 10005);
  assert.equal(slippedPrice(model, { ...base, side: 'sell', price: 10001 }), 9997);
  assert.equal(slippedPrice(model, { ...base, side: 'buy', price: 10001, tick: 5 }), 10005);
  assert.equal(slippedPrice(model, { ...base, side: 'sell', price: 10001, tick: 5 }), 9995);
  assert.equal(slippedPrice({ kind: 'none' }, { ...base, side: 'buy', price: 10001, tick: 5 }), 10001);
});

test('size slippage is bpsPerDisplayedSize × quantity / displayed', () => {
  const model = { kind: 'size', bpsPerDisplayedSize: 20 } as const;
  // 1000 of 2000 displayed: 10 bps of 10 000 = 10.
  assert.equal(slippedPrice(model, { ...base, side: 'buy', price: 10000 }), 10010);
  assert.equal(slippedPrice(model, { ...base, side: 'sell', price: 10000 }), 9990);
  assert.equal(slippedPrice(model, { ...base, side: 'buy', price: 10000, quantity: 4000 }), 10040);
  assert.equal(slippedPrice(model, { ...base, side: 'buy', price: 10000, displayed: undefined }), 10000);
});

test('a sell never slips below one tick', () => {
  const model = { kind: 'size', bpsPerDisplayedSize: 10_000 } as const;
  assert.equal(slippedPrice(model, { ...base, side: 'sell', price: 100, quantity: 5000, tick: 10 }), 10);
});

test('slipped prices are the nearest tick at or beyond the exact slipped price', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 1, max: 100 }),
      (price, bps, tick) => {
        const model = { kind: 'bps', bps } as const;
        const buy = slippedPrice(model, { ...base, side: 'buy', price, tick });
        const sell = slippedPrice(model, { ...base, side: 'sell', price, tick });
        const exact = (p: number, sign: number) =>
          BigInt(price) * BigInt(10_000 + sign * bps) - BigInt(p) * 10_000n;
        assert.equal(buy % tick, 0);
        assert.equal(sell % tick, 0);
        assert.ok(exact(buy, 1) <= 0n && exact(buy - tick, 1) > 0n);
        assert.ok(sell === tick || (exact(sell, -1) >= 0n && exact(sell + tick, -1) < 0n));
      },
    ),
  );
});

test('slippage parameters must be non-negative integers', () => {
  assert.equal(validSlippage({ kind: 'bps', bps: 2.5 }), false);
  assert.equal(validSlippage({ kind: 'size', bpsPerDisplayedSize: -1 }), false);
  assert.equal(validSlippage({ kind: 'bps', bps: 0 }), true);
});

test('the intrabar path dips first on a bullish bar and rallies first on a bearish one', () => {
  const bar = (open: number, close: number): Bar => ({
    kind: 'bar',
    instrument: 'paper:BTC/USD',
    ts: 0,
    open,
    high: 110,
    low: 90,
    close,
    volume: 1,
    durationMs: 60_000,
  });
  assert.deepEqual(intrabarPath(bar(100, 105)), [100, 90, 110, 105]);
  assert.deepEqual(intrabarPath(bar(100, 100)), [100, 90, 110, 100]);
  assert.deepEqual(intrabarPath(bar(100, 95)), [100, 110, 90, 95]);
});
