// FakeAlpaca: a local server speaking Alpaca's Trading API v2, its trade_updates stream and its
// market data stream, for testing Ordo's Alpaca adapter offline and for `ordo sandbox alpaca`.
//
// - REST (`http://host:port/v2/...`): APCA-API-KEY-ID / APCA-API-SECRET-KEY on every request,
//   JSON bodies, Alpaca's statuses and error bodies, X-RateLimit-* headers and 429 over the limit.
// - trade_updates (`ws://host:port/stream`): auth, listen, events in binary frames.
// - Market data (`ws://host:port/v2/iex` for stocks, `/v1beta3/crypto/us` for crypto): trades,
//   quotes and minute bars fed by feedQuote / feedTrade / feed.
// - Matching by Ordo's PaperMatcher (exact integer units); fault hooks (`faults`) and an inspection
//   API (orders, requests, events, rate-limit hits).
//
// The server binds 127.0.0.1 by default and is written independently of Ordo's Alpaca client.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseUnits } from '../../../core/decimal.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { MarketData } from '../../../model/market.ts';
import { startFakeServer, stopFakeServer } from '../../fake-http.ts';
import {
  type AssetSpec,
  AssetTable,
  buildAsset,
  type Commission,
  DEFAULT_ASSETS,
  type FakeAssetInput,
} from './fake-assets.ts';
import { type FakeApiKey, KeyRing } from './fake-auth.ts';
import { BarBuilder, type MinuteBar } from './fake-bars.ts';
import { FakeBroker } from './fake-broker.ts';
import { AlpacaError, errors, serverErrorBody } from './fake-errors.ts';
import { FakeFaults, type RequestInfo } from './fake-faults.ts';
import { dec, UuidSource } from './fake-format.ts';
import { type Feed, feedOfPath, MarketStream } from './fake-market-stream.ts';
import type { FakeOrder } from './fake-order.ts';
import { RateLimiter, type RateLimitHit, type RateLimitOptions } from './fake-rate-limit.ts';
import { accountJson, orderJson, positionJson } from './fake-render.ts';
import { matchRoute, type RestAnswer, type RestContext } from './fake-rest.ts';
import { TradeStream } from './fake-trade-stream.ts';

export interface FakeAlpacaOptions {
  /** Key pairs the fake accepts on REST and both streams. */
  readonly apiKeys?: readonly FakeApiKey[];
  /** Currency or asset → decimal string; default `{ USD: '100000' }`. `{ AAPL: '10' }` is a position. */
  readonly balances?: Readonly<Record<string, string>>;
  /** Default BTC/USD, ETH/USD, AAPL and SPY (fake-assets.ts DEFAULT_ASSETS). */
  readonly assets?: readonly FakeAssetInput[];
  /** The server clock (timestamps, DAY expiry, rate-limit windows, bars); default Date.now. */
  readonly now?: () => number;
  /** Default 200 requests per minute. */
  readonly rateLimits?: RateLimitOptions;
  /** Crypto commission rates (fractions), taken in USD; default none. Equities trade free. */
  readonly commission?: Commission;
  /** Seed of the generated ids (orders, client order ids, executions); default 1. */
  readonly seed?: number;
  /** Resting limits also fill when a trade only touches their price; default false. */
  readonly touchFills?: boolean;
  /** Also send pending_new / pending_cancel / pending_replace events; default false. */
  readonly pendingEvents?: boolean;
}

export interface FakeAlpacaUrls {
  /** Trading REST base (`${rest}/v2/orders`). */
  readonly rest: string;
  /** The trade_updates WebSocket (`ws://host:port/stream`). */
  readonly ws: string;
  /** Market data stream base: `${marketData}/v2/iex` (stocks), `${marketData}/v1beta3/crypto/us`. */
  readonly marketData: string;
  readonly port: number;
}

export interface RequestLogEntry {
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  /** The route template, e.g. `/v2/orders/{id}`; undefined for an unknown path. */
  route: string | undefined;
  readonly time: number;
  /** The key id sent (never the secret). */
  keyId: string | undefined;
  /** Undefined when credentials were not checked (unknown route). */
  authOk: boolean | undefined;
  /** 0 for a dropped answer. */
  status: number;
  /** Alpaca error code of the answer, if any. */
  code: number | undefined;
  /** The fault applied, if any. */
  fault: string | undefined;
}

