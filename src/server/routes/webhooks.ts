// /v1/webhooks (README "Webhooks"): HTTP shape only; the rules are in WebhookService.
import { CreateWebhookBody, Delivery, DeliveryPage, ListDeliveriesQuery, Problem, Webhook, WebhookIdParams, WebhookList, WebhookWithSecret } from '../../shared/schemas.js';
import type { AppContext } from '../context.js';
import { authenticated, type TypedApp } from './types.js';

const tags = ['webhooks'];
const errors = { 400: Problem, 401: Problem, 403: Problem };

export function registerWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/webhooks',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'createWebhook',
        summary: 'Add a webhook (scope management); its signing secret is returned once',
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecret, ...errors, 409: Problem },
      },
    },
    async (req, reply) => reply.code(201).send(await ctx.webhooks.create(req.caller!, req.body)),
  );

  app.get(
    '/v1/webhooks',
    { config: authenticated, schema: { tags, operationId: 'listWebhooks', summary: 'The webhooks (scope management)', response: { 200: WebhookList, ...errors } } },
    async (req) => ctx.webhooks.list(req.caller!),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: authenticated,
      schema: { tags, operationId: 'getWebhook', summary: 'One webhook (scope management)', params: WebhookIdParams, response: { 200: Webhook, ...errors, 404: Problem } },
    },
    async (req) => ctx.webhooks.get(req.caller!, req.params.id),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'deleteWebhook',
        summary: 'Remove a webhook and its deliveries (scope management)',
        params: WebhookIdParams,
        response: { 204: { type: 'null' }, ...errors, 404: Problem },
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
      config: authenticated,
      schema: {
        tags,
        operationId: 'testWebhook',
        summary: 'Queue a webhook.test event for this webhook (scope management); follow it in its deliveries',
        params: WebhookIdParams,
        response: { 202: Delivery, ...errors, 404: Problem },
      },
    },
    async (req, reply) => reply.code(202).send(await ctx.webhooks.test(req.caller!, req.params.id)),
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: authenticated,
      schema: {
        tags,
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's deliveries, newest first, cursor-paginated (scope management)",
        params: WebhookIdParams,
        querystring: ListDeliveriesQuery,
        response: { 200: DeliveryPage, ...errors, 404: Problem },
      },
    },
    async (req) => ctx.webhooks.deliveries(req.caller!, req.params.id, req.query),
  );
}
