// The main job on embedded defaults: a paper session on a seeded synthetic market that places
// every order type Ordo has — market, limit, stop, stop-limit, trailing stop, bracket, OCO, OTO,
// scale-in and scale-out — with some advanced orders held natively by the paper venue and others
// emulated by the engine, then returns a readable report. Deterministic: same seed, same report.

import { parseUnits } from '../core/decimal.ts';
import { unwrap } from '../core/errors.ts';
import { syntheticMarket } from '../data/synthetic.ts';
import { AdvancedOrderManager } from '../engine/advanced-order-manager.ts';
import type { OrdoEvent } from '../engine/events.ts';
import {
  defineInstrument,
  FEE_PRESETS,
  formatMoney,
  formatPrice,
  type Instrument,
  MONEY_SCALE,
} from '../model/instrument.ts';
import type { MarketData } from '../model/market.ts';
import { Portfolio } from '../portfolio/index.ts';
import { RiskManager } from '../risk/index.ts';
import { type PaperNative, PaperVenue } from '../venues/paper/paper-venue.ts';

export interface DemoOptions {
  readonly seed: number;
  readonly steps: number;
  /** Which advanced orders the paper venue holds itself; the rest are emulated by Ordo. */
  readonly native: PaperNative;
}

export const DEMO_DEFAULTS: Readonly<DemoOptions> = {
  seed: 9,
  steps: 6000,
  native: { stop: true, stop_limit: true, trailing_stop: false, bracket: false, oco: true, oto: false },
};

export interface DemoResult {
  readonly report: string;
  readonly events: number;
  readonly fills: number;
}

export function runDemo(options: DemoOptions = DEMO_DEFAULTS): DemoResult {
  const btc = unwrap(
    defineInstrument({
      venue: 'paper',
      symbol: 'BTC/USD',
      priceIncrement: '0.01',
      qtyIncrement: '0.0001',
      qtyMin: '0.0001',
      notionalMin: '5',
      ...FEE_PRESETS.binance,
    }),
  );
  const venue = new PaperVenue({
    venue: 'paper',
    instruments: [btc],
    balances: { USD: '100000', BTC: '0' },
    native: options.native,
  });
  const portfolio = new Portfolio({ cash: { paper: { USD: 100_000n * 10n ** 18n } } });
  const risk = new RiskManager({
    orderQtyMax: { default: '5' },
    openOrdersMax: 200,
    priceBandBps: { default: 500 },
  });
  const oms = new AdvancedOrderManager(venue, { instruments: [btc], portfolio, risk });
  let events = 0;
  let fills = 0;
  oms.on((e: OrdoEvent) => {
    events++;
    if (e.type === 'order_filled') fills++;
  });
  const market = unwrap(
    syntheticMarket({
      instrument: btc,
      startPrice: 4_500_000,
      seed: options.seed,
      tickIntervalMs: 250,
      volatilityTicks: 1500,
      spreadTicks: 2,
      sizeLotsMax: 20_000,
      steps: options.steps,
      startMs: Date.UTC(2026, 0, 5),
    }),
  );
  const notes: string[] = [];
  let step = 0;
  let last = 4_500_000;
  for (const md of market) {
    oms.feed(md);
    if (md.kind === 'trade') {
      last = md.price;
      step++;
      if (step === 20) placeEverything(oms, btc, last, notes);
      if (step % 500 === 0) portfolio.equitySample(md.ts);
    }
    portfolio.mark(btc.key, lastPrice(md, last), md.ts);
  }
  // End of session: cancel what still works and flatten, so the round trip closes.
  for (const o of oms.getActiveOrders()) oms.cancelOrder(o.id);
  const qty = portfolio.position(btc.key)?.qty;
  if (qty !== undefined && qty !== '0.0000') {
    const sell = !qty.startsWith('-');
    const r = oms.placeOrder({
      symbol: 'BTC/USD',
      side: sell ? 'sell' : 'buy',
      type: 'market',
      quantity: sell ? qty : qty.slice(1),
    });
    notes.push(
      `${r.ok ? 'placed  ' : 'refused '} flatten ${qty} at the end${r.ok ? '' : `: ${r.error.message}`}`,
    );
  }
  return { report: report(oms, portfolio, btc, notes, options), events, fills };
}

function lastPrice(md: MarketData, fallback: number): number {
  return md.kind === 'trade' ? md.price : fallback;
}

