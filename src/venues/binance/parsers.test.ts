// Tests of the Binance parsers. Every file in shared/venues/examples/binance is listed with the
// schema it must parse with (a new file without an entry fails), and key fields are mapped to
// Ordo reports. Also: ccxt's captured spot responses (integers as strings), executionReport
// mapping case by case, error classification, and public trade/bookTicker lines from a capture.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { z } from 'zod';
import { parseUnits } from '../../core/decimal.ts';
import type { VenueReport } from '../../engine/venue-port.ts';
import { defineInstrument, type Instrument } from '../../model/instrument.ts';
import { symbolFilterSchema } from './exchange-info.ts';
import {
  accountSchema,
  amendResponseSchema,
  bookTickerSchema,
  cancelAllSchema,
  cancelOrderSchema,
  cancelReplaceResponseSchema,
  classifyError,
  combinedStreamSchema,
  type ExecutionReport,
  errorBodySchema,
  executionReportSchema,
  fillId,
  listenKeySchema,
  mapAccountPosition,
  mapAmendResponse,
  mapBalances,
  mapBookTicker,
  mapCancelReplace,
  mapCancelResponse,
  mapExecutionReport,
  mapMyTrade,
  mapNewOrderResponse,
  mapOrderList,
  mapOrderSnapshot,
  mapTradeEvent,
  myTradesSchema,
  newOrderResponseSchema,
  openOrdersSchema,
  orderListSchema,
  parseUserDataMessage,
  parseWith,
  queryOrderSchema,
  rejectedReport,
  responseType,
  serverTimeSchema,
  subscribeResultSchema,
  tradeEventSchema,
  tradeFillReport,
  type UserDataEvent,
  wsApiResponseSchema,
} from './parsers.ts';

const DIR = '/work/shared/venues/examples/binance';
const E18 = 10n ** 18n;

/** Doc examples use 8-decimal prices on every symbol, so their instruments have 1e-8 ticks and lots. */
function docInstrument(base: string, quote: string): Instrument {
  const r = defineInstrument({
    venue: 'binance',
    symbol: `${base}/${quote}`,
    priceIncrement: '0.00000001',
    qtyIncrement: '0.00000001',
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const INST: Record<string, Instrument> = {
  BTCUSDT: docInstrument('BTC', 'USDT'),
  LTCBTC: docInstrument('LTC', 'BTC'),
  ETHBTC: docInstrument('ETH', 'BTC'),
  LTCBNB: docInstrument('LTC', 'BNB'),
};
/** Expected units at scale 8, read exactly. */
const u8 = (text: string): number => Number(parseUnits(text, 8));

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) assert.fail(r.error.message);
  return r.value;
}

function parsed<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
  const r = schema.safeParse(json);
  if (!r.success) assert.fail(JSON.stringify(r.error.issues.slice(0, 3)));
  return r.data;
}

function event(json: unknown): UserDataEvent {
  const m = must(parseUserDataMessage(json));
  assert.ok(m.event !== undefined, `unknown event ${m.unknownType}`);
  return m.event;
}

function execution(json: unknown): ExecutionReport {
  const e = event(json);
  assert.equal(e.e, 'executionReport');
  return e as ExecutionReport;
}

