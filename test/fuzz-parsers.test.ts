// Hostile input to every parser of outside data (10,000 cases each): the CSV replay parser, the
// Binance capture parser, and the payload parsers of Binance, Alpaca and Coinbase (REST bodies and
// stream frames, parsed and then mapped into Ordo's reports, orders and market data). Cases are
// documented example payloads with fields replaced by hostile values (wrong types, huge and
// negative numbers, decimals off the grid, unicode, deep nesting), removed or added, and whole
// random JSON. Nothing may throw: every outcome is a value, and a refusal says what was wrong.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { z } from 'zod';
import { type Result, unwrap } from '../src/core/errors.ts';
import { parseBinanceCapture } from '../src/data/binance-capture.ts';
import { type CsvFormat, csvPresets, parseCsv } from '../src/data/csv-replay.ts';
import { defineInstrument } from '../src/model/instrument.ts';
import * as alpaca from '../src/venues/alpaca/parsers.ts';
import { BTC as ALPACA_BTC, EXAMPLES_DIR as ALPACA_DIR } from '../src/venues/alpaca/test-fixtures.ts';
import { FillTracker, mapTradeUpdate, parseStreamMessage } from '../src/venues/alpaca/trade-updates.ts';
import * as binance from '../src/venues/binance/parsers.ts';
import { fixtureRules } from '../src/venues/binance/test-fixtures.ts';
import * as coinbase from '../src/venues/coinbase/parsers.ts';
import { EXAMPLES_DIR as COINBASE_DIR, rulesOf } from '../src/venues/coinbase/test-fixtures.ts';

const RUNS = 10_000;
const BINANCE_DIR = '/work/shared/venues/examples/binance';

// ---- mutations of documented payloads ----------------------------------------------------------

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '-0.00000001',
    '1e400',
    'NaN',
    'Infinity',
    '0.000000000000000000001',
    '9'.repeat(60),
    '１２３',
    '𝟙.𝟚',
    '\u0000',
    'null',
    '{}',
    '2024-13-45T99:99:99Z',
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    -1,
    0,
    1.5,
    Number.NaN,
    true,
    null,
    [],
    {},
    [[[[[[[[[[1]]]]]]]]]],
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

type Json = unknown;

/** Every path to a value inside `v` (objects and arrays), the root included. */
function paths(
  v: Json,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...at, i], out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: Json, path: readonly (string | number)[], value: unknown, remove: boolean): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** A sample with up to three fields replaced, removed or added; sometimes random JSON instead. */
function mutated(samples: readonly Json[]): fc.Arbitrary<Json> {
  const one = fc
    .tuple(
      fc.nat({ max: samples.length - 1 }),
      fc.array(fc.tuple(fc.nat(), hostile, fc.nat({ max: 9 })), { minLength: 0, maxLength: 3 }),
    )
    .map(([i, edits]) => {
      let v = samples[i];
      for (const [p, value, how] of edits) {
        const all = paths(v);
        const path = all[p % all.length]!;
        // Mostly replace; sometimes remove the field, or add one beside it.
        if (how === 0) v = setAt(v, path, undefined, true);
        else if (how === 1 && path.length > 0) v = setAt(v, [...path.slice(0, -1), `x${p}`], value, false);
        else v = setAt(v, path, value, false);
      }
      return JSON.parse(JSON.stringify(v) ?? 'null') as Json;
    });
  return fc.oneof({ weight: 9, arbitrary: one }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });
}

const readJson = (dir: string, f: string): Json => JSON.parse(readFileSync(join(dir, f), 'utf8'));

/** `f` must not throw on any case, and must answer with a Result (or a list of them). */
function fuzz(arb: fc.Arbitrary<Json>, f: (input: Json) => readonly Result<unknown>[], seed: number): void {
  let refused = 0;
  let accepted = 0;
  fc.assert(
    fc.property(arb, (input) => {
      let results: readonly Result<unknown>[];
      try {
        results = f(input);
      } catch (e) {
        throw new Error(
          `threw on ${JSON.stringify(input)?.slice(0, 500)}: ${e instanceof Error ? e.stack : String(e)}`,
        );
      }
      for (const r of results) {
        assert.equal(typeof r.ok, 'boolean');
        if (r.ok) accepted++;
        else {
          refused++;
          assert.ok(typeof r.error.message === 'string' && r.error.message.length > 0, 'a refusal says why');
        }
      }
    }),
    { numRuns: RUNS, seed },
  );
  assert.ok(refused > 100 && accepted > 100, `refused ${refused}, accepted ${accepted}`);
}

/** Parses with a schema, then maps what parsed: both steps must answer with values. */
function parseThen<S extends z.ZodType, T>(
  parse: (schema: S, json: unknown, what: string) => Result<z.infer<S>>,
  schema: S,
  map: (v: z.infer<S>) => Result<T> | readonly Result<T>[],
): (json: Json) => readonly Result<unknown>[] {
  return (json) => {
    const p = parse(schema, json, 'payload');
    if (!p.ok) return [p];
    const m = map(p.value);
    return [p, ...(Array.isArray(m) ? m : [m as Result<T>])];
  };
}

