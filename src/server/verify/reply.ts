// A verify endpoint's answer as plain data, sent alike by the fastify routes and the fast path.
import { type ApiError, problemDocument } from '../problems.js';

export interface VerifyReply {
  status: number;
  /** Extra headers as a flat list: name, value, name, value… */
  headers: string[];
  contentType: string | null;
  body: string;
  /** The body's length in bytes, as the Content-Length value, where one reply is sent again and again (worked out once). */
  contentLength?: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** The headers an error carries (Retry-After, WWW-Authenticate…) as a flat list, but `except`. */
export function errorHeaders(err: ApiError, except?: string): string[] {
  const headers: string[] = [];
  for (const [name, value] of Object.entries(err.extra.headers ?? {})) if (name !== except) headers.push(name, value);
  return headers;
}

/** An error as the problem+json reply every route sends. */
export function problemReply(err: ApiError, requestId: string): VerifyReply {
  return { status: err.status, headers: errorHeaders(err), contentType: PROBLEM_TYPE, body: JSON.stringify(problemDocument(err, requestId)) };
}
