// Bars as trades: the intrabar path (model/market.ts `barPath`, where the rule and its reason are
// written) turned into four TradeTicks. The bar's volume is split exactly — parts sum to the
// volume, in whole lots when a lot is given — and the points are spread over the bar's interval
// (ts − durationMs, ts], the close landing on the bar's ts.

import { assert } from '../core/assert.ts';
import { type Bar, barPath, type MarketData, type TradeTick } from '../model/market.ts';

export { barPath } from '../model/market.ts';

export const BAR_PATH_POINTS = 4;

export interface BarPathOptions {
  /** Split the volume in multiples of this many quantity units (the instrument's lot); default 1. */
  readonly lot?: number;
}

/** The bar as four TradeTicks along its path (see the file comment for the rule and the reason). */
export function barToTrades(bar: Bar, options: BarPathOptions = {}): TradeTick[] {
  const prices = barPath(bar);
  const sizes = splitVolume(bar.volume, BAR_PATH_POINTS, options.lot ?? 1);
  const start = bar.ts - bar.durationMs;
  return prices.map((price, i) => ({
    kind: 'trade',
    instrument: bar.instrument,
    // Integer ms arithmetic: point i of n sits at start + duration·(i+1)/n, rounded up so that
    // even a very short bar keeps every point after its start.
    ts: start + Math.ceil((bar.durationMs * (i + 1)) / BAR_PATH_POINTS),
    price,
    size: sizes[i] ?? 0,
    aggressor: undefined,
    tradeId: undefined,
  }));
}

/**
 * Splits `total` units into `parts` integers that sum to it exactly: whole lots shared as evenly
 * as possible, earlier parts taking the extra lots, and any remainder smaller than a lot (a
 * volume off the lot grid) added to the last part. A part may be 0 when there are fewer lots than
 * parts.
 */
export function splitVolume(total: number, parts: number, lot = 1): number[] {
  assert(Number.isSafeInteger(total) && total >= 0, () => `volume must be a safe integer >= 0: ${total}`);
  assert(Number.isSafeInteger(parts) && parts > 0, () => `parts must be an integer > 0: ${parts}`);
  assert(Number.isSafeInteger(lot) && lot > 0, () => `lot must be an integer > 0: ${lot}`);
  // Both operands are safe integers, so the float quotient floors to the exact integer quotient.
  const lots = Math.floor(total / lot);
  const rest = total - lots * lot;
  const each = Math.floor(lots / parts);
  const extra = lots - each * parts;
  const sizes: number[] = [];
  for (let i = 0; i < parts; i++) sizes.push((each + (i < extra ? 1 : 0)) * lot);
  sizes[parts - 1] = (sizes[parts - 1] ?? 0) + rest;
  return sizes;
}

/** Passes quotes and trades through and replaces every bar by its path of trades. */
export function* expandBars(
  items: Iterable<MarketData>,
  options: BarPathOptions = {},
): Generator<MarketData, void, undefined> {
  for (const item of items) {
    if (item.kind === 'bar') yield* barToTrades(item, options);
    else yield item;
  }
}
