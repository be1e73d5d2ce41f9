// The ring buffer behind ordersPerSecondMax: window edges, wrap-around, resizing, and a property
// that it agrees with counting every timestamp by hand.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RateLimiter } from './rate-limiter.ts';

test('an order at t counts at t + 999 and is forgotten at t + 1000', () => {
  const r = new RateLimiter(1);
  assert.equal(r.isFull(0), false);
  r.record(5_000);
  assert.equal(r.isFull(5_000), true);
  assert.equal(r.isFull(5_999), true);
  assert.equal(r.isFull(6_000), false);
});

test('full means capacity orders inside the window, across wrap-around', () => {
  const r = new RateLimiter(3);
  for (const t of [0, 100, 200]) r.record(t);
  assert.equal(r.isFull(999), true);
  assert.equal(r.isFull(1_000), false);
  r.record(1_000); // overwrites the stamp at 0
  assert.equal(r.isFull(1_099), true);
  assert.equal(r.isFull(1_100), false);
  assert.equal(r.countInWindow(1_100), 2);
});

test('capacity 0 is always full and records nothing', () => {
  const r = new RateLimiter(0);
  assert.equal(r.isFull(0), true);
  r.record(0);
  assert.equal(r.countInWindow(0), 0);
});

test('resizing keeps the most recent stamps', () => {
  const r = new RateLimiter(4);
  for (const t of [0, 10, 20, 30, 40]) r.record(t);
  const smaller = r.resized(2);
  assert.equal(smaller.isFull(1_010), true); // 30 and 40 are kept
  assert.equal(smaller.isFull(1_030), false);
  const larger = r.resized(8);
  assert.equal(larger.countInWindow(500), 4);
  assert.equal(larger.isFull(500), false);
  assert.equal(new RateLimiter(0).resized(2).isFull(0), false);
});

test('property: isFull agrees with counting stamps in the window by hand', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 40 }),
      (capacity, gaps) => {
        const r = new RateLimiter(capacity);
        const stamps: number[] = [];
        let t = 0;
        for (const gap of gaps) {
          t += gap;
          const inWindow = stamps.filter((s) => t - s < 1000).length;
          assert.equal(r.isFull(t), inWindow >= capacity);
          assert.equal(r.countInWindow(t), Math.min(inWindow, capacity));
          if (!r.isFull(t)) {
            r.record(t);
            stamps.push(t);
          }
        }
      },
    ),
  );
});
