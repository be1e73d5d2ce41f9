// FakeBinance: a local server speaking Binance Spot's wire format, for testing Ordo's Binance
// adapter offline and for `ordo sandbox binance`.
//
// - REST (`http://host:port/api/v3/...`): parameters from the query string and an
//   x-www-form-urlencoded body (query wins), X-MBX-APIKEY, signatures verified over the raw
//   payload, rate-limit headers, 429/418.
// - WebSocket API (`ws://host:port/ws-api/v3`): `{id, method, params}` requests, signed per request
//   or through session.logon (Ed25519), user data stream subscriptions with events wrapped as
//   `{subscriptionId, event}`.
// - Market streams (`ws://host:port/ws/<stream>`, `/stream?streams=a/b`): `<symbol>@trade` and
//   `<symbol>@bookTicker`, fed by `feed(md)`.
// - Fault hooks (`faults`) and an inspection API (orders, requests, rate-limit hits, bans, events).
//
// The server binds 127.0.0.1 by default and is written independently of Ordo's client side.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { parseUnits } from '../../../core/decimal.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { MarketData } from '../../../model/market.ts';
import { startFakeServer, stopFakeServer } from '../../fake-http.ts';
import { type ApiContext, ENDPOINTS, type Endpoint, REST_ROUTES } from './fake-api.ts';
import {
  checkTimestamp,
  type FakeApiKey,
  type KeyEntry,
  KeyRing,
  restPayload,
  signatureValid,
  wsPayload,
} from './fake-auth.ts';
import { BinanceError, errors } from './fake-errors.ts';
import { FakeExchange, type FakeList, type FakeOrder, type PublicEvent } from './fake-exchange.ts';
import { FakeFaults, type RequestFault, type RequestInfo } from './fake-faults.ts';
import { mergeRestParams, ParamReader, parseFormPairs, wsParamText } from './fake-params.ts';
import {
  RateLimiter,
  type RateLimitHit,
  type RateLimitOptions,
  retryAfterSeconds,
} from './fake-rate-limits.ts';
import { listQuery, orderQuery } from './fake-render.ts';
import {
  buildSymbol,
  type Commission,
  DEC_SCALE,
  DEFAULT_SYMBOLS,
  type FakeSymbolInput,
  fmt,
  type SymbolSpec,
} from './fake-symbols.ts';

export interface FakeBinanceOptions {
  /** Default BTCUSDT and ETHUSDT (fake-symbols.ts DEFAULT_SYMBOLS). */
  readonly symbols?: readonly FakeSymbolInput[];
  /** Asset → decimal string; default `{ USDT: '100000', BTC: '2', ETH: '20' }`. */
  readonly balances?: Readonly<Record<string, string>>;
  readonly apiKeys?: readonly FakeApiKey[];
  /** The server clock (timestamps, recvWindow, rate-limit windows); default Date.now. */
  readonly now?: () => number;
  readonly rateLimits?: RateLimitOptions;
  /** Commission rates as fractions; default 0.001 maker and taker. */
  readonly commission?: Commission;
  /** Resting limit orders also fill when a trade only touches their price; default false. */
  readonly touchFills?: boolean;
  /** Seed of generated client order ids; default 1. */
  readonly seed?: number;
}

export interface FakeBinanceUrls {
  readonly rest: string;
  readonly wsApi: string;
  /** Base of market streams: `${stream}/ws/<stream>` and `${stream}/stream?streams=a/b`. */
  readonly stream: string;
  readonly port: number;
}

export interface RequestLogEntry {
  readonly transport: 'rest' | 'ws';
  /** HTTP method, or `WS`. */
  readonly method: string;
  /** URL path, or the WebSocket API method. */
  readonly path: string;
  readonly endpoint: string | undefined;
  readonly time: number;
  apiKey: string | undefined;
  /** Undefined when the request was not signed-checked. */
  signatureOk: boolean | undefined;
  status: number;
  code: number | undefined;
  /** The fault applied, if any. */
  fault: string | undefined;
}

