// A smoke run of the benchmark suite: every benchmark function runs once in quick mode with tiny
// sizes, and only the sanity of its figures is checked (finite, positive, nothing fired). Timings
// are never asserted; `npm run bench` is where the figures are read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUICK, runSuite, type SuiteConfig } from '../bench/run.ts';

const TINY: SuiteConfig = {
  ...QUICK,
  ticks: {
    ...QUICK.ticks,
    sizes: [0, 500, 2_000],
    tapeTicks: 5_000,
    naiveVisits: 200_000,
    peerTicks: 1_000,
  },
  placement: { limitOrders: 600, shallowOrders: 200, marketOrders: 300, reps: 1 },
  memorySizes: [2_000],
};

function positive(label: string, v: number): void {
  assert.ok(Number.isFinite(v) && v > 0, `${label} should be a finite number > 0, got ${v}`);
}

describe('benchmark suite (quick, tiny sizes)', () => {
  const out: string[] = [];
  const r = runSuite(TINY, new Set(['ticks', 'place', 'memory']), (s) => out.push(s));

  it('measures ticks per second for the engine, the naive baseline and the peer', () => {
    const t = r.ticks!;
    assert.deepEqual(
      t.engine.map((e) => e.size),
      TINY.ticks.sizes,
    );
    for (const e of t.engine) {
      positive(`engine rate at ${e.size}`, e.rate.median);
      positive(`engine first pass at ${e.size}`, e.firstPass);
      assert.equal(e.fired, 0, 'no resting order may fire on the bench tape');
      if (e.size > 0) positive(`index bytes at ${e.size}`, e.indexBytes);
    }
    for (const n of t.naive) {
      positive(`naive rate at ${n.size}`, n.rate.median);
      assert.equal(n.fired, 0);
    }
    for (const p of t.peer) {
      positive(`peer rate at ${p.size}`, p.rate.median);
      assert.equal(p.activated, 0);
    }
    assert.ok(t.tape.maxDrawdown < 20_000 && t.tape.maxRunup < 20_000, 'the tape stays inside its band');
  });

  it('measures placements per second for every workload', () => {
    assert.equal(r.placement!.length, 6);
    for (const p of r.placement!) positive(p.name, p.rate.median);
  });

  it('measures bytes per resting order in a child process', () => {
    const [m] = r.memory!;
    positive('bytes per order', m!.bytesPerOrder);
    positive('index bytes per order', m!.indexBytesPerOrder);
  });

  it('prints every table and the summary', () => {
    const text = out.join('\n');
    for (const heading of ['1. Ticks per second', '2. Order placements', '3. Bytes per resting', 'SUMMARY'])
      assert.ok(text.includes(heading), `missing ${heading}`);
  });
});
