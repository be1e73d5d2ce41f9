// Paper trading on live Binance prices: the public feed (no API key) streams trades and book
// tickers of the fake Binance into a paper venue that simulates Binance's instruments, and orders
// fill at prices the stream carried.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { BinancePublicFeed } from '../src/venues/binance/binance-market.ts';
import { FakeBinance } from '../src/venues/binance/fake/fake-binance.ts';
import { PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { until } from './support/until.ts';

test('a paper venue trades on the prices of a Binance public stream', async () => {
  const fake = new FakeBinance();
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  const feed = await BinancePublicFeed.open({
    urls: { rest: urls.rest, streams: urls.stream },
    symbols: ['BTCUSDT'],
  });
  try {
    const instruments = feed.instruments();
    assert.equal(instruments[0]?.key, 'binance:BTC/USDT');
    const venue = new PaperVenue({ venue: 'binance', instruments, balances: { USDT: '100000', BTC: '0' } });
    const oms = new AdvancedOrderManager(venue, { instruments, portfolio: new Portfolio() });
    const seen: string[] = [];
    await feed.start((md) => {
      seen.push(md.kind);
      oms.feed(md);
    });
    fake.feedQuote('BTCUSDT', '45000.00', '2', '45001.00', '2');
    await until(() => seen.includes('quote'), 'the first quote');
    const o = unwrap(
      oms.placeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44950' }),
    );
    assert.equal(oms.getOrder(o.id as OrderId)?.status, 'accepted');
    fake.feedTrade('BTCUSDT', '44940.00', '1');
    await until(() => oms.getOrder(o.id as OrderId)?.status === 'filled', 'the fill');
    assert.equal(oms.getOrder(o.id as OrderId)?.averageFillPrice, '44950.000000');
    assert.ok(seen.includes('trade'));
  } finally {
    await feed.close();
    await fake.stop();
  }
});
