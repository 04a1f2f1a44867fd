// /v1/session: the console's sign-in (a token secret for a session cookie), the session it is in,
// sign-out, and a stream that says when the session ends. HTTP shape only; rules in SessionService.
import { Type } from '@sinclair/typebox';
import { limitFailedAuth } from '../auth-limiter.js';
import type { AppContext } from '../context.js';
import { SessionInfo, SignInBody } from '../../shared/schemas.js';
import type { ActiveSession } from '../service/sessions.js';
import { DomainError } from '../service/errors.js';
import { tokenToWire } from '../service/wire.js';
import { assertCookieKept, assertSameOrigin, clearSessionCookie, CSRF_HEADER, setSessionCookie } from '../session-cookie.js';
import { authenticated, type TypedApp } from './types.js';
import { VERSION } from '../../version.js';

const tags = ['console'];
const HEARTBEAT_MS = 25_000;
const CsrfHeaders = Type.Object({ [CSRF_HEADER]: Type.Optional(Type.String({ description: 'the session’s csrf_token (GET /v1/session); required on every change made with a session' })) });

export function registerSessionRoutes(app: TypedApp, ctx: AppContext): void {
  const info = (id: string, session: ActiveSession): SessionInfo => ({
    token: tokenToWire(session.token, ctx.deps.clock()),
    server: { version: VERSION, secret_prefix: ctx.deps.secretPrefix },
    session: {
      expires_at: new Date(session.record.expiresAt).toISOString(),
      idle_timeout_seconds: Math.round(ctx.sessions.settings.idleTimeoutMs / 1000),
      csrf_token: ctx.sessions.csrfToken(id),
    },
  });
  const current = (session: (ActiveSession & { id: string }) | undefined) => {
    if (!session) throw DomainError.notFound('console session (this request carries a bearer token, not a session cookie)');
    return session;
  };

  app.post(
    '/v1/session',
    {
      // 401 a wrong secret, 403 another origin or plain HTTP beyond loopback, 429 too many failures.
      config: { answers: { refusals: ['unauthenticated', 'forbidden', 'rate_limited'], headers: { 201: ['Set-Cookie'] } } },
      schema: {
        tags,
        operationId: 'signIn',
        summary: 'Sign in to the console: exchange a token secret for an HttpOnly session cookie (failed attempts count toward the per-address limit)',
        security: [],
        body: SignInBody,
        response: { 201: SessionInfo },
      },
    },
    async (req, reply) => {
      assertSameOrigin(req);
      assertCookieKept(req);
      const secret = req.body.secret.trim();
      const token = await limitFailedAuth(ctx.authLimiter, req.ip, secret, ctx.mayBeLive, async () => {
        try {
          return await ctx.authn.authenticate(secret, req.ip);
        } catch (err) {
          if (err instanceof DomainError && err.kind === 'unauthenticated') {
            throw new DomainError('unauthenticated', 'sign_in_failed', 'sign-in refused: that is not the secret of an active token');
          }
          throw err;
        }
      });
      const { id, record } = await ctx.sessions.signIn({ token, ip: req.ip, requestId: req.id });
      setSessionCookie(req, reply, id, record.expiresAt, ctx.deps.clock());
      return reply.code(201).send(info(id, { record, token }));
    },
  );

  app.get(
    '/v1/session',
    {
      config: { ...authenticated, answers: { refusals: ['not_found'] } },
      schema: { tags, operationId: 'getSession', summary: 'The console session this request is in, its token and its CSRF token (404 with a bearer token)', security: [{ session: [] }], response: { 200: SessionInfo } },
    },
    async (req) => {
      const session = current(req.session);
      return info(session.id, session);
    },
  );

  app.delete(
    '/v1/session',
    {
      config: { ...authenticated, answers: { refusals: ['not_found'], headers: { 204: ['Set-Cookie'] } } },
      schema: {
        tags,
        operationId: 'signOut',
        summary: 'Sign out: end the console session (needs its CSRF token in X-CSRF-Token)',
        security: [{ session: [] }],
        headers: CsrfHeaders,
        response: { 204: Type.Null({ description: 'Signed out; the cookie is cleared' }) },
      },
    },
    async (req, reply) => {
      const session = current(req.session);
      await ctx.sessions.signOut(session.id, req.caller!);
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  // Open event streams, ended when the server shuts down (they would otherwise hold it open).
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/v1/session/events',
    {
      config: { ...authenticated, answers: { refusals: ['not_found'], headers: { 200: ['X-Accel-Buffering'] } } },
      schema: {
        tags,
        operationId: 'watchSession',
        summary: 'Server-sent events for the console: one `ended` event (data: {reason, message}) when the session ends, by sign-out, a change to its token, or time',
        security: [{ session: [] }],
        response: {
          200: {
            description: 'An event stream that stays open until the session ends: `event: ended` with `data: {"reason", "message"}`, then the end of the stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (req, reply) => {
      const session = current(req.session);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS).unref();
      const end = () => {
        clearInterval(heartbeat);
        stopWatching();
        streams.delete(end);
        res.end();
      };
      const stopWatching = ctx.sessions.watch(session.id, session, (reason, message) => {
        res.write(`event: ended\ndata: ${JSON.stringify({ reason, message })}\n\n`);
        end();
      });
      streams.add(end);
      req.raw.on('close', end);
    },
  );
}
