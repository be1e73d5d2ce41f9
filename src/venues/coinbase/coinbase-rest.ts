// The Coinbase Advanced Trade REST client: a fresh JWT per request (jwt.ts), paced by the rate
// limiter (nothing is sent while a 429's Retry-After runs), and every failure turned into a
// classified VenueError:
//
//   no answer (timeout, connection lost), 5xx, an answer that does not parse  → unknown
//   429                                                                       → retryable, with the wait
//   401 / 403                                                                 → rejected (unauthorized / forbidden)
//   404                                                                       → rejected not_found
//   other 4xx                                                                 → rejected, code from the body
//
// A business refusal comes back as HTTP 200 with `success: false`: that is for the adapter to read
// (parsers.ts refusalOf). Credentials never reach a message or a log.

import type { z } from 'zod';
import { VenueError } from '../venue-adapter.ts';
import { buildJwt, type CoinbaseCredentials, restUri } from './jwt.ts';
import { type ErrorBody, errorBodySchema } from './parsers.ts';
import { RateLimiter } from './rate-limits.ts';
import { type CoinbaseRequest, encodeQuery } from './requests.ts';

export interface CoinbaseRestOptions {
  /** The brokerage base, e.g. `https://api.coinbase.com/api/v3/brokerage`. */
  readonly baseUrl: string;
  readonly credentials: CoinbaseCredentials | undefined;
  /** Local clock. Default Date.now. */
  readonly clock?: () => number;
  /** A request without an answer after this long is an unknown outcome. Default 10 s. */
  readonly timeoutMs?: number;
  readonly limiter?: RateLimiter;
  /** Waits (for rate limits). Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export class CoinbaseRest {
  readonly limiter: RateLimiter;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly base: string;

  constructor(private readonly options: CoinbaseRestOptions) {
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.limiter = options.limiter ?? new RateLimiter();
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.base = options.baseUrl.replace(/\/$/, '');
  }

  /** The full URL of a request. */
  urlOf(req: CoinbaseRequest): string {
    const q = encodeQuery(req.query);
    return `${this.base}${req.path}${q.length > 0 ? `?${q}` : ''}`;
  }

  /** Sends one request and parses its answer with `schema`. Waits first while the limiter says so. */
  async call<S extends z.ZodType>(req: CoinbaseRequest, schema: S): Promise<z.infer<S>> {
    for (;;) {
      const permit = this.limiter.check(this.clock(), req.scope);
      if (permit.ok) break;
      // Nothing is sent inside the wait.
      await this.sleep(Math.max(1, permit.until - this.clock()));
    }
    const url = this.urlOf(req);
    const headers: Record<string, string> = { Accept: 'application/json' };
    const creds = this.options.credentials;
    if (req.scope === 'private') {
      if (creds === undefined)
        throw new VenueError(
          'rejected',
          'no_credentials',
          `${req.path} needs an API key; none is configured`,
        );
      headers.Authorization = `Bearer ${buildJwt(creds, { nowMs: this.clock(), uri: restUri(req.method, url) })}`;
    }
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    this.limiter.onSend(this.clock(), req.scope);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: req.method, headers, body, signal: abort.signal });
      text = await response.text();
    } catch (e) {
      const timedOut = abort.signal.aborted;
      throw new VenueError(
        'unknown',
        timedOut ? 'timeout' : 'network',
        `${req.method} ${req.path}: ${timedOut ? `no answer in ${this.timeoutMs} ms` : (e as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
    this.limiter.onResponse(this.clock(), response.status, response.headers);
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
    throw this.failure(req, response.status, json, text);
  }

  private failure(req: CoinbaseRequest, status: number, json: unknown, text: string): VenueError {
    const parsed = errorBodySchema.safeParse(json);
    const eb: ErrorBody | undefined = parsed.success ? parsed.data : undefined;
    const venueCode = eb?.error ?? eb?.errors?.[0]?.id ?? status;
    const detail =
      eb?.message ?? eb?.error_details ?? eb?.errors?.[0]?.message ?? (text.length < 200 ? text.trim() : '');
    const what = `${req.method} ${req.path}: HTTP ${status}${eb?.error !== undefined ? ` ${eb.error}` : ''}${detail !== '' ? ` ${detail}` : ''}`;
    if (status === 429) {
      const wait = Math.max(0, this.limiter.blockedUntil - this.clock());
      return new VenueError('retryable', 'rate_limited', what, venueCode, wait);
    }
    if (status >= 500) return new VenueError('unknown', `http_${status}`, what, venueCode);
    if (status === 401) return new VenueError('rejected', 'unauthorized', what, venueCode);
    if (status === 403) return new VenueError('rejected', 'forbidden', what, venueCode);
    if (status === 404) return new VenueError('rejected', 'not_found', what, venueCode);
    const code = eb?.error !== undefined && eb.error !== '' ? eb.error.toLowerCase() : `http_${status}`;
    return new VenueError('rejected', code, what, venueCode);
  }
}
