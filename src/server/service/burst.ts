// auth.denied.burst (README "Webhooks"): one token refused more than N times within a minute, seen in
// the usage batches as they are written (so the verify path pays nothing for it), sent at most once
// a minute per token. Each instance counts the refusals it served.
import { REFUSAL_REASONS, type RefusalReason } from '../../shared/wire-constants.js';
import type { StoreOps } from '../store/types.js';
import type { WebhookEvents } from './events.js';
import type { RefusalBatch } from './usage.js';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

interface Window {
  /** [time, refusals by reason] per flush, oldest first. */
  flushes: [number, Record<RefusalReason, number>][];
  lastSent: number;
}

export class BurstDetector {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly events: WebhookEvents,
    private readonly threshold: number,
  ) {}

  /** UsageRecorder's onRefusals: runs in the flush's transaction. */
  async observe(tx: StoreOps, refusals: RefusalBatch, now: number): Promise<void> {
    for (const [id, counts] of refusals) {
      let w = this.windows.get(id);
      if (!w) {
        if (this.windows.size >= MAX_TRACKED) this.forgetQuiet(now);
        this.windows.set(id, (w = { flushes: [], lastSent: -Infinity }));
      }
      w.flushes.push([now, counts]);
      while (w.flushes.length && w.flushes[0]![0] <= now - WINDOW_MS) w.flushes.shift();
      const byReason = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, w.flushes.reduce((n, [, c]) => n + c[r], 0)])) as Record<RefusalReason, number>;
      const total = REFUSAL_REASONS.reduce((n, r) => n + byReason[r], 0);
      if (total <= this.threshold || now - w.lastSent < WINDOW_MS) continue;
      const token = await tx.getToken(id);
      if (!token) continue;
      w.lastSent = now;
      await this.events.emit(tx, 'auth.denied.burst', this.events.tokenData(token, null, { refused: total, window_seconds: WINDOW_MS / 1000, threshold: this.threshold, refusals: byReason }));
    }
  }

  private forgetQuiet(now: number): void {
    for (const [id, w] of this.windows) if (!w.flushes.length || w.flushes[w.flushes.length - 1]![0] <= now - WINDOW_MS) this.windows.delete(id);
    if (this.windows.size >= MAX_TRACKED) this.windows.delete(this.windows.keys().next().value!);
  }
}
