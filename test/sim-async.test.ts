// Seeded histories on the asynchronous path: a LiveSession (VenueBridge, reconciliation) over the
// paper venue behind a fault-injecting adapter — answers lost after execution, 5xx and 429 answers,
// duplicate fills, an order stream that drops and comes back (sim/faulty-adapter.ts). At the end
// every venue fill is in Ordo exactly once, no client order id reached the venue twice, and
// positions, cash and every order agree with the venue's books.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAsyncHistory } from '../sim/async-history.ts';

const HISTORIES = 300;

describe('seeded simulation, asynchronous path', () => {
  it(`runs ${HISTORIES} histories through the bridge with zero failures`, async () => {
    const failures: string[] = [];
    let fills = 0;
    let checks = 0;
    for (let seed = 1; seed <= HISTORIES; seed++) {
      const r = await runAsyncHistory(seed);
      fills += r.fills;
      checks += r.checks;
      if (r.problems.length > 0) failures.push(`seed ${r.seed}: ${r.problems.slice(0, 3).join('; ')}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(fills > 3000 && checks > 20_000, `fills ${fills}, checks ${checks}`);
  });

  it('seed 387: a leg the venue resized while the stream was down is resized on reconciliation', async () => {
    const r = await runAsyncHistory(387);
    assert.deepEqual(r.problems, []);
  });

  it('seed 14000071 (150 steps): a fill missed early in a long outage is found on reconciliation', async () => {
    const r = await runAsyncHistory(14_000_071, 150);
    assert.deepEqual(r.problems, []);
  });
});
