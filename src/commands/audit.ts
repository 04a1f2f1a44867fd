// `tokens audit`: the audit log, oldest first, with filters.
import { defineCommand } from '../cli/define.js';
import { integer, text } from '../cli/options.js';
import type { AuditEvent } from '../api/client.js';
import { parsePointInPast } from '../input/duration.js';
import { UsageError } from '../cli/errors.js';
import type { Field, ListResult } from '../terminal/output.js';
import { resolveToken } from '../input/selectors.js';

const COLUMNS: Field<AuditEvent>[] = [
  { key: 'at', label: 'Time', value: (e) => e.at, kind: 'time' },
  { key: 'action', label: 'Action', value: (e) => e.action },
  { key: 'target', label: 'Target', value: (e) => e.target },
  { key: 'actor', label: 'Actor', value: (e) => e.actor },
  { key: 'reason', label: 'Reason', value: (e) => e.reason, flexible: true },
  { key: 'id', label: 'Event', value: (e) => e.id },
];

export default defineCommand({
  name: 'audit',
  summary: 'Read the audit log',
  description:
    'Prints audit events oldest first (the newest at the bottom). --token takes a selector (id, name, start\n' +
    'prefix); --target takes a raw target (a token id or scope name). --limit keeps the newest N.\n' +
    'Columns: time, action, target, actor, reason, event id.',
  examples: [
    'tokens audit --since 24h',
    'tokens audit --token ci-deploy',
    'tokens audit --action token.revoked --since 2027-01-01 --json',
    'tokens audit --limit 20',
  ],
  options: {
    token: text('--token <token>', 'events about this token (id, name or start prefix)', { completes: 'live-tokens' }),
    target: text('--target <target>', 'events about this target id or scope name'),
    actor: text('--actor <id>', 'events by this token id'),
    action: text('--action <action>', 'only this action, e.g. token.revoked'),
    since: text('--since <when>', 'from this long ago (24h, 7d) or this date'),
    until: text('--until <when>', 'up to this long ago or this date'),
    limit: integer('--limit <n>', 'only the newest N events', { min: 1 }),
  },
  async run(opts, ctx) {
    if (opts.token && opts.target) throw new UsageError('use either --token or --target');
    const now = ctx.clock();
    const since = opts.since ? parsePointInPast(opts.since, now, '--since') : undefined;
    const until = opts.until ? parsePointInPast(opts.until, now, '--until') : undefined;
    const api = await ctx.api();
    const target = opts.token ? (await resolveToken(api, opts.token)).id : opts.target;
    const query = { target, actor: opts.actor, action: opts.action, since, until };
    // The newest N: page newest-first on the server and stop after N, then show them oldest first.
    const events = opts.limit === undefined ? await api.listAudit(query) : (await api.listAudit({ ...query, order: 'desc' }, opts.limit)).reverse();
    const result: ListResult<AuditEvent> = {
      type: 'list',
      items: events,
      columns: COLUMNS,
      json: (e) => ({ ...e }),
      id: (e) => e.id,
      empty: 'No audit events match.',
    };
    return result;
  },
});
