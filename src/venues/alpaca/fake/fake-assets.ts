// The fake's asset table: Alpaca assets (us_equity and crypto, as GET /v2/assets shows them) and
// the Ordo Instrument each one trades as in the paper matcher.
//
// - Crypto pairs (`BTC/USD`) use the asset's own grid: price_increment is the tick,
//   min_trade_increment the lot, min_order_size the smallest quantity. The legacy form `BTCUSD`
//   finds the same asset.
// - Equities have no increment fields on Alpaca. Their instrument is `AAPL/USD` with a 0.0001 tick
//   (prices below $1 may have 4 decimals; the sub-penny rule for prices ≥ $1 is checked on order
//   entry) and a 10^-9 lot (fractional quantities have up to 9 decimals; whole shares are enforced
//   on entry for assets that are not fractionable).

import { parseUnits } from '../../../core/decimal.ts';
import { unwrap } from '../../../core/errors.ts';
import { defineInstrument, type Instrument } from '../../../model/instrument.ts';
import { stableUuid } from './fake-format.ts';

export const VENUE = 'alpaca';
export type AssetClass = 'us_equity' | 'crypto';

/** Equities: the price grid of the sub-penny rule (4 decimals below $1) and 9-decimal quantities. */
export const EQUITY_PRICE_INCREMENT = '0.0001';
export const EQUITY_QTY_INCREMENT = '0.000000001';

export interface FakeAssetInput {
  /** `AAPL`, or a crypto pair `BTC/USD`. */
  readonly symbol: string;
  /** Default: `crypto` when the symbol has a slash, else `us_equity`. */
  readonly class?: AssetClass;
  /** Default: a UUID derived from the symbol. */
  readonly id?: string;
  readonly name?: string;
  /** Default `CRYPTO` for crypto, `NASDAQ` for equities. */
  readonly exchange?: string;
  /** Default true. */
  readonly fractionable?: boolean;
  /** Default true. */
  readonly tradable?: boolean;
  /** Crypto only: smallest quantity; default the min_trade_increment. */
  readonly minOrderSize?: string;
  /** Crypto only: quantity step; default `0.000000001`. */
  readonly minTradeIncrement?: string;
  /** Crypto only: price step; default `0.01`. */
  readonly priceIncrement?: string;
}

/** Commission rates as fractions (`0.0025` = 0.25 %), charged on crypto fills in the quote currency. */
export interface Commission {
  readonly maker: string;
  readonly taker: string;
}

export interface AssetSpec {
  readonly id: string;
  readonly symbol: string;
  readonly cls: AssetClass;
  readonly name: string;
  readonly exchange: string;
  readonly fractionable: boolean;
  readonly tradable: boolean;
  readonly base: string;
  readonly quote: string;
  /** Crypto: decimal strings exactly as configured. */
  readonly minOrderSize: string | undefined;
  readonly minTradeIncrement: string | undefined;
  readonly priceIncrement: string | undefined;
  /** Smallest quantity in instrument units (one lot for equities). */
  readonly minQty: number;
  readonly instrument: Instrument;
}

/** BTC/USD and AAPL carry the ids of Alpaca's documented examples. */
export const DEFAULT_ASSETS: readonly FakeAssetInput[] = [
  {
    symbol: 'BTC/USD',
    id: '276e2673-764b-4ab6-a611-caf665ca6340',
    name: 'Bitcoin / US Dollar',
    minOrderSize: '0.0001',
    minTradeIncrement: '0.000000001',
    priceIncrement: '0.01',
  },
  {
    symbol: 'ETH/USD',
    name: 'Ethereum / US Dollar',
    minOrderSize: '0.001',
    minTradeIncrement: '0.000000001',
    priceIncrement: '0.01',
  },
  { symbol: 'AAPL', id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415', name: 'Apple Inc. Common Stock' },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', exchange: 'ARCA' },
];

