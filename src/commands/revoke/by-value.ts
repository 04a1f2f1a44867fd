// `tokens revoke --value -` (SPEC §10): leaked secrets from stdin (one per line) or a hidden prompt go
// only to POST /v1/tokens/revoke-by-value — never to argv, a log or a message. The tokens they belong
// to are shown (by their public start) before confirming, and re-read afterwards.
import { parseSecret } from '../../shared/secret.js';
import type { Token, TokensApi } from '../../api/client.js';
import { bulkReport, failureText, type BulkRow } from '../token-operation/report.js';
import { confirmDestructive } from '../../terminal/confirm.js';
import type { Context } from '../../cli/define.js';
import { ApiProblemError, EXIT, UsageError } from '../../cli/errors.js';
import type { CommandResult } from '../../terminal/output.js';
import { confirmLockedOut, selfRefusal } from '../token-operation/state-change.js';
import { describeToken } from '../../terminal/token-view.js';

/** The server takes at most this many secrets per request. */
const MAX_PER_REQUEST = 1000;

interface LeakedSecret {
  /** 1-based line (or prompt answer) number: how the report names an input without repeating it. */
  line: number;
  secret: string;
  /** The public display form (prefix + first characters); null when the line is not a secret at all. */
  start: string | null;
}

export interface ValueRevokeOptions {
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  includeSelf?: boolean;
}

async function promptSecrets(ctx: Context): Promise<string[]> {
  const prompter = await ctx.prompter();
  const secrets: string[] = [];
  for (;;) {
    const answer = (await prompter.secret({ message: secrets.length ? 'Another leaked secret (empty to finish):' : 'Leaked secret (input hidden):' })).trim();
    if (!answer) return secrets;
    secrets.push(answer);
  }
}

/** One secret per line from piped stdin, or hidden prompts at a terminal; blank lines and # comments skipped. */
export async function readLeakedSecrets(ctx: Context): Promise<LeakedSecret[]> {
  if (ctx.globals.tokenStdin) throw new UsageError('--value - and --token-stdin both read standard input; give your credential with TOKENS_TOKEN or a login instead');
  let raw: string[];
  if (ctx.io.stdinIsTTY) {
    if (!ctx.io.canPrompt()) throw new UsageError('--value - reads the leaked secrets from standard input: pipe them in, one per line');
    raw = await promptSecrets(ctx);
  } else {
    raw = (await ctx.io.readStdin()).split(/\r?\n/);
  }
  const entries: LeakedSecret[] = [];
  raw.forEach((text, i) => {
    const secret = text.trim();
    if (!secret || secret.startsWith('#')) return;
    entries.push({ line: i + 1, secret, start: parseSecret(secret)?.start ?? null });
  });
  if (!entries.length) throw new UsageError('no secrets were given', 'e.g. pbpaste | tokens revoke --value - --reason "leaked in a build log"');
  return entries;
}

/** The tokens whose start matches each secret: what will be revoked, as far as the caller may see. */
async function preview(api: TokensApi, entries: LeakedSecret[]): Promise<Map<number, Token[]> | null> {
  const found = new Map<number, Token[]>();
  try {
    for (const entry of entries) {
      if (entry.start) found.set(entry.line, await api.listTokens({ start_prefix: entry.start }, 5));
    }
  } catch (err) {
    // Revoking needs only tokens:revoke; without tokens:read the tokens cannot be shown first.
    if (err instanceof ApiProblemError && err.status === 403) return null;
    throw err;
  }
  return found;
}

function previewLines(entries: LeakedSecret[], found: Map<number, Token[]> | null): string[] {
  const lines = [`Revoke the tokens of ${entries.length} secret${entries.length === 1 ? '' : 's'}. Requests with them are refused from now on. This cannot be undone.`];
  for (const entry of entries) {
    const label = `  line ${entry.line}: ${entry.start ?? '(not a token secret)'}`;
    if (!entry.start) lines.push(label);
    else if (!found) lines.push(`${label}  (your credential lacks tokens:read, so its token cannot be shown)`);
    else {
      const tokens = found.get(entry.line) ?? [];
      lines.push(tokens.length ? `${label}  → ${tokens.map((t) => `${describeToken(t)} ${t.status}`).join('; ')}` : `${label}  → no token starts like this`);
    }
  }
  return lines;
}

function inputRow(entry: LeakedSecret, result: string, ok: boolean, detail: string, token?: { id: string | null; name: string | null }, extra: Partial<BulkRow> = {}): BulkRow {
  return { id: token?.id ?? null, name: token?.name ?? null, result, ok, detail, json: { line: entry.line, start: entry.start }, ...extra };
}

/** Re-reads each revoked token; a caller without tokens:read asks revoke-by-value again, which answers already_revoked. */
async function confirmRevoked(api: TokensApi, entries: { entry: LeakedSecret; id: string }[]): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  try {
    for (const { id } of entries) status.set(id, (await api.getToken(id)).status);
    return status;
  } catch (err) {
    if (!(err instanceof ApiProblemError && err.status === 403)) throw err;
  }
  for (let i = 0; i < entries.length; i += MAX_PER_REQUEST) {
    const chunk = entries.slice(i, i + MAX_PER_REQUEST);
    const again = await api.revokeByValue(chunk.map((e) => e.entry.secret));
    for (const r of again.results) status.set(chunk[r.index]!.id, r.result === 'already_revoked' ? 'revoked' : r.result);
  }
  return status;
}

