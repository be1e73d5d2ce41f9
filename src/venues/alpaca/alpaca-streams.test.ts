// Tests of the streams against scripted local WebSocket servers (127.0.0.1, port 0): the trading
// stream's authenticate / listen handshake with binary frames, refusal, reconnect with
// disconnected / reconnected; the market-data stream's auth / subscribe dialect.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { unwrap } from '../../core/errors.ts';
import { MarketDataStream, TradeUpdatesStream } from './alpaca-streams.ts';
import { AlpacaCredentials } from './auth.ts';
import { example } from './test-fixtures.ts';
import type { TradeUpdate } from './trade-updates.ts';

const KEY = 'PKSTREAMTEST00000001';
const SECRET = 'stream-secret-never-shown';
const creds = unwrap(AlpacaCredentials.from({ keyId: KEY, secretKey: SECRET }));

async function until(pred: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 3_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Scripted {
  readonly url: string;
  readonly sockets: Set<WebSocket>;
  readonly received: unknown[];
  close(): Promise<void>;
}

/** A WebSocket server answering each message with `reply` (binary frames when `binary`). */
async function serve(
  reply: (msg: Record<string, unknown>, ws: WebSocket) => unknown[],
  binary: boolean,
  onOpen?: (ws: WebSocket) => void,
): Promise<Scripted> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http });
  const sockets = new Set<WebSocket>();
  const received: unknown[] = [];
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    onOpen?.(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      received.push(msg);
      for (const out of reply(msg, ws))
        ws.send(binary ? Buffer.from(JSON.stringify(out)) : JSON.stringify(out), { binary });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    sockets,
    received,
    close: async () => {
      for (const s of sockets) s.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

const tradingReply = (ok: boolean) => (msg: Record<string, unknown>) => {
  if (msg.action === 'authenticate') {
    const d = msg.data as { key_id: string; secret_key: string };
    const good = ok && d.key_id === KEY && d.secret_key === SECRET;
    return [good ? example('ws_authorized.json') : example('ws_unauthorized.json')];
  }
  if (msg.action === 'listen') return [example('ws_listening_ack.json')];
  return [];
};

describe('the Alpaca streams', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('trading stream: authenticates, listens, reads binary frames, reconnects and says so', async () => {
    const server = await serve(tradingReply(true), true);
    cleanup.push(server.close);
    const updates: TradeUpdate[] = [];
    const states: string[] = [];
    const stream = new TradeUpdatesStream(
      `${server.url}/stream`,
      creds,
      { message: (u) => updates.push(u), state: (s) => states.push(s) },
      { backoffMs: 10 },
    );
    cleanup.push(() => stream.close());
    await stream.open();
    assert.deepEqual(server.received[0], JSON.parse(creds.streamAuthFrame()));
    assert.deepEqual(server.received[1], example('ws_listen_request.json'));
    for (const ws of server.sockets)
      ws.send(Buffer.from(JSON.stringify(example('trade_update_fill_crypto.json'))), { binary: true });
    await until(() => updates.length === 1, 'the binary trade update');
    assert.equal(updates[0]!.event, 'fill');
    for (const ws of server.sockets) ws.terminate();
    await until(() => states.length === 2, 'disconnected then reconnected');
    assert.deepEqual(states, ['disconnected', 'reconnected']);
    assert.equal(server.received.length, 4, 'authenticated and listened again');
  });

  it('trading stream: an unauthorized answer fails the open, without the secret in the error', async () => {
    const server = await serve(tradingReply(false), true);
    cleanup.push(server.close);
    const stream = new TradeUpdatesStream(`${server.url}/stream`, creds, {
      message: () => {},
      state: () => {},
    });
    cleanup.push(() => stream.close());
    await assert.rejects(
      stream.open(),
      (e: Error) => /unauthorized/.test(e.message) && !e.message.includes(SECRET),
    );
  });

  it('market data: auth, subscribe, arrays of messages in text frames', async () => {
    const server = await serve(
      (msg) => {
        if (msg.action === 'auth') return [[{ T: 'success', msg: 'authenticated' }]];
        if (msg.action === 'subscribe')
          return [[{ T: 'subscription', trades: msg.trades, quotes: msg.quotes, bars: [] }]];
        return [];
      },
      false,
      (ws) => ws.send(JSON.stringify([{ T: 'success', msg: 'connected' }])),
    );
    cleanup.push(server.close);
    const frames: unknown[] = [];
    const stream = new MarketDataStream(
      `${server.url}/v2/iex`,
      creds,
      JSON.stringify({ action: 'subscribe', trades: ['AAPL'], quotes: ['AAPL'] }),
      { message: (f) => frames.push(f), state: () => {} },
    );
    cleanup.push(() => stream.close());
    await stream.open();
    assert.deepEqual(server.received[0], { action: 'auth', key: KEY, secret: SECRET });
    for (const ws of server.sockets)
      ws.send(JSON.stringify([{ T: 't', S: 'AAPL', p: 190, s: 1, t: '2024-05-01T14:00:00Z' }]));
    await until(() => frames.some((f) => Array.isArray(f) && (f[0] as { T: string }).T === 't'), 'a trade');
  });

  it('market data: an auth error fails the open', async () => {
    const server = await serve(
      (msg) => (msg.action === 'auth' ? [[{ T: 'error', code: 402, msg: 'auth failed' }]] : []),
      false,
    );
    cleanup.push(server.close);
    const stream = new MarketDataStream(`${server.url}/v1beta3/crypto/us`, creds, '{}', {
      message: () => {},
      state: () => {},
    });
    cleanup.push(() => stream.close());
    await assert.rejects(stream.open(), /402 auth failed/);
  });
});
