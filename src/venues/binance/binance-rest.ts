// The Binance Spot REST client: signs requests (signing.ts), keeps the local clock in step with
// the server's (so -1021 does not happen in normal operation), never sends while a rate limit or a
// Retry-After says wait (rate-limits.ts), and turns every failure into a classified VenueError:
// rejected (nothing happened), retryable (nothing happened, send again later) or unknown (it may
// have happened: look before sending again). Credentials never reach a message or a log.

import type { z } from 'zod';
import { VenueError } from '../venue-adapter.ts';
import { classifyError, type ErrorBody, errorBodySchema, serverTimeSchema } from './parsers.ts';
import { RateLimitTracker } from './rate-limits.ts';
import type { BinanceRequest } from './requests.ts';
import { type Credentials, encodeParams, signRequest } from './signing.ts';

export interface BinanceRestOptions {
  readonly baseUrl: string;
  readonly credentials: Credentials | undefined;
  /** Local clock. Default Date.now. */
  readonly clock?: () => number;
  readonly recvWindowMs?: number;
  /** A request without an answer after this long is an unknown outcome. Default 10 s. */
  readonly timeoutMs?: number;
  readonly limiter?: RateLimitTracker;
  /** Waits (for rate limits). Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Binance codes Ordo names, so callers branch on a word rather than a number. */
const CODE_NAMES: Readonly<Record<number, string>> = {
  [-1013]: 'filter_failure',
  [-1111]: 'bad_precision',
  [-1121]: 'unknown_symbol',
  [-2010]: 'order_refused',
  [-2011]: 'unknown_order',
  [-2013]: 'unknown_order',
  [-1021]: 'timestamp_outside_recv_window',
  [-1022]: 'bad_signature',
  [-2014]: 'bad_api_key',
  [-2015]: 'bad_api_key',
};

export class BinanceRest {
  readonly limiter: RateLimitTracker;
  /** Server time minus local time, from the last sync. */
  offsetMs = 0;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BinanceRestOptions) {
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.limiter = options.limiter ?? new RateLimitTracker();
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The venue's time now, by the last sync. */
  serverNow(): number {
    return this.clock() + this.offsetMs;
  }

  /** Measures the clock offset: server time against the middle of the round trip. */
  async syncTime(): Promise<void> {
    const t0 = this.clock();
    const body = await this.call(
      { method: 'GET', path: '/api/v3/time', params: [], signed: false, weight: 1, orders: 0 },
      serverTimeSchema,
    );
    const t1 = this.clock();
    this.offsetMs = Number(body.serverTime) - Math.round((t0 + t1) / 2);
  }

  /**
   * Sends one request and parses its answer with `schema`. Waits first while the limiter says so.
   * A -1021 resyncs the clock and is retried once at once.
   */
  async call<S extends z.ZodType>(req: BinanceRequest, schema: S): Promise<z.infer<S>> {
    try {
      return await this.callOnce(req, schema);
    } catch (e) {
      if (!(e instanceof VenueError) || e.code !== 'timestamp_outside_recv_window') throw e;
      await this.syncTime();
      return this.callOnce(req, schema);
    }
  }

  private async callOnce<S extends z.ZodType>(req: BinanceRequest, schema: S): Promise<z.infer<S>> {
    const cost = { weight: req.weight, orders: req.orders };
    for (;;) {
      const permit = this.limiter.check(this.clock(), cost);
      if (permit.ok) break;
      if (permit.until === Number.POSITIVE_INFINITY)
        throw new VenueError('rejected', 'too_large', `request weight ${req.weight} exceeds a rate limit`);
      // Nothing is sent inside the wait.
      await this.sleep(Math.max(1, permit.until - this.clock()));
    }
    const { url, init } = this.build(req);
    this.limiter.onSend(this.clock(), cost);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { ...init, signal: abort.signal });
      text = await response.text();
    } catch (e) {
      this.limiter.onNoResponse(this.clock(), cost);
      const timedOut = abort.signal.aborted;
      throw new VenueError(
        'unknown',
        timedOut ? 'timeout' : 'network',
        `${req.method} ${req.path}: ${timedOut ? `no answer in ${this.timeoutMs} ms` : (e as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
    this.limiter.onResponse(this.clock(), cost, response);
    let json: unknown;
    try {
      json = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new VenueError('unknown', 'bad_response', `${req.method} ${req.path}: unexpected answer`);
      return parsed.data;
    }
    throw this.failure(req, response, json);
  }

  private failure(req: BinanceRequest, response: Response, json: unknown): VenueError {
    const body = errorBodySchema.safeParse(json);
    const eb: ErrorBody | undefined = body.success ? body.data : undefined;
    const cls = classifyError(response.status, eb);
    const what = `${req.method} ${req.path}: ${eb === undefined ? `HTTP ${response.status}` : `${eb.code} ${eb.msg}`}`;
    const venueCode = eb?.code ?? response.status;
    const code =
      eb === undefined ? `http_${response.status}` : (CODE_NAMES[eb.code] ?? `binance_${-eb.code}`);
    switch (cls) {
      case 'rate_limited':
      case 'banned': {
        const wait = Math.max(0, this.limiter.blockedUntil - this.clock());
        return new VenueError('retryable', cls, what, venueCode, wait);
      }
      case 'unknown':
        return new VenueError('unknown', code, what, venueCode);
      case 'timestamp':
        return new VenueError('rejected', 'timestamp_outside_recv_window', what, venueCode);
      case 'not_found':
        return new VenueError('rejected', 'unknown_order', what, venueCode);
      default:
        if (eb?.code === -2010 && eb.msg === 'Duplicate order sent.')
          return new VenueError('rejected', 'duplicate_client_order_id', what, venueCode);
        return new VenueError('rejected', code, what, venueCode);
    }
  }

  private build(req: BinanceRequest): { url: string; init: RequestInit } {
    const base = this.options.baseUrl.replace(/\/$/, '');
    if (!req.signed) {
      const q = encodeParams(req.params);
      return { url: `${base}${req.path}${q.length > 0 ? `?${q}` : ''}`, init: { method: req.method } };
    }
    const creds = this.options.credentials;
    if (creds === undefined)
      throw new VenueError('rejected', 'no_credentials', `${req.path} needs an API key; none is configured`);
    const signed = signRequest(creds, req.method, req.params, {
      timestampMs: this.serverNow(),
      recvWindowMs: this.options.recvWindowMs,
    });
    if (!signed.ok) throw new VenueError('rejected', 'invalid_field', signed.error.message);
    const s = signed.value;
    return {
      url: `${base}${req.path}${s.query.length > 0 ? `?${s.query}` : ''}`,
      init: {
        method: req.method,
        headers: s.headers,
        body: s.body.length > 0 ? s.body : undefined,
      },
    };
  }
}
