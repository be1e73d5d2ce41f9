// Reading a paper venue snapshot back: checks on the shape of plain JSON data (as decoded by the
// journal's checkpoint codec, with bigints revived) that throw an Error naming the path of the
// first value that is wrong, e.g. `invalid paper venue snapshot: matcher.openOrders[2].locked must
// be a bigint, got "12"`. Also the rebuilding of venue requests and reports with exactly the keys
// the live objects have (JSON drops keys whose value is undefined).

import type { VenueOrderRequest, VenueReport } from '../../engine/venue-port.ts';
import {
  type Liquidity,
  ORDER_TYPES,
  type OrderType,
  type Side,
  TIME_IN_FORCES,
  type TimeInForce,
  type TrailingOffsetKind,
  type TrailingParams,
} from '../../model/order.ts';

export class SnapshotReader {
  /** `what` names the snapshot in messages, e.g. `paper venue snapshot`. */
  constructor(readonly what: string) {}

  fail(path: string, problem: string): never {
    throw new Error(`invalid ${this.what}: ${path === '' ? 'the snapshot' : path} ${problem}`);
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      this.fail(path, `must be an object, got ${show(v)}`);
    return v as Record<string, unknown>;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${show(v)}`);
    return v;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${show(v)}`);
    return v;
  }

  boolean(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, `must be a boolean, got ${show(v)}`);
    return v;
  }

  /** A safe integer (prices, quantities, timestamps, counters are all integers). */
  int(v: unknown, path: string, min = Number.MIN_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      this.fail(path, `must be an integer, got ${show(v)}`);
    if (v < min) this.fail(path, `must be ≥ ${min}, got ${v}`);
    return v;
  }

  /** An integer or null/undefined (an absent value; written as null). */
  optInt(v: unknown, path: string, min?: number): number | undefined {
    return v === null || v === undefined ? undefined : this.int(v, path, min);
  }

  bigint(v: unknown, path: string): bigint {
    if (typeof v !== 'bigint') this.fail(path, `must be a bigint, got ${show(v)}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
      this.fail(path, `must be one of ${options.join(', ')}, got ${show(v)}`);
    return v as T;
  }

  /** A venue order request, rebuilt with every key of the interface. */
  request(v: unknown, path: string): VenueOrderRequest {
    const o = this.object(v, path);
    const t = o.trailing;
    return {
      clientOrderId: this.string(o.clientOrderId, `${path}.clientOrderId`),
      instrument: this.string(o.instrument, `${path}.instrument`),
      side: this.oneOf<Side>(o.side, `${path}.side`, SIDES),
      type: this.oneOf<OrderType>(o.type, `${path}.type`, ORDER_TYPES),
      tif: this.oneOf<TimeInForce>(o.tif, `${path}.tif`, TIME_IN_FORCES),
      expireAtMs: this.optInt(o.expireAtMs, `${path}.expireAtMs`),
      // Quantities and prices are not range-checked here: a bad one is the matcher's to reject,
      // as it would have been live.
      quantity: this.int(o.quantity, `${path}.quantity`),
      price: this.optInt(o.price, `${path}.price`),
      triggerPrice: this.optInt(o.triggerPrice, `${path}.triggerPrice`),
      trailing: t === null || t === undefined ? undefined : this.trailing(t, `${path}.trailing`),
      postOnly: this.boolean(o.postOnly, `${path}.postOnly`),
      reduceOnly: this.boolean(o.reduceOnly, `${path}.reduceOnly`),
    };
  }

  private trailing(v: unknown, path: string): TrailingParams {
    const o = this.object(v, path);
    return {
      offsetKind: this.oneOf<TrailingOffsetKind>(o.offsetKind, `${path}.offsetKind`, OFFSET_KINDS),
      offset: this.int(o.offset, `${path}.offset`),
      activationPrice: this.optInt(o.activationPrice, `${path}.activationPrice`),
      limitOffset: this.optInt(o.limitOffset, `${path}.limitOffset`),
    };
  }

  /** A venue report, rebuilt with exactly the keys the live report of its kind has. */
  report(v: unknown, path: string): VenueReport {
    const o = this.object(v, path);
    const kind = this.oneOf(o.kind, `${path}.kind`, REPORT_KINDS);
    const clientOrderId = this.string(o.clientOrderId, `${path}.clientOrderId`);
    const ts = this.int(o.ts, `${path}.ts`);
    const reason = () => this.string(o.reason, `${path}.reason`);
    switch (kind) {
      case 'accepted':
        return {
          kind,
          clientOrderId,
          venueOrderId: this.string(o.venueOrderId, `${path}.venueOrderId`),
          ts,
        };
      case 'rejected':
        return { kind, clientOrderId, code: this.string(o.code, `${path}.code`), reason: reason(), ts };
      case 'triggered':
      case 'expired':
        return { kind, clientOrderId, ts };
      case 'fill':
        return {
          kind,
          clientOrderId,
          tradeId: this.string(o.tradeId, `${path}.tradeId`),
          price: this.int(o.price, `${path}.price`),
          quantity: this.int(o.quantity, `${path}.quantity`),
          fee: this.bigint(o.fee, `${path}.fee`),
          feeCurrency: this.string(o.feeCurrency, `${path}.feeCurrency`),
          liquidity: this.oneOf<Liquidity>(o.liquidity, `${path}.liquidity`, LIQUIDITIES),
          ts,
        };
      case 'cancelled':
      case 'modify_rejected':
      case 'cancel_rejected':
        return { kind, clientOrderId, reason: reason(), ts };
      case 'modified':
        return {
          kind,
          clientOrderId,
          quantity: this.int(o.quantity, `${path}.quantity`),
          price: this.optInt(o.price, `${path}.price`),
          triggerPrice: this.optInt(o.triggerPrice, `${path}.triggerPrice`),
          ts,
        };
    }
  }
}

const SIDES: readonly Side[] = ['buy', 'sell'];
const LIQUIDITIES: readonly Liquidity[] = ['maker', 'taker'];
const OFFSET_KINDS: readonly TrailingOffsetKind[] = ['price', 'percent', 'bps', 'ticks'];
const REPORT_KINDS = [
  'accepted',
  'rejected',
  'triggered',
  'fill',
  'cancelled',
  'expired',
  'modified',
  'modify_rejected',
  'cancel_rejected',
] as const satisfies readonly VenueReport['kind'][];

/** A short rendering of a bad value for an error message. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
