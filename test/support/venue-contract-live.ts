// The part of the venue contract harness every networked venue on a local fake shares (Alpaca,
// Coinbase): a LiveSession on an adapter whose market events are counted as the session is given
// them, and the waiting discipline of the Binance harness: after each market event fed into the
// fake, wait until Ordo has seen it, then until every command is answered and every order the fake
// holds agrees with Ordo's (filled quantity, open or closed), or fail naming what still differs.

import type { Instrument } from '../../src/model/instrument.ts';
import { isTerminal } from '../../src/model/status.ts';
import type { LiveSession } from '../../src/venues/live-session.ts';
import type { VenueAdapter, VenueListener } from '../../src/venues/venue-adapter.ts';
import {
  type ContractVenue,
  type NativeSupport,
  OPENING,
  pollUntil,
  type SkewClock,
  scaleQty,
  type VenueFaults,
} from './venue-contract.ts';

/** Counts the market events of one instrument the adapter hands to the session (fed at once). */
export interface MarketCounts {
  trades: number;
  quotes: number;
}

/** Wraps the adapter's listener so that the trades and quotes of `instrument` are counted. */
export function countMarket(adapter: VenueAdapter, instrument: () => string | undefined): MarketCounts {
  const counts: MarketCounts = { trades: 0, quotes: 0 };
  const connect = adapter.connect.bind(adapter);
  adapter.connect = (listener: VenueListener) =>
    connect({
      report: (r) => listener.report(r),
      connection: (s) => listener.connection(s),
      market: (md) => {
        listener.market(md);
        if (md.instrument !== instrument()) return;
        if (md.kind === 'trade') counts.trades++;
        else if (md.kind === 'quote') counts.quotes++;
      },
    });
  return counts;
}

/** One order as the fake holds it, under the client order id Ordo gave it. */
export interface VenueOrderState {
  readonly clientOrderId: string;
  /**
   * The venue's ids of the order (a replaced order and its replacements): how Ordo knows the legs
   * of a native list to which the venue gave client order ids of its own (Alpaca).
   */
  readonly venueOrderIds: readonly string[];
  /** Filled, in the instrument's quantity units. */
  readonly filled: number;
  readonly status: string;
  readonly final: boolean;
  /**
   * The client ids of Ordo's orders this one venue order holds, when it holds several (Coinbase's
   * trigger bracket is a bracket's take-profit and stop-loss): their fills add up to the venue's,
   * and it is final once they all are.
   */
  readonly legClientOrderIds?: readonly string[];
}

export interface LiveParts {
  readonly name: string;
  readonly session: LiveSession;
  readonly clock: SkewClock;
  readonly inst: Instrument;
  readonly counts: MarketCounts;
  /** Venue quantity per quantity of the cases (1 for crypto, 1000 shares per "BTC" for equities). */
  readonly qtyFactor: number;
  readonly native: NativeSupport;
  readonly postOnly: boolean;
  /** Market data into the fake, in venue units. */
  feedTrade(price: string, qty: string): void;
  feedQuote(bid: string, ask: string, size: string): void;
  /** The fake's orders, one per Ordo order (replacements merged: filled summed, the last status). */
  venueOrders(): VenueOrderState[];
  /** Whether the order stream is paused by a fault (nothing can agree until it resumes). */
  streamPaused(): boolean;
  /** What is wrong at the fake or in the adapter (bad auth, internal errors, discrepancies). */
  venueProblems(): string[];
  readonly faults: VenueFaults | undefined;
  stopFake(): Promise<void>;
}

