/** Hash routing (`#/item/ID`): works from any static file server and needs no server-side fallback. */
import { useEffect, useState } from 'react';

export interface Route {
  page: 'library' | 'item' | 'user' | 'upload' | 'dashboard' | 'experiments' | 'jobs';
  id?: string;
}

export function parseHash(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const id = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  switch (page) {
    case 'item':
    case 'user':
      return id ? { page, id } : { page: page === 'item' ? 'library' : 'user' };
    case 'upload':
    case 'dashboard':
    case 'jobs':
      return { page };
    case 'experiments':
      return id ? { page, id } : { page };
    default:
      return { page: 'library' };
  }
}

export const href = {
  library: () => '#/',
  item: (id: string) => `#/item/${encodeURIComponent(id)}`,
  user: (id?: string) => (id ? `#/user/${encodeURIComponent(id)}` : '#/user'),
  upload: () => '#/upload',
  dashboard: () => '#/dashboard',
  jobs: () => '#/jobs',
  experiments: (id?: string) => (id ? `#/experiments/${encodeURIComponent(id)}` : '#/experiments'),
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Fetches on dependency change; keeps the last good value while loading; exposes the error. */
export function useAsync<T>(
  fn: () => Promise<T>,
  deps: readonly unknown[],
): { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass their own dependency list
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: Error) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
