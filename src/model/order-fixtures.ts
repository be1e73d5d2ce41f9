// Fixtures for the order-record tests: an instrument and the init of a plain order on it. Only
// *.test.ts files import this module.

import { unwrap } from '../core/errors.ts';
import type { OrderId } from '../core/ids.ts';
import { defineInstrument } from './instrument.ts';
import type { OrderInit } from './order.ts';

export const INST = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.001' }),
);

/** A native GTC limit buy of 1000 lots at 100 ticks, with any fields replaced. */
export function limitInit(id: number, fields: Partial<OrderInit> = {}): OrderInit {
  return {
    id: id as OrderId,
    instrument: INST.key,
    side: 'buy',
    type: 'limit',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: 1000,
    price: 100,
    triggerPrice: undefined,
    trailing: undefined,
    triggerBasis: 'last',
    route: 'native',
    role: 'single',
    listId: undefined,
    reduceOnly: false,
    postOnly: false,
    tag: undefined,
    ...fields,
  };
}
