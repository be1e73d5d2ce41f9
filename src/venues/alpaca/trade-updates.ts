// The trading stream's messages (venues.md 1.10) and what each `trade_updates` event means to
// Ordo. Pure: the adapter supplies the Ordo client order id of the event's order (replacements and
// order-class legs carry ids Alpaca made) and acts on what comes back.
//
//   new, accepted, pending_new                  → accepted (venue order id = the event's order)
//   fill, partial_fill                          → fill (see below)
//   canceled                                    → cancelled
//   expired; done_for_day of a day order        → expired
//   rejected                                    → rejected
//   order_cancel_rejected                       → cancel_rejected
//   order_replace_rejected                      → modify_rejected
//   replaced, pending_replace, pending_cancel, stopped, calculated, suspended, restated, held
//                                               → nothing here (a replace is the adapter's: the
//                                                 old order's `replaced` and the new order's
//                                                 `new` are one `modified`)
//
// Fills. An event carries the order as it stands after the execution (`filled_qty` cumulative)
// and the execution itself (`qty`, `price`). Each fill is derived from the cumulative quantity:
// the FillTracker remembers how much of each Alpaca order Ordo has heard filled, so a repeated
// event (cumulative not above what is known) is dropped, and an event whose `qty` is not exactly
// the step from the known cumulative (events were lost, or an execution is reported cumulatively)
// is a gap: the adapter then reads the order's executions from the fill activities instead of
// guessing. The trade id is `fillTradeId(order id, cumulative qty)`, the id the activities give too.

import { z } from 'zod';
import { codedError, err, ok, type Result } from '../../core/errors.ts';
import type { VenueReport } from '../../engine/venue-port.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Liquidity } from '../../model/order.ts';
import {
  type AlpacaOrder,
  fillTradeId,
  guard,
  latest,
  orderSchema,
  priceUnits,
  qtyUnits,
} from './parsers.ts';
import { optDecimal, optTime, zodMessage } from './wire.ts';

/** `{"stream":"authorization","data":{"status":"authorized"|"unauthorized","action":...}}`. */
export const authorizationSchema = z.object({
  stream: z.literal('authorization'),
  data: z.object({ status: z.string(), action: z.string().optional() }),
});

/** `{"stream":"listening","data":{"streams":["trade_updates"]}}`. */
export const listeningSchema = z.object({
  stream: z.literal('listening'),
  data: z.object({ streams: z.array(z.string()) }),
});

/** One `trade_updates` event. */
export const tradeUpdateSchema = z.object({
  stream: z.literal('trade_updates'),
  data: z.object({
    event: z.string(),
    execution_id: z.string().nullish(),
    order: orderSchema,
    timestamp: optTime,
    price: optDecimal,
    qty: optDecimal,
    position_qty: optDecimal,
  }),
});
export type TradeUpdate = z.infer<typeof tradeUpdateSchema>['data'];

/** Any trading-stream message, told apart by `stream`. */
export type StreamMessage =
  | { readonly kind: 'authorization'; readonly authorized: boolean; readonly action: string | undefined }
  | { readonly kind: 'listening'; readonly streams: readonly string[] }
  | { readonly kind: 'trade_update'; readonly update: TradeUpdate }
  | { readonly kind: 'other'; readonly stream: string };

/** Reads one trading-stream message (already JSON-decoded from a text or binary frame). */
export function parseStreamMessage(json: unknown): Result<StreamMessage> {
  const stream = (json as { stream?: unknown } | null)?.stream;
  if (typeof stream !== 'string')
    return err(codedError('invalid_field', 'stream message: no "stream" field'));
  const schema =
    stream === 'authorization'
      ? authorizationSchema
      : stream === 'listening'
        ? listeningSchema
        : stream === 'trade_updates'
          ? tradeUpdateSchema
          : undefined;
  if (schema === undefined) return ok({ kind: 'other', stream });
  const r = schema.safeParse(json);
  if (!r.success) return err(codedError('invalid_field', `${stream} message: ${zodMessage(r.error)}`));
  const d = r.data;
  if (d.stream === 'authorization')
    return ok({ kind: 'authorization', authorized: d.data.status === 'authorized', action: d.data.action });
  if (d.stream === 'listening') return ok({ kind: 'listening', streams: d.data.streams });
  return ok({ kind: 'trade_update', update: d.data });
}

/** How much of each Alpaca order Ordo has heard filled, to derive fills from cumulative state. */
export class FillTracker {
  private readonly cum = new Map<string, number>();

  constructor(private readonly capacity = 50_000) {}

  /** The cumulative filled quantity known for an order, if any. */
  known(venueOrderId: string): number | undefined {
    return this.cum.get(venueOrderId);
  }

