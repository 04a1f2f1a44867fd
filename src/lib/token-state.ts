// Suspend, resume and revoke of one token: the per-token operation (reused by bulk revoke) and the
// single-token command flow around it (resolve the selector, confirm, apply, report).
import type { Token, TokensApi } from './api.js';
import { confirmDestructive } from './confirm.js';
import type { Context } from './context.js';
import { CliError, EXIT } from './errors.js';
import type { RecordResult } from './output.js';
import { resolveToken } from './selectors.js';
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

export async function runStateCommand(ctx: Context, action: StateAction, selector: string, opts: StateCommandOptions): Promise<RecordResult<Token>> {
  const api = await ctx.api();
  const token = await resolveToken(api, selector);
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
