import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatUnits, rescale } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { defineInstrument } from '../model/instrument.ts';
import type { MarketData, QuoteTick, TradeTick } from '../model/market.ts';
import {
  loadBinanceCapture,
  parseBinanceCapture,
  parseBinanceCaptureLine,
  readBinanceCapture,
} from './binance-capture.ts';
import { type DataItem, faultLine } from './data-fault.ts';
import { loadText } from './text-lines.ts';

const DIR = '/work/shared/data/hftbacktest';
const SPOT_BTC = `${DIR}/binance-spot/btcusdt_20240808.gz`;
const USDM_BTC = `${DIR}/binance-usdm/btcusdt_20240808.gz`;

const btc = unwrap(
  defineInstrument({ venue: 'binance', symbol: 'BTC/USDT', priceIncrement: '0.01', qtyIncrement: '0.00001' }),
);
const btcPerp = unwrap(
  defineInstrument({ venue: 'binance', symbol: 'BTC/USDT', priceIncrement: '0.10', qtyIncrement: '0.001' }),
);

const trades = (items: readonly MarketData[]) => items.filter((x): x is TradeTick => x.kind === 'trade');
const quotes = (items: readonly MarketData[]) => items.filter((x): x is QuoteTick => x.kind === 'quote');

/** Decimal text with trailing fractional zeros removed, so "61837.63000000" equals "61837.63". */
const canonical = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

function rawMessages(path: string): { stream: string; data: Record<string, unknown> }[] {
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes('"stream"'))
    .map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)));
}

const line = (ns: string, json: unknown) => `${ns} ${JSON.stringify(json)}`;
const tradeLine = (data: Record<string, unknown>) =>
  line('1723161254087896568', {
    stream: 'btcusdt@trade',
    data: {
      e: 'trade',
      E: 1723161255343,
      s: 'BTCUSDT',
      t: 7,
      p: '61837.63000000',
      q: '0.02000000',
      T: 1723161255342,
      m: true,
      M: true,
      ...data,
    },
  });

