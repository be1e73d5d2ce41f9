// Local pre-validation of an order against its Coinbase product, so that what Coinbase would
// refuse for a product rule never leaves. Each refusal names the rule by the product field it
// comes from (`base_min_size: …`), so a trader can look it up:
//
//   trading_disabled / cancel_only / view_only  the product takes no new orders
//   limit_only                                  market orders are refused
//   post_only                                   only post-only limit orders are taken
//   price_increment                             limit and stop prices on the tick grid
//   base_increment, base_min_size, base_max_size  the quantity
//   quote_min_size, quote_max_size              the order value (price × quantity; for a market
//                                               order at the last trade price, when one is known)

import { formatUnits } from '../../core/decimal.ts';
import type { VenueOrderRequest } from '../../engine/venue-port.ts';
import { formatPrice, formatQty, notionalOf } from '../../model/instrument.ts';
import type { ProductRules } from './products.ts';

/** A product rule the order breaks. */
export interface RuleFailure {
  /** The product field the rule comes from, e.g. `base_min_size`. */
  readonly rule: string;
  /** The order field at fault. */
  readonly field: string;
  readonly message: string;
}

/** The first rule the order breaks, or undefined when it passes. */
export function checkOrder(
  rules: ProductRules,
  o: VenueOrderRequest,
  lastPrice: number | undefined,
): RuleFailure | undefined {
  const inst = rules.instrument;
  const sym = rules.productId;
  if (rules.disabled || rules.status !== 'online')
    return {
      rule: 'trading_disabled',
      field: 'instrument',
      message: `${sym} takes no orders (status ${rules.status})`,
    };
  if (rules.cancelOnly) return { rule: 'cancel_only', field: 'instrument', message: `${sym} is cancel-only` };
  if (rules.limitOnly && o.type === 'market')
    return { rule: 'limit_only', field: 'type', message: `${sym} takes limit orders only` };
  if (rules.postOnly && !(o.type === 'limit' && o.postOnly))
    return { rule: 'post_only', field: 'postOnly', message: `${sym} takes post-only limit orders only` };
  for (const [field, v] of [
    ['price', o.price],
    ['triggerPrice', o.triggerPrice],
  ] as const)
    if (v !== undefined && v % inst.priceIncrement !== 0)
      return {
        rule: 'price_increment',
        field,
        message: `${field} ${formatPrice(inst, v)} is not a multiple of ${formatPrice(inst, inst.priceIncrement)}`,
      };
  if (o.quantity % inst.qtyIncrement !== 0)
    return {
      rule: 'base_increment',
      field: 'quantity',
      message: `quantity ${formatQty(inst, o.quantity)} is not a multiple of ${formatQty(inst, inst.qtyIncrement)} ${inst.base}`,
    };
  if (o.quantity < inst.qtyMin)
    return {
      rule: 'base_min_size',
      field: 'quantity',
      message: `quantity ${formatQty(inst, o.quantity)} is below the minimum ${formatQty(inst, inst.qtyMin)} ${inst.base}`,
    };
  if (rules.qtyMax !== undefined && o.quantity > rules.qtyMax)
    return {
      rule: 'base_max_size',
      field: 'quantity',
      message: `quantity ${formatQty(inst, o.quantity)} is above the maximum ${formatQty(inst, rules.qtyMax)} ${inst.base}`,
    };
  const at = o.type === 'market' ? lastPrice : (o.price ?? o.triggerPrice);
  if (at !== undefined) {
    const value = notionalOf(inst, at, o.quantity);
    if (value < inst.notionalMin)
      return {
        rule: 'quote_min_size',
        field: 'quantity',
        message: `order value ${formatUnits(value, 18, true)} ${inst.quote} is below the minimum ${formatUnits(inst.notionalMin, 18, true)} ${inst.quote}`,
      };
    if (rules.notionalMax !== undefined && value > rules.notionalMax)
      return {
        rule: 'quote_max_size',
        field: 'quantity',
        message: `order value ${formatUnits(value, 18, true)} ${inst.quote} is above the maximum ${formatUnits(rules.notionalMax, 18, true)} ${inst.quote}`,
      };
  }
  return undefined;
}
