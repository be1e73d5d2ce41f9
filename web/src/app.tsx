// The dashboard's shell: asks for the API token once (kept in sessionStorage for the browser
// session), then shows the views behind a navigation bar, with the stream's connection state in
// the header. Views are chosen by the location hash (#/orders, #/chart, ...), so the browser's
// back button and links between views (a trade's orders, say) work.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, checkToken, savedToken, saveToken } from './api-client.ts';
import { Live } from './live.ts';
import { Store } from './store.ts';
import { type Session, SessionContext, useLive } from './ui.tsx';
import { useHashRoute } from './use-store.ts';
import { ChartView } from './views/chart-view.tsx';
import { EventsView } from './views/events-view.tsx';
import { OrdersView } from './views/orders-view.tsx';
import { OverviewView } from './views/overview-view.tsx';
import { PositionsView } from './views/positions-view.tsx';
import { TicketView } from './views/ticket-view.tsx';
import { TradesView } from './views/trades-view.tsx';

const VIEWS = [
  { id: 'overview', label: 'Overview' },
  { id: 'positions', label: 'Positions' },
  { id: 'orders', label: 'Orders' },
  { id: 'ticket', label: 'Order ticket' },
  { id: 'chart', label: 'Chart' },
  { id: 'trades', label: 'Trade log' },
  { id: 'events', label: 'Events' },
] as const;

export function App() {
  const [token, setToken] = useState<string | undefined>(savedToken);
  if (token === undefined) return <TokenGate onToken={setToken} />;
  return (
    <Dashboard
      token={token}
      onSignOut={() => {
        saveToken(undefined);
        setToken(undefined);
      }}
    />
  );
}

function TokenGate({ onToken }: { onToken: (t: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = value.trim();
    if (t === '') {
      setError('Enter the token `ordo serve` printed on its first start.');
      return;
    }
    setBusy(true);
    const problem = await checkToken(t);
    setBusy(false);
    if (problem !== undefined) {
      setError(problem);
      return;
    }
    saveToken(t);
    onToken(t);
  };
  return (
    <main class="gate">
      <form onSubmit={submit} class="gate-form" aria-describedby="gate-help">
        <h1>Ordo</h1>
        <p id="gate-help">
          Enter the API token. <code>ordo serve</code> prints it on its first start and keeps it in{' '}
          <code>data/api-token</code>. It is kept for this browser session only.
        </p>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-invalid={error !== undefined}
          aria-errormessage={error !== undefined ? 'token-error' : undefined}
          autofocus
        />
        {error !== undefined && (
          <p id="token-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Open dashboard'}
        </button>
      </form>
    </main>
  );
}

function Dashboard({ token, onSignOut }: { token: string; onSignOut: () => void }) {
  const session = useMemo<Session>(() => {
    const store = new Store();
    const api = new ApiClient(token, '', onSignOut);
    return { api, store, live: new Live(api, store) };
  }, [token]);
  useEffect(() => {
    void session.live.start();
    (window as unknown as { __ordoStore?: Store }).__ordoStore = session.store;
    return () => session.live.stop();
  }, [session]);
  const { view, params } = useHashRoute();
  const current = VIEWS.some((v) => v.id === view) ? view : 'overview';
  useEffect(() => {
    const label = VIEWS.find((v) => v.id === current)?.label ?? '';
    document.title = `${label} · Ordo`;
  }, [current]);
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Ordo</span>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a href={`#/${v.id}`} aria-current={current === v.id ? 'page' : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectionBadge />
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <CurrentView view={current} params={params} />
      </main>
    </SessionContext.Provider>
  );
}

function ConnectionBadge() {
  const { store } = useLive();
  const c = store.connection;
  const text =
    c === 'live'
      ? 'Live'
      : c === 'connecting'
        ? 'Connecting…'
        : c === 'reconnecting'
          ? 'Reconnecting…'
          : 'Offline';
  return (
    <output class={`conn conn-${c}`} aria-live="polite" data-connection={c}>
      {text}
    </output>
  );
}

function CurrentView({ view, params }: { view: string; params: URLSearchParams }) {
  switch (view) {
    case 'positions':
      return <PositionsView />;
    case 'orders':
      return <OrdersView focus={params.get('id') ?? undefined} />;
    case 'ticket':
      return <TicketView />;
    case 'chart':
      return <ChartView symbol={params.get('symbol') ?? undefined} />;
    case 'trades':
      return <TradesView />;
    case 'events':
      return <EventsView />;
    default:
      return <OverviewView />;
  }
}
