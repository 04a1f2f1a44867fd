// Serves POST /v1/introspect and GET /v1/auth straight from node:http, ahead of fastify's router and
// per-request hooks, which on their own cost more than the whole verification (bench/RESULTS.md).
// It takes only requests it fully understands — the exact path, a form or JSON body whose declared
// Content-Length is small — and leaves the rest (and everything once the server is closing) to
// fastify, whose routes serve the same endpoints through the same VerifyEndpoints.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createSecureServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { ValidateFunction } from 'ajv';
import type { Logger } from 'pino';
import type { ForwardAuthQuery } from '../../shared/schemas.js';
import { internalError, invalidJson, validationProblem, type ApiError } from '../problems.js';
import { API_HEADERS, HSTS, requestIdFor } from '../response-basics.js';
import type { HotCounter, HotCounters } from './counters.js';
import type { VerifyEndpoints } from './endpoints.js';
import { parseForm } from './form.js';
import { oauthReply } from './oauth.js';
import { problemReply, type VerifyReply } from './reply.js';

export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Bodies above this go to fastify (which applies the server's own body limit). */
const FAST_PATH_MAX_BODY = 8 * 1024;

/**
 * The HTTP server fastify listens with (its `serverFactory`): the fast path first, fastify for
 * everything it declines. With `tls`, an HTTPS server, and every response fastify sends carries
 * Strict-Transport-Security (the fast path adds it itself). Timeouts are set as fastify sets them on
 * servers it creates itself.
 */
export function serverWithFastPath(
  fastify: (req: IncomingMessage, res: ServerResponse) => void,
  options: Record<string, unknown>,
  fastPath: () => FastPath | null,
  tls: HttpsServerOptions | null,
): Server {
  // Connections are checked each second, so a short headersTimeout (app.ts) holds to within a second.
  // A missing Host is refused by app.ts in the usual form, not by node with a bare 400.
  const checking = { connectionsCheckingInterval: 1_000, requireHostHeader: false };
  const server = tls === null
    ? createServer(checking, (req, res) => {
        const serve = fastPath();
        if (serve === null || !serve(req, res)) fastify(req, res);
      })
    : createSecureServer({ ...tls, ...checking }, (req, res) => {
        const serve = fastPath();
        if (serve === null || !serve(req, res)) {
          res.setHeader(HSTS[0], HSTS[1]);
          fastify(req, res);
        }
      });
  if (typeof options.keepAliveTimeout === 'number') server.keepAliveTimeout = options.keepAliveTimeout;
  if (typeof options.requestTimeout === 'number') server.requestTimeout = options.requestTimeout;
  if (typeof options.connectionTimeout === 'number') server.setTimeout(options.connectionTimeout);
  if (typeof options.maxRequestsPerSocket === 'number' && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}

function bodyKind(contentType: string | undefined): 'json' | 'form' | null {
  if (contentType === 'application/x-www-form-urlencoded') return 'form';
  if (contentType === 'application/json') return 'json';
  if (contentType === undefined) return null;
  const semicolon = contentType.indexOf(';');
  const media = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return media === 'application/json' ? 'json' : media === 'application/x-www-form-urlencoded' ? 'form' : null;
}

/**
 * A Content-Length as Number() reads it. Node's parser lets through only digits here, and a short run
 * of digits is read in place: Number() on a string is a call into the runtime, a measurable share of
 * a verify request. Anything else goes to Number() itself.
 */
function declaredLength(value: string | undefined): number {
  if (value === undefined || value.length > 4) return Number(value);
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(value);
    length = length * 10 + digit;
  }
  return length;
}

const optionalString = (value: unknown, maxLength: number) => value === undefined || (typeof value === 'string' && value.length <= maxLength);

/**
 * The usual introspection body passes here without running the schema. Lengths are counted in UTF-16
 * units, never fewer than the schema's code points, so whatever passes here passes the schema too;
 * anything else is left to the schema, which also words the error.
 */
function plainlyValid(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.token === 'string' &&
    b.token.length <= 4096 &&
    optionalString(b.scope, 4096) &&
    optionalString(b.audience, 200) &&
    optionalString(b.ip, 64) &&
    optionalString(b.token_type_hint, 64) &&
    optionalString(b.client_id, 255) &&
    optionalString(b.client_secret, 4096)
  );
}

interface FastPathDeps {
  endpoints: VerifyEndpoints;
  /** The compiled schemas of the fastify routes, so both paths accept the same input. */
  validateIntrospect: ValidateFunction;
  validateAuthQuery: ValidateFunction;
  counters: HotCounters;
  log: Logger | false;
  /** Serving TLS: add Strict-Transport-Security. */
  hsts: boolean;
  isClosing: () => boolean;
}

