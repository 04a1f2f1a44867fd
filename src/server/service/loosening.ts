// Which updates loosen a token (README, Security model: no escalation). authz.requireMayLoosen says
// who may make them; this says what they are, comparing the token before and after a change.
import type { RateLimitRecord, TokenRecord } from '../store/types.js';
import { allowlistWithin } from './cidr.js';
import { effectiveStatus } from './wire.js';

/** More requests in a burst, or a faster sustained rate, or none at all. */
function rateLimitRaised(before: RateLimitRecord | null, after: RateLimitRecord | null): boolean {
  if (before === null) return false;
  if (after === null) return true;
  return after.requests > before.requests || after.requests * before.perSeconds > before.requests * after.perSeconds;
}

/** More uses in all, a refill it did not have, or a faster one; or no quota at all. */
function quotaRaised(before: TokenRecord, after: TokenRecord): boolean {
  if (before.maxUses === null) return false;
  if (after.maxUses === null || after.maxUses > before.maxUses) return true;
  const b = before.quotaRefill;
  const a = after.quotaRefill;
  if (a === null) return false;
  return b === null || a.amount * b.everySeconds > b.amount * a.everySeconds;
}

/** What the change from `before` to `after` loosens, in words ("extending its expiry"); empty when nothing. */
export function looseningsOf(before: TokenRecord, after: TokenRecord, now: number): string[] {
  const found: string[] = [];
  // An expired token is dead until someone revives it: any change to it counts.
  if (effectiveStatus(before, now) === 'expired') found.push('changing an expired token');
  if (before.expiresAt !== null && (after.expiresAt === null || after.expiresAt > before.expiresAt)) {
    found.push(after.expiresAt === null ? 'clearing its expiry' : 'extending its expiry');
  }
  if (!allowlistWithin(after.allowedCidrs, before.allowedCidrs)) {
    found.push(after.allowedCidrs.length ? 'widening its CIDR allowlist' : 'clearing its CIDR allowlist');
  }
  if (before.audiences.length && !(after.audiences.length && after.audiences.every((a) => before.audiences.includes(a)))) {
    found.push(after.audiences.length ? 'widening its audiences' : 'clearing its audiences');
  }
  if (rateLimitRaised(before.rateLimit, after.rateLimit)) found.push(after.rateLimit ? 'raising its rate limit' : 'removing its rate limit');
  if (quotaRaised(before, after)) found.push(after.maxUses === null ? 'removing its usage quota' : 'raising its usage quota');
  return found;
}
