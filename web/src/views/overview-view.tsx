// Overview: equity and its curve, cash, P&L today and in total, exposure per asset across venues,
// and the venues' connection state.

import { EquityChart } from '../components/equity-chart.tsx';
import { addDecimals, readable } from '../decimal-text.ts';
import { Card, Empty, Num, Pnl, useLive } from '../ui.tsx';

export function OverviewView() {
  const { store } = useLive();
  const a = store.account;
  const cur = a?.currency ?? store.equityCurrency;
  const pnlToday = a === undefined ? undefined : addDecimals([a.realizedToday, a.unrealized]);
  const pnlTotal = a === undefined ? undefined : addDecimals([a.realizedTotal, a.unrealized]);
  return (
    <div class="view">
      <h2>Overview</h2>
      <div class="cards">
        <Card label={`Equity (${cur})`} id="c-equity">
          <Num value={a?.equity} />
        </Card>
        <Card label="P&L today" id="c-pnl-today">
          <Pnl value={pnlToday} />
          <small>
            realized <Pnl value={a?.realizedToday} /> · fees {readable(a?.feesToday)}
          </small>
        </Card>
        <Card label="P&L total" id="c-pnl-total">
          <Pnl value={pnlTotal} />
          <small>
            realized <Pnl value={a?.realizedTotal} /> · unrealized <Pnl value={a?.unrealized} />
          </small>
        </Card>
        <Card label="Cash" id="c-cash">
          {a === undefined || a.cash.length === 0 ? (
            '—'
          ) : (
            <ul class="plain">
              {a.cash.map((c) => (
                <li key={`${c.venue}:${c.currency}`}>
                  <Num value={c.amount} /> {c.currency} <small>{c.venue}</small>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <section aria-labelledby="equity-h">
        <h3 id="equity-h">Equity curve</h3>
        {store.equity.length === 0 ? (
          <Empty>No equity points yet.</Empty>
        ) : (
          <EquityChart points={store.equity} label={`Equity curve, ${store.equity.length} points`} />
        )}
      </section>

      <div class="columns">
        <section aria-labelledby="exposure-h">
          <h3 id="exposure-h">Exposure per asset</h3>
          {a === undefined || a.exposure.length === 0 ? (
            <Empty>No exposure.</Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Asset</th>
                    <th scope="col" class="r">
                      Quantity
                    </th>
                    <th scope="col">By venue</th>
                  </tr>
                </thead>
                <tbody>
                  {a.exposure.map((x) => (
                    <tr key={x.asset}>
                      <th scope="row">{x.asset}</th>
                      <td class="r">
                        <Num value={x.quantity} keep={0} />
                      </td>
                      <td>{x.venues.map((v) => `${v.venue} ${readable(v.quantity, 0)}`).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="venues-h">
          <h3 id="venues-h">Venues</h3>
          {store.venues.length === 0 ? (
            <Empty>No venues.</Empty>
          ) : (
            <ul class="plain venues">
              {store.venues.map((v) => (
                <li key={v.id}>
                  <span class={`dot ${v.connected ? 'ok' : 'bad'}`} aria-hidden="true" />
                  <strong>{v.id}</strong> {v.connected ? 'connected' : 'disconnected'}
                  {v.feed !== undefined && (
                    <small>
                      {' '}
                      · feed {v.feed.name} {v.feed.connected ? 'delivering' : 'stalled'}
                    </small>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p>
            Stream: <strong data-testid="stream-state">{store.connection}</strong>, last sequence{' '}
            {store.lastSeq}
          </p>
        </section>
      </div>
    </div>
  );
}
