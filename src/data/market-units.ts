// Reads the decimal text of a market-data price or size into exact instrument units. Prices must
// sit exactly on the instrument's tick grid: a price with more decimals than the instrument has is
// a sign the wrong instrument was given, so it is refused. Sizes in real files often carry more
// decimals than the venue's lot (aggregated volumes, float-printed CSVs), so a caller may choose a
// rounding mode for sizes; without one, an off-grid size is refused too.

import { parseUnits, parseUnitsRounded, type Rounding, roundToStep } from '../core/decimal.ts';
import { formatPrice, formatQty, type Instrument } from '../model/instrument.ts';

/** Why a text is not a valid price or size; `field` and line are added by the caller. */
export interface UnitIssue {
  readonly rule: string;
  readonly message: string;
}

export interface SizeRules {
  /** Round sizes that are off the lot grid with this mode; undefined refuses them. */
  readonly rounding: Rounding | undefined;
  /** Whether 0 is a valid size (a quote side or a bar with no volume); trades need > 0. */
  readonly allowZero: boolean;
}

const DECIMAL_RE = /^[+-]?\d+(?:\.\d+)?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A price: a decimal > 0 exactly on the instrument's tick grid. */
export function parseMarketPrice(inst: Instrument, text: string): number | UnitIssue {
  if (!DECIMAL_RE.test(text)) return { rule: 'decimal', message: `${JSON.stringify(text)} is not a decimal` };
  const units = parseUnits(text, inst.priceScale);
  const tick = formatPrice(inst, inst.priceIncrement);
  if (units === undefined || units % BigInt(inst.priceIncrement) !== 0n)
    return { rule: 'tick_multiple', message: `${text} is not a multiple of the tick size ${tick}` };
  if (units <= 0n) return { rule: 'positive', message: `${text} must be > 0` };
  if (units > MAX_SAFE) return { rule: 'range', message: `${text} is too large for exact representation` };
  return Number(units);
}

/** A size: a decimal >= 0 (or > 0) on the lot grid, rounded onto it only when the caller asked. */
export function parseMarketSize(inst: Instrument, text: string, rules: SizeRules): number | UnitIssue {
  if (!DECIMAL_RE.test(text)) return { rule: 'decimal', message: `${JSON.stringify(text)} is not a decimal` };
  const lot = BigInt(inst.qtyIncrement);
  let units: bigint | undefined;
  if (rules.rounding === undefined) {
    units = parseUnits(text, inst.qtyScale);
    if (units === undefined || units % lot !== 0n)
      return {
        rule: 'lot_multiple',
        message: `${text} is not a multiple of the lot size ${formatQty(inst, inst.qtyIncrement)} (choose a size rounding to accept it)`,
      };
  } else {
    const scaled = parseUnitsRounded(text, inst.qtyScale, rules.rounding);
    if (scaled === undefined) return { rule: 'decimal', message: `${JSON.stringify(text)} is not a decimal` };
    units = roundToStep(scaled, lot, rules.rounding);
  }
  if (units < 0n) return { rule: 'non_negative', message: `${text} must be >= 0` };
  if (units === 0n && !rules.allowZero)
    return {
      rule: 'positive',
      message: rules.rounding === undefined ? `${text} must be > 0` : `${text} rounds to 0 and must be > 0`,
    };
  if (units > MAX_SAFE) return { rule: 'range', message: `${text} is too large for exact representation` };
  return Number(units);
}
