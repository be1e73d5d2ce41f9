// The paper matcher against a frozen copy of its previous implementation
// (test/support/paper-matcher-reference.ts, which kept resting limits in sorted arrays). The
// current matcher keeps them in price levels and skips the command queue when nothing is in
// flight; neither may change anything a user can see. fast-check drives both with the same random
// submits, cancels, modifies, market data and clock moves, on two instruments sharing a currency,
// and after every step requires byte-identical reports, balances, open orders and quotes.
//
// The generators are biased towards what the new structure could get wrong: many orders on few
// price levels (time priority within a level), modifies that keep or lose priority, cancels deep
// in a level, levels emptied and created again, sweeps through several levels, cash running out
// mid-sweep, timestamps repeated or going back, and latency (commands in flight).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ReferencePaperMatcher } from '../../../test/support/paper-matcher-reference.ts';
import { unwrap } from '../../core/errors.ts';
import type { VenueOrderRequest, VenueReport } from '../../engine/venue-port.ts';
import { defineInstrument, type Instrument } from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';
import { DAY_MS, PaperMatcher, type PaperMatcherOptions } from './paper-matcher.ts';

const BTC = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.01',
    qtyIncrement: '0.001',
    feeMaker: '0.0005',
    feeTaker: '0.001',
  }),
);
const ETH = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'ETH/USD',
    priceIncrement: '0.05',
    qtyIncrement: '0.01',
    feeMaker: '0',
    feeTaker: '0.002',
  }),
);
const INSTRUMENTS: readonly Instrument[] = [BTC, ETH];
/** Centre prices, in each instrument's price units. */
const CENTRE = [10_000, 2_000];

type Matcher = PaperMatcher | ReferencePaperMatcher;

type Op =
  | {
      readonly k: 'quote';
      readonly inst: number;
      readonly bid: number;
      readonly spread: number;
      readonly bidSize: number;
      readonly askSize: number;
    }
  | { readonly k: 'trade'; readonly inst: number; readonly price: number; readonly size: number }
  | {
      readonly k: 'bar';
      readonly inst: number;
      readonly open: number;
      readonly close: number;
      readonly wick: number;
      readonly volume: number;
    }
  | {
      readonly k: 'submit';
      readonly inst: number;
      readonly side: 'buy' | 'sell';
      readonly type: 'market' | 'limit';
      readonly tif: 'gtc' | 'ioc' | 'fok' | 'day' | 'gtd';
      readonly lots: number;
      readonly price: number;
      readonly postOnly: boolean;
      /** 0 normal, 1 reuse the last id, 2 off-grid quantity, 3 unknown instrument. */
      readonly oddity: number;
    }
  | { readonly k: 'cancel'; readonly open: boolean; readonly ref: number }
  | {
      readonly k: 'modify';
      readonly open: boolean;
      readonly ref: number;
      readonly qty: 'same' | 'down' | 'up' | 'any';
      readonly lots: number;
      readonly price: 'keep' | 'same' | 'new';
      readonly newPrice: number;
    }
  | { readonly k: 'advance' };

interface Scenario {
  readonly options: Partial<PaperMatcherOptions>;
  readonly usd: number;
  readonly btc: number;
  readonly eth: number;
  readonly steps: readonly { readonly dt: number; readonly op: Op }[];
}

/** Offsets in ticks from the centre: a narrow band, so levels hold several orders. */
const offsetArb = fc.integer({ min: -12, max: 12 });
const instArb = fc.constantFrom(0, 0, 1);
/** Displayed sizes in lots: mostly a few orders' worth, sometimes enough to clear levels. */
const sizeArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 }) },
);
/** Cancels and modifies mostly aim at an open order, sometimes at any id sent (or none). */
const aimArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constant(false) },
);