interface Outcome {
  readonly status: number;
  readonly body: unknown;
  readonly orders: number;
  readonly retryAfter: number | undefined;
}

interface WsSession {
  readonly socket: WebSocket;
  readonly connectedSince: number;
  key: KeyEntry | undefined;
  authorizedSince: number | undefined;
  /** Subscription id → made through session.logon (true) or a signature (false). */
  readonly subs: Map<number, boolean>;
  nextSubId: number;
  readonly returnRateLimits: boolean;
}

interface StreamConn {
  readonly socket: WebSocket;
  readonly streams: Set<string>;
  readonly combined: boolean;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

export class FakeBinance {
  readonly exchange: FakeExchange;
  readonly limiter: RateLimiter;
  readonly faults: FakeFaults;
  private readonly keys: KeyRing;
  private readonly nowFn: () => number;
  private readonly commission: Commission;
  private readonly ctx: ApiContext;
  private server: Server | undefined;
  private readonly wssApi = new WebSocketServer({ noServer: true });
  private readonly wssStream = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<WsSession>();
  private readonly streams = new Set<StreamConn>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RequestLogEntry[] = [];
  private readonly events: Record<string, unknown>[] = [];
  private readonly dropped: Record<string, unknown>[] = [];
  private sent = 0;
  private readonly internal: Error[] = [];
  private urlsValue: FakeBinanceUrls | undefined;

