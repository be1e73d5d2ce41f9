// The ids of the orders still working, kept up to date from the engine's events, so the routes
// that list or cancel open orders cost what is open, not every order the service has ever had.

import type { OrderId } from '../core/ids.ts';
import type { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import { isTerminal } from '../model/status.ts';

export class OpenOrders {
  private readonly ids = new Set<number>();
  private readonly unsubscribe: () => void;

  constructor(oms: AdvancedOrderManager) {
    for (const o of oms.getActiveOrders()) this.ids.add(o.id);
    this.unsubscribe = oms.on((e) => {
      if (e.type === 'watermark_moved') return;
      const id = e.type === 'order_created' ? e.order.id : e.type === 'list_created' ? undefined : e.id;
      if (id === undefined) return;
      const o = oms.engine.state.orders.get(id);
      if (o !== undefined && !isTerminal(o.status)) this.ids.add(id);
      else this.ids.delete(id);
    });
  }

  /** Open order ids, newest first. */
  newestFirst(): OrderId[] {
    return [...this.ids].sort((a, b) => b - a) as OrderId[];
  }

  /** Open order ids, oldest first (a list's parent before its legs). */
  oldestFirst(): OrderId[] {
    return [...this.ids].sort((a, b) => a - b) as OrderId[];
  }

  get size(): number {
    return this.ids.size;
  }

  close(): void {
    this.unsubscribe();
  }
}
