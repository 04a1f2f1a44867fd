// The server's parts, made once and wired together: services, the audit writer, the change bus,
// usage batching, webhook events and their delivery worker, the failed-authentication limiter,
// metrics and the verifier. app.ts puts fastify
// in front of it; routes and main.ts use it; nothing here knows about HTTP.
import type { Logger } from 'pino';
import { FailedAuthLimiter, type MayBeLive } from './auth-limiter.js';
import { Metrics } from './metrics.js';
import type { Peppers } from './pepper.js';
import { AuditService } from './service/audit.js';
import { AuditWriter } from './service/audit-writer.js';
import { BurstDetector } from './service/burst.js';
import { WebhookEvents } from './service/events.js';
import { ExpiryWarnings } from './service/expiry-warnings.js';
import { Authenticator } from './service/authn.js';
import type { ServiceDeps, TokenChanges } from './service/deps.js';
import { ExportService } from './service/export.js';
import { ImportService } from './service/import.js';
import { PolicyService } from './service/policies.js';
import { UsageQuotaService } from './service/quotas.js';
import { RateLeaseService } from './service/rate-leases.js';
import { ScopeService } from './service/scopes.js';
import { DEFAULT_SESSION_SETTINGS, SessionService, type SessionSettings } from './service/sessions.js';
import { TokenService } from './service/tokens.js';
import { UsageRecorder } from './service/usage.js';
import { UsageHistoryService, type UsageRetention } from './service/usage-history.js';
import { WebhookService } from './service/webhooks.js';
import { DeliveryWorker, type WorkerTimings } from './webhooks/worker.js';
import type { Store } from './store/types.js';
import { HotCounters } from './verify/counters.js';
import { TokenRateLimiter } from './verify/rate-limit.js';
import { SharedRateLimiter } from './verify/shared-rate.js';
import { Verifier, type VerifiedToken } from './verify/verifier.js';

/**
 * Who is told that tokens changed: services announce their own changes after commit, and a shared
 * store's feed announces other instances' changes (main.ts). The verify cache listens.
 */
class ChangeBus implements TokenChanges {
  private readonly changedListeners: ((ids: readonly string[]) => void)[] = [];
  private readonly resetListeners: (() => void)[] = [];
  private readonly healthListeners: ((healthy: boolean) => void)[] = [];

  onTokensChanged(listener: (ids: readonly string[]) => void): void {
    this.changedListeners.push(listener);
  }

  /** Listeners that must drop everything cached, because changes may have been missed. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** Listeners told when the feed stops (false) or starts again (true) vouching for what is cached. */
  onHealth(listener: (healthy: boolean) => void): void {
    this.healthListeners.push(listener);
  }

  health(healthy: boolean): void {
    for (const listener of this.healthListeners) listener(healthy);
  }

  tokensChanged(ids: readonly string[]): void {
    for (const listener of this.changedListeners) listener(ids);
  }

  reset(): void {
    for (const listener of this.resetListeners) listener();
  }
}

export interface ContextOptions {
  store: Store;
  peppers: Peppers;
  secretPrefix: string;
  logger: Logger | false;
  clock?: () => number;
  usageFlushMs?: number;
  /** Keep the per-hour usage history (default on); off keeps only last_used_* and use_count. */
  usageHistory?: boolean;
  usageRetention?: UsageRetention;
  /** Webhooks may target loopback, private and link-local addresses (tests, closed networks). */
  allowPrivateWebhooks?: boolean;
  /** auth.denied.burst: refusals of one token within a minute above this (default 50). */
  burstThreshold?: number;
  webhookTimings?: Partial<WorkerTimings>;
  /** Failed authentications per minute and client address before 429. */
  failedAuthLimit?: number;
  /** Console sessions' idle timeout and lifetime. */
  sessions?: SessionSettings;
}

export interface AppContext {
  deps: ServiceDeps;
  tokens: TokenService;
  scopes: ScopeService;
  policies: PolicyService;
  audit: AuditService;
  export: ExportService;
  import: ImportService;
  authn: Authenticator;
  /** Console sessions: sign-in, the session behind a cookie, sign-out, and ending them when their token changes. */
  sessions: SessionService;
  /** The one writer of audit events, for the HTTP edge's own (auth.denied); services hold it in deps. */
  auditWriter: AuditWriter;
  changes: ChangeBus;
  usage: UsageRecorder;
  usageHistory: UsageHistoryService;
  webhooks: WebhookService;
  /** Sends the outbox and the expiry warnings; main.ts starts and stops it. */
  webhookWorker: DeliveryWorker;
  authLimiter: FailedAuthLimiter;
  /** The screen for a secret from an address over the failed-auth limit: the verify cache, else one lookup. */
  mayBeLive: MayBeLive;
  metrics: Metrics;
  /** Counters bumped on the verify path, published with the other metrics. */
  hotCounters: HotCounters;
  verifier: Verifier;
}

