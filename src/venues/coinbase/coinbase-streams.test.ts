import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { CoinbaseStream } from './coinbase-streams.ts';
import type { ParsedWsMessage } from './parsers.ts';

const frame = (seq: number, channel = 'heartbeats') =>
  JSON.stringify({
    channel,
    client_id: '',
    timestamp: '2026-04-07T14:30:10.000000Z',
    sequence_num: seq,
    events: channel === 'subscriptions' ? [{ subscriptions: { heartbeats: ['heartbeats'] } }] : [],
  });

test('drops a repeated sequence number; a gap drops the connection, which comes back and says so', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  let connections = 0;
  const subscribes: unknown[] = [];
  wss.on('connection', (ws) => {
    connections++;
    const n = connections;
    ws.on('message', (m) => {
      subscribes.push(JSON.parse(String(m)));
      ws.send(frame(0, 'subscriptions'));
      if (n === 1) {
        ws.send(frame(1));
        ws.send(frame(1)); // a repeat
        ws.send(frame(3)); // seq 2 was lost
      }
    });
  });
  const got: ParsedWsMessage[] = [];
  const states: string[] = [];
  const port = (wss.address() as AddressInfo).port;
  const s = new CoinbaseStream(
    `ws://127.0.0.1:${port}`,
    [{ channel: 'heartbeats' }],
    { message: (m) => got.push(m), state: (st) => states.push(st) },
    undefined,
    Date.now,
    { backoffMs: 10 },
  );
  await s.open();
  const end = Date.now() + 3_000;
  while (!states.includes('reconnected') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  await s.close();
  await new Promise((r) => wss.close(r));
  assert.deepEqual(states, ['disconnected', 'reconnected']);
  assert.equal(connections, 2);
  assert.equal(s.repeats, 1);
  assert.equal(s.gaps, 1);
  assert.deepEqual(
    got.slice(0, 3).map((m) => m.sequence),
    [0, 1, 3],
  );
  assert.deepEqual(subscribes[0], { type: 'subscribe', channel: 'heartbeats' });
});
