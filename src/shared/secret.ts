// Secret format (README, Security model): <prefix>_<32 base62 random><6 base62 of CRC32(prefix_random)>.
import { randomBytes } from './random.js';

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

let crcTable: Int32Array | null = null;

/** CRC-32 (the zlib polynomial) of an ASCII string, in JS: on the verify path a call into zlib costs more than the sum. */
function crc32Ascii(text: string): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function checksum(body: string): string {
  return base62Fixed(crc32Ascii(body), CHECKSUM_LENGTH);
}

export function generateSecret(prefix: string): string {
  const body = `${prefix}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

export interface ParsedSecret {
  prefix: string;
  start: string;
}

/**
 * Format and checksum check, no I/O and no allocation: a mistyped or forged token fails here. With
 * `expectedPrefix` only that prefix is accepted, else any well-formed one.
 */
export function isWellFormedSecret(candidate: string, expectedPrefix?: string): boolean {
  if (candidate.length > MAX_SECRET_INPUT_LENGTH) return false;
  const underscore = candidate.lastIndexOf('_');
  if (underscore < 1 || candidate.length - underscore - 1 !== RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  if (expectedPrefix !== undefined) {
    if (underscore !== expectedPrefix.length || !candidate.startsWith(expectedPrefix)) return false;
  } else if (!SECRET_PREFIX_PATTERN.test(candidate.slice(0, underscore))) return false;
  // From here the whole candidate is ASCII, as the CRC needs.
  if (!BASE62_RE.test(candidate.slice(underscore + 1))) return false;
  let crc = crc32Ascii(candidate.slice(0, underscore + 1 + RANDOM_LENGTH));
  for (let i = candidate.length - 1; i >= candidate.length - CHECKSUM_LENGTH; i--) {
    if (candidate.charCodeAt(i) !== BASE62.charCodeAt(crc % 62)) return false;
    crc = Math.floor(crc / 62);
  }
  return true;
}

/** Format and checksum check, no I/O: a mistyped or forged token fails here. */
export function parseSecret(candidate: string, expectedPrefix?: string): ParsedSecret | null {
  if (!isWellFormedSecret(candidate, expectedPrefix)) return null;
  return { prefix: candidate.slice(0, candidate.lastIndexOf('_')), start: secretStart(candidate) };
}

/** The display form kept and shown for a token: prefix + first random characters. */
export function secretStart(secret: string): string {
  const underscore = secret.lastIndexOf('_');
  return secret.slice(0, underscore + 1 + START_RANDOM_CHARS);
}

/**
 * What a secret looks like to someone reading text: a prefix, an underscore and 30 or more base62
 * characters, whether or not the checksum holds (a mistyped or cut-off secret is still most of one).
 * Token ids (tok_ and 26 characters) are not.
 */
const SECRET_SHAPE = /([a-z][a-z0-9]{1,7})_[0-9A-Za-z]{30,}/;
const SECRET_SHAPES = new RegExp(SECRET_SHAPE.source, 'g');

/** `text` holds something shaped like a secret. */
export function hasSecretShape(text: string): boolean {
  return SECRET_SHAPE.test(text);
}

/** `text` with everything shaped like a secret cut down to its prefix: "tkn_…". */
export function redactSecretShapes(text: string): string {
  return SECRET_SHAPE.test(text) ? text.replace(SECRET_SHAPES, '$1_…') : text;
}
