// Planners for linked orders. They read the state and return what each leg's quantity should be;
// the engine turns that into events and venue commands. One rule serves every kind:
//   released = the parent's fill that children may use (all of it, or only once it is complete),
//   OCO legs share what is released: each leg's quantity = its own fill + (released − all legs' fills),
//   other children scale with the parent's fill ratio, rounded down to the lot.

import type { Order } from '../model/order.ts';
import { isTerminal } from '../model/status.ts';
import type { OrderList } from './engine-state.ts';

export interface LegTarget {
  readonly leg: Order;
  /** The quantity the leg should have now (>= its filled quantity). */
  readonly quantity: number;
}

export interface ListPlan {
  readonly targets: readonly LegTarget[];
  /** Nothing more can be released: the parent is done (or there is none). */
  readonly capFinal: boolean;
  /** The parent's fill the children may use now (the list's quantity when there is no parent). */
  readonly released: number;
}

export function planList(list: OrderList, order: (id: number) => Order): ListPlan {
  const parent = list.parentId === undefined ? undefined : order(list.parentId);
  let released: number;
  let capFinal: boolean;
  if (parent === undefined) {
    released = list.quantity;
    capFinal = true;
  } else {
    const done = isTerminal(parent.status);
    released = list.trigger === 'full' && parent.filled < parent.quantity ? 0 : parent.filled;
    capFinal = done;
  }
  const legs = list.legIds.map(order);
  const targets: LegTarget[] = [];
  if (list.oco) {
    let used = 0;
    for (const leg of legs) used += leg.filled;
    const remaining = Math.max(0, released - used);
    for (const leg of legs)
      if (!isTerminal(leg.status)) targets.push({ leg, quantity: leg.filled + remaining });
  } else {
    const base = parent === undefined ? 0 : parent.quantity;
    for (const leg of legs) {
      if (isTerminal(leg.status)) continue;
      const planned = list.planned.get(leg.id) ?? leg.quantity;
      let q = planned;
      if (parent !== undefined && base > 0) {
        const raw = Math.floor(Number((BigInt(planned) * BigInt(released)) / BigInt(base)));
        q = raw - (raw % leg.instrument.qtyIncrement);
      }
      targets.push({ leg, quantity: Math.max(q, leg.filled) });
    }
  }
  return { targets, capFinal, released };
}
