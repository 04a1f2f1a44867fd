// The two verify endpoints as plain request → reply functions, so the fastify routes (which declare,
// validate and document them) and the fast path (which serves them under load) answer alike.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { SCOPE_NAME_PATTERN, type ForwardAuthQuery, type IntrospectBody } from '../../shared/schemas.js';
import { TOO_MANY_FAILED_ATTEMPTS, type FailedAuthLimiter } from '../auth-limiter.js';
import { ApiError, BEARER_CHALLENGE, problem, STORE_RETRY_AFTER_SECONDS } from '../problems.js';
import { canonicalIp } from '../service/cidr.js';
import type { UsageRecorder } from '../service/usage.js';
import type { RefusalReason } from '../../shared/wire-constants.js';
import type { ClientAddress } from './client-address.js';
import type { ClientCertificates } from './client-cert.js';
import type { HotCounter, HotCounters } from './counters.js';
import { bearerToken, clientCredential, hasPostedSecret, oauthReply, verifierToken, type ClientAuthMethod } from './oauth.js';
import { JSON_TYPE, problemReply, type VerifyReply } from './reply.js';
import type { Denial, Requirements, Verdict, VerifiedToken, Verifier } from './verifier.js';

type Maybe<T> = T | Promise<T>;

/** Keeps the token a verdict names (found by the lookup, whatever the outcome) as the connection's last. */
function remember(memo: ConnectionMemo, secret: string, verdict: Verdict): Verdict {
  if (verdict.token !== null) {
    memo.secret = secret;
    memo.token = verdict.token;
  }
  return verdict;
}

export interface VerifyRequest {
  /** The socket peer's address (not yet mapped through trusted proxies). */
  peer: string | undefined;
  headers: IncomingHttpHeaders;
  requestId: string;
  /** The connection (its socket): the caller's token is remembered there between keep-alive requests, and its TLS client certificate read. */
  connection?: object;
}

type Endpoint = 'introspect' | 'auth';
/** `ok`, a Denial, or why the call itself was refused; the `reason` label of tokens_verify_total. */
type Outcome = 'ok' | Denial | 'missing' | 'caller_unauthenticated' | 'caller_forbidden' | 'caller_blocked' | 'caller_no_certificate' | 'error';
const OUTCOMES: Outcome[] = [
  'ok', 'malformed', 'unknown', 'revoked', 'suspended', 'expired', 'ip', 'audience', 'scope', 'rate_limited', 'usage_exceeded',
  'missing', 'caller_unauthenticated', 'caller_forbidden', 'caller_blocked', 'caller_no_certificate', 'error',
];

const INACTIVE = '{"active":false}';
const NO_HEADERS: string[] = [];
const RATE_LIMITED = '{"active":false,"reason":"rate_limited"}';
const USAGE_EXCEEDED = '{"active":false,"reason":"usage_exceeded"}';
const SCOPE_NAME_RE = new RegExp(SCOPE_NAME_PATTERN);
const NO_BEARER = 'send the token as Authorization: Bearer <token>';

const SCOPE_SEPARATORS = /[\s,]+/;

/** Whether `text` may hold a separator: a comma, or a character \s might match (any control, space or non-ASCII). */
function maySeparate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 44 || c >= 127) return true;
  }
  return false;
}

/** "a b", "a,b" or several values → ["a", "b"]. */
export function scopeList(value: string | string[] | undefined): string[] {
  if (value === undefined || value === '') return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  // One scope name, the usual case, is told apart without running the expression (once per verify call).
  if (!maySeparate(joined) || !SCOPE_SEPARATORS.test(joined)) return [joined];
  return joined.split(SCOPE_SEPARATORS).filter((s) => s.length > 0);
}

/** The RFC 7662 answer for a usable token; the same for every call until the token changes (kept on it). */
function activeReply(t: VerifiedToken): VerifyReply {
  const body = JSON.stringify({
    active: true,
    scope: t.scopes.join(' '),
    client_id: t.id,
    sub: t.id,
    username: t.name,
    ...(t.expiresAt !== null ? { exp: Math.floor(t.expiresAt / 1000) } : {}),
    iat: Math.floor(t.createdAt / 1000),
    ...(t.audiences.length ? { aud: t.audiences } : {}),
    token_type: 'Bearer',
  });
  return { status: 200, headers: NO_HEADERS, contentType: JSON_TYPE, body, contentLength: String(Buffer.byteLength(body)) };
}

