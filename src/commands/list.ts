// `tokens list`: tokens matching filters; live ones unless --all or --status says otherwise.
import { defineCommand } from '../cli/define.js';
import { FILTER_OPTIONS, hasFilters, tokenQuery, type FilterFlags } from '../input/filters.js';
import { UsageError } from '../cli/errors.js';
import { tokenList } from '../terminal/token-view.js';

interface ListOpts extends FilterFlags {
  all?: boolean;
  limit?: string;
}

export default defineCommand<ListOpts>({
  name: 'list',
  summary: 'List tokens, with filters',
  description:
    'Lists tokens in creation order. Without --all or --status, revoked and expired tokens are left out.\n' +
    'Columns: id, name, status, scopes, start, expires, last used. On a terminal times are relative; piped,\n' +
    'the output is tab-separated with full values and UTC ISO 8601 times (no header).',
  examples: [
    'tokens list',
    'tokens list --scope management --unused-for 90d',
    'tokens list --expiring-within 14d --json | jq -r \'.data[].name\'',
    'tokens list --all --name-prefix ci- --quiet',
  ],
  options: [
    ...FILTER_OPTIONS,
    { flags: '--all', description: 'include revoked and expired tokens' },
    { flags: '--limit <n>', description: 'at most this many tokens' },
  ],
  async run(opts, ctx) {
    const limit = opts.limit === undefined ? undefined : Number(opts.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive whole number, not "${opts.limit}"`);
    const query = tokenQuery(opts, ctx.clock());
    const api = await ctx.api();
    const liveOnly = !opts.all && !opts.status;
    const tokens = await api.listTokens(liveOnly ? { ...query, status: 'active,suspended' } : query, limit);
    return tokenList(tokens, hasFilters(opts) ? 'No tokens match these filters.' : liveOnly ? 'No live tokens. (--all shows revoked and expired ones too.)' : 'No tokens.');
  },
});
