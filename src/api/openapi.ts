// The OpenAPI 3.1 document served at `/openapi.json`, generated from the zod request schemas the
// routes validate with and from the route table below (one entry per route the server
// registers; a test holds the two equal). Response shapes are described in words and examples,
// since they are the engine's own views (OrderView, ListView, PositionView, FillRecord, ...).

import { z } from 'zod';
import {
  BracketBody,
  CancelAllBody,
  ModifyBody,
  OcoBody,
  OrderBody,
  OtoBody,
  PlacementBody,
  ScaleBody,
} from './contract.ts';

export interface RouteDoc {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify style: `/v1/orders/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly body?: z.ZodType;
  readonly query?: readonly { readonly name: string; readonly description: string }[];
  readonly auth: boolean;
  readonly idempotent?: boolean;
  readonly response: string;
  readonly example?: unknown;
}

const FILTERS = [
  { name: 'symbol', description: 'only this symbol, e.g. BTC/USD' },
  { name: 'venue', description: 'only this venue' },
  { name: 'from', description: 'epoch ms, inclusive' },
  { name: 'to', description: 'epoch ms, exclusive' },
  { name: 'tag', description: 'only orders with this tag' },
  { name: 'format', description: 'json (default) or csv' },
];

export const ROUTES: readonly RouteDoc[] = [
  {
    method: 'GET',
    path: '/health',
    summary: 'Liveness; no token needed',
    auth: false,
    response: '{ status: "ok", version, uptimeMs, seq }',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    auth: false,
    response: 'OpenAPI 3.1 JSON',
  },
  { method: 'GET', path: '/docs', summary: 'The API reference as HTML', auth: false, response: 'text/html' },
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics',
    auth: true,
    response: 'text/plain; version=0.0.4',
  },
  {
    method: 'POST',
    path: '/v1/orders',
    summary: 'Place a market, limit, stop, stop_limit or trailing_stop order',
    body: OrderBody,
    auth: true,
    idempotent: true,
    response: '201 { order: OrderView }',
    example: { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.1', price: '45000' },
  },
  {
    method: 'POST',
    path: '/v1/orders/bracket',
    summary: 'Place a bracket: entry, take-profit and stop-loss',
    body: BracketBody,
    auth: true,
    idempotent: true,
    response: '201 { list: ListView } (orders: entry, take_profit, stop_loss)',
    example: {
      symbol: 'BTC/USD',
      side: 'buy',
      quantity: '0.1',
      entry: { type: 'limit', price: '45000' },
      takeProfit: { percent: '2' },
      stopLoss: { percent: '1' },
    },
  },
  {
    method: 'POST',
    path: '/v1/orders/oco',
    summary: 'Place a one-cancels-other pair',
    body: OcoBody,
    auth: true,
    idempotent: true,
    response: '201 { list: ListView }',
    example: {
      symbol: 'BTC/USD',
      side: 'sell',
      quantity: '0.1',
      legs: [
        { type: 'limit', price: '48000' },
        { type: 'stop', triggerPrice: '43000' },
      ],
    },
  },
  {
    method: 'POST',
    path: '/v1/orders/oto',
    summary: 'Place a one-triggers-other: a parent and the children its fill releases',
    body: OtoBody,
    auth: true,
    idempotent: true,
    response: '201 { list: ListView }',
    example: {
      parent: { symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '0.1', price: '44900' },
      children: [{ symbol: 'BTC/USD', side: 'sell', type: 'limit', quantity: '0.1', price: '45500' }],
    },
  },
  {
    method: 'POST',
    path: '/v1/orders/scale',
    summary: 'Place a scale-in or scale-out ladder of limit orders',
    body: ScaleBody,
    auth: true,
    idempotent: true,
    response: '201 { list: ListView }',
    example: {
      symbol: 'BTC/USD',
      side: 'buy',
      totalQuantity: '1',
      levels: 5,
      startPrice: '45000',
      step: '100',
    },
  },
  {
    method: 'POST',
    path: '/v1/orders/cancel-all',
    summary: 'Cancel every open order (of a symbol or venue)',
    body: CancelAllBody,
    auth: true,
    response: '{ cancelled: number[], failed: [{ id, code, message }] }',
    example: { symbol: 'BTC/USD' },
  },
  {
    method: 'GET',
    path: '/v1/orders',
    summary: 'Orders, newest first',
    query: [
      { name: 'status', description: 'open (default), closed, all, or one status such as filled' },
      { name: 'symbol', description: 'only this symbol' },
      { name: 'venue', description: 'only this venue' },
      { name: 'limit', description: 'at most this many (default 500, at most 10000)' },
    ],
    auth: true,
    response: '{ orders: OrderView[] }',
  },
  {
    method: 'GET',
    path: '/v1/orders/:id',
    summary: 'One order',
    auth: true,
    response: '{ order: OrderView }',
  },
  {
    method: 'PATCH',
    path: '/v1/orders/:id',
    summary: 'Modify an open order: quantity, price, trigger price',
    body: ModifyBody,
    auth: true,
    response: '{ order: OrderView }',
    example: { price: '44950' },
  },
  {
    method: 'DELETE',
    path: '/v1/orders/:id',
    summary: 'Cancel an order',
    auth: true,
    response: '{ order: OrderView }',
  },
  {
    method: 'GET',
    path: '/v1/lists',
    summary: 'Order trees: brackets, OCOs, OTOs and scale ladders with their legs, newest first',
    query: [{ name: 'status', description: 'open (default: a leg still works) or all' }],
    auth: true,
    response: '{ lists: ListView[] }',
  },
  {
    method: 'GET',
    path: '/v1/lists/:id',
    summary: 'One order tree',
    auth: true,
    response: '{ list: ListView }',
  },
  {
    method: 'DELETE',
    path: '/v1/lists/:id',
    summary: 'Cancel every working order of a list',
    auth: true,
    response: '{ list: ListView }',
  },
  {
    method: 'POST',
    path: '/v1/explain',
    summary: 'The routing plan of a placement: each order native at the venue or emulated by Ordo',
    body: PlacementBody,
    auth: true,
    response: '{ plan: ExecutionPlan }',
    example: {
      kind: 'order',
      spec: { symbol: 'BTC/USD', side: 'sell', type: 'stop', quantity: '0.1', triggerPrice: '44000' },
    },
  },
  {
    method: 'POST',
    path: '/v1/risk/what-if',
    summary: 'Would risk allow this placement? Nothing is placed',
    body: PlacementBody,
    auth: true,
    response: '{ allowed, checks: [{ allowed, checked, summary, denials }] }',
    example: { kind: 'order', spec: { symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '3' } },
  },
  {
    method: 'POST',
    path: '/v1/preview',
    summary: 'For the order ticket: plan, risk what-if and the computed levels',
    body: PlacementBody,
    auth: true,
    response: '{ plan, risk: { allowed, checks }, levels }',
  },
  {
    method: 'GET',
    path: '/v1/positions',
    summary: 'Positions per venue and symbol, with whether a stop protects each',
    auth: true,
    response: '{ positions: (PositionView & { protectedBy: number[] })[] }',
  },
  {
    method: 'GET',
    path: '/v1/account',
    summary: 'Cash, equity, P&L today and total, fees, exposure per asset',
    auth: true,
    response: 'AccountView',
  },
  {
    method: 'GET',
    path: '/v1/equity',
    summary: 'The equity curve',
    auth: true,
    response: '{ currency, points: [{ ts, equity }] }',
  },
  {
    method: 'GET',
    path: '/v1/fills',
    summary: 'Fills',
    query: FILTERS,
    auth: true,
    response: '{ fills: FillRecord[] } or CSV',
  },
  {
    method: 'GET',
    path: '/v1/round-trips',
    summary: 'Closed round trips (the trade log)',
    query: FILTERS,
    auth: true,
    response: '{ roundTrips: RoundTripRecord[] } or CSV',
  },
  {
    method: 'GET',
    path: '/v1/venues',
    summary: 'Venues: connection state, market feed, capabilities and instruments',
    auth: true,
    response: '{ venues: [...] }',
  },
  {
    method: 'GET',
    path: '/v1/market/candles',
    summary: 'Candles of a symbol',
    query: [
      { name: 'symbol', description: 'required, e.g. BTC/USD' },
      { name: 'venue', description: 'optional' },
      { name: 'interval', description: '1s, 1m (default), 5m or 1h' },
      { name: 'limit', description: 'newest this many (default 500, at most 2000)' },
    ],
    auth: true,
    response: '{ symbol, venue, interval, candles: [{ ts, open, high, low, close, volume }] }',
  },
  {
    method: 'GET',
    path: '/v1/market/quotes',
    summary: 'Last trade, bid and ask per symbol',
    auth: true,
    response: '{ quotes: [{ venue, symbol, last, bid, ask, ts }] }',
  },
  {
    method: 'GET',
    path: '/v1/stream',
    summary: 'WebSocket event stream (see docs/api.md): ?since=SEQ to resume, ?token= or subprotocol',
    query: [
      { name: 'since', description: 'resume after this seq' },
      { name: 'token', description: 'the API token, for clients that cannot set headers' },
      { name: 'market', description: '0 to leave out trade and candle messages' },
    ],
    auth: true,
    response: 'WebSocket messages (StreamMessage)',
  },
];

/** The request schemas, named by their `.meta({ id })`, as OpenAPI components. */
const BODY_IDS = [
  'OrderBody',
  'BracketBody',
  'OcoBody',
  'OtoBody',
  'ScaleBody',
  'ModifyBody',
  'CancelAllBody',
  'PlacementBody',
] as const;

function componentSchemas(): Record<string, unknown> {
  // Every schema with an id becomes a component; references between them point into components.
  const all = z.toJSONSchema(z.globalRegistry, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const out: Record<string, unknown> = {};
  for (const id of BODY_IDS) {
    const { $schema: _s, $id: _i, ...rest } = all.schemas[id] ?? {};
    out[id] = rest;
  }
  return out;
}

/** A body schema: a reference to its component. */
function jsonSchema(schema: z.ZodType): unknown {
  const id = (schema.meta() as { id?: string } | undefined)?.id;
  if (id === undefined || !(BODY_IDS as readonly string[]).includes(id))
    throw new Error('every request body schema needs an id listed in BODY_IDS');
  return { $ref: `#/components/schemas/${id}` };
}

