import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRetryAfter, RateLimiter } from './rate-limits.ts';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

test('paces private requests at 30 per second and public ones at 10', () => {
  const l = new RateLimiter();
  const t = 1_000_000;
  for (let i = 0; i < 30; i++) {
    assert.ok(l.check(t, 'private').ok);
    l.onSend(t, 'private');
  }
  const wait = l.check(t, 'private');
  assert.ok(!wait.ok && wait.until > t && wait.until <= t + 34);
  assert.ok(l.check(t + 34, 'private').ok, 'a token is back after 1/30 s');
  for (let i = 0; i < 10; i++) l.onSend(t, 'public');
  assert.ok(!l.check(t, 'public').ok);
});

test('a 429 blocks everything until its Retry-After (1 s when it names none)', () => {
  const l = new RateLimiter();
  l.onResponse(5_000, 429, headers({ 'retry-after': '3' }));
  assert.deepEqual(l.check(7_999, 'public'), { ok: false, until: 8_000 });
  assert.ok(l.check(8_000, 'private').ok);
  l.onResponse(10_000, 429, headers({}));
  assert.equal(l.blockedUntil, 11_000);
  l.onResponse(20_000, 200, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }));
  assert.equal(l.blockedUntil, 22_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000), 6_000);
  assert.equal(parseRetryAfter('soon', 0), undefined);
});
