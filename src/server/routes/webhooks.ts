// /v1/webhooks (README "Webhooks"): HTTP shape only; the rules are in WebhookService.
import { CreateWebhookBody, Delivery, DeliveryPage, ListDeliveriesQuery, Webhook, WebhookIdParams, WebhookList, WebhookWithSecret } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { NEEDS } from '../service/authz.js';
import { authenticated, scoped, type TypedApp } from './types.js';

const tags = ['webhooks'];
/** A route on one webhook, which may not exist. */
const onOneWebhook = { ...authenticated, answers: { refusals: ['not_found'] as const } };

export function registerWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/webhooks',
    {
      // 409: the server keeps at most 100 webhooks.
      config: { ...authenticated, answers: { refusals: ['conflict'] } },
      schema: {
        tags,
        operationId: 'createWebhook',
        ...scoped('Add a webhook; its signing secret is returned once', NEEDS.manage),
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret },
      },
    },
    async (req, reply) => reply.code(201).send(await ctx.webhooks.create(req.caller!, req.body)),
  );

  app.get(
    '/v1/webhooks',
    { config: authenticated, schema: { tags, operationId: 'listWebhooks', ...scoped('The webhooks, never their secrets', NEEDS.manage), response: { 200: WebhookList } } },
    async (req) => ctx.webhooks.list(req.caller!),
  );

  app.get(
    '/v1/webhooks/:id',
    { config: onOneWebhook, schema: { tags, operationId: 'getWebhook', ...scoped('One webhook', NEEDS.manage), params: WebhookIdParams, response: { 200: Webhook } } },
    async (req) => ctx.webhooks.get(req.caller!, req.params.id),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: onOneWebhook,
      schema: {
        tags,
        operationId: 'deleteWebhook',
        ...scoped('Remove a webhook and its deliveries', NEEDS.manage),
        params: WebhookIdParams,
        response: { 204: { description: 'removed', type: 'null' } },
      },
    },
    async (req, reply) => {
      await ctx.webhooks.remove(req.caller!, req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/webhooks/:id/test',
    {
      config: onOneWebhook,
      schema: {
        tags,
        operationId: 'testWebhook',
        ...scoped('Queue a webhook.test event for this webhook; follow it in its deliveries', NEEDS.manage),
        params: WebhookIdParams,
        response: { 202: Delivery },
      },
    },
    async (req, reply) => reply.code(202).send(await ctx.webhooks.test(req.caller!, req.params.id)),
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: onOneWebhook,
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        ...scoped("A webhook's deliveries, newest first, cursor-paginated", NEEDS.manage),
        params: WebhookIdParams,
        querystring: ListDeliveriesQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (req) => ctx.webhooks.deliveries(req.caller!, req.params.id, req.query),
  );
}
