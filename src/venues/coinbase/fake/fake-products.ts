// The fake's product table: Coinbase Advanced Trade products (`GET /products/{product_id}` shape,
// increments and size limits as decimal strings) turned into the exact integer form the fake checks
// orders with, plus the Ordo Instrument each product trades as in the paper matcher.
//
// A product's price unit is its `price_increment` and its quantity unit its `base_increment`, so
// a price or size that is on the product's grid converts to instrument units without rounding.
// Quote amounts (`quote_size`, `quote_min_size`, balances, fees) are money: bigint units of
// 10^-MONEY_SCALE, exact for every decimal Coinbase sends.

import { decimalPlaces, formatUnits, parseUnits } from '../../../core/decimal.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../../../model/instrument.ts';

/** Venue id of the instruments (`coinbase:BTC/USD`). */
export const VENUE = 'coinbase';

/** A product as the fake is configured with it (decimal strings, Coinbase's names). */
export interface FakeProductInput {
  /** `BASE-QUOTE`, e.g. `BTC-USD`. */
  readonly productId: string;
  readonly baseIncrement: string;
  readonly quoteIncrement: string;
  readonly priceIncrement: string;
  readonly baseMinSize: string;
  readonly baseMaxSize: string;
  readonly quoteMinSize: string;
  readonly quoteMaxSize: string;
  readonly baseName?: string;
  readonly quoteName?: string;
  /** Product flags; all false by default. */
  readonly limitOnly?: boolean;
  readonly postOnly?: boolean;
  readonly cancelOnly?: boolean;
  readonly tradingDisabled?: boolean;
}

/** Fee rates as decimal fractions, e.g. `{ maker: '0.006', taker: '0.008' }`. */
export interface Commission {
  readonly maker: string;
  readonly taker: string;
}

/** A product in checked, integer form. */
export interface ProductSpec {
  readonly input: FakeProductInput;
  readonly productId: string;
  readonly base: string;
  readonly quote: string;
  /** Prices in units of price_increment's scale, quantities of base_increment's scale. */
  readonly instrument: Instrument;
  /** Quantity units. */
  readonly baseMin: number;
  readonly baseMax: number;
  /** Money units. */
  readonly quoteIncrement: bigint;
  readonly quoteMin: bigint;
  readonly quoteMax: bigint;
}

/** BTC-USD (increments and limits of Coinbase's product, product_btc_usd.json) and ETH-USD. */
export const DEFAULT_PRODUCTS: readonly FakeProductInput[] = [
  {
    productId: 'BTC-USD',
    baseIncrement: '0.00000001',
    quoteIncrement: '0.01',
    priceIncrement: '0.01',
    baseMinSize: '0.00000001',
    baseMaxSize: '3400',
    quoteMinSize: '1',
    quoteMaxSize: '150000000',
    baseName: 'Bitcoin',
    quoteName: 'US Dollar',
  },
  {
    productId: 'ETH-USD',
    baseIncrement: '0.00000001',
    quoteIncrement: '0.01',
    priceIncrement: '0.01',
    baseMinSize: '0.00000001',
    baseMaxSize: '42000',
    quoteMinSize: '1',
    quoteMaxSize: '150000000',
    baseName: 'Ethereum',
    quoteName: 'US Dollar',
  },
];

/** Coinbase's default fee tier for Advanced Trade (Ordo's FEE_PRESETS.coinbase). */
export const DEFAULT_COMMISSION: Commission = { maker: '0.006', taker: '0.008' };

/** Currencies the fake lists as fiat accounts (`ACCOUNT_TYPE_FIAT`). */
export const FIAT = new Set(['USD', 'EUR', 'GBP']);

function field(productId: string, name: string, text: string): bigint {
  const places = decimalPlaces(text);
  const v = places === undefined ? undefined : parseUnits(text, MONEY_SCALE);
  if (v === undefined || v < 0n)
    throw new Error(
      `product ${productId}: ${name} must be a non-negative decimal, got ${JSON.stringify(text)}`,
    );
  return v;
}