/** For each example file: the schema that must accept it, then assertions on the mapping. */
const EXAMPLES: Record<string, (json: unknown) => void> = {
  'account.json': (j) => {
    const a = parsed(accountSchema, j);
    const b = must(mapBalances(a));
    assert.deepEqual(b[0], { asset: 'BTC', free: 472384689208129n * 10n ** 10n, locked: 0n });
    assert.equal(a.commissionRates?.maker, '0.00150000');
  },
  'amend_keep_priority_order_list.json': (j) => {
    const a = parsed(amendResponseSchema, j);
    assert.equal(a.listStatus?.contingencyType, 'OTO');
    const r = must(mapAmendResponse(a, INST.BTCUSDT!));
    assert.deepEqual(r.report, {
      kind: 'modified',
      clientOrderId: 'W0fJ9fiLKHOJutovPK3oJp',
      quantity: 4 * 1e8,
      price: undefined,
      triggerPrice: undefined,
      ts: 1741669661670,
    });
    assert.equal(r.clientOrderId, 'UQ1Np3bmQ71jJzsSDW9Vpi');
  },
  'amend_keep_priority_single.json': (j) => {
    const r = must(mapAmendResponse(parsed(amendResponseSchema, j), INST.BTCUSDT!));
    assert.equal(r.report.kind, 'modified');
    if (r.report.kind === 'modified') {
      assert.equal(r.report.clientOrderId, '5xrgbMyg6z36NzBn2pbT8H');
      assert.equal(r.report.quantity, 5 * 1e8);
      assert.equal(r.report.price, 6 * 1e8);
    }
  },
  'cancel_all_open_orders.json': (j) => {
    const all = parsed(cancelAllSchema, j);
    assert.equal(all.length, 3);
    const [first, , list] = all;
    assert.ok(first !== undefined && 'origClientOrderId' in first);
    assert.deepEqual(must(mapCancelResponse(first, INST.BTCUSDT!)), [
      { kind: 'cancelled', clientOrderId: 'E6APeyTJvkMvLMYMqu1KQ4', reason: 'canceled', ts: 1684804350068 },
    ]);
    assert.ok(list !== undefined && 'contingencyType' in list);
    const s = must(mapOrderList(list, INST.BTCUSDT!));
    assert.deepEqual(
      s.reports.map((r) => [r.kind, r.clientOrderId]),
      [
        ['cancelled', 'CwOOIPHSmYywx6jZX77TdL'],
        ['cancelled', '461cPg51vQjV3zIMOXNz39'],
      ],
    );
  },
  'cancel_order.json': (j) => {
    const c = parsed(cancelOrderSchema, j);
    // The cancel's own id is `clientOrderId`; the report is keyed by the order's original id.
    assert.equal(c.clientOrderId, 'cancelMyOrder1');
    assert.deepEqual(must(mapCancelResponse(c, INST.LTCBTC!)), [
      { kind: 'cancelled', clientOrderId: 'myOrder1', reason: 'canceled', ts: 1684804350068 },
    ]);
  },
  'cancel_orderlist.json': (j) => {
    const s = must(mapOrderList(parsed(orderListSchema, j), INST.LTCBTC!));
    assert.equal(s.listClientOrderId, 'C3wyj4WVEktd7u9aVBRXcN');
    assert.equal(s.listOrderStatus, 'ALL_DONE');
    assert.deepEqual(
      s.reports.map((r) => r.clientOrderId),
      ['pO9ufTiFGg3nw2fOdgeOXa', 'TXOvglzXuaubXAaENpaRCB'],
    );
  },
  'cancel_replace_both_failed.json': (j) => {
    const r = must(mapCancelReplace(parsed(cancelReplaceResponseSchema, j), INST.BTCUSDT!));
    assert.equal(r.error?.code, -2022);
    assert.deepEqual(r.cancel, { result: 'FAILURE', error: { code: -2011, msg: 'Unknown order sent.' } });
    assert.deepEqual(r.newOrder, {
      result: 'FAILURE',
      error: { code: -2010, msg: 'Order would immediately match and take.' },
    });
  },
  'cancel_replace_cancel_failed_allow_failure.json': (j) => {
    const r = must(mapCancelReplace(parsed(cancelReplaceResponseSchema, j), INST.BTCUSDT!));
    assert.equal(r.error?.code, -2021);
    assert.equal(r.cancel.result, 'FAILURE');
    assert.deepEqual(r.newOrder, {
      result: 'SUCCESS',
      reports: [
        { kind: 'accepted', clientOrderId: 'pfojJMg6IMNDKuJqDxvoxN', venueOrderId: '11', ts: 1648540168818 },
      ],
    });
  },
  'cancel_replace_cancel_failed_stop_on_failure.json': (j) => {
    const r = must(mapCancelReplace(parsed(cancelReplaceResponseSchema, j), INST.BTCUSDT!));
    assert.equal(r.error?.code, -2022);
    assert.equal(r.cancel.result, 'FAILURE');
    assert.deepEqual(r.newOrder, { result: 'NOT_ATTEMPTED' });
  },
  'cancel_replace_new_order_failed.json': (j) => {
    const r = must(mapCancelReplace(parsed(cancelReplaceResponseSchema, j), INST.BTCUSDT!));
    assert.deepEqual(r.cancel, {
      result: 'SUCCESS',
      reports: [
        { kind: 'cancelled', clientOrderId: '86M8erehfExV8z2RC8Zo8k', reason: 'canceled', ts: 1684804350068 },
      ],
    });
    assert.equal(r.newOrder.result, 'FAILURE');
  },
  'cancel_replace_rate_limited_do_nothing.json': (j) => {
    const e = parsed(errorBodySchema, j);
    assert.equal(classifyError(429, e), 'rate_limited');
    assert.equal(classifyError(400, e), 'rate_limited'); // -1015 whatever the status
  },
  'cancel_replace_success.json': (j) => {
    const r = must(mapCancelReplace(parsed(cancelReplaceResponseSchema, j), INST.BTCUSDT!));
    assert.equal(r.error, undefined);
    assert.deepEqual(r.cancel, {
      result: 'SUCCESS',
      reports: [
        { kind: 'cancelled', clientOrderId: 'DnLo3vTAQcjha43lAZhZ0y', reason: 'canceled', ts: 1684804350068 },
      ],
    });
    assert.deepEqual(r.newOrder, {
      result: 'SUCCESS',
      reports: [
        { kind: 'accepted', clientOrderId: 'wOceeeOzNORyLiQfw7jd8S', venueOrderId: '10', ts: 1652928801803 },
      ],
    });
  },
  'cancel_restrictions_error.json': (j) => {
    assert.equal(classifyError(400, parsed(errorBodySchema, j)), 'rejected');
  },
  'error_invalid_symbol.json': (j) => {
    const e = parsed(errorBodySchema, j);
    assert.equal(e.code, -1121);
    assert.deepEqual(rejectedReport('ordo-1-0', e, 5), {
      kind: 'rejected',
      clientOrderId: 'ordo-1-0',
      code: '-1121',
      reason: 'Invalid symbol.',
      ts: 5,
    });
  },
  'filter_lot_size.json': (j) => assert.equal(parsed(symbolFilterSchema, j).filterType, 'LOT_SIZE'),
  'filter_market_lot_size.json': (j) =>
    assert.equal(parsed(symbolFilterSchema, j).filterType, 'MARKET_LOT_SIZE'),
  'filter_max_num_algo_orders.json': (j) =>
    assert.equal(parsed(symbolFilterSchema, j).filterType, 'MAX_NUM_ALGO_ORDERS'),
  'filter_max_num_orders.json': (j) =>
    assert.equal(parsed(symbolFilterSchema, j).filterType, 'MAX_NUM_ORDERS'),
  'filter_min_notional.json': (j) => assert.equal(parsed(symbolFilterSchema, j).filterType, 'MIN_NOTIONAL'),
  'filter_notional.json': (j) => assert.equal(parsed(symbolFilterSchema, j).filterType, 'NOTIONAL'),
  'filter_percent_price_by_side.json': (j) =>
    assert.equal(parsed(symbolFilterSchema, j).filterType, 'PERCENT_PRICE_BY_SIDE'),
  'filter_price_filter.json': (j) => assert.equal(parsed(symbolFilterSchema, j).filterType, 'PRICE_FILTER'),
  'filter_trailing_delta.json': (j) =>
    assert.equal(parsed(symbolFilterSchema, j).filterType, 'TRAILING_DELTA'),
  'legacy_listen_key_expired.json': (j) => {
    const m = must(parseUserDataMessage(j));
    assert.equal(m.subscriptionId, undefined);
    assert.equal(m.event?.e, 'listenKeyExpired');
  },
  'legacy_listenkey_create.json': (j) => assert.equal(parsed(listenKeySchema, j).listenKey.length, 64),
  'legacy_uds_execution_report_raw.json': (j) => {
    const ev = execution(j);
    assert.deepEqual(must(mapExecutionReport(ev, INST.ETHBTC!)), [
      {
        kind: 'accepted',
        clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
        venueOrderId: '4293153',
        ts: 1499405658657,
      },
    ]);
  },
  'legacy_uds_list_status_raw.json': (j) => {
    const e = event(j);
    assert.equal(e.e, 'listStatus');
    if (e.e === 'listStatus') assert.equal(e.C, 'F4QN4G8DlFATFlIUQ0cjdD');
  },
  'legacy_uds_outbound_account_position_raw.json': (j) => {
    const e = event(j);
    assert.equal(e.e, 'outboundAccountPosition');
  },
  'market_order_expired_response.json': (j) => {
    const r = parsed(newOrderResponseSchema, j);
    assert.equal(responseType(r), 'FULL');
    const reports = must(mapNewOrderResponse(r, INST.LTCBNB!));
    assert.deepEqual(
      reports.map((x) => x.kind),
      ['accepted', 'fill', 'fill', 'expired'],
    );
    assert.deepEqual(reports[1], {
      kind: 'fill',
      clientOrderId: '8LGC97RRgNPVQk979VIhjt',
      tradeId: 'LTCBNB:7:32',
      price: 1e8,
      quantity: 2e8,
      fee: E18 / 1000n,
      feeCurrency: 'BNB',
      liquidity: 'taker',
      ts: 1719467634105,
    });
  },
  'market_order_expired_user_data_events.json': (j) => {
    assert.ok(Array.isArray(j));
    const reports: VenueReport[] = [];
    for (const raw of j) {
      const e = event(raw);
      if (e.e === 'executionReport') reports.push(...must(mapExecutionReport(e, INST.LTCBNB!)));
      else if (e.e === 'outboundAccountPosition') {
        const b = must(mapAccountPosition(e));
        assert.deepEqual(b[0], { asset: 'LTC', free: 301111745670n * 10n ** 10n, locked: 0n });
      }
    }
    assert.deepEqual(
      reports.map((r) => r.kind),
      ['accepted', 'fill', 'fill', 'expired'],
    );
    // The stream's fills carry the same ids as the REST FULL response's, so Ordo de-duplicates them.
    const rest = must(
      mapNewOrderResponse(
        parsed(
          newOrderResponseSchema,
          JSON.parse(readFileSync(join(DIR, 'market_order_expired_response.json'), 'utf8')),
        ),
        INST.LTCBNB!,
      ),
    );
    const ids = (rs: readonly VenueReport[]) => rs.flatMap((r) => (r.kind === 'fill' ? [r.tradeId] : []));
    assert.deepEqual(ids(reports), ids(rest));
    const fills = reports.filter((r) => r.kind === 'fill');
    assert.deepEqual(
      fills.map((f) => (f.kind === 'fill' ? [f.quantity, f.price, f.fee, f.feeCurrency, f.liquidity] : [])),
      [
        [2e8, 1e8, E18 / 1000n, 'BNB', 'taker'],
        [2e8, 1e8, E18 / 1000n, 'BNB', 'taker'],
      ],
    );
  },
  'new_order_ack.json': (j) => {
    const r = parsed(newOrderResponseSchema, j);
    assert.equal(responseType(r), 'ACK');
    assert.deepEqual(must(mapNewOrderResponse(r, INST.BTCUSDT!)), [
      { kind: 'accepted', clientOrderId: '6gCrw2kRUAF9CvJDGP16IP', venueOrderId: '28', ts: 1507725176595 },
    ]);
  },
  // This file, documented as the FULL response, holds a 24hr ticker (priceChange, lastPrice, ...):
  // it is refused as an order response. The FULL shape is tested below from venues.md 2.4.
  'new_order_full.json': (j) => {
    assert.equal(newOrderResponseSchema.safeParse(j).success, false);
    assert.ok(typeof j === 'object' && j !== null && 'priceChangePercent' in j && 'lastPrice' in j);
  },
  'new_order_result.json': (j) => {
    const r = parsed(newOrderResponseSchema, j);
    assert.equal(responseType(r), 'RESULT');
    assert.deepEqual(
      must(mapNewOrderResponse(r, INST.BTCUSDT!)).map((x) => x.kind),
      ['accepted'],
    );
  },
  'open_orders.json': (j) => {
    const [o] = parsed(openOrdersSchema, j);
    const s = must(mapOrderSnapshot(o!, INST.LTCBTC!));
    assert.equal(s.clientOrderId, 'myOrder1');
    assert.equal(s.price, 1e7);
    assert.equal(s.quantity, 1e8);
    assert.equal(s.filled, 0);
    assert.equal(s.stopPrice, undefined);
    assert.equal(s.orderListId, undefined);
    assert.equal(s.working, true);
    assert.equal(s.side, 'buy');
  },
  'orderlist_oco_result.json': (j) => {
    const s = must(mapOrderList(parsed(orderListSchema, j), INST.LTCBTC!));
    assert.equal(s.contingencyType, 'OCO');
    assert.deepEqual(
      s.reports.map((r) => [r.kind, r.clientOrderId]),
      [
        ['accepted', '44nZvqpemY7sVYgPYbvPih'],
        ['accepted', 'NuMp0nVYnciDiFmVqfpBqK'],
      ],
    );
  },
  'orderlist_oto.json': (j) => {
    const s = must(mapOrderList(parsed(orderListSchema, j), INST.LTCBTC!));
    assert.equal(s.contingencyType, 'OTO');
    assert.equal(s.reports.length, 2); // the PENDING_NEW leg exists at the venue: accepted
  },
  'orderlist_otoco.json': (j) => {
    const s = must(mapOrderList(parsed(orderListSchema, j), INST.LTCBTC!));
    assert.equal(s.contingencyType, 'OTO'); // OTOCO reports OTO
    assert.equal(s.orders.length, 3);
    assert.equal(s.reports.length, 3);
  },
  'query_order.json': (j) => {
    const s = must(mapOrderSnapshot(parsed(queryOrderSchema, j), INST.LTCBTC!));
    assert.equal(s.status, 'NEW');
    assert.equal(s.createdMs, 1499827319559);
  },
  'query_order_list.json': (j) => {
    const l = parsed(orderListSchema, j);
    assert.equal(l.orderReports, undefined);
    assert.equal(l.orders.length, 2);
  },
  'server_time.json': (j) => assert.equal(parsed(serverTimeSchema, j).serverTime, 1499827319559),
  'uds_balance_update.json': (j) => {
    const m = must(parseUserDataMessage(j));
    assert.equal(m.subscriptionId, 0);
    assert.equal(m.event?.e, 'balanceUpdate');
  },
  'uds_event_stream_terminated.json': (j) => assert.equal(event(j).e, 'eventStreamTerminated'),
  'uds_execution_report.json': (j) => {
    const m = must(parseUserDataMessage(j));
    assert.equal(m.subscriptionId, 0);
    const ev = execution(j);
    assert.equal(ev.C, '');
    assert.deepEqual(must(mapExecutionReport(ev, INST.ETHBTC!)), [
      {
        kind: 'accepted',
        clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
        venueOrderId: '4293153',
        ts: 1499405658657,
      },
    ]);
  },
  'uds_list_status.json': (j) => {
    const e = event(j);
    assert.equal(e.e, 'listStatus');
    if (e.e === 'listStatus')
      assert.deepEqual(
        e.O.map((o) => o.i),
        ['17', '18'],
      );
  },
  'uds_outbound_account_position.json': (j) => {
    const e = event(j);
    assert.ok(e.e === 'outboundAccountPosition');
    assert.deepEqual(must(mapAccountPosition(e)), [{ asset: 'ETH', free: 10000n * E18, locked: 0n }]);
  },
  'wsapi_order_place_failure.json': (j) => {
    const w = parsed(wsApiResponseSchema, j);
    assert.equal(w.status, 400);
    assert.equal(w.error?.code, -2010);
    assert.equal(w.rateLimits?.length, 3);
    assert.equal(classifyError(w.status, w.error), 'rejected');
  },
  'wsapi_order_place_success.json': (j) => {
    const w = parsed(wsApiResponseSchema, j);
    const r = parsed(newOrderResponseSchema, w.result);
    assert.equal(responseType(r), 'RESULT');
    assert.equal(r.orderId, '12510053279');
  },
  'wsapi_user_data_subscribe_response.json': (j) => {
    const w = parsed(wsApiResponseSchema, j);
    assert.equal(parsed(subscribeResultSchema, w.result).subscriptionId, 0);
  },
};

