// Tests of the trade_updates translation: every event kind, and fills derived exactly from the
// order's cumulative quantity (repeats dropped, gaps detected rather than guessed).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../../core/errors.ts';
import { AAPL, example } from './test-fixtures.ts';
import { FillTracker, mapTradeUpdate, parseStreamMessage, type TradeUpdate } from './trade-updates.ts';

const base = (example('trade_update_fill_crypto.json') as { data: Record<string, unknown> }).data;
const baseOrder = base.order as Record<string, unknown>;

/** A trade_updates event on AAPL with the given event name, order fields and execution. */
function event(
  name: string,
  order: Record<string, unknown> = {},
  exec: { qty?: string; price?: string } = {},
): TradeUpdate {
  const json = {
    stream: 'trade_updates',
    data: {
      event: name,
      execution_id: 'e-1',
      timestamp: '2024-05-01T14:00:00.5Z',
      ...exec,
      order: {
        ...baseOrder,
        id: 'alp-1',
        client_order_id: 'ordo-1',
        symbol: 'AAPL',
        asset_class: 'us_equity',
        type: 'limit',
        order_type: 'limit',
        limit_price: '150',
        qty: '10',
        filled_qty: '0',
        status: name,
        time_in_force: 'gtc',
        ...order,
      },
    },
  };
  const m = unwrap(parseStreamMessage(json));
  assert.equal(m.kind, 'trade_update');
  return (m as { update: TradeUpdate }).update;
}

const map = (u: TradeUpdate, tracker = new FillTracker()) =>
  unwrap(mapTradeUpdate(u, AAPL.instrument, 'ordo-1', tracker));
const TS = Date.UTC(2024, 4, 1, 14, 0, 0, 500);

describe('trade_updates events as reports', () => {
  it('maps each event kind', () => {
    const kinds: [string, string[]][] = [
      ['new', ['accepted']],
      ['accepted', ['accepted']],
      ['pending_new', ['accepted']],
      ['canceled', ['cancelled']],
      ['expired', ['expired']],
      ['rejected', ['rejected']],
      ['order_cancel_rejected', ['cancel_rejected']],
      ['order_replace_rejected', ['modify_rejected']],
      ['done_for_day', []],
      ['replaced', []],
      ['pending_cancel', []],
      ['pending_replace', []],
      ['stopped', []],
      ['calculated', []],
      ['suspended', []],
      ['restated', []],
    ];
    for (const [name, want] of kinds) {
      const out = map(event(name));
      assert.deepEqual(
        out.reports.map((r) => r.kind),
        want,
        name,
      );
      for (const r of out.reports) {
        assert.equal(r.clientOrderId, 'ordo-1');
        assert.equal(r.ts, TS);
      }
    }
    const accepted = map(event('new')).reports[0]!;
    assert.ok(accepted.kind === 'accepted' && accepted.venueOrderId === 'alp-1');
    // A day order done for the day has expired; another stays.
    assert.deepEqual(
      map(event('done_for_day', { time_in_force: 'day' })).reports.map((r) => r.kind),
      ['expired'],
    );
  });

  it('derives each fill from the cumulative quantity, drops repeats, finds gaps', () => {
    const tracker = new FillTracker();
    const f1 = map(event('partial_fill', { filled_qty: '2' }, { qty: '2', price: '149.5' }), tracker);
    assert.equal(f1.gap, false);
    const r1 = f1.reports[0]!;
    assert.ok(r1.kind === 'fill');
    assert.equal(r1.tradeId, 'alp-1:2');
    assert.equal(r1.quantity, 2_000_000_000);
    assert.equal(r1.price, 1_495_000);
    assert.equal(r1.liquidity, 'maker');
    assert.equal(r1.feeCurrency, 'USD');
    // The same event again (a duplicate frame): nothing.
    assert.deepEqual(map(event('partial_fill', { filled_qty: '2' }, { qty: '2', price: '149.5' }), tracker), {
      reports: [],
      gap: false,
    });
    const f2 = map(event('partial_fill', { filled_qty: '5' }, { qty: '3', price: '149.75' }), tracker);
    assert.equal(f2.reports.length, 1);
    assert.ok(f2.reports[0]!.kind === 'fill' && f2.reports[0]!.tradeId === 'alp-1:5');
    // Two executions lost (cum 5 → 9 while this one is 1): a gap, no guess.
    const gap = map(event('partial_fill', { filled_qty: '9' }, { qty: '1', price: '150' }), tracker);
    assert.deepEqual(gap, { reports: [], gap: true });
    assert.equal(tracker.known('alp-1'), 5_000_000_000);
    // Once the activities are read, the tracker knows 9; the last fill follows.
    tracker.advance('alp-1', 9_000_000_000);
    const last = map(
      event('fill', { filled_qty: '10', status: 'filled' }, { qty: '1', price: '150' }),
      tracker,
    );
    assert.ok(last.reports[0]!.kind === 'fill' && last.reports[0]!.tradeId === 'alp-1:10');
  });

  it('an execution reported cumulatively is a gap, not a double fill', () => {
    const tracker = new FillTracker();
    map(event('partial_fill', { filled_qty: '4' }, { qty: '4', price: '150' }), tracker);
    const out = map(event('partial_fill', { filled_qty: '6' }, { qty: '6', price: '150' }), tracker);
    assert.deepEqual(out, { reports: [], gap: true });
  });

  it('the first event heard of an order that already filled part is a gap', () => {
    const out = map(event('partial_fill', { filled_qty: '6' }, { qty: '2', price: '150' }));
    assert.equal(out.gap, true);
  });

  it('charges the fee the caller says, and counts market-like orders as takers', () => {
    const out = unwrap(
      mapTradeUpdate(
        event(
          'fill',
          { filled_qty: '10', type: 'market', order_type: 'market', limit_price: null },
          { qty: '10', price: '150' },
        ),
        AAPL.instrument,
        'ordo-1',
        new FillTracker(),
        () => ({ fee: 123n, currency: 'USD' }),
      ),
    );
    const f = out.reports[0]!;
    assert.ok(f.kind === 'fill' && f.fee === 123n && f.liquidity === 'taker');
  });

  it('tells control messages apart', () => {
    assert.deepEqual(unwrap(parseStreamMessage({ stream: 'listening', data: { streams: [] } })), {
      kind: 'listening',
      streams: [],
    });
    assert.deepEqual(unwrap(parseStreamMessage({ stream: 'other', data: {} })), {
      kind: 'other',
      stream: 'other',
    });
    assert.equal(parseStreamMessage({ data: {} }).ok, false);
    assert.equal(parseStreamMessage({ stream: 'trade_updates', data: { event: 'new' } }).ok, false);
  });
});
