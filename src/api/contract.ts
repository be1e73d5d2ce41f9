// The API contract: the request schemas (zod) every route validates with, the OpenAPI document is
// generated from, and the shapes of responses and stream messages. The dashboard may import this
// file and nothing else from src/ (test/layers.test.ts), so it imports only zod and types. Request
// bodies mirror the library's own specs (OrderSpec, BracketSpec, OcoSpec, OtoSpec, ScaleSpec):
// a request is what `oms.placeX(spec)` takes, as JSON. Schemas check shape and types; the engine
// checks meaning (tick multiples, level sides, risk), so every rule has one home.

import { z } from 'zod';
import type { ListView, OrderView } from '../engine/order-view.ts';
import type { FillRecord, RoundTripRecord } from '../engine/trade-log.ts';
import type { AssetExposure, CashBalance } from '../portfolio/portfolio.ts';
import type { PositionView } from '../portfolio/position-view.ts';

export type { FillRecord, ListView, OrderView, PositionView, RoundTripRecord };

/** A decimal: a string like "45000.5" (preferred), or a JSON number read through its shortest text. */
export const Decimal = z
  .union([z.string().max(64), z.number()])
  .describe('a decimal, preferably as a string: "45000.50"');

const SymbolName = z.string().min(1).max(64).describe('instrument symbol, e.g. "BTC/USD"');
const Venue = z.string().min(1).max(64).describe('venue id; defaults to the configured venue');
const Tag = z.string().max(64).describe('free text kept with the order (at most 64 characters)');
export const SIDES = ['buy', 'sell'] as const;
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export const TIME_IN_FORCES = ['gtc', 'ioc', 'fok', 'day', 'gtd'] as const;
export const TRIGGER_BASES = ['last', 'quote', 'mid'] as const;
export const OFFSET_TYPES = ['price', 'percent', 'bps', 'ticks'] as const;
const Side = z.enum(SIDES);

export const TrailingBody = z.strictObject({
  offsetType: z.enum(OFFSET_TYPES),
  offset: Decimal,
  activationPrice: Decimal.optional(),
  limitOffset: Decimal.optional().describe('makes it a trailing stop-limit: the limit this far beyond'),
});

/** One order: market, limit, stop, stop_limit or trailing_stop (OrderSpec). */
export const OrderBody = z
  .strictObject({
    symbol: SymbolName,
    venue: Venue.optional(),
    side: Side,
    type: z.enum(ORDER_TYPES),
    quantity: Decimal,
    price: Decimal.optional().describe('limit price (limit, stop_limit)'),
    triggerPrice: Decimal.optional().describe('stop price (stop, stop_limit)'),
    trailing: TrailingBody.optional().describe('trailing_stop parameters'),
    triggerBasis: z.enum(TRIGGER_BASES).optional(),
    tif: z.enum(TIME_IN_FORCES).optional(),
    expireAt: z.number().int().optional().describe('gtd expiry, epoch ms'),
    reduceOnly: z.boolean().optional(),
    postOnly: z.boolean().optional(),
    tag: Tag.optional(),
  })
  .meta({ id: 'OrderBody' });

const Level = z
  .union([z.strictObject({ price: Decimal }), z.strictObject({ percent: Decimal })])
  .describe('an absolute price, or a percent distance from the entry price');

export const BracketBody = z
  .strictObject({
    symbol: SymbolName,
    venue: Venue.optional(),
    side: Side,
    quantity: Decimal,
    entry: z
      .union([
        z.strictObject({ type: z.literal('market') }),
        z.strictObject({ type: z.literal('limit'), price: Decimal }),
        z.strictObject({ type: z.literal('stop_limit'), price: Decimal, triggerPrice: Decimal }),
      ])
      .optional()
      .describe('omit to protect the open position'),
    takeProfit: Level,
    stopLoss: Level,
    stopLossLimitOffset: Decimal.optional(),
    tif: z.enum(TIME_IN_FORCES).optional(),
    tag: Tag.optional(),
    release: z.enum(['partial', 'full']).optional(),
  })
  .meta({ id: 'BracketBody' });

