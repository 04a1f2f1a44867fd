// Token policies (README, Policies): the rules a server keeps per scope (or `*` for every token), and
// whether a token keeps them. One evaluation for both sides: the server refuses a change that breaks
// a rule, and `tokens check` reports the tokens that break one. No TypeBox here (the CLI loads it).
import { approxDuration, compactDuration } from './durations.js';

export const ALL_SCOPES = '*';

export const POLICY_RULES = ['max_ttl', 'require_expiry', 'require_cidr', 'max_rate_limit', 'require_owner'] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export interface RateLimitValue {
  requests: number;
  per_seconds: number;
}

/** The rules of one policy, as the API sends them. */
export interface PolicyRules {
  /** The longest a token may live, from its creation to its expiry; implies an expiry. */
  max_ttl_seconds: number | null;
  require_expiry: boolean;
  require_cidr: boolean;
  /** The most a token's rate limit may allow (sustained rate and burst); implies a rate limit. */
  max_rate_limit: RateLimitValue | null;
  require_owner: boolean;
}

/** The rules of a policy as sent (a PUT body, an exported policy): those left out are off. */
export function rulesOf(p: Partial<PolicyRules>): PolicyRules {
  return {
    max_ttl_seconds: p.max_ttl_seconds ?? null,
    require_expiry: p.require_expiry ?? false,
    require_cidr: p.require_cidr ?? false,
    max_rate_limit: p.max_rate_limit ?? null,
    require_owner: p.require_owner ?? false,
  };
}

export interface ScopedPolicy extends PolicyRules {
  scope: string;
}

/** What the rules look at in a token; times in epoch milliseconds. */
export interface PolicySubject {
  scopes: readonly string[];
  createdAt: number;
  expiresAt: number | null;
  allowedCidrs: readonly string[];
  rateLimit: RateLimitValue | null;
  owner: string | null;
}

export interface PolicyViolation {
  /** The policy's scope, or `*`. */
  scope: string;
  rule: PolicyRule;
  /** For people: the rule and how the token breaks it. */
  message: string;
  /** The rule's limit: seconds for max_ttl, a rate limit for max_rate_limit. */
  limit?: number | RateLimitValue;
}

export const rateText = (r: RateLimitValue) => `${r.requests}/${compactDuration(r.per_seconds)}`;

/** The rules as `tokens policy set` flags: "--max-ttl 90d --require-cidr". */
export function rulesAsFlags(rules: PolicyRules): string {
  const flags: string[] = [];
  if (rules.max_ttl_seconds !== null) flags.push(`--max-ttl ${compactDuration(rules.max_ttl_seconds)}`);
  if (rules.require_expiry) flags.push('--require-expiry');
  if (rules.require_cidr) flags.push('--require-cidr');
  if (rules.max_rate_limit) flags.push(`--max-rate-limit ${rateText(rules.max_rate_limit)}`);
  if (rules.require_owner) flags.push('--require-owner');
  return flags.join(' ');
}

export function hasRules(rules: PolicyRules): boolean {
  return rulesAsFlags(rules) !== '';
}

/** Whether a policy for `scope` covers a token holding `scopes` (matched literally; `*` covers all). */
export function policyCovers(scope: string, scopes: readonly string[]): boolean {
  return scope === ALL_SCOPES || scopes.includes(scope);
}

/** The shortest max_ttl of the policies covering these scopes, in seconds; null when none has one. */
export function maxLifetimeSeconds(policies: readonly ScopedPolicy[], scopes: readonly string[]): number | null {
  const limits = policies.filter((p) => p.max_ttl_seconds !== null && policyCovers(p.scope, scopes)).map((p) => p.max_ttl_seconds!);
  return limits.length ? Math.min(...limits) : null;
}

function ruleViolations(policy: ScopedPolicy, token: PolicySubject): Omit<PolicyViolation, 'scope'>[] {
  const found: Omit<PolicyViolation, 'scope'>[] = [];
  const lifetimeMs = token.expiresAt === null ? null : token.expiresAt - token.createdAt;
  if (policy.max_ttl_seconds !== null && (lifetimeMs === null || lifetimeMs > policy.max_ttl_seconds * 1000)) {
    const max = compactDuration(policy.max_ttl_seconds);
    found.push({
      rule: 'max_ttl',
      message: `tokens must expire at most ${max} after they are created; this one ${lifetimeMs === null ? 'never expires' : `lives ${approxDuration(lifetimeMs / 1000)}`}`,
      limit: policy.max_ttl_seconds,
    });
  } else if (policy.require_expiry && token.expiresAt === null) {
    found.push({ rule: 'require_expiry', message: 'tokens must have an expiry; this one never expires' });
  }
  if (policy.require_cidr && !token.allowedCidrs.length) {
    found.push({ rule: 'require_cidr', message: 'tokens must be limited to addresses (allowed_cidrs); this one may be used from any address' });
  }
  const max = policy.max_rate_limit;
  if (max) {
    const rate = token.rateLimit;
    const over = rate === null || rate.requests > max.requests || rate.requests * max.per_seconds > max.requests * rate.per_seconds;
    if (over) {
      found.push({
        rule: 'max_rate_limit',
        message: `tokens must have a rate limit of at most ${rateText(max)} (burst and rate); this one has ${rate ? rateText(rate) : 'none'}`,
        limit: max,
      });
    }
  }
  if (policy.require_owner && !token.owner) found.push({ rule: 'require_owner', message: 'tokens must have an owner; this one has none' });
  return found;
}

/**
 * The rules `token` breaks, policy by policy (`*` first, then by scope). `rules` limits the check to
 * those rules (what a change touched); `scopes` to the policies of those scopes (scopes just granted).
 */
export function policyViolations(
  policies: readonly ScopedPolicy[],
  token: PolicySubject,
  only: { rules?: readonly PolicyRule[]; scopes?: readonly string[] } = {},
): PolicyViolation[] {
  return policies
    .filter((p) => policyCovers(p.scope, token.scopes) && (!only.scopes || only.scopes.includes(p.scope)))
    .flatMap((p) => ruleViolations(p, token).map((v) => ({ scope: p.scope, ...v })))
    .filter((v) => !only.rules || only.rules.includes(v.rule));
}

/** "the policy for scope management" / "the policy for every token". */
export function policyName(scope: string): string {
  return scope === ALL_SCOPES ? 'the policy for every token (*)' : `the policy for scope ${scope}`;
}
