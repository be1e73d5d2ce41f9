// The fake's Trading API v2 routes: method + path template → handler. Each handler reads its
// query or JSON body as Alpaca does, calls the broker and answers with Alpaca's status and shape
// (200 JSON, 204 with no body for a cancel, 207 with per-order results for cancel-all). Handlers
// throw AlpacaError for refusals; the server writes them.

import type { AssetTable } from './fake-assets.ts';
import { assetJson } from './fake-assets.ts';
import type { FakeBroker } from './fake-broker.ts';
import { errors } from './fake-errors.ts';
import { isoTime } from './fake-format.ts';
import { type FakeOrder, isChild, isOpen, legsOf } from './fake-order.ts';
import { bodyObject, parseNewOrder, parseReplace } from './fake-order-request.ts';
import { accountJson, activityId, fillActivity, orderJson, positionJson } from './fake-render.ts';

export interface RestContext {
  readonly broker: FakeBroker;
  readonly assets: AssetTable;
  readonly now: () => number;
}

export interface RestRequest {
  readonly query: URLSearchParams;
  readonly body: string;
  /** Decoded path parameters (`id`, `symbol`, `type`). */
  readonly params: Readonly<Record<string, string>>;
}

/** `body` undefined: no body (204). */
export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface Route {
  readonly method: string;
  /** E.g. `/v2/orders/{id}`; `{name+}` takes the rest of the path (a symbol may hold a slash). */
  readonly template: string;
  readonly handle: (ctx: RestContext, req: RestRequest) => RestAnswer;
}

const ok = (body: unknown): RestAnswer => ({ status: 200, body });

/** Activity types Alpaca knows; the fake records FILL only, the others list empty. */
const ACTIVITY_TYPES = new Set(
  'FILL TRANS MISC ACATC ACATS CFEE CSD CSW DIV DIVCGL DIVCGS DIVFEE DIVFT DIVNRA DIVROC DIVTW DIVTXEX FEE INT INTNRA INTTW JNL JNLC JNLS MA NC OPASN OPEXP OPXRC PTC PTR REORG SC SSO SSP'.split(
    ' ',
  ),
);

function flag(q: URLSearchParams, name: string): boolean {
  return q.get(name) === 'true';
}

/** An RFC 3339 time or a YYYY-MM-DD date as ms, or 422 naming the parameter. */
function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) throw errors.invalid(`invalid ${name}`);
  return ms;
}

function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw errors.invalid(`invalid ${name}`);
  return Number(v);
}

function choice<T extends string>(q: URLSearchParams, name: string, values: readonly T[], dflt: T): T {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (!(values as readonly string[]).includes(v)) throw errors.invalid(`invalid ${name}`);
  return v as T;
}

/** With nested=true an advanced order counts as open while it or one of its legs is. */
function openish(o: FakeOrder, nested: boolean): boolean {
  return isOpen(o.status) || (nested && legsOf(o).some((l) => isOpen(l.status)));
}

function listOrders(ctx: RestContext, q: URLSearchParams): RestAnswer {
  const status = choice(q, 'status', ['open', 'closed', 'all'] as const, 'open');
  const limit = intParam(q, 'limit', 50, 500);
  const direction = choice(q, 'direction', ['asc', 'desc'] as const, 'desc');
  const side = choice(q, 'side', ['buy', 'sell', ''] as const, '');
  const nested = flag(q, 'nested');
  const after = timeParam(q, 'after');
  const until = timeParam(q, 'until');
  const symbols = (q.get('symbols') ?? '')
    .split(',')
    .filter((s) => s !== '')
    .map((s) => ctx.assets.find(s)?.symbol ?? s);
  ctx.broker.sync();
  let list = ctx.broker.orders.filter((o) => {
    if (nested && isChild(o)) return false;
    if (status !== 'all' && openish(o, nested) !== (status === 'open')) return false;
    if (after !== undefined && o.submittedAt <= after) return false;
    if (until !== undefined && o.submittedAt >= until) return false;
    if (symbols.length > 0 && !symbols.includes(o.asset.symbol)) return false;
    if (side !== '' && o.side !== side) return false;
    return true;
  });
  if (direction === 'desc') list = list.slice().reverse();
  return ok(list.slice(0, limit).map((o) => orderJson(o, nested)));
}

function orderById(ctx: RestContext, id: string): FakeOrder {
  const o = ctx.broker.find(id);
  if (o === undefined) throw errors.orderNotFound();
  return o;
}