const OcoLeg = z.union([
  z.strictObject({ type: z.literal('limit'), price: Decimal }),
  z.strictObject({ type: z.literal('stop'), triggerPrice: Decimal }),
  z.strictObject({ type: z.literal('stop_limit'), triggerPrice: Decimal, price: Decimal }),
]);

export const OcoBody = z
  .strictObject({
    symbol: SymbolName,
    venue: Venue.optional(),
    side: Side,
    quantity: Decimal,
    legs: z.tuple([OcoLeg, OcoLeg]),
    tag: Tag.optional(),
  })
  .meta({ id: 'OcoBody' });

export const OtoBody = z
  .strictObject({
    parent: OrderBody,
    children: z.array(OrderBody).min(1).max(10),
    trigger: z.enum(['partial', 'full']).optional(),
  })
  .meta({ id: 'OtoBody' });

export const ScaleBody = z
  .strictObject({
    symbol: SymbolName,
    venue: Venue.optional(),
    side: Side,
    totalQuantity: Decimal,
    levels: z.number().int().min(1).max(100),
    startPrice: Decimal,
    step: Decimal,
    weights: z.array(Decimal).max(100).optional(),
    tag: Tag.optional(),
  })
  .meta({ id: 'ScaleBody' });

export const ModifyBody = z
  .strictObject({
    quantity: Decimal.optional(),
    price: Decimal.optional(),
    triggerPrice: Decimal.optional(),
  })
  .meta({ id: 'ModifyBody' });

export const CancelAllBody = z
  .strictObject({ symbol: SymbolName.optional(), venue: Venue.optional() })
  .meta({ id: 'CancelAllBody' });

export const PLACEMENT_KINDS = ['order', 'bracket', 'oco', 'oto', 'scale'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];

/** explain, what-if and preview take a placement: its kind and the body its POST route takes. */
export const PlacementBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('order'), spec: OrderBody }),
    z.strictObject({ kind: z.literal('bracket'), spec: BracketBody }),
    z.strictObject({ kind: z.literal('oco'), spec: OcoBody }),
    z.strictObject({ kind: z.literal('oto'), spec: OtoBody }),
    z.strictObject({ kind: z.literal('scale'), spec: ScaleBody }),
  ])
  .meta({ id: 'PlacementBody' });

export type OrderRequest = z.infer<typeof OrderBody>;
export type BracketRequest = z.infer<typeof BracketBody>;
export type OcoRequest = z.infer<typeof OcoBody>;
export type OtoRequest = z.infer<typeof OtoBody>;
export type ScaleRequest = z.infer<typeof ScaleBody>;
export type ModifyRequest = z.infer<typeof ModifyBody>;
export type PlacementRequest = z.infer<typeof PlacementBody>;

// ---- responses -------------------------------------------------------------------------------

export interface FieldIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues: readonly FieldIssue[];
    readonly detail?: unknown;
  };
}

export interface AccountView {
  /** The valuation currency: equity and P&L are in it. */
  readonly currency: string;
  readonly cash: readonly CashBalance[];
  readonly equity: string;
  readonly realizedToday: string;
  readonly realizedTotal: string;
  readonly unrealized: string;
  readonly feesToday: string;
  readonly feesTotal: string;
  readonly exposure: readonly AssetExposure[];
  readonly ts: number;
}

/** `GET /v1/positions`: each position with the ids of the working stops on its closing side. */
export type PositionWithProtection = PositionView & { readonly protectedBy: readonly number[] };

export interface EquityView {
  readonly currency: string;
  readonly points: readonly { readonly ts: number; readonly equity: string }[];
}

