// Durations (90d, 12h, 1d12h) and dates (2027-03-01, ISO 8601) as users type them on the command line.
import { UsageError } from '../cli/errors.js';
import { UNIT_SECONDS } from '../shared/durations.js';

export { compactDuration } from '../shared/durations.js';
const DURATION_RE = /^(?:\d+[smhdw])+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const DURATION_FORMS = 'a duration like 90d, 12h, 30m or 1d12h (units s, m, h, d, w)';
export const EXPIRY_FORMS = `${DURATION_FORMS}, a date like 2027-03-01, an ISO 8601 time like 2027-03-01T12:00:00Z, or "never"`;

/** Seconds in a duration, or undefined when the text is not one. */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!DURATION_RE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

export function parseDuration(text: string, flag: string): number {
  const seconds = durationSeconds(text);
  if (seconds === undefined) throw new UsageError(`${flag} must be ${DURATION_FORMS}, not "${text}"`);
  return seconds;
}

/** A calendar date (UTC midnight) or an ISO 8601 timestamp, in ms; undefined when neither. */
function absoluteTime(text: string): number | undefined {
  const date = DATE_RE.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    // Date.UTC rolls 2027-02-30 over to March; a date that does not round-trip does not exist.
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
    return ms;
  }
  if (TIMESTAMP_RE.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** --expires: an ISO timestamp in the future, or null for "never". */
export function parseExpiry(text: string, now: number, flag = '--expires'): string | null {
  const value = text.trim();
  if (value.toLowerCase() === 'never') return null;
  const seconds = durationSeconds(value);
  if (seconds !== undefined) {
    if (seconds === 0) throw new UsageError(`${flag} must be in the future, not "${text}"`);
    return new Date(now + seconds * 1000).toISOString();
  }
  const ms = absoluteTime(value);
  if (ms === undefined) throw new UsageError(`${flag} must be ${EXPIRY_FORMS} — not "${text}"`);
  if (ms <= now) throw new UsageError(`${flag} must be in the future, not ${new Date(ms).toISOString()}`);
  return new Date(ms).toISOString();
}

/** --since 7d / --since 2027-03-01: a point in the past, as an ISO timestamp. */
export function parsePointInPast(text: string, now: number, flag: string): string {
  const value = text.trim();
  const seconds = durationSeconds(value);
  if (seconds !== undefined) return new Date(now - seconds * 1000).toISOString();
  const ms = absoluteTime(value);
  if (ms === undefined) throw new UsageError(`${flag} must be ${DURATION_FORMS} (meaning that long ago) or a date like 2027-03-01 — not "${text}"`);
  return new Date(ms).toISOString();
}
