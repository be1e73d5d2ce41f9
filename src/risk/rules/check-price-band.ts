// Rule price_outside_band (fat-finger): a limit or trigger price must lie within priceBandBps
// basis points of the reference price, |price − reference| × 10 000 ≤ band × reference, compared
// exactly in integers. Each price field is judged on its own, so a stop-limit can fail twice.
// Without a reference price check-reference-price.ts denies instead.

import { big, divRound, formatUnits } from '../../core/decimal.ts';
import type { InstrumentLimits } from '../compile-limits.ts';
import type { PriceOutsideBand } from '../denial.ts';
import { formatPriceOf } from '../format.ts';
import type { OrderIntent } from '../order-intent.ts';

const BPS_ONE = 10_000;

export function checkPriceBand(
  intent: OrderIntent,
  lim: InstrumentLimits,
  reference: number | undefined,
  field: 'price' | 'triggerPrice',
): PriceOutsideBand | undefined {
  const band = lim.priceBandBps;
  // Two named reads rather than intent[field]: a keyed read is slower on this hot path.
  const price = field === 'price' ? intent.price : intent.triggerPrice;
  if (band === undefined || reference === undefined || price === undefined) return undefined;
  if (!outsideBand(price, reference, band)) return undefined;
  return denial(intent, field, price, reference, band);
}

/** The denial, built only when the rule fails: kept out of the check so that the check inlines. */
function denial(
  intent: OrderIntent,
  field: 'price' | 'triggerPrice',
  price: number,
  reference: number,
  band: number,
): PriceOutsideBand {
  const inst = intent.instrument;
  const deviation = formatUnits(
    divRound((big(price) - big(reference)) * BigInt(BPS_ONE * 100), big(reference), 'up'),
    2,
  ).replace('-', '');
  const label = field === 'price' ? 'limit price' : 'trigger price';
  return {
    code: 'price_outside_band',
    message: `${label} ${formatPriceOf(inst, price)} is ${deviation} bps from the reference ${formatPriceOf(inst, reference)}, outside the ${band} bps band for ${inst.key}`,
    instrument: inst.key,
    field,
    price: formatPriceOf(inst, price),
    referencePrice: formatPriceOf(inst, reference),
    deviationBps: deviation,
    bandBps: String(band),
  };
}

/** |price − reference| × 10 000 > band × reference, on numbers while exact, else in bigint. */
export function outsideBand(price: number, reference: number, bandBps: number): boolean {
  const diff = price > reference ? price - reference : reference - price;
  const lhs = diff * BPS_ONE;
  const rhs = bandBps * reference;
  if (Number.isSafeInteger(lhs) && Number.isSafeInteger(rhs)) return lhs > rhs;
  const d = big(price) - big(reference);
  return (d < 0n ? -d : d) * BigInt(BPS_ONE) > big(bandBps) * big(reference);
}
