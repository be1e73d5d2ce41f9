// Instruments and the exact units their prices and quantities are counted in. A price is an
// integer number of 10^-priceScale units of the quote currency; a quantity an integer number of
// 10^-qtyScale units of the base asset; money an integer number of 10^-MONEY_SCALE units (bigint).

import { big, decimalPlaces, formatUnits, parseUnits, parseUnitsNumber, pow10 } from '../core/decimal.ts';
import { err, type FieldIssue, issuesError, ok, type Result } from '../core/errors.ts';
import { type VenueId, venueId } from '../core/ids.ts';

/** Money (cash, notional, fees, P&L) is bigint units of 10^-18 of its currency. */
export const MONEY_SCALE = 18;
/** Rates (fees, percentages as fractions) are integer units of 10^-8: 0.1 % = 100_000. */
export const RATE_SCALE = 8;
export const RATE_ONE = 100_000_000;

export type InstrumentKind = 'crypto_spot' | 'equity';

/** Default maker/taker fee rates (fractions) of the venues Ordo knows, for paper trading. */
export const FEE_PRESETS = Object.freeze({
  binance: { feeMaker: '0.001', feeTaker: '0.001' },
  coinbase: { feeMaker: '0.006', feeTaker: '0.008' },
  alpaca_crypto: { feeMaker: '0.0015', feeTaker: '0.0025' },
  equity: { feeMaker: '0', feeTaker: '0' },
});

export interface Instrument {
  readonly venue: VenueId;
  /** Venue-neutral symbol, `BASE/QUOTE`, e.g. `BTC/USD`. */
  readonly symbol: string;
  /** `venue:symbol`, unique across venues. */
  readonly key: string;
  readonly kind: InstrumentKind;
  readonly base: string;
  readonly quote: string;
  readonly priceScale: number;
  readonly qtyScale: number;
  /** Tick size in price units. */
  readonly priceIncrement: number;
  /** Lot size in quantity units. */
  readonly qtyIncrement: number;
  readonly qtyMin: number;
  /** Minimum notional in money units. */
  readonly notionalMin: bigint;
  /** Fee rates in RATE_SCALE units. */
  readonly feeMaker: number;
  readonly feeTaker: number;
}

export interface InstrumentInput {
  venue: string;
  symbol: string;
  kind?: InstrumentKind;
  priceIncrement: string;
  qtyIncrement: string;
  qtyMin?: string;
  notionalMin?: string;
  /** Fee rates as fractions: `0.001` is 0.1 %. */
  feeMaker?: string;
  feeTaker?: string;
}

/** Builds an instrument from decimal strings, deriving the unit scales from the increments. */
export function defineInstrument(input: InstrumentInput): Result<Instrument> {
  const issues: FieldIssue[] = [];
  const [base, quote] = input.symbol.split('/');
  if (
    base === undefined ||
    quote === undefined ||
    base === '' ||
    quote === '' ||
    input.symbol.split('/').length !== 2
  )
    issues.push({ field: 'symbol', rule: 'base_slash_quote', message: 'must look like BASE/QUOTE' });
  const priceScale = decimalPlaces(input.priceIncrement);
  const qtyScale = decimalPlaces(input.qtyIncrement);
  if (priceScale === undefined || priceScale > 12)
    issues.push({
      field: 'priceIncrement',
      rule: 'decimal',
      message: 'must be a decimal with at most 12 places',
    });
  if (qtyScale === undefined || qtyScale > 12)
    issues.push({
      field: 'qtyIncrement',
      rule: 'decimal',
      message: 'must be a decimal with at most 12 places',
    });
  if (issues.length > 0 || priceScale === undefined || qtyScale === undefined)
    return err(issuesError(issues));
  const priceIncrement = parseUnits(input.priceIncrement, priceScale) ?? 0n;
  const qtyIncrement = parseUnits(input.qtyIncrement, qtyScale) ?? 0n;
  if (priceIncrement <= 0n)
    issues.push({ field: 'priceIncrement', rule: 'positive', message: 'must be > 0' });
  if (qtyIncrement <= 0n) issues.push({ field: 'qtyIncrement', rule: 'positive', message: 'must be > 0' });
  const qtyMin = input.qtyMin === undefined ? qtyIncrement : parseUnits(input.qtyMin, qtyScale);
  if (qtyMin === undefined || qtyMin < 0n)
    issues.push({
      field: 'qtyMin',
      rule: 'decimal',
      message: `must be a decimal with at most ${qtyScale} places`,
    });
  const notionalMin = input.notionalMin === undefined ? 0n : parseUnits(input.notionalMin, MONEY_SCALE);
  if (notionalMin === undefined || notionalMin < 0n)
    issues.push({ field: 'notionalMin', rule: 'decimal', message: 'must be a non-negative decimal' });
  const feeMaker = parseRate(input.feeMaker ?? '0', 'feeMaker', issues);
  const feeTaker = parseRate(input.feeTaker ?? '0', 'feeTaker', issues);
  if (issues.length > 0) return err(issuesError(issues));
  return ok(
    Object.freeze({
      venue: venueId(input.venue),
      symbol: input.symbol,
      key: `${input.venue}:${input.symbol}`,
      kind: input.kind ?? 'crypto_spot',
      base: base as string,
      quote: quote as string,
      priceScale,
      qtyScale,
      priceIncrement: Number(priceIncrement),
      qtyIncrement: Number(qtyIncrement),
      qtyMin: Number(qtyMin),
      notionalMin: notionalMin as bigint,
      feeMaker,
      feeTaker,
    }),
  );
}

