// The fake's REST endpoints under `/api/v3/brokerage` (venues.md 3.3): each reads its request as
// Coinbase does, calls the exchange core and renders Coinbase's answer. Routes:
//   POST /orders                      create (HTTP 200; `success` false for business rejections)
//   POST /orders/batch_cancel         `{order_ids}` → per-order results
//   POST /orders/edit                 `{order_id, price, size[, stop_price]}` → `{success, errors}`
//   GET  /orders/historical/batch     order_ids, product_ids, order_status, order_side, order_types,
//                                     time_in_forces, start_date, end_date, limit, cursor
//   GET  /orders/historical/fills     order_ids (order_id), trade_ids, product_ids,
//                                     start_sequence_timestamp, end_sequence_timestamp, limit, cursor
//   GET  /orders/historical/{id}      `{order}`
//   GET  /accounts, /accounts/{uuid}, /products, /products/{id}
//   GET  /market/products, /market/products/{id}, /time   (public: no JWT)
// There is no lookup by client order id and no cancel-all, as on Coinbase. Lists are newest first;
// a cursor is the rank of the last item returned (`has_next` says whether more follow).

import { createHash } from 'node:crypto';
import { type CreateRequest, parseCreate } from './fake-config.ts';
import { apiErrors, createFailureBody } from './fake-errors.ts';
import type { FakeExchange } from './fake-exchange.ts';
import type { CbOrder, CbStatus } from './fake-order.ts';
import { isoMicros, productJson } from './fake-products.ts';
import { accountJson, fillJson, orderJson, type RenderContext } from './fake-render.ts';

/** What the endpoints work with. */
export interface ApiContext {
  readonly exchange: FakeExchange;
  readonly now: () => number;
  readonly render: RenderContext;
  /** A stable UUID for a name (accounts), derived from the fake's seed. */
  readonly stableId: (name: string) => string;
  /** When the fake started (accounts' created_at). */
  readonly startedMs: number;
}

/** One request as an endpoint sees it. */
export interface ApiRequest {
  /** Query parameters. */
  readonly query: URLSearchParams;
  /** The parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** The `{id}` of a parameterised path. */
  readonly param: string;
}

/** An endpoint: its name, whether it needs a JWT, and its handler (throws ApiError for 4xx). */
export interface Route {
  /** A stable name for logs and fault matching, e.g. `orders.create`. */
  readonly name: string;
  readonly auth: boolean;
  handle(ctx: ApiContext, req: ApiRequest): unknown;
}

const STATUSES: ReadonlySet<string> = new Set<CbStatus>([
  'PENDING',
  'OPEN',
  'FILLED',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
  'QUEUED',
  'CANCEL_QUEUED',
]);
const ORDER_TYPES = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop_limit: 'STOP_LIMIT',
  bracket: 'BRACKET',
} as const;
const TIF_NAMES = {
  GTC: 'GOOD_UNTIL_CANCELLED',
  GTD: 'GOOD_UNTIL_DATE_TIME',
  IOC: 'IMMEDIATE_OR_CANCEL',
  FOK: 'FILL_OR_KILL',
} as const;

