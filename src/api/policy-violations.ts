// A change the server refused by policy (problem code policy_violation), told as the rules broken
// and, for each, the flag that fixes it.
import { compactDuration } from '../shared/durations.js';
import { policyName, rateText, type PolicyRule, type PolicyViolation } from '../shared/policy-rules.js';

function fixFor(v: PolicyViolation): string {
  const fixes: Record<PolicyRule, () => string> = {
    max_ttl: () => `--expires ${typeof v.limit === 'number' ? compactDuration(v.limit) : '<duration>'} or sooner`,
    require_expiry: () => '--expires <duration or date>',
    require_cidr: () => '--cidr <address or block>',
    max_rate_limit: () => `--rate-limit ${v.limit && typeof v.limit === 'object' ? rateText(v.limit) : '<rate>'} or lower`,
    require_owner: () => '--owner <who answers for it>',
  };
  return fixes[v.rule]();
}

/** The refusal's message (one line, so that a bulk report shows all of it) and its hint (the flags that fix it). */
export function policyRefusal(violations: PolicyViolation[]): { message: string; hint: string } {
  const rules = violations.map((v) => `${policyName(v.scope)}, rule ${v.rule}: ${v.message}`);
  const fixes = [...new Set(violations.map(fixFor))];
  return {
    message: `refused by ${rules.join('; and by ')}`,
    hint: `give ${fixes.join('; ')} (on create, or with "tokens update" on an existing token); the rules: tokens policy list`,
  };
}
