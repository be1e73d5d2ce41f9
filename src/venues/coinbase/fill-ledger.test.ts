// The fill ledger: fills derived exactly from cumulative state, never twice (repeats, out-of-order
// updates), recognised when the fills endpoint later lists the same executions, backfilled under
// trade ids when the stream missed them, and kept across a restart.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MONEY_SCALE } from '../../model/instrument.ts';
import { type CumulativeState, derivedFillId, FillLedger } from './fill-ledger.ts';
import type { EndpointFill } from './parsers.ts';
import { rulesOf } from './test-fixtures.ts';

const inst = rulesOf('BTC-USD').instrument; // price 0.01, qty 1e-8
const M = 10n ** BigInt(MONEY_SCALE);
const usd = (cents: number) => (BigInt(cents) * M) / 100n;
const btc = (x: number) => Math.round(x * 1e8);
const px = (p: number) => Math.round(p * 100);

function state(cum: number, valueCents: number, feeCents: number, ts = 1): CumulativeState {
  return {
    venueOrderId: 'ord-1',
    clientOrderId: 'c-1',
    cumulative: btc(cum),
    fees: usd(feeCents),
    value: usd(valueCents),
    ts,
    liquidity: 'maker',
    fallbackPrice: undefined,
  };
}

function exec(id: string, price: number, qty: number, feeCents: number, seq: string): EndpointFill {
  return {
    tradeId: id,
    venueOrderId: 'ord-1',
    productId: 'BTC-USD',
    side: 'sell',
    price: px(price),
    quantity: btc(qty),
    fee: usd(feeCents),
    liquidity: 'maker',
    ts: 1,
    sortKey: seq,
  };
}

test('derives each fill exactly by differencing; repeats and stale updates make none', () => {
  const l = new FillLedger();
  assert.equal(l.observe(inst, state(0, 0, 0)), undefined);
  const a = l.observe(inst, state(0.2, 902_020, 7_216)); // 0.2 @ 45 101.00
  assert.ok(a !== undefined);
  assert.equal(a.price, px(45_101));
  assert.equal(a.to - a.from, btc(0.2));
  assert.equal(a.fee, usd(7_216));
  assert.equal(a.id, derivedFillId(inst, 'ord-1', 0, btc(0.2)));
  assert.equal(a.id, 'ord-1#0-0.2');
  // The same update again, and an older one arriving late: nothing.
  assert.equal(l.observe(inst, state(0.2, 902_020, 7_216)), undefined);
  assert.equal(l.observe(inst, state(0.1, 451_010, 3_608)), undefined);
  const b = l.observe(inst, state(0.5, 902_020 + 1_353_060, 7_216 + 10_824)); // 0.3 @ 45 102.00
  assert.ok(b !== undefined);
  assert.equal(b.price, px(45_102));
  assert.equal(b.to - b.from, btc(0.3));
  assert.equal(b.fee, usd(10_824));
  assert.equal(b.id, 'ord-1#0.2-0.5');
  const total = l.get('ord-1')!.segments.reduce((n, s) => n + (s.to - s.from), 0);
  assert.equal(total, btc(0.5));
});

test('the fills endpoint’s executions of derived fills are recognised, not told again', () => {
  const l = new FillLedger();
  l.observe(inst, state(0.2, 902_020, 7_216));
  l.observe(inst, state(0.5, 902_020 + 1_353_060, 7_216 + 10_824));
  const added = l.reconcile(inst, 'ord-1', 'c-1', [
    exec('t2', 45_102, 0.3, 10_824, '2'),
    exec('t1', 45_101, 0.2, 7_216, '1'),
  ]);
  assert.deepEqual(added, []);
  assert.deepEqual(l.discrepancies, []);
  // A derived fill that covered two executions (an update lost in between) is recognised too.
  const m = new FillLedger();
  const both = m.observe(inst, state(0.5, 902_020 + 1_353_060, 18_040));
  assert.ok(both !== undefined);
  assert.equal(both.price, px(45_101.6)); // the volume-weighted average, exact here
  assert.deepEqual(
    m.reconcile(inst, 'ord-1', 'c-1', [
      exec('t1', 45_101, 0.2, 7_216, '1'),
      exec('t2', 45_102, 0.3, 10_824, '2'),
    ]),
    [],
  );
  assert.deepEqual(m.discrepancies, []);
});

test('executions the stream missed are backfilled under their trade ids, and the stream does not repeat them', () => {
  const l = new FillLedger();
  l.observe(inst, state(0.2, 902_020, 7_216));
  // The stream was down for the second execution; the fills endpoint lists it.
  const added = l.reconcile(inst, 'ord-1', 'c-1', [
    exec('t1', 45_101, 0.2, 7_216, '1'),
    exec('t2', 45_102, 0.3, 10_824, '2'),
  ]);
  assert.deepEqual(
    added.map((s) => [s.id, s.to - s.from, s.price, s.fee, s.source]),
    [['t2', btc(0.3), px(45_102), usd(10_824), 'endpoint']],
  );
  // The stream comes back with the cumulative state including it, then a third execution.
  assert.equal(l.observe(inst, state(0.5, 902_020 + 1_353_060, 18_040)), undefined);
  const c = l.observe(inst, state(0.6, 902_020 + 1_353_060 + 451_030, 18_040 + 3_608));
  assert.ok(c !== undefined);
  assert.equal(c.price, px(45_103));
  assert.equal(c.to - c.from, btc(0.1));
  assert.equal(c.fee, usd(3_608));
  // A second reconcile adds nothing.
  assert.deepEqual(
    l.reconcile(inst, 'ord-1', 'c-1', [
      exec('t1', 45_101, 0.2, 7_216, '1'),
      exec('t2', 45_102, 0.3, 10_824, '2'),
    ]),
    [],
  );
});

test('a derived fill the executions contradict is listed as a discrepancy', () => {
  const l = new FillLedger();
  l.observe(inst, state(0.2, 900_000, 7_216)); // 45 000.00 by the stream
  l.reconcile(inst, 'ord-1', 'c-1', [exec('t1', 45_101, 0.2, 7_216, '1')]);
  assert.equal(l.discrepancies.length, 1);
  assert.match(l.discrepancies[0]!, /ord-1#0-0\.2: derived value 9000, executions 9020\.2/);
});

test('the ledger survives a restart: a replayed update is still no new fill', () => {
  const l = new FillLedger();
  l.observe(inst, state(0.2, 902_020, 7_216));
  const saved = JSON.parse(JSON.stringify(l.toJSON()));
  const back = FillLedger.fromJSON(saved);
  assert.equal(back.observe(inst, state(0.2, 902_020, 7_216)), undefined);
  assert.equal(back.get('ord-1')!.segments[0]!.fee, usd(7_216));
  const next = back.observe(inst, state(0.3, 902_020 + 451_020, 10_824));
  assert.equal(next?.id, 'ord-1#0.2-0.3');
  assert.equal(FillLedger.fromJSON({ orders: 'x' }).get('ord-1'), undefined);
});
