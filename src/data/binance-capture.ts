// Reads hftbacktest's raw Binance websocket captures: one message per line, `<local_ts_ns> <json>`,
// gzip-compressed. `@trade` lines become TradeTicks (aggressor from `m`: buyer is maker ⇒ the
// seller took liquidity); USD-M prints whose `X` is not MARKET (insurance-fund and ADL
// settlements) are skipped because they did not trade against the book. `@bookTicker` lines become
// QuoteTicks. Depth updates are skipped without parsing their JSON, and the REST depth snapshot
// (not the first line, despite its role: it arrives a few lines in) is skipped or, on request,
// read as a quote from its best bid and ask. Prices and sizes are parsed exactly into the
// instrument's units; a price finer than the instrument's tick is an error naming the line.
//
// Time. Items carry exchange time (`T`, else `E`, epoch ms). A spot bookTicker carries no time, so
// it is stamped with the last *trade* time seen (before any trade: the local receive time in ms).
// Depth `E` is not used for that: it is the emit time of a 100 ms batch and runs ahead of the
// trades that follow it (stamping quotes with it sends ~30 quotes per spot file back in time by up
// to 186 ms). Streams are delivered on separate channels, so even exchange times interleave out of
// order (USD-M files: ~800 steps back of up to 110 ms); by default timestamps are therefore made
// non-decreasing in file order (`monotonic`), which keeps arrival order and lets `replay.ts` merge
// the file with other sources. `clock: 'local'` uses the collector's receive time instead; note the
// collector clock in the sample files is about 1.27 s behind the exchange.

import { err, ok, type Result } from '../core/errors.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Instrument } from '../model/instrument.ts';
import type { MarketData, QuoteTick, TradeTick } from '../model/market.ts';
import { type DataItem, dataFault, lineError } from './data-fault.ts';
import { parseMarketPrice, parseMarketSize } from './market-units.ts';
import { forEachLine, loadText, readTextLines } from './text-lines.ts';

export interface BinanceCaptureOptions {
  /** The stream's `s` field; default: base and quote joined and upper-cased (`BTCUSDT`). */
  readonly venueSymbol?: string;
  /** Emit the REST snapshot's best bid/ask as a quote; default false (the line is skipped). */
  readonly snapshotQuote?: boolean;
  /** `exchange` (default): `T`/`E` as described above; `local`: the collector's receive time. */
  readonly clock?: 'exchange' | 'local';
  /** Clamp timestamps so they never decrease in file order; default true. */
  readonly monotonic?: boolean;
  /** Label used in error messages, e.g. the file path. */
  readonly source?: string;
}

/** What one line needs besides its text. */
export interface BinanceLineContext {
  /** 1-based line number, for errors. */
  readonly line: number;
  /** Exchange time of the last trade seen, which stamps a spot bookTicker. */
  readonly lastTradeTsMs: TimestampMs | undefined;
}

const SIZE_RULES_TRADE = { rounding: undefined, allowZero: false } as const;
const SIZE_RULES_QUOTE = { rounding: undefined, allowZero: true } as const;
const STREAM_PREFIX = '{"stream":"';

/**
 * Parses one capture line. Pure: the result depends only on the arguments. Returns ok(undefined)
 * for lines that carry nothing for the engine (depth updates, the snapshot unless asked, blanks).
 * Timestamps are raw here; the readers apply `monotonic`.
 */
export function parseBinanceCaptureLine(
  text: string,
  instrument: Instrument,
  context: BinanceLineContext,
  options: BinanceCaptureOptions = {},
): Result<MarketData | undefined> {
  if (text.trim() === '') return ok(undefined);
  const fail = (field: string, rule: string, message: string) =>
    err(lineError(context.line, field, rule, message, options.source));
  const space = text.indexOf(' ');
  const localText = space < 0 ? '' : text.slice(0, space);
  if (!/^\d{1,20}$/.test(localText))
    return fail('local_ts', 'integer', 'must start with the receive time in ns');
  const body = text.slice(space + 1);
  // Depth updates are most of the bytes; skipping them (and an unwanted snapshot) unparsed keeps
  // the reader fast. Lines in another shape are parsed and judged below.
  if (body.startsWith(STREAM_PREFIX) && streamKind(body.slice(STREAM_PREFIX.length)).startsWith('depth'))
    return ok(undefined);
  if (body.startsWith('{"lastUpdateId"') && options.snapshotQuote !== true) return ok(undefined);
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return fail('json', 'json', 'is not valid JSON');
  }
  if (!isRecord(message)) return fail('json', 'object', 'must be a JSON object');
  const at: LineAt = {
    line: context.line,
    localMs: Number(BigInt(localText) / 1_000_000n),
    lastTradeTsMs: context.lastTradeTsMs,
    instrument,
    options,
  };
  if ('lastUpdateId' in message)
    return options.snapshotQuote === true ? parseSnapshot(message, at) : ok(undefined);
  return parseStreamMessage(message, at);
}

