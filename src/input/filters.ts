// Token filters as flags (SPEC §8): --status, --scope, --name-prefix, --expiring-within, --unused-for,
// --older-than. One translation to the server's list query, for `list` now and bulk commands later.
import type { OptionSpec } from '../cli/define.js';
import { TOKEN_STATUS_CHOICES } from '../cli/shared-options.js';
import type { Token } from '../api/client.js';
import { parseDuration } from './duration.js';

export interface FilterFlags {
  status?: Token['status'];
  scope?: string;
  namePrefix?: string;
  expiringWithin?: string;
  unusedFor?: string;
  olderThan?: string;
}

export const FILTER_OPTIONS: OptionSpec[] = [
  { flags: '--status <status>', description: 'only tokens with this status', choices: TOKEN_STATUS_CHOICES },
  { flags: '--scope <scope>', description: 'only tokens holding this scope' },
  { flags: '--name-prefix <prefix>', description: 'only tokens whose name starts with this' },
  { flags: '--expiring-within <duration>', description: 'only tokens expiring within this long (e.g. 14d)' },
  { flags: '--unused-for <duration>', description: 'only tokens not used for this long (a never-used token counts from its creation)' },
  { flags: '--older-than <duration>', description: 'only tokens created longer ago than this (e.g. 90d)' },
];

export interface TokenQuery {
  status?: Token['status'];
  scope?: string;
  name_prefix?: string;
  expires_before?: string;
  unused_since?: string;
  created_before?: string;
}

export function hasFilters(flags: FilterFlags): boolean {
  return Boolean(flags.status || flags.scope || flags.namePrefix || flags.expiringWithin || flags.unusedFor || flags.olderThan);
}

export function tokenQuery(flags: FilterFlags, now: number): TokenQuery {
  const at = (offsetSeconds: number) => new Date(now + offsetSeconds * 1000).toISOString();
  return {
    status: flags.status,
    scope: flags.scope,
    name_prefix: flags.namePrefix,
    expires_before: flags.expiringWithin ? at(parseDuration(flags.expiringWithin, '--expiring-within')) : undefined,
    unused_since: flags.unusedFor ? at(-parseDuration(flags.unusedFor, '--unused-for')) : undefined,
    created_before: flags.olderThan ? at(-parseDuration(flags.olderThan, '--older-than')) : undefined,
  };
}
