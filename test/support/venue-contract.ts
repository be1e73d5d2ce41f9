// The venue contract harness: one interface over the venues Ordo trades on, so that one suite of
// cases (test/venue-contract.test.ts) runs unchanged against each of them.
//
// - paper: a PaperVenue (every advanced order native, or none) under an AdvancedOrderManager,
//   driven in-process; market data is fed with explicit, increasing timestamps and everything
//   settles synchronously.
// - binance: a BinanceAdapter in a LiveSession on the local FakeBinance (127.0.0.1, port 0), the
//   real wire format end to end with every signature verified; market data goes into the fake, which
//   matches on it and publishes it on its public stream, and the harness waits until Ordo has seen
//   the market event and until Ordo's orders agree with the fake's (fills, open or closed), or fails
//   the test with what is still different.
//
// Both use BTC/USDT with Binance's filters for it in the fake (tick 0.01, lot 0.00001, minimum
// notional 5) and the same starting balances (100000 USDT, 2 BTC).

import { parseUnits } from '../../src/core/decimal.ts';
import { unwrap } from '../../src/core/errors.ts';
import { AdvancedOrderManager } from '../../src/engine/advanced-order-manager.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../../src/model/instrument.ts';
import type { MarketData } from '../../src/model/market.ts';
import { isTerminal } from '../../src/model/status.ts';
import { Portfolio } from '../../src/portfolio/index.ts';
import { BinanceAdapter } from '../../src/venues/binance/binance-adapter.ts';
import { FakeBinance } from '../../src/venues/binance/fake/fake-binance.ts';
import { Credentials } from '../../src/venues/binance/signing.ts';
import { LiveSession } from '../../src/venues/live-session.ts';
import { ALL_NATIVE, NONE_NATIVE, type PaperNative, PaperVenue } from '../../src/venues/paper/paper-venue.ts';
import type { VenueListener } from '../../src/venues/venue-adapter.ts';
import { until } from './until.ts';

/** Which advanced orders a venue takes natively (what `explain` must say), per kind of order. */
export interface NativeSupport {
  readonly stop: boolean;
  readonly stopLimit: boolean;
  /** Trailing stop with a relative (percent, bps) offset. */
  readonly trailingPercent: boolean;
  /** Trailing stop with an absolute price offset. */
  readonly trailingPrice: boolean;
  readonly oco: boolean;
  /** A bracket with an entry, protecting partial fills of the entry (the default). */
  readonly bracket: boolean;
  /** A bracket's take-profit and stop-loss held as one native order (its entry linked by Ordo). */
  readonly bracketExits?: boolean;
  /** An OTO releasing its child once the parent is filled. */
  readonly otoFull: boolean;
}

/** Faults a networked venue can be made to have. */
export interface VenueFaults {
  /** The venue executes the next matching request, then the connection drops without an answer. */
  loseNextAnswer(request: 'order' | 'orderList' | 'cancel' | 'replace'): void;
  /** The order stream drops and cannot reconnect until `resumeOrderStream`; events meanwhile are lost. */
  pauseOrderStream(): void;
  resumeOrderStream(): void;
  /** Each of the next `n` order-stream events is delivered twice. */
  duplicateEvents(n: number): void;
  /** How many orders the venue has ever had under this client order id (replacements included). */
  venueOrderCount(clientOrderId: string): number;
  /** How many faults were applied, and whether the client then looked orders up by client order id. */
  faultsApplied(): { applied: number; lookedUp: boolean };
  /**
   * Whether a re-price keeps the venue's order (Coinbase edits it in place, POST /orders/edit) or
   * replaces it with a new one (Binance cancel-replace, Alpaca PATCH).
   */
  readonly repriceKeepsOrder: boolean;
  /**
   * How the order stream tells fills: each one (Binance, Alpaca), or an order's cumulative state
   * (Coinbase's user channel), where fills made while the stream was down come back as one.
   */
  readonly fillsTold: 'each' | 'cumulative';
  /** Rate-limit answers (429/418), requests sent inside a Retry-After wait, and bans. */
  rateLimits(): { hits: number; statuses: number[]; sentInsideWait: number; everBanned: boolean };
}

