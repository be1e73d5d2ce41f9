// Benchmark 2: order placements per second through the whole stack a library user drives: the
// AdvancedOrderManager over the OrderEngine, a RiskManager with limits configured, the PaperVenue
// (its PaperMatcher) and the Portfolio. Two workloads, each on a fresh session per repetition:
//
// - limit orders away from the market, which rest in the venue's book (buys below, sells above,
//   over 100 price levels a side);
// - market orders that fill at once against a deep quote (alternating buy and sell, so the
//   position stays small), each fill going back through the engine into the portfolio.
//
// The limit workload runs at two book depths, and two breakdown rows place the shallow run's limit
// orders without risk, and through a bare OrderEngine (native route, its venue commands drained
// and dropped), to show where the time goes. Order specs
// are built before timing; each placement is one `placeOrder` (or `place`) call with a fresh
// timestamp, 1 ms apart, so the orders-per-second limit sees a realistic clock.
//
// No garbage collection is forced between repetitions: a forced full GC shrinks V8's young
// generation, and the next short run then pays for many more scavenges than a process placing
// orders continuously would (it halved the 10k-order figures). Each repetition therefore also pays
// for collecting the garbage of the one before, as a long-running process does.

import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import { OrderEngine } from '../src/engine/engine.ts';
import type { OrderSpec } from '../src/engine/order-spec.ts';
import type { Capabilities, SyncVenue, VenueCommand, VenueReport } from '../src/engine/venue-port.ts';
import { formatPrice } from '../src/model/instrument.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { RiskManager } from '../src/risk/index.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { NO_PORTFOLIO } from './emulated-engine.ts';
import { collect, count, nowMs, perSecond, repeatRate, type Samples, si, table } from './measure.ts';
import { BAND, BENCH_BTC } from './tape.ts';

export interface PlacementConfig {
  /** Limit orders per run: the venue book grows to this depth. */
  readonly limitOrders: number;
  /** A shallower run, and the depth of the breakdown rows, to separate per-order from per-depth costs. */
  readonly shallowOrders: number;
  readonly marketOrders: number;
  readonly reps: number;
}

export interface PlacementRow {
  readonly name: string;
  readonly orders: number;
  readonly rate: Samples;
  /** Orders left resting, or fills, after the last repetition: a sanity figure. */
  readonly check: string;
}

/** The limits the benchmark's risk manager checks: size, notional, position, band, count, rate. */
export const BENCH_LIMITS = {
  orderQtyMax: { default: '10' },
  orderNotionalMax: { default: '1000000' },
  positionQtyMax: { default: '100000' },
  priceBandBps: { default: 1000 },
  openOrdersMax: 10_000_000,
  ordersPerSecondMax: 100_000,
  dailyLossMax: { USD: '1000000' },
} as const;

const START_MS = 1_700_000_000_000;
/** A quote so deep that no market order of the run exhausts it. */
const DEEP = 1_000_000_000_000;

/**
 * A venue that only acknowledges: every order is accepted at once and never matched. A breakdown
 * row places through it to show what the paper venue's matching, balances and book cost.
 */
class AcknowledgingVenue implements SyncVenue {
  readonly id = BENCH_BTC.venue;
  readonly capabilities: Capabilities;
  private reports: VenueReport[] = [];
  private count = 0;

  constructor(capabilities: Capabilities) {
    this.capabilities = capabilities;
  }

  handle(command: VenueCommand, ts: number): void {
    if (command.kind === 'submit')
      this.reports.push({
        kind: 'accepted',
        clientOrderId: command.order.clientOrderId,
        venueOrderId: `${this.id}-${++this.count}`,
        ts,
      });
  }

  onMarket(): void {}

  drainReports(): VenueReport[] {
    const out = this.reports;
    this.reports = [];
    return out;
  }
}

