// Engine scenarios as step tables: submit, tick, fill, expect. Partial fills of brackets and
// OCOs, OTO release modes, brackets on a position, trailing stop variants, expiry, and the
// venue-report edge cases (duplicate trade ids, a fill after a cancel).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from '../src/core/errors.ts';
import { venueId } from '../src/core/ids.ts';
import { NONE_NATIVE } from '../src/venues/paper/paper-venue.ts';
import { BTC, ETH, market, quote, session, trade } from './fixtures.ts';

describe('bracket with partial entry fills', () => {
  it('sizes take-profit and stop-loss to the filled entry, and a partial TP fill reduces the SL', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { price: '46000' },
        stopLoss: { price: '44000' },
      }),
    );
    const [entry, tp, sl] = b.orders.map((o) => o.id);
    assert.equal(oms.getOrder(tp!)?.status, 'held', 'children wait for the entry');
    // 0.3 trades through the entry's price.
    oms.feed(trade(BTC, '44999', 2, '0.3'));
    assert.equal(oms.getOrder(entry!)?.filled, '0.3000');
    assert.equal(oms.getOrder(tp!)?.quantity, '0.3000');
    assert.equal(oms.getOrder(sl!)?.quantity, '0.3000');
    assert.equal(oms.getOrder(tp!)?.status, 'accepted');
    oms.feed(trade(BTC, '44999', 3, '0.7'));
    assert.equal(oms.getOrder(entry!)?.status, 'filled');
    assert.equal(oms.getOrder(tp!)?.quantity, '1.0000');
    assert.equal(oms.getOrder(sl!)?.quantity, '1.0000');
    // TP partially fills: the SL shrinks to what is still open.
    oms.feed(trade(BTC, '46001', 4, '0.4'));
    assert.equal(oms.getOrder(tp!)?.filled, '0.4000');
    assert.equal(oms.getOrder(sl!)?.quantity, '0.6000');
    // The stop fires for the rest; the TP stands down; the position is flat.
    market(oms, BTC, '43900', 5);
    assert.equal(oms.getOrder(sl!)?.status, 'filled');
    assert.equal(oms.getOrder(sl!)?.filled, '0.6000');
    assert.equal(oms.getOrder(tp!)?.status, 'cancelled');
    assert.equal(oms.portfolio.position(BTC.key)?.side, 'flat');
  });

  it('sends one exit when the stop-loss fires as the entry fills: the take-profit is withdrawn unsent', () => {
    // The exits were moved so that both act the moment the entry fills: the take-profit is a
    // marketable limit, and the stop-loss's trigger already holds at the last price. Sent together,
    // the take-profit filled at the venue before its cancel arrived, and the stop-loss sold too:
    // the exits sold 2 for an entry of 1, eating the BTC held before.
    const { oms, venue } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    unwrap(oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'market', quantity: '1' }));
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { price: '46000' },
        stopLoss: { price: '44000' },
      }),
    );
    const [entry, tp, sl] = b.orders.map((o) => o.id);
    unwrap(oms.modifyOrder(tp!, { price: '44000' }));
    unwrap(oms.modifyOrder(sl!, { triggerPrice: '45150' }));
    oms.feed(trade(BTC, '44999', 2));
    assert.equal(oms.getOrder(entry!)?.status, 'filled');
    assert.equal(oms.getOrder(sl!)?.status, 'filled');
    assert.equal(oms.getOrder(sl!)?.filled, '1.0000');
    assert.equal(oms.getOrder(tp!)?.status, 'cancelled');
    assert.equal(oms.getOrder(tp!)?.filled, '0.0000');
    assert.equal(venue.matcher.hasClientId(oms.getOrder(tp!)!.clientOrderId!), false, 'never sent');
    assert.equal(oms.portfolio.position(BTC.key)?.qty, '1.0000');
  });

  it('cancels the children when the entry is cancelled unfilled', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { percent: '2' },
        stopLoss: { percent: '2' },
      }),
    );
    unwrap(oms.cancelOrder(b.orders[0]!.id));
    assert.deepEqual(
      b.orders.map((o) => oms.getOrder(o.id)?.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });

  it('protects an existing position: levels from its average entry price', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '2' }));
    market(oms, ETH, '2100', 2);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '2' }));
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'ETH/USD',
        side: 'buy',
        quantity: '4',
        takeProfit: { percent: '10' },
        stopLoss: { percent: '5' },
      }),
    );
    // Average entry 2050: TP 2255, SL 1947.50.
    assert.equal(b.orders.length, 2);
    assert.equal(b.orders[0]?.price, '2255.00');
    assert.equal(b.orders[1]?.triggerPrice, '1947.50');
    assert.equal(b.orders[0]?.quantity, '4.000');
  });
});