/** Forward-auth refusals: 401 for anything not a usable token, 403 for what the route needs, 429 over the limit. */
function refusal(verdict: Verdict & { ok: false }, need: Requirements): ApiError {
  switch (verdict.reason) {
    case 'scope':
      // The scopes come from the request; only real scope names (which no header can choke on) are echoed in a header.
      return problem('forbidden', 'insufficient_scope', `this route needs scope ${need.scopes.join(' ')}`, {
        headers: {
          'www-authenticate': `${BEARER_CHALLENGE}, error="insufficient_scope"${need.scopes.every((x) => SCOPE_NAME_RE.test(x)) ? `, scope="${need.scopes.join(' ')}"` : ''}`,
        },
      });
    case 'audience':
      return problem('forbidden', 'audience_not_allowed', `this token is not valid for ${need.audiences.join(' and ')}`);
    case 'ip':
      return problem('forbidden', 'ip_not_allowed', `this token may not be used from ${need.ip ?? 'an unknown address'}`);
    case 'rate_limited':
      return problem('rate_limited', 'rate_limited', 'this token is over its rate limit', { retryAfterSeconds: verdict.retryAfter });
    case 'usage_exceeded':
      // Retry-After only when a refill is coming.
      return problem('rate_limited', 'usage_exceeded', 'this token has used up its usage quota', verdict.retryAfter ? { retryAfterSeconds: verdict.retryAfter } : {});
    default:
      // Unknown, revoked, expired and malformed look alike from outside, as in introspection.
      return problem('unauthenticated', 'invalid_token', 'the token is invalid, expired or revoked', {
        headers: { 'www-authenticate': `${BEARER_CHALLENGE}, error="invalid_token"` },
      });
  }
}

/**
 * What one keep-alive connection remembers between requests: the caller's own token (a gateway sends
 * it on every request) and the last token it asked about (a client sends the same token again and
 * again). Each copy stands in for a lookup only, never for a check, and only while the verifier
 * still trusts it (recheckCaller, recheck).
 */
class ConnectionMemo {
  callerSecret = '';
  caller: VerifiedToken | null = null;
  secret = '';
  token: VerifiedToken | null = null;
}

/**
 * Whether a presented secret is the one remembered, in time that depends only on the length (a
 * gateway's connection carries many clients' tokens; a plain === would stop at the first difference).
 */
function sameSecret(remembered: string, presented: string): boolean {
  if (remembered.length !== presented.length) return false;
  let difference = 0;
  for (let i = 0; i < remembered.length; i++) difference |= remembered.charCodeAt(i) ^ presented.charCodeAt(i);
  return difference === 0;
}

interface VerifyEndpointsDeps {
  verifier: Verifier;
  /** The verifier's and the usage recorder's clock, read once per request and handed to both. */
  clock: () => number;
  clientAddress: ClientAddress;
  usage: UsageRecorder;
  /** The management API's per-address limit on failed authentication, applied to the callers' own tokens. */
  authLimiter: FailedAuthLimiter;
  counters: HotCounters;
  log: Logger | false;
  /** Serving TLS with a client CA: the connection's certificate is counted, and may be required. */
  clientCertificates: ClientCertificates | null;
}

export class VerifyEndpoints {
  private readonly outcomes: Record<Endpoint, Record<Outcome, HotCounter>>;
  /** connection (its socket) → what it remembers between requests. */
  private readonly connections = new WeakMap<object, ConnectionMemo>();

  constructor(private readonly deps: VerifyEndpointsDeps) {
    const counters = (endpoint: Endpoint) =>
      Object.fromEntries(
        OUTCOMES.map((reason) => [reason, deps.counters.counter('tokens_verify_total', 'verify calls by endpoint and outcome (ok = admitted)', { endpoint, reason })]),
      ) as Record<Outcome, HotCounter>;
    this.outcomes = { introspect: counters('introspect'), auth: counters('auth') };
  }

  private memoOf(connection: object): ConnectionMemo {
    let memo = this.connections.get(connection);
    if (memo === undefined) this.connections.set(connection, (memo = new ConnectionMemo()));
    return memo;
  }

  /**
   * The whole check of a presented token. A token asked about again on the same connection skips the
   * lookup (never the checks) while the verifier still trusts its copy; anything else is looked up,
   * and a token the lookup found is remembered for the connection's next request.
   */
  private verifyOn(connection: object | undefined, secret: string, need: Requirements, now?: number): Maybe<Verdict> {
    if (connection === undefined) return this.deps.verifier.verify(secret, need, now);
    const memo = this.memoOf(connection);
    if (memo.token !== null && sameSecret(memo.secret, secret)) {
      const rechecked = this.deps.verifier.recheck(memo.token, need, now);
      if (rechecked !== null) return rechecked;
    }
    const verdict = this.deps.verifier.verify(secret, need, now);
    if (verdict instanceof Promise) return verdict.then((v) => remember(memo, secret, v));
    return remember(memo, secret, verdict);
  }

