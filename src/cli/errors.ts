// Typed CLI errors and the one exit-code table (README, Exit codes), used by every layer and printed in --help.
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  partial: 3,
  auth: 4,
  notFound: 5,
  conflict: 6,
  unreachable: 7,
  attention: 8,
} as const;
type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP = `Exit codes:
  0  ok
  1  error
  2  usage error or cancelled
  3  partial failure in a bulk command
  4  authentication or permission denied
  5  not found
  6  conflict (409/412, or an ambiguous selector)
  7  server unreachable or timed out
  8  check found tokens needing attention, or scan found live secrets`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** The user said no, or pressed Ctrl-C at a prompt. */
export class CancelledError extends CliError {
  constructor(message = 'cancelled') {
    super(message, EXIT.usage);
  }
}

/** Already reported to the user (e.g. a bulk report); only the exit code remains. */
export class SilentError extends CliError {
  constructor(exitCode: ExitCode) {
    super('', exitCode);
  }
}

export class NotFoundError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.notFound, hint);
  }
}

export class UnreachableError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.unreachable, hint);
  }
}

export class ApiProblemError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly candidates?: string[],
    hint?: string,
  ) {
    super(message, exitCodeForProblem(status, code), hint);
  }
}

function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 412) return EXIT.conflict;
  if (status === 400 || status === 422) return EXIT.usage;
  if (status === 502 || status === 503 || status === 504) return EXIT.unreachable;
  return EXIT.error;
}

/** A few problem codes mean something other than their HTTP status suggests. */
const EXIT_BY_PROBLEM_CODE: Record<string, ExitCode> = {
  idempotency_key_reused: EXIT.conflict,
  idempotency_in_flight: EXIT.conflict,
};

function exitCodeForProblem(status: number, code: string): ExitCode {
  return EXIT_BY_PROBLEM_CODE[code] ?? exitCodeForStatus(status);
}
