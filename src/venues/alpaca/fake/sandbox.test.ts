// runSandbox: starts the fake, prints the URLs and throwaway credentials, keeps a live synthetic
// market on every asset; the printed credentials work on REST and on both streams.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until, WsClient } from './fake-test-kit.ts';
import { runSandbox } from './sandbox.ts';

test('runSandbox prints working credentials and drives a live market', async () => {
  let printed = '';
  const sb = await runSandbox({ tickMs: 10, seed: 7, out: { write: (t: string) => (printed += t) } });
  try {
    assert.ok(printed.includes(sb.urls.rest));
    assert.ok(printed.includes(sb.urls.ws));
    assert.ok(printed.includes(sb.credentials.keyId));
    assert.ok(printed.includes(sb.credentials.secretKey));
    assert.match(sb.credentials.keyId, /^PK[A-Z0-9]{18}$/);
    const headers = {
      'APCA-API-KEY-ID': sb.credentials.keyId,
      'APCA-API-SECRET-KEY': sb.credentials.secretKey,
      'Content-Type': 'application/json',
    };

    const md = await WsClient.connect(`${sb.urls.marketData}/v2/iex`);
    await md.next();
    md.send({ action: 'auth', key: sb.credentials.keyId, secret: sb.credentials.secretKey });
    assert.equal((await md.next())[0].msg, 'authenticated');
    md.send({ action: 'subscribe', trades: ['AAPL'], quotes: ['AAPL'] });
    await md.next((f) => f[0]?.T === 'subscription');
    const trade = (await md.next((f) => f[0]?.T === 't'))[0];
    assert.equal(trade.S, 'AAPL');
    assert.ok(Number.isInteger(Math.round(trade.p * 100)));
    await md.close();

    const placed = await fetch(`${sb.urls.rest}/v2/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        symbol: 'BTC/USD',
        qty: '0.01',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
      }),
    });
    assert.equal(placed.status, 200, await placed.clone().text());
    const id = ((await placed.json()) as { id: string }).id;
    await until(() => sb.fake.orderRecords().some((o) => o.id === id && o.status === 'filled'));
    const acct = (await (await fetch(`${sb.urls.rest}/v2/account`, { headers })).json()) as { cash: string };
    assert.ok(Number(acct.cash) < 100_000);
  } finally {
    await sb.stop();
  }
});
