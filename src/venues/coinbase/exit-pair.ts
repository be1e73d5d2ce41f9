// A bracket's exit pair on Coinbase: Ordo's take-profit and stop-loss legs are ONE venue order, a
// `trigger_bracket_gtc` / `_gtd`. This module keeps what ties the two together.
//
// Identity. The venue order's client_order_id names both legs, `<take-profit id>_<stop-loss id>`,
// so the venue's own record says which of Ordo's orders it holds: after a restart without a
// state store, an order listing is enough to find both legs again (nothing is adopted as an
// external order, and a lookup of either leg's id finds the pair). Ordo's two legs come from one
// engine with one id prefix, so each id holds as many `_` as the other, and the id splits at the
// middle one even when the prefix holds some.
//
// Which leg a fill is. Before the stop triggers, the venue order is the resting take-profit limit;
// when a trade reaches the trigger, Coinbase withdraws the take-profit and works the rest as a
// limit order through the trigger: fills before the trigger are the take-profit's, fills after it
// the stop-loss's. The `user` channel says when it triggered (trigger_status), so a fill derived
// from it is attributed as it happens and the attribution kept (`PairBook`, saved with the
// adapter's state). A fill learnt only from the fills endpoint (a dropped update, a restart without
// the saved book) is attributed by its price: a take-profit limit never fills worse than its limit,
// so a fill worse than it is the stop-loss's, and a fill at or better than it, while the order has
// not triggered, the take-profit's.

import type { Side } from '../../model/order.ts';

/** Which of Ordo's two legs. */
export type PairLeg = 'take_profit' | 'stop_loss';

const SEP = '_';
const CLIENT_ID_MAX = 128;

/** The venue client_order_id of an exit pair, or undefined when the two ids cannot make one. */
export function pairClientId(takeProfit: string, stopLoss: string): string | undefined {
  if (takeProfit === '' || stopLoss === '') return undefined;
  // Split back at the middle separator only if both halves hold as many as each other.
  if (takeProfit.split(SEP).length !== stopLoss.split(SEP).length) return undefined;
  const id = `${takeProfit}${SEP}${stopLoss}`;
  return id.length <= CLIENT_ID_MAX ? id : undefined;
}

/** The legs' client ids in an exit pair's client_order_id, or undefined when it names no pair. */
export function splitPairId(
  id: string,
): { readonly takeProfit: string; readonly stopLoss: string } | undefined {
  const parts = id.split(SEP);
  if (parts.length < 2 || parts.length % 2 !== 0) return undefined;
  const half = parts.length / 2;
  const takeProfit = parts.slice(0, half).join(SEP);
  const stopLoss = parts.slice(half).join(SEP);
  if (takeProfit === '' || stopLoss === '') return undefined;
  return { takeProfit, stopLoss };
}

/** Whether an `order_configuration` key is a trigger bracket (an exit pair when Ordo placed it). */
export function isTriggerBracket(configuration: string | undefined): boolean {
  return configuration === 'trigger_bracket_gtc' || configuration === 'trigger_bracket_gtd';
}

/**
 * The leg of a fill known only by its price (see the header): the stop-loss when the order had
 * triggered and the price is worse than the take-profit's limit, else the take-profit.
 */
export function legOfFill(side: Side, triggered: boolean, price: number, limit: number | undefined): PairLeg {
  if (!triggered || limit === undefined) return 'take_profit';
  const atLimitOrBetter = side === 'sell' ? price >= limit : price <= limit;
  return atLimitOrBetter ? 'take_profit' : 'stop_loss';
}

/** The leg of every fill of an exit pair Ordo was told, by fill id (plain data, kept across restarts). */
export class PairBook {
  private readonly legs = new Map<string, PairLeg>();

  get(fillId: string): PairLeg | undefined {
    return this.legs.get(fillId);
  }

  /** Records a fill's leg; true when it was not known. */
  set(fillId: string, leg: PairLeg): boolean {
    if (this.legs.get(fillId) === leg) return false;
    this.legs.set(fillId, leg);
    return true;
  }

  toJSON(): Record<string, PairLeg> {
    return Object.fromEntries(this.legs);
  }

  /** Restores a book saved with toJSON; anything unreadable is dropped (prices decide instead). */
  static fromJSON(json: unknown): PairBook {
    const book = new PairBook();
    if (json === null || typeof json !== 'object') return book;
    for (const [id, leg] of Object.entries(json as Record<string, unknown>))
      if (leg === 'take_profit' || leg === 'stop_loss') book.legs.set(id, leg);
    return book;
  }
}
