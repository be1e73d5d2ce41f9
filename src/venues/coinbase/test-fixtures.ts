// Test support, not used by production code: product rows shaped like Coinbase's `GET /products`
// (field names of product_btc_usd.json; the increments of the smaller products are the ones the
// ccxt request fixtures need), and where the shared example payloads are.

import { fileURLToPath } from 'node:url';
import { type ProductRules, parseProduct } from './products.ts';

/** shared/venues/examples/coinbase, beside the repository. */
export const EXAMPLES_DIR = fileURLToPath(
  new URL('../../../../shared/venues/examples/coinbase/', import.meta.url),
);
/** shared/venues/ccxt-static, beside the repository. */
export const CCXT_DIR = fileURLToPath(new URL('../../../../shared/venues/ccxt-static/', import.meta.url));

/** A product row; `BTC-USD` has Coinbase's increments and limits. */
export function productRow(productId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [base, quote] = productId.split('-');
  const small = base !== 'BTC' && base !== 'ETH';
  return {
    product_id: productId,
    base_increment: small ? '0.1' : '0.00000001',
    quote_increment: small ? '0.0001' : '0.01',
    price_increment: small ? '0.0001' : '0.01',
    base_min_size: small ? '1' : '0.00000001',
    base_max_size: small ? '1000000' : '3400',
    quote_min_size: '1',
    quote_max_size: '150000000',
    status: 'online',
    product_type: 'SPOT',
    base_currency_id: base,
    quote_currency_id: quote,
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    is_disabled: false,
    view_only: false,
    auction_mode: false,
    ...extra,
  };
}

/** The parsed rules of a product row. */
export function rulesOf(productId: string, extra: Record<string, unknown> = {}): ProductRules {
  const r = parseProduct(productRow(productId, extra));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
