// Suspend, resume and revoke: the per-token operation, the single-token command flow around it
// (resolve the selector, confirm, apply, report), and the bulk flow on the shared runner.
import type { Token, TokensApi } from './api.js';
import { bulkReport, failedRow, runBulk, tokenLines, type BulkRow } from './bulk.js';
import { confirmDestructive } from './confirm.js';
import type { Context } from './context.js';
import { CliError, EXIT, UsageError } from './errors.js';
import type { FilterFlags } from './filters.js';
import type { CommandResult, RecordResult } from './output.js';
import { resolveToken, selectTokens } from './selectors.js';
import { describeToken, tokenRecord } from './token-view.js';

export type StateAction = 'suspend' | 'resume' | 'revoke';

interface ActionText {
  /** The status the token has afterwards. */
  status: Token['status'];
  past: string;
  /** What the change means for whoever uses the token; null = not destructive (no confirmation). */
  consequence: string | null;
}

export const STATE_ACTIONS: Record<StateAction, ActionText> = {
  suspend: { status: 'suspended', past: 'Suspended', consequence: 'Requests with it are refused until it is resumed.' },
  resume: { status: 'active', past: 'Resumed', consequence: null },
  revoke: { status: 'revoked', past: 'Revoked', consequence: 'Requests with it are refused from now on. This cannot be undone.' },
};

export interface StateOutcome {
  token: Token;
  /** False when the token already had that status (a success that changed nothing). */
  changed: boolean;
}

/**
 * Applies one action to one token. A revocation is re-read afterwards and only reported done when
 * the server says the token is revoked.
 */
export async function applyTokenState(api: TokensApi, token: Token, action: StateAction, reason?: string): Promise<StateOutcome> {
  const target = STATE_ACTIONS[action].status;
  if (token.status === target) return { token, changed: false };
  if (token.status === 'revoked') throw new CliError(`${describeToken(token)} is revoked; revocation is final`, EXIT.conflict);
  const updated = await api.setTokenState(token.id, action, reason);
  if (action !== 'revoke') return { token: updated, changed: true };
  const reread = await api.getToken(token.id);
  if (reread.status !== 'revoked') {
    throw new CliError(`the server accepted the revocation of ${describeToken(token)} but still reports it ${reread.status}`, EXIT.error, 'run the command again; it is safe to repeat');
  }
  return { token: reread, changed: true };
}

export interface StateCommandOptions {
  reason?: string;
  yes?: boolean;
}

export async function runStateCommand(
  ctx: Context,
  action: StateAction,
  selector: string,
  opts: StateCommandOptions & { includeSelf?: boolean },
  resolved?: Token,
): Promise<RecordResult<Token>> {
  const api = await ctx.api();
  const token = resolved ?? (await resolveToken(api, selector));
  if (token.status !== 'revoked') await refuseSelf(ctx, api, action, [token.id], opts.includeSelf);
  const text = STATE_ACTIONS[action];
  if (token.status !== text.status && token.status !== 'revoked' && text.consequence) {
    await confirmDestructive(ctx, {
      action: `${action} ${token.name}`,
      changes: [`${action[0]!.toUpperCase()}${action.slice(1)} ${describeToken(token)}: ${token.status} → ${text.status}. ${text.consequence}`],
      question: `${action[0]!.toUpperCase()}${action.slice(1)} ${token.name}?`,
      yes: opts.yes,
    });
  }
  const outcome = await applyTokenState(api, token, action, opts.reason);
  const headline = outcome.changed ? `✓ ${text.past} ${describeToken(outcome.token)}` : `${describeToken(outcome.token)} was already ${text.status}; nothing changed`;
  return tokenRecord(outcome.token, { headline, json: { changed: outcome.changed } });
}

/** The status an action leaves behind, as a report word: "revoked", "already revoked". */
function stateRow(outcome: StateOutcome, action: StateAction): BulkRow {
  const text = STATE_ACTIONS[action];
  const { token } = outcome;
  return {
    id: token.id,
    name: token.name,
    result: outcome.changed ? text.past.toLowerCase() : `already ${text.status}`,
    ok: true,
    detail: action === 'revoke' ? 'confirmed revoked (re-read from the server)' : `now ${token.status}`,
    json: { status: token.status, changed: outcome.changed },
  };
}

/**
 * Refuses to act on the credential the command itself uses (revoking or suspending it locks the
 * operator out mid-incident) unless --include-self.
 */
export async function refuseSelf(ctx: Context, api: TokensApi, action: StateAction, ids: string[], includeSelf?: boolean): Promise<void> {
  if (includeSelf || action === 'resume' || !ids.length) return;
  const own = (await api.whoami()).token;
  if (!ids.includes(own.id)) return;
  const origin = (await ctx.credential()).origin;
  throw new UsageError(`refusing to ${action} ${describeToken(own)}: it is the credential this command is using (from ${origin})`, `pass --include-self to ${action} it anyway`);
}

export interface BulkStateOptions extends StateCommandOptions, FilterFlags {
  dryRun?: boolean;
  includeSelf?: boolean;
}

/** Suspend, resume or revoke of several tokens (selectors or filters): confirm, apply each, report each. */
export async function runBulkStateCommand(ctx: Context, action: StateAction, selectors: string[], opts: BulkStateOptions): Promise<CommandResult> {
  const text = STATE_ACTIONS[action];
  const api = await ctx.api();
  const selection = await selectTokens(api, selectors, opts, ctx.clock(), { defaultStatuses: action === 'resume' ? ['suspended'] : ['active', 'suspended'], verb: action });
  if (!selection.bulk) return runStateCommand(ctx, action, selectors[0]!, opts, selection.tokens[0]);
  const { tokens } = selection;
  await refuseSelf(ctx, api, action, tokens.map((t) => t.id), opts.includeSelf);
  const report = (rows: BulkRow[], dryRun = false) => bulkReport(ctx.io, rows, { done: text.past.toLowerCase(), dryRun, empty: 'No tokens match these filters.' });
  if (opts.dryRun) {
    return report(
      tokens.map((t) => ({ id: t.id, name: t.name, result: `would ${action}`, ok: true, detail: `${t.status} → ${text.status}`, json: { status: t.status } })),
      true,
    );
  }
  if (!tokens.length) return report([]);
  const verb = `${action[0]!.toUpperCase()}${action.slice(1)}`;
  if (text.consequence) {
    await confirmDestructive(ctx, {
      action: `${action} ${tokens.length} tokens`,
      changes: [`${verb} ${tokens.length} tokens (→ ${text.status}). ${text.consequence}`, ...tokenLines(tokens)],
      question: `${verb} these ${tokens.length} tokens?`,
      yes: opts.yes,
    });
  }
  const rows = await runBulk(tokens, async (token) => stateRow(await applyTokenState(api, token, action, opts.reason), action), {
    io: ctx.io,
    label: `${verb.replace(/e$/, '')}ing`,
    failed: (token, err) => failedRow(token, err),
  });
  return report(rows);
}
