// What the paper venue's snapshot and checkpoint-chain tests share: the two instruments they trade
// (fine price ticks, lots of different sizes and fee rates, ETH without a maker fee, so that
// snapshots carry every kind of number), the venue inputs they record and replay, and the trip
// through the journal's checkpoint codec that a restart reads back.

import { unwrap } from '../../src/core/errors.ts';
import type { VenueCommand, VenueReport } from '../../src/engine/venue-port.ts';
import { decodeCheckpointState, encodeCheckpointState } from '../../src/journal/event-codec.ts';
import { defineInstrument } from '../../src/model/instrument.ts';
import type { MarketData } from '../../src/model/market.ts';
import type { PaperVenue } from '../../src/venues/paper/paper-venue.ts';

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

/** One input of a paper venue, as the tests record and replay it. */
export type Input =
  | { readonly k: 'handle'; readonly command: VenueCommand; readonly ts: number }
  | { readonly k: 'market'; readonly md: MarketData }
  | { readonly k: 'drain' };

/** Runs one recorded input; a drain returns its reports. */
export function apply(v: PaperVenue, input: Input): VenueReport[] | undefined {
  switch (input.k) {
    case 'handle':
      v.handle(input.command, input.ts);
      return undefined;
    case 'market':
      v.onMarket(input.md);
      return undefined;
    case 'drain':
      return v.drainReports();
  }
}

/** Through the journal's checkpoint codec and back, as a restart reads it. */
export function roundTrip(state: unknown): unknown {
  return decodeCheckpointState(encodeCheckpointState(state));
}
