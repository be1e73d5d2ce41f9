// The status table accepts exactly its transitions: every pair is checked against an independent
// listing written out here, so a change to the table must be made twice, on purpose.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  canTransition,
  isTerminal,
  ORDER_STATUSES,
  type OrderStatus,
  seedStatus,
  transition,
} from './status.ts';

const EXPECTED = `
initialized>denied initialized>held initialized>submitted initialized>rejected
held>triggered held>submitted held>cancelled held>expired held>rejected
triggered>submitted triggered>partially_filled triggered>filled triggered>pending_cancel triggered>cancelled triggered>expired triggered>rejected
submitted>accepted submitted>rejected submitted>partially_filled submitted>filled submitted>cancelled submitted>expired submitted>pending_cancel submitted>triggered
accepted>triggered accepted>partially_filled accepted>filled accepted>pending_modify accepted>pending_cancel accepted>cancelled accepted>expired accepted>rejected
pending_modify>accepted pending_modify>partially_filled pending_modify>filled pending_modify>pending_cancel pending_modify>cancelled pending_modify>expired
pending_cancel>accepted pending_cancel>partially_filled pending_cancel>filled pending_cancel>cancelled pending_cancel>expired
partially_filled>partially_filled partially_filled>filled partially_filled>pending_modify partially_filled>pending_cancel partially_filled>cancelled partially_filled>expired
`
  .trim()
  .split(/\s+/);

describe('order status table', () => {
  it('accepts exactly the listed transitions', () => {
    const allowed = new Set(EXPECTED);
    const arb = fc.tuple(fc.constantFrom(...ORDER_STATUSES), fc.constantFrom(...ORDER_STATUSES));
    fc.assert(
      fc.property(arb, ([from, to]) => {
        assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} -> ${to}`);
        const r = transition(from, to);
        assert.equal(r.ok, allowed.has(`${from}>${to}`));
        if (!r.ok) {
          assert.equal(r.error.code, 'illegal_transition');
          assert.deepEqual(r.error.detail, { from, to });
        }
      }),
      { numRuns: 1000 },
    );
    // And exhaustively, so no pair is left to chance.
    let count = 0;
    for (const from of ORDER_STATUSES) for (const to of ORDER_STATUSES) if (canTransition(from, to)) count++;
    assert.equal(count, allowed.size);
  });

  it('has no way out of a terminal status', () => {
    for (const s of ORDER_STATUSES.filter(isTerminal))
      for (const to of ORDER_STATUSES) assert.equal(canTransition(s, to), false, `${s} -> ${to}`);
  });

  it('maps every status to the seed vocabulary', () => {
    const expected: Record<OrderStatus, string> = {
      initialized: 'pending',
      submitted: 'pending',
      held: 'active',
      triggered: 'active',
      accepted: 'active',
      pending_modify: 'active',
      pending_cancel: 'active',
      partially_filled: 'active',
      filled: 'filled',
      cancelled: 'cancelled',
      expired: 'cancelled',
      denied: 'rejected',
      rejected: 'rejected',
    };
    for (const s of ORDER_STATUSES) assert.equal(seedStatus(s), expected[s]);
  });
});
