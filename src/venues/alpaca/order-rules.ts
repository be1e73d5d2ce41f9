// Local pre-validation: an order Alpaca would refuse for one of its documented rules never leaves
// Ordo; it is refused here with the rule's name (venues.md 1.4, 1.7, 1.8, 1.12):
//
//   sub_penny                 an equity price at or above $1 in whole cents (below $1: 0.0001)
//   crypto_order_type         crypto takes market, limit and stop_limit only
//   crypto_time_in_force      crypto takes gtc and ioc only
//   min_order_size            a crypto quantity below the asset's `min_order_size`
//   lot_multiple/tick_multiple a quantity or price off the asset's grid
//   fractionable              fractional shares of an asset Alpaca does not split
//   fractional_order          fractional shares: market, limit, stop, stop_limit; time in force day
//   fractional_min_notional   fractional shares worth less than $1 (when the price is known)
//   trailing_time_in_force    trailing stops take day or gtc
//   time_in_force             gtd does not exist on Alpaca; ioc and fok take market or limit
//   trailing_shape            no activation price, no limit offset on Alpaca trailing stops
//   post_only                 Alpaca has no post-only (maker-only) flag
//   extended_hours            extended hours need a limit order with time in force day
//   client_order_id           1 to 120 characters (Alpaca takes 128; a replace appends `-rN`)
//   order_class               list shapes Alpaca's order classes cannot carry (see checkList)

import { formatUnits, pow10 } from '../../core/decimal.ts';
import type { VenueListRequest, VenueOrderRequest } from '../../engine/venue-port.ts';
import { formatPrice, formatQty, type Instrument, MONEY_SCALE, notionalOf } from '../../model/instrument.ts';
import type { AssetRules } from './assets.ts';

/** Why an order cannot go to Alpaca as it is. */
export interface RuleFailure {
  /** `unsupported`: Alpaca cannot take it (Ordo may emulate it); `invalid`: wrong anywhere. */
  readonly kind: 'unsupported' | 'invalid';
  readonly rule: string;
  readonly field: string;
  /** `rule: what is wrong`, for the trader. */
  readonly message: string;
}

export type RuleCheck = RuleFailure | undefined;

/** Longest Ordo client order id: Alpaca takes 128 characters and a replace appends `-rN`. */
export const MAX_CLIENT_ORDER_ID = 120;

const fail = (kind: RuleFailure['kind'], rule: string, field: string, message: string): RuleFailure => ({
  kind,
  rule,
  field,
  message: `${rule}: ${message}`,
});

/** Whether a quantity is a whole number of units of the base (shares). */
export function isWholeQty(inst: Instrument, qty: number): boolean {
  return qty % Number(pow10(inst.qtyScale)) === 0;
}

/** The sub-penny rule for one equity price: ≥ $1 whole cents, else at most 4 decimals. */
export function subPennyProblem(inst: Instrument, units: number, field: string): RuleCheck {
  if (inst.kind !== 'equity') return undefined;
  const one = Number(pow10(inst.priceScale));
  const text = formatPrice(inst, units);
  if (units >= one && inst.priceScale > 2 && units % Number(pow10(inst.priceScale - 2)) !== 0)
    return fail(
      'invalid',
      'sub_penny',
      field,
      `${field} ${trim(text)} must be in whole cents at or above $1.00 (Alpaca's sub-penny rule)`,
    );
  if (units < one && inst.priceScale > 4 && units % Number(pow10(inst.priceScale - 4)) !== 0)
    return fail(
      'invalid',
      'sub_penny',
      field,
      `${field} ${trim(text)} may have at most 4 decimals below $1.00 (Alpaca's sub-penny rule)`,
    );
  return undefined;
}

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

export interface OrderRuleOptions {
  /** The order will carry `extended_hours: true`. */
  readonly extendedHours?: boolean;
  /** The last trade price, to check the $1 minimum of fractional market orders. */
  readonly lastPrice?: number;
}

