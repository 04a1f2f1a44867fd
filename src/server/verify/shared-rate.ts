// Shared rate limits on the verify path (README "Limits and quotas"), Doorman's idea: on PostgreSQL
// each instance leases a share of a token's budget (at most a tenth of it) from the store, admits
// from that share with no store query, takes the next share in the background when a quarter of the
// current one is left, and gives back what it did not use. A verify that finds its share spent asks
// the store once for all the verifies waiting (single-flight), never once per request; while the
// store has nothing left it is asked again at most once a second. When the store cannot be reached,
// shares held are used up, then the token falls back to this instance's own bucket (logged).
import type { Logger } from 'pino';
import type { RateLeaseGrant, RateLimitRecord } from '../store/types.js';
import type { HotCounter, HotCounters } from './counters.js';
import type { TokenRateLimiter } from './rate-limit.js';
import { SingleFlight } from './single-flight.js';

/** A lease is at most 1/LEASE_SHARE of the budget: what an instance that dies can take with it. */
export const RATE_LEASE_SHARE = 10;
/** How long a lease may be used; one never given back stops counting after this. */
export const RATE_LEASE_TTL_MS = 10_000;
/** A lease unused this long goes back (the traffic moved to other instances). */
const IDLE_MS = 1_000;
/** The next lease is taken when this fraction of the current one is left. */
const RENEW_AT = 0.25;
/** While the store has nothing left: asked again after at most this long. */
const RECHECK_MS = 1_000;
/** After the store failed: this instance's own bucket for this long before the store is tried again. */
const FALLBACK_MS = 5_000;

export interface RateLeaseSource {
  lease(tokenId: string, want: number, limit: RateLimitRecord, ttlMs: number, giveBack: { leaseId: string; used: number } | null): Promise<RateLeaseGrant>;
  giveBack(leaseId: string, used: number): Promise<void>;
}

interface Held {
  id: string;
  granted: number;
  used: number;
  endsAt: number;
  lastUsedAt: number;
}

interface TokenShare {
  limit: RateLimitRecord;
  current: Held | null;
  next: Held | null;
  /** While the store had nothing left: until when to refuse without asking, and the Retry-After. */
  blockedUntil: number;
  retryAfter: number;
  fallbackUntil: number;
}

export class SharedRateLimiter {
  private readonly shares = new Map<string, TokenShare>();
  private readonly flights = new SingleFlight<void>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly storeCalls: HotCounter;
  private readonly fallbacks: HotCounter;
  private degraded = false;
  private readonly marginMs: number;

  constructor(
    private readonly source: RateLeaseSource,
    private readonly local: TokenRateLimiter,
    private readonly clock: () => number,
    counters: HotCounters,
    private readonly log: Logger | false,
    private readonly ttlMs = RATE_LEASE_TTL_MS,
  ) {
    this.marginMs = Math.min(1_000, ttlMs / 10);
    this.storeCalls = counters.counter('tokens_rate_lease_store_calls_total', 'store calls of shared rate limits: leases taken (with the one given back) and leases given back');
    this.fallbacks = counters.counter('tokens_rate_lease_fallbacks_total', 'times a token fell back to per-instance rate limiting because the store failed');
  }

  /** 0 when admitted, else whole seconds until a request may pass; a promise only when the store must be asked. */
  take(tokenId: string, limit: RateLimitRecord, now: number): number | Promise<number> {
    const share = this.shares.get(tokenId);
    if (share !== undefined && share.limit.requests === limit.requests && share.limit.perSeconds === limit.perSeconds) {
      const answer = this.fromShare(tokenId, share, now);
      if (answer !== null) return answer;
    }
    return this.fromStore(tokenId, limit);
  }

  /** The answer without the store, or null when it must be asked. */
  private fromShare(tokenId: string, share: TokenShare, now: number): number | null {
    if (share.fallbackUntil > now) return this.local.take(tokenId, share.limit, now);
    for (;;) {
      const c = share.current;
      if (c !== null && c.used < c.granted && now < c.endsAt - this.marginMs) {
        c.used++;
        c.lastUsedAt = now;
        if (share.next === null && c.granted - c.used <= Math.floor(c.granted * RENEW_AT)) this.renewSoon(tokenId, share);
        return 0;
      }
      if (share.next === null) break;
      // The current lease is spent or ending: give it back, go on with the one taken in advance.
      if (c !== null) this.giveBack(c);
      share.current = share.next;
      share.next = null;
    }
    if (share.blockedUntil > now) return share.retryAfter;
    return null;
  }

