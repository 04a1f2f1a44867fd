// Idempotency-Key for create and rotate (README, Security model). The key is stored only as a hash; a replayed
// response (which holds a secret) is stored encrypted under a key derived from the Idempotency-Key
// itself, so the server alone cannot read it back.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors.js';
import type { StoreOps } from '../store/types.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function encryptionKey(idempotencyKey: string, callerId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, callerId, 'tokens idempotency v1', 32));
}

function seal(plain: string, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(sealed: Buffer, key: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

export class Idempotency {
  private readonly inFlight = new Set<string>();
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Runs `exec` in one transaction with the idempotency record, so a crash never leaves a change
   * without its replayable response.
   */
  async run<T>(
    caller: Caller,
    key: string | undefined,
    operation: string,
    body: unknown,
    exec: (tx: StoreOps) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const { store } = this.deps;
    if (key === undefined) {
      const result = await store.transaction(exec);
      return { ...result, replayed: false };
    }
    if (!KEY_RE.test(key)) throw DomainError.invalidInput('Idempotency-Key must be 1–255 visible ASCII characters', 'Idempotency-Key');
    const keyHash = createHash('sha256').update(`v1\0${caller.token.id}\0${key}`).digest();
    const requestHash = createHash('sha256').update(`${operation}\0${canonical(body)}`).digest();
    const flightId = keyHash.toString('hex');
    if (this.inFlight.has(flightId)) throw DomainError.conflict('idempotency_in_flight', 'a request with this Idempotency-Key is still in progress');
    this.inFlight.add(flightId);
    try {
      return await store.transaction(async (tx) => {
        const now = this.deps.clock();
        const existing = await tx.getIdempotency(keyHash);
        const secretKey = encryptionKey(key, caller.token.id);
        if (existing && existing.expiresAt > now) {
          if (!timingSafeEqual(existing.requestHash, requestHash)) {
            throw DomainError.unprocessable('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
          }
          return { status: existing.responseStatus, body: JSON.parse(open(existing.responseBody, secretKey)) as T, replayed: true };
        }
        const result = await exec(tx);
        await tx.putIdempotency({
          keyHash,
          callerId: caller.token.id,
          requestHash,
          responseStatus: result.status,
          responseBody: seal(JSON.stringify(result.body), secretKey),
          createdAt: now,
          expiresAt: now + IDEMPOTENCY_TTL_MS,
        });
        return { ...result, replayed: false };
      });
    } finally {
      this.inFlight.delete(flightId);
    }
  }
}
