// Prometheus metrics for `/metrics`: orders by status, fills, rejections by code, order placement
// latency, journal lag, venue and feed connection state, stream clients, and the process's own
// defaults. Counts that the engine already holds (orders by status) are read when scraped rather
// than kept twice. Each server has its own registry, so tests can run several in one process.

import client from 'prom-client';
import type { OrdoEvent } from '../engine/events.ts';
import { ORDER_STATUSES } from '../model/status.ts';
import type { ApiBackend } from './api-backend.ts';
import type { StreamHub } from './stream-hub.ts';

export class ApiMetrics {
  readonly registry = new client.Registry();
  private readonly fills: client.Counter;
  private readonly rejections: client.Counter<'code' | 'source'>;
  readonly orderLatency: client.Histogram<'kind'>;
  private readonly requests: client.Counter<'method' | 'route' | 'status'>;

  constructor(backend: ApiBackend, hub: () => StreamHub | undefined) {
    const registry = this.registry;
    client.collectDefaultMetrics({ register: registry, prefix: 'ordo_process_' });
    new client.Gauge({
      name: 'ordo_orders',
      help: 'Orders by status (every order the engine holds)',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        const counts = new Map<string, number>(ORDER_STATUSES.map((s) => [s, 0]));
        for (const o of backend.oms.engine.state.orders.values())
          counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
        for (const [status, n] of counts) this.set({ status }, n);
      },
    });
    this.fills = new client.Counter({
      name: 'ordo_fills_total',
      help: 'Fills applied since the server started',
      registers: [registry],
    });
    this.rejections = new client.Counter({
      name: 'ordo_rejections_total',
      help: 'Refused requests and orders by code: source api (the request), risk, or venue',
      labelNames: ['code', 'source'],
      registers: [registry],
    });
    this.orderLatency = new client.Histogram({
      name: 'ordo_order_latency_seconds',
      help: 'Time to handle an order placement request, from parsed body to response',
      labelNames: ['kind'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.requests = new client.Counter({
      name: 'ordo_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    new client.Gauge({
      name: 'ordo_journal_lag_events',
      help: 'Engine events not yet durable in the journal',
      registers: [registry],
      collect() {
        const h = hub();
        this.set(h === undefined || backend.journal === undefined ? 0 : h.seq - backend.journalSeq());
      },
    });
    new client.Gauge({
      name: 'ordo_journal_seq',
      help: 'Journal sequence number of the last durable event',
      registers: [registry],
      collect() {
        this.set(backend.journalSeq());
      },
    });
    new client.Gauge({
      name: 'ordo_venue_connected',
      help: 'Whether orders reach the venue (1) or not (0)',
      labelNames: ['venue'],
      registers: [registry],
      collect() {
        for (const v of backend.venues()) this.set({ venue: v.id }, v.connected ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'ordo_feed_connected',
      help: 'Whether the market feed of a venue is delivering (1) or not (0)',
      labelNames: ['venue', 'feed'],
      registers: [registry],
      collect() {
        for (const v of backend.venues())
          this.set({ venue: v.id, feed: v.feed.name }, v.feed.connected ? 1 : 0);
      },
    });
    new client.Gauge({
      name: 'ordo_stream_clients',
      help: 'Connected WebSocket stream clients',
      registers: [registry],
      collect() {
        this.set(hub()?.clientCount ?? 0);
      },
    });
  }

  /** Counts fills and the engine's own refusals (risk denials, venue rejections). */
  onEvent(e: OrdoEvent): void {
    if (e.type === 'order_filled') this.fills.inc();
    else if (e.type === 'order_rejected')
      this.rejections.inc({ code: e.code || 'rejected', source: 'venue' });
    else if (e.type === 'order_denied')
      for (const d of e.denials) this.rejections.inc({ code: d.code, source: 'risk' });
  }

  /** A request the API refused (4xx), by its code. */
  rejected(code: string): void {
    this.rejections.inc({ code, source: 'api' });
  }

  request(method: string, route: string, status: number): void {
    this.requests.inc({ method, route, status: String(status) });
  }
}
