// The engine's side of a native exit pair (a venue declaring `bracketExitPair`, as Coinbase does),
// on a scripted venue that answers as told: the entry goes alone; the take-profit and stop-loss
// leave together as one `submit_list` once the entry fills; a sibling's fill moves the other leg's
// share without a venue request, more entry fills resize the pair (one size for the whole order);
// the venue triggering the stop cancels what the entry has not filled; a cancel of either leg
// cancels both; and all of it survives a restore from the journal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import type { OrderId } from '../src/core/ids.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type {
  Capabilities,
  SyncVenue,
  VenueCommand,
  VenueListRequest,
  VenueReport,
} from '../src/engine/venue-port.ts';
import { defineInstrument } from '../src/model/instrument.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { MemoryJournal } from './support/memory-journal.ts';

const CAPS: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'emulated',
    stop_limit: 'native',
    trailing_stop: 'emulated',
  },
  contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'unsupported', gtd: 'native' },
  modify: true,
  bracketExitPair: true,
};

const INST = unwrap(
  defineInstrument({ venue: 'x', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);

/** Takes every command and says only what the test makes it say. */
class ScriptedVenue implements SyncVenue {
  readonly id = 'x';
  readonly capabilities = CAPS;
  commands: VenueCommand[] = [];
  private queue: VenueReport[] = [];
  handle(c: VenueCommand): void {
    this.commands.push(c);
  }
  onMarket(): void {}
  drainReports(): VenueReport[] {
    const q = this.queue;
    this.queue = [];
    return q;
  }
  say(...reports: VenueReport[]): void {
    this.queue.push(...reports);
  }
  /** The commands since the last call. */
  take(): VenueCommand[] {
    const c = this.commands;
    this.commands = [];
    return c;
  }
}

let t = 1_000;
const fill = (clientOrderId: string, quantity: number, price: number, tradeId: string): VenueReport => ({
  kind: 'fill',
  clientOrderId,
  tradeId,
  price,
  quantity,
  fee: 0n,
  feeCurrency: 'USD',
  liquidity: 'maker',
  ts: ++t,
});
const accepted = (clientOrderId: string, venueOrderId: string): VenueReport => ({
  kind: 'accepted',
  clientOrderId,
  venueOrderId,
  ts: ++t,
});

function start(journal = new MemoryJournal()) {
  const venue = new ScriptedVenue();
  const oms = new AdvancedOrderManager(venue, { instruments: [INST], portfolio: new Portfolio(), journal });
  return { venue, oms, journal };
}

/** A buy bracket of 1 BTC (10 000 units): entry limit 100, take-profit 110, stop-loss 95. */
function bracket(s: ReturnType<typeof start>) {
  const list = unwrap(
    s.oms.placeBracketOrder(
      {
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '100' },
        takeProfit: { price: '110' },
        stopLoss: { price: '95' },
      },
      ++t,
    ),
  );
  const [entry, tp, sl] = list.orders.map((o) => s.oms.getOrder(o.id as OrderId)!);
  const [submit] = s.venue.take();
  assert.equal(submit?.kind, 'submit', 'the entry goes alone');
  s.venue.say(accepted(entry!.clientOrderId, 'E1'));
  s.oms.sync(++t);
  return { entry: entry!, tp: tp!, sl: sl! };
}

/** The entry fills `qty` units; returns the exit pair's submit_list, if one went out. */
function entryFills(s: ReturnType<typeof start>, entry: { clientOrderId: string }, qty: number, id: string) {
  s.venue.say(fill(entry.clientOrderId, qty, 10_000, id));
  s.oms.sync(++t);
  return s.venue.take();
}

describe('native exit pair in the engine', () => {
  it('sends both exits as one list once the entry fills, and resizes the one order as more fills', () => {
    const s = start();
    const { entry, tp, sl } = bracket(s);
    assert.equal(tp.route, 'native');
    assert.equal(sl.route, 'native');
    assert.equal(tp.status, 'held');
    const out = entryFills(s, entry, 4_000, 'e1');
    assert.equal(out.length, 1);
    const list = (out[0] as { kind: 'submit_list'; list: VenueListRequest }).list;
    assert.equal(out[0]!.kind, 'submit_list');
    assert.equal(list.kind, 'bracket');
    assert.equal(list.parent, undefined);
    assert.deepEqual(
      list.legs.map((l) => [l.clientOrderId, l.side, l.type, l.quantity, l.price, l.triggerPrice]),
      [
        [tp.clientOrderId, 'sell', 'limit', 4_000, 11_000, undefined],
        [sl.clientOrderId, 'sell', 'stop', 4_000, undefined, 9_500],
      ],
    );
    s.venue.say(accepted(tp.clientOrderId, 'P1'), accepted(sl.clientOrderId, 'P1'));
    s.oms.sync(++t);
    // The take-profit sells part: the stop-loss's share shrinks, the venue order does not change.
    s.venue.say(fill(tp.clientOrderId, 1_000, 11_000, 'p1'));
    s.oms.sync(++t);
    assert.deepEqual(s.venue.take(), [], 'nothing to send');
    assert.equal(sl.quantity, '0.3000');
    assert.equal(tp.quantity, '0.4000');
    // The rest of the entry fills: the whole order grows to 1 BTC (0.1 of it already filled).
    const resize = entryFills(s, entry, 6_000, 'e2');
    assert.deepEqual(
      resize.map((c) => c.kind === 'modify' && [c.clientOrderId, c.quantity, c.pairQuantity]),
      [
        [tp.clientOrderId, 10_000, 10_000],
        [sl.clientOrderId, 9_000, 10_000],
      ],
    );
  });

  it('the venue triggering the stop cancels what the entry has not filled', () => {
    const s = start();
    const { entry, tp, sl } = bracket(s);
    entryFills(s, entry, 4_000, 'e1');
    s.venue.say(accepted(tp.clientOrderId, 'P1'), accepted(sl.clientOrderId, 'P1'));
    s.oms.sync(++t);
    s.venue.say({ kind: 'triggered', clientOrderId: sl.clientOrderId, ts: ++t });
    s.oms.sync(++t);
    assert.equal(sl.status, 'triggered');
    // Only the entry: the venue ends the take-profit itself (cancelling it here would cancel the
    // one venue order, the stop-loss executing).
    assert.deepEqual(s.venue.take(), [
      { kind: 'cancel', instrument: INST.key, clientOrderId: entry.clientOrderId },
    ]);
    // A later cancel of the take-profit asks for it alone, never for the executing stop-loss.
    unwrap(s.oms.cancelOrder(tp.id as OrderId, ++t));
    assert.deepEqual(
      s.venue.take().map((c) => c.kind === 'cancel' && c.clientOrderId),
      [tp.clientOrderId],
    );
    assert.equal(sl.status, 'triggered');
  });

  it('cancelling either leg cancels both, also after a restore from the journal', () => {
    const s = start();
    const { entry, tp, sl } = bracket(s);
    entryFills(s, entry, 10_000, 'e1');
    s.venue.say(accepted(tp.clientOrderId, 'P1'), accepted(sl.clientOrderId, 'P1'));
    s.oms.sync(++t);
    // A restart: a new manager rebuilt from the journal.
    const again = start(s.journal);
    again.oms.restore();
    const tp2 = again.oms.getOrder(tp.id as OrderId)!;
    const sl2 = again.oms.getOrder(sl.id as OrderId)!;
    assert.equal(tp2.status, 'accepted');
    unwrap(again.oms.cancelOrder(tp2.id as OrderId, ++t));
    assert.equal(sl2.status, 'pending_cancel');
    assert.deepEqual(
      again.venue.take().map((c) => c.kind === 'cancel' && c.clientOrderId),
      [tp.clientOrderId, sl.clientOrderId],
    );
  });
});
