// Token filters (README, Rotation in CI, incident revocation and `tokens check`: --status, --scope,
// --name-prefix, --expiring-within, --unused-for, --older-than, --owner, --created-by) as one
// translation to the server's list query. The flags are declared in cli/shared-options.ts; durations
// arrive here already in seconds, and --created-by's selector is resolved to an id by selectors.ts.
import type { TokenStatus } from '../shared/wire-constants.js';

export interface TokenFilters {
  status?: TokenStatus;
  scope?: string;
  namePrefix?: string;
  expiringWithin?: number;
  unusedFor?: number;
  olderThan?: number;
  owner?: string;
  /** A selector (id, name or start prefix) of the creating token. */
  createdBy?: string;
}

export interface TokenQuery {
  status?: TokenStatus;
  scope?: string;
  name_prefix?: string;
  expires_before?: string;
  unused_since?: string;
  created_before?: string;
  owner?: string;
  created_by?: string;
}

export function hasFilters(filters: TokenFilters): boolean {
  const { status, scope, namePrefix, expiringWithin, unusedFor, olderThan, owner, createdBy } = filters;
  return [status, scope, namePrefix, expiringWithin, unusedFor, olderThan, owner, createdBy].some((v) => v !== undefined && v !== '');
}

/** The server's query for the filters; `createdById` is the token --created-by names, once resolved. */
export function tokenQuery(filters: TokenFilters, now: number, createdById?: string): TokenQuery {
  const at = (offsetSeconds: number | undefined) => (offsetSeconds === undefined ? undefined : new Date(now + offsetSeconds * 1000).toISOString());
  return {
    status: filters.status,
    scope: filters.scope,
    name_prefix: filters.namePrefix,
    expires_before: at(filters.expiringWithin),
    unused_since: at(filters.unusedFor === undefined ? undefined : -filters.unusedFor),
    created_before: at(filters.olderThan === undefined ? undefined : -filters.olderThan),
    owner: filters.owner?.trim(),
    created_by: createdById,
  };
}
