// Tests of the engine's client order id index: whether an id is the engine's own form (parsed,
// not stored) or any other (a Map), every lookup answers as one Map of every id set would.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { OrderId } from '../core/ids.ts';
import { Order } from '../model/order.ts';
import { INST, limitInit } from '../model/order-fixtures.ts';
import { ClientIdIndex, OrderTable } from './engine-state.ts';

function order(id: number): Order {
  return new Order(limitInit(id), INST, 0);
}

function check(
  prefix: string,
  sets: readonly (readonly [string, number])[],
  probes: readonly string[],
): void {
  const orders = new OrderTable();
  for (let id = 1; id <= 20; id++) orders.set(id, order(id));
  const index = new ClientIdIndex(prefix, orders);
  const model = new Map<string, number>();
  const ask = (text: string) => assert.equal(index.get(text), model.get(text), `get ${JSON.stringify(text)}`);
  for (const [text, id] of sets) {
    ask(text);
    index.set(text, id as OrderId);
    model.set(text, id);
    ask(text);
    for (const p of probes) ask(p);
  }
}

test('own ids are found once set, and only then', () => {
  check(
    'ordo-',
    [
      ['ordo-1', 1],
      ['ordo-3', 3],
    ],
    ['ordo-1', 'ordo-2', 'ordo-3', 'ordo-01', 'ordo-', 'ordo-1r1', 'x-1', '1', 'ordo-21'],
  );
});

test('ids of other forms, and one id set for two orders, answer with the latest', () => {
  check(
    'ordo-',
    [
      ['ordo-2r1', 2],
      ['old-5', 5],
      ['ordo-7', 4], // an own-looking id set for another order
      ['ordo-4', 4],
      ['ordo-7', 7], // set again for its own order: now its own
      ['ordo-4', 9],
      ['ordo-4', 4],
    ],
    ['ordo-2r1', 'old-5', 'ordo-7', 'ordo-4', 'ordo-9'],
  );
});

test('an empty prefix', () => {
  check(
    '',
    [
      ['3', 3],
      ['03', 3],
      ['a3', 3],
    ],
    ['3', '03', 'a3', '4', ''],
  );
});

test('behaves as a Map for random ids', () => {
  const text = fc.oneof(
    fc.integer({ min: 0, max: 25 }).map((n) => `ordo-${n}`),
    fc.stringMatching(/^(ordo-|ord|o)?0?[0-9]{0,2}(r[0-9])?$/),
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(text, fc.integer({ min: 1, max: 20 })), { maxLength: 40 }),
      fc.array(text, { maxLength: 10 }),
      (sets, probes) => check('ordo-', sets, probes),
    ),
    { numRuns: 300 },
  );
});
