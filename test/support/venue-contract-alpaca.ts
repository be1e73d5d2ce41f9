// The venue contract on Alpaca: an AlpacaAdapter in a LiveSession (with market data) on the local
// FakeAlpaca (127.0.0.1, port 0), key headers on every request, the binary trade_updates stream.
//
// - crypto (`alpaca:BTC/USD`): market, limit and stop-limit native, everything else emulated by
//   Ordo (ALPACA_CRYPTO_CAPABILITIES); commissions charged in USD, as Ordo books them.
// - equity (`alpaca:AAPL`): stops, trailing stops (no activation price, no limit offset), OCO and
//   one-child OTO order classes native (ALPACA_EQUITY_CAPABILITIES); no fees. The cases' prices are
//   whole dollars, within Alpaca's sub-penny rule; AAPL trades here at the cases' price levels,
//   and in whole shares: 1000 shares for each "BTC" of the cases, with the cash to match.

import { unwrap } from '../../src/core/errors.ts';
import { AlpacaAdapter } from '../../src/venues/alpaca/alpaca-adapter.ts';
import { AlpacaCredentials } from '../../src/venues/alpaca/auth.ts';
import { FakeAlpaca } from '../../src/venues/alpaca/fake/index.ts';
import { LiveSession } from '../../src/venues/live-session.ts';
import { type MakeVenue, type NativeSupport, SkewClock, type VenueFaults } from './venue-contract.ts';
import { countMarket, liveVenue, type VenueOrderState } from './venue-contract-live.ts';

const KEY_ID = 'PKORDOCONTRACT000001';
const SECRET = 'OrdoAlpacaContractSecret0000000000000001';

/** Crypto: only market, limit and stop-limit are Alpaca's; Ordo emulates the rest. */
const NATIVE_ALPACA_CRYPTO: NativeSupport = {
  stop: false,
  stopLimit: true,
  trailingPercent: false,
  trailingPrice: false,
  oco: false,
  bracket: false,
  otoFull: false,
};

/** Equities: stops, trailing stops and order classes are Alpaca's. */
const NATIVE_ALPACA_EQUITY: NativeSupport = {
  stop: true,
  stopLimit: true,
  trailingPercent: true,
  trailingPrice: true,
  oco: true,
  // Alpaca releases a bracket's exits only once the entry is completely filled: a bracket
  // protecting partial fills is linked by Ordo (its orders are native).
  bracket: false,
  otoFull: true,
};