  /** A refusal of a token the lookup found goes into its usage history. */
  private refusedToken(verdict: Verdict & { ok: false }, ip: string | null): void {
    if (verdict.token !== null) this.deps.usage.refused(verdict.token.id, verdict.reason as RefusalReason, ip);
  }

  private outcome(endpoint: Endpoint, reason: Outcome, requestId: string, tokenId?: string): void {
    this.outcomes[endpoint][reason].value++;
    if (reason !== 'ok' && this.deps.log) this.deps.log.debug({ reqId: requestId, endpoint, reason, token: tokenId }, 'verify refused');
  }

  /**
   * The gateway's own token, which must hold `verify`: the token, or the error to answer with.
   * Synchronous when the token is cached, as everything on this path is, so that a warm verify
   * costs no promise at all. `now`: the request's one clock reading.
   */
  private admitCaller(
    endpoint: Endpoint,
    secret: string | null,
    ip: string | null,
    limiterKey: string,
    requestId: string,
    connection: object | undefined,
    now: number,
  ): Maybe<VerifiedToken | ApiError> {
    if (secret === null) return this.callerRefused(endpoint, null, ip, limiterKey, requestId);
    // A gateway sends its own token on every request of a keep-alive connection: once admitted there,
    // the same credential on the same connection skips the lookup (never the checks) for as long as
    // the cached copy is current.
    const memo = connection === undefined ? undefined : this.connections.get(connection);
    const rechecked = memo !== undefined && memo.caller !== null && sameSecret(memo.callerSecret, secret) ? this.deps.verifier.recheckCaller(memo.caller, 'verify', ip, now) : null;
    if (rechecked !== null) return this.callerAdmitted(endpoint, rechecked, ip, limiterKey, requestId, undefined, undefined, now);
    const verdict = this.deps.verifier.authorizeCaller(secret, 'verify', ip, now);
    // After a store query the time has moved on: what comes next reads the clock again.
    if (verdict instanceof Promise) return verdict.then((v) => this.callerAdmitted(endpoint, v, ip, limiterKey, requestId, connection, secret));
    return this.callerAdmitted(endpoint, verdict, ip, limiterKey, requestId, connection, secret, now);
  }

  private callerAdmitted(
    endpoint: Endpoint,
    verdict: Verdict,
    ip: string | null,
    limiterKey: string,
    requestId: string,
    connection?: object,
    secret?: string,
    now?: number,
  ): Maybe<VerifiedToken | ApiError> {
    if (!verdict.ok) return this.callerRefused(endpoint, verdict, ip, limiterKey, requestId);
    this.deps.usage.record(verdict.token.id, ip, now);
    if (connection !== undefined && secret !== undefined) {
      const memo = this.memoOf(connection);
      memo.callerSecret = secret;
      memo.caller = verdict.token;
    }
    return verdict.token;
  }

  private callerRefused(endpoint: Endpoint, verdict: (Verdict & { ok: false }) | null, ip: string | null, limiterKey: string, requestId: string): Maybe<ApiError> {
    if (verdict !== null) this.refusedToken(verdict, ip);
    const credential = endpoint === 'auth' ? 'the token in X-Verifier-Token' : "the caller's token";
    if (verdict?.reason === 'scope' || verdict?.reason === 'ip') {
      this.outcome(endpoint, 'caller_forbidden', requestId);
      const why = verdict.reason === 'scope' ? 'does not hold scope verify' : `may not be used from ${ip}`;
      return problem('forbidden', 'verifier_forbidden', `${credential} ${why}`);
    }
    // The failures of an address over the limit are answered 429; its valid tokens were admitted above
    // (found in the verify cache, or by the one lookup any failure costs as well).
    const blocked = this.deps.authLimiter.blockedFor(limiterKey);
    if (blocked) return this.callerBlocked(endpoint, requestId, blocked);
    // Shared between instances, the failure that goes over the limit is the first one refused (and a
    // failure may wait for the store to say so).
    const over = this.deps.authLimiter.recordFailure(limiterKey);
    if (over instanceof Promise) return over.then((o) => (o ? this.callerBlocked(endpoint, requestId, o) : this.callerUnauthenticated(endpoint, requestId)));
    return over ? this.callerBlocked(endpoint, requestId, over) : this.callerUnauthenticated(endpoint, requestId);
  }

