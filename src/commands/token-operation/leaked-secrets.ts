// Revoking the tokens of leaked secret values — `tokens revoke --value -` (secrets pasted on stdin) and
// `tokens scan --revoke` (secrets found in files): a configuration of the token-operation engine whose
// items are the secrets. They go only to POST /v1/tokens/revoke-by-value — never to argv, a log or a
// message; the tokens they belong to are shown (by their public start) before confirming, revoked in
// requests of up to 1,000, and read back afterwards.
import type { Token, TokensApi } from '../../api/client.js';
import type { Context } from '../../cli/define.js';
import { ApiProblemError, EXIT } from '../../cli/errors.js';
import { MAX_REVOKE_BY_VALUE } from '../../shared/wire-constants.js';
import type { CommandResult } from '../../terminal/output.js';
import { describeToken } from '../../terminal/token-view.js';
import { runTokenOperation } from './engine.js';
import { failureText, type ReportRow } from './report.js';

export interface LeakedSecret {
  /** How messages name it without repeating it: "line 2" (of stdin), "config/app.yaml:12". */
  label: string;
  /** The same in --json: {line} or {path, line, column}. */
  json: Record<string, unknown>;
  secret: string;
  /** The public display form (prefix + first characters); null when the input is not a secret at all. */
  start: string | null;
}

export interface ValueRevokeOptions {
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  includeSelf?: boolean;
}

/** What became of one secret: the server's answer, then what reading the token back said. */
type ValueOutcome =
  | { result: 'revoked' | 'already revoked'; token: { id: string; name: string | null }; status?: string }
  | { result: 'not found'; token: { id: string | null; name: string | null } }
  | { result: 'malformed' }
  | { result: 'failed'; error: unknown };

/** The tokens whose start matches each secret: what will be revoked, as far as the caller may see. */
async function preview(api: TokensApi, entries: LeakedSecret[]): Promise<Map<LeakedSecret, Token[]> | null> {
  const found = new Map<LeakedSecret, Token[]>();
  try {
    for (const entry of entries) {
      if (entry.start) found.set(entry, await api.listTokens({ start_prefix: entry.start }, 5));
    }
  } catch (err) {
    // Revoking needs only tokens:revoke; without tokens:read the tokens cannot be shown first.
    if (err instanceof ApiProblemError && err.status === 403) return null;
    throw err;
  }
  return found;
}

function previewLines(entries: LeakedSecret[], found: Map<LeakedSecret, Token[]> | null): string[] {
  const lines = [`Revoke the tokens of ${entries.length} secret${entries.length === 1 ? '' : 's'}. Requests with them are refused from now on. This cannot be undone.`];
  for (const entry of entries) {
    const label = `  ${entry.label}: ${entry.start ?? '(not a token secret)'}`;
    if (!entry.start) lines.push(label);
    else if (!found) lines.push(`${label}  (your credential lacks tokens:read, so its token cannot be shown)`);
    else {
      const tokens = found.get(entry) ?? [];
      lines.push(tokens.length ? `${label}  → ${tokens.map((t) => `${describeToken(t)} ${t.status}`).join('; ')}` : `${label}  → no token starts like this`);
    }
  }
  return lines;
}

function inputRow(entry: LeakedSecret, result: string, ok: boolean, detail: string, token?: { id: string | null; name: string | null }, extra: Partial<ReportRow> = {}): ReportRow {
  return { id: token?.id ?? null, name: token?.name ?? null, result, ok, detail, json: { ...entry.json, start: entry.start }, ...extra };
}

/** Sends one request for the well-formed secrets of a batch; a failed request fails each of them, and the next batch is still tried. */
async function revokeBatch(api: TokensApi, batch: LeakedSecret[], reason: string | undefined): Promise<ValueOutcome[]> {
  const outcomes = new Map<LeakedSecret, ValueOutcome>(batch.filter((e) => !e.start).map((e) => [e, { result: 'malformed' }]));
  const wellFormed = batch.filter((e) => e.start);
  if (wellFormed.length) {
    try {
      const answer = await api.revokeByValue(wellFormed.map((e) => e.secret), reason);
      for (const r of answer.results) {
        const token = { id: r.id, name: r.name };
        const entry = wellFormed[r.index]!;
        if (r.result === 'not_found') outcomes.set(entry, { result: 'not found', token });
        else if (r.result === 'malformed') outcomes.set(entry, { result: 'malformed' });
        else outcomes.set(entry, { result: r.result === 'revoked' ? 'revoked' : 'already revoked', token: { id: r.id!, name: r.name } });
      }
    } catch (err) {
      for (const e of wellFormed) outcomes.set(e, { result: 'failed', error: err });
    }
  }
  return batch.map((e) => outcomes.get(e)!);
}