/** A fresh session of the full stack (or with an acknowledging venue), fed a deep quote and a trade. */
export function placementSession(withRisk: boolean, acknowledgeOnly = false): AdvancedOrderManager {
  const paper = new PaperVenue({
    venue: BENCH_BTC.venue,
    instruments: [BENCH_BTC],
    balances: { USD: '100000000000', BTC: '1000000000' },
    native: NONE_NATIVE,
    latencyMs: 0,
  });
  const venue = acknowledgeOnly ? new AcknowledgingVenue(paper.capabilities) : paper;
  const oms = new AdvancedOrderManager(venue, {
    instruments: [BENCH_BTC],
    portfolio: new Portfolio(),
    risk: withRisk ? new RiskManager(BENCH_LIMITS) : undefined,
  });
  const bid = BAND.start - BENCH_BTC.priceIncrement;
  oms.feed({
    kind: 'quote',
    instrument: BENCH_BTC.key,
    ts: START_MS,
    bid,
    bidSize: DEEP,
    ask: BAND.start,
    askSize: DEEP,
  });
  oms.feed({
    kind: 'trade',
    instrument: BENCH_BTC.key,
    ts: START_MS,
    price: BAND.start,
    size: 1,
    aggressor: undefined,
    tradeId: 't0',
  });
  return oms;
}

/** Limit orders 1 % to 2 % away from the market, alternating buy and sell, 0.01 BTC each. */
export const FULL_STACK_LIMIT = 'limit, resting (full stack)';
export const FULL_STACK_MARKET = 'market, filled (full stack)';

export function limitSpecs(n: number): OrderSpec[] {
  const specs: OrderSpec[] = [];
  const away = BAND.start / 100;
  for (let i = 0; i < n; i++) {
    const buy = (i & 1) === 0;
    const level = ((i >> 1) % 100) * 100;
    const price = buy ? BAND.start - away - level : BAND.start + away + level;
    specs.push({
      symbol: BENCH_BTC.symbol,
      venue: BENCH_BTC.venue,
      side: buy ? 'buy' : 'sell',
      type: 'limit',
      price: formatPrice(BENCH_BTC, price),
      quantity: '0.01',
    });
  }
  return specs;
}

export function marketSpecs(n: number): OrderSpec[] {
  const specs: OrderSpec[] = [];
  for (let i = 0; i < n; i++)
    specs.push({
      symbol: BENCH_BTC.symbol,
      venue: BENCH_BTC.venue,
      side: (i & 1) === 0 ? 'buy' : 'sell',
      type: 'market',
      quantity: '0.01',
    });
  return specs;
}

export function placeAll(oms: AdvancedOrderManager, specs: readonly OrderSpec[]): number {
  const t0 = nowMs();
  for (let i = 0; i < specs.length; i++) {
    const r = oms.placeOrder(specs[i]!, START_MS + 1 + i);
    if (!r.ok) throw new Error(`placement ${i} refused: ${r.error.message}`);
  }
  return perSecond(specs.length, nowMs() - t0);
}

function measureOms(
  name: string,
  specs: readonly OrderSpec[],
  reps: number,
  withRisk: boolean,
  check: (oms: AdvancedOrderManager) => string,
  acknowledgeOnly = false,
): PlacementRow {
  let last: AdvancedOrderManager | undefined;
  const rate = repeatRate(reps, () => {
    last = undefined;
    const oms = placementSession(withRisk, acknowledgeOnly);
    const r = placeAll(oms, specs);
    last = oms;
    return r;
  });
  return { name, orders: specs.length, rate, check: last === undefined ? '' : check(last) };
}

/** Places every order through a bare OrderEngine (native route, commands drained and dropped). */
export function placeBare(specs: readonly OrderSpec[]): OrderEngine {
  const engine = new OrderEngine({
    instruments: [BENCH_BTC],
    venues: {
      [BENCH_BTC.venue]: new PaperVenue({ venue: 'paper', instruments: [], balances: {} }).capabilities,
    },
    portfolio: NO_PORTFOLIO,
  });
  for (let i = 0; i < specs.length; i++) {
    const r = engine.place(specs[i]!, START_MS + 1 + i);
    if (!r.ok) throw new Error(`placement ${i} refused: ${r.error.message}`);
    if ((i & 1023) === 1023) engine.drainCommands();
  }
  return engine;
}

