// `tokens check`: tokens that need attention, for people and for a scheduled CI job (exit 8).
import { defineCommand } from '../cli/define.js';
import { duration } from '../cli/options.js';
import type { Token } from '../api/client.js';
import { findIssues, FINDING_LABELS, type Finding } from '../shared/attention.js';
import { EXIT } from '../cli/errors.js';
import type { Field, ListResult } from '../terminal/output.js';

const COLUMNS: Field<Finding>[] = [
  { key: 'kind', label: 'Problem', value: (f) => FINDING_LABELS[f.kind] },
  { key: 'id', label: 'ID', value: (f) => f.id },
  { key: 'name', label: 'Name', value: (f) => f.name, flexible: true },
  { key: 'status', label: 'Status', value: (f) => f.status, kind: 'status' },
  { key: 'detail', label: 'Detail', value: (f) => f.detail, flexible: true },
];

export default defineCommand({
  name: 'check',
  summary: 'Report tokens that need attention; exit 8 when there are any',
  description:
    'Looks at every live token and reports: tokens expiring within --expiring-within (default 14d); tokens\n' +
    'not used for --unused-for (default 90d; a never-used token counts from its creation); management tokens\n' +
    'that never expire; management tokens usable from any address (no CIDR restriction); tokens that break a\n' +
    'policy the server keeps (kind "policy", one finding per rule: tokens created before the rule; see "tokens\n' +
    'policy list"); and expired tokens a profile still logs in with. Old tokens ending in a rotation overlap are\n' +
    'left out. Exit 8 when it found anything, 0 when not — so a scheduled CI job can alert on it. Needs\n' +
    'tokens:read.',
  examples: ['tokens check', 'tokens check --expiring-within 30d --unused-for 60d', "tokens check --json | jq -r '.data[] | \"\\(.kind) \\(.name)\"'"],
  options: {
    expiringWithin: duration('--expiring-within <duration>', 'report tokens expiring within this long', { default: '14d' }),
    unusedFor: duration('--unused-for <duration>', 'report tokens not used for this long', { default: '90d' }),
  },
  async run(opts, ctx) {
    const limits = { expiringWithinSeconds: opts.expiringWithin, unusedForSeconds: opts.unusedFor };
    const api = await ctx.api();
    const tokens = await api.listTokens({ status: 'active,suspended' as Token['status'] });
    const profiles = (await ctx.profiles()).list();
    // Profiles' credentials may be expired (not listed above): ask the server about those it holds.
    const target = await ctx.target();
    for (const p of profiles) {
      const id = p.credential?.id;
      if (!id || tokens.some((t) => t.id === id) || p.api_url.replace(/\/+$/, '') !== target.apiUrl) continue;
      try {
        tokens.push(await api.getToken(id));
      } catch {
        // Not on this server after all (or gone): what login recorded decides.
      }
    }
    const policies = await api.listPolicies();
    const findings = findIssues(tokens, profiles, ctx.clock(), limits, policies);
    const tokenCount = new Set(findings.map((f) => f.id)).size;
    if (findings.length) ctx.io.warn(`${tokenCount} token${tokenCount === 1 ? ' needs' : 's need'} attention (${findings.length} finding${findings.length === 1 ? '' : 's'})`);
    const result: ListResult<Finding> & { exitCode: number } = {
      type: 'list',
      items: findings,
      columns: COLUMNS,
      json: (f) => ({ ...f }),
      id: (f) => f.id,
      empty: `✓ No tokens need attention (${tokens.length} checked).`,
      meta: { summary: { tokens_checked: tokens.length, tokens_needing_attention: tokenCount, findings: findings.length } },
      exitCode: findings.length ? EXIT.attention : EXIT.ok,
    };
    return result;
  },
});