describe('OCO partial fills', () => {
  it('a partial fill of the limit leg reduces the stop leg', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '3' }));
    const oco = unwrap(
      oms.placeOcoOrder({
        symbol: 'ETH/USD',
        side: 'sell',
        quantity: '3',
        legs: [
          { type: 'limit', price: '2100' },
          { type: 'stop', triggerPrice: '1900' },
        ],
      }),
    );
    oms.feed(trade(ETH, '2101', 2, '1'));
    const [limit, stop] = oco.orders.map((o) => oms.getOrder(o.id)!);
    assert.equal(limit?.filled, '1.000');
    assert.equal(stop?.quantity, '2.000');
    market(oms, ETH, '1890', 3);
    assert.equal(oms.getOrder(stop!.id)?.filled, '2.000');
    assert.equal(oms.getOrder(limit!.id)?.status, 'cancelled');
    assert.equal(oms.portfolio.position(ETH.key)?.side, 'flat', 'the pair never fills beyond its quantity');
  });
});

describe('OTO', () => {
  for (const trigger of ['partial', 'full'] as const) {
    it(`releases children on ${trigger} fill`, () => {
      const { oms } = session({ native: NONE_NATIVE });
      market(oms, ETH, '2000', 1);
      const oto = unwrap(
        oms.placeOtoOrder({
          parent: { symbol: 'ETH/USD', side: 'buy', type: 'limit', quantity: '2', price: '1990' },
          children: [{ symbol: 'ETH/USD', side: 'sell', type: 'limit', quantity: '2', price: '2100' }],
          trigger,
        }),
      );
      const child = oto.orders[1]!.id;
      oms.feed(trade(ETH, '1989', 2, '1'));
      if (trigger === 'partial') {
        assert.equal(oms.getOrder(child)?.status, 'accepted');
        assert.equal(oms.getOrder(child)?.quantity, '1.000');
      } else assert.equal(oms.getOrder(child)?.status, 'held');
      oms.feed(trade(ETH, '1989', 3, '1'));
      assert.equal(oms.getOrder(child)?.status, 'accepted');
      assert.equal(oms.getOrder(child)?.quantity, '2.000');
    });
  }
});

describe('trailing stop variants', () => {
  it('stays inactive until the activation price, then trails from there', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '1' }));
    const t = unwrap(
      oms.placeTrailingStop({
        symbol: 'ETH/USD',
        side: 'sell',
        quantity: '1',
        offsetType: 'price',
        offset: '50',
        activationPrice: '2100',
      }),
    );
    market(oms, ETH, '1900', 2);
    assert.equal(oms.getOrder(t.id)?.status, 'held', 'inactive: a drop does not fire it');
    assert.equal(oms.getOrder(t.id)?.stopPrice, undefined);
    market(oms, ETH, '2120', 3);
    assert.equal(oms.getOrder(t.id)?.stopPrice, '2070.00');
    market(oms, ETH, '2070', 4);
    assert.equal(oms.getOrder(t.id)?.status, 'filled');
  });

  it('the limit variant releases a limit at the stop minus the limit offset', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '1' }));
    const t = unwrap(
      oms.placeTrailingStop({
        symbol: 'ETH/USD',
        side: 'sell',
        quantity: '1',
        offsetType: 'bps',
        offset: '100',
        limitOffset: '5',
      }),
    );
    market(oms, ETH, '2100', 2);
    assert.equal(oms.getOrder(t.id)?.stopPrice, '2079.00');
    // Gap far below the limit: the released limit (2074) rests unfilled.
    market(oms, ETH, '2050', 3);
    const o = oms.getOrder(t.id)!;
    assert.equal(o.status, 'accepted');
    assert.equal(o.price, '2074.00');
  });

  it('on the quote basis a sell trails the bid', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1);
    unwrap(oms.placeOrder({ symbol: 'ETH/USD', side: 'buy', type: 'market', quantity: '1' }));
    const t = unwrap(
      oms.placeTrailingStop({
        symbol: 'ETH/USD',
        side: 'sell',
        quantity: '1',
        offsetType: 'ticks',
        offset: '1000',
        triggerBasis: 'quote',
      }),
    );
    oms.feed(quote(ETH, '2050', '2060', 2));
    assert.equal(oms.getOrder(t.id)?.stopPrice, '2040.00');
    oms.feed(trade(ETH, '2200', 3)); // trades do not move a quote-basis stop
    assert.equal(oms.getOrder(t.id)?.stopPrice, '2040.00');
  });
});