interface LineAt {
  readonly line: number;
  readonly localMs: TimestampMs;
  readonly lastTradeTsMs: TimestampMs | undefined;
  readonly instrument: Instrument;
  readonly options: BinanceCaptureOptions;
}

/** `btcusdt@depth@100ms` → `depth@100ms`; also accepts the rest of a line after the stream name. */
function streamKind(stream: string): string {
  const at = stream.indexOf('@');
  const end = stream.indexOf('"');
  return stream.slice(at + 1, end < 0 ? undefined : end);
}

function parseStreamMessage(message: Record<string, unknown>, at: LineAt): Result<MarketData | undefined> {
  const fail = (field: string, rule: string, text: string) =>
    err(lineError(at.line, field, rule, text, at.options.source));
  const { stream, data } = message;
  if (typeof stream !== 'string' || !isRecord(data))
    return fail('stream', 'message_shape', 'must be {"stream": string, "data": object}');
  const kind = streamKind(stream);
  if (kind.startsWith('depth')) return ok(undefined);
  const symbol = at.options.venueSymbol ?? `${at.instrument.base}${at.instrument.quote}`.toUpperCase();
  if (data.s !== symbol)
    return fail('data.s', 'symbol', `${JSON.stringify(data.s)} is not the instrument's ${symbol}`);
  if (kind === 'trade') return parseTrade(data, at);
  if (kind === 'bookTicker') return parseBookTicker(data, at);
  return fail('stream', 'known_stream', `${JSON.stringify(stream)} is not trade, bookTicker or depth`);
}

/** The item's time: the collector's on request, else the exchange's, else the last trade's. */
function stamp(exchangeMs: TimestampMs | undefined, at: LineAt): TimestampMs {
  if (at.options.clock === 'local') return at.localMs;
  return exchangeMs ?? at.lastTradeTsMs ?? at.localMs;
}

function parseTrade(data: Record<string, unknown>, at: LineAt): Result<TradeTick | undefined> {
  const fail = (field: string, rule: string, message: string) =>
    err(lineError(at.line, `data.${field}`, rule, message, at.options.source));
  const price = parseMarketPrice(at.instrument, textOf(data.p));
  if (typeof price !== 'number') return fail('p', price.rule, price.message);
  const size = parseMarketSize(at.instrument, textOf(data.q), SIZE_RULES_TRADE);
  if (typeof size !== 'number') return fail('q', size.rule, size.message);
  if (typeof data.m !== 'boolean') return fail('m', 'boolean', 'must be true or false (buyer is maker)');
  if (!Number.isSafeInteger(data.t)) return fail('t', 'integer', 'trade id must be an integer');
  const exchangeMs = data.T ?? data.E;
  if (!isTimestamp(exchangeMs)) return fail('T', 'epoch_ms', 'trade time must be integer epoch ms');
  // USD-M marks liquidation/ADL prints (`X` other than MARKET); they did not cross the book.
  if (data.X !== undefined && data.X !== 'MARKET') return ok(undefined);
  return ok({
    kind: 'trade',
    instrument: at.instrument.key,
    ts: stamp(exchangeMs, at),
    price,
    size,
    aggressor: data.m ? 'sell' : 'buy',
    tradeId: String(data.t),
  });
}

function parseBookTicker(data: Record<string, unknown>, at: LineAt): Result<QuoteTick> {
  // USD-M bookTicker has T/E; spot has neither and takes the last trade time.
  const exchangeMs = data.T ?? data.E;
  if (exchangeMs !== undefined && !isTimestamp(exchangeMs))
    return err(lineError(at.line, 'data.T', 'epoch_ms', 'must be integer epoch ms', at.options.source));
  return quoteFrom(
    { bid: textOf(data.b), bidSize: textOf(data.B), ask: textOf(data.a), askSize: textOf(data.A) },
    { bid: 'data.b', bidSize: 'data.B', ask: 'data.a', askSize: 'data.A' },
    stamp(exchangeMs, at),
    at,
  );
}

