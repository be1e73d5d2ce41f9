// Incremental checkpoints of the paper venue: a chain of one full snapshot and parts holding the
// venue's inputs since the previous part (`PaperVenue.checkpoint`), restored by `restoreChain`.
//
// Scripted sessions (seeded, so every run is the same) send the venue resting and crossing limit
// orders, market orders, venue-held stops, stop-limits, trailing stops, OCO and bracket lists,
// duplicate ids, cancels and modifies (of live, ended and unknown orders) while quotes, trades and
// bars move the market, with latency so that commands are in flight at checkpoint time. After each
// input the venue's `checkpoint()` is kept as a journal keeps it (a full part replaces the chain)
// after a round trip through the journal's checkpoint codec. At many points the chain is restored,
// and the restored venue must have the live one's snapshot and then run in lockstep with it: the
// same drained reports and the same checkpoint parts, to the end of the session.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeededRandom } from '../src/core/ports.ts';
import type { VenueCommand, VenueOrderRequest } from '../src/engine/venue-port.ts';
import type { Instrument } from '../src/model/instrument.ts';
import type { MarketData } from '../src/model/market.ts';
import { snapshotWeight, type VenueInputsState } from '../src/venues/paper/checkpoint-log.ts';
import { DAY_MS } from '../src/venues/paper/paper-matcher.ts';
import {
  ALL_NATIVE,
  NONE_NATIVE,
  type PaperNative,
  PaperVenue,
  type PaperVenueOptions,
  type PaperVenueSnapshot,
  type VenueCheckpointPart,
} from '../src/venues/paper/paper-venue.ts';

import { apply, BTC, ETH, type Input, roundTrip } from './support/paper-venue-kit.ts';

const INSTRUMENTS: readonly Instrument[] = [BTC, ETH];
const T0 = DAY_MS * 20_000 - 3_000_000;

function venueOptions(native: PaperNative, latencyMs: number): PaperVenueOptions {
  return {
    venue: 'paper',
    instruments: INSTRUMENTS,
    balances: { USD: '100000', BTC: '50', ETH: '200' },
    native,
    latencyMs,
    touchFills: latencyMs > 0,
  };
}

/**
 * A checkpoint state (a full snapshot or a delta) through the codec, without the venue-side
 * engine's `watermark_moved` events: a restored venue's history may hold a few of them more than
 * the live one's, which nothing depends on (see PaperVenue.snapshot). Everything else must match.
 */
function comparable(state: unknown): unknown {
  const s = roundTrip(state) as { held?: { events: { type: string }[] } };
  if (s?.held !== undefined) s.held.events = s.held.events.filter((e) => e.type !== 'watermark_moved');
  return s;
}

// ---- scripted sessions ----------------------------------------------------------------------------

function request(fields: Partial<VenueOrderRequest> & { clientOrderId: string }): VenueOrderRequest {
  return {
    instrument: BTC.key,
    side: 'buy',
    type: 'limit',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: 10,
    price: undefined,
    triggerPrice: undefined,
    trailing: undefined,
    postOnly: false,
    reduceOnly: false,
    ...fields,
  };
}

/**
 * A session of `length` venue inputs. Prices move in steps of 100 units around 1.00000 (BTC) and
 * 20.0000 (ETH); trigger prices and trailing offsets get a part unique to the order (no ties
 * between triggers, which the venue-side engine's replay orders by arrival only).
 */