function activities(ctx: RestContext, q: URLSearchParams, types: readonly string[]): RestAnswer {
  for (const t of types) if (!ACTIVITY_TYPES.has(t)) throw errors.invalid(`invalid activity type: ${t}`);
  if (types.length > 0 && !types.includes('FILL')) return ok([]);
  const direction = choice(q, 'direction', ['asc', 'desc'] as const, 'desc');
  const pageSize = intParam(q, 'page_size', 100, 100);
  const date = q.get('date');
  if (date !== null && date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw errors.invalid('invalid date');
  const after = timeParam(q, 'after');
  const until = timeParam(q, 'until');
  ctx.broker.sync();
  let list = ctx.broker.activities.filter((a) => {
    const t = a.fill.time;
    if (date !== null && date !== '' && isoTime(t).slice(0, 10) !== date) return false;
    if (after !== undefined && t <= after) return false;
    if (until !== undefined && t >= until) return false;
    return true;
  });
  if (direction === 'desc') list = list.slice().reverse();
  const token = q.get('page_token');
  if (token !== null && token !== '') {
    const i = list.findIndex((a) => activityId(a) === token);
    list = i < 0 ? [] : list.slice(i + 1);
  }
  return ok(list.slice(0, pageSize).map(fillActivity));
}

function clock(ctx: RestContext): RestAnswer {
  const now = ctx.now();
  const day = Math.floor(now / 86_400_000) * 86_400_000;
  return ok({
    timestamp: isoTime(now),
    is_open: true,
    next_open: isoTime(day + 86_400_000 + 48_600_000),
    next_close: isoTime(day + 72_000_000 > now ? day + 72_000_000 : day + 86_400_000 + 72_000_000),
  });
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', template: '/v2/account', handle: (ctx) => ok(accountJson(ctx.broker.account())) },
  { method: 'GET', template: '/v2/clock', handle: (ctx) => clock(ctx) },
  {
    method: 'POST',
    template: '/v2/orders',
    handle: (ctx, req) =>
      ok(ctx.broker.place(parseNewOrder(bodyObject(req.body), ctx.assets), (o) => orderJson(o, true))),
  },
  { method: 'GET', template: '/v2/orders', handle: (ctx, req) => listOrders(ctx, req.query) },
  {
    method: 'DELETE',
    template: '/v2/orders',
    handle: (ctx) => ({
      status: 207,
      body: ctx.broker
        .cancelAll()
        .map((r) => ({ id: r.order.id, status: r.status, body: orderJson(r.order, false) })),
    }),
  },
  {
    method: 'GET',
    template: '/v2/orders:by_client_order_id',
    handle: (ctx, req) => {
      const cid = req.query.get('client_order_id');
      if (cid === null || cid === '') throw errors.invalid('client_order_id is required');
      const o = ctx.broker.findByClientId(cid);
      if (o === undefined) throw errors.orderNotFound();
      return ok(orderJson(o, flag(req.query, 'nested')));
    },
  },
  {
    method: 'GET',
    template: '/v2/orders/{id}',
    handle: (ctx, req) => ok(orderJson(orderById(ctx, req.params.id!), flag(req.query, 'nested'))),
  },
  {
    method: 'PATCH',
    template: '/v2/orders/{id}',
    handle: (ctx, req) => {
      const body = bodyObject(req.body);
      const o = orderById(ctx, req.params.id!);
      return ok(ctx.broker.replace(o.id, parseReplace(body, o), (n) => orderJson(n, true)));
    },
  },
  {
    method: 'DELETE',
    template: '/v2/orders/{id}',
    handle: (ctx, req) => {
      ctx.broker.cancel(req.params.id!);
      return { status: 204, body: undefined };
    },
  },
  {
    method: 'GET',
    template: '/v2/positions',
    handle: (ctx) => {
      ctx.broker.sync();
      return ok(ctx.broker.positionViews().map(positionJson));
    },
  },
  {
    method: 'GET',
    template: '/v2/positions/{symbol+}',
    handle: (ctx, req) => {
      const asset = ctx.assets.find(req.params.symbol!);
      ctx.broker.sync();
      const p = ctx.broker.positionViews().find((v) => v.asset === asset);
      if (p === undefined) throw errors.positionNotFound();
      return ok(positionJson(p));
    },
  },
  {
    method: 'GET',
    template: '/v2/assets',
    handle: (ctx, req) => {
      const status = req.query.get('status');
      const cls = req.query.get('asset_class');
      const list = ctx.assets.list.filter(
        (a) =>
          (status === null || status === '' || status === 'active') &&
          (cls === null || cls === '' || cls === a.cls),
      );
      return ok(list.map(assetJson));
    },
  },
  {
    method: 'GET',
    template: '/v2/assets/{symbol+}',
    handle: (ctx, req) => {
      const a = ctx.assets.find(req.params.symbol!);
      if (a === undefined) throw errors.assetNotFound(req.params.symbol!);
      return ok(assetJson(a));
    },
  },
  {
    method: 'GET',
    template: '/v2/account/activities/{type}',
    handle: (ctx, req) => activities(ctx, req.query, [req.params.type!]),
  },
  {
    method: 'GET',
    template: '/v2/account/activities',
    handle: (ctx, req) =>
      activities(
        ctx,
        req.query,
        (req.query.get('activity_types') ?? '').split(',').filter((t) => t !== ''),
      ),
  },
];

interface Compiled {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const COMPILED: readonly Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.template
    .split(/(\{[a-z]+\+?\})/)
    .map((part) => {
      const m = /^\{([a-z]+)(\+?)\}$/.exec(part);
      if (m === null) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return m[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}$`), names };
});

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method_not_allowed' }
  | { readonly kind: 'not_found' };

/** The route of a request; a known path with another method is 405. */
export function matchRoute(method: string, path: string): RouteMatch {
  let pathKnown = false;
  for (const c of COMPILED) {
    const m = c.pattern.exec(path);
    if (m === null) continue;
    pathKnown = true;
    if (c.route.method !== method) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      params[n] = safeDecode(m[i + 1] ?? '');
    });
    return { kind: 'route', route: c.route, params };
  }
  return pathKnown ? { kind: 'method_not_allowed' } : { kind: 'not_found' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
