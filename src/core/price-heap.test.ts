import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PriceHeap } from './price-heap.ts';

/** Pops everything: the (key, id) pairs in the order the heap gives them. */
function drain(h: PriceHeap): [number, number][] {
  const out: [number, number][] = [];
  while (h.size > 0) {
    out.push([h.topKey(), h.topId()]);
    h.pop();
  }
  return out;
}

test('a heap gives its entries by key, equal keys by id, whatever the order they came in', () => {
  const entry = fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 1000 }));
  fc.assert(
    fc.property(
      fc.array(entry, { maxLength: 200 }),
      fc.integer({ min: 0, max: 200 }),
      (entries, keepEvery) => {
        const h = new PriceHeap(2);
        for (const [k, id] of entries) h.push(k, id);
        // A compaction in between must keep the order too.
        if (keepEvery > 0) h.compact((_k, id) => id % (keepEvery + 1) !== 0);
        const kept = entries.filter(([, id]) => keepEvery === 0 || id % (keepEvery + 1) !== 0);
        const sorted = [...kept].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        assert.deepEqual(drain(h), sorted);
      },
    ),
  );
});

test('an empty heap has no top key', () => {
  const h = new PriceHeap();
  assert.equal(h.topKey(), Number.POSITIVE_INFINITY);
  h.pop();
  assert.equal(h.size, 0);
});
