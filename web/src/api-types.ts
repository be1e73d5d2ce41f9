// The shapes the Ordo API sends, taken as types from the server's contract (src/api/contract.ts,
// the only server file the dashboard may depend on: test/layers.test.ts). Type-only imports are
// erased by the build, so no server code (nor zod) reaches the browser bundle.

import type { ListView, OrderView } from '../../src/api/contract.ts';

export type {
  AccountView,
  BracketRequest,
  Candle,
  ErrorBody,
  FieldIssue,
  FillRecord,
  ListView,
  ModifyRequest,
  OcoRequest,
  OrderRequest,
  OrderView,
  OtoRequest,
  PlacementKind,
  PlacementRequest,
  PositionView,
  QuoteView,
  RoundTripRecord,
  ScaleRequest,
  StreamMessage,
} from '../../src/api/contract.ts';

export type Side = OrderView['side'];
export type OrderType = OrderView['type'];
export type Route = OrderView['route'];
export type ListKind = ListView['kind'];

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly { readonly field: string; readonly rule: string; readonly message: string }[];
}

export interface EquityPoint {
  readonly ts: number;
  readonly equity: string;
}

/** A venue as `/v1/venues` lists it; fields beyond these are shown as they come. */
export interface VenueView {
  readonly id: string;
  readonly connected: boolean;
  readonly feed?: { readonly name: string; readonly connected: boolean };
  readonly instruments?: readonly { readonly symbol: string; readonly venue?: string }[];
  readonly [key: string]: unknown;
}
