// Which tokens need attention (README, `tokens check`): the rules `tokens check` and the console's
// "needs attention" panel share. Pure: the caller fetches the tokens and knows the time.
import type { Token } from './schemas.js';
import { policyName, policyViolations, type PolicyRule, type ScopedPolicy } from './policy-rules.js';
import { humanDuration } from './time-words.js';

export const FINDING_KINDS = ['expiring', 'expired_in_profile', 'unused', 'management_never_expires', 'management_any_address', 'policy'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  id: string;
  name: string;
  status: string;
  /** For people: why it needs attention. */
  detail: string;
  /** The profile that still uses it (expired_in_profile). */
  profile?: string;
  /** The policy broken (policy): its scope (or *) and rule. */
  scope?: string;
  rule?: PolicyRule;
}

export interface CheckThresholds {
  expiringWithinSeconds: number;
  unusedForSeconds: number;
}

export const DEFAULT_THRESHOLDS: CheckThresholds = { expiringWithinSeconds: 14 * 86_400, unusedForSeconds: 90 * 86_400 };

/** A CLI profile's stored credential, as far as the rules care (the console has none). */
export interface ProfileCredential {
  name: string;
  credential?: { id: string; name: string; expires_at: string | null };
}

export const FINDING_LABELS: Record<FindingKind, string> = {
  expiring: 'expiring',
  expired_in_profile: 'expired, in a profile',
  unused: 'unused',
  management_never_expires: 'management, no expiry',
  management_any_address: 'management, any address',
  policy: 'breaks a policy',
};

const live = (t: Token) => t.status === 'active' || t.status === 'suspended';
const DAY_MS = 86_400_000;

/**
 * What needs attention among `tokens` (every live token, plus whatever profiles refer to), including
 * the rules of `policies` they break. A token ending in a rotation overlap is left out: its successor
 * has taken over and it ends by design.
 */
export function findIssues(tokens: Token[], profiles: ProfileCredential[], now: number, limits: CheckThresholds, policies: readonly ScopedPolicy[] = []): Finding[] {
  const byId = new Map(tokens.map((t) => [t.id, t]));
  const superseded = (t: Token) => Boolean(t.rotated_to && !t.rotation_pending && byId.get(t.rotated_to) && live(byId.get(t.rotated_to)!));
  const findings: Finding[] = [];
  const add = (kind: FindingKind, t: Pick<Token, 'id' | 'name' | 'status'>, detail: string, extra: Pick<Finding, 'profile' | 'scope' | 'rule'> = {}) =>
    findings.push({ kind, id: t.id, name: t.name, status: t.status, detail, ...extra });

  for (const t of tokens.filter((x) => live(x) && !superseded(x))) {
    const expires = t.expires_at ? Date.parse(t.expires_at) : null;
    if (expires !== null && expires - now <= limits.expiringWithinSeconds * 1000) {
      add('expiring', t, `expires in ${humanDuration(Math.max(0, (expires - now) / 1000))} (${t.expires_at})`);
    }
    const lastSeen = Date.parse(t.last_used_at ?? t.created_at);
    if (now - lastSeen >= limits.unusedForSeconds * 1000) {
      const days = Math.floor((now - lastSeen) / DAY_MS);
      add('unused', t, t.last_used_at ? `last used ${days} days ago (${t.last_used_at})` : `never used; created ${days} days ago`);
    }
    if (t.scopes.includes('management')) {
      if (expires === null) add('management_never_expires', t, 'holds scope management and never expires');
      if (!t.allowed_cidrs.length) add('management_any_address', t, 'holds scope management and may be used from any address (no CIDR restriction)');
    }
    const subject = { scopes: t.scopes, createdAt: Date.parse(t.created_at), expiresAt: expires, allowedCidrs: t.allowed_cidrs, rateLimit: t.rate_limit, owner: t.owner };
    for (const v of policyViolations(policies, subject)) add('policy', t, `breaks ${policyName(v.scope)} (${v.rule}): ${v.message}`, { scope: v.scope, rule: v.rule });
  }

  for (const profile of profiles) {
    const stored = profile.credential;
    if (!stored) continue;
    // The server's word when it knows the token; otherwise what login recorded about it.
    const known = byId.get(stored.id);
    const expiresAt = known ? known.expires_at : stored.expires_at;
    const expired = known ? known.status === 'expired' : expiresAt !== null && Date.parse(expiresAt) <= now;
    if (expired) add('expired_in_profile', { id: stored.id, name: stored.name, status: 'expired' }, `expired at ${expiresAt}, still the credential of profile "${profile.name}"`, { profile: profile.name });
  }
  return findings;
}
