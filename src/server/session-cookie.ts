// The console session at the HTTP edge (README, Console): the cookie that carries its id, and the
// proof of same origin that every state change made with it needs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './service/errors.js';
import { isLoopbackHost } from '../shared/loopback.js';

/** Over HTTPS (or anywhere but plain-HTTP loopback) the cookie is `Secure` and `__Host-` prefixed. */
const SECURE_NAME = '__Host-tokens_session';
/** Plain HTTP to a loopback address, where browsers keep no `Secure` cookie. */
const LOOPBACK_NAME = 'tokens_session';
/** The header the console sends its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Plain HTTP to a loopback name: a browser treats it as a secure context but keeps no `Secure` cookie from it. */
function plainLoopback(request: FastifyRequest): boolean {
  return request.protocol === 'http' && isLoopbackHost(request.hostname);
}

/** Whether a browser keeps the session cookie this request would be given (HTTPS, or plain-HTTP loopback). */
export function assertCookieKept(request: FastifyRequest): void {
  if (request.protocol !== 'https' && !plainLoopback(request)) {
    throw DomainError.forbiddenCode('insecure_transport', 'sign in over HTTPS: the session cookie is Secure, so a browser would not send it back over plain HTTP');
  }
}

function cookieName(request: FastifyRequest): string {
  return plainLoopback(request) ? LOOPBACK_NAME : SECURE_NAME;
}

/** The session id the request's cookie carries (only the name this kind of connection sets), if any. */
export function sessionIdFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const name = cookieName(request);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = plainLoopback(request) ? '' : '; Secure';
  return `${cookieName(request)}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string, expiresAt: number, now: number): void {
  reply.header('set-cookie', cookie(request, id, Math.max(0, Math.round((expiresAt - now) / 1000))));
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(request, '', 0));
}

/**
 * Refuses a request that a browser made on behalf of another origin: `Sec-Fetch-Site`, when sent,
 * must say same-origin (or `none`, a typed URL, for reads), and `Origin`, when sent, must be this
 * server's. Requests from outside a browser send neither; they prove themselves otherwise.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  const reads = request.method === 'GET' || request.method === 'HEAD';
  if (site !== undefined && site !== 'same-origin' && !(reads && site === 'none')) {
    throw DomainError.forbiddenCode('cross_site_request', `refused: a ${site} request may not use the console session`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `${request.protocol}://${request.host}`.toLowerCase()) {
    throw DomainError.forbiddenCode('cross_site_request', 'refused: the request comes from another origin');
  }
}
