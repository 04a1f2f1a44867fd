// Turning a presented bearer secret into the caller's token: format and checksum first (no query
// for garbage), then the peppered digest, then status, expiry and the token's own CIDR allowlist.
import { timingSafeEqual } from 'node:crypto';
import { parseSecret } from '../../shared/secret.js';
import { DomainError } from './errors.js';
import type { Peppers } from '../pepper.js';
import type { StoreOps, TokenRecord } from '../store/types.js';
import { compileAllowlist, ipAllowed } from './cidr.js';
import type { ServiceDeps } from './deps.js';
import { effectiveStatus } from './wire.js';

/**
 * The token whose stored digest matches `secret`, under any pepper version (one query), compared in
 * constant time; `ops` may be a transaction. The secret's format is the caller's to have checked.
 */
export async function findTokenBySecret(
  ops: StoreOps,
  peppers: Peppers,
  secret: string,
  currentDigest = peppers.digest(secret),
): Promise<TokenRecord | null> {
  const digests = peppers.digests(secret, currentDigest);
  const found = await ops.getTokensByHash(digests.map((d) => d.digest));
  for (const token of found) {
    const expected = digests.find((d) => d.version === token.pepperVersion)?.digest;
    if (expected && timingSafeEqual(expected, token.secretHash)) return token;
  }
  return null;
}

/** The token's CIDR allowlist admits `ip` (a bearer request's or a console session's address). */
export function assertUsableFrom(token: TokenRecord, ip: string): void {
  if (token.allowedCidrs.length && !ipAllowed(compileAllowlist(token.allowedCidrs), ip)) {
    throw DomainError.forbidden(`this token may not be used from ${ip}`);
  }
}

export class Authenticator {
  constructor(private readonly deps: ServiceDeps) {}

  /** Looks a secret up by digest; null when it is malformed or unknown. */
  async lookup(secret: string): Promise<TokenRecord | null> {
    if (!parseSecret(secret, this.deps.secretPrefix)) return null;
    return this.findByDigest(secret, this.deps.peppers.digest(secret));
  }

  /**
   * The store half of `lookup`, for a secret already checked for format whose current-version digest
   * the caller holds (the verify path computes it first, as its cache key). Older pepper versions
   * are tried in the same query.
   */
  findByDigest(secret: string, currentDigest: Buffer): Promise<TokenRecord | null> {
    return findTokenBySecret(this.deps.store, this.deps.peppers, secret, currentDigest);
  }

  async authenticate(secret: string | undefined, ip: string): Promise<TokenRecord> {
    if (!secret) throw DomainError.unauthenticated();
    const token = await this.lookup(secret);
    if (!token) throw DomainError.unauthenticated();
    const status = effectiveStatus(token, this.deps.clock());
    if (status !== 'active') throw DomainError.unauthenticated(`token is ${status}`);
    assertUsableFrom(token, ip);
    return token;
  }
}
