// Routes that read: orders and lists with filters, positions (with the stops protecting them), the
// account, the equity curve, fills and round trips (JSON or the trade log's CSV), venues with
// their capabilities, and market candles and quotes. Every view is the engine's or portfolio's
// own, with decimal strings.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatUnits } from '../core/decimal.ts';
import type { ListId, OrderId } from '../core/ids.ts';
import type { OrderView } from '../engine/order-view.ts';
import { fillsCsv, roundTripsCsv, type TradeQuery } from '../engine/trade-log.ts';
import { isTerminal, ORDER_STATUSES, type OrderStatus } from '../model/status.ts';
import type { ApiBackend } from './api-backend.ts';
import { CANDLE_INTERVALS, CANDLES_KEPT_MAX, type CandleBook, type CandleInterval } from './candle-book.ts';
import { ApiError } from './http-errors.ts';
import type { OpenOrders } from './open-orders.ts';
import { idParam } from './order-routes.ts';
import { accountView, equityView, listViews } from './views.ts';

type Query = Record<string, string | undefined>;

function query(req: FastifyRequest): Query {
  return (req.query ?? {}) as Query;
}

function bad(field: string, rule: string, message: string): ApiError {
  return new ApiError(400, 'invalid_field', `${field}: ${message}`, [{ field, rule, message }]);
}

function intParam(q: Query, name: string, fallback: number, max: number): number {
  const raw = q[name];
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,15}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw bad(name, 'range', `must be a whole number from 1 to ${max}`);
  return Number(raw);
}

function msParam(q: Query, name: string): number | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  if (!/^-?[0-9]{1,16}$/.test(raw)) throw bad(name, 'epoch_ms', 'must be epoch milliseconds');
  return Number(raw);
}

function tradeQuery(q: Query): TradeQuery {
  return {
    symbol: q.symbol,
    venue: q.venue,
    fromMs: msParam(q, 'from'),
    toMs: msParam(q, 'to'),
    tag: q.tag,
  };
}

function format(q: Query): 'json' | 'csv' {
  const f = q.format ?? 'json';
  if (f !== 'json' && f !== 'csv') throw bad('format', 'enum', 'must be json or csv');
  return f;
}

const STATUS_FILTERS = ['open', 'closed', 'all', ...ORDER_STATUSES] as const;

export function registerReadRoutes(
  app: FastifyInstance,
  backend: ApiBackend,
  candles: CandleBook,
  open: OpenOrders,
): void {
  const oms = backend.oms;

  app.get('/v1/orders', async (req) => {
    const q = query(req);
    const status = q.status ?? 'open';
    if (!(STATUS_FILTERS as readonly string[]).includes(status))
      throw bad('status', 'enum', `must be one of ${STATUS_FILTERS.join(', ')}`);
    const limit = intParam(q, 'limit', 500, 10_000);
    const keep = (s: OrderStatus): boolean =>
      status === 'all'
        ? true
        : status === 'open'
          ? !isTerminal(s)
          : status === 'closed'
            ? isTerminal(s)
            : s === status;
    const orders: OrderView[] = [];
    // Newest first: ids count up, so walk them down (open orders from their own index).
    const ids = status === 'open' ? open.newestFirst() : rangeDown(oms.engine.state.nextOrderId - 1);
    for (const id of ids) {
      if (orders.length >= limit) break;
      const o = oms.engine.state.orders.get(id);
      if (o === undefined || !keep(o.status)) continue;
      if (q.symbol !== undefined && o.instrument.symbol !== q.symbol) continue;
      if (q.venue !== undefined && o.instrument.venue !== q.venue) continue;
      orders.push(oms.getOrder(id as OrderId)!);
    }
    return { orders };
  });

  app.get('/v1/orders/:id', async (req) => {
    const id = idParam(req, 'order');
    const order = oms.getOrder(id as OrderId);
    if (order === undefined) throw new ApiError(404, 'unknown_order', `no order ${id}`);
    return { order };
  });

  app.get('/v1/lists', async (req) => {
    const status = query(req).status ?? 'open';
    if (status !== 'open' && status !== 'all') throw bad('status', 'enum', 'must be open or all');
    return { lists: listViews(oms, status === 'open') };
  });

  app.get('/v1/lists/:id', async (req) => {
    const id = idParam(req, 'list');
    const list = oms.getList(id as ListId);
    if (list === undefined) throw new ApiError(404, 'unknown_order', `no list ${id}`);
    return { list };
  });

  app.get('/v1/positions', async () => {
    const active = open.newestFirst().map((id) => oms.getOrder(id)!);
    return {
      positions: oms.portfolio.positions().map((p) => ({
        ...p,
        // Working stops on the closing side: what protects this position if the market turns.
        protectedBy: active
          .filter(
            (o) =>
              o.venue === p.venue &&
              o.symbol === p.symbol &&
              (o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') &&
              ((p.side === 'long' && o.side === 'sell') || (p.side === 'short' && o.side === 'buy')),
          )
          .map((o) => o.id),
      })),
    };
  });

  app.get('/v1/account', async () => accountView(oms, backend.now()));

  app.get('/v1/equity', async () => equityView(oms));

  app.get('/v1/fills', async (req, reply) => {
    const q = query(req);
    const fills = oms.tradeLog.fills(tradeQuery(q));
    if (format(q) === 'csv') {
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="fills.csv"');
      return fillsCsv(fills);
    }
    return { fills };
  });

  app.get('/v1/round-trips', async (req, reply) => {
    const q = query(req);
    const trips = oms.tradeLog.roundTrips(tradeQuery(q));
    if (format(q) === 'csv') {
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="round-trips.csv"');
      return roundTripsCsv(trips);
    }
    return { roundTrips: trips };
  });

  app.get('/v1/venues', async () => ({
    venues: backend.venues().map((v) => ({
      id: v.id,
      connected: v.connected,
      feed: v.feed,
      capabilities: v.capabilities,
      instruments: v.instruments.map((i) => ({
        symbol: i.symbol,
        base: i.base,
        quote: i.quote,
        kind: i.kind,
        priceIncrement: formatUnits(i.priceIncrement, i.priceScale),
        qtyIncrement: formatUnits(i.qtyIncrement, i.qtyScale),
        qtyMin: formatUnits(i.qtyMin, i.qtyScale),
      })),
    })),
  }));

  app.get('/v1/market/candles', async (req) => {
    const q = query(req);
    if (q.symbol === undefined) throw bad('symbol', 'required', 'is required');
    const interval = (q.interval ?? '1m') as CandleInterval;
    if (!(interval in CANDLE_INTERVALS))
      throw bad('interval', 'enum', `must be one of ${Object.keys(CANDLE_INTERVALS).join(', ')}`);
    const limit = intParam(q, 'limit', 500, CANDLES_KEPT_MAX);
    const inst = oms.engine.instrument(q.symbol, q.venue);
    if (inst === undefined) throw bad('symbol', 'known_symbol', `unknown symbol ${q.symbol}`);
    return {
      symbol: inst.symbol,
      venue: inst.venue,
      interval,
      candles: candles.candles(inst.key, interval, limit),
    };
  });

  app.get('/v1/market/quotes', async () => ({ quotes: candles.quotes() }));
}

/** `from`, `from - 1`, ..., 1, lazily. */
function* rangeDown(from: number): Generator<number> {
  for (let id = from; id >= 1; id--) yield id;
}
