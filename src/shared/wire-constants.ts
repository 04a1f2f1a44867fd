// Values of the wire format the CLI needs at run time. They live apart from schemas.ts, which builds
// its schemas from them, so that the CLI never loads TypeBox (it takes only types from schemas.ts).
export const SCHEMA_VERSION = 1;

/** A token's id: `tok_` and 26 characters of Crockford base32, sortable by creation time. */
export const TOKEN_ID_PATTERN = '^tok_[0-9a-hjkmnp-tv-z]{26}$';

export const TOKEN_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];
/** `expired` is derived from `expires_at`, never stored. */
export type StoredTokenStatus = Exclude<TokenStatus, 'expired'>;

export const MAX_OVERLAP_SECONDS = 90 * 86_400;
export const MAX_REVOKE_BY_VALUE = 1000;

/** Why the verify path refused a token it found: the refusals usage history counts per token. */
export const REFUSAL_REASONS = ['revoked', 'suspended', 'expired', 'ip', 'audience', 'scope', 'rate_limited', 'usage_exceeded'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const USAGE_GRANULARITIES = ['hour', 'day'] as const;
export type UsageGranularity = (typeof USAGE_GRANULARITIES)[number];

/** What webhooks can be sent (README "Webhooks"); the token ones are also audit actions of the same name. */
export const WEBHOOK_EVENT_TYPES = [
  'token.created',
  'token.updated',
  'token.scopes_changed',
  'token.rotated',
  'token.suspended',
  'token.resumed',
  'token.revoked',
  'token.expiring',
  'token.expired',
  'token.quota_exhausted',
  'auth.denied.burst',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_FORMATS = ['standard', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
