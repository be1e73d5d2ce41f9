// The peer: nodejs-order-book (pinned devDependency), a limit order book with stop-market,
// stop-limit and OCO orders kept in a red-black tree of stop prices per side. What is comparable:
//
// - It has no trailing stops, so each of the benchmark's trailing stops rests in it as a plain
//   stop-market at the stop it has when it is placed. It therefore never moves a watermark: it
//   does less work per tick than the engine and the naive baseline.
// - Its market price only moves when its own book trades, and it checks stops only after a trade.
//   So each tape tick is replayed as the smallest trade that prints at the tick's price: a
//   one-lot resting order at that price and a one-lot market order against it (a buyer when the
//   price did not fall, a seller when it fell, which is the side whose stops it checks). A tick
//   thus costs the peer two order-book operations plus a range query over its stop tree.
//
// Its per-tick rate is dominated by the matching of that synthetic trade, so the comparable figure
// is how its rate changes with the number of resting stops (its own flatness), not the absolute
// rate against the engine's.

import { OrderBook, Side } from 'nodejs-order-book';
import type { RestingOrder } from './resting-orders.ts';
import { trailingStop } from './resting-orders.ts';

export class PeerBook {
  private readonly ob = new OrderBook();
  private last: number;
  private stops = 0;
  activated = 0;

  constructor(startPrice: number) {
    this.last = startPrice;
    this.trade(startPrice, Side.BUY);
  }

  get size(): number {
    return this.stops;
  }

  /** Rests one stop-market order; a trailing stop rests at its stop for `price`. */
  add(o: RestingOrder, price: number): void {
    const stopPrice = o.kind === 'stop' ? o.trigger : trailingStop(o, price);
    const side = o.side === 'buy' ? Side.BUY : Side.SELL;
    const r = this.ob.stopMarket({ id: `s${this.stops}`, side, size: 1, stopPrice });
    if (r.err !== null) throw new Error(`nodejs-order-book refused stop ${stopPrice}: ${r.err.message}`);
    this.stops++;
  }

  /** Replays one tape tick as a one-lot trade at `price`. */
  onPrice(price: number): void {
    this.trade(price, price >= this.last ? Side.BUY : Side.SELL);
    this.last = price;
  }

  private trade(price: number, taker: Side): void {
    const maker = taker === Side.BUY ? Side.SELL : Side.BUY;
    const made = this.ob.limit({ id: 'tape', side: maker, size: 1, price });
    if (made.err !== null) throw new Error(`nodejs-order-book refused the tape maker: ${made.err.message}`);
    const r = this.ob.market({ side: taker, size: 1 });
    if (r.err !== null) throw new Error(`nodejs-order-book refused the tape taker: ${r.err.message}`);
    this.activated += r.activated.length;
  }
}
