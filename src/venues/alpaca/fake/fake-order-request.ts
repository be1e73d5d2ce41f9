// Reading POST /v2/orders and PATCH /v2/orders/{id} bodies as Alpaca does: required fields, enum
// values, decimals given as strings or JSON numbers, the sub-penny rule for equity prices, the
// crypto restrictions (simple market / limit / stop_limit orders, gtc or ioc), fractional and
// notional rules, extended hours, and the shape of bracket / OCO / OTO requests. The first rule
// broken is answered (422, or 400 for a body that is not a JSON object). Checks that need the
// account or the market (buying power, base price of a bracket) are the broker's.

import { decimalPlaces, parseUnits, pow10 } from '../../../core/decimal.ts';
import { decimalText, MONEY_SCALE } from '../../../model/instrument.ts';
import { type AssetSpec, type AssetTable, EQUITY_QTY_INCREMENT } from './fake-assets.ts';
import { errors } from './fake-errors.ts';
import {
  type AlpacaOrderType,
  type AlpacaSide,
  type AlpacaTif,
  type FakeOrder,
  ORDER_CLASSES,
  ORDER_TYPES,
  type OrderClass,
  type OrderClassText,
  PERCENT_SCALE,
  SIDES,
  TIFS,
  type Trail,
} from './fake-order.ts';

export const MAX_CLIENT_ID_LENGTH = 128;
const QTY_MAX_DECIMALS = 9;

export interface NewOrder {
  readonly asset: AssetSpec;
  readonly side: AlpacaSide;
  readonly type: AlpacaOrderType;
  readonly tif: AlpacaTif;
  readonly orderClassText: OrderClassText;
  readonly orderClass: OrderClass;
  /** Instrument units; undefined for a notional order. */
  readonly qty: number | undefined;
  /** Money units. */
  readonly notional: bigint | undefined;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly trail: Trail | undefined;
  readonly extendedHours: boolean;
  readonly clientOrderId: string | undefined;
  readonly takeProfit: { readonly limitPrice: number } | undefined;
  readonly stopLoss: { readonly stopPrice: number; readonly limitPrice: number | undefined } | undefined;
  readonly positionIntent: string | undefined;
}

export interface ReplaceRequest {
  /** New total quantity (instrument units). */
  readonly qty: number | undefined;
  readonly tif: AlpacaTif | undefined;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly trail: Trail | undefined;
  readonly clientOrderId: string | undefined;
}

type Body = Readonly<Record<string, unknown>>;

