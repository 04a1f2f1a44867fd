// The verify endpoints gateways call on every request (README, Verify path and gateways): declared
// here with their schemas (which validate input and produce the OpenAPI document) and served through
// VerifyEndpoints, either by these routes or, for the common case, by the fast path that runs ahead
// of fastify (verify/fast-path.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Ajv } from 'ajv';
import type { Logger } from 'pino';
import { isIPv6, type Socket } from 'node:net';
import { AuthorizationServerMetadata, ForwardAuthQuery, IntrospectBody, IntrospectResponse } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { toApiError, validationProblem, type ApiError } from '../problems.js';
import type { TypedApp } from './types.js';
import { ClientAddress } from '../verify/client-address.js';
import { ClientCertificates } from '../verify/client-cert.js';
import { type VerifyRequest, VerifyEndpoints } from '../verify/endpoints.js';
import { createFastPath, type FastPath } from '../verify/fast-path.js';
import { parseForm } from '../verify/form.js';
import { CLIENT_AUTH_METHODS, oauthReply } from '../verify/oauth.js';
import type { VerifyReply } from '../verify/reply.js';

interface VerifyRouteOptions {
  /** Proxies whose X-Forwarded-For / X-Real-IP name the client (`--trust-proxy`). */
  trustProxy: string[];
  bodyAjv: Ajv;
  paramAjv: Ajv;
  logger: Logger | false;
  /** Serving TLS: Strict-Transport-Security goes on the fast path's answers too. */
  hsts: boolean;
  /** Serving TLS with a client CA (`--tls-client-ca`): whether verify calls need a certificate from it. */
  clientCertificates: { required: boolean } | null;
  /** Where clients reach this server (`--public-url`): the issuer of the RFC 8414 metadata. */
  publicUrl?: string;
}

const tags = ['verify'];
/** The gateway's own token is checked by the endpoint itself: refused, forbidden or throttled. */
const CALLER_REFUSALS = ['unauthenticated', 'forbidden', 'rate_limited'] as const;
// The two credentials (Authorization, X-Verifier-Token) are the operation's security schemes (openapi.ts).
const ForwardAuthHeaders = Type.Object({
  'x-required-scope': Type.Optional(Type.String({ description: 'scopes the route needs, when not given as the scope query parameter' })),
  'x-required-audience': Type.Optional(Type.String({ description: 'the protected service, when not given as the audience query parameter' })),
  'x-forwarded-for': Type.Optional(Type.String({ description: "the client's address; believed only from a trusted proxy (--trust-proxy)" })),
  'x-real-ip': Type.Optional(Type.String({ description: 'used when X-Forwarded-For is absent; believed only from a trusted proxy' })),
});

/** host:port of the address a connection reached, as a URL writes it. */
function socketHost(socket: Socket): string {
  const address = socket.localAddress ?? '127.0.0.1';
  return `${isIPv6(address) ? `[${address}]` : address}:${socket.localPort}`;
}

function verifyRequest(req: FastifyRequest): VerifyRequest {
  return { peer: req.raw.socket.remoteAddress, headers: req.headers, requestId: req.id, connection: req.raw.socket };
}

/** What the route's schema refused, kept for the endpoint to answer once the caller is admitted (attachValidation). */
function invalidInput(req: FastifyRequest): ApiError | null {
  const failed = req.validationError;
  return failed ? validationProblem(failed.validation, failed.validationContext, failed.message) : null;
}

function sendReply(reply: FastifyReply, answer: VerifyReply): FastifyReply {
  for (let i = 0; i < answer.headers.length; i += 2) reply.header(answer.headers[i]!, answer.headers[i + 1]!);
  if (answer.contentType !== null) reply.type(answer.contentType);
  return reply.code(answer.status).send(answer.body);
}

