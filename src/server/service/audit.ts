// Reading the audit log (GET /v1/audit). Events are written only through audit-writer.ts.
import type { AuditPage, ListAuditQuery } from '../../shared/schemas.js';
import { NEEDS, requireScope } from './authz.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { decodeCursor, encodeCursor, parseTimestamp } from './list-query.js';
import { auditToWire } from './wire.js';

const EVENT_ID_RE = /^evt_[0-9a-hjkmnp-tv-z]{26}$/;

export class AuditService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(caller: Caller, q: ListAuditQuery): Promise<AuditPage> {
    requireScope(caller.token, NEEDS.readAudit);
    const limit = q.limit ?? 100;
    const rows = await this.deps.store.listAudit({
      target: q.target,
      actor: q.actor,
      action: q.action,
      since: parseTimestamp(q.since, 'since'),
      until: parseTimestamp(q.until, 'until'),
      afterId: q.cursor === undefined ? undefined : decodeCursor(q.cursor, EVENT_ID_RE),
      newestFirst: q.order === 'desc',
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return { data: page.map(auditToWire), next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
  }
}