test('every Binance example file parses with its schema (a file without an entry fails)', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  assert.ok(files.length >= 48, `expected the example set, found ${files.length} files`);
  const missing = files.filter((f) => EXAMPLES[f] === undefined);
  assert.deepEqual(missing, [], 'example files without a parser entry');
  for (const f of files) {
    const json: unknown = JSON.parse(readFileSync(join(DIR, f), 'utf8'));
    try {
      EXAMPLES[f]!(json);
    } catch (e) {
      throw new Error(`${f}: ${(e as Error).message}`);
    }
  }
  const stale = Object.keys(EXAMPLES).filter((k) => !files.includes(k));
  assert.deepEqual(stale, [], 'entries without a file');
});

test('FULL response (venues.md 2.4, documented example): fills with commission as taker fills', () => {
  const full = {
    symbol: 'BTCUSDT',
    orderId: 28,
    orderListId: -1,
    clientOrderId: '6gCrw2kRUAF9CvJDGP16IP',
    transactTime: 1507725176595,
    price: '0.00000000',
    origQty: '10.00000000',
    executedQty: '10.00000000',
    origQuoteOrderQty: '0.000000',
    cummulativeQuoteQty: '10.00000000',
    status: 'FILLED',
    timeInForce: 'GTC',
    type: 'MARKET',
    side: 'SELL',
    workingTime: 1507725176595,
    selfTradePreventionMode: 'NONE',
    fills: [
      {
        price: '4000.00000000',
        qty: '1.00000000',
        commission: '4.00000000',
        commissionAsset: 'USDT',
        tradeId: 56,
      },
      {
        price: '3999.00000000',
        qty: '5.00000000',
        commission: '19.99500000',
        commissionAsset: 'USDT',
        tradeId: 57,
      },
    ],
  };
  const r = parsed(newOrderResponseSchema, full);
  assert.equal(responseType(r), 'FULL');
  const reports = must(mapNewOrderResponse(r, INST.BTCUSDT!));
  assert.deepEqual(reports[2], {
    kind: 'fill',
    clientOrderId: '6gCrw2kRUAF9CvJDGP16IP',
    tradeId: 'BTCUSDT:57:28',
    price: u8('3999'),
    quantity: u8('5'),
    fee: 19_995n * 10n ** 15n,
    feeCurrency: 'USDT',
    liquidity: 'taker',
    ts: 1507725176595,
  });
  assert.equal(reports.length, 3); // FILLED: no terminal report beyond the fills
});

