// Daily loss alone: once realized P&L today in the quote currency is at or below −limit, only
// reducing orders pass; other currencies are unaffected.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ETH_EUR, money, order, px, qty } from '../risk-fixtures.ts';
import { RiskManager } from '../risk-manager.ts';
import { StaticRiskContext } from '../static-risk-context.ts';

const KEY = 'paper:BTC/USD';
const risk = new RiskManager({ dailyLossMax: { USD: '500' } });

function ctxWith(pnlUsd: string, position = '0'): StaticRiskContext {
  return new StaticRiskContext({ realizedPnl: { USD: money(pnlUsd) }, positions: { [KEY]: qty(position) } });
}

test('a loss short of the limit passes', () => {
  assert.equal(risk.check(order(), ctxWith('-499.99')).ok, true);
  assert.equal(risk.check(order(), ctxWith('1000')).ok, true);
});

test('at the limit a risk-increasing order is denied', () => {
  assert.deepEqual(risk.check(order(), ctxWith('-500')), {
    ok: false,
    denials: [
      {
        code: 'daily_loss_limit_reached',
        message:
          'realized P&L today -500.00 USD has reached the daily loss limit 500.00: only orders that reduce a position are accepted',
        instrument: KEY,
        currency: 'USD',
        realizedPnl: '-500.00',
        dailyLossMax: '500.00',
      },
    ],
  });
});

test('past the limit reducing orders still pass, flips do not', () => {
  const ctx = ctxWith('-800.123456789', '2');
  assert.equal(risk.check(order({ side: 'sell', quantity: qty('2') }), ctx).ok, true);
  const v = risk.check(order({ side: 'sell', quantity: qty('3') }), ctx);
  assert.equal(
    v.ok === false && v.denials[0]?.code === 'daily_loss_limit_reached' && v.denials[0].realizedPnl,
    '-800.123456789',
  );
});

test('the limit applies per quote currency', () => {
  const eth = order({ instrument: ETH_EUR, quantity: qty('1', ETH_EUR), price: px('2000', ETH_EUR) });
  assert.equal(risk.check(eth, ctxWith('-10000')).ok, true);
});