function measureBareEngine(specs: readonly OrderSpec[], reps: number): PlacementRow {
  let resting = 0;
  const rate = repeatRate(reps, () => {
    const t0 = nowMs();
    const engine = placeBare(specs);
    const rateNow = perSecond(specs.length, nowMs() - t0);
    resting = engine.state.liveOrders;
    return rateNow;
  });
  return {
    name: 'limit, bare OrderEngine.place',
    orders: specs.length,
    rate,
    check: `${resting} live`,
  };
}

export function benchPlacement(cfg: PlacementConfig): PlacementRow[] {
  const limits = limitSpecs(cfg.limitOrders);
  const shallow = limitSpecs(cfg.shallowOrders);
  const markets = marketSpecs(cfg.marketOrders);
  const resting = (oms: AdvancedOrderManager) =>
    `${oms.venue instanceof PaperVenue ? oms.venue.matcher.openOrders().length : 0} resting`;
  const accepted = (oms: AdvancedOrderManager) =>
    `${oms.getOrders().filter((o) => o.status === 'accepted').length} accepted`;
  const fills = (oms: AdvancedOrderManager) =>
    `${oms.getOrders().filter((o) => o.status === 'filled').length} filled`;
  // The shallow runs are short, so they are repeated more often for a steadier median.
  const shallowReps = cfg.reps * 3;
  // Drop what earlier benchmarks left (a million-order book is a lot to mark), then warm up the JIT
  // and the young generation on small runs of each path.
  collect();
  placeAll(placementSession(true), limitSpecs(2000));
  placeAll(placementSession(true), marketSpecs(2000));
  return [
    measureOms(FULL_STACK_LIMIT, limits, cfg.reps, true, resting),
    measureOms(FULL_STACK_LIMIT, shallow, shallowReps, true, resting),
    measureOms(FULL_STACK_MARKET, markets, cfg.reps, true, fills),
    measureOms('limit, resting, no risk', shallow, shallowReps, false, resting),
    measureOms('limit, acknowledging venue (no paper venue)', shallow, shallowReps, true, accepted, true),
    measureBareEngine(shallow, shallowReps),
  ];
}

export function printPlacement(rows: readonly PlacementRow[], cfg: PlacementConfig): string {
  const lines: string[] = [];
  lines.push(
    '2. Order placements per second through risk, venue and portfolio (AdvancedOrderManager.placeOrder)',
  );
  lines.push(
    `   method: ${cfg.reps} repetitions (${cfg.reps * 3} for the ${count(cfg.shallowOrders)} rows), each on a fresh ` +
      'session placing every order once; median (best also shown). ' +
      'Full stack = AdvancedOrderManager + RiskManager + PaperVenue + Portfolio; risk limits: order qty, order ' +
      'notional, position qty, price band, open orders, orders/s, daily loss.',
  );
  lines.push(
    '   limit orders rest 1-2% away over 100 levels a side, so the venue book grows to the order count (two depths); ' +
      'acknowledging venue = the full stack with a venue that accepts each order and matches nothing; ' +
      'bare OrderEngine.place = the engine alone (native route, no venue, no risk, no view); ' +
      'market orders alternate buy/sell against a deep quote and each fills at once.',
  );
  lines.push('');
  lines.push(
    table(
      ['workload', 'orders', 'placements/s', 'best', 'µs/order', 'after run'],
      rows.map((r) => [
        r.name,
        count(r.orders),
        si(r.rate.median),
        si(r.rate.best),
        (1e6 / r.rate.median).toFixed(2),
        r.check,
      ]),
    ),
  );
  return lines.join('\n');
}
