// `tokens rotate`: successors with new secrets, delivered and checked before the old tokens end. A
// configuration of the token-operation engine: plan.ts says where each token stands, apply.ts rotates
// one (deliver.ts hands the secret over, check.ts checks it), this file says how it is confirmed and
// reported.
import type { Token, TokensApi } from '../../api/client.js';
import { defineCommand, type Context } from '../../cli/define.js';
import { duration, text, variadic, type OptionValues } from '../../cli/options.js';
import { DRY_RUN, FILTER_OPTIONS, YES } from '../../cli/shared-options.js';
import { humanDuration } from '../../shared/time-words.js';
import { selectTokens } from '../../input/selectors.js';
import { MAX_OVERLAP_SECONDS } from '../../shared/wire-constants.js';
import type { Field } from '../../terminal/output.js';
import { describeToken, tokenRecord } from '../../terminal/token-view.js';
import { runTokenOperation } from '../token-operation/engine.js';
import { failedRow, tokenLines, type ReportRow } from '../token-operation/report.js';
import { rotateAndDeliver, rotationKey, type RotationOutcome, type RotationSettings } from './apply.js';
import { SuccessorChecker } from './check.js';
import { checkFileTargets, chooseDelivery, DEFAULT_DELIVER_TIMEOUT_SECONDS, deliveryTarget, type Delivery } from './deliver.js';
import { planRotations, type RotationPlan } from './plan.js';

const OPTIONS = {
  ...FILTER_OPTIONS,
  // The server enforces the same limit; checked here for a friendlier message.
  overlap: duration('--overlap <duration>', 'how long the old secret keeps working once the new one is delivered (e.g. 24h; 0s = stop at once)', { default: '0s', zero: true, maxSeconds: MAX_OVERLAP_SECONDS }),
  deliver: text('--deliver <command>', 'run this shell command with the new secret on its stdin (never in its arguments)'),
  deliverFile: text('--deliver-file <path>', 'write the new secret to this file (0600, atomic); {name} becomes the token name'),
  deliverTimeout: duration('--deliver-timeout <duration>', 'stop a --deliver command that runs longer than this', { default: `${DEFAULT_DELIVER_TIMEOUT_SECONDS}s`, minSeconds: 1 }),
  dryRun: DRY_RUN,
  idempotencyKey: text('--idempotency-key <key>', 'send this key instead of the one derived from the token and your credential'),
  yes: YES,
};
type RotateOpts = OptionValues<typeof OPTIONS>;

const REPORT_COLUMNS: Field<ReportRow>[] = [{ key: 'successor_id', label: 'New token', value: (r) => (r.json?.successor_id as string | undefined) ?? null }];
const SECRET_COLUMN: Field<ReportRow> = { key: 'secret', label: 'Secret', value: (r) => (r.json?.secret as string | undefined) ?? null };

/** "stops working immediately" / "keeps working for 1 day (until …)". */
function overlapDescription(overlapSeconds: number, now: number): string {
  if (overlapSeconds === 0) return 'stops working immediately';
  return `keeps working for ${humanDuration(overlapSeconds)} (until ${new Date(now + overlapSeconds * 1000).toISOString()})`;
}

/** What became of the old token, for a report line. */
function predecessorFate(predecessor: Token): string {
  return predecessor.status === 'revoked' ? 'was revoked' : `keeps working until ${predecessor.expires_at}`;
}

function outcomeRow(outcome: RotationOutcome, delivery: Delivery): ReportRow {
  const { predecessor, successor } = outcome;
  const deliveredTo = delivery.describe(deliveryTarget(successor, predecessor));
  const notes = [`delivered to ${deliveredTo}`, `checked by ${outcome.checkedBy}`, `old token ${predecessorFate(predecessor)}`];
  if (outcome.resumed) notes.unshift('resumed an unfinished rotation');
  if (outcome.abortedStale) notes.unshift(`replaced the unfinished rotation to ${outcome.abortedStale}`);
  return {
    id: predecessor.id,
    name: predecessor.name,
    result: 'rotated',
    ok: true,
    detail: notes.join('; '),
    json: {
      successor_id: successor.id,
      successor_start: successor.start,
      successor_expires_at: successor.expires_at,
      predecessor_status: predecessor.status,
      predecessor_expires_at: predecessor.expires_at,
      delivered_to: deliveredTo,
      checked_by: outcome.checkedBy,
      resumed: outcome.resumed,
      ...(delivery.viaStdout ? { secret: outcome.secret } : {}),
    },
  };
}

