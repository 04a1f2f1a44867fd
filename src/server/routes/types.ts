// What the route modules share: a fastify instance whose request and reply types come from the
// TypeBox schemas that also validate the request and make the OpenAPI document, and the
// authenticated caller that the auth hook (app.ts) puts on a request.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Caller } from '../service/caller.js';
import type { ActiveSession } from '../service/sessions.js';
import type { ErrorKind } from '../service/errors.js';

/** A header a route's answer may carry besides those every answer carries (openapi.ts describes each). */
export type ResponseHeader = 'ETag' | 'Idempotent-Replayed' | 'Retry-After' | 'Set-Cookie' | 'WWW-Authenticate' | 'X-Accel-Buffering' | 'X-Token-Id' | 'X-Token-Scopes';

/** What a route answers beyond its response schemas, for the OpenAPI document (openapi.ts). */
interface RouteAnswers {
  /** The service's refusals the route may pass on; each kind's status comes from problems.ts. */
  refusals?: readonly ErrorKind[];
  /** Headers of its own responses, by status. */
  headers?: Readonly<Record<number, readonly ResponseHeader[]>>;
  /** Its errors are OAuth errors (RFC 6749 §5.2) as application/json, not problem+json (introspection). */
  oauthErrors?: boolean;
}

export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    /** Set when a console session (not a bearer token) authenticated the request. */
    session?: ActiveSession & { id: string };
  }
  interface FastifyContextConfig {
    /** Scopes are checked in the service; this only says a valid token is needed at all. */
    auth?: boolean;
    answers?: RouteAnswers;
  }
}

/** Route config of the management API: a valid bearer token is required (which scopes, the service decides). */
export const authenticated = { auth: true };

/**
 * How the OpenAPI document says who may call a route: the summary names the scopes the service
 * checks (NEEDS, src/shared/grants.ts), and `security` lists each scope that admits it, with a bearer
 * token or a console session, as alternatives (`management` holds every scope).
 */
export function scoped(summary: string, anyOf: readonly string[]): { summary: string; security: ({ bearer: string[] } | { session: string[] })[] } {
  const admitting = anyOf.includes('management') ? anyOf : [...anyOf, 'management'];
  // A console session (the cookie) stands in for its token: the same scopes admit it.
  return { summary: `${summary} (scope ${anyOf.join(' or ')})`, security: admitting.flatMap((scope) => [{ bearer: [scope] }, { session: [scope] }]) };
}
