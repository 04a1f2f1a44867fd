// `tokens rotate`: a successor with a new secret; the old token ends after the overlap.
import { defineCommand } from './types.js';
import { YES } from './options.js';
import { confirmDestructive } from '../lib/confirm.js';
import { parseDuration } from '../lib/duration.js';
import { UsageError } from '../lib/errors.js';
import { overlapDescription, rotateToken } from '../lib/rotation.js';
import { resolveToken } from '../lib/selectors.js';
import { describeToken, tokenRecord } from '../lib/token-view.js';

// The server enforces the same limit (MAX_OVERLAP_SECONDS in the wire schemas); checked here for a friendlier message.
const MAX_OVERLAP_SECONDS = 90 * 86_400;

interface RotateOpts {
  overlap: string;
  idempotencyKey?: string;
  yes?: boolean;
}

export default defineCommand<RotateOpts>({
  name: 'rotate',
  summary: 'Replace a token with a successor holding a new secret',
  description:
    'The server creates a successor with the same name, scopes, audiences, CIDRs, rate limit, metadata and\n' +
    'lifetime, and the old token keeps working for --overlap (0 = revoked at once). The new secret is shown\n' +
    'once: in a box on a terminal, alone on stdout when piped, as "secret" with --json. Rotating needs every\n' +
    'scope the token has. Retries are safe: the request carries an Idempotency-Key (--idempotency-key to\n' +
    'choose it, so a re-run after a crash gets the same successor back).',
  arguments: [{ name: 'token', description: 'id, name or start prefix', required: true }],
  examples: [
    'tokens rotate ci-deploy --overlap 24h',
    'tokens rotate ci-deploy --overlap 24h --yes --quiet | gh secret set API_TOKEN',
    'tokens rotate tok_01jq3v8k2m4n5p6q7r8s9t0v1w --yes --json',
  ],
  options: [
    { flags: '--overlap <duration>', description: 'how long the old secret keeps working (e.g. 24h; 0s = stop now)', defaultValue: '0s' },
    { flags: '--idempotency-key <key>', description: 'reuse on a re-run to get the same successor back' },
    YES,
  ],
  async run(opts, ctx) {
    const overlapSeconds = opts.overlap.trim() === '0' ? 0 : parseDuration(opts.overlap, '--overlap');
    if (overlapSeconds > MAX_OVERLAP_SECONDS) throw new UsageError('--overlap can be at most 90d');
    const api = await ctx.api();
    const token = await resolveToken(api, opts.args[0]!);
    await confirmDestructive(ctx, {
      action: `rotate ${token.name}`,
      changes: [`Rotate ${describeToken(token)}: a successor with a new secret is created; the current secret ${overlapDescription(overlapSeconds, ctx.clock())}.`],
      question: `Rotate ${token.name}?`,
      yes: opts.yes,
    });
    const outcome = await rotateToken(api, token, { overlapSeconds, idempotencyKey: opts.idempotencyKey });
    const old = outcome.predecessor;
    const own = (await ctx.target()).stored?.credential;
    if (own?.id === old.id) ctx.io.warn(`that was the credential profile "${(await ctx.target()).profile}" is logged in with; run "tokens login" with the new secret`);
    const oldFate = old.status === 'revoked' ? 'was revoked' : `keeps working until ${old.expires_at}`;
    return tokenRecord(outcome.successor, {
      headline: `✓ Rotated ${outcome.successor.name}: new token ${outcome.successor.id}; the old one (${old.id}) ${oldFate}`,
      secret: { value: outcome.secret, subject: describeToken(outcome.successor) },
      json: { predecessor: old },
    });
  },
});