/** A stable UUID-shaped id for `name` (sha-256 of seed and name). */
export function stableUuid(seed: number, name: string): string {
  const h = createHash('sha256').update(`${seed}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An integer query parameter in [1, max], or the default. */
function limitParam(q: URLSearchParams, dflt: number, max: number): number {
  const raw = q.get('limit');
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw apiErrors.invalidArgument(`limit must be a positive integer, got ${raw}`);
  return Math.min(Number(raw), max);
}

/** A cursor: the rank of the last item of the previous page (items below it follow). */
function cursorParam(q: URLSearchParams): number {
  const raw = q.get('cursor');
  if (raw === null || raw === '') return Number.POSITIVE_INFINITY;
  if (!/^\d+$/.test(raw))
    throw apiErrors.invalidArgument(`cursor ${JSON.stringify(raw)} is not a cursor this server gave`);
  return Number(raw);
}

/** Both spellings of a repeated id filter (`product_ids` repeated, legacy `product_id`). */
function idsParam(q: URLSearchParams, plural: string, singular: string): Set<string> {
  return new Set([...q.getAll(plural), ...q.getAll(singular)].filter((v) => v !== ''));
}

/** An RFC 3339 time as epoch microseconds (fractions to the microsecond). */
export function parseMicros(text: string, name: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m === null ? Number.NaN : Date.parse(`${m[1]}${m[3]}`);
  if (m === null || Number.isNaN(ms))
    throw apiErrors.invalidArgument(`${name} must be an RFC 3339 time, got ${JSON.stringify(text)}`);
  return ms * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

function page<T extends { seq: number }>(items: readonly T[], q: URLSearchParams, dflt: number, max: number) {
  const limit = limitParam(q, dflt, max);
  const cursor = cursorParam(q);
  const after = items.filter((x) => x.seq < cursor).sort((a, b) => b.seq - a.seq);
  const rows = after.slice(0, limit);
  const hasNext = after.length > limit;
  return { rows, hasNext, cursor: hasNext ? String(rows.at(-1)!.seq) : '' };
}

// ---- orders -----------------------------------------------------------------------------------

function createOrder(ctx: ApiContext, req: ApiRequest): unknown {
  const parsed = parseCreate(req.body);
  if (!parsed.ok) return createFailureBody(parsed.failure, parsed.configuration);
  const r: CreateRequest = parsed.request;
  const placed = ctx.exchange.place(r);
  if (placed.kind === 'failed') return createFailureBody(placed.failure, r.configuration);
  const o = placed.order;
  return {
    success: true,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: o.id,
    success_response: {
      order_id: o.id,
      product_id: o.productId,
      side: o.side,
      client_order_id: o.clientOrderId,
    },
    order_configuration: o.configuration,
  };
}

function batchCancel(ctx: ApiContext, req: ApiRequest): unknown {
  const ids = isObject(req.body) ? req.body.order_ids : undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== 'string' || x === ''))
    throw apiErrors.invalidArgument('order_ids must be a non-empty array of order id strings');
  if (ids.length > 100) throw apiErrors.invalidArgument('order_ids may hold at most 100 ids');
  return { results: ctx.exchange.cancel(ids as string[]) };
}

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw apiErrors.invalidArgument(`${name} must be a decimal string`);
  return v;
}

function editOrder(ctx: ApiContext, req: ApiRequest): unknown {
  if (!isObject(req.body)) throw apiErrors.invalidArgument('the request body must be a JSON object');
  const orderId = req.body.order_id;
  if (typeof orderId !== 'string' || orderId === '') throw apiErrors.invalidArgument('order_id is required');
  const result = ctx.exchange.edit({
    orderId,
    price: optionalText(req.body, 'price'),
    size: optionalText(req.body, 'size'),
    stopPrice: optionalText(req.body, 'stop_price'),
  });
  if (result.ok) return { success: true, success_response: { order_id: orderId }, errors: [] };
  return {
    success: false,
    errors: [{ edit_failure_reason: result.failure.edit, preview_failure_reason: result.failure.preview }],
  };
}

function getOrder(ctx: ApiContext, req: ApiRequest): unknown {
  const o = ctx.exchange.order(req.param);
  if (o === undefined) throw apiErrors.notFound(`order ${req.param} not found`);
  return { order: orderJson(o, ctx.render) };
}

function listOrders(ctx: ApiContext, req: ApiRequest): unknown {
  const q = req.query;
  const ids = idsParam(q, 'order_ids', 'order_id');
  const products = idsParam(q, 'product_ids', 'product_id');
  const statuses = new Set(q.getAll('order_status'));
  for (const s of statuses)
    if (!STATUSES.has(s)) throw apiErrors.invalidArgument(`order_status ${s} is not a status`);
  const side = q.get('order_side');
  if (side !== null && side !== '' && side !== 'BUY' && side !== 'SELL')
    throw apiErrors.invalidArgument('order_side must be BUY or SELL');
  const types = new Set(q.getAll('order_types'));
  const tifs = new Set(q.getAll('time_in_forces'));
  const start = q.get('start_date');
  const end = q.get('end_date');
  const startUs = start === null || start === '' ? undefined : parseMicros(start, 'start_date');
  const endUs = end === null || end === '' ? undefined : parseMicros(end, 'end_date');
  const match = (o: CbOrder): boolean =>
    (ids.size === 0 || ids.has(o.id)) &&
    (products.size === 0 || products.has(o.productId)) &&
    (statuses.size === 0 || statuses.has(o.status)) &&
    (side === null || side === '' || o.side === side) &&
    (types.size === 0 || types.has(ORDER_TYPES[o.kind])) &&
    (tifs.size === 0 || tifs.has(TIF_NAMES[o.tif])) &&
    (startUs === undefined || o.createdMs * 1000 >= startUs) &&
    (endUs === undefined || o.createdMs * 1000 <= endUs);
  const p = page(ctx.exchange.orders.filter(match), q, 100, 1000);
  return {
    orders: p.rows.map((o) => orderJson(o, ctx.render)),
    sequence: '0',
    has_next: p.hasNext,
    cursor: p.cursor,
  };
}

function listFills(ctx: ApiContext, req: ApiRequest): unknown {
  const q = req.query;
  const ids = idsParam(q, 'order_ids', 'order_id');
  const trades = idsParam(q, 'trade_ids', 'trade_id');
  const products = idsParam(q, 'product_ids', 'product_id');
  const start = q.get('start_sequence_timestamp');
  const end = q.get('end_sequence_timestamp');
  const startUs = start === null || start === '' ? undefined : parseMicros(start, 'start_sequence_timestamp');
  const endUs = end === null || end === '' ? undefined : parseMicros(end, 'end_sequence_timestamp');
  const fills = ctx.exchange.fills.filter((f) => {
    const us = f.sequenceMicros;
    return (
      (ids.size === 0 || ids.has(f.order.id)) &&
      (trades.size === 0 || trades.has(f.tradeId)) &&
      (products.size === 0 || products.has(f.order.productId)) &&
      (startUs === undefined || us >= startUs) &&
      (endUs === undefined || us <= endUs)
    );
  });
  const p = page(fills, q, 100, 1000);
  return { fills: p.rows.map((f) => fillJson(f, ctx.render)), cursor: p.cursor };
}

// ---- accounts and products --------------------------------------------------------------------

function accountRows(ctx: ApiContext) {
  return ctx.exchange.balances().map((b) => ({
    uuid: ctx.stableId(`account:${b.currency}`),
    currency: b.currency,
    available: b.available,
    hold: b.hold,
    createdMs: ctx.startedMs,
  }));
}

/** Accounts in currency order; the cursor is the index of the next account. */
function listAccounts(ctx: ApiContext, req: ApiRequest): unknown {
  const rows = accountRows(ctx);
  const limit = limitParam(req.query, 49, 250);
  const raw = req.query.get('cursor') ?? '';
  if (raw !== '' && !/^\d+$/.test(raw))
    throw apiErrors.invalidArgument(`cursor ${JSON.stringify(raw)} is not a cursor this server gave`);
  const from = raw === '' ? 0 : Number(raw);
  const json = rows
    .slice(from, from + limit)
    .map((a) => accountJson(a, { portfolioId: ctx.render.portfolioId, nowMs: ctx.now() }));
  const hasNext = from + limit < rows.length;
  return {
    accounts: json,
    has_next: hasNext,
    cursor: hasNext ? String(from + limit) : '',
    size: json.length,
  };
}

function getAccount(ctx: ApiContext, req: ApiRequest): unknown {
  const a = accountRows(ctx).find((r) => r.uuid === req.param);
  if (a === undefined) throw apiErrors.notFound(`account ${req.param} not found`);
  return { account: accountJson(a, { portfolioId: ctx.render.portfolioId, nowMs: ctx.now() }) };
}

function product(ctx: ApiContext, id: string): Record<string, unknown> {
  const spec = ctx.exchange.product(id);
  if (spec === undefined) throw apiErrors.notFound(`ProductID ${id} is invalid`);
  return productJson(spec, ctx.exchange.marketView(id));
}

function listProducts(ctx: ApiContext): unknown {
  const products = ctx.exchange.productList().map((s) => product(ctx, s.productId));
  return { products, num_products: products.length };
}

function serverTime(ctx: ApiContext): unknown {
  const now = ctx.now();
  return {
    iso: isoMicros(now),
    epochSeconds: String(Math.floor(now / 1000)),
    epochMillis: String(now),
  };
}

// ---- routing ----------------------------------------------------------------------------------

const r = (name: string, auth: boolean, handle: (ctx: ApiContext, req: ApiRequest) => unknown): Route => ({
  name,
  auth,
  handle,
});

const EXACT: Readonly<Record<string, Route>> = {
  'POST /orders': r('orders.create', true, createOrder),
  'POST /orders/batch_cancel': r('orders.batch_cancel', true, batchCancel),
  'POST /orders/edit': r('orders.edit', true, editOrder),
  'GET /orders/historical/batch': r('orders.list', true, listOrders),
  'GET /orders/historical/fills': r('orders.fills', true, listFills),
  'GET /accounts': r('accounts.list', true, listAccounts),
  'GET /products': r('products.list', true, (ctx) => listProducts(ctx)),
  'GET /market/products': r('market.products.list', false, (ctx) => listProducts(ctx)),
  'GET /time': r('time', false, serverTime),
};

const PARAMETERISED: readonly (readonly [string, string, Route])[] = [
  ['GET', '/orders/historical/', r('orders.get', true, getOrder)],
  ['GET', '/accounts/', r('accounts.get', true, getAccount)],
  ['GET', '/products/', r('products.get', true, (ctx, req) => product(ctx, req.param))],
  ['GET', '/market/products/', r('market.products.get', false, (ctx, req) => product(ctx, req.param))],
];

/** The route of a request below `/api/v3/brokerage`, with its path parameter. */
export function findRoute(method: string, relPath: string): { route: Route; param: string } | undefined {
  const exact = EXACT[`${method} ${relPath}`];
  if (exact !== undefined) return { route: exact, param: '' };
  for (const [m, prefix, route] of PARAMETERISED) {
    if (m !== method || !relPath.startsWith(prefix)) continue;
    const raw = relPath.slice(prefix.length);
    if (raw === '' || raw.includes('/')) continue;
    let param: string;
    try {
      param = decodeURIComponent(raw);
    } catch {
      param = raw;
    }
    return { route, param };
  }
  return undefined;
}