function parseRate(text: string, field: string, issues: FieldIssue[]): number {
  const v = parseUnits(text, RATE_SCALE);
  if (v === undefined || v < 0n || v >= BigInt(RATE_ONE)) {
    issues.push({ field, rule: 'fraction', message: 'must be a fraction in [0, 1) with at most 8 places' });
    return 0;
  }
  return Number(v);
}

/** Notional value of `qty` at `price`, in money units. */
export function notionalOf(inst: Instrument, price: number, qty: number): bigint {
  return big(price) * big(qty) * pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
}

export const formatPrice = (inst: Instrument, units: number): string => formatUnits(units, inst.priceScale);
export const formatQty = (inst: Instrument, units: number): string => formatUnits(units, inst.qtyScale);
export const formatMoney = (units: bigint, digits = 8): string => {
  // Money is shown rounded half-even to `digits` places; the stored value stays exact.
  const scaled = units / pow10(MONEY_SCALE - digits);
  const rem = units - scaled * pow10(MONEY_SCALE - digits);
  const half = pow10(MONEY_SCALE - digits) / 2n;
  let r = scaled;
  const a = rem < 0n ? -rem : rem;
  if (a > half || (a === half && scaled % 2n !== 0n)) r += rem < 0n ? -1n : 1n;
  return formatUnits(r, digits);
};

export type DecimalInput = string | number;

/**
 * Reads a user decimal. Numbers are accepted for convenience and read through their shortest
 * round-trip text (`0.1` is read as "0.1", never as the binary fraction), then held exactly.
 */
export function decimalText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) {
    const s = String(v);
    return /e/i.test(s) ? undefined : s;
  }
  return undefined;
}

/** Parses a price field: a decimal on the instrument's tick grid, > 0. */
export function readPrice(
  inst: Instrument,
  v: unknown,
  field: string,
  issues: FieldIssue[],
): number | undefined {
  return readUnits(v, field, issues, inst, 'tick');
}

/** Parses a quantity field: a decimal on the instrument's lot grid, > 0. */
export function readQty(
  inst: Instrument,
  v: unknown,
  field: string,
  issues: FieldIssue[],
): number | undefined {
  return readUnits(v, field, issues, inst, 'lot');
}

/** Reads a price (`tick`) or quantity (`lot`) field; the grid names the scale and step. */
function readUnits(
  v: unknown,
  field: string,
  issues: FieldIssue[],
  inst: Instrument,
  gridName: 'tick' | 'lot',
): number | undefined {
  const isPrice = gridName === 'tick';
  const scale = isPrice ? inst.priceScale : inst.qtyScale;
  const step = isPrice ? inst.priceIncrement : inst.qtyIncrement;
  const text = decimalText(v);
  if (text === undefined) {
    issues.push({ field, rule: 'decimal', message: 'must be a decimal number or string' });
    return undefined;
  }
  const units = parseUnitsNumber(text, scale);
  if (units === undefined) {
    const looksDecimal = /^[+-]?\d+(\.\d+)?$/.test(text.trim());
    issues.push(
      looksDecimal
        ? {
            field,
            rule: `${gridName}_multiple`,
            message: `${text} is not a multiple of the ${gridName} size ${formatUnits(step, scale)}`,
          }
        : { field, rule: 'decimal', message: `${JSON.stringify(text)} is not a decimal` },
    );
    return undefined;
  }
  if (Number.isNaN(units)) {
    issues.push({ field, rule: 'range', message: 'is too large for exact representation' });
    return undefined;
  }
  if (units <= 0) {
    issues.push({ field, rule: 'positive', message: 'must be > 0' });
    return undefined;
  }
  // units − ⌊units / step⌋ × step is exact for safe integers (a quotient that is not a whole number
  // cannot round up to one below 2^53), and a division is far cheaper than the fmod call `%` on
  // doubles compiles to.
  if (units - Math.floor(units / step) * step !== 0) {
    issues.push({
      field,
      rule: `${gridName}_multiple`,
      message: `${text} is not a multiple of the ${gridName} size ${formatUnits(step, scale)}`,
    });
    return undefined;
  }
  return units;
}
