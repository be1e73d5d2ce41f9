// FakeCoinbase: a local server speaking Coinbase Advanced Trade's wire format, for testing Ordo's
// Coinbase adapter offline and for `ordo sandbox coinbase`.
//
// - REST (`http://host:port/api/v3/brokerage/...`, fake-api.ts): JSON bodies, a fresh ES256 or
//   EdDSA JWT per request (`Authorization: Bearer`, fake-auth.ts; 401 `Unauthorized` otherwise),
//   business rejections as HTTP 200 `success: false`, rate limits answered 429.
// - WebSocket (fake-ws.ts): the user channel at `ws://host:port/ws/user` (Coinbase's separate
//   advanced-trade-ws-user host) and market data at `ws://host:port/ws/market`: `user` (JWT per
//   subscribe, cumulative order state), `heartbeats`, `ticker`, `market_trades`.
// - Matching (fake-exchange.ts) with Ordo's PaperMatcher, in exact integer units, fed by
//   feedQuote/feedTrade (product ids such as `BTC-USD`) or feed(md).
// - Fault hooks (`faults`) and an inspection API (orders, requests with `authOk`, rate-limit hits,
//   user-channel events produced and dropped).
//
// The server binds 127.0.0.1 by default, holds public keys only, and never writes a token into
// its logs or answers. It is written independently of Ordo's Coinbase client.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseUnits } from '../../../core/decimal.ts';
import { SeededRandom } from '../../../core/ports.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { MarketData } from '../../../model/market.ts';
import { startFakeServer, stopFakeServer } from '../../fake-http.ts';
import { type ApiContext, findRoute, stableUuid } from './fake-api.ts';
import { bearerToken, type FakeApiKey, JwtVerifier } from './fake-auth.ts';
import { ApiError, RATE_LIMIT_BODY, UNAUTHORIZED_TEXT } from './fake-errors.ts';
import { FakeExchange } from './fake-exchange.ts';
import { FakeFaults, type RequestFault } from './fake-faults.ts';
import type { TradeSide } from './fake-market.ts';
import type { CbOrder } from './fake-order.ts';
import {
  buildProduct,
  type Commission,
  DEFAULT_COMMISSION,
  DEFAULT_PRODUCTS,
  type FakeProductInput,
  moneyText,
  type ProductSpec,
} from './fake-products.ts';
import { RateLimiter, type RateLimitHit, type RateLimitOptions } from './fake-rate-limits.ts';
import { orderJson, type RenderContext, wsOrderJson } from './fake-render.ts';
import { type UserEvent, WsHub } from './fake-ws.ts';

/** What the fake accepts and starts with; every field has a default. */
export interface FakeCoinbaseOptions {
  /** Keys the fake accepts: name and public key (P-256 ECDSA → ES256, Ed25519 → EdDSA). */
  readonly apiKeys?: readonly FakeApiKey[];
  /** Currency → decimal string; default `{ USD: '100000', BTC: '2', ETH: '20' }`. */
  readonly balances?: Readonly<Record<string, string>>;
  /** Default BTC-USD and ETH-USD (fake-products.ts DEFAULT_PRODUCTS). */
  readonly products?: readonly FakeProductInput[];
  /** The server clock (JWT nbf/exp, timestamps, expiries, rate-limit windows); default Date.now. */
  readonly now?: () => number;
  readonly rateLimits?: RateLimitOptions;
  /** Fee rates as fractions; default Coinbase's base tier, 0.006 maker / 0.008 taker. */
  readonly commission?: Commission;
  /** Seed of order ids and account ids; default 1. */
  readonly seed?: number;
  /**
   * Hosts accepted in a REST JWT's uri claim besides the Host header the request came with;
   * default `['api.coinbase.com']` (what a production client signs). `[]`: the Host header only.
   */
  readonly jwtHosts?: readonly string[];
  /** Interval of the heartbeats channel; default 1000 ms (real time). */
  readonly heartbeatMs?: number;
  /** A WebSocket that has not subscribed after this long is closed; default 5000 ms, 0: never. */
  readonly subscribeTimeoutMs?: number;
}

