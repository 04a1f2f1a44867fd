// Selectors (README, Using the CLI): a token named by id, exact name, or unique `start` prefix.
// After a rotation with overlap, predecessor and successor share a name; the current one wins.
// Bulk commands take several selectors, or filters instead.
import { TOKEN_ID_RE } from '../shared/ids.js';
import { hasSecretShape } from '../shared/secret.js';
import type { Token, TokensApi } from '../api/client.js';
import { ApiProblemError, CliError, EXIT, NotFoundError, UsageError } from '../cli/errors.js';
import { hasFilters, tokenQuery, type TokenFilters, type TokenQuery } from './filters.js';

const START_PREFIX_RE = /^[a-z][a-z0-9]{1,7}_[0-9A-Za-z]*$/;
const MAX_LISTED_CANDIDATES = 10;

const isLive = (t: Token) => t.status === 'active' || t.status === 'suspended';

/** Live, and not superseded by a live successor of the same name. */
function currentOf(matches: Token[]): Token[] {
  const live = matches.filter(isLive);
  return live.filter((t) => !(t.rotated_to && live.some((s) => s.id === t.rotated_to)));
}

class AmbiguousSelectorError extends CliError {
  constructor(
    selector: string,
    readonly candidates: Token[],
  ) {
    const listed = candidates.slice(0, MAX_LISTED_CANDIDATES).map((t) => `  ${t.id}  ${t.name}  ${t.status}  ${t.start}`);
    const more = candidates.length > MAX_LISTED_CANDIDATES ? [`  … and ${candidates.length - MAX_LISTED_CANDIDATES} more`] : [];
    super(`"${selector}" matches ${candidates.length} tokens:\n${[...listed, ...more].join('\n')}`, EXIT.conflict, 'name one by its id');
  }
}

export async function resolveToken(api: TokensApi, selector: string): Promise<Token> {
  const wanted = selector.trim();
  if (!wanted) throw new UsageError('the token selector is empty');
  if (hasSecretShape(wanted)) {
    // Never send a pasted secret anywhere, or repeat it — nor one with a typo, which is most of a secret.
    throw new UsageError(
      'that argument looks like a token secret, not a selector: secrets on the command line end up in shell history',
      'select a token by its id, name or start (the first characters, e.g. tkn_AbC123); to find or revoke a token by its secret, pipe it in: tokens scan, or tokens revoke --value -',
    );
  }
  if (TOKEN_ID_RE.test(wanted)) {
    try {
      return await api.getToken(wanted);
    } catch (err) {
      if (err instanceof ApiProblemError && err.status === 404) throw new NotFoundError(`no token with id ${wanted}`);
      throw err;
    }
  }
  const byName = await api.listTokens({ name: wanted });
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    const current = currentOf(byName);
    if (current.length === 1) return current[0]!;
    throw new AmbiguousSelectorError(wanted, current.length ? current : byName);
  }
  if (START_PREFIX_RE.test(wanted)) {
    const byStart = await api.listTokens({ start_prefix: wanted }, 100);
    if (byStart.length === 1) return byStart[0]!;
    if (byStart.length > 1) throw new AmbiguousSelectorError(wanted, byStart);
  }
  throw new NotFoundError(`no token matches "${wanted}" (by id, name or start prefix)`, 'see the tokens there are with: tokens list --all');
}

interface Selection {
  tokens: Token[];
  /** Filters, or several selectors: report per token rather than as one record. */
  bulk: boolean;
  /** Tokens to act on after all the others (the creator, with `withCreator`); also last in `tokens`. */
  last: Token[];
}

/** The server's list query for the filters, with the token --created-by names resolved first. */
export async function filterQuery(api: TokensApi, filters: TokenFilters, now: number): Promise<{ query: TokenQuery; creator?: Token }> {
  const creator = filters.createdBy ? await resolveToken(api, filters.createdBy) : undefined;
  return { query: tokenQuery(filters, now, creator?.id), creator };
}

/**
 * The tokens a bulk command acts on: named by selectors (each must resolve, before anything
 * changes), or matched by filters — with `defaultStatuses` when --status is not given.
 */
export async function selectTokens(
  api: TokensApi,
  selectors: string[],
  filters: TokenFilters,
  now: number,
  opts: {
    defaultStatuses: Token['status'][];
    verb: string;
    /** With --created-by: the creating token too, when it matches the other filters — after the tokens it created. */
    withCreator?: boolean;
  },
): Promise<Selection> {
  const filtered = hasFilters(filters);
  if (selectors.length && filtered) throw new UsageError(`name the tokens to ${opts.verb} or select them with filters, not both`);
  if (!selectors.length && !filtered) {
    throw new UsageError(
      `name the tokens to ${opts.verb} (id, name or start prefix), or select them with filters`,
      'filters: --scope, --status, --name-prefix, --expiring-within, --unused-for, --older-than, --owner, --created-by',
    );
  }
  if (selectors.length) {
    const tokens: Token[] = [];
    for (const selector of selectors) {
      const token = await resolveToken(api, selector);
      if (!tokens.some((t) => t.id === token.id)) tokens.push(token);
    }
    return { tokens, bulk: selectors.length > 1, last: [] };
  }
  const { query, creator } = await filterQuery(api, filters, now);
  const statuses = filters.status ? [filters.status] : opts.defaultStatuses;
  const tokens = await listWithStatuses(api, query, statuses);
  if (!opts.withCreator || !creator || tokens.some((t) => t.id === creator.id)) return { tokens, bulk: true, last: [] };
  const { created_by: _, ...otherFilters } = query;
  const itself = (await listWithStatuses(api, { ...otherFilters, name: creator.name }, statuses)).find((t) => t.id === creator.id);
  return itself ? { tokens: [...tokens, itself], bulk: true, last: [itself] } : { tokens, bulk: true, last: [] };
}

/** The tokens matching `query` whose status is one of `statuses`. */
async function listWithStatuses(api: TokensApi, query: TokenQuery & { name?: string }, statuses: Token['status'][]): Promise<Token[]> {
  const tokens = await api.listTokens({ ...query, status: statuses.join(',') as Token['status'] });
  return tokens.filter((t) => statuses.includes(t.status));
}
