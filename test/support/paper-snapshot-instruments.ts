// The two instruments the paper venue's snapshot and checkpoint-chain tests trade: fine price
// ticks, lots of different sizes and fee rates (ETH has no maker fee), so that their snapshots
// carry every kind of number.

import { unwrap } from '../../src/core/errors.ts';
import { defineInstrument } from '../../src/model/instrument.ts';

export const BTC = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.00001',
    qtyIncrement: '0.01',
    feeMaker: '0.0005',
    feeTaker: '0.001',
  }),
);
export const ETH = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'ETH/USD',
    priceIncrement: '0.0001',
    qtyIncrement: '0.1',
    feeMaker: '0',
    feeTaker: '0.002',
  }),
);