interface Outcome {
  readonly status: number;
  /** JSON body; undefined for none. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** A raw (non-JSON) body, for the nginx 5xx pages. */
  readonly raw?: { readonly contentType: string; readonly text: string };
}

const JSON_TYPE = 'application/json; charset=UTF-8';

export class FakeAlpaca {
  readonly assets: AssetTable;
  readonly broker: FakeBroker;
  readonly faults: FakeFaults;
  readonly limiter: RateLimiter;
  private readonly keys: KeyRing;
  private readonly nowFn: () => number;
  private readonly trading: TradeStream;
  private readonly market: MarketStream;
  private readonly bars = new BarBuilder();
  private readonly ctx: RestContext;
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: RequestLogEntry[] = [];
  private readonly internal: Error[] = [];
  private urlsValue: FakeAlpacaUrls | undefined;

  constructor(options: FakeAlpacaOptions = {}) {
    this.nowFn = options.now ?? Date.now;
    const commission = options.commission ?? { maker: '0', taker: '0' };
    this.assets = new AssetTable((options.assets ?? DEFAULT_ASSETS).map((a) => buildAsset(a, commission)));
    this.keys = new KeyRing(options.apiKeys ?? []);
    this.limiter = new RateLimiter(options.rateLimits);
    this.faults = new FakeFaults({
      disconnect: (w) => {
        if (w.trading) this.trading.disconnectAll();
        if (w.marketData) this.market.disconnectAll();
      },
      rateLimitNext: (n) => this.limiter.forceNext(n),
      clearRateLimit: () => this.limiter.clearForced(),
      flushHeld: () => this.trading.flushHeld(),
    });
    const onError = (e: unknown) => this.internal.push(e instanceof Error ? e : new Error(String(e)));
    this.trading = new TradeStream(this.keys, this.faults, onError);
    this.market = new MarketStream(this.keys, onError);
    this.broker = new FakeBroker({
      assets: this.assets,
      balances: options.balances ?? { USD: '100000' },
      now: () => this.nowFn(),
      ids: new UuidSource(options.seed ?? 1),
      touchFills: options.touchFills ?? false,
      pendingEvents: options.pendingEvents ?? false,
      onEvent: (frame) => this.trading.deliver(frame),
    });
    this.ctx = { broker: this.broker, assets: this.assets, now: () => this.nowFn() };
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  async start(options: { port?: number; host?: string } = {}): Promise<FakeAlpacaUrls> {
    if (this.server !== undefined) throw new Error('FakeAlpaca already started');
    const { server, port, authority } = await startFakeServer({
      port: options.port,
      host: options.host,
      handle: (req, res) => this.onHttp(req, res),
      upgrade: (req, socket, head) => this.onUpgrade(req, socket, head),
      onError: (e) => this.internal.push(e),
      internalError: () => {
        const b = serverErrorBody(500);
        return { contentType: b.contentType, text: b.text };
      },
    });
    this.server = server;
    this.urlsValue = {
      rest: `http://${authority}`,
      ws: `ws://${authority}/stream`,
      marketData: `ws://${authority}`,
      port,
    };
    return this.urlsValue;
  }

  get urls(): FakeAlpacaUrls {
    if (this.urlsValue === undefined) throw new Error('FakeAlpaca not started');
    return this.urlsValue;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.trading.close();
    this.market.close();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await stopFakeServer(server);
  }

  addApiKey(key: FakeApiKey): void {
    this.keys.add(key);
  }

  now(): number {
    return this.nowFn();
  }

  // ---- market ---------------------------------------------------------------------------------

  asset(symbol: string): AssetSpec {
    const a = this.assets.find(symbol);
    if (a === undefined) throw new Error(`unknown symbol ${symbol}`);
    return a;
  }

  /** The Ordo instrument a symbol trades as (the units of `feed`). */
  instrument(symbol: string): Instrument {
    return this.asset(symbol).instrument;
  }

  /** Applies market data (instrument key `alpaca:BTC/USD`, or the Alpaca symbol) and publishes it. */
  feed(md: MarketData): void {
    const now = this.nowFn();
    for (const b of this.bars.closeBefore(now)) this.market.bar(b);
    const prints = this.broker.feed(md);
    if (md.kind === 'bar') {
      const a = prints[0]?.asset;
      if (a !== undefined) this.market.bar(barOf(a, md, now));
      return;
    }
    for (const p of prints) {
      if (p.kind === 'quote') this.market.quote(p.asset, p.bid, p.bidSize, p.ask, p.askSize, now);
      else {
        this.market.trade(p.asset, p.price, p.size, p.id, now);
        for (const b of this.bars.add(p.asset, p.price, p.size, now)) this.market.bar(b);
      }
    }
  }

  /** A quote from decimal strings, e.g. `feedQuote('BTC/USD', '60000', '1', '60001', '0.5')`. */
  feedQuote(symbol: string, bid: string, bidQty: string, ask: string, askQty: string): void {
    const inst = this.instrument(symbol);
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

  /** A trade from decimal strings; it fills resting limits it crosses and triggers stops it meets. */
  feedTrade(symbol: string, price: string, qty: string): void {
    const inst = this.instrument(symbol);
    this.feed({
      kind: 'trade',
      instrument: inst.key,
      ts: this.nowFn(),
      price: units(inst.priceScale, price, 'price'),
      size: units(inst.qtyScale, qty, 'qty'),
      aggressor: undefined,
      tradeId: undefined,
    });
  }

  /** Publishes the minute bars of minutes the clock has left (feeds do this on their own). */
  flushBars(): void {
    for (const b of this.bars.closeBefore(this.nowFn())) this.market.bar(b);
  }

  // ---- inspection -----------------------------------------------------------------------------

  /** Every order ever placed (legs and replaced orders included), in placement order. */
  orderRecords(): readonly FakeOrder[] {
    return this.broker.orders;
  }

  /** Every order as GET /v2/orders/{id} shows it. */
  orders(): Record<string, unknown>[] {
    this.broker.sync();
    return this.broker.orders.map((o) => orderJson(o, false));
  }

  account(): Record<string, unknown> {
    return accountJson(this.broker.account());
  }

  positions(): Record<string, unknown>[] {
    this.broker.sync();
    return this.broker.positionViews().map(positionJson);
  }

  /** Ledger balances (decimal strings): total, and free after order locks and reservations. */
  balances(): Record<string, { total: string; available: string }> {
    return this.broker.balances();
  }

  /** Every REST request received, in arrival order (no secrets in it). */
  requests(): readonly RequestLogEntry[] {
    return this.log;
  }

  /** Every trade_updates message produced (before faults). */
  tradeEvents(): readonly Record<string, unknown>[] {
    return this.trading.events;
  }

  /** trade_updates messages lost while user data was paused. */
  droppedEvents(): readonly Record<string, unknown>[] {
    return this.trading.dropped;
  }

  /** trade_updates frames sent to listeners (duplicates included). */
  sentEventCount(): number {
    return this.trading.sent;
  }

  rateLimitHits(): readonly RateLimitHit[] {
    return this.limiter.hits;
  }

  /** Unexpected errors inside the fake; a test can assert there were none. */
  internalErrors(): readonly Error[] {
    return this.internal;
  }

  connectionCount(): { trading: number; tradeUpdates: number; marketData: number } {
    const t = this.trading.counts();
    return {
      trading: t.connections,
      tradeUpdates: t.listening,
      marketData: this.market.counts().connections,
    };
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const body = await readBody(req);
    const entry: RequestLogEntry = {
      method,
      path,
      route: undefined,
      time: this.nowFn(),
      keyId: undefined,
      authOk: undefined,
      status: 0,
      code: undefined,
      fault: undefined,
    };
    this.log.push(entry);
    const match = matchRoute(method, path);
    if (match.kind !== 'route') {
      const e = match.kind === 'not_found' ? errors.routeNotFound() : errors.methodNotAllowed();
      this.answer(res, entry, this.errorOutcome(e, {}), 0, false);
      return;
    }
    entry.route = match.route.template;
    const auth = this.keys.checkHeaders(req.headers);
    const sentKey = req.headers['apca-api-key-id'];
    entry.keyId = typeof sentKey === 'string' && sentKey !== '' ? sentKey : undefined;
    entry.authOk = auth.kind === 'ok';
    if (auth.kind !== 'ok') {
      const e = auth.kind === 'missing' ? errors.forbidden() : errors.unauthorized();
      this.answer(res, entry, this.errorOutcome(e, {}), 0, false);
      return;
    }
    const rate = this.limiter.admit(this.nowFn());
    if (!rate.allowed) {
      this.answer(res, entry, this.errorOutcome(errors.rateLimited(), rate.headers), 0, false);
      return;
    }
    const info: RequestInfo = { method, path, route: match.route.template };
    const fault = this.faults.take(info);
    const delay = this.faults.delayFor(info);
    entry.fault = fault?.kind;
    if (fault?.kind === 'server_error' && !fault.execute) {
      this.answer(res, entry, faultOutcome(fault.status, rate.headers), delay, false);
      return;
    }
    let outcome: Outcome;
    try {
      const answer: RestAnswer = match.route.handle(this.ctx, {
        query: url.searchParams,
        body,
        params: match.params,
      });
      outcome = { status: answer.status, body: answer.body, headers: rate.headers };
    } catch (e) {
      if (!(e instanceof AlpacaError)) {
        this.internal.push(e instanceof Error ? e : new Error(String(e)));
        outcome = faultOutcome(500, rate.headers);
      } else outcome = this.errorOutcome(e, rate.headers);
    }
    if (fault?.kind === 'server_error') outcome = faultOutcome(fault.status, rate.headers);
    this.answer(res, entry, outcome, delay, fault?.kind === 'drop');
  }

  private errorOutcome(e: AlpacaError, headers: Readonly<Record<string, string>>): Outcome {
    return { status: e.status, body: e.body(), headers };
  }

  private answer(
    res: ServerResponse,
    entry: RequestLogEntry,
    outcome: Outcome,
    delay: number,
    drop: boolean,
  ): void {
    entry.status = drop ? 0 : outcome.status;
    const code = (outcome.body as { code?: unknown } | undefined)?.code;
    entry.code = typeof code === 'number' ? code : undefined;
    const send = () => {
      if (drop) {
        res.socket?.destroy();
        return;
      }
      if (res.destroyed) return;
      if (outcome.raw !== undefined) {
        res.writeHead(outcome.status, { ...outcome.headers, 'Content-Type': outcome.raw.contentType });
        res.end(outcome.raw.text);
        return;
      }
      res.writeHead(outcome.status, { ...outcome.headers, 'Content-Type': JSON_TYPE });
      res.end(outcome.body === undefined ? undefined : JSON.stringify(outcome.body));
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
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/stream') {
      this.trading.upgrade(req, socket, head);
      return;
    }
    const feed: Feed | undefined = feedOfPath(path);
    if (feed !== undefined) {
      this.market.upgrade(req, socket, head, feed);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }
}

function faultOutcome(status: number, headers: Readonly<Record<string, string>>): Outcome {
  const raw = serverErrorBody(status);
  const code = raw.contentType.startsWith('application/json') ? 50010000 : undefined;
  return { status, body: code === undefined ? undefined : { code }, headers, raw };
}

/** A bar fed as market data, as the stream publishes it (stamped with its start). */
function barOf(asset: AssetSpec, md: Extract<MarketData, { kind: 'bar' }>, now: number): MinuteBar {
  const inst = asset.instrument;
  const p = (u: number) => dec(u, inst.priceScale);
  const start = md.durationMs > 0 ? md.ts - md.durationMs : now;
  return {
    asset,
    start,
    open: p(md.open),
    high: p(md.high),
    low: p(md.low),
    close: p(md.close),
    volume: dec(md.volume, inst.qtyScale),
    trades: 4,
    vwap: p(md.close),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function units(scale: number, text: string, field: string): number {
  const v = parseUnits(text, scale);
  if (v === undefined) throw new Error(`${field} ${text} does not fit ${scale} decimals`);
  return Number(v);
}
