// Token filters (README, Rotation in CI, incident revocation and `tokens check`: --status, --scope,
// --name-prefix, --expiring-within, --unused-for, --older-than) as one translation to the server's list
// query. The flags are declared in cli/shared-options.ts; durations arrive here already in seconds.
import type { TokenStatus } from '../shared/wire-constants.js';

export interface TokenFilters {
  status?: TokenStatus;
  scope?: string;
  namePrefix?: string;
  expiringWithin?: number;
  unusedFor?: number;
  olderThan?: number;
}

interface TokenQuery {
  status?: TokenStatus;
  scope?: string;
  name_prefix?: string;
  expires_before?: string;
  unused_since?: string;
  created_before?: string;
}

export function hasFilters(filters: TokenFilters): boolean {
  const { status, scope, namePrefix, expiringWithin, unusedFor, olderThan } = filters;
  return [status, scope, namePrefix, expiringWithin, unusedFor, olderThan].some((v) => v !== undefined && v !== '');
}

export function tokenQuery(filters: TokenFilters, now: number): TokenQuery {
  const at = (offsetSeconds: number | undefined) => (offsetSeconds === undefined ? undefined : new Date(now + offsetSeconds * 1000).toISOString());
  return {
    status: filters.status,
    scope: filters.scope,
    name_prefix: filters.namePrefix,
    expires_before: at(filters.expiringWithin),
    unused_since: at(filters.unusedFor === undefined ? undefined : -filters.unusedFor),
    created_before: at(filters.olderThan === undefined ? undefined : -filters.olderThan),
  };
}