function opArb(maxRef: number): fc.Arbitrary<Op> {
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant('quote' as const),
        inst: instArb,
        bid: offsetArb,
        spread: fc.integer({ min: 0, max: 4 }),
        bidSize: sizeArb,
        askSize: sizeArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('trade' as const),
        inst: instArb,
        price: offsetArb,
        size: sizeArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant('bar' as const),
        inst: instArb,
        open: offsetArb,
        close: offsetArb,
        wick: fc.integer({ min: 0, max: 8 }),
        volume: sizeArb,
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        k: fc.constant('submit' as const),
        inst: instArb,
        side: fc.constantFrom('buy' as const, 'sell' as const),
        type: fc.constantFrom('market' as const, 'limit' as const, 'limit' as const, 'limit' as const),
        tif: fc.constantFrom(
          'gtc' as const,
          'gtc' as const,
          'gtc' as const,
          'ioc' as const,
          'fok' as const,
          'day' as const,
          'gtd' as const,
        ),
        lots: fc.integer({ min: 1, max: 30 }),
        price: offsetArb,
        postOnly: fc.boolean(),
        oddity: fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat(3) }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ k: fc.constant('cancel' as const), open: aimArb, ref: fc.nat(maxRef) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        k: fc.constant('modify' as const),
        open: aimArb,
        ref: fc.nat(maxRef),
        qty: fc.constantFrom('same' as const, 'down' as const, 'up' as const, 'any' as const),
        lots: fc.integer({ min: 1, max: 30 }),
        price: fc.constantFrom('keep' as const, 'same' as const, 'new' as const),
        newPrice: offsetArb,
      }),
    },
    { weight: 1, arbitrary: fc.constant({ k: 'advance' as const }) },
  );
}

function scenarioArb(maxSteps: number, maxRef: number): fc.Arbitrary<Scenario> {
  return fc.record({
    options: fc.record({
      touchFills: fc.boolean(),
      latencyMs: fc.constantFrom(0, 0, 0, 3, 500),
      allowShort: fc.boolean(),
      slippage: fc.oneof(
        fc.constant({ kind: 'none' as const }),
        fc.integer({ min: 0, max: 100 }).map((bps) => ({ kind: 'bps' as const, bps })),
        fc.integer({ min: 0, max: 100 }).map((b) => ({ kind: 'size' as const, bpsPerDisplayedSize: b })),
      ),
    }),
    // Small balances make buys run out of cash mid-sweep; large ones let books grow deep.
    usd: fc.constantFrom(0, 5, 50, 300, 100_000),
    btc: fc.constantFrom(0, 1, 100),
    eth: fc.constantFrom(0, 3, 1_000),
    steps: fc.array(
      fc.record({
        // Zero often (same-millisecond ties), sometimes back in time, sometimes past a day end.
        dt: fc.oneof(
          { weight: 4, arbitrary: fc.constant(0) },
          { weight: 6, arbitrary: fc.integer({ min: 1, max: 1_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: -2_000, max: -1 }) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 30_000_000 }) },
        ),
        op: opArb(maxRef),
      }),
      // size 'max': lengths spread up to maxSteps (the default caps arrays near ten items).
      { minLength: 1, maxLength: maxSteps, size: 'max' },
    ),
  });
}

const START_MS = DAY_MS * 19_000 - 5_000_000;

function priceOf(inst: number, offset: number): number {
  const i = INSTRUMENTS[inst]!;
  return Math.max(1, CENTRE[inst]! + offset) * i.priceIncrement;
}

function toMarket(op: Op, ts: number): MarketData | undefined {
  switch (op.k) {
    case 'quote': {
      const inst = INSTRUMENTS[op.inst]!;
      return {
        kind: 'quote',
        instrument: inst.key,
        ts,
        bid: priceOf(op.inst, op.bid),
        bidSize: op.bidSize * inst.qtyIncrement,
        ask: priceOf(op.inst, op.bid + op.spread),
        askSize: op.askSize * inst.qtyIncrement,
      };
    }
    case 'trade': {
      const inst = INSTRUMENTS[op.inst]!;
      return {
        kind: 'trade',
        instrument: inst.key,
        ts,
        price: priceOf(op.inst, op.price),
        size: op.size * inst.qtyIncrement,
        aggressor: undefined,
        tradeId: undefined,
      };
    }
    case 'bar': {
      const inst = INSTRUMENTS[op.inst]!;
      const open = priceOf(op.inst, op.open);
      const close = priceOf(op.inst, op.close);
      const tick = inst.priceIncrement;
      return {
        kind: 'bar',
        instrument: inst.key,
        ts,
        open,
        close,
        high: Math.max(open, close) + op.wick * tick,
        low: Math.max(tick, Math.min(open, close) - op.wick * tick),
        volume: op.volume * inst.qtyIncrement,
        durationMs: 60_000,
      };
    }
    default:
      return undefined;
  }
}

