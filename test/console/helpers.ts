// Console tests' helpers: a real server with a console session signed in over plain HTTP, and
// requests that carry its cookie (and CSRF token) the way the browser does.
import { api } from '../helpers/server.js';

export interface ConsoleSession {
  cookie: string;
  csrf: string;
  /** The Set-Cookie the sign-in answered with. */
  setCookie: string;
  body: any;
}

export async function signIn(server: { url: string }, secret: string, headers: Record<string, string> = {}): Promise<ConsoleSession> {
  const r = await api(server, null, 'POST', '/v1/session', { secret }, headers);
  if (r.status !== 201) throw new Error(`sign-in answered ${r.status}: ${r.text}`);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: r.body.session.csrf_token, setCookie, body: r.body };
}

/** A request made with the session, as the console makes it: the cookie, and the CSRF token on changes. */
export function withSession(server: { url: string }, session: ConsoleSession, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const csrf: Record<string, string> = method === 'GET' ? {} : { 'x-csrf-token': session.csrf };
  return api(server, null, method, path, body, { cookie: session.cookie, 'sec-fetch-site': 'same-origin', ...csrf, ...headers });
}

/** Reads the event stream until `until` is in it, or for `ms` at most (then cancels it). */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: string, ms: number): Promise<string> {
  let text = '';
  const timer = setTimeout(() => void reader.cancel(), ms);
  try {
    while (!text.includes(until)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
  } finally {
    clearTimeout(timer);
  }
  return text;
}