/** A ContractVenue over a LiveSession on a local fake. */
export async function liveVenue(p: LiveParts): Promise<ContractVenue> {
  const { session } = p;
  const oms = session.oms;
  let tradesFed = 0;
  let quotesFed = 0;
  let closed = false;
  const tag = p.name.split(' ')[0];

  const divergence = (): string[] => {
    const out: string[] = [];
    const views = oms.getOrders();
    for (const e of p.venueOrders()) {
      if (e.legClientOrderIds !== undefined) {
        const legs = e.legClientOrderIds.map((c) => oms.engine.state.byClientId.get(c));
        if (legs.some((id) => id === undefined)) {
          out.push(`the venue has order ${e.clientOrderId} (${e.status}), not all of it known to Ordo`);
          continue;
        }
        const os = legs.map((id) => oms.engine.state.order(id!));
        const filled = os.reduce((n, o) => n + o.filled, 0);
        if (filled !== e.filled)
          out.push(`${e.clientOrderId}: the venue filled ${e.filled} units, its legs in Ordo ${filled}`);
        if (e.final !== os.every((o) => isTerminal(o.status)))
          out.push(`${e.clientOrderId}: ${e.status} at the venue, ${os.map((o) => o.status)} in Ordo`);
        continue;
      }
      const id =
        oms.engine.state.byClientId.get(e.clientOrderId) ??
        views.find((o) => o.venueOrderId !== undefined && e.venueOrderIds.includes(o.venueOrderId))?.id;
      if (id === undefined) {
        out.push(`the venue has order ${e.clientOrderId} (${e.status}), unknown to Ordo`);
        continue;
      }
      const o = oms.engine.state.order(id);
      if (o.filled !== e.filled)
        out.push(`${e.clientOrderId}: the venue filled ${e.filled} units, Ordo ${o.filled} (${o.status})`);
      if (e.final !== isTerminal(o.status))
        out.push(`${e.clientOrderId}: ${e.status} at the venue, ${o.status} in Ordo`);
    }
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
          `${tag}: Ordo and the fake did not agree within ${timeoutMs} ms: ${diff.join('; ') || `${session.bridge.pending} commands pending`}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const afterMarket = async (): Promise<void> => {
    if (!p.streamPaused()) await settle();
  };
  const q = (text: string) => scaleQty(text, p.qtyFactor);

  const v: ContractVenue = {
    name: p.name,
    oms,
    symbol: p.inst.symbol,
    instrument: p.inst.key,
    inst: p.inst,
    qty: q,
    native: p.native,
    postOnly: p.postOnly,
    now: p.clock.now,
    trade: async (price, qty) => {
      const n = ++tradesFed;
      p.feedTrade(price, q(qty));
      await pollUntil(() => p.counts.trades >= n, `the trade at ${price} to reach Ordo`, 5_000);
      await afterMarket();
    },
    quote: async (bid, ask, size) => {
      const n = ++quotesFed;
      p.feedQuote(bid, ask, q(size));
      await pollUntil(() => p.counts.quotes >= n, `the quote ${bid}/${ask} to reach Ordo`, 5_000);
      await afterMarket();
    },
    settle: () => settle(),
    until: (pred, what, timeoutMs = 5_000) => pollUntil(pred, what, timeoutMs),
    problems: () => {
      const out: string[] = [...p.venueProblems()];
      for (const a of oms.anomalies) out.push(`anomaly: ${a.message}`);
      for (const b of session.bridge.problems) out.push(`bridge gave up: ${b.error}`);
      for (const m of session.blockedBy) out.push(`reconciliation mismatch: ${m.kind} ${m.detail}`);
      out.push(...divergence());
      return out;
    },
    faults: p.faults,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        // A reconciliation the order stream's reconnect started must end before the fake stops.
        await session.reconcile().catch(() => {});
        await session.close();
      } finally {
        await p.stopFake();
      }
    },
  };
  try {
    // The session may have seen the fake's opening market already (fed before it connected).
    tradesFed = p.counts.trades;
    quotesFed = p.counts.quotes;
    await v.quote(OPENING.bid, OPENING.ask, OPENING.size);
    await v.trade(OPENING.last, OPENING.lastQty);
  } catch (e) {
    await v.close();
    throw e;
  }
  return v;
}
