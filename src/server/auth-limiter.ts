// Per-IP limit on failed authentication (README, The server: Limits): slows down secret guessing without a store query.
import { DomainError } from './service/errors.js';

export const TOO_MANY_FAILED_ATTEMPTS = 'too many failed authentication attempts from this address';

export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
    private readonly maxTracked = 100_000,
  ) {}

  /** Seconds until this IP may try again, or 0 when it is not blocked. */
  blockedFor(ip: string): number {
    const w = this.windows.get(ip);
    if (!w) return 0;
    const elapsed = this.clock() - w.start;
    if (elapsed >= this.windowMs) {
      this.windows.delete(ip);
      return 0;
    }
    return w.failures >= this.maxFailures ? Math.ceil((this.windowMs - elapsed) / 1000) : 0;
  }

  recordFailure(ip: string): void {
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
 * Runs one attempt to authenticate with a presented secret (a bearer header, a console sign-in)
 * under the address's limit: refused while it is blocked, and a failure is counted.
 */
export async function limitFailedAuth<T>(limiter: FailedAuthLimiter, ip: string, attempt: () => Promise<T>): Promise<T> {
  const wait = limiter.blockedFor(ip);
  if (wait) throw DomainError.rateLimited(TOO_MANY_FAILED_ATTEMPTS, wait);
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'unauthenticated') limiter.recordFailure(ip);
    throw err;
  }
}