  constructor(options: FakeBinanceOptions = {}) {
    this.nowFn = options.now ?? Date.now;
    this.commission = options.commission ?? { maker: '0.001', taker: '0.001' };
    const specs = (options.symbols ?? DEFAULT_SYMBOLS).map((s) => buildSymbol(s, this.commission));
    this.keys = new KeyRing(options.apiKeys ?? []);
    this.limiter = new RateLimiter(options.rateLimits);
    this.exchange = new FakeExchange({
      symbols: specs,
      balances: options.balances ?? { USDT: '100000', BTC: '2', ETH: '20' },
      touchFills: options.touchFills ?? false,
      now: () => this.nowFn(),
      seed: options.seed ?? 1,
      onUserEvent: (e) => this.deliver(e),
    });
    this.ctx = {
      exchange: this.exchange,
      limiter: this.limiter,
      now: () => this.nowFn(),
      commission: this.commission,
    };
    this.faults = new FakeFaults({
      disconnect: (w) => this.disconnect(w.wsApi, w.market),
      flushHeld: () => {
        const h = this.faults.held;
        this.faults.held = undefined;
        if (h !== undefined) this.send(h);
      },
    });
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(options: { port?: number; host?: string } = {}): Promise<FakeBinanceUrls> {
    if (this.server !== undefined) throw new Error('FakeBinance already started');
    const { server, port, authority } = await startFakeServer({
      port: options.port,
      host: options.host,
      handle: (req, res) => this.onHttp(req, res),
      upgrade: (req, socket, head) => this.onUpgrade(req, socket, head),
      onError: (e) => this.internal.push(e),
      internalError: (e) => ({
        contentType: JSON_TYPE,
        text: JSON.stringify({ code: -1000, msg: `An unknown error occurred: ${String(e)}` }),
      }),
    });
    this.server = server;
    this.urlsValue = {
      rest: `http://${authority}`,
      wsApi: `ws://${authority}/ws-api/v3`,
      stream: `ws://${authority}`,
      port,
    };
    return this.urlsValue;
  }

  get urls(): FakeBinanceUrls {
    if (this.urlsValue === undefined) throw new Error('FakeBinance not started');
    return this.urlsValue;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.disconnect(true, true);
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await stopFakeServer(server);
    this.wssApi.close();
    this.wssStream.close();
  }

  addApiKey(key: FakeApiKey): void {
    this.keys.add(key);
  }

  now(): number {
    return this.nowFn();
  }

  // ---- market ---------------------------------------------------------------------------------

  /** The Ordo instrument a symbol trades as (price and quantity units of `feed`). */
  instrument(symbol: string): Instrument {
    const s = this.exchange.symbol(symbol);
    if (s === undefined) throw new Error(`unknown symbol ${symbol}`);
    return s.instrument;
  }

  /** Applies market data (instrument key or Binance symbol) and publishes it on the streams. */
  feed(md: MarketData): void {
    for (const ev of this.exchange.feed(md)) this.publish(ev);
  }

  /** A quote from decimal strings, e.g. `feedQuote('BTCUSDT', '100', '1', '100.5', '2')`. */
  feedQuote(symbol: string, bid: string, bidQty: string, ask: string, askQty: string): void {
    const spec = this.spec(symbol);
    this.feed({
      kind: 'quote',
      instrument: spec.instrument.key,
      ts: this.nowFn(),
      bid: units(spec.instrument.priceScale, bid),
      bidSize: units(spec.instrument.qtyScale, bidQty),
      ask: units(spec.instrument.priceScale, ask),
      askSize: units(spec.instrument.qtyScale, askQty),
    });
  }

  /** A trade from decimal strings; `buyerMaker` true means the seller was the aggressor. */
  feedTrade(symbol: string, price: string, qty: string, buyerMaker = false): void {
    const spec = this.spec(symbol);
    this.feed({
      kind: 'trade',
      instrument: spec.instrument.key,
      ts: this.nowFn(),
      price: units(spec.instrument.priceScale, price),
      size: units(spec.instrument.qtyScale, qty),
      aggressor: buyerMaker ? 'sell' : 'buy',
      tradeId: undefined,
    });
  }

  /** Credits (negative: debits) an asset, as a deposit: balanceUpdate + outboundAccountPosition. */
  deposit(asset: string, amount: string): void {
    const neg = amount.startsWith('-');
    const v = parseUnits(neg ? amount.slice(1) : amount, DEC_SCALE);
    if (v === undefined) throw new Error(`deposit: bad amount ${amount}`);
    this.exchange.deposit(asset, neg ? -v : v);
  }

  private spec(symbol: string): SymbolSpec {
    const s = this.exchange.symbol(symbol);
    if (s === undefined) throw new Error(`unknown symbol ${symbol}`);
    return s;
  }

  // ---- inspection -----------------------------------------------------------------------------

  /** Every order ever placed (open or not), as GET /api/v3/order shows it. */
  orders(symbol?: string): Record<string, unknown>[] {
    return this.exchange.orders.filter((o) => symbol === undefined || o.symbol === symbol).map(orderQuery);
  }

  /** The internal order records (read-only use). */
  orderRecords(): readonly FakeOrder[] {
    return this.exchange.orders;
  }

  orderLists(): Record<string, unknown>[] {
    return this.exchange.lists.map((l: FakeList) => listQuery(l));
  }

  /** Every request received, in arrival order. */
  requests(): readonly RequestLogEntry[] {
    return this.log;
  }

  rateLimitHits(): readonly RateLimitHit[] {
    return this.limiter.hits;
  }

  /** Ban state of the (single) client IP: `everBanned` is what a "never banned" test asserts. */
  banStatus(): { banned: boolean; bannedUntil: number; bans: number; everBanned: boolean } {
    const now = this.nowFn();
    return {
      banned: this.limiter.isBanned(now),
      bannedUntil: this.limiter.bannedUntil,
      bans: this.limiter.bans,
      everBanned: this.limiter.bans > 0,
    };
  }

  /** Every user data event produced (before faults), and those lost while the stream was paused. */
  userEvents(): readonly Record<string, unknown>[] {
    return this.events;
  }

  droppedEvents(): readonly Record<string, unknown>[] {
    return this.dropped;
  }

  /** Unexpected errors inside the fake (answered 500 / -1000); a test can assert there were none. */
  internalErrors(): readonly Error[] {
    return this.internal;
  }

  /** Frames of user data sent to subscribers (duplicates included). */
  sentEventCount(): number {
    return this.sent;
  }

  balances(): Record<string, { free: string; locked: string }> {
    const out: Record<string, { free: string; locked: string }> = {};
    for (const b of this.exchange.balances()) out[b.asset] = { free: fmt(b.free), locked: fmt(b.locked) };
    return out;
  }

  connectionCount(): { wsApi: number; userData: number; market: number } {
    let userData = 0;
    for (const s of this.sessions) if (s.subs.size > 0) userData++;
    return { wsApi: this.sessions.size, userData, market: this.streams.size };
  }

  // ---- request processing (shared) -----------------------------------------------------------

  private runEndpoint(
    name: string,
    endpoint: Endpoint,
    reader: ParamReader,
    authenticate: (reader: ParamReader, entry: RequestLogEntry) => void,
    entry: RequestLogEntry,
  ): Outcome {
    const now = this.nowFn();
    let orders = 0;
    try {
      const weight = endpoint.weight(reader);
      orders = endpoint.orders(reader);
      this.limiter.admit(now, weight, orders);
      if (endpoint.security !== 'NONE') authenticate(reader, entry);
      const body = endpoint.handle(this.ctx, reader);
      if (orders > 0) this.limiter.countOrders(now, orders);
      return { status: 200, body, orders, retryAfter: undefined };
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      if (name === 'order.cancelReplace' && (e.code === -2021 || e.code === -2022))
        this.limiter.countOrders(now, orders);
      const retry =
        e.status === 429 || e.status === 418
          ? retryAfterSeconds((e.data as { retryAfter: number }).retryAfter, now)
          : undefined;
      return { status: e.status, body: e, orders: 0, retryAfter: retry };
    }
  }

  // ---- REST -----------------------------------------------------------------------------------

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const ctype = String(req.headers['content-type'] ?? '');
    const formBody = rawBody !== '' && (ctype === '' || ctype.includes('application/x-www-form-urlencoded'));
    const body = formBody ? rawBody : '';
    const name = REST_ROUTES[`${method} ${path}`];
    const apiKeyHeader = header(req, 'x-mbx-apikey');
    const entry: RequestLogEntry = {
      transport: 'rest',
      method,
      path,
      endpoint: name,
      time: this.nowFn(),
      apiKey: apiKeyHeader,
      signatureOk: undefined,
      status: 0,
      code: undefined,
      fault: undefined,
    };
    this.log.push(entry);
    if (name === undefined) {
      entry.status = 404;
      res.writeHead(404, { 'Content-Type': JSON_TYPE });
      res.end(JSON.stringify({ code: -1000, msg: `Unknown endpoint ${method} ${path}` }));
      return;
    }
    const info: RequestInfo = { transport: 'rest', endpoint: name, method, path };
    const fault = this.faults.take(info);
    const delay = this.faults.delayFor(info);
    entry.fault = fault?.kind;
    if (fault?.kind === 'server_error' && !fault.execute) {
      this.answerRest(
        res,
        entry,
        { status: fault.status, body: fault.body, orders: 0, retryAfter: undefined },
        delay,
      );
      return;
    }
    let outcome: Outcome;
    try {
      const params = mergeRestParams(parseFormPairs(rawQuery), parseFormPairs(body));
      const reader = new ParamReader(params);
      const payload = restPayload(rawQuery, body);
      outcome = this.runEndpoint(
        name,
        ENDPOINTS[name]!,
        reader,
        (r, e) => this.authRest(r, e, apiKeyHeader, payload),
        entry,
      );
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      outcome = { status: e.status, body: e, orders: 0, retryAfter: undefined };
    }
    this.answerRest(res, entry, this.applyFault(fault, outcome), delay, fault?.kind === 'drop');
  }