  /** Records a cumulative quantity seen elsewhere (a lookup, the activities); never goes back. */
  advance(venueOrderId: string, cumQty: number): void {
    const prev = this.cum.get(venueOrderId);
    if (prev !== undefined && prev >= cumQty) return;
    this.cum.delete(venueOrderId);
    this.cum.set(venueOrderId, cumQty);
    if (this.cum.size > this.capacity) {
      const oldest = this.cum.keys().next();
      if (oldest.done !== true) this.cum.delete(oldest.value);
    }
  }

  /**
   * What a fill event with cumulative `cumQty` and execution `qty` is: `new` (exactly the next
   * execution), `stale` (already known) or `gap` (something between is unknown).
   */
  classify(venueOrderId: string, cumQty: number, qty: number | undefined): 'new' | 'stale' | 'gap' {
    const prev = this.cum.get(venueOrderId);
    if (prev !== undefined && cumQty <= prev) return 'stale';
    if (qty === undefined || qty <= 0) return 'gap';
    return cumQty - (prev ?? 0) === qty ? 'new' : 'gap';
  }
}

/** Alpaca does not say who provided liquidity: market-like orders took it, resting limits made it. */
export function liquidityOf(o: Pick<AlpacaOrder, 'type' | 'order_type'>): Liquidity {
  const t = o.type ?? o.order_type;
  return t === 'limit' || t === 'stop_limit' ? 'maker' : 'taker';
}

/** What one event asks of the adapter. */
export interface UpdateOutcome {
  readonly reports: readonly VenueReport[];
  /** A fill event that does not follow what is known: read the order's fills from the activities. */
  readonly gap: boolean;
}

const none: UpdateOutcome = { reports: [], gap: false };

/**
 * One `trade_updates` event as reports for the Ordo order `clientOrderId`. Fill events go through
 * `tracker` (which they advance); `fee` gives the fee of an execution and its currency (Alpaca's
 * events carry none; the adapter decides), in money units.
 */
export function mapTradeUpdate(
  u: TradeUpdate,
  inst: Instrument,
  clientOrderId: string,
  tracker: FillTracker,
  fee: (price: number, qty: number) => { fee: bigint; currency: string } = () => ({
    fee: 0n,
    currency: inst.quote,
  }),
): Result<UpdateOutcome> {
  const o = u.order;
  const ts = u.timestamp ?? latest(o);
  return guard(`trade update ${u.event} of ${o.id}`, (): UpdateOutcome => {
    switch (u.event) {
      case 'new':
      case 'accepted':
      case 'pending_new':
        return { reports: [{ kind: 'accepted', clientOrderId, venueOrderId: o.id, ts }], gap: false };
      case 'fill':
      case 'partial_fill': {
        const cum = qtyUnits(inst, o.filled_qty, 'order.filled_qty');
        const qty = u.qty === undefined ? undefined : qtyUnits(inst, u.qty, 'qty');
        const verdict = tracker.classify(o.id, cum, qty);
        if (verdict === 'stale') return none;
        if (verdict === 'gap' || u.price === undefined || qty === undefined)
          return { reports: [], gap: true };
        const price = priceUnits(inst, u.price, 'price');
        const charged = fee(price, qty);
        tracker.advance(o.id, cum);
        return {
          reports: [
            {
              kind: 'fill',
              clientOrderId,
              tradeId: fillTradeId(o.id, o.filled_qty),
              price,
              quantity: qty,
              fee: charged.fee,
              feeCurrency: charged.currency,
              liquidity: liquidityOf(o),
              ts,
            },
          ],
          gap: false,
        };
      }
      case 'canceled':
        return { reports: [{ kind: 'cancelled', clientOrderId, reason: 'canceled', ts }], gap: false };
      case 'expired':
        return { reports: [{ kind: 'expired', clientOrderId, ts }], gap: false };
      case 'done_for_day':
        return o.time_in_force === 'day'
          ? { reports: [{ kind: 'expired', clientOrderId, ts }], gap: false }
          : none;
      case 'rejected':
        return {
          reports: [
            { kind: 'rejected', clientOrderId, code: 'venue_rejected', reason: 'rejected by alpaca', ts },
          ],
          gap: false,
        };
      case 'order_cancel_rejected':
        return {
          reports: [{ kind: 'cancel_rejected', clientOrderId, reason: 'alpaca refused the cancel', ts }],
          gap: false,
        };
      case 'order_replace_rejected':
        return {
          reports: [{ kind: 'modify_rejected', clientOrderId, reason: 'alpaca refused the replace', ts }],
          gap: false,
        };
      default:
        return none;
    }
  });
}
