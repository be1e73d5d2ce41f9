// What Alpaca does natively, per kind of instrument (venues.md 1.7, 1.12). Routing reads only
// these matrices (engine/routing.ts), through `byKind` for crypto.
//
// Equities: market, limit, stop, stop-limit and trailing stops (by `trail_price` or
// `trail_percent`: Ordo's price, ticks, percent and bps offsets all convert exactly), time in force
// day/gtc/ioc/fok (no gtd), order classes bracket, OCO and OTO (one child), and replace (PATCH).
// Stops trigger on the last trade. Alpaca's trailing stops take no activation price and release no
// limit order, and a replace starts a new order, so raising a trailing stop's quantity is not
// offered. Children of a bracket or OTO are released only once the entry is completely filled.
//
// Crypto: market, limit and stop-limit, gtc and ioc only, no order class; Ordo emulates stops,
// trailing stops and every list.

import type { Capabilities } from '../../engine/venue-port.ts';

export const ALPACA_EQUITY_CAPABILITIES: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'native',
    stop_limit: 'native',
    trailing_stop: 'native',
  },
  contingencies: { bracket: 'native', oco: 'native', oto: 'native' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'native', day: 'native', gtd: 'unsupported' },
  modify: true,
  triggerBases: ['last'],
  trailingOffsets: ['price', 'ticks', 'percent', 'bps'],
  trailingActivation: false,
  trailingLimit: false,
  otoMaxChildren: 1,
  trailingRaise: false,
  // Cancelling one leg of a bracket or OCO cancels its sibling too.
  listLegsFixed: true,
  listsReleaseOnFullFill: true,
};

export const ALPACA_CRYPTO_CAPABILITIES: Capabilities = {
  orderTypes: {
    market: 'native',
    limit: 'native',
    stop: 'emulated',
    stop_limit: 'native',
    trailing_stop: 'emulated',
  },
  contingencies: { bracket: 'emulated', oco: 'emulated', oto: 'emulated' },
  timeInForce: { gtc: 'native', ioc: 'native', fok: 'unsupported', day: 'unsupported', gtd: 'unsupported' },
  modify: true,
  triggerBases: ['last'],
};

/** The venue's matrix: equities at the top level, crypto through `byKind`. */
export const ALPACA_CAPABILITIES: Capabilities = {
  ...ALPACA_EQUITY_CAPABILITIES,
  byKind: { equity: ALPACA_EQUITY_CAPABILITIES, crypto_spot: ALPACA_CRYPTO_CAPABILITIES },
};
