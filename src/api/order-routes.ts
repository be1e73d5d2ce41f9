// Routes that change orders: place every order type, modify, cancel, cancel-all, and the
// no-side-effect questions about a placement (explain, risk what-if, the ticket preview). Every
// body is checked by its zod schema and then by the engine; when the schema refuses a body, the
// engine's own issues on the fields the schema let through are added, so a 400 names every
// failing field at once. Order creation honours `Idempotency-Key`.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Result } from '../core/errors.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import { isTerminal } from '../model/status.ts';
import type { ApiBackend } from './api-backend.ts';
import {
  BracketBody,
  CancelAllBody,
  ModifyBody,
  OcoBody,
  OrderBody,
  OtoBody,
  PlacementBody,
  type PlacementKind,
  ScaleBody,
} from './contract.ts';
import { ApiError, fromOrdoError, mergeIssues, zodIssues } from './http-errors.ts';
import { type IdempotencyStore, requestHash, validIdempotencyKey } from './idempotency-store.ts';
import type { ApiMetrics } from './metrics.ts';
import type { OpenOrders } from './open-orders.ts';
import { engineIssues, type Placed, place, placedAs, previewLevels } from './placements.ts';

export interface RouteDeps {
  readonly backend: ApiBackend;
  readonly open: OpenOrders;
  readonly idempotency: IdempotencyStore;
  readonly metrics: ApiMetrics;
}

/** The engine's time for a command: the wall clock, never behind what the engine has seen. */
export function commandTs(backend: ApiBackend): number {
  return Math.max(backend.now(), backend.oms.nowMs);
}

/** Parses a body with its schema; on failure, a 400 with the schema's and the engine's issues. */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
  engine?: (raw: unknown) => readonly { field: string; rule: string; message: string }[],
): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = mergeIssues(zodIssues(r.error), engine === undefined ? [] : engine(body));
  throw new ApiError(400, 'invalid_field', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
}

/** An order or list id from the path; anything else names no order (404). */
export function idParam(req: FastifyRequest, what: 'order' | 'list'): number {
  const raw = (req.params as { id?: string }).id ?? '';
  if (!/^[0-9]{1,15}$/.test(raw)) throw new ApiError(404, 'unknown_order', `no ${what} ${raw}`);
  return Number(raw);
}

const PLACEMENTS: readonly (readonly [string, PlacementKind, z.ZodType])[] = [
  ['/v1/orders', 'order', OrderBody],
  ['/v1/orders/bracket', 'bracket', BracketBody],
  ['/v1/orders/oco', 'oco', OcoBody],
  ['/v1/orders/oto', 'oto', OtoBody],
  ['/v1/orders/scale', 'scale', ScaleBody],
];

export function registerOrderRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { backend } = deps;
  const oms = backend.oms;

  for (const [path, kind, schema] of PLACEMENTS) {
    app.post(path, async (req, reply) => placeRoute(deps, path, kind, schema, req, reply));
  }

  app.patch('/v1/orders/:id', async (req) => {
    const id = idParam(req, 'order') as OrderId;
    const changes = parseBody(ModifyBody, req.body);
    if (oms.getOrder(id) === undefined) throw new ApiError(404, 'unknown_order', `no order ${id}`);
    if (changes.quantity === undefined && changes.price === undefined && changes.triggerPrice === undefined)
      throw new ApiError(400, 'invalid_field', 'nothing to modify', [
        { field: '(body)', rule: 'required', message: 'give quantity, price or triggerPrice' },
      ]);
    const r = oms.modifyOrder(id, changes, commandTs(backend));
    if (!r.ok) throw fromOrdoError(r.error);
    return { order: r.value };
  });

  app.delete('/v1/orders/:id', async (req) => {
    const id = idParam(req, 'order') as OrderId;
    const r = oms.cancelOrder(id, commandTs(backend));
    if (!r.ok) throw fromOrdoError(r.error);
    return { order: oms.getOrder(id) };
  });

  app.post('/v1/orders/cancel-all', async (req) => {
    const filter = parseBody(CancelAllBody, req.body ?? {});
    const cancelled: number[] = [];
    const failed: { id: number; code: string; message: string }[] = [];
    const ts = commandTs(backend);
    for (const id of deps.open.oldestFirst()) {
      const o = oms.getOrder(id);
      if (o === undefined) continue;
      if (filter.symbol !== undefined && o.symbol !== filter.symbol) continue;
      if (filter.venue !== undefined && o.venue !== filter.venue) continue;
      // Cancelling a list's parent may already have ended this order.
      if (isTerminal(o.status) || o.status === 'pending_cancel') continue;
      const r = oms.cancelOrder(o.id, ts);
      if (r.ok) cancelled.push(o.id);
      else if (r.error.code !== 'order_not_open')
        failed.push({ id: o.id, code: r.error.code, message: r.error.message });
    }
    return { cancelled, failed };
  });

  app.delete('/v1/lists/:id', async (req) => {
    const id = idParam(req, 'list') as ListId;
    if (oms.getList(id) === undefined) throw new ApiError(404, 'unknown_order', `no list ${id}`);
    const r = oms.cancelList(id, commandTs(backend));
    if (!r.ok) throw fromOrdoError(r.error);
    return { list: oms.getList(id) };
  });

  const placement = (body: unknown) =>
    parseBody(PlacementBody, body, (raw) => {
      const r = raw as { kind?: unknown; spec?: unknown } | null;
      const kind = r?.kind;
      if (typeof kind !== 'string' || !PLACEMENTS.some((p) => p[1] === kind)) return [];
      return engineIssues(oms, kind as PlacementKind, r?.spec).map((i) => ({
        ...i,
        field: `spec.${i.field}`,
      }));
    });

  app.post('/v1/explain', async (req) => {
    const p = placement(req.body);
    const r = oms.explain((o) => place(o, p.kind, p.spec, o.nowMs));
    if (!r.ok) throw fromOrdoError(r.error);
    return { plan: r.value };
  });

  app.post('/v1/risk/what-if', async (req) => {
    const p = placement(req.body);
    const r = backend.risk.probe(() => place(oms, p.kind, p.spec, oms.nowMs));
    if (!r.ok) throw fromOrdoError(r.error);
    return { allowed: r.allowed, checks: r.checks };
  });

  app.post('/v1/preview', async (req) => {
    const p = placement(req.body);
    const plan = oms.explain((o) => place(o, p.kind, p.spec, o.nowMs));
    if (!plan.ok) throw fromOrdoError(plan.error);
    const risk = backend.risk.probe(() => place(oms, p.kind, p.spec, oms.nowMs));
    return {
      plan: plan.value,
      risk: risk.ok
        ? { allowed: risk.allowed, checks: risk.checks }
        : { allowed: false, checks: [], error: risk.error },
      levels: previewLevels(oms, p.kind, p.spec),
    };
  });
}

