// runSandbox: starts the fake, prints URLs and generated credentials, and keeps a live synthetic
// market; the printed credentials work for signed REST and for session.logon.

import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { test } from 'node:test';
import { until, WsClient } from './fake-test-kit.ts';
import { runSandbox } from './sandbox.ts';

test('runSandbox prints working credentials and drives a live market', async () => {
  let printed = '';
  const sb = await runSandbox({ tickMs: 10, seed: 7, out: { write: (t: string) => (printed += t) } });
  try {
    assert.ok(printed.includes(sb.urls.rest));
    assert.ok(printed.includes(sb.urls.wsApi));
    assert.ok(printed.includes(sb.credentials.apiKey));
    assert.ok(printed.includes(sb.credentials.secretKey));
    assert.ok(printed.includes('BEGIN PRIVATE KEY'));

    const ticker = async () =>
      (await (await fetch(`${sb.urls.rest}/api/v3/ticker/bookTicker?symbol=BTCUSDT`)).json()) as {
        bidPrice: string;
        askPrice: string;
      };
    const first = await ticker();
    assert.notEqual(first.bidPrice, '0.00000000');
    assert.ok(Number(first.askPrice) > Number(first.bidPrice));
    const market = await WsClient.connect(`${sb.urls.stream}/ws/ethusdt@trade`);
    const trade = await market.next((f) => f.e === 'trade');
    assert.equal(trade.s, 'ETHUSDT');
    await market.close();

    const query = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=30000&timestamp=${Date.now()}`;
    const signature = createHmac('sha256', sb.credentials.secretKey).update(query).digest('hex');
    const placed = await fetch(`${sb.urls.rest}/api/v3/order?${query}&signature=${signature}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': sb.credentials.apiKey },
    });
    assert.equal(placed.status, 200, await placed.clone().text());

    const c = await WsClient.connect(sb.urls.wsApi);
    const params = { apiKey: sb.credentials.ed25519ApiKey, timestamp: Date.now() };
    const payload = `apiKey=${params.apiKey}&timestamp=${params.timestamp}`;
    const key = createPrivateKey(sb.credentials.ed25519PrivateKeyPem);
    const logon = await c.request('session.logon', {
      ...params,
      signature: sign(null, Buffer.from(payload), key).toString('base64'),
    });
    assert.equal(logon.status, 200, JSON.stringify(logon));
    await c.close();
    await until(() => sb.fake.userEvents().length > 0);
  } finally {
    await sb.stop();
  }
});