/** Sends the secrets (in requests of at most 1,000); fills `rows`; returns what the server revoked (or had). */
async function revokeEntries(
  api: TokensApi,
  entries: LeakedSecret[],
  reason: string | undefined,
  rows: Map<number, BulkRow>,
  malformedRow: (e: LeakedSecret) => BulkRow,
): Promise<{ entry: LeakedSecret; id: string }[]> {
  const revoked: { entry: LeakedSecret; id: string }[] = [];
  for (let i = 0; i < entries.length; i += MAX_PER_REQUEST) {
    const chunk = entries.slice(i, i + MAX_PER_REQUEST);
    let answer;
    try {
      answer = await api.revokeByValue(chunk.map((e) => e.secret), reason);
    } catch (err) {
      // Every secret of a failed request is reported; later requests are still tried.
      for (const e of chunk) rows.set(e.line, inputRow(e, 'failed', false, failureText(err), undefined, { error: err }));
      continue;
    }
    for (const r of answer.results) {
      const entry = chunk[r.index]!;
      const token = { id: r.id, name: r.name };
      if (r.result === 'not_found') rows.set(entry.line, inputRow(entry, 'not found', false, 'no token has this secret (another server or profile?)', token, { exitCode: EXIT.notFound }));
      else if (r.result === 'malformed') rows.set(entry.line, malformedRow(entry));
      else {
        rows.set(entry.line, inputRow(entry, r.result === 'revoked' ? 'revoked' : 'already revoked', true, '', token));
        revoked.push({ entry, id: r.id! });
      }
    }
  }
  return revoked;
}

export async function revokeByValue(ctx: Context, opts: ValueRevokeOptions): Promise<CommandResult> {
  const entries = await readLeakedSecrets(ctx);
  const own = await ctx.credential();
  const ownLine = entries.find((e) => e.secret === own.secret)?.line;
  if (!opts.includeSelf && ownLine !== undefined) throw selfRefusal('revoke', `the secret on line ${ownLine}`, own.origin);
  const api = await ctx.api();
  const report = (rows: BulkRow[], dryRun = false) => bulkReport(ctx.io, rows, { done: 'revoked', dryRun, empty: 'No secrets given.' });
  const wellFormed = entries.filter((e) => e.start !== null);
  const malformedRow = (e: LeakedSecret) => inputRow(e, 'malformed', false, 'not a well-formed token secret (wrong length, characters or checksum)', undefined, { exitCode: EXIT.usage });

  if (opts.dryRun) {
    const found = await preview(api, wellFormed);
    return report(
      entries.map((e) => {
        if (!e.start) return malformedRow(e);
        const tokens = found?.get(e.line) ?? [];
        if (found && !tokens.length) return inputRow(e, 'not found', false, 'no token starts like this', undefined, { exitCode: EXIT.notFound });
        return inputRow(e, 'would revoke', true, tokens.map((t) => `${t.name} ${t.status}`).join('; ') || 'token unknown until revoked (no tokens:read)', tokens[0]);
      }),
      true,
    );
  }
  await confirmDestructive(ctx, {
    action: `revoke the tokens of ${entries.length} secret${entries.length === 1 ? '' : 's'}`,
    changes: async () => previewLines(entries, await preview(api, wellFormed)),
    question: `Revoke ${entries.length === 1 ? 'it' : `these ${entries.length}`}?`,
    yes: opts.yes,
  });

  const rows = new Map<number, BulkRow>();
  for (const e of entries) if (!e.start) rows.set(e.line, malformedRow(e));
  const confirmed = (row: BulkRow, status: string | undefined): BulkRow =>
    status === 'revoked'
      ? { ...row, detail: 'confirmed revoked (re-read from the server)', json: { ...row.json, status } }
      : { ...row, ok: false, result: 'not revoked', detail: `the server still reports it ${status ?? 'unknown'}; run the command again`, json: { ...row.json, status: status ?? null } };

  // The own credential (--include-self) goes last: after it the CLI can neither revoke nor re-read.
  const others = wellFormed.filter((e) => e.secret !== own.secret);
  const mine = wellFormed.filter((e) => e.secret === own.secret);
  const done = await revokeEntries(api, others, opts.reason, rows, malformedRow);
  const status = await confirmRevoked(api, done);
  for (const { entry, id } of done) rows.set(entry.line, confirmed(rows.get(entry.line)!, status.get(id)));
  if (mine.length) {
    for (const { entry } of await revokeEntries(api, mine, opts.reason, rows, malformedRow)) {
      const row = rows.get(entry.line)!;
      try {
        await confirmLockedOut(api, 'your own credential');
        rows.set(entry.line, { ...confirmed(row, 'revoked'), detail: 'confirmed revoked (the server now refuses it)' });
      } catch (err) {
        rows.set(entry.line, { ...row, ok: false, result: 'not revoked', detail: failureText(err), error: err });
      }
    }
  }
  return report(entries.map((e) => rows.get(e.line)!));
}
