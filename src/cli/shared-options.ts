// Options several commands share, declared once so help, parsing, types and completion agree.
import { TOKEN_STATUSES } from '../shared/wire-constants.js';
import { choice, duration, flag, text, type OptionDecl, type OptionValues } from './options.js';

/** Accepted by every command (before or after the command name). */
export const GLOBAL_OPTIONS = {
  profile: text('--profile <name>', 'profile to use (default: TOKENS_PROFILE, then the current profile)', { completes: 'profiles' }),
  json: flag('--json', 'print JSON (with schema_version) instead of a table or TSV'),
  quiet: flag('-q, --quiet', 'print only ids (for create/rotate: only the new secret)'),
  field: text('--field <name>', 'print only this field (a JSON key, e.g. id, status, expires_at)'),
  tokenStdin: flag('--token-stdin', 'read your own credential from standard input for this command'),
  insecureHttp: flag('--insecure-http', 'allow plain http to a non-loopback API URL'),
  caFile: text('--ca-file <file>', "trust this CA certificate (PEM) for the server's TLS certificate (default: TOKENS_CA_FILE, then the profile's)"),
  debug: flag('--debug', 'print HTTP requests and timings to stderr (secrets redacted)'),
};
export type GlobalOptions = OptionValues<typeof GLOBAL_OPTIONS>;

/** Global flags that take a value (the word after them is not a command name). */
export const GLOBAL_VALUE_FLAGS = new Set(
  Object.values(GLOBAL_OPTIONS as Record<string, OptionDecl<unknown>>)
    .filter((o) => o.flags.includes('<'))
    .flatMap((o) => o.flags.split(/[ ,]+/).filter((w) => w.startsWith('-'))),
);

export const YES = flag('-y, --yes', 'do not ask for confirmation (needed when there is no terminal)');
export const DRY_RUN = flag('--dry-run', 'list the tokens it would act on and change nothing');
export const INCLUDE_SELF = flag('--include-self', 'allow acting on the credential this command itself uses');
export const REASON = text('--reason <text>', 'why; recorded in the audit log');

/** Token filters; input/filters.ts turns them into the server's list query. */
export const FILTER_OPTIONS = {
  status: choice('--status <status>', TOKEN_STATUSES, 'only tokens with this status'),
  scope: text('--scope <scope>', 'only tokens holding this scope', { completes: 'scopes' }),
  namePrefix: text('--name-prefix <prefix>', 'only tokens whose name starts with this'),
  expiringWithin: duration('--expiring-within <duration>', 'only tokens expiring within this long (e.g. 14d)'),
  unusedFor: duration('--unused-for <duration>', 'only tokens not used for this long (a never-used token counts from its creation)'),
  olderThan: duration('--older-than <duration>', 'only tokens created longer ago than this (e.g. 90d)'),
  owner: text('--owner <owner>', 'only tokens with exactly this owner (e.g. alice@example.com)'),
  createdBy: text('--created-by <token>', 'only tokens created by this token (id, name or start prefix)', { completes: 'live-tokens' }),
};
