// Read-only views of orders and lists for library users, the API and the dashboard: decimal
// strings, never internal units, so what a user sees is exactly what the engine holds.

import { formatUnits, pow10 } from '../core/decimal.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import { formatPrice, formatQty, MONEY_SCALE } from '../model/instrument.ts';
import type { LegRole, Order, OrderType, Route, Side, TimeInForce } from '../model/order.ts';
import { type OrderStatus, seedStatus } from '../model/status.ts';
import type { Emulator } from './emulator.ts';
import type { OrderList } from './engine-state.ts';
import type { ListKind } from './events.ts';

export interface OrderView {
  readonly id: OrderId;
  readonly clientOrderId: string;
  readonly venue: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly status: OrderStatus;
  /** The seed's five-status name for the same state. */
  readonly seedStatus: ReturnType<typeof seedStatus>;
  readonly route: Route;
  readonly role: LegRole;
  readonly listId: ListId | undefined;
  readonly quantity: string;
  readonly filled: string;
  readonly price: string | undefined;
  readonly triggerPrice: string | undefined;
  /** For a fired emulated stop: the stop price that was reached. */
  readonly triggeredAt: string | undefined;
  /** A trailing stop's current stop price (it only ever tightens). */
  readonly stopPrice: string | undefined;
  readonly averageFillPrice: string | undefined;
  readonly fees: string;
  readonly venueOrderId: string | undefined;
  readonly tag: string | undefined;
  readonly createdMs: number;
  readonly updatedMs: number;
}

export interface ListView {
  readonly listId: ListId;
  readonly kind: ListKind;
  readonly native: boolean;
  readonly orders: readonly OrderView[];
}

export function viewOrder(o: Order, clientOrderId: string, emulator: Emulator): OrderView {
  const inst = o.instrument;
  const stop = emulator.currentStop(o);
  let avg: string | undefined;
  if (o.filled > 0) {
    // notional (money units) / filled (qty units) = price at MONEY_SCALE - qtyScale; shown at the
    // price scale plus four places so averages of several fills stay readable and exact enough.
    const scale = inst.priceScale + 4;
    const num = o.notionalFilled * pow10(inst.qtyScale);
    const den = BigInt(o.filled) * pow10(MONEY_SCALE - scale);
    avg = formatUnits(num / den, scale);
  }
  return {
    id: o.id,
    clientOrderId,
    venue: inst.venue,
    symbol: inst.symbol,
    side: o.side,
    type: o.type,
    tif: o.tif,
    status: o.status,
    seedStatus: seedStatus(o.status),
    route: o.route,
    role: o.role,
    listId: o.listId,
    quantity: formatQty(inst, o.quantity),
    filled: formatQty(inst, o.filled),
    price: releasedPrice(o) === undefined ? undefined : formatPrice(inst, releasedPrice(o)!),
    triggerPrice: o.triggerPrice === undefined ? undefined : formatPrice(inst, o.triggerPrice),
    triggeredAt: o.triggeredAt === undefined ? undefined : formatPrice(inst, o.triggeredAt),
    stopPrice: stop === undefined ? undefined : formatPrice(inst, stop),
    averageFillPrice: avg,
    fees: formatUnits(o.fees, MONEY_SCALE, true),
    venueOrderId: o.venueOrderId,
    tag: o.tag,
    createdMs: o.createdMs,
    updatedMs: o.updatedMs,
  };
}

export function viewList(list: OrderList, view: (id: number) => OrderView): ListView {
  const ids = list.parentId === undefined ? list.legIds : [list.parentId, ...list.legIds];
  return { listId: list.id, kind: list.kind, native: list.native, orders: ids.map(view) };
}

/** The limit price: the order's own, or a fired trailing stop-limit's stop minus/plus its offset. */
function releasedPrice(o: Order): number | undefined {
  const off = o.trailing?.limitOffset;
  if (o.price !== undefined || off === undefined || o.triggeredAt === undefined) return o.price;
  return o.side === 'buy' ? o.triggeredAt + off : o.triggeredAt - off;
}
