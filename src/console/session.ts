// The signed-in session as the pages see it: the token behind it (whose scopes decide what is
// shown and allowed, exactly as the API decides) and a way to refresh it after a change.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { holds, NEEDS } from '../shared/grants.js';
import type { SessionInfo } from '../shared/schemas.js';

export interface SessionState {
  info: SessionInfo;
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  return useContext(SessionContext)!;
}

/** What the session's token may do, by the table the server checks (src/shared/grants.ts). */
export function abilities(info: SessionInfo) {
  const token = info.token;
  const any = (scopes: readonly string[]) => scopes.some((s) => holds(token, s));
  return {
    readTokens: any(NEEDS.readTokens),
    writeTokens: any(NEEDS.writeTokens),
    revokeTokens: any(NEEDS.revokeTokens),
    readAudit: any(NEEDS.readAudit),
    manageCatalog: any(NEEDS.manage),
    /** May grant this scope to a token (no escalation). */
    grant: (scope: string) => holds(token, scope),
  };
}
