// The one storage interface (README "Development"): records, filters and the Store contract. The SQL
// behind it is written once in ./sql/; ./sqlite.ts and ./postgres.ts are its two drivers.
import type { DeliveryState, RefusalReason, StoredTokenStatus, TokenStatus, UsageGranularity, WebhookEventType, WebhookFormat } from '../../shared/wire-constants.js';

export interface RateLimitRecord {
  requests: number;
  perSeconds: number;
}

/** A usage quota's refill: `amount` uses back every `everySeconds`, never above max_uses. */
export interface QuotaRefillRecord {
  amount: number;
  everySeconds: number;
}

/** What a take from a token's usage quota got: `granted` uses (0 when none are left) and what the store still holds. */
export interface UsesTaken {
  granted: number;
  remaining: number;
  /** When the next refill adds uses, if the token has a refill. */
  nextRefillAt: number | null;
}

/** A share of a limit's budget an instance asks for (README "Limits and quotas"). */
export interface RateLeaseRequest {
  /** What is limited: a token id, or another key (the failed-authentication limit's `auth:<address>`). */
  key: string;
  /** The asking instance and the new lease's id. */
  instance: string;
  leaseId: string;
  want: number;
  /** Requests per window. */
  budget: number;
  windowMs: number;
  /** How long the lease may be used. */
  ttlMs: number;
  now: number;
  /** A lease of the same instance given back in the same step, with what it used. */
  giveBack: { leaseId: string; used: number } | null;
}

export interface RateLeaseGrant {
  /** null when nothing was left. */
  leaseId: string | null;
  granted: number;
  endsAt: number;
  /** When nothing was left: when the earliest charge ends. */
  freeAt: number | null;
}

export interface TokenRecord {
  id: string;
  name: string;
  description: string;
  scopes: string[];
  audiences: string[];
  allowedCidrs: string[];
  rateLimit: RateLimitRecord | null;
  /** A usage quota: the total of admitted verifies (1: single use); null for none. */
  maxUses: number | null;
  quotaRefill: QuotaRefillRecord | null;
  /**
   * Uses left in the store (instances hold leased uses apart from it). Written only by the quota
   * statements (takeUses, returnUses, setQuota) and on insert: updateToken leaves it alone.
   */
  usesRemaining: number | null;
  /** When the refill last added uses (refills are applied lazily, whole periods at a time). */
  quotaRefilledAt: number | null;
  metadata: Record<string, string>;
  /** Who answers for the token: free text such as an e-mail address or a team name. */
  owner: string | null;
  start: string;
  status: StoredTokenStatus;
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
  useCount: number;
  revokedAt: number | null;
  revokedBy: string | null;
  revokeReason: string | null;
  rotatedFrom: string | null;
  rotatedTo: string | null;
  /** Set while a rotation started with `pending` awaits completion: the overlap it will apply. */
  pendingOverlapSeconds: number | null;
  version: number;
  secretHash: Buffer;
  pepperVersion: number;
}