export interface VenueOptions {
  /** The venue's ORDERS limit per 10 seconds (networked venues only). */
  readonly ordersPer10s?: number;
}

export interface ContractVenue {
  readonly name: string;
  readonly oms: AdvancedOrderManager;
  /** The symbol orders are placed on (BTC/USDT, BTC/USD, AAPL) and its instrument key. */
  readonly symbol: string;
  readonly instrument: string;
  /** The instrument itself (its quantity and price scales). */
  readonly inst: Instrument;
  /**
   * The venue quantity for a quantity of the cases (written in BTC): the same on crypto venues, a
   * whole number of shares (1000 times as many) on equities. `trade` and `quote` sizes convert alike.
   */
  qty(text: string): string;
  readonly native: NativeSupport;
  /** Whether the venue takes post-only (maker-only) limits; Alpaca has none and refuses them. */
  readonly postOnly: boolean;
  /** A timestamp for the next command: increasing (paper), or the session's clock (binance). */
  now(): number;
  /** A market trade: the venue matches on it and Ordo's emulated triggers see it. */
  trade(price: string, qty: string): Promise<void>;
  /** The best bid and ask, `size` on each side. */
  quote(bid: string, ask: string, size: string): Promise<void>;
  /** Resolves once every command has been answered and Ordo agrees with the venue. */
  settle(): Promise<void>;
  /** Waits until `pred` holds (at once on paper), or fails naming `what`. */
  until(pred: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** What is wrong with the venue or the session beyond Ordo's own state; [] when nothing. */
  problems(): string[];
  /** Venue-specific faults; undefined where the venue has none (paper). */
  readonly faults: VenueFaults | undefined;
  close(): Promise<void>;
}

export type MakeVenue = (options?: VenueOptions) => Promise<ContractVenue>;

export const SYMBOL = 'BTC/USDT';
/** Where the market starts: the quote and the trade every venue opens with (in the cases' units). */
export const OPENING = { bid: '45000.00', ask: '45001.00', size: '5', last: '45000.50', lastQty: '0.1' };

/** Polls until `pred` holds (see until.ts). */
export const pollUntil = (pred: () => boolean, what: string, timeoutMs: number): Promise<void> =>
  until(pred, what, timeoutMs);

/** A venue quantity `factor` times a quantity of the cases (decimal text, exact). */
export function scaleQty(text: string, factor: number): string {
  if (factor === 1) return text;
  const [i = '0', f = ''] = text.split('.');
  const digits = Math.round(Math.log10(factor));
  const frac = f.padEnd(digits, '0');
  const whole = `${i}${frac.slice(0, digits)}`.replace(/^0+(?=\d)/, '');
  const rest = frac.slice(digits);
  return rest === '' ? whole : `${whole}.${rest}`;
}

function units(inst: Instrument, text: string, scale: number): number {
  const v = parseUnits(text, scale);
  if (v === undefined) throw new Error(`${text} does not fit ${inst.key} (${scale} decimals)`);
  return Number(v);
}

// ---- paper --------------------------------------------------------------------------------------

const NATIVE_ALL: NativeSupport = {
  stop: true,
  stopLimit: true,
  trailingPercent: true,
  trailingPrice: true,
  oco: true,
  bracket: true,
  otoFull: true,
};
const NATIVE_NONE: NativeSupport = {
  stop: false,
  stopLimit: false,
  trailingPercent: false,
  trailingPrice: false,
  oco: false,
  bracket: false,
  otoFull: false,
};

/** A paper venue with every advanced order native (ALL_NATIVE) or emulated by Ordo (NONE_NATIVE). */
export function paperVenue(native: PaperNative): MakeVenue {
  return async () => {
    const inst = unwrap(
      defineInstrument({
        venue: 'paper',
        symbol: SYMBOL,
        priceIncrement: '0.01',
        qtyIncrement: '0.00001',
        notionalMin: '5',
        feeMaker: '0.001',
        feeTaker: '0.001',
      }),
    );
    const venue = new PaperVenue({
      venue: 'paper',
      instruments: [inst],
      balances: { USDT: '100000', BTC: '2' },
      native,
      latencyMs: 0,
    });
    const oms = new AdvancedOrderManager(venue, { instruments: [inst], portfolio: new Portfolio() });
    let t = 1_700_000_000_000;
    const now = () => (t += 10);
    const feed = (md: MarketData) => oms.feed(md);
    const v: ContractVenue = {
      name:
        native === ALL_NATIVE
          ? 'paper (all native)'
          : native === NONE_NATIVE
            ? 'paper (none native)'
            : 'paper',
      oms,
      symbol: SYMBOL,
      instrument: inst.key,
      inst,
      qty: (text) => text,
      postOnly: true,
      native: native === ALL_NATIVE ? NATIVE_ALL : native === NONE_NATIVE ? NATIVE_NONE : nativeOf(native),
      now,
      trade: async (price, qty) =>
        feed({
          kind: 'trade',
          instrument: inst.key,
          ts: now(),
          price: units(inst, price, inst.priceScale),
          size: units(inst, qty, inst.qtyScale),
          aggressor: undefined,
          tradeId: undefined,
        }),
      quote: async (bid, ask, size) =>
        feed({
          kind: 'quote',
          instrument: inst.key,
          ts: now(),
          bid: units(inst, bid, inst.priceScale),
          bidSize: units(inst, size, inst.qtyScale),
          ask: units(inst, ask, inst.priceScale),
          askSize: units(inst, size, inst.qtyScale),
        }),
      settle: async () => {},
      until: async (pred, what) => {
        if (!pred()) throw new Error(`paper venue: ${what} does not hold (it settles synchronously)`);
      },
      problems: () => oms.anomalies.map((a) => `anomaly: ${a.message}`),
      faults: undefined,
      close: async () => {},
    };
    await v.quote(OPENING.bid, OPENING.ask, OPENING.size);
    await v.trade(OPENING.last, OPENING.lastQty);
    return v;
  };
}

function nativeOf(n: PaperNative): NativeSupport {
  return {
    stop: n.stop,
    stopLimit: n.stop_limit,
    trailingPercent: n.trailing_stop,
    trailingPrice: n.trailing_stop,
    oco: n.oco,
    bracket: n.bracket,
    otoFull: n.oto,
  };
}

// ---- binance on the fake ----------------------------------------------------------------------

const API_KEY = 'OrdoContractKey00000000000000000000000000000000000000000000000001';
const SECRET = 'OrdoContractSecret000000000000000000000000000000000000000000000001';
const VENUE_SYMBOL = 'BTCUSDT';

/**
 * A clock shared by the fake and every client part: real time plus whatever the clients waited
 * (their waits pass at once), so a Retry-After of seconds costs the test nothing.
 */
export class SkewClock {
  skew = 0;
  readonly now = (): number => Date.now() + this.skew;
  readonly sleep = async (ms: number): Promise<void> => {
    this.skew += Math.max(0, ms);
    await new Promise((r) => setImmediate(r));
  };
}

/** The adapter, counting the market events it hands to the session (which feeds them at once). */
class ObservedBinanceAdapter extends BinanceAdapter {
  trades = 0;
  quotes = 0;
  override connect(listener: VenueListener): Promise<void> {
    return super.connect({
      report: (r) => listener.report(r),
      connection: (s) => listener.connection(s),
      market: (md) => {
        listener.market(md);
        if (md.kind === 'trade') this.trades++;
        else if (md.kind === 'quote') this.quotes++;
      },
    });
  }
}

const NATIVE_BINANCE: NativeSupport = {
  stop: true,
  stopLimit: true,
  trailingPercent: true,
  // trailingDelta is relative (BIPS): a price offset is emulated.
  trailingPrice: false,
  oco: true,
  // Binance releases OTOCO exits only once the entry is filled: a bracket protecting partial fills
  // is linked by Ordo (its orders are native).
  bracket: false,
  otoFull: true,
};

export const binanceVenue: MakeVenue = async (options = {}) => {
  const clock = new SkewClock();
  const fake = new FakeBinance({
    apiKeys: [{ apiKey: API_KEY, hmacSecret: SECRET }],
    now: clock.now,
    rateLimits: options.ordersPer10s === undefined ? undefined : { ordersPer10s: options.ordersPer10s },
  });
  const urls = await fake.start({ port: 0, host: '127.0.0.1' });
  const adapter = new ObservedBinanceAdapter({
    urls: { rest: urls.rest, wsApi: urls.wsApi, streams: urls.stream },
    credentials: unwrap(Credentials.from({ apiKey: API_KEY, hmacSecret: SECRET })),
    symbols: [VENUE_SYMBOL],
    timeoutMs: 2_000,
    clock: clock.now,
    sleep: clock.sleep,
  });
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
  const oms = session.oms;
  const inst = adapter.instruments().find((i) => i.symbol === SYMBOL);
  if (inst === undefined) throw new Error(`the fake lists no ${SYMBOL}`);
  let tradesFed = 0;
  let quotesFed = 0;
  let closed = false;

  /** Where Ordo and the fake disagree about the orders the fake has. */
  const divergence = (): string[] => {
    const out: string[] = [];
    const byCid = new Map<string, { executed: number; last: { status: string; orderId: number } }>();
    for (const o of fake.orderRecords()) {
      const e = byCid.get(o.clientOrderId);
      if (e === undefined) byCid.set(o.clientOrderId, { executed: o.executedQty, last: o });
      else {
        e.executed += o.executedQty;
        if (o.orderId > e.last.orderId) e.last = o;
      }
    }
    for (const [cid, e] of byCid) {
      const id = oms.engine.state.byClientId.get(cid);
      if (id === undefined) {
        out.push(`the venue has order ${cid} (${e.last.status}), unknown to Ordo`);
        continue;
      }
      const o = oms.engine.state.order(id);
      const venueFinal = ['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH', 'REJECTED'].includes(
        e.last.status,
      );
      if (o.filled !== e.executed)
        out.push(`${cid}: the venue filled ${e.executed} units, Ordo ${o.filled} (${o.status})`);
      if (venueFinal !== isTerminal(o.status))
        out.push(`${cid}: ${e.last.status} at the venue, ${o.status} in Ordo`);
    }
    return out;
  };

  /**
   * The fake's balances against Ordo's books: the BTC it holds beyond the opening 2 is Ordo's
   * position, and its USDT is Ordo's cash (seeded from it; fees are taken in USDT on both sides).
   */
  const balanceDifferences = (): string[] => {
    const out: string[] = [];
    const held = fake.balances();
    const total = (asset: string): bigint =>
      (parseUnits(held[asset]?.free ?? '0', 8) ?? 0n) + (parseUnits(held[asset]?.locked ?? '0', 8) ?? 0n);
    const base = total('BTC') - 200_000_000n;
    const position = parseUnits(oms.portfolio.position(inst.key)?.qty ?? '0', inst.qtyScale) ?? 0n;
    if (base !== position * 10n ** BigInt(8 - inst.qtyScale))
      out.push(
        `the fake's BTC moved by ${base} (1e-8), Ordo's position is ${position} (1e-${inst.qtyScale})`,
      );
    const cash = oms.portfolio.cash(adapter.id, 'USDT');
    const venueCash = total('USDT') * 10n ** BigInt(MONEY_SCALE - 8);
    if (cash !== venueCash) out.push(`the fake holds ${venueCash} USDT (1e-18), Ordo counts ${cash}`);
    return out;
  };

  const settle = async (timeoutMs = 5_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await session.settle();
      const diff = divergence();
      if (diff.length === 0 && session.bridge.pending === 0) return;
      if (Date.now() > end)
        throw new Error(
          `binance: Ordo and the fake did not agree within ${timeoutMs} ms: ${diff.join('; ') || `${session.bridge.pending} commands pending`}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const afterMarket = async (): Promise<void> => {
    // While the order stream is down nothing can agree yet; the reconnect settles it.
    if (!fake.faults.userDataPaused) await settle();
  };

  const v: ContractVenue = {
    name: 'binance (fake)',
    oms,
    symbol: SYMBOL,
    instrument: inst.key,
    inst,
    qty: (text) => text,
    postOnly: true,
    native: NATIVE_BINANCE,
    now: clock.now,
    trade: async (price, qty) => {
      const n = ++tradesFed;
      fake.feedTrade(VENUE_SYMBOL, price, qty);
      await pollUntil(() => adapter.trades >= n, `the trade at ${price} to reach Ordo`, 5_000);
      await afterMarket();
    },
    quote: async (bid, ask, size) => {
      const n = ++quotesFed;
      fake.feedQuote(VENUE_SYMBOL, bid, size, ask, size);
      await pollUntil(() => adapter.quotes >= n, `the quote ${bid}/${ask} to reach Ordo`, 5_000);
      await afterMarket();
    },
    settle: () => settle(),
    until: (pred, what, timeoutMs = 5_000) => pollUntil(pred, what, timeoutMs),
    problems: () => {
      const out: string[] = [];
      const unsigned = fake.requests().filter((r) => r.signatureOk === false);
      for (const r of unsigned) out.push(`bad signature on ${r.method} ${r.path}`);
      for (const e of fake.internalErrors()) out.push(`fake internal error: ${e.message}`);
      for (const a of oms.anomalies) out.push(`anomaly: ${a.message}`);
      for (const p of session.bridge.problems) out.push(`bridge gave up: ${p.error}`);
      for (const m of session.blockedBy) out.push(`reconciliation mismatch: ${m.kind} ${m.detail}`);
      out.push(...divergence());
      out.push(...balanceDifferences());
      return out;
    },
    faults: {
      repriceKeepsOrder: false,
      fillsTold: 'each',
      loseNextAnswer: (request) => {
        const match = {
          order: { path: '/api/v3/order', method: 'POST' },
          cancel: { path: '/api/v3/order', method: 'DELETE' },
          orderList: { path: '/api/v3/orderList/oco', method: 'POST' },
          replace: { path: '/api/v3/order/cancelReplace', method: 'POST' },
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
            first >= 0 && reqs.slice(first + 1).some((r) => r.method === 'GET' && r.path === '/api/v3/order'),
        };
      },
      rateLimits: () => {
        const hits = fake.rateLimitHits();
        let inside = 0;
        for (const h of hits)
          inside += fake.requests().filter((r) => r.time > h.time && r.time < h.retryAt).length;
        return {
          hits: hits.length,
          statuses: hits.map((h) => h.status),
          sentInsideWait: inside,
          everBanned: fake.banStatus().everBanned,
        };
      },
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await session.close();
      await fake.stop();
    },
  };
  try {
    await v.quote(OPENING.bid, OPENING.ask, OPENING.size);
    await v.trade(OPENING.last, OPENING.lastQty);
    if (options.ordersPer10s !== undefined) {
      // Start a fresh ORDERS window (they are aligned to 10 s), so a burst meets the limit inside it.
      clock.skew += 10_000 - (clock.now() % 10_000) + 1;
    }
  } catch (e) {
    await v.close();
    throw e;
  }
  return v;
};