/** Every rule one order breaks first, or undefined when Alpaca should take it. */
export function checkOrder(
  rules: AssetRules,
  o: VenueOrderRequest,
  options: OrderRuleOptions = {},
): RuleCheck {
  const inst = rules.instrument;
  if (o.instrument !== inst.key)
    return fail('invalid', 'instrument', 'instrument', `${o.instrument} is not ${inst.key}`);
  if (!rules.tradable)
    return fail('invalid', 'tradable', 'instrument', `${rules.venueSymbol} is not tradable`);
  if (o.clientOrderId.length === 0 || o.clientOrderId.length > MAX_CLIENT_ORDER_ID)
    return fail(
      'invalid',
      'client_order_id',
      'clientOrderId',
      `must be 1 to ${MAX_CLIENT_ORDER_ID} characters`,
    );
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0)
    return fail('invalid', 'positive', 'quantity', 'must be > 0');
  if (o.quantity % inst.qtyIncrement !== 0)
    return fail(
      'invalid',
      'lot_multiple',
      'quantity',
      `${trim(formatQty(inst, o.quantity))} is not a multiple of ${trim(formatQty(inst, inst.qtyIncrement))}`,
    );
  for (const [field, v] of [
    ['price', o.price],
    ['triggerPrice', o.triggerPrice],
  ] as const) {
    if (v === undefined) continue;
    if (v <= 0 || v % inst.priceIncrement !== 0)
      return fail(
        'invalid',
        'tick_multiple',
        field,
        `${trim(formatPrice(inst, v))} is not a multiple of the tick ${trim(formatPrice(inst, inst.priceIncrement))}`,
      );
    const sp = subPennyProblem(inst, v, field);
    if (sp !== undefined) return sp;
  }
  if (o.postOnly) return fail('unsupported', 'post_only', 'postOnly', 'Alpaca has no post-only orders');
  if (o.tif === 'gtd') return fail('unsupported', 'time_in_force', 'tif', 'Alpaca has no gtd time in force');
  if (o.type === 'limit' || o.type === 'stop_limit') {
    if (o.price === undefined) return fail('invalid', 'required', 'price', `a ${o.type} order needs a price`);
  }
  if (o.type === 'stop' || o.type === 'stop_limit') {
    if (o.triggerPrice === undefined)
      return fail('invalid', 'required', 'triggerPrice', `a ${o.type} order needs a trigger price`);
  }
  return rules.assetClass === 'crypto' ? checkCrypto(rules, o) : checkEquity(rules, o, options);
}

function checkCrypto(rules: AssetRules, o: VenueOrderRequest): RuleCheck {
  const inst = rules.instrument;
  if (o.type !== 'market' && o.type !== 'limit' && o.type !== 'stop_limit')
    return fail(
      'unsupported',
      'crypto_order_type',
      'type',
      `Alpaca crypto takes market, limit and stop_limit orders, not ${o.type}`,
    );
  if (o.tif !== 'gtc' && o.tif !== 'ioc')
    return fail(
      'unsupported',
      'crypto_time_in_force',
      'tif',
      `Alpaca crypto takes gtc and ioc, not ${o.tif}`,
    );
  if (o.quantity < inst.qtyMin)
    return fail(
      'invalid',
      'min_order_size',
      'quantity',
      `${trim(formatQty(inst, o.quantity))} is below ${rules.venueSymbol}'s minimum order size ${trim(formatQty(inst, inst.qtyMin))}`,
    );
  return undefined;
}

function checkEquity(rules: AssetRules, o: VenueOrderRequest, options: OrderRuleOptions): RuleCheck {
  const inst = rules.instrument;
  if (o.type === 'trailing_stop') {
    const t = o.trailing;
    if (t === undefined)
      return fail('invalid', 'required', 'trailing', 'a trailing stop needs its trailing offset');
    if (t.activationPrice !== undefined || t.limitOffset !== undefined)
      return fail(
        'unsupported',
        'trailing_shape',
        'trailing',
        'Alpaca trailing stops take no activation price and release no limit order',
      );
    if (o.tif !== 'day' && o.tif !== 'gtc')
      return fail(
        'unsupported',
        'trailing_time_in_force',
        'tif',
        `trailing stops take day or gtc, not ${o.tif}`,
      );
    if (t.offsetKind === 'price' || t.offsetKind === 'ticks') {
      const sp = subPennyProblem(inst, t.offset, 'trail_price');
      if (sp !== undefined) return sp;
    }
  }
  if (!isWholeQty(inst, o.quantity)) {
    const q = trim(formatQty(inst, o.quantity));
    if (!rules.fractionable)
      return fail(
        'invalid',
        'fractionable',
        'quantity',
        `${rules.venueSymbol} trades in whole shares, not ${q}`,
      );
    if (o.type === 'trailing_stop')
      return fail(
        'unsupported',
        'fractional_order',
        'type',
        `fractional shares (${q}) cannot be a trailing stop`,
      );
    if (o.tif !== 'day')
      return fail(
        'unsupported',
        'fractional_order',
        'tif',
        `fractional shares (${q}) take time in force day, not ${o.tif}`,
      );
    const px = o.price ?? o.triggerPrice ?? options.lastPrice;
    if (px !== undefined && notionalOf(inst, px, o.quantity) < pow10(MONEY_SCALE))
      return fail(
        'invalid',
        'fractional_min_notional',
        'quantity',
        `fractional shares must be worth at least $1; ${q} at ${trim(formatPrice(inst, px))} is ${trim(formatUnits(notionalOf(inst, px, o.quantity), MONEY_SCALE))}`,
      );
  }
  if ((o.tif === 'ioc' || o.tif === 'fok') && o.type !== 'market' && o.type !== 'limit')
    return fail(
      'unsupported',
      'time_in_force',
      'tif',
      `${o.tif} takes market or limit orders, not ${o.type}`,
    );
  if (options.extendedHours === true && (o.type !== 'limit' || o.tif !== 'day'))
    return fail(
      'unsupported',
      'extended_hours',
      'type',
      `extended hours take a limit order with time in force day, not ${o.type} ${o.tif}`,
    );
  return undefined;
}

