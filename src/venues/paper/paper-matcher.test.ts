// Scenario and property tests of the paper matcher: each rule in the contract at the top of
// paper-matcher.ts has a step table here (submit, tick, expect reports and balances), and fast-check
// drives random command and market sequences to check that balances are conserved, locks match
// open orders, fills never exceed an order or the size the market showed, and that the same inputs
// give byte-identical reports.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseUnits } from '../../core/decimal.ts';
import { unwrap } from '../../core/errors.ts';
import type { VenueOrderRequest, VenueReport } from '../../engine/venue-port.ts';
import { defineInstrument, MONEY_SCALE, notionalOf } from '../../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, TradeTick } from '../../model/market.ts';
import { DAY_MS, PaperMatcher, type PaperMatcherOptions } from './paper-matcher.ts';

// ---- fixtures: BTC/USD, 0.05 % maker, 0.1 % taker -------------------------------------------

const BTC = unwrap(
  defineInstrument({
    venue: 'paper',
    symbol: 'BTC/USD',
    priceIncrement: '0.01',
    qtyIncrement: '0.001',
    feeMaker: '0.0005',
    feeTaker: '0.001',
  }),
);
const KEY = BTC.key;

/** Money units from a decimal string. */
function usd(text: string): bigint {
  const v = parseUnits(text, MONEY_SCALE);
  if (v === undefined) throw new Error(`bad money ${text}`);
  return v;
}

/** Price units of BTC/USD from a decimal string. */
function px(text: string): number {
  const v = parseUnits(text, BTC.priceScale);
  if (v === undefined) throw new Error(`bad price ${text}`);
  return Number(v);
}

/** Quantity units of BTC/USD from a decimal string. */
function qty(text: string): number {
  const v = parseUnits(text, BTC.qtyScale);
  if (v === undefined) throw new Error(`bad quantity ${text}`);
  return Number(v);
}

function makeMatcher(options: Partial<PaperMatcherOptions> = {}): PaperMatcher {
  return new PaperMatcher({
    venue: 'paper',
    instruments: [BTC],
    balances: { USD: '10000' },
    slippage: { kind: 'none' },
    touchFills: false,
    latencyMs: 0,
    allowShort: false,
    tradeIdPrefix: 'T',
    ...options,
  });
}

function order(fields: Partial<VenueOrderRequest> & { clientOrderId: string }): VenueOrderRequest {
  return {
    instrument: KEY,
    side: 'buy',
    type: 'market',
    tif: 'gtc',
    expireAtMs: undefined,
    quantity: qty('1'),
    price: undefined,
    triggerPrice: undefined,
    trailing: undefined,
    postOnly: false,
    reduceOnly: false,
    ...fields,
  };
}

function limit(
  clientOrderId: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fields: Partial<VenueOrderRequest> = {},
): VenueOrderRequest {
  return order({ clientOrderId, side, type: 'limit', quantity: qty(quantity), price: px(price), ...fields });
}

function market(
  clientOrderId: string,
  side: 'buy' | 'sell',
  quantity: string,
  fields: Partial<VenueOrderRequest> = {},
): VenueOrderRequest {
  return order({ clientOrderId, side, quantity: qty(quantity), ...fields });
}

function quote(ts: number, bid: string, bidSize: string, ask: string, askSize: string): QuoteTick {
  return {
    kind: 'quote',
    instrument: KEY,
    ts,
    bid: px(bid),
    bidSize: qty(bidSize),
    ask: px(ask),
    askSize: qty(askSize),
  };
}

function trade(ts: number, price: string, size: string): TradeTick {
  return {
    kind: 'trade',
    instrument: KEY,
    ts,
    price: px(price),
    size: qty(size),
    aggressor: undefined,
    tradeId: undefined,
  };
}

function bar(ts: number, o: string, h: string, l: string, c: string, volume: string): Bar {
  return {
    kind: 'bar',
    instrument: KEY,
    ts,
    open: px(o),
    high: px(h),
    low: px(l),
    close: px(c),
    volume: qty(volume),
    durationMs: 60_000,
  };
}

/** Reports reduced to their kinds, for checking sequences at a glance. */
function kinds(reports: readonly VenueReport[]): string[] {
  return reports.map((r) => (r.kind === 'rejected' ? `rejected:${r.code}` : r.kind));
}

function fills(reports: readonly VenueReport[]): Extract<VenueReport, { kind: 'fill' }>[] {
  return reports.filter((r): r is Extract<VenueReport, { kind: 'fill' }> => r.kind === 'fill');
}
