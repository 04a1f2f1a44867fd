// The backup document (README, Backup and restore) ↔ stored records, in one place: the export writes
// tokens, scopes and policies with what a restore needs, and the import reads them back by the same
// rules. Entries have been validated against the Export schema before they get here.
import type { ExportedToken, Export } from '../../shared/schemas.js';
import type { StoredTokenStatus } from '../../shared/wire-constants.js';
import { rulesOf } from '../../shared/policy-rules.js';
import type { PolicyRecord, ScopeRecord, TokenRecord } from '../store/types.js';
import { effectiveStatus, quotaRefillFromWire, rateLimitFromWire, tokenToWire } from './wire.js';

type ExportedScope = Export['scopes'][number];
type ExportedPolicy = NonNullable<Export['policies']>[number];

export function exportedToken(t: TokenRecord, now: number, withHash: boolean): ExportedToken {
  return {
    ...tokenToWire(t, now),
    restore: {
      status: t.status,
      pending_overlap_seconds: t.pendingOverlapSeconds,
      ...(withHash ? { secret_hash: t.secretHash.toString('base64'), pepper_version: t.pepperVersion } : {}),
    },
  };
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** The stored status of an exported token: its `restore` record, or (a file of schema 1) what the wire status implies. */
export function storedStatusOf(entry: ExportedToken): StoredTokenStatus {
  if (entry.restore) return entry.restore.status as StoredTokenStatus;
  return entry.status === 'expired' ? 'active' : entry.status;
}

/** The record an exported token restores to; `secret` is its digest (from the file, or kept, or unusable). */
export function tokenFromExport(entry: ExportedToken, secret: { secretHash: Buffer; pepperVersion: number }, restoredAt: number): TokenRecord {
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    scopes: entry.scopes,
    audiences: entry.audiences,
    allowedCidrs: entry.allowed_cidrs,
    rateLimit: rateLimitFromWire(entry.rate_limit),
    maxUses: entry.max_uses ?? null,
    quotaRefill: quotaRefillFromWire(entry.refill ?? null),
    // A file without the count (or with none left to say) restores the whole quota.
    usesRemaining: entry.max_uses == null ? null : Math.min(entry.max_uses, entry.uses_remaining ?? entry.max_uses),
    // Refill periods count from the restore (the file keeps the count, not the period's phase).
    quotaRefilledAt: entry.refill && entry.max_uses != null ? restoredAt : null,
    metadata: entry.metadata,
    owner: entry.owner ?? null,
    start: entry.start,
    status: storedStatusOf(entry),
    createdAt: ms(entry.created_at)!,
    createdBy: entry.created_by,
    expiresAt: ms(entry.expires_at),
    lastUsedAt: ms(entry.last_used_at),
    lastUsedIp: entry.last_used_ip,
    useCount: entry.use_count,
    revokedAt: ms(entry.revoked_at),
    revokedBy: entry.revoked_by,
    revokeReason: entry.revoke_reason,
    rotatedFrom: entry.rotated_from,
    rotatedTo: entry.rotated_to,
    pendingOverlapSeconds: entry.restore?.pending_overlap_seconds ?? null,
    version: entry.version,
    secretHash: secret.secretHash,
    pepperVersion: secret.pepperVersion,
  };
}

/** Whether a stored token would be live and hold its name at `now` (not revoked, not expired). */
export function isLive(t: TokenRecord, now: number): boolean {
  const status = effectiveStatus(t, now);
  return status === 'active' || status === 'suspended';
}

export function scopeFromExport(s: ExportedScope, now: number): ScopeRecord {
  return { name: s.name, description: s.description, createdAt: ms(s.created_at) ?? now, createdBy: s.created_by };
}

export function policyFromExport(p: ExportedPolicy): PolicyRecord {
  const rules = rulesOf(p);
  return {
    scope: p.scope,
    maxTtlSeconds: rules.max_ttl_seconds,
    requireExpiry: rules.require_expiry,
    requireCidr: rules.require_cidr,
    maxRateLimit: rateLimitFromWire(rules.max_rate_limit),
    requireOwner: rules.require_owner,
    createdAt: Date.parse(p.created_at),
    createdBy: p.created_by,
    updatedAt: Date.parse(p.updated_at),
    updatedBy: p.updated_by,
  };
}
