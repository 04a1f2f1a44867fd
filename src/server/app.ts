// Puts fastify in front of the server context (context.ts): settings, the auth hook, headers, logs,
// errors as problem+json, and the routes. HTTP shape only; domain rules live in service/.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import { limitFailedAuth } from './auth-limiter.js';
import { answerAndClose, answerClientError, answerExpectations, lingerBeforeClose } from './client-errors.js';
import type { Socket } from 'node:net';
import { createAppContext, type AppContext, type ContextOptions } from './context.js';
import { SWAGGER_OPTIONS } from './openapi.js';
import { SHARED_SCHEMAS } from '../shared/schemas.js';
import { ApiError, BEARER_CHALLENGE, frameworkProblem, problem, problemDocument, secretAsIdentifier, toApiError } from './problems.js';
import { hasSecretShape, redactSecretShapes } from '../shared/secret.js';
import { requestIdFor, SECURITY_HEADERS } from './response-basics.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerUsageRoutes } from './routes/usage.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import type { TypedApp } from './routes/types.js';
import { registerVerifyRoutes } from './routes/verify.js';
import type { Caller } from './service/caller.js';
import { DomainError } from './service/errors.js';
import type { ActiveSession } from './service/sessions.js';
import { assertSameOrigin, clearSessionCookie, CSRF_HEADER, sessionIdFrom } from './session-cookie.js';
import type { TokenRecord } from './store/types.js';
import { serverWithFastPath, type FastPath } from './verify/fast-path.js';

interface AppOptions extends ContextOptions {
  bodyLimit?: number;
  /** Addresses/CIDRs of proxies whose X-Forwarded-For is believed; false = none. */
  trustProxy?: string[] | false;
  /** Serve HTTPS (main.ts reads and checks the files); absent = plain HTTP. */
  tls?: {
    server: HttpsServerOptions;
    /** With a client CA: whether verify calls must present a certificate from it. */
    clientCertificates: { required: boolean } | null;
  };
  /** Where clients reach the server, when it is not what the request says (`--public-url`). */
  publicUrl?: string;
  /** Connection limits (README, The server: flags); each has a default. */
  connections?: Partial<ConnectionLimits>;
}

