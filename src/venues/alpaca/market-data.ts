// Alpaca market data messages (venues.md 1.10, "Market data") as Ordo MarketData. The stream sends
// JSON arrays of objects tagged `T`: `t` trade, `q` quote, `b` minute bar, plus control messages
// (`success`, `error`, `subscription`). Stocks come from `/v2/{iex|sip}`, crypto from
// `/v1beta3/crypto/us`; both speak the same dialect. Numbers arrive as JSON numbers and are read
// through their shortest decimal text (wire.ts).
//
// Units. A price off the instrument's tick (Alpaca's crypto prices can carry more decimals than
// `price_increment`; stock prints can be sub-penny) is rounded half-even onto it; sizes are rounded
// half-even onto the lot, a trade whose size rounds to 0 is dropped. A bar is stamped with its close
// (`t` is its start) and lasts a minute. Crypto trades name their aggressor (`tks` B/S); stock
// trades do not. Daily (`d`) and corrected (`u`) bars are not passed on: the engine would walk them
// as new price paths.

import { z } from 'zod';
import { parseMarketSize } from '../../data/market-units.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, TradeTick } from '../../model/market.ts';
import type { AssetRules } from './assets.ts';
import { priceUnits } from './parsers.ts';
import { decimal, idText, time } from './wire.ts';

export const tradeMessageSchema = z.object({
  T: z.literal('t'),
  S: z.string(),
  i: idText.optional(),
  p: decimal,
  s: decimal,
  t: time,
  tks: z.string().optional(),
  x: z.string().optional(),
});

export const quoteMessageSchema = z.object({
  T: z.literal('q'),
  S: z.string(),
  bp: decimal,
  bs: decimal,
  ap: decimal,
  as: decimal,
  t: time,
});

export const barMessageSchema = z.object({
  T: z.enum(['b', 'd', 'u']),
  S: z.string(),
  o: decimal,
  h: decimal,
  l: decimal,
  c: decimal,
  v: decimal,
  t: time,
});

export const controlMessageSchema = z.object({
  T: z.enum(['success', 'error', 'subscription']),
  msg: z.string().optional(),
  code: z.number().optional(),
});

export type TradeMessage = z.infer<typeof tradeMessageSchema>;
export type QuoteMessage = z.infer<typeof quoteMessageSchema>;
export type BarMessage = z.infer<typeof barMessageSchema>;
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** One element of a market-data frame, parsed; `ignored` for kinds Ordo does not use. */
export type DataMessage =
  | { readonly kind: 'trade'; readonly m: TradeMessage }
  | { readonly kind: 'quote'; readonly m: QuoteMessage }
  | { readonly kind: 'bar'; readonly m: BarMessage }
  | { readonly kind: 'control'; readonly m: ControlMessage }
  | { readonly kind: 'ignored'; readonly tag: string };

/** One tagged object as a DataMessage, or undefined when it is malformed. */
function parseItem(item: unknown, tag: string): DataMessage | undefined {
  switch (tag) {
    case 't': {
      const r = tradeMessageSchema.safeParse(item);
      return r.success ? { kind: 'trade', m: r.data } : undefined;
    }
    case 'q': {
      const r = quoteMessageSchema.safeParse(item);
      return r.success ? { kind: 'quote', m: r.data } : undefined;
    }
    case 'b':
    case 'd':
    case 'u': {
      const r = barMessageSchema.safeParse(item);
      return r.success ? { kind: 'bar', m: r.data } : undefined;
    }
    case 'success':
    case 'error':
    case 'subscription': {
      const r = controlMessageSchema.safeParse(item);
      return r.success ? { kind: 'control', m: r.data } : undefined;
    }
    default:
      return { kind: 'ignored', tag };
  }
}

/** Splits a frame (an array, or one object) into parsed messages; malformed ones are dropped. */
export function parseDataFrame(json: unknown): DataMessage[] {
  const items = Array.isArray(json) ? json : [json];
  const out: DataMessage[] = [];
  for (const item of items) {
    const tag = (item as { T?: unknown } | null)?.T;
    if (typeof tag !== 'string') continue;
    const d = parseItem(item, tag);
    if (d !== undefined) out.push(d);
  }
  return out;
}

