// Property tests for the portfolio fold. Random fill sequences (both sides, flips, fees in quote,
// base and a third currency, rebates) are checked against conservation laws and against a small
// independent FIFO model written with plain bigint and one object per lot, so the fast path's
// parallel arrays and cached factors are tested by something that shares none of their code.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUnits, pow10 } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { orderId } from '../core/ids.ts';
import { SeededRandom } from '../core/ports.ts';
import type { Fill } from '../model/fill.ts';
import { defineInstrument, type Instrument, MONEY_SCALE } from '../model/instrument.ts';
import { Portfolio } from './index.ts';

const INSTRUMENTS: readonly Instrument[] = [
  unwrap(
    defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.001' }),
  ),
  unwrap(
    defineInstrument({ venue: 'paper', symbol: 'XYZ/USD', priceIncrement: '0.0001', qtyIncrement: '1' }),
  ),
  unwrap(
    defineInstrument({ venue: 'x', symbol: 'ETH/USDT', priceIncrement: '0.1', qtyIncrement: '0.00001' }),
  ),
];
const T0 = Date.UTC(2024, 0, 1);

type FeeKind = 'none' | 'quote' | 'base' | 'other';

interface Step {
  readonly buy: boolean;
  readonly qty: number;
  readonly price: number;
  readonly feeKind: FeeKind;
  /** Fee in money units; may be negative (a rebate) and finer than a quantity unit. */
  readonly fee: bigint;
}

const stepArb = (fees: readonly FeeKind[]): fc.Arbitrary<Step> =>
  fc.record({
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 5_000 }),
    price: fc.integer({ min: 1, max: 2_000_000 }),
    feeKind: fc.constantFrom(...fees),
    fee: fc.bigInt({ min: -(10n ** 16n), max: 10n ** 17n }),
  });

const instArb = fc.constantFrom(...INSTRUMENTS);

function toFill(inst: Instrument, step: Step, i: number): Fill {
  const feeCurrency = step.feeKind === 'base' ? inst.base : step.feeKind === 'other' ? 'BNB' : inst.quote;
  return {
    orderId: orderId(Math.floor(i / 3)),
    instrument: inst.key,
    side: step.buy ? 'buy' : 'sell',
    price: step.price,
    quantity: step.qty,
    fee: step.feeKind === 'none' ? 0n : step.fee,
    feeCurrency,
    liquidity: 'maker',
    tradeId: `t${i}`,
    ts: T0 + i * 1_000,
  };
}

const moneyPerPQ = (inst: Instrument): bigint => pow10(MONEY_SCALE - inst.priceScale - inst.qtyScale);
const moneyPerQty = (inst: Instrument): bigint => pow10(MONEY_SCALE - inst.qtyScale);
const signed = (f: Fill): bigint => (f.side === 'buy' ? 1n : -1n) * BigInt(f.quantity);
const parseMoney = (text: string): bigint => parseUnits(text, MONEY_SCALE) as bigint;

/** An independent FIFO book: one object per lot, bigint throughout, the same base-fee rule. */
class ReferenceBook {
  lots: { qty: bigint; price: bigint }[] = [];
  position = 0n;
  realized = 0n; // price × quantity units
  dust = 0n;

  constructor(private readonly inst: Instrument) {}

  apply(f: Fill): void {
    this.move(signed(f), BigInt(f.price));
    if (f.feeCurrency !== this.inst.base) return;
    this.dust += f.fee;
    const units = this.dust / moneyPerQty(this.inst);
    this.dust -= units * moneyPerQty(this.inst);
    if (units !== 0n) this.move(-units, 0n);
  }

  private move(delta: bigint, price: bigint): void {
    let left = delta;
    while (left !== 0n && this.position !== 0n && this.position > 0n !== left > 0n) {
      const lot = this.lots[0] as { qty: bigint; price: bigint };
      const take = (left < 0n ? -left : left) < lot.qty ? (left < 0n ? -left : left) : lot.qty;
      this.realized += (this.position > 0n ? 1n : -1n) * (price - lot.price) * take;
      lot.qty -= take;
      if (lot.qty === 0n) this.lots.shift();
      this.position += left < 0n ? -take : take;
      left += left < 0n ? take : -take;
    }
    if (left !== 0n) {
      this.lots.push({ qty: left < 0n ? -left : left, price });
      this.position += left;
    }
  }
}

