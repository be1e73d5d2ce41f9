// A bounded equity curve. Samples are appended in time order; when the curve holds its maximum
// number of points it keeps every 2nd one and from then on accepts every 2nd sample, so the points
// kept stay evenly spaced in sample count and memory stays bounded however long the process runs.

import { assert } from '../core/assert.ts';
import type { TimestampMs } from '../core/ports.ts';

export interface EquityPoint {
  readonly ts: TimestampMs;
  /** Equity in money units of the portfolio's valuation currency. */
  readonly equity: bigint;
}

export class EquityCurve {
  private readonly kept: EquityPoint[] = [];
  private strideSamples = 1;
  private seen = 0;
  private last: EquityPoint | undefined = undefined;

  constructor(readonly pointsMax: number) {
    assert(Number.isSafeInteger(pointsMax) && pointsMax >= 2, 'equityCurvePointsMax must be >= 2');
  }

  add(ts: TimestampMs, equity: bigint): void {
    assert(this.last === undefined || ts >= this.last.ts, () => `equity sample out of order: ${ts}`);
    const point = { ts, equity };
    this.last = point;
    if (this.seen % this.strideSamples === 0) {
      this.kept.push(point);
      if (this.kept.length > this.pointsMax) this.decimate();
    }
    this.seen++;
  }

  /** The kept points, oldest first; every `stride`-th sample since the first. */
  points(): readonly EquityPoint[] {
    return this.kept.slice();
  }

  /** The most recent sample, kept or not. */
  latest(): EquityPoint | undefined {
    return this.last;
  }

  /** How many samples one kept point stands for. */
  get stride(): number {
    return this.strideSamples;
  }

  private decimate(): void {
    // Kept points are samples 0, s, 2s, ...; keeping the even positions leaves 0, 2s, 4s, ...
    let w = 0;
    for (let r = 0; r < this.kept.length; r += 2) this.kept[w++] = this.kept[r] as EquityPoint;
    this.kept.length = w;
    this.strideSamples *= 2;
  }
}
