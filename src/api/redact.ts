// What --debug may print: request and response bodies and headers with every secret taken out.
import { parseSecret } from '../shared/secret.js';

const REDACTED = '[redacted]';
const SECRET_KEYS = new Set(['secret', 'secrets', 'password']);

/** Values under secret-bearing keys, and any string shaped like a token secret, become [redacted]. */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return parseSecret(value.trim()) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redactJson(v)]));
  }
  return value;
}

export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization') return value.replace(/^(\S+)\s.*$/, `$1 ${REDACTED}`);
  // The Idempotency-Key unlocks a replayed response (which holds a secret): show only its start.
  if (lower === 'idempotency-key' || lower === 'x-verifier-token' || lower === 'cookie') return `${value.slice(0, 4)}…${REDACTED}`;
  return value;
}

/** Any token-shaped word in free text (e.g. a URL or a non-JSON body). */
export function redactText(text: string): string {
  return text.replace(/[a-z][a-z0-9]{1,7}_[0-9A-Za-z]{38}/g, (word) => (parseSecret(word) ? REDACTED : word));
}