function openApiPath(path: string): string {
  return path.replace(/:([a-zA-Z]+)/g, '{$1}');
}

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const p = openApiPath(r.path);
    const params: unknown[] = [];
    for (const m of r.path.matchAll(/:([a-zA-Z]+)/g))
      params.push({ name: m[1], in: 'path', required: true, schema: { type: 'integer' } });
    for (const q of r.query ?? [])
      params.push({ name: q.name, in: 'query', description: q.description, schema: { type: 'string' } });
    if (r.idempotent === true)
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        description: 'a retry with the same key and body returns the first order instead of placing another',
        schema: { type: 'string', maxLength: 128 },
      });
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(r.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(r.body),
                  ...(r.example === undefined ? {} : { example: r.example }),
                },
              },
            },
          }),
      responses: {
        [r.response.startsWith('201') ? '201' : '200']: { description: r.response },
        ...(r.body === undefined
          ? {}
          : { '400': { description: 'invalid input: error.issues names every field' } }),
        ...(r.auth ? { '401': { description: 'missing or wrong token' } } : {}),
      },
      ...(r.auth ? {} : { security: [] }),
    };
    paths[p] = { ...paths[p], [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ordo API',
      version,
      description:
        'Order management over HTTP: every order type, positions, P&L, the trade log, and a WebSocket event stream. Decimal strings for prices, quantities and money.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: componentSchemas(),
    },
    paths,
  };
}
