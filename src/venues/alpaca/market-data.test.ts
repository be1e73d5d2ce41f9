// Tests of the market-data messages: stock and crypto trades, quotes and bars (bare JSON numbers,
// as Alpaca sends them), control messages, stream URLs and the subscribe action.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dataStreamUrl,
  mapBarMessage,
  marketDataOfFrame,
  parseDataFrame,
  subscribeFrame,
  tradeMessageSchema,
} from './market-data.ts';
import { AAPL, BTC, ccxt } from './test-fixtures.ts';

const lookup = (s: string) => (s === 'AAPL' ? AAPL : s === 'BTC/USD' ? BTC : undefined);

describe('market data messages', () => {
  it('reads a stock frame: trade, quote, bar; control messages and unknown kinds pass by', () => {
    const frame = [
      { T: 'success', msg: 'authenticated' },
      {
        T: 't',
        S: 'AAPL',
        i: 52983525029461,
        x: 'V',
        p: 187.12,
        s: 100,
        t: '2024-05-01T14:00:00.123456789Z',
        c: ['@'],
        z: 'C',
      },
      {
        T: 'q',
        S: 'AAPL',
        bx: 'V',
        bp: 187.1,
        bs: 2,
        ax: 'V',
        ap: 187.15,
        as: 3,
        t: '2024-05-01T14:00:00.2Z',
        c: ['R'],
        z: 'C',
      },
      {
        T: 'b',
        S: 'AAPL',
        o: 187,
        h: 187.5,
        l: 186.9,
        c: 187.2,
        v: 12345,
        t: '2024-05-01T14:00:00Z',
        n: 10,
        vw: 187.1,
      },
      { T: 's', S: 'AAPL', sc: 'T' },
      { T: 't', S: 'MSFT', p: 400, s: 1, t: '2024-05-01T14:00:00Z' },
    ];
    const md = marketDataOfFrame(frame, lookup);
    assert.equal(md.length, 3);
    const [t, q, b] = md;
    assert.deepEqual(t, {
      kind: 'trade',
      instrument: 'alpaca:AAPL',
      ts: Date.UTC(2024, 4, 1, 14, 0, 0, 123),
      price: 1_871_200,
      size: 100_000_000_000,
      aggressor: undefined,
      tradeId: '52983525029461',
    });
    assert.ok(
      q?.kind === 'quote' && q.bid === 1_871_000 && q.ask === 1_871_500 && q.bidSize === 2_000_000_000,
    );
    assert.ok(
      b?.kind === 'bar' &&
        b.ts === Date.UTC(2024, 4, 1, 14, 1) &&
        b.durationMs === 60_000 &&
        b.close === 1_872_000,
    );
    assert.deepEqual(
      parseDataFrame(frame).map((d) => d.kind),
      ['control', 'trade', 'quote', 'bar', 'ignored', 'trade'],
    );
  });

  it('reads crypto: the aggressor, prices rounded onto the tick, tiny sizes', () => {
    const md = marketDataOfFrame(
      [
        {
          T: 't',
          S: 'BTC/USD',
          p: 64625.4123,
          s: 0.015155213,
          t: '2024-07-18T05:02:23.898910982Z',
          i: 1,
          tks: 'S',
        },
        {
          T: 'q',
          S: 'BTC/USD',
          bp: 64709.3,
          bs: 0.2801,
          ap: 64767.7,
          as: 1e-7,
          t: '2024-07-18T08:22:41.607595222Z',
        },
      ],
      lookup,
    );
    assert.ok(md[0]?.kind === 'trade' && md[0].aggressor === 'sell' && md[0].price === 6_462_541);
    assert.equal(md[0].size, 15_155_213);
    assert.ok(md[1]?.kind === 'quote' && md[1].askSize === 100);
  });

  it("reads the trades and bars of ccxt's recorded market-data answers", () => {
    const r = ccxt('response/alpaca.json').methods;
    const trades = (r.fetchTrades![0]!.httpResponse as { trades: Record<string, unknown[]> }).trades[
      'BTC/USD'
    ]!;
    const t = tradeMessageSchema.parse({ T: 't', S: 'BTC/USD', ...(trades[0] as object) });
    assert.equal(t.p, '64625.4');
    assert.equal(t.s, '0.015155213');
    const bars = (r.fetchOHLCV![0]!.httpResponse as { bars: Record<string, Record<string, unknown>[]> }).bars[
      'BTC/USD'
    ]!;
    const parsed = marketDataOfFrame([{ T: 'b', S: 'BTC/USD', ...(bars[0] as object) }], lookup);
    assert.ok(parsed[0]?.kind === 'bar' && parsed[0].open === 6_462_540 && parsed[0].close === 6_461_622);
    // A daily bar is not passed on.
    const daily = parseDataFrame([{ T: 'd', S: 'BTC/USD', ...(bars[0] as object) }])[0];
    assert.ok(daily?.kind === 'bar' && mapBarMessage(daily.m, BTC.instrument) === undefined);
  });

  it('drops what cannot be a price or size', () => {
    assert.deepEqual(
      marketDataOfFrame([{ T: 't', S: 'AAPL', p: 0, s: 1, t: '2024-05-01T14:00:00Z' }], lookup),
      [],
    );
    assert.deepEqual(
      marketDataOfFrame([{ T: 't', S: 'AAPL', p: 'x', s: 1, t: '2024-05-01T14:00:00Z' }], lookup),
      [],
    );
    assert.deepEqual(
      marketDataOfFrame([{ T: 'q', S: 'AAPL', bp: 1, bs: 1, ap: 1, as: 1, t: 'yesterday' }], lookup),
      [],
    );
  });

  it('builds stream URLs and the subscribe action', () => {
    assert.equal(
      dataStreamUrl('wss://stream.data.alpaca.markets', 'stocks'),
      'wss://stream.data.alpaca.markets/v2/iex',
    );
    assert.equal(
      dataStreamUrl('wss://stream.data.alpaca.markets/', 'stocks', 'sip'),
      'wss://stream.data.alpaca.markets/v2/sip',
    );
    assert.equal(
      dataStreamUrl('wss://stream.data.alpaca.markets', 'crypto'),
      'wss://stream.data.alpaca.markets/v1beta3/crypto/us',
    );
    assert.deepEqual(JSON.parse(subscribeFrame(['AAPL'])), {
      action: 'subscribe',
      trades: ['AAPL'],
      quotes: ['AAPL'],
    });
    assert.deepEqual(JSON.parse(subscribeFrame(['BTC/USD'], true)).bars, ['BTC/USD']);
  });
});