  private authRest(
    reader: ParamReader,
    entry: RequestLogEntry,
    apiKey: string | undefined,
    payload: string,
  ): void {
    const key = this.keys.resolve(apiKey);
    const signature = reader.required('signature');
    const timestamp = reader.required('timestamp');
    const recvWindow = reader.optional('recvWindow');
    entry.signatureOk = signatureValid(key, payload, signature);
    if (!entry.signatureOk) throw errors.badSignature();
    checkTimestamp(timestamp, recvWindow, this.nowFn());
  }

  /** The outcome after an executing fault: a 5xx or -1007 in place of the real answer. */
  private applyFault(fault: RequestFault | undefined, outcome: Outcome): Outcome {
    if (fault === undefined || fault.kind === 'drop') return outcome;
    if (fault.kind === 'server_error')
      return { status: fault.status, body: fault.body, orders: 0, retryAfter: undefined };
    const e = errors.timeout();
    return {
      status: fault.status,
      body: new BinanceError(fault.status, e.code, e.msg),
      orders: 0,
      retryAfter: undefined,
    };
  }

  private answerRest(
    res: ServerResponse,
    entry: RequestLogEntry,
    outcome: Outcome,
    delay: number,
    drop = false,
  ): void {
    const now = this.nowFn();
    const body =
      outcome.body instanceof BinanceError
        ? outcome.status === 429 || outcome.status === 418
          ? { code: outcome.body.code, msg: outcome.body.msg }
          : outcome.body.body()
        : outcome.body;
    entry.status = drop ? 0 : outcome.status;
    entry.code = outcome.body instanceof BinanceError ? outcome.body.code : (body as { code?: number })?.code;
    const headers: Record<string, string> = {
      'Content-Type': JSON_TYPE,
      'X-MBX-USED-WEIGHT-1M': String(this.limiter.usedWeight(now)),
    };
    if (outcome.orders > 0) {
      headers['X-MBX-ORDER-COUNT-10S'] = String(this.limiter.orderCount10s(now));
      headers['X-MBX-ORDER-COUNT-1D'] = String(this.limiter.orderCountDay(now));
    }
    if (outcome.retryAfter !== undefined) headers['Retry-After'] = String(outcome.retryAfter);
    const send = () => {
      if (drop) {
        res.socket?.destroy();
        return;
      }
      if (res.destroyed) return;
      res.writeHead(outcome.status, headers);
      res.end(JSON.stringify(body));
    };
    this.later(delay, send);
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ---- WebSocket upgrade ----------------------------------------------------------------------

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/ws-api/v3') {
      if (this.faults.userDataPaused) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wssApi.handleUpgrade(req, socket, head, (ws) => this.onApiConnection(ws, url));
      return;
    }
    if (path === '/ws' || path.startsWith('/ws/') || path === '/stream') {
      this.wssStream.handleUpgrade(req, socket, head, (ws) => this.onStreamConnection(ws, url));
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  }

