// `tokens resume`: undo suspensions.
import { defineCommand } from '../cli/define.js';
import { variadic } from '../cli/options.js';
import { DRY_RUN, FILTER_OPTIONS, REASON, YES } from '../cli/shared-options.js';
import { changeTokenState } from './token-operation/state-change.js';

export default defineCommand({
  name: 'resume',
  summary: 'Resume suspended tokens',
  description:
    'Makes suspended tokens usable again (with filters, only suspended tokens are looked at unless --status\n' +
    'says otherwise). Needs every scope each token has (resuming hands its powers back). Nothing is asked\n' +
    'before a resume; --yes is accepted so scripts can pass the same flags as to suspend.',
  arguments: { token: variadic('ids, names or start prefixes (or use filters)', { completes: 'suspended-tokens' }) },
  options: { ...FILTER_OPTIONS, reason: REASON, dryRun: DRY_RUN, yes: YES },
  examples: ['tokens resume ci-deploy', 'tokens resume ci-deploy --reason "false alarm" --yes', 'tokens resume --name-prefix partner- --json'],
  async run(opts, ctx) {
    return changeTokenState(ctx, 'resume', opts);
  },
});
