// The HTTP and WebSocket server: Fastify with the order and read routes, bearer-token auth on
// everything but the public routes, error answers with stable codes, Prometheus metrics, the
// OpenAPI document and its HTML page, the dashboard's static files, and the event stream on
// `GET /v1/stream` (a WebSocket upgrade handled beside Fastify with `ws`). It binds nothing by
// itself: `listen` does, on 127.0.0.1 unless told otherwise.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ApiBackend } from './api-backend.ts';
import { redactUrl, TokenCheck } from './auth.ts';
import { CandleBook } from './candle-book.ts';
import { docsPage } from './docs-page.ts';
import { ApiError } from './http-errors.ts';
import { type IdempotencyStore, MemoryIdempotencyStore, settlePending } from './idempotency-store.ts';
import { ApiMetrics } from './metrics.ts';
import { OpenOrders } from './open-orders.ts';
import { openApiDocument } from './openapi.ts';
import { registerOrderRoutes } from './order-routes.ts';
import { placedAs } from './placements.ts';
import { registerReadRoutes } from './read-routes.ts';
import { StaticFiles } from './static-files.ts';
import { StreamHub, type StreamLimits } from './stream-hub.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiServerOptions {
  readonly token: string;
  readonly idempotency?: IdempotencyStore;
  readonly logger?: Logger;
  /** The dashboard's built files; served at `/` when they exist. */
  readonly webDist?: string;
  /** Stream bounds (tests make the resume ring small). */
  readonly streamLimits?: StreamLimits;
}

/** Routes anyone may call: they hold no account data. */
function isPublic(method: string, path: string): boolean {
  if (path === '/health' || path === '/openapi.json' || path === '/docs') return true;
  // The dashboard's files: everything that is not the API or the metrics.
  return method === 'GET' && !path.startsWith('/v1') && path !== '/metrics';
}

export class ApiServer {
  readonly app: FastifyInstance;
  readonly hub: StreamHub;
  readonly metrics: ApiMetrics;
  private readonly wss: WebSocketServer;
  private readonly tokens: TokenCheck;
  private readonly idempotency: IdempotencyStore;
  private readonly started: number;
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly open: OpenOrders;
  /** Every route registered (method and path), for the check that the OpenAPI document lists them. */
  readonly routes: { readonly method: string; readonly url: string }[] = [];