/** How a native list maps onto one Alpaca order with an order class. */
export interface ListShape {
  readonly orderClass: 'bracket' | 'oco' | 'oto';
  /** The order carrying the class: the entry (bracket, OTO) or the take-profit limit (OCO). */
  readonly main: VenueOrderRequest;
  readonly takeProfit: VenueOrderRequest | undefined;
  readonly stopLoss: VenueOrderRequest | undefined;
}

/**
 * The Alpaca order class a list becomes, or the rule it breaks (venues.md 1.7): equities only;
 * bracket = a market or limit entry + take-profit limit + stop-loss stop/stop-limit (a bracket without an entry is
 * an OCO); OCO = a take-profit limit and a stop-loss on the same side (exit-only); OTO = an entry
 * and exactly one take-profit or stop-loss, released on the full fill. Legs share the entry's
 * quantity and time in force (day or gtc), take whole shares, and the take-profit is above the
 * stop for a sell exit (below for a buy).
 */
export function checkList(rules: AssetRules, list: VenueListRequest): ListShape | RuleFailure {
  if (rules.assetClass !== 'us_equity')
    return fail('unsupported', 'order_class', 'kind', 'Alpaca takes order classes on equities only');
  const kind = list.kind === 'bracket' && list.parent === undefined ? 'oco' : list.kind;
  const parent = list.parent;
  const tp = list.legs.filter((l) => l.type === 'limit');
  const sl = list.legs.filter((l) => l.type === 'stop' || l.type === 'stop_limit');
  const other = list.legs.length - tp.length - sl.length;
  if (other > 0)
    return fail('unsupported', 'order_class', 'legs', 'legs of an order class are limit, stop or stop_limit');
  if (kind === 'bracket' && (tp.length !== 1 || sl.length !== 1 || parent === undefined))
    return fail('unsupported', 'order_class', 'legs', 'a bracket is an entry, one limit and one stop leg');
  if (kind === 'oco' && (tp.length !== 1 || sl.length !== 1))
    return fail('unsupported', 'order_class', 'legs', 'an Alpaca OCO is one limit and one stop leg');
  if (parent !== undefined && parent.type !== 'market' && parent.type !== 'limit')
    return fail(
      'unsupported',
      'order_class',
      'legs',
      `the entry of an order class is market or limit, not ${parent.type}`,
    );
  if (kind === 'oto') {
    if (parent === undefined || list.legs.length !== 1)
      return fail('unsupported', 'order_class', 'legs', 'an Alpaca OTO is an entry and exactly one child');
    if (list.trigger !== 'full')
      return fail(
        'unsupported',
        'order_class',
        'trigger',
        'Alpaca releases OTO children on the full fill only',
      );
  }
  const exits = list.legs;
  const exitSide = exits[0]!.side;
  const quantity = parent?.quantity ?? exits[0]!.quantity;
  const tif = parent?.tif ?? exits[0]!.tif;
  if (tif !== 'day' && tif !== 'gtc')
    return fail('unsupported', 'order_class', 'tif', `order classes take day or gtc, not ${tif}`);
  for (const leg of exits) {
    if (leg.side !== exitSide)
      return fail('unsupported', 'order_class', 'legs', 'the exits of an order class are on one side');
    if (leg.quantity !== quantity)
      return fail('unsupported', 'order_class', 'legs', 'the legs of an order class share one quantity');
  }
  if (parent !== undefined && parent.side === exitSide)
    return fail('unsupported', 'order_class', 'legs', 'the exits are on the other side of the entry');
  if (!isWholeQty(rules.instrument, quantity))
    return fail('unsupported', 'order_class', 'quantity', 'order classes take whole shares');
  const takeProfit = tp[0];
  const stopLoss = sl[0];
  if (takeProfit !== undefined && stopLoss !== undefined) {
    const tpPx = takeProfit.price ?? 0;
    const slPx = stopLoss.triggerPrice ?? 0;
    const sellExit = exitSide === 'sell';
    if (sellExit ? tpPx <= slPx : tpPx >= slPx)
      return fail(
        'invalid',
        'order_class',
        'legs',
        `the take-profit must be ${sellExit ? 'above' : 'below'} the stop-loss for a ${exitSide} exit`,
      );
  }
  for (const leg of [parent, ...exits]) {
    if (leg === undefined) continue;
    const bad = checkOrder(rules, { ...leg, tif });
    if (bad !== undefined) return bad;
    if (leg.type === 'trailing_stop')
      return fail('unsupported', 'order_class', 'legs', 'a trailing stop cannot be part of an order class');
  }
  if (kind === 'oco') return { orderClass: 'oco', main: takeProfit!, takeProfit, stopLoss };
  return { orderClass: kind, main: parent!, takeProfit, stopLoss };
}
