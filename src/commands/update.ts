// `tokens update`: change a token's attributes (not its scopes or status), guarded by its version.
import { defineCommand } from '../cli/define.js';
import { argument, flag, list, parsed, text } from '../cli/options.js';
import type { PatchTokenBody } from '../shared/schemas.js';
import { parseExpiry } from '../input/duration.js';
import { UsageError } from '../cli/errors.js';
import { resolveToken } from '../input/selectors.js';
import { applyMetadata, parseMaxUses, parseRateLimit, parseRefill } from '../input/token-input.js';
import { describeToken, tokenRecord } from '../terminal/token-view.js';

export default defineCommand({
  name: 'update',
  summary: "Change a token's name, description, owner, expiry, CIDRs, audiences, rate limit, usage quota or metadata",
  description:
    'Changes only what is given. --audience and --cidr replace the whole list; --metadata KEY=VALUE adds or\n' +
    'changes one entry and KEY= removes it. The change is sent with If-Match: if someone changed the token\n' +
    'in the meantime, nothing is changed and the exit code is 6. --max-uses moves the uses left by the change\n' +
    '(raising 100 to 150 adds 50). Scopes: "tokens scopes"; status: suspend/resume/revoke.',
  arguments: { token: argument('id, name or start prefix', { completes: 'live-tokens' }) },
  examples: [
    'tokens update ci-deploy --expires 30d',
    'tokens update ci-deploy --name ci-deploy-eu --description "deploys to eu-west"',
    'tokens update gateway --cidr 10.0.0.0/8 --cidr 2001:db8::/32 --rate-limit 500/1m',
    'tokens update billing --metadata ticket=INC-42 --metadata stale=',
    'tokens update billing --owner team-payments',
    'tokens update partner --max-uses 20000 --refill 20000/30d',
  ],
  options: {
    name: text('--name <name>', 'new name'),
    description: text('--description <text>', 'new description'),
    owner: text('--owner <owner>', 'new owner (e.g. bob@example.com)'),
    clearOwner: flag('--clear-owner', 'no owner'),
    expires: text('--expires <when>', 'a duration (90d), a date (2027-03-01), an ISO time, or never'),
    audience: list('--audience <name>', 'replace the audiences; repeatable'),
    clearAudiences: flag('--clear-audiences', 'valid for any audience'),
    cidr: list('--cidr <block>', 'replace the allowed CIDR blocks; repeatable'),
    clearCidrs: flag('--clear-cidrs', 'allowed from any address'),
    rateLimit: parsed('--rate-limit <rate>', 'requests per period (100/1m), or none', parseRateLimit),
    maxUses: parsed('--max-uses <n>', 'usage quota in all (1: single use), or none', parseMaxUses),
    refill: parsed('--refill <uses/period>', 'quota refill, e.g. 1000/1d, or none', parseRefill),
    metadata: list('--metadata <key=value>', 'set one metadata entry (KEY= removes it); repeatable'),
  },
  async run(opts, ctx) {
    if (opts.audience && opts.clearAudiences) throw new UsageError('use either --audience or --clear-audiences');
    if (opts.cidr && opts.clearCidrs) throw new UsageError('use either --cidr or --clear-cidrs');
    if (opts.owner !== undefined && opts.clearOwner) throw new UsageError('use either --owner or --clear-owner');
    const now = ctx.clock();
    const patch: PatchTokenBody = {
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(opts.owner !== undefined || opts.clearOwner ? { owner: opts.owner ?? null } : {}),
      ...(opts.expires !== undefined ? { expires_at: parseExpiry(opts.expires, now) } : {}),
      ...(opts.audience || opts.clearAudiences ? { audiences: opts.audience ?? [] } : {}),
      ...(opts.cidr || opts.clearCidrs ? { allowed_cidrs: opts.cidr ?? [] } : {}),
      ...(opts.rateLimit !== undefined ? { rate_limit: opts.rateLimit } : {}),
      ...(opts.maxUses !== undefined ? { max_uses: opts.maxUses } : {}),
      ...(opts.refill !== undefined ? { refill: opts.refill } : {}),
    };
    if (!Object.keys(patch).length && !opts.metadata) {
      throw new UsageError('nothing to update', 'give at least one of --name, --description, --owner, --expires, --audience, --cidr, --rate-limit, --max-uses, --refill, --metadata');
    }
    const api = await ctx.api();
    const token = await resolveToken(api, opts.token);
    if (opts.metadata) patch.metadata = applyMetadata(token.metadata, opts.metadata);
    const updated = await api.updateToken(token.id, patch, token.version);
    return tokenRecord(updated, { headline: `✓ Updated ${describeToken(updated)}: ${Object.keys(patch).join(', ')}` });
  },
});