/** Builds an asset; throws an Error naming the field when the input is inconsistent. */
export function buildAsset(input: FakeAssetInput, commission: Commission): AssetSpec {
  const cls: AssetClass = input.class ?? (input.symbol.includes('/') ? 'crypto' : 'us_equity');
  const fail = (field: string, why: string): never => {
    throw new Error(`asset ${input.symbol}: ${field} ${why}`);
  };
  let base: string;
  let quote: string;
  if (cls === 'crypto') {
    const parts = input.symbol.split('/');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') fail('symbol', 'must look like BASE/QUOTE');
    base = parts[0] as string;
    quote = parts[1] as string;
  } else {
    if (!/^[A-Z][A-Z0-9.]*$/.test(input.symbol)) fail('symbol', 'must be an upper-case ticker');
    base = input.symbol;
    quote = 'USD';
  }
  const lot = cls === 'crypto' ? (input.minTradeIncrement ?? '0.000000001') : EQUITY_QTY_INCREMENT;
  const tick = cls === 'crypto' ? (input.priceIncrement ?? '0.01') : EQUITY_PRICE_INCREMENT;
  const rates = cls === 'crypto' ? commission : { maker: '0', taker: '0' };
  const instrument = unwrap(
    defineInstrument({
      venue: VENUE,
      symbol: `${base}/${quote}`,
      kind: cls === 'crypto' ? 'crypto_spot' : 'equity',
      priceIncrement: tick,
      qtyIncrement: lot,
      feeMaker: rates.maker,
      feeTaker: rates.taker,
    }),
  );
  const minOrderSize = cls === 'crypto' ? (input.minOrderSize ?? lot) : undefined;
  let minQty = instrument.qtyIncrement;
  if (minOrderSize !== undefined) {
    const units = parseUnits(minOrderSize, instrument.qtyScale);
    if (units === undefined || units <= 0n || units % BigInt(instrument.qtyIncrement) !== 0n)
      fail('minOrderSize', `${minOrderSize} must be a positive multiple of min_trade_increment ${lot}`);
    minQty = Number(units);
  }
  return {
    id: input.id ?? stableUuid(`alpaca-asset:${input.symbol}`),
    symbol: input.symbol,
    cls,
    name: input.name ?? (cls === 'crypto' ? `${base} / ${quote}` : input.symbol),
    exchange: input.exchange ?? (cls === 'crypto' ? 'CRYPTO' : 'NASDAQ'),
    fractionable: input.fractionable ?? true,
    tradable: input.tradable ?? true,
    base,
    quote,
    minOrderSize,
    minTradeIncrement: cls === 'crypto' ? lot : undefined,
    priceIncrement: cls === 'crypto' ? tick : undefined,
    minQty,
    instrument,
  };
}

/** Symbol lookups as Alpaca accepts them: the symbol, the legacy crypto form without a slash, the id. */
export class AssetTable {
  private readonly bySymbol = new Map<string, AssetSpec>();
  private readonly byKey = new Map<string, AssetSpec>();

  constructor(readonly list: readonly AssetSpec[]) {
    for (const a of list) {
      for (const name of new Set([a.symbol, a.symbol.replace('/', ''), a.id])) {
        if (this.bySymbol.has(name)) throw new Error(`asset ${a.symbol}: ${name} is listed twice`);
        this.bySymbol.set(name, a);
      }
      this.byKey.set(a.instrument.key, a);
    }
  }

  /** By symbol (`BTC/USD`, `BTCUSD`, `AAPL`) or asset id. */
  find(symbolOrId: string): AssetSpec | undefined {
    return this.bySymbol.get(symbolOrId) ?? this.bySymbol.get(symbolOrId.toUpperCase());
  }

  /** By Ordo instrument key (`alpaca:BTC/USD`). */
  byInstrument(key: string): AssetSpec | undefined {
    return this.byKey.get(key);
  }
}

/** A position's symbol: Alpaca writes crypto positions without the slash (`BTCUSD`). */
export function positionSymbol(a: AssetSpec): string {
  return a.symbol.replace('/', '');
}

/** The asset as GET /v2/assets/{symbol} answers. */
export function assetJson(a: AssetSpec): Record<string, unknown> {
  const common = {
    id: a.id,
    class: a.cls,
    exchange: a.exchange,
    symbol: a.symbol,
    name: a.name,
    status: 'active',
    tradable: a.tradable,
  };
  if (a.cls === 'crypto')
    return {
      ...common,
      marginable: false,
      maintenance_margin_requirement: 100,
      margin_requirement_long: '100',
      margin_requirement_short: '100',
      shortable: false,
      easy_to_borrow: false,
      fractionable: true,
      attributes: [],
      min_order_size: a.minOrderSize,
      min_trade_increment: a.minTradeIncrement,
      price_increment: a.priceIncrement,
    };
  return {
    ...common,
    marginable: true,
    maintenance_margin_requirement: 30,
    margin_requirement_long: '30',
    margin_requirement_short: '100',
    shortable: false,
    easy_to_borrow: false,
    fractionable: a.fractionable,
    attributes: a.fractionable ? ['fractional_eh_enabled'] : [],
  };
}