function session(seed: number, length: number): Input[] {
  const random = new SeededRandom(seed);
  const r = (n: number) => random.nextInt(n);
  const mid = [100_000, 200_000];
  const ids: string[] = [];
  const inputs: Input[] = [];
  let ts = T0;
  let seq = 0;
  const unique = () => 1 + (seq % 97);
  while (inputs.length < length) {
    ts += [0, 0, 1, 17, 120, 400][r(6)]!;
    const i = r(4) === 0 ? 1 : 0;
    const inst = INSTRUMENTS[i]!;
    const side = r(2) === 0 ? ('buy' as const) : ('sell' as const);
    const dir = side === 'buy' ? 1 : -1;
    const px = (steps: number) => Math.max(100, mid[i]! + steps * 100);
    const id = () => {
      seq++;
      const v = `c${seq}`;
      ids.push(v);
      return v;
    };
    const pick = () => (ids.length === 0 || r(8) === 0 ? `nobody-${r(100)}` : ids[r(ids.length)]!);
    const handle = (command: VenueCommand) => inputs.push({ k: 'handle', command, ts });
    const op = r(20);
    if (op < 3) {
      mid[i] = Math.max(1_000, mid[i]! + (r(7) - 3) * 100);
      const spread = 100 * r(3);
      inputs.push({
        k: 'market',
        md: {
          kind: 'quote',
          instrument: inst.key,
          ts,
          bid: mid[i]! - spread,
          bidSize: r(60),
          ask: mid[i]! + spread,
          askSize: r(60),
        },
      });
    } else if (op < 6) {
      mid[i] = Math.max(1_000, mid[i]! + (r(7) - 3) * 100);
      inputs.push({
        k: 'market',
        md: {
          kind: 'trade',
          instrument: inst.key,
          ts,
          price: mid[i]!,
          size: r(60),
          // Mostly undefined, as from bars and most feeds: JSON drops these keys.
          aggressor: r(4) === 0 ? side : undefined,
          tradeId: r(4) === 0 ? `x${seq}-${ts}` : undefined,
        },
      });
    } else if (op === 6 && i === 1) {
      const open = mid[i]!;
      mid[i] = Math.max(1_000, open + (r(7) - 3) * 100);
      const close = mid[i]!;
      inputs.push({
        k: 'market',
        md: {
          kind: 'bar',
          instrument: inst.key,
          ts,
          open,
          high: Math.max(open, close) + 100 * r(4),
          low: Math.min(open, close) - 100 * r(4),
          close,
          volume: r(80),
          durationMs: 60_000,
        },
      });
    } else if (op < 10) {
      const tif = (['gtc', 'gtc', 'gtc', 'ioc', 'fok', 'day'] as const)[r(6)]!;
      handle({
        kind: 'submit',
        order: request({
          clientOrderId: id(),
          instrument: inst.key,
          side,
          price: px(-dir * (r(12) - 2)),
          quantity: 1 + r(20),
          tif,
          postOnly: tif === 'gtc' && r(5) === 0,
        }),
      });
    } else if (op === 10) {
      handle({
        kind: 'submit',
        order: request({
          clientOrderId: id(),
          instrument: inst.key,
          side,
          type: 'market',
          quantity: 1 + r(15),
        }),
      });
    } else if (op === 11) {
      const stopLimit = r(2) === 0;
      const trigger = px(dir * (1 + r(6))) + unique();
      handle({
        kind: 'submit',
        order: request({
          clientOrderId: id(),
          instrument: inst.key,
          side,
          type: stopLimit ? 'stop_limit' : 'stop',
          triggerPrice: trigger,
          price: stopLimit ? trigger + dir * 100 * r(3) : undefined,
          quantity: 1 + r(15),
        }),
      });
    } else if (op === 12 && i === 0) {
      handle({
        kind: 'submit',
        order: request({
          clientOrderId: id(),
          side,
          type: 'trailing_stop',
          quantity: 1 + r(15),
          trailing: {
            offsetKind: 'price',
            offset: 100 * (1 + r(5)) + unique(),
            activationPrice: r(3) === 0 ? px(-dir * (1 + r(3))) + unique() : undefined,
            limitOffset: r(2) === 0 ? 100 * r(3) : undefined,
          },
        }),
      });
    } else if (op === 13) {
      const quantity = 1 + r(15);
      const exit = side === 'buy' ? 'sell' : 'buy';
      const bracket = r(2) === 0;
      handle({
        kind: 'submit_list',
        list: bracket
          ? {
              kind: 'bracket',
              listClientId: `l${seq}`,
              parent: request({
                clientOrderId: id(),
                instrument: inst.key,
                side,
                price: px(-dir * r(3)),
                quantity,
              }),
              legs: [
                request({
                  clientOrderId: id(),
                  instrument: inst.key,
                  side: exit,
                  price: px(dir * (3 + r(4))),
                  quantity,
                }),
                request({
                  clientOrderId: id(),
                  instrument: inst.key,
                  side: exit,
                  type: 'stop',
                  triggerPrice: px(-dir * (4 + r(4))) + unique(),
                  quantity,
                }),
              ],
              trigger: 'partial',
            }
          : {
              kind: 'oco',
              listClientId: `l${seq}`,
              parent: undefined,
              legs: [
                request({
                  clientOrderId: id(),
                  instrument: inst.key,
                  side,
                  price: px(-dir * (1 + r(4))),
                  quantity,
                }),
                request({
                  clientOrderId: id(),
                  instrument: inst.key,
                  side,
                  type: 'stop',
                  triggerPrice: px(dir * (1 + r(4))) + unique(),
                  quantity,
                }),
              ],
              trigger: 'partial',
            },
      });
    } else if (op === 14) {
      handle({ kind: 'cancel', instrument: inst.key, clientOrderId: pick() });
    } else if (op === 15) {
      seq++;
      handle({
        kind: 'modify',
        instrument: inst.key,
        clientOrderId: pick(),
        quantity: 1 + r(20),
        price: r(3) === 0 ? undefined : px(r(9) - 4),
        triggerPrice: r(2) === 0 ? undefined : px(r(9) - 4) + unique(),
      });
    } else if (op === 16) {
      // A reused id: refused whether the venue would hold the order or match it.
      handle({
        kind: 'submit',
        order: request({
          clientOrderId: pick(),
          instrument: inst.key,
          side,
          type: r(2) === 0 ? 'limit' : 'stop',
          price: px(-5),
          triggerPrice: px(dir * 8) + unique(),
        }),
      });
    } else inputs.push({ k: 'drain' });
  }
  return inputs;
}

