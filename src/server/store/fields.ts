// Every field of the stored records, written once: its record key, its column, its name in the API's
// JSON and its kind. The SQL core (./sql/) encodes each column by its kind for the engine at hand;
// service/wire.ts builds the API's shapes from the same tables.
import type { AuditRecord, DeliveryRecord, IdempotencyRecord, PolicyRecord, ScopeRecord, SessionRecord, TokenRecord, WebhookRecord } from './types.js';

export type FieldKind =
  /** An identifier or a short machine-made string (ids, names, IPs, status). */
  | 'text'
  /** Text a caller writes, which may hold any character, NUL included. */
  | 'freeText'
  /** Arrays and objects. */
  | 'json'
  | 'integer'
  | 'boolean'
  /** Epoch milliseconds in the store, ISO 8601 in the API. */
  | 'time'
  | 'bytes';

export interface Field<R> {
  readonly key: keyof R & string;
  readonly column: string;
  readonly kind: FieldKind;
  /** The field's name in the API's JSON; null for what never leaves the server. */
  readonly wire: string | null;
}

type FieldSpec = FieldKind | { kind: FieldKind; wire: string | null };

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One entry per record key, in column order; the mapped type makes a missing or unknown key a type
 * error. The column is the key in snake_case, and so is the wire name unless the spec says otherwise.
 */
function fieldTable<R>(spec: { [K in keyof R & string]-?: FieldSpec }): readonly Field<R>[] {
  return (Object.entries(spec) as [keyof R & string, FieldSpec][]).map(([key, s]) => {
    const column = snakeCase(key);
    return typeof s === 'string' ? { key, column, kind: s, wire: column } : { key, column, kind: s.kind, wire: s.wire };
  });
}

export const TOKEN_FIELDS = fieldTable<TokenRecord>({
  id: 'text',
  name: 'text',
  description: 'freeText',
  scopes: 'json',
  audiences: 'json',
  allowedCidrs: 'json',
  rateLimit: 'json',
  maxUses: 'integer',
  quotaRefill: { kind: 'json', wire: 'refill' },
  usesRemaining: 'integer',
  quotaRefilledAt: { kind: 'time', wire: null },
  metadata: 'json',
  owner: 'text',
  start: 'text',
  status: 'text',
  createdAt: 'time',
  createdBy: 'text',
  expiresAt: 'time',
  lastUsedAt: 'time',
  lastUsedIp: 'text',
  useCount: 'integer',
  revokedAt: 'time',
  revokedBy: 'text',
  revokeReason: 'freeText',
  rotatedFrom: 'text',
  rotatedTo: 'text',
  pendingOverlapSeconds: { kind: 'integer', wire: 'rotation_pending' },
  version: 'integer',
  secretHash: { kind: 'bytes', wire: null },
  pepperVersion: { kind: 'integer', wire: null },
});

export const AUDIT_FIELDS = fieldTable<AuditRecord>({
  id: 'text',
  at: 'time',
  actor: 'text',
  actorIp: 'text',
  action: 'text',
  target: 'text',
  reason: 'freeText',
  requestId: 'text',
  details: 'json',
});

export const SCOPE_FIELDS = fieldTable<ScopeRecord>({
  name: 'text',
  description: 'freeText',
  createdAt: 'time',
  createdBy: 'text',
});

export const POLICY_FIELDS = fieldTable<PolicyRecord>({
  scope: 'text',
  maxTtlSeconds: 'integer',
  requireExpiry: 'boolean',
  requireCidr: 'boolean',
  maxRateLimit: 'json',
  requireOwner: 'boolean',
  createdAt: 'time',
  createdBy: 'text',
  updatedAt: 'time',
  updatedBy: 'text',
});

/** Never sent: the API answers a replay with the response it holds. */
export const IDEMPOTENCY_FIELDS = fieldTable<IdempotencyRecord>({
  keyHash: 'bytes',
  callerId: 'text',
  requestHash: 'bytes',
  responseStatus: 'integer',
  responseBody: 'bytes',
  createdAt: 'time',
  expiresAt: 'time',
});

/** service/webhooks.ts builds the API's shapes; the sealed secret never leaves the server. */
export const WEBHOOK_FIELDS = fieldTable<WebhookRecord>({
  id: 'text',
  url: 'freeText',
  format: 'text',
  events: 'json',
  description: 'freeText',
  secretSealed: { kind: 'bytes', wire: null },
  pepperVersion: { kind: 'integer', wire: null },
  createdAt: 'time',
  createdBy: 'text',
});

export const DELIVERY_FIELDS = fieldTable<DeliveryRecord>({
  id: 'text',
  webhookId: 'text',
  eventType: { kind: 'text', wire: 'event' },
  payload: 'freeText',
  state: 'text',
  attempts: 'integer',
  createdAt: 'time',
  nextAttemptAt: 'time',
  leaseUntil: { kind: 'time', wire: null },
  lastAttemptAt: 'time',
  lastStatus: 'integer',
  lastError: 'freeText',
  deliveredAt: 'time',
});

/** Console sessions: never sent (the API answers with the session's token and times). */
export const SESSION_FIELDS = fieldTable<SessionRecord>({
  idHash: 'bytes',
  tokenId: 'text',
  scopes: 'json',
  createdAt: 'time',
  lastSeenAt: 'time',
  expiresAt: 'time',
  endedReason: 'text',
});
