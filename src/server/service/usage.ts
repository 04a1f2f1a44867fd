// What tokens are used for, recorded off the request path: last_used_at / last_used_ip / use_count,
// and the usage history (README "Usage history") — admitted calls and refusals by reason per token
// and hour, and the client addresses they came from. The verify path only bumps integers in a map;
// a flush on an interval (and on shutdown) writes them, a short transaction per few tokens.
import { REFUSAL_REASONS, type RefusalReason } from '../../shared/wire-constants.js';
import type { Store, StoreOps, UsageAddressRecord, UsageCountRecord, UsageUpdate } from '../store/types.js';

const HOUR_MS = 3_600_000;
/** Distinct client addresses tracked per token between two flushes; more are not counted (the history keeps the most frequent anyway). */
const ADDRESSES_PER_FLUSH = 16;
const REASON_INDEX = Object.fromEntries(REFUSAL_REASONS.map((r, i) => [r, i])) as Record<RefusalReason, number>;

interface AddressTally {
  uses: number;
  refused: number;
}

/** One token's traffic since the last flush, within one hour. */
interface Tally {
  id: string;
  uses: number;
  /** 0 while the token was only refused. */
  lastUsedAt: number;
  lastUsedIp: string | null;
  /** By REFUSAL_REASONS index; made at the first refusal. */
  refusals: number[] | null;
  addresses: Map<string, AddressTally> | null;
}

/**
 * Tokens per flush transaction. On SQLite every statement runs on the event loop, and a token's row
 * and history in a large table cost ~60 µs to write (a random page each): a flush of 1,600 tokens
 * written at once held every request for ~100 ms at 1,000,000 tokens (bench/RESULTS.md, cold
 * latency); 32 of them take about 2 ms.
 */
export const TOKENS_PER_CHUNK = 32;

/** The tallies of a flush in chunks of TOKENS_PER_CHUNK tokens, each token (in all its hours) in one chunk. */
function chunksByToken(hours: Map<number, Map<string, Tally>>): Map<number, Map<string, Tally>>[] {
  const chunkOf = new Map<string, number>();
  const chunks: Map<number, Map<string, Tally>>[] = [];
  for (const [hour, tallies] of hours) {
    for (const [id, t] of tallies) {
      let index = chunkOf.get(id);
      if (index === undefined) {
        index = Math.floor(chunkOf.size / TOKENS_PER_CHUNK);
        chunkOf.set(id, index);
      }
      const chunk = (chunks[index] ??= new Map());
      let inHour = chunk.get(hour);
      if (!inHour) chunk.set(hour, (inHour = new Map()));
      inHour.set(id, t);
    }
  }
  return chunks;
}

/** Refusals per token in one flush: what a burst detector looks at. */
export type RefusalBatch = Map<string, Record<RefusalReason, number>>;

export interface UsageRecorderOptions {
  intervalMs?: number;
  /** Keep the per-hour history (counts, refusals, addresses); off keeps only last_used_* and use_count. */
  history?: boolean;
  onError?: (err: unknown) => void;
  /** Runs in each flush's transaction with the refusals it writes (and when there were none, not at all). */
  onRefusals?: (tx: StoreOps, refusals: RefusalBatch, now: number) => Promise<void>;
}

export class UsageRecorder {
  /** hour start → token id → tally; the current hour's map is also `current`. */
  private hours = new Map<number, Map<string, Tally>>();
  private current = new Map<string, Tally>();
  private hourStart: number;
  private hourEnd: number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  readonly history: boolean;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
    private readonly opts: UsageRecorderOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 2000;
    this.history = opts.history ?? true;
    this.hourStart = this.hourEnd = 0;
    this.enterHour(clock());
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  private enterHour(at: number): void {
    this.hourStart = at - (at % HOUR_MS);
    this.hourEnd = this.hourStart + HOUR_MS;
    let tallies = this.hours.get(this.hourStart);
    if (!tallies) this.hours.set(this.hourStart, (tallies = new Map()));
    this.current = tallies;
  }

  private tally(id: string, at: number): Tally {
    if (at >= this.hourEnd) this.enterHour(at);
    let t = this.current.get(id);
    if (t === undefined) {
      t = { id, uses: 0, lastUsedAt: 0, lastUsedIp: null, refusals: null, addresses: null };
      this.current.set(id, t);
    }
    return t;
  }

  private address(t: Tally, ip: string): AddressTally | undefined {
    let addresses = t.addresses;
    if (addresses === null) t.addresses = addresses = new Map();
    let a = addresses.get(ip);
    if (a === undefined && addresses.size < ADDRESSES_PER_FLUSH) addresses.set(ip, (a = { uses: 0, refused: 0 }));
    return a;
  }