export function createAppContext(opts: ContextOptions): AppContext {
  const clock = opts.clock ?? Date.now;
  const changes = new ChangeBus();
  const events = new WebhookEvents(clock);
  const auditWriter = new AuditWriter(opts.store, clock, events);
  const deps: ServiceDeps = { store: opts.store, peppers: opts.peppers, secretPrefix: opts.secretPrefix, clock, audit: auditWriter, changes };
  const metrics = new Metrics();
  const hotCounters = new HotCounters(metrics);
  const authn = new Authenticator(deps);
  const scopes = new ScopeService(deps);
  const policies = new PolicyService(deps);

  const quotas = new UsageQuotaService(deps, opts.logger);
  // Instances sharing PostgreSQL share rate limits and the failed-authentication limit; one SQLite
  // instance keeps its own buckets.
  const sharedRates = opts.store.kind === 'postgres' ? new RateLeaseService(deps) : undefined;
  const authLimiter = new FailedAuthLimiter(opts.failedAuthLimit ?? 30, 60_000, clock);
  if (sharedRates) authLimiter.share(new SharedRateLimiter(sharedRates, new TokenRateLimiter(), clock, hotCounters, opts.logger));
  const verifier = new Verifier({ authn, peppers: opts.peppers, secretPrefix: opts.secretPrefix, clock, counters: hotCounters, quotas, sharedRates, log: opts.logger });
  changes.onTokensChanged((ids) => verifier.invalidate(ids));
  changes.onReset(() => verifier.clear());
  // Fail closed: while the feed cannot vouch for cached tokens, every verify reads the store.
  changes.onHealth((healthy) => verifier.setCaching(healthy));
  const sessions = new SessionService(deps, opts.sessions ?? DEFAULT_SESSION_SETTINGS);
  const sessionCheckFailed = (err: unknown) => {
    if (opts.logger) opts.logger.error({ err: String(err) }, 'checking console sessions after a token change failed');
  };
  changes.onTokensChanged((ids) => void sessions.tokensChanged(ids).catch(sessionCheckFailed));
  changes.onReset(() => void sessions.recheckWatched().catch(sessionCheckFailed));
  metrics.onCollect(() => metrics.set('tokens_verify_cache_entries', 'entries in the verify cache (tokens and known-unknown digests)', verifier.cacheSize));

  const bursts = new BurstDetector(events, opts.burstThreshold ?? 50);
  const usage = new UsageRecorder(opts.store, clock, {
    intervalMs: opts.usageFlushMs,
    history: opts.usageHistory,
    onRefusals: (tx, refusals, now) => bursts.observe(tx, refusals, now),
    onError: (err) => {
      if (opts.logger) opts.logger.error({ err }, 'usage flush failed; will retry');
    },
  });

  const allowPrivate = opts.allowPrivateWebhooks ?? false;
  const webhookWorker = new DeliveryWorker(
    { store: opts.store, peppers: opts.peppers, clock, metrics, logger: opts.logger, allowPrivate, expiry: new ExpiryWarnings(deps, events) },
    opts.webhookTimings,
  );
  events.onQueued(() => webhookWorker.poke());

  return {
    deps,
    tokens: new TokenService(deps, policies),
    scopes,
    policies,
    audit: new AuditService(deps),
    export: new ExportService(deps, scopes),
    import: new ImportService(deps),
    authn,
    sessions,
    auditWriter,
    changes,
    usage,
    usageHistory: new UsageHistoryService(deps, usage, opts.usageRetention),
    webhooks: new WebhookService(deps, events, allowPrivate),
    webhookWorker,
    authLimiter,
    mayBeLive: (secret) => {
      const live = (t: VerifiedToken | 'malformed' | 'unknown') => typeof t !== 'string' && t.status === 'active' && (t.expiresAt === null || t.expiresAt > clock());
      const found = verifier.lookup(secret);
      return found instanceof Promise ? found.then(live) : live(found);
    },
    metrics,
    hotCounters,
    verifier,
  };
}
