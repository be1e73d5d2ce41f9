// The fake Alpaca server: public surface for tests and `ordo sandbox alpaca`.
//
//   const fake = new FakeAlpaca({ apiKeys: [{ keyId, secretKey }], now: clock.now });
//   const urls = await fake.start({ port: 0, host: '127.0.0.1' }); // urls.rest, urls.ws, urls.marketData
//   fake.feedQuote('BTC/USD', '60000', '1', '60001', '1');            // or fake.feed(md) in Ordo units
//   fake.faults.dropResponse({ match: { method: 'POST', path: '/v2/orders' } });
//   ... drive the client under test ...
//   assert.equal(fake.orderRecords().length, 1);
//   await fake.stop();

export {
  FakeAlpaca,
  type FakeAlpacaOptions,
  type FakeAlpacaUrls,
  type RequestLogEntry,
} from './fake-alpaca.ts';
export type { AssetClass, AssetSpec, Commission, FakeAssetInput } from './fake-assets.ts';
export { DEFAULT_ASSETS } from './fake-assets.ts';
export type { FakeApiKey } from './fake-auth.ts';
export { AlpacaError } from './fake-errors.ts';
export type { RequestFault, RequestMatch } from './fake-faults.ts';
export { FakeFaults } from './fake-faults.ts';
export type { FakeOrder, OrderStatus } from './fake-order.ts';
export type { RateLimitHit, RateLimitOptions } from './fake-rate-limit.ts';
export { runSandbox, type Sandbox, type SandboxCredentials, type SandboxOptions } from './sandbox.ts';
