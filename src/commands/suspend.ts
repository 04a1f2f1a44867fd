// `tokens suspend`: refuse tokens' requests until they are resumed.
import { defineCommand } from '../cli/define.js';
import { variadic } from '../cli/options.js';
import { DRY_RUN, FILTER_OPTIONS, INCLUDE_SELF, REASON, YES } from '../cli/shared-options.js';
import { changeTokenState } from './token-operation/state-change.js';

export default defineCommand({
  name: 'suspend',
  summary: 'Suspend tokens until they are resumed',
  description:
    'Suspends tokens: requests with them are refused until "tokens resume". Name them or select them with\n' +
    'filters; asks first unless --yes; --reason goes to the audit log. Several tokens: one report line each,\n' +
    'exit 3 if any failed. The credential this command uses is refused unless --include-self.',
  arguments: { token: variadic('ids, names or start prefixes (or use filters)', { completes: 'active-tokens' }) },
  options: { ...FILTER_OPTIONS, reason: REASON, dryRun: DRY_RUN, includeSelf: INCLUDE_SELF, yes: YES },
  examples: ['tokens suspend ci-deploy --reason "investigating unusual traffic"', 'tokens suspend tkn_AbC123 --yes', 'tokens suspend --name-prefix partner- --yes --json'],
  async run(opts, ctx) {
    return changeTokenState(ctx, 'suspend', opts);
  },
});
