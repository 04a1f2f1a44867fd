// The console's one way to the management API: same-origin fetch carrying the session cookie, the
// session's CSRF token on every change, and every failure as an ApiProblem with the server's
// problem+json `detail` — shown where the action was, never as a blank page.
import type { Problem } from '../shared/schemas.js';

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
const endedListeners = new Set<(message: string) => void>();

/** The session's CSRF token, kept in memory only (it is no use without the HttpOnly cookie). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Told when any request finds the session over (revoked token, idle, signed out elsewhere). */
export function onSessionEnded(listener: (message: string) => void): () => void {
  endedListeners.add(listener);
  return () => endedListeners.delete(listener);
}

export type Query = Record<string, string | number | undefined | null | false>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== false && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const sent: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) sent['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) sent['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiProblem(0, 'unreachable', 'The server did not answer. Is it running? Try again in a moment.');
  }
  const text = await res.text();
  let doc: unknown = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the status says what happened
  }
  if (!res.ok) {
    const problem = doc && typeof (doc as Problem).detail === 'string' ? (doc as Problem) : null;
    const err = new ApiProblem(res.status, problem?.code ?? 'http_error', problem?.detail ?? `The server answered ${res.status} ${res.statusText}.`, problem?.errors ?? []);
    if (err.code === 'session_ended') for (const listener of endedListeners) listener(err.message);
    throw err;
  }
  return doc as T;
}

export const api = {
  get: <T>(path: string, query: Query = {}) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
  patch: <T>(path: string, body: unknown, headers?: Record<string, string>) => request<T>('PATCH', path, body, headers),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** The message to show for anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
