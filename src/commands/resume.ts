// `tokens resume`: undo suspensions.
import { defineCommand } from '../cli/define.js';
import { DRY_RUN, REASON } from '../cli/shared-options.js';
import { FILTER_OPTIONS } from '../input/filters.js';
import { runBulkStateCommand, type BulkStateOptions } from './token-operation/state-change.js';

export default defineCommand<BulkStateOptions>({
  name: 'resume',
  summary: 'Resume suspended tokens',
  description:
    'Makes suspended tokens usable again (with filters, only suspended tokens are looked at unless --status\n' +
    'says otherwise). Needs every scope each token has (resuming hands its powers back).',
  arguments: [{ name: 'token', description: 'ids, names or start prefixes (or use filters)', variadic: true }],
  options: [...FILTER_OPTIONS, REASON, DRY_RUN],
  examples: ['tokens resume ci-deploy', 'tokens resume ci-deploy --reason "false alarm"', 'tokens resume --name-prefix partner- --json'],
  async run(opts, ctx) {
    return runBulkStateCommand(ctx, 'resume', opts.args, opts);
  },
});