  private callerBlocked(endpoint: Endpoint, requestId: string, seconds: number): ApiError {
    this.outcome(endpoint, 'caller_blocked', requestId);
    return problem('rate_limited', 'rate_limited', TOO_MANY_FAILED_ATTEMPTS, { retryAfterSeconds: seconds });
  }

  private callerUnauthenticated(endpoint: Endpoint, requestId: string): ApiError {
    this.outcome(endpoint, 'caller_unauthenticated', requestId);
    return endpoint === 'auth'
      ? problem('unauthenticated', 'verifier_unauthenticated', "X-Verifier-Token must carry the caller's own live token with scope verify")
      : problem(
          'unauthenticated',
          'unauthenticated',
          "authenticate with the caller's own live token with scope verify: Authorization: Bearer <token>, HTTP Basic with it as the password, or client_secret in the body",
        );
  }

  /** The store failing, as the endpoint answers errors. */
  private failed(endpoint: Endpoint, requestId: string, err: unknown): VerifyReply {
    this.outcome(endpoint, 'error', requestId);
    if (this.deps.log) this.deps.log.error({ reqId: requestId, endpoint, err: { message: (err as Error)?.message } }, 'verify failed');
    const unavailable = new ApiError(503, 'unavailable', 'the token store is not answering; try again', { headers: { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) } });
    return endpoint === 'auth' ? problemReply(unavailable, requestId) : oauthReply(unavailable, requestId, 'none');
  }

  /** Runs `step`, turning a throw or a rejection (the store failing) into a 503. */
  private guarded(endpoint: Endpoint, requestId: string, step: () => Maybe<VerifyReply>): Maybe<VerifyReply> {
    try {
      const reply = step();
      return reply instanceof Promise ? reply.catch((err: unknown) => this.failed(endpoint, requestId, err)) : reply;
    } catch (err) {
      return this.failed(endpoint, requestId, err);
    }
  }

  /** With mutual TLS, the refusal of a connection without the certificate the server requires; checked before any token. */
  private withoutCertificate(endpoint: Endpoint, req: VerifyRequest): VerifyReply | null {
    const refused = this.deps.clientCertificates!.admit(req.connection, req.requestId);
    if (refused === null) return null;
    this.outcome(endpoint, 'caller_no_certificate', req.requestId);
    return endpoint === 'auth' ? problemReply(refused, req.requestId) : oauthReply(refused, req.requestId, 'none');
  }

  /**
   * POST /v1/introspect (RFC 7662): 200 with {"active": false} for anything unusable. `invalid` is
   * what the body's schema found wrong with it: answered only once the caller is admitted, so an
   * unauthenticated caller gets 401 and learns nothing about the fields.
   */
  introspect(req: VerifyRequest, body: unknown, invalid: ApiError | null): Maybe<VerifyReply> {
    return this.guarded('introspect', req.requestId, () => {
      const refused = this.deps.clientCertificates === null ? null : this.withoutCertificate('introspect', req);
      if (refused !== null) return refused;
      // Bearer, the common case, is read without allocating; anything else (or a client_secret beside it) in full.
      let secret = bearerToken(req.headers.authorization);
      let method: ClientAuthMethod = 'bearer';
      if (secret === null || hasPostedSecret(body)) {
        const credential = clientCredential(req.headers.authorization, body);
        if (credential instanceof ApiError) return oauthReply(credential, req.requestId, 'none');
        ({ secret, method } = credential);
      }
      const callerIp = this.deps.clientAddress.of(req.peer, req.headers);
      const now = this.deps.clock();
      const caller = this.admitCaller('introspect', secret, callerIp, callerIp ?? '', req.requestId, req.connection, now);
      if (caller instanceof Promise) return caller.then((c) => this.introspectFor(c, method, req, body, invalid, callerIp));
      return this.introspectFor(caller, method, req, body, invalid, callerIp, now);
    });
  }

  private introspectFor(
    caller: VerifiedToken | ApiError,
    method: ClientAuthMethod,
    req: VerifyRequest,
    input: unknown,
    invalid: ApiError | null,
    callerIp: string | null,
    now?: number,
  ): Maybe<VerifyReply> {
    if (caller instanceof ApiError) return oauthReply(caller, req.requestId, method);
    if (invalid !== null) return oauthReply(invalid, req.requestId, method);
    const body = input as IntrospectBody;
    const ip = body.ip === undefined ? callerIp : isIP(body.ip.trim()) ? canonicalIp(body.ip.trim()) : null;
    const verdict = this.verifyOn(req.connection, body.token, { scopes: scopeList(body.scope), audiences: body.audience ? [body.audience] : [], ip }, now);
    if (verdict instanceof Promise) return verdict.then((v) => this.introspection(v, ip, req.requestId));
    return this.introspection(verdict, ip, req.requestId, now);
  }

  private introspection(verdict: Verdict, ip: string | null, requestId: string, now?: number): VerifyReply {
    if (verdict.ok) {
      this.deps.usage.record(verdict.token.id, ip, now);
      this.outcome('introspect', 'ok', requestId);
      return (verdict.token.introspection ??= activeReply(verdict.token));
    }
    this.outcome('introspect', verdict.reason, requestId);
    this.refusedToken(verdict, ip);
    if (verdict.reason === 'rate_limited') return { status: 200, headers: ['retry-after', String(verdict.retryAfter)], contentType: JSON_TYPE, body: RATE_LIMITED };
    if (verdict.reason === 'usage_exceeded') {
      return { status: 200, headers: verdict.retryAfter ? ['retry-after', String(verdict.retryAfter)] : NO_HEADERS, contentType: JSON_TYPE, body: USAGE_EXCEEDED };
    }
    return { status: 200, headers: NO_HEADERS, contentType: JSON_TYPE, body: INACTIVE };
  }

  /**
   * GET /v1/auth, forward-auth: 200 with X-Token-Id / X-Token-Scopes, else 401, 403 or 429. As for
   * introspection, `invalid` (a query its schema refused) is answered only to an admitted gateway.
   */
  forwardAuth(req: VerifyRequest, query: ForwardAuthQuery, invalid: ApiError | null): Maybe<VerifyReply> {
    return this.guarded('auth', req.requestId, () => {
      const refused = this.deps.clientCertificates === null ? null : this.withoutCertificate('auth', req);
      if (refused !== null) return refused;
      // The gateway is the direct peer; forwarded headers describe its client, not it.
      const peer = canonicalIp(req.peer ?? '');
      const now = this.deps.clock();
      const caller = this.admitCaller('auth', verifierToken(req.headers['x-verifier-token']), peer, peer, req.requestId, req.connection, now);
      if (caller instanceof Promise) return caller.then((c) => this.forwardAuthFor(c, req, query, invalid));
      return this.forwardAuthFor(caller, req, query, invalid, now);
    });
  }

  private forwardAuthFor(caller: VerifiedToken | ApiError, req: VerifyRequest, query: ForwardAuthQuery, invalid: ApiError | null, now?: number): Maybe<VerifyReply> {
    if (caller instanceof ApiError) return problemReply(caller, req.requestId);
    if (invalid !== null) return problemReply(invalid, req.requestId);
    const secret = bearerToken(req.headers.authorization);
    if (secret === null) {
      this.outcome('auth', 'missing', req.requestId);
      return problemReply(problem('unauthenticated', 'unauthenticated', NO_BEARER, { headers: { 'www-authenticate': BEARER_CHALLENGE } }), req.requestId);
    }
    // Requirements from the query and from headers add up: whatever a client manages to add to
    // either (Envoy passes its query through, nginx its headers) can only make the check stricter.
    const scopeHeader = req.headers['x-required-scope'];
    const audienceHeader = req.headers['x-required-audience'];
    const need: Requirements = {
      scopes: scopeHeader === undefined ? scopeList(query.scope) : [...scopeList(query.scope), ...scopeList(scopeHeader)],
      audiences: [query.audience, audienceHeader].filter((a): a is string => typeof a === 'string' && a !== ''),
      ip: this.deps.clientAddress.of(req.peer, req.headers),
    };
    const verdict = this.verifyOn(req.connection, secret, need, now);
    if (verdict instanceof Promise) return verdict.then((v) => this.forwardAuthAnswer(v, need, req.requestId));
    return this.forwardAuthAnswer(verdict, need, req.requestId, now);
  }

  private forwardAuthAnswer(verdict: Verdict, need: Requirements, requestId: string, now?: number): VerifyReply {
    if (!verdict.ok) {
      this.outcome('auth', verdict.reason, requestId);
      this.refusedToken(verdict, need.ip);
      return problemReply(refusal(verdict, need), requestId);
    }
    this.deps.usage.record(verdict.token.id, need.ip, now);
    this.outcome('auth', 'ok', requestId);
    return { status: 200, headers: ['x-token-id', verdict.token.id, 'x-token-scopes', (verdict.token.scopeHeader ??= verdict.token.scopes.join(' '))], contentType: null, body: '' };
  }
}
