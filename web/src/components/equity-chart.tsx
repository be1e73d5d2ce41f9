// The equity curve on the overview: a line of equity over time (lightweight-charts).

import {
  createChart,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';
import type { EquityPoint } from '../api-types.ts';
import { toPlot } from '../decimal-text.ts';
import { chartTheme } from './chart-theme.ts';

export function EquityChart({ points, label }: { points: readonly EquityPoint[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const h = useRef<{ chart: IChartApi; series: ISeriesApi<'Line'> } | undefined>(undefined);

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const theme = chartTheme();
    const chart = createChart(el, {
      autoSize: true,
      layout: theme.layout,
      grid: { vertLines: { visible: false }, horzLines: { color: theme.grid } },
      timeScale: { timeVisible: true, secondsVisible: true, borderColor: theme.grid },
      rightPriceScale: { borderColor: theme.grid },
    });
    const series = chart.addSeries(LineSeries, { color: theme.accent, lineWidth: 2 });
    h.current = { chart, series };
    return () => {
      chart.remove();
      h.current = undefined;
    };
  }, []);

  useEffect(() => {
    const c = h.current;
    if (c === undefined) return;
    const data: { time: UTCTimestamp; value: number }[] = [];
    for (const p of points) {
      const time = Math.floor(p.ts / 1000) as UTCTimestamp;
      const value = toPlot(p.equity) ?? 0;
      const last = data[data.length - 1];
      if (last !== undefined && last.time === time) last.value = value;
      else if (last === undefined || time > last.time) data.push({ time, value });
    }
    c.series.setData(data);
  }, [points, points.length]);

  return <div ref={host} class="chart chart-small" role="img" aria-label={label} />;
}
