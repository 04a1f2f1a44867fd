// The embedded store on node:sqlite (WAL). Statements are synchronous; transactions are serialised
// by a promise chain so that no other request's statements interleave with an open transaction.
import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { TOKEN_COLUMNS, tokenColumns, tokenFromColumns, type TokenColumn } from './token-columns.js';
import type {
  AuditFilter,
  AuditRecord,
  IdempotencyRecord,
  ScopeRecord,
  Store,
  StoreOps,
  TokenFilter,
  TokenRecord,
  UsageUpdate,
} from './types.js';

type Row = Record<string, SQLInputValue>;

/** Arrays and objects are stored as JSON text. */
const JSON_COLUMNS = new Set<TokenColumn>(['scopes', 'audiences', 'allowed_cidrs', 'rate_limit', 'metadata']);
const INTEGER_COLUMNS = new Set<TokenColumn>(['created_at', 'expires_at', 'last_used_at', 'use_count', 'revoked_at', 'pending_overlap_seconds', 'version', 'pepper_version']);

function tokenToRow(t: TokenRecord): Row {
  const row: Row = {};
  for (const [column, value] of Object.entries(tokenColumns(t)) as [TokenColumn, unknown][]) {
    row[column] = JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : (value as SQLInputValue);
  }
  return row;
}

function rowToToken(r: Record<string, unknown>): TokenRecord {
  const decoded = {} as Record<TokenColumn, unknown>;
  for (const column of TOKEN_COLUMNS) {
    const value = r[column];
    if (value === null || value === undefined) decoded[column] = null;
    else if (JSON_COLUMNS.has(column)) decoded[column] = JSON.parse(value as string);
    else if (INTEGER_COLUMNS.has(column)) decoded[column] = Number(value);
    else if (column === 'secret_hash') decoded[column] = Buffer.from(value as Uint8Array);
    else decoded[column] = value;
  }
  return tokenFromColumns(decoded);
}


