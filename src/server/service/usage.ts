// last_used_at / last_used_ip / use_count, recorded in batches off the request path and flushed
// on an interval and on shutdown, so a busy token costs one write per flush, not one per request.
import type { Store, UsageUpdate } from '../store/types.js';

export class UsageRecorder {
  private pending = new Map<string, UsageUpdate>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly intervalMs = 2000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  record(id: string, ip: string | null): void {
    const at = this.clock();
    const entry = this.pending.get(id);
    if (entry) {
      entry.uses += 1;
      if (at >= entry.lastUsedAt) {
        entry.lastUsedAt = at;
        entry.lastUsedIp = ip;
      }
    } else {
      this.pending.set(id, { id, lastUsedAt: at, lastUsedIp: ip, uses: 1 });
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.transaction((tx) => tx.recordUsage(batch));
      } catch (err) {
        // Put the batch back so a passing store error loses nothing; the next flush retries it.
        for (const u of batch) {
          const newer = this.pending.get(u.id);
          if (newer) {
            newer.uses += u.uses;
            if (u.lastUsedAt > newer.lastUsedAt) Object.assign(newer, { lastUsedAt: u.lastUsedAt, lastUsedIp: u.lastUsedIp });
          } else this.pending.set(u.id, u);
        }
        this.onError(err);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