/** Where a started fake listens. */
export interface FakeCoinbaseUrls {
  /** The brokerage REST base, `http://host:port/api/v3/brokerage` (as Coinbase's `…/api/v3/brokerage`). */
  readonly rest: string;
  /** The same as `rest` (kept for callers written against the first draft of this API). */
  readonly brokerage: string;
  /** `http://host:port`; the JWT uri claim's host is `host:port`. */
  readonly origin: string;
  /** The user-channel WebSocket (Coinbase's advanced-trade-ws-user host). */
  readonly ws: string;
  /** The market-data WebSocket (Coinbase's advanced-trade-ws host). */
  readonly marketData: string;
  readonly port: number;
}

/** One REST request as the fake saw and answered it (never the token). */
export interface RequestLogEntry {
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  /** The route name (`orders.create`, …), undefined for an unknown path. */
  readonly route: string | undefined;
  readonly time: number;
  /** Whether the JWT was accepted; undefined when not checked (public route, or answered before). */
  authOk: boolean | undefined;
  /** Why the JWT was refused (never the token itself). */
  authError: string | undefined;
  keyName: string | undefined;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  /** The fault applied, if any. */
  fault: string | undefined;
}

interface Outcome {
  readonly status: number;
  /** JSON, or plain text for a 401. */
  readonly body: unknown;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const BROKERAGE = '/api/v3/brokerage';

/** The fake Coinbase Advanced Trade server (see the file header). */
export class FakeCoinbase {
  readonly exchange: FakeExchange;
  readonly faults: FakeFaults;
  readonly limiter: RateLimiter;
  private readonly verifier: JwtVerifier;
  private readonly hub: WsHub;
  private readonly nowFn: () => number;
  private readonly jwtHosts: readonly string[];
  private readonly seed: number;
  private readonly render: RenderContext;
  private readonly ctx: ApiContext;
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RequestLogEntry[] = [];
  private readonly internal: Error[] = [];
  private urlsValue: FakeCoinbaseUrls | undefined;

