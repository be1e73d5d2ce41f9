// Reads market data from CSV files: trades, quotes or OHLCV bars, with the columns named by header
// or by index, any one-character delimiter, with or without a header row, and timestamps in any
// of the formats of time-format.ts. Presets describe the real files in /work/shared/data. Prices
// must be exact on the instrument's tick grid; sizes too unless the format names a rounding mode,
// because real exports often print more size decimals than the venue's lot (or float noise such as
// `218102.59507500002`). A bad row stops the read with an error naming the line, field and rule.

import { assertNever } from '../core/assert.ts';
import type { Rounding } from '../core/decimal.ts';
import { err, fieldError, type OrdoError, ok, type Result } from '../core/errors.ts';
import type { TimestampMs } from '../core/ports.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, Side, TradeTick } from '../model/market.ts';
import { type DataItem, dataFault, lineError } from './data-fault.ts';
import { parseMarketPrice, parseMarketSize, type SizeRules } from './market-units.ts';
import { forEachLine, loadText, readTextLines } from './text-lines.ts';
import { parseTimeMs, TIME_FORMATS, type TimeFormat } from './time-format.ts';

/** A column by header name (needs `header: true`) or by 0-based index. */
export type ColumnRef = string | number;

interface CsvFormatBase {
  /** Field separator, one character; default `,`. */
  readonly delimiter?: string;
  /** Whether the first non-blank line names the columns; default true. */
  readonly header?: boolean;
  readonly timeFormat: TimeFormat;
  /** Round sizes that are off the instrument's lot grid with this mode; default: refuse the line. */
  readonly sizeRounding?: Rounding;
}

export interface CsvTradeFormat extends CsvFormatBase {
  readonly kind: 'trade';
  readonly columns: {
    readonly ts: ColumnRef;
    readonly price: ColumnRef;
    readonly size: ColumnRef;
    /** Aggressor side; absent: every trade has `aggressor: undefined`. */
    readonly side?: ColumnRef;
    readonly tradeId?: ColumnRef;
  };
  /** Side text (case-insensitive) to aggressor; default buy/sell/b/s, with `unknown` and `` unknown. */
  readonly sideValues?: Readonly<Record<string, Side | 'unknown'>>;
  /** A zero-size trade (they occur in old exchange dumps): refuse the line (default) or skip it. */
  readonly zeroSize?: 'error' | 'skip';
}

export interface CsvQuoteFormat extends CsvFormatBase {
  readonly kind: 'quote';
  readonly columns: {
    readonly ts: ColumnRef;
    readonly bid: ColumnRef;
    readonly bidSize: ColumnRef;
    readonly ask: ColumnRef;
    readonly askSize: ColumnRef;
  };
}

export interface CsvBarFormat extends CsvFormatBase {
  readonly kind: 'bar';
  readonly columns: {
    readonly ts: ColumnRef;
    readonly open: ColumnRef;
    readonly high: ColumnRef;
    readonly low: ColumnRef;
    readonly close: ColumnRef;
    readonly volume: ColumnRef;
  };
  readonly barDurationMs: number;
  /** What the row's timestamp marks; default `close`. Bar.ts is always the close. */
  readonly barTime?: 'close' | 'open';
}

export type CsvFormat = CsvTradeFormat | CsvQuoteFormat | CsvBarFormat;

/** Decodes one CSV line; ok(undefined) for the header, blank lines and skipped rows. */
export type CsvLineDecoder = (row: string, line: number) => Result<MarketData | undefined>;

const DEFAULT_SIDES: Readonly<Record<string, Side | 'unknown'>> = {
  buy: 'buy',
  sell: 'sell',
  b: 'buy',
  s: 'sell',
  unknown: 'unknown',
  '': 'unknown',
};

const MINUTE_MS = 60_000;

/** Tardis.dev `trades` CSV: epoch µs, `side` is the taker side. */
const TARDIS_TRADES: CsvTradeFormat = {
  kind: 'trade',
  timeFormat: 'us',
  columns: { ts: 'timestamp', price: 'price', size: 'amount', side: 'side', tradeId: 'id' },
};

