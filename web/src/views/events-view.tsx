// Events: the live stream as it arrives, newest first, filterable by kind and by text (an order
// id, a symbol, an event type). Market messages (trades, candles) are hidden unless asked for:
// a fast feed would bury everything else.

import { useState } from 'preact/hooks';
import type { StreamMessage } from '../api-types.ts';
import { clock } from '../decimal-text.ts';
import type { Arrival } from '../store.ts';
import { Empty, useLive } from '../ui.tsx';

const KINDS = ['order', 'list', 'fill', 'position', 'account', 'trade', 'candle', 'hello', 'reset'] as const;
const SHOWN = 300;

function summary(m: StreamMessage): string {
  switch (m.kind) {
    case 'order':
      return `${m.event.type} #${m.order.id} ${m.order.side} ${m.order.type} ${m.order.filled}/${m.order.quantity} ${m.order.symbol} → ${m.order.status}`;
    case 'list':
      return `${m.event.type} ${m.list.kind} #${m.list.listId} (${m.list.orders.length} orders)`;
    case 'fill':
      return `fill #${m.fill.orderId} ${m.fill.side} ${m.fill.quantity} ${m.fill.symbol} @ ${m.fill.price} fee ${m.fill.fee} ${m.fill.feeCurrency}`;
    case 'position':
      return `position ${m.position.symbol} ${m.position.qty} unrealized ${m.position.unrealized}`;
    case 'account':
      return `account equity ${m.account.equity} ${m.account.currency}`;
    case 'trade':
      return `trade ${m.symbol} ${m.size} @ ${m.price}`;
    case 'candle':
      return `candle ${m.symbol} ${m.interval} o ${m.candle.open} h ${m.candle.high} l ${m.candle.low} c ${m.candle.close}`;
    case 'hello':
      return m.resumedFrom === undefined ? `connected at seq ${m.seq}` : `resumed after seq ${m.resumedFrom}`;
    case 'reset':
      return `reset: ${m.reason}`;
    default:
      return JSON.stringify(m);
  }
}

function timeOf(m: StreamMessage): number | undefined {
  if ('event' in m) return m.event.ts;
  if (m.kind === 'trade') return m.ts;
  if (m.kind === 'account') return m.account.ts;
  return undefined;
}

export function EventsView() {
  const { store } = useLive();
  const [kinds, setKinds] = useState<ReadonlySet<string>>(
    new Set(KINDS.filter((k) => k !== 'trade' && k !== 'candle' && k !== 'position' && k !== 'account')),
  );
  const [text, setText] = useState('');
  const [paused, setPaused] = useState<{ events: Arrival[]; state: Arrival[] } | undefined>(undefined);
  const events = paused?.events ?? store.events;
  const state = paused?.state ?? store.stateEvents;
  const needle = text.trim().toLowerCase();
  const rows: { m: StreamMessage; s: string; n: number }[] = [];
  // Newest first, merging the two rings by arrival.
  let i = events.length - 1;
  let j = state.length - 1;
  while ((i >= 0 || j >= 0) && rows.length < SHOWN) {
    const a = events[i];
    const b = state[j];
    let next: Arrival;
    if (b === undefined || (a !== undefined && a.n > b.n)) {
      next = a as Arrival;
      i--;
    } else {
      next = b;
      j--;
    }
    const m = next.m;
    if (!kinds.has(m.kind)) continue;
    const s = summary(m);
    if (needle !== '' && !s.toLowerCase().includes(needle)) continue;
    rows.push({ m, s, n: next.n });
  }
  const toggle = (k: string) => {
    const next = new Set(kinds);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setKinds(next);
  };
  return (
    <div class="view">
      <h2>Events</h2>
      <div class="toolbar">
        <fieldset class="kinds">
          <legend>Kinds</legend>
          {KINDS.map((k) => (
            <label key={k}>
              <input type="checkbox" checked={kinds.has(k)} onChange={() => toggle(k)} /> {k}
            </label>
          ))}
        </fieldset>
        <label>
          Contains{' '}
          <input
            type="search"
            value={text}
            placeholder="order id, symbol, type…"
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <button
          type="button"
          aria-pressed={paused !== undefined}
          onClick={() =>
            setPaused(
              paused === undefined ? { events: [...store.events], state: [...store.stateEvents] } : undefined,
            )
          }
        >
          {paused === undefined ? 'Pause' : 'Resume'}
        </button>
      </div>
      {rows.length === 0 ? (
        <Empty>No events match.</Empty>
      ) : (
        <ol class="events" data-testid="events" reversed>
          {rows.map(({ m, s, n }) => (
            <li key={n} class={`ev ev-${m.kind}`} data-kind={m.kind}>
              <span class="muted num">{m.seq}</span> <span class="muted">{clock(timeOf(m))}</span>{' '}
              <span class={`badge kind-${m.kind}`}>{m.kind}</span> {s}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
