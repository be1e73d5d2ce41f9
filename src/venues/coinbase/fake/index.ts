// The fake Coinbase Advanced Trade server: public surface for tests and `ordo sandbox coinbase`.
//
//   const fake = new FakeCoinbase({ apiKeys: [{ name, publicKey }], now: clock.now });
//   const urls = await fake.start({ port: 0, host: '127.0.0.1' }); // urls.rest (…/api/v3/brokerage), urls.ws, urls.marketData
//   fake.feedQuote('BTC-USD', '60000', '1', '60001', '1');          // or fake.feed(md) in Ordo units
//   fake.faults.dropResponse({ match: { method: 'POST', path: '/orders' } });
//   ... drive the client under test ...
//   assert.equal(fake.orderRecords().length, 1);
//   await fake.stop();

export type { FakeApiKey } from './fake-auth.ts';
export {
  FakeCoinbase,
  type FakeCoinbaseOptions,
  type FakeCoinbaseUrls,
  type RequestLogEntry,
} from './fake-coinbase.ts';
export { FakeFaults, type RequestMatch } from './fake-faults.ts';
export type { PublicTrade, TradeSide } from './fake-market.ts';
export type { CbFill, CbOrder, CbStatus } from './fake-order.ts';
export { type Commission, DEFAULT_PRODUCTS, type FakeProductInput } from './fake-products.ts';
export type { RateLimitHit, RateLimitOptions } from './fake-rate-limits.ts';
export type { UserEvent } from './fake-ws.ts';
export { runSandbox, type Sandbox, type SandboxCredentials, type SandboxOptions } from './sandbox.ts';