  constructor(options: FakeCoinbaseOptions = {}) {
    this.nowFn = options.now ?? Date.now;
    this.seed = options.seed ?? 1;
    this.jwtHosts = options.jwtHosts ?? ['api.coinbase.com'];
    const commission = options.commission ?? DEFAULT_COMMISSION;
    const products = (options.products ?? DEFAULT_PRODUCTS).map((p) => buildProduct(p, commission));
    this.verifier = new JwtVerifier(options.apiKeys ?? []);
    this.limiter = new RateLimiter(options.rateLimits);
    this.faults = new FakeFaults({
      disconnect: (w) => this.hub.disconnect(w),
      releaseQueued: () => this.exchange.releaseQueued(),
    });
    this.exchange = new FakeExchange({
      products,
      balances: options.balances ?? { USD: '100000', BTC: '2', ETH: '20' },
      now: () => this.nowFn(),
      random: new SeededRandom(this.seed),
      policy: this.faults,
      onOrderUpdate: (o) => this.hub.deliverOrder(o),
    });
    this.render = {
      userId: stableUuid(this.seed, 'user'),
      portfolioId: stableUuid(this.seed, 'portfolio'),
      holdOf: (o) => this.exchange.holdOf(o),
    };
    this.ctx = {
      exchange: this.exchange,
      now: () => this.nowFn(),
      render: this.render,
      stableId: (name) => stableUuid(this.seed, name),
      startedMs: this.nowFn(),
    };
    this.hub = new WsHub({
      now: () => this.nowFn(),
      verifier: this.verifier,
      faults: this.faults,
      exchange: this.exchange,
      renderOrder: (o) => wsOrderJson(o, this.render),
      heartbeatMs: options.heartbeatMs ?? 1000,
      subscribeTimeoutMs: options.subscribeTimeoutMs ?? 5000,
      onError: (e) => this.internal.push(e),
    });
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(options: { port?: number; host?: string } = {}): Promise<FakeCoinbaseUrls> {
    if (this.server !== undefined) throw new Error('FakeCoinbase already started');
    const { server, port, authority } = await startFakeServer({
      port: options.port,
      host: options.host,
      handle: (req, res) => this.onHttp(req, res),
      upgrade: (req, socket, head) => this.onUpgrade(req, socket, head),
      onError: (e) => this.internal.push(e),
      internalError: () => ({
        contentType: JSON_TYPE,
        text: JSON.stringify({ error: 'INTERNAL', code: 13, message: 'internal error', details: [] }),
      }),
    });
    this.server = server;
    const origin = `http://${authority}`;
    this.urlsValue = {
      rest: `${origin}${BROKERAGE}`,
      brokerage: `${origin}${BROKERAGE}`,
      origin,
      ws: `ws://${authority}/ws/user`,
      marketData: `ws://${authority}/ws/market`,
      port,
    };
    return this.urlsValue;
  }

  get urls(): FakeCoinbaseUrls {
    if (this.urlsValue === undefined) throw new Error('FakeCoinbase not started');
    return this.urlsValue;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.hub.close();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await stopFakeServer(server);
  }

  addApiKey(key: FakeApiKey): void {
    this.verifier.add(key);
  }

  now(): number {
    return this.nowFn();
  }

  // ---- market ---------------------------------------------------------------------------------

  /** The Ordo instrument a product trades as (`coinbase:BTC/USD`; units of `feed`). */
  instrument(productId: string): Instrument {
    return this.spec(productId).instrument;
  }

  /** Applies market data (instrument key or product id) and publishes it on the market channels. */
  feed(md: MarketData): void {
    const spec = this.exchange.product(md.instrument) ?? this.specByKey(md.instrument);
    const trades = this.exchange.feed(md);
    if (md.kind === 'quote') this.hub.publishTicker(spec.productId);
    else this.hub.publishTrades(spec.productId, trades);
  }

  /** A quote from decimal strings, e.g. `feedQuote('BTC-USD', '100', '1', '100.5', '2')`. */
  feedQuote(productId: string, bid: string, bidQty: string, ask: string, askQty: string): void {
    const spec = this.spec(productId);
    const inst = spec.instrument;
    this.feed({
      kind: 'quote',
      instrument: inst.key,
      ts: this.nowFn(),
      bid: units(inst.priceScale, bid, 'bid'),
      bidSize: units(inst.qtyScale, bidQty, 'bidQty'),
      ask: units(inst.priceScale, ask, 'ask'),
      askSize: units(inst.qtyScale, askQty, 'askQty'),
    });
  }

  /** A trade from decimal strings; `side` is the aggressor (market_trades `side`), default BUY. */
  feedTrade(productId: string, price: string, qty: string, side: TradeSide = 'BUY'): void {
    const inst = this.spec(productId).instrument;
    this.feed({
      kind: 'trade',
      instrument: inst.key,
      ts: this.nowFn(),
      price: units(inst.priceScale, price, 'price'),
      size: units(inst.qtyScale, qty, 'qty'),
      aggressor: side === 'BUY' ? 'buy' : 'sell',
      tradeId: undefined,
    });
  }

  private spec(productId: string): ProductSpec {
    const s = this.exchange.product(productId);
    if (s === undefined) throw new Error(`unknown product ${productId}`);
    return s;
  }

  private specByKey(key: string): ProductSpec {
    const s = this.exchange.productList().find((p) => p.instrument.key === key);
    if (s === undefined) throw new Error(`unknown instrument ${key}`);
    return s;
  }

  // ---- inspection -----------------------------------------------------------------------------

  /** Every order ever placed (open or not), as the fake keeps it; refused creates leave none. */
  orderRecords(): readonly CbOrder[] {
    return this.exchange.orders;
  }

  /** Every order as `GET /orders/historical/{order_id}` shows it. */
  orders(): Record<string, unknown>[] {
    return this.exchange.orders.map((o) => orderJson(o, this.render));
  }

  /** Every request received, in arrival order. */
  requests(): readonly RequestLogEntry[] {
    return this.log;
  }

  rateLimitHits(): readonly RateLimitHit[] {
    return this.limiter.hits;
  }

  /** Every user-channel order update produced (before faults), and those lost while paused. */
  userEvents(): readonly UserEvent[] {
    return this.hub.events;
  }

  droppedEvents(): readonly UserEvent[] {
    return this.hub.dropped;
  }

  /** User-channel update frames sent to subscribers (duplicates included). */
  sentEventCount(): number {
    return this.hub.sent;
  }

  /** Unexpected errors inside the fake (answered 500); a test can assert there were none. */
  internalErrors(): readonly Error[] {
    return this.internal;
  }

  /** Balances per currency as decimal strings: available and on hold. */
  balances(): Record<string, { available: string; hold: string }> {
    const out: Record<string, { available: string; hold: string }> = {};
    for (const b of this.exchange.balances())
      out[b.currency] = { available: moneyText(b.available), hold: moneyText(b.hold) };
    return out;
  }

  /** Open WebSockets: with a `user` subscription, on the market endpoint, in all. */
  connectionCount(): { user: number; market: number; connections: number } {
    return this.hub.counts();
  }

  // ---- REST -----------------------------------------------------------------------------------

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const found = path.startsWith(`${BROKERAGE}/`)
      ? findRoute(method, path.slice(BROKERAGE.length))
      : undefined;
    const entry: RequestLogEntry = {
      method,
      path,
      route: found?.route.name,
      time: this.nowFn(),
      authOk: undefined,
      authError: undefined,
      keyName: undefined,
      status: 0,
      fault: undefined,
    };
    this.log.push(entry);
    if (found === undefined) {
      this.answer(
        res,
        entry,
        {
          status: 404,
          body: { error: 'NOT_FOUND', error_details: `no route ${method} ${path}`, message: 'Not Found' },
        },
        0,
        false,
      );
      return;
    }
    const info = { method, path };
    const fault = this.faults.take(info);
    const delay = this.faults.delayFor(info);
    entry.fault = fault?.kind;
    if (fault?.kind === 'rate_limit') {
      this.answer(res, entry, { status: 429, body: fault.body }, delay, false);
      return;
    }
    if (fault?.kind === 'server_error' && !fault.execute) {
      this.answer(res, entry, { status: fault.status, body: fault.body }, delay, false);
      return;
    }
    let keyName: string | undefined;
    if (found.route.auth) {
      const token = bearerToken(header(req, 'authorization'));
      const hosts = [header(req, 'host') ?? '', ...this.jwtHosts].filter((x) => x !== '');
      const check =
        token === undefined
          ? { ok: false as const, keyName: undefined, reason: 'no Authorization: Bearer <JWT> header' }
          : this.verifier.check(token, this.nowFn(), { method, path, hosts });
      entry.authOk = check.ok;
      entry.keyName = check.keyName;
      if (!check.ok) {
        entry.authError = check.reason;
        this.answer(res, entry, { status: 401, body: UNAUTHORIZED_TEXT }, delay, false);
        return;
      }
      keyName = check.keyName;
    }
    if (!this.limiter.admit(this.nowFn(), keyName)) {
      this.answer(res, entry, { status: 429, body: RATE_LIMIT_BODY }, delay, false);
      return;
    }
    let outcome: Outcome;
    try {
      const body = parseJson(rawBody);
      this.exchange.advance();
      outcome = {
        status: 200,
        body: found.route.handle(this.ctx, { query: url.searchParams, body, param: found.param }),
      };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      outcome = { status: e.status, body: e.body };
    }
    this.answer(res, entry, applyFault(fault, outcome), delay, fault?.kind === 'drop');
  }

