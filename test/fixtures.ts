// Shared test fixtures: instruments and a paper session with an AdvancedOrderManager on top.

import { unwrap } from '../src/core/errors.ts';
import { AdvancedOrderManager } from '../src/engine/advanced-order-manager.ts';
import type { SyncJournal } from '../src/engine/journal-port.ts';
import { defineInstrument, type Instrument } from '../src/model/instrument.ts';
import type { QuoteTick, TradeTick } from '../src/model/market.ts';
import { Portfolio } from '../src/portfolio/index.ts';
import type { RiskManager } from '../src/risk/index.ts';
import { ALL_NATIVE, type PaperNative, PaperVenue } from '../src/venues/paper/paper-venue.ts';

export const BTC = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.0001' }),
);
export const ETH = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'ETH/USD', priceIncrement: '0.01', qtyIncrement: '0.001' }),
);
export const SOL = unwrap(
  defineInstrument({ venue: 'paper', symbol: 'SOL/USD', priceIncrement: '0.01', qtyIncrement: '0.01' }),
);
export const XYZ = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'XYZ/USD',
    kind: 'equity',
    priceIncrement: '0.01',
    qtyIncrement: '1',
  }),
);

export function session(
  opts: {
    native?: PaperNative;
    instruments?: Instrument[];
    cash?: string;
    risk?: RiskManager;
    latencyMs?: number;
    journal?: SyncJournal;
  } = {},
) {
  const instruments = opts.instruments ?? [BTC, ETH, SOL, XYZ];
  const venue = new PaperVenue({
    venue: 'paper',
    instruments,
    balances: { USD: opts.cash ?? '10000000', BTC: '0', ETH: '0', SOL: '0', XYZ: '0' },
    native: opts.native ?? ALL_NATIVE,
    latencyMs: opts.latencyMs ?? 0,
  });
  const portfolio = new Portfolio();
  const oms = new AdvancedOrderManager(venue, {
    instruments,
    portfolio,
    risk: opts.risk,
    journal: opts.journal,
  });
  return { oms, venue, portfolio };
}

export function trade(inst: Instrument, price: string, ts: number, size = '1000'): TradeTick {
  return {
    kind: 'trade',
    instrument: inst.key,
    ts,
    price: units(price, inst.priceScale),
    size: units(size, inst.qtyScale),
    aggressor: undefined,
    tradeId: undefined,
  };
}

export function quote(inst: Instrument, bid: string, ask: string, ts: number, size = '1000'): QuoteTick {
  const s = units(size, inst.qtyScale);
  return {
    kind: 'quote',
    instrument: inst.key,
    ts,
    bid: units(bid, inst.priceScale),
    bidSize: s,
    ask: units(ask, inst.priceScale),
    askSize: s,
  };
}

function units(text: string, scale: number): number {
  const [i, f = ''] = text.split('.');
  return Number(
    BigInt(i ?? '0') * 10n ** BigInt(scale) + BigInt((f + '0'.repeat(scale)).slice(0, scale) || '0'),
  );
}

/** Feeds a trade and a one-tick-wide quote at the same price, so stops and limits both see it. */
export function market(oms: AdvancedOrderManager, inst: Instrument, price: string, ts: number): void {
  oms.feed(quote(inst, price, price, ts));
  oms.feed(trade(inst, price, ts));
}
