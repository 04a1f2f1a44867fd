// Options shared by several commands, defined once so help, parsing and completion agree.
import type { OptionSpec } from './define.js';

/** Accepted by every command (before or after the command name). */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { flags: '--profile <name>', description: 'profile to use (default: TOKENS_PROFILE, then the current profile)' },
  { flags: '--json', description: 'print JSON (with schema_version) instead of a table or TSV' },
  { flags: '-q, --quiet', description: 'print only ids (for create/rotate: only the new secret)' },
  { flags: '--field <name>', description: 'print only this field (a JSON key, e.g. id, status, expires_at)' },
  { flags: '--token-stdin', description: 'read your own credential from standard input for this command' },
  { flags: '--insecure-http', description: 'allow plain http to a non-loopback API URL' },
  { flags: '--debug', description: 'print HTTP requests and timings to stderr (secrets redacted)' },
];

/** Global flags that take a value (the word after them is not a command name). */
export const GLOBAL_VALUE_FLAGS = new Set(['--profile', '--field']);

export const YES: OptionSpec = { flags: '-y, --yes', description: 'do not ask for confirmation (needed when there is no terminal)' };
export const DRY_RUN: OptionSpec = { flags: '--dry-run', description: 'list the tokens it would act on and change nothing' };
export const INCLUDE_SELF: OptionSpec = { flags: '--include-self', description: 'allow acting on the credential this command itself uses' };
export const REASON: OptionSpec = { flags: '--reason <text>', description: 'why; recorded in the audit log' };
export const TOKEN_STATUS_CHOICES = ['active', 'suspended', 'revoked', 'expired'] as const;
