// Unauthenticated operational endpoints: health, readiness, metrics and the OpenAPI document.
import type { AppContext } from '../context.js';
import type { TypedApp } from './types.js';
import { VERSION } from '../../version.js';

const hide = { hide: true };

export function registerOpsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get('/healthz', { schema: { ...hide } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { ...hide } }, async (_req, reply) => {
    try {
      await ctx.deps.store.ping();
      return { status: 'ready', store: ctx.deps.store.kind, schema_version: await ctx.deps.store.schemaVersion(), version: VERSION };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: ctx.deps.store.kind });
    }
  });

  app.get('/metrics', { schema: { ...hide } }, async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await ctx.metrics.render()),
  );

  app.get('/openapi.json', { schema: { ...hide } }, async () => app.swagger());
}
