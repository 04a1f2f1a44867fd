// `tokens resume`: undo a suspension.
import { defineCommand } from './types.js';
import { REASON } from './options.js';
import { runStateCommand } from '../lib/token-state.js';

export default defineCommand<{ reason?: string }>({
  name: 'resume',
  summary: 'Resume a suspended token',
  description: 'Makes a suspended token usable again. Needs every scope the token has (resuming hands its powers back).',
  arguments: [{ name: 'token', description: 'id, name or start prefix', required: true }],
  options: [REASON],
  examples: ['tokens resume ci-deploy', 'tokens resume ci-deploy --reason "false alarm"'],
  async run(opts, ctx) {
    return runStateCommand(ctx, 'resume', opts.args[0]!, opts);
  },
});
