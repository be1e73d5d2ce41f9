// The candlestick chart (lightweight-charts): candles of one symbol, every working order as a
// horizontal price line (a trailing stop's line follows its current stop as it tightens), and
// fills as markers at their price. The canvas says nothing to a screen reader, so the same lines
// and markers are listed in text beside it.

import {
  type AutoscaleInfo,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineStyle,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';
import type { Candle, FillRecord, OrderView } from '../api-types.ts';
import { readable, toPlot } from '../decimal-text.ts';
import { chartTheme } from './chart-theme.ts';

export interface ChartLine {
  /** Stable key: order id and which of its prices. */
  readonly key: string;
  readonly price: string;
  readonly title: string;
  readonly color: string;
  readonly dashed: boolean;
  /** Drawn with its title and price on the axis (only the lines nearest the price: see below). */
  readonly labelled: boolean;
}

/**
 * Axis labels cost the chart far more than lines (a thousand labelled lines draw at a few frames
 * a second), and past a few dozen they overlap into noise anyway: only the lines nearest the
 * last price get one. The text list beside the chart names every line.
 */
export const LABELLED_LINES_MAX = 24;

/** The price lines for working orders: limit price, trigger, or a trailing stop's current stop. */
export function orderLines(orders: readonly OrderView[], last: string | undefined): ChartLine[] {
  const lines: Omit<ChartLine, 'labelled'>[] = [];
  for (const o of orders) {
    const label = roleLabel(o);
    const color = o.role === 'take_profit' ? '#2fbf71' : o.role === 'stop_loss' ? '#ef5350' : '#4f8cff';
    const stop = o.stopPrice ?? o.triggerPrice;
    if (stop !== undefined && o.status !== 'triggered')
      lines.push({
        key: `${o.id}:stop`,
        price: stop,
        title: label.endsWith('stop') ? label : `${label} stop`,
        color,
        dashed: true,
      });
    if (o.price !== undefined && (o.type === 'limit' || o.type === 'stop_limit' || o.status === 'triggered'))
      lines.push({ key: `${o.id}:limit`, price: o.price, title: label, color, dashed: false });
  }
  if (lines.length <= LABELLED_LINES_MAX) return lines.map((l) => ({ ...l, labelled: true }));
  const ref = toPlot(last) ?? 0;
  const nearest = new Set(
    lines
      .map((l) => ({ key: l.key, d: Math.abs((toPlot(l.price) ?? 0) - ref) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, LABELLED_LINES_MAX)
      .map((x) => x.key),
  );
  return lines.map((l) => ({ ...l, labelled: nearest.has(l.key) }));
}

function roleLabel(o: OrderView): string {
  const role =
    o.role === 'take_profit'
      ? 'TP'
      : o.role === 'stop_loss'
        ? 'SL'
        : o.role === 'entry'
          ? 'entry'
          : o.type.replace('_', ' ');
  return `#${o.id} ${role}`;
}

function seconds(ms: number): UTCTimestamp {
  return Math.floor(ms / 1000) as UTCTimestamp;
}

/** Candles for the chart: one per distinct second, in time order (the library's requirement). */
function candleData(candles: readonly Candle[]) {
  const out: { time: UTCTimestamp; open: number; high: number; low: number; close: number }[] = [];
  for (const c of candles) {
    const time = seconds(c.ts);
    const bar = {
      time,
      open: toPlot(c.open) ?? 0,
      high: toPlot(c.high) ?? 0,
      low: toPlot(c.low) ?? 0,
      close: toPlot(c.close) ?? 0,
    };
    const last = out[out.length - 1];
    if (last !== undefined && last.time === time) out[out.length - 1] = bar;
    else if (last === undefined || time > last.time) out.push(bar);
  }
  return out;
}

/** Fill markers, each placed on the candle that holds its time. */
function fillMarkers(fills: readonly FillRecord[], candles: readonly Candle[]): SeriesMarker<Time>[] {
  if (candles.length === 0) return [];
  const times = candles.map((c) => seconds(c.ts));
  const first = times[0] ?? 0;
  return fills
    .map((f): SeriesMarker<Time> => {
      const t = seconds(f.ts);
      // The last candle that opened at or before the fill (a fill before the first candle sits on it).
      let lo = 0;
      let hi = times.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((times[mid] ?? 0) <= t) lo = mid;
        else hi = mid - 1;
      }
      return {
        time: (t < first ? first : (times[lo] ?? first)) as UTCTimestamp,
        position: 'atPriceMiddle',
        price: toPlot(f.price) ?? 0,
        shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: f.side === 'buy' ? '#2fbf71' : '#ef5350',
        text: `${f.side} ${readable(f.quantity, 0)}`,
        id: `${f.orderId}:${f.tradeId}`,
      };
    })
    .sort((a, b) => (a.time as number) - (b.time as number));
}

/** Labelled lines are bold (dashed for stops); the rest thin and solid, which canvas draws fastest. */
function lineLook(l: ChartLine) {
  return {
    lineWidth: (l.labelled ? 2 : 1) as 1 | 2,
    lineStyle: l.dashed && l.labelled ? LineStyle.Dashed : LineStyle.Solid,
    axisLabelVisible: l.labelled,
    title: l.labelled ? l.title : '',
  };
}

interface Props {
  readonly candles: readonly Candle[];
  readonly lines: readonly ChartLine[];
  readonly fills: readonly FillRecord[];
  readonly label: string;
}

interface ChartHandles {
  chart: IChartApi;
  series: ISeriesApi<'Candlestick'>;
  markers: ISeriesMarkersPluginApi<Time>;
  lines: Map<string, { line: IPriceLine; price: string; labelled: boolean }>;
  /** The lowest and highest order line, kept so autoscaling costs nothing per frame. */
  span: { min: number; max: number } | undefined;
  candleCount: number;
}

/** The chart's internals, for the browser tests: what the library itself holds, not our props. */
declare global {
  interface Window {
    __ordoChart?: {
      priceLines: () => { title: string; price: number }[];
      markers: () => { text: string; price: number | undefined }[];
      bars: () => number;
    };
  }
}

export function PriceChart({ candles, lines, fills, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const h = useRef<ChartHandles | undefined>(undefined);

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const theme = chartTheme();
    const chart = createChart(el, {
      autoSize: true,
      layout: theme.layout,
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      timeScale: { timeVisible: true, secondsVisible: true, borderColor: theme.grid },
      rightPriceScale: { borderColor: theme.grid },
    });
    const series = chart.addSeries(CandlestickSeries, {
      upColor: theme.pos,
      downColor: theme.neg,
      wickUpColor: theme.pos,
      wickDownColor: theme.neg,
      borderVisible: false,
      // Keep every working order in view: the price range always reaches the order lines.
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null): AutoscaleInfo | null => {
        const info = original();
        const span = h.current?.span;
        if (info === null || info.priceRange === null || span === undefined) return info;
        return {
          ...info,
          priceRange: {
            minValue: Math.min(info.priceRange.minValue, span.min),
            maxValue: Math.max(info.priceRange.maxValue, span.max),
          },
        };
      },
    });
    const markers = createSeriesMarkers(series, []);
    h.current = { chart, series, markers, lines: new Map(), span: undefined, candleCount: 0 };
    window.__ordoChart = {
      priceLines: () =>
        series.priceLines().map((l) => ({ title: l.options().title, price: l.options().price })),
      markers: () =>
        markers.markers().map((m) => ({ text: m.text ?? '', price: 'price' in m ? m.price : undefined })),
      bars: () => series.data().length,
    };
    return () => {
      window.__ordoChart = undefined;
      chart.remove();
      h.current = undefined;
    };
  }, []);

  useEffect(() => {
    const c = h.current;
    if (c === undefined) return;
    const data = candleData(candles);
    // Appending (or redrawing the last bar) is far cheaper than replacing the series.
    const last = data[data.length - 1];
    if (
      last !== undefined &&
      c.candleCount > 0 &&
      data.length - c.candleCount <= 1 &&
      data.length >= c.candleCount
    )
      c.series.update(last);
    else c.series.setData(data);
    c.candleCount = data.length;
  }, [candles, candles.length, candles[candles.length - 1]]);

  useEffect(() => {
    const c = h.current;
    if (c === undefined) return;
    const seen = new Set<string>();
    let changed = false;
    for (const l of lines) {
      seen.add(l.key);
      const price = toPlot(l.price) ?? 0;
      const have = c.lines.get(l.key);
      if (have === undefined) {
        const line = c.series.createPriceLine({
          price,
          color: l.color,
          ...lineLook(l),
        });
        c.lines.set(l.key, { line, price: l.price, labelled: l.labelled });
        changed = true;
      } else {
        if (have.price !== l.price) {
          have.line.applyOptions({ price });
          have.price = l.price;
          changed = true;
        }
        if (have.labelled !== l.labelled) {
          have.line.applyOptions(lineLook(l));
          have.labelled = l.labelled;
        }
      }
    }
    for (const [key, have] of c.lines) {
      if (seen.has(key)) continue;
      c.series.removePriceLine(have.line);
      c.lines.delete(key);
      changed = true;
    }
    if (!changed) return;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const l of c.lines.values()) {
      const p = toPlot(l.price) ?? 0;
      if (p < min) min = p;
      if (p > max) max = p;
    }
    c.span = c.lines.size === 0 ? undefined : { min, max };
    // Re-fit the price scale so lines outside the candles' range come into view.
    c.chart.priceScale('right').applyOptions({ autoScale: true });
  }, [lines]);

  useEffect(() => {
    h.current?.markers.setMarkers(fillMarkers(fills, candles));
  }, [fills, candles.length]);

  return <div ref={host} class="chart" role="img" aria-label={label} />;
}
