// Public identifiers: fixed prefix, Crockford base32 time part first so ids sort by creation time.
import { randomBytes } from './random.js';
import { TOKEN_ID_PATTERN } from './wire-constants.js';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

let lastMs = 0;
let lastRandom = Buffer.alloc(0);

function monotonicRandom(ms: number): Buffer {
  if (ms === lastMs && lastRandom.length) {
    // Same millisecond: increment so ids created together still sort in creation order.
    const next = Buffer.from(lastRandom);
    for (let i = next.length - 1; i >= 0; i--) {
      next[i] = (next[i]! + 1) & 0xff;
      if (next[i] !== 0) break;
    }
    lastRandom = next;
  } else {
    lastMs = ms;
    lastRandom = randomBytes(10);
  }
  return lastRandom;
}

function encodeRandom(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** tok: tokens; evt: audit events; whk: webhooks; msg: webhook deliveries (the webhook-id header). */
export type IdKind = 'tok' | 'evt' | 'whk' | 'msg' | 'lse';

export function newId(kind: IdKind, now = Date.now()): string {
  return `${kind}_${encodeTime(now)}${encodeRandom(monotonicRandom(now))}`;
}

export { TOKEN_ID_PATTERN };
export const TOKEN_ID_RE = new RegExp(TOKEN_ID_PATTERN);
