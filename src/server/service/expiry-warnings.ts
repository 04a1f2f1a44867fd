// token.expiring (14, 7 and 1 days before) and token.expired (README "Webhooks"), from the delivery
// worker's loop rather than a cron: each scan looks at every token near or just past its expiry and
// sends what is due and not yet sent, so a threshold crossed while the server was down is sent after
// the next start. A notice row per token, expiry and threshold makes each one once, across instances.
import type { ServiceDeps } from './deps.js';
import type { WebhookEvents } from './events.js';
import { iso } from './wire.js';

const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = [14, 7, 1] as const;
/** A token that expired longer ago than this (the server was down that long) gets no token.expired. */
const EXPIRED_LOOKBACK_MS = 7 * DAY_MS;
const SCAN_LIMIT = 1000;

export class ExpiryWarnings {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: WebhookEvents,
  ) {}

  /**
   * The threshold due for a token now: 0 once expired, else the smallest of 14/7/1 days already
   * reached — counting only thresholds the token lived to see (one created 3 days before its expiry
   * gets the 1-day warning, not 14 and 7 at birth). Null when none is due.
   */
  static due(createdAt: number, expiresAt: number, now: number): number | null {
    if (now >= expiresAt) return 0;
    const reached = EXPIRY_WARNING_DAYS.filter((days) => now >= expiresAt - days * DAY_MS && expiresAt - days * DAY_MS >= createdAt);
    return reached.length ? Math.min(...reached) : null;
  }

  /** Sends what is due; returns how many events it queued. */
  async scan(): Promise<number> {
    const wanted = (await this.deps.store.listWebhooks()).some((w) => w.events.includes('token.expiring') || w.events.includes('token.expired'));
    if (!wanted) return 0;
    const now = this.deps.clock();
    const candidates = await this.deps.store.expiryCandidates(now, Math.max(...EXPIRY_WARNING_DAYS) * DAY_MS, EXPIRED_LOOKBACK_MS, SCAN_LIMIT);
    let sent = 0;
    for (const { token, notified } of candidates) {
      const threshold = ExpiryWarnings.due(token.createdAt, token.expiresAt!, now);
      if (threshold === null || (notified !== null && notified <= threshold)) continue;
      await this.deps.store.transaction(async (tx) => {
        // Another instance may have sent it since the scan read the notices: the insert decides.
        if (!(await tx.insertExpiryNotice(token.id, token.expiresAt!, threshold, now))) return;
        const current = (await tx.getToken(token.id)) ?? token;
        if (threshold === 0) await this.events.emit(tx, 'token.expired', this.events.tokenData(current, null, { expired_at: iso(token.expiresAt) }));
        else await this.events.emit(tx, 'token.expiring', this.events.tokenData(current, null, { days_before: threshold, expires_at: iso(token.expiresAt) }));
        sent++;
      });
    }
    return sent;
  }
}
