// `tokens revoke`: revoke one token for good, re-read to confirm, reason in the audit log.
import { defineCommand } from './types.js';
import { REASON, YES } from './options.js';
import { runStateCommand } from '../lib/token-state.js';

export default defineCommand<{ reason?: string; yes?: boolean }>({
  name: 'revoke',
  summary: 'Revoke a token for good',
  description:
    'Revokes one token: every request with it is refused from then on, and this cannot be undone. Shows the\n' +
    'token and asks first unless --yes. Revoking a revoked token succeeds and changes nothing. The token is\n' +
    're-read afterwards to confirm it is revoked; --reason goes to the audit log.',
  arguments: [{ name: 'token', description: 'id, name or start prefix', required: true }],
  options: [REASON, YES],
  examples: ['tokens revoke ci-deploy --reason "leaked in a build log"', 'tokens revoke tok_01jq3v8k2m4n5p6q7r8s9t0v1w --yes --json'],
  async run(opts, ctx) {
    return runStateCommand(ctx, 'revoke', opts.args[0]!, opts);
  },
});
