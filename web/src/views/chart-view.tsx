// Chart: candles of the selected symbol, its working orders as price lines (a trailing stop's
// line moves as the stop tightens) and its fills as markers, with the same lines and fills listed
// in text for keyboard and screen-reader users.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { orderLines, PriceChart } from '../components/price-chart.tsx';
import { clock, readable, toPlot } from '../decimal-text.ts';
import { isOpen } from '../store.ts';
import { Empty, useLive } from '../ui.tsx';

const INTERVALS = ['1s', '1m', '5m'] as const;

export function ChartView({ symbol: wanted }: { symbol: string | undefined }) {
  const { store, live } = useLive();
  const instruments = store.venues.flatMap((v) => (v.instruments ?? []).map((i) => `${v.id}:${i.symbol}`));
  const [key, setKey] = useState<string | undefined>(undefined);
  const [interval, setInterval] = useState<string>('1s');
  const chosen =
    key ?? instruments.find((k) => wanted !== undefined && k.endsWith(`:${wanted}`)) ?? instruments[0];
  const [venue = '', symbol = ''] =
    chosen === undefined ? [] : [chosen.slice(0, chosen.indexOf(':')), chosen.slice(chosen.indexOf(':') + 1)];

  useEffect(() => {
    if (chosen !== undefined) void live.watchCandles(venue, symbol, interval);
  }, [chosen, interval]);

  const quote = chosen === undefined ? undefined : store.quotes.get(chosen);
  // Which lines get labels follows the price only coarsely (in steps of 0.5 %), so the line set
  // is rebuilt when orders change, not on every tick.
  const last = toPlot(quote?.last);
  const bucket = last === undefined || last <= 0 ? 0 : Math.round(Math.log(last) / Math.log(1.005));
  const lines = useMemo(() => {
    const working = [...store.orders.values()].filter(
      (o) => o.venue === venue && o.symbol === symbol && isOpen(o),
    );
    return orderLines(working, quote?.last);
  }, [store.ordersVersion, venue, symbol, bucket]);
  const fills = useMemo(
    () => store.fills.filter((f) => f.venue === venue && f.symbol === symbol),
    [store.fills, venue, symbol],
  );
  if (chosen === undefined) return <Empty>No instruments yet.</Empty>;
  const candles = store.candles.get(chosen) ?? [];
  const listed = lines.filter((l) => l.labelled);

  return (
    <div class="view">
      <h2>Chart</h2>
      <div class="toolbar">
        <label>
          Instrument{' '}
          <select value={chosen} onChange={(e) => setKey((e.target as HTMLSelectElement).value)}>
            {instruments.map((k) => (
              <option key={k} value={k}>
                {k.replace(':', ' · ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Interval{' '}
          <select value={interval} onChange={(e) => setInterval((e.target as HTMLSelectElement).value)}>
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <span class="muted">
          last <span class="num">{readable(quote?.last)}</span>
        </span>
      </div>
      <PriceChart
        candles={candles}
        lines={lines}
        fills={fills}
        label={`${symbol} candles with ${lines.length} order lines and ${fills.length} fills`}
      />
      <div class="columns">
        <section aria-labelledby="lines-h">
          <h3 id="lines-h">Order lines</h3>
          {lines.length === 0 ? (
            <Empty>No working orders on {symbol}.</Empty>
          ) : (
            <ul class="plain" data-testid="chart-lines">
              {listed.map((l) => (
                <li key={l.key} data-line={l.key}>
                  <span class="swatch" style={{ background: l.color }} aria-hidden="true" /> {l.title}{' '}
                  <span class="num">{readable(l.price)}</span>
                </li>
              ))}
              {listed.length < lines.length && (
                <li class="muted">
                  and {lines.length - listed.length} more further from the price (
                  <a href="#/orders">all orders</a>)
                </li>
              )}
            </ul>
          )}
        </section>
        <section aria-labelledby="fills-h">
          <h3 id="fills-h">Fills</h3>
          {fills.length === 0 ? (
            <Empty>No fills on {symbol}.</Empty>
          ) : (
            <ul class="plain" data-testid="chart-fills">
              {fills
                .slice(-20)
                .reverse()
                .map((f) => (
                  <li key={`${f.orderId}:${f.tradeId}`}>
                    {clock(f.ts)} <span class={`side side-${f.side}`}>{f.side}</span>{' '}
                    <span class="num">
                      {readable(f.quantity, 0)} @ {readable(f.price)}
                    </span>{' '}
                    <a href={`#/orders?id=${f.orderId}`}>#{f.orderId}</a>
                  </li>
                ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