function placeEverything(oms: AdvancedOrderManager, btc: Instrument, price: number, notes: string[]): void {
  const p = (dollars: number) => formatPrice(btc, price + dollars * 100);
  const sym = { symbol: 'BTC/USD' } as const;
  const steps: [string, () => { ok: boolean; error?: { message: string } }][] = [
    ['market buy 0.5', () => oms.placeOrder({ ...sym, side: 'buy', type: 'market', quantity: '0.5' })],
    [
      'limit buy 0.2, 150 below',
      () => oms.placeOrder({ ...sym, side: 'buy', type: 'limit', quantity: '0.2', price: p(-150) }),
    ],
    [
      'stop buy 0.1, 200 above',
      () => oms.placeOrder({ ...sym, side: 'buy', type: 'stop', quantity: '0.1', triggerPrice: p(200) }),
    ],
    [
      'stop-limit sell 0.1, trigger 250 below',
      () =>
        oms.placeOrder({
          ...sym,
          side: 'sell',
          type: 'stop_limit',
          quantity: '0.1',
          triggerPrice: p(-250),
          price: p(-260),
        }),
    ],
    [
      'trailing stop sell 0.2, 0.5 %',
      () =>
        oms.placeTrailingStop({
          ...sym,
          side: 'sell',
          quantity: '0.2',
          offsetType: 'percent',
          offset: '0.5',
        }),
    ],
    [
      'bracket buy 0.3, entry 50 below, TP +1 %, SL -0.5 %',
      () =>
        oms.placeBracketOrder({
          ...sym,
          side: 'buy',
          quantity: '0.3',
          entry: { type: 'limit', price: p(-50) },
          takeProfit: { percent: '1' },
          stopLoss: { percent: '0.5' },
        }),
    ],
    [
      'OCO sell 0.1: limit 300 above / stop 300 below',
      () =>
        oms.placeOcoOrder({
          ...sym,
          side: 'sell',
          quantity: '0.1',
          legs: [
            { type: 'limit', price: p(300) },
            { type: 'stop', triggerPrice: p(-300) },
          ],
        }),
    ],
    [
      'OTO: buy 0.1 limit 100 below, then sell 0.1 limit 100 above',
      () =>
        oms.placeOtoOrder({
          parent: { ...sym, side: 'buy', type: 'limit', quantity: '0.1', price: p(-100) },
          children: [{ ...sym, side: 'sell', type: 'limit', quantity: '0.1', price: p(100) }],
        }),
    ],
    [
      'scale-in buy 0.4 in 4 levels stepping 60',
      () =>
        oms.placeScaleOrder({
          ...sym,
          side: 'buy',
          totalQuantity: '0.4',
          levels: 4,
          startPrice: p(-200),
          step: '60',
        }),
    ],
    [
      'scale-out sell 0.2 in 4 levels stepping 80',
      () =>
        oms.placeScaleOrder({
          ...sym,
          side: 'sell',
          totalQuantity: '0.2',
          levels: 4,
          startPrice: p(150),
          step: '80',
        }),
    ],
  ];
  for (const [label, place] of steps) {
    const r = place();
    notes.push(`${r.ok ? 'placed  ' : 'refused '} ${label}${r.ok ? '' : `: ${r.error?.message}`}`);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function report(
  oms: AdvancedOrderManager,
  portfolio: Portfolio,
  btc: Instrument,
  notes: string[],
  o: DemoOptions,
): string {
  const orders = oms.getOrders();
  const rows = [
    [
      'id',
      'list',
      'type',
      'role',
      'side',
      'route',
      'status',
      'qty',
      'filled',
      'price',
      'trigger/stop',
      'avg fill',
    ],
  ];
  for (const v of orders)
    rows.push([
      String(v.id),
      v.listId === undefined ? '' : String(v.listId),
      v.type,
      v.role,
      v.side,
      v.route,
      v.status,
      v.quantity,
      v.filled,
      v.price ?? '',
      v.stopPrice ?? v.triggerPrice ?? '',
      v.averageFillPrice === undefined ? '' : shortAverage(v.averageFillPrice),
    ]);
  const pos = portfolio.position(btc.key);
  const trips = portfolio.roundTrips();
  const lines = [
    `Ordo paper session — synthetic BTC/USD, seed ${o.seed}, ${o.steps} steps`,
    `venue holds natively: ${
      Object.entries(o.native)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(', ') || 'nothing'
    }; Ordo emulates the rest`,
    '',
    'Placed:',
    ...notes.map((n) => `  ${n}`),
    '',
    'Orders:',
    table(rows),
    '',
    'Position:',
    pos === undefined
      ? '  flat'
      : `  BTC/USD ${pos.side} ${pos.qty} avg ${pos.avgPriceTick ?? '-'}  realized ${cents(pos.realized)}  unrealized ${cents(pos.unrealized)}`,
    '',
    `Cash: ${portfolio
      .cashAll()
      .map((c) => `${c.currency} ${cents(c.amount)}`)
      .join(', ')}`,
    `Fees paid: USD ${formatMoney(portfolio.feesPaid('USD'), 2)}`,
    `Equity: USD ${formatMoney(portfolio.equity('USD'), 2)}`,
    `Round trips closed: ${trips.length}, net P&L USD ${formatMoney(
      trips.reduce((a, t) => a + (parseUnits(t.realizedNet, MONEY_SCALE) ?? 0n), 0n),
      2,
    )}`,
  ];
  return lines.join('\n');
}

function cents(text: string): string {
  return formatMoney(parseUnits(text, MONEY_SCALE) ?? 0n, 2);
}

/** An average shown to the cent when it is exact there, with its extra places otherwise. */
function shortAverage(text: string): string {
  const [i, f = ''] = text.split('.');
  const frac = f.replace(/0+$/, '').padEnd(2, '0');
  return `${i}.${frac}`;
}
