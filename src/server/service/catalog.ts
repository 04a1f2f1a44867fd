// The custom scope catalog, the audit log reader and the export: the management-side reads.
import { BUILTIN_SCOPES, SCHEMA_VERSION, type AuditPage, type Export, type Scope, type ScopeListResponse } from '../../shared/schemas.js';
import { newId } from '../../shared/ids.js';
import { DomainError } from './errors.js';
import { BUILTIN_SCOPE_DESCRIPTIONS, isBuiltinScope, requireScope } from './authz.js';
import type { Caller, ServiceDeps } from './context.js';
import { decodeCursor, encodeCursor, parseTimestamp } from './tokens.js';
import { auditToWire, scopeToWire, tokenToWire } from './wire.js';

const EVENT_ID_RE = /^evt_[0-9a-hjkmnp-tv-z]{26}$/;

export interface ListAuditInput {
  target?: string;
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

export class CatalogService {
  constructor(private readonly deps: ServiceDeps) {}

  private auditEvent(caller: Caller, action: string, target: string, details: Record<string, unknown>) {
    const at = this.deps.clock();
    return { id: newId('evt', at), at, actor: caller.token.id, actorIp: caller.ip, action, target, reason: null, requestId: caller.requestId, details };
  }

  async listScopes(caller: Caller): Promise<ScopeListResponse> {
    requireScope(caller.token, ['tokens:read']);
    const builtin = BUILTIN_SCOPES.map((name) => scopeToWire({ name, description: BUILTIN_SCOPE_DESCRIPTIONS[name], builtin: true }));
    const custom = (await this.deps.store.listScopes()).map(scopeToWire);
    return { data: [...builtin, ...custom] };
  }

  async createScope(caller: Caller, name: string, description = ''): Promise<Scope> {
    requireScope(caller.token, ['management']);
    if (isBuiltinScope(name)) throw DomainError.conflict('scope_exists', `${name} is a built-in scope`);
    return this.deps.store.transaction(async (tx) => {
      if (await tx.getScope(name)) throw DomainError.conflict('scope_exists', `scope ${name} already exists`);
      const record = { name, description, createdAt: this.deps.clock(), createdBy: caller.token.id };
      await tx.insertScope(record);
      await tx.insertAudit(this.auditEvent(caller, 'scope.created', name, { description }));
      return scopeToWire(record);
    });
  }

  async deleteScope(caller: Caller, name: string): Promise<void> {
    requireScope(caller.token, ['management']);
    if (isBuiltinScope(name)) throw DomainError.conflict('scope_builtin', `${name} is a built-in scope and cannot be removed`);
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.getScope(name))) throw DomainError.notFound(`scope ${name}`);
      const holders = await tx.countLiveTokensWithScope(name, this.deps.clock());
      if (holders) throw DomainError.conflict('scope_in_use', `scope ${name} is held by ${holders} live token(s); remove it from them first`);
      await tx.deleteScope(name);
      await tx.insertAudit(this.auditEvent(caller, 'scope.deleted', name, {}));
    });
  }

  async listAudit(caller: Caller, q: ListAuditInput): Promise<AuditPage> {
    requireScope(caller.token, ['audit:read']);
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

  async export(caller: Caller): Promise<Export> {
    requireScope(caller.token, ['management']);
    const now = this.deps.clock();
    const tokens = [];
    let afterId: string | undefined;
    for (;;) {
      const batch = await this.deps.store.listTokens({ now, afterId, limit: 1000 });
      tokens.push(...batch.map((t) => tokenToWire(t, now)));
      if (batch.length < 1000) break;
      afterId = batch[batch.length - 1]!.id;
    }
    const scopes = (await this.listScopes(caller)).data;
    await this.deps.store.transaction((tx) => tx.insertAudit(this.auditEvent(caller, 'tokens.exported', 'export', { tokens: tokens.length })));
    return { schema_version: SCHEMA_VERSION, exported_at: new Date(now).toISOString(), tokens, scopes };
  }
}
