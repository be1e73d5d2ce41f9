// The backtest's HTML report: one self-contained file that opens offline — the summary, an equity
// curve, the price as candles with every fill marked on it, and the round trips. The charting
// library (TradingView lightweight-charts, standalone build) is read from node_modules and inlined,
// and the data is embedded as JSON; nothing is fetched when the page opens.
//
// Charts need floats and seconds: prices and equity become numbers here, at the presentation edge;
// the summary's money figures are the exact decimal strings of statistics.ts.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { formatUnits, parseUnits } from '../../core/decimal.ts';
import { formatMoney, formatPrice, MONEY_SCALE } from '../../model/instrument.ts';
import type { BacktestResult, Candle } from './backtest-runner.ts';
import { statisticsJson } from './statistics.ts';

/** The package exports only its ES modules; the standalone build is found beside its package.json. */
const CHART_SCRIPT = 'dist/lightweight-charts.standalone.production.js';
/** Rows of the round-trip table at most; the journal and the CSV export have them all. */
const TRIPS_SHOWN_MAX = 500;

let chartLibrary: string | undefined;

/** The standalone charting library's source, read once. */
function chartScript(): string {
  if (chartLibrary === undefined) {
    const pkg = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
    const path = join(dirname(pkg), CHART_SCRIPT);
    // A `</script` inside would end the inline script early; the build has none, but be sure.
    chartLibrary = readFileSync(path, 'utf8').replaceAll('</script', '<\\/script');
  }
  return chartLibrary;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that is safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const iso = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toISOString());

