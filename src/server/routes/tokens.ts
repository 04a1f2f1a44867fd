// /v1/tokens: HTTP shape of the token lifecycle; every rule is in TokenService.
import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  CreateTokenBody,
  ListTokensQuery,
  PatchTokenBody,
  RevokeBody,
  LookupByValueBody,
  LookupByValueResponse,
  RevokeByValueBody,
  RevokeByValueResponse,
  RotateBody,
  RotateResponse,
  RotationOutcome,
  ScopesBody,
  SuspendBody,
  type Token,
  TokenIdParams,
  TokenRef,
  TokenPage,
  TokenWithSecret,
} from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { authenticated, scoped, type TypedApp } from './types.js';
import { NEEDS } from '../service/authz.js';
import { DomainError, type ErrorKind } from '../service/errors.js';
import type { IdempotentResult } from '../service/idempotency.js';

const tags = ['tokens'];
/** A route on one token: the token may not exist, and answers carry its version as ETag. */
const onOneToken = (...more: ErrorKind[]) => ({ ...authenticated, answers: { refusals: ['not_found', ...more] as ErrorKind[], headers: { 200: ['ETag'] as const } } });
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
      config: { ...authenticated, answers: { refusals: ['conflict', 'unprocessable'], headers: { 201: ['Idempotent-Replayed'] } } },
      schema: {
        tags,
        operationId: 'createToken',
        ...scoped('Create a token; the secret is returned once', NEEDS.writeTokens),
        headers: IdempotencyHeaders,
        body: CreateTokenBody,
        response: { 201: TokenWithSecret },
      },
    },
    async (req, reply) => sendIdempotent(reply, await ctx.tokens.create(req.caller!, req.body, req.headers['idempotency-key'])),
  );

  app.get(
    '/v1/tokens',
    {
      config: authenticated,
      schema: { tags, operationId: 'listTokens', ...scoped('List tokens, cursor-paginated in creation order', NEEDS.readTokens), querystring: ListTokensQuery, response: { 200: TokenPage } },
    },
    async (req) => ctx.tokens.list(req.caller!, req.query),
  );

  app.post(
    '/v1/tokens/revoke-by-value',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'revokeTokensByValue',
        ...scoped('Revoke tokens by their secret values, up to 1,000 at once', NEEDS.revokeTokens),
        body: RevokeByValueBody,
        response: { 200: RevokeByValueResponse },
      },
    },
    async (req) => ctx.tokens.revokeByValue(req.caller!, req.body.secrets, req.body.reason),
  );

  app.post(
    '/v1/tokens/lookup-by-value',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'lookUpTokensByValue',
        ...scoped('Which tokens secrets belong to and whether they work now, up to 1,000 at once; changes nothing', NEEDS.lookUpSecrets),
        body: LookupByValueBody,
        response: { 200: LookupByValueResponse },
      },
    },
    async (req) => ctx.tokens.lookupByValue(req.caller!, req.body.secrets),
  );

  app.get(
    '/v1/tokens/:id',
    { config: onOneToken(), schema: { tags, operationId: 'getToken', ...scoped('Show one token; ETag is its version', NEEDS.readTokens), params: TokenIdParams, response: { 200: TokenRef } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.get(req.caller!, req.params.id)),
  );

  app.patch(
    '/v1/tokens/:id',
    {
      config: onOneToken('precondition_failed', 'conflict', 'unprocessable'),
      schema: {
        tags,
        operationId: 'updateToken',
        ...scoped('Update name, description, owner, expiry, CIDRs, audiences, rate limit or metadata; a change that loosens the token needs every scope it has', NEEDS.writeTokens),
        params: TokenIdParams,
        headers: IfMatchHeaders,
        body: PatchTokenBody,
        response: { 200: TokenRef },
      },
    },
    async (req, reply) =>
      withEtag(reply, await ctx.tokens.update(req.caller!, req.params.id, req.body, parseIfMatch(req.headers['if-match']))),
  );

  app.post(
    '/v1/tokens/:id/scopes',
    {
      config: onOneToken('conflict', 'unprocessable'),
      schema: {
        tags,
        operationId: 'editTokenScopes',
        ...scoped('Add/remove or set the scopes of a token; only scopes the caller holds can be granted', NEEDS.writeTokens),
        params: TokenIdParams,
        body: ScopesBody,
        response: { 200: TokenRef },
      },
    },
    async (req, reply) => withEtag(reply, await ctx.tokens.editScopes(req.caller!, req.params.id, req.body)),
  );

  app.post(
    '/v1/tokens/:id/rotate',
    {
      config: { ...authenticated, answers: { refusals: ['not_found', 'conflict', 'unprocessable'], headers: { 201: ['Idempotent-Replayed'] } } },
      schema: {
        tags,
        operationId: 'rotateToken',
        ...scoped('Rotate: create a successor with a new secret; the old token ends after overlap_seconds; needs every scope the token has, and not from itself', NEEDS.writeTokens),
        params: TokenIdParams,
        headers: IdempotencyHeaders,
        body: RotateBody,
        response: { 201: RotateResponse },
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
        config: { ...authenticated, answers: { refusals: ['not_found', 'conflict'] } },
        schema: {
          tags,
          operationId: outcome === 'complete' ? 'completeRotation' : 'abortRotation',
          ...scoped(
            outcome === 'complete'
              ? 'Complete a pending rotation: the old token now ends after its overlap'
              : 'Abort a pending rotation: revoke the successor, keep the old token as it was',
            NEEDS.writeTokens,
          ),
          params: TokenIdParams,
          body: RevokeBody,
          response: { 200: RotationOutcome },
        },
      },
      async (req) => ctx.tokens.finishRotation(req.caller!, req.params.id, outcome, req.body.reason),
    );
  }

  app.post(
    '/v1/tokens/:id/suspend',
    { config: onOneToken('conflict'), schema: { tags, operationId: 'suspendToken', ...scoped('Suspend a token', NEEDS.revokeTokens), params: TokenIdParams, body: SuspendBody, response: { 200: TokenRef } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.suspend(req.caller!, req.params.id, req.body.reason)),
  );

  app.post(
    '/v1/tokens/:id/resume',
    { config: onOneToken('conflict'), schema: { tags, operationId: 'resumeToken', ...scoped('Resume a suspended token; needs every scope the token has', NEEDS.writeTokens), params: TokenIdParams, body: SuspendBody, response: { 200: TokenRef } } },
    async (req, reply) => withEtag(reply, await ctx.tokens.resume(req.caller!, req.params.id, req.body.reason)),
  );

  app.post(
    '/v1/tokens/:id/revoke',
    {
      config: onOneToken(),
      schema: { tags, operationId: 'revokeToken', ...scoped('Revoke a token for good; revoking a revoked token succeeds', NEEDS.revokeTokens), params: TokenIdParams, body: RevokeBody, response: { 200: TokenRef } },
    },
    async (req, reply) => withEtag(reply, await ctx.tokens.revoke(req.caller!, req.params.id, req.body.reason)),
  );
}
