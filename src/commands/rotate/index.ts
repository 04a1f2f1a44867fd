// `tokens rotate`: successors with new secrets, delivered and checked before the old tokens end.
import { defineCommand, type Context } from '../../cli/define.js';
import { duration, text, variadic, type OptionValues } from '../../cli/options.js';
import { DRY_RUN, FILTER_OPTIONS, YES } from '../../cli/shared-options.js';
import { MAX_OVERLAP_SECONDS } from '../../shared/schemas.js';
import type { TokensApi } from '../../api/client.js';
import { bulkReport, failedRow, runBulk, tokenLines, type BulkRow } from '../token-operation/report.js';
import { confirmDestructive } from '../../terminal/confirm.js';
import { chooseDelivery, DEFAULT_DELIVER_TIMEOUT_SECONDS, deliveryPath, isPerTokenTemplate, type Delivery, type DeliveryFlags } from './deliver.js';
import { UsageError } from '../../cli/errors.js';
import type { Field } from '../../terminal/output.js';
import {
  deliveryTarget,
  overlapDescription,
  planRotations,
  predecessorFate,
  rotateAndDeliver,
  rotationKey,
  SuccessorChecker,
  type RotationOutcome,
  type RotationPlan,
  type RotationSettings,
} from './plan.js';
import { selectTokens } from '../../input/selectors.js';
import { describeToken, tokenRecord } from '../../terminal/token-view.js';

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

const REPORT_COLUMNS: Field<BulkRow>[] = [{ key: 'successor_id', label: 'New token', value: (r) => (r.json?.successor_id as string | undefined) ?? null }];
const SECRET_COLUMN: Field<BulkRow> = { key: 'secret', label: 'Secret', value: (r) => (r.json?.secret as string | undefined) ?? null };

/** Refuses file templates that would put two tokens' secrets in one file. */
function checkFileTargets(flags: DeliveryFlags, plans: RotationPlan[], bulk: boolean): void {
  if (flags.deliverFile === undefined) return;
  if (bulk && !isPerTokenTemplate(flags.deliverFile)) {
    throw new UsageError('--deliver-file needs {name} in the path when several tokens may rotate', 'e.g. --deliver-file "secrets/{name}.token"');
  }
  const byPath = new Map<string, string>();
  for (const { token } of plans) {
    const path = deliveryPath(flags.deliverFile, token.name);
    const other = byPath.get(path);
    if (other !== undefined) throw new UsageError(`--deliver-file would write the secrets of "${other}" and "${token.name}" to the same file ${path}`);
    byPath.set(path, token.name);
  }
}

