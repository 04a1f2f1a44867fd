// The verify path's core (README, Verify path and gateways), with no HTTP in it: a cache of hits and
// misses keyed by a plain SHA-256 of the secret → on a miss, format and checksum → the peppered HMAC
// → one store lookup per secret however many ask at once → status, expiry, CIDR, audience, scopes
// and rate limit, checked on every call whether cached or not.
import { hash } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { Logger } from 'pino';
import { isWellFormedSecret, MAX_SECRET_INPUT_LENGTH } from '../../shared/secret.js';
import type { Peppers } from '../pepper.js';
import type { Authenticator } from '../service/authn.js';
import { holds } from '../../shared/grants.js';
import { compileAllowlist, ipAllowed } from '../service/cidr.js';
import type { RateLimitRecord, TokenRecord } from '../store/types.js';
import { BoundedCache } from './cache.js';
import type { VerifyReply } from './reply.js';
import type { HotCounters } from './counters.js';
import { TokenRateLimiter } from './rate-limit.js';
import { QuotaLeases, type QuotaAnswer, type QuotaSource } from './quota.js';
import { SharedRateLimiter, type RateLeaseSource } from './shared-rate.js';
import { SingleFlight } from './single-flight.js';

/** Why a token was refused; also the `reason` label of the verify metrics. */
export type Denial = 'malformed' | 'unknown' | 'revoked' | 'suspended' | 'expired' | 'ip' | 'audience' | 'scope' | 'rate_limited' | 'usage_exceeded';

/** What the verify path keeps of a token: the fields its checks read, prepared once per version. */
export interface VerifiedToken {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly status: TokenRecord['status'];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly scopes: string[];
  readonly audiences: readonly string[];
  readonly allowlist: BlockList | null;
  readonly rateLimit: RateLimitRecord | null;
  /** It has a usage quota: every admission takes a use (verify/quota.ts). */
  readonly quota: boolean;
  /** Until when this copy may be used without a lookup: its cache entry's expiry, 0 once it left the cache. */
  trustedUntil: number;
  /** Memos for the endpoints: the answers for this version of the token. */
  introspection?: VerifyReply;
  scopeHeader?: string;
}

export interface Requirements {
  /** Every one must be held (literally: a custom scope is not implied by `management`). */
  scopes: readonly string[];
  /** Each must be one of the token's audiences, unless the token has none (valid for any). */
  audiences: readonly string[];
  /** The client address checked against the token's CIDR allowlist. */
  ip: string | null;
}

/** A refusal names the token when the lookup found one (the usage history counts refusals per token). */
export type Verdict = { ok: true; token: VerifiedToken } | { ok: false; reason: Denial; retryAfter: number; token: VerifiedToken | null };

interface VerifierOptions {
  maxEntries?: number;
  maxMisses?: number;
  /** How long a found token is trusted without a change notice (a backstop; changes on this instance invalidate at once). */
  ttlMs?: number;
  missTtlMs?: number;
}

interface VerifierDeps {
  authn: Authenticator;
  peppers: Peppers;
  secretPrefix: string;
  clock: () => number;
  counters: HotCounters;
  /** Where usage quotas take their uses from; without it a token with a quota is refused (fail closed). */
  quotas?: QuotaSource;
  /** Instances sharing a store: rate limits lease their shares from it; without it each instance keeps its own buckets. */
  sharedRates?: RateLeaseSource;
  log?: Logger | false;
}

function prepare(t: TokenRecord): VerifiedToken {
  return {
    id: t.id,
    name: t.name,
    version: t.version,
    status: t.status,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    scopes: t.scopes,
    audiences: t.audiences,
    allowlist: t.allowedCidrs.length ? compileAllowlist(t.allowedCidrs) : null,
    rateLimit: t.rateLimit,
    quota: t.maxUses !== null,
    trustedUntil: 0,
  };
}

const quotaVerdict = (token: VerifiedToken, answer: QuotaAnswer): Verdict => (answer === true ? { ok: true, token } : denied('usage_exceeded', token, answer));

const denied = (reason: Denial, token: VerifiedToken | null = null, retryAfter = 0): Verdict => ({ ok: false, reason, retryAfter, token });

/**
 * Where a digest is filed in the cache: its first 30 bits, a small integer. A Map looks a string key
 * up in the engine's string table first, and a digest is a new string on every request (with 1,000
 * tokens in turn that was the largest share of a cached verify); a small integer is hashed in place.
 * Two digests may share a slot: every entry keeps its whole digest, a lookup compares it, and the
 * newer one takes the slot over (the other's next verify then reads the store).
 */
const slotOf = (digest: string): number => (digest.charCodeAt(0) << 22) | (digest.charCodeAt(1) << 14) | (digest.charCodeAt(2) << 6) | (digest.charCodeAt(3) >> 2);

interface Found {
  digest: string;
  token: VerifiedToken;
}

