// Tests of the timed queue: items come out by time, ties in insertion order, for any push order.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TimedQueue } from './timed-queue.ts';

test('pops by time, then by insertion order', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const q = new TimedQueue<number>();
      for (const [i, t] of times.entries()) q.push(t, i);
      const out: number[] = [];
      for (let item = q.pop(); item !== undefined; item = q.pop()) out.push(item.item);
      const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
      assert.deepEqual(
        out,
        expected.map((e) => e.i),
      );
      assert.equal(q.size, 0);
      assert.equal(q.peek(), undefined);
    }),
  );
});
