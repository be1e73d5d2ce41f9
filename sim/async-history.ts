// A simulated history on the asynchronous path: a LiveSession (VenueBridge, reconciliation) over
// the paper venue behind FaultyPaperAdapter, with answers lost after execution, 5xx and 429 answers,
// duplicate fills and an order stream that drops and comes back. The same seeded market and
// trader as the synchronous histories; no timers (the bridge's waits pass at once, the clock is
// the history's), so a seed replays exactly. At the end, with the stream up and a last
// reconciliation, the auditor's end checks must hold: every venue fill in the engine once, no
// client order id submitted to the venue twice, positions and cash equal to the venue's books,
// and every order open or closed alike at both ends.

import { SeededRandom } from '../src/core/ports.ts';
import { MONEY_SCALE } from '../src/model/instrument.ts';
import { isTerminal } from '../src/model/status.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { RiskManager } from '../src/risk/index.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { FaultyPaperAdapter } from './faulty-adapter.ts';
import { INSTRUMENTS } from './history.ts';
import { MarketPath } from './market-path.ts';
import { traderInput } from './workload.ts';

const OPENING = { USD: '2000000', BTC: '20', ETH: '300' };
const T0 = 1_767_225_600_000;

export interface AsyncResult {
  readonly seed: number;
  readonly problems: readonly string[];
  readonly checks: number;
  readonly fills: number;
}

export async function runAsyncHistory(seed: number, steps = 30): Promise<AsyncResult> {
  const r = new SeededRandom(seed ^ 0xa5a5a5a5);
  const paper = new PaperVenue({
    venue: 'paper',
    instruments: INSTRUMENTS,
    balances: OPENING,
    native: r.nextInt(2) === 0 ? NONE_NATIVE : undefined,
  });
  const adapter = new FaultyPaperAdapter(paper, INSTRUMENTS, seed, {
    answerLost: r.nextInt(15),
    serverError: r.nextInt(10),
    rateLimited: r.nextInt(10),
    duplicate: r.nextInt(20),
  });
  let now = T0;
  adapter.now = now;
  const clock = () => now;
  const session = await LiveSession.open(adapter, {
    clock,
    portfolio: new Portfolio(),
    risk: new RiskManager({}),
    bridge: { sleep: () => Promise.resolve(), clock, maxAttempts: 8 },
    allowMismatch: true,
  });
  const oms = session.oms;
  const paths = INSTRUMENTS.map((inst, i) => new MarketPath(inst, r, [4_500_000, 300_000][i]!, 30));
  const last = new Map<string, number>();
  let down = 0;
  for (let s = 0; s < steps; s++) {
    now = T0 + s * 1000;
    adapter.now = now;
    for (const [i, path] of paths.entries()) {
      const m = path.next(now + i);
      if (m.quote !== undefined) adapter.feed(m.quote);
      if (m.trade !== undefined) {
        last.set(INSTRUMENTS[i]!.key, m.trade.price);
        adapter.feed(m.trade);
      }
    }
    if (last.size < INSTRUMENTS.length) continue;
    for (let a = r.nextInt(3); a > 0; a--) {
      const input = traderInput(r, INSTRUMENTS, last, now + 10, { tradingState: 'active', limits: {} });
      if (input.kind !== 'config') input.run(oms);
    }
    if (down > 0 && --down === 0) adapter.reconnect();
    else if (down === 0 && r.nextInt(12) === 0) {
      adapter.disconnect();
      down = 1 + r.nextInt(4);
    }
    await session.settle();
  }
  // The end: no more faults, the stream up, one more reconciliation.
  adapter.quiet = true;
  adapter.reconnect();
  await session.reconcile();
  await session.settle();
  oms.sync(now + 1);

  const problems: string[] = [];
  let checks = 0;
  const check = (ok: boolean, what: () => string) => {
    checks++;
    if (!ok) problems.push(what());
  };
  for (const [coid, n] of adapter.arrivals)
    check(n <= 1, () => `client_id_once: ${coid} reached the venue ${n} times`);
  const engineFills = new Map(oms.tradeLog.fills().map((f) => [f.tradeId, f]));
  for (const [tid, f] of adapter.fills) {
    const e = engineFills.get(tid);
    check(e !== undefined, () => `fills_reach_engine: venue trade ${tid} of ${f.clientOrderId} is missing`);
  }
  check(
    engineFills.size === adapter.fills.size,
    () => `fills_reach_engine: ${engineFills.size} in Ordo, ${adapter.fills.size} at the venue`,
  );
  for (const inst of INSTRUMENTS) {
    let q = 0;
    for (const f of adapter.fills.values())
      if (f.instrument === inst.key) q += f.side === 'buy' ? f.quantity : -f.quantity;
    check(
      oms.portfolio.positionQty(inst.key) === q,
      () => `position_equals_fills: ${inst.key} ${oms.portfolio.positionQty(inst.key)} vs ${q}`,
    );
  }
  const usd = paper.matcher.balance('USD').total;
  check(
    oms.portfolio.cash('paper', 'USD') === usd,
    () => `cash_conserved: Ordo ${oms.portfolio.cash('paper', 'USD')}, venue ${usd}`,
  );
  void MONEY_SCALE;
  for (const o of oms.engine.state.orders.values()) {
    const coid = oms.engine.clientOrderId(o);
    const at = await adapter.lookup('', coid);
    if (at === undefined) continue;
    check(
      at.filled === o.filled,
      () => `${coid}: the venue filled ${at.filled}, Ordo ${o.filled} (${o.status})`,
    );
    check(
      (at.status !== 'open') === isTerminal(o.status) || o.route === 'emulated' || o.listId !== undefined,
      () => `${coid}: ${at.status} at the venue, ${o.status} in Ordo`,
    );
  }
  await session.close();
  return { seed, problems, checks, fills: adapter.fills.size };
}
