// Engine events as JSON for the wire: the engine keeps prices and quantities as integer units of
// each instrument and money as bigint; the API shows decimal strings, exactly as the views do, so
// a client never meets an internal unit or a float.

import { assertNever } from '../core/assert.ts';
import { formatUnits } from '../core/decimal.ts';
import type { OrdoEvent } from '../engine/events.ts';
import { formatPrice, formatQty, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import type { TrailingParams } from '../model/order.ts';
import type { EventJson } from './contract.ts';

export interface InstrumentLookup {
  /** The instrument of an order, by order id. */
  ofOrder(id: number): Instrument | undefined;
  /** An instrument by key `venue:symbol`. */
  byKey(key: string): Instrument | undefined;
}

export function eventJson(e: OrdoEvent, look: InstrumentLookup): EventJson {
  switch (e.type) {
    case 'order_created': {
      const inst = look.byKey(e.order.instrument);
      const o = e.order;
      return {
        type: e.type,
        ts: e.ts,
        order: {
          ...o,
          quantity: qty(inst, o.quantity),
          price: price(inst, o.price),
          triggerPrice: price(inst, o.triggerPrice),
          trailing: trailing(inst, o.trailing),
        },
      };
    }
    case 'list_created': {
      const first = e.list.parentId ?? e.list.legIds[0];
      const inst = first === undefined ? undefined : look.ofOrder(first);
      return { type: e.type, ts: e.ts, list: { ...e.list, quantity: qty(inst, e.list.quantity) } };
    }
    case 'order_held':
    case 'order_armed': {
      const inst = look.ofOrder(e.id);
      return { ...e, price: price(inst, e.price) };
    }
    case 'trailing_started': {
      const inst = look.ofOrder(e.id);
      return { ...e, price: price(inst, e.price) };
    }
    case 'order_triggered': {
      const inst = look.ofOrder(e.id);
      return { ...e, stopPrice: price(inst, e.stopPrice), marketPrice: price(inst, e.marketPrice) };
    }
    case 'order_filled': {
      const inst = look.ofOrder(e.id);
      return {
        ...e,
        price: price(inst, e.price),
        quantity: qty(inst, e.quantity),
        fee: formatUnits(e.fee, MONEY_SCALE, true),
      };
    }
    case 'order_modify_requested':
    case 'order_modified': {
      const inst = look.ofOrder(e.id);
      return {
        ...e,
        quantity: qty(inst, e.quantity),
        price: price(inst, e.price),
        triggerPrice: price(inst, e.triggerPrice),
      };
    }
    case 'watermark_moved': {
      const inst = look.byKey(e.instrument);
      return { ...e, price: price(inst, e.price) };
    }
    case 'order_denied':
    case 'order_disarmed':
    case 'order_submitted':
    case 'order_accepted':
    case 'order_rejected':
    case 'order_cancel_requested':
    case 'order_cancelled':
    case 'order_expired':
    case 'order_modify_rejected':
    case 'order_cancel_rejected':
      return { ...e };
    default:
      return assertNever(e);
  }
}

function price(inst: Instrument | undefined, units: number | undefined): string | undefined {
  if (units === undefined) return undefined;
  return inst === undefined ? String(units) : formatPrice(inst, units);
}

function qty(inst: Instrument | undefined, units: number): string {
  return inst === undefined ? String(units) : formatQty(inst, units);
}

function trailing(
  inst: Instrument | undefined,
  t: TrailingParams | undefined,
): Record<string, unknown> | undefined {
  if (t === undefined) return undefined;
  // Relative offsets (percent, bps) are held as a fraction in RATE units (8 places).
  const offset =
    t.offsetKind === 'percent'
      ? formatUnits(BigInt(t.offset), 6)
      : t.offsetKind === 'bps'
        ? formatUnits(BigInt(t.offset), 4)
        : price(inst, t.offset);
  return {
    offsetType: t.offsetKind,
    offset,
    activationPrice: price(inst, t.activationPrice),
    limitOffset: price(inst, t.limitOffset),
  };
}
