// Reading a create-order request (`POST /orders`) the way Coinbase does (venues.md 3.3, 3.4):
// `client_order_id` (required), `product_id`, `side` BUY|SELL and an `order_configuration` with
// exactly one key. A malformed request — not JSON, a missing or mistyped field, a decimal that is not
// a decimal — is a 400 INVALID_ARGUMENT naming the field; a well-formed request the venue will not
// take (an unsupported configuration, an unknown product, sizes off the product's grid or outside
// its limits) is an HTTP-200 `success: false` with the reason, and no order is created.
//
// Configurations taken: market_market_ioc (base_size or quote_size), sor_limit_ioc,
// limit_limit_gtc / _gtd / _fok (base_size or quote_size, limit_price, post_only for gtc/gtd,
// end_time for gtd), stop_limit_stop_limit_gtc / _gtd (base_size, limit_price, stop_price,
// stop_direction), trigger_bracket_gtc / _gtd (base_size, limit_price, stop_trigger_price). Known
// but refused as UNSUPPORTED_ORDER_CONFIGURATION: market_market_fok (perpetuals), twap_limit_gtd,
// scaled_limit_gtc, and any `attached_order_configuration`.

import { MONEY_SCALE } from '../../../model/instrument.ts';
import { apiErrors, type OrderFailure, orderFailures } from './fake-errors.ts';
import { type ProductSpec, parseMoney, qtyText } from './fake-products.ts';

/** Coinbase's order side. */
export type CbSide = 'BUY' | 'SELL';
/** Time in force implied by a configuration key. */
export type Tif = 'GTC' | 'GTD' | 'IOC' | 'FOK';
/** What the fake does with an order: match it, hold its stop, or rest a take-profit and watch a stop. */
export type OrderKind = 'market' | 'limit' | 'stop_limit' | 'bracket';
/** `stop_direction` of a stop-limit. */
export type StopDirection = 'STOP_DIRECTION_STOP_UP' | 'STOP_DIRECTION_STOP_DOWN';

interface Shape {
  readonly kind: OrderKind;
  readonly tif: Tif;
  /** Whether quote_size may replace base_size. */
  readonly quoteSize: boolean;
  readonly limitPrice: boolean;
  readonly postOnly: boolean;
  readonly stop: 'stop_price' | 'stop_trigger_price' | undefined;
  readonly endTime: boolean;
}

const shape = (kind: OrderKind, tif: Tif, extra: Partial<Shape> = {}): Shape => ({
  kind,
  tif,
  quoteSize: false,
  limitPrice: kind !== 'market',
  postOnly: false,
  stop: undefined,
  endTime: tif === 'GTD',
  ...extra,
});

/** The order_configuration keys the fake takes, with their fields. */
export const CONFIGURATIONS = {
  market_market_ioc: shape('market', 'IOC', { quoteSize: true }),
  sor_limit_ioc: shape('limit', 'IOC', { quoteSize: true }),
  limit_limit_gtc: shape('limit', 'GTC', { quoteSize: true, postOnly: true }),
  limit_limit_gtd: shape('limit', 'GTD', { quoteSize: true, postOnly: true }),
  limit_limit_fok: shape('limit', 'FOK', { quoteSize: true }),
  stop_limit_stop_limit_gtc: shape('stop_limit', 'GTC', { stop: 'stop_price' }),
  stop_limit_stop_limit_gtd: shape('stop_limit', 'GTD', { stop: 'stop_price' }),
  trigger_bracket_gtc: shape('bracket', 'GTC', { stop: 'stop_trigger_price' }),
  trigger_bracket_gtd: shape('bracket', 'GTD', { stop: 'stop_trigger_price' }),
} as const satisfies Record<string, Shape>;

/** A configuration key the fake takes. */
export type ConfigKey = keyof typeof CONFIGURATIONS;

/** Configurations Coinbase has that the fake refuses (success:false UNSUPPORTED_ORDER_CONFIGURATION). */
const UNSUPPORTED = new Set(['market_market_fok', 'twap_limit_gtd', 'twap_market_gtd', 'scaled_limit_gtc']);

/** A well-formed create request, decimals still as sent. */
export interface CreateRequest {
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: CbSide;
  readonly key: ConfigKey;
  readonly kind: OrderKind;
  readonly tif: Tif;
  readonly baseSize: string | undefined;
  readonly quoteSize: string | undefined;
  readonly limitPrice: string | undefined;
  readonly stopPrice: string | undefined;
  readonly stopDirection: StopDirection | undefined;
  readonly postOnly: boolean;
  /** Epoch ms of end_time (GTD). */
  readonly endMs: number | undefined;
  /** `order_configuration` as sent, echoed in answers and order objects. */
  readonly configuration: Record<string, Record<string, unknown>>;
}

/** A create request, or the HTTP-200 failure it gets without reaching the exchange. */
export type ParsedCreate =
  | { readonly ok: true; readonly request: CreateRequest }
  | { readonly ok: false; readonly failure: OrderFailure; readonly configuration: unknown };

