// `tokens usage`: one token's usage history (admitted calls and refusals by hour or day, its most
// frequent client addresses), or with --top the most used / most refused tokens.
import { defineCommand } from '../cli/define.js';
import { choice, integer, optionalArgument, text } from '../cli/options.js';
import { UsageError } from '../cli/errors.js';
import type { TokenUsage, UsageRanking } from '../api/client.js';
import { parsePointInPast } from '../input/duration.js';
import { resolveToken } from '../input/selectors.js';
import type { Field, ListResult } from '../terminal/output.js';
import { sparkline } from '../terminal/sparkline.js';
import { REFUSAL_REASONS, USAGE_GRANULARITIES, type RefusalReason } from '../shared/wire-constants.js';

type Bucket = TokenUsage['buckets'][number];
type Rank = UsageRanking['most_used'][number];

const REASON_LABELS: Record<RefusalReason, string> = {
  revoked: 'Revoked',
  suspended: 'Suspended',
  expired: 'Expired',
  ip: 'IP',
  audience: 'Audience',
  scope: 'Scope',
  rate_limited: 'Rate limited',
  usage_exceeded: 'Usage exceeded',
};

const BUCKET_COLUMNS: Field<Bucket>[] = [
  { key: 'start', label: 'Start', value: (b) => b.start, kind: 'clock' },
  { key: 'uses', label: 'Uses', value: (b) => b.uses },
  { key: 'refused', label: 'Refused', value: (b) => b.refused },
  ...REFUSAL_REASONS.map((r): Field<Bucket> => ({ key: r, label: REASON_LABELS[r], value: (b) => b.refusals[r] })),
];

const RANK_COLUMNS: Field<Rank>[] = [
  { key: 'id', label: 'ID', value: (t) => t.id },
  { key: 'name', label: 'Name', value: (t) => t.name, flexible: true },
  { key: 'status', label: 'Status', value: (t) => t.status, kind: 'status' },
  { key: 'uses', label: 'Uses', value: (t) => t.uses },
  { key: 'refused', label: 'Refused', value: (t) => t.refused },
];

const count = (n: number) => n.toLocaleString('en');

/** "scope 10, ip 2": the reasons that occurred, most first. */
function reasons(refusals: Record<RefusalReason, number>): string {
  return REFUSAL_REASONS.filter((r) => refusals[r])
    .sort((a, b) => refusals[b] - refusals[a])
    .map((r) => `${r} ${count(refusals[r])}`)
    .join(', ');
}

function seriesResult(usage: TokenUsage, columns: number): ListResult<Bucket> {
  const width = Math.max(10, columns - 24);
  const { totals } = usage;
  const banner = [
    `${usage.name} (${usage.id}), by ${usage.granularity}, ${usage.since.slice(0, 16).replace('T', ' ')} → ${usage.until.slice(0, 16).replace('T', ' ')} UTC`,
    `  uses     ${sparkline(usage.buckets.map((b) => b.uses), width)}  ${count(totals.uses)}`,
    `  refused  ${sparkline(usage.buckets.map((b) => b.refused), width)}  ${count(totals.refused)}${totals.refused ? ` (${reasons(totals.refusals)})` : ''}`,
    ...(usage.quota
      ? [`  quota    ${count(usage.quota.uses_remaining)} of ${count(usage.quota.max_uses)} uses left${usage.quota.refill ? ` (refills ${count(usage.quota.refill.amount)} every ${usage.quota.refill.every} s)` : ''}`]
      : []),
    ...(usage.addresses.length
      ? [`  from     ${usage.addresses.map((a) => `${a.address} (${count(a.uses)}${a.refused ? `, ${count(a.refused)} refused` : ''})`).join(', ')}`]
      : []),
    '',
  ];
  return {
    type: 'list',
    items: usage.buckets,
    columns: BUCKET_COLUMNS,
    json: (b) => ({ ...b }),
    id: (b) => b.start,
    empty: 'No usage in that span.',
    meta: { id: usage.id, name: usage.name, granularity: usage.granularity, since: usage.since, until: usage.until, totals, addresses: usage.addresses },
    banner,
  };
}

function rankingResult(ranking: UsageRanking, by: 'uses' | 'refused'): ListResult<Rank> {
  const items = by === 'uses' ? ranking.most_used : ranking.most_refused;
  return {
    type: 'list',
    items,
    columns: RANK_COLUMNS,
    json: (t) => ({ ...t }),
    id: (t) => t.id,
    empty: by === 'uses' ? 'No token was used in that span.' : 'No token was refused in that span.',
    meta: { since: ranking.since, until: ranking.until, by },
    banner: [`Most ${by === 'uses' ? 'used' : 'refused'} tokens, ${ranking.since.slice(0, 16).replace('T', ' ')} → ${ranking.until.slice(0, 16).replace('T', ' ')} UTC`, ''],
  };
}

export default defineCommand({
  name: 'usage',
  summary: "A token's usage history, or the most used and most refused tokens",
  description:
    'With a token: its admitted calls and refusals (revoked, suspended, expired, ip, audience, scope,\n' +
    'rate_limited) per hour or day, every period in the span listed (empty ones too), and its most frequent\n' +
    'client addresses. On a terminal a sparkline sums it up; piped, one tab-separated line per period:\n' +
    'start, uses, refused, then one column per refusal reason. With --top N: the N most used tokens\n' +
    '(--by refused: the most refused). Times are UTC. --json: {data: [periods], id, name, granularity,\n' +
    'since, until, totals, addresses}; with --top, {data: [tokens], since, until, by}.',
  examples: [
    'tokens usage ci-deploy',
    'tokens usage ci-deploy --since 30d --granularity day',
    'tokens usage ci-deploy --since 2027-03-01 --until 2027-03-02 --json',
    'tokens usage --top 10',
    'tokens usage --top 10 --by refused --since 7d',
  ],
  arguments: { token: optionalArgument('id, name or start prefix (leave out with --top)', { completes: 'live-tokens' }) },
  options: {
    since: text('--since <when>', 'from this long ago (24h, 30d) or this date (default: 24h, or 30d by day)'),
    until: text('--until <when>', 'up to this long ago or this date (default: now)'),
    granularity: choice('--granularity <unit>', USAGE_GRANULARITIES, 'hour or day (default: hour for up to 3 recent days, else day)'),
    top: integer('--top <n>', 'list the N most used tokens instead of one token’s history', { min: 1, max: 100 }),
    by: choice('--by <what>', ['uses', 'refused'] as const, 'with --top: rank by uses or by refusals', { default: 'uses' }),
  },
  async run(opts, ctx) {
    const now = ctx.clock();
    const since = opts.since ? parsePointInPast(opts.since, now, '--since') : undefined;
    const until = opts.until ? parsePointInPast(opts.until, now, '--until') : undefined;
    if (opts.top !== undefined) {
      if (opts.token !== undefined) throw new UsageError('use either a token or --top, not both');
      if (opts.granularity) throw new UsageError('--granularity applies to one token’s history, not to --top');
      return rankingResult(await (await ctx.api()).usageRanking({ top: opts.top, since, until }), opts.by);
    }
    if (opts.token === undefined) throw new UsageError('name a token, or use --top N for the most used tokens');
    const api = await ctx.api();
    const token = await resolveToken(api, opts.token);
    return seriesResult(await api.tokenUsage(token.id, { since, until, granularity: opts.granularity }), ctx.io.columns);
  },
});
