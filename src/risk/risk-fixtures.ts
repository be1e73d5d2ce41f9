// Fixtures for the risk tests: two instruments, unit helpers that read decimal strings exactly,
// and an order-intent builder with sensible defaults. Only *.test.ts files import this module.

import { assert } from '../core/assert.ts';
import { parseUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { defineInstrument, type Instrument } from '../model/instrument.ts';
import type { OrderIntent } from './order-intent.ts';

/** Price in cents, quantity in thousandths. */
export const BTC: Instrument = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.001' }),
);
/** Price in cents, whole-unit quantities. */
export const ACME: Instrument = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'ACME/USD',
    kind: 'equity',
    priceIncrement: '0.01',
    qtyIncrement: '1',
  }),
);
/** Quoted in EUR, for per-currency limits. */
export const ETH_EUR: Instrument = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'ETH/EUR', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);

/** Quantity units of `inst` from a decimal string. */
export function qty(text: string, inst: Instrument = BTC): number {
  const u = parseUnits(text, inst.qtyScale);
  assert(u !== undefined, () => `bad quantity ${text}`);
  return Number(u);
}

/** Price units of `inst` from a decimal string. */
export function px(text: string, inst: Instrument = BTC): number {
  const u = parseUnits(text, inst.priceScale);
  assert(u !== undefined, () => `bad price ${text}`);
  return Number(u);
}

/** Money units from a decimal string. */
export function money(text: string): bigint {
  const u = parseUnits(text, 18);
  assert(u !== undefined, () => `bad money ${text}`);
  return u;
}

/** A limit buy of 1 BTC at 100.00 unless told otherwise. */
export function order(fields: Partial<OrderIntent> = {}): OrderIntent {
  return {
    instrument: BTC,
    side: 'buy',
    type: 'limit',
    quantity: qty('1', fields.instrument ?? BTC),
    price: px('100', fields.instrument ?? BTC),
    triggerPrice: undefined,
    reduceOnly: false,
    ...fields,
  };
}
