// Suspend, resume and revoke: the per-token operation, the single-token command flow around it
// (resolve the selector, confirm, apply, report), and the bulk flow on the shared runner.
import type { Token, TokensApi } from '../../api/client.js';
import { bulkReport, failedRow, runBulk, tokenLines, type BulkRow } from './report.js';
import { confirmDestructive } from '../../terminal/confirm.js';
import type { Context } from '../../cli/define.js';
import { ApiProblemError, CliError, EXIT, UsageError } from '../../cli/errors.js';
import type { TokenFilters } from '../../input/filters.js';
import type { CommandResult, RecordResult } from '../../terminal/output.js';
import { resolveToken, selectTokens } from '../../input/selectors.js';
import { describeToken, tokenRecord } from '../../terminal/token-view.js';

export type StateAction = 'suspend' | 'resume' | 'revoke';

interface ActionText {
  /** The status the token has afterwards. */
  status: Token['status'];
  past: string;
  /** What the change means for whoever uses the token, and for several; null = not destructive (no confirmation). */
  consequence: string | null;
  consequenceForMany: string | null;
}

export const STATE_ACTIONS: Record<StateAction, ActionText> = {
  suspend: {
    status: 'suspended',
    past: 'Suspended',
    consequence: 'Requests with it are refused until it is resumed.',
    consequenceForMany: 'Requests with them are refused until they are resumed.',
  },
  resume: { status: 'active', past: 'Resumed', consequence: null, consequenceForMany: null },
  revoke: {
    status: 'revoked',
    past: 'Revoked',
    consequence: 'Requests with it are refused from now on. This cannot be undone.',
    consequenceForMany: 'Requests with them are refused from now on. This cannot be undone.',
  },
};

export interface StateOutcome {
  token: Token;
  /** False when the token already had that status (a success that changed nothing). */
  changed: boolean;
}

/**
 * After revoking or suspending its own credential the CLI can no longer read anything: the server
 * refusing that credential is the confirmation.
 */
export async function confirmLockedOut(api: TokensApi, what: string): Promise<void> {
  try {
    await api.whoami();
  } catch (err) {
    if (err instanceof ApiProblemError && err.status === 401) return;
    throw err;
  }
  throw new CliError(`the server accepted the change to ${what} but still accepts it`, EXIT.error, 'run the command again; it is safe to repeat');
}

/**
 * Applies one action to one token. A revocation is re-read afterwards and only reported done when
 * the server says the token is revoked. `self`: the token is the CLI's own credential (act on it last).
 */
export async function applyTokenState(api: TokensApi, token: Token, action: StateAction, reason?: string, self = false): Promise<StateOutcome> {
  const target = STATE_ACTIONS[action].status;
  if (token.status === target) return { token, changed: false };
  if (token.status === 'revoked') throw new CliError(`${describeToken(token)} is revoked; revocation is final`, EXIT.conflict);
  const updated = await api.setTokenState(token.id, action, reason);
  if (self && action !== 'resume') {
    await confirmLockedOut(api, `your own credential ${describeToken(token)}`);
    return { token: updated, changed: true };
  }
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
  const self = token.status === 'revoked' ? undefined : await ownTokenAmong(ctx, api, action, [token], opts.includeSelf);
  const text = STATE_ACTIONS[action];
  if (token.status !== text.status && token.status !== 'revoked' && text.consequence) {
    await confirmDestructive(ctx, {
      action: `${action} ${token.name}`,
      changes: [`${action[0]!.toUpperCase()}${action.slice(1)} ${describeToken(token)}: ${token.status} → ${text.status}. ${text.consequence}`],
      question: `${action[0]!.toUpperCase()}${action.slice(1)} ${token.name}?`,
      yes: opts.yes,
    });
  }
  const outcome = await applyTokenState(api, token, action, opts.reason, self !== undefined);
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

/** Refusal to revoke or suspend the credential the command uses: it would lock the operator out mid-incident. */
export function selfRefusal(action: string, what: string, origin: string): UsageError {
  return new UsageError(`refusing to ${action} ${what}: it is the credential this command is using (from ${origin})`, `pass --include-self to ${action} it anyway`);
}

/** The id of the CLI's own token when it is among `tokens`: refused unless --include-self. */
export async function ownTokenAmong(ctx: Context, api: TokensApi, action: StateAction, tokens: Token[], includeSelf?: boolean): Promise<string | undefined> {
  if (action === 'resume' || !tokens.length) return undefined;
  const own = (await api.whoami()).token;
  if (!tokens.some((t) => t.id === own.id)) return undefined;
  if (!includeSelf) throw selfRefusal(action, describeToken(own), (await ctx.credential()).origin);
  return own.id;
}

export interface BulkStateOptions extends StateCommandOptions, TokenFilters {
  dryRun?: boolean;
  includeSelf?: boolean;
}

/** Suspend, resume or revoke of several tokens (selectors or filters): confirm, apply each, report each. */
export async function runBulkStateCommand(ctx: Context, action: StateAction, selectors: string[], opts: BulkStateOptions): Promise<CommandResult> {
  const text = STATE_ACTIONS[action];
  const api = await ctx.api();
  const selection = await selectTokens(api, selectors, opts, ctx.clock(), { defaultStatuses: action === 'resume' ? ['suspended'] : ['active', 'suspended'], verb: action });
  const { tokens } = selection;
  const report = (rows: BulkRow[], dryRun = false) => bulkReport(ctx.io, rows, { done: text.past.toLowerCase(), dryRun, empty: 'No tokens match these filters.' });
  if (!selection.bulk && !opts.dryRun) return runStateCommand(ctx, action, selectors[0]!, opts, tokens[0]);
  const selfId = await ownTokenAmong(ctx, api, action, tokens, opts.includeSelf);
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
      changes: [`${verb} ${tokens.length} tokens (→ ${text.status}). ${text.consequenceForMany}`, ...tokenLines(tokens)],
      question: `${verb} these ${tokens.length} tokens?`,
      yes: opts.yes,
    });
  }
  const rows = await runBulk(tokens, async (token) => stateRow(await applyTokenState(api, token, action, opts.reason, token.id === selfId), action), {
    io: ctx.io,
    label: `${verb.replace(/e$/, '')}ing`,
    failed: (token, err) => failedRow(token, err),
    // The own credential (--include-self) goes last, alone: after it nothing else could be done.
    runsLast: (token) => token.id === selfId,
  });
  return report(rows);
}
