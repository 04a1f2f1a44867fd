// What a failed PostgreSQL call means for the caller: the connection was lost (a terminated backend,
// a failover, a reset), the database did not answer in time (a black-holed link), or an ordinary
// SQL error. The first two become StoreUnavailableError (503 store_unavailable); only a lost
// connection is worth retrying at once — a timeout has already used up the request's time.
import { StoreUnavailableError } from './types.js';

export type Failure = 'lost' | 'timeout' | 'sql';

// SQLSTATE: class 08 connection exceptions; 57P01–03 administrator/crash shutdown, cannot connect
// now; 53300 too many connections; 25P03 idle-in-transaction timeout; 57014 a statement timeout.
const LOST_STATES = new Set(['57P01', '57P02', '57P03', '53300', '25P03']);
const TIMEOUT_STATES = new Set(['57014']);
const LOST_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
const LOST_MESSAGES = [
  'Connection terminated',
  'is not queryable',
  'terminating connection',
  'server closed the connection unexpectedly',
];
const TIMEOUT_MESSAGES = ['Query read timeout', 'timeout exceeded when trying to connect', 'connection timeout', 'ETIMEDOUT'];

export function classify(err: unknown): Failure {
  if (err instanceof StoreUnavailableError) return 'lost';
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (TIMEOUT_STATES.has(code) || code === 'ETIMEDOUT' || TIMEOUT_MESSAGES.some((m) => message.includes(m))) return 'timeout';
  if (code.startsWith('08') || LOST_STATES.has(code) || LOST_ERRNOS.has(code) || LOST_MESSAGES.some((m) => message.includes(m))) return 'lost';
  return 'sql';
}

/** The error to throw: connection trouble as StoreUnavailableError, anything else as it was. */
export function storeError(err: unknown, maybeApplied = false): unknown {
  if (err instanceof StoreUnavailableError) return maybeApplied && !err.maybeApplied ? new StoreUnavailableError(err.message, true, { cause: err.cause }) : err;
  const failure = classify(err);
  if (failure === 'sql') return err;
  const what = failure === 'timeout' ? 'the database did not answer in time' : 'the connection to the database was lost';
  const applied = maybeApplied ? '; the change may or may not have been applied' : '';
  return new StoreUnavailableError(`${what}${applied}; try again`, maybeApplied, { cause: err });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
