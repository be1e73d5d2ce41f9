// Graceful shutdown: a request already being received when the server is told to stop still gets
// its answer (and its order is journaled), new connections are refused, stream clients are closed
// with 1001, and after a restart on the same data directory the order is there.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { StreamClient, startHarness, TEST_TOKEN } from './support/api-harness.ts';
import { until } from './support/until.ts';

describe('graceful shutdown', () => {
  it('drains the request in flight, closes the stream, then the journal; a restart has the order', async () => {
    const h = await startHarness();
    const dataDir = h.dataDir;
    h.feed.trade(45_000);
    const stream = new StreamClient(h.url);
    await stream.open();
    let closeCode = 0;
    stream.ws.on('close', (code) => (closeCode = code));

    const port = Number(new URL(h.url).port);
    const body = JSON.stringify({
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      quantity: '0.1',
      price: '44000',
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    // Headers and half the body now; the rest once shutdown has begun.
    socket.write(
      `POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const closing = h.close();
    await until(() => closeCode !== 0, 'the stream to be closed');
    assert.equal(closeCode, 1001);
    // A new connection is not served any more.
    await assert.rejects(fetch(`${h.url}/health`));
    socket.write(body.slice(20));
    await until(() => /\r\n\r\n\{.*\}$/s.test(answer), 'the answer to the request in flight');
    assert.match(answer, /^HTTP\/1.1 201/);
    const id = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).order.id as number;
    await closing;
    socket.destroy();

    const h2 = await startHarness({ dataDir });
    try {
      const r = await h2.call('GET', `/v1/orders/${id}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.order.price, '44000.00');
      assert.equal(r.json.order.status, 'accepted');
    } finally {
      await h2.dispose();
    }
  });
});
