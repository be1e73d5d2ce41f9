// The stream's resume when the memory ring no longer reaches back: messages are rebuilt from the
// SQLite journal, every missed event once and in order; too far back is a `reset`. The ring is made
// tiny here so that a few orders overflow it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiServer } from '../src/api/server.ts';
import { STREAM_LIMITS } from '../src/api/stream-hub.ts';
import { DEFAULT_CONFIG } from '../src/app/config.ts';
import type { MarketFeed } from '../src/app/market-feed.ts';
import { OrdoService } from '../src/app/service.ts';
import { StreamClient, TEST_TOKEN } from './support/api-harness.ts';

const QUIET: MarketFeed = { name: 'none', start: async () => {}, stop: async () => {} };

async function start(replayEventsMax: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-stream-'));
  const service = new OrdoService({
    config: { ...DEFAULT_CONFIG, dataDir: dir, logLevel: 'silent' },
    feed: () => QUIET,
  });
  const api = new ApiServer(service, {
    token: TEST_TOKEN,
    streamLimits: { ...STREAM_LIMITS, ringMessagesMax: 4, replayEventsMax },
  });
  const url = await api.listen('127.0.0.1', 0);
  await service.start();
  service.oms.feed({
    kind: 'trade',
    instrument: 'paper:BTC/USD',
    ts: Date.now(),
    price: 4_500_000,
    size: 10_000,
    aggressor: undefined,
    tradeId: undefined,
  });
  const place = (price: number) =>
    service.oms.placeOrder({
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      quantity: '0.01',
      price: String(price),
    });
  return {
    url,
    service,
    place,
    async stop() {
      await api.close();
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('stream resume beyond the memory ring', () => {
  it('rebuilds what the client missed from the journal: every event once, in order', async () => {
    const s = await start(10_000);
    try {
      const first = s.place(44_000);
      assert.ok(first.ok);
      const since = s.service.journalSeq();
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = s.place(44_001 + i);
        assert.ok(r.ok);
        ids.push(r.value.id);
      }
      const last = s.service.journalSeq();
      assert.ok(last - since > 4 * 2, 'the ring (4 messages) cannot hold what was missed');
      const c = new StreamClient(s.url, `?since=${since}`);
      await c.open();
      await c.waitFor((m) => m.kind === 'account', 'the state after the replay');
      const replayed = c.messages.filter((m) => m.kind === 'order' || m.kind === 'list' || m.kind === 'fill');
      const seqs = replayed.map((m) => m.seq);
      // One message per journaled event after `since` (these orders make no list or fill).
      assert.deepEqual(
        seqs,
        Array.from({ length: last - since }, (_, i) => since + 1 + i),
      );
      const created = replayed.filter((m) => m.kind === 'order' && m.event.type === 'order_created');
      assert.deepEqual(
        created.map((m) => m.kind === 'order' && m.order.id),
        ids,
      );
      for (const m of created) assert.ok(m.kind === 'order' && typeof m.event.order === 'object');
      await c.close();
    } finally {
      await s.stop();
    }
  });

  it('answers reset when since is further back than it replays', async () => {
    const s = await start(3);
    try {
      for (let i = 0; i < 5; i++) assert.ok(s.place(44_000 + i).ok);
      const c = new StreamClient(s.url, '?since=0');
      await c.open();
      const reset = await c.waitFor((m) => m.kind === 'reset', 'a reset');
      assert.ok(reset.kind === 'reset' && /too far back/.test(reset.reason));
      assert.equal(
        c.messages.filter((m) => m.kind === 'order').length,
        0,
        'nothing partial is sent before a reset',
      );
      await c.close();
    } finally {
      await s.stop();
    }
  });
});
