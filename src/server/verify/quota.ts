// Usage quotas on the verify path (README "Limits and quotas"). This instance holds a lease of uses
// per token, taken from the store's count with one atomic conditional decrement, and admits from it
// without a store query; when it runs out, one take (single-flight, however many verifies wait)
// fetches the next. Leases grow while they are used up quickly and shrink as the count falls —
// never more than 1/QUOTA_SHARE of what is left, so one use at a time at the very end — which is
// what makes a quota exact across instances: no use is admitted that the store did not hand out.
// Uses still leased after the lease TTL, or when the token changes or the server stops, go back.
import type { Logger } from 'pino';
import type { UsesTaken } from '../store/types.js';
import type { HotCounters, HotCounter } from './counters.js';
import { SingleFlight } from './single-flight.js';

/** A take never gets more than what is left divided by this. */
export const QUOTA_SHARE = 16;
/** The largest lease an instance asks for. */
export const MAX_QUOTA_LEASE = 1024;
/** Uses leased this long ago and not used go back to the store. */
export const QUOTA_LEASE_TTL_MS = 10_000;
/** An exhausted quota is asked about again after this long (another instance may give uses back, or max_uses be raised). */
const EXHAUSTED_RECHECK_MS = 1_000;
/** A lease used up faster than this asks for twice as many next time. */
const FAST_LEASE_MS = 1_000;

export interface QuotaSource {
  take(tokenId: string, want: number, share: number): Promise<UsesTaken>;
  giveBack(tokenId: string, uses: number): Promise<void>;
}

interface Lease {
  /** Uses this instance may still admit. */
  left: number;
  /** What the next take asks for. */
  want: number;
  takenAt: number;
  /** While the store says none are left: until when to refuse without asking again, and the Retry-After. */
  exhaustedUntil: number;
  retryAfter: number;
  /** A take from the store is under way for it. */
  taking: boolean;
}

/** Admitted, or refused with the seconds until a refill (0: none coming). */
export type QuotaAnswer = true | number;

export class QuotaLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly takes = new SingleFlight<void>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly storeTakes: HotCounter;

  constructor(
    private readonly source: QuotaSource,
    private readonly clock: () => number,
    counters: HotCounters,
    private readonly log: Logger | false = false,
    private readonly ttlMs = QUOTA_LEASE_TTL_MS,
  ) {
    this.storeTakes = counters.counter('tokens_quota_store_takes_total', 'leases of usage-quota uses taken from the store');
  }

  /** Synchronous while this instance holds uses (or knows there are none); else one shared store take. */
  take(tokenId: string, now: number): QuotaAnswer | Promise<QuotaAnswer> {
    const lease = this.leases.get(tokenId);
    if (lease !== undefined) {
      if (lease.left > 0) {
        lease.left--;
        return true;
      }
      if (lease.exhaustedUntil > now) return lease.retryAfter;
    }
    return this.fromStore(tokenId);
  }

  private async fromStore(tokenId: string): Promise<QuotaAnswer> {
    for (;;) {
      let lease = this.leases.get(tokenId);
      if (lease === undefined) {
        lease = { left: 0, want: 1, takenAt: 0, exhaustedUntil: 0, retryAfter: 0, taking: false };
        this.leases.set(tokenId, lease);
        this.sweepSoon();
      }
      if (lease.left > 0) {
        lease.left--;
        return true;
      }
      if (lease.exhaustedUntil > this.clock()) return lease.retryAfter;
      const current = lease;
      await this.takes.run(tokenId, () => this.refill(tokenId, current));
    }
  }

  private async refill(tokenId: string, lease: Lease): Promise<void> {
    const now = this.clock();
    if (lease.takenAt > 0) lease.want = now - lease.takenAt < FAST_LEASE_MS ? Math.min(MAX_QUOTA_LEASE, lease.want * 2) : Math.max(1, lease.want >>> 1);
    this.storeTakes.value++;
    lease.taking = true;
    let taken: UsesTaken;
    try {
      taken = await this.source.take(tokenId, lease.want, QUOTA_SHARE);
    } finally {
      lease.taking = false;
    }
    if (this.leases.get(tokenId) !== lease) {
      // The token changed meanwhile and its lease was dropped: these uses were never ours to keep.
      this.giveBack(tokenId, taken.granted);
      return;
    }
    if (taken.granted === 0) {
      const after = this.clock();
      lease.exhaustedUntil = taken.nextRefillAt === null ? after + EXHAUSTED_RECHECK_MS : Math.min(after + EXHAUSTED_RECHECK_MS, taken.nextRefillAt);
      lease.retryAfter = taken.nextRefillAt === null ? 0 : Math.max(1, Math.ceil((taken.nextRefillAt - after) / 1000));
      return;
    }
    lease.left += taken.granted;
    lease.takenAt = now;
    lease.exhaustedUntil = 0;
  }

  private giveBack(tokenId: string, uses: number): Promise<void> {
    if (uses <= 0) return Promise.resolve();
    return this.source.giveBack(tokenId, uses).catch((err: unknown) => {
      if (this.log) this.log.warn({ err: String(err), token: tokenId, uses }, 'giving leased quota uses back failed; they are lost');
    });
  }

  /** The tokens changed: what is leased for them goes back, and the next verify takes afresh. */
  drop(ids: readonly string[]): void {
    for (const id of ids) {
      const lease = this.leases.get(id);
      if (lease === undefined) continue;
      this.leases.delete(id);
      void this.giveBack(id, lease.left);
    }
  }

  /** Gives every lease back (a reset, or the server stopping). */
  async releaseAll(): Promise<void> {
    const held = [...this.leases];
    this.leases.clear();
    await Promise.all(held.map(([id, lease]) => this.giveBack(id, lease.left)));
  }

  stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    return this.releaseAll();
  }

  /** Uses leased longer than the TTL go back; exhausted entries are forgotten once their recheck is due. */
  private sweepSoon(): void {
    if (this.sweeper !== null) return;
    this.sweeper = setInterval(() => this.sweep(), Math.max(100, this.ttlMs / 4));
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = this.clock();
    for (const [id, lease] of this.leases) {
      if (lease.taking || now - lease.takenAt < this.ttlMs) continue;
      if (lease.exhaustedUntil > now) continue;
      this.leases.delete(id);
      void this.giveBack(id, lease.left);
    }
    if (this.leases.size === 0 && this.sweeper !== null) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  get held(): number {
    let n = 0;
    for (const lease of this.leases.values()) n += lease.left;
    return n;
  }
}
