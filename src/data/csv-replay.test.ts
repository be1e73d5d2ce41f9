import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { formatUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { defineInstrument, type Instrument } from '../model/instrument.ts';
import type { Bar, MarketData, QuoteTick, TradeTick } from '../model/market.ts';
import { type CsvFormat, csvPresets, loadCsv, parseCsv, readCsv } from './csv-replay.ts';
import { type DataItem, faultLine } from './data-fault.ts';

const DATA = '/work/shared/data';
const TARDIS_TRADES = `${DATA}/nautilus_trader/tardis/tardis_trades.csv`;
const TARDIS_QUOTES = `${DATA}/nautilus_trader/tardis/tardis_quotes.csv`;
const FTX = `${DATA}/nautilus_trader/ftx/btc-perp-20211231-20220201_1m.csv`;
const NT_SPY = `${DATA}/pyalgotrade/nt-spy-minute-2011.csv`;
const BITSTAMP = `${DATA}/pyalgotrade/bitstampUSD.csv`;
const MTGOX = `${DATA}/pyalgotrade/trades-mgtox-usd-2013-01-01.csv`;

const instrument = (symbol: string, priceIncrement: string, qtyIncrement: string): Instrument =>
  unwrap(defineInstrument({ venue: 'test', symbol, priceIncrement, qtyIncrement }));
const btcPerp = instrument('BTC/USDT', '0.01', '0.001');
const spy = instrument('SPY/USD', '0.01', '1');

/** Decimal text with trailing fractional zeros removed, so "46319.0" equals "46319". */
const canonical = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
const price = (inst: Instrument, units: number) => canonical(formatUnits(units, inst.priceScale));
const qty = (inst: Instrument, units: number) => canonical(formatUnits(units, inst.qtyScale));

/** Data rows of a file, split into fields. */
function rows(path: string, delimiter = ',', header = true): string[][] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  return (header ? lines.slice(1) : lines).map((l) => l.split(delimiter));
}

const ascending = (items: readonly MarketData[]) =>
  items.every((x, i) => i === 0 || x.ts >= (items[i - 1] as MarketData).ts);

