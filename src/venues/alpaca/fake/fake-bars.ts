// Minute bars built from the trades fed to the fake, as Alpaca's data stream publishes them (`T:"b"`,
// the bar of a minute sent once that minute is over). A bar closes when the fake's clock has moved
// into a later minute at the next feed; `vw` (volume-weighted price) is exact to four places beyond
// the tick and the volume is the exact sum of the sizes.

import { pow10 } from '../../../core/decimal.ts';
import type { AssetSpec } from './fake-assets.ts';
import { dec, ratio } from './fake-format.ts';

const MINUTE = 60_000;

export interface MinuteBar {
  readonly asset: AssetSpec;
  /** Start of the minute (Alpaca stamps a bar with its start). */
  readonly start: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly trades: number;
  readonly vwap: string;
}

interface Building {
  readonly asset: AssetSpec;
  readonly minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  /** Σ price × size, in price units × quantity units. */
  turnover: bigint;
  trades: number;
}

export class BarBuilder {
  private readonly building = new Map<string, Building>();

  /** Adds a trade at `now`; returns the bars it closed (the asset's previous minute). */
  add(asset: AssetSpec, price: number, size: number, now: number): MinuteBar[] {
    const closed = this.closeBefore(now);
    const minute = Math.floor(now / MINUTE);
    let b = this.building.get(asset.symbol);
    if (b === undefined) {
      b = {
        asset,
        minute,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: 0n,
        turnover: 0n,
        trades: 0,
      };
      this.building.set(asset.symbol, b);
    }
    b.high = Math.max(b.high, price);
    b.low = Math.min(b.low, price);
    b.close = price;
    b.volume += BigInt(size);
    b.turnover += BigInt(price) * BigInt(size);
    b.trades++;
    return closed;
  }

  /** Closes every bar of a minute before the one `now` is in. */
  closeBefore(now: number): MinuteBar[] {
    const minute = Math.floor(now / MINUTE);
    const out: MinuteBar[] = [];
    for (const [symbol, b] of this.building)
      if (b.minute < minute) {
        this.building.delete(symbol);
        out.push(finish(b));
      }
    return out;
  }
}

function finish(b: Building): MinuteBar {
  const inst = b.asset.instrument;
  const p = (units: number) => dec(units, inst.priceScale);
  return {
    asset: b.asset,
    start: b.minute * MINUTE,
    open: p(b.open),
    high: p(b.high),
    low: p(b.low),
    close: p(b.close),
    volume: dec(b.volume, inst.qtyScale),
    trades: b.trades,
    vwap: ratio(b.turnover, b.volume * pow10(inst.priceScale), inst.priceScale + 4),
  };
}
