// Domain records → wire shapes (snake_case, ISO timestamps, derived status).
import type { AuditEvent, Scope, Token } from '../../shared/schemas.js';
import type { AuditRecord, ScopeRecord, TokenRecord } from '../store/types.js';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function effectiveStatus(t: TokenRecord, now: number): Token['status'] {
  if (t.status === 'revoked') return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  return t.status;
}

export function tokenToWire(t: TokenRecord, now: number): Token {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    scopes: t.scopes,
    audiences: t.audiences,
    allowed_cidrs: t.allowedCidrs,
    rate_limit: t.rateLimit ? { requests: t.rateLimit.requests, per_seconds: t.rateLimit.perSeconds } : null,
    metadata: t.metadata,
    start: t.start,
    status: effectiveStatus(t, now),
    created_at: iso(t.createdAt)!,
    created_by: t.createdBy,
    expires_at: iso(t.expiresAt),
    last_used_at: iso(t.lastUsedAt),
    last_used_ip: t.lastUsedIp,
    use_count: t.useCount,
    revoked_at: iso(t.revokedAt),
    revoked_by: t.revokedBy,
    revoke_reason: t.revokeReason,
    rotated_from: t.rotatedFrom,
    rotated_to: t.rotatedTo,
    rotation_pending: t.pendingOverlapSeconds !== null,
    version: t.version,
  };
}

export function auditToWire(e: AuditRecord): AuditEvent {
  return {
    id: e.id,
    at: iso(e.at)!,
    actor: e.actor,
    actor_ip: e.actorIp,
    action: e.action,
    target: e.target,
    reason: e.reason,
    request_id: e.requestId,
    details: e.details,
  };
}

export function scopeToWire(s: ScopeRecord | { name: string; description: string; builtin: true }): Scope {
  if ('builtin' in s) return { name: s.name, description: s.description, builtin: true, created_at: null, created_by: null };
  return { name: s.name, description: s.description, builtin: false, created_at: iso(s.createdAt), created_by: s.createdBy };
}
