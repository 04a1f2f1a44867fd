// The report of a token operation: one line per token (or pasted secret), a summary on stderr
// ("3 of 4 rotated, 1 failed"), and exit 3 when some failed (README, Exit codes).
import type { Token } from '../../api/client.js';
import { CliError, EXIT } from '../../cli/errors.js';
import type { IO } from '../../terminal/io.js';
import type { Field, ListResult } from '../../terminal/output.js';
import { describeToken } from '../../terminal/token-view.js';

/** One line of a report: what happened to one token (or one pasted secret). */
export interface ReportRow {
  /** The token acted on; null when none was found (a secret nobody holds). */
  id: string | null;
  name: string | null;
  /** "rotated", "revoked", "already revoked", "would rotate", "failed", … */
  result: string;
  ok: boolean;
  /** For people: where the secret went, why it failed. */
  detail: string;
  /** More JSON fields for this row (never a secret, except one delivered to stdout on purpose). */
  json?: Record<string, unknown>;
  /** The failure itself, for a single-token run that reports it as an error. */
  error?: unknown;
  /** The exit code of this row's failure when it is the only row (else the error's own code). */
  exitCode?: number;
}

/** The message of a failure, for a report line (CliError messages are written for people). */
export function failureText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

/** A failed row for a token. */
export function failedRow(token: Pick<Token, 'id' | 'name'> | null, err: unknown): ReportRow {
  return { id: token?.id ?? null, name: token?.name ?? null, result: 'failed', ok: false, detail: failureText(err), error: err };
}

/** 0 when every row succeeded; 3 (partial failure) when some did not — or, for one row, its own code. */
function exitCodeOf(rows: ReportRow[]): number {
  const failed = rows.filter((r) => !r.ok);
  if (!failed.length) return EXIT.ok;
  if (rows.length > 1) return EXIT.partial;
  const only = failed[0]!;
  return only.exitCode ?? (only.error instanceof CliError ? only.error.exitCode : EXIT.error);
}

const BASE_COLUMNS: Field<ReportRow>[] = [
  { key: 'id', label: 'ID', value: (r) => r.id },
  { key: 'name', label: 'Name', value: (r) => r.name, flexible: true },
  { key: 'result', label: 'Result', value: (r) => r.result },
];
const DETAIL_COLUMN: Field<ReportRow> = { key: 'detail', label: 'Detail', value: (r) => r.detail, flexible: true };

interface ReportOptions {
  /** Columns between Result and Detail (e.g. the successor's id). */
  columns?: Field<ReportRow>[];
  /** Columns after Detail (e.g. a secret delivered to stdout, last so it is easy to cut). */
  trailing?: Field<ReportRow>[];
  /** "rotated", "revoked": the verb of the summary line. */
  done: string;
  empty: string;
  dryRun?: boolean;
}

/** "3 rotated, 1 failed (of 4)" on stderr, and the report for the renderer with its exit code. */
export function operationReport(io: IO, rows: ReportRow[], opts: ReportOptions): ListResult<ReportRow> & { exitCode: number } {
  const failed = rows.filter((r) => !r.ok).length;
  const summary = { total: rows.length, succeeded: rows.length - failed, failed };
  if (rows.length) {
    const verb = opts.dryRun ? `would be ${opts.done} (dry run: nothing changed)` : opts.done;
    const line = `${summary.succeeded} of ${rows.length} ${verb}${failed ? `, ${failed} failed` : ''}`;
    if (failed) io.warn(line);
    else io.info(line);
  }
  return {
    type: 'list',
    items: rows,
    columns: [...BASE_COLUMNS, ...(opts.columns ?? []), DETAIL_COLUMN, ...(opts.trailing ?? [])],
    json: (r) => ({ id: r.id, name: r.name, result: r.result, ok: r.ok, detail: r.detail, ...r.json }),
    id: (r) => r.id ?? '',
    empty: opts.empty,
    meta: { summary },
    exitCode: exitCodeOf(rows),
  };
}

/** The lines shown before confirming several tokens: each token, then "… and N more". */
export function tokenLines(tokens: Token[], max = 50): string[] {
  const lines = tokens.slice(0, max).map((t) => `  ${describeToken(t)}  ${t.status}  ${t.start}`);
  if (tokens.length > max) lines.push(`  … and ${tokens.length - max} more`);
  return lines;
}
