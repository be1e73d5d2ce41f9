// Small shared pieces of the dashboard's UI: badges, figures, empty states and the context that
// hands every view the API client, the store and the live connection.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client.ts';
import type { Route } from './api-types.ts';
import { pnlClass, readable } from './decimal-text.ts';
import type { Live } from './live.ts';
import type { Store } from './store.ts';
import { useStore } from './use-store.ts';

export interface Session {
  readonly api: ApiClient;
  readonly store: Store;
  readonly live: Live;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error('useSession outside a session');
  return s;
}

/** The session, re-rendering the caller whenever the store changes. */
export function useLive(): Session {
  const s = useSession();
  useStore(s.store);
  return s;
}

export function RouteBadge({ route }: { route: Route }) {
  return (
    <span
      class={`badge route-${route}`}
      title={route === 'native' ? 'held by the venue' : 'held and triggered by Ordo'}
    >
      {route}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status status-${status}`}>{status.replace(/_/g, ' ')}</span>;
}

/** A P&L figure, coloured by sign (and signed in text, so colour is never the only cue). */
export function Pnl({ value, keep = 2 }: { value: string | undefined; keep?: number }) {
  const text = readable(value, keep);
  const signed =
    value !== undefined && !value.startsWith('-') && pnlClass(value) === 'pos' ? `+${text}` : text;
  return <span class={`num ${pnlClass(value)}`}>{signed}</span>;
}

export function Num({ value, keep = 2 }: { value: string | undefined | null; keep?: number }) {
  return <span class="num">{readable(value ?? undefined, keep)}</span>;
}

export function Empty({ children }: { children: preact.ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Card({
  label,
  children,
  id,
}: {
  label: string;
  children: preact.ComponentChildren;
  id?: string;
}) {
  return (
    <section class="card" aria-labelledby={id}>
      <h3 id={id}>{label}</h3>
      <div class="card-value">{children}</div>
    </section>
  );
}