export interface AuditRecord {
  id: string;
  at: number;
  actor: string | null;
  actorIp: string | null;
  action: string;
  target: string | null;
  reason: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface ScopeRecord {
  name: string;
  description: string;
  createdAt: number;
  createdBy: string | null;
}

/** The rules a server keeps for tokens holding one scope (or `*`: every token). */
export interface PolicyRecord {
  scope: string;
  maxTtlSeconds: number | null;
  requireExpiry: boolean;
  requireCidr: boolean;
  maxRateLimit: RateLimitRecord | null;
  requireOwner: boolean;
  createdAt: number;
  createdBy: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

export interface IdempotencyRecord {
  keyHash: Buffer;
  callerId: string;
  requestHash: Buffer;
  responseStatus: number;
  responseBody: Buffer;
  createdAt: number;
  expiresAt: number;
}

export interface TokenFilter {
  now: number;
  /** Any of these statuses; empty or absent = all. */
  statuses?: TokenStatus[];
  scope?: string;
  name?: string;
  namePrefix?: string;
  startPrefix?: string;
  expiresBefore?: number;
  unusedSince?: number;
  createdBefore?: number;
  owner?: string;
  /** Tokens this token created (its id). */
  createdBy?: string;
  /** The listing order (default: by id, which is creation order). */
  order?: TokenOrder;
  /** Keyset pagination: only tokens after this one in the listing order… */
  afterId?: string;
  /** …whose order value (orderValue) was this; not needed for the order by id. */
  afterValue?: string | number;
  limit: number;
}

/** What a token listing may be ordered by; id ties are broken by id in the same direction. */
export const TOKEN_ORDER_KEYS = ['id', 'name', 'expires_at', 'last_used_at'] as const;
export interface TokenOrder {
  by: (typeof TOKEN_ORDER_KEYS)[number];
  descending: boolean;
}

/** Stands for "never expires" in the expiry order, so that never-expiring tokens sort last. */
export const NEVER_EXPIRES = Number.MAX_SAFE_INTEGER;

/** A token's value in a listing order: where a keyset page after it starts (never-used tokens sort first by last use). */
export function orderValue(token: TokenRecord, by: TokenOrder['by']): string | number {
  switch (by) {
    case 'id':
      return token.id;
    case 'name':
      return token.name;
    case 'expires_at':
      return token.expiresAt ?? NEVER_EXPIRES;
    case 'last_used_at':
      return token.lastUsedAt ?? 0;
  }
}

export interface AuditFilter {
  target?: string;
  actor?: string;
  action?: string;
  since?: number;
  until?: number;
  /** Keyset pagination: ids after this one in the listing order. */
  afterId?: string;
  newestFirst?: boolean;
  limit: number;
}

/** A console session (README, Console): only the SHA-256 of its id is stored. */
export interface SessionRecord {
  idHash: Buffer;
  tokenId: string;
  /** The token's scopes at sign-in: losing any of them ends the session. */
  scopes: string[];
  createdAt: number;
  /** Written at most every few seconds to a minute (see SessionService), not on every request. */
  lastSeenAt: number;
  /** The absolute end: sign-in + lifetime, or the token's expiry if sooner. */
  expiresAt: number;
  /** Why it ended, once it has (kept until swept, so the browser can be told why). */
  endedReason: string | null;
}

/** Where console sessions are kept (a table several instances share). */
export interface SessionOps {
  insertSession(session: SessionRecord): Promise<void>;
  /** The session and its token in one lookup (the token null when it is gone). */
  getSessionWithToken(idHash: Buffer): Promise<{ session: SessionRecord; token: TokenRecord | null } | null>;
  /** Sessions of any of these tokens. */
  sessionsOfTokens(tokenIds: readonly string[]): Promise<SessionRecord[]>;
  touchSession(idHash: Buffer, lastSeenAt: number): Promise<void>;
  /** Marks the session ended (the first reason stays); it no longer authenticates anything. */
  endSession(idHash: Buffer, reason: string): Promise<void>;
  deleteSession(idHash: Buffer): Promise<void>;
  /** Sessions past their absolute end, or idle (ended ones included) since before `idleSince`. */
  deleteExpiredSessions(now: number, idleSince: number): Promise<number>;
}

export interface UsageUpdate {
  id: string;
  lastUsedAt: number;
  lastUsedIp: string | null;
  uses: number;
}

/** One token's traffic in one period (an hour, or a day once hours are rolled up). */
export interface UsageCountRecord {
  tokenId: string;
  period: UsageGranularity;
  /** Epoch ms of the period's start (UTC). */
  start: number;
  /** Admitted calls. */
  uses: number;
  refusals: Record<RefusalReason, number>;
}

/** Calls from one client address, for one token and period. */
export interface UsageAddressRecord {
  tokenId: string;
  period: UsageGranularity;
  start: number;
  address: string;
  uses: number;
  refused: number;
}

/** A token's totals over a span, for the most-used / most-refused listings. */
export interface UsageTotals {
  tokenId: string;
  uses: number;
  refusals: Record<RefusalReason, number>;
}

export interface UsageRollup {
  /** Hour rows starting before this (a day boundary) become day rows. */
  hoursBefore: number;
  /** Day rows starting before this are deleted. */
  daysBefore: number;
  /** Closed hours in [from, to) keep only their most frequent addresses per token. */
  compactHours: { from: number; to: number };
  /** How many addresses a token keeps per compacted hour or rolled-up day. */
  keepAddresses: number;
}

export interface WebhookRecord {
  id: string;
  url: string;
  format: WebhookFormat;
  /** Event types it wants. */
  events: WebhookEventType[];
  description: string;
  /** The signing secret, AES-256-GCM under a key derived from the pepper of `pepperVersion`. */
  secretSealed: Buffer;
  pepperVersion: number;
  createdAt: number;
  createdBy: string | null;
}

/** One event for one webhook: the outbox row the delivery worker sends and retries. */
export interface DeliveryRecord {
  /** The message id (webhook-id), the same on every attempt. */
  id: string;
  webhookId: string;
  eventType: string;
  /** The event as JSON text: type, timestamp, data. */
  payload: string;
  state: DeliveryState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  /** While an instance attempts it: until when no other may. */
  leaseUntil: number | null;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface DeliveryOutcome {
  id: string;
  state: DeliveryState;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface DeliveryFilter {
  webhookId: string;
  state?: DeliveryState;
  /** Keyset pagination, newest first: only ids below this one. */
  beforeId?: string;
  limit: number;
}

/** A token near (or just past) its expiry, and the smallest threshold (days) already sent for it, if any. */
export interface ExpiryCandidate {
  token: TokenRecord;
  notified: number | null;
}

/** Operations available inside and outside a transaction. */
export interface StoreOps extends SessionOps {
  getToken(id: string): Promise<TokenRecord | null>;
  /** Inside a transaction: reads the token and holds it against concurrent writers until commit. */
  lockToken(id: string): Promise<TokenRecord | null>;
  getTokensByHash(hashes: Buffer[]): Promise<TokenRecord[]>;
  /** Live tokens (not revoked, not expired) with this exact name that have no successor yet. */
  findCurrentByName(name: string, now: number): Promise<TokenRecord[]>;
  /** The same for many names at once, in id order (a restore checking the names it brings back). */
  findCurrentByNames(names: string[], now: number): Promise<TokenRecord[]>;
  listTokens(filter: TokenFilter): Promise<TokenRecord[]>;
  countTokens(): Promise<number>;
  countLiveTokensWithScope(scope: string, now: number): Promise<number>;
  insertToken(token: TokenRecord): Promise<void>;
  /** Writes every mutable field; the caller has already bumped `version`. */
  updateToken(token: TokenRecord): Promise<void>;
  insertAudit(event: AuditRecord): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
  listScopes(): Promise<ScopeRecord[]>;
  getScope(name: string): Promise<ScopeRecord | null>;
  insertScope(scope: ScopeRecord): Promise<void>;
  deleteScope(name: string): Promise<void>;
  /** Every policy, `*` first, then by scope. */
  listPolicies(): Promise<PolicyRecord[]>;
  getPolicy(scope: string): Promise<PolicyRecord | null>;
  /** Creates the scope's policy or replaces it. */
  putPolicy(policy: PolicyRecord): Promise<void>;
  /** Whether there was one to delete. */
  deletePolicy(scope: string): Promise<boolean>;
  getIdempotency(keyHash: Buffer): Promise<IdempotencyRecord | null>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  deleteExpiredIdempotency(now: number): Promise<number>;
  recordUsage(updates: UsageUpdate[]): Promise<void>;
  getTokensById(ids: string[]): Promise<TokenRecord[]>;
  /** Adds to the usage history (creating rows as needed); a record may not appear twice. */
  addUsage(counts: UsageCountRecord[], addresses: UsageAddressRecord[]): Promise<void>;
  /**
   * A token's rows in [since, until), oldest first: hour rows, or for `day` every row summed by
   * day (hours not yet rolled up included). `since` should be a period boundary.
   */
  usageSeries(tokenId: string, granularity: UsageGranularity, since: number, until: number): Promise<UsageCountRecord[]>;
  /** A token's most frequent client addresses in [since, until), summed over periods. */
  usageAddresses(tokenId: string, since: number, until: number, limit: number): Promise<Omit<UsageAddressRecord, 'tokenId' | 'period' | 'start'>[]>;
  /** Tokens with the most uses (or refusals) in [since, until); only tokens with some. */
  topUsage(since: number, until: number, by: 'uses' | 'refused', limit: number): Promise<UsageTotals[]>;
  /** Hours into days, old days out, closed hours' addresses compacted; one transaction. */
  rollUpUsage(rollup: UsageRollup): Promise<void>;
  insertWebhook(webhook: WebhookRecord): Promise<void>;
  getWebhook(id: string): Promise<WebhookRecord | null>;
  listWebhooks(): Promise<WebhookRecord[]>;
  /** Removes the webhook and all its deliveries; false when there was none. */
  deleteWebhook(id: string): Promise<boolean>;
  insertDeliveries(deliveries: DeliveryRecord[]): Promise<void>;
  /** Leases up to `limit` due pending deliveries until `leaseUntil`, counting an attempt for each. */
  claimDeliveries(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]>;
  /** Records an attempt and ends its lease (a delivery no longer pending is left as it is). */
  finishDelivery(outcome: DeliveryOutcome): Promise<void>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  listDeliveries(filter: DeliveryFilter): Promise<DeliveryRecord[]>;
  /** Deliveries pending and failed (for /metrics). */
  countUndelivered(): Promise<Record<Exclude<DeliveryState, 'delivered'>, number>>;
  deleteOldDeliveries(before: number): Promise<number>;
  expiryCandidates(now: number, horizonMs: number, lookbackMs: number, limit: number): Promise<ExpiryCandidate[]>;
  /** True when this call recorded the notice, false when it existed already. */
  insertExpiryNotice(tokenId: string, expiresAt: number, threshold: number, at: number): Promise<boolean>;
  /**
   * Takes up to `want` uses from the token's quota with one atomic conditional decrement (after
   * applying any refill that is due), never more than max(1, remaining / `share`) at once, so
   * that leases shrink as the quota runs out. Granted 0 when nothing is left or the token has no
   * quota (remaining is then 0).
   */
  takeUses(id: string, want: number, share: number, now: number): Promise<UsesTaken>;
  /** Gives back uses taken and not used, never above max_uses. */
  returnUses(id: string, uses: number): Promise<void>;
  /**
   * Sets the quota's store count: `remaining` as given (null: no quota), or, with `adjust`, moved
   * by that many (a changed max_uses), never below 0. `refilledAt` restarts the refill periods.
   */
  setQuota(id: string, change: { remaining: number | null } | { adjust: number }, refilledAt: number | null): Promise<void>;
  /** A share of the key's budget in a sliding window, under a lock on the key (sql/rate-leases.ts). */
  leaseRate(request: RateLeaseRequest): Promise<RateLeaseGrant>;
  /** Gives a lease back with what was used of it. */
  returnRateLease(leaseId: string, used: number, now: number): Promise<void>;
  /**
   * Inside a transaction: at commit, every instance sharing the store drops everything it has
   * cached about tokens (a restore brings back digests they may hold as unknown). A no-op elsewhere.
   */
  announceRestore(): Promise<void>;
}

/**
 * The store could not be reached or lost its connection (a failover, a terminated backend, a
 * network partition, a timeout). Nothing is known to have been written unless `maybeApplied`: a
 * write whose COMMIT was sent but never answered. The HTTP edge answers it with 503
 * `store_unavailable` and Retry-After.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(
    message: string,
    readonly maybeApplied = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The change-feed entry that stands for every token: instances reset rather than drop one by one. */
export const EVERY_TOKEN = '*';

/** What a cross-instance change feed tells the instance it runs in (README "PostgreSQL"). */
export interface ChangeHandlers {
  /** These tokens changed, possibly on another instance: drop what is cached about them. */
  onChange(ids: string[]): void;
  /** Changes may have been missed: drop everything cached. */
  onReset(): void;
  /** The feed stopped (false) or resumed (true) being readable; for logs. */
  onHealth?(healthy: boolean, message: string): void;
}

export interface Store extends StoreOps {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations; returns the schema version. */
  migrate(): Promise<number>;
  schemaVersion(): Promise<number>;
  /**
   * Runs fn atomically; concurrent transactions touching the same rows are serialised. A store may
   * run fn again after a deadlock it detected, so fn should have no effects outside `tx`.
   */
  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T>;
  /**
   * Only for stores that several server instances share: reports token changes committed by any
   * instance. Returns a function that stops watching.
   */
  watchChanges?(handlers: ChangeHandlers): () => Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
