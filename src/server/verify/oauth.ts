// The verify endpoints' credentials and the introspection endpoint as OAuth clients expect it: its
// caller authenticates with an RFC 6750 Bearer token or with RFC 6749 client credentials
// (client_secret_basic, client_secret_post: any client id, the verify token as the secret), and its
// errors come in OAuth shape (RFC 6749 §5.2, RFC 6750 §3) with the problem+json members alongside.
import { type ApiError, BEARER_CHALLENGE, problem, problemDocument } from '../problems.js';
import { decodeFormComponent } from './form.js';
import { errorHeaders, JSON_TYPE, type VerifyReply } from './reply.js';

/** How the caller of /v1/introspect presented its token; `none` also for a scheme it does not take. */
export type ClientAuthMethod = 'bearer' | 'client_secret_basic' | 'client_secret_post' | 'none';

/** The RFC 8414 names of the client authentication methods the introspection endpoint takes (Bearer has none). */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

const HAS_WHITESPACE = /\s/;
const BEARER_RE = /^Bearer\s+(\S+)\s*$/i;
const BARE_RE = /^(\S+)\s*$/;
const CREDENTIALS_RE = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S+)\s*$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The token in an `Authorization: Bearer <token>` header (RFC 6750 §2.1; the scheme in any case), or
 * null. A bare token without the scheme is not one: every client library and gateway sends the scheme,
 * and the management API requires it too.
 */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  // The common shape, "Bearer " and one word, checked without the general expression below.
  if (header.length > 7 && header.charCodeAt(6) === 32 && header.startsWith('Bearer')) {
    const secret = header.slice(7);
    if (!HAS_WHITESPACE.test(secret)) return secret;
  }
  return BEARER_RE.exec(header)?.[1] ?? null;
}

/** The gateway's own token in X-Verifier-Token, a header of this server's: the bare secret, or `Bearer <secret>`. */
export function verifierToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  return bearerToken(header) ?? BARE_RE.exec(header)?.[1] ?? null;
}

/** The password of `Basic <base64(urlencoded id ":" urlencoded secret)>` (RFC 6749 §2.3.1), or null. */
function basicPassword(encoded: string): string | null {
  if (!BASE64_RE.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decodeFormComponent(decoded.slice(colon + 1));
}

/** Whether the body carries client_secret_post credentials (cheap enough for every request). */
export function hasPostedSecret(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { client_secret?: unknown }).client_secret !== undefined;
}

/**
 * The introspection caller's token and how it came, or a 400 when the caller used two methods at once
 * (RFC 6749 §2.3: a client MUST NOT). A posted client_secret that is not a string counts as none.
 */
export function clientCredential(authorization: string | string[] | undefined, body: unknown): { method: ClientAuthMethod; secret: string | null } | ApiError {
  const posted = hasPostedSecret(body) ? (body as { client_secret: unknown }).client_secret : undefined;
  if (authorization !== undefined) {
    if (posted !== undefined) {
      return problem('invalid_input', 'invalid_request', 'use one client authentication method: the Authorization header or client_secret in the body, not both');
    }
    const match = typeof authorization === 'string' ? CREDENTIALS_RE.exec(authorization) : null;
    const scheme = match?.[1]!.toLowerCase();
    if (scheme === 'bearer') return { method: 'bearer', secret: match![2]! };
    if (scheme === 'basic') return { method: 'client_secret_basic', secret: basicPassword(match![2]!) };
    return { method: 'none', secret: null };
  }
  if (typeof posted === 'string') return { method: 'client_secret_post', secret: posted };
  return { method: 'none', secret: null };
}

/** The registered OAuth error code for an introspection failure, given how the caller authenticated. */
function oauthErrorCode(status: number, method: ClientAuthMethod): string {
  if (status === 401) return method === 'bearer' ? 'invalid_token' : 'invalid_client';
  if (status === 403) return method === 'bearer' ? 'insufficient_scope' : 'unauthorized_client';
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** The challenge a refused caller gets: the scheme it used (RFC 6749 §5.2, RFC 6750 §3), none for client_secret_post. */
function challenge(status: number, error: string, method: ClientAuthMethod): string | null {
  if (status === 401) {
    if (method === 'client_secret_basic') return `Basic realm="tokens", error="${error}"`;
    if (method === 'bearer') return `${BEARER_CHALLENGE}, error="${error}"`;
    return method === 'none' ? BEARER_CHALLENGE : null;
  }
  return status === 403 && method === 'bearer' ? `${BEARER_CHALLENGE}, error="${error}", scope="verify"` : null;
}

/** error_description may hold only printable ASCII without `"` and `\` (RFC 6749 §5.2). */
const describe = (message: string) => message.replace(/"/g, "'").replace(/\\/g, '/').replace(/[^\x20-\x7e]/g, '?');

/**
 * An introspection error as OAuth clients read it: `error` and `error_description` beside the
 * problem+json members, served as application/json (what oauth4webapi, openid-client and
 * mod_auth_openidc parse), with the challenge of the scheme the caller used.
 */
export function oauthReply(err: ApiError, requestId: string, method: ClientAuthMethod): VerifyReply {
  const error = oauthErrorCode(err.status, method);
  const headers = errorHeaders(err, 'www-authenticate');
  const header = challenge(err.status, error, method);
  if (header !== null) headers.push('www-authenticate', header);
  const body = { error, error_description: describe(err.message), ...problemDocument(err, requestId) };
  return { status: err.status, headers, contentType: JSON_TYPE, body: JSON.stringify(body) };
}
