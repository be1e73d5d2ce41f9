import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fieldError, unwrap } from '../core/errors.ts';
import { defineInstrument } from '../model/instrument.ts';
import type { MarketData, TradeTick } from '../model/market.ts';
import { readBinanceCapture } from './binance-capture.ts';
import { csvPresets, readCsv } from './csv-replay.ts';
import { type DataItem, dataFault } from './data-fault.ts';
import { mergeByTime, mergeByTimeAsync } from './replay.ts';

const trade = (instrument: string, ts: number, tradeId: string): TradeTick => ({
  kind: 'trade',
  instrument,
  ts,
  price: 1,
  size: 1,
  aggressor: undefined,
  tradeId,
});
const ids = (items: readonly DataItem[]) => items.map((x) => (x.kind === 'trade' ? x.tradeId : x.kind));

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const x of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield x;
  }
}

describe('replay merge', () => {
  const a = [trade('a', 1, 'a1'), trade('a', 3, 'a3'), trade('a', 3, 'a3b'), trade('a', 7, 'a7')];
  const b = [trade('b', 0, 'b0'), trade('b', 3, 'b3'), trade('b', 8, 'b8')];
  const c = [trade('c', 3, 'c3')];
  const want = ['b0', 'a1', 'a3', 'a3b', 'b3', 'c3', 'a7', 'b8'];

  it('orders by time, equal times in source order, each source in its own order', () => {
    assert.deepEqual(ids([...mergeByTime([a, b, c])]), want);
    assert.deepEqual(ids([...mergeByTime([c, b, a])]), ['b0', 'a1', 'c3', 'b3', 'a3', 'a3b', 'a7', 'b8']);
  });

  it('handles no sources and empty sources', () => {
    assert.deepEqual([...mergeByTime([])], []);
    assert.deepEqual(ids([...mergeByTime([[], a, []])]), ['a1', 'a3', 'a3b', 'a7']);
  });

  it('merges async and sync sources alike', async () => {
    assert.deepEqual(ids(await collect(mergeByTimeAsync([slowly(a), b, slowly(c)]))), want);
  });

  it('property: the output is the stable sort of the concatenated sources', () => {
    const source = fc
      .array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 })
      .map((ts) => ts.sort((x, y) => x - y));
    fc.assert(
      fc.property(fc.array(source, { maxLength: 6 }), (times) => {
        const sources = times.map((ts, s) => ts.map((t, i) => trade(`s${s}`, t, `${s}.${i}`)));
        const merged = [...mergeByTime(sources)];
        // Array.prototype.sort is stable: sorting by (ts, source) the concatenation gives the answer.
        const expected = sources
          .flat()
          .map((x, i) => ({ x, i }))
          .sort((p, q) => p.x.ts - q.x.ts || p.x.instrument.localeCompare(q.x.instrument) || p.i - q.i)
          .map((p) => p.x);
        assert.deepEqual(merged, expected);
      }),
    );
  });

  it('ends with a fault naming the source that steps back in time', () => {
    const bad = [trade('x', 5, 'x5'), trade('x', 4, 'x4')];
    const out = [...mergeByTime([a, bad])];
    const last = out.at(-1);
    assert.ok(last?.kind === 'error');
    assert.equal(last.error.issues[0]?.field, 'sources.1');
    assert.equal(last.error.issues[0]?.rule, 'time_order');
    assert.ok(!out.some((x) => x.kind === 'trade' && x.tradeId === 'x4'));
    assert.equal([...mergeByTime([a, bad], { checkOrder: false })].length, 6);
  });

  it("passes a source's fault through and stops, closing the other sources", () => {
    let closed = false;
    function* watched(): Generator<MarketData> {
      try {
        yield* a;
      } finally {
        closed = true;
      }
    }
    const failing: DataItem[] = [trade('f', 2, 'f2'), dataFault(fieldError('path', 'readable', 'gone'))];
    const out = [...mergeByTime([watched(), failing])];
    assert.deepEqual(ids(out), ['a1', 'f2', 'error']);
    assert.ok(closed);
  });

  it('merges real files: a Binance capture with a CSV, ordered', async () => {
    const btc = unwrap(
      defineInstrument({
        venue: 'binance',
        symbol: 'BTC/USDT',
        priceIncrement: '0.01',
        qtyIncrement: '0.001',
      }),
    );
    const spot = unwrap(
      defineInstrument({
        venue: 'binance',
        symbol: 'BTC/USDT',
        priceIncrement: '0.01',
        qtyIncrement: '0.00001',
      }),
    );
    const out = await collect(
      mergeByTimeAsync([
        readCsv('/work/shared/data/nautilus_trader/tardis/tardis_trades.csv', btc, csvPresets.tardisTrades),
        readBinanceCapture('/work/shared/data/hftbacktest/binance-spot/btcusdt_20240809.gz', spot),
      ]),
    );
    assert.ok(out.every((x) => x.kind !== 'error'));
    assert.equal(out.length, 9999 + 10147 + 45134);
    const items = out as MarketData[];
    assert.ok(items.every((x, i) => i === 0 || x.ts >= (items[i - 1] as MarketData).ts));
  });
});