/** The body as a JSON object, or 400 `request body format is invalid`. */
export function bodyObject(text: string): Body {
  if (text.trim() === '') throw errors.badBody();
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw errors.badBody();
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.badBody();
  return v as Body;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

function enumOf<T extends string>(
  body: Body,
  field: string,
  values: readonly T[],
  required: boolean,
): T | undefined {
  const v = body[field];
  if (!present(v)) {
    if (required) throw errors.invalid(`${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw errors.invalid(`invalid ${field}`);
  return v as T;
}

function boolOf(body: Body, field: string): boolean {
  const v = body[field];
  if (v === undefined || v === null) return false;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw errors.invalid(`invalid ${field}`);
}

function textOf(v: unknown, field: string): string {
  const t = decimalText(v);
  if (t === undefined || !/^\d+(\.\d+)?$/.test(t.trim())) throw errors.invalid(`invalid ${field}`);
  return t.trim();
}

/**
 * A price of `asset` in instrument units. Equities: at most 2 decimals at or above $1, 4 below
 * (else the documented sub-penny 422); crypto: a multiple of the asset's price_increment.
 */
export function readPrice(asset: AssetSpec, v: unknown, field: string): number {
  const text = textOf(v, field);
  const inst = asset.instrument;
  const units = parseUnits(text, inst.priceScale);
  if (asset.cls === 'us_equity') {
    const places = decimalPlaces(text) ?? 0;
    if (units === undefined || (places > 2 && units >= pow10(inst.priceScale)))
      throw errors.subPenny(field, text);
  } else if (units === undefined || units % BigInt(inst.priceIncrement) !== 0n) {
    throw errors.unprocessable(
      `invalid ${field} ${text}. must be a multiple of price_increment ${asset.priceIncrement}`,
    );
  }
  if (units === undefined || units <= 0n) throw errors.invalid(`${field} must be > 0`);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw errors.invalid(`${field} is too large`);
  return Number(units);
}

/** A quantity of `asset` in instrument units (at most 9 decimals; crypto: on min_trade_increment). */
export function readQty(asset: AssetSpec, v: unknown, field = 'qty'): number {
  const text = textOf(v, field);
  if ((decimalPlaces(text) ?? 0) > QTY_MAX_DECIMALS)
    throw errors.invalid(`${field} must have at most ${QTY_MAX_DECIMALS} decimal places`);
  const inst = asset.instrument;
  const units = parseUnits(text, inst.qtyScale);
  if (units === undefined || units % BigInt(inst.qtyIncrement) !== 0n)
    throw errors.invalid(
      `${field} must be a multiple of min_trade_increment ${asset.minTradeIncrement ?? EQUITY_QTY_INCREMENT}`,
    );
  if (units <= 0n) throw errors.invalid(`${field} must be > 0`);
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw errors.invalid(`${field} is too large`);
  return Number(units);
}

function readNotional(v: unknown): bigint {
  const text = textOf(v, 'notional');
  const units = parseUnits(text, MONEY_SCALE);
  if (units === undefined) throw errors.invalid('invalid notional');
  if (units <= 0n) throw errors.invalid('notional must be > 0');
  return units;
}

function readTrailPercent(v: unknown, field: string): Trail {
  const text = textOf(v, field);
  const units = parseUnits(text, PERCENT_SCALE);
  if (units === undefined || units <= 0n || units >= 100n * pow10(PERCENT_SCALE))
    throw errors.invalid(`${field} must be > 0 and < 100 with at most ${PERCENT_SCALE} decimal places`);
  return { kind: 'percent', units, text };
}

function clientIdOf(body: Body): string | undefined {
  const v = body.client_order_id;
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw errors.invalid('invalid client_order_id');
  if (v.length > MAX_CLIENT_ID_LENGTH)
    throw errors.invalid(`client_order_id must be no more than ${MAX_CLIENT_ID_LENGTH} characters`);
  return v;
}

function objectOf(body: Body, field: string): Body | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw errors.invalid(`invalid ${field}`);
  return v as Body;
}

const isWhole = (asset: AssetSpec, qty: number): boolean => qty % 10 ** asset.instrument.qtyScale === 0;

/** Reads and checks a POST /v2/orders body. */
export function parseNewOrder(body: Body, assets: AssetTable): NewOrder {
  const symbol = body.symbol;
  if (!present(symbol)) throw errors.invalid('symbol is required');
  if (typeof symbol !== 'string') throw errors.invalid('invalid symbol');
  const asset = assets.find(symbol);
  if (asset === undefined) throw errors.invalid(`asset ${symbol} not found`);
  if (!asset.tradable) throw errors.unprocessable(`asset ${asset.symbol} is not tradable`);
  const side = enumOf(body, 'side', SIDES, true)!;
  const type = enumOf(body, 'type', ORDER_TYPES, true)!;
  const tif = enumOf(body, 'time_in_force', TIFS, true)!;
  const classText = (enumOf(body, 'order_class', ORDER_CLASSES, false) ?? '') as OrderClassText;
  const orderClass: OrderClass = classText === '' ? 'simple' : classText;
  const hasQty = present(body.qty);
  const hasNotional = present(body.notional);
  if (hasQty && hasNotional) throw errors.invalid('only one of qty or notional may be specified');
  if (!hasQty && !hasNotional) throw errors.invalid('qty or notional is required');
  const extendedHours = boolOf(body, 'extended_hours');
  const crypto = asset.cls === 'crypto';

  if (crypto) {
    if (orderClass !== 'simple')
      throw errors.invalid(`crypto orders not allowed for order_class ${orderClass}`);
    if (type !== 'market' && type !== 'limit' && type !== 'stop_limit') throw errors.cryptoType();
    if (tif !== 'gtc' && tif !== 'ioc') throw errors.cryptoTif();
    if (extendedHours) throw errors.invalid('extended hours orders are not supported for crypto');
  }

  // Which price fields the type needs, and which it must not carry.
  const needLimit = type === 'limit' || type === 'stop_limit';
  const needStop = type === 'stop' || type === 'stop_limit';
  const what = type === 'stop_limit' ? 'stop limit' : type.replace('_', ' ');
  if (needLimit && !present(body.limit_price) && orderClass !== 'oco')
    throw errors.invalid(`${what} orders require a limit price`);
  if (!needLimit && present(body.limit_price) && orderClass !== 'oco')
    throw errors.invalid(`limit_price is not allowed for ${what} orders`);
  if (needStop && !present(body.stop_price)) throw errors.invalid(`${what} orders require a stop price`);
  if (!needStop && present(body.stop_price))
    throw errors.invalid(`stop_price is not allowed for ${what} orders`);
  const hasTrailPrice = present(body.trail_price);
  const hasTrailPercent = present(body.trail_percent);
  if (type === 'trailing_stop' && hasTrailPrice === hasTrailPercent)
    throw errors.invalid('trailing stop orders require exactly one of trail_price or trail_percent');
  if (type !== 'trailing_stop' && (hasTrailPrice || hasTrailPercent))
    throw errors.invalid('trail_price and trail_percent are only allowed for trailing stop orders');

  const qty = hasQty ? readQty(asset, body.qty) : undefined;
  const notional = hasNotional ? readNotional(body.notional) : undefined;
  const limitPrice = present(body.limit_price)
    ? readPrice(asset, body.limit_price, 'limit_price')
    : undefined;
  const stopPrice = needStop ? readPrice(asset, body.stop_price, 'stop_price') : undefined;
  let trail: Trail | undefined;
  if (hasTrailPrice) trail = { kind: 'price', units: readPrice(asset, body.trail_price, 'trail_price') };
  if (hasTrailPercent) trail = readTrailPercent(body.trail_percent, 'trail_percent');

  if (crypto) {
    if (qty !== undefined && qty < asset.minQty) throw errors.invalid(`qty must be >= ${asset.minOrderSize}`);
  } else {
    const fractional = notional !== undefined || (qty !== undefined && !isWhole(asset, qty));
    if (fractional) {
      if (!asset.fractionable) throw errors.unprocessable(`asset ${asset.symbol} is not fractionable`);
      if (tif !== 'day') throw errors.invalid('fractional orders must be DAY orders');
      if (type === 'trailing_stop')
        throw errors.invalid('fractional orders must be market, limit, stop or stop_limit orders');
      if (orderClass !== 'simple') throw errors.invalid('fractional orders must be simple orders');
    }
    if (extendedHours) {
      if (type !== 'limit') throw errors.invalid('only type="limit" is allowed for extended hours orders');
      if (tif !== 'day')
        throw errors.invalid('only time_in_force="day" is allowed for extended hours orders');
    }
    if ((tif === 'opg' || tif === 'cls') && type !== 'market' && type !== 'limit')
      throw errors.invalid(`${tif} orders must be market or limit orders`);
    if ((tif === 'ioc' || tif === 'fok') && type !== 'market' && type !== 'limit')
      throw errors.invalid(`${tif} orders must be market or limit orders`);
    if (type === 'trailing_stop' && tif !== 'day' && tif !== 'gtc')
      throw errors.invalid('trailing stop orders must be day or gtc orders');
  }
  if (notional !== undefined && type !== 'market')
    throw errors.invalid('notional orders must be market orders');

  const tpBody = objectOf(body, 'take_profit');
  const slBody = objectOf(body, 'stop_loss');
  let takeProfit: NewOrder['takeProfit'];
  let stopLoss: NewOrder['stopLoss'];
  if (orderClass === 'simple') {
    if (tpBody !== undefined || slBody !== undefined)
      throw errors.invalid('take_profit and stop_loss are only allowed for bracket, oco and oto orders');
  } else {
    if (type === 'trailing_stop')
      throw errors.invalid(`${orderClass} orders must not be trailing stop orders`);
    if (extendedHours) throw errors.invalid(`extended hours are not supported for ${orderClass} orders`);
    if (tif !== 'day' && tif !== 'gtc')
      throw errors.invalid(`${orderClass} orders must be day or gtc orders`);
    if (tpBody !== undefined) {
      if (!present(tpBody.limit_price)) throw errors.invalid('take_profit.limit_price is required');
      takeProfit = { limitPrice: readPrice(asset, tpBody.limit_price, 'take_profit.limit_price') };
    }
    if (slBody !== undefined) {
      if (!present(slBody.stop_price)) throw errors.invalid('stop_loss.stop_price is required');
      stopLoss = {
        stopPrice: readPrice(asset, slBody.stop_price, 'stop_loss.stop_price'),
        limitPrice: present(slBody.limit_price)
          ? readPrice(asset, slBody.limit_price, 'stop_loss.limit_price')
          : undefined,
      };
    }
    if (orderClass === 'bracket') {
      if (type !== 'market' && type !== 'limit')
        throw errors.invalid('bracket orders must be market or limit orders');
      if (takeProfit === undefined || stopLoss === undefined)
        throw errors.invalid('bracket orders require take_profit and stop_loss');
    } else if (orderClass === 'oto') {
      if (type !== 'market' && type !== 'limit')
        throw errors.invalid('oto orders must be market or limit orders');
      if ((takeProfit === undefined) === (stopLoss === undefined))
        throw errors.invalid('oto orders require exactly one of take_profit or stop_loss');
    } else {
      if (type !== 'limit') throw errors.invalid('oco orders must be limit orders');
      if (takeProfit === undefined || stopLoss === undefined)
        throw errors.invalid('oco orders require take_profit and stop_loss');
      if (limitPrice !== undefined && limitPrice !== takeProfit.limitPrice)
        throw errors.invalid('limit_price must equal take_profit.limit_price for oco orders');
    }
  }

  const intent = body.position_intent;
  if (intent !== undefined && intent !== null && typeof intent !== 'string')
    throw errors.invalid('invalid position_intent');

  return {
    asset,
    side,
    type,
    tif,
    orderClassText: classText,
    orderClass,
    qty,
    notional,
    limitPrice: orderClass === 'oco' ? takeProfit!.limitPrice : limitPrice,
    stopPrice,
    trail,
    extendedHours,
    clientOrderId: clientIdOf(body),
    takeProfit,
    stopLoss,
    positionIntent: typeof intent === 'string' && intent !== '' ? intent : undefined,
  };
}

/** Reads a PATCH /v2/orders/{id} body against the order it would replace. */
export function parseReplace(body: Body, order: FakeOrder): ReplaceRequest {
  const asset = order.asset;
  const tif = enumOf(body, 'time_in_force', TIFS, false);
  if (tif !== undefined && asset.cls === 'crypto' && tif !== 'gtc' && tif !== 'ioc') throw errors.cryptoTif();
  const qty = present(body.qty) ? readQty(asset, body.qty) : undefined;
  const limitPrice = present(body.limit_price)
    ? readPrice(asset, body.limit_price, 'limit_price')
    : undefined;
  const stopPrice = present(body.stop_price) ? readPrice(asset, body.stop_price, 'stop_price') : undefined;
  let trail: Trail | undefined;
  if (present(body.trail)) {
    if (order.trail === undefined) throw errors.invalid('trail is only allowed for trailing stop orders');
    trail =
      order.trail.kind === 'price'
        ? { kind: 'price', units: readPrice(asset, body.trail, 'trail') }
        : readTrailPercent(body.trail, 'trail');
  }
  if (limitPrice !== undefined && order.type !== 'limit' && order.type !== 'stop_limit')
    throw errors.invalid(`limit_price is not allowed for ${order.type} orders`);
  if (stopPrice !== undefined && order.type !== 'stop' && order.type !== 'stop_limit')
    throw errors.invalid(`stop_price is not allowed for ${order.type} orders`);
  return { qty, tif, limitPrice, stopPrice, trail, clientOrderId: clientIdOf(body) };
}
