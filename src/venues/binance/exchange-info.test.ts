// Tests of exchangeInfo parsing: the instrument derived from the filters, every filter held as
// exact units at a scale fine enough for its values, flags, the name map, and skipped symbols.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MONEY_SCALE } from '../../model/instrument.ts';
import {
  parseExchangeInfo,
  parseSymbolRules,
  priceToFilterUnits,
  qtyToFilterUnits,
  symbolFilterSchema,
} from './exchange-info.ts';
import { exchangeInfoFixture, fixtureRules } from './test-fixtures.ts';

const E18 = 10n ** BigInt(MONEY_SCALE);

test('BTCUSDT becomes binance:BTC/USDT with tick, lot, minimum quantity and notional', () => {
  const r = fixtureRules('BTCUSDT');
  assert.equal(r.symbol, 'BTC/USDT');
  assert.equal(r.venueSymbol, 'BTCUSDT');
  const i = r.instrument;
  assert.equal(i.key, 'binance:BTC/USDT');
  assert.equal(i.venue, 'binance');
  assert.equal(i.base, 'BTC');
  assert.equal(i.quote, 'USDT');
  assert.equal(i.priceScale, 2);
  assert.equal(i.priceIncrement, 1);
  assert.equal(i.qtyScale, 5);
  assert.equal(i.qtyIncrement, 1);
  assert.equal(i.qtyMin, 1);
  assert.equal(i.notionalMin, 5n * E18);
  assert.equal(i.feeMaker, 100_000); // 0.1 % default preset
});

test('filters are exact units; MARKET_LOT_SIZE finer than the lot raises the filter scale', () => {
  const r = fixtureRules('BTCUSDT');
  const f = r.filters;
  assert.equal(f.priceScale, 2);
  assert.equal(f.qtyScale, 8); // 85.20788284 needs 8 places
  assert.deepEqual(f.priceFilter, { minPrice: 1n, maxPrice: 100_000_000n, tickSize: 1n });
  assert.deepEqual(f.lotSize, { minQty: 1000n, maxQty: 900_000_000_000n, stepSize: 1000n });
  assert.deepEqual(f.marketLotSize, { minQty: 0n, maxQty: 8_520_788_284n, stepSize: 0n });
  assert.deepEqual(f.notional, {
    minNotional: 5n * E18,
    applyMinToMarket: true,
    maxNotional: 9_000_000n * E18,
    applyMaxToMarket: false,
    avgPriceMins: 5,
  });
  assert.deepEqual(f.percentPriceBySide, {
    bidMultiplierUp: 500_000_000n,
    bidMultiplierDown: 20_000_000n,
    askMultiplierUp: 500_000_000n,
    askMultiplierDown: 20_000_000n,
    avgPriceMins: 5,
  });
  assert.deepEqual(f.trailingDelta, {
    minTrailingAboveDelta: 10,
    maxTrailingAboveDelta: 2000,
    minTrailingBelowDelta: 10,
    maxTrailingBelowDelta: 2000,
  });
  assert.equal(f.maxNumOrders, 200);
  assert.equal(f.maxNumAlgoOrders, 5);
  assert.equal(f.icebergParts, 10);
  assert.equal(f.maxNumOrderAmends, 10);
  assert.equal(f.maxNumOrderLists, 20);
  assert.equal(f.minNotional, undefined);
  assert.equal(qtyToFilterUnits(r, 1), 1000n);
  assert.equal(priceToFilterUnits(r, 12345), 12345n);
});

test('flags, order types, status and self-trade prevention modes are kept', () => {
  const r = fixtureRules('BTCUSDT');
  assert.ok(r.orderTypes.has('LIMIT_MAKER'));
  assert.ok(r.orderTypes.has('TAKE_PROFIT_LIMIT'));
  assert.equal(r.ocoAllowed, true);
  assert.equal(r.otoAllowed, true);
  assert.equal(r.amendAllowed, true);
  assert.equal(r.cancelReplaceAllowed, true);
  assert.equal(r.allowTrailingStop, true);
  assert.equal(r.status, 'TRADING');
  assert.ok(r.allowedSelfTradePreventionModes.includes('EXPIRE_MAKER'));
  const eth = fixtureRules('ETHBTC');
  assert.equal(eth.amendAllowed, false);
  assert.equal(eth.ocoAllowed, false);
  assert.equal(fixtureRules('XYZUSDT').status, 'HALT');
});

test('symbol map goes both ways; unreadable symbols are skipped with a reason', () => {
  const info = parseExchangeInfo(exchangeInfoFixture());
  assert.ok(info.ok);
  const m = info.value.symbols;
  assert.equal(m.toOrdo('BTCUSDT'), 'BTC/USDT');
  assert.equal(m.toVenue('ETH/BTC'), 'ETHBTC');
  assert.equal(m.byInstrumentKey('binance:LTC/USDT')?.venueSymbol, 'LTCUSDT');
  assert.equal(m.byInstrumentKey('coinbase:LTC/USDT'), undefined);
  assert.equal(m.toOrdo('NOPE'), undefined);
  assert.equal(m.size, 5);
  assert.equal(info.value.skipped.length, 1);
  assert.equal(info.value.skipped[0]!.symbol, 'BADUSDT');
  assert.match(info.value.skipped[0]!.reason, /tickSize/);
  assert.equal(info.value.rateLimits.length, 4);
  assert.equal(info.value.exchangeCaps.maxNumOrders, 1000);
  assert.equal(info.value.exchangeCaps.maxNumAlgoOrders, undefined);
  assert.equal(info.value.serverTime, 1750476472810);
});

test('a disabled tick or step falls back to the asset precision; MIN_NOTIONAL is read too', () => {
  const r = parseSymbolRules({
    symbol: 'ABCBUSD',
    status: 'TRADING',
    baseAsset: 'ABC',
    baseAssetPrecision: 6,
    quoteAsset: 'BUSD',
    quoteAssetPrecision: 4,
    orderTypes: ['LIMIT', 'MARKET', 'SOMETHING_NEW'],
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: '0', maxPrice: '0', tickSize: '0.00000000' },
      { filterType: 'MIN_NOTIONAL', minNotional: '10.5', applyToMarket: true, avgPriceMins: 5 },
      { filterType: 'SOME_FUTURE_FILTER', x: 1 },
    ],
  });
  assert.ok(r.ok);
  assert.equal(r.value.instrument.priceScale, 4);
  assert.equal(r.value.instrument.qtyScale, 6);
  assert.equal(r.value.instrument.notionalMin, 105n * 10n ** 17n);
  assert.deepEqual([...r.value.orderTypes], ['LIMIT', 'MARKET']);
  assert.equal(r.value.filters.other.length, 1);
  assert.equal(r.value.ocoAllowed, false); // absent flags default to false
  assert.deepEqual(r.value.filters.minNotional, {
    minNotional: 105n * 10n ** 17n,
    applyToMarket: true,
    avgPriceMins: 5,
  });
});

test('ccxt-style stringified integers are accepted; garbage is refused', () => {
  assert.ok(symbolFilterSchema.safeParse({ filterType: 'MAX_NUM_ORDERS', maxNumOrders: '200' }).success);
  assert.equal(symbolFilterSchema.safeParse({ filterType: 'LOT_SIZE', minQty: '1e-5' }).success, false);
  assert.equal(parseExchangeInfo({ symbols: 'x' }).ok, false);
});
