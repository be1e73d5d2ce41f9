import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { VenueOrderRequest } from '../../engine/venue-port.ts';
import { checkOrder } from './checks.ts';
import { parseProduct, parseProducts, productOfSymbol, symbolOfProduct } from './products.ts';
import { EXAMPLES_DIR, productRow, rulesOf } from './test-fixtures.ts';

test('product_btc_usd.json becomes coinbase:BTC/USD with its increments and minimums', () => {
  const r = parseProduct(JSON.parse(readFileSync(join(EXAMPLES_DIR, 'product_btc_usd.json'), 'utf8')));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const i = r.value.instrument;
  assert.equal(i.key, 'coinbase:BTC/USD');
  assert.equal(r.value.productId, 'BTC-USD');
  assert.equal(i.priceScale, 2);
  assert.equal(i.priceIncrement, 1); // 0.01
  assert.equal(i.qtyScale, 8);
  assert.equal(i.qtyIncrement, 1); // 0.00000001
  assert.equal(i.qtyMin, 1);
  assert.equal(i.notionalMin, 10n ** 18n); // quote_min_size 1 USD
  assert.equal(r.value.qtyMax, 3400 * 1e8);
  assert.equal(i.feeTaker, 800_000); // 0.8 %
  assert.equal(symbolOfProduct('BTC-USD'), 'BTC/USD');
  assert.equal(productOfSymbol('BTC/USD'), 'BTC-USD');
});

test('quote_increment is the tick when price_increment is absent; non-SPOT products are skipped', () => {
  const r = parseProduct(productRow('ADA-USDT', { price_increment: '', quote_increment: '0.001' }));
  assert.ok(r.ok);
  assert.equal(r.value.instrument.priceScale, 3);
  const list = parseProducts({
    products: [
      productRow('BTC-USD'),
      { ...productRow('BIT-26APR24-CDE'), product_type: 'FUTURE' },
      { product_id: 'X' },
    ],
  });
  assert.ok(list.ok);
  assert.equal(list.value.products.size, 1);
  assert.equal(list.value.skipped.length, 2);
  const only = parseProducts(
    { products: [productRow('BTC-USD'), productRow('ETH-USD')] },
    { only: ['ETH-USD', 'SOL-USD'] },
  );
  assert.ok(only.ok);
  assert.deepEqual(
    [...only.value.products.values()].map((p) => p.productId),
    ['ETH-USD'],
  );
  assert.match(only.value.skipped.join(), /SOL-USD is not listed/);
});

const order = (o: Partial<VenueOrderRequest>): VenueOrderRequest => ({
  clientOrderId: 'c1',
  instrument: 'coinbase:BTC/USD',
  side: 'buy',
  type: 'limit',
  tif: 'gtc',
  expireAtMs: undefined,
  quantity: 100_000, // 0.001 BTC
  price: 5_000_000, // 50 000.00
  triggerPrice: undefined,
  trailing: undefined,
  postOnly: false,
  reduceOnly: false,
  ...o,
});

test('local pre-validation names the product rule an order breaks', () => {
  const btc = rulesOf('BTC-USD');
  assert.equal(checkOrder(btc, order({}), undefined), undefined);
  assert.equal(checkOrder(btc, order({ quantity: 1, price: 100 }), undefined)?.rule, 'quote_min_size');
  assert.match(
    checkOrder(btc, order({ quantity: 1, price: 100 }), undefined)?.message ?? '',
    /below the minimum 1 USD/,
  );
  assert.equal(checkOrder(btc, order({ quantity: 3401e8 }), undefined)?.rule, 'base_max_size');
  assert.equal(
    checkOrder(btc, order({ type: 'market', price: undefined, quantity: 1 }), 5_000_000)?.rule,
    'quote_min_size',
  );
  assert.equal(
    checkOrder(btc, order({ type: 'market', price: undefined, quantity: 1 }), undefined),
    undefined,
  );
  const ada = rulesOf('ADA-USDT');
  assert.equal(
    checkOrder(ada, order({ instrument: 'coinbase:ADA/USDT', quantity: 5, price: 2500 }), undefined)?.rule,
    'base_min_size',
  );
  const limitOnly = rulesOf('BTC-USD', { limit_only: true });
  assert.equal(
    checkOrder(limitOnly, order({ type: 'market', price: undefined }), undefined)?.rule,
    'limit_only',
  );
  const postOnly = rulesOf('BTC-USD', { post_only: true });
  assert.equal(checkOrder(postOnly, order({}), undefined)?.rule, 'post_only');
  assert.equal(checkOrder(postOnly, order({ postOnly: true }), undefined), undefined);
  assert.equal(
    checkOrder(rulesOf('BTC-USD', { cancel_only: true }), order({}), undefined)?.rule,
    'cancel_only',
  );
  assert.equal(
    checkOrder(rulesOf('BTC-USD', { trading_disabled: true }), order({}), undefined)?.rule,
    'trading_disabled',
  );
  const coarse = rulesOf('BTC-USD', { base_increment: '0.0001', base_min_size: '0.00005' });
  assert.equal(coarse.instrument.qtyMin, 1, 'a minimum finer than the lot rounds up to one lot');
});
