// The policy rules both sides evaluate (src/shared/policy-rules.ts): what each rule counts as broken.
import { describe, expect, it } from 'vitest';
import { maxLifetimeSeconds, policyViolations, rulesAsFlags, type PolicySubject, type ScopedPolicy } from '../../src/shared/policy-rules.js';

const DAY = 86_400;
const off = { max_ttl_seconds: null, require_expiry: false, require_cidr: false, max_rate_limit: null, require_owner: false };
const policy = (scope: string, rules: Partial<ScopedPolicy>): ScopedPolicy => ({ ...off, scope, ...rules });
const token = (t: Partial<PolicySubject> = {}): PolicySubject => ({ scopes: ['query'], createdAt: 0, expiresAt: null, allowedCidrs: [], rateLimit: null, owner: null, ...t });
const rules = (policies: ScopedPolicy[], t: PolicySubject, only?: Parameters<typeof policyViolations>[2]) => policyViolations(policies, t, only).map((v) => `${v.scope}:${v.rule}`);

describe('policy rules', () => {
  it('max_ttl counts from creation to expiry and implies an expiry; require_expiry is then not reported twice', () => {
    const p = [policy('query', { max_ttl_seconds: 90 * DAY, require_expiry: true })];
    expect(rules(p, token())).toEqual(['query:max_ttl']);
    expect(rules(p, token({ createdAt: 1000, expiresAt: 1000 + 90 * DAY * 1000 }))).toEqual([]);
    expect(rules(p, token({ createdAt: 1000, expiresAt: 1001 + 90 * DAY * 1000 }))).toEqual(['query:max_ttl']);
    expect(policyViolations(p, token({ expiresAt: 200 * DAY * 1000 + 3000 }))[0]!.message).toBe('tokens must expire at most 90d after they are created; this one lives 200d');
  });

  it('max_rate_limit bounds the burst and the sustained rate, and needs a limit', () => {
    const p = [policy('query', { max_rate_limit: { requests: 100, per_seconds: 60 } })];
    expect(rules(p, token({ rateLimit: { requests: 100, per_seconds: 60 } }))).toEqual([]);
    expect(rules(p, token({ rateLimit: { requests: 10, per_seconds: 6 } }))).toEqual([]);
    expect(rules(p, token({ rateLimit: { requests: 200, per_seconds: 120 } }))).toEqual(['query:max_rate_limit']);
    expect(rules(p, token({ rateLimit: { requests: 10, per_seconds: 5 } }))).toEqual(['query:max_rate_limit']);
    expect(rules(p, token())).toEqual(['query:max_rate_limit']);
  });

  it('scopes match literally, * covers every token; a check may be limited to rules or to scopes just gained', () => {
    const p = [policy('*', { require_owner: true }), policy('management', { require_cidr: true }), policy('query', { require_expiry: true })];
    expect(rules(p, token({ scopes: ['tokens:write'] }))).toEqual(['*:require_owner']);
    expect(rules(p, token({ scopes: ['management', 'query'] }))).toEqual(['*:require_owner', 'management:require_cidr', 'query:require_expiry']);
    expect(rules(p, token({ scopes: ['management', 'query'] }), { rules: ['require_cidr'] })).toEqual(['management:require_cidr']);
    expect(rules(p, token({ scopes: ['management', 'query'] }), { scopes: ['query'] })).toEqual(['query:require_expiry']);
    expect(maxLifetimeSeconds([policy('a', { max_ttl_seconds: 60 }), policy('*', { max_ttl_seconds: 30 }), policy('b', { max_ttl_seconds: 10 })], ['a'])).toBe(30);
    expect(maxLifetimeSeconds(p, ['query'])).toBeNull();
  });

  it('writes the rules back as the flags that set them', () => {
    expect(rulesAsFlags(policy('x', { max_ttl_seconds: 90 * DAY, require_cidr: true, max_rate_limit: { requests: 5, per_seconds: 3600 }, require_owner: true, require_expiry: true }))).toBe(
      '--max-ttl 90d --require-expiry --require-cidr --max-rate-limit 5/1h --require-owner',
    );
  });
});
