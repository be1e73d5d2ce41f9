import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlpacaRateLimiter } from './rate-limits.ts';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const T0 = 1_700_000_000_000;

describe('the Alpaca rate limiter', () => {
  it('lets `limit` requests a minute through, then waits for the oldest to leave the window', () => {
    const l = new AlpacaRateLimiter({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(l.check(T0 + i), { ok: true });
      l.onSend(T0 + i);
    }
    assert.deepEqual(l.check(T0 + 10), { ok: false, until: T0 + 60_000 });
    assert.equal(l.waitMs(T0 + 10), 59_990);
    assert.deepEqual(l.check(T0 + 60_000), { ok: true });
  });

  it('after a 429 waits for Retry-After, else X-RateLimit-Reset, else a minute', () => {
    const a = new AlpacaRateLimiter();
    a.onResponse(T0, 429, headers({ 'retry-after': '2' }));
    assert.deepEqual(a.check(T0 + 1_999), { ok: false, until: T0 + 2_000 });
    assert.deepEqual(a.check(T0 + 2_000), { ok: true });
    const b = new AlpacaRateLimiter();
    const reset = Math.ceil((T0 + 30_000) / 1000);
    b.onResponse(T0, 429, headers({ 'x-ratelimit-reset': String(reset), 'x-ratelimit-remaining': '0' }));
    assert.equal(b.blockedUntil, reset * 1000);
    const c = new AlpacaRateLimiter();
    c.onResponse(T0, 429, headers({}));
    assert.equal(c.blockedUntil, T0 + 60_000);
  });

  it('a count of zero left blocks until the reset, before any 429', () => {
    const l = new AlpacaRateLimiter();
    const reset = Math.ceil((T0 + 5_000) / 1000);
    l.onResponse(T0, 200, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }));
    assert.equal(l.check(T0 + 1).ok, false);
    l.onResponse(T0, 200, headers({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(reset) }));
    assert.equal(l.blockedUntil, reset * 1000, 'a later answer does not lift a block');
  });
});