  /**
   * An admitted call (a verify that admitted the token, or a management call it authenticated). `at`:
   * the caller's reading of the same clock, when it has one (the verify path reads it once per request).
   */
  record(id: string, ip: string | null, at = this.clock()): void {
    const t = this.tally(id, at);
    t.uses += 1;
    if (at >= t.lastUsedAt) {
      t.lastUsedAt = at;
      t.lastUsedIp = ip;
    }
    if (this.history && ip !== null) {
      const a = this.address(t, ip);
      if (a !== undefined) a.uses += 1;
    }
  }

  /** The verify path refused a token it found. */
  refused(id: string, reason: RefusalReason, ip: string | null, at = this.clock()): void {
    const t = this.tally(id, at);
    (t.refusals ??= new Array<number>(REFUSAL_REASONS.length).fill(0))[REASON_INDEX[reason]]! += 1;
    if (this.history && ip !== null) {
      const a = this.address(t, ip);
      if (a !== undefined) a.refused += 1;
    }
  }

  /** Tokens with traffic not yet written. */
  get pendingCount(): number {
    let n = 0;
    for (const tallies of this.hours.values()) n += tallies.size;
    return n;
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const hours = this.hours;
      if (![...hours.values()].some((tallies) => tallies.size)) return;
      this.hours = new Map();
      this.enterHour(Math.max(this.clock(), this.hourStart));
      const chunks = chunksByToken(hours);
      for (let i = 0; i < chunks.length; i++) {
        // Between two chunks, whatever I/O waits (requests) runs first.
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        try {
          await this.store.transaction((tx) => this.write(tx, chunks[i]!));
        } catch (err) {
          // Put this chunk and the rest back so a passing store error loses nothing; the next flush retries them.
          for (const chunk of chunks.slice(i)) for (const [hour, tallies] of chunk) for (const t of tallies.values()) this.putBack(hour, t);
          this.opts.onError?.(err);
          return;
        }
      }
    });
    return this.flushing;
  }

  private async write(tx: StoreOps, hours: Map<number, Map<string, Tally>>): Promise<void> {
    const uses: UsageUpdate[] = [];
    const counts: UsageCountRecord[] = [];
    const addresses: UsageAddressRecord[] = [];
    const refusals: RefusalBatch = new Map();
    for (const [start, tallies] of hours) {
      for (const t of tallies.values()) {
        if (t.uses) uses.push({ id: t.id, lastUsedAt: t.lastUsedAt, lastUsedIp: t.lastUsedIp, uses: t.uses });
        const byReason = Object.fromEntries(REFUSAL_REASONS.map((r, i) => [r, t.refusals?.[i] ?? 0])) as Record<RefusalReason, number>;
        if (t.refusals) {
          const seen = refusals.get(t.id);
          refusals.set(t.id, seen ? (Object.fromEntries(REFUSAL_REASONS.map((r) => [r, seen[r] + byReason[r]])) as Record<RefusalReason, number>) : byReason);
        }
        if (!this.history) continue;
        counts.push({ tokenId: t.id, period: 'hour', start, uses: t.uses, refusals: byReason });
        for (const [address, a] of t.addresses ?? []) addresses.push({ tokenId: t.id, period: 'hour', start, address, uses: a.uses, refused: a.refused });
      }
    }
    if (uses.length) await tx.recordUsage(uses);
    await tx.addUsage(counts, addresses);
    if (refusals.size && this.opts.onRefusals) await this.opts.onRefusals(tx, refusals, this.clock());
  }

  private putBack(hour: number, t: Tally): void {
    let tallies = this.hours.get(hour);
    if (!tallies) this.hours.set(hour, (tallies = new Map()));
    const newer = tallies.get(t.id);
    if (!newer) {
      tallies.set(t.id, t);
      return;
    }
    newer.uses += t.uses;
    if (t.lastUsedAt > newer.lastUsedAt) Object.assign(newer, { lastUsedAt: t.lastUsedAt, lastUsedIp: t.lastUsedIp });
    if (t.refusals) {
      const into = (newer.refusals ??= new Array<number>(REFUSAL_REASONS.length).fill(0));
      t.refusals.forEach((n, i) => (into[i]! += n));
    }
    for (const [ip, a] of t.addresses ?? []) {
      const into = (newer.addresses ??= new Map()).get(ip);
      if (into) {
        into.uses += a.uses;
        into.refused += a.refused;
      } else newer.addresses.set(ip, a);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