test("ccxt's captured spot responses parse, integers given as strings included", () => {
  const ccxt = JSON.parse(readFileSync('/work/shared/venues/ccxt-static/response/binance.json', 'utf8')) as {
    methods: Record<string, { description: string; httpResponse: unknown }[]>;
  };
  const find = (m: string, d: string) => ccxt.methods[m]!.find((c) => c.description === d)!.httpResponse;
  const created = parsed(newOrderResponseSchema, find('createOrder', 'spot +selfTradePrevention +iceberg'));
  assert.equal(created.orderId, '9780331417');
  const tp = parsed(
    newOrderResponseSchema,
    find('createOrder', 'spot market buy order with trailingPercent and stopLossOrTakeProfit params'),
  );
  assert.ok('trailingDelta' in tp && tp.trailingDelta === 500 && tp.workingTime === -1);
  parsed(queryOrderSchema, find('fetchOrder', 'Fetch spot closed order'));
  parsed(openOrdersSchema, find('fetchOpenOrders', 'Fetch spot open orders'));
  parsed(openOrdersSchema, find('fetchOrders', 'fetch spot orders'));
  const [t] = parsed(myTradesSchema, find('fetchMyTrades', 'Spot private trade'));
  const ltc = docInstrument('LTC', 'USDT');
  const mt = must(mapMyTrade(t!, ltc));
  assert.deepEqual(mt, {
    tradeId: 'LTCUSDT:309520010:3784695242',
    venueTradeId: '309520010',
    venueOrderId: '3784695242',
    side: 'sell',
    price: u8('69.63'),
    quantity: u8('0.2'),
    fee: 13_926n * 10n ** 12n,
    feeCurrency: 'USDT',
    liquidity: 'taker',
    ts: 1698138992358,
  });
  assert.equal(tradeFillReport(mt, 'ordo-9-0').clientOrderId, 'ordo-9-0');
  const acct = parsed(accountSchema, find('fetchBalance', 'Spot balance'));
  assert.equal(acct.uid, 365859102);
  assert.equal(must(mapBalances(acct))[1]!.free, 919741n * 10n ** 12n);
});

