// The check of a new secret before a rotation is reported done: the server must accept it as the
// successor.
import type { Token, TokensApi } from '../../api/client.js';
import { ApiProblemError, CliError, EXIT } from '../../cli/errors.js';
import { describeToken } from '../../terminal/token-view.js';

export type SuccessorCheckMethod = 'introspect' | 'whoami';

/** An address the token may be used from, for introspection on its behalf (null: any address). */
function addressAllowedFor(token: Token): string | undefined {
  const first = token.allowed_cidrs[0];
  return first ? first.split('/')[0] : undefined;
}

/**
 * Checks that the server accepts a new secret as the successor before a rotation is reported done:
 * POST /v1/introspect (scope verify, which management holds). A caller without verify falls back to
 * GET /v1/whoami presenting the new secret, and `onFallback` says so once.
 */
export class SuccessorChecker {
  private introspectRefused = false;

  constructor(
    private readonly api: TokensApi,
    private readonly onFallback: () => void,
  ) {}

  async check(secret: string, successor: Token): Promise<SuccessorCheckMethod> {
    const refused = () => new CliError(`the server does not accept the new secret of ${describeToken(successor)}`, EXIT.error);
    if (!this.introspectRefused) {
      try {
        const answer = await this.api.introspect(secret, { scope: successor.scopes, ip: addressAllowedFor(successor) });
        if (answer.active && answer.client_id === successor.id) return 'introspect';
        throw refused();
      } catch (err) {
        if (!(err instanceof ApiProblemError && err.status === 403)) throw err;
        if (!this.introspectRefused) {
          this.introspectRefused = true;
          this.onFallback();
        }
      }
    }
    try {
      const me = await this.api.whoamiAs(secret);
      if (me.token.id !== successor.id) throw refused();
    } catch (err) {
      if (err instanceof ApiProblemError && err.status === 401) throw refused();
      // 403 comes only after the secret was found live: the successor's CIDR list excludes this address.
      if (!(err instanceof ApiProblemError && err.status === 403)) throw err;
    }
    return 'whoami';
  }
}

