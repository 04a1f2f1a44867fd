// Values of the wire format the CLI needs at run time. They live apart from schemas.ts, which builds
// its schemas from them, so that the CLI never loads TypeBox (it takes only types from schemas.ts).
export const SCHEMA_VERSION = 1;

export const TOKEN_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];
/** `expired` is derived from `expires_at`, never stored. */
export type StoredTokenStatus = Exclude<TokenStatus, 'expired'>;

export const MAX_OVERLAP_SECONDS = 90 * 86_400;
export const MAX_REVOKE_BY_VALUE = 1000;

/** Why the verify path refused a token it found: the refusals usage history counts per token. */
export const REFUSAL_REASONS = ['revoked', 'suspended', 'expired', 'ip', 'audience', 'scope', 'rate_limited'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const USAGE_GRANULARITIES = ['hour', 'day'] as const;
export type UsageGranularity = (typeof USAGE_GRANULARITIES)[number];
