// Tests of the rate-limit tracker: weight and order windows from local sends and from Binance's
// headers, window roll-over, 429 / 418 blocks (Retry-After as seconds or date), WS API counts, and
// a property: after a 429, no request is ever permitted before its Retry-After has passed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExchangeInfo } from './exchange-info.ts';
import { limitersFromExchangeInfo, parseRetryAfter, RateLimitTracker } from './rate-limits.ts';
import { exchangeInfoFixture } from './test-fixtures.ts';

const MIN = 60_000;
const T0 = 1_700_000_040_000; // 40 s into a minute, on a 10 s boundary
const W = (weight: number) => ({ weight, orders: 0 });
const ORDER = { weight: 1, orders: 1 };

test('weight: local sends fill the minute window; the next minute frees it', () => {
  const t = new RateLimitTracker();
  assert.deepEqual(t.check(T0, W(20)), { ok: true });
  t.onSend(T0, W(5990));
  const p = t.check(T0 + 1000, W(20));
  assert.deepEqual(p, { ok: false, reason: 'weight', until: Math.floor(T0 / MIN) * MIN + MIN });
  assert.ok(t.check(T0 + 1000, W(10)).ok);
  // The minute rolls over, the request came back: the window is empty again.
  t.onResponse(T0 + 500, W(5990), { status: 200, headers: {} });
  assert.ok(t.check(Math.floor(T0 / MIN) * MIN + MIN, W(6000)).ok);
  assert.deepEqual(t.check(T0, W(6001)), { ok: false, reason: 'too_large', until: Number.POSITIVE_INFINITY });
});

test('headers set the counts (case-insensitive, record or fetch Headers), plus what is in flight', () => {
  const t = new RateLimitTracker();
  t.onSend(T0, W(1));
  t.onSend(T0, W(4)); // still in flight when the first answer comes
  t.onResponse(T0 + 10, W(1), { status: 200, headers: { 'X-MBX-USED-WEIGHT-1M': '5990' } });
  assert.equal(t.usage(T0 + 10)[0]!.used, 5994);
  assert.ok(t.check(T0 + 10, W(6)).ok);
  assert.equal(t.check(T0 + 10, W(7)).ok, false);
  t.onResponse(T0 + 20, W(4), {
    status: 200,
    headers: new Headers({
      'x-mbx-used-weight-1m': '100',
      'x-mbx-order-count-10s': '50',
      'x-mbx-order-count-1d': '7',
    }),
  });
  assert.equal(t.usage(T0 + 20)[0]!.used, 100);
  // 50 orders in this 10 s window: an order must wait for the next one; a query need not.
  assert.deepEqual(t.check(T0 + 20, ORDER), { ok: false, reason: 'orders', until: T0 + 10_000 });
  assert.ok(t.check(T0 + 20, W(5)).ok);
  assert.ok(t.check(T0 + 10_000, ORDER).ok);
});

test('the daily order count blocks orders until the next UTC day', () => {
  const t = new RateLimitTracker();
  t.onResponse(T0, ORDER, { status: 200, headers: { 'x-mbx-order-count-1d': '160000' } });
  const day = 86_400_000;
  assert.deepEqual(t.check(T0 + 1, ORDER), {
    ok: false,
    reason: 'orders',
    until: Math.floor(T0 / day) * day + day,
  });
});

test('a request that never got an answer stays counted', () => {
  const t = new RateLimitTracker();
  t.onSend(T0, W(3000));
  t.onNoResponse(T0 + 5000, W(3000));
  assert.equal(t.usage(T0 + 5000)[0]!.used, 3000);
  assert.equal(t.usage(T0 + 5000)[0]!.inFlight, 0);
});

test('429 with Retry-After blocks everything until it has passed', () => {
  const t = new RateLimitTracker();
  t.onSend(T0, W(1));
  t.onResponse(T0 + 100, W(1), { status: 429, headers: { 'retry-after': '30' } });
  const until = T0 + 100 + 30_000;
  for (const cost of [W(1), W(0), ORDER])
    assert.deepEqual(t.check(T0 + 200, cost), { ok: false, reason: 'retry_after', until });
  assert.equal(t.check(until - 1, W(1)).ok, false);
  assert.ok(t.check(until, W(1)).ok);
  assert.equal(t.blockedUntil, until);
});

test('429 without Retry-After (order count) blocks everything until the minute ends', () => {
  const t = new RateLimitTracker();
  t.onResponse(T0 + 100, ORDER, { status: 429, headers: {} });
  const p = t.check(T0 + 200, W(1));
  assert.deepEqual(p, { ok: false, reason: 'retry_after', until: Math.floor(T0 / MIN) * MIN + MIN });
});