describe('binance capture: real files', () => {
  const loaded = unwrap(loadBinanceCapture(SPOT_BTC, btc));

  it('reads the spot BTCUSDT 0808 file: 9,757 trades and 28,040 quotes (README counts)', () => {
    assert.equal(trades(loaded).length, 9757);
    assert.equal(quotes(loaded).length, 28040);
    assert.equal(trades(loaded).filter((t) => t.aggressor === 'sell').length, 5654);
    const ids = trades(loaded).map((t) => Number(t.tradeId));
    assert.equal(ids[0], 3735683259);
    assert.equal(ids.at(-1), 3735693015);
  });

  it('keeps every price and size exactly as the file wrote it', () => {
    const raw = rawMessages(SPOT_BTC);
    const rawTrades = raw.filter((m) => m.stream.endsWith('@trade')).map((m) => m.data);
    const rawQuotes = raw.filter((m) => m.stream.endsWith('@bookTicker')).map((m) => m.data);
    trades(loaded).forEach((t, i) => {
      const r = rawTrades[i] as Record<string, unknown>;
      // Binance prints 8 decimals: rescaled to 8 places the units give back the text byte for byte.
      assert.equal(formatUnits(rescale(BigInt(t.price), btc.priceScale, 8), 8), r.p);
      assert.equal(formatUnits(rescale(BigInt(t.size), btc.qtyScale, 8), 8), r.q);
      assert.equal(canonical(formatUnits(t.price, btc.priceScale)), canonical(r.p as string));
      assert.equal(canonical(formatUnits(t.size, btc.qtyScale)), canonical(r.q as string));
      assert.equal(t.ts, r.T);
      assert.equal(t.tradeId, String(r.t));
      assert.equal(t.aggressor, r.m ? 'sell' : 'buy');
    });
    quotes(loaded).forEach((q, i) => {
      const r = rawQuotes[i] as Record<string, unknown>;
      assert.equal(canonical(formatUnits(q.bid, btc.priceScale)), canonical(r.b as string));
      assert.equal(canonical(formatUnits(q.bidSize, btc.qtyScale)), canonical(r.B as string));
      assert.equal(canonical(formatUnits(q.ask, btc.priceScale)), canonical(r.a as string));
      assert.equal(canonical(formatUnits(q.askSize, btc.qtyScale)), canonical(r.A as string));
    });
  });

  it('stamps spot quotes with the last trade time (local time before the first trade)', () => {
    // Line 3 is a quote before any trade, line 4 the first trade (T = 1723161255342).
    assert.deepEqual(
      loaded.slice(0, 3).map((x) => [x.kind, x.ts]),
      [
        ['quote', 1723161254087],
        ['trade', 1723161255342],
        ['quote', 1723161255342],
      ],
    );
    const raw = unwrap(loadBinanceCapture(SPOT_BTC, btc, { monotonic: false }));
    // Trade times and quote times taken from them are already in order in spot captures.
    assert.ok(raw.every((x, i) => i === 0 || x.ts >= (raw[i - 1] as MarketData).ts));
  });

  it('can read the REST snapshot as a first quote', () => {
    const items = unwrap(loadBinanceCapture(SPOT_BTC, btc, { snapshotQuote: true }));
    assert.equal(quotes(items).length, 28041);
    const snap = items[2] as QuoteTick;
    assert.equal(formatUnits(snap.bid, 2), '61837.63');
    assert.equal(formatUnits(snap.ask, 2), '61837.64');
    assert.equal(formatUnits(snap.bidSize, 5), '3.78826');
    assert.equal(snap.ts, 1723161255342);
  });

  it('streams the same items as the sync loader', async () => {
    const streamed: DataItem[] = [];
    for await (const item of readBinanceCapture(SPOT_BTC, btc)) streamed.push(item);
    assert.equal(streamed.length, loaded.length);
    assert.equal(JSON.stringify(streamed), JSON.stringify(loaded));
  });

  it('reads USD-M (quotes carry T/E) and makes timestamps non-decreasing by default', () => {
    // The first ~2 MB of the USD-M file is enough to show the streams interleaving out of order.
    const text = unwrap(loadText(USDM_BTC));
    const head = text.slice(0, text.indexOf('\n', 2_000_000));
    const items = unwrap(parseBinanceCapture(head, btcPerp));
    assert.ok(trades(items).length > 100 && quotes(items).length > 100);
    assert.ok(items.every((x, i) => i === 0 || x.ts >= (items[i - 1] as MarketData).ts));
    const raw = unwrap(parseBinanceCapture(head, btcPerp, { monotonic: false }));
    assert.ok(raw.some((x, i) => i > 0 && x.ts < (raw[i - 1] as MarketData).ts));
    // Clamping only moves a timestamp forward to its predecessor's, never changes the data.
    raw.forEach((x, i) => {
      assert.ok((items[i] as MarketData).ts >= x.ts);
      assert.deepEqual({ ...items[i], ts: 0 }, { ...x, ts: 0 });
    });
  });

  it('uses the collector clock on request', () => {
    const head = unwrap(loadText(SPOT_BTC)).split('\n').slice(0, 4).join('\n');
    const items = unwrap(parseBinanceCapture(head, btc, { clock: 'local' }));
    assert.equal(items[1]?.ts, 1723161254087); // line 4 receive time 1723161254087896568 ns
  });

  it('rejects a price finer than the instrument tick, naming the line', () => {
    const coarse = unwrap(
      defineInstrument({
        venue: 'binance',
        symbol: 'BTC/USDT',
        priceIncrement: '0.1',
        qtyIncrement: '0.00001',
      }),
    );
    const result = loadBinanceCapture(SPOT_BTC, coarse);
    assert.ok(!result.ok);
    assert.equal(faultLine(result.error), 3); // first bookTicker: bid 61837.63
    assert.equal(result.error.issues[0]?.field, 'data.b');
    assert.equal(result.error.issues[0]?.rule, 'tick_multiple');
    assert.match(result.error.message, /btcusdt_20240808\.gz:3: data\.b: 61837\.63000000 is not a multiple/);
  });
});

