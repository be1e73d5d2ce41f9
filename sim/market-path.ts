// The market a simulated history trades in: one price path per instrument, drawn from a seed.
// Each history mixes regimes — a random walk, gaps of many ticks, a flash crash that recovers, a
// halt (no market data while time passes) and thin books whose small displayed sizes fill orders
// a piece at a time — so that the engine meets the prices that break order handling.

import type { Random } from '../src/core/ports.ts';
import type { Instrument } from '../src/model/instrument.ts';
import type { QuoteTick, TradeTick } from '../src/model/market.ts';

export type Regime = 'walk' | 'gap' | 'flash_crash' | 'halt' | 'thin';
export const REGIMES: readonly Regime[] = ['walk', 'gap', 'flash_crash', 'halt', 'thin'];

/** What the market does at one step of one instrument: nothing (a halt), or a quote and a trade. */
export interface MarketStep {
  readonly regime: Regime;
  readonly quote: QuoteTick | undefined;
  readonly trade: TradeTick | undefined;
}

/** A seeded price path in price units (ticks × priceIncrement); never below ten ticks. */
export class MarketPath {
  private price: number;
  private regime: Regime = 'walk';
  private regimeLeft = 0;
  /** Flash crash: ticks still to fall, then to climb back. */
  private crashDepth = 0;
  private crashStep = 0;

  constructor(
    private readonly inst: Instrument,
    private readonly rnd: Random,
    startPrice: number,
    /** Share (0–100) of steps spent outside the plain walk. */
    private readonly hostility: number,
  ) {
    this.price = startPrice;
  }

  get last(): number {
    return this.price;
  }

  get currentRegime(): Regime {
    return this.regime;
  }

  /** The market at `ts`. */
  next(ts: number): MarketStep {
    if (this.regimeLeft <= 0) this.pickRegime();
    this.regimeLeft--;
    const tick = this.inst.priceIncrement;
    const r = this.rnd;
    switch (this.regime) {
      case 'halt':
        return { regime: 'halt', quote: undefined, trade: undefined };
      case 'gap': {
        // One jump of 50 to 400 ticks, then a walk.
        const jump = (50 + r.nextInt(350)) * tick * (r.nextInt(2) === 0 ? -1 : 1);
        this.move(jump);
        this.regime = 'walk';
        break;
      }
      case 'flash_crash': {
        const half = Math.max(1, Math.floor(this.crashStep / 2));
        const falling = this.regimeLeft >= half;
        const d = Math.ceil(this.crashDepth / half) * tick;
        this.move(falling ? -d : d);
        break;
      }
      case 'walk':
      case 'thin':
        this.move((r.nextInt(21) - 10) * tick);
        break;
    }
    const thin = this.regime === 'thin';
    const lot = this.inst.qtyIncrement;
    // Thin books show a few lots; normal books up to a few hundred lots on each side.
    const size = (thin ? 1 + r.nextInt(3) : 50 + r.nextInt(3000)) * lot;
    const spread = (1 + r.nextInt(thin ? 20 : 3)) * tick;
    const bid = this.price - spread;
    const ask = this.price + spread;
    const quote: QuoteTick = {
      kind: 'quote',
      instrument: this.inst.key,
      ts,
      bid,
      bidSize: size,
      ask,
      askSize: (thin ? 1 + r.nextInt(3) : 50 + r.nextInt(3000)) * lot,
    };
    const trade: TradeTick = {
      kind: 'trade',
      instrument: this.inst.key,
      ts,
      price: this.price,
      size: (thin ? 1 + r.nextInt(2) : 10 + r.nextInt(2000)) * lot,
      aggressor: undefined,
      tradeId: undefined,
    };
    return { regime: this.regime, quote, trade };
  }

  private pickRegime(): void {
    const r = this.rnd;
    if (r.nextInt(100) >= this.hostility) {
      this.regime = 'walk';
      this.regimeLeft = 5 + r.nextInt(20);
      return;
    }
    this.regime = REGIMES[1 + r.nextInt(REGIMES.length - 1)]!;
    switch (this.regime) {
      case 'gap':
        this.regimeLeft = 1;
        break;
      case 'flash_crash':
        // Down 3 % to 15 % within a few steps, then back.
        this.crashStep = 4 + r.nextInt(8);
        this.regimeLeft = this.crashStep;
        this.crashDepth = Math.floor(((this.price / this.inst.priceIncrement) * (3 + r.nextInt(13))) / 100);
        break;
      case 'halt':
        this.regimeLeft = 2 + r.nextInt(10);
        break;
      case 'thin':
        this.regimeLeft = 5 + r.nextInt(20);
        break;
      case 'walk':
        break;
    }
  }

  private move(d: number): void {
    const floor = 10 * this.inst.priceIncrement;
    this.price = Math.max(floor, this.price + d);
  }
}
