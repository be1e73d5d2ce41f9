// Tests of the order-identity bookkeeping: one Ordo order across Alpaca replaces and legs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filledBeforeOf, legOf, OrderIdentities } from './order-identity.ts';
import type { AlpacaOrder, OrderSnapshot } from './parsers.ts';

function snap(id: string, clientOrderId: string, quantity: number, filled: number): OrderSnapshot {
  return {
    venueOrderId: id,
    clientOrderId,
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    status: 'open',
    rawStatus: 'new',
    quantity,
    filled,
    filledText: String(filled),
    price: 100,
    triggerPrice: undefined,
    orderClass: 'simple',
    replacedBy: undefined,
    replaces: undefined,
    createdMs: 0,
    updatedMs: 0,
    legs: [],
  };
}

describe('order identities', () => {
  it('a replacement works for the same Ordo order; its quantity counts what the old one filled', () => {
    const ids = new OrderIdentities();
    const t = ids.track('ordo-1', 'alpaca:AAPL');
    ids.link(t, 'a1');
    t.quantity = 10;
    ids.expect('ordo-1-r1', 'ordo-1');
    assert.equal(ids.ordoIdOf({ id: 'a2', client_order_id: 'ordo-1-r1', replaces: 'a1' }), 'ordo-1');
    // Ordo asks for 12 in all; the old order had filled 4, so Alpaca makes the new one for 8.
    ids.adoptReplacement(t, 'a1', snap('a2', 'ordo-1-r1', 8, 0), 12);
    assert.equal(t.venueOrderId, 'a2');
    assert.equal(t.filledBefore, 4);
    assert.equal(t.quantity, 12);
    assert.equal(t.revision, 1);
    assert.ok(t.replaced.has('a1'));
    assert.equal(ids.ordoIdOfVenueId('a1'), 'ordo-1');
    assert.equal(ids.ordoIdOfVenueId('a2'), 'ordo-1');
  });

  it('a replacement that carries the fills of the old order adds nothing before it', () => {
    const ids = new OrderIdentities();
    const t = ids.track('ordo-2', 'alpaca:AAPL');
    ids.link(t, 'b1');
    ids.adoptReplacement(t, 'b1', snap('b2', 'ordo-2-r1', 12, 4), 12);
    assert.equal(t.filledBefore, 0);
    assert.equal(t.quantity, 12);
  });

  it('a chain found after a restart: the first client id is Ordo’s, fills of replaced orders count', () => {
    const ids = new OrderIdentities();
    assert.equal(ids.ordoIdOf({ id: 'c3', client_order_id: 'ordo-3-r2', replaces: 'c2' }), 'ordo-3');
    assert.equal(ids.ordoIdOf({ id: 'x', client_order_id: 'manual-r2', replaces: null }), 'manual-r2');
    const chain = [snap('c1', 'ordo-3', 10, 2), snap('c2', 'ordo-3-r1', 8, 3), snap('c3', 'ordo-3-r2', 5, 1)];
    assert.equal(filledBeforeOf(chain), 5);
    const t = ids.track('ordo-3', 'alpaca:AAPL', 'ordo-3-r2');
    ids.adoptChain(t, chain);
    assert.equal(t.venueOrderId, 'c3');
    assert.equal(t.revision, 2);
    assert.deepEqual([...t.replaced], ['c1', 'c2']);
    assert.equal(ids.ordoIdOfVenueId('c1'), 'ordo-3');
  });

  it('legs Alpaca made are found by role and linked by their Alpaca ids', () => {
    const main = {
      legs: [
        { id: 'l1', client_order_id: 'alpaca-made-1', type: 'limit' },
        { id: 'l2', client_order_id: 'alpaca-made-2', type: 'stop_limit' },
      ],
    } as unknown as AlpacaOrder;
    assert.equal(legOf(main, 'take_profit')?.id, 'l1');
    assert.equal(legOf(main, 'stop_loss')?.id, 'l2');
    const ids = new OrderIdentities();
    const t = ids.track('ordo-5', 'alpaca:SPY');
    ids.linkLeg(t, legOf(main, 'stop_loss')!);
    assert.equal(ids.ordoIdOf({ id: 'l2', client_order_id: 'alpaca-made-2', replaces: null }), 'ordo-5');
    assert.equal(t.alpacaClientId, 'alpaca-made-2');
  });
});
