// Policies (README, Policies): the rules the server keeps per scope (or `*`), managed by a management
// caller, and the one check the token service runs on every change that could break them.
import { ALL_SCOPES, hasRules, maxLifetimeSeconds, policyViolations, rulesOf, type PolicyRule, type ScopedPolicy } from '../../shared/policy-rules.js';
import type { Policy, PolicyList, PolicyRulesBody } from '../../shared/schemas.js';
import type { PolicyRecord, StoreOps, TokenRecord } from '../store/types.js';
import { isBuiltinScope, NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import { policyToWire, rateLimitFromWire, rateLimitToWire } from './wire.js';

/** The rules each field of a token answers to: a change to the field is checked against them. */
export const RULES_OF_FIELD = {
  expires_at: ['max_ttl', 'require_expiry'],
  allowed_cidrs: ['require_cidr'],
  rate_limit: ['max_rate_limit'],
  owner: ['require_owner'],
} as const satisfies Record<string, readonly PolicyRule[]>;

/** Which part of a token a change may have broken: some rules only, or the policies of scopes it just gained. */
export interface ChangeScope {
  rules?: readonly PolicyRule[];
  scopes?: readonly string[];
}

export class PolicyService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(caller: Caller): Promise<PolicyList> {
    requireScope(caller.token, NEEDS.readTokens);
    return { data: (await this.deps.store.listPolicies()).map(policyToWire) };
  }

  /** Creates or replaces the policy of `scope`: rules left out of `body` are off. */
  async put(caller: Caller, scope: string, body: PolicyRulesBody): Promise<Policy> {
    requireScope(caller.token, NEEDS.manage);
    const rules = rulesOf(body);
    if (!hasRules(rules)) throw DomainError.invalidInput('a policy needs at least one rule (DELETE /v1/policies/{scope} removes it)', '');
    return this.deps.store.transaction(async (tx) => {
      if (scope !== ALL_SCOPES && !isBuiltinScope(scope) && !(await tx.getScope(scope))) {
        throw DomainError.invalidInput(`unknown scope: ${scope} (a policy is for a built-in or registered scope, or * for every token)`, 'scope');
      }
      const previous = await tx.getPolicy(scope);
      const now = this.deps.clock();
      const record: PolicyRecord = {
        scope,
        maxTtlSeconds: rules.max_ttl_seconds,
        requireExpiry: rules.require_expiry,
        requireCidr: rules.require_cidr,
        maxRateLimit: rateLimitFromWire(rules.max_rate_limit),
        requireOwner: rules.require_owner,
        createdAt: previous?.createdAt ?? now,
        createdBy: previous ? previous.createdBy : caller.token.id,
        updatedAt: now,
        updatedBy: caller.token.id,
      };
      await tx.putPolicy(record);
      await this.deps.audit.record(tx, caller, { action: 'policy.set', target: scope, details: { rules, previous: previous && recordRules(previous) } });
      return policyToWire(record);
    });
  }

  async remove(caller: Caller, scope: string): Promise<void> {
    requireScope(caller.token, NEEDS.manage);
    await this.deps.store.transaction(async (tx) => {
      const previous = await tx.getPolicy(scope);
      if (!previous) throw DomainError.notFound(`a policy for ${scope}`);
      await tx.deletePolicy(scope);
      await this.deps.audit.record(tx, caller, { action: 'policy.removed', target: scope, details: { previous: recordRules(previous) } });
    });
  }

  /**
   * The one check of a change to a token (create, update, scope changes, rotation): refuses it (422
   * policy_violation) when the token as it would be breaks a rule the change touched. A token that
   * broke a rule before the rule existed may still have unrelated fields changed; `tokens check`
   * lists it.
   */
  async check(tx: StoreOps, token: TokenRecord, change: ChangeScope = {}): Promise<void> {
    const subject = {
      scopes: token.scopes,
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      allowedCidrs: token.allowedCidrs,
      rateLimit: rateLimitToWire(token.rateLimit),
      owner: token.owner,
    };
    const violations = policyViolations(await this.inForce(tx), subject, change);
    if (violations.length) throw DomainError.policyViolation(violations);
  }

  /** The longest a token with these scopes may live under the policies, in ms; null when unlimited. */
  async maxLifetimeMs(tx: StoreOps, scopes: readonly string[]): Promise<number | null> {
    const seconds = maxLifetimeSeconds(await this.inForce(tx), scopes);
    return seconds === null ? null : seconds * 1000;
  }

  private async inForce(tx: StoreOps): Promise<ScopedPolicy[]> {
    return (await tx.listPolicies()).map((p) => ({ scope: p.scope, ...recordRules(p) }));
  }
}

function recordRules(p: PolicyRecord): Omit<ScopedPolicy, 'scope'> {
  return {
    max_ttl_seconds: p.maxTtlSeconds,
    require_expiry: p.requireExpiry,
    require_cidr: p.requireCidr,
    max_rate_limit: rateLimitToWire(p.maxRateLimit),
    require_owner: p.requireOwner,
  };
}
