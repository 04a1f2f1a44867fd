// The tokens table's columns and how a TokenRecord maps onto them, shared by both stores. Each
// store says only how it encodes a value for its driver and decodes what the driver returns.
import type { TokenRecord } from './types.js';

export const TOKEN_COLUMNS = [
  'id', 'name', 'description', 'scopes', 'audiences', 'allowed_cidrs', 'rate_limit', 'metadata', 'start', 'status',
  'created_at', 'created_by', 'expires_at', 'last_used_at', 'last_used_ip', 'use_count', 'revoked_at', 'revoked_by',
  'revoke_reason', 'rotated_from', 'rotated_to', 'pending_overlap_seconds', 'version', 'secret_hash', 'pepper_version',
] as const;
export type TokenColumn = (typeof TOKEN_COLUMNS)[number];

/** Column → value as the domain holds it (arrays and objects unencoded). */
export function tokenColumns(t: TokenRecord): Record<TokenColumn, unknown> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    scopes: t.scopes,
    audiences: t.audiences,
    allowed_cidrs: t.allowedCidrs,
    rate_limit: t.rateLimit,
    metadata: t.metadata,
    start: t.start,
    status: t.status,
    created_at: t.createdAt,
    created_by: t.createdBy,
    expires_at: t.expiresAt,
    last_used_at: t.lastUsedAt,
    last_used_ip: t.lastUsedIp,
    use_count: t.useCount,
    revoked_at: t.revokedAt,
    revoked_by: t.revokedBy,
    revoke_reason: t.revokeReason,
    rotated_from: t.rotatedFrom,
    rotated_to: t.rotatedTo,
    pending_overlap_seconds: t.pendingOverlapSeconds,
    version: t.version,
    secret_hash: t.secretHash,
    pepper_version: t.pepperVersion,
  };
}

/** The inverse of tokenColumns, from a row whose values the store has already decoded. */
export function tokenFromColumns(r: Record<TokenColumn, any>): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    scopes: r.scopes,
    audiences: r.audiences,
    allowedCidrs: r.allowed_cidrs,
    rateLimit: r.rate_limit ?? null,
    metadata: r.metadata,
    start: r.start,
    status: r.status,
    createdAt: r.created_at,
    createdBy: r.created_by ?? null,
    expiresAt: r.expires_at ?? null,
    lastUsedAt: r.last_used_at ?? null,
    lastUsedIp: r.last_used_ip ?? null,
    useCount: r.use_count,
    revokedAt: r.revoked_at ?? null,
    revokedBy: r.revoked_by ?? null,
    revokeReason: r.revoke_reason ?? null,
    rotatedFrom: r.rotated_from ?? null,
    rotatedTo: r.rotated_to ?? null,
    pendingOverlapSeconds: r.pending_overlap_seconds ?? null,
    version: r.version,
    secretHash: r.secret_hash,
    pepperVersion: r.pepper_version,
  };
}
