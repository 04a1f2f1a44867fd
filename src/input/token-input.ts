// Token attributes as typed on the command line: rate limits (100/1m), metadata (key=value).
import { durationSeconds, DURATION_FORMS } from './duration.js';
import { UsageError } from '../cli/errors.js';

interface RateLimitInput {
  requests: number;
  per_seconds: number;
}

/** "100/1m", "5000/1h", "10/30s"; "none" → null. */
export function parseRateLimit(text: string): RateLimitInput | null {
  if (text.trim().toLowerCase() === 'none') return null;
  const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  const perSeconds = match ? durationSeconds(match[2]!) : undefined;
  if (!match || !perSeconds || Number(match[1]) < 1) {
    throw new UsageError(`--rate-limit must be REQUESTS/DURATION like 100/1m or 5000/1h (duration as ${DURATION_FORMS}), or "none" — not "${text}"`);
  }
  return { requests: Number(match[1]), per_seconds: perSeconds };
}

/** "10000" → 10000 (a usage quota: admitted verifies in all; 1 = single use); "none" → null. */
export function parseMaxUses(text: string): number | null {
  if (text.trim().toLowerCase() === 'none') return null;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1_000_000_000_000) throw new UsageError(`--max-uses must be a whole number from 1 to 10^12 (1: single use), or "none" — not "${text}"`);
  return n;
}

/** "100/1d": 100 uses back every day, up to --max-uses; "none" → null. */
export function parseRefill(text: string): { amount: number; every: number } | null {
  if (text.trim().toLowerCase() === 'none') return null;
  const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  const every = match ? durationSeconds(match[2]!) : undefined;
  if (!match || !every || Number(match[1]) < 1 || every > 366 * 86_400) {
    throw new UsageError(`--refill must be USES/DURATION like 1000/1d or 50/1h (duration as ${DURATION_FORMS}, at most a year), or "none" — not "${text}"`);
  }
  return { amount: Number(match[1]), every };
}

/** key=value pairs onto a base map; "key=" removes the key. */
export function applyMetadata(base: Record<string, string>, pairs: string[]): Record<string, string> {
  const out = { ...base };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--metadata must be KEY=VALUE (KEY= removes a key), not "${pair}"`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value === '') delete out[key];
    else out[key] = value;
  }
  return out;
}
