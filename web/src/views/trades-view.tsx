// Trade log: round trips (entry to flat) with P&L, fees and duration, links to the orders behind
// each, a filter, and CSV export of exactly the rows shown (the server's own CSV).

import { useState } from 'preact/hooks';
import { clock, duration, readable } from '../decimal-text.ts';
import { Empty, Pnl, useLive } from '../ui.tsx';

export function TradesView() {
  const { store, api } = useLive();
  const [symbol, setSymbol] = useState('');
  const [side, setSide] = useState<'' | 'long' | 'short'>('');
  const [state, setState] = useState<'' | 'closed' | 'open'>('');
  const [error, setError] = useState<string | undefined>(undefined);
  const trips = store.roundTrips
    .filter(
      (t) =>
        (symbol === '' || t.symbol.toLowerCase().includes(symbol.toLowerCase())) &&
        (side === '' || t.side === side) &&
        (state === '' || (state === 'closed') === (t.closedMs !== undefined && t.closedMs !== null)),
    )
    .slice()
    .reverse();

  const exportCsv = async () => {
    const q = new URLSearchParams({ format: 'csv' });
    if (symbol !== '' && store.roundTrips.some((t) => t.symbol === symbol)) q.set('symbol', symbol);
    const r = await api.text(`/v1/round-trips?${q}`);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(undefined);
    const url = URL.createObjectURL(new Blob([r.value], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `ordo-round-trips${symbol === '' ? '' : `-${symbol.replace(/\W+/g, '')}`}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div class="view">
      <h2>Trade log</h2>
      <div class="toolbar">
        <label>
          Symbol{' '}
          <input
            type="search"
            value={symbol}
            placeholder="any"
            onInput={(e) => setSymbol((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Side{' '}
          <select
            value={side}
            onChange={(e) => setSide((e.target as HTMLSelectElement).value as '' | 'long' | 'short')}
          >
            <option value="">any</option>
            <option value="long">long</option>
            <option value="short">short</option>
          </select>
        </label>
        <label>
          State{' '}
          <select
            value={state}
            onChange={(e) => setState((e.target as HTMLSelectElement).value as '' | 'closed' | 'open')}
          >
            <option value="">any</option>
            <option value="closed">closed</option>
            <option value="open">open</option>
          </select>
        </label>
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {error !== undefined && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {trips.length === 0 ? (
        <Empty>No round trips{store.roundTrips.length > 0 ? ' match the filter' : ' yet'}.</Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid="round-trips">
            <caption class="sr-only">Round trips, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Symbol</th>
                <th scope="col">Side</th>
                <th scope="col" class="r">
                  Qty
                </th>
                <th scope="col" class="r">
                  Entry
                </th>
                <th scope="col" class="r">
                  Exit
                </th>
                <th scope="col" class="r">
                  P&L
                </th>
                <th scope="col" class="r">
                  Fees
                </th>
                <th scope="col" class="r">
                  Net
                </th>
                <th scope="col">Opened</th>
                <th scope="col" class="r">
                  Duration
                </th>
                <th scope="col">Orders</th>
              </tr>
            </thead>
            <tbody>
              {trips.map((t) => (
                <tr
                  key={t.id}
                  data-trip-id={t.id}
                  data-closed={t.closedMs !== undefined && t.closedMs !== null}
                >
                  <td>{t.id}</td>
                  <th scope="row">{t.symbol}</th>
                  <td>{t.side}</td>
                  <td class="r num">{readable(t.quantity, 0)}</td>
                  <td class="r num">{readable(t.priceEntryAvg)}</td>
                  <td class="r num">{readable(t.priceExitAvg ?? undefined)}</td>
                  <td class="r">
                    <Pnl value={t.realized} />
                  </td>
                  <td class="r num">{readable(t.feesQuote)}</td>
                  <td class="r">
                    <Pnl value={t.realizedNet} />
                  </td>
                  <td>{clock(t.openedMs)}</td>
                  <td class="r">
                    {t.closedMs === undefined || t.closedMs === null
                      ? 'open'
                      : duration(t.durationMs ?? undefined)}
                  </td>
                  <td>
                    {t.orderIds.map((id, i) => (
                      <span key={id}>
                        {i > 0 && ', '}
                        <a href={`#/orders?id=${id}`} aria-label={`Order ${id}`}>
                          #{id}
                        </a>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
