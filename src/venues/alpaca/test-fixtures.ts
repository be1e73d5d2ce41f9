// Test support, not used by production code: Alpaca assets shaped like `GET /v2/assets` rows (the
// documented AAPL and BTC/USD examples, a whole-share equity, a penny stock) and helpers to build
// Ordo venue requests in the assets' units.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '../../core/errors.ts';
import type { VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import { type AssetRules, assetRules, assetSchema } from './assets.ts';

/** Where the shared venue examples and ccxt fixtures live. */
export const EXAMPLES_DIR = '/work/shared/venues/examples/alpaca';
export const CCXT_DIR = '/work/shared/venues/ccxt-static';

/** Every example file, by name. */
export function examples(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const name of readdirSync(EXAMPLES_DIR).sort())
    if (name.endsWith('.json')) out.set(name, JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8')));
  return out;
}

/** One example file's JSON. */
export function example(name: string): unknown {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));
}

/** A ccxt static fixture file (`request/alpaca.json`, `response/alpaca.json`). */
export function ccxt(path: string): {
  methods: Record<
    string,
    { description: string; url?: string; input: unknown[]; output?: string; httpResponse?: unknown }[]
  >;
} {
  return JSON.parse(readFileSync(join(CCXT_DIR, path), 'utf8'));
}

function rulesOf(row: Record<string, unknown>): AssetRules {
  return unwrap(assetRules(assetSchema.parse(row)));
}

export const AAPL: AssetRules = rulesOf(
  example('asset_equity_fractionable_aapl.json') as Record<string, unknown>,
);

/** BTC/USD with today's finer grid (the documented 2022 row had a tick of 1). */
export const BTC: AssetRules = rulesOf({
  ...(example('asset_crypto.json') as Record<string, unknown>),
  min_order_size: '0.0001',
  min_trade_increment: '0.000000001',
  price_increment: '0.01',
});

/** A whole-share equity. */
export const SPY: AssetRules = rulesOf({
  id: '00000000-0000-4000-8000-000000000001',
  class: 'us_equity',
  exchange: 'ARCA',
  symbol: 'SPY',
  status: 'active',
  tradable: true,
  fractionable: false,
});

/** A sub-dollar equity (sub-penny prices allowed below $1). */
export const PENNY: AssetRules = rulesOf({
  id: '00000000-0000-4000-8000-000000000002',
  class: 'us_equity',
  exchange: 'NASDAQ',
  symbol: 'PNNY',
  status: 'active',
  tradable: true,
  fractionable: true,
});

const num = (text: string, scale: number): number => {
  const [i, f = ''] = text.split('.');
  return Number(`${i}${f.padEnd(scale, '0')}`);
};

/** Price units of `text` for an asset. */
export const px = (r: AssetRules, text: string): number => num(text, r.instrument.priceScale);
/** Quantity units of `text` for an asset. */
export const qty = (r: AssetRules, text: string): number => num(text, r.instrument.qtyScale);

/** A venue order request on `r` with decimal texts. */
export function order(
  r: AssetRules,
  o: Partial<Omit<VenueOrderRequest, 'quantity' | 'price' | 'triggerPrice'>> & {
    quantity?: string;
    price?: string;
    triggerPrice?: string;
  } = {},
): VenueOrderRequest {
  return {
    clientOrderId: o.clientOrderId ?? 'ordo-1',
    instrument: r.instrument.key,
    side: o.side ?? 'buy',
    type: o.type ?? 'limit',
    tif: o.tif ?? 'gtc',
    expireAtMs: undefined,
    quantity: qty(r, o.quantity ?? '1'),
    price: o.price === undefined ? undefined : px(r, o.price),
    triggerPrice: o.triggerPrice === undefined ? undefined : px(r, o.triggerPrice),
    trailing: o.trailing,
    postOnly: o.postOnly ?? false,
    reduceOnly: o.reduceOnly ?? false,
  };
}

/** A venue list request. */
export function list(
  kind: VenueListRequest['kind'],
  parent: VenueOrderRequest | undefined,
  legs: readonly VenueOrderRequest[],
  trigger: 'partial' | 'full' = 'full',
): VenueListRequest {
  return { kind, listClientId: 'ordo-L1', parent, legs, trigger };
}
