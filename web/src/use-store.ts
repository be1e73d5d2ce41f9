// Re-renders a component when the store changes (at most once per animation frame, see store.ts).

import { useEffect, useState } from 'preact/hooks';
import type { Store } from './store.ts';

export function useStore(store: Store): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    const off = store.subscribe(() => setVersion(store.version));
    // A change between the first render and this effect would otherwise be missed.
    if (store.version !== version) setVersion(store.version);
    return off;
  }, [store]);
  return version;
}

/** The location hash as `{ view, params }`, e.g. `#/orders?id=4` → `orders`, `{ id: '4' }`. */
export function useHashRoute(): { view: string; params: URLSearchParams } {
  const read = (): { view: string; params: URLSearchParams } => {
    const raw = location.hash.replace(/^#\/?/, '');
    const [view = '', query = ''] = raw.split('?');
    return { view, params: new URLSearchParams(query) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = (): void => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