  private disconnect(wsApi: boolean, market: boolean): void {
    if (wsApi) {
      for (const s of this.sessions) s.socket.terminate();
      this.sessions.clear();
    }
    if (market) {
      for (const c of this.streams) c.socket.terminate();
      this.streams.clear();
    }
  }

  // ---- WebSocket API --------------------------------------------------------------------------

  private onApiConnection(socket: WebSocket, url: URL): void {
    const now = this.nowFn();
    this.limiter.addWeight(now, 2);
    const session: WsSession = {
      socket,
      connectedSince: now,
      key: undefined,
      authorizedSince: undefined,
      subs: new Map(),
      nextSubId: 0,
      returnRateLimits: url.searchParams.get('returnRateLimits') !== 'false',
    };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => this.sessions.delete(session));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.onApiMessage(session, String(data));
      } catch (e) {
        this.internal.push(e instanceof Error ? e : new Error(String(e)));
        this.wsSend(session, {
          id: null,
          status: 500,
          error: { code: -1000, msg: `Internal error: ${String(e)}` },
        });
      }
    });
  }

  private onApiMessage(session: WsSession, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.wsSend(session, { id: null, status: 400, error: errors.invalidJson().body() });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.wsSend(session, { id: null, status: 400, error: errors.invalidJson().body() });
      return;
    }
    const m = msg as { id?: unknown; method?: unknown; params?: unknown };
    const id = m.id ?? null;
    const method = typeof m.method === 'string' ? m.method.replace(/^v3\//, '') : '';
    const rawParams =
      typeof m.params === 'object' && m.params !== null && !Array.isArray(m.params)
        ? (m.params as Record<string, unknown>)
        : {};
    const entry: RequestLogEntry = {
      transport: 'ws',
      method: 'WS',
      path: method,
      endpoint: method,
      time: this.nowFn(),
      apiKey: typeof rawParams.apiKey === 'string' ? rawParams.apiKey : session.key?.apiKey,
      signatureOk: undefined,
      status: 0,
      code: undefined,
      fault: undefined,
    };
    this.log.push(entry);
    const params = new Map<string, string>();
    for (const [k, v] of Object.entries(rawParams)) params.set(k, wsParamText(v));
    const reader = new ParamReader(params);
    let returnRateLimits = session.returnRateLimits;
    if (params.has('returnRateLimits')) {
      returnRateLimits = params.get('returnRateLimits') === 'true';
      reader.markRead('returnRateLimits');
    }
    const info: RequestInfo = { transport: 'ws', endpoint: method, method: 'WS', path: method };
    const fault = this.faults.take(info);
    const delay = this.faults.delayFor(info);
    entry.fault = fault?.kind;
    if (fault?.kind === 'server_error' && !fault.execute) {
      this.answerWs(
        session,
        entry,
        id,
        { status: fault.status, body: fault.body, orders: 0, retryAfter: undefined },
        delay,
        false,
        returnRateLimits,
      );
      return;
    }
    let outcome: Outcome;
    const special = this.sessionMethod(session, method, reader, rawParams, entry);
    if (special !== undefined) outcome = special;
    else {
      const endpoint = ENDPOINTS[method];
      if (endpoint === undefined) {
        outcome = { status: 400, body: errors.unknownMethod(), orders: 0, retryAfter: undefined };
      } else {
        outcome = this.runEndpoint(
          method,
          endpoint,
          reader,
          (r, e) => this.authWs(session, r, e, rawParams),
          entry,
        );
      }
    }
    this.answerWs(
      session,
      entry,
      id,
      this.applyFault(fault, outcome),
      delay,
      fault?.kind === 'drop',
      returnRateLimits,
    );
    if (outcome.status === 418) this.later(delay, () => session.socket.close(1008, 'banned'));
  }

  /** WebSocket API signing: ad hoc apiKey + signature over the sorted params, or the logged-on key. */
  private authWs(
    session: WsSession,
    reader: ParamReader,
    entry: RequestLogEntry,
    rawParams: Record<string, unknown>,
  ): KeyEntry {
    let key: KeyEntry;
    if (reader.has('apiKey') || reader.has('signature') || session.key === undefined) {
      key = this.keys.resolve(reader.required('apiKey'));
      const signature = reader.required('signature');
      const timestamp = reader.required('timestamp');
      const recvWindow = reader.optional('recvWindow');
      entry.signatureOk = signatureValid(key, wsPayload(rawParams), signature);
      if (!entry.signatureOk) throw errors.badSignature();
      checkTimestamp(timestamp, recvWindow, this.nowFn());
    } else {
      key = session.key;
      const timestamp = reader.required('timestamp');
      checkTimestamp(timestamp, reader.optional('recvWindow'), this.nowFn());
    }
    entry.apiKey = key.apiKey;
    return key;
  }

  private sessionResult(session: WsSession): Record<string, unknown> {
    return {
      apiKey: session.key?.apiKey ?? null,
      authorizedSince: session.authorizedSince ?? null,
      connectedSince: session.connectedSince,
      returnRateLimits: session.returnRateLimits,
      serverTime: this.nowFn(),
      userDataStream: session.subs.size > 0,
    };
  }

  /** session.* and userDataStream.* methods, which act on the connection; undefined for others. */
  private sessionMethod(
    session: WsSession,
    method: string,
    reader: ParamReader,
    rawParams: Record<string, unknown>,
    entry: RequestLogEntry,
  ): Outcome | undefined {
    const known = [
      'session.logon',
      'session.status',
      'session.logout',
      'userDataStream.subscribe',
      'userDataStream.subscribe.signature',
      'userDataStream.unsubscribe',
    ];
    if (!known.includes(method)) return undefined;
    const endpoint: Endpoint = {
      security: 'NONE',
      weight: () => 2,
      orders: () => 0,
      handle: () => {
        switch (method) {
          case 'session.logon': {
            const key = this.keys.resolve(reader.required('apiKey'));
            const signature = reader.required('signature');
            const timestamp = reader.required('timestamp');
            const recvWindow = reader.optional('recvWindow');
            reader.finish();
            if (key.ed25519 === undefined) throw errors.rejectedApiKey();
            entry.signatureOk = signatureValid(
              { ...key, hmacSecret: undefined },
              wsPayload(rawParams),
              signature,
            );
            if (!entry.signatureOk) throw errors.badSignature();
            checkTimestamp(timestamp, recvWindow, this.nowFn());
            session.key = key;
            session.authorizedSince = this.nowFn();
            entry.apiKey = key.apiKey;
            return this.sessionResult(session);
          }
          case 'session.status':
            reader.finish();
            return this.sessionResult(session);
          case 'session.logout':
            reader.finish();
            session.key = undefined;
            session.authorizedSince = undefined;
            return this.sessionResult(session);
          case 'userDataStream.subscribe': {
            reader.finish();
            if (session.key === undefined) throw errors.rejectedApiKey();
            for (const viaLogon of session.subs.values()) if (viaLogon) throw errors.subscriptionActive();
            const id = session.nextSubId++;
            session.subs.set(id, true);
            return { subscriptionId: id };
          }
          case 'userDataStream.subscribe.signature': {
            this.authWs({ ...session, key: undefined }, reader, entry, rawParams);
            reader.finish();
            const id = session.nextSubId++;
            session.subs.set(id, false);
            return { subscriptionId: id };
          }
          default: {
            const which = reader.int('subscriptionId');
            reader.finish();
            if (session.subs.size === 0 || (which !== undefined && !session.subs.has(which)))
              throw errors.subscriptionInactive();
            const ids = which === undefined ? [...session.subs.keys()] : [which];
            const now = this.nowFn();
            for (const sid of ids) {
              session.subs.delete(sid);
              this.wsSend(session, { subscriptionId: sid, event: { e: 'eventStreamTerminated', E: now } });
            }
            return {};
          }
        }
      },
    };
    return this.runEndpoint(method, endpoint, reader, () => {}, entry);
  }

  private answerWs(
    session: WsSession,
    entry: RequestLogEntry,
    id: unknown,
    outcome: Outcome,
    delay: number,
    drop: boolean,
    withRateLimits: boolean,
  ): void {
    const now = this.nowFn();
    const err = outcome.body instanceof BinanceError ? outcome.body : undefined;
    entry.status = drop ? 0 : outcome.status;
    entry.code = err?.code ?? (outcome.body as { code?: number } | undefined)?.code;
    const frame: Record<string, unknown> = { id, status: outcome.status };
    if (outcome.status === 200) frame.result = outcome.body;
    else frame.error = err !== undefined ? err.body() : outcome.body;
    if (withRateLimits) frame.rateLimits = this.limiter.entries(now, outcome.orders > 0);
    this.later(delay, () => {
      if (drop) {
        session.socket.terminate();
        this.sessions.delete(session);
        return;
      }
      this.wsSend(session, frame);
    });
  }

  private wsSend(session: WsSession, frame: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(frame));
  }

  // ---- user data delivery ---------------------------------------------------------------------

  private deliver(event: Record<string, unknown>): void {
    this.events.push(event);
    if (this.faults.userDataPaused) {
      this.dropped.push(event);
      return;
    }
    const f = this.faults;
    if (f.reorder === 'armed') {
      f.held = event;
      f.reorder = 'holding';
      return;
    }
    const twice = f.takeDuplicate();
    this.send(event);
    if (twice) this.send(event);
    if (f.reorder === 'holding') {
      const held = f.held!;
      f.held = undefined;
      f.reorder = 'off';
      this.send(held);
    }
  }

  private send(event: Record<string, unknown>): void {
    for (const s of this.sessions)
      for (const subscriptionId of s.subs.keys()) {
        this.wsSend(s, { subscriptionId, event });
        this.sent++;
      }
  }

  // ---- market streams -------------------------------------------------------------------------

  private onStreamConnection(socket: WebSocket, url: URL): void {
    const path = url.pathname;
    const combined = path === '/stream';
    const streams = new Set<string>();
    const names = combined
      ? (url.searchParams.get('streams') ?? '').split('/')
      : path.startsWith('/ws/')
        ? path.slice(4).split('/')
        : [];
    for (const s of names) if (s !== '') streams.add(s);
    const conn: StreamConn = { socket, streams, combined };
    this.streams.add(conn);
    socket.on('close', () => this.streams.delete(conn));
    socket.on('error', () => this.streams.delete(conn));
    socket.on('message', (data) => {
      let m: { method?: unknown; params?: unknown; id?: unknown };
      try {
        m = JSON.parse(String(data));
      } catch {
        socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
        return;
      }
      const list = Array.isArray(m.params) ? m.params.filter((x): x is string => typeof x === 'string') : [];
      const id = m.id ?? null;
      if (m.method === 'SUBSCRIBE') {
        for (const s of list) streams.add(s);
        socket.send(JSON.stringify({ result: null, id }));
      } else if (m.method === 'UNSUBSCRIBE') {
        for (const s of list) streams.delete(s);
        socket.send(JSON.stringify({ result: null, id }));
      } else if (m.method === 'LIST_SUBSCRIPTIONS') {
        socket.send(JSON.stringify({ result: [...streams], id }));
      } else {
        socket.send(JSON.stringify({ error: { code: 1, msg: 'Invalid request' }, id }));
      }
    });
  }

  private publish(ev: PublicEvent): void {
    const now = this.nowFn();
    const sym = ev.symbol.toLowerCase();
    let stream: string;
    let data: Record<string, unknown>;
    if (ev.kind === 'trade') {
      stream = `${sym}@trade`;
      data = {
        e: 'trade',
        E: now,
        s: ev.symbol,
        t: ev.tradeId,
        p: ev.price,
        q: ev.qty,
        T: ev.time,
        m: ev.buyerMaker,
        M: true,
      };
    } else {
      stream = `${sym}@bookTicker`;
      data = { u: ev.updateId, s: ev.symbol, b: ev.bid, B: ev.bidQty, a: ev.ask, A: ev.askQty };
    }
    for (const c of this.streams) {
      if (!c.streams.has(stream) || c.socket.readyState !== c.socket.OPEN) continue;
      c.socket.send(JSON.stringify(c.combined ? { stream, data } : data));
    }
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

function units(scale: number, text: string): number {
  const v = parseUnits(text, scale);
  if (v === undefined) throw new Error(`${text} does not fit ${scale} decimals`);
  return Number(v);
}
