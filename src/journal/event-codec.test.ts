// The record codec against the obvious implementation it replaced for speed: JSON.stringify with a
// replacer that tags bigints, and JSON.parse with a reviver that untags them. Properties over
// arbitrary JSON-like values with bigints anywhere check that the fast paths write the same text
// and read the same values, one record at a time and a page at a time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { orderId } from '../core/ids.ts';
import type { OrdoEvent } from '../engine/events.ts';
import {
  decodeCheckpointState,
  decodeEvent,
  decodeEventArray,
  encodeCheckpointState,
  encodeEvent,
  RECORD_VERSION,
} from './event-codec.ts';

function referenceEncode(v: unknown): string | undefined {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $n: x.toString() } : x));
}

function referenceDecode(text: string): unknown {
  return JSON.parse(text, (_k, x) =>
    x !== null && typeof x === 'object' && typeof x.$n === 'string' && Object.keys(x).length === 1
      ? BigInt(x.$n)
      : x,
  );
}

/** JSON-like values with bigints among the leaves (no `{ $n: string }` look-alikes: they are tags). */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n }),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(
      fc.string().filter((k) => k !== '$n'),
      tie('node'),
      { maxKeys: 5 },
    ),
  ),
})).node;

const eventLike = fc
  .tuple(fc.string(), fc.integer(), fc.dictionary(fc.string(), value, { maxKeys: 6 }))
  .map(([type, ts, rest]) => ({ ...rest, type, ts }) as unknown as OrdoEvent);

describe('event codec', () => {
  it('writes exactly what JSON.stringify with a bigint replacer writes', () => {
    fc.assert(
      fc.property(eventLike, (e) => {
        assert.equal(encodeEvent(e), referenceEncode(e));
      }),
    );
    fc.assert(
      fc.property(value, (state) => {
        assert.equal(encodeCheckpointState(state), referenceEncode(state) ?? 'null');
      }),
    );
  });

  it('reads back what it wrote, as the reviver would', () => {
    fc.assert(
      fc.property(eventLike, (e) => {
        const text = encodeEvent(e);
        const decoded = decodeEvent(text, RECORD_VERSION);
        assert.ok(decoded.ok);
        assert.deepEqual(decoded.event, referenceDecode(text));
      }),
    );
    fc.assert(
      fc.property(value, (state) => {
        const text = encodeCheckpointState(state);
        assert.deepEqual(decodeCheckpointState(text), referenceDecode(text));
      }),
    );
  });

  it('a page decodes to the same events as its records one by one', () => {
    fc.assert(
      fc.property(fc.array(eventLike, { maxLength: 8 }), (events) => {
        const records = events.map(encodeEvent);
        const page = decodeEventArray(`[${records.join(',')}]`, records.length);
        assert.deepEqual(
          page,
          records.map((r) => {
            const d = decodeEvent(r, RECORD_VERSION);
            assert.ok(d.ok);
            return d.event;
          }),
        );
      }),
    );
  });

  it('a page that is not exactly `count` events is refused, for record-by-record decoding', () => {
    const a = encodeEvent({ type: 'order_armed', ts: 1, id: orderId(1) });
    assert.equal(decodeEventArray(`[${a},${a}]`, 3), undefined);
    assert.equal(decodeEventArray(`[${a},{"type":`, 2), undefined);
    assert.equal(decodeEventArray(`[${a},"text"]`, 2), undefined);
    assert.equal(decodeEventArray(`[${a},{"ts":1}]`, 2), undefined);
    assert.equal(decodeEventArray(`{"0":${a}}`, 1), undefined);
  });

  it('a cycle fails with JSON.stringify’s own message', () => {
    const state: Record<string, unknown> = { n: 1n };
    state.self = state;
    assert.throws(() => encodeCheckpointState(state), /circular/i);
  });

  it('a record of an unknown format or shape is undecodable, saying why', () => {
    const text = encodeEvent({ type: 'order_armed', ts: 1, id: orderId(1) });
    const future = decodeEvent(text, RECORD_VERSION + 1);
    assert.ok(!future.ok);
    assert.match(future.message, new RegExp(`record format ${RECORD_VERSION + 1} is not readable`));
    const cases: [string, RegExp][] = [
      ['{"type":', /not valid JSON/],
      ['[1,2]', /not an event/],
      ['{"type":"x","ts":"1"}', /not an event/],
      ['{"type":"x","ts":1,"fee":{"$n":"12a"}}', /not valid JSON/],
    ];
    for (const [record, why] of cases) {
      const d = decodeEvent(record, RECORD_VERSION);
      assert.ok(!d.ok, record);
      assert.match(d.message, why);
    }
  });
});
