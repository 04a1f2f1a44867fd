// The one engine behind rotate, suspend, resume, revoke and revoke --value: plan → confirm → apply →
// re-read → report. The command plans (selects the tokens, or reads the pasted secrets) and says how
// to act on one; the engine does the rest the same way for all of them:
// - the credential this command runs with is refused unless --include-self when acting on it would
//   lock the operator out, and it is always acted on last and alone (as is whatever the plan puts
//   last, e.g. the token whose creations `revoke --created-by` revokes);
// - --dry-run reports what would happen and changes nothing;
// - several items run a few at a time, past failures, with a progress bar on a terminal; each is
//   read back afterwards (or, for a credential that locked itself out, the server refusing it is the
//   confirmation);
// - several items (or filters) give one report line each and exit 3 when some failed; one named
//   token gives its record, or its error.
import type { Context } from '../../cli/define.js';
import { ApiProblemError, CliError, EXIT, UsageError } from '../../cli/errors.js';
import { confirmDestructive, type ConfirmRequest } from '../../terminal/confirm.js';
import type { CommandResult, Field } from '../../terminal/output.js';
import { ProgressBar } from '../../terminal/progress.js';
import { operationReport, type ReportRow } from './report.js';

const DEFAULT_CONCURRENCY = 4;

/**
 * The credential this command runs with, where acting on it locks the operator out (revoke,
 * suspend): refused unless --include-self, and the server refusing it afterwards is its
 * confirmation (the CLI can no longer read anything back). Rotate and resume have none: the server
 * refuses a token rotating or resuming itself.
 */
interface OwnCredential<Item> {
  /** The items that are the credential this command runs with; asked once, and only when needed. */
  find(items: Item[]): Promise<Item[]>;
  /** How messages name it: "ci-deploy (tok_…)", "the secret on line 2". */
  describe(item: Item): string;
}

interface TokenOperation<Item, Outcome> {
  /** "revoke": the verb of a refusal. */
  verb: string;
  /** "revoked": the summary line's verb ("3 of 4 revoked"). */
  done: string;
  items: Item[];
  /** One report line per item; otherwise there is one item and the result is its record (or its error). */
  bulk: boolean;
  dryRun: boolean;
  includeSelf?: boolean;
  own?: OwnCredential<Item>;
  /** Items acted on alone, in this order, after all the others (the own credential is always last). */
  last?: Item[];
  /** The report lines of a dry run. */
  planned(items: Item[]): ReportRow[] | Promise<ReportRow[]>;
  /** What to show and ask before acting; null when nothing needs confirming. */
  confirmation(items: Item[]): ConfirmRequest | null;
  /** Acts on a batch (one item unless batchSize says more); one outcome per item, in order. */
  apply(batch: Item[]): Promise<Outcome[]>;
  /** Reads the batch back to confirm the change took. */
  reread?(batch: Item[], outcomes: Outcome[]): Promise<Outcome[]>;
  row(item: Item, outcome: Outcome, own: boolean): ReportRow;
  failed(item: Item, err: unknown): ReportRow;
  /** The result for one named token (bulk: false). */
  record?(item: Item, outcome: Outcome): CommandResult;
  /** The progress bar's label ("Rotating"); none, no bar. */
  progress?: string;
  /** Items per apply call (e.g. secrets per revoke-by-value request). */
  batchSize?: number;
  /** Apply calls at once. */
  concurrency?: number;
  report: {
    empty: string;
    /** Columns between Result and Detail. */
    columns?: Field<ReportRow>[];
    /** Columns after Detail. */
    trailing?: Field<ReportRow>[];
    /** Lines for items the plan set aside (e.g. "already rotated"), after the others. */
    extraRows?: ReportRow[];
  };
  /** A line for people before the summary (rotate: where the new secrets are). */
  notice?(rows: ReportRow[]): string | undefined;
}

type Result<Outcome> = { ok: true; row: ReportRow; outcome: Outcome } | { ok: false; row: ReportRow; error: unknown };

