// Unauthenticated operational endpoints: health, readiness, metrics and the OpenAPI document.
import { Type } from '@sinclair/typebox';
import { Health, Readiness, Unreadiness } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import type { TypedApp } from './types.js';
import { VERSION } from '../../version.js';

const tags = ['operations'];
const security: { [scheme: string]: string[] }[] = [];

export function registerOpsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get('/healthz', { schema: { tags, security, operationId: 'getHealth', summary: 'Liveness: the process answers', response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        security,
        operationId: 'getReadiness',
        summary: 'Readiness: the store answers; shows the store and its schema version',
        response: { 200: Readiness, 503: Unreadiness },
      },
    },
    async (_req, reply) => {
      try {
        await ctx.deps.store.ping();
        return { status: 'ready' as const, store: ctx.deps.store.kind, schema_version: await ctx.deps.store.schemaVersion(), version: VERSION };
      } catch {
        return reply.code(503).send({ status: 'unavailable', store: ctx.deps.store.kind });
      }
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags,
        security,
        operationId: 'getMetrics',
        summary: 'Prometheus metrics, text format 0.0.4',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await ctx.metrics.render()),
  );

  app.get(
    '/openapi.json',
    {
      schema: {
        tags,
        security,
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI 3.1 document',
        response: { 200: Type.Object({ openapi: Type.String() }, { description: 'the OpenAPI document', additionalProperties: true }) },
      },
    },
    // The generated document (cached by @fastify/swagger); every member passes through as additional properties.
    async () => app.swagger() as { openapi: string },
  );
}
