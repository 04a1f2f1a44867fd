// What every response carries, whether fastify or the verify fast path (verify/fast-path.ts) sends it.
import { randomFillSync } from 'node:crypto';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

type Header = readonly [string, string];

/** On every response, the verify endpoints' included. */
export const API_HEADERS: readonly Header[] = [
  ['x-content-type-options', 'nosniff'],
  ['cache-control', 'no-store'],
];

/**
 * Hardening that matters only where a browser renders the response. The verify fast path leaves it
 * out: gateways are its only callers, and there every header is a measurable share of the request.
 */
const BROWSER_HEADERS: readonly Header[] = [
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
];

/** On every response when the server speaks TLS itself: browsers then refuse plain http to it for a year. */
export const HSTS: Header = ['strict-transport-security', 'max-age=31536000'];

export const SECURITY_HEADERS: readonly Header[] = [...API_HEADERS, ...BROWSER_HEADERS];

// Fresh request ids are random (version 4) UUIDs, as crypto.randomUUID makes them, but written out as
// text a batch at a time and read back with one latin1 slice each: randomUUID builds every id from
// twenty concatenated pieces, which the socket write must then flatten, a measurable share of a
// verify request's CPU time (bench/RESULTS.md). The bytes are as random as randomUUID's, which also
// draws them from a batch.
const IDS_PER_BATCH = 128;
const UUID_LENGTH = 36;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const randomBatch = Buffer.alloc(16 * IDS_PER_BATCH);
// latin1Slice: Buffer's own reader, which toString('latin1', …) calls after checking its arguments (a third of the cost here).
const idText = Buffer.alloc(UUID_LENGTH * IDS_PER_BATCH) as Buffer & { latin1Slice(start: number, end: number): string };
let nextId = IDS_PER_BATCH;

function writeIdBatch(): void {
  randomFillSync(randomBatch);
  let out = 0;
  for (let at = 0; at < randomBatch.length; at++) {
    const i = at & 15;
    let byte = randomBatch[at]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 9562 variant
    if (i === 4 || i === 6 || i === 8 || i === 10) idText[out++] = 0x2d; // '-'
    idText[out++] = HEX_DIGITS[byte >> 4]!;
    idText[out++] = HEX_DIGITS[byte & 15]!;
  }
  nextId = 0;
}

/** A new random UUID for a request. */
export function newRequestId(): string {
  if (nextId === IDS_PER_BATCH) writeIdBatch();
  const start = UUID_LENGTH * nextId++;
  return idText.latin1Slice(start, start + UUID_LENGTH);
}

/** The caller's X-Request-Id when it is a sane token, else a fresh one. */
export function requestIdFor(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : newRequestId();
}
