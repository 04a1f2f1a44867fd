// The delivery worker (README "Webhooks"): sends what the outbox holds, off the request path, with a
// time limit per attempt and a bound on attempts in flight; retries with exponential backoff until a
// delivery is a day old, then marks it failed. Each delivery is leased while it is attempted, so with
// several instances on one database one instance at a time attempts it, and a crashed instance's
// deliveries come back when their lease ends. The same loop sends the expiry warnings.
import type { Logger } from 'pino';
import { VERSION } from '../../version.js';
import type { Metrics } from '../metrics.js';
import type { Peppers } from '../pepper.js';
import type { ExpiryWarnings } from '../service/expiry-warnings.js';
import type { DeliveryOutcome, DeliveryRecord, Store, WebhookRecord } from '../store/types.js';
import { postOnce, type AttemptResult } from './send.js';
import { openSigningSecret, signatureHeaders } from './signing.js';
import { slackText } from './slack.js';

export interface WorkerTimings {
  /** How often the outbox is read without being told of new deliveries. */
  pollMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
  /** First retry after this long, doubling each time, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A delivery not delivered this long after its event is marked failed. */
  giveUpMs: number;
  /** Attempts in flight at once, across all webhooks. */
  concurrency: number;
  /** How often tokens are checked for expiry warnings. */
  expiryScanMs: number;
  /** Delivered and failed deliveries are kept this long. */
  keepMs: number;
}

export const DEFAULT_WORKER_TIMINGS: WorkerTimings = {
  pollMs: 1000,
  timeoutMs: 10_000,
  retryBaseMs: 5000,
  retryMaxMs: 3_600_000,
  giveUpMs: 24 * 3_600_000,
  concurrency: 8,
  expiryScanMs: 60_000,
  keepMs: 30 * 24 * 3_600_000,
};

interface WorkerDeps {
  store: Store;
  peppers: Peppers;
  clock: () => number;
  metrics: Metrics;
  logger: Logger | false;
  allowPrivate: boolean;
  expiry: ExpiryWarnings;
}