  private async fromStore(tokenId: string, limit: RateLimitRecord): Promise<number> {
    for (;;) {
      let share = this.shares.get(tokenId);
      if (share === undefined || share.limit.requests !== limit.requests || share.limit.perSeconds !== limit.perSeconds) {
        if (share !== undefined) this.release(share);
        share = { limit, current: null, next: null, blockedUntil: 0, retryAfter: 0, fallbackUntil: 0 };
        this.shares.set(tokenId, share);
        this.sweepSoon();
      }
      const answer = this.fromShare(tokenId, share, this.clock());
      if (answer !== null) return answer;
      const asked = share;
      await this.flights.run(tokenId, () => this.fetch(tokenId, asked));
    }
  }

  private renewSoon(tokenId: string, share: TokenShare): void {
    void this.flights.run(tokenId, () => this.fetch(tokenId, share));
  }

  /** One store call: the next lease, giving back the current one if it is spent or ending. */
  private async fetch(tokenId: string, share: TokenShare): Promise<void> {
    const now = this.clock();
    const c = share.current;
    let giveBack: { leaseId: string; used: number } | null = null;
    if (c !== null && (c.used >= c.granted || now >= c.endsAt - this.marginMs)) {
      giveBack = { leaseId: c.id, used: c.used };
      share.current = null;
    }
    const want = Math.max(1, Math.ceil(share.limit.requests / RATE_LEASE_SHARE));
    this.storeCalls.value++;
    let grant: RateLeaseGrant;
    try {
      grant = await this.source.lease(tokenId, want, share.limit, this.ttlMs, giveBack);
    } catch (err) {
      share.fallbackUntil = this.clock() + FALLBACK_MS;
      this.fallbacks.value++;
      if (!this.degraded && this.log) this.log.warn({ err: String(err) }, 'the store is not answering: shared rate limits fall back to per-instance buckets until it does');
      this.degraded = true;
      return;
    }
    if (this.degraded) {
      this.degraded = false;
      if (this.log) this.log.info('the store answers again: shared rate limits are shared again');
    }
    if (this.shares.get(tokenId) !== share) {
      if (grant.leaseId !== null) void this.source.giveBack(grant.leaseId, 0).catch(() => undefined);
      return;
    }
    // Spent while this call was on its way (it was taken in advance): back now, not at its end.
    const spent = share.current;
    if (spent !== null && spent.used >= spent.granted) {
      this.giveBack(spent);
      share.current = null;
    }
    if (grant.leaseId === null) {
      const after = this.clock();
      const freeAt = grant.freeAt ?? after + RECHECK_MS;
      share.blockedUntil = Math.min(freeAt, after + RECHECK_MS);
      share.retryAfter = Math.max(1, Math.ceil((freeAt - after) / 1000));
      return;
    }
    const held: Held = { id: grant.leaseId, granted: grant.granted, used: 0, endsAt: grant.endsAt, lastUsedAt: now };
    share.blockedUntil = 0;
    if (share.current === null) share.current = held;
    else share.next = held;
  }

  private giveBack(held: Held): void {
    this.storeCalls.value++;
    void this.source.giveBack(held.id, held.used).catch((err: unknown) => {
      // It stops counting at its end; what it admitted may then be admitted again (README: the bound).
      if (this.log) this.log.warn({ err: String(err) }, 'giving a rate-limit lease back failed');
    });
  }

  private release(share: TokenShare): void {
    for (const held of [share.current, share.next]) if (held !== null) this.giveBack(held);
    share.current = null;
    share.next = null;
  }

  /** The tokens changed (their limit may have): their leases go back. */
  drop(ids: readonly string[]): void {
    for (const id of ids) {
      const share = this.shares.get(id);
      if (share === undefined) continue;
      this.shares.delete(id);
      this.release(share);
    }
  }

  async stop(): Promise<void> {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    const held = [...this.shares.values()].flatMap((s) => [s.current, s.next]).filter((h): h is Held => h !== null);
    this.shares.clear();
    await Promise.all(held.map((h) => this.source.giveBack(h.id, h.used).catch(() => undefined)));
  }

  private sweepSoon(): void {
    if (this.sweeper !== null) return;
    this.sweeper = setInterval(() => this.sweep(), 250);
    this.sweeper.unref();
  }

  /** Leases ending, or idle (the traffic went elsewhere), go back; shares with nothing held are forgotten. */
  private sweep(): void {
    const now = this.clock();
    for (const [id, share] of this.shares) {
      for (const key of ['next', 'current'] as const) {
        const held = share[key];
        if (held !== null && (now >= held.endsAt - this.marginMs || now - held.lastUsedAt >= IDLE_MS)) {
          this.giveBack(held);
          share[key] = null;
        }
      }
      if (share.current === null && share.next === null && share.blockedUntil <= now && share.fallbackUntil <= now && this.flights.pending === 0) this.shares.delete(id);
    }
    if (this.shares.size === 0 && this.sweeper !== null) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}