/** Refusal to act on the credential the command uses: it would lock the operator out mid-incident. */
async function selfRefusal(ctx: Context, verb: string, what: string): Promise<UsageError> {
  const { origin } = await ctx.credential();
  return new UsageError(`refusing to ${verb} ${what}: it is the credential this command is using (from ${origin})`, `pass --include-self to ${verb} it anyway`);
}

/** After revoking or suspending its own credential the CLI can read nothing more: the server refusing that credential is the confirmation. */
async function confirmLockedOut(ctx: Context, what: string): Promise<void> {
  try {
    await (await ctx.api()).whoami();
  } catch (err) {
    if (err instanceof ApiProblemError && err.status === 401) return;
    throw err;
  }
  throw new CliError(`the server accepted the change to ${what}, your own credential, but still accepts it`, EXIT.error, 'run the command again; it is safe to repeat');
}

export async function runTokenOperation<Item, Outcome>(ctx: Context, op: TokenOperation<Item, Outcome>): Promise<CommandResult> {
  const report = (rows: ReportRow[], dryRun = false) =>
    operationReport(ctx.io, [...rows, ...(op.report.extraRows ?? [])], { ...op.report, done: op.done, dryRun });

  const own = op.own ? await op.own.find(op.items) : [];
  if (own.length && !op.includeSelf) throw await selfRefusal(ctx, op.verb, op.own!.describe(own[0]!));
  if (op.dryRun) return report(await op.planned(op.items), true);
  if (!op.items.length) return report([]);
  const question = op.confirmation(op.items);
  if (question) await confirmDestructive(ctx, question);

  const results = await applyAll(ctx, op, own);
  if (!op.bulk) {
    const result = results.get(op.items[0]!)!;
    if (!result.ok) throw result.error;
    return op.record!(op.items[0]!, result.outcome);
  }
  const rows = op.items.map((item) => results.get(item)!.row);
  const notice = op.notice?.(rows);
  if (notice) ctx.io.info(notice);
  return report(rows);
}

/** Applies and re-reads every item: the others a few batches at a time, then those put last and each own one, alone. */
async function applyAll<Item, Outcome>(ctx: Context, op: TokenOperation<Item, Outcome>, own: Item[]): Promise<Map<Item, Result<Outcome>>> {
  const results = new Map<Item, Result<Outcome>>();
  const size = op.batchSize ?? 1;
  const alone = [...(op.last ?? []).filter((item) => !own.includes(item) && op.items.includes(item)), ...own];
  const others = op.items.filter((item) => !alone.includes(item));
  const queue = Array.from({ length: Math.ceil(others.length / size) }, (_, i) => others.slice(i * size, (i + 1) * size));
  const bar = op.progress ? new ProgressBar(ctx.io, op.progress, op.items.length) : undefined;
  let done = 0;
  let failed = 0;

  const runBatch = async (batch: Item[], isOwn: boolean) => {
    try {
      let outcomes = await op.apply(batch);
      if (!isOwn && op.reread) outcomes = await op.reread(batch, outcomes);
      for (const [i, item] of batch.entries()) {
        const outcome = outcomes[i]!;
        const row = op.row(item, outcome, isOwn);
        if (isOwn && row.ok) await confirmLockedOut(ctx, op.own!.describe(item));
        results.set(item, { ok: true, row, outcome });
      }
    } catch (err) {
      for (const item of batch) results.set(item, { ok: false, row: op.failed(item, err), error: err });
    }
    done += batch.length;
    failed += batch.filter((item) => !results.get(item)!.row.ok).length;
    bar?.update(done, failed, done === op.items.length);
  };

  bar?.update(0, 0, true);
  try {
    const worker = async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await runBatch(batch, false);
    };
    await Promise.all(Array.from({ length: Math.min(op.concurrency ?? DEFAULT_CONCURRENCY, queue.length) }, worker));
    for (const item of alone) await runBatch([item], own.includes(item));
  } finally {
    bar?.finish();
  }
  return results;
}