export class Verifier {
  /** By the slot of a secret's SHA-256 (latin1): its token, and the digests of secrets the store does not know. */
  private readonly found: BoundedCache<Found, number>;
  private readonly missing: BoundedCache<string, number>;
  /** token id → its slot in `found`, so a change notice (which names ids) can find the entry. */
  private readonly keyOfId = new Map<string, number>();
  private readonly lookups = new SingleFlight<VerifiedToken | null>();
  private readonly rateLimiter = new TokenRateLimiter();
  private readonly quotas: QuotaLeases | null;
  private readonly sharedRates: SharedRateLimiter | null;
  private readonly ttlMs: number;
  /** Bumped by every change notice: a lookup that started before one does not fill the cache. */
  private generation = 0;
  /** Off while a shared store's change feed cannot vouch for cached tokens (fail closed). */
  private caching = true;
  private readonly cacheHits;
  private readonly cacheMisses;
  private readonly storeQueries;
  private readonly sharedLookups;

  constructor(
    private readonly deps: VerifierDeps,
    opts: VerifierOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.found = new BoundedCache<Found, number>(opts.maxEntries ?? 100_000, this.ttlMs, deps.clock, (slot, { token }) => {
      token.trustedUntil = 0;
      if (this.keyOfId.get(token.id) === slot) this.keyOfId.delete(token.id);
    });
    this.missing = new BoundedCache(opts.maxMisses ?? 50_000, opts.missTtlMs ?? 60_000, deps.clock);
    this.quotas = deps.quotas ? new QuotaLeases(deps.quotas, deps.clock, deps.counters, deps.log ?? false) : null;
    this.sharedRates = deps.sharedRates ? new SharedRateLimiter(deps.sharedRates, this.rateLimiter, deps.clock, deps.counters, deps.log ?? false) : null;
    const c = deps.counters;
    this.cacheHits = c.counter('tokens_verify_cache_hits_total', 'verify lookups answered from the in-process cache (found or known-missing)');
    this.cacheMisses = c.counter('tokens_verify_cache_misses_total', 'verify lookups that needed the store');
    this.storeQueries = c.counter('tokens_verify_store_queries_total', 'store queries made by the verify path');
    this.sharedLookups = c.counter('tokens_verify_shared_lookups_total', 'verify lookups that joined a store query already in flight for the same digest');
  }

  get cacheSize(): number {
    return this.found.size + this.missing.size;
  }

  /**
   * The token behind a presented secret: from the cache when it is there (synchronously), else from
   * one shared store query. Malformed secrets stop before the HMAC and never reach the store.
   *
   * The cache is keyed by a SHA-256 of the secret, kept in memory only: a third of the peppered HMAC's
   * cost, and safe unpeppered because a secret carries 190 random bits. Only secrets that passed the
   * format and checksum check ever get an entry (hit or miss), so a cached one needs no second check;
   * a secret the cache does not know is checked first, and the HMAC that finds its row in the store
   * is computed only then.
   */
  lookup(secret: string, now = this.deps.clock()): VerifiedToken | 'malformed' | 'unknown' | Promise<VerifiedToken | 'unknown'> {
    // Longer input is malformed anyway; refused before it is hashed.
    if (secret.length > MAX_SECRET_INPUT_LENGTH) return 'malformed';
    const digest = hash('sha256', secret, 'latin1');
    const slot = slotOf(digest);
    const cached = this.found.get(slot, now);
    if (cached !== undefined && cached.digest === digest) {
      this.cacheHits.value++;
      return cached.token;
    }
    if (this.missing.get(slot, now) === digest) {
      this.cacheHits.value++;
      return 'unknown';
    }
    if (!isWellFormedSecret(secret, this.deps.secretPrefix)) return 'malformed';
    this.cacheMisses.value++;
    return this.lookups.run(digest, () => this.load(digest, secret), () => this.sharedLookups.value++).then((t) => t ?? 'unknown');
  }

  private async load(digest: string, secret: string): Promise<VerifiedToken | null> {
    const generation = this.generation;
    this.storeQueries.value++;
    const record = await this.deps.authn.findByDigest(secret, this.deps.peppers.digest(secret));
    const token = record && prepare(record);
    if (generation === this.generation && this.caching) {
      const slot = slotOf(digest);
      if (token) {
        token.trustedUntil = this.deps.clock() + this.ttlMs;
        this.found.set(slot, { digest, token });
        this.keyOfId.set(token.id, slot);
      } else {
        this.missing.set(slot, digest);
      }
    }
    return token;
  }

  /** Status, expiry (which is also the end of a rotation overlap) and the CIDR allowlist. */
  private usableFrom(token: VerifiedToken, ip: string | null, now: number): Denial | null {
    if (token.status !== 'active') return token.status === 'revoked' ? 'revoked' : 'suspended';
    if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
    if (token.allowlist && !ipAllowed(token.allowlist, ip)) return 'ip';
    return null;
  }

