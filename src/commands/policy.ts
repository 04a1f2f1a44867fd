// `tokens policy list|set|remove`: the rules the server enforces per scope (or `*` for every token).
import { defineCommand } from '../cli/define.js';
import { UsageError } from '../cli/errors.js';
import { argument, duration, flag, parsed } from '../cli/options.js';
import { YES } from '../cli/shared-options.js';
import type { Policy, PolicyRulesBody } from '../api/client.js';
import { parseRateLimit } from '../input/token-input.js';
import { rulesAsFlags } from '../shared/policy-rules.js';
import { confirmDestructive } from '../terminal/confirm.js';
import type { CommandResult, Field, ListResult } from '../terminal/output.js';

const SCOPE_ARGUMENT = argument('a scope, or "*" (quoted) for every token', { completes: 'scopes' });

const COLUMNS: Field<Policy>[] = [
  { key: 'scope', label: 'Scope', value: (p) => p.scope },
  { key: 'rules', label: 'Rules', value: (p) => rulesAsFlags(p), flexible: true },
  { key: 'updated_at', label: 'Updated', value: (p) => p.updated_at, kind: 'time' },
  { key: 'updated_by', label: 'Updated by', value: (p) => p.updated_by },
];

const list = defineCommand({
  name: 'list',
  summary: 'List the policies',
  description: 'Each policy with its rules written as the flags of "tokens policy set". Needs tokens:read.',
  examples: ['tokens policy list', 'tokens policy list --json'],
  async run(_opts, ctx) {
    const policies = await (await ctx.api()).listPolicies();
    const result: ListResult<Policy> = {
      type: 'list',
      items: policies,
      columns: COLUMNS,
      json: (p) => ({ ...p }),
      id: (p) => p.scope,
      empty: 'No policies: the server enforces only "grant only what you hold". Add one with: tokens policy set <scope> --max-ttl 90d',
    };
    return result;
  },
});

const set = defineCommand({
  name: 'set',
  summary: 'Set the rules of a scope (replacing its earlier ones); needs management',
  description:
    'Sets the policy of a scope — or of every token, with "*" (quote it for the shell) — to exactly the rules\n' +
    'given; rules left out are off. From then on the server refuses (exit 2, code policy_violation) a create,\n' +
    'update, scope change or rotation that would break a rule, naming the rule and the scope. A rotation keeps\n' +
    "the token's lifetime but shortens it to --max-ttl. Tokens that already break a rule keep working:\n" +
    '"tokens check" lists them. --max-ttl counts from a token\'s creation to its expiry (and implies an expiry);\n' +
    '--max-rate-limit bounds both the burst and the rate. Scopes match literally (a management token is not\n' +
    'covered by a policy for tokens:write). The change is audited (policy.set).',
  arguments: { scope: SCOPE_ARGUMENT },
  options: {
    maxTtl: duration('--max-ttl <duration>', 'tokens expire at most this long after creation (e.g. 90d)', { minSeconds: 60 }),
    requireExpiry: flag('--require-expiry', 'tokens must have an expiry'),
    requireCidr: flag('--require-cidr', 'tokens must be limited to addresses (--cidr)'),
    maxRateLimit: parsed('--max-rate-limit <rate>', 'tokens must have a rate limit of at most this (e.g. 100/1m)', parseRateLimit),
    requireOwner: flag('--require-owner', 'tokens must have an owner'),
  },
  examples: [
    'tokens policy set management --max-ttl 90d --require-cidr',
    "tokens policy set '*' --require-owner --require-expiry",
    'tokens policy set query --max-rate-limit 1000/1m --max-ttl 365d',
  ],
  async run(opts, ctx) {
    const rules: PolicyRulesBody = {
      ...(opts.maxTtl !== undefined ? { max_ttl_seconds: opts.maxTtl } : {}),
      ...(opts.requireExpiry ? { require_expiry: true } : {}),
      ...(opts.requireCidr ? { require_cidr: true } : {}),
      ...(opts.maxRateLimit ? { max_rate_limit: opts.maxRateLimit } : {}),
      ...(opts.requireOwner ? { require_owner: true } : {}),
    };
    if (!Object.keys(rules).length) {
      throw new UsageError('give at least one rule', `--max-ttl, --require-expiry, --require-cidr, --max-rate-limit, --require-owner (to remove the policy: tokens policy remove ${opts.scope})`);
    }
    const api = await ctx.api();
    const before = (await api.listPolicies()).find((p) => p.scope === opts.scope);
    const policy = await api.setPolicy(opts.scope, rules);
    if (before) ctx.io.info(`replaced the earlier rules: ${rulesAsFlags(before)}`);
    ctx.io.info('Tokens that already break it keep working; "tokens check" lists them.');
    return { type: 'message', text: `✓ Policy for ${policy.scope}: ${rulesAsFlags(policy)}`, json: { ...policy }, id: policy.scope } satisfies CommandResult;
  },
});

const remove = defineCommand({
  name: 'remove',
  summary: 'Remove the policy of a scope; needs management',
  arguments: { scope: SCOPE_ARGUMENT },
  options: { yes: YES },
  examples: ['tokens policy remove management --yes', "tokens policy remove '*'"],
  async run(opts, ctx) {
    const api = await ctx.api();
    const policy = (await api.listPolicies()).find((p) => p.scope === opts.scope);
    if (policy) {
      await confirmDestructive(ctx, {
        action: `remove the policy for ${opts.scope}`,
        changes: [`Remove the policy for ${opts.scope} (${rulesAsFlags(policy)}): the server stops enforcing these rules.`],
        question: `Remove the policy for ${opts.scope}?`,
        yes: opts.yes,
      });
    }
    // Without a policy the server answers 404, which says so.
    await api.removePolicy(opts.scope);
    return { type: 'message', text: `✓ Removed the policy for ${opts.scope}`, json: { scope: opts.scope, removed: true }, id: opts.scope } satisfies CommandResult;
  },
});

export default defineCommand({
  name: 'policy',
  summary: 'Rules the server enforces on tokens per scope: maximum lifetime, expiry, CIDRs, rate limit, owner',
  description:
    'Policies are kept by the server, per scope or for every token ("*"), and checked on every create, update,\n' +
    'scope change and rotation. list shows them (tokens:read); set and remove change them (management).',
  examples: ['tokens policy list', 'tokens policy set management --max-ttl 90d --require-cidr', 'tokens policy remove management --yes'],
  subcommands: [list, set, remove],
});
