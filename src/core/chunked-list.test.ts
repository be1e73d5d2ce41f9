// The chunked list holds what an array would, across chunk boundaries and drops from the front.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChunkedList } from './chunked-list.ts';

test('a chunked list reads, iterates and maps as an array would, with pushes and drops interleaved', () => {
  const op = fc.oneof(
    fc.record({ push: fc.integer({ min: 1, max: 3000 }) }),
    fc.record({ drop: fc.integer({ min: 0, max: 2500 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
      const list = new ChunkedList<number>();
      const model: number[] = [];
      let next = 0;
      for (const o of ops) {
        if ('push' in o)
          for (let k = 0; k < o.push; k++) {
            list.push(next);
            model.push(next++);
          }
        else {
          list.dropFirst(o.drop);
          model.splice(0, o.drop);
        }
        assert.equal(list.length, model.length);
        if (model.length > 0) {
          assert.equal(list.get(0), model[0]);
          assert.equal(list.get(model.length - 1), model[model.length - 1]);
        }
      }
      assert.deepEqual([...list], model);
      assert.deepEqual(
        list.map((x) => x * 2),
        model.map((x) => x * 2),
      );
    }),
    { numRuns: 60 },
  );
});

test('an index outside the kept items is refused', () => {
  const list = new ChunkedList<string>();
  list.push('a');
  list.push('b');
  list.dropFirst(1);
  assert.equal(list.get(0), 'b');
  assert.throws(() => list.get(1), RangeError);
  assert.throws(() => list.get(-1), RangeError);
});
