// Shared rate limits' store side (README "Limits and quotas"): this instance's leases of a limit's
// budget, named by an instance id made at start-up.
import { randomBytes } from 'node:crypto';
import { newId } from '../../shared/ids.js';
import type { RateLeaseGrant, RateLimitRecord } from '../store/types.js';
import type { ServiceDeps } from './deps.js';

export class RateLeaseService {
  readonly instance = `inst_${randomBytes(6).toString('hex')}`;

  constructor(private readonly deps: Pick<ServiceDeps, 'store' | 'clock'>) {}

  lease(key: string, want: number, limit: RateLimitRecord, ttlMs: number, giveBack: { leaseId: string; used: number } | null): Promise<RateLeaseGrant> {
    const now = this.deps.clock();
    return this.deps.store.leaseRate({
      key,
      instance: this.instance,
      leaseId: newId('lse', now),
      want,
      budget: limit.requests,
      windowMs: limit.perSeconds * 1000,
      ttlMs,
      now,
      giveBack,
    });
  }

  giveBack(leaseId: string, used: number): Promise<void> {
    return this.deps.store.returnRateLease(leaseId, used, this.deps.clock());
  }
}
