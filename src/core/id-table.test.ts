// Tests of the id table: whatever the ids (counter-style, random, leading zeros,
// far-apart counters, many prefixes), it answers and lists exactly as a Map of every id would.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { IdTable, VenueIdSet, VenueIdTable } from './id-table.ts';

function check(ops: readonly (readonly [string, number])[]): void {
  const table = new IdTable<number>();
  const model = new Map<string, number>();
  for (const [id, value] of ops) {
    assert.equal(table.has(id), model.has(id), `has ${id}`);
    assert.equal(table.get(id), model.get(id), `get ${id}`);
    assert.equal(table.set(id, value), !model.has(id), `set ${id} says whether it was new`);
    model.set(id, value);
    assert.equal(table.size, model.size);
  }
  for (const [id] of ops) assert.equal(table.get(id), model.get(id), `get ${id} at the end`);
  assert.deepEqual(table.entries(), [...model.entries()]);
}

test('counter-style ids of one prefix, in order, out of order and updated', () => {
  check([
    ['ordo-1', 1],
    ['ordo-2', 2],
    ['ordo-5', 5],
    ['ordo-3', 3],
    ['ordo-2', 20],
    ['pv-1', 7],
    ['ordo-4', 4],
    ['pv-1', 70],
  ]);
});

test('long runs across the chunks of the dense store: in order, with gaps, rewritten, and from a far start', () => {
  fc.assert(
    fc.property(
      fc.nat(100_000),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 900 }), fc.boolean()), { minLength: 1, maxLength: 12 }),
      (start, steps) => {
        const ops: [string, number][] = [];
        let n = start;
        for (const [gap, rewrite] of steps) {
          // A stretch of consecutive ids, then a jump forward (or back, to rewrite one).
          for (let k = 0; k < 300; k++) ops.push([`ordo-${n + k}`, n + k]);
          n += 300 + gap;
          if (rewrite) ops.push([`ordo-${n - gap - 1}`, -1]);
        }
        check(ops);
      },
    ),
    { numRuns: 40 },
  );
});

test('ids the dense stores do not take go to the map, and keep their first-use place', () => {
  check([
    ['ordo-100', 1],
    ['ordo-99', 2], // below the first counter of its prefix
    ['ordo-5000', 3], // far beyond the dense end
    ['ordo-0', 4],
    ['ordo-007', 5], // a leading zero: not how a number prints
    ['7', 6],
    ['abc', 7],
    ['', 8],
    ['ordo-1234567890123456', 9], // more digits than a safe counter
    ['ordo-101', 10],
    ['ordo-5000', 30],
  ]);
});

test('many prefixes: past the first few, ids go to the map', () => {
  const ops: [string, number][] = [];
  for (let p = 0; p < 40; p++) for (let n = 1; n <= 3; n++) ops.push([`p${p}x-${n}`, p * 10 + n]);
  check(ops);
});

test('behaves as a Map for random ids and updates', () => {
  const id = fc.oneof(
    fc.tuple(fc.constantFrom('ordo-', 'pv-', 'a', ''), fc.nat(3000)).map(([p, n]) => `${p}${n}`),
    fc.string({ maxLength: 6 }),
    fc.stringMatching(/^[a-c]{0,2}0?[0-9]{1,4}$/),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(id, fc.integer()), { maxLength: 200 }), (ops) => check(ops)),
    { numRuns: 300 },
  );
});

test('ids scoped by venue: the same id on two venues is two entries, as a Map of (venue, id) would be', () => {
  const venue = fc.constantFrom('paper', 'binance', 'coinbase', 'paper:x', '');
  const id = fc.oneof(
    fc.tuple(fc.constantFrom('t', 'paper-t', ''), fc.nat(50)).map(([p, n]) => `${p}${n}`),
    fc.string({ maxLength: 4 }),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(venue, id, fc.integer()), { maxLength: 120 }), (ops) => {
      const table = new VenueIdTable<number>();
      const set = new VenueIdSet();
      const model = new Map<string, number>();
      for (const [v, i, value] of ops) {
        const key = JSON.stringify([v, i]);
        assert.equal(table.get(v, i), model.get(key), `get ${key}`);
        assert.equal(set.has(v, i), model.has(key), `has ${key}`);
        assert.equal(table.set(v, i, value), !model.has(key), `set ${key} says whether it was new`);
        assert.equal(set.addNew(v, i), !model.has(key), `addNew ${key}`);
        model.set(key, value);
        assert.equal(table.size, model.size);
        assert.equal(set.size, model.size);
      }
      for (const [v, i] of ops) assert.equal(table.get(v, i), model.get(JSON.stringify([v, i])));
      // Unknown venues answer without creating anything.
      assert.equal(table.get('nowhere', 't1'), undefined);
      assert.equal(table.size, model.size);
    }),
    { numRuns: 300 },
  );
});