// ---- the chain as a journal keeps it ----------------------------------------------------------

/** Delta parts' states as they come back from the codec. */
function inputsOf(state: unknown): VenueInputsState['inputs'] {
  return (state as VenueInputsState).inputs;
}

/** Keeps a venue's checkpoint parts as a journal would: a full part replaces the chain. */
class Chain {
  parts: unknown[] = [];
  restarts = 0;
  /** The largest number of inputs the chain's delta parts held at once. */
  add(part: VenueCheckpointPart): unknown {
    const state = roundTrip(part.state);
    if (part.delta) {
      assert.ok(this.parts.length > 0, 'a delta part came first');
      this.parts.push(state);
    } else {
      if (this.parts.length > 0) this.restarts++;
      this.parts = [state];
    }
    // The rule's bound: the chain's inputs never outweigh its full snapshot.
    assert.ok(
      this.inputCount() <= snapshotWeight(this.parts[0] as PaperVenueSnapshot),
      `chain holds ${this.inputCount()} inputs, above its snapshot's weight`,
    );
    return state;
  }
  inputCount(): number {
    let n = 0;
    for (const p of this.parts.slice(1)) n += inputsOf(p).length;
    return n;
  }
}

/**
 * Runs a session on a live venue that checkpoints after every input, restores the chain at every
 * `every`-th input and runs each restored venue in lockstep with the live one to the end: same
 * snapshot at the restore, same drained reports, same checkpoint parts after every input.
 */
function checkSession(options: PaperVenueOptions, inputs: readonly Input[], every: number): Chain {
  const live = new PaperVenue(options);
  const chain = new Chain();
  chain.add(live.checkpoint());
  const followers: { venue: PaperVenue; from: number }[] = [];
  for (const [i, input] of inputs.entries()) {
    const expected = apply(live, input);
    for (const f of followers)
      assert.deepEqual(
        apply(f.venue, input),
        expected,
        `reports differ at input ${i} (restored at ${f.from})`,
      );
    const state = comparable(chain.add(live.checkpoint()));
    for (const f of followers)
      assert.deepEqual(
        comparable(f.venue.checkpoint().state),
        state,
        `checkpoint parts differ at input ${i} (restored at ${f.from})`,
      );
    if (i % every === every - 1) {
      const restored = PaperVenue.restoreChain(options, chain.parts);
      assert.deepEqual(
        comparable(restored.snapshot()),
        comparable(live.snapshot()),
        `snapshots differ at ${i}`,
      );
      followers.push({ venue: restored, from: i });
    }
  }
  return chain;
}

