// The order record keeps its times packed (two small integers, and an offset): whatever time it is
// given, it gives back exactly, so views, journals and snapshots read what the events said.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Order } from './order.ts';
import { INST, limitInit } from './order-fixtures.ts';

const INIT = limitInit(1, { side: 'sell' });
/** Epoch milliseconds, from before 1970 to far past any real clock, and the 2^30 boundaries. */
const time = fc.oneof(
  fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
  fc.constantFrom(
    0,
    2 ** 30 - 1,
    2 ** 30,
    2 ** 30 + 1,
    -(2 ** 30),
    1_700_000_000_000,
    Number.MAX_SAFE_INTEGER,
  ),
);

test('an order gives back its creation time and every later update time exactly', () => {
  fc.assert(
    fc.property(time, fc.array(time, { maxLength: 4 }), (created, updates) => {
      const o = new Order(INIT, INST, created);
      assert.equal(o.createdMs, created);
      assert.equal(o.updatedMs, created, 'an order never updated was last updated when created');
      for (const u of updates) {
        o.updatedMs = u;
        assert.equal(o.updatedMs, u);
        assert.equal(o.createdMs, created);
      }
    }),
  );
});

test('the filled quantity and price × quantity sum are exact, past the safe-integer range too', () => {
  const unit = fc.oneof(
    fc.integer({ min: 1, max: 2 ** 40 }),
    fc.constantFrom(1, 7, 2 ** 26, 2 ** 27 - 1, 94_906_265, Number.MAX_SAFE_INTEGER),
  );
  const price = fc.oneof(unit, fc.constantFrom(7, 7, 7));
  const qty = fc.integer({ min: 1, max: 2 ** 20 });
  fc.assert(
    fc.property(fc.array(fc.tuple(price, qty), { minLength: 1, maxLength: 6 }), (fills) => {
      const o = new Order(INIT, INST, 0);
      assert.equal(o.filledPQ, 0n);
      let pq = 0n;
      let filled = 0;
      for (const [p, q] of fills) {
        o.addFill(p, q);
        pq += BigInt(p) * BigInt(q);
        filled += q;
        assert.equal(o.filledPQ, pq);
        assert.equal(o.filled, filled);
      }
    }),
  );
});
