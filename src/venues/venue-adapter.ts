// The asynchronous venue port: what Ordo needs from a broker reached over the network (Binance,
// Alpaca, Coinbase) or from any venue driven the same way. The engine never calls it: the engine
// emits VenueCommands, a VenueBridge (venue-bridge.ts) sends them through an adapter, and the
// adapter's reports come back to the engine as inputs. Errors fall into a closed set, so the
// bridge knows what to do with each without knowing the venue:
//
//   rejected — the venue refused the request and nothing happened (its code and message kept);
//   retryable — nothing happened and the same request may be sent again (after `retryAfterMs`);
//   unknown — the request may or may not have taken effect (a timeout, a 5xx, Binance -1007):
//             the order is looked up by its client order id before anything is sent again.

import type {
  Capabilities,
  VenueCommand,
  VenueListRequest,
  VenueOrderRequest,
  VenueReport,
} from '../engine/venue-port.ts';
import type { Instrument } from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import type { Liquidity, OrderType, Side } from '../model/order.ts';

export type VenueErrorKind = 'rejected' | 'retryable' | 'unknown';

/** A failed venue request, classified. Messages never carry credentials. */
export class VenueError extends Error {
  constructor(
    readonly kind: VenueErrorKind,
    /** Ordo's code for the failure (`insufficient_balance`, `filter_failure`, `rate_limited`, …). */
    readonly code: string,
    message: string,
    /** The venue's own error code, when it gave one (Binance -2010, an HTTP status, …). */
    readonly venueCode?: number | string,
    /** For `retryable`: the earliest time (ms from now) a new request may be sent. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'VenueError';
  }
}

/** Status of an order as the venue reports it when asked. */
export type VenueOrderStatus = 'open' | 'filled' | 'cancelled' | 'expired' | 'rejected';

/** One execution, as the venue lists it (fills since a point, fills of an order). */
export interface VenueFill {
  readonly instrument: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly tradeId: string;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly fee: bigint;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly ts: number;
}

/** An order as the venue knows it. */
export interface VenueOrderState {
  readonly instrument: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly status: VenueOrderStatus;
  readonly quantity: number;
  readonly filled: number;
  readonly price: number | undefined;
  readonly triggerPrice: number | undefined;
  readonly ts: number;
  /** The venue's id of the order list it is a leg of, when it is one. */
  readonly listId?: string;
  /** A post-only (maker-only) limit order. */
  readonly postOnly?: boolean;
  /** Its fills, when the venue gives them with the order (or the adapter fetched them). */
  readonly fills?: readonly VenueFill[];
}

/** A balance in money units (MONEY_SCALE) of its currency. */
export interface VenueBalance {
  readonly currency: string;
  readonly total: bigint;
  readonly available: bigint;
}

export type ConnectionState = 'connected' | 'disconnected' | 'reconnected';

/** What an adapter tells whoever drives it, as it happens. */
export interface VenueListener {
  /** An order report from the venue's stream (or derived from a response). */
  report(r: VenueReport): void;
  market(md: MarketData): void;
  /** The order stream dropped or came back: after `reconnected`, reconcile. */
  connection(state: ConnectionState): void;
}

export interface VenueAdapter {
  readonly id: string;
  /** Loads instrument rules, syncs time, opens the order stream. */
  connect(listener: VenueListener): Promise<void>;
  close(): Promise<void>;
  /** Instruments and their rules (after connect). */
  instruments(): readonly Instrument[];
  /** What the venue does natively (after connect). Routing reads only this. */
  capabilities(): Capabilities;
  /** Each returns the reports its response already tells (acceptance, immediate fills). */
  submit(order: VenueOrderRequest): Promise<VenueReport[]>;
  submitList(list: VenueListRequest): Promise<VenueReport[]>;
  cancel(instrument: string, clientOrderId: string): Promise<VenueReport[]>;
  modify(command: Extract<VenueCommand, { kind: 'modify' }>): Promise<VenueReport[]>;
  /** The order with this client order id, or undefined when the venue has none. */
  lookup(instrument: string, clientOrderId: string): Promise<VenueOrderState | undefined>;
  openOrders(): Promise<VenueOrderState[]>;
  /** Fills on an instrument at or after `sinceMs`, oldest first. */
  fillsSince(instrument: string, sinceMs: number): Promise<VenueFill[]>;
  balances(): Promise<VenueBalance[]>;
  /** Public trades and quotes of these instruments, delivered to the listener's `market`. */
  subscribeMarket(instruments: readonly string[]): Promise<void>;
}

/** The reports that bring an engine to what `state` says of an order (duplicates are harmless). */
export function reportsOf(state: VenueOrderState): VenueReport[] {
  const out: VenueReport[] = [];
  const { clientOrderId, ts } = state;
  if (state.status === 'rejected') {
    out.push({
      kind: 'rejected',
      clientOrderId,
      code: 'venue_rejected',
      reason: 'rejected by the venue',
      ts,
    });
    return out;
  }
  out.push({ kind: 'accepted', clientOrderId, venueOrderId: state.venueOrderId, ts });
  for (const f of state.fills ?? [])
    out.push({
      kind: 'fill',
      clientOrderId,
      tradeId: f.tradeId,
      price: f.price,
      quantity: f.quantity,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      liquidity: f.liquidity,
      ts: f.ts,
    });
  if (state.status === 'cancelled') out.push({ kind: 'cancelled', clientOrderId, reason: 'venue', ts });
  if (state.status === 'expired') out.push({ kind: 'expired', clientOrderId, ts });
  return out;
}

/**
 * A read the venue answered `retryable` (a rate limit, a busy server) is asked again after the wait
 * it names (or a short backoff), a few times; other failures go to the caller.
 */
export async function retrying<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof VenueError) || e.kind !== 'retryable' || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.max(e.retryAfterMs ?? 0, 50 * 2 ** i)));
    }
  }
}