function rowToAudit(r: Record<string, unknown>): AuditRecord {
  return {
    id: r.id as string,
    at: Number(r.at),
    actor: (r.actor as string | null) ?? null,
    actorIp: (r.actor_ip as string | null) ?? null,
    action: r.action as string,
    target: (r.target as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    details: JSON.parse(r.details as string),
  };
}

/** SQL fragments shared by the list query; `expired` is derived from expires_at, never stored. */
function statusCondition(statuses: TokenFilter['statuses']): string {
  if (!statuses?.length) return '1 = 1';
  return `(${statuses.map((s) => `(${oneStatusCondition(s)})`).join(' OR ')})`;
}

function oneStatusCondition(status: NonNullable<TokenFilter['statuses']>[number]): string {
  switch (status) {
    case 'active':
      return "status = 'active' AND (expires_at IS NULL OR expires_at > $now)";
    case 'suspended':
      return "status = 'suspended' AND (expires_at IS NULL OR expires_at > $now)";
    case 'revoked':
      return "status = 'revoked'";
    case 'expired':
      return "status <> 'revoked' AND expires_at IS NOT NULL AND expires_at <= $now";
  }
}

function escapeLike(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.db.exec('PRAGMA foreign_keys = ON');
  }

  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async migrate(): Promise<number> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const current = await this.schemaVersion();
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.db.exec(migration.sql);
        this.stmt('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
        this.db.exec('COMMIT');
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      }
    }
    return this.schemaVersion();
  }

  async schemaVersion(): Promise<number> {
    const row = this.stmt('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
    return Number(row.v);
  }

  transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
    const run = async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.db.isOpen) this.db.close();
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = this.stmt('SELECT * FROM tokens WHERE id = ?').get(id);
    return row ? rowToToken(row) : null;
  }

  lockToken(id: string): Promise<TokenRecord | null> {
    // Transactions are already serialised (BEGIN IMMEDIATE under one queue).
    return this.getToken(id);
  }

  async getTokensByHash(hashes: Buffer[]): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    for (const hash of hashes) {
      const row = this.stmt('SELECT * FROM tokens WHERE secret_hash = ?').get(hash);
      if (row) out.push(rowToToken(row));
    }
    return out;
  }

  async findCurrentByName(name: string, now: number): Promise<TokenRecord[]> {
    const rows = this.stmt(
      `SELECT * FROM tokens WHERE name = $name AND status <> 'revoked' AND (expires_at IS NULL OR expires_at > $now)
       AND (rotated_to IS NULL OR rotated_to IN (SELECT id FROM tokens WHERE status = 'revoked'))`,
    ).all({ name, now });
    return rows.map(rowToToken);
  }

  async listTokens(f: TokenFilter): Promise<TokenRecord[]> {
    const where = [statusCondition(f.statuses)];
    const params: Row = { now: f.now, limit: f.limit };
    if (f.scope !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(tokens.scopes) WHERE json_each.value = $scope)');
      params.scope = f.scope;
    }
    if (f.name !== undefined) {
      where.push('name = $name');
      params.name = f.name;
    }
    if (f.namePrefix !== undefined) {
      where.push("name LIKE $namePrefix ESCAPE '\\'");
      params.namePrefix = `${escapeLike(f.namePrefix)}%`;
    }
    if (f.startPrefix !== undefined) {
      where.push("start LIKE $startPrefix ESCAPE '\\'");
      params.startPrefix = `${escapeLike(f.startPrefix)}%`;
    }
    if (f.expiresBefore !== undefined) {
      where.push('expires_at IS NOT NULL AND expires_at < $expiresBefore');
      params.expiresBefore = f.expiresBefore;
    }
    if (f.unusedSince !== undefined) {
      where.push('COALESCE(last_used_at, created_at) < $unusedSince');
      params.unusedSince = f.unusedSince;
    }
    if (f.createdBefore !== undefined) {
      where.push('created_at < $createdBefore');
      params.createdBefore = f.createdBefore;
    }
    if (f.afterId !== undefined) {
      where.push('id > $afterId');
      params.afterId = f.afterId;
    }
    const sql = `SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY id LIMIT $limit`;
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`$${k}`)));
    return this.stmt(sql).all(used).map(rowToToken);
  }

  async countTokens(): Promise<number> {
    return Number((this.stmt('SELECT COUNT(*) AS n FROM tokens').get() as { n: number }).n);
  }

  async countLiveTokensWithScope(scope: string, now: number): Promise<number> {
    const row = this.stmt(
      `SELECT COUNT(*) AS n FROM tokens WHERE status <> 'revoked' AND (expires_at IS NULL OR expires_at > $now)
       AND EXISTS (SELECT 1 FROM json_each(tokens.scopes) WHERE json_each.value = $scope)`,
    ).get({ scope, now }) as { n: number };
    return Number(row.n);
  }

  async insertToken(token: TokenRecord): Promise<void> {
    const cols = TOKEN_COLUMNS.join(', ');
    const vals = TOKEN_COLUMNS.map((c) => `$${c}`).join(', ');
    this.stmt(`INSERT INTO tokens (${cols}) VALUES (${vals})`).run(tokenToRow(token));
  }

  async updateToken(token: TokenRecord): Promise<void> {
    const sets = TOKEN_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = $${c}`).join(', ');
    this.stmt(`UPDATE tokens SET ${sets} WHERE id = $id`).run(tokenToRow(token));
  }

  async insertAudit(e: AuditRecord): Promise<void> {
    this.stmt(
      `INSERT INTO audit_events (id, at, actor, actor_ip, action, target, reason, request_id, details)
       VALUES ($id, $at, $actor, $actor_ip, $action, $target, $reason, $request_id, $details)`,
    ).run({
      id: e.id,
      at: e.at,
      actor: e.actor,
      actor_ip: e.actorIp,
      action: e.action,
      target: e.target,
      reason: e.reason,
      request_id: e.requestId,
      details: JSON.stringify(e.details),
    });
  }

  async listAudit(f: AuditFilter): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: Row = { limit: f.limit };
    const add = (cond: string, key: string, value: SQLInputValue | undefined) => {
      if (value === undefined) return;
      where.push(cond);
      params[key] = value;
    };
    add('target = $target', 'target', f.target);
    add('actor = $actor', 'actor', f.actor);
    add('action = $action', 'action', f.action);
    add('at >= $since', 'since', f.since);
    add('at < $until', 'until', f.until);
    add(f.newestFirst ? 'id < $afterId' : 'id > $afterId', 'afterId', f.afterId);
    const order = f.newestFirst ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${order} LIMIT $limit`;
    return this.stmt(sql).all(params).map(rowToAudit);
  }

  async listScopes(): Promise<ScopeRecord[]> {
    return this.stmt('SELECT * FROM scopes ORDER BY name').all().map((r) => ({
      name: r.name as string,
      description: r.description as string,
      createdAt: Number(r.created_at),
      createdBy: (r.created_by as string | null) ?? null,
    }));
  }

  async getScope(name: string): Promise<ScopeRecord | null> {
    const r = this.stmt('SELECT * FROM scopes WHERE name = ?').get(name);
    if (!r) return null;
    return { name: r.name as string, description: r.description as string, createdAt: Number(r.created_at), createdBy: (r.created_by as string | null) ?? null };
  }

  async insertScope(s: ScopeRecord): Promise<void> {
    this.stmt('INSERT INTO scopes (name, description, created_at, created_by) VALUES (?, ?, ?, ?)').run(s.name, s.description, s.createdAt, s.createdBy);
  }

  async deleteScope(name: string): Promise<void> {
    this.stmt('DELETE FROM scopes WHERE name = ?').run(name);
  }

  async getIdempotency(keyHash: Buffer): Promise<IdempotencyRecord | null> {
    const r = this.stmt('SELECT * FROM idempotency_keys WHERE key_hash = ?').get(keyHash);
    if (!r) return null;
    return {
      keyHash,
      callerId: r.caller_id as string,
      requestHash: Buffer.from(r.request_hash as Uint8Array),
      responseStatus: Number(r.response_status),
      responseBody: Buffer.from(r.response_body as Uint8Array),
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    };
  }

  async putIdempotency(r: IdempotencyRecord): Promise<void> {
    this.stmt(
      `INSERT OR REPLACE INTO idempotency_keys (key_hash, caller_id, request_hash, response_status, response_body, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.keyHash, r.callerId, r.requestHash, r.responseStatus, r.responseBody, r.createdAt, r.expiresAt);
  }

  async deleteExpiredIdempotency(now: number): Promise<number> {
    return Number(this.stmt('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now).changes);
  }

  async recordUsage(updates: UsageUpdate[]): Promise<void> {
    const s = this.stmt(
      `UPDATE tokens SET use_count = use_count + $uses,
         last_used_at = MAX(COALESCE(last_used_at, 0), $at),
         last_used_ip = CASE WHEN $at >= COALESCE(last_used_at, 0) THEN $ip ELSE last_used_ip END
       WHERE id = $id`,
    );
    for (const u of updates) s.run({ id: u.id, uses: u.uses, at: u.lastUsedAt, ip: u.lastUsedIp });
  }
}
