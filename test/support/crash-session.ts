// A seeded paper session with a SQLite journal, run as a child process by the crash test (and
// in-process for its reference run). It resumes from the journal when there is one: the engine by
// replay, the paper venue from the newest checkpoint. Then it runs the session's inputs that are
// not yet durable, one facade call each, and writes its final state.
//
//   node --import tsx test/support/crash-session.ts <db> <seed> <inputs> <out.json> [digests.jsonl]
//
// Lines on stdout: `RESTORED <inputSeq> <digest json>` after recovery, `AT <inputSeq>` every 50
// inputs, `DONE` at the end.

import { appendFileSync, writeFileSync } from 'node:fs';
import { unwrap } from '../../src/core/errors.ts';
import { SeededRandom } from '../../src/core/ports.ts';
import { syntheticMarket } from '../../src/data/synthetic.ts';
import { AdvancedOrderManager, savedComponentChain } from '../../src/engine/advanced-order-manager.ts';
import { SqliteJournal } from '../../src/journal/sqlite-journal.ts';
import { defineInstrument, formatPrice } from '../../src/model/instrument.ts';
import type { MarketData } from '../../src/model/market.ts';
import { Portfolio } from '../../src/portfolio/index.ts';
import { RiskManager } from '../../src/risk/index.ts';
import { type PaperNative, PaperVenue, type PaperVenueOptions } from '../../src/venues/paper/paper-venue.ts';

export const BTC = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.01',
    qtyIncrement: '0.0001',
    feeMaker: '0.001',
    feeTaker: '0.001',
  }),
);

/** Advanced orders split between the venue (native) and Ordo's emulator. */
export const CRASH_NATIVE: PaperNative = {
  stop: true,
  stop_limit: false,
  trailing_stop: false,
  bracket: false,
  oco: true,
  oto: false,
};

const VENUE: PaperVenueOptions = {
  venue: 'paper',
  instruments: [BTC],
  balances: { USD: '10000000', BTC: '0' },
  native: CRASH_NATIVE,
  latencyMs: 0,
};

type Input = (m: AdvancedOrderManager) => void;

/** The session's inputs: market data with an order of some kind placed every few dozen steps. */
export function sessionInputs(seed: number, count: number): Input[] {
  const market = unwrap(
    syntheticMarket({
      instrument: BTC,
      startPrice: 4_500_000,
      seed,
      tickIntervalMs: 100,
      volatilityTicks: 800,
      spreadTicks: 2,
      sizeLotsMax: 3000,
      startMs: 1_767_225_600_000,
    }),
  );
  const rnd = new SeededRandom(seed ^ 0x5eed);
  const inputs: Input[] = [];
  let last = 4_500_000;
  let ts = 0;
  while (inputs.length < count) {
    const md = market.next().value as MarketData;
    if (md.kind === 'trade') last = md.price;
    ts = md.ts;
    inputs.push((m) => m.feed(md));
    if (md.kind === 'trade' && rnd.nextInt(25) === 0) inputs.push(...order(rnd.nextInt(9), last, ts));
    if (md.kind === 'trade' && rnd.nextInt(60) === 0 && inputs.length < count) {
      const pick = rnd.nextInt(1000);
      inputs.push((m) => {
        const active = m.getActiveOrders();
        const o = active[pick % Math.max(1, active.length)];
        // Exactly one facade call per input, even when there is nothing to cancel.
        m.cancelOrder(o !== undefined && o.role !== 'stop_loss' ? o.id : (0 as never), ts);
      });
    }
  }
  return inputs.slice(0, count);
}

/** One or two inputs (each exactly one facade call) placing an order of the given kind. */
function order(kind: number, price: number, ts: number): Input[] {
  const p = (d: number) => formatPrice(BTC, price + d * 100);
  const base = { symbol: 'BTC/USD', quantity: '0.05' } as const;
  if (kind === 2)
    return [
      (m) => m.placeOrder({ ...base, side: 'buy', type: 'market' }, ts),
      (m) => m.placeTrailingStop({ ...base, side: 'sell', offsetType: 'percent', offset: '0.3' }, ts),
    ];
  return [place(kind, p, base, ts)];
}

