// Pages by URL path (the server answers the same page for each, src/server/routes/console.ts):
// history navigation without reloads, so the session and in-memory state survive.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'tokens' }
  | { page: 'token'; id: string }
  | { page: 'audit' }
  | { page: 'scopes' }
  | { page: 'missing'; path: string };

export function routeOf(path: string): Route {
  if (path === '/' || path === '/tokens') return { page: 'tokens' };
  const token = /^\/tokens\/(tok_[A-Za-z0-9]+)$/.exec(path);
  if (token) return { page: 'token', id: token[1]! };
  if (path === '/audit') return { page: 'audit' };
  if (path === '/scopes') return { page: 'scopes' };
  return { page: 'missing', path };
}

const CHANGE = 'tokens:navigate';

export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  dispatchEvent(new Event(CHANGE));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    addEventListener(CHANGE, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}
