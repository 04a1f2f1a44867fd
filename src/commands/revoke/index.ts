// `tokens revoke`: revoke tokens for good — named, matched by filters, or found by leaked secrets on stdin.
import { defineCommand } from '../../cli/define.js';
import { text, variadic } from '../../cli/options.js';
import { DRY_RUN, FILTER_OPTIONS, INCLUDE_SELF, REASON, YES } from '../../cli/shared-options.js';
import { UsageError } from '../../cli/errors.js';
import { hasFilters } from '../../input/filters.js';
import { revokeByValue } from './by-value.js';
import { changeTokenState } from '../token-operation/state-change.js';

export default defineCommand({
  name: 'revoke',
  summary: 'Revoke tokens for good: by name, by filters, or by leaked secret',
  description:
    'Revokes tokens: every request with them is refused from then on, and this cannot be undone. Name them\n' +
    '(id, name or start prefix), select them with filters, or pass --value - and pipe leaked secrets on stdin,\n' +
    'one per line (at a terminal you are asked for them, hidden). The count and the tokens are shown before\n' +
    'asking; --yes skips the question, and without a terminal --yes is required. Revoking a revoked token\n' +
    'succeeds. Each token is re-read afterwards to confirm it is revoked; --reason goes to the audit log.\n' +
    'Several tokens: one report line each, exit 3 if any failed. The credential this command uses is refused\n' +
    'unless --include-self (and then goes last).\n' +
    'Offboarding: --owner selects the live tokens of one owner. After a token leaks, --created-by <token> revokes\n' +
    'every live token it created and then the token itself, last (when it matches the other filters too).',
  arguments: { token: variadic('ids, names or start prefixes (or use filters or --value -)', { completes: 'live-tokens' }) },
  options: {
    value: text('--value <source>', 'read leaked secrets from standard input ("-"), one per line; never pass a secret itself'),
    ...FILTER_OPTIONS,
    reason: REASON,
    dryRun: DRY_RUN,
    includeSelf: INCLUDE_SELF,
    yes: YES,
  },
  examples: [
    'tokens revoke ci-deploy --reason "leaked in a build log"',
    'pbpaste | tokens revoke --value - --reason "posted in #general" --yes',
    'tokens revoke --value -',
    'tokens revoke --scope management --unused-for 90d --reason "unused admin tokens" --dry-run',
    'tokens revoke tok_01jq3v8k2m4n5p6q7r8s9t0v1w --yes --json',
    'tokens revoke --owner alice@example.com --reason "left the company" --yes',
    'tokens revoke --created-by ci-admin --reason "ci-admin leaked" --yes',
  ],
  async run(opts, ctx) {
    if (opts.value !== undefined) {
      if (opts.value !== '-') {
        // Never repeat the value: it may be the leaked secret itself, now in shell history.
        throw new UsageError('--value takes "-" (read secrets from standard input); a secret on the command line ends up in shell history', 'e.g. pbpaste | tokens revoke --value -');
      }
      if (opts.token.length || hasFilters(opts)) throw new UsageError('use --value - alone, without token names or filters');
      return revokeByValue(ctx, opts);
    }
    return changeTokenState(ctx, 'revoke', opts);
  },
});
