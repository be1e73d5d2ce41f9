import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pow10 } from '../../core/decimal.ts';
import { MONEY_SCALE } from '../../model/instrument.ts';
import { fillFee } from './fees.ts';
import { AAPL, BTC, px, qty } from './test-fixtures.ts';

const money = (text: string): bigint => {
  const [i, f = ''] = text.split('.');
  return BigInt(i!) * pow10(MONEY_SCALE) + BigInt(f.padEnd(MONEY_SCALE, '0'));
};

describe('fill fees', () => {
  const p = px(BTC, '60000');
  const q = qty(BTC, '0.01');

  it('crypto, in the asset received: base on a buy, quote on a sell', () => {
    assert.deepEqual(fillFee(BTC.instrument, 'buy', p, q, 'maker'), {
      fee: money('0.000015'),
      currency: 'BTC',
    });
    assert.deepEqual(fillFee(BTC.instrument, 'sell', p, q, 'taker'), { fee: money('1.5'), currency: 'USD' });
  });

  it('crypto in the quote currency, or not at all', () => {
    assert.deepEqual(fillFee(BTC.instrument, 'buy', p, q, 'maker', 'quote'), {
      fee: money('0.9'),
      currency: 'USD',
    });
    assert.deepEqual(fillFee(BTC.instrument, 'buy', p, q, 'taker', 'none'), { fee: 0n, currency: 'USD' });
  });

  it('equities trade free', () => {
    assert.deepEqual(fillFee(AAPL.instrument, 'buy', px(AAPL, '190'), qty(AAPL, '10'), 'taker', 'quote'), {
      fee: 0n,
      currency: 'USD',
    });
  });
});