  /**
   * Usable from the client's address, then audience, scopes, rate limit and, last, the usage quota
   * (only what is otherwise admitted uses it up). Synchronous unless a quota must ask the store.
   */
  check(token: VerifiedToken, need: Requirements, now = this.deps.clock()): Verdict | Promise<Verdict> {
    const unusable = this.usableFrom(token, need.ip, now);
    if (unusable) return denied(unusable, token);
    if (token.audiences.length) for (const audience of need.audiences) if (!token.audiences.includes(audience)) return denied('audience', token);
    for (const scope of need.scopes) if (!token.scopes.includes(scope)) return denied('scope', token);
    if (token.rateLimit) {
      if (this.sharedRates !== null) return this.sharedRate(token, token.rateLimit, now);
      const wait = this.rateLimiter.take(token.id, token.rateLimit, now);
      if (wait) return denied('rate_limited', token, wait);
    }
    if (token.quota) return this.useQuota(token, now);
    return { ok: true, token };
  }

  /** The rate limit from this instance's leased share (a store call only when the share is spent), then the quota. */
  private sharedRate(token: VerifiedToken, limit: RateLimitRecord, now: number): Verdict | Promise<Verdict> {
    const wait = this.sharedRates!.take(token.id, limit, now);
    if (wait instanceof Promise) return wait.then((w) => (w ? denied('rate_limited', token, w) : token.quota ? this.useQuota(token, now) : { ok: true, token }));
    if (wait) return denied('rate_limited', token, wait);
    return token.quota ? this.useQuota(token, now) : { ok: true, token };
  }

  private useQuota(token: VerifiedToken, now: number): Verdict | Promise<Verdict> {
    if (this.quotas === null) return denied('usage_exceeded', token);
    const answer = this.quotas.take(token.id, now);
    return answer instanceof Promise ? answer.then((a) => quotaVerdict(token, a)) : quotaVerdict(token, answer);
  }

  /** Gives back every leased quota use and rate-limit share (the server stopping). */
  async releaseLeases(): Promise<void> {
    await Promise.all([this.quotas?.stop(), this.sharedRates?.stop()]);
  }

  /**
   * The whole check for a presented secret. One clock reading for a cached token (`now`: the caller's,
   * when it has one for the whole request); one more after a store query, which takes time.
   */
  verify(secret: string, need: Requirements, now = this.deps.clock()): Verdict | Promise<Verdict> {
    const found = this.lookup(secret, now);
    if (typeof found === 'string') return denied(found);
    if (found instanceof Promise) return found.then((t) => (typeof t === 'string' ? denied(t) : this.check(t, need)));
    return this.check(found, need, now);
  }

  /**
   * The whole check again for a token this verifier handed out before (the last one asked about on a
   * connection), without looking it up; null when that copy may be stale: it left the cache (a change
   * notice, eviction, clear) or the cache would read the store again by now. Counted as a cache hit.
   */
  recheck(token: VerifiedToken, need: Requirements, now = this.deps.clock()): Verdict | Promise<Verdict> | null {
    if (token.trustedUntil <= now) return null;
    this.cacheHits.value++;
    return this.check(token, need, now);
  }

  /**
   * The gateway's own token: live, allowed from `ip`, and holding `scope` (management implies it, as
   * it does on the management API). Callers are not rate limited here.
   */
  authorizeCaller(secret: string, scope: string, ip: string | null, now = this.deps.clock()): Verdict | Promise<Verdict> {
    const found = this.lookup(secret, now);
    if (typeof found === 'string') return denied(found);
    if (found instanceof Promise) return found.then((t) => (typeof t === 'string' ? denied(t) : this.checkCaller(t, scope, ip)));
    return this.checkCaller(found, scope, ip, now);
  }

  /**
   * The caller checks again for a token this verifier handed out before, without looking it up; null
   * when that copy may be stale (it left the cache, or the cache would read the store again by now).
   */
  recheckCaller(token: VerifiedToken, scope: string, ip: string | null, now = this.deps.clock()): Verdict | null {
    return token.trustedUntil > now ? this.checkCaller(token, scope, ip, now) : null;
  }

  private checkCaller(token: VerifiedToken, scope: string, ip: string | null, now = this.deps.clock()): Verdict {
    const unusable = this.usableFrom(token, ip, now);
    if (unusable) return denied(unusable, token);
    if (!holds(token, scope)) return denied('scope', token);
    return { ok: true, token };
  }

  /** Change notice (after commit): the next verify of these tokens reads the store again. */
  invalidate(ids: readonly string[]): void {
    this.generation++;
    this.lookups.forgetAll();
    this.quotas?.drop(ids);
    this.sharedRates?.drop(ids);
    for (const id of ids) {
      const key = this.keyOfId.get(id);
      if (key !== undefined) this.found.delete(key);
    }
  }

  /** Off: drops everything cached and caches nothing more until turned on again. */
  setCaching(on: boolean): void {
    this.caching = on;
    if (!on) this.clear();
  }

  /** Drops everything cached, e.g. when change notices may have been missed. */
  clear(): void {
    this.generation++;
    this.lookups.forgetAll();
    this.found.clear();
    this.missing.clear();
    void this.quotas?.releaseAll();
  }
}
