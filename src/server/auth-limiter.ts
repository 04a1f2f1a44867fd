// Per-IP limit on failed authentication (README, The server: Limits): an address that keeps
// presenting wrong secrets gets 429 for them, while a valid secret from it is still served — one bad
// script behind a NAT or a CI runner pool must not lock out everyone else behind that address.
// Instances sharing PostgreSQL count an address's failures against one budget, leased as shared rate
// limits are (README "Limits and quotas"), so spraying guesses over several instances meets one limit.
import { DomainError } from './service/errors.js';
import type { RateLimitRecord } from './store/types.js';
import type { SharedRateLimiter } from './verify/shared-rate.js';

export const TOO_MANY_FAILED_ATTEMPTS = 'too many failed authentication attempts from this address';

export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();
  /** Shared: the budget of failures per address, and until when an address over it is blocked. */
  private shared: { limiter: SharedRateLimiter; limit: RateLimitRecord } | null = null;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
    private readonly maxTracked = 100_000,
  ) {}

  /** Count failures across the instances sharing a store: `maxFailures` per window per address in all. */
  share(limiter: SharedRateLimiter): void {
    this.shared = { limiter, limit: { requests: this.maxFailures, perSeconds: Math.max(1, Math.round(this.windowMs / 1000)) } };
  }

  /** Gives back what the shared budget leased (the server stopping). */
  async stop(): Promise<void> {
    await this.shared?.limiter.stop();
  }

  /** Seconds until this IP's failures stop being refused with 429, or 0 when it is not over the limit. */
  blockedFor(ip: string): number {
    if (this.shared !== null) {
      const until = this.blockedUntil.get(ip);
      if (until === undefined) return 0;
      const left = until - this.clock();
      if (left > 0) return Math.ceil(left / 1000);
      this.blockedUntil.delete(ip);
      return 0;
    }
    const w = this.windows.get(ip);
    if (!w) return 0;
    const elapsed = this.clock() - w.start;
    if (elapsed >= this.windowMs) {
      this.windows.delete(ip);
      return 0;
    }
    return w.failures >= this.maxFailures ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  /**
   * Counts a failure. Shared, it takes one from the address's budget — from this instance's leased
   * share, or (when that is spent) from the store: when none is left this failure is over the limit,
   * and the seconds the address is now blocked for are returned; else 0.
   */
  recordFailure(ip: string): number | Promise<number> {
    if (this.shared !== null) {
      const wait = this.shared.limiter.take(`auth:${ip}`, this.shared.limit, this.clock());
      if (wait instanceof Promise) return wait.then((w) => (w ? this.block(ip, w) : 0));
      return wait ? this.block(ip, wait) : 0;
    }
    this.countLocally(ip);
    return 0;
  }

  private block(ip: string, seconds: number): number {
    if (!this.blockedUntil.has(ip) && this.blockedUntil.size >= this.maxTracked) this.blockedUntil.delete(this.blockedUntil.keys().next().value!);
    this.blockedUntil.set(ip, this.clock() + seconds * 1000);
    return seconds;
  }

  private countLocally(ip: string): void {
    const now = this.clock();
    const w = this.windows.get(ip);
    if (w && now - w.start < this.windowMs) {
      w.failures += 1;
      return;
    }
    if (this.windows.size >= this.maxTracked) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(ip, { start: now, failures: 1 });
  }
}

/**
 * Whether a presented secret may be a live token, answered without the store whenever the verify
 * cache knows the secret (a repeated wrong secret, a revoked token); malformed ones never reach it.
 */
export type MayBeLive = (secret: string) => boolean | Promise<boolean>;

/**
 * Runs one attempt to authenticate with a presented secret (a bearer header, a console sign-in)
 * under the address's limit. A valid secret is served whatever the address did before; a failure
 * is counted, and once the address is over the limit it is answered 429 (with Retry-After) instead
 * of 401. While the address is over the limit its secrets are screened first by `mayBeLive`, so its
 * repeated or malformed guesses cost no store query, as when they were refused unseen.
 */
export async function limitFailedAuth<T>(
  limiter: FailedAuthLimiter,
  ip: string,
  secret: string | undefined,
  mayBeLive: MayBeLive,
  attempt: () => Promise<T>,
): Promise<T> {
  const wait = limiter.blockedFor(ip);
  if (wait && !(secret && (await mayBeLive(secret)))) throw DomainError.rateLimited(TOO_MANY_FAILED_ATTEMPTS, wait);
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'unauthenticated') {
      const blocked = limiter.blockedFor(ip) || (await limiter.recordFailure(ip));
      if (blocked) throw DomainError.rateLimited(TOO_MANY_FAILED_ATTEMPTS, blocked);
    }
    throw err;
  }
}