/** `GET /v1/venues`: one venue. `capabilities` is the routing matrix (engine/venue-port.ts). */
export interface VenueView {
  readonly id: string;
  readonly connected: boolean;
  readonly feed: { readonly name: string; readonly connected: boolean };
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly instruments: readonly {
    readonly symbol: string;
    readonly base: string;
    readonly quote: string;
    readonly kind: string;
    readonly priceIncrement: string;
    readonly qtyIncrement: string;
    readonly qtyMin: string;
  }[];
}

/** One order of a routing plan (`POST /v1/explain`, `/v1/preview`). */
export interface PlanOrderView {
  readonly role: string;
  readonly side: string;
  readonly type: string;
  readonly route: 'native' | 'emulated';
  readonly sends: string;
  readonly when: string;
  readonly reason: string;
}

export interface PlanView {
  readonly venue: string;
  readonly kind: PlacementKind | 'single';
  /** For a list: linked natively by the venue or by Ordo, and why. */
  readonly list: { readonly route: 'native' | 'emulated' | undefined; readonly reason: string } | undefined;
  readonly orders: readonly PlanOrderView[];
}

/** `POST /v1/risk/what-if` (and `risk` of a preview). */
export interface WhatIfView {
  readonly allowed: boolean;
  readonly checks: readonly {
    readonly allowed: boolean;
    readonly checked: readonly string[];
    readonly summary: string;
    readonly denials: readonly ({ readonly code: string; readonly message: string } & Record<
      string,
      unknown
    >)[];
  }[];
}

/** `POST /v1/preview`: what the order ticket shows before submit. */
export interface PreviewView {
  readonly plan: PlanView;
  readonly risk: WhatIfView & { readonly error?: ErrorBody['error'] };
  readonly levels: {
    readonly entry?: string;
    readonly takeProfit?: string;
    readonly stopLoss?: string;
    readonly levels?: readonly { readonly price: string; readonly quantity: string }[];
    readonly trailing?: { readonly reference?: string; readonly distance?: string; readonly stop?: string };
  };
}

export interface Candle {
  /** Open time, epoch ms. */
  readonly ts: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

export interface QuoteView {
  readonly venue: string;
  readonly symbol: string;
  readonly last: string | undefined;
  readonly bid: string | undefined;
  readonly ask: string | undefined;
  readonly ts: number | undefined;
}

/** An engine event as JSON: units become decimal strings, bigints strings. */
export type EventJson = { readonly type: string; readonly ts: number } & Record<string, unknown>;

/**
 * A message on `/v1/stream`. `seq` is the journal sequence number of the engine event behind it;
 * messages that share a seq are sent together. `position`, `account`, `trade` and `candle` carry
 * the seq of the latest event when they were sent (state as of that event) and are not replayed
 * on resume: the current position and account are sent after a resume instead.
 */
export type StreamMessage =
  | {
      readonly kind: 'hello';
      readonly seq: number;
      /** Where the server resumed from, when `since` was given. */
      readonly resumedFrom: number | undefined;
    }
  | { readonly kind: 'order'; readonly seq: number; readonly event: EventJson; readonly order: OrderView }
  | { readonly kind: 'list'; readonly seq: number; readonly event: EventJson; readonly list: ListView }
  | {
      readonly kind: 'fill';
      readonly seq: number;
      readonly event: EventJson;
      readonly fill: FillRecord;
      readonly order: OrderView;
    }
  | { readonly kind: 'position'; readonly seq: number; readonly position: PositionView }
  | { readonly kind: 'account'; readonly seq: number; readonly account: AccountView }
  | {
      readonly kind: 'trade';
      readonly seq: number;
      readonly venue: string;
      readonly symbol: string;
      readonly ts: number;
      readonly price: string;
      readonly size: string;
    }
  | {
      readonly kind: 'candle';
      readonly seq: number;
      readonly venue: string;
      readonly symbol: string;
      readonly interval: string;
      readonly candle: Candle;
    }
  /** The server could not replay from `since` (too far back): reload state over REST. */
  | { readonly kind: 'reset'; readonly seq: number; readonly reason: string };