  constructor(
    readonly backend: ApiBackend,
    options: ApiServerOptions,
  ) {
    this.started = backend.now();
    this.tokens = new TokenCheck(options.token);
    this.idempotency = options.idempotency ?? new MemoryIdempotencyStore();
    // Keys a crash left pending are decided before the first request (see idempotency-store.ts).
    const settled = settlePending(this.idempotency, (kind, id) => placedAs(backend.oms, kind, id));
    if (settled.completed + settled.released > 0)
      options.logger?.warn(settled, 'idempotency keys left pending by a crash were settled');
    const candles = new CandleBook(backend.instruments);
    let hub: StreamHub | undefined;
    this.metrics = new ApiMetrics(backend, () => hub);
    this.unsubscribe = backend.oms.on((e) => this.metrics.onEvent(e));
    hub = new StreamHub(backend, candles, options.streamLimits);
    this.hub = hub;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 64 * 1024,
      handleProtocols: (protocols) => (protocols.has('ordo.v1') ? 'ordo.v1' : ([...protocols][0] ?? false)),
    });

    const app: FastifyInstance = Fastify({
      ...(options.logger === undefined
        ? { logger: false }
        : { loggerInstance: options.logger as unknown as FastifyBaseLogger }),
      bodyLimit: BODY_LIMIT_BYTES,
      return503OnClosing: true,
      forceCloseConnections: 'idle',
    });
    this.app = app;
    const tokens = this.tokens;
    const metrics = this.metrics;
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) if (method !== 'HEAD') this.routes.push({ method, url: r.url });
    });

    app.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      if (isPublic(req.method, path)) return;
      if (!tokens.matches(tokens.fromHeader(req.headers.authorization))) {
        reply.header('www-authenticate', 'Bearer realm="ordo"');
        throw new ApiError(
          401,
          'unauthorized',
          'send Authorization: Bearer <token> (the token is in data/api-token)',
        );
      }
    });
    // While shutting down, answers close their connection, so a keep-alive client that was
    // mid-request does not hold the shutdown open until its idle timeout.
    app.addHook('onSend', async (_req, reply) => {
      if (this.closed) reply.header('connection', 'close');
    });
    app.addHook('onResponse', async (req, reply) => {
      metrics.request(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode);
      if (reply.statusCode >= 400)
        req.log.debug(
          { method: req.method, url: redactUrl(req.url), status: reply.statusCode, ms: reply.elapsedTime },
          'request refused',
        );
    });
    app.setErrorHandler((error: FastifyError | ApiError, req, reply) => {
      const e = toApiError(error);
      if (e.status >= 500) req.log.error({ err: error, url: redactUrl(req.url) }, 'request failed');
      else metrics.rejected(e.code);
      reply.code(e.status).send(e.body());
    });
    const web = options.webDist === undefined ? undefined : new StaticFiles(options.webDist);
    app.setNotFoundHandler(async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      const file = req.method === 'GET' && !path.startsWith('/v1') ? web?.lookup(path) : undefined;
      if (file !== undefined) {
        reply
          .type(file.type)
          .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .header('x-content-type-options', 'nosniff');
        return file.body;
      }
      if (req.method === 'GET' && path === '/')
        return reply
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><title>Ordo</title><h1>Ordo is running</h1><p>The dashboard is not built (web/dist). The API reference is at <a href="/docs">/docs</a>.</p>',
          );
      throw new ApiError(404, 'not_found', `no route ${req.method} ${redactUrl(path)}`);
    });

    app.get('/health', async () => ({
      status: 'ok',
      version: backend.version,
      uptimeMs: backend.now() - this.started,
      seq: this.hub.seq,
    }));
    const spec = openApiDocument(backend.version);
    app.get('/openapi.json', async () => spec);
    const docs = docsPage(backend.version);
    app.get('/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(docs));
    app.get('/metrics', async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
    const open = new OpenOrders(backend.oms);
    this.open = open;
    registerOrderRoutes(app, { backend, open, idempotency: this.idempotency, metrics });
    registerReadRoutes(app, backend, candles, open);
    // The stream is an upgrade; this route answers a plain GET with how to connect.
    app.get('/v1/stream', async () => {
      throw new ApiError(400, 'invalid_field', 'connect with a WebSocket client (Upgrade: websocket)', [
        { field: 'Upgrade', rule: 'websocket', message: 'this route is a WebSocket' },
      ]);
    });
    app.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.closed) return refuse(503, 'Service Unavailable');
    if (url.pathname !== '/v1/stream') return refuse(404, 'Not Found');
    if (!this.tokens.upgradeAllowed(req, url)) return refuse(401, 'Unauthorized');
    const sinceText = url.searchParams.get('since');
    const since = sinceText === null ? undefined : /^[0-9]{1,15}$/.test(sinceText) ? Number(sinceText) : -1;
    if (since === -1) return refuse(400, 'Bad Request');
    const market = url.searchParams.get('market') !== '0';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.hub.attach(ws, since, market));
  }

  /** Listens on `host:port` (port 0: any free port); returns the base URL. */
  async listen(host: string, port: number): Promise<string> {
    await this.app.listen({ host, port });
    const addr = this.app.server.address();
    const actual = typeof addr === 'object' && addr !== null ? addr.port : port;
    const shown = host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${actual}`;
  }

  /** Stops accepting, closes stream clients, lets in-flight requests finish. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await this.app.close();
    this.unsubscribe();
    this.open.close();
    this.idempotency.close();
  }
}

function toApiError(error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error;
  const status = error.statusCode ?? 500;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'body_too_large', `the body is larger than ${BODY_LIMIT_BYTES} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'invalid_json', 'the body is empty; send a JSON object', [
        { field: '(body)', rule: 'required', message: 'is empty' },
      ]);
    default:
      break;
  }
  if (status >= 400 && status < 500) {
    const code =
      error instanceof SyntaxError || /JSON/i.test(error.message) ? 'invalid_json' : 'invalid_field';
    return new ApiError(status, code, error.message, [
      { field: '(body)', rule: code, message: error.message },
    ]);
  }
  return new ApiError(500, 'internal', 'internal error: see the server log');
}