function plannedRow(plan: RotationPlan): ReportRow {
  return {
    id: plan.token.id,
    name: plan.token.name,
    result: plan.resumeOf ? 'would resume' : 'would rotate',
    ok: true,
    detail: plan.resumeOf ? `an unfinished rotation to ${plan.resumeOf} would be resumed` : `${plan.token.status}, scopes ${plan.token.scopes.join(',')}`,
    json: { resume_of: plan.resumeOf ?? null },
  };
}

function alreadyRotatedRow(plan: RotationPlan): ReportRow {
  const ends = plan.token.expires_at ? `; it ends ${plan.token.expires_at}` : '';
  return {
    id: plan.token.id,
    name: plan.token.name,
    result: 'already rotated',
    ok: true,
    detail: `in its overlap after a rotation to ${plan.supersededBy}${ends}`,
    json: { successor_id: plan.supersededBy, skipped: true },
  };
}

async function settingsFor(ctx: Context, api: TokensApi, opts: RotateOpts, delivery: Delivery, bulk: boolean): Promise<RotationSettings> {
  const credential = await ctx.credential();
  let ownId: Promise<string> | undefined;
  return {
    overlapSeconds: opts.overlap,
    delivery,
    checker: new SuccessorChecker(api, () =>
      ctx.io.warn('your credential lacks scope verify, so new secrets are checked with GET /v1/whoami instead of /v1/introspect'),
    ),
    keyFor: (token, startVersion) =>
      opts.idempotencyKey === undefined ? rotationKey(credential.secret, token.id, startVersion) : bulk ? `${opts.idempotencyKey}-${token.id}` : opts.idempotencyKey,
    ownId: () => (ownId ??= api.whoami().then((w) => w.token.id)),
  };
}