/** Reads back each revoked token; a caller without tokens:read asks revoke-by-value again, which answers already_revoked. */
async function rereadBatch(api: TokensApi, batch: LeakedSecret[], outcomes: ValueOutcome[]): Promise<ValueOutcome[]> {
  const done = outcomes.flatMap((o, i) => (o.result === 'revoked' || o.result === 'already revoked' ? [{ entry: batch[i]!, id: o.token.id }] : []));
  const status = new Map<string, string>();
  try {
    try {
      for (const { id } of done) status.set(id, (await api.getToken(id)).status);
    } catch (err) {
      if (!(err instanceof ApiProblemError && err.status === 403)) throw err;
      if (done.length) {
        const again = await api.revokeByValue(done.map((d) => d.entry.secret));
        for (const r of again.results) status.set(done[r.index]!.id, r.result === 'already_revoked' ? 'revoked' : r.result);
      }
    }
  } catch (err) {
    return outcomes.map((o) => (o.result === 'revoked' || o.result === 'already revoked' ? { result: 'failed', error: err } : o));
  }
  return outcomes.map((o) => (o.result === 'revoked' || o.result === 'already revoked' ? { ...o, status: status.get(o.token.id) } : o));
}

function outcomeRow(entry: LeakedSecret, outcome: ValueOutcome, own: boolean): ReportRow {
  switch (outcome.result) {
    case 'malformed':
      return inputRow(entry, 'malformed', false, 'not a well-formed token secret (wrong length, characters or checksum)', undefined, { exitCode: EXIT.usage });
    case 'not found':
      return inputRow(entry, 'not found', false, 'no token has this secret (another server or profile?)', outcome.token, { exitCode: EXIT.notFound });
    case 'failed':
      return inputRow(entry, 'failed', false, failureText(outcome.error), undefined, { error: outcome.error });
  }
  const row = inputRow(entry, outcome.result, true, '', outcome.token);
  // The own credential cannot read itself back: the server refusing it is the confirmation (the engine checks).
  if (own) return { ...row, detail: 'confirmed revoked (the server now refuses it)', json: { ...row.json, status: 'revoked' } };
  if (outcome.status === 'revoked') return { ...row, detail: 'confirmed revoked (re-read from the server)', json: { ...row.json, status: outcome.status } };
  return { ...row, ok: false, result: 'not revoked', detail: `the server still reports it ${outcome.status ?? 'unknown'}; run the command again`, json: { ...row.json, status: outcome.status ?? null } };
}

/** Revokes the tokens of `entries` through the engine: preview, confirmation, revoke-by-value in batches, read-back, report. */
export async function revokeLeakedSecrets(ctx: Context, entries: LeakedSecret[], opts: ValueRevokeOptions): Promise<CommandResult> {
  const api = await ctx.api();
  const wellFormed = entries.filter((e) => e.start !== null);
  const many = entries.length === 1 ? '' : 's';
  return runTokenOperation(ctx, {
    verb: 'revoke',
    done: 'revoked',
    items: entries,
    bulk: true,
    dryRun: Boolean(opts.dryRun),
    includeSelf: opts.includeSelf,
    own: {
      describe: (e) => `the secret on ${e.label}`,
      async find(items) {
        const own = await ctx.credential();
        return items.filter((e) => e.secret === own.secret);
      },
    },
    async planned(items) {
      const found = await preview(api, wellFormed);
      return items.map((e) => {
        if (!e.start) return outcomeRow(e, { result: 'malformed' }, false);
        const tokens = found?.get(e) ?? [];
        if (found && !tokens.length) return inputRow(e, 'not found', false, 'no token starts like this', undefined, { exitCode: EXIT.notFound });
        return inputRow(e, 'would revoke', true, tokens.map((t) => `${t.name} ${t.status}`).join('; ') || 'token unknown until revoked (no tokens:read)', tokens[0]);
      });
    },
    confirmation: () => ({
      action: `revoke the tokens of ${entries.length} secret${many}`,
      changes: async () => previewLines(entries, await preview(api, wellFormed)),
      question: `Revoke ${entries.length === 1 ? 'it' : `these ${entries.length}`}?`,
      yes: opts.yes,
    }),
    apply: (batch) => revokeBatch(api, batch, opts.reason),
    reread: (batch, outcomes) => rereadBatch(api, batch, outcomes),
    row: outcomeRow,
    failed: (e, err) => outcomeRow(e, { result: 'failed', error: err }, false),
    batchSize: MAX_REVOKE_BY_VALUE,
    // One request after another, as the server takes them.
    concurrency: 1,
    report: { empty: 'No secrets given.' },
  });
}