/** Alpaca on the fake, trading `symbol` (`BTC/USD` or `AAPL`). */
export function alpacaVenue(symbol: 'BTC/USD' | 'AAPL'): MakeVenue {
  const equity = symbol === 'AAPL';
  return async (options = {}) => {
    const clock = new SkewClock();
    const fake = new FakeAlpaca({
      apiKeys: [{ keyId: KEY_ID, secretKey: SECRET }],
      balances: equity ? { USD: '100000000', AAPL: '2000' } : { USD: '100000', BTC: '2' },
      now: clock.now,
      commission: equity ? undefined : { maker: '0.0015', taker: '0.0025' },
    });
    const urls = await fake.start({ port: 0, host: '127.0.0.1' });
    const adapter = new AlpacaAdapter({
      urls: { rest: urls.rest, stream: urls.ws, dataStream: urls.marketData },
      credentials: unwrap(AlpacaCredentials.from({ keyId: KEY_ID, secretKey: SECRET })),
      symbols: [symbol],
      timeoutMs: 2_000,
      clock: clock.now,
      sleep: clock.sleep,
      stream: { backoffMs: 20, maxBackoffMs: 100 },
      cryptoFeeMaker: '0.0015',
      cryptoFeeTaker: '0.0025',
      cryptoFees: 'quote',
    });
    const key = `alpaca:${symbol}`;
    const counts = countMarket(adapter, () => key);
    let session: LiveSession;
    try {
      session = await LiveSession.open(adapter, {
        marketData: true,
        clock: clock.now,
        bridge: { backoffMs: 20, sleep: clock.sleep, clock: clock.now },
      });
    } catch (e) {
      await fake.stop();
      throw e;
    }
    const inst = adapter.instruments().find((i) => i.key === key);
    if (inst === undefined) {
      await session.close();
      await fake.stop();
      throw new Error(`the fake lists no ${symbol}`);
    }
    const venueOrders = (): VenueOrderState[] => {
      // A replacement carries the client order id with `-rN`: one Ordo order.
      const byCid = new Map<
        string,
        { filled: number; status: string; final: boolean; venueOrderIds: string[] }
      >();
      for (const o of fake.orderRecords()) {
        const cid = o.clientOrderId.replace(/-r\d+$/, '');
        const final = ['filled', 'canceled', 'expired', 'rejected', 'replaced'].includes(o.status);
        const e = byCid.get(cid);
        if (e === undefined)
          byCid.set(cid, { filled: o.filledQty, status: o.status, final, venueOrderIds: [o.id] });
        else
          byCid.set(cid, {
            filled: e.filled + o.filledQty,
            status: o.status,
            final,
            venueOrderIds: [...e.venueOrderIds, o.id],
          });
      }
      return [...byCid].map(([clientOrderId, e]) => ({ clientOrderId, ...e }));
    };
    /** The fake's orders for an Ordo order: by client order id, or (legs Alpaca named) by id. */
    const recordsOf = (cid: string) => {
      const venueId = session.oms.getOrders().find((o) => o.clientOrderId === cid)?.venueOrderId;
      return fake
        .orderRecords()
        .filter(
          (o) => o.clientOrderId.replace(/-r\d+$/, '') === cid || (venueId !== undefined && o.id === venueId),
        );
    };
    const faults: VenueFaults = {
      repriceKeepsOrder: false,
      fillsTold: 'each',
      loseNextAnswer: (request) => {
        const match = {
          order: { method: 'POST', path: '/v2/orders' },
          orderList: { method: 'POST', path: '/v2/orders' },
          cancel: { method: 'DELETE', path: '/v2/orders/{id}' },
          replace: { method: 'PATCH', path: '/v2/orders/{id}' },
        }[request];
        fake.faults.dropResponse({ match });
      },
      pauseOrderStream: () => fake.faults.pauseUserData(),
      resumeOrderStream: () => fake.faults.resumeUserData(),
      duplicateEvents: (n) => fake.faults.duplicateEvents(n),
      venueOrderCount: (cid) => recordsOf(cid).length,
      faultsApplied: () => {
        const reqs = fake.requests();
        const first = reqs.findIndex((r) => r.fault !== undefined);
        return {
          applied: reqs.filter((r) => r.fault !== undefined).length,
          lookedUp:
            first >= 0 &&
            reqs
              .slice(first + 1)
              .some(
                (r) =>
                  r.method === 'GET' &&
                  (r.route === '/v2/orders:by_client_order_id' || r.route === '/v2/orders/{id}'),
              ),
        };
      },
      rateLimits: () => {
        const hits = fake.rateLimitHits();
        let inside = 0;
        for (const h of hits)
          inside += fake.requests().filter((r) => r.time > h.time && r.time < h.resetAt).length;
        return {
          hits: hits.length,
          statuses: hits.map(() => 429),
          sentInsideWait: inside,
          everBanned: false,
        };
      },
    };
    const v = await liveVenue({
      name: equity ? 'alpaca equity (fake)' : 'alpaca crypto (fake)',
      session,
      clock,
      inst,
      counts,
      qtyFactor: equity ? 1000 : 1,
      native: equity ? NATIVE_ALPACA_EQUITY : NATIVE_ALPACA_CRYPTO,
      // Alpaca has no post-only flag: its adapter refuses one (order-rules.ts, post_only).
      postOnly: false,
      feedTrade: (price, qty) => fake.feedTrade(symbol, price, qty),
      feedQuote: (bid, ask, size) => fake.feedQuote(symbol, bid, size, ask, size),
      venueOrders,
      streamPaused: () => fake.faults.userDataPaused,
      venueProblems: () => {
        const out: string[] = [];
        for (const r of fake.requests().filter((x) => x.authOk === false))
          out.push(`refused credentials on ${r.method} ${r.path}`);
        for (const e of fake.internalErrors()) out.push(`fake internal error: ${e.message}`);
        return out;
      },
      faults,
      stopFake: () => fake.stop(),
    });
    // Alpaca limits requests per minute (200): a burst of orders meets it as the next requests
    // answered 429, each telling in X-RateLimit-Reset when the window ends.
    if (options.ordersPer10s !== undefined) fake.faults.rateLimitNext(2);
    return v;
  };
}
