// The data file formats `ordo backtest` and `ordo paper --feed file:PATH` read, and the instrument
// each one defaults to. A format is `binance-capture` (hftbacktest's raw Binance websocket
// captures, via src/data/binance-capture.ts) or one of the CSV presets of src/data/csv-replay.ts,
// named in kebab-case (`tardis-trades`, `ftx-bars-1m`, ...). The defaults fit the real files in
// ../shared/data (see its README); `--symbol`, `--tick` and `--lot` override them for other files.

import { err, fieldError, ok, type Result } from '../../core/errors.ts';
import { loadBinanceCapture } from '../../data/binance-capture.ts';
import { type CsvFormat, csvPresets, loadCsv } from '../../data/csv-replay.ts';
import {
  defineInstrument,
  FEE_PRESETS,
  type Instrument,
  type InstrumentKind,
} from '../../model/instrument.ts';
import type { MarketData } from '../../model/market.ts';

interface InstrumentDefaults {
  readonly symbol: string;
  readonly kind: InstrumentKind;
  readonly priceIncrement: string;
  readonly qtyIncrement: string;
  readonly fees: { readonly feeMaker: string; readonly feeTaker: string };
}

interface FormatInfo {
  readonly describe: string;
  readonly csv: CsvFormat | undefined;
  readonly instrument: InstrumentDefaults;
}

const CRYPTO_FEES = FEE_PRESETS.binance;

/** Every format, by its command-line name. */
export const DATA_FORMATS = {
  'binance-capture': {
    describe: "hftbacktest's raw Binance websocket capture (.gz): trades and book tickers",
    csv: undefined,
    instrument: {
      symbol: 'BTC/USDT',
      kind: 'crypto_spot',
      priceIncrement: '0.01',
      qtyIncrement: '0.00001',
      fees: CRYPTO_FEES,
    },
  },
  'tardis-trades': {
    describe: 'Tardis.dev trades CSV (epoch µs, taker side)',
    csv: csvPresets.tardisTrades,
    instrument: {
      symbol: 'BTC/USDT',
      kind: 'crypto_spot',
      priceIncrement: '0.01',
      qtyIncrement: '0.001',
      fees: CRYPTO_FEES,
    },
  },
  'tardis-quotes': {
    describe: 'Tardis.dev quotes CSV (best bid/ask)',
    csv: csvPresets.tardisQuotes,
    instrument: {
      symbol: 'BTC/USDT',
      kind: 'crypto_spot',
      priceIncrement: '0.01',
      qtyIncrement: '0.001',
      fees: CRYPTO_FEES,
    },
  },
  'ftx-bars-1m': {
    describe: 'FTX 1-minute OHLCV bars CSV (volumes rounded to the lot)',
    csv: { ...csvPresets.ftxBars1m, sizeRounding: 'half_even' },
    instrument: {
      symbol: 'BTC/USD',
      kind: 'crypto_spot',
      priceIncrement: '0.001',
      qtyIncrement: '0.0001',
      fees: CRYPTO_FEES,
    },
  },
  'ninja-trader-bars-1m': {
    describe: 'NinjaTrader 1-minute bars export (`;`, no header)',
    csv: csvPresets.ninjaTraderBars1m,
    instrument: {
      symbol: 'SPY/USD',
      kind: 'equity',
      priceIncrement: '0.01',
      qtyIncrement: '1',
      fees: FEE_PRESETS.equity,
    },
  },
  'bitcoincharts-trades': {
    describe: 'bitcoincharts trade dump (unix seconds, price, amount; zero-size rows skipped)',
    csv: { ...csvPresets.bitcoinchartsTrades, zeroSize: 'skip' },
    instrument: {
      symbol: 'BTC/USD',
      kind: 'crypto_spot',
      priceIncrement: '0.01',
      qtyIncrement: '0.00000001',
      fees: CRYPTO_FEES,
    },
  },
  'mtgox-trades': {
    describe: "pyalgotrade's MtGox trades CSV",
    csv: csvPresets.mtgoxTrades,
    instrument: {
      symbol: 'BTC/USD',
      kind: 'crypto_spot',
      priceIncrement: '0.00001',
      qtyIncrement: '0.00000001',
      fees: CRYPTO_FEES,
    },
  },
} as const satisfies Record<string, FormatInfo>;

export type DataFormatName = keyof typeof DATA_FORMATS;
export const DATA_FORMAT_NAMES = Object.keys(DATA_FORMATS) as DataFormatName[];

/** The format a file most likely has when none is named: `.gz` captures, else none. */
export function guessFormat(path: string): DataFormatName | undefined {
  return path.endsWith('.gz') ? 'binance-capture' : undefined;
}

export interface InstrumentOverrides {
  readonly symbol?: string;
  readonly tick?: string;
  readonly lot?: string;
}

/** The instrument a format's data is read as, on the paper venue, with the overrides applied. */
export function formatInstrument(
  format: DataFormatName,
  overrides: InstrumentOverrides = {},
): Result<Instrument> {
  const d = DATA_FORMATS[format].instrument;
  return defineInstrument({
    venue: 'paper',
    symbol: overrides.symbol ?? d.symbol,
    kind: d.kind,
    priceIncrement: overrides.tick ?? d.priceIncrement,
    qtyIncrement: overrides.lot ?? d.qtyIncrement,
    ...d.fees,
  });
}

/** Reads a whole data file into memory, in file order; the first bad line is the error. */
export function loadMarketData(
  path: string,
  format: DataFormatName,
  instrument: Instrument,
): Result<MarketData[]> {
  const info: FormatInfo = DATA_FORMATS[format];
  if (info.csv !== undefined) return loadCsv(path, instrument, info.csv);
  const venueSymbol = `${instrument.base}${instrument.quote}`.toUpperCase();
  return loadBinanceCapture(path, instrument, { venueSymbol });
}

/** Parses a format name from the command line. */
export function parseFormat(text: string): Result<DataFormatName> {
  if (text in DATA_FORMATS) return ok(text as DataFormatName);
  return err(
    fieldError('format', 'enum', `unknown format ${text}; expected one of ${DATA_FORMAT_NAMES.join(', ')}`),
  );
}
