// Scale-in and scale-out ladders: N limit levels from a start price, stepping down for buys and up
// for sells, with quantities split equally or by weights. Quantities are rounded down to the lot
// and the leftover lots go one each to the first levels, so the legs always sum exactly to the
// total. Every level is checked against the instrument's minimum size and notional before
// anything is placed.

import { parseUnits } from '../core/decimal.ts';
import type { FieldIssue } from '../core/errors.ts';
import { limits } from '../core/limits.ts';
import {
  type DecimalInput,
  decimalText,
  formatPrice,
  type Instrument,
  notionalOf,
  readPrice,
  readQty,
} from '../model/instrument.ts';
import type { Side } from '../model/order.ts';

export interface ScaleSpec {
  readonly symbol: string;
  readonly venue?: string;
  readonly side: Side;
  readonly totalQuantity: DecimalInput;
  readonly levels: number;
  readonly startPrice: DecimalInput;
  /** Distance between levels; levels step down for buys and up for sells. */
  readonly step: DecimalInput;
  /** Relative weights, one per level (decimals > 0); equal split when absent. */
  readonly weights?: readonly DecimalInput[];
  readonly tag?: string;
}

export interface ScaleLevel {
  readonly price: number;
  readonly quantity: number;
}

export function planScale(spec: ScaleSpec, inst: Instrument, issues: FieldIssue[]): ScaleLevel[] | undefined {
  const before = issues.length;
  const total = readQty(inst, spec.totalQuantity, 'totalQuantity', issues);
  const start = readPrice(inst, spec.startPrice, 'startPrice', issues);
  const step = readPrice(inst, spec.step, 'step', issues);
  const n = spec.levels;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > limits.scaleLevelsMax)
    issues.push({
      field: 'levels',
      rule: 'range',
      message: `must be a whole number from 1 to ${limits.scaleLevelsMax}`,
    });
  let weights: bigint[] | undefined;
  if (spec.weights !== undefined) {
    if (!Array.isArray(spec.weights) || spec.weights.length !== n)
      issues.push({ field: 'weights', rule: 'length', message: 'must have one weight per level' });
    else {
      weights = spec.weights.map((w, i) => {
        const t = decimalText(w);
        const v = t === undefined ? undefined : parseUnits(t, 8);
        if (v === undefined || v <= 0n) {
          issues.push({
            field: `weights[${i}]`,
            rule: 'positive',
            message: 'must be a decimal > 0 with at most 8 places',
          });
          return 1n;
        }
        return v;
      });
    }
  }
  if (issues.length > before || total === undefined || start === undefined || step === undefined)
    return undefined;
  const w = weights ?? Array.from({ length: n }, () => 1n);
  const sumW = w.reduce((a, b) => a + b, 0n);
  const lot = BigInt(inst.qtyIncrement);
  const totalLots = BigInt(total) / lot;
  const lots = w.map((wi) => (totalLots * wi) / sumW);
  let leftover = totalLots - lots.reduce((a, b) => a + b, 0n);
  for (let i = 0; leftover > 0n; i = (i + 1) % n, leftover--) lots[i] = (lots[i] as bigint) + 1n;
  const dir = spec.side === 'buy' ? -1 : 1;
  const out: ScaleLevel[] = [];
  for (let i = 0; i < n; i++) {
    const price = start + dir * i * step;
    const quantity = Number((lots[i] as bigint) * lot);
    const field = `levels[${i}]`;
    if (price <= 0) {
      issues.push({
        field,
        rule: 'positive_price',
        message: `level ${i + 1} would be priced at or below zero`,
      });
      continue;
    }
    if (quantity <= 0 || quantity < inst.qtyMin)
      issues.push({
        field,
        rule: 'min_quantity',
        message: `level ${i + 1} at ${formatPrice(inst, price)} is below the minimum quantity`,
      });
    else if (notionalOf(inst, price, quantity) < inst.notionalMin)
      issues.push({
        field,
        rule: 'min_notional',
        message: `level ${i + 1} at ${formatPrice(inst, price)} is below the minimum notional`,
      });
    out.push({ price, quantity });
  }
  return issues.length > before ? undefined : out;
}
