// The Alpaca Trading API REST client: adds the key headers (auth.ts), never sends while the rate
// limit or a 429 says wait (rate-limits.ts), and turns every failure into a classified VenueError
// (parsers.ts classifyError): rejected (nothing happened), retryable (nothing happened, send again
// after `retryAfterMs`) or unknown (it may have happened: a timeout, a dropped connection, a 5xx;
// look the order up before sending again). Credentials never reach a message or a log.

import type { z } from 'zod';
import { VenueError } from '../venue-adapter.ts';
import type { AlpacaCredentials } from './auth.ts';
import { classifyError, type ErrorBody, errorBodySchema, errorText } from './parsers.ts';
import { AlpacaRateLimiter } from './rate-limits.ts';
import { type AlpacaRequest, target } from './requests.ts';

export interface AlpacaRestOptions {
  readonly baseUrl: string;
  readonly credentials: AlpacaCredentials;
  /** Local clock. Default Date.now. */
  readonly clock?: () => number;
  /** A request without an answer after this long is an unknown outcome. Default 10 s. */
  readonly timeoutMs?: number;
  readonly limiter?: AlpacaRateLimiter;
  /** Waits (for the rate limit). Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often a read refused with 429 is sent again after its wait. Default 3. */
  readonly readRetries?: number;
}

/** A successful answer: its status (200, 204, 207) and its parsed body. */
export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

export class AlpacaRest {
  readonly limiter: AlpacaRateLimiter;
  private readonly clock: () => number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly readRetries: number;

  constructor(private readonly options: AlpacaRestOptions) {
    this.readRetries = options.readRetries ?? 3;
    this.clock = options.clock ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.limiter = options.limiter ?? new AlpacaRateLimiter();
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Sends one request and parses its answer with `schema`. */
  async call<S extends z.ZodType>(req: AlpacaRequest, schema: S): Promise<z.infer<S>> {
    return (await this.send(req, schema)).body;
  }

  /**
   * Like `call`, with the success status (cancel answers 204, cancel-all 207). A read (GET) refused
   * with 429 is sent again once the wait is over (nothing happened, and reading twice is harmless),
   * up to `readRetries` times; an order request's 429 goes back to the caller, whose retry is
   * deliberate (the venue bridge).
   */
  async send<S extends z.ZodType>(req: AlpacaRequest, schema: S): Promise<Answer<z.infer<S>>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(req, schema);
      } catch (e) {
        const again = req.method === 'GET' && e instanceof VenueError && e.kind === 'retryable';
        if (!again || attempt >= this.readRetries) throw e;
      }
    }
  }

  private async sendOnce<S extends z.ZodType>(req: AlpacaRequest, schema: S): Promise<Answer<z.infer<S>>> {
    for (;;) {
      const wait = this.limiter.waitMs(this.clock());
      if (wait <= 0) break;
      // Nothing is sent inside the wait.
      await this.sleep(wait);
    }
    const what = `${req.method} ${req.path}`;
    const base = this.options.baseUrl.replace(/\/$/, '');
    const headers: Record<string, string> = {
      ...this.options.credentials.headers(),
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    this.limiter.onSend(this.clock());
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${base}${target(req)}`, {
        method: req.method,
        headers,
        body,
        signal: abort.signal,
      });
      text = await response.text();
    } catch (e) {
      const timedOut = abort.signal.aborted;
      throw new VenueError(
        'unknown',
        timedOut ? 'timeout' : 'network',
        `${what}: ${timedOut ? `no answer in ${this.timeoutMs} ms` : describe(e)}`,
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
      if (!parsed.success) throw new VenueError('unknown', 'bad_response', `${what}: unexpected answer`);
      return { status: response.status, body: parsed.data };
    }
    throw this.failure(what, response.status, json);
  }

  private failure(what: string, status: number, json: unknown): VenueError {
    const parsed = errorBodySchema.safeParse(json);
    const eb: ErrorBody | undefined = parsed.success ? parsed.data : undefined;
    const cls = classifyError(status, eb);
    const message = `${what}: ${errorText(status, eb)}`;
    const venueCode = eb?.code ?? status;
    if (cls.kind === 'retryable')
      return new VenueError(
        'retryable',
        cls.code,
        message,
        venueCode,
        Math.max(0, this.limiter.blockedUntil - this.clock()),
      );
    return new VenueError(cls.kind, cls.code, message, venueCode);
  }
}

/** A transport error's message, with its cause (fetch wraps ECONNRESET and the like). */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
}