/** The candle a time falls in (the last one starting at or before it), in chart seconds. */
function candleTime(candles: readonly Candle[], ms: number): number | undefined {
  let lo = 0;
  let hi = candles.length - 1;
  let found: Candle | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = candles[mid] as Candle;
    if (c.ts <= ms) {
      found = c;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // A fill before the first candle (none in practice: candles start with the data) goes on the first.
  const at = found ?? candles[0];
  return at === undefined ? undefined : Math.floor(at.ts / 1000);
}

export function renderReport(r: BacktestResult): string {
  const inst = r.instrument;
  const s = statisticsJson(r.statistics);
  const price = (units: number) => Number(formatPrice(inst, units));
  const candles = r.candles.map((c) => ({
    time: Math.floor(c.ts / 1000),
    open: price(c.open),
    high: price(c.high),
    low: price(c.low),
    close: price(c.close),
  }));
  const equityBySecond = new Map<number, number>();
  for (const p of r.equity)
    equityBySecond.set(Math.floor(p.ts / 1000), Number(formatUnits(p.equity, MONEY_SCALE)));
  const equity = [...equityBySecond].map(([time, value]) => ({ time, value }));
  const groups = fillGroups(r);
  const markers = groups.map((g) => ({
    time: g.time,
    position: g.side === 'buy' ? 'belowBar' : 'aboveBar',
    shape: g.side === 'buy' ? 'arrowUp' : 'arrowDown',
    color: g.side === 'buy' ? '#1a7f37' : '#cf222e',
    text: `${g.side} ${g.quantity} @ ${g.low === g.high ? g.low : `${g.low}–${g.high}`}`,
  }));
  const st = r.statistics;
  const money = (units: bigint) => formatMoney(units, 2);
  const rows: [string, string][] = [
    ['Strategy', r.strategy],
    ['Data', `${basename(r.dataPath)} (${r.format}), ${r.items.toLocaleString('en')} items`],
    ['Period', `${iso(r.firstMs)} → ${iso(r.lastMs)}`],
    ['Instrument', `${inst.symbol} (tick ${formatPrice(inst, Number(inst.priceIncrement))})`],
    ['Net P&L', `${money(st.netPnl)} ${s.currency}`],
    ['Realized P&L (before fees)', `${money(st.realizedPnl)} ${s.currency}`],
    ['Fees', `${money(st.fees)} ${s.currency}`],
    ['Equity start → end', `${money(st.equityStart)} → ${money(st.equityEnd)} ${s.currency}`],
    ['Max drawdown', `${money(st.maxDrawdown)} ${s.currency} (${Number(s.maxDrawdownPercent).toFixed(3)} %)`],
    [
      'Win rate',
      s.winRatePercent === null
        ? '— (no closed trade)'
        : `${Number(s.winRatePercent).toFixed(1)} % (${s.wins} of ${s.roundTrips})`,
    ],
    ['Sharpe (annualised)', s.sharpe === null ? '—' : Number(s.sharpe).toFixed(2)],
    ['Trades', `${s.roundTrips} round trips, ${s.fills} fills, ${s.orders} orders`],
    ['Journal', r.journalPath],
  ];
  const trips = r.roundTrips.slice(0, TRIPS_SHOWN_MAX);
  const tripRows = trips
    .map(
      (t) =>
        `<tr><td>${t.id}</td><td>${t.side}</td><td>${escapeHtml(t.quantity)}</td><td>${escapeHtml(t.priceEntryAvg)}</td><td>${escapeHtml(t.priceExitAvg ?? '')}</td><td class="${t.realizedNet.startsWith('-') ? 'neg' : 'pos'}">${escapeHtml(t.realizedNet)}</td><td>${iso(t.openedMs)}</td><td>${iso(t.closedMs)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ordo backtest — ${escapeHtml(r.strategy)} on ${escapeHtml(inst.symbol)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2328; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
  table { border-collapse: collapse; } td, th { padding: 3px 10px; border-bottom: 1px solid #d0d7de; text-align: left; }
  .summary td:first-child { color: #57606a; } .pos { color: #1a7f37; } .neg { color: #cf222e; }
  .chart { width: 100%; height: 360px; }
  .notes { color: #57606a; }
</style>
</head>
<body>
<h1>Backtest: ${escapeHtml(r.strategy)} on ${escapeHtml(inst.symbol)}</h1>
<table class="summary">
${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</table>
${r.notes.length === 0 ? '' : `<p class="notes">${r.notes.map(escapeHtml).join('<br>')}</p>`}
<h2>Equity (${escapeHtml(s.currency as string)})</h2>
<div id="equity" class="chart"></div>
<h2>Price and fills</h2>
<div id="price" class="chart"></div>
<h2>Round trips${r.roundTrips.length > trips.length ? ` (first ${trips.length} of ${r.roundTrips.length})` : ''}</h2>
<table>
<tr><th>#</th><th>side</th><th>quantity</th><th>entry</th><th>exit</th><th>realized net</th><th>opened</th><th>closed</th></tr>
${tripRows}
</table>
<script type="application/json" id="report-data">${scriptJson({ summary: s, candles, equity, markers, fills: groups })}</script>
<script>${chartScript()}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var LW = window.LightweightCharts;
  var options = { autoSize: true, timeScale: { timeVisible: true, secondsVisible: true } };
  var eq = LW.createChart(document.getElementById('equity'), options);
  eq.addSeries(LW.LineSeries, { color: '#0969da', lineWidth: 2 }).setData(data.equity);
  eq.timeScale().fitContent();
  var px = LW.createChart(document.getElementById('price'), options);
  var candles = px.addSeries(LW.CandlestickSeries, {});
  candles.setData(data.candles);
  LW.createSeriesMarkers(candles, data.markers);
  px.timeScale().fitContent();
})();
</script>
</body>
</html>
`;
}

/** The fills of one order in one candle: one marker, however many partial fills it took. */
interface FillGroup {
  readonly time: number;
  readonly orderId: number;
  readonly side: string;
  readonly fills: number;
  /** Total quantity, exact. */
  readonly quantity: string;
  readonly low: string;
  readonly high: string;
}

function fillGroups(r: BacktestResult): FillGroup[] {
  const inst = r.instrument;
  const groups = new Map<
    string,
    { time: number; orderId: number; side: string; fills: number; qty: bigint; low: bigint; high: bigint }
  >();
  for (const f of r.fills) {
    const time = candleTime(r.candles, f.ts);
    if (time === undefined) continue;
    const price = parseUnits(f.price, inst.priceScale) ?? 0n;
    const qty = parseUnits(f.quantity, inst.qtyScale) ?? 0n;
    const key = `${f.orderId}@${time}`;
    const g = groups.get(key);
    if (g === undefined)
      groups.set(key, { time, orderId: f.orderId, side: f.side, fills: 1, qty, low: price, high: price });
    else {
      g.fills++;
      g.qty += qty;
      if (price < g.low) g.low = price;
      if (price > g.high) g.high = price;
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.time - b.time || a.orderId - b.orderId)
    .map((g) => ({
      time: g.time,
      orderId: g.orderId,
      side: g.side,
      fills: g.fills,
      quantity: formatUnits(g.qty, inst.qtyScale),
      low: formatUnits(g.low, inst.priceScale),
      high: formatUnits(g.high, inst.priceScale),
    }));
}