describe('binance capture: single lines', () => {
  const ctx = { line: 12, lastTradeTsMs: undefined };

  it('parses a trade line exactly', () => {
    const r = unwrap(parseBinanceCaptureLine(tradeLine({}), btc, ctx));
    assert.deepEqual(r, {
      kind: 'trade',
      instrument: 'binance:BTC/USDT',
      ts: 1723161255342,
      price: 6183763,
      size: 2000,
      aggressor: 'sell',
      tradeId: '7',
    });
    const buy = unwrap(parseBinanceCaptureLine(tradeLine({ m: false }), btc, ctx));
    assert.equal(buy?.kind === 'trade' && buy.aggressor, 'buy');
  });

  it('skips depth updates, the snapshot and blank lines', () => {
    for (const text of [
      line('1', { stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate' } }),
      line('1', { lastUpdateId: 1, bids: [['1.00', '1']], asks: [['2.00', '1']] }),
      '',
    ])
      assert.deepEqual(parseBinanceCaptureLine(text, btc, ctx), { ok: true, value: undefined });
  });

  it('stamps a spot quote with the last trade time passed in', () => {
    const text = line('1723161254087891268', {
      stream: 'btcusdt@bookTicker',
      data: {
        u: 1,
        s: 'BTCUSDT',
        b: '61837.63000000',
        B: '3.78826000',
        a: '61837.64000000',
        A: '0.00000000',
      },
    });
    const q = unwrap(parseBinanceCaptureLine(text, btc, { line: 1, lastTradeTsMs: 1723161255000 }));
    assert.equal(q?.ts, 1723161255000);
    assert.equal(q?.kind === 'quote' && q.askSize, 0);
  });

  it('skips USD-M trades that are not MARKET prints', () => {
    assert.equal(unwrap(parseBinanceCaptureLine(tradeLine({ X: 'INSURANCE_FUND' }), btc, ctx)), undefined);
    assert.ok(unwrap(parseBinanceCaptureLine(tradeLine({ X: 'MARKET' }), btc, ctx)));
  });

  const bad: [string, string, string, string][] = [
    ['price finer than the tick', tradeLine({ p: '61837.633' }), 'data.p', 'tick_multiple'],
    ['size finer than the lot', tradeLine({ q: '0.000001' }), 'data.q', 'lot_multiple'],
    ['price not a decimal', tradeLine({ p: '6e4' }), 'data.p', 'decimal'],
    ['zero price', tradeLine({ p: '0.00' }), 'data.p', 'positive'],
    ['zero size', tradeLine({ q: '0.00000000' }), 'data.q', 'positive'],
    ['missing maker flag', tradeLine({ m: undefined }), 'data.m', 'boolean'],
    ['missing trade id', tradeLine({ t: 'x' }), 'data.t', 'integer'],
    ['missing time', tradeLine({ T: undefined, E: undefined }), 'data.T', 'epoch_ms'],
    ['other symbol', tradeLine({ s: 'ETHUSDT' }), 'data.s', 'symbol'],
    [
      'unknown stream',
      line('1', { stream: 'btcusdt@kline_1m', data: { s: 'BTCUSDT' } }),
      'stream',
      'known_stream',
    ],
    ['no local time', '{"stream":"btcusdt@trade"}', 'local_ts', 'integer'],
    ['broken JSON', '1723161254087896568 {"stream":"btcusdt@trade","data":{', 'json', 'json'],
    ['not a stream message', line('1', { foo: 1 }), 'stream', 'message_shape'],
  ];
  for (const [name, text, field, rule] of bad)
    it(`returns an error for ${name}, naming line, field and rule`, () => {
      const r = parseBinanceCaptureLine(text, btc, ctx, { source: 'f.gz' });
      assert.ok(!r.ok, name);
      assert.equal(r.error.code, 'invalid_field');
      assert.equal(r.error.issues[0]?.field, field);
      assert.equal(r.error.issues[0]?.rule, rule);
      assert.equal(faultLine(r.error), 12);
      assert.ok(r.error.message.startsWith(`f.gz:12: ${field}: `), r.error.message);
    });

  it('reports the first bad line of a whole text', () => {
    const text = [tradeLine({}), tradeLine({}), tradeLine({ p: 'x' }), tradeLine({})].join('\n');
    const r = parseBinanceCapture(text, btc);
    assert.ok(!r.ok);
    assert.equal(faultLine(r.error), 3);
  });
});

describe('binance capture: files that cannot be read', () => {
  it('yields one fault for a missing file', async () => {
    const items: DataItem[] = [];
    for await (const item of readBinanceCapture('/nonexistent/capture.gz', btc)) items.push(item);
    assert.equal(items.length, 1);
    assert.equal(items[0]?.kind, 'error');
    assert.equal(items[0]?.kind === 'error' && items[0].error.issues[0]?.rule, 'readable');
    const sync = loadBinanceCapture('/nonexistent/capture.gz', btc);
    assert.ok(!sync.ok && sync.error.issues[0]?.field === 'path');
  });

  it('streams items up to a bad line, then the fault, from plain or gzip files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-binance-'));
    const text = `${[tradeLine({}), tradeLine({ p: '1.001' }), tradeLine({})].join('\n')}\n`;
    for (const [name, bytes] of [
      ['plain.txt', Buffer.from(text)],
      ['packed.gz', gzipSync(text)],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const items: DataItem[] = [];
      for await (const item of readBinanceCapture(path, btc)) items.push(item);
      assert.deepEqual(
        items.map((x) => x.kind),
        ['trade', 'error'],
      );
      assert.equal(items[1]?.kind === 'error' && faultLine(items[1].error), 2);
    }
  });

  it('yields a fault for a corrupt gzip stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordo-binance-'));
    const path = join(dir, 'bad.gz');
    writeFileSync(path, Buffer.concat([gzipSync(tradeLine({})).subarray(0, 10), Buffer.from('garbage')]));
    const items: DataItem[] = [];
    for await (const item of readBinanceCapture(path, btc)) items.push(item);
    assert.equal(items.at(-1)?.kind, 'error');
  });
});
