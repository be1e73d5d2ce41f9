// Trading through the Binance adapter, offline: a local fake Binance (the same server
// `ordo sandbox binance` starts) stands in for api.binance.com. Ordo signs every request, hears its
// orders over the WebSocket API user data stream, reads prices from the public streams, and says
// before placing which orders go to Binance natively and which it holds itself.
//
// Run: node --import tsx examples/binance-sandbox.ts

import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { BinanceAdapter } from '../src/venues/binance/binance-adapter.ts';
import { FakeBinance } from '../src/venues/binance/fake/fake-binance.ts';
import { Credentials } from '../src/venues/binance/signing.ts';
import { LiveSession } from '../src/venues/live-session.ts';

const apiKey = 'ExampleKey0000000000000000000000000000000000000000000000000000001';
const secret = 'ExampleSecret000000000000000000000000000000000000000000000000001';

const fake = new FakeBinance({ apiKeys: [{ apiKey, hmacSecret: secret }] });
const urls = await fake.start({ port: 0, host: '127.0.0.1' });
fake.feedQuote('BTCUSDT', '45000.00', '5', '45001.00', '5');
fake.feedTrade('BTCUSDT', '45000.50', '0.1');

// With real keys: binanceCredentials() from the environment, and BINANCE_URLS.testnet.
const adapter = new BinanceAdapter({
  urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
  credentials: unwrap(Credentials.from({ apiKey, hmacSecret: secret })),
});
const session = await LiveSession.open(adapter, { marketData: true });
const oms = session.oms;
const until = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

// Buy 0.01 BTC below the market; a trade through the price fills it.
const buy = unwrap(
  oms.placeOrder(
    { symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '44900' },
    Date.now(),
  ),
);
await until(() => oms.getOrder(buy.id as OrderId)?.status === 'accepted');
fake.feedTrade('BTCUSDT', '44899.00', '1');
await until(() => oms.getOrder(buy.id as OrderId)?.status === 'filled');
console.log(
  `bought: ${oms.getOrder(buy.id as OrderId)?.filled} BTC at ${oms.getOrder(buy.id as OrderId)?.averageFillPrice}`,
);

// Protect it: take-profit and stop-loss as one OCO. Binance links it natively.
const oco = { symbol: 'BTC/USDT', side: 'sell' as const, quantity: '0.01' };
const legs = [
  { type: 'limit' as const, price: '46000' },
  { type: 'stop' as const, triggerPrice: '44000' },
] as const;
const plan = unwrap(oms.explain((o) => o.placeOcoOrder({ ...oco, legs: [...legs] as never })));
console.log(`OCO: ${plan.list?.route} (${plan.list?.reason})`);
for (const p of plan.orders) console.log(`  ${p.role} ${p.type}: ${p.route}: ${p.reason}`);
// A trailing stop by a price offset is something Binance does not take: Ordo holds it.
const trailing = unwrap(
  oms.explain((o) =>
    o.placeTrailingStop({
      symbol: 'BTC/USDT',
      side: 'sell',
      quantity: '0.01',
      offsetType: 'price',
      offset: '500',
    }),
  ),
);
console.log(`trailing stop by price: ${trailing.orders[0]?.route}: ${trailing.orders[0]?.reason}`);

const list = unwrap(oms.placeOcoOrder({ ...oco, legs: [...legs] as never }, Date.now()));
await until(() => list.orders.every((o) => oms.getOrder(o.id as OrderId)?.status === 'accepted'));
fake.feedTrade('BTCUSDT', '46001.00', '1');
await until(() => oms.getOrder(list.orders[0]!.id as OrderId)?.status === 'filled');
await session.settle();
for (const o of list.orders) {
  const v = oms.getOrder(o.id as OrderId)!;
  console.log(`${v.role} ${v.type}: ${v.status}`);
}
console.log(`position: ${JSON.stringify(oms.portfolio.position('binance:BTC/USDT'))}`);
console.log(
  `signatures checked by the fake: ${fake.requests().filter((r) => r.signatureOk === true).length}, bad: ${fake.requests().filter((r) => r.signatureOk === false).length}`,
);

await session.close();
await fake.stop();
