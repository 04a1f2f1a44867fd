// What a token's scopes allow (README, Security model): the scopes each kind of operation needs, and
// no escalation — `management` holds every scope. The server enforces both; the console shows what
// the signed-in token may do and greys out the scopes it cannot grant.
export function holds(caller: { scopes: readonly string[] }, scope: string): boolean {
  return caller.scopes.includes('management') || caller.scopes.includes(scope);
}

/**
 * The scopes each kind of operation needs, any one of them (`management` holds every scope): the
 * services check these, the routes document them in the OpenAPI document (README, The API), and
 * the console offers only what they allow.
 */
export const NEEDS = {
  readTokens: ['tokens:read'],
  writeTokens: ['tokens:write'],
  // tokens:write allows everything tokens:revoke does (the spec's scope table).
  revokeTokens: ['tokens:revoke', 'tokens:write'],
  // Which token a secret belongs to and whether it is live (tokens scan): for those who read or revoke.
  lookUpSecrets: ['tokens:read', 'tokens:revoke', 'tokens:write'],
  readAudit: ['audit:read'],
  manage: ['management'],
} as const satisfies Record<string, readonly string[]>;
