// The emulator against a naive model that rescans every order on every tick: for random price
// paths, placements, offsets and cancels, both must fire the same orders at the same step and
// report the same stop prices; and a trailing stop must never loosen.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { divRound } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { orderId } from '../core/ids.ts';
import { defineInstrument, RATE_ONE } from '../model/instrument.ts';
import { Order, type OrderInit, type TrailingOffsetKind } from '../model/order.ts';
import { Emulator } from './emulator.ts';

const INST = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'X/USD', priceIncrement: '0.05', qtyIncrement: '1' }),
);
const TICK = INST.priceIncrement; // 5 units

interface Spec {
  side: 'buy' | 'sell';
  kind: 'stop' | 'trail_abs' | 'trail_pct';
  param: number;
  placeAt: number;
  cancelAt: number;
  activation: number;
}

function makeOrder(i: number, s: Spec, price0: number): Order {
  const isTrail = s.kind !== 'stop';
  const offsetKind: TrailingOffsetKind = s.kind === 'trail_pct' ? 'percent' : 'price';
  const init: OrderInit = {
    id: orderId(i + 1),
    instrument: INST.key,
    side: s.side,
    type: isTrail ? 'trailing_stop' : 'stop',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: 1,
    price: undefined,
    triggerPrice: isTrail ? undefined : price0 + (s.side === 'buy' ? 1 : -1) * s.param * TICK,
    trailing: isTrail
      ? {
          offsetKind,
          offset: s.kind === 'trail_pct' ? s.param * 100_000 : s.param * TICK,
          activationPrice:
            s.activation === 0 ? undefined : price0 + (s.side === 'sell' ? 1 : -1) * s.activation * TICK,
          limitOffset: undefined,
        }
      : undefined,
    triggerBasis: 'last',
    route: 'emulated',
    role: 'single',
    listId: undefined,
    reduceOnly: false,
    postOnly: false,
    tag: undefined,
  };
  return new Order(init, INST, 0);
}

/** The naive model: every order rescanned on every tick. */
class Naive {
  wm = new Map<number, number>();
  active = new Map<number, boolean>();
  stop(o: Order): number | undefined {
    if (o.type === 'stop') return o.triggerPrice;
    const w = this.wm.get(o.id);
    if (w === undefined) return undefined;
    const t = o.trailing!;
    const dir = o.side === 'sell' ? 1 : -1;
    if (t.offsetKind === 'price') return w - dir * t.offset;
    const raw = BigInt(w) * BigInt(RATE_ONE - dir * t.offset);
    return Number(divRound(raw, BigInt(RATE_ONE) * BigInt(TICK), dir === 1 ? 'floor' : 'ceil')) * TICK;
  }
  place(o: Order, price: number): void {
    const t = o.trailing;
    if (t === undefined) return;
    this.active.set(o.id, t.activationPrice === undefined);
    if (t.activationPrice === undefined) this.wm.set(o.id, price);
    else this.tick(o, price);
  }
  /** Returns true when the order fires at this price. */
  tick(o: Order, p: number): boolean {
    if (o.type === 'stop') return o.side === 'buy' ? p >= o.triggerPrice! : p <= o.triggerPrice!;
    const t = o.trailing!;
    if (this.active.get(o.id) === false) {
      const reached = o.side === 'sell' ? p >= t.activationPrice! : p <= t.activationPrice!;
      if (!reached) return false;
      this.active.set(o.id, true);
      this.wm.set(o.id, p);
    }
    const w = this.wm.get(o.id)!;
    this.wm.set(o.id, o.side === 'sell' ? Math.max(w, p) : Math.min(w, p));
    const stop = this.stop(o)!;
    return o.side === 'sell' ? p <= stop : p >= stop;
  }
}

const specArb = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  kind: fc.constantFrom('stop' as const, 'trail_abs' as const, 'trail_pct' as const),
  param: fc.integer({ min: 1, max: 30 }),
  placeAt: fc.integer({ min: 0, max: 60 }),
  cancelAt: fc.integer({ min: 0, max: 200 }),
  activation: fc.constantFrom(0, 0, 0, 2, 5),
});

describe('emulator', () => {
  it('fires exactly when a naive full rescan would, with the same stop prices', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 5, maxLength: 120 }),
        (specs, steps) => {
          const start = 2000 * TICK;
          const orders = specs.map((s, i) => makeOrder(i, s, start));
          const byId = new Map(orders.map((o) => [o.id as number, o]));
          const em = new Emulator((id) => byId.get(id));
          const naive = new Naive();
          const live = new Set<number>();
          let price = start;
          em.onPrice(INST, 'last', price);
          for (let step = 0; step < steps.length; step++) {
            for (const [i, s] of specs.entries()) {
              const o = orders[i]!;
              if (s.placeAt === step) {
                em.arm(o, price);
                naive.place(o, price);
                live.add(o.id);
              }
              if (s.cancelAt === step && live.has(o.id)) {
                em.disarm(o);
                live.delete(o.id);
              }
            }
            // The engine applies starts right after arming (a reached activation starts at once).
            for (const st of em.starts.splice(0)) em.startTrailingAt(st.order, st.price);
            // Orders armed at a price that already satisfies them fire on arming.
            const firedOnArm = new Set(em.fired.splice(0).map((f) => f.order.id as number));
            price = Math.max(TICK, price + steps[step]! * TICK);
            em.onPrice(INST, 'last', price);
            // The engine applies trailing starts right after the tick (trailing_started events).
            for (const st of em.starts.splice(0)) em.startTrailingAt(st.order, st.price);
            const fired = new Set(em.fired.splice(0).map((f) => f.order.id as number));
            const expected = new Set<number>();
            for (const id of live) {
              const o = byId.get(id)!;
              if (firedOnArm.has(id)) continue;
              if (naive.tick(o, price)) expected.add(id);
            }
            for (const id of firedOnArm) live.delete(id);
            assert.deepEqual([...fired].sort(), [...expected].sort(), `step ${step} at price ${price}`);
            for (const id of fired) live.delete(id);
            for (const id of live) {
              const o = byId.get(id)!;
              if (o.type === 'trailing_stop' && naive.active.get(id) === true)
                assert.equal(em.currentStop(o), naive.stop(o), `stop of order ${id} at step ${step}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never loosens a trailing stop', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 200 }),
        (side, pct, steps) => {
          const o = makeOrder(
            0,
            { side, kind: 'trail_pct', param: pct, placeAt: 0, cancelAt: -1, activation: 0 },
            0,
          );
          const em = new Emulator((id) => (id === o.id ? o : undefined));
          let price = 5000 * TICK;
          em.onPrice(INST, 'last', price);
          em.arm(o, price);
          let last = em.currentStop(o)!;
          for (const d of steps) {
            price = Math.max(TICK, price + d * TICK);
            em.onPrice(INST, 'last', price);
            if (em.fired.length > 0) return;
            const now = em.currentStop(o)!;
            if (side === 'sell') assert.ok(now >= last, `sell stop loosened from ${last} to ${now}`);
            else assert.ok(now <= last, `buy stop loosened from ${last} to ${now}`);
            last = now;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
