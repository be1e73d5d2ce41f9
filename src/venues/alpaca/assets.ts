// Alpaca assets (`GET /v2/assets`, venues.md 1.8) as Ordo instruments, and the per-asset rules the
// adapter checks before sending (order-rules.ts).
//
// Symbols. An equity keeps its ticker: `AAPL` is the instrument `alpaca:AAPL` (kind `equity`,
// base AAPL, quote USD). A crypto pair keeps its slash form: `BTC/USD` is `alpaca:BTC/USD`
// (kind `crypto_spot`); the legacy form `BTCUSD`, which older orders and activities still carry,
// finds the same asset.
//
// Grids. Equities have no increment fields: prices are counted in 0.0001 (the finest the sub-penny
// rule allows, below $1) and the rule that prices at or above $1 take whole cents is checked per
// order (order-rules.ts), since one instrument has one tick; quantities are whole shares, or
// 0.000000001 when the asset is fractionable (Alpaca takes up to 9 decimals). Crypto takes its
// tick from `price_increment`, its lot from `min_trade_increment` and its minimum from
// `min_order_size` (rounded up onto the lot when it has more decimals than the lot).

import { z } from 'zod';
import { decimalPlaces, formatUnits, parseUnits, roundToStep } from '../../core/decimal.ts';
import { codedError, err, type OrdoError, ok, type Result } from '../../core/errors.ts';
import { defineInstrument, FEE_PRESETS, type Instrument } from '../../model/instrument.ts';
import { optDecimal, zodMessage } from './wire.ts';

export const ALPACA_VENUE = 'alpaca';

/** Equity price grid: sub-penny is allowed below $1, so prices are counted in 0.0001. */
export const EQUITY_PRICE_INCREMENT = '0.0001';
/** Fractional shares and crypto quantities: Alpaca takes at most 9 decimals. */
export const FRACTIONAL_QTY_INCREMENT = '0.000000001';

/** One element of `GET /v2/assets` (unknown fields ignored). */
export const assetSchema = z.object({
  id: z.string(),
  class: z.string(),
  exchange: z.string().optional(),
  symbol: z.string().min(1),
  name: z.string().optional(),
  status: z.string(),
  tradable: z.boolean(),
  marginable: z.boolean().optional(),
  shortable: z.boolean().optional(),
  easy_to_borrow: z.boolean().optional(),
  fractionable: z.boolean().optional(),
  min_order_size: optDecimal,
  min_trade_increment: optDecimal,
  price_increment: optDecimal,
});
export type Asset = z.infer<typeof assetSchema>;
export const assetsSchema = z.array(assetSchema);

export type AssetClass = 'us_equity' | 'crypto';

/** What Ordo knows of one tradable asset. */
export interface AssetRules {
  /** The symbol Alpaca takes in orders: `AAPL`, `BTC/USD`. */
  readonly venueSymbol: string;
  readonly assetId: string;
  readonly assetClass: AssetClass;
  readonly instrument: Instrument;
  readonly tradable: boolean;
  readonly fractionable: boolean;
  readonly shortable: boolean;
}

export interface InstrumentOptions {
  /** Crypto fee rates as fractions (default Alpaca's published 0.15 % maker / 0.25 % taker). */
  readonly cryptoFeeMaker?: string;
  readonly cryptoFeeTaker?: string;
}

/** The rules of one asset, or why it cannot be an Ordo instrument (options, inactive, odd grid). */
export function assetRules(a: Asset, options: InstrumentOptions = {}): Result<AssetRules> {
  if (a.class !== 'us_equity' && a.class !== 'crypto')
    return err(codedError('unsupported', `${a.symbol}: asset class ${a.class} is not traded by Ordo`));
  if (a.class === 'us_equity') {
    if (a.symbol.includes('/'))
      return err(codedError('invalid_field', `${a.symbol}: an equity ticker has no slash`));
    const fractionable = a.fractionable === true;
    const inst = defineInstrument({
      venue: ALPACA_VENUE,
      symbol: `${a.symbol}/USD`,
      kind: 'equity',
      priceIncrement: EQUITY_PRICE_INCREMENT,
      qtyIncrement: fractionable ? FRACTIONAL_QTY_INCREMENT : '1',
      feeMaker: FEE_PRESETS.equity.feeMaker,
      feeTaker: FEE_PRESETS.equity.feeTaker,
    });
    if (!inst.ok) return err(codedError('invalid_field', `${a.symbol}: ${inst.error.message}`));
    // An equity keeps its bare ticker as its Ordo symbol: `alpaca:AAPL`.
    const instrument: Instrument = Object.freeze({
      ...inst.value,
      symbol: a.symbol,
      key: `${ALPACA_VENUE}:${a.symbol}`,
    });
    return ok(rulesOf(a, 'us_equity', instrument, fractionable));
  }
  const [base, quote] = a.symbol.split('/');
  if (base === undefined || quote === undefined || base === '' || quote === '')
    return err(codedError('invalid_field', `${a.symbol}: a crypto symbol must look like BASE/QUOTE`));
  const qtyIncrement = a.min_trade_increment ?? FRACTIONAL_QTY_INCREMENT;
  const inst = defineInstrument({
    venue: ALPACA_VENUE,
    symbol: a.symbol,
    kind: 'crypto_spot',
    priceIncrement: a.price_increment ?? FRACTIONAL_QTY_INCREMENT,
    qtyIncrement,
    qtyMin: minOnLot(a.min_order_size, qtyIncrement),
    feeMaker: options.cryptoFeeMaker ?? FEE_PRESETS.alpaca_crypto.feeMaker,
    feeTaker: options.cryptoFeeTaker ?? FEE_PRESETS.alpaca_crypto.feeTaker,
  });
  if (!inst.ok) return err(codedError('invalid_field', `${a.symbol}: ${inst.error.message}`));
  return ok(rulesOf(a, 'crypto', inst.value, true));
}

