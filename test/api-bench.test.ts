// A smoke run of the HTTP placement benchmark with tiny sizes: the load generator runs as a
// separate process, every request succeeds, every order fills, and the figures are finite. Timings
// are never asserted; `npm run bench` is where they are read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchHttp } from '../bench/http-placement.ts';

describe('HTTP placement benchmark (tiny)', () => {
  it('measures health, placement over HTTP and in-process placement', async () => {
    const rows = await benchHttp({ requests: 60, concurrency: 2 });
    assert.deepEqual(
      rows.map((r) => r.label),
      ['GET /health', 'POST /v1/orders', 'in-process placeOrder'],
    );
    for (const r of rows) {
      assert.equal(r.errors, 0, r.label);
      assert.equal(r.requests, 60);
      for (const v of [r.perSecond, r.p50Ms, r.p99Ms])
        assert.ok(Number.isFinite(v) && v > 0, `${r.label}: ${v}`);
      assert.ok(r.p99Ms >= r.p50Ms);
    }
    assert.equal(rows[1]!.filledShare, 1);
  });
});
