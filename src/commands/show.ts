// `tokens show`: every field of one token.
import { defineCommand } from '../cli/define.js';
import { argument } from '../cli/options.js';
import { resolveToken } from '../input/selectors.js';
import { tokenRecord } from '../terminal/token-view.js';

export default defineCommand({
  name: 'show',
  summary: 'Show one token',
  description: 'Shows every field of one token. The selector is an id, an exact name, or a unique start prefix.',
  arguments: { token: argument('id, name or start prefix', { completes: 'live-tokens' }) },
  examples: ['tokens show ci-deploy', 'tokens show tok_01jq3v8k2m4n5p6q7r8s9t0v1w --json', 'tokens show tkn_AbC1 --field expires_at'],
  async run(opts, ctx) {
    return tokenRecord(await resolveToken(await ctx.api(), opts.token));
  },
});
