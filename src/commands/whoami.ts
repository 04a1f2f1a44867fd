// `tokens whoami`: the profile, API URL, which credential source won, and the token behind it.
import { defineCommand } from '../cli/define.js';
import { currentSession } from '../credentials/session.js';

export default defineCommand({
  name: 'whoami',
  summary: 'Show the profile, API URL, credential source and the token you act as',
  description:
    'Asks the server who the current credential belongs to (GET /v1/whoami) and says where the credential came\n' +
    'from: --token-stdin, TOKENS_TOKEN, the OS keychain or the 0600 file. Warns on stderr when it expires within 14 days.',
  examples: ['tokens whoami', 'tokens whoami --field expires_at', 'TOKENS_TOKEN=$(cat token) tokens whoami --json'],
  async run(_opts, ctx) {
    return currentSession(ctx);
  },
});
