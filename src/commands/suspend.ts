// `tokens suspend`: refuse a token's requests until it is resumed.
import { defineCommand } from './types.js';
import { REASON, YES } from './options.js';
import { runStateCommand } from '../lib/token-state.js';

export default defineCommand<{ reason?: string; yes?: boolean }>({
  name: 'suspend',
  summary: 'Suspend a token until it is resumed',
  description: 'Suspends one token: requests with it are refused until "tokens resume". Asks first unless --yes; --reason goes to the audit log.',
  arguments: [{ name: 'token', description: 'id, name or start prefix', required: true }],
  options: [REASON, YES],
  examples: ['tokens suspend ci-deploy --reason "investigating unusual traffic"', 'tokens suspend tkn_AbC123 --yes'],
  async run(opts, ctx) {
    return runStateCommand(ctx, 'suspend', opts.args[0]!, opts);
  },
});
