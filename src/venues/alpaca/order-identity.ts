// One identity per Ordo order at Alpaca. Alpaca's replace (PATCH) creates a new order with a new
// id, and client order ids are unique forever, so the n-th replacement of Ordo's `X` carries
// `X-rN`; the legs Alpaca makes for an order class carry client ids Alpaca chooses. This module
// keeps, per Ordo client order id, which Alpaca order works for it now, the ids it replaced, and
// what those filled, and translates any Alpaca order back to its Ordo order. Pure bookkeeping: the
// adapter asks Alpaca and feeds what it learns in.
//
// Quantities. A replace is sent with the order's new total as Alpaca counts it (Ordo's total less
// what replaced orders filled) and Alpaca makes the new order for what is left, starting unfilled;
// Ordo's quantity is `filledBefore` (what the replaced orders filled) plus the working order's qty.

import type { AlpacaOrder, OrderSnapshot } from './parsers.ts';
import { splitReplacementId } from './requests.ts';

/** The part an Alpaca-made leg plays in its order class. */
export type LegRole = 'take_profit' | 'stop_loss';

/** What the adapter knows of one Ordo order at Alpaca. */
export interface Tracked {
  readonly ordoId: string;
  readonly instrument: string;
  /** A leg Alpaca made for an order class: found through the order carrying the class. */
  leg: { readonly mainId: string; readonly role: LegRole } | undefined;
  /** The Alpaca order working for it now (undefined until an answer or event names it). */
  venueOrderId: string | undefined;
  /** The client id the working Alpaca order carries (Ordo's, `-rN` after replaces, or Alpaca's for a leg). */
  alpacaClientId: string;
  /** Replaces made so far (the N of `-rN`). */
  revision: number;
  /** Alpaca ids this order had before a replace: their ends are not Ordo's. */
  readonly replaced: Set<string>;
  /** Ordo's view of the order's terms (quantity in Ordo's count), when known. */
  quantity: number | undefined;
  price: number | undefined;
  triggerPrice: number | undefined;
  /** What replaced Alpaca orders filled: the working order does not count it. */
  filledBefore: number;
}

export class OrderIdentities {
  private readonly tracked = new Map<string, Tracked>();
  /** Alpaca order id → Ordo client order id. */
  private readonly byVenue = new Map<string, string>();
  /** Alpaca client order id → Ordo client order id (replacements before their answer, legs). */
  private readonly byAlpacaClientId = new Map<string, string>();

  get(ordoId: string): Tracked | undefined {
    return this.tracked.get(ordoId);
  }

  /** The record of an Ordo order, made on first use. */
  track(ordoId: string, instrument: string, alpacaClientId: string = ordoId): Tracked {
    let t = this.tracked.get(ordoId);
    if (t === undefined) {
      t = {
        ordoId,
        instrument,
        leg: undefined,
        venueOrderId: undefined,
        alpacaClientId,
        revision: splitReplacementId(alpacaClientId).n,
        replaced: new Set(),
        quantity: undefined,
        price: undefined,
        triggerPrice: undefined,
        filledBefore: 0,
      };
      this.tracked.set(ordoId, t);
      this.byAlpacaClientId.set(alpacaClientId, ordoId);
    }
    return t;
  }

  /** The Alpaca order `venueOrderId` works for `t` now. */
  link(t: Tracked, venueOrderId: string): void {
    t.venueOrderId = venueOrderId;
    this.byVenue.set(venueOrderId, t.ordoId);
  }

  /** Links an Ordo leg to the Alpaca order Alpaca made for it (its client id is Alpaca's). */
  linkLeg(t: Tracked, leg: Pick<AlpacaOrder, 'id' | 'client_order_id'>): void {
    t.alpacaClientId = leg.client_order_id;
    this.byAlpacaClientId.set(leg.client_order_id, t.ordoId);
    this.link(t, leg.id);
  }

  /** A client id about to be sent for `ordoId` (a replacement): its events may come first. */
  expect(alpacaClientId: string, ordoId: string): void {
    this.byAlpacaClientId.set(alpacaClientId, ordoId);
  }

  /** The Ordo client id of an Alpaca order id, when known. */
  ordoIdOfVenueId(venueOrderId: string): string | undefined {
    return this.byVenue.get(venueOrderId);
  }

  /** Whether an Alpaca order is known (by id or client id) without asking Alpaca. */
  knows(o: Pick<AlpacaOrder, 'id' | 'client_order_id'>): boolean {
    return this.byVenue.has(o.id) || this.byAlpacaClientId.has(o.client_order_id);
  }

  /**
   * The Ordo client id of an Alpaca order: known by its id or client id; else, for a replacement,
   * the client id before its `-rN`; else its own client id (an order placed outside Ordo).
   */
  ordoIdOf(o: Pick<AlpacaOrder, 'id' | 'client_order_id' | 'replaces'>): string {
    const known = this.byVenue.get(o.id) ?? this.byAlpacaClientId.get(o.client_order_id);
    if (known !== undefined) return known;
    return o.replaces != null ? splitReplacementId(o.client_order_id).original : o.client_order_id;
  }

  /**
   * After a replace answer: the new Alpaca order works for `t` from now on. It was made for
   * `alpacaTotal` less what the old order filled, and that difference joins `filledBefore`.
   */
  adoptReplacement(t: Tracked, oldVenueId: string, s: OrderSnapshot, alpacaTotal: number): void {
    t.replaced.add(oldVenueId);
    t.revision = Math.max(t.revision + 1, splitReplacementId(s.clientOrderId).n);
    t.alpacaClientId = s.clientOrderId;
    this.byAlpacaClientId.set(s.clientOrderId, t.ordoId);
    this.link(t, s.venueOrderId);
    const left = s.quantity ?? alpacaTotal;
    t.filledBefore += Math.max(0, alpacaTotal - left - s.filled);
    t.quantity = t.filledBefore + left;
    t.price = s.price;
    t.triggerPrice = s.triggerPrice;
  }

  /** What Alpaca showed of an order's chain (oldest first, each replaced by the next). */
  adoptChain(t: Tracked, chain: readonly OrderSnapshot[]): void {
    const last = chain.at(-1);
    if (last === undefined) return;
    for (const s of chain.slice(0, -1)) {
      t.replaced.add(s.venueOrderId);
      this.byVenue.set(s.venueOrderId, t.ordoId);
    }
    t.revision = Math.max(t.revision, splitReplacementId(last.clientOrderId).n);
    t.alpacaClientId = last.clientOrderId;
    this.byAlpacaClientId.set(last.clientOrderId, t.ordoId);
    this.link(t, last.venueOrderId);
    t.filledBefore = filledBeforeOf(chain);
  }
}

/** The leg of an order class with this role, from an order answered with its legs. */
export function legOf(main: AlpacaOrder, role: LegRole): AlpacaOrder | undefined {
  return (main.legs ?? []).find((l) => {
    const type = l.type ?? l.order_type;
    return role === 'take_profit' ? type === 'limit' : type === 'stop' || type === 'stop_limit';
  });
}

/** What the replaced orders of a chain (oldest first) filled: each replacement starts unfilled. */
export function filledBeforeOf(chain: readonly OrderSnapshot[]): number {
  let sum = 0;
  for (let i = 0; i < chain.length - 1; i++) sum += chain[i]!.filled;
  return sum;
}