async function placeRoute(
  deps: RouteDeps,
  path: string,
  kind: PlacementKind,
  schema: z.ZodType,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const { backend, idempotency } = deps;
  const oms = backend.oms;
  const started = process.hrtime.bigint();
  const keyHeader = req.headers['idempotency-key'];
  const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
  if (key !== undefined && !validIdempotencyKey(key))
    throw new ApiError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 128 visible characters',
      [{ field: 'Idempotency-Key', rule: 'format', message: 'must be 1 to 128 visible characters' }],
    );
  const spec = parseBody(schema, req.body, (raw) => engineIssues(oms, kind, raw));
  const hash = key === undefined ? '' : requestHash(path, spec);
  if (key !== undefined) {
    const seen = idempotency.get(key);
    if (seen !== undefined) {
      if (seen.requestHash !== hash)
        throw new ApiError(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was used for a different request',
          [{ field: 'Idempotency-Key', rule: 'same_request', message: 'was used for a different request' }],
        );
      reply.header('idempotent-replayed', 'true');
      return seen.kind === 'order'
        ? { order: oms.getOrder(seen.id as OrderId) }
        : { list: oms.getList(seen.id as ListId) };
    }
  }
  if (key === undefined)
    return answer(deps, kind, place(oms, kind, spec, commandTs(backend)), started, reply);
  // The key is reserved (pending) with the id the placement will get before the placement is made
  // durable, so that a crash between the two leaves a record the next start can decide (see
  // idempotency-store.ts).
  const recordKind = kind === 'order' ? 'order' : 'list';
  const expected = recordKind === 'order' ? oms.engine.state.nextOrderId : oms.engine.state.nextListId;
  idempotency.reserve(key, { requestHash: hash, kind: recordKind, id: expected }, backend.now());
  try {
    return answer(deps, kind, place(oms, kind, spec, commandTs(backend)), started, reply);
  } finally {
    // Placed, refused or thrown: the engine holds the reserved id exactly when the placement
    // happened, as settlePending decides after a crash.
    if (placedAs(oms, recordKind, expected)) idempotency.complete(key);
    else idempotency.release(key);
  }
}

/** The answer to a placement: its order or list, or the refusal as an API error. */
function answer(
  deps: RouteDeps,
  kind: PlacementKind,
  r: Result<Placed>,
  started: bigint,
  reply: FastifyReply,
): unknown {
  if (!r.ok) throw fromOrdoError(r.error);
  const placed: Placed = r.value;
  const { metrics } = deps;
  metrics.orderLatency.observe({ kind }, Number(process.hrtime.bigint() - started) / 1e9);
  reply.code(201);
  return placed.kind === 'order' ? { order: placed.order } : { list: placed.list };
}
