// Where each token stands before rotating: a token with an unfinished (pending) rotation, or the
// successor of one, is resumed rather than rotated again; a token already rotated to a live successor
// (still in its overlap) is set aside.
import type { Token, TokensApi } from '../../api/client.js';
import { ApiProblemError } from '../../cli/errors.js';

/** What to rotate: a token, or the unfinished rotation of one. */
export interface RotationPlan {
  /** The token whose secret is being replaced (the predecessor). */
  token: Token;
  /** Set when `token` has a pending rotation to this successor that a re-run resumes. */
  resumeOf?: string;
  /** Set when `token` was already rotated to this live successor (it is in its overlap). */
  supersededBy?: string;
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiProblemError && err.status === 404;
}

/**
 * Where `token` stands: a token with a pending rotation, or the successor of one (selectors prefer
 * the successor once it exists), is resumed; anything else is rotated. `known` saves a lookup when
 * the predecessor was listed too.
 */
async function planRotation(api: TokensApi, token: Token, known: Map<string, Token> = new Map()): Promise<RotationPlan> {
  const lookup = async (id: string): Promise<Token | undefined> => {
    const listed = known.get(id);
    if (listed) return listed;
    try {
      return await api.getToken(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return undefined;
    }
  };
  if (token.rotation_pending && token.rotated_to) return { token, resumeOf: token.rotated_to };
  if (token.rotated_to) {
    const successor = await lookup(token.rotated_to);
    if (successor && (successor.status === 'active' || successor.status === 'suspended')) return { token, supersededBy: successor.id };
  }
  if (token.rotated_from) {
    const predecessor = await lookup(token.rotated_from);
    if (predecessor?.rotation_pending && predecessor.rotated_to === token.id) return { token: predecessor, resumeOf: token.id };
  }
  return { token };
}

/** Plans for every token, one per predecessor (a pending predecessor and its successor are one rotation). */
export async function planRotations(api: TokensApi, tokens: Token[]): Promise<RotationPlan[]> {
  const known = new Map(tokens.map((t) => [t.id, t]));
  const plans: RotationPlan[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    const plan = await planRotation(api, token, known);
    if (seen.has(plan.token.id)) continue;
    seen.add(plan.token.id);
    plans.push(plan);
  }
  return plans;
}

