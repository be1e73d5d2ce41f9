// The cash a resting limit buy locks, on instruments of every price and quantity scale and fee
// rate: the notional at the limit price plus the fee at the larger rate, rounded up, as the
// matcher's contract says (whichever way the matcher computes it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { unwrap } from '../../core/errors.ts';
import { defineInstrument, MONEY_SCALE, RATE_ONE, RATE_SCALE } from '../../model/instrument.ts';
import { PaperMatcher } from './paper-matcher.ts';

function expectedLock(
  price: number,
  qty: number,
  priceScale: number,
  qtyScale: number,
  rate: number,
): bigint {
  const notional = BigInt(price) * BigInt(qty) * 10n ** BigInt(MONEY_SCALE - priceScale - qtyScale);
  const feeTimesOne = notional * BigInt(rate);
  const one = BigInt(RATE_ONE);
  return notional + (feeTimesOne + one - 1n) / one;
}

test('a resting limit buy locks its notional plus the fee at the larger rate, rounded up', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 3_000_000 }),
      fc.integer({ min: 0, max: 3_000_000 }),
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 1, max: 1_000_000 }),
      (priceScale, qtyScale, maker, taker, price, qty) => {
        const rate = (n: number) => `0.${String(n).padStart(RATE_SCALE, '0')}`;
        const inst = unwrap(
          defineInstrument({
            venue: 'paper',
            symbol: 'AAA/USD',
            priceIncrement: priceScale === 0 ? '1' : `0.${'0'.repeat(priceScale - 1)}1`,
            qtyIncrement: qtyScale === 0 ? '1' : `0.${'0'.repeat(qtyScale - 1)}1`,
            feeMaker: rate(maker),
            feeTaker: rate(taker),
          }),
        );
        const m = new PaperMatcher({
          venue: 'paper',
          instruments: [inst],
          // Above the largest notional drawn (10^6 × 10^6) plus its fee, so every order is funded.
          balances: { USD: '10000000000000' },
        });
        m.submit(
          {
            clientOrderId: 'c1',
            instrument: inst.key,
            side: 'buy',
            type: 'limit',
            tif: 'gtc',
            expireAtMs: undefined,
            quantity: qty,
            price,
            triggerPrice: undefined,
            trailing: undefined,
            postOnly: false,
            reduceOnly: false,
          },
          0,
        );
        assert.deepEqual(
          m.drainReports().map((r) => r.kind),
          ['accepted'],
        );
        assert.equal(
          m.balance('USD').locked,
          expectedLock(price, qty, priceScale, qtyScale, Math.max(maker, taker)),
        );
      },
    ),
    { numRuns: 300 },
  );
});