describe('time in force', () => {
  it('expires a held GTD stop at its expiry and a DAY stop at the end of the UTC day', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, ETH, '2000', 1000);
    const gtd = unwrap(
      oms.placeOrder({
        symbol: 'ETH/USD',
        side: 'buy',
        type: 'stop',
        quantity: '1',
        triggerPrice: '2500',
        tif: 'gtd',
        expireAt: 5000,
      }),
    );
    const day = unwrap(
      oms.placeOrder({
        symbol: 'ETH/USD',
        side: 'buy',
        type: 'stop',
        quantity: '1',
        triggerPrice: '2500',
        tif: 'day',
      }),
    );
    market(oms, ETH, '2001', 4999);
    assert.equal(oms.getOrder(gtd.id)?.status, 'held');
    market(oms, ETH, '2001', 5000);
    assert.equal(oms.getOrder(gtd.id)?.status, 'expired');
    assert.equal(oms.getOrder(day.id)?.status, 'held');
    market(oms, ETH, '2001', 86_400_000);
    assert.equal(oms.getOrder(day.id)?.status, 'expired');
  });
});

describe('venue reports', () => {
  function setup() {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45000', 1);
    const o = unwrap(
      oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '1', price: '44000' }),
    );
    return { oms, o };
  }
  const fill = (coid: string, tradeId: string, qty: number) => ({
    kind: 'fill' as const,
    clientOrderId: coid,
    tradeId,
    price: 4_400_000,
    quantity: qty,
    fee: 0n,
    feeCurrency: 'USD',
    liquidity: 'maker' as const,
    ts: 5,
  });

  it('de-duplicates fills by trade id', () => {
    const { oms, o } = setup();
    unwrap(oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'x1', 2000)));
    unwrap(oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'x1', 2000)));
    assert.equal(oms.getOrder(o.id)?.filled, '0.2000');
    assert.equal(oms.portfolio.position(BTC.key)?.qty, '0.2000');
  });

  it('ignores a repeated fill that no longer fits the order, and a refused fill does not use up its trade id', () => {
    const { oms, o } = setup();
    // The whole order in one fill, then the venue sends it again: ignored, not an error.
    unwrap(oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'all', 10_000)));
    unwrap(oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'all', 10_000)));
    assert.equal(oms.getOrder(o.id)?.filled, '1.0000');
    assert.equal(oms.portfolio.position(BTC.key)?.qty, '1.0000');
    const { oms: oms2, o: o2 } = setup();
    assert.equal(oms2.engine.onReport(venueId('paper'), fill(o2.clientOrderId, 'x9', 20_000)).ok, false);
    unwrap(oms2.engine.onReport(venueId('paper'), fill(o2.clientOrderId, 'x9', 4000)));
    assert.equal(oms2.getOrder(o2.id)?.filled, '0.4000');
  });

  it('applies a fill that arrives after a cancel and keeps the cancelled status', () => {
    const { oms, o } = setup();
    unwrap(
      oms.engine.onReport(venueId('paper'), {
        kind: 'cancelled',
        clientOrderId: o.clientOrderId,
        reason: 'user',
        ts: 4,
      }),
    );
    unwrap(oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'late', 3000)));
    const v = oms.getOrder(o.id)!;
    assert.equal(v.status, 'cancelled');
    assert.equal(v.filled, '0.3000');
    assert.equal(oms.portfolio.position(BTC.key)?.qty, '0.3000');
  });

  it('refuses a fill beyond the open quantity with a coded error and changes nothing', () => {
    const { oms, o } = setup();
    const r = oms.engine.onReport(venueId('paper'), fill(o.clientOrderId, 'big', 20_000));
    assert.equal(r.ok, false);
    assert.equal(oms.getOrder(o.id)?.filled, '0.0000');
  });

  it('refuses a report for an unknown client order id', () => {
    const { oms } = setup();
    const r = oms.engine.onReport(venueId('paper'), fill('nobody', 'z', 1));
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'unknown_order');
  });
});