describe('paper venue checkpoint chain', () => {
  for (const [name, native, latencyMs] of [
    ['ALL_NATIVE, latency 40', ALL_NATIVE, 40],
    ['NONE_NATIVE, latency 40', NONE_NATIVE, 40],
    ['ALL_NATIVE, latency 0', ALL_NATIVE, 0],
  ] as const)
    test(`a restored chain continues exactly (${name})`, () => {
      let restarts = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const chain = checkSession(venueOptions(native, latencyMs), session(seed * 7919, 500), 23);
        restarts += chain.restarts;
      }
      // The sessions are long enough for chains to restart (the bound is checked at every part).
      assert.ok(restarts >= 6, `only ${restarts} restarts`);
    });

  test('the chain restarts with a full snapshot once its inputs outweigh the last one', () => {
    const options = venueOptions(ALL_NATIVE, 40);
    const venue = new PaperVenue(options);
    const first = venue.checkpoint();
    assert.equal(first.delta, false);
    let weight = snapshotWeight(first.state as PaperVenueSnapshot);
    const inputs = session(99, 3 * weight);
    let inChain = 0;
    let restarted = false;
    for (const input of inputs) {
      const drained = apply(venue, input);
      // Every call but an empty drain is an input (an empty drain changes nothing).
      const recorded = drained === undefined || drained.length > 0 ? 1 : 0;
      const part = venue.checkpoint();
      if (!restarted) {
        // Deltas while the chain's inputs stay within the snapshot's weight, then a full snapshot.
        assert.equal(part.delta, inChain + recorded <= weight);
        if (part.delta) assert.equal(inputsOf(part.state).length, recorded);
        else restarted = true;
      }
      if (!part.delta) weight = snapshotWeight(part.state as PaperVenueSnapshot);
      inChain = part.delta ? inChain + inputsOf(part.state).length : 0;
      assert.ok(inChain <= weight || !part.delta);
    }
    assert.ok(restarted, 'no restart');
  });

  test('checkpoint(true) gives a full snapshot, and the chain goes on from it', () => {
    const options = venueOptions(ALL_NATIVE, 40);
    const venue = new PaperVenue(options);
    const inputs = session(11, 40);
    venue.checkpoint();
    for (const input of inputs.slice(0, 20)) apply(venue, input);
    // Within the rule a delta would come; the caller asks for a full part (its last write failed).
    const full = venue.checkpoint(true);
    assert.equal(full.delta, false);
    for (const input of inputs.slice(20)) apply(venue, input);
    const part = venue.checkpoint();
    assert.equal(part.delta, true);
    const restored = PaperVenue.restoreChain(options, [roundTrip(full.state), roundTrip(part.state)]);
    assert.deepEqual(roundTrip(restored.snapshot()), roundTrip(venue.snapshot()));
  });

  test('a delta holds only the inputs since the previous call, however large the venue', () => {
    const options = venueOptions(NONE_NATIVE, 0);
    const venue = new PaperVenue(options);
    venue.onMarket({
      kind: 'quote',
      instrument: BTC.key,
      ts: T0,
      bid: 99_900,
      bidSize: 50,
      ask: 100_100,
      askSize: 50,
    });
    venue.checkpoint();
    for (let k = 0; k < 2_000; k++) {
      venue.handle({ kind: 'submit', order: request({ clientOrderId: `r${k}`, price: 90_000 - k }) }, T0 + k);
      venue.drainReports();
    }
    assert.equal(venue.matcher.openOrders().length, 2_000);
    // 4,000 inputs outweigh the snapshot of an empty venue: this part is a full one.
    const full = venue.checkpoint();
    assert.equal(full.delta, false);
    const command: VenueCommand = { kind: 'submit', order: request({ clientOrderId: 'one', price: 80_000 }) };
    venue.handle(command, T0 + 5_000);
    const reports = venue.drainReports();
    assert.deepEqual(
      reports.map((r) => r.kind),
      ['accepted'],
    );
    const part = venue.checkpoint();
    assert.equal(part.delta, true);
    assert.deepEqual(part.state, {
      version: 1,
      inputs: [{ op: 'handle', command, ts: T0 + 5_000 }, { op: 'drain' }],
    });
    // A call with nothing new gives an empty delta; an empty drain is not an input (it changes nothing).
    assert.equal(venue.drainReports().length, 0);
    assert.deepEqual(venue.checkpoint(), { delta: true, state: { version: 1, inputs: [] } });
    const restored = PaperVenue.restoreChain(options, [roundTrip(full.state), roundTrip(part.state)]);
    assert.deepEqual(roundTrip(restored.snapshot()), roundTrip(venue.snapshot()));
  });

  test('market data is copied when recorded: a feed may reuse its object', () => {
    const options = venueOptions(ALL_NATIVE, 0);
    const venue = new PaperVenue(options);
    const full = venue.checkpoint();
    const md = {
      kind: 'trade',
      instrument: BTC.key,
      ts: T0,
      price: 100_000,
      size: 5,
      aggressor: undefined,
      tradeId: undefined,
    };
    venue.onMarket(md as MarketData);
    md.price = 1;
    md.ts = T0 + 1;
    const part = venue.checkpoint();
    const recorded = inputsOf(part.state)[0];
    assert.equal(recorded?.op === 'market' && recorded.md.kind === 'trade' && recorded.md.price, 100_000);
    const restored = PaperVenue.restoreChain(options, [roundTrip(full.state), roundTrip(part.state)]);
    assert.equal(restored.matcher.lastPrice(BTC.key), 100_000);
  });

  test('a venue that never checkpoints keeps no log', () => {
    const venue = new PaperVenue(venueOptions(ALL_NATIVE, 0));
    for (const input of session(5, 200)) apply(venue, input);
    // The first checkpoint is a full snapshot, and the next delta holds nothing from before it.
    assert.equal(venue.checkpoint().delta, false);
    assert.deepEqual(venue.checkpoint().state, { version: 1, inputs: [] });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the tests below break parts in every way
type Loose = any;

describe('paper venue checkpoint chain: malformed chains', () => {
  const options = venueOptions(ALL_NATIVE, 40);
  const venue = new PaperVenue(options);
  const full = roundTrip(venue.checkpoint().state);
  for (const input of session(3, 60)) apply(venue, input);
  const delta = () => roundTrip(venue.checkpoint().state) as Loose;
  const good = delta();
  const rejects = (mutate: (d: Loose) => unknown, message: RegExp) => {
    const d = structuredClone(good);
    const bad = mutate(d) ?? d;
    assert.throws(() => PaperVenue.restoreChain(options, [full, bad]), message);
  };
  const at = (op: string) => good.inputs.findIndex((e: Loose) => e.op === op);

  test('a chain must start with a full snapshot', () => {
    assert.throws(
      () => PaperVenue.restoreChain(options, []),
      /^Error: invalid paper venue checkpoint chain: parts are empty: a chain starts with a full snapshot \(parts\[0\]\)$/,
    );
    assert.throws(() => PaperVenue.restoreChain(options, [good]), /parts\[0\] is a delta part/);
    assert.throws(() => PaperVenue.restoreChain(options, [full, full]), /parts\[1\] is a full snapshot/);
    assert.throws(
      () => PaperVenue.restoreChain(options, [{ ...(full as object), version: 3 }]),
      /invalid paper venue snapshot: version must be 1, got 3/,
    );
  });

  test('a malformed delta part names the field', () => {
    assert.ok(at('handle') >= 0 && at('market') >= 0 && at('drain') >= 0, 'the part has every kind of input');
    const h = at('handle');
    const m = at('market');
    assert.throws(
      () => PaperVenue.restoreChain(options, [full, null]),
      /^Error: invalid paper venue checkpoint chain: parts\[1\] must be an object, got null$/,
    );
    rejects((d) => void (d.version = 2), /parts\[1\]\.version must be 1, got 2/);
    rejects((d) => void (d.inputs = 'all'), /parts\[1\]\.inputs must be an array, got "all"/);
    rejects(
      (d) => void (d.inputs[h].op = 'jump'),
      /parts\[1\]\.inputs\[\d+\]\.op must be one of handle, market, drain, got "jump"/,
    );
    rejects(
      (d) => void (d.inputs[h].ts = 'later'),
      /parts\[1\]\.inputs\[\d+\]\.ts must be an integer, got "later"/,
    );
    rejects(
      (d) => void (d.inputs[h].command.kind = 'amend'),
      /parts\[1\]\.inputs\[\d+\]\.command\.kind must be one of submit, submit_list, cancel, modify, got "amend"/,
    );
    rejects(
      (d) => void (d.inputs[m].md.kind = 'candle'),
      /parts\[1\]\.inputs\[\d+\]\.md\.kind must be one of quote, trade, bar/,
    );
    rejects(
      (d) => void delete d.inputs[m].md.instrument,
      /parts\[1\]\.inputs\[\d+\]\.md\.instrument must be a string, got nothing/,
    );
    const submit = good.inputs.findIndex((e: Loose) => e.op === 'handle' && e.command.kind === 'submit');
    rejects(
      (d) => void (d.inputs[submit].command.order.quantity = 1.5),
      /parts\[1\]\.inputs\[\d+\]\.command\.order\.quantity must be an integer, got 1\.5/,
    );
  });
});