  private answer(
    res: ServerResponse,
    entry: RequestLogEntry,
    outcome: Outcome,
    delay: number,
    drop: boolean,
  ): void {
    entry.status = drop ? 0 : outcome.status;
    const text = typeof outcome.body === 'string';
    const send = () => {
      if (drop) {
        res.socket?.destroy();
        return;
      }
      if (res.destroyed) return;
      res.writeHead(outcome.status, { 'Content-Type': text ? 'text/plain; charset=utf-8' : JSON_TYPE });
      res.end(text ? `${outcome.body as string}\n` : JSON.stringify(outcome.body));
    };
    if (delay <= 0) {
      send();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      send();
    }, delay);
    this.timers.add(t);
  }

  // ---- WebSocket ------------------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/ws/user') this.hub.upgrade(req, socket, head, 'user');
    else if (path === '/ws/market' || path === '/ws') this.hub.upgrade(req, socket, head, 'market');
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }
}

/** The answer after an executing fault: a 5xx in place of the real one. */
function applyFault(fault: RequestFault | undefined, outcome: Outcome): Outcome {
  if (fault?.kind === 'server_error') return { status: fault.status, body: fault.body };
  return outcome;
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, {
      error: 'INVALID_ARGUMENT',
      error_details: 'the request body is not valid JSON',
      message: 'the request body is not valid JSON',
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function units(scale: number, text: string, name: string): number {
  const v = parseUnits(text, scale);
  if (v === undefined || v < 0n)
    throw new Error(`${name} ${text} is not a decimal with at most ${scale} places`);
  return Number(v);
}