describe('faults found by the paper venue snapshot property test', () => {
  it('refuses a modify of an order the venue has not accepted yet, and changes nothing', () => {
    const { oms } = session({ native: NONE_NATIVE, latencyMs: 50 });
    market(oms, BTC, '45100', 1);
    const o = unwrap(
      oms.placeOrder({ symbol: 'BTC/USD', side: 'buy', type: 'limit', quantity: '1', price: '45000' }, 2),
    );
    assert.equal(oms.getOrder(o.id)?.status, 'submitted');
    const r = oms.modifyOrder(o.id, { price: '44900' }, 3);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'order_not_open');
    assert.match(!r.ok ? r.error.message : '', /submitted: modify it once the venue has accepted it/);
    assert.equal(oms.getOrder(o.id)?.price, '45000.00');
    // Accepted 50 ms later: now it can be modified.
    market(oms, BTC, '45100', 60);
    assert.equal(oms.getOrder(o.id)?.status, 'accepted');
    unwrap(oms.modifyOrder(o.id, { price: '44900' }, 61));
  });

  it('resizes a list leg only once the venue has accepted it', () => {
    const { oms } = session({ native: NONE_NATIVE, latencyMs: 50 });
    market(oms, ETH, '2000', 1);
    const oto = unwrap(
      oms.placeOtoOrder(
        {
          parent: { symbol: 'ETH/USD', side: 'buy', type: 'limit', quantity: '2', price: '1990' },
          children: [{ symbol: 'ETH/USD', side: 'sell', type: 'limit', quantity: '2', price: '2100' }],
          trigger: 'partial',
        },
        1,
      ),
    );
    const child = oto.orders[1]!.id;
    oms.feed(trade(ETH, '1989', 100, '1'));
    assert.equal(oms.getOrder(child)?.status, 'submitted');
    // The parent fills again while the child is still on its way to the venue.
    oms.feed(trade(ETH, '1989', 110, '1'));
    assert.equal(oms.getOrder(child)?.quantity, '1.000');
    // Accepted at 100 + 50: the resize follows, and is confirmed 50 ms later.
    oms.feed(trade(ETH, '2000', 200, '0.001'));
    assert.equal(oms.getOrder(child)?.status, 'pending_modify');
    oms.feed(trade(ETH, '2000', 300, '0.001'));
    assert.equal(oms.getOrder(child)?.status, 'accepted');
    assert.equal(oms.getOrder(child)?.quantity, '2.000');
  });

  it("cancels a bracket's unfilled entry when its stop-loss fires, so the exit covers the position", () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { price: '46000' },
        stopLoss: { price: '44000' },
      }),
    );
    const [entry, tp, sl] = b.orders.map((o) => o.id);
    oms.feed(trade(BTC, '44999', 2, '0.3'));
    // The market falls through the stop while the entry is still working (the print fills 0.1
    // more of the entry first).
    oms.feed(trade(BTC, '43900', 3, '0.1'));
    assert.equal(oms.getOrder(entry!)?.status, 'cancelled');
    assert.equal(oms.getOrder(entry!)?.filled, '0.4000');
    assert.equal(oms.getOrder(sl!)?.status, 'filled');
    assert.equal(oms.getOrder(sl!)?.filled, '0.4000');
    assert.equal(oms.getOrder(tp!)?.status, 'cancelled');
    assert.equal(oms.portfolio.position(BTC.key)?.side, 'flat');
  });
});

describe('bracket released on a full fill', () => {
  it('keeps the exits held until the entry is completely filled', () => {
    const { oms } = session({ native: NONE_NATIVE });
    market(oms, BTC, '45100', 1);
    const b = unwrap(
      oms.placeBracketOrder({
        symbol: 'BTC/USD',
        side: 'buy',
        quantity: '1',
        entry: { type: 'limit', price: '45000' },
        takeProfit: { price: '46000' },
        stopLoss: { price: '44000' },
        release: 'full',
      }),
    );
    const [entry, tp, sl] = b.orders.map((o) => o.id);
    oms.feed(trade(BTC, '44999', 2, '0.3'));
    assert.equal(oms.getOrder(entry!)?.filled, '0.3000');
    assert.equal(oms.getOrder(tp!)?.status, 'held');
    assert.equal(oms.getOrder(sl!)?.status, 'held');
    oms.feed(trade(BTC, '44999', 3, '0.7'));
    assert.equal(oms.getOrder(entry!)?.status, 'filled');
    assert.equal(oms.getOrder(tp!)?.status, 'accepted');
    assert.equal(oms.getOrder(tp!)?.quantity, '1.0000');
  });

  it('refuses a release that is neither partial nor full', () => {
    const { oms } = session();
    const r = oms.placeBracketOrder({
      symbol: 'BTC/USD',
      side: 'buy',
      quantity: '1',
      entry: { type: 'limit', price: '45000' },
      takeProfit: { price: '46000' },
      stopLoss: { price: '44000' },
      release: 'later' as 'full',
    });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.issues?.[0]?.field, 'release');
  });
});
