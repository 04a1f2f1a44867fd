// Events pushed out to webhooks (README "Webhooks"): each one is fanned out, in the transaction of
// the change it announces, into one delivery per webhook that wants it — the outbox the delivery
// worker sends from — so no change can commit without its event, and no event exists without it.
import { newId } from '../../shared/ids.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../shared/wire-constants.js';
import type { StoreOps, TokenRecord } from '../store/types.js';
import type { Caller } from './caller.js';
import { iso, tokenToWire } from './wire.js';

/** Audit actions that are also webhook events, under the same name. */
const AUDITED_EVENTS = new Set<string>(WEBHOOK_EVENT_TYPES);

export interface EventActor {
  id: string;
  ip: string | null;
  request_id: string | null;
}

export const actorOf = (caller: Caller | null): EventActor | null => (caller ? { id: caller.token.id, ip: caller.ip, request_id: caller.requestId } : null);

export class WebhookEvents {
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly clock: () => number) {}

  /** Told (after a short delay, by then usually committed) that deliveries were queued: the worker. */
  onQueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  isWebhookEvent(action: string): action is WebhookEventType {
    return AUDITED_EVENTS.has(action);
  }

  /**
   * Queues `type` for every webhook that wants it (or only for `onlyWebhook`); returns how many
   * deliveries that made. The payload is the Standard Webhooks shape: type, timestamp, data.
   */
  async emit(tx: StoreOps, type: WebhookEventType | 'webhook.test', data: Record<string, unknown>, onlyWebhook?: string): Promise<string[]> {
    const webhooks = (await tx.listWebhooks()).filter((w) => (onlyWebhook ? w.id === onlyWebhook : (w.events as string[]).includes(type)));
    if (!webhooks.length) return [];
    const now = this.clock();
    const payload = JSON.stringify({ type, timestamp: iso(now), data });
    const deliveries = webhooks.map((w) => ({
      id: newId('msg', now),
      webhookId: w.id,
      eventType: type,
      payload,
      state: 'pending' as const,
      attempts: 0,
      createdAt: now,
      nextAttemptAt: now,
      leaseUntil: null,
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
    }));
    await tx.insertDeliveries(deliveries);
    const poke = setTimeout(() => {
      for (const listener of this.listeners) listener();
    }, 5);
    poke.unref();
    return deliveries.map((d) => d.id);
  }

  /** The `data` of an event about a token: its metadata as the API shows it (never a secret) and who acted. */
  tokenData(token: TokenRecord, actor: Caller | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { token: tokenToWire(token, this.clock()), actor: actorOf(actor), ...extra };
  }
}
