// Coinbase products as Ordo instruments (venues.md 3.7). Product `BTC-USD` becomes instrument
// `coinbase:BTC/USD`:
//
//   price_increment (the tick; quote_increment when absent)  → priceIncrement
//   base_increment                                           → qtyIncrement
//   base_min_size                                            → qtyMin (rounded up to the lot)
//   quote_min_size                                           → notionalMin
//   base_max_size, quote_max_size, status and the flags      → kept in ProductRules for the checks
//
// Products that are not SPOT, or whose increments do not make an instrument, are skipped and
// listed with the reason.

import { z } from 'zod';
import { parseUnits, parseUnitsRounded, toSafe } from '../../core/decimal.ts';
import { codedError, err, ok, type Result } from '../../core/errors.ts';
import { defineInstrument, FEE_PRESETS, type Instrument, MONEY_SCALE } from '../../model/instrument.ts';
import { boolLike, decimalString, optDecimal, optString, zodMessage } from './wire.ts';

/** Venue id of Coinbase in Ordo instrument keys (`coinbase:BTC/USD`). */
export const COINBASE_VENUE = 'coinbase';

const flag = boolLike.optional().transform((v) => v === true);

/** One product of `GET /products` or `GET /products/{id}`. Unknown fields are ignored. */
export const productSchema = z.object({
  product_id: z.string().min(1),
  base_increment: decimalString,
  quote_increment: decimalString,
  price_increment: optDecimal,
  base_min_size: decimalString,
  base_max_size: optDecimal,
  quote_min_size: optDecimal,
  quote_max_size: optDecimal,
  status: optString,
  product_type: optString,
  base_currency_id: optString,
  quote_currency_id: optString,
  cancel_only: flag,
  limit_only: flag,
  post_only: flag,
  trading_disabled: flag,
  is_disabled: flag,
  view_only: flag,
  auction_mode: flag,
});
export type ProductWire = z.infer<typeof productSchema>;

/** `GET /products`. */
export const productsSchema = z.object({
  products: z.array(z.unknown()),
  num_products: z.number().optional(),
});

/** An instrument and what else Coinbase says about trading it. */
export interface ProductRules {
  readonly productId: string;
  readonly instrument: Instrument;
  /** Largest order quantity in quantity units, when the product says. */
  readonly qtyMax: number | undefined;
  /** Largest order value in money units, when the product says. */
  readonly notionalMax: bigint | undefined;
  readonly status: string;
  readonly cancelOnly: boolean;
  readonly limitOnly: boolean;
  readonly postOnly: boolean;
  /** trading_disabled, is_disabled or view_only. */
  readonly disabled: boolean;
  readonly auctionMode: boolean;
}

export interface ProductOptions {
  /** Fee rates (fractions) for the instruments; Coinbase's lowest tier by default. */
  readonly feeMaker?: string;
  readonly feeTaker?: string;
}

/** The venue-neutral symbol of a product: `BTC-USD` → `BTC/USD`. */
export function symbolOfProduct(productId: string): string {
  const i = productId.indexOf('-');
  return i < 0 ? productId : `${productId.slice(0, i)}/${productId.slice(i + 1)}`;
}

/** The product of a venue-neutral symbol: `BTC/USD` → `BTC-USD`. */
export function productOfSymbol(symbol: string): string {
  return symbol.replace('/', '-');
}

/** Reads one product into its rules, or says why it cannot be traded through Ordo. */
export function parseProduct(json: unknown, options: ProductOptions = {}): Result<ProductRules> {
  const p = productSchema.safeParse(json);
  if (!p.success) return err(codedError('invalid_field', `product: ${zodMessage(p.error)}`));
  const w = p.data;
  const what = `product ${w.product_id}`;
  if (w.product_type !== undefined && w.product_type !== 'SPOT')
    return err(codedError('unsupported', `${what} is ${w.product_type}, not SPOT`));
  const base = w.base_currency_id ?? w.product_id.split('-')[0];
  const quote = w.quote_currency_id ?? w.product_id.split('-').slice(1).join('-');
  const tick = w.price_increment ?? w.quote_increment;
  const qtyScale = (w.base_increment.split('.')[1] ?? '').replace(/0+$/, '').length;
  // A minimum with more places than the lot is rounded up onto the lot grid.
  const minUnits = parseUnitsRounded(w.base_min_size, qtyScale, 'ceil');
  const inst = defineInstrument({
    venue: COINBASE_VENUE,
    symbol: `${base}/${quote}`,
    priceIncrement: tick,
    qtyIncrement: w.base_increment,
    qtyMin: minUnits === undefined ? undefined : formatUnitsPlain(minUnits, qtyScale),
    notionalMin: w.quote_min_size,
    feeMaker: options.feeMaker ?? FEE_PRESETS.coinbase.feeMaker,
    feeTaker: options.feeTaker ?? FEE_PRESETS.coinbase.feeTaker,
  });
  if (!inst.ok) return err(codedError('invalid_field', `${what}: ${inst.error.message}`));
  const i = inst.value;
  const qtyMax = w.base_max_size === undefined ? undefined : parseUnits(w.base_max_size, i.qtyScale);
  const notionalMax = w.quote_max_size === undefined ? undefined : parseUnits(w.quote_max_size, MONEY_SCALE);
  return ok({
    productId: w.product_id,
    instrument: i,
    qtyMax: qtyMax === undefined ? undefined : toSafe(qtyMax),
    notionalMax,
    status: w.status ?? 'online',
    cancelOnly: w.cancel_only,
    limitOnly: w.limit_only,
    postOnly: w.post_only,
    disabled: w.trading_disabled || w.is_disabled || w.view_only,
    auctionMode: w.auction_mode,
  });
}

function formatUnitsPlain(units: bigint, scale: number): string {
  const s = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/** Products by instrument key and by product id. */
export class ProductMap {
  private readonly byKey = new Map<string, ProductRules>();
  private readonly byId = new Map<string, ProductRules>();

  constructor(rules: readonly ProductRules[]) {
    for (const r of rules) {
      this.byKey.set(r.instrument.key, r);
      this.byId.set(r.productId, r);
    }
  }

  byInstrumentKey(key: string): ProductRules | undefined {
    return this.byKey.get(key);
  }

  byProductId(id: string): ProductRules | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<ProductRules> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** Reads `GET /products`: the rules of every SPOT product, and why the others were skipped. */
export function parseProducts(
  json: unknown,
  options: ProductOptions & { readonly only?: readonly string[] } = {},
): Result<{ products: ProductMap; skipped: readonly string[] }> {
  const body = productsSchema.safeParse(json);
  if (!body.success) return err(codedError('invalid_field', `products: ${zodMessage(body.error)}`));
  const only = options.only === undefined ? undefined : new Set(options.only);
  const rules: ProductRules[] = [];
  const skipped: string[] = [];
  for (const raw of body.data.products) {
    const id = (raw as { product_id?: unknown } | null)?.product_id;
    if (only !== undefined && (typeof id !== 'string' || !only.has(id))) continue;
    const r = parseProduct(raw, options);
    if (r.ok) rules.push(r.value);
    else skipped.push(r.error.message);
  }
  if (only !== undefined)
    for (const id of only)
      if (!rules.some((r) => r.productId === id)) skipped.push(`product ${id} is not listed`);
  return ok({ products: new ProductMap(rules), skipped });
}
