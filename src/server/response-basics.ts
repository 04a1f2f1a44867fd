// What every response carries, whether fastify or the verify fast path (verify/fast-path.ts) sends it.
import { randomUUID } from 'node:crypto';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

type Header = readonly [string, string];

/** On every response, the verify endpoints' included. */
export const API_HEADERS: readonly Header[] = [
  ['x-content-type-options', 'nosniff'],
  ['cache-control', 'no-store'],
];

/**
 * Hardening that matters only where a browser renders the response. The verify fast path leaves it
 * out: gateways are its only callers, and there every header is a measurable share of the request.
 */
const BROWSER_HEADERS: readonly Header[] = [
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** On every response when the server speaks TLS itself: browsers then refuse plain http to it for a year. */
export const HSTS: Header = ['strict-transport-security', 'max-age=31536000'];

export const SECURITY_HEADERS: readonly Header[] = [...API_HEADERS, ...BROWSER_HEADERS];

/** The caller's X-Request-Id when it is a sane token, else a fresh one. */
export function requestIdFor(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
}
