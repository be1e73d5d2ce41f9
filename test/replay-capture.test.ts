// A bracket on a real Binance capture: the engine, the emulator and the paper venue replay six
// minutes of BTCUSDT trades and quotes, and every fill happens at a price that occurs in the file.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unwrap } from '../src/core/errors.ts';
import { loadBinanceCapture } from '../src/data/binance-capture.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { defineInstrument, formatPrice } from '../src/model/instrument.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { ALL_NATIVE, NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';

const FILE = fileURLToPath(
  new URL('../../shared/data/hftbacktest/binance-spot/btcusdt_20240808.gz', import.meta.url),
);
const INST = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USDT',
    priceIncrement: '0.01',
    qtyIncrement: '0.00001',
    feeMaker: '0.001',
    feeTaker: '0.001',
  }),
);

describe('replay of a real Binance capture', () => {
  const tape = unwrap(loadBinanceCapture(FILE, INST, { venueSymbol: 'BTCUSDT' }));
  const pricesInFile = new Set<number>();
  for (const md of tape) {
    if (md.kind === 'trade') pricesInFile.add(md.price);
    if (md.kind === 'quote') {
      pricesInFile.add(md.bid);
      pricesInFile.add(md.ask);
    }
  }

  for (const [mode, native] of [
    ['native', ALL_NATIVE],
    ['emulated', NONE_NATIVE],
  ] as const) {
    it(`fills a bracket at prices that occur in the file (${mode})`, () => {
      const venue = new PaperVenue({
        venue: 'paper',
        instruments: [INST],
        balances: { USDT: '100000', BTC: '0' },
        native,
      });
      const oms = new AdvancedOrderManager(venue, {
        instruments: [INST],
        portfolio: new Portfolio({ valuationCurrency: 'USDT' }),
      });
      const fills: { id: number; price: number }[] = [];
      oms.on((e) => {
        if (e.type === 'order_filled') fills.push({ id: e.id, price: e.price });
      });
      // Levels are prices that trade in the file: the entry a low of the first half, the
      // take-profit a high of the second half; the stop-loss releases a market order.
      const trades = tape.filter((m) => m.kind === 'trade');
      const firstHalf = trades
        .slice(0, trades.length / 2)
        .map((t) => t.price)
        .sort((a, b) => a - b);
      const secondHalf = trades
        .slice(trades.length / 2)
        .map((t) => t.price)
        .sort((a, b) => a - b);
      const entryPrice = firstHalf[Math.floor(firstHalf.length * 0.1)]!;
      const tpPrice = secondHalf[Math.floor(secondHalf.length * 0.9)]!;
      let placed = false;
      let bracket: ReturnType<typeof oms.placeBracketOrder> | undefined;
      for (const md of tape) {
        oms.feed(md);
        if (!placed && md.kind === 'trade') {
          placed = true;
          bracket = oms.placeBracketOrder({
            symbol: 'BTC/USDT',
            side: 'buy',
            quantity: '0.05',
            entry: { type: 'limit', price: formatPrice(INST, entryPrice) },
            takeProfit: { price: formatPrice(INST, tpPrice) },
            stopLoss: { percent: '0.5' },
          });
        }
      }
      const list = unwrap(bracket!);
      const [entry, tp, sl] = list.orders.map((o) => oms.getOrder(o.id)!);
      assert.equal(entry?.status, 'filled', 'the entry fills on the tape');
      assert.ok(tp?.status === 'filled' || sl?.status === 'filled', 'one exit fills');
      assert.ok(tp?.status === 'cancelled' || sl?.status === 'cancelled', 'the other stands down');
      assert.ok(fills.length >= 2);
      for (const f of fills)
        assert.ok(pricesInFile.has(f.price), `fill at ${formatPrice(INST, f.price)} occurs in the file`);
      assert.equal(oms.portfolio.position(INST.key)?.side, 'flat');
    });
  }
});
