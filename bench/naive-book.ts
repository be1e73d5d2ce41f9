// The naive baseline: what a simple OMS does. Every resting stop and trailing stop is an object in
// one array, and every tick walks the whole array, moves each trailing stop's watermark and
// recomputes its stop when the price makes a new extreme, and compares the price with every stop.
// Stops are recomputed only when a watermark moves (not on every tick) and percent offsets use
// float arithmetic, which makes the baseline faster than a careless one, not slower.

import type { RestingOrder } from './resting-orders.ts';
import { trailingStop } from './resting-orders.ts';

class NaiveOrder {
  readonly sell: boolean;
  readonly trailing: boolean;
  readonly source: RestingOrder;
  wm: number;
  stop: number;
  fired = false;
  constructor(o: RestingOrder, price: number) {
    this.source = o;
    this.sell = o.side === 'sell';
    this.trailing = o.kind === 'trailing';
    this.wm = price;
    this.stop = this.trailing ? trailingStop(o, price) : o.trigger;
  }
}

export class NaiveBook {
  private readonly orders: NaiveOrder[] = [];
  fired = 0;

  /** A trailing stop starts trailing from `price`, the market price when it is placed. */
  add(o: RestingOrder, price: number): void {
    this.orders.push(new NaiveOrder(o, price));
  }

  get size(): number {
    return this.orders.length;
  }

  onPrice(price: number): void {
    const orders = this.orders;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      if (o.fired) continue;
      if (o.trailing) {
        if (o.sell ? price > o.wm : price < o.wm) {
          o.wm = price;
          o.stop = trailingStop(o.source, price);
        }
      }
      if (o.sell ? price <= o.stop : price >= o.stop) {
        o.fired = true;
        this.fired++;
      }
    }
  }
}
