// Webhooks' statements (README "Webhooks"), for both engines: the webhooks, the outbox of their
// deliveries (written in the transaction of the change they announce), claiming due deliveries so
// that one instance at a time attempts each, and the expiry notices already sent.
import type { DeliveryState } from '../../../shared/wire-constants.js';
import type { DeliveryFilter, DeliveryOutcome, DeliveryRecord, ExpiryCandidate, WebhookRecord } from '../types.js';
import { insertSql, type Tables } from './columns.js';
import type { SqlSession } from './driver.js';
import { DELIVERY_FIELDS, WEBHOOK_FIELDS } from '../fields.js';
import { Params } from './where.js';

const INSERT_WEBHOOK = insertSql('webhooks', WEBHOOK_FIELDS);
const INSERT_DELIVERY = insertSql('webhook_deliveries', DELIVERY_FIELDS);

export async function insertWebhook(session: SqlSession, tables: Tables, webhook: WebhookRecord): Promise<void> {
  await session.run(INSERT_WEBHOOK, tables.webhooks.values(webhook));
}

export async function getWebhook(session: SqlSession, tables: Tables, id: string): Promise<WebhookRecord | null> {
  const [row] = await session.all('SELECT * FROM webhooks WHERE id = ?', [id]);
  return row ? tables.webhooks.fromRow(row) : null;
}

export async function listWebhooks(session: SqlSession, tables: Tables): Promise<WebhookRecord[]> {
  return (await session.all('SELECT * FROM webhooks ORDER BY id')).map((r) => tables.webhooks.fromRow(r));
}

/** The webhook and every delivery of it. */
export async function deleteWebhook(session: SqlSession, id: string): Promise<boolean> {
  await session.run('DELETE FROM webhook_deliveries WHERE webhook_id = ?', [id]);
  return (await session.run('DELETE FROM webhooks WHERE id = ?', [id])) > 0;
}

export async function insertDeliveries(session: SqlSession, tables: Tables, deliveries: DeliveryRecord[]): Promise<void> {
  for (const d of deliveries) await session.run(INSERT_DELIVERY, tables.deliveries.values(d));
}

/**
 * Takes up to `limit` due deliveries for one attempt each: leased until `leaseUntil` (so no other
 * instance attempts them meanwhile, and they come back if this one dies) and their attempt counted.
 * On PostgreSQL rows another instance is claiming are skipped, not waited for.
 */
export async function claimDeliveries(session: SqlSession, tables: Tables, now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
  const rows = await session.all(
    `UPDATE webhook_deliveries SET lease_until = ?, attempts = attempts + 1, last_attempt_at = ?
     WHERE id IN (SELECT id FROM webhook_deliveries
                  WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                  ORDER BY next_attempt_at, id LIMIT ?${tables.dialect.skipLocked})
     RETURNING *`,
    [leaseUntil, now, now, now, limit],
  );
  return rows.map((r) => tables.deliveries.fromRow(r)).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1));
}

/** Records an attempt's outcome and ends its lease; a delivery no longer pending is left alone. */
export async function finishDelivery(session: SqlSession, tables: Tables, o: DeliveryOutcome): Promise<void> {
  const lastError = o.lastError === null ? null : tables.dialect.codecs.freeText.encode(o.lastError);
  await session.run(
    `UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, lease_until = NULL, last_status = ?, last_error = ?, delivered_at = ?
     WHERE id = ? AND state = 'pending'`,
    [o.state, o.nextAttemptAt, o.lastStatus, lastError, o.deliveredAt, o.id],
  );
}

export async function getDelivery(session: SqlSession, tables: Tables, id: string): Promise<DeliveryRecord | null> {
  const [row] = await session.all('SELECT * FROM webhook_deliveries WHERE id = ?', [id]);
  return row ? tables.deliveries.fromRow(row) : null;
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(session: SqlSession, tables: Tables, f: DeliveryFilter): Promise<DeliveryRecord[]> {
  const p = new Params();
  const where = [`webhook_id = ${p.add(f.webhookId)}`];
  if (f.state !== undefined) where.push(`state = ${p.add(f.state)}`);
  if (f.beforeId !== undefined) where.push(`id < ${p.add(f.beforeId)}`);
  const rows = await session.all(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p.add(f.limit)}`, p.values);
  return rows.map((r) => tables.deliveries.fromRow(r));
}

/** Pending and failed deliveries (delivered ones, the bulk, are not counted: an index range each). */
export async function countUndelivered(session: SqlSession): Promise<Record<Exclude<DeliveryState, 'delivered'>, number>> {
  const counts = { pending: 0, failed: 0 };
  for (const row of await session.all("SELECT state, COUNT(*) AS n FROM webhook_deliveries WHERE state IN ('pending', 'failed') GROUP BY state")) {
    counts[row.state as 'pending' | 'failed'] = Number(row.n);
  }
  return counts;
}

/** Delivered and failed deliveries created before `before` are forgotten. */
export async function deleteOldDeliveries(session: SqlSession, before: number): Promise<number> {
  return session.run("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < ?", [before]);
}

/**
 * Tokens whose expiry is within `horizonMs` from `now` or passed less than `lookbackMs` ago, not
 * revoked, not superseded by a rotation, and not yet told about as expired; with the smallest
 * threshold already noticed for their current expiry.
 */
export async function expiryCandidates(session: SqlSession, tables: Tables, now: number, horizonMs: number, lookbackMs: number, limit: number): Promise<ExpiryCandidate[]> {
  const rows = await session.all(
    `SELECT tokens.*, (SELECT MIN(threshold) FROM expiry_notices n WHERE n.token_id = tokens.id AND n.expires_at = tokens.expires_at) AS notified
     FROM tokens
     WHERE status <> 'revoked' AND expires_at IS NOT NULL AND expires_at <= ? AND expires_at > ? AND rotated_to IS NULL
       AND NOT EXISTS (SELECT 1 FROM expiry_notices n WHERE n.token_id = tokens.id AND n.expires_at = tokens.expires_at AND n.threshold = 0)
     ORDER BY expires_at, id LIMIT ?`,
    [now + horizonMs, now - lookbackMs, limit],
  );
  return rows.map((row) => ({ token: tables.tokens.fromRow(row), notified: row.notified === null || row.notified === undefined ? null : Number(row.notified) }));
}

/** True when this call recorded the notice (so its event is this caller's to send); false when it was already there. */
export async function insertExpiryNotice(session: SqlSession, tokenId: string, expiresAt: number, threshold: number, at: number): Promise<boolean> {
  return (
    (await session.run(
      'INSERT INTO expiry_notices (token_id, expires_at, threshold, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (token_id, expires_at, threshold) DO NOTHING',
      [tokenId, expiresAt, threshold, at],
    )) > 0
  );
}
