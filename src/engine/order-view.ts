// Read-only views of orders and lists for library users, the API and the dashboard: decimal
// strings, never internal units, so what a user sees is exactly what the engine holds.

import { formatUnits } from '../core/decimal.ts';
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

/**
 * A live handle on one order: every field is read from the engine's record when asked, so the
 * handle always shows the order's current state and costs nothing until read. `toJSON` (and
 * `snapshot`) give a plain frozen copy for storage or the wire.
 */
export class OrderHandle implements OrderView {
  constructor(
    private readonly o: Order,
    private readonly clientId: (o: Order) => string,
    private readonly emulator: Emulator,
  ) {}
  get id(): OrderId {
    return this.o.id;
  }
  get clientOrderId(): string {
    return this.clientId(this.o);
  }
  get venue(): string {
    return this.o.instrument.venue;
  }
  get symbol(): string {
    return this.o.instrument.symbol;
  }
  get side(): Side {
    return this.o.side;
  }
  get type(): OrderType {
    return this.o.type;
  }
  get tif(): TimeInForce {
    return this.o.tif;
  }
  get status(): OrderStatus {
    return this.o.status;
  }
  get seedStatus(): ReturnType<typeof seedStatus> {
    return seedStatus(this.o.status);
  }
  get route(): Route {
    return this.o.route;
  }
  get role(): LegRole {
    return this.o.role;
  }
  get listId(): ListId | undefined {
    return this.o.listId;
  }
  get quantity(): string {
    return formatQty(this.o.instrument, this.o.quantity);
  }
  get filled(): string {
    return formatQty(this.o.instrument, this.o.filled);
  }
  get price(): string | undefined {
    const p = releasedPrice(this.o);
    return p === undefined ? undefined : formatPrice(this.o.instrument, p);
  }
  get triggerPrice(): string | undefined {
    return this.o.triggerPrice === undefined
      ? undefined
      : formatPrice(this.o.instrument, this.o.triggerPrice);
  }
  get triggeredAt(): string | undefined {
    return this.o.triggeredAt === undefined ? undefined : formatPrice(this.o.instrument, this.o.triggeredAt);
  }
  get stopPrice(): string | undefined {
    const stop = this.emulator.currentStop(this.o);
    return stop === undefined ? undefined : formatPrice(this.o.instrument, stop);
  }
  get averageFillPrice(): string | undefined {
    const o = this.o;
    if (o.filled === 0) return undefined;
    // Σ price × qty (price units × qty units) / filled (qty units), shown at the price scale plus
    // four places so averages of several fills stay readable; truncated, never rounded up.
    const scale = o.instrument.priceScale + 4;
    return formatUnits((o.filledPQ * 10_000n) / BigInt(o.filled), scale);
  }
  get fees(): string {
    return formatUnits(this.o.fees, MONEY_SCALE, true);
  }
  get venueOrderId(): string | undefined {
    return this.o.venueOrderId;
  }
  get tag(): string | undefined {
    return this.o.tag;
  }
  get createdMs(): number {
    return this.o.createdMs;
  }
  get updatedMs(): number {
    return this.o.updatedMs;
  }

  /** A plain, frozen copy of the current state. */
  snapshot(): OrderView {
    const v: Record<string, unknown> = {};
    for (const k of VIEW_KEYS) v[k] = this[k];
    return Object.freeze(v) as unknown as OrderView;
  }

  toJSON(): OrderView {
    return this.snapshot();
  }
}

const VIEW_KEYS: readonly (keyof OrderView)[] = [
  'id',
  'clientOrderId',
  'venue',
  'symbol',
  'side',
  'type',
  'tif',
  'status',
  'seedStatus',
  'route',
  'role',
  'listId',
  'quantity',
  'filled',
  'price',
  'triggerPrice',
  'triggeredAt',
  'stopPrice',
  'averageFillPrice',
  'fees',
  'venueOrderId',
  'tag',
  'createdMs',
  'updatedMs',
];

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
