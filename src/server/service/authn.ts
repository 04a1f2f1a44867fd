// Turning a presented bearer secret into the caller's token: format and checksum first (no query
// for garbage), then the peppered digest, then status, expiry and the token's own CIDR allowlist.
import { timingSafeEqual } from 'node:crypto';
import { parseSecret } from '../../shared/secret.js';
import { problems } from '../problems.js';
import type { TokenRecord } from '../store/types.js';
import { compileAllowlist, ipAllowed } from './cidr.js';
import type { ServiceDeps } from './context.js';
import { effectiveStatus } from './wire.js';

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
  async findByDigest(secret: string, currentDigest: Buffer): Promise<TokenRecord | null> {
    const digests = this.deps.peppers.digests(secret, currentDigest);
    const found = await this.deps.store.getTokensByHash(digests.map((d) => d.digest));
    for (const token of found) {
      const expected = digests.find((d) => d.version === token.pepperVersion)?.digest;
      if (expected && timingSafeEqual(expected, token.secretHash)) return token;
    }
    return null;
  }

  async authenticate(secret: string | undefined, ip: string): Promise<TokenRecord> {
    if (!secret) throw problems.unauthenticated();
    const token = await this.lookup(secret);
    if (!token) throw problems.unauthenticated();
    const status = effectiveStatus(token, this.deps.clock());
    if (status !== 'active') throw problems.unauthenticated(`token is ${status}`);
    if (token.allowedCidrs.length && !ipAllowed(compileAllowlist(token.allowedCidrs), ip)) {
      throw problems.forbidden(`this token may not be used from ${ip}`);
    }
    return token;
  }
}