describe('csv: real files through the presets', () => {
  it('reads tardis trades: 9,999 rows, exact prices and sizes, taker side, ids', () => {
    const items = unwrap(loadCsv(TARDIS_TRADES, btcPerp, csvPresets.tardisTrades)) as TradeTick[];
    assert.equal(items.length, 9999);
    assert.equal(items.filter((t) => t.aggressor === 'buy').length, 5267);
    assert.equal(items.filter((t) => t.aggressor === 'sell').length, 4732);
    const raw = rows(TARDIS_TRADES);
    items.forEach((t, i) => {
      const [, , ts, , id, side, p, amount] = raw[i] as string[];
      assert.equal(t.ts, Number(ts) / 1000);
      assert.equal(t.tradeId, id);
      assert.equal(t.aggressor, side);
      assert.equal(price(btcPerp, t.price), canonical(p as string));
      assert.equal(qty(btcPerp, t.size), canonical(amount as string));
    });
    assert.equal(items[0]?.ts, Date.UTC(2020, 1, 22, 0, 0, 2, 111));
    assert.ok(ascending(items));
  });

  it('reads tardis quotes exactly', () => {
    const items = unwrap(loadCsv(TARDIS_QUOTES, btcPerp, csvPresets.tardisQuotes)) as QuoteTick[];
    assert.equal(items.length, 9999);
    const raw = rows(TARDIS_QUOTES);
    items.forEach((q, i) => {
      const [, , , , askAmount, askPrice, bidPrice, bidAmount] = raw[i] as string[];
      assert.equal(price(btcPerp, q.ask), canonical(askPrice as string));
      assert.equal(price(btcPerp, q.bid), canonical(bidPrice as string));
      assert.equal(qty(btcPerp, q.askSize), canonical(askAmount as string));
      assert.equal(qty(btcPerp, q.bidSize), canonical(bidAmount as string));
    });
  });

  it('reads the FTX 1m bars (45,031) once sizes may be rounded; prices stay exact', () => {
    const ftx = instrument('BTC/USD', '0.001', '0.0001');
    const refused = loadCsv(FTX, ftx, csvPresets.ftxBars1m);
    assert.ok(!refused.ok);
    assert.equal(faultLine(refused.error), 244); // volume 289169.9847625
    assert.equal(refused.error.issues[0]?.field, 'volume');
    assert.equal(refused.error.issues[0]?.rule, 'lot_multiple');

    const items = unwrap(loadCsv(FTX, ftx, { ...csvPresets.ftxBars1m, sizeRounding: 'half_even' })) as Bar[];
    assert.equal(items.length, 45031);
    const raw = rows(FTX);
    items.forEach((b, i) => {
      const [, o, h, l, c] = raw[i] as string[];
      assert.deepEqual(
        [b.open, b.high, b.low, b.close].map((u) => price(ftx, u)),
        [o, h, l, c].map((t) => canonical(t as string)),
      );
    });
    assert.equal(qty(ftx, items[242]?.volume ?? 0), '289169.9848');
    assert.equal(items[0]?.ts, Date.UTC(2021, 11, 31, 23, 1));
    assert.equal(items[0]?.durationMs, 60_000);
    assert.ok(ascending(items));
  });

  it('reads NinjaTrader SPY minute bars: ";" and no header, CRLF, bar end in UTC', () => {
    const items = unwrap(loadCsv(NT_SPY, spy, csvPresets.ninjaTraderBars1m)) as Bar[];
    assert.equal(items.length, 14180);
    const raw = rows(NT_SPY, ';', false);
    items.forEach((b, i) => {
      const [, o, h, l, c, v] = raw[i] as string[];
      assert.deepEqual(
        [b.open, b.high, b.low, b.close].map((u) => price(spy, u)),
        [o, h, l, c].map((t) => canonical(t as string)),
      );
      assert.equal(String(b.volume), v);
    });
    assert.equal(items[0]?.ts, Date.UTC(2011, 0, 3, 9, 1));
    assert.ok(ascending(items));
  });

  it('marks the bar close by default, or shifts an open-time stamp by the duration', () => {
    const open = unwrap(loadCsv(NT_SPY, spy, { ...csvPresets.ninjaTraderBars1m, barTime: 'open' }));
    assert.equal(open[0]?.ts, Date.UTC(2011, 0, 3, 9, 2));
  });

  it('reads bitstamp trades; its zero-size trade is an error unless skipped', () => {
    const btc = instrument('BTC/USD', '0.01', '0.00000001');
    const refused = loadCsv(BITSTAMP, btc, csvPresets.bitcoinchartsTrades);
    assert.ok(!refused.ok);
    assert.equal(faultLine(refused.error), 8524);
    assert.equal(refused.error.issues[0]?.rule, 'positive');
    const items = unwrap(loadCsv(BITSTAMP, btc, { ...csvPresets.bitcoinchartsTrades, zeroSize: 'skip' }));
    assert.equal(items.length, 9998);
    const first = items[0] as TradeTick;
    assert.equal(first.ts, 1315922016000);
    assert.equal(price(btc, first.price), '5.8');
    assert.equal(first.aggressor, undefined);
  });

  it('reads MtGox trades: id is epoch µs and trade id, bid ⇒ buyer aggressor', () => {
    const btc = instrument('BTC/USD', '0.00001', '0.00000001');
    const items = unwrap(loadCsv(MTGOX, btc, csvPresets.mtgoxTrades)) as TradeTick[];
    assert.equal(items.length, 2331);
    assert.equal(items.filter((t) => t.aggressor === 'sell').length, 1519);
    assert.equal(items.filter((t) => t.aggressor === 'buy').length, 812);
    assert.deepEqual(items[0], {
      kind: 'trade',
      instrument: 'test:BTC/USD',
      ts: 1356998659486,
      price: 1351001,
      size: 3687430786,
      aggressor: 'sell',
      tradeId: '1356998659486096',
    });
  });

  it('streams the same items as the sync loader, from plain and gzip files', async () => {
    const want = unwrap(loadCsv(TARDIS_TRADES, btcPerp, csvPresets.tardisTrades));
    const dir = mkdtempSync(join(tmpdir(), 'ordo-csv-'));
    const gz = join(dir, 'trades.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(TARDIS_TRADES)));
    for (const path of [TARDIS_TRADES, gz]) {
      const got: DataItem[] = [];
      for await (const item of readCsv(path, btcPerp, csvPresets.tardisTrades)) got.push(item);
      assert.deepEqual(got, want);
    }
  });
});

describe('csv: formats and malformed lines', () => {
  const trades: CsvFormat = {
    kind: 'trade',
    timeFormat: 'ms',
    columns: { ts: 'time', price: 'px', size: 'qty', side: 'side', tradeId: 'id' },
  };
  const inst = instrument('BTC/USD', '0.01', '0.001');
  const header = 'time,px,qty,side,id';

  it('maps columns by name in any order, with quotes, BOM and blank lines', () => {
    const text = `\uFEFFid,side,qty,px,time\n\n"7",buy,"1.5",100.25,1000\n8,SELL,0.001,"1,000.00",1001\n`;
    const r = parseCsv(text, inst, trades);
    assert.ok(!r.ok); // "1,000.00" is no decimal
    assert.equal(faultLine(r.error), 4);
    assert.equal(r.error.issues[0]?.field, 'price');
    const fine = unwrap(parseCsv(text.replace('"1,000.00"', '1000.00'), inst, trades));
    assert.deepEqual(
      fine.map((t) => t.kind === 'trade' && [t.ts, t.price, t.size, t.aggressor, t.tradeId]),
      [
        [1000, 10025, 1500, 'buy', '7'],
        [1001, 100000, 1, 'sell', '8'],
      ],
    );
  });

  it('maps columns by index without a header, with another delimiter', () => {
    const format: CsvFormat = {
      kind: 'quote',
      header: false,
      delimiter: '|',
      timeFormat: 'iso',
      columns: { ts: 0, bid: 1, bidSize: 2, ask: 3, askSize: 4 },
    };
    const [q] = unwrap(parseCsv('2024-01-02T03:04:05.678Z|99.5|2|99.51|0\n', inst, format));
    assert.deepEqual(q, {
      kind: 'quote',
      instrument: 'test:BTC/USD',
      ts: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
      bid: 9950,
      bidSize: 2000,
      ask: 9951,
      askSize: 0,
    });
  });

  it('rounds sizes only when asked, and never prices', () => {
    const text = `${header}\n1000,100.25,1.23456,buy,1\n`;
    assert.ok(!parseCsv(text, inst, trades).ok);
    const [down] = unwrap(parseCsv(text, inst, { ...trades, sizeRounding: 'down' }));
    assert.equal(down?.kind === 'trade' && down.size, 1234);
    const [up] = unwrap(parseCsv(text, inst, { ...trades, sizeRounding: 'up' }));
    assert.equal(up?.kind === 'trade' && up.size, 1235);
    const finePrice = parseCsv(`${header}\n1000,100.255,1,buy,1\n`, inst, {
      ...trades,
      sizeRounding: 'down',
    });
    assert.ok(!finePrice.ok && finePrice.error.issues[0]?.rule === 'tick_multiple');
    const tiny = parseCsv(`${header}\n1000,100.25,0.0001,buy,1\n`, inst, { ...trades, sizeRounding: 'down' });
    assert.ok(!tiny.ok && tiny.error.issues[0]?.rule === 'positive');
  });

  it('rounds sizes onto a lot that is not a power of ten', () => {
    const half = instrument('X/USD', '0.01', '0.5');
    const [t] = unwrap(
      parseCsv(`${header}\n1000,1.00,1.7,buy,1\n`, half, { ...trades, sizeRounding: 'half_even' }),
    );
    assert.equal(t?.kind === 'trade' && t.size, 15);
    assert.ok(!parseCsv(`${header}\n1000,1.00,1.7,buy,1\n`, half, trades).ok);
  });

  const bad: [string, string, CsvFormat, number, string, string][] = [
    ['a bad timestamp', `${header}\n1000,1.00,1,buy,1\nnope,1.00,1,buy,2\n`, trades, 3, 'ts', 'time_format'],
    ['a price finer than the tick', `${header}\n1000,1.001,1,buy,1\n`, trades, 2, 'price', 'tick_multiple'],
    ['a negative size', `${header}\n1000,1.00,-1,buy,1\n`, trades, 2, 'size', 'non_negative'],
    ['an unknown side', `${header}\n1000,1.00,1,long,1\n`, trades, 2, 'side', 'side_value'],
    ['a short row', `${header}\n1000,1.00\n`, trades, 2, 'row', 'field_count'],
    ['a missing column', 'time,px,qty,id\n1000,1.00,1,1\n', trades, 1, 'columns.side', 'column_exists'],
    [
      'a high below the close',
      'ts,o,h,l,c,v\n60000,1.00,1.50,0.90,1.60,5\n',
      {
        kind: 'bar',
        timeFormat: 'ms',
        columns: { ts: 'ts', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
        barDurationMs: 60_000,
      },
      2,
      'high',
      'ohlc_range',
    ],
    [
      'a low above the open',
      'ts,o,h,l,c,v\n60000,1.00,1.50,1.10,1.20,5\n',
      {
        kind: 'bar',
        timeFormat: 'ms',
        columns: { ts: 'ts', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
        barDurationMs: 60_000,
      },
      2,
      'low',
      'ohlc_range',
    ],
  ];
  for (const [name, text, format, line, field, rule] of bad)
    it(`returns an error for ${name}, naming line ${line}, field and rule`, () => {
      const r = parseCsv(text, inst, format, 'in.csv');
      assert.ok(!r.ok, name);
      assert.equal(faultLine(r.error), line);
      assert.equal(r.error.issues[0]?.field, field);
      assert.equal(r.error.issues[0]?.rule, rule);
      assert.ok(r.error.message.startsWith(`in.csv:${line}: ${field}: `), r.error.message);
    });

  it('checks the format before reading', () => {
    const cases: [CsvFormat, string][] = [
      [{ ...trades, delimiter: ';;' }, 'format.delimiter'],
      [{ ...trades, header: false }, 'format.columns.ts'],
      [{ ...trades, columns: { ...trades.columns, price: -1 } }, 'format.columns.price'],
      [{ ...trades, timeFormat: 'minutes' as never }, 'format.timeFormat'],
      [{ ...csvPresets.ftxBars1m, barDurationMs: 0 }, 'format.barDurationMs'],
    ];
    for (const [format, field] of cases) {
      const r = parseCsv('', inst, format);
      assert.ok(!r.ok && r.error.issues[0]?.field === field, field);
    }
  });

  it('yields one fault for a missing file', async () => {
    const got: DataItem[] = [];
    for await (const item of readCsv('/nonexistent.csv', inst, trades)) got.push(item);
    assert.equal(got.length, 1);
    assert.equal(got[0]?.kind === 'error' && got[0].error.issues[0]?.rule, 'readable');
  });
});
