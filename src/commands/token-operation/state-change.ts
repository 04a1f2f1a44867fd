// Suspend, resume and revoke as configurations of the token-operation engine: select the tokens
// (selectors or filters), then one POST per token; a revocation is read back and reported done only
// when the server says the token is revoked.
import type { Token, TokensApi } from '../../api/client.js';
import type { Context } from '../../cli/define.js';
import { CliError, EXIT } from '../../cli/errors.js';
import type { TokenFilters } from '../../input/filters.js';
import { selectTokens } from '../../input/selectors.js';
import type { CommandResult } from '../../terminal/output.js';
import { describeToken, tokenRecord } from '../../terminal/token-view.js';
import { runTokenOperation } from './engine.js';
import { failedRow, tokenLines, type ReportRow } from './report.js';

type StateAction = 'suspend' | 'resume' | 'revoke';

interface ActionText {
  /** The status the token has afterwards. */
  status: Token['status'];
  past: string;
  /** What the change means for whoever uses the token, and for several; null = not destructive (no confirmation). */
  consequence: string | null;
  consequenceForMany: string | null;
}

const STATE_ACTIONS: Record<StateAction, ActionText> = {
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

interface StateOutcome {
  token: Token;
  /** False when the token already had that status (a success that changed nothing). */
  changed: boolean;
}

interface StateChangeOptions extends TokenFilters {
  /** Selectors: ids, names or start prefixes. */
  token: string[];
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  includeSelf?: boolean;
}

async function applyState(api: TokensApi, token: Token, action: StateAction, reason: string | undefined): Promise<StateOutcome> {
  if (token.status === STATE_ACTIONS[action].status) return { token, changed: false };
  if (token.status === 'revoked') throw new CliError(`${describeToken(token)} is revoked; revocation is final`, EXIT.conflict);
  return { token: await api.setTokenState(token.id, action, reason), changed: true };
}

async function rereadRevoked(api: TokensApi, outcome: StateOutcome): Promise<StateOutcome> {
  if (!outcome.changed) return outcome;
  const reread = await api.getToken(outcome.token.id);
  if (reread.status !== 'revoked') {
    throw new CliError(`the server accepted the revocation of ${describeToken(reread)} but still reports it ${reread.status}`, EXIT.error, 'run the command again; it is safe to repeat');
  }
  return { token: reread, changed: true };
}

/** The status an action leaves behind, as a report word: "revoked", "already revoked". */
function stateRow(outcome: StateOutcome, action: StateAction, own: boolean): ReportRow {
  const text = STATE_ACTIONS[action];
  const { token } = outcome;
  return {
    id: token.id,
    name: token.name,
    result: outcome.changed ? text.past.toLowerCase() : `already ${text.status}`,
    ok: true,
    // The own credential cannot read itself back: the server refusing it is the confirmation (the engine checks).
    detail: action !== 'revoke' ? `now ${token.status}` : own && outcome.changed ? 'confirmed revoked (the server now refuses it)' : 'confirmed revoked (re-read from the server)',
    json: { status: token.status, changed: outcome.changed },
  };
}

export async function changeTokenState(ctx: Context, action: StateAction, opts: StateChangeOptions): Promise<CommandResult> {
  const text = STATE_ACTIONS[action];
  const verb = `${action[0]!.toUpperCase()}${action.slice(1)}`;
  const api = await ctx.api();
  const selection = await selectTokens(api, opts.token, opts, ctx.clock(), {
    defaultStatuses: action === 'resume' ? ['suspended'] : ['active', 'suspended'],
    verb: action,
    // After a leak: what the token created, then the token itself.
    withCreator: action === 'revoke',
  });
  return runTokenOperation<Token, StateOutcome>(ctx, {
    verb: action,
    done: text.past.toLowerCase(),
    items: selection.tokens,
    bulk: selection.bulk,
    last: selection.last,
    dryRun: Boolean(opts.dryRun),
    includeSelf: opts.includeSelf,
    // Resuming needs a working credential: the own one is never suspended while it runs.
    own:
      action === 'resume'
        ? undefined
        : {
            describe: describeToken,
            async find(tokens) {
              // A revoked token cannot be the credential that is asking.
              if (!tokens.some((t) => t.status !== 'revoked')) return [];
              const me = (await api.whoami()).token.id;
              return tokens.filter((t) => t.id === me);
            },
          },
    planned: (tokens) => tokens.map((t) => ({ id: t.id, name: t.name, result: `would ${action}`, ok: true, detail: `${t.status} → ${text.status}`, json: { status: t.status } })),
    confirmation(tokens) {
      if (!text.consequence) return null;
      if (selection.bulk) {
        return {
          action: `${action} ${tokens.length} tokens`,
          changes: [`${verb} ${tokens.length} tokens (→ ${text.status}). ${text.consequenceForMany}`, ...tokenLines(tokens)],
          question: `${verb} these ${tokens.length} tokens?`,
          yes: opts.yes,
        };
      }
      const token = tokens[0]!;
      // Nothing would change: no question.
      if (token.status === text.status || token.status === 'revoked') return null;
      return {
        action: `${action} ${token.name}`,
        changes: [`${verb} ${describeToken(token)}: ${token.status} → ${text.status}. ${text.consequence}`],
        question: `${verb} ${token.name}?`,
        yes: opts.yes,
      };
    },
    apply: async ([token]) => [await applyState(api, token!, action, opts.reason)],
    reread: action === 'revoke' ? async (_batch, [outcome]) => [await rereadRevoked(api, outcome!)] : undefined,
    row: (_token, outcome, own) => stateRow(outcome, action, own),
    failed: (token, err) => failedRow(token, err),
    record: (_token, outcome) =>
      tokenRecord(outcome.token, {
        headline: outcome.changed ? `✓ ${text.past} ${describeToken(outcome.token)}` : `${describeToken(outcome.token)} was already ${text.status}; nothing changed`,
        json: { changed: outcome.changed },
      }),
    progress: `${verb.replace(/e$/, '')}ing`,
    report: { empty: 'No tokens match these filters.' },
  });
}
