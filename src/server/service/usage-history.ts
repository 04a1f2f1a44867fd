// Reading the usage history (README "Usage history"): one token's series by hour or day with its most
// frequent client addresses, and the most used / most refused tokens; and keeping it bounded by
// rolling hours up into days after a retention window.
import { REFUSAL_REASONS, type RefusalReason, type UsageGranularity } from '../../shared/wire-constants.js';
import type { TokenUsage, TokenUsageQuery, UsageBucket, UsageRank, UsageRanking, UsageRankingQuery } from '../../shared/schemas.js';
import { TOKEN_ID_RE } from '../../shared/ids.js';
import type { UsageTotals } from '../store/types.js';
import { NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { DomainError } from './errors.js';
import { parseTimestamp } from './list-query.js';
import type { UsageRecorder } from './usage.js';
import { effectiveStatus, iso, quotaRefillToWire, usesRemainingAt } from './wire.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const PERIOD_MS: Record<UsageGranularity, number> = { hour: HOUR_MS, day: DAY_MS };
/** Without a granularity, a span up to this long is shown by hour. */
const HOURLY_SPAN_MAX_MS = 3 * DAY_MS;
const MAX_BUCKETS = 2000;
const TOP_ADDRESSES = 10;
/** Each roll-up also compacts the addresses of this many closed hours before the current one. */
const COMPACTED_HOURS = 3;

export interface UsageRetention {
  /** Hours older than this (by whole days) are rolled up into days. */
  hourlyMs: number;
  /** Days older than this are deleted. */
  dailyMs: number;
}

export const DEFAULT_USAGE_RETENTION: UsageRetention = { hourlyMs: 14 * DAY_MS, dailyMs: 400 * DAY_MS };

const noRefusals = (): Record<RefusalReason, number> => Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
const refusedOf = (refusals: Record<RefusalReason, number>) => REFUSAL_REASONS.reduce((n, r) => n + refusals[r], 0);

export class UsageHistoryService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly recorder: UsageRecorder,
    private readonly retention: UsageRetention = DEFAULT_USAGE_RETENTION,
  ) {}

  private requireHistory(): void {
    if (!this.recorder.history) throw DomainError.conflict('usage_history_off', 'this server runs with --no-usage-history; only last_used_at and use_count are kept');
  }

  /** [since, until) from a query: defaults, order, and the span the store can answer. */
  private span(q: { since?: string; until?: string }, defaultSpanMs: number): { since: number; until: number } {
    const now = this.deps.clock();
    const until = parseTimestamp(q.until, 'until') ?? now;
    const since = parseTimestamp(q.since, 'since') ?? until - defaultSpanMs;
    if (since >= until) throw DomainError.invalidInput('since must be before until', 'since');
    return { since, until };
  }

  async forToken(caller: Caller, id: string, q: TokenUsageQuery): Promise<TokenUsage> {
    requireScope(caller.token, NEEDS.readTokens);
    this.requireHistory();
    const token = TOKEN_ID_RE.test(id) ? await this.deps.store.getToken(id) : null;
    if (!token) throw DomainError.notFound(`token ${id}`);
    const asked = q.granularity;
    const { since, until } = this.span(q, asked === 'day' ? 30 * DAY_MS : DAY_MS);
    const now = this.deps.clock();
    // Hours before this have been (or may be) rolled up into days.
    const hourlyFrom = now - this.retention.hourlyMs - ((now - this.retention.hourlyMs) % DAY_MS);
    const granularity: UsageGranularity = asked ?? (until - since <= HOURLY_SPAN_MAX_MS && since >= hourlyFrom ? 'hour' : 'day');
    const period = PERIOD_MS[granularity];
    const first = since - (since % period);
    const buckets = Math.floor((until - 1 - first) / period) + 1;
    if (buckets > MAX_BUCKETS) {
      throw DomainError.invalidInput(`that span has ${buckets} ${granularity}s; ask for at most ${MAX_BUCKETS} (a shorter span, or granularity=day)`, 'since');
    }
    if (granularity === 'hour' && first < hourlyFrom) {
      throw DomainError.invalidInput(`hourly history is kept from ${iso(hourlyFrom)} on; ask for granularity=day for older traffic`, 'granularity');
    }
    // Read this instance's own traffic too, not only what earlier flushes wrote.
    await this.recorder.flush();
    const rows = new Map((await this.deps.store.usageSeries(id, granularity, first, until)).map((r) => [r.start, r]));
    const series: UsageBucket[] = [];
    const totals = noRefusals();
    let uses = 0;
    for (let i = 0; i < buckets; i++) {
      const start = first + i * period;
      const row = rows.get(start);
      const refusals = row?.refusals ?? noRefusals();
      for (const r of REFUSAL_REASONS) totals[r] += refusals[r];
      uses += row?.uses ?? 0;
      series.push({ start: iso(start)!, uses: row?.uses ?? 0, refused: refusedOf(refusals), refusals });
    }
    return {
      id,
      name: token.name,
      ...(token.maxUses === null
        ? {}
        : { quota: { max_uses: token.maxUses, uses_remaining: usesRemainingAt(token, this.deps.clock()) ?? 0, refill: quotaRefillToWire(token.quotaRefill) } }),
      granularity,
      since: iso(first)!,
      until: iso(until)!,
      totals: { uses, refused: refusedOf(totals), refusals: totals },
      buckets: series,
      addresses: await this.deps.store.usageAddresses(id, first, until, TOP_ADDRESSES),
    };
  }

  async ranking(caller: Caller, q: UsageRankingQuery): Promise<UsageRanking> {
    requireScope(caller.token, NEEDS.readTokens);
    this.requireHistory();
    const { since, until } = this.span(q, DAY_MS);
    const top = q.top ?? 10;
    await this.recorder.flush();
    const [used, refused] = await Promise.all([this.deps.store.topUsage(since, until, 'uses', top), this.deps.store.topUsage(since, until, 'refused', top)]);
    const tokens = new Map((await this.deps.store.getTokensById([...new Set([...used, ...refused].map((t) => t.tokenId))])).map((t) => [t.id, t]));
    const now = this.deps.clock();
    const rank = (t: UsageTotals): UsageRank => {
      const token = tokens.get(t.tokenId);
      return {
        id: t.tokenId,
        name: token?.name ?? null,
        status: token ? effectiveStatus(token, now) : null,
        uses: t.uses,
        refused: refusedOf(t.refusals),
        refusals: t.refusals,
      };
    };
    return { since: iso(since)!, until: iso(until)!, most_used: used.map(rank), most_refused: refused.map(rank) };
  }

  /** Hours older than the hourly retention into days, days older than the daily one out, closed hours' addresses compacted. */
  async rollUp(): Promise<void> {
    if (!this.recorder.history) return;
    const now = this.deps.clock();
    const hour = now - (now % HOUR_MS);
    await this.deps.store.rollUpUsage({
      hoursBefore: now - this.retention.hourlyMs,
      daysBefore: now - this.retention.dailyMs,
      compactHours: { from: hour - COMPACTED_HOURS * HOUR_MS, to: hour },
      keepAddresses: TOP_ADDRESSES,
    });
  }
}
