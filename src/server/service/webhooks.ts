// Webhooks (README "Webhooks"): adding one (its signing secret made here and shown once), listing,
// removing, sending a test event, and reading a webhook's deliveries. Scope management throughout.
import { newId } from '../../shared/ids.js';
import type { CreateWebhookBody, Delivery, DeliveryPage, ListDeliveriesQuery, Webhook, WebhookList, WebhookWithSecret } from '../../shared/schemas.js';
import type { DeliveryRecord, WebhookRecord } from '../store/types.js';
import { checkDestination, ForbiddenAddressError, urlProblem } from '../webhooks/address-policy.js';
import { newSigningSecret, sealSigningSecret } from '../webhooks/signing.js';
import { NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import type { WebhookEvents } from './events.js';
import { decodeCursor, encodeCursor } from './list-query.js';
import { iso } from './wire.js';

const WEBHOOK_ID_RE = /^whk_[0-9a-hjkmnp-tv-z]{26}$/;
const DELIVERY_ID_RE = /^msg_[0-9a-hjkmnp-tv-z]{26}$/;
export const MAX_WEBHOOKS = 100;

export function webhookToWire(w: WebhookRecord): Webhook {
  return { id: w.id, url: w.url, format: w.format, events: w.events, description: w.description, created_at: iso(w.createdAt)!, created_by: w.createdBy };
}

export function deliveryToWire(d: DeliveryRecord): Delivery {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event: d.eventType,
    state: d.state,
    attempts: d.attempts,
    created_at: iso(d.createdAt)!,
    next_attempt_at: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
    last_attempt_at: iso(d.lastAttemptAt),
    last_status: d.lastStatus,
    last_error: d.lastError,
    delivered_at: iso(d.deliveredAt),
    payload: JSON.parse(d.payload) as Record<string, unknown>,
  };
}

export class WebhookService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: WebhookEvents,
    private readonly allowPrivate: boolean,
  ) {}

  private async mustGet(id: string): Promise<WebhookRecord> {
    const webhook = WEBHOOK_ID_RE.test(id) ? await this.deps.store.getWebhook(id) : null;
    if (!webhook) throw DomainError.notFound(`webhook ${id}`);
    return webhook;
  }

  async create(caller: Caller, input: CreateWebhookBody): Promise<WebhookWithSecret> {
    requireScope(caller.token, NEEDS.manage);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw DomainError.invalidInput('url is not a URL', 'url');
    }
    const problem = urlProblem(url);
    if (problem) throw DomainError.invalidInput(problem, 'url');
    try {
      await checkDestination(url, this.allowPrivate);
    } catch (err) {
      if (err instanceof ForbiddenAddressError) throw new DomainError('invalid_input', 'webhook_url_forbidden', err.message, { field: 'url' });
      throw new DomainError('invalid_input', 'webhook_url_unresolvable', `cannot resolve ${url.hostname}: ${(err as Error).message}`, { field: 'url' });
    }
    const secret = newSigningSecret();
    const sealed = sealSigningSecret(secret, this.deps.peppers);
    const now = this.deps.clock();
    const record: WebhookRecord = {
      id: newId('whk', now),
      url: url.toString(),
      format: input.format ?? 'standard',
      events: [...new Set(input.events)],
      description: input.description ?? '',
      secretSealed: sealed.sealed,
      pepperVersion: sealed.pepperVersion,
      createdAt: now,
      createdBy: caller.token.id,
    };
    await this.deps.store.transaction(async (tx) => {
      if ((await tx.listWebhooks()).length >= MAX_WEBHOOKS) throw DomainError.conflict('too_many_webhooks', `a server keeps at most ${MAX_WEBHOOKS} webhooks`);
      await tx.insertWebhook(record);
      // The host only: a URL's path may itself be a credential (Slack's incoming-webhook URLs are).
      await this.deps.audit.record(tx, caller, { action: 'webhook.created', target: record.id, details: { host: url.host, format: record.format, events: record.events } });
    });
    return { webhook: webhookToWire(record), secret };
  }

  async list(caller: Caller): Promise<WebhookList> {
    requireScope(caller.token, NEEDS.manage);
    return { data: (await this.deps.store.listWebhooks()).map(webhookToWire) };
  }

  async get(caller: Caller, id: string): Promise<Webhook> {
    requireScope(caller.token, NEEDS.manage);
    return webhookToWire(await this.mustGet(id));
  }

  async remove(caller: Caller, id: string): Promise<void> {
    requireScope(caller.token, NEEDS.manage);
    await this.deps.store.transaction(async (tx) => {
      const webhook = WEBHOOK_ID_RE.test(id) ? await tx.getWebhook(id) : null;
      if (!webhook) throw DomainError.notFound(`webhook ${id}`);
      await tx.deleteWebhook(id);
      await this.deps.audit.record(tx, caller, { action: 'webhook.deleted', target: id, details: { host: new URL(webhook.url).host } });
    });
  }

  /** Queues a `webhook.test` event for this webhook alone; the worker sends it like any other. */
  async test(caller: Caller, id: string): Promise<Delivery> {
    requireScope(caller.token, NEEDS.manage);
    const webhook = await this.mustGet(id);
    const [deliveryId] = await this.deps.store.transaction((tx) =>
      this.events.emit(tx, 'webhook.test', { webhook_id: webhook.id, message: 'a test event from tokens', actor: { id: caller.token.id, ip: caller.ip, request_id: caller.requestId } }, webhook.id),
    );
    return deliveryToWire((await this.deps.store.getDelivery(deliveryId!))!);
  }

  async deliveries(caller: Caller, id: string, q: ListDeliveriesQuery): Promise<DeliveryPage> {
    requireScope(caller.token, NEEDS.manage);
    await this.mustGet(id);
    const limit = q.limit ?? 50;
    const rows = await this.deps.store.listDeliveries({
      webhookId: id,
      state: q.state,
      beforeId: q.cursor === undefined ? undefined : decodeCursor(q.cursor, DELIVERY_ID_RE),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { data: page.map(deliveryToWire), next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
  }
}
