// /v1/tokens: HTTP shape of the token lifecycle; every rule is in TokenService.
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  CreateTokenBody,
  ListTokensQuery,
  PatchTokenBody,
  Problem,
  RevokeBody,
  RevokeByValueBody,
  RevokeByValueResponse,
  RotateBody,
  RotateResponse,
  RotationOutcome,
  ScopesBody,
  SuspendBody,
  Token,
  TokenIdParams,
  TokenPage,
  TokenWithSecret,
} from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { authenticated, scoped, type TypedApp } from './types.js';
import { NEEDS } from '../service/authz.js';
import { DomainError } from '../service/errors.js';
import type { IdempotentResult } from '../service/idempotency.js';

const tags = ['tokens'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'replays the first response for 24 h; 422 with a different body, 409 while in flight' })),
});
const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'the ETag from GET; 412 when the token changed since' })) });

function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.status).send(result.body);
}

function withEtag(reply: FastifyReply, token: Token): Token {
  reply.header('etag', `"${token.version}"`);
  return token;
}

function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(value);
  if (!match) throw DomainError.invalidInput('If-Match must be an ETag returned by this server, like "3"', 'If-Match');
  return Number(match[1]);
}

export function registerTokenRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/tokens',
    {
      config: authenticated,
      schema: {
        tags,
        ...scoped('Create a token; the secret is returned once', NEEDS.writeTokens),
        headers: IdempotencyHeaders,
        body: CreateTokenBody,
        response: { 201: TokenWithSecret, ...errors, 422: Problem },
      },
    },
    async (req, reply) => sendIdempotent(reply, await ctx.tokens.create(req.caller!, req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/v1/tokens',
    {
      config: authenticated,
      schema: { tags, ...scoped('List tokens, cursor-paginated in creation order', NEEDS.readTokens), querystring: ListTokensQuery, response: { 200: TokenPage, ...errors } },
    },
    async (req) => ctx.tokens.list(req.caller!, req.query),
  );

  app.post(
    '/v1/tokens/revoke-by-value',
    {
      config: authenticated,
      schema: {
        tags,
        ...scoped('Revoke tokens by their secret values, up to 1,000 at once', NEEDS.revokeTokens),
        body: RevokeByValueBody,
        response: { 200: RevokeByValueResponse, ...errors },
      },
    },
    async (req) => ctx.tokens.revokeByValue(req.caller!, req.body.secrets, req.body.reason),
  );

  app.get(
    '/v1/tokens/:id',
    { config: authenticated, schema: { tags, ...scoped('Show one token; ETag is its version', NEEDS.readTokens), params: TokenIdParams, response: { 200: Token, ...errors } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.get(req.caller!, req.params.id)),
  );

  app.patch(
    '/v1/tokens/:id',
    {
      config: authenticated,
      schema: {
        tags,
        ...scoped('Update name, description, expiry, CIDRs, audiences, rate limit or metadata; a change that loosens the token needs every scope it has', NEEDS.writeTokens),
        params: TokenIdParams,
        headers: IfMatchHeaders,
        body: PatchTokenBody,
        response: { 200: Token, ...errors, 412: Problem },
      },
    },
    async (req, reply) =>
      withEtag(reply, await ctx.tokens.update(req.caller!, req.params.id, req.body, parseIfMatch(req.headers['if-match']))),
  );

  app.post(
    '/v1/tokens/:id/scopes',
    {
      config: authenticated,
      schema: {
        tags,
        ...scoped('Add/remove or set the scopes of a token; only scopes the caller holds can be granted', NEEDS.writeTokens),
        params: TokenIdParams,
        body: ScopesBody,
        response: { 200: Token, ...errors },
      },
    },
    async (req, reply) => withEtag(reply, await ctx.tokens.editScopes(req.caller!, req.params.id, req.body)),
  );

  app.post(
    '/v1/tokens/:id/rotate',
    {
      config: authenticated,
      schema: {
        tags,
        ...scoped('Rotate: create a successor with a new secret; the old token ends after overlap_seconds; needs every scope the token has, and not from itself', NEEDS.writeTokens),
        params: TokenIdParams,
        headers: IdempotencyHeaders,
        body: RotateBody,
        response: { 201: RotateResponse, ...errors, 422: Problem },
      },
    },
    async (req, reply) =>
      sendIdempotent(
        reply,
        await ctx.tokens.rotate(req.caller!, req.params.id, req.body.overlap_seconds ?? 0, req.headers['idempotency-key'], req.body.pending ?? false),
      ),
  );

  for (const outcome of ['complete', 'abort'] as const) {
    app.post(
      `/v1/tokens/:id/rotate/${outcome}`,
      {
        config: authenticated,
        schema: {
          tags,
          ...scoped(
            outcome === 'complete'
              ? 'Complete a pending rotation: the old token now ends after its overlap'
              : 'Abort a pending rotation: revoke the successor, keep the old token as it was',
            NEEDS.writeTokens,
          ),
          params: TokenIdParams,
          body: RevokeBody,
          response: { 200: RotationOutcome, ...errors },
        },
      },
      async (req) => ctx.tokens.finishRotation(req.caller!, req.params.id, outcome, req.body.reason),
    );
  }

  app.post(
    '/v1/tokens/:id/suspend',
    { config: authenticated, schema: { tags, ...scoped('Suspend a token', NEEDS.revokeTokens), params: TokenIdParams, body: SuspendBody, response: { 200: Token, ...errors } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.suspend(req.caller!, req.params.id, req.body.reason)),
  );

  app.post(
    '/v1/tokens/:id/resume',
    { config: authenticated, schema: { tags, ...scoped('Resume a suspended token; needs every scope the token has', NEEDS.writeTokens), params: TokenIdParams, body: SuspendBody, response: { 200: Token, ...errors } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.resume(req.caller!, req.params.id, req.body.reason)),
  );

  app.post(
    '/v1/tokens/:id/revoke',
    {
      config: authenticated,
      schema: { tags, ...scoped('Revoke a token for good; revoking a revoked token succeeds', NEEDS.revokeTokens), params: TokenIdParams, body: RevokeBody, response: { 200: Token, ...errors } },
    },
    async (req, reply) => withEtag(reply, await ctx.tokens.revoke(req.caller!, req.params.id, req.body.reason)),
  );
}
