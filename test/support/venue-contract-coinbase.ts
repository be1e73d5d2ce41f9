// The venue contract on Coinbase: a CoinbaseAdapter in a LiveSession (with market data) on the
// local FakeCoinbase (127.0.0.1, port 0), a fresh ES256 JWT on every request and user-channel
// subscribe, verified by the fake. `coinbase:BTC/USD` (tick 0.01, lot 1e-8); limit, market,
// stop-limit and a bracket's exit pair (one trigger bracket) are Coinbase's, Ordo emulates stops,
// trailing stops and links every list (COINBASE_CAPABILITIES). Fees are the fake's and Ordo's default tier (0.6 % maker, 0.8 % taker).

import { generateKeyPairSync } from 'node:crypto';
import { unwrap } from '../../src/core/errors.ts';
import { CoinbaseAdapter } from '../../src/venues/coinbase/coinbase-adapter.ts';
import { splitPairId } from '../../src/venues/coinbase/exit-pair.ts';
import { FakeCoinbase } from '../../src/venues/coinbase/fake/index.ts';
import { CoinbaseCredentials } from '../../src/venues/coinbase/jwt.ts';
import { LiveSession } from '../../src/venues/live-session.ts';
import { type MakeVenue, type NativeSupport, SkewClock, type VenueFaults } from './venue-contract.ts';
import { countMarket, liveVenue } from './venue-contract-live.ts';

const KEY_NAME = 'organizations/ordo-contract-org/apiKeys/ordo-contract-key-0001';
const PRODUCT = 'BTC-USD';
const KEY = 'coinbase:BTC/USD';

const NATIVE_COINBASE: NativeSupport = {
  stop: false,
  stopLimit: true,
  trailingPercent: false,
  trailingPrice: false,
  oco: false,
  bracket: false,
  bracketExits: true,
  otoFull: false,
};

/** Generated once: a P-256 key pair per venue would cost each case a few milliseconds. */
let keyPair:
  | { publicKey: ReturnType<typeof generateKeyPairSync>['publicKey']; privatePem: string }
  | undefined;
function keys() {
  if (keyPair === undefined) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keyPair = {
      publicKey: pair.publicKey,
      privatePem: pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    };
  }
  return keyPair;
}

const FINAL = new Set(['FILLED', 'CANCELLED', 'EXPIRED', 'FAILED']);

export const coinbaseVenue: MakeVenue = async (options = {}) => {
  const clock = new SkewClock();
  const k = keys();
  const fake = new FakeCoinbase({
    apiKeys: [{ name: KEY_NAME, publicKey: k.publicKey }],
    now: clock.now,
    jwtHosts: [],
    balances: { USD: '100000', BTC: '2' },
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  const adapter = new CoinbaseAdapter({
    urls: { rest: urls.brokerage, userWs: urls.ws, marketWs: urls.marketData },
    credentials: unwrap(CoinbaseCredentials.from({ keyName: KEY_NAME, privateKey: k.privatePem })),
    products: [PRODUCT],
    timeoutMs: 2_000,
    clock: clock.now,
    sleep: clock.sleep,
  });
  const counts = countMarket(adapter, () => KEY);
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
  const inst = adapter.instruments().find((i) => i.key === KEY);
  if (inst === undefined) {
    await session.close();
    await fake.stop();
    throw new Error(`the fake lists no ${PRODUCT}`);
  }
  const faults: VenueFaults = {
    repriceKeepsOrder: true,
    fillsTold: 'cumulative',
    loseNextAnswer: (request) => {
      const match = {
        order: { method: 'POST', path: '/orders' },
        orderList: { method: 'POST', path: '/orders' },
        cancel: { method: 'POST', path: '/orders/batch_cancel' },
        replace: { method: 'POST', path: '/orders/edit' },
      }[request];
      fake.faults.dropResponse({ match });
    },
    pauseOrderStream: () => fake.faults.pauseUserData(),
    resumeOrderStream: () => fake.faults.resumeUserData(),
    duplicateEvents: (n) => fake.faults.duplicateEvents(n),
    venueOrderCount: (cid) => fake.orderRecords().filter((o) => o.clientOrderId === cid).length,
    faultsApplied: () => {
      const reqs = fake.requests();
      const first = reqs.findIndex((r) => r.fault !== undefined);
      return {
        applied: reqs.filter((r) => r.fault !== undefined).length,
        lookedUp:
          first >= 0 && reqs.slice(first + 1).some((r) => r.method === 'GET' && /\/orders/.test(r.path)),
      };
    },
    rateLimits: () => {
      // Coinbase sends no Retry-After: a client waits out the one-second window.
      const hits = fake.requests().filter((r) => r.status === 429);
      let inside = 0;
      for (const h of hits)
        inside += fake.requests().filter((r) => r.time > h.time && r.time < h.time + 1_000).length;
      return {
        hits: hits.length,
        statuses: hits.map((h) => h.status),
        sentInsideWait: inside,
        everBanned: false,
      };
    },
  };
  const v = await liveVenue({
    name: 'coinbase (fake)',
    session,
    clock,
    inst,
    counts,
    qtyFactor: 1,
    native: NATIVE_COINBASE,
    postOnly: true,
    feedTrade: (price, qty) => fake.feedTrade(PRODUCT, price, qty),
    feedQuote: (bid, ask, size) => fake.feedQuote(PRODUCT, bid, size, ask, size),
    venueOrders: () =>
      fake.orderRecords().map((o) => {
        const legs = o.kind === 'bracket' ? splitPairId(o.clientOrderId) : undefined;
        return {
          clientOrderId: o.clientOrderId,
          venueOrderIds: [o.id],
          filled: o.filled,
          status: o.status,
          final: FINAL.has(o.status),
          ...(legs === undefined ? {} : { legClientOrderIds: [legs.takeProfit, legs.stopLoss] }),
        };
      }),
    streamPaused: () => fake.faults.userDataPaused,
    venueProblems: () => {
      const out: string[] = [];
      for (const r of fake.requests().filter((x) => x.authOk === false))
        out.push(`refused JWT on ${r.method} ${r.path}`);
      for (const e of fake.internalErrors()) out.push(`fake internal error: ${e.message}`);
      for (const d of adapter.discrepancies()) out.push(`adapter discrepancy: ${d}`);
      return out;
    },
    faults,
    stopFake: () => fake.stop(),
  });
  // A burst of orders meets Coinbase's per-second limit as placements answered 429.
  if (options.ordersPer10s !== undefined)
    fake.faults.rateLimitNext(2, { match: { method: 'POST', path: '/orders' } });
  return v;
};
