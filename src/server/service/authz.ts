// Who may do what (README, Security model): built-in scopes, and no escalation.
import { BUILTIN_SCOPES } from '../../shared/schemas.js';
import { DomainError } from './errors.js';
import { holds, NEEDS } from '../../shared/grants.js';
import type { TokenRecord } from '../store/types.js';

// The table lives with the wire code so that the console shows what the server allows.
export { NEEDS };

export const BUILTIN_SCOPE_DESCRIPTIONS: Record<(typeof BUILTIN_SCOPES)[number], string> = {
  management: 'everything, plus the scope catalog, export and server settings',
  'tokens:read': 'list and show tokens',
  'tokens:write': 'create, update, rotate, suspend, resume, revoke, edit scopes',
  'tokens:revoke': 'revoke and suspend only (on-call)',
  'audit:read': 'read the audit log',
  verify: 'call the verify and forward-auth endpoints (gateways)',
};

export function isBuiltinScope(scope: string): boolean {
  return (BUILTIN_SCOPES as readonly string[]).includes(scope);
}

/** The caller must hold at least one of `anyOf`. */
export function requireScope(caller: TokenRecord, anyOf: readonly string[]): void {
  if (anyOf.some((s) => holds(caller, s))) return;
  throw DomainError.forbidden(`this operation needs scope ${anyOf.join(' or ')}`);
}

/** No escalation: every scope granted must be held by the caller. */
export function requireHoldsAll(caller: TokenRecord, scopes: string[], what: string): void {
  const missing = scopes.filter((s) => !holds(caller, s));
  if (missing.length) throw DomainError.forbidden(`${what} needs scopes the caller does not hold: ${missing.join(', ')}`);
}

/**
 * The one rule for every change that loosens a token (rotating, resuming, and what loosening.ts
 * finds in an update): it hands the token's powers out again, so the caller must hold every scope
 * the token has, and a token may not do it to itself. `verb` is "rotate", "resume" or "loosen";
 * `why` says what loosens.
 */
export function requireMayLoosen(caller: TokenRecord, token: TokenRecord, verb: string, why?: string): void {
  if (caller.id === token.id) throw DomainError.forbidden(`a token may not ${verb} itself${why ? `: ${why}` : ''}`);
  const missing = token.scopes.filter((s) => !holds(caller, s));
  if (missing.length) {
    throw DomainError.forbidden(`to ${verb} a token the caller must hold every scope it has${why ? ` (${why})` : ''}; missing: ${missing.join(', ')}`);
  }
}
