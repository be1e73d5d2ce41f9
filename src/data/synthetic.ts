// A seeded synthetic market for tests, demos and benchmarks: a random walk of the best bid on the
// instrument's tick grid, with a fixed spread, emitting a quote and then a trade at every step.
// All randomness comes from SeededRandom and all time from the options, so the same options and
// seed give the same sequence on every machine; integer tick arithmetic keeps every price exact.
// Options add a bounded, optionally mean-reverting walk (prices stay inside a band, useful for
// long benchmarks) and market events: sudden price gaps and a flash crash with linear recovery.

import { err, fieldError, ok, type Result } from '../core/errors.ts';
import { SeededRandom, type TimestampMs } from '../core/ports.ts';
import type { Instrument } from '../model/instrument.ts';
import type { QuoteTick, TradeTick } from '../model/market.ts';

export interface SyntheticBand {
  /** Lowest and highest bid, in price units on the tick grid. */
  readonly low: number;
  readonly high: number;
  /** Pull the walk towards the band's middle, harder the further it strays; default false. */
  readonly meanReversion?: boolean;
}

export interface SyntheticFlashCrash {
  /** Step at which the bid drops by `dropTicks` at once. */
  readonly atStep: number;
  readonly dropTicks: number;
  /** Steps over which the drop is recovered linearly (the walk goes on underneath). */
  readonly recoverySteps: number;
}

export interface SyntheticEvents {
  /** Chance per step, in parts per million, of a price gap. */
  readonly gapChancePpm?: number;
  /** A gap moves the bid by 1..gapTicksMax ticks, up or down. */
  readonly gapTicksMax?: number;
  readonly flashCrash?: SyntheticFlashCrash;
}

export interface SyntheticMarketOptions {
  readonly instrument: Instrument;
  /** The first bid, in price units on the tick grid. */
  readonly startPrice: number;
  readonly seed: number;
  /** Time of the first step; default 0. */
  readonly startMs?: TimestampMs;
  /** Time between steps; the quote and trade of a step share its timestamp. */
  readonly tickIntervalMs: number;
  /** Each step moves the bid by a uniform whole number of ticks in [−v, v]. */
  readonly volatilityTicks: number;
  readonly spreadTicks: number;
  /** Sizes are uniform in [1, sizeLotsMax] lots; default 10. */
  readonly sizeLotsMax?: number;
  /** Number of steps; default endless. */
  readonly steps?: number;
  readonly band?: SyntheticBand;
  readonly events?: SyntheticEvents;
}

const PPM = 1_000_000;

/** Checks the options and returns the generator of alternating quotes and trades. */
export function syntheticMarket(
  options: SyntheticMarketOptions,
): Result<Generator<QuoteTick | TradeTick, void, undefined>> {
  const problem = checkOptions(options);
  if (problem !== undefined) return err(fieldError(problem[0], problem[1], problem[2]));
  return ok(walk(options));
}

function* walk(o: SyntheticMarketOptions): Generator<QuoteTick | TradeTick, void, undefined> {
  const random = new SeededRandom(o.seed);
  const tick = o.instrument.priceIncrement;
  const lot = o.instrument.qtyIncrement;
  const sizeLotsMax = o.sizeLotsMax ?? 10;
  const vol = o.volatilityTicks;
  const lowTicks = o.band === undefined ? 1 : o.band.low / tick;
  const highTicks =
    o.band === undefined ? Math.floor(Number.MAX_SAFE_INTEGER / tick) - o.spreadTicks : o.band.high / tick;
  const crash = o.events?.flashCrash;
  const gapChance = o.events?.gapChancePpm ?? 0;
  const gapTicksMax = o.events?.gapTicksMax ?? 0;
  let base = o.startPrice / tick; // the walk, in ticks
  let crashOffset = 0; // ticks the flash crash still holds the bid below the walk
  const size = (): number => (1 + random.nextInt(sizeLotsMax)) * lot;
  for (let step = 0; o.steps === undefined || step < o.steps; step++) {
    if (step > 0) {
      let move = vol === 0 ? 0 : random.nextInt(2 * vol + 1) - vol;
      if (o.band?.meanReversion === true) move = revert(move, base, lowTicks, highTicks, random);
      if (gapChance > 0 && random.nextInt(PPM) < gapChance) {
        const jump = 1 + random.nextInt(gapTicksMax);
        move += random.nextInt(2) === 0 ? jump : -jump;
      }
      base = reflect(base + move, lowTicks, highTicks);
      if (crashOffset > 0 && crash !== undefined)
        crashOffset = Math.max(0, crashOffset - Math.ceil(crash.dropTicks / crash.recoverySteps));
    }
    if (crash !== undefined && step === crash.atStep) crashOffset = crash.dropTicks;
    const bid = Math.max(1, base - crashOffset) * tick;
    const ask = bid + o.spreadTicks * tick;
    const ts = (o.startMs ?? 0) + step * o.tickIntervalMs;
    yield { kind: 'quote', instrument: o.instrument.key, ts, bid, bidSize: size(), ask, askSize: size() };
    const buy = random.nextInt(2) === 0;
    yield {
      kind: 'trade',
      instrument: o.instrument.key,
      ts,
      price: buy ? ask : bid,
      size: size(),
      aggressor: buy ? 'buy' : 'sell',
      tradeId: String(step + 1),
    };
  }
}

