// The one runner behind bulk rotate, revoke, suspend and resume: a few tokens at a time, past
// failures, a progress bar on stderr when it is a terminal, then a per-token report whose exit code
// is 3 when some failed (SPEC §8, §9, §10).
import { CliError, EXIT } from '../../cli/errors.js';
import type { IO } from '../../terminal/io.js';
import type { Field, ListResult } from '../../terminal/output.js';
import type { Token } from '../../api/client.js';
import { describeToken } from '../../terminal/token-view.js';

/** One line of a bulk report: what happened to one token (or one pasted secret). */
export interface BulkRow {
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

export interface BulkOptions<T> {
  io: IO;
  /** "Rotating", "Revoking": the progress bar's label. */
  label: string;
  /** The row for an item whose step threw. */
  failed(item: T, err: unknown): BulkRow;
  /** At most this many steps at once. */
  concurrency?: number;
  /** Items run one by one after all the others have finished. */
  runsLast?: (item: T) => boolean;
}

const DEFAULT_CONCURRENCY = 4;
const BAR_WIDTH = 24;
const REDRAW_MS = 80;

/** A one-line progress bar redrawn in place on a terminal; silent anywhere else. */
class ProgressBar {
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly io: IO,
    private readonly label: string,
    private readonly total: number,
  ) {
    this.enabled = Boolean(io.stderr.isTTY) && total > 1;
  }

  update(done: number, failed: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const filled = Math.round((done / this.total) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const failures = failed ? this.io.err.red(` ${failed} failed`) : '';
    this.io.stderr.write(`\r\u001b[2K${this.label} ${bar} ${done}/${this.total}${failures}`);
  }

  finish(): void {
    if (this.enabled) this.io.stderr.write('\r\u001b[2K');
  }
}

/** Runs `step` for every item, a few at a time, never stopping at a failure; rows keep the items' order. */
export async function runBulk<T>(items: T[], step: (item: T) => Promise<BulkRow>, opts: BulkOptions<T>): Promise<BulkRow[]> {
  const rows: BulkRow[] = new Array(items.length);
  const bar = new ProgressBar(opts.io, opts.label, items.length);
  const indexes = items.map((_, i) => i);
  const last = indexes.filter((i) => opts.runsLast?.(items[i]!));
  const first = indexes.filter((i) => !last.includes(i));
  let done = 0;
  let failed = 0;
  const runOne = async (index: number) => {
    const item = items[index]!;
    let row: BulkRow;
    try {
      row = await step(item);
    } catch (err) {
      row = opts.failed(item, err);
    }
    rows[index] = row;
    done++;
    if (!row.ok) failed++;
    bar.update(done, failed, done === items.length);
  };
  const worker = async () => {
    for (let index = first.shift(); index !== undefined; index = first.shift()) await runOne(index);
  };
  bar.update(0, 0, true);
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, first.length) }, worker));
    for (const index of last) await runOne(index);
  } finally {
    bar.finish();
  }
  return rows;
}

/** The message of a failure, for a report line (CliError messages are written for people). */
export function failureText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}

export function failureExitCode(err: unknown): number {
  return err instanceof CliError ? err.exitCode : EXIT.error;
}

/** A failed row for a token. */
export function failedRow(token: Pick<Token, 'id' | 'name'> | null, err: unknown, json: Record<string, unknown> = {}): BulkRow {
  return { id: token?.id ?? null, name: token?.name ?? null, result: 'failed', ok: false, detail: failureText(err), error: err, json };
}

/** 0 when every row succeeded; 3 (partial failure) when some did not — or, for one row, its own code. */
export function bulkExitCode(rows: BulkRow[]): number {
  const failed = rows.filter((r) => !r.ok);
  if (!failed.length) return EXIT.ok;
  if (rows.length === 1) return failed[0]!.exitCode ?? failureExitCode(failed[0]!.error);
  return EXIT.partial;
}

const BASE_COLUMNS: Field<BulkRow>[] = [
  { key: 'id', label: 'ID', value: (r) => r.id },
  { key: 'name', label: 'Name', value: (r) => r.name, flexible: true },
  { key: 'result', label: 'Result', value: (r) => r.result },
];
const DETAIL_COLUMN: Field<BulkRow> = { key: 'detail', label: 'Detail', value: (r) => r.detail, flexible: true };

export interface ReportOptions {
  /** Columns between Result and Detail (e.g. the successor's id). */
  columns?: Field<BulkRow>[];
  /** Columns after Detail (e.g. a secret delivered to stdout, last so it is easy to cut). */
  trailing?: Field<BulkRow>[];
  /** "rotated", "revoked": the verb of the summary line. */
  done: string;
  empty: string;
  dryRun?: boolean;
}

/** "3 rotated, 1 failed (of 4)" on stderr, and the report for the renderer with its exit code. */
export function bulkReport(io: IO, rows: BulkRow[], opts: ReportOptions): ListResult<BulkRow> & { exitCode: number } {
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
    exitCode: bulkExitCode(rows),
  };
}

/** The lines shown before a bulk confirmation: each token, then "… and N more". */
export function tokenLines(tokens: Token[], max = 50): string[] {
  const lines = tokens.slice(0, max).map((t) => `  ${describeToken(t)}  ${t.status}  ${t.start}`);
  if (tokens.length > max) lines.push(`  … and ${tokens.length - max} more`);
  return lines;
}
