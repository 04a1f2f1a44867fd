// `tokens audit`: the audit log, oldest first, with filters.
import { defineCommand } from '../cli/define.js';
import type { AuditEvent } from '../api/client.js';
import { parsePointInPast } from '../input/duration.js';
import { UsageError } from '../cli/errors.js';
import type { Field, ListResult } from '../terminal/output.js';
import { resolveToken } from '../input/selectors.js';

interface AuditOpts {
  token?: string;
  target?: string;
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
  limit?: string;
}

const COLUMNS: Field<AuditEvent>[] = [
  { key: 'at', label: 'Time', value: (e) => e.at, kind: 'time' },
  { key: 'action', label: 'Action', value: (e) => e.action },
  { key: 'target', label: 'Target', value: (e) => e.target },
  { key: 'actor', label: 'Actor', value: (e) => e.actor },
  { key: 'reason', label: 'Reason', value: (e) => e.reason, flexible: true },
  { key: 'id', label: 'Event', value: (e) => e.id },
];

export default defineCommand<AuditOpts>({
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
  options: [
    { flags: '--token <token>', description: 'events about this token (id, name or start prefix)' },
    { flags: '--target <target>', description: 'events about this target id or scope name' },
    { flags: '--actor <id>', description: 'events by this token id' },
    { flags: '--action <action>', description: 'only this action, e.g. token.revoked' },
    { flags: '--since <when>', description: 'from this long ago (24h, 7d) or this date' },
    { flags: '--until <when>', description: 'up to this long ago or this date' },
    { flags: '--limit <n>', description: 'only the newest N events' },
  ],
  async run(opts, ctx) {
    if (opts.token && opts.target) throw new UsageError('use either --token or --target');
    const limit = opts.limit === undefined ? undefined : Number(opts.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive whole number, not "${opts.limit}"`);
    const now = ctx.clock();
    const since = opts.since ? parsePointInPast(opts.since, now, '--since') : undefined;
    const until = opts.until ? parsePointInPast(opts.until, now, '--until') : undefined;
    const api = await ctx.api();
    const target = opts.token ? (await resolveToken(api, opts.token)).id : opts.target;
    const query = { target, actor: opts.actor, action: opts.action, since, until };
    // The newest N: page newest-first on the server and stop after N, then show them oldest first.
    const events = limit === undefined ? await api.listAudit(query) : (await api.listAudit({ ...query, order: 'desc' }, limit)).reverse();
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
