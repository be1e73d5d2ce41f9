// The seeded simulation in CI: thousands of hostile histories through the real engine, paper venue,
// SQLite journal and restarts, each checked by the independent auditor after every input
// (sim/auditor.ts). A failure prints the seed and the command that replays it. Seeds that once
// found a bug stay here as named tests, with the bug they found.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { InvariantName } from '../sim/auditor.ts';
import { type HistoryResult, runHistory } from '../sim/history.ts';
import { failed, replayCommand } from '../sim/run.ts';

const DIR = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const CI_HISTORIES = 2000;
const CI_STEPS = 20;

function explain(r: HistoryResult, steps: number): string {
  const lines = [`seed ${r.seed} failed: ${r.crash?.split('\n')[0] ?? ''}`];
  for (const v of r.violations.slice(0, 5)) lines.push(`  input ${v.input} ${v.invariant}: ${v.detail}`);
  lines.push(`  replay: ${replayCommand(r.seed, steps)}`);
  return lines.join('\n');
}

function passes(seed: number, steps = 60): HistoryResult {
  const r = runHistory({ seed, steps, dir: DIR });
  assert.ok(!failed(r), explain(r, steps));
  return r;
}

describe('seeded simulation', () => {
  it(`runs ${CI_HISTORIES} histories with zero auditor failures`, () => {
    const checks = new Map<InvariantName, number>();
    const failures: string[] = [];
    let restarts = 0;
    const t0 = Date.now();
    for (let seed = 1; seed <= CI_HISTORIES; seed++) {
      const r = runHistory({ seed, steps: CI_STEPS, dir: DIR });
      restarts += r.restarts;
      for (const [k, n] of r.checks) checks.set(k, (checks.get(k) ?? 0) + n);
      if (failed(r)) failures.push(explain(r, CI_STEPS));
    }
    assert.deepEqual(failures, []);
    // Every invariant was exercised, not just declared.
    for (const name of [
      'order_fill_within_qty',
      'oco_pair_within_qty',
      'bracket_exits_within_entry',
      'oto_child_within_plan',
      'position_equals_fills',
      'cash_conserved',
      'status_in_table',
      'client_id_once',
      'trigger_exact',
      'halted_places_nothing',
      'denied_changes_nothing',
      'fills_reach_engine',
      'journal_replays',
      'protected_after_restart',
      'siblings_stand_down',
    ] as const)
      assert.ok((checks.get(name) ?? 0) > 100, `${name} checked ${checks.get(name) ?? 0} times`);
    assert.ok(restarts > CI_HISTORIES, `only ${restarts} restarts`);
    console.log(
      `${CI_HISTORIES} histories in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${restarts} restarts`,
    );
  });

  it('replays a seed exactly: the same trace, byte for byte', () => {
    const a = runHistory({ seed: 4242, dir: DIR, keepTrace: true });
    const b = runHistory({ seed: 4242, dir: DIR, keepTrace: true });
    assert.ok(a.trace.length > 200);
    assert.deepEqual(a.trace, b.trace);
    assert.equal(a.traceHash, b.traceHash);
    assert.notEqual(runHistory({ seed: 4243, dir: DIR }).traceHash, a.traceHash);
  });
});

describe('seeds that found bugs', () => {
  it('seed 188: a native OCO at a paper venue with latency cancels its sibling inside the venue, at once', () => {
    passes(188);
  });
  it('seed 248: a native stop leg of an OCO Ordo links fires at the venue: its sibling is cancelled', () => {
    passes(248);
  });
  it('seeds 249, 257: a refused stand-down cancel is asked again, and the sibling is never resized', () => {
    passes(249);
    passes(257);
  });
  it("seeds 505, 619: a refused submit of a leg being cancelled ends it, not 'accepted' forever", () => {
    passes(505);
    passes(619);
  });
  it('seed 7008327: a take-profit sent and cancelled in one step (its stop-loss fired as the entry filled) is never sent', () => {
    passes(7008327);
  });
  it('seed 7018930: a sibling whose stand-down cancels were refused four times is asked again after a wait', () => {
    passes(7018930);
  });
  it('seed 9002512 (150 steps): a resize reported after the cancel overtook it still sizes the fills that follow', () => {
    passes(9002512, 150);
  });
  it('seed 8023362: a resize the venue refused is not asked again after a restart either', () => {
    passes(8023362);
  });
  it('seed 8027431: a venue that resizes a native leg bounds its fills before Ordo hears of it (auditor)', () => {
    passes(8027431);
  });
});