interface Submitted {
  readonly id: string;
  readonly inst: number;
}

/** Applies one step to `m`. `ref` is the reference matcher, read (never changed) to aim modifies. */
function apply(m: Matcher, ref: ReferencePaperMatcher, op: Op, ts: number, submitted: Submitted[]): void {
  const md = toMarket(op, ts);
  if (md !== undefined) {
    m.onMarket(md);
    return;
  }
  switch (op.k) {
    case 'submit': {
      const inst = INSTRUMENTS[op.inst]!;
      const reuse = op.oddity === 1 && submitted.length > 0;
      const id = reuse ? submitted[submitted.length - 1]!.id : `o${submitted.length}`;
      if (!reuse) submitted.push({ id, inst: op.inst });
      const req: VenueOrderRequest = {
        clientOrderId: id,
        instrument: op.oddity === 3 ? 'paper:NOPE/USD' : inst.key,
        side: op.side,
        type: op.type,
        tif: op.tif,
        expireAtMs: op.tif === 'gtd' ? ts + 200 + op.lots * 97 : undefined,
        quantity: op.lots * inst.qtyIncrement + (op.oddity === 2 ? 1 : 0),
        price: op.type === 'limit' ? priceOf(op.inst, op.price) : undefined,
        triggerPrice: undefined,
        trailing: undefined,
        postOnly: op.type === 'limit' && op.postOnly,
        reduceOnly: false,
      };
      m.submit(req, ts);
      return;
    }
    case 'cancel': {
      const target = aim(ref, op, submitted);
      m.cancel(target?.id ?? 'never-sent', ts);
      return;
    }
    case 'modify': {
      const target = aim(ref, op, submitted);
      if (target === undefined) {
        m.modify('never-sent', { quantity: op.lots, price: undefined }, ts);
        return;
      }
      const inst = INSTRUMENTS[target.inst]!;
      const lot = inst.qtyIncrement;
      const open = ref.openOrders().find((o) => o.clientOrderId === target.id);
      const quantity = open === undefined ? op.lots * lot : modifiedQuantity(open, op, lot);
      const price =
        op.price === 'keep'
          ? undefined
          : op.price === 'same' && open?.price !== undefined
            ? open.price
            : priceOf(target.inst, op.newPrice);
      m.modify(target.id, { quantity, price }, ts);
      return;
    }
    case 'advance':
      m.advanceTo(ts);
      return;
    default:
      return;
  }
}

/** The order a cancel or modify is about: an open one (by position in the open list) or any sent. */
function aim(
  ref: ReferencePaperMatcher,
  op: { readonly open: boolean; readonly ref: number },
  submitted: readonly Submitted[],
): Submitted | undefined {
  if (op.open) {
    const open = ref.openOrders();
    if (open.length > 0) {
      const id = open[op.ref % open.length]!.clientOrderId;
      return submitted.find((s) => s.id === id);
    }
  }
  return submitted[submitted.length - 1 - op.ref];
}

function modifiedQuantity(
  open: { readonly quantity: number; readonly filled: number },
  op: Extract<Op, { k: 'modify' }>,
  lot: number,
): number {
  switch (op.qty) {
    case 'same':
      return open.quantity;
    case 'down':
      // At least one lot above what is filled when possible, else an invalid (≤ filled) quantity.
      return Math.max(open.filled + lot, open.quantity - op.lots * lot);
    case 'up':
      return open.quantity + op.lots * lot;
    case 'any':
      return op.lots * lot;
  }
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Map ? [...v.entries()] : v,
  );
}

/** Everything a user can see of a matcher after a step; the open orders only if `withOpen`. */
function observe(m: Matcher, reports: readonly VenueReport[], withOpen: boolean): string {
  return json({
    reports,
    balances: m.balances(),
    open: withOpen ? m.openOrders() : undefined,
    quotes: INSTRUMENTS.map((i) => m.quote(i.key)),
    last: INSTRUMENTS.map((i) => m.lastPrice(i.key)),
  });
}

/**
 * Plays `s` on both matchers, comparing after every step (open orders after every `openEvery`
 * steps and the last); returns the reports of the reference.
 */