/** Registers the routes and returns the fast path that serves them ahead of fastify. */
export function registerVerifyRoutes(app: TypedApp, ctx: AppContext, opts: VerifyRouteOptions): FastPath {
  const endpoints = new VerifyEndpoints({
    verifier: ctx.verifier,
    clock: ctx.deps.clock,
    clientAddress: new ClientAddress(opts.trustProxy),
    usage: ctx.usage,
    authLimiter: ctx.authLimiter,
    counters: ctx.hotCounters,
    log: opts.logger,
    clientCertificates: opts.clientCertificates && new ClientCertificates({ ...opts.clientCertificates, counters: ctx.hotCounters, log: opts.logger }),
  });

  const routes: FastifyPluginAsyncTypebox = async (scope) => {
    // RFC 7662 callers send forms; the parser is scoped to these routes.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)));

    scope.post(
      '/v1/introspect',
      {
        // Validated, but answered by the endpoint after the caller: a 401 says nothing about the body.
        attachValidation: true,
        config: { answers: { refusals: CALLER_REFUSALS, headers: { 200: ['Retry-After'] }, oauthErrors: true } },
        schema: {
          tags,
          operationId: 'introspectToken',
          summary: 'RFC 7662 introspection: is this token usable, for these scopes, this audience, from this address? (caller needs scope verify)',
          description:
            'The caller authenticates with its own token holding scope verify: Authorization: Bearer <token>, HTTP Basic with any client id ' +
            'and the token as the password (client_secret_basic), or client_id and client_secret in the body (client_secret_post). ' +
            'Errors are OAuth errors (RFC 6749 §5.2) as application/json, with the problem+json members alongside; ' +
            'the caller is authenticated before the body is validated.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: IntrospectBody,
          response: { 200: IntrospectResponse },
        },
        // Errors fastify finds itself (parsing, size, media type) in OAuth shape too.
        errorHandler: (err, req, reply) => sendReply(reply, oauthReply(toApiError(err), req.id, 'none')),
      },
      async (req, reply) => sendReply(reply, await endpoints.introspect(verifyRequest(req), req.body, invalidInput(req))),
    );

    // RFC 8414 metadata, so clients that discover endpoints find the introspection endpoint. An issuer
    // with a path (https://example.com/tokens) is looked up below the well-known path.
    const metadataSchema = {
      tags,
      operationId: 'getAuthorizationServerMetadata',
      summary: 'RFC 8414 authorization server metadata: the issuer and the introspection endpoint',
      security: [],
      response: { 200: AuthorizationServerMetadata },
    };
    for (const [url, hidden] of [['/.well-known/oauth-authorization-server', false], ['/.well-known/oauth-authorization-server/*', true]] as const) {
      scope.get(url, { schema: hidden ? { ...metadataSchema, hide: true } : metadataSchema }, async (req) => {
        // An HTTP/1.0 request may come without Host: the address it reached then names the server.
        const issuer = opts.publicUrl ?? `${req.protocol}://${req.host || socketHost(req.socket)}`;
        return {
          issuer,
          introspection_endpoint: `${issuer}/v1/introspect`,
          introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
          response_types_supported: [],
        };
      });
    }

    const forwardAuthSchema = {
      tags,
      operationId: 'forwardAuth',
      summary: 'Forward-auth for nginx auth_request, Traefik ForwardAuth and Envoy ext_authz: 200 with X-Token-Id and X-Token-Scopes, else 401/403/429',
      description:
        'Two credentials: the gateway\'s own token (scope verify) in X-Verifier-Token, and the token being checked in ' +
        'Authorization, exactly as the client sent it. Requirements given as query parameters and as headers add up (a client ' +
        'can only make them stricter). Any path below /v1/auth is the same endpoint, for Envoy ext_authz path_prefix.',
      security: [{ verifierToken: [], bearer: [] }],
      querystring: ForwardAuthQuery,
      headers: ForwardAuthHeaders,
      response: { 200: { description: 'Admitted; X-Token-Id and X-Token-Scopes name the token', type: 'null' } },
    };
    const config = { answers: { refusals: CALLER_REFUSALS, headers: { 200: ['X-Token-Id', 'X-Token-Scopes'] as const } } };
    // Envoy ext_authz appends the original path (its path_prefix): the same endpoint, left out of the document.
    for (const [url, hidden] of [['/v1/auth', false], ['/v1/auth/*', true]] as const) {
      scope.get(url, { attachValidation: true, config, schema: hidden ? { ...forwardAuthSchema, hide: true } : forwardAuthSchema }, async (req, reply) =>
        sendReply(reply, await endpoints.forwardAuth(verifyRequest(req), req.query, invalidInput(req))),
      );
    }
  };
  void app.register(routes);

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  return createFastPath({
    endpoints,
    validateIntrospect: opts.bodyAjv.compile(IntrospectBody),
    validateAuthQuery: opts.paramAjv.compile(ForwardAuthQuery),
    counters: ctx.hotCounters,
    log: opts.logger,
    hsts: opts.hsts,
    isClosing: () => closing,
  });
}
