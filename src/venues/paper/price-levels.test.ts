// Tests of the resting-book structure: FIFO queues with O(1) unlinking, and price levels whose
// best level, and the order of nodes within it, match a plain sorted list after any mix of adds
// and removes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OrderQueue, PriceLevels, type QueueNode } from './price-levels.ts';

interface Node extends QueueNode<Node> {
  readonly id: number;
  readonly price: number;
}

function node(id: number, price: number): Node {
  return { id, price, prev: undefined, next: undefined, queue: undefined };
}

function ids(q: OrderQueue<Node>): number[] {
  const out: number[] = [];
  for (let n = q.head; n !== undefined; n = n.next) out.push(n.id);
  return out;
}

test('a queue keeps arrival order and unlinks from the head, middle and tail', () => {
  const q = new OrderQueue<Node>();
  const ns = [0, 1, 2, 3, 4].map((i) => node(i, 0));
  for (const n of ns) q.push(n);
  assert.deepEqual(ids(q), [0, 1, 2, 3, 4]);
  q.remove(ns[2]!);
  q.remove(ns[0]!);
  q.remove(ns[4]!);
  assert.deepEqual(ids(q), [1, 3]);
  assert.equal(q.size, 2);
  assert.equal(q.tail, ns[3]);
  assert.equal(ns[2]!.queue, undefined);
  q.push(ns[2]!);
  assert.deepEqual(ids(q), [1, 3, 2]);
  assert.throws(() => q.push(ns[1]!), /already queued/);
  assert.throws(() => new OrderQueue<Node>().remove(ns[1]!), /not in this queue/);
});

type Step = { readonly add: true; readonly price: number } | { readonly add: false; readonly pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ add: fc.constant(true as const), price: fc.integer({ min: 1, max: 40 }) }),
  },
  { weight: 2, arbitrary: fc.record({ add: fc.constant(false as const), pick: fc.nat() }) },
);

for (const best of ['highest', 'lowest'] as const) {
  test(`levels (${best} first) match a sorted list after random adds and removes`, () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 300, size: 'max' }), (steps) => {
        const levels = new PriceLevels<Node>(best);
        // The model: nodes sorted by price (best first), then by when they were added.
        let model: Node[] = [];
        let id = 0;
        for (const step of steps) {
          if (step.add) {
            const n = node(id++, step.price);
            levels.add(n, n.price);
            model.push(n);
            model.sort((a, b) => (best === 'highest' ? b.price - a.price : a.price - b.price) || a.id - b.id);
          } else if (model.length > 0) {
            const n = model[step.pick % model.length]!;
            levels.remove(n);
            model = model.filter((m) => m !== n);
          }
          const top = levels.best();
          assert.equal(top?.price, model[0]?.price);
          if (top !== undefined)
            assert.deepEqual(
              ids(top),
              model.filter((m) => m.price === top.price).map((m) => m.id),
            );
          assert.equal(levels.levels, new Set(model.map((m) => m.price)).size);
        }
        // Draining best first gives the model's order.
        const drained: number[] = [];
        for (let top = levels.best(); top !== undefined; top = levels.best()) {
          const n = top.head!;
          drained.push(n.id);
          levels.remove(n);
        }
        assert.deepEqual(
          drained,
          model.map((m) => m.id),
        );
      }),
      { numRuns: 300 },
    );
  });
}

test('removing a node that rests elsewhere is an invariant failure', () => {
  const a = new PriceLevels<Node>('lowest');
  const b = new PriceLevels<Node>('lowest');
  const n = node(1, 5);
  a.add(n, 5);
  assert.throws(() => b.remove(n), /does not rest in these levels/);
  assert.throws(() => a.remove(node(2, 5)), /does not rest in these levels/);
});
