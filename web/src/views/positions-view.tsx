// Positions per venue and symbol: size, average price, mark, P&L, and whether a working stop order
// on the other side protects it.

import type { OrderView, PositionView } from '../api-types.ts';
import { isOpen } from '../store.ts';
import { Empty, Num, Pnl, useLive } from '../ui.tsx';

/** A position is protected when a working stop-type order on the closing side covers it. */
function protectingStop(p: PositionView, orders: Iterable<OrderView>): OrderView | undefined {
  if (p.side === 'flat') return undefined;
  const closing = p.side === 'long' ? 'sell' : 'buy';
  for (const o of orders) {
    if (o.venue !== p.venue || o.symbol !== p.symbol || o.side !== closing || !isOpen(o)) continue;
    if (o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') return o;
  }
  return undefined;
}

export function PositionsView() {
  const { store } = useLive();
  const positions = [...store.positions.values()];
  return (
    <div class="view">
      <h2>Positions</h2>
      {positions.length === 0 ? (
        <Empty>No positions yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Venue</th>
                <th scope="col">Symbol</th>
                <th scope="col">Side</th>
                <th scope="col" class="r">
                  Quantity
                </th>
                <th scope="col" class="r">
                  Avg price
                </th>
                <th scope="col" class="r">
                  Mark
                </th>
                <th scope="col" class="r">
                  Unrealized
                </th>
                <th scope="col" class="r">
                  Realized
                </th>
                <th scope="col">Protected</th>
              </tr>
            </thead>
            <tbody>
              {positions.map((p) => {
                const stop = protectingStop(p, store.orders.values());
                return (
                  <tr key={p.instrument}>
                    <td>{p.venue}</td>
                    <th scope="row">{p.symbol}</th>
                    <td>{p.side}</td>
                    <td class="r">
                      <Num value={p.qty} keep={0} />
                    </td>
                    <td class="r">
                      <Num value={p.avgPriceTick} />
                    </td>
                    <td class="r">
                      <Num value={p.priceValuation} />
                    </td>
                    <td class="r">
                      <Pnl value={p.unrealized} />
                    </td>
                    <td class="r">
                      <Pnl value={p.realized} />
                    </td>
                    <td>
                      {p.side === 'flat' ? (
                        '—'
                      ) : stop !== undefined ? (
                        <a href={`#/orders?id=${stop.id}`} class="badge ok">
                          yes, #{stop.id}
                        </a>
                      ) : (
                        <span class="badge warn">no stop</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