test('418 ban: Retry-After or two minutes; a later shorter 429 does not shorten it', () => {
  const t = new RateLimitTracker();
  t.onResponse(T0, W(1), { status: 418, headers: { 'Retry-After': '600' } });
  t.onResponse(T0 + 1, W(1), { status: 429, headers: { 'Retry-After': '5' } });
  assert.deepEqual(t.check(T0 + 10, W(1)), { ok: false, reason: 'banned', until: T0 + 600_000 });
  const u = new RateLimitTracker();
  u.onResponse(T0, W(1), { status: 418, headers: {} });
  assert.deepEqual(u.check(T0, W(1)), { ok: false, reason: 'banned', until: T0 + 120_000 });
});

test('Retry-After as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:45 GMT', now), 45_000);
  assert.equal(parseRetryAfter(' 12 ', now), 12_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
});

test('limits from exchangeInfo, and counts from a WS API response', () => {
  const info = parseExchangeInfo(exchangeInfoFixture());
  assert.ok(info.ok);
  const specs = limitersFromExchangeInfo(info.value.rateLimits);
  assert.deepEqual(specs, [
    { kind: 'weight', intervalMs: 60_000, limit: 6000 },
    { kind: 'orders', intervalMs: 10_000, limit: 50 },
    { kind: 'orders', intervalMs: 86_400_000, limit: 160_000 },
    { kind: 'raw_requests', intervalMs: 300_000, limit: 61_000 },
  ]);
  const t = new RateLimitTracker({ limiters: specs });
  const ws = JSON.parse(
    readFileSync('/work/shared/venues/examples/binance/wsapi_order_place_success.json', 'utf8'),
  ) as {
    status: number;
    rateLimits: { rateLimitType: string; interval: string; intervalNum: number; count: number }[];
  };
  t.onSend(T0, ORDER);
  t.onWsResponse(T0 + 5, ORDER, ws);
  assert.deepEqual(
    t.usage(T0 + 5).map((u) => u.used),
    [321, 12, 4043, 1],
  );
  // WS API 429: error.data.retryAfter is an epoch-ms time.
  t.onWsResponse(T0 + 6, W(1), { status: 429, retryAfter: T0 + 20_000 });
  assert.deepEqual(t.check(T0 + 7, W(1)), { ok: false, reason: 'retry_after', until: T0 + 20_000 });
});

test('property: nothing is permitted between a 429 and the end of its Retry-After', () => {
  type Step =
    | { kind: 'send'; dt: number; weight: number; orders: number }
    | { kind: 'ok'; dt: number; used: number }
    | { kind: '429'; dt: number; retryAfter: number | undefined }
    | { kind: '418'; dt: number; retryAfter: number | undefined };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('send' as const),
      dt: fc.integer({ min: 0, max: 20_000 }),
      weight: fc.integer({ min: 0, max: 400 }),
      orders: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      kind: fc.constant('ok' as const),
      dt: fc.integer({ min: 0, max: 5000 }),
      used: fc.integer({ min: 0, max: 6000 }),
    }),
    fc.record({
      kind: fc.constant('429' as const),
      dt: fc.integer({ min: 0, max: 5000 }),
      retryAfter: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant('418' as const),
      dt: fc.integer({ min: 0, max: 5000 }),
      retryAfter: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
    }),
  );
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 60 }),
      fc.integer({ min: 0, max: 120_000 }),
      (steps, probeGap) => {
        const t = new RateLimitTracker();
        let now = T0;
        let mustWaitUntil = Number.NEGATIVE_INFINITY;
        for (const s of steps) {
          now += s.dt;
          const cost = s.kind === 'send' ? { weight: s.weight, orders: s.orders } : W(1);
          if (s.kind === 'send') {
            const p = t.check(now, cost);
            if (p.ok) {
              assert.ok(now >= mustWaitUntil, 'permitted inside a Retry-After');
              t.onSend(now, cost);
            } else assert.ok(p.until > now);
          } else if (s.kind === 'ok')
            t.onResponse(now, cost, { status: 200, headers: { 'x-mbx-used-weight-1m': String(s.used) } });
          else {
            const headers = s.retryAfter === undefined ? {} : { 'retry-after': String(s.retryAfter) };
            t.onResponse(now, cost, { status: s.kind === '429' ? 429 : 418, headers });
            const floor = s.retryAfter === undefined ? (s.kind === '429' ? 0 : 120_000) : s.retryAfter * 1000;
            mustWaitUntil = Math.max(mustWaitUntil, now + floor);
          }
        }
        const probe = now + probeGap;
        if (probe < mustWaitUntil) assert.equal(t.check(probe, W(0)).ok, false);
      },
    ),
    { numRuns: 500 },
  );
});