describe('Portfolio properties', () => {
  it('position quantity equals the signed sum of fill quantities', () => {
    fc.assert(
      fc.property(
        instArb,
        fc.array(stepArb(['none', 'quote', 'other']), { maxLength: 120 }),
        (inst, steps) => {
          const p = new Portfolio();
          let sum = 0n;
          steps.forEach((step, i) => {
            const f = toFill(inst, step, i);
            p.applyFill(f, inst);
            sum += signed(f);
          });
          assert.equal(BigInt(p.positionQty(inst.key)), sum);
        },
      ),
    );
  });

  it('base-asset fees are the only other thing that moves the position', () => {
    fc.assert(
      fc.property(instArb, fc.array(stepArb(['none', 'base']), { maxLength: 120 }), (inst, steps) => {
        const p = new Portfolio();
        let sum = 0n;
        let baseFees = 0n;
        steps.forEach((step, i) => {
          const f = toFill(inst, step, i);
          p.applyFill(f, inst);
          sum += signed(f) * moneyPerQty(inst);
          baseFees += f.fee;
        });
        const dust = parseMoney(p.position(inst.key)?.feeDust ?? '0');
        assert.equal(BigInt(p.positionQty(inst.key)) * moneyPerQty(inst), sum - (baseFees - dust));
        assert.ok((dust < 0n ? -dust : dust) < moneyPerQty(inst));
      }),
    );
  });

  it('cash moves by minus the signed notional and the fees, nothing else', () => {
    fc.assert(
      fc.property(
        instArb,
        fc.array(stepArb(['none', 'quote', 'base', 'other']), { maxLength: 120 }),
        (inst, steps) => {
          const start = 10n ** 30n;
          const p = new Portfolio({ cash: { [inst.venue]: { [inst.quote]: start } } });
          let quote = start;
          let other = 0n;
          steps.forEach((step, i) => {
            const f = toFill(inst, step, i);
            p.applyFill(f, inst);
            quote -= signed(f) * BigInt(f.price) * moneyPerPQ(inst);
            if (f.feeCurrency === inst.quote) quote -= f.fee;
            if (f.feeCurrency === 'BNB') other -= f.fee;
          });
          assert.equal(p.cash(inst.venue, inst.quote), quote);
          assert.equal(p.cash(inst.venue, 'BNB'), other);
          assert.equal(p.cash(inst.venue, inst.base), 0n);
        },
      ),
    );
  });

  it('realized + unrealized − quote fees equals the change in equity at any mark', () => {
    fc.assert(
      fc.property(
        instArb,
        fc.array(stepArb(['none', 'quote', 'base', 'other']), { maxLength: 120 }),
        fc.integer({ min: 1, max: 3_000_000 }),
        (inst, steps, markPrice) => {
          const p = new Portfolio({ cash: { [inst.venue]: { [inst.quote]: 12_345n } } });
          const before = p.equity(inst.quote);
          steps.forEach((step, i) => {
            p.applyFill(toFill(inst, step, i), inst);
          });
          p.mark(inst.key, markPrice, T0 + 10_000_000);
          const change = p.equity(inst.quote) - before;
          const pnl = p.realizedPnl(inst.quote) + p.unrealizedPnl(inst.key) - p.feesPaid(inst.quote);
          assert.equal(change, pnl);
          const view = p.position(inst.key);
          if (view !== undefined) {
            assert.equal(parseMoney(view.realized), p.realizedPnl(inst.quote));
            assert.equal(parseMoney(view.unrealized), p.unrealizedPnl(inst.key));
          }
        },
      ),
    );
  });

  it('matches an independent FIFO model and round trips account for every realized unit', () => {
    fc.assert(
      fc.property(
        instArb,
        fc.array(stepArb(['none', 'quote', 'base', 'other']), { maxLength: 150 }),
        (inst, steps) => {
          const p = new Portfolio();
          const ref = new ReferenceBook(inst);
          steps.forEach((step, i) => {
            const f = toFill(inst, step, i);
            p.applyFill(f, inst);
            ref.apply(f);
          });
          assert.equal(p.realizedPnl(inst.quote), ref.realized * moneyPerPQ(inst));
          assert.equal(BigInt(p.positionQty(inst.key)), ref.position);
          const cost = ref.lots.reduce((acc, lot) => acc + lot.qty * lot.price, 0n) * moneyPerPQ(inst);
          assert.equal(parseMoney(p.position(inst.key)?.cost ?? '0'), cost);
          checkRoundTrips(p, inst);
        },
      ),
    );
  });

  it("lists a trip's trade ids in order and its order ids once each, in first-fill order", () => {
    const inst = INSTRUMENTS[0] as Instrument;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        (orders, fillIdsMax) => {
          const p = new Portfolio({ limits: { roundTripFillIdsMax: fillIdsMax } });
          const trades: string[] = [];
          const distinct: number[] = [];
          orders.forEach((o, i) => {
            const f = { ...toFill(inst, { buy: true, qty: 1, price: 100, feeKind: 'none', fee: 0n }, i) };
            p.applyFill({ ...f, orderId: orderId(o), tradeId: `x${i}` }, inst);
            if (trades.length < fillIdsMax) {
              trades.push(`x${i}`);
              if (!distinct.includes(o)) distinct.push(o);
            }
          });
          const trip = p.openRoundTrip(inst.key);
          assert.deepEqual(trip?.tradeIds, trades);
          assert.deepEqual(trip?.orderIds, distinct);
          assert.equal(trip?.fillIdsDropped, orders.length - trades.length);
        },
      ),
    );
  });

  it('keeps FIFO through long lot queues: compaction, going flat and opening again', () => {
    // More lots than the queue compacts at (256) and keeps when flat (1024), closed in uneven
    // chunks, on both sides, with the position going flat between phases.
    const random = new SeededRandom(7);
    const inst = INSTRUMENTS[0] as Instrument;
    const p = new Portfolio();
    const ref = new ReferenceBook(inst);
    let i = 0;
    const fill = (buy: boolean, qty: number): void => {
      const f = toFill(
        inst,
        { buy, qty, price: 1_000 + random.nextInt(5_000), feeKind: 'none', fee: 0n },
        i++,
      );
      p.applyFill(f, inst);
      ref.apply(f);
    };
    const check = (): void => {
      assert.equal(p.realizedPnl(inst.quote), ref.realized * moneyPerPQ(inst));
      assert.equal(BigInt(p.positionQty(inst.key)), ref.position);
      const cost = ref.lots.reduce((acc, lot) => acc + lot.qty * lot.price, 0n) * moneyPerPQ(inst);
      assert.equal(parseMoney(p.position(inst.key)?.cost ?? '0'), cost);
    };
    for (const [buy, lots] of [
      [true, 1_300],
      [false, 300],
      [true, 700],
    ] as const) {
      for (let k = 0; k < lots; k++) fill(buy, 1 + random.nextInt(20));
      check();
      // Close in chunks of one to several lots, adding a few lots on the way, until flat.
      while (p.positionQty(inst.key) !== 0) {
        const open = Math.abs(p.positionQty(inst.key));
        fill(!buy, Math.min(open, 1 + random.nextInt(40)));
        if (random.nextInt(10) === 0 && p.positionQty(inst.key) !== 0) fill(buy, 1 + random.nextInt(20));
        if (i % 97 === 0) check();
      }
      check();
    }
  });

  it('never drifts over many fills: flattening leaves realized equal to the cash flows', () => {
    for (const seed of [1, 2, 3]) {
      const random = new SeededRandom(seed);
      const inst = INSTRUMENTS[seed % INSTRUMENTS.length] as Instrument;
      const p = new Portfolio();
      const ref = new ReferenceBook(inst);
      let price = 1_000_000;
      for (let i = 0; i < 20_000; i++) {
        price = Math.max(1, price + random.nextInt(2001) - 1000);
        const step: Step = {
          buy: random.nextInt(2) === 0,
          qty: 1 + random.nextInt(10_000),
          price,
          feeKind: 'none',
          fee: 0n,
        };
        const f = toFill(inst, step, i);
        p.applyFill(f, inst);
        ref.apply(f);
      }
      const qty = p.positionQty(inst.key);
      if (qty !== 0) {
        const close = toFill(
          inst,
          { buy: qty < 0, qty: Math.abs(qty), price, feeKind: 'none', fee: 0n },
          20_000,
        );
        p.applyFill(close, inst);
        ref.apply(close);
      }
      assert.equal(p.positionQty(inst.key), 0);
      assert.equal(p.position(inst.key)?.cost, '0');
      assert.equal(p.realizedPnl(inst.quote), p.cash(inst.venue, inst.quote));
      assert.equal(p.realizedPnl(inst.quote), ref.realized * moneyPerPQ(inst));
      checkRoundTrips(p, inst);
    }
  });
});

/** Closed trips plus the open one realize exactly the total; a closed trip exits what it entered. */
function checkRoundTrips(p: Portfolio, inst: Instrument): void {
  const trips = p.roundTrips();
  let realized = 0n;
  let previousId = 0;
  for (const trip of trips) {
    assert.equal(trip.quantity, trip.quantityExited);
    assert.ok(trip.id > previousId);
    assert.ok(trip.durationMs !== undefined && trip.durationMs >= 0);
    previousId = trip.id;
    realized += parseMoney(trip.realized);
  }
  const open = p.openRoundTrip(inst.key);
  assert.equal(open === undefined, p.positionQty(inst.key) === 0);
  if (open !== undefined) realized += parseMoney(open.realized);
  assert.equal(realized, p.realizedPnl(inst.quote));
  assert.equal(p.roundTripsDropped, 0);
}