/**
 * Mean reversion without floats: with chance |distance from the middle| / half-width the step is
 * turned towards the middle, so at the edge every step points inwards.
 */
function revert(move: number, base: number, low: number, high: number, random: SeededRandom): number {
  const twiceDistance = 2 * base - (low + high);
  const width = high - low;
  if (twiceDistance === 0 || random.nextInt(width) >= Math.abs(twiceDistance)) return move;
  const inward = twiceDistance > 0 ? -1 : 1;
  return inward * Math.abs(move);
}

/** Folds a step that left [low, high] back inside, like a ball off a wall. */
function reflect(x: number, low: number, high: number): number {
  if (x < low) x = low + (low - x);
  if (x > high) x = high - (x - high);
  return Math.min(high, Math.max(low, x));
}

type Problem = readonly [field: string, rule: string, message: string];

function checkOptions(o: SyntheticMarketOptions): Problem | undefined {
  const tick = o.instrument.priceIncrement;
  const onGrid = (v: number) => Number.isSafeInteger(v) && v > 0 && v % tick === 0;
  const count = (v: number | undefined, min: number) =>
    v === undefined || (Number.isSafeInteger(v) && v >= min);
  if (!onGrid(o.startPrice)) return ['startPrice', 'tick_multiple', 'must be > 0 and on the tick grid'];
  if (!Number.isSafeInteger(o.seed)) return ['seed', 'integer', 'must be an integer'];
  if (!count(o.startMs, 0)) return ['startMs', 'integer', 'must be an integer >= 0'];
  if (!count(o.tickIntervalMs, 1)) return ['tickIntervalMs', 'positive', 'must be an integer >= 1'];
  if (!count(o.volatilityTicks, 0)) return ['volatilityTicks', 'integer', 'must be an integer >= 0'];
  if (!count(o.spreadTicks, 1)) return ['spreadTicks', 'positive', 'must be an integer >= 1'];
  if (!count(o.sizeLotsMax, 1)) return ['sizeLotsMax', 'positive', 'must be an integer >= 1'];
  if (!count(o.steps, 0)) return ['steps', 'integer', 'must be an integer >= 0'];
  const band = o.band;
  if (band !== undefined) {
    if (!onGrid(band.low) || !onGrid(band.high))
      return ['band', 'tick_multiple', 'low and high must be on the tick grid'];
    if (band.low >= band.high) return ['band', 'ordered', 'low must be below high'];
    if (o.startPrice < band.low || o.startPrice > band.high)
      return ['startPrice', 'in_band', 'must lie in the band'];
    if (o.volatilityTicks > (band.high - band.low) / tick)
      return ['volatilityTicks', 'fits_band', 'must not exceed the band width in ticks'];
  }
  const ev = o.events;
  if (ev !== undefined) {
    if (!count(ev.gapChancePpm, 0) || (ev.gapChancePpm ?? 0) > PPM)
      return ['events.gapChancePpm', 'range', `must be an integer in [0, ${PPM}]`];
    if ((ev.gapChancePpm ?? 0) > 0 && !count(ev.gapTicksMax ?? 0, 1))
      return ['events.gapTicksMax', 'positive', 'must be an integer >= 1 when gaps may happen'];
    const c = ev.flashCrash;
    if (c !== undefined && (!count(c.atStep, 0) || !count(c.dropTicks, 1) || !count(c.recoverySteps, 1)))
      return [
        'events.flashCrash',
        'integers',
        'atStep >= 0, dropTicks >= 1 and recoverySteps >= 1 must be integers',
      ];
  }
  return undefined;
}