/** Tardis.dev `quotes` CSV: epoch µs exchange time. */
const TARDIS_QUOTES: CsvQuoteFormat = {
  kind: 'quote',
  timeFormat: 'us',
  columns: {
    ts: 'timestamp',
    bid: 'bid_price',
    bidSize: 'bid_amount',
    ask: 'ask_price',
    askSize: 'ask_amount',
  },
};

/**
 * The FTX BTC-PERP 1-minute file from nautilus_trader. Its source does not say whether the time
 * marks the bar's open or close; this preset reads it as the close (nautilus reads it as UTC and
 * uses it as the bar time). Its volumes carry float noise: pass `sizeRounding` to read them.
 */
const FTX_BARS_1M: CsvBarFormat = {
  kind: 'bar',
  timeFormat: 'iso',
  columns: { ts: 'timestamp', open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
  barDurationMs: MINUTE_MS,
  barTime: 'close',
};

/** NinjaTrader minute export: `;`, no header, `yyyyMMdd HHmmss` UTC stamping the bar end. */
const NINJATRADER_BARS_1M: CsvBarFormat = {
  kind: 'bar',
  delimiter: ';',
  header: false,
  timeFormat: 'yyyyMMdd HHmmss',
  columns: { ts: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 },
  barDurationMs: MINUTE_MS,
  barTime: 'close',
};

/** bitcoincharts trade dumps (e.g. bitstampUSD.csv): `unix_seconds,price,amount`, no side. */
const BITCOINCHARTS_TRADES: CsvTradeFormat = {
  kind: 'trade',
  header: false,
  timeFormat: 's',
  columns: { ts: 0, price: 1, size: 2 },
};

/**
 * pyalgotrade's MtGox trades: `id,price,amount,type`; the id is the trade id and its epoch µs.
 * `type` is MtGox's `trade_type`, the kind of order whose execution made the trade, so `bid`
 * means a buyer took liquidity.
 */
const MTGOX_TRADES: CsvTradeFormat = {
  kind: 'trade',
  timeFormat: 'us',
  columns: { ts: 'id', price: 'price', size: 'amount', side: 'type', tradeId: 'id' },
  sideValues: { bid: 'buy', ask: 'sell' },
};

/** Formats of the files in /work/shared/data (see its README). */
export const csvPresets = {
  tardisTrades: TARDIS_TRADES,
  tardisQuotes: TARDIS_QUOTES,
  ftxBars1m: FTX_BARS_1M,
  ninjaTraderBars1m: NINJATRADER_BARS_1M,
  bitcoinchartsTrades: BITCOINCHARTS_TRADES,
  mtgoxTrades: MTGOX_TRADES,
} as const;

/** Reads a whole CSV file (plain or gzip) into an array; the first bad line is the error. */
export function loadCsv(path: string, instrument: Instrument, format: CsvFormat): Result<MarketData[]> {
  const text = loadText(path);
  if (!text.ok) return text;
  return parseCsv(text.value, instrument, format, path);
}

/** Parses CSV text into an array; `source` labels error messages. */
export function parseCsv(
  text: string,
  instrument: Instrument,
  format: CsvFormat,
  source?: string,
): Result<MarketData[]> {
  const decoder = csvLineDecoder(instrument, format, source);
  if (!decoder.ok) return decoder;
  const decode = decoder.value;
  const items: MarketData[] = [];
  const error = forEachLine(text, (row, line) => {
    const result = decode(row, line);
    if (!result.ok) return result.error;
    if (result.value !== undefined) items.push(result.value);
    return undefined;
  });
  return error === undefined ? ok(items) : err(error);
}

/** Streams a CSV file (plain or gzip): market data in file order, then at most one DataFault. */
export async function* readCsv(
  path: string,
  instrument: Instrument,
  format: CsvFormat,
): AsyncGenerator<DataItem, void, undefined> {
  const decoder = csvLineDecoder(instrument, format, path);
  if (!decoder.ok) {
    yield dataFault(decoder.error);
    return;
  }
  for await (const row of readTextLines(path)) {
    if (!row.ok) {
      yield dataFault(row.error);
      return;
    }
    const result = decoder.value(row.text, row.line);
    if (!result.ok) {
      yield dataFault(result.error);
      return;
    }
    if (result.value !== undefined) yield result.value;
  }
}

/**
 * Checks a format and returns a line decoder for it. The decoder is stateful only in one way:
 * with a header, the first non-blank line it sees resolves the column names.
 */
export function csvLineDecoder(
  instrument: Instrument,
  format: CsvFormat,
  source?: string,
): Result<CsvLineDecoder> {
  const problem = checkFormat(format);
  if (problem !== undefined) return err(problem);
  const delimiter = format.delimiter ?? ',';
  const roles = Object.entries(format.columns) as [string, ColumnRef][];
  let indexes: Record<string, number> | undefined =
    format.header === false
      ? Object.fromEntries(roles.map(([role, ref]) => [role, ref as number]))
      : undefined;
  let needed = indexes === undefined ? 0 : Math.max(...Object.values(indexes)) + 1;
  const parseRow = rowParser(instrument, format, source);
  return ok((row, line) => {
    if (row.trim() === '') return ok(undefined);
    const fields = splitCsvRow(line === 1 ? row.replace(/^\uFEFF/, '') : row, delimiter);
    if (indexes === undefined) {
      const resolved = resolveColumns(roles, fields, line, source);
      if (!resolved.ok) return resolved;
      indexes = resolved.value;
      needed = Math.max(...Object.values(indexes)) + 1;
      return ok(undefined);
    }
    if (fields.length < needed)
      return err(
        lineError(
          line,
          'row',
          'field_count',
          `has ${fields.length} fields, the format needs ${needed}`,
          source,
        ),
      );
    return parseRow(fields, indexes, line);
  });
}

function checkFormat(format: CsvFormat): OrdoError | undefined {
  // Formats come from users and config files: anything but an object is refused, not dereferenced.
  if (format === null || typeof format !== 'object')
    return fieldError('format', 'object', 'must be a CSV format object');
  if (format.columns === null || typeof format.columns !== 'object')
    return fieldError('format.columns', 'object', 'must map each column role to a name or index');
  const delimiter = format.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"')
    return fieldError('format.delimiter', 'one_char', 'must be one character other than a quote');
  if (!TIME_FORMATS.includes(format.timeFormat))
    return fieldError('format.timeFormat', 'known', `must be one of ${TIME_FORMATS.join(', ')}`);
  for (const [role, ref] of Object.entries(format.columns) as [string, ColumnRef | undefined][]) {
    if (ref === undefined) continue;
    if (typeof ref === 'number' && !(Number.isSafeInteger(ref) && ref >= 0))
      return fieldError(`format.columns.${role}`, 'index', 'a column index must be an integer >= 0');
    if (typeof ref === 'string' && format.header === false)
      return fieldError(`format.columns.${role}`, 'index_without_header', 'without a header, use an index');
  }
  if (format.kind === 'bar' && !(Number.isSafeInteger(format.barDurationMs) && format.barDurationMs > 0))
    return fieldError('format.barDurationMs', 'positive', 'must be an integer number of ms > 0');
  return undefined;
}

function resolveColumns(
  roles: [string, ColumnRef][],
  header: string[],
  line: number,
  source: string | undefined,
): Result<Record<string, number>> {
  const names = header.map((h) => h.trim());
  const indexes: Record<string, number> = {};
  for (const [role, ref] of roles) {
    if (ref === undefined) continue;
    const index = typeof ref === 'number' ? ref : names.indexOf(ref);
    if (index < 0 || index >= names.length)
      return err(
        lineError(
          line,
          `columns.${role}`,
          'column_exists',
          `header has no column ${JSON.stringify(ref)}`,
          source,
        ),
      );
    indexes[role] = index;
  }
  return ok(indexes);
}

type RowParser = (
  fields: string[],
  indexes: Record<string, number>,
  line: number,
) => Result<MarketData | undefined>;

/** Field access for one row: each reader returns the value or the line's error. */
interface Row {
  readonly ts: TimestampMs;
  has(role: string): boolean;
  text(role: string): string;
  price(role: string): number | Result<never>;
  size(role: string): number | Result<never>;
  fail(role: string, rule: string, message: string): Result<never>;
}

function rowParser(instrument: Instrument, format: CsvFormat, source: string | undefined): RowParser {
  const sizeRules: SizeRules = { rounding: format.sizeRounding, allowZero: true };
  const barShiftMs = format.kind === 'bar' && format.barTime === 'open' ? format.barDurationMs : 0;
  const sides = lowerKeys(format.kind === 'trade' ? (format.sideValues ?? DEFAULT_SIDES) : {});
  return (fields, indexes, line) => {
    const fail = (role: string, rule: string, message: string) =>
      err(lineError(line, role, rule, message, source));
    const text = (role: string): string => (fields[indexes[role] ?? -1] ?? '').trim();
    const tsText = text('ts');
    const ts = parseTimeMs(tsText, format.timeFormat);
    if (ts === undefined)
      return fail('ts', 'time_format', `${JSON.stringify(tsText)} is not a '${format.timeFormat}' timestamp`);
    const row: Row = {
      ts: ts + barShiftMs,
      has: (role) => indexes[role] !== undefined,
      text,
      fail,
      price: (role) => {
        const v = parseMarketPrice(instrument, text(role));
        return typeof v === 'number' ? v : fail(role, v.rule, v.message);
      },
      size: (role) => {
        const v = parseMarketSize(instrument, text(role), sizeRules);
        return typeof v === 'number' ? v : fail(role, v.rule, v.message);
      },
    };
    switch (format.kind) {
      case 'trade':
        return tradeRow(row, instrument.key, format, sides);
      case 'quote':
        return quoteRow(row, instrument.key);
      case 'bar':
        return barRow(row, instrument.key, format.barDurationMs);
      default:
        return assertNever(format, 'csv format kind');
    }
  };
}

function tradeRow(
  row: Row,
  instrument: string,
  format: CsvTradeFormat,
  sides: Record<string, Side | 'unknown'>,
): Result<TradeTick | undefined> {
  const price = row.price('price');
  if (typeof price !== 'number') return price;
  const size = row.size('size');
  if (typeof size !== 'number') return size;
  if (size === 0)
    return format.zeroSize === 'skip'
      ? ok(undefined)
      : row.fail('size', 'positive', `${row.text('size')} must be > 0`);
  let aggressor: Side | undefined;
  if (row.has('side')) {
    const key = row.text('side').toLowerCase();
    const side = Object.hasOwn(sides, key) ? sides[key] : undefined;
    if (side === undefined)
      return row.fail(
        'side',
        'side_value',
        `${JSON.stringify(row.text('side'))} is not one of ${Object.keys(sides).join('/')}`,
      );
    aggressor = side === 'unknown' ? undefined : side;
  }
  const id = row.has('tradeId') ? row.text('tradeId') : '';
  return ok({
    kind: 'trade',
    instrument,
    ts: row.ts,
    price,
    size,
    aggressor,
    tradeId: id === '' ? undefined : id,
  });
}

function quoteRow(row: Row, instrument: string): Result<QuoteTick> {
  const bid = row.price('bid');
  if (typeof bid !== 'number') return bid;
  const bidSize = row.size('bidSize');
  if (typeof bidSize !== 'number') return bidSize;
  const ask = row.price('ask');
  if (typeof ask !== 'number') return ask;
  const askSize = row.size('askSize');
  if (typeof askSize !== 'number') return askSize;
  return ok({ kind: 'quote', instrument, ts: row.ts, bid, bidSize, ask, askSize });
}

function barRow(row: Row, instrument: string, durationMs: number): Result<Bar> {
  const open = row.price('open');
  if (typeof open !== 'number') return open;
  const high = row.price('high');
  if (typeof high !== 'number') return high;
  const low = row.price('low');
  if (typeof low !== 'number') return low;
  const close = row.price('close');
  if (typeof close !== 'number') return close;
  const volume = row.size('volume');
  if (typeof volume !== 'number') return volume;
  if (high < Math.max(open, close, low))
    return row.fail('high', 'ohlc_range', 'must be >= open, low and close');
  if (low > Math.min(open, close)) return row.fail('low', 'ohlc_range', 'must be <= open and close');
  return ok({ kind: 'bar', instrument, ts: row.ts, open, high, low, close, volume, durationMs });
}

/** Splits one CSV row; double-quoted fields may hold the delimiter and `""` for a quote. */
export function splitCsvRow(row: string, delimiter: string): string[] {
  if (!row.includes('"')) return row.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function lowerKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}