const MINUTE = 60_000;

function size(inst: Instrument, text: string, allowZero: boolean): number | undefined {
  const v = parseMarketSize(inst, text, { rounding: 'half_even', allowZero });
  return typeof v === 'number' ? v : undefined;
}

function px(inst: Instrument, text: string): number | undefined {
  try {
    const v = priceUnits(inst, text, 'p');
    return v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A trade message as a TradeTick, or undefined when it cannot be one. */
export function mapTradeMessage(m: TradeMessage, inst: Instrument): TradeTick | undefined {
  const price = px(inst, m.p);
  const s = size(inst, m.s, false);
  if (price === undefined || s === undefined) return undefined;
  return {
    kind: 'trade',
    instrument: inst.key,
    ts: m.t,
    price,
    size: s,
    aggressor: m.tks === 'B' ? 'buy' : m.tks === 'S' ? 'sell' : undefined,
    tradeId: m.i,
  };
}

/** A quote message as a QuoteTick (a side with no price keeps the quote out). */
export function mapQuoteMessage(m: QuoteMessage, inst: Instrument): QuoteTick | undefined {
  const bid = px(inst, m.bp);
  const ask = px(inst, m.ap);
  const bidSize = size(inst, m.bs, true);
  const askSize = size(inst, m.as, true);
  if (bid === undefined || ask === undefined || bidSize === undefined || askSize === undefined)
    return undefined;
  return { kind: 'quote', instrument: inst.key, ts: m.t, bid, bidSize, ask, askSize };
}

/** A minute bar as a Bar stamped with its close. Daily and corrected bars give undefined. */
export function mapBarMessage(m: BarMessage, inst: Instrument): Bar | undefined {
  if (m.T !== 'b') return undefined;
  const [open, high, low, close] = [m.o, m.h, m.l, m.c].map((p) => px(inst, p));
  const volume = size(inst, m.v, true);
  if (
    open === undefined ||
    high === undefined ||
    low === undefined ||
    close === undefined ||
    volume === undefined
  )
    return undefined;
  return {
    kind: 'bar',
    instrument: inst.key,
    ts: m.t + MINUTE,
    open,
    high,
    low,
    close,
    volume,
    durationMs: MINUTE,
  };
}

/** Looks an instrument up by the symbol a message carries. */
export type SymbolLookup = (symbol: string) => AssetRules | undefined;

/** Every message of a frame as MarketData, for the symbols `lookup` knows. */
export function marketDataOfFrame(json: unknown, lookup: SymbolLookup): MarketData[] {
  const out: MarketData[] = [];
  for (const d of parseDataFrame(json)) {
    if (d.kind !== 'trade' && d.kind !== 'quote' && d.kind !== 'bar') continue;
    const rules = lookup(d.m.S);
    if (rules === undefined) continue;
    const inst = rules.instrument;
    const md =
      d.kind === 'trade'
        ? mapTradeMessage(d.m, inst)
        : d.kind === 'quote'
          ? mapQuoteMessage(d.m, inst)
          : mapBarMessage(d.m, inst);
    if (md !== undefined) out.push(md);
  }
  return out;
}

export type StockFeed = 'iex' | 'sip' | 'test';

/** The stream URL of stocks (`/v2/iex`) or crypto (`/v1beta3/crypto/us`) under a stream base. */
export function dataStreamUrl(base: string, kind: 'stocks' | 'crypto', feed: StockFeed = 'iex'): string {
  const b = base.replace(/\/$/, '');
  return kind === 'stocks' ? `${b}/v2/${feed}` : `${b}/v1beta3/crypto/us`;
}

/** The subscribe action for some symbols' trades and quotes (and minute bars when asked). */
export function subscribeFrame(symbols: readonly string[], bars = false): string {
  const list = [...symbols];
  return JSON.stringify(
    bars
      ? { action: 'subscribe', trades: list, quotes: list, bars: list }
      : { action: 'subscribe', trades: list, quotes: list },
  );
}