const DECIMAL = /^\d+(\.\d+)?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(
  obj: Record<string, unknown>,
  name: string,
  path: string,
  required: boolean,
): string | undefined {
  const v = obj[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw apiErrors.invalidArgument(`${path}${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw apiErrors.invalidArgument(`${path}${name} must be a string`);
  return v;
}

function decimal(
  obj: Record<string, unknown>,
  name: string,
  path: string,
  required: boolean,
): string | undefined {
  const v = text(obj, name, path, required);
  if (v !== undefined && !DECIMAL.test(v))
    throw apiErrors.invalidArgument(
      `${path}${name} must be a non-negative decimal string, got ${JSON.stringify(v)}`,
    );
  return v;
}

/** Parses the JSON body of `POST /orders`; throws ApiError(400) when it is malformed. */
export function parseCreate(body: unknown): ParsedCreate {
  if (!isObject(body)) throw apiErrors.invalidArgument('the request body must be a JSON object');
  const clientOrderId = text(body, 'client_order_id', '', true)!;
  if (clientOrderId.length > 128)
    throw apiErrors.invalidArgument('client_order_id must be at most 128 characters');
  const productId = text(body, 'product_id', '', true)!;
  const side = text(body, 'side', '', true)!;
  if (side !== 'BUY' && side !== 'SELL') throw apiErrors.invalidArgument('side must be BUY or SELL');
  const oc = body.order_configuration;
  if (!isObject(oc)) throw apiErrors.invalidArgument('order_configuration is required and must be an object');
  const keys = Object.keys(oc);
  if (keys.length !== 1)
    throw apiErrors.invalidArgument(`order_configuration must have exactly one key, got ${keys.length}`);
  const key = keys[0]!;
  const cfg = oc[key];
  if (!isObject(cfg)) throw apiErrors.invalidArgument(`order_configuration.${key} must be an object`);
  const configuration = { [key]: cfg };
  if (UNSUPPORTED.has(key))
    return {
      ok: false,
      failure: orderFailures.unsupportedConfiguration(`${key} is not supported for spot products`),
      configuration,
    };
  if (!(key in CONFIGURATIONS))
    throw apiErrors.invalidArgument(`order_configuration.${key} is not a known configuration`);
  if (body.attached_order_configuration !== undefined && body.attached_order_configuration !== null)
    return {
      ok: false,
      failure: orderFailures.unsupportedConfiguration('attached_order_configuration is not supported'),
      configuration,
    };
  const s: Shape = CONFIGURATIONS[key as ConfigKey];
  const path = `order_configuration.${key}.`;
  const baseSize = decimal(cfg, 'base_size', path, !s.quoteSize);
  const quoteSize = s.quoteSize ? decimal(cfg, 'quote_size', path, false) : undefined;
  if (s.quoteSize && (baseSize === undefined) === (quoteSize === undefined))
    throw apiErrors.invalidArgument(`${path}base_size or quote_size is required (exactly one)`);
  const limitPrice = s.limitPrice ? decimal(cfg, 'limit_price', path, true) : undefined;
  const stopPrice = s.stop === undefined ? undefined : decimal(cfg, s.stop, path, true);
  let stopDirection: StopDirection | undefined;
  if (s.stop === 'stop_price') {
    const d = text(cfg, 'stop_direction', path, true);
    if (d !== 'STOP_DIRECTION_STOP_UP' && d !== 'STOP_DIRECTION_STOP_DOWN')
      throw apiErrors.invalidArgument(
        `${path}stop_direction must be STOP_DIRECTION_STOP_UP or STOP_DIRECTION_STOP_DOWN`,
      );
    stopDirection = d;
  }
  let postOnly = false;
  if (s.postOnly && cfg.post_only !== undefined && cfg.post_only !== null) {
    if (typeof cfg.post_only !== 'boolean')
      throw apiErrors.invalidArgument(`${path}post_only must be a boolean`);
    postOnly = cfg.post_only;
  }
  let endMs: number | undefined;
  if (s.endTime) {
    const t = text(cfg, 'end_time', path, true)!;
    endMs = Date.parse(t);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(t) || Number.isNaN(endMs))
      throw apiErrors.invalidArgument(`${path}end_time must be an RFC 3339 time, got ${JSON.stringify(t)}`);
  }
  return {
    ok: true,
    request: {
      clientOrderId,
      productId,
      side,
      key: key as ConfigKey,
      kind: s.kind,
      tif: s.tif,
      baseSize,
      quoteSize,
      limitPrice,
      stopPrice,
      stopDirection,
      postOnly,
      endMs,
      configuration,
    },
  };
}

/** A create request's numbers on the product's grid. */
export interface Sized {
  /** Quantity units; undefined for a market order sized in quote (priced at the touch later). */
  readonly qty: number | undefined;
  /** Money units of quote_size, when the order is sized in quote. */
  readonly quote: bigint | undefined;
  readonly limit: number | undefined;
  readonly stop: number | undefined;
}

/** Parses a decimal onto a grid of `step` units at `scale`; undefined when not a decimal or off the grid. */
export function gridUnits(textValue: string, scale: number, step: number): number | undefined {
  const m = DECIMAL.exec(textValue);
  if (m === null) return undefined;
  const frac = (m[1] ?? '').slice(1).replace(/0+$/, '');
  if (frac.length > scale) return undefined;
  const units =
    BigInt(textValue.split('.')[0]!) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0');
  if (units % BigInt(step) !== 0n || units > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(units);
}

/**
 * Checks a request against its product: sizes and prices on the increments (precision failures),
 * base size within base_min_size..base_max_size, notional (limit × size, or quote_size) within
 * quote_min_size..quote_max_size. A limit order sized in quote buys floor(quote / limit) lots.
 */
export function sizeOrder(spec: ProductSpec, r: CreateRequest): Sized | OrderFailure {
  const inst = spec.instrument;
  let limit: number | undefined;
  if (r.limitPrice !== undefined) {
    limit = gridUnits(r.limitPrice, inst.priceScale, inst.priceIncrement);
    if (limit === undefined)
      return orderFailures.pricePrecision(
        `limit_price ${r.limitPrice} is not a multiple of ${spec.input.priceIncrement}`,
      );
    if (limit <= 0) return orderFailures.invalidLimitPrice('limit_price must be > 0');
  }
  let stop: number | undefined;
  if (r.stopPrice !== undefined) {
    stop = gridUnits(r.stopPrice, inst.priceScale, inst.priceIncrement);
    if (stop === undefined)
      return orderFailures.pricePrecision(
        `stop price ${r.stopPrice} is not a multiple of ${spec.input.priceIncrement}`,
      );
    if (stop <= 0) return orderFailures.invalidStopPrice('the stop price must be > 0');
  }
  let quote: bigint | undefined;
  let qty: number | undefined;
  if (r.quoteSize !== undefined) {
    quote = parseMoney(r.quoteSize);
    if (quote === undefined || quote % spec.quoteIncrement !== 0n)
      return orderFailures.quoteSizePrecision(
        `quote_size ${r.quoteSize} is not a multiple of quote_increment ${spec.input.quoteIncrement}`,
      );
    const q = checkQuote(spec, quote, 'quote_size');
    if (q !== undefined) return q;
    if (limit !== undefined) {
      // Units of quantity the quote amount buys at the limit, floored to the lot.
      const perUnit = BigInt(limit) * 10n ** BigInt(MONEY_SCALE - inst.priceScale - inst.qtyScale);
      const units = quote / perUnit;
      qty = Number(units - (units % BigInt(inst.qtyIncrement)));
      const b = checkBase(spec, qty);
      if (b !== undefined) return b;
    }
  } else {
    qty = gridUnits(r.baseSize!, inst.qtyScale, inst.qtyIncrement);
    if (qty === undefined)
      return orderFailures.sizePrecision(
        `base_size ${r.baseSize} is not a multiple of base_increment ${spec.input.baseIncrement}`,
      );
    const b = checkBase(spec, qty);
    if (b !== undefined) return b;
    if (limit !== undefined) {
      const q = checkQuote(spec, notional(spec, limit, qty), 'limit_price x base_size');
      if (q !== undefined) return q;
    }
  }
  return { qty, quote, limit, stop };
}

/** Money units of `qty` at `price`. */
export function notional(spec: ProductSpec, price: number, qty: number): bigint {
  const inst = spec.instrument;
  return BigInt(price) * BigInt(qty) * 10n ** BigInt(MONEY_SCALE - inst.priceScale - inst.qtyScale);
}

/** base_min_size ≤ qty ≤ base_max_size. */
export function checkBase(spec: ProductSpec, qty: number): OrderFailure | undefined {
  if (qty <= 0 || qty < spec.baseMin)
    return orderFailures.baseSizeTooSmall(
      `base size ${qtyText(spec, qty)} is below base_min_size ${spec.input.baseMinSize}`,
    );
  if (qty > spec.baseMax)
    return orderFailures.baseSizeTooLarge(
      `base size ${qtyText(spec, qty)} is above base_max_size ${spec.input.baseMaxSize}`,
    );
  return undefined;
}

/** quote_min_size ≤ value ≤ quote_max_size. */
export function checkQuote(spec: ProductSpec, value: bigint, what: string): OrderFailure | undefined {
  if (value < spec.quoteMin || value <= 0n)
    return orderFailures.quoteSizeTooSmall(`${what} is below quote_min_size ${spec.input.quoteMinSize}`);
  if (value > spec.quoteMax)
    return orderFailures.quoteSizeTooLarge(`${what} is above quote_max_size ${spec.input.quoteMaxSize}`);
  return undefined;
}

/** Whether a value returned by sizeOrder is a failure. */
export function isFailure(v: Sized | OrderFailure): v is OrderFailure {
  return 'preview' in v;
}