function playBoth(s: Scenario, openEvery = 1): VenueReport[] {
  const options: PaperMatcherOptions = {
    venue: 'paper',
    instruments: INSTRUMENTS,
    balances: { USD: String(s.usd), BTC: String(s.btc), ETH: String(s.eth) },
    tradeIdPrefix: 'T',
    ...s.options,
  };
  const next = new PaperMatcher(options);
  const ref = new ReferencePaperMatcher(options);
  const submittedNext: Submitted[] = [];
  const submittedRef: Submitted[] = [];
  let ts = START_MS;
  const seen: VenueReport[] = [];
  for (let i = 0; i < s.steps.length; i++) {
    const { dt, op } = s.steps[i]!;
    ts += dt;
    // The new matcher goes first: `apply` reads the reference to aim modifies.
    apply(next, ref, op, ts, submittedNext);
    apply(ref, ref, op, ts, submittedRef);
    const a = next.drainReports();
    const b = ref.drainReports();
    seen.push(...b);
    const withOpen = i % openEvery === 0 || i === s.steps.length - 1;
    const got = observe(next, a, withOpen);
    const want = observe(ref, b, withOpen);
    if (got !== want) assert.equal(got, want, `step ${i} (${json(op)}) diverged`);
  }
  return seen;
}

describe('the paper matcher matches its previous implementation', () => {
  test('short random sessions', () => {
    fc.assert(
      fc.property(scenarioArb(60, 12), (s) => {
        playBoth(s);
      }),
      { numRuns: 1500 },
    );
  });

  test('long sessions with deep books', () => {
    fc.assert(
      fc.property(scenarioArb(600, 200), (s) => {
        playBoth(s);
      }),
      { numRuns: 200 },
    );
  });

  test('a deep book swept level by level, with cancels and modifies inside levels', () => {
    // Deterministic: 3,000 limits on 25 levels a side, every tenth cancelled and every seventh
    // modified (a third keep priority), then trades walk through the book from both sides.
    const steps: { dt: number; op: Op }[] = [];
    for (let i = 0; i < 3_000; i++) {
      const buy = i % 2 === 0;
      const offset = (buy ? -1 : 1) * (1 + ((i * 7) % 25));
      steps.push({
        dt: i % 3 === 0 ? 0 : 1,
        op: {
          k: 'submit',
          inst: 0,
          side: buy ? 'buy' : 'sell',
          type: 'limit',
          tif: 'gtc',
          lots: 1 + (i % 9),
          price: offset,
          postOnly: false,
          oddity: 0,
        },
      });
      if (i % 10 === 9) steps.push({ dt: 1, op: { k: 'cancel', open: false, ref: i % 7 } });
      if (i % 7 === 6)
        steps.push({
          dt: 0,
          op: {
            k: 'modify',
            open: false,
            ref: (i * 11) % 60,
            qty: (['same', 'down', 'up'] as const)[i % 3]!,
            lots: 1 + (i % 4),
            price: (['keep', 'same', 'new'] as const)[(i >> 1) % 3]!,
            newPrice: ((i * 5) % 25) - 12,
          },
        });
    }
    for (let t = 0; t <= 26; t++) {
      steps.push({ dt: 5, op: { k: 'trade', inst: 0, price: -t, size: 370 } });
      steps.push({ dt: 5, op: { k: 'trade', inst: 0, price: t, size: 410 } });
      steps.push({ dt: 5, op: { k: 'quote', inst: 0, bid: t, spread: 1, bidSize: 290, askSize: 0 } });
      steps.push({ dt: 5, op: { k: 'quote', inst: 0, bid: -t - 1, spread: 1, bidSize: 0, askSize: 310 } });
    }
    const reports = playBoth(
      {
        options: { latencyMs: 0, touchFills: false, allowShort: false },
        usd: 100_000,
        btc: 100,
        eth: 0,
        steps,
      },
      50,
    );
    const count = (kind: VenueReport['kind']) => reports.filter((r) => r.kind === kind).length;
    // Guards against a scenario that stops exercising the book.
    assert.ok(count('accepted') === 3_000, `accepted ${count('accepted')}`);
    assert.ok(count('fill') > 2_000, `only ${count('fill')} fills`);
    assert.ok(count('modified') > 400, `only ${count('modified')} modifies`);
    assert.ok(count('cancelled') === 300, `only ${count('cancelled')} cancels`);
  });
});