// ---- the entry points ---------------------------------------------------------------------------

describe(`fuzzing the parsers (${RUNS} cases per entry point)`, () => {
  it('CSV replay: every preset and a custom format, on mutated rows and random text', () => {
    const inst = unwrap(
      defineInstrument({ venue: 'csv', symbol: 'BTC/USD', priceIncrement: '0.01', qtyIncrement: '0.00001' }),
    );
    const formats: [CsvFormat, string[]][] = [
      [
        csvPresets.bitcoinchartsTrades,
        ['1315922016,5.800000000000,1.000000000000', '1315922024,5.830000000000,3.000000000000'],
      ],
      [
        csvPresets.tardisTrades,
        [
          'exchange,symbol,timestamp,local_timestamp,id,side,price,amount',
          'x,BTC,1585699200245000,1585699200355000,a1,sell,6436.5,0.01',
        ],
      ],
      [
        csvPresets.tardisQuotes,
        [
          'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount',
          'x,BTC,1585699200245000,1585699200355000,1.5,6437,6436.5,2',
        ],
      ],
      [
        csvPresets.ftxBars1m,
        ['timestamp,open,high,low,close,volume', '2021-01-01T00:01:00Z,29000,29010,28990,29005,1.25'],
      ],
      [csvPresets.ninjaTraderBars1m, ['20210101 000100;29000;29010;28990;29005;3']],
    ];
    const row = fc.oneof(
      fc.constantFrom(...formats.flatMap(([, rows]) => rows)),
      fc.string({ maxLength: 60 }),
      fc
        .array(fc.oneof(fc.string({ maxLength: 12 }), hostile.map(String)), { maxLength: 8 })
        .map((c) => c.join(',')),
      fc.constantFrom('', '\r', '"unterminated,1,2', '"a""b",1,2', ';;;;;', '\uFEFF1,2,3'),
    );
    const arb = fc.tuple(
      fc.nat({ max: formats.length }),
      fc.array(row, { minLength: 1, maxLength: 6 }),
      fc.anything(),
    );
    fuzz(
      arb,
      (input) => {
        const [i, rows, garbage] = input as [number, string[], unknown];
        // One case in six: a hostile format object (formats come from users and config files).
        const format = i < formats.length ? formats[i]![0] : (garbage as CsvFormat);
        const header = i < formats.length && formats[i]![1].length > 1 ? `${formats[i]![1][0]}\n` : '';
        return [parseCsv(header + rows.join('\n'), inst, format, 'fuzz.csv')];
      },
      11,
    );
  });

  it('Binance capture lines', () => {
    const inst = unwrap(
      defineInstrument({
        venue: 'binance',
        symbol: 'BTC/USDT',
        priceIncrement: '0.01',
        qtyIncrement: '0.00001',
      }),
    );
    const samples: Json[] = [
      {
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
        },
      },
      {
        stream: 'btcusdt@bookTicker',
        data: { u: 1, s: 'BTCUSDT', b: '61837.63000000', B: '3.78826000', a: '61837.64000000', A: '0.5' },
      },
      { stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate' } },
      { lastUpdateId: 1, bids: [['1.00', '1']], asks: [['2.00', '1']] },
    ];
    const line = fc.oneof(
      fc
        .tuple(fc.oneof(fc.constant('1723161254087891268'), fc.string({ maxLength: 25 })), mutated(samples))
        .map(([ns, json]) => `${ns} ${JSON.stringify(json)}`),
      fc.string({ maxLength: 80 }),
      fc.constantFrom('', '1 ', '1 {', '1 {"stream":"btcusdt@trade","data":'),
    );
    fuzz(
      fc.array(line, { minLength: 1, maxLength: 5 }),
      (lines) => [parseBinanceCapture((lines as string[]).join('\n'), inst, { source: 'fuzz.gz' })],
      12,
    );
  });

  it('Binance payloads: user data stream, order responses, queries, account', () => {
    const inst = fixtureRules('BTCUSDT').instrument;
    const j = (f: string) => readJson(BINANCE_DIR, f);
    const pipelines: [Json, (json: Json) => readonly Result<unknown>[]][] = [
      [
        j('uds_execution_report.json'),
        (json) => {
          const m = binance.parseUserDataMessage(json);
          if (!m.ok || m.value.event?.e !== 'executionReport') return [m];
          return [m, binance.mapExecutionReport(m.value.event, inst)];
        },
      ],
      [j('uds_list_status.json'), (json) => [binance.parseUserDataMessage(json)]],
      [j('uds_outbound_account_position.json'), (json) => [binance.parseUserDataMessage(json)]],
      [
        j('new_order_full.json'),
        parseThen(binance.parseWith, binance.newOrderResponseSchema, (r) =>
          binance.mapNewOrderResponse(r, inst),
        ),
      ],
      [
        j('new_order_result.json'),
        parseThen(binance.parseWith, binance.newOrderResponseSchema, (r) =>
          binance.mapNewOrderResponse(r, inst),
        ),
      ],
      [
        j('query_order.json'),
        parseThen(binance.parseWith, binance.queryOrderSchema, (o) => binance.mapOrderSnapshot(o, inst)),
      ],
      [
        j('cancel_order.json'),
        parseThen(binance.parseWith, binance.cancelOrderSchema, (o) => binance.mapCancelResponse(o, inst)),
      ],
      [
        j('orderlist_oco_result.json'),
        parseThen(binance.parseWith, binance.orderListSchema, (o) => binance.mapOrderList(o, inst)),
      ],
      [j('account.json'), parseThen(binance.parseWith, binance.accountSchema, (a) => binance.mapBalances(a))],
    ];
    fuzz(
      fc
        .tuple(fc.nat({ max: pipelines.length - 1 }), fc.nat())
        .chain(([i]) => mutated([pipelines[i]![0]]).map((json) => [i, json] as const)),
      (input) => {
        const [i, json] = input as [number, Json];
        return pipelines[i]![1](json);
      },
      13,
    );
  });

  it('Alpaca payloads: trade updates, orders, positions, account, errors', () => {
    const inst = ALPACA_BTC.instrument;
    const files = readdirSync(ALPACA_DIR).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 10);
    const j = (f: string) => readJson(ALPACA_DIR, f);
    const orders = files.filter((f) => f.startsWith('order_')).map(j);
    const pipelines: [Json, (json: Json) => readonly Result<unknown>[]][] = [
      [
        j('trade_update_fill_crypto.json'),
        (json) => {
          const m = parseStreamMessage(json);
          if (!m.ok || m.value.kind !== 'trade_update') return [m];
          return [m, mapTradeUpdate(m.value.update, inst, 'ordo-1', new FillTracker())];
        },
      ],
      ...orders.map((o): [Json, (json: Json) => readonly Result<unknown>[]] => [
        o,
        parseThen(alpaca.parseWith, alpaca.orderSchema, (v) => alpaca.mapOrder(v, inst)),
      ]),
      [j('account.json'), (json) => [alpaca.parseWith(alpaca.accountSchema, json, 'account')]],
      [
        j('error_subpenny_limit_price.json'),
        (json) => [alpaca.parseWith(alpaca.errorBodySchema, json, 'error')],
      ],
      [j('ws_authorized.json'), (json) => [parseStreamMessage(json)]],
    ];
    fuzz(
      fc
        .nat({ max: pipelines.length - 1 })
        .chain((i) => mutated([pipelines[i]![0]]).map((json) => [i, json] as const)),
      (input) => {
        const [i, json] = input as [number, Json];
        return pipelines[i]![1](json);
      },
      14,
    );
  });

  it('Coinbase payloads: WebSocket frames, orders, fills, accounts', () => {
    const inst = rulesOf('BTC-USD').instrument;
    const files = readdirSync(COINBASE_DIR).filter((f) => f.endsWith('.json'));
    const j = (f: string) => readJson(COINBASE_DIR, f);
    const ws = files.filter((f) => f.startsWith('ws_')).map(j);
    const frames = (json: Json): readonly Result<unknown>[] => {
      const m = coinbase.parseWsMessage(json);
      if (!m.ok) return [m];
      const out: Result<unknown>[] = [m];
      for (const ev of m.value.events as { orders?: unknown[]; trades?: unknown[] }[]) {
        if (m.value.channel === 'user')
          for (const o of ev.orders ?? []) out.push(coinbase.mapUserOrder(o as never, inst));
        if (m.value.channel === 'market_trades')
          for (const t of ev.trades ?? []) out.push(coinbase.mapMarketTrade(t as never, inst));
      }
      return out;
    };
    const pipelines: [Json, (json: Json) => readonly Result<unknown>[]][] = [
      ...ws.map((w): [Json, (json: Json) => readonly Result<unknown>[]] => [w, frames]),
      [
        j('get_order_limit_gtc_open.json'),
        parseThen(coinbase.parseWith, coinbase.getOrderResponseSchema, (b) =>
          coinbase.mapOrder(b.order, inst),
        ),
      ],
      [
        j('list_fills_spot.json'),
        parseThen(coinbase.parseWith, coinbase.listFillsResponseSchema, (b) =>
          b.fills.map((f) => coinbase.mapFill(f, inst)),
        ),
      ],
      [
        j('create_order_failure_mock.json'),
        (json) => [coinbase.parseWith(coinbase.createOrderResponseSchema, json, 'create')],
      ],
    ];
    fuzz(
      fc
        .nat({ max: pipelines.length - 1 })
        .chain((i) => mutated([pipelines[i]![0]]).map((json) => [i, json] as const)),
      (input) => {
        const [i, json] = input as [number, Json];
        return pipelines[i]![1](json);
      },
      15,
    );
  });
});
