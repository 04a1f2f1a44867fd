// The one way an audit event is written: every service and the HTTP edge (auth.denied) go through
// here, so each event has the same id, time, actor, address and request id. Events are appended in
// the transaction of the change they record (README, Security model) — and so are the webhook
// deliveries of the actions that are also webhook events (README "Webhooks").
import { newId } from '../../shared/ids.js';
import type { Store, StoreOps, TokenRecord } from '../store/types.js';
import type { Caller } from './caller.js';
import type { WebhookEvents } from './events.js';

interface AuditEntry {
  action: string;
  target: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
  /** The token as the change left it, for the webhook event (read from `tx` when absent). */
  token?: TokenRecord;
}

export class AuditWriter {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly events: WebhookEvents | null = null,
  ) {}

  /** Appends an event in `tx`; `actor` is null only for what the server does on its own (bootstrap). */
  async record(tx: StoreOps, actor: Caller | null, entry: AuditEntry): Promise<void> {
    const at = this.clock();
    await tx.insertAudit({
      id: newId('evt', at),
      at,
      actor: actor?.token.id ?? null,
      actorIp: actor?.ip ?? null,
      action: entry.action,
      target: entry.target,
      reason: entry.reason ?? null,
      requestId: actor?.requestId ?? null,
      details: entry.details ?? {},
    });
    if (this.events?.isWebhookEvent(entry.action) && entry.target !== null) {
      const token = entry.token ?? (await tx.getToken(entry.target));
      if (token) await this.events.emit(tx, entry.action, this.events.tokenData(token, actor, { reason: entry.reason ?? null, details: entry.details ?? {} }));
    }
  }

  /** A known token refused permission: no change commits with it, so it gets a transaction of its own. */
  denied(caller: Caller, target: string | null, reason: string, details: Record<string, unknown>): Promise<void> {
    return this.store.transaction((tx) => this.record(tx, caller, { action: 'auth.denied', target, reason, details }));
  }
}
