// `tokens create`: a new token; its secret is shown once. Asks for what is missing at a terminal.
import type { TokensApi } from '../api/client.js';
import { defineCommand, type Context } from '../cli/define.js';
import { UsageError } from '../cli/errors.js';
import { list, parsed, text, type OptionValues } from '../cli/options.js';
import { EXPIRY_FORMS, parseExpiry } from '../input/duration.js';
import { applyMetadata, parseMaxUses, parseRateLimit, parseRefill } from '../input/token-input.js';
import type { CreateTokenBody } from '../shared/schemas.js';
import { describeToken, tokenRecord } from '../terminal/token-view.js';

const OPTIONS = {
  name: text('--name <name>', 'unique among live tokens (1–100 characters)'),
  scope: list('--scope <scope>', 'scope to grant; repeat or comma-separate for several', { completes: 'scopes' }),
  description: text('--description <text>', 'what the token is for'),
  expires: text('--expires <when>', 'a duration (90d, 12h), a date (2027-03-01), an ISO time, or never'),
  audience: list('--audience <name>', 'service it is valid for; repeatable (default: any)'),
  cidr: list('--cidr <block>', 'allowed client address or CIDR block; repeatable (default: any)'),
  rateLimit: parsed('--rate-limit <rate>', 'requests per period, e.g. 100/1m', parseRateLimit),
  maxUses: parsed('--max-uses <n>', 'usage quota: admitted verifies in all (1: single use)', parseMaxUses),
  refill: parsed('--refill <uses/period>', 'give the quota back uses over time, e.g. 1000/1d (up to --max-uses)', parseRefill),
  metadata: list('--metadata <key=value>', 'metadata entry; repeatable'),
  owner: text('--owner <owner>', 'who answers for the token, e.g. alice@example.com or team-payments'),
  idempotencyKey: text('--idempotency-key <key>', 'reuse on a re-run to get the same token back instead of a second one'),
};

async function askMissing(opts: OptionValues<typeof OPTIONS>, ctx: Context, api: TokensApi): Promise<{ name: string; scopes: string[]; expires: string | undefined }> {
  const interactive = ctx.io.canPrompt();
  const missing = (flag: string) => new UsageError(`${flag} is required (no terminal to ask on)`, 'e.g. tokens create --name ci-deploy --scope tokens:read --expires 90d');
  let name = opts.name;
  let scopes = opts.scope ?? [];
  let expires = opts.expires;
  if (!name) {
    if (!interactive) throw missing('--name');
    name = (await (await ctx.prompter()).text({ message: 'Name of the new token:', validate: (v) => (v.trim() ? true : 'a name is required') })).trim();
  }
  if (!scopes.length) {
    if (!interactive) throw missing('--scope');
    const catalog = await api.listScopes();
    scopes = await (await ctx.prompter()).checkbox({
      message: 'Scopes (space to select, enter to confirm):',
      choices: catalog.map((s) => ({ value: s.name, name: s.name, description: s.description })),
      required: true,
    });
  }
  if (expires === undefined && interactive) {
    const now = ctx.clock();
    expires = await (await ctx.prompter()).text({
      message: 'Expires (e.g. 90d, 12h, 2027-03-01, never):',
      default: '90d',
      validate: (v) => {
        try {
          parseExpiry(v, now);
          return true;
        } catch {
          return `use ${EXPIRY_FORMS}`;
        }
      },
    });
  }
  return { name, scopes, expires };
}

export default defineCommand({
  name: 'create',
  summary: 'Create a token; its secret is shown once',
  description:
    'Creates a token and prints its secret once: in a box on a terminal, alone on stdout when piped, as the\n' +
    '"secret" field with --json. At a terminal, a missing name, scopes or expiry is asked for (scopes from the\n' +
    'catalog); otherwise --name and --scope are required and the token never expires unless --expires is given.\n' +
    'You can only grant scopes you hold yourself.',
  examples: [
    'tokens create --name ci-deploy --scope tokens:read --scope tokens:write --expires 90d --owner alice@example.com',
    'tokens create --name gateway --scope verify --cidr 10.0.0.0/8 --rate-limit 100/1m --json',
    'tokens create --name invite --scope signup --max-uses 1 --expires 7d',
    'tokens create --name partner --scope reports:read --max-uses 10000 --refill 10000/30d',
    'tokens create --name billing --scope invoice:read --expires 2027-03-01 --metadata team=payments | gh secret set API_TOKEN',
    'tokens create',
  ],
  options: OPTIONS,
  async run(opts, ctx) {
    const api = await ctx.api();
    const now = ctx.clock();
    // Check the flags given before asking for the missing ones.
    if (opts.expires !== undefined) parseExpiry(opts.expires, now);
    if (opts.refill && !opts.maxUses) throw new UsageError('--refill needs --max-uses: the quota it refills up to');
    const metadata = opts.metadata ? applyMetadata({}, opts.metadata) : undefined;
    const { name, scopes, expires } = await askMissing(opts, ctx, api);
    const body: CreateTokenBody = {
      name,
      scopes,
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(expires !== undefined ? { expires_at: parseExpiry(expires, ctx.clock()) } : {}),
      ...(opts.audience ? { audiences: opts.audience } : {}),
      ...(opts.cidr ? { allowed_cidrs: opts.cidr } : {}),
      ...(opts.rateLimit !== undefined ? { rate_limit: opts.rateLimit } : {}),
      ...(opts.maxUses ? { max_uses: opts.maxUses } : {}),
      ...(opts.refill ? { refill: opts.refill } : {}),
      ...(metadata ? { metadata } : {}),
      ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    };
    const created = await api.createToken(body, opts.idempotencyKey);
    return tokenRecord(created.token, {
      headline: `✓ Created token ${describeToken(created.token)}`,
      secret: { value: created.secret, subject: describeToken(created.token) },
    });
  },
});