export function createFastPath(deps: FastPathDeps): FastPath {
  const commonHeaders = deps.hsts ? [...API_HEADERS.flat(), ...HSTS] : API_HEADERS.flat();
  // tokens_http_requests_total, as fastify's onResponse hook counts its own routes.
  const served = new Map<string, Map<number, HotCounter>>();
  const count = (method: string, route: string, status: number) => {
    let byStatus = served.get(route);
    if (!byStatus) served.set(route, (byStatus = new Map()));
    let counter = byStatus.get(status);
    if (!counter) {
      counter = deps.counters.counter('tokens_http_requests_total', 'HTTP requests served', { method, route, status: String(status) });
      byStatus.set(status, counter);
    }
    counter.value++;
  };

  // Every answer starts with these; the request id's slot is filled in per request.
  const headerPrefix = ['x-request-id', '', ...commonHeaders];
  const send = (res: ServerResponse, method: string, route: string, requestId: string, reply: VerifyReply) => {
    const headers = headerPrefix.slice();
    headers[1] = requestId;
    for (let i = 0; i < reply.headers.length; i++) headers.push(reply.headers[i]!);
    if (reply.contentType !== null) headers.push('content-type', reply.contentType);
    headers.push('content-length', reply.contentLength ?? String(Buffer.byteLength(reply.body)));
    res.writeHead(reply.status, headers);
    res.end(reply.body);
    count(method, route, reply.status);
  };

  // The introspection endpoint answers errors in OAuth shape (oauth.ts), forward-auth as problem+json.
  const sendProblem = (res: ServerResponse, method: string, route: string, requestId: string, err: ApiError) =>
    send(res, method, route, requestId, route === '/v1/introspect' ? oauthReply(err, requestId, 'none') : problemReply(err, requestId));

  const bug = (res: ServerResponse, method: string, route: string, requestId: string) => (err: unknown) => {
    if (deps.log) deps.log.error({ reqId: requestId, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unhandled error');
    if (res.headersSent) res.destroy();
    else sendProblem(res, method, route, requestId, internalError());
  };

  const introspect = (req: IncomingMessage, res: ServerResponse, kind: 'json' | 'form') => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const chunks: Buffer[] = [];
    // No 'error' listener: an aborted request then just never ends (node emits the error only to
    // listeners), and there is no one left to answer.
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => guard(req, res, '/v1/introspect', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
      let body: unknown;
      try {
        body = kind === 'json' ? JSON.parse(text) : parseForm(text);
      } catch {
        return sendProblem(res, 'POST', '/v1/introspect', requestId, invalidJson(!text));
      }
      const invalid = plainlyValid(body) || deps.validateIntrospect(body) ? null : validationProblem(deps.validateIntrospect.errors, 'body', 'body must be an object');
      const reply = deps.endpoints.introspect({ peer: req.socket.remoteAddress, headers: req.headers, requestId, connection: req.socket }, body, invalid);
      if (reply instanceof Promise) reply.then((r) => send(res, 'POST', '/v1/introspect', requestId, r)).catch(bug(res, 'POST', '/v1/introspect', requestId));
      else send(res, 'POST', '/v1/introspect', requestId, reply);
    }));
  };

  const forwardAuth = (req: IncomingMessage, res: ServerResponse, search: string) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const query: Record<string, unknown> = {};
    if (search) {
      const params = new URLSearchParams(search);
      const scopes = params.getAll('scope');
      if (scopes.length) query.scope = scopes;
      const audience = params.getAll('audience');
      if (audience.length) query.audience = audience.length === 1 ? audience[0] : audience;
    }
    const invalid = deps.validateAuthQuery(query) ? null : validationProblem(deps.validateAuthQuery.errors, 'querystring', 'invalid query');
    const reply = deps.endpoints.forwardAuth({ peer: req.socket.remoteAddress, headers: req.headers, requestId, connection: req.socket }, query as ForwardAuthQuery, invalid);
    if (reply instanceof Promise) reply.then((r) => send(res, 'GET', '/v1/auth', requestId, r)).catch(bug(res, 'GET', '/v1/auth', requestId));
    else send(res, 'GET', '/v1/auth', requestId, reply);
  };

  // Whatever goes wrong in a handler is answered as a 500 here: a throw escaping a listener would end the process.
  const guard = (req: IncomingMessage, res: ServerResponse, route: string, serve: () => void) => {
    try {
      serve();
    } catch (err) {
      bug(res, req.method ?? 'GET', route, requestIdFor(req.headers['x-request-id']))(err);
    }
  };

  return (req, res) => {
    if (deps.isClosing()) return false;
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/v1/introspect') {
      const kind = bodyKind(req.headers['content-type']);
      const length = declaredLength(req.headers['content-length']);
      if (kind === null || !(length <= FAST_PATH_MAX_BODY) || req.headers['transfer-encoding'] !== undefined) return false;
      guard(req, res, '/v1/introspect', () => introspect(req, res, kind));
      return true;
    }
    // Envoy's ext_authz appends the original path to /v1/auth (its path_prefix).
    if (req.method === 'GET' && url.startsWith('/v1/auth') && (url.length === 8 || url[8] === '?' || url[8] === '/')) {
      const question = url.indexOf('?');
      guard(req, res, '/v1/auth', () => forwardAuth(req, res, question < 0 ? '' : url.slice(question + 1)));
      return true;
    }
    return false;
  };
}
