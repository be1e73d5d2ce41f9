// Daily totals keep the day last touched at hand; whatever order adds and questions come in, the
// answers are those of a plain map of (currency, day) sums with the oldest days dropped.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DAY_MS, DailyTotals } from './daily-totals.ts';

const OFFSET = -3 * 3_600_000;

type Step =
  | { kind: 'add'; currency: string; ts: number; amount: bigint }
  | { kind: 'ask'; currency: string; day: number };

const currency = fc.constantFrom('USD', 'EUR', 'BTC');
const day = fc.integer({ min: 19_000, max: 19_004 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    currency,
    ts: fc.tuple(day, fc.integer({ min: 0, max: DAY_MS - 1 })).map(([d, ms]) => d * DAY_MS + OFFSET + ms),
    amount: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  }),
  fc.record({ kind: fc.constant('ask' as const), currency, day }),
);

test('daily totals answer as a map of sums per currency and day, keeping the newest days', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3 }), fc.array(step, { maxLength: 60 }), (bucketsMax, steps) => {
      const totals = new DailyTotals(OFFSET, bucketsMax);
      const model = new Map<string, Map<number, bigint>>();
      for (const s of steps) {
        if (s.kind === 'add') {
          totals.add(s.currency, s.ts, s.amount);
          const d = Math.floor((s.ts - OFFSET) / DAY_MS);
          let days = model.get(s.currency);
          if (days === undefined) model.set(s.currency, (days = new Map()));
          days.set(d, (days.get(d) ?? 0n) + s.amount);
          if (days.size > bucketsMax) days.delete(Math.min(...days.keys()));
        } else {
          const expected = model.get(s.currency)?.get(s.day) ?? 0n;
          assert.equal(totals.onDay(s.currency, s.day * DAY_MS + OFFSET), expected);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('a question about a time that does not start a trading day is refused', () => {
  const totals = new DailyTotals(OFFSET, 3);
  assert.throws(() => totals.onDay('USD', 19_000 * DAY_MS), /not the start of a trading day/);
});