function parseSnapshot(message: Record<string, unknown>, at: LineAt): Result<QuoteTick | undefined> {
  const fail = (field: string, text: string) =>
    err(lineError(at.line, field, 'message_shape', text, at.options.source));
  const { bids, asks } = message;
  if (!Array.isArray(bids) || !Array.isArray(asks))
    return fail('bids', 'snapshot needs bids and asks arrays');
  const bid: unknown = bids[0];
  const ask: unknown = asks[0];
  if (bid === undefined || ask === undefined) return ok(undefined);
  if (!Array.isArray(bid) || !Array.isArray(ask)) return fail('bids.0', 'levels must be [price, qty]');
  const exchangeMs = message.T ?? message.E;
  return quoteFrom(
    { bid: textOf(bid[0]), bidSize: textOf(bid[1]), ask: textOf(ask[0]), askSize: textOf(ask[1]) },
    { bid: 'bids.0.0', bidSize: 'bids.0.1', ask: 'asks.0.0', askSize: 'asks.0.1' },
    stamp(isTimestamp(exchangeMs) ? exchangeMs : undefined, at),
    at,
  );
}

type QuoteFields = { bid: string; bidSize: string; ask: string; askSize: string };

function quoteFrom(text: QuoteFields, names: QuoteFields, ts: TimestampMs, at: LineAt): Result<QuoteTick> {
  const fail = (field: string, issue: { rule: string; message: string }) =>
    err(lineError(at.line, field, issue.rule, issue.message, at.options.source));
  const bid = parseMarketPrice(at.instrument, text.bid);
  if (typeof bid !== 'number') return fail(names.bid, bid);
  const bidSize = parseMarketSize(at.instrument, text.bidSize, SIZE_RULES_QUOTE);
  if (typeof bidSize !== 'number') return fail(names.bidSize, bidSize);
  const ask = parseMarketPrice(at.instrument, text.ask);
  if (typeof ask !== 'number') return fail(names.ask, ask);
  const askSize = parseMarketSize(at.instrument, text.askSize, SIZE_RULES_QUOTE);
  if (typeof askSize !== 'number') return fail(names.askSize, askSize);
  return ok({ kind: 'quote', instrument: at.instrument.key, ts, bid, bidSize, ask, askSize });
}

/**
 * The stateful part shared by both readers: remembers the last trade time for spot quotes and,
 * when `monotonic`, the latest timestamp emitted.
 */
function captureDecoder(
  instrument: Instrument,
  options: BinanceCaptureOptions,
): (text: string, line: number) => Result<MarketData | undefined> {
  let lastTradeTsMs: TimestampMs | undefined;
  let latestTs = Number.NEGATIVE_INFINITY;
  const monotonic = options.monotonic ?? true;
  return (text, line) => {
    const result = parseBinanceCaptureLine(text, instrument, { line, lastTradeTsMs }, options);
    if (!result.ok || result.value === undefined) return result;
    let item = result.value;
    if (item.kind === 'trade') lastTradeTsMs = item.ts;
    if (monotonic && item.ts < latestTs) item = { ...item, ts: latestTs };
    latestTs = item.ts;
    return ok(item);
  };
}

/**
 * Streams a capture file (gzip or plain text) as an async generator: market data in file order,
 * then at most one DataFault, after which it stops.
 */
export async function* readBinanceCapture(
  path: string,
  instrument: Instrument,
  options: BinanceCaptureOptions = {},
): AsyncGenerator<DataItem, void, undefined> {
  const decode = captureDecoder(instrument, { source: path, ...options });
  for await (const row of readTextLines(path)) {
    if (!row.ok) {
      yield dataFault(row.error);
      return;
    }
    const result = decode(row.text, row.line);
    if (!result.ok) {
      yield dataFault(result.error);
      return;
    }
    if (result.value !== undefined) yield result.value;
  }
}

/** Reads a whole capture file synchronously into an array; the first bad line is the error. */
export function loadBinanceCapture(
  path: string,
  instrument: Instrument,
  options: BinanceCaptureOptions = {},
): Result<MarketData[]> {
  const text = loadText(path);
  if (!text.ok) return text;
  return parseBinanceCapture(text.value, instrument, { source: path, ...options });
}

/** Parses the text of a whole capture (already decompressed) into an array. */
export function parseBinanceCapture(
  text: string,
  instrument: Instrument,
  options: BinanceCaptureOptions = {},
): Result<MarketData[]> {
  const decode = captureDecoder(instrument, options);
  const items: MarketData[] = [];
  const error = forEachLine(text, (row, line) => {
    const result = decode(row, line);
    if (!result.ok) return result.error;
    if (result.value !== undefined) items.push(result.value);
    return undefined;
  });
  return error === undefined ? ok(items) : err(error);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTimestamp(v: unknown): v is TimestampMs {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Binance sends decimals as strings; anything else is shown as JSON so the error says what came. */
function textOf(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
}
