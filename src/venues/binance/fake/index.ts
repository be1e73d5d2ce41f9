// The fake Binance Spot server: public surface for tests and `ordo sandbox binance`.
//
//   const fake = new FakeBinance({ apiKeys: [{ apiKey, hmacSecret }], now: clock.now });
//   const urls = await fake.start({ port: 0, host: '127.0.0.1' }); // urls.rest, urls.wsApi, urls.stream
//   fake.feedQuote('BTCUSDT', '60000', '1', '60001', '1');          // or fake.feed(md) in Ordo units
//   fake.faults.dropResponse({ match: { endpoint: 'order.place' } });
//   ... drive the client under test ...
//   assert.equal(fake.orders().length, 1);
//   assert.equal(fake.banStatus().everBanned, false);
//   await fake.stop();

export type { FakeApiKey } from './fake-auth.ts';
export {
  FakeBinance,
  type FakeBinanceOptions,
  type FakeBinanceUrls,
  type RequestLogEntry,
} from './fake-binance.ts';
export { BinanceError } from './fake-errors.ts';
export type { RequestFault, RequestMatch } from './fake-faults.ts';
export { FakeFaults } from './fake-faults.ts';
export type { RateLimitHit, RateLimitOptions } from './fake-rate-limits.ts';
export { type BinanceFilterJson, DEFAULT_SYMBOLS, type FakeSymbolInput } from './fake-symbols.ts';
export { runSandbox, type Sandbox, type SandboxCredentials, type SandboxOptions } from './sandbox.ts';
