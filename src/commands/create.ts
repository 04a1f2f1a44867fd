// `tokens create`: a new token; its secret is shown once. Asks for what is missing at a terminal.
import { defineCommand } from '../cli/define.js';
import type { CreateTokenBody } from '../shared/schemas.js';
import { EXPIRY_FORMS, parseExpiry } from '../input/duration.js';
import { UsageError } from '../cli/errors.js';
import { applyMetadata, parseRateLimit } from '../input/token-input.js';
import { describeToken, tokenRecord } from '../terminal/token-view.js';
import type { Context } from '../cli/context.js';
import type { TokensApi } from '../api/client.js';

interface CreateOpts {
  name?: string;
  scope?: string[];
  description?: string;
  expires?: string;
  audience?: string[];
  cidr?: string[];
  rateLimit?: string;
  metadata?: string[];
  idempotencyKey?: string;
}

async function askMissing(opts: CreateOpts, ctx: Context, api: TokensApi): Promise<{ name: string; scopes: string[]; expires: string | undefined }> {
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

export default defineCommand<CreateOpts>({
  name: 'create',
  summary: 'Create a token; its secret is shown once',
  description:
    'Creates a token and prints its secret once: in a box on a terminal, alone on stdout when piped, as the\n' +
    '"secret" field with --json. At a terminal, a missing name, scopes or expiry is asked for (scopes from the\n' +
    'catalog); otherwise --name and --scope are required and the token never expires unless --expires is given.\n' +
    'You can only grant scopes you hold yourself.',
  examples: [
    'tokens create --name ci-deploy --scope tokens:read --scope tokens:write --expires 90d',
    'tokens create --name gateway --scope verify --cidr 10.0.0.0/8 --rate-limit 100/1m --json',
    'tokens create --name billing --scope invoice:read --expires 2027-03-01 --metadata team=payments | gh secret set API_TOKEN',
    'tokens create',
  ],
  options: [
    { flags: '--name <name>', description: 'unique among live tokens (1–100 characters)' },
    { flags: '--scope <scope>', description: 'scope to grant; repeat or comma-separate for several', repeatable: true },
    { flags: '--description <text>', description: 'what the token is for' },
    { flags: '--expires <when>', description: 'a duration (90d, 12h), a date (2027-03-01), an ISO time, or never' },
    { flags: '--audience <name>', description: 'service it is valid for; repeatable (default: any)', repeatable: true },
    { flags: '--cidr <block>', description: 'allowed client address or CIDR block; repeatable (default: any)', repeatable: true },
    { flags: '--rate-limit <rate>', description: 'requests per period, e.g. 100/1m' },
    { flags: '--metadata <key=value>', description: 'metadata entry; repeatable', repeatable: true },
    { flags: '--idempotency-key <key>', description: 'reuse on a re-run to get the same token back instead of a second one' },
  ],
  async run(opts, ctx) {
    const api = await ctx.api();
    const now = ctx.clock();
    // Check the flags given before asking for the missing ones.
    if (opts.expires !== undefined) parseExpiry(opts.expires, now);
    const rateLimit = opts.rateLimit === undefined ? undefined : parseRateLimit(opts.rateLimit);
    const metadata = opts.metadata ? applyMetadata({}, opts.metadata) : undefined;
    const { name, scopes, expires } = await askMissing(opts, ctx, api);
    const body: CreateTokenBody = {
      name,
      scopes,
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(expires !== undefined ? { expires_at: parseExpiry(expires, ctx.clock()) } : {}),
      ...(opts.audience ? { audiences: opts.audience } : {}),
      ...(opts.cidr ? { allowed_cidrs: opts.cidr } : {}),
      ...(rateLimit !== undefined ? { rate_limit: rateLimit } : {}),
      ...(metadata ? { metadata } : {}),
    };
    const created = await api.createToken(body, opts.idempotencyKey);
    return tokenRecord(created.token, {
      headline: `✓ Created token ${describeToken(created.token)}`,
      secret: { value: created.secret, subject: describeToken(created.token) },
    });
  },
});
