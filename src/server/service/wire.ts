// Domain records → wire shapes (snake_case, ISO timestamps, derived status), by the field tables in
// store/fields.ts that also name the columns.
import type { AuditEvent, Policy, Scope, Token } from '../../shared/schemas.js';
import { AUDIT_FIELDS, POLICY_FIELDS, TOKEN_FIELDS, type Field } from '../store/fields.js';
import type { AuditRecord, PolicyRecord, QuotaRefillRecord, RateLimitRecord, ScopeRecord, TokenRecord } from '../store/types.js';

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function effectiveStatus(t: TokenRecord, now: number): Token['status'] {
  if (t.status === 'revoked') return 'revoked';
  if (t.expiresAt !== null && t.expiresAt <= now) return 'expired';
  return t.status;
}

type ToWire<R> = (record: R, now: number) => unknown;

/**
 * A record → wire converter for a field table: the fields with a wire name, in table order, each
 * converted by `special` or else sent as stored (times in ISO form). It is compiled to a single
 * object literal, as a hand-written converter would be: an object built key by key costs the
 * serializer several times more on every listing.
 */
function compileToWire<R>(fields: readonly Field<R>[], special: Partial<Record<keyof R, ToWire<R>>> = {}): ToWire<R> {
  const convert = fields
    .filter((f) => f.wire !== null)
    .map((f): [string, ToWire<R>] => [f.wire!, special[f.key] ?? (f.kind === 'time' ? (r) => iso(r[f.key] as number | null) : (r) => r[f.key])]);
  const literal = convert.map(([wire], i) => `${JSON.stringify(wire)}: convert[${i}][1](record, now)`).join(', ');
  return new Function('convert', `return (record, now) => ({ ${literal} });`)(convert) as ToWire<R>;
}

export const rateLimitToWire = (r: RateLimitRecord | null) => r && { requests: r.requests, per_seconds: r.perSeconds };
export const rateLimitFromWire = (r: { requests: number; per_seconds: number } | null): RateLimitRecord | null => r && { requests: r.requests, perSeconds: r.per_seconds };

export const quotaRefillToWire = (r: QuotaRefillRecord | null) => r && { amount: r.amount, every: r.everySeconds };
export const quotaRefillFromWire = (r: { amount: number; every: number } | null): QuotaRefillRecord | null => r && { amount: r.amount, everySeconds: r.every };

/** The uses left at `now`: the stored count with the refills due since it was last refilled (applied lazily by the store). */
export function usesRemainingAt(t: TokenRecord, now: number): number | null {
  if (t.usesRemaining === null || t.maxUses === null) return t.usesRemaining;
  if (t.quotaRefill === null || t.quotaRefilledAt === null) return t.usesRemaining;
  const periods = Math.floor((now - t.quotaRefilledAt) / (t.quotaRefill.everySeconds * 1000));
  return periods > 0 ? Math.min(t.maxUses, t.usesRemaining + periods * t.quotaRefill.amount) : t.usesRemaining;
}

const tokenWire = compileToWire(TOKEN_FIELDS, {
  rateLimit: (t) => rateLimitToWire(t.rateLimit),
  quotaRefill: (t) => quotaRefillToWire(t.quotaRefill),
  usesRemaining: usesRemainingAt,
  status: effectiveStatus,
  pendingOverlapSeconds: (t) => t.pendingOverlapSeconds !== null,
});
const auditWire = compileToWire(AUDIT_FIELDS);
const policyWire = compileToWire(POLICY_FIELDS, { maxRateLimit: (p) => rateLimitToWire(p.maxRateLimit) });

export function tokenToWire(t: TokenRecord, now: number): Token {
  return tokenWire(t, now) as Token;
}

export function auditToWire(e: AuditRecord): AuditEvent {
  return auditWire(e, 0) as AuditEvent;
}

export function policyToWire(p: PolicyRecord): Policy {
  return policyWire(p, 0) as Policy;
}

export function scopeToWire(s: ScopeRecord | { name: string; description: string; builtin: true }): Scope {
  if ('builtin' in s) return { name: s.name, description: s.description, builtin: true, created_at: null, created_by: null };
  return { name: s.name, description: s.description, builtin: false, created_at: iso(s.createdAt), created_by: s.createdBy };
}
