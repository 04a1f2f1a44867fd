// Usage quotas' store side (README "Limits and quotas"): uses are taken from the store's count in
// leases and given back when not used; the take that empties the count announces it, once, as the
// audit action and webhook event token.quota_exhausted.
import type { Logger } from 'pino';
import type { UsesTaken } from '../store/types.js';
import type { ServiceDeps } from './deps.js';
import { iso, quotaRefillToWire } from './wire.js';

export class UsageQuotaService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly logger: Logger | false,
  ) {}

  /** Up to `want` uses, never more than max(1, what is left / `share`); granted 0 once none are left. */
  async take(tokenId: string, want: number, share: number): Promise<UsesTaken> {
    const taken = await this.deps.store.takeUses(tokenId, want, share, this.deps.clock());
    if (taken.granted > 0 && taken.remaining === 0) {
      void this.exhausted(tokenId, taken.nextRefillAt).catch((err: unknown) => {
        if (this.logger) this.logger.warn({ err: String(err), token: tokenId }, 'recording token.quota_exhausted failed');
      });
    }
    return taken;
  }

  giveBack(tokenId: string, uses: number): Promise<void> {
    return this.deps.store.returnUses(tokenId, uses);
  }

  private async exhausted(tokenId: string, nextRefillAt: number | null): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const token = await tx.getToken(tokenId);
      if (!token) return;
      const details = { max_uses: token.maxUses, refill: quotaRefillToWire(token.quotaRefill), next_refill_at: iso(nextRefillAt) };
      await this.deps.audit.record(tx, null, { action: 'token.quota_exhausted', target: tokenId, token, details });
    });
  }
}