export class DeliveryWorker {
  private readonly timings: WorkerTimings;
  private timer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: WorkerDeps,
    timings: Partial<WorkerTimings> = {},
  ) {
    this.timings = { ...DEFAULT_WORKER_TIMINGS, ...timings };
    deps.metrics.onCollect(async () => {
      const counts = await deps.store.countUndelivered().catch(() => null);
      if (!counts) return;
      for (const state of ['pending', 'failed'] as const) {
        deps.metrics.set('tokens_webhook_deliveries', 'webhook deliveries in the outbox not delivered, by state (failed: given up after retrying)', counts[state], { state });
      }
    });
  }

  /** An attempt's lease: its time limit and a margin, after which another instance may try it. */
  private get leaseMs(): number {
    return 2 * this.timings.timeoutMs + 1000;
  }

  start(): void {
    this.timer = setInterval(() => this.poke(), this.timings.pollMs);
    this.timer.unref();
    const scan = () => void this.deps.expiry.scan().catch((err) => this.log('warn', { err: String(err) }, 'expiry warning scan failed'));
    scan();
    this.expiryTimer = setInterval(scan, this.timings.expiryScanMs);
    this.expiryTimer.unref();
    this.poke();
  }

  /** Reads the outbox now (coalescing with a read in progress). */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.claimAndSend();
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log('warn', { err: String(err) }, 'webhook outbox read failed; will retry');
      } finally {
        this.running = null;
      }
    })();
  }

  private async claimAndSend(): Promise<void> {
    const free = this.timings.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const now = this.deps.clock();
    const claimed = await this.deps.store.transaction((tx) => tx.claimDeliveries(now, now + this.leaseMs, free));
    if (!claimed.length) return;
    const webhooks = new Map<string, WebhookRecord | null>();
    for (const delivery of claimed) {
      if (!webhooks.has(delivery.webhookId)) webhooks.set(delivery.webhookId, await this.deps.store.getWebhook(delivery.webhookId));
      const attempt = this.attempt(delivery, webhooks.get(delivery.webhookId)!)
        // Nothing an attempt does may end the process; its lease ends and it is tried again.
        .catch((err: unknown) => this.log('warn', { err: String(err), delivery: delivery.id }, 'webhook attempt failed unexpectedly'))
        .finally(() => {
          this.inFlight.delete(delivery.id);
          // A slot came free: there may be more waiting.
          this.poke();
        });
      this.inFlight.set(delivery.id, attempt);
    }
    // Filled every slot: more may be due right away.
    if (claimed.length === free) this.again = true;
  }

  private async attempt(delivery: DeliveryRecord, webhook: WebhookRecord | null): Promise<void> {
    let result: AttemptResult;
    if (!webhook) {
      result = { ok: false, status: null, error: 'the webhook was removed' };
    } else {
      try {
        const body = webhook.format === 'slack' ? JSON.stringify({ text: slackText(delivery.payload) }) : delivery.payload;
        // Throws when the pepper version that sealed the secret is no longer configured.
        const secret = openSigningSecret(webhook.secretSealed, webhook.pepperVersion, this.deps.peppers);
        // The signature's timestamp is the wall clock: receivers check it against theirs.
        const headers = { ...signatureHeaders(secret, delivery.id, Math.floor(Date.now() / 1000), body), 'user-agent': `tokens-webhooks/${VERSION}` };
        result = await postOnce(new URL(webhook.url), headers, body, { timeoutMs: this.timings.timeoutMs, allowPrivate: this.deps.allowPrivate, signal: this.abort.signal });
      } catch (err) {
        result = { ok: false, status: null, error: (err instanceof Error ? err.message : String(err)).split('\n')[0]! };
      }
    }
    if (this.stopped && !result.ok) {
      // Cut short by shutdown: hand it back for the next start (or another instance) at once.
      await this.finish({ id: delivery.id, state: 'pending', nextAttemptAt: this.deps.clock(), lastStatus: result.status, lastError: 'interrupted by shutdown', deliveredAt: null }).catch(() => undefined);
      return;
    }
    const now = this.deps.clock();
    const outcome: DeliveryOutcome = { id: delivery.id, state: 'delivered', nextAttemptAt: now, lastStatus: result.status, lastError: result.error, deliveredAt: null };
    if (result.ok) outcome.deliveredAt = now;
    else {
      const wait = Math.min(this.timings.retryMaxMs, this.timings.retryBaseMs * 2 ** Math.max(0, delivery.attempts - 1));
      // Jitter, so that deliveries failing together do not all come back together.
      const next = now + Math.round(wait * (0.8 + Math.random() * 0.4));
      if (next - delivery.createdAt > this.timings.giveUpMs || !webhook) outcome.state = 'failed';
      else Object.assign(outcome, { state: 'pending', nextAttemptAt: next });
    }
    this.deps.metrics.inc('tokens_webhook_attempts_total', 'webhook delivery attempts by outcome (failed: the last, given up)', { outcome: result.ok ? 'delivered' : outcome.state === 'failed' ? 'failed' : 'retry' });
    if (outcome.state === 'failed') this.log('warn', { delivery: delivery.id, webhook: delivery.webhookId, attempts: delivery.attempts, error: result.error }, 'webhook delivery failed for good');
    await this.finish(outcome).catch((err) => this.log('warn', { err: String(err), delivery: delivery.id }, 'recording a webhook attempt failed; the lease will end and it will be tried again'));
  }

  private finish(outcome: DeliveryOutcome): Promise<void> {
    return this.deps.store.transaction((tx) => tx.finishDelivery(outcome));
  }

  /** Forgets delivered and failed deliveries older than the retention (on the server's sweep). */
  async prune(): Promise<void> {
    await this.deps.store.deleteOldDeliveries(this.deps.clock() - this.timings.keepMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.abort.abort();
    await this.running;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private log(level: 'warn' | 'info', fields: Record<string, unknown>, message: string): void {
    if (this.deps.logger) this.deps.logger[level](fields, message);
  }
}