function outcomeRow(outcome: RotationOutcome, delivery: Delivery): BulkRow {
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

function plannedRow(plan: RotationPlan): BulkRow {
  return {
    id: plan.token.id,
    name: plan.token.name,
    result: plan.resumeOf ? 'would resume' : 'would rotate',
    ok: true,
    detail: plan.resumeOf ? `an unfinished rotation to ${plan.resumeOf} would be resumed` : `${plan.token.status}, scopes ${plan.token.scopes.join(',')}`,
    json: { resume_of: plan.resumeOf ?? null },
  };
}

function alreadyRotatedRow(plan: RotationPlan): BulkRow {
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

async function settingsFor(ctx: Context, api: TokensApi, opts: RotateOpts, overlapSeconds: number, delivery: Delivery, bulk: boolean): Promise<RotationSettings> {
  const credential = await ctx.credential();
  let ownId: Promise<string> | undefined;
  return {
    overlapSeconds,
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
    'newline, on stdin; it must exit 0 within --deliver-timeout. Rotating needs every scope the token has.',
  arguments: { token: variadic('ids, names or start prefixes (or use filters)') },
  examples: [
    "tokens rotate ci-deploy --overlap 24h --yes --deliver 'gh secret set API_TOKEN'",
    'tokens rotate ci-deploy --overlap 1h --yes --deliver-file /run/secrets/api-token',
    "tokens rotate --name-prefix svc- --older-than 90d --overlap 24h --yes --deliver-file 'secrets/{name}.token' --json",
    'tokens rotate --scope management --expiring-within 14d --dry-run',
    'tokens rotate ci-deploy --overlap 24h --yes --quiet | gh secret set API_TOKEN',
  ],
  options: OPTIONS,
  async run(opts, ctx) {
    const overlapSeconds = opts.overlap;
    const delivery = chooseDelivery(opts, ctx.io.env, opts.deliverTimeout);
    const api = await ctx.api();
    // Rotating needs an active token, so filters look only at active ones unless --status says otherwise.
    const selection = await selectTokens(api, opts.token, opts, ctx.clock(), { defaultStatuses: ['active'], verb: 'rotate' });
    let plans = await planRotations(api, selection.tokens);
    // Filters also match old tokens still in their overlap: they were rotated already (a re-run
    // after a partial failure retries only the rest). Named explicitly, the server says why not.
    const skipped = opts.token.length ? [] : plans.filter((p) => p.supersededBy);
    plans = plans.filter((p) => !skipped.includes(p));
    checkFileTargets(opts, plans, selection.bulk);
    const report = (rows: BulkRow[], dryRun = false) =>
      bulkReport(ctx.io, rows, {
        done: 'rotated',
        dryRun,
        empty: 'No tokens match these filters.',
        columns: REPORT_COLUMNS,
        trailing: delivery.viaStdout && !dryRun ? [SECRET_COLUMN] : [],
      });
    const skippedRows = skipped.map(alreadyRotatedRow);
    if (opts.dryRun) return report([...plans.map(plannedRow), ...skippedRows], true);
    if (!plans.length) return report(skippedRows);

    const one = plans.length === 1 ? plans[0]!.token : undefined;
    await confirmDestructive(ctx, {
      action: one ? `rotate ${one.name}` : `rotate ${plans.length} tokens`,
      changes: one
        ? [`Rotate ${describeToken(one)}: a successor with a new secret is created; the current secret ${overlapDescription(overlapSeconds, ctx.clock())}.`]
        : [`Rotate ${plans.length} tokens: each gets a successor with a new secret; each current secret ${overlapDescription(overlapSeconds, ctx.clock())}.`, ...tokenLines(plans.map((p) => p.token))],
      question: one ? `Rotate ${one.name}?` : `Rotate ${plans.length} tokens?`,
      yes: opts.yes,
    });

    const settings = await settingsFor(ctx, api, opts, overlapSeconds, delivery, selection.bulk);
    // Asked now: once the own credential is rotated without overlap, it can no longer ask.
    const ownId = await settings.ownId();
    const outcomes = new Map<RotationPlan, RotationOutcome>();
    const rows = await runBulk(
      plans,
      async (plan) => {
        const outcome = await rotateAndDeliver(api, plan, settings);
        outcomes.set(plan, outcome);
        return outcomeRow(outcome, delivery);
      },
      // The own credential goes last, alone: rotated without overlap, it ends the run's access.
      { io: ctx.io, label: 'Rotating', failed: (plan, err) => failedRow(plan.token, err), runsLast: (plan) => plan.token.id === ownId },
    );

    if (plans.some((p) => p.token.id === ownId && outcomes.has(p))) await warnOwnRotated(ctx);
    if (selection.bulk) {
      if (delivery.viaStdout && outcomes.size) ctx.io.info('The new secrets are in the last column; they cannot be shown again.');
      return report([...rows, ...skippedRows]);
    }

    // One named token: its record (and the secret, when it goes to stdout), or its error.
    const plan = plans[0]!;
    const outcome = outcomes.get(plan);
    if (!outcome) throw rows[0]!.error;
    return rotationRecord(outcome, rows[0]!, delivery);
  },
});

async function warnOwnRotated(ctx: Context): Promise<void> {
  const target = await ctx.target();
  const credential = await ctx.credential();
  if (credential.source === 'keychain' || credential.source === 'file') {
    ctx.io.warn(`that was the credential profile "${target.profile}" is logged in with; run "tokens login" with the new secret`);
  } else {
    ctx.io.warn(`that was the credential this command used (${credential.origin}); use the new secret from now on`);
  }
}

function rotationRecord(outcome: RotationOutcome, row: BulkRow, delivery: Delivery) {
  const { predecessor: old, successor } = outcome;
  const where = delivery.viaStdout ? '' : `; the new secret went to ${row.json?.delivered_to}`;
  const resumed = outcome.resumed ? ' (resumed an unfinished rotation)' : '';
  return tokenRecord(successor, {
    headline: `✓ Rotated ${successor.name}${resumed}: new token ${successor.id}; the old one (${old.id}) ${predecessorFate(old)}${where}`,
    ...(delivery.viaStdout ? { secret: { value: outcome.secret, subject: describeToken(successor) } } : {}),
    json: { predecessor: old, delivered_to: row.json?.delivered_to, checked_by: outcome.checkedBy, resumed: outcome.resumed },
  });
}