function rulesOf(
  a: Asset,
  assetClass: AssetClass,
  instrument: Instrument,
  fractionable: boolean,
): AssetRules {
  return {
    venueSymbol: a.symbol,
    assetId: a.id,
    assetClass,
    instrument,
    tradable: a.tradable && a.status === 'active',
    fractionable,
    shortable: a.shortable === true,
  };
}

/** `min_order_size` on the lot grid, rounded up when it has more decimals than the lot. */
function minOnLot(min: string | undefined, lot: string): string | undefined {
  if (min === undefined) return undefined;
  const scale = decimalPlaces(lot);
  const places = decimalPlaces(min);
  if (scale === undefined || places === undefined) return undefined;
  const work = Math.max(scale, places);
  const m = parseUnits(min, work);
  const step = parseUnits(lot, work);
  if (m === undefined || step === undefined || step <= 0n) return undefined;
  const up = roundToStep(m, step, 'ceil');
  return formatUnits(up, work, true);
}

/** The assets Ordo trades, by instrument key and by venue symbol (legacy `BTCUSD` too). */
export class AssetMap {
  private readonly byKey = new Map<string, AssetRules>();
  private readonly bySymbol = new Map<string, AssetRules>();

  constructor(rules: readonly AssetRules[]) {
    for (const r of rules) {
      this.byKey.set(r.instrument.key, r);
      this.bySymbol.set(r.venueSymbol, r);
      if (r.assetClass === 'crypto') this.bySymbol.set(r.venueSymbol.replace('/', ''), r);
    }
  }

  byInstrumentKey(key: string): AssetRules | undefined {
    return this.byKey.get(key);
  }

  /** By the symbol an order, event or activity carries (`AAPL`, `BTC/USD`, `BTCUSD`, `AAPL `). */
  byVenueSymbol(symbol: string): AssetRules | undefined {
    const s = symbol.trim();
    return this.bySymbol.get(s) ?? this.bySymbol.get(s.replace('/', ''));
  }

  values(): IterableIterator<AssetRules> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** What reading the asset list gave: the map, and why each skipped asset was skipped. */
export interface AssetList {
  readonly assets: AssetMap;
  readonly skipped: readonly { readonly symbol: string; readonly reason: string }[];
}

/**
 * Reads `GET /v2/assets` into an AssetMap: active tradable equities and crypto pairs (only
 * `symbols` when given, which must all be there). Options and unreadable rows are skipped.
 */
export function parseAssets(
  json: unknown,
  options: InstrumentOptions & { readonly symbols?: readonly string[] } = {},
): Result<AssetList> {
  const parsed = assetsSchema.safeParse(json);
  if (!parsed.success) return err(codedError('invalid_field', `assets: ${zodMessage(parsed.error)}`));
  const wanted = options.symbols === undefined ? undefined : new Set(options.symbols);
  const rules: AssetRules[] = [];
  const skipped: { symbol: string; reason: string }[] = [];
  const found = new Set<string>();
  for (const a of parsed.data) {
    if (wanted !== undefined && !wanted.has(a.symbol) && !wanted.has(a.symbol.replace('/', ''))) continue;
    const r = assetRules(a, options);
    if (!r.ok) {
      skipped.push({ symbol: a.symbol, reason: r.error.message });
      continue;
    }
    if (!r.value.tradable) {
      skipped.push({ symbol: a.symbol, reason: `${a.symbol} is ${a.status}, tradable ${a.tradable}` });
      continue;
    }
    rules.push(r.value);
    found.add(a.symbol);
    found.add(a.symbol.replace('/', ''));
  }
  if (wanted !== undefined) {
    const missing = [...wanted].filter((s) => !found.has(s));
    if (missing.length > 0) return err(unknownSymbols(missing, skipped));
  }
  return ok({ assets: new AssetMap(rules), skipped });
}

function unknownSymbols(missing: readonly string[], skipped: readonly { symbol: string; reason: string }[]) {
  const why = missing.map((s) => {
    const sk = skipped.find((x) => x.symbol === s || x.symbol.replace('/', '') === s);
    return sk === undefined ? `${s} is not listed` : sk.reason;
  });
  return codedError('unknown_symbol', `alpaca: ${why.join('; ')}`) satisfies OrdoError;
}
