// Secret format (SPEC §4): <prefix>_<32 base62 random><6 base62 of CRC32(prefix_random)>.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
export const START_RANDOM_CHARS = 6;
export const MAX_SECRET_INPUT_LENGTH = 255;
export const SECRET_PREFIX_PATTERN = /^[a-z][a-z0-9]{1,7}$/;

const BASE62_RE = /^[0-9A-Za-z]+$/;

function base62Fixed(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 62 * 4: reject the tail so every character is equally likely.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function checksum(body: string): string {
  return base62Fixed(crc32(body) >>> 0, CHECKSUM_LENGTH);
}

export function generateSecret(prefix: string): string {
  const body = `${prefix}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

export interface ParsedSecret {
  prefix: string;
  start: string;
}

/** Format and checksum check, no I/O: a mistyped or forged token fails here. */
export function parseSecret(candidate: string, expectedPrefix?: string): ParsedSecret | null {
  if (candidate.length > MAX_SECRET_INPUT_LENGTH) return null;
  const underscore = candidate.lastIndexOf('_');
  if (underscore < 1) return null;
  const prefix = candidate.slice(0, underscore);
  const tail = candidate.slice(underscore + 1);
  if (tail.length !== RANDOM_LENGTH + CHECKSUM_LENGTH || !BASE62_RE.test(tail)) return null;
  if (expectedPrefix !== undefined ? prefix !== expectedPrefix : !SECRET_PREFIX_PATTERN.test(prefix)) return null;
  const body = candidate.slice(0, underscore + 1 + RANDOM_LENGTH);
  if (checksum(body) !== tail.slice(RANDOM_LENGTH)) return null;
  return { prefix, start: secretStart(candidate) };
}

/** The display form kept and shown for a token: prefix + first random characters. */
export function secretStart(secret: string): string {
  const underscore = secret.lastIndexOf('_');
  return secret.slice(0, underscore + 1 + START_RANDOM_CHARS);
}