export interface ConnectionLimits {
  /** A connection must send a request's line and headers within this (else 408 and closed). */
  headersTimeoutMs: number;
  /** …and the whole request, body included, within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; more are closed as soon as they are accepted. 0: no cap. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  // Longer than the idle timeout of common load balancers and gateways' upstream pools (60 s), so they close first.
  keepAliveTimeoutMs: 72_000,
  maxConnections: 10_000,
};

const DEFAULT_BODY_LIMIT = 256 * 1024;

function sendProblem(request: FastifyRequest, reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) reply.header(k, v);
  return reply.code(err.status).type('application/problem+json').send(problemDocument(err, request.id));
}

export async function buildApp(opts: AppOptions): Promise<{ app: TypedApp; ctx: AppContext }> {
  const ctx = createAppContext(opts);
  const { authLimiter: limiter, usage, metrics } = ctx;

  const bodyAjv = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false, strict: false });
  const paramAjv = new Ajv({ coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false, strict: false });

  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.connections };
  // Answers written before any route saw the request, counted as fastify's onResponse counts the rest.
  const countUnparsed = (status: number) => {
    if (status) metrics.inc('tokens_http_requests_total', 'HTTP requests served', { method: 'unknown', route: 'unparsed', status: String(status) });
  };
  let fastPath: FastPath | null = null;
  const app = Fastify({
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // The verify endpoints are served ahead of fastify's router and hooks (verify/fast-path.ts).
    serverFactory: (handler, options) => serverWithFastPath(handler, options, () => fastPath, opts.tls?.server ?? null),
    // Only so that fastify's own log of the address says https (the server comes from serverFactory).
    ...((opts.tls ? { https: true } : {}) as object),
    loggerInstance: (opts.logger || undefined) as FastifyBaseLogger | undefined,
    logger: opts.logger ? undefined : false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: opts.trustProxy && opts.trustProxy.length ? opts.trustProxy : false,
    requestIdHeader: false,
    genReqId: (req) => requestIdFor(req.headers['x-request-id']),
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // The router's own refusals, before any hook runs: answered like every other error, the path never echoed.
    frameworkErrors: (err, request, reply) => {
      reply.header('x-request-id', request.id);
      for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
      return sendProblem(request, reply, frameworkProblem(err));
    },
    // What node's HTTP parser refuses (client-errors.ts), in the same form.
    clientErrorHandler: (err, socket) => countUnparsed(answerClientError(err, socket, Boolean(opts.tls))),
  }).withTypeProvider<TypeBoxTypeProvider>();
  answerExpectations(app.server, Boolean(opts.tls));
  // Without a listener node drops a CONNECT without a word: this is not a proxy, and says so.
  app.server.on('connect', (_req: unknown, socket: Socket) =>
    countUnparsed(answerAndClose(socket, new ApiError(405, 'method_not_allowed', 'CONNECT is not served: this server is not a proxy'), Boolean(opts.tls))),
  );
  app.server.headersTimeout = limits.headersTimeoutMs;
  if (limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;
  // Node closes a connection over the cap at once, without a word; this counts them.
  app.server.on('drop', () => ctx.metrics.inc('tokens_http_connections_dropped_total', 'connections closed on arrival because --max-connections were open'));
  // JSON only (plus what a route adds itself): a text body is a client mistake, not a string field.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));

  await app.register(swagger, SWAGGER_OPTIONS);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  // Draining for shutdown, a request that still arrives (on a busy keep-alive connection) gets 503 in
  // the usual form instead of fastify's own (its return503OnClosing), and the connection is closed.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      throw new ApiError(400, 'missing_host', 'an HTTP/1.1 request needs a Host header');
    }
    if (closing) {
      reply.header('connection', 'close');
      throw new ApiError(503, 'shutting_down', 'the server is shutting down; try again (another instance, or this one once it is back)');
    }
  });

  // Bodiless POSTs (revoke, suspend, rotate) are treated as an empty JSON object. A secret pasted where
  // an id goes is refused without being repeated.
  app.addHook('preValidation', async (request) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && hasSecretShape(id)) throw secretAsIdentifier();
    if ((request.method === 'POST' || request.method === 'PATCH') && (request.body === undefined || request.body === null)) {
      request.body = {};
    }
  });

  // Authentication comes first, before the body is read or validated: a caller without a valid
  // token gets 401 and learns nothing about the fields it sent.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.auth) return;
    const ip = request.ip;
    const header = request.headers.authorization;
    // A console session stands in for the bearer token: the same caller, the same scope checks.
    const sessionId = header === undefined ? sessionIdFrom(request) : undefined;
    if (sessionId !== undefined) {
      request.caller = await sessionCaller(request, reply, sessionId);
      return;
    }
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    let token: TokenRecord;
    try {
      // No credential at all (a signed-out console asking whether it has a session) is not a guess.
      token = header === undefined ? await ctx.authn.authenticate(undefined, ip) : await limitFailedAuth(limiter, ip, match?.[1], ctx.mayBeLive, () => ctx.authn.authenticate(match?.[1], ip));
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'unauthenticated') reply.header('www-authenticate', BEARER_CHALLENGE);
      throw err;
    }
    usage.record(token.id, ip);
    request.caller = { token, ip, requestId: request.id };
  });

  /** The caller behind a session cookie; a state change also needs the session's CSRF token and no other origin. */
  async function sessionCaller(request: FastifyRequest, reply: FastifyReply, sessionId: string): Promise<Caller> {
    assertSameOrigin(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = request.headers[CSRF_HEADER];
      if (!ctx.sessions.csrfMatches(sessionId, typeof csrf === 'string' ? csrf : undefined)) {
        throw DomainError.forbiddenCode('csrf_token_invalid', `refused: a change made with the console session needs its CSRF token in ${CSRF_HEADER}`);
      }
    }
    let session: ActiveSession;
    try {
      session = await ctx.sessions.resolve(sessionId, request.ip);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'session_ended') clearSessionCookie(request, reply);
      throw err;
    }
    usage.record(session.token.id, request.ip);
    request.session = { id: sessionId, ...session };
    return { token: session.token, ip: request.ip, requestId: request.id };
  }

  app.addHook('onResponse', async (request, reply) => {
    metrics.inc('tokens_http_requests_total', 'HTTP requests served', {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
    if (opts.logger) {
      request.log.info(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip, actor: request.caller?.token.id },
        'request',
      );
    }
  });

  // A body over the limit is refused while the client may still be sending it: it must see the 413.
  app.addHook('onError', async (request, _reply, err: FastifyError) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && !request.raw.complete) lingerBeforeClose(request.raw);
  });

  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const apiError = toApiError(err);
    if (apiError.code === 'store_unavailable') request.log.warn({ err: { message: redactSecretShapes(err.message) } }, 'store unavailable');
    else if (apiError.status >= 500) request.log.error({ err: { message: redactSecretShapes(err.message), code: err.code, stack: err.stack && redactSecretShapes(err.stack) } }, 'unhandled error');
    if (apiError.status === 403 && request.caller) {
      // Denials by a known token are audited; garbage credentials are only counted.
      void ctx.auditWriter.denied(request.caller, request.routeOptions.url ?? null, apiError.message, { method: request.method }).catch(() => undefined);
    }
    return sendProblem(request, reply, apiError);
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(request, reply, problem('not_found', 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );

  registerOpsRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerUsageRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerConsoleRoutes(app, ctx);
  fastPath = registerVerifyRoutes(app, ctx, {
    trustProxy: opts.trustProxy || [],
    bodyAjv,
    paramAjv,
    logger: opts.logger,
    hsts: Boolean(opts.tls),
    clientCertificates: opts.tls?.clientCertificates ?? null,
    publicUrl: opts.publicUrl,
  });
  return { app, ctx };
}
