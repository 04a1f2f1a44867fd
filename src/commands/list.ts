// `tokens list`: tokens matching filters; live ones unless --all or --status says otherwise.
import { defineCommand } from '../cli/define.js';
import { flag, integer } from '../cli/options.js';
import { FILTER_OPTIONS } from '../cli/shared-options.js';
import { hasFilters } from '../input/filters.js';
import { filterQuery } from '../input/selectors.js';
import { tokenList } from '../terminal/token-view.js';

export default defineCommand({
  name: 'list',
  summary: 'List tokens, with filters',
  description:
    'Lists tokens in creation order. Without --all or --status, revoked and expired tokens are left out.\n' +
    'Columns: id, name, status, scopes, start, expires, last used, created, owner. On a terminal times are relative;\n' +
    'piped, the output is tab-separated with full values and UTC ISO 8601 times (no header).',
  examples: [
    'tokens list',
    'tokens list --scope management --unused-for 90d',
    'tokens list --expiring-within 14d --json | jq -r \'.data[].name\'',
    'tokens list --all --name-prefix ci- --quiet',
    'tokens list --owner alice@example.com',
    'tokens list --all --created-by ci-admin',
  ],
  options: {
    ...FILTER_OPTIONS,
    all: flag('--all', 'include revoked and expired tokens'),
    limit: integer('--limit <n>', 'at most this many tokens', { min: 1 }),
  },
  async run(opts, ctx) {
    const api = await ctx.api();
    const { query } = await filterQuery(api, opts, ctx.clock());
    const liveOnly = !opts.all && !opts.status;
    const tokens = await api.listTokens(liveOnly ? { ...query, status: 'active,suspended' } : query, opts.limit);
    return tokenList(tokens, hasFilters(opts) ? 'No tokens match these filters.' : liveOnly ? 'No live tokens. (--all shows revoked and expired ones too.)' : 'No tokens.');
  },
});
