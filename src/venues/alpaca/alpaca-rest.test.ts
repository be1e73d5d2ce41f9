// Tests of the REST client against a scripted local server (127.0.0.1, port 0): the key headers,
// 204 and 207 answers, the classification of failures, the rate limit, and that no message
// carries the secret.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { unwrap } from '../../core/errors.ts';
import { VenueError } from '../venue-adapter.ts';
import { AlpacaRest } from './alpaca-rest.ts';
import { AlpacaCredentials } from './auth.ts';
import { orderSchema } from './parsers.ts';
import { AlpacaRateLimiter } from './rate-limits.ts';
import { accountRequest, cancelAllRequest, cancelOrderRequest, orderByClientIdRequest } from './requests.ts';
import { example } from './test-fixtures.ts';

const KEY = 'PKRESTTEST0000000001';
const SECRET = 'rest-secret-that-must-never-be-shown';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('the Alpaca REST client', () => {
  let server: Server;
  let base: string;
  let handler: Handler = (_q, res) => res.end();
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += String(c);
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const creds = unwrap(AlpacaCredentials.from({ keyId: KEY, secretKey: SECRET }));
  const client = (o: Partial<ConstructorParameters<typeof AlpacaRest>[0]> = {}) =>
    new AlpacaRest({ baseUrl: base, credentials: creds, timeoutMs: 300, ...o });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => {
    return (_q, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
  };
  const failure = async (p: Promise<unknown>): Promise<VenueError> => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof VenueError);
      assert.ok(!e.message.includes(SECRET));
      return e;
    }
    throw new Error('expected a failure');
  };

  it('sends the key headers and parses the answer', async () => {
    handler = json(200, example('order_equity_notional_market_accepted.json'));
    const o = await client().call(orderByClientIdRequest('ordo-1'), orderSchema);
    assert.equal(o.symbol, 'AAPL');
    const r = seen.at(-1)!;
    assert.equal(r.url, '/v2/orders:by_client_order_id?client_order_id=ordo-1');
    assert.equal(r.headers['apca-api-key-id'], KEY);
    assert.equal(r.headers['apca-api-secret-key'], SECRET);
  });

  it('a 204 cancel and a 207 cancel-all are successes', async () => {
    handler = (_q, res) => {
      res.writeHead(204);
      res.end();
    };
    const a = await client().send(cancelOrderRequest('x'), z.unknown());
    assert.equal(a.status, 204);
    handler = json(207, [example('cancel_all_orders_207_item.json'), { id: 'y', status: 500 }]);
    const b = await client().send(
      cancelAllRequest(),
      z.array(z.object({ id: z.string(), status: z.number() })),
    );
    assert.equal(b.status, 207);
    assert.equal(b.body.length, 2);
  });

  it('classifies refusals, server errors, timeouts and dropped connections', async () => {
    handler = json(404, { code: 40410000, message: 'order is not found.' });
    let e = await failure(client().call(orderByClientIdRequest('x'), orderSchema));
    assert.equal(e.kind, 'rejected');
    assert.equal(e.code, 'unknown_order');
    assert.equal(e.venueCode, 40410000);
    handler = (_q, res) => {
      res.writeHead(504, { 'Content-Type': 'text/html' });
      res.end('<html>504 Gateway Time-out</html>');
    };
    e = await failure(client().call(accountRequest(), z.unknown()));
    assert.equal(e.kind, 'unknown');
    assert.equal(e.code, 'http_504');
    handler = () => {}; // never answers
    e = await failure(client().call(accountRequest(), z.unknown()));
    assert.equal(e.kind, 'unknown');
    assert.equal(e.code, 'timeout');
    handler = (req) => req.socket.destroy();
    e = await failure(client().call(accountRequest(), z.unknown()));
    assert.equal(e.kind, 'unknown');
    assert.equal(e.code, 'network');
    handler = json(200, { not: 'an order' });
    e = await failure(client().call(accountRequest(), orderSchema));
    assert.equal(e.code, 'bad_response');
  });

  it('a 429 is retryable after the reset, and nothing is sent before it', async () => {
    let now = 1_700_000_000_000;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    const rest = client({
      clock: () => now,
      sleep,
      limiter: new AlpacaRateLimiter({ requestsPerMinute: 200 }),
      readRetries: 0,
    });
    const reset = Math.ceil((now + 20_000) / 1000);
    handler = json(
      429,
      { code: 42910000, message: 'rate limit exceeded' },
      { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) },
    );
    const e = await failure(rest.call(accountRequest(), z.unknown()));
    assert.equal(e.kind, 'retryable');
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.retryAfterMs, reset * 1000 - now);
    const before = seen.length;
    handler = json(200, {});
    await rest.call(accountRequest(), z.unknown());
    assert.deepEqual(waits, [reset * 1000 - 1_700_000_000_000]);
    assert.equal(seen.length, before + 1, 'one request, after the wait');
  });

  it('a read refused with 429 is sent again once the wait is over', async () => {
    let now = 1_700_000_000_000;
    const rest = client({
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const reset = Math.ceil((now + 5_000) / 1000);
    let first = true;
    handler = (req, res, body) => {
      if (!first) return json(200, { ok: true })(req, res, body);
      first = false;
      json(429, { code: 42910000, message: 'rate limit exceeded' }, { 'X-RateLimit-Reset': String(reset) })(
        req,
        res,
        body,
      );
    };
    const before = seen.length;
    assert.deepEqual(await rest.call(accountRequest(), z.object({ ok: z.boolean() })), { ok: true });
    assert.equal(seen.length, before + 2);
    assert.ok(now >= reset * 1000, 'the retry waited for the reset');
  });

  it('keeps the secret out of the client and its errors', async () => {
    const text = `${JSON.stringify(creds)} ${String(creds)} ${JSON.stringify(client())}`;
    assert.ok(!text.includes(SECRET));
    handler = json(401, { code: 40110000, message: 'request is not authorized' });
    const e = await failure(client().call(accountRequest(), z.unknown()));
    assert.equal(e.code, 'unauthorized');
    assert.ok(!JSON.stringify(e).includes(SECRET));
  });
});