const BASE_EXEC = {
  e: 'executionReport',
  E: 1700000000001,
  s: 'BTCUSDT',
  c: 'ordo-5-0',
  S: 'SELL',
  o: 'LIMIT',
  f: 'GTC',
  q: '2.00000000',
  p: '65000.00000000',
  P: '0.00000000',
  F: '0.00000000',
  g: -1,
  C: '',
  x: 'NEW',
  X: 'NEW',
  r: 'NONE',
  i: 99,
  l: '0.00000000',
  z: '0.00000000',
  L: '0.00000000',
  n: '0',
  N: null,
  T: 1700000000000,
  t: -1,
  I: 1,
  w: true,
  m: false,
  M: false,
  O: 1700000000000,
  Z: '0.00000000',
  Y: '0.00000000',
  Q: '0.00000000',
  W: 1700000000000,
  V: 'NONE',
};

function mapped(over: Record<string, unknown>): readonly VenueReport[] {
  const ev = parsed(executionReportSchema, { ...BASE_EXEC, ...over });
  return must(mapExecutionReport(ev, INST.BTCUSDT!));
}

test('executionReport: trade, cancel keyed by C, expiry, STP, rejection, amend and trigger', () => {
  assert.deepEqual(
    mapped({
      x: 'TRADE',
      X: 'PARTIALLY_FILLED',
      l: '0.5',
      L: '65000.01',
      n: '0.00050000',
      N: 'BNB',
      t: 777,
      m: true,
    }),
    [
      {
        kind: 'fill',
        clientOrderId: 'ordo-5-0',
        tradeId: fillId('BTCUSDT', '777', '99'),
        price: u8('65000.01'),
        quantity: u8('0.5'),
        fee: 5n * 10n ** 14n,
        feeCurrency: 'BNB',
        liquidity: 'maker',
        ts: 1700000000000,
      },
    ],
  );
  assert.deepEqual(mapped({ x: 'CANCELED', X: 'CANCELED', c: 'cancel-req-1', C: 'ordo-5-0' }), [
    { kind: 'cancelled', clientOrderId: 'ordo-5-0', reason: 'canceled', ts: 1700000000000 },
  ]);
  // An OCO leg expired by its sibling's fill has no cancel request: C is empty, c is the order.
  assert.deepEqual(mapped({ x: 'EXPIRED', X: 'EXPIRED', eR: 'OCO_TRIGGER' }), [
    { kind: 'expired', clientOrderId: 'ordo-5-0', ts: 1700000000000 },
  ]);
  assert.deepEqual(mapped({ x: 'TRADE_PREVENTION', X: 'EXPIRED_IN_MATCH', v: 3 }), [
    { kind: 'expired', clientOrderId: 'ordo-5-0', ts: 1700000000000 },
  ]);
  assert.deepEqual(mapped({ x: 'TRADE_PREVENTION', X: 'PARTIALLY_FILLED' }), []);
  assert.deepEqual(mapped({ x: 'REJECTED', X: 'REJECTED', r: 'INSUFFICIENT_BALANCES' }), [
    {
      kind: 'rejected',
      clientOrderId: 'ordo-5-0',
      code: 'INSUFFICIENT_BALANCES',
      reason: 'INSUFFICIENT_BALANCES',
      ts: 1700000000000,
    },
  ]);
  assert.deepEqual(mapped({ x: 'REPLACED', X: 'NEW', c: 'ordo-5-1', C: 'ordo-5-0', q: '1.50000000' }), [
    {
      kind: 'modified',
      clientOrderId: 'ordo-5-0',
      quantity: u8('1.5'),
      price: u8('65000'),
      triggerPrice: undefined,
      ts: 1700000000000,
    },
  ]);
  const stop = { o: 'STOP_LOSS_LIMIT', P: '64000.00000000' };
  assert.equal(mapped({ ...stop, w: false })[0]!.kind, 'accepted');
  assert.deepEqual(mapped({ ...stop, w: true }), [
    { kind: 'triggered', clientOrderId: 'ordo-5-0', ts: 1700000000000 },
  ]);
  // A price finer than the instrument is refused, not rounded.
  const coarse = must(
    defineInstrument({ venue: 'binance', symbol: 'BTC/USDT', priceIncrement: '0.01', qtyIncrement: '0.001' }),
  );
  const ev = parsed(executionReportSchema, { ...BASE_EXEC, x: 'TRADE', l: '0.5', L: '65000.001', t: 1 });
  const r = mapExecutionReport(ev, coarse);
  assert.equal(r.ok, false);
});

