// A long outage of the order stream while market data keeps coming: a fill the venue made at its
// start is lost on the wire, and the order is then cancelled, so it is no longer open when the
// stream comes back. The reconciliation after the reconnect must still find the fill. It compared
// fills from a minute before Ordo's last input only, which market data had moved on (found by the
// simulator's asynchronous histories, seed 14000071).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultyPaperAdapter } from '../sim/faulty-adapter.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import { LiveSession } from '../src/venues/live-session.ts';
import { NONE_NATIVE, PaperVenue } from '../src/venues/paper/paper-venue.ts';
import { BTC, quote, trade } from './fixtures.ts';

const NO_FAULTS = { answerLost: 0, serverError: 0, rateLimited: 0, duplicate: 0 };

describe('an order stream outage longer than a minute', () => {
  it('reconciles the fills made at its start', async () => {
    const paper = new PaperVenue({
      venue: 'paper',
      instruments: [BTC],
      balances: { USD: '1000000', BTC: '10' },
      native: NONE_NATIVE,
    });
    const adapter = new FaultyPaperAdapter(paper, [BTC], 1, NO_FAULTS);
    let now = 1_767_225_600_000;
    const clock = () => now;
    const at = (ms: number) => {
      now = ms;
      adapter.now = ms;
    };
    at(now);
    const session = await LiveSession.open(adapter, {
      clock,
      portfolio: new Portfolio(),
      bridge: { sleep: () => Promise.resolve(), clock, maxAttempts: 3 },
    });
    const t0 = now;
    adapter.feed(quote(BTC, '45000', '45001', t0));
    adapter.feed(trade(BTC, '45000', t0));
    const placed = session.oms.placeOrder(
      { symbol: 'BTC/USD', side: 'buy', type: 'limit', price: '44900', quantity: '0.5' },
      t0,
    );
    assert.ok(placed.ok);
    await session.settle();
    assert.equal(session.oms.getOrder(placed.value.id)?.status, 'accepted');

    // The stream drops; ten seconds in, 0.2 trades through the order, which fills that much; then
    // the order is cancelled (the cancel's own answer comes back, the fill's report does not).
    adapter.disconnect();
    at(t0 + 10_000);
    adapter.feed(trade(BTC, '44800', now, '0.2'));
    at(t0 + 20_000);
    assert.ok(session.oms.cancelOrder(placed.value.id, now).ok);
    await session.settle();
    assert.equal(adapter.fills.size, 1, 'the venue filled 0.2');
    const order = () => session.oms.getOrder(placed.value.id)!;
    assert.equal(order().status, 'cancelled');
    assert.equal(order().filled, '0.0000', 'Ordo did not hear of the fill');
    // Market data goes on for five minutes, then the stream comes back: the reconciliation finds
    // the fill of an order that is no longer open, by the time it was made.
    for (let s = 1; s <= 300; s++) {
      at(t0 + 20_000 + s * 1000);
      adapter.feed(trade(BTC, '44950', now));
    }
    adapter.reconnect();
    await session.settle();
    await session.reconcile();
    assert.equal(order().filled, '0.2000');
    assert.equal(order().status, 'cancelled');
    assert.equal(session.oms.portfolio.position(BTC.key)?.qty, '0.2000');
    await session.close();
  });
});