function place(
  kind: number,
  p: (d: number) => string,
  base: { symbol: 'BTC/USD'; quantity: '0.05' },
  ts: number,
): Input {
  return (m) => {
    switch (kind) {
      case 0:
        m.placeBracketOrder(
          {
            ...base,
            side: 'buy',
            entry: { type: 'limit', price: p(-5) },
            takeProfit: { percent: '0.5' },
            stopLoss: { percent: '0.4' },
          },
          ts,
        );
        return;
      case 1:
        m.placeBracketOrder(
          {
            ...base,
            side: 'buy',
            entry: { type: 'market' },
            takeProfit: { price: p(30) },
            stopLoss: { price: p(-25) },
          },
          ts,
        );
        return;
      case 3:
        m.placeOcoOrder(
          {
            ...base,
            side: 'buy',
            legs: [
              { type: 'limit', price: p(-20) },
              { type: 'stop', triggerPrice: p(20) },
            ],
          },
          ts,
        );
        return;
      case 4:
        m.placeOtoOrder(
          {
            parent: { ...base, side: 'buy', type: 'limit', price: p(-4) },
            children: [{ ...base, side: 'sell', type: 'stop_limit', triggerPrice: p(-30), price: p(-31) }],
            trigger: 'partial',
          },
          ts,
        );
        return;
      case 5:
        m.placeScaleOrder(
          { symbol: 'BTC/USD', side: 'buy', totalQuantity: '0.2', levels: 4, startPrice: p(-3), step: '4' },
          ts,
        );
        return;
      case 6:
        m.placeTrailingStop(
          { ...base, side: 'buy', offsetType: 'ticks', offset: '1500', activationPrice: p(-8) },
          ts,
        );
        return;
      case 7:
        m.placeOrder({ ...base, side: 'buy', type: 'stop', triggerPrice: p(10) }, ts);
        return;
      default:
        m.placeOrder({ ...base, side: 'sell', type: 'limit', price: p(12) }, ts);
    }
  };
}

/** What protects what: positions and the protective orders working for them. */
export function digest(m: AdvancedOrderManager): unknown {
  const protective = m
    .getActiveOrders()
    .filter(
      (o) =>
        o.side === 'sell' && (o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop'),
    )
    .map((o) => [o.id, o.status, o.quantity, o.stopPrice ?? o.triggerPrice ?? null]);
  return { position: m.portfolio.position(BTC.key)?.qty ?? '0', protective };
}

export function finalState(m: AdvancedOrderManager, venue: PaperVenue): unknown {
  return JSON.parse(
    JSON.stringify(
      {
        orders: m.getOrders(),
        fills: m.tradeLog.fills(),
        positions: m.portfolio.positions(),
        trips: m.portfolio.roundTrips(),
        venueBalances: [...venue.matcher.balances()],
        inputs: m.inputCount,
      },
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    ),
  );
}

export interface SessionRun {
  readonly restoredAt: number;
  readonly restoredDigest: unknown;
  readonly state: unknown;
}

/** Opens (or resumes) the session on `db` and runs it to `count` inputs. */
export function runSession(
  db: string,
  seed: number,
  count: number,
  onInput?: (m: AdvancedOrderManager) => void,
): SessionRun {
  const journal = SqliteJournal.open(db);
  const saved = savedComponentChain(journal);
  const venue = saved.length === 0 ? new PaperVenue(VENUE) : PaperVenue.restoreChain(VENUE, saved);
  const m = new AdvancedOrderManager(venue, {
    instruments: [BTC],
    portfolio: new Portfolio(),
    risk: new RiskManager({ orderQtyMax: { default: '1' } }),
    journal,
    checkpoint: (full) => venue.checkpoint(full),
  });
  const restored = m.restore();
  const restoredAt = restored?.inputSeq ?? 0;
  const restoredDigest = digest(m);
  if (process.send === undefined && process.argv[1]?.endsWith('crash-session.ts'))
    process.stdout.write(`RESTORED ${restoredAt} ${JSON.stringify(restoredDigest)}\n`);
  const inputs = sessionInputs(seed, count);
  const child = process.send === undefined && process.argv[1]?.endsWith('crash-session.ts');
  for (let i = restoredAt; i < count; i++) {
    inputs[i]!(m);
    if (m.inputCount !== i + 1) throw new Error(`input ${i + 1} counted as ${m.inputCount}`);
    onInput?.(m);
    // Progress for the crash test, which kills at an input count rather than a time, so that its
    // kills spread over the session however busy the machine is.
    if (child && m.inputCount % 50 === 0) process.stdout.write(`AT ${m.inputCount}\n`);
  }
  const state = finalState(m, venue);
  void journal.close(); // synchronous for SQLite: nothing is queued after appendSync
  return { restoredAt, restoredDigest, state };
}

if (process.argv[1]?.endsWith('crash-session.ts')) {
  const [db, seed, count, out, digests] = process.argv.slice(2);
  const run = runSession(db!, Number(seed), Number(count), (m) => {
    if (digests !== undefined) appendFileSync(digests, `${m.inputCount} ${JSON.stringify(digest(m))}\n`);
  });
  writeFileSync(out!, JSON.stringify(run.state));
  process.stdout.write('DONE\n');
}