/** Checks a product definition and derives its instrument; throws naming the field at fault. */
export function buildProduct(p: FakeProductInput, commission: Commission): ProductSpec {
  const parts = p.productId.split('-');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '')
    throw new Error(`product ${p.productId}: productId must look like BASE-QUOTE`);
  const [base, quote] = parts as [string, string];
  const made = defineInstrument({
    venue: VENUE,
    symbol: `${base}/${quote}`,
    priceIncrement: p.priceIncrement,
    qtyIncrement: p.baseIncrement,
    qtyMin: p.baseMinSize,
    notionalMin: p.quoteMinSize,
    feeMaker: commission.maker,
    feeTaker: commission.taker,
  });
  if (!made.ok) throw new Error(`product ${p.productId}: ${made.error.message}`);
  const inst = made.value;
  const qty = (name: string, text: string): number => {
    const v = parseUnits(text, inst.qtyScale);
    if (
      v === undefined ||
      v < 0n ||
      v % BigInt(inst.qtyIncrement) !== 0n ||
      v > BigInt(Number.MAX_SAFE_INTEGER)
    )
      throw new Error(`product ${p.productId}: ${name} must be a multiple of base_increment, got ${text}`);
    return Number(v);
  };
  const quoteIncrement = field(p.productId, 'quoteIncrement', p.quoteIncrement);
  if (quoteIncrement <= 0n) throw new Error(`product ${p.productId}: quoteIncrement must be > 0`);
  return {
    input: p,
    productId: p.productId,
    base,
    quote,
    instrument: inst,
    baseMin: qty('baseMinSize', p.baseMinSize),
    baseMax: qty('baseMaxSize', p.baseMaxSize),
    quoteIncrement,
    quoteMin: field(p.productId, 'quoteMinSize', p.quoteMinSize),
    quoteMax: field(p.productId, 'quoteMaxSize', p.quoteMaxSize),
  };
}

// ---- decimal text ------------------------------------------------------------------------------

/** A price in instrument units as Coinbase writes it (trailing zeros dropped). */
export const priceText = (spec: ProductSpec, units: number): string =>
  formatUnits(units, spec.instrument.priceScale, true);

/** A base quantity in instrument units as Coinbase writes it. */
export const qtyText = (spec: ProductSpec, units: number): string =>
  formatUnits(units, spec.instrument.qtyScale, true);

/** Money units as a decimal string, trailing zeros dropped. */
export const moneyText = (units: bigint): string => formatUnits(units, MONEY_SCALE, true);

/** A decimal string as money units; undefined when it is not a plain decimal within 18 places. */
export const parseMoney = (text: string): bigint | undefined => parseUnits(text, MONEY_SCALE);

/** Money units of one instrument quantity unit (qty units → base money). */
export function qtyMoney(spec: ProductSpec, qty: number): bigint {
  return BigInt(qty) * 10n ** BigInt(MONEY_SCALE - spec.instrument.qtyScale);
}

/** ISO-8601 with microseconds, as Coinbase writes its timestamps (`…T10:19:47.423000Z`). */
export function isoMicros(ms: number, micros = 0): string {
  const iso = new Date(ms).toISOString(); // …T10:19:47.423Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** The product object of `GET /products/{product_id}` (fields of product_btc_usd.json). */
export function productJson(
  spec: ProductSpec,
  market: { last: number | undefined; bid: number | undefined; ask: number | undefined },
): Record<string, unknown> {
  const p = spec.input;
  const px = (v: number | undefined): string => (v === undefined ? '' : priceText(spec, v));
  // Half the sum of bid and ask: exact with one more decimal than the tick.
  const mid =
    market.bid !== undefined && market.ask !== undefined
      ? formatUnits((BigInt(market.bid) + BigInt(market.ask)) * 5n, spec.instrument.priceScale + 1, true)
      : '';
  return {
    product_id: spec.productId,
    price: px(market.last),
    price_percentage_change_24h: '0',
    volume_24h: '0',
    volume_percentage_change_24h: '0',
    base_increment: p.baseIncrement,
    quote_increment: p.quoteIncrement,
    quote_min_size: p.quoteMinSize,
    quote_max_size: p.quoteMaxSize,
    base_min_size: p.baseMinSize,
    base_max_size: p.baseMaxSize,
    base_name: p.baseName ?? spec.base,
    quote_name: p.quoteName ?? spec.quote,
    watched: false,
    is_disabled: false,
    new: false,
    status: 'online',
    cancel_only: p.cancelOnly ?? false,
    limit_only: p.limitOnly ?? false,
    post_only: p.postOnly ?? false,
    trading_disabled: p.tradingDisabled ?? false,
    auction_mode: false,
    product_type: 'SPOT',
    quote_currency_id: spec.quote,
    base_currency_id: spec.base,
    fcm_trading_session_details: null,
    mid_market_price: mid,
    alias: '',
    alias_to: [],
    base_display_symbol: spec.base,
    quote_display_symbol: spec.quote,
    view_only: false,
    price_increment: p.priceIncrement,
    display_name: spec.productId,
    product_venue: 'CBE',
    approximate_quote_24h_volume: '0',
    best_bid_price: px(market.bid),
    best_ask_price: px(market.ask),
  };
}