export default defineCommand({
  name: 'rotate',
  summary: 'Replace tokens with successors holding new secrets, delivered and checked',
  description:
    'For each token the server creates a successor with the same name, scopes, audiences, CIDRs, rate limit,\n' +
    'metadata and lifetime. The new secret goes to --deliver (a command, on its stdin), --deliver-file (mode\n' +
    '0600, written atomically), or stdout; it is then checked against the server (POST /v1/introspect, or\n' +
    'GET /v1/whoami if you lack scope verify), and only then does the old token start its --overlap\n' +
    '(0 = revoked at once). If delivery or the check fails, the successor is revoked, the old token keeps\n' +
    'working as before, and the exit code is non-zero. Re-running after a crash resumes the unfinished\n' +
    'rotation (same successor, same secret) instead of rotating twice.\n\n' +
    'Name tokens (id, name or start prefix) or select them with filters; several tokens need --yes or a\n' +
    'confirmation at a terminal. Bulk runs continue past failures, show progress on a terminal, print one\n' +
    'line per token and exit 3 when some failed. The deliver command gets TOKEN_ID, TOKEN_NAME, TOKEN_START,\n' +
    'TOKEN_PREDECESSOR_ID and TOKEN_EXPIRES_AT in its environment (not TOKENS_TOKEN) and the secret, without a\n' +
    'newline, on stdin; it must exit 0 within --deliver-timeout. Rotating needs every scope the token has, and a\n' +
    'token cannot rotate itself: rotate the credential you use with another one.',
  arguments: { token: variadic('ids, names or start prefixes (or use filters)', { completes: 'active-tokens' }) },
  examples: [
    "tokens rotate ci-deploy --overlap 24h --yes --deliver 'gh secret set API_TOKEN'",
    'tokens rotate ci-deploy --overlap 1h --yes --deliver-file /run/secrets/api-token',
    "tokens rotate --name-prefix svc- --older-than 90d --overlap 24h --yes --deliver-file 'secrets/{name}.token' --json",
    'tokens rotate --scope management --expiring-within 14d --dry-run',
    'tokens rotate ci-deploy --overlap 24h --yes --quiet | gh secret set API_TOKEN',
  ],
  options: OPTIONS,
  async run(opts, ctx) {
    const delivery = chooseDelivery(opts, ctx.io.env, opts.deliverTimeout);
    const api = await ctx.api();
    // Rotating needs an active token, so filters look only at active ones unless --status says otherwise.
    const selection = await selectTokens(api, opts.token, opts, ctx.clock(), { defaultStatuses: ['active'], verb: 'rotate' });
    const planned = await planRotations(api, selection.tokens);
    // Filters also match old tokens still in their overlap: they were rotated already (a re-run
    // after a partial failure retries only the rest). Named explicitly, the server says why not.
    const skipped = opts.token.length ? [] : planned.filter((p) => p.supersededBy);
    const plans = planned.filter((p) => !skipped.includes(p));
    checkFileTargets(opts, plans.map((p) => p.token.name), selection.bulk);
    const settings = await settingsFor(ctx, api, opts, delivery, selection.bulk);
    const overlap = overlapDescription(opts.overlap, ctx.clock());
    return runTokenOperation(ctx, {
      verb: 'rotate',
      done: 'rotated',
      items: plans,
      bulk: selection.bulk,
      dryRun: opts.dryRun,
      planned: (items) => items.map(plannedRow),
      confirmation(items) {
        const one = items.length === 1 ? items[0]!.token : undefined;
        return {
          action: one ? `rotate ${one.name}` : `rotate ${items.length} tokens`,
          changes: one
            ? [`Rotate ${describeToken(one)}: a successor with a new secret is created; the current secret ${overlap}.`]
            : [`Rotate ${items.length} tokens: each gets a successor with a new secret; each current secret ${overlap}.`, ...tokenLines(items.map((p) => p.token))],
          question: one ? `Rotate ${one.name}?` : `Rotate ${items.length} tokens?`,
          yes: opts.yes,
        };
      },
      apply: async ([plan]) => [await rotateAndDeliver(api, plan!, settings)],
      row: (_plan, outcome) => outcomeRow(outcome, delivery),
      failed: (plan, err) => failedRow(plan.token, err),
      record: (_plan, outcome) => rotationRecord(outcome, delivery),
      progress: 'Rotating',
      report: {
        empty: 'No tokens match these filters.',
        columns: REPORT_COLUMNS,
        trailing: delivery.viaStdout && !opts.dryRun ? [SECRET_COLUMN] : [],
        extraRows: skipped.map(alreadyRotatedRow),
      },
      notice: (rows) => (delivery.viaStdout && rows.some((r) => r.ok) ? 'The new secrets are in the last column; they cannot be shown again.' : undefined),
    });
  },
});

function rotationRecord(outcome: RotationOutcome, delivery: Delivery) {
  const { predecessor: old, successor } = outcome;
  const deliveredTo = delivery.describe(deliveryTarget(successor, old));
  const where = delivery.viaStdout ? '' : `; the new secret went to ${deliveredTo}`;
  const resumed = outcome.resumed ? ' (resumed an unfinished rotation)' : '';
  return tokenRecord(successor, {
    headline: `✓ Rotated ${successor.name}${resumed}: new token ${successor.id}; the old one (${old.id}) ${predecessorFate(old)}${where}`,
    ...(delivery.viaStdout ? { secret: { value: outcome.secret, subject: describeToken(successor) } } : {}),
    json: { predecessor: old, delivered_to: deliveredTo, checked_by: outcome.checkedBy, resumed: outcome.resumed },
  });
}
