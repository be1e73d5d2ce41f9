// The resting orders every tick benchmark holds: a seeded mix of stops and trailing stops on one
// instrument, all placed where the benchmark tape cannot reach them, so that a tick only has to
// find out that nothing fires. The same seed gives the same orders to the engine, the naive
// full-scan baseline and the nodejs-order-book peer.
//
// - 30 % buy stops above the band and 30 % sell stops below it, at distinct prices spread over
//   2000.00 of the quote currency, so the trigger heaps are deep and unordered on insertion;
// - 20 % sell and 20 % buy trailing stops, three in four with a price offset and one in four with a
//   percent offset, every offset larger than the band is wide (the most any drawdown or run-up of
//   the tape can be).

import { SeededRandom } from '../src/core/ports.ts';
import type { OrderSpec } from '../src/engine/order-spec.ts';
import { formatPrice, RATE_ONE } from '../src/model/instrument.ts';
import type { Side } from '../src/model/order.ts';
import { BAND, BENCH_BTC } from './tape.ts';

export interface RestingOrder {
  readonly side: Side;
  readonly kind: 'stop' | 'trailing';
  /** Stops: the trigger price, in price units. */
  readonly trigger: number;
  /** Trailing stops: 'price' offsets in price units, 'percent' offsets in RATE units (1e-8). */
  readonly offsetKind: 'price' | 'percent';
  readonly offset: number;
}

/** The band plus its spread: no drawdown or run-up of the tape can be larger. */
const BAND_WIDTH = BAND.high - BAND.low + 1;
/** Keeps every stop at least a dollar beyond the band. */
const MARGIN = 100;
/** Stops spread over 2000.00 beyond the band. */
const STOP_SPREAD = 200_000;
const PRICE_OFFSET_SPREAD = 100_000;
/** Percent offsets from 0.5 % (250.00 at 50 000, above the band width of 200.01) to 2.5 %. */
const PERCENT_MIN = RATE_ONE / 200;
const PERCENT_SPREAD = RATE_ONE / 50;

/** The resting-order mix, deterministic in `seed`. */
export function* restingOrders(seed: number, count: number): Generator<RestingOrder, void, undefined> {
  const random = new SeededRandom(seed);
  for (let i = 0; i < count; i++) {
    const r = random.nextInt(10);
    if (r < 3) yield stop('buy', BAND.high + 1 + MARGIN + random.nextInt(STOP_SPREAD));
    else if (r < 6) yield stop('sell', BAND.low - MARGIN - random.nextInt(STOP_SPREAD));
    else {
      const side: Side = r < 8 ? 'sell' : 'buy';
      const percent = random.nextInt(4) === 0;
      yield {
        side,
        kind: 'trailing',
        trigger: 0,
        offsetKind: percent ? 'percent' : 'price',
        offset: percent
          ? PERCENT_MIN + random.nextInt(PERCENT_SPREAD)
          : BAND_WIDTH + MARGIN + random.nextInt(PRICE_OFFSET_SPREAD),
      };
    }
  }
}

function stop(side: Side, trigger: number): RestingOrder {
  return { side, kind: 'stop', trigger, offsetKind: 'price', offset: 0 };
}

/** The order as a trader would send it to the engine: decimal strings, 0.01 BTC each. */
export function specOf(o: RestingOrder): OrderSpec {
  const base = { symbol: BENCH_BTC.symbol, venue: BENCH_BTC.venue, side: o.side, quantity: '0.01' };
  if (o.kind === 'stop') return { ...base, type: 'stop', triggerPrice: formatPrice(BENCH_BTC, o.trigger) };
  return {
    ...base,
    type: 'trailing_stop',
    trailing: {
      offsetType: o.offsetKind,
      offset: o.offsetKind === 'price' ? formatPrice(BENCH_BTC, o.offset) : percentText(o.offset),
    },
  };
}

/** RATE units (1e-8) as percent text with six places: 1_000_000 → "1.000000". */
function percentText(rate: number): string {
  const unit = RATE_ONE / 100;
  return `${Math.floor(rate / unit)}.${String(rate % unit).padStart(6, '0')}`;
}

/** The stop a trailing order stands at with watermark `wm` (real space), rounded away from the market. */
export function trailingStop(o: RestingOrder, wm: number): number {
  const away = o.offsetKind === 'price' ? o.offset : Math.ceil((wm * o.offset) / RATE_ONE);
  return o.side === 'sell' ? wm - away : wm + away;
}