test('user data: unknown event types are returned, malformed known ones refused', () => {
  const m = must(parseUserDataMessage({ subscriptionId: 3, event: { e: 'somethingNew', E: 1 } }));
  assert.deepEqual(m, { subscriptionId: 3, event: undefined, unknownType: 'somethingNew' });
  assert.equal(parseUserDataMessage({ e: 'executionReport', E: 1 }).ok, false);
  assert.equal(parseUserDataMessage(42).ok, false);
  assert.equal(parseWith(serverTimeSchema, {}, 'time').ok, false);
});

test('error classes: unknown outcome, rate limits, ban, timestamp, auth, not found', () => {
  assert.equal(classifyError(503, undefined), 'unknown');
  assert.equal(classifyError(400, { code: -1007, msg: 'Timeout' }), 'unknown');
  assert.equal(classifyError(418, { code: -1003, msg: 'banned' }), 'banned');
  assert.equal(classifyError(429, undefined), 'rate_limited');
  assert.equal(classifyError(400, { code: -1021, msg: 'x' }), 'timestamp');
  assert.equal(classifyError(401, { code: -2015, msg: 'x' }), 'auth');
  assert.equal(classifyError(400, { code: -2013, msg: 'Order does not exist.' }), 'not_found');
  assert.equal(classifyError(400, { code: -2011, msg: 'Unknown order sent.' }), 'not_found');
  assert.equal(classifyError(400, { code: -1013, msg: 'Filter failure: LOT_SIZE' }), 'rejected');
});

test('public streams: trade and bookTicker lines of a real capture', () => {
  const btc = must(
    defineInstrument({
      venue: 'binance',
      symbol: 'BTC/USDT',
      priceIncrement: '0.01',
      qtyIncrement: '0.00001',
    }),
  );
  const tradeLine =
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
  const frame = parsed(combinedStreamSchema, JSON.parse(tradeLine));
  const tick = must(mapTradeEvent(parsed(tradeEventSchema, frame.data), btc));
  assert.deepEqual(tick, {
    kind: 'trade',
    instrument: 'binance:BTC/USDT',
    ts: 1723161255342,
    price: 6_183_763,
    size: 2000,
    aggressor: 'sell',
    tradeId: '3735683259',
  });
  const book = parsed(
    bookTickerSchema,
    JSON.parse(
      '{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}',
    ),
  );
  assert.deepEqual(must(mapBookTicker(book, btc, 1723161255342)), {
    kind: 'quote',
    instrument: 'binance:BTC/USDT',
    ts: 1723161255342,
    bid: 6_183_763,
    bidSize: 378_826,
    ask: 6_183_764,
    askSize: 154_698,
  });
});
