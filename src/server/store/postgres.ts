// The shared store on PostgreSQL (SPEC §7): several stateless server instances use one database.
// Transactions run at READ COMMITTED on one pooled client; where the service checks something and
// then writes on the strength of it (a name is free, a scope exists, an idempotency key is new, the
// store is empty), the check takes a transaction-scoped lock so that instances serialise exactly
// where SQLite's single writer would.
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { TOKEN_COLUMNS, tokenColumns, tokenFromColumns, type TokenColumn } from './token-columns.js';
import { ChangeFeed, DEFAULT_CHANGE_FEED_OPTIONS, publishTokenChanges, type ChangeFeedOptions } from './postgres-changes.js';
import type {
  AuditFilter,
  AuditRecord,
  ChangeHandlers,
  IdempotencyRecord,
  ScopeRecord,
  Store,
  StoreOps,
  TokenFilter,
  TokenRecord,
  UsageUpdate,
} from './types.js';

type Row = Record<string, any>;

/** How queries reach the database: the pool (autocommit) or the client of one open transaction. */
interface Session {
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult<Row>>;
  /** Present inside transaction(): ids of tokens it changed, published to the change feed at commit. */
  readonly changed?: Set<string>;
}

const INT8_OID = 20;

/** bigint columns hold epoch milliseconds and counters: numbers, refused rather than rounded if unsafe. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${text} does not fit a JavaScript number`);
  return n;
}

const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

// A deadlock (two transactions taking the same locks in different orders) or a serialisation
// failure aborts one transaction; it is safe to run again from the start.
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/** Stored text cannot contain NUL, so a lookup by such a value can only find nothing. */
const hasNul = (...values: (string | null | undefined)[]) => values.some((v) => typeof v === 'string' && v.includes('\0'));

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/** Arrays, objects and free text are stored as json (PostgreSQL text cannot hold NUL). */
const JSON_COLUMNS = new Set<TokenColumn>(['description', 'scopes', 'audiences', 'allowed_cidrs', 'rate_limit', 'metadata', 'revoke_reason']);

function tokenValues(t: TokenRecord): unknown[] {
  const byColumn = tokenColumns(t);
  return TOKEN_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? json(byColumn[c]) : byColumn[c]));
}

/** The driver has already parsed json and bigint columns. */
const rowToToken = (r: Row): TokenRecord => tokenFromColumns(r as Record<TokenColumn, unknown>);

function rowToAudit(r: Row): AuditRecord {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor ?? null,
    actorIp: r.actor_ip ?? null,
    action: r.action,
    target: r.target ?? null,
    reason: r.reason ?? null,
    requestId: r.request_id ?? null,
    details: r.details,
  };
}

function rowToScope(r: Row): ScopeRecord {
  return { name: r.name, description: r.description, createdAt: r.created_at, createdBy: r.created_by ?? null };
}

function escapeLike(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Builds positional parameters as a query is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function statusCondition(statuses: TokenFilter['statuses'], now: number, p: Params): string {
  if (!statuses?.length) return 'TRUE';
  return `(${statuses.map((s) => `(${oneStatusCondition(s, now, p)})`).join(' OR ')})`;
}

function oneStatusCondition(status: NonNullable<TokenFilter['statuses']>[number], now: number, p: Params): string {
  switch (status) {
    case 'active':
      return `status = 'active' AND (expires_at IS NULL OR expires_at > ${p.add(now)})`;
    case 'suspended':
      return `status = 'suspended' AND (expires_at IS NULL OR expires_at > ${p.add(now)})`;
    case 'revoked':
      return "status = 'revoked'";
    case 'expired':
      return `status <> 'revoked' AND expires_at IS NOT NULL AND expires_at <= ${p.add(now)}`;
  }
}

/** Every StoreOps method as SQL over a session; inside a transaction the session is its client. */
class PostgresOps implements StoreOps {
  constructor(protected readonly session: Session) {}

  private get inTransaction(): boolean {
    return this.session.changed !== undefined;
  }

  private query(sql: string, params?: unknown[]): Promise<pg.QueryResult<Row>> {
    return this.session.query(sql, params);
  }

  /** Serialises this transaction with every other one that takes the same key, until commit. */
  private async lockKey(key: string): Promise<void> {
    if (this.inTransaction) await this.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tokens:${key}`]);
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    if (hasNul(id)) return null;
    const { rows } = await this.query('SELECT * FROM tokens WHERE id = $1', [id]);
    return rows[0] ? rowToToken(rows[0]) : null;
  }

  async lockToken(id: string): Promise<TokenRecord | null> {
    if (hasNul(id)) return null;
    const { rows } = await this.query(`SELECT * FROM tokens WHERE id = $1${this.inTransaction ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? rowToToken(rows[0]) : null;
  }

  async getTokensByHash(hashes: Buffer[]): Promise<TokenRecord[]> {
    if (!hashes.length) return [];
    // Inside a transaction the caller reads in order to write (revoke by value): hold the rows.
    const { rows } = await this.query(
      `SELECT * FROM tokens WHERE secret_hash = ANY($1::bytea[]) ORDER BY id${this.inTransaction ? ' FOR UPDATE' : ''}`,
      [hashes],
    );
    const found = rows.map(rowToToken);
    return hashes.flatMap((h) => found.filter((t) => t.secretHash.equals(h)));
  }

  async findCurrentByName(name: string, now: number): Promise<TokenRecord[]> {
    if (hasNul(name)) return [];
    // A caller in a transaction is about to give this name out: no other instance may do the same
    // until this transaction ends, and the query below (a fresh snapshot) sees what they committed.
    await this.lockKey(`name:${name}`);
    const { rows } = await this.query(
      `SELECT * FROM tokens WHERE name = $1 AND status <> 'revoked' AND (expires_at IS NULL OR expires_at > $2)
       AND (rotated_to IS NULL OR rotated_to IN (SELECT id FROM tokens WHERE status = 'revoked'))
       ORDER BY id`,
      [name, now],
    );
    return rows.map(rowToToken);
  }

  async listTokens(f: TokenFilter): Promise<TokenRecord[]> {
    if (hasNul(f.scope, f.name, f.namePrefix, f.startPrefix, f.afterId)) return [];
    const p = new Params();
    const where = [statusCondition(f.statuses, f.now, p)];
    if (f.scope !== undefined) where.push(`scopes @> jsonb_build_array(${p.add(f.scope)}::text)`);
    if (f.name !== undefined) where.push(`name = ${p.add(f.name)}`);
    if (f.namePrefix !== undefined) where.push(`name LIKE ${p.add(`${escapeLike(f.namePrefix)}%`)} ESCAPE '\\'`);
    if (f.startPrefix !== undefined) where.push(`start LIKE ${p.add(`${escapeLike(f.startPrefix)}%`)} ESCAPE '\\'`);
    if (f.expiresBefore !== undefined) where.push(`expires_at IS NOT NULL AND expires_at < ${p.add(f.expiresBefore)}`);
    if (f.unusedSince !== undefined) where.push(`COALESCE(last_used_at, created_at) < ${p.add(f.unusedSince)}`);
    if (f.createdBefore !== undefined) where.push(`created_at < ${p.add(f.createdBefore)}`);
    if (f.afterId !== undefined) where.push(`id > ${p.add(f.afterId)}`);
    const { rows } = await this.query(`SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${p.add(f.limit)}`, p.values);
    return rows.map(rowToToken);
  }

  async countTokens(): Promise<number> {
    // In a transaction this is the first-start check ("is the store empty?"): instances starting
    // together must not each bootstrap.
    await this.lockKey('count');
    const { rows } = await this.query('SELECT COUNT(*) AS n FROM tokens');
    return rows[0]!.n;
  }

  async countLiveTokensWithScope(scope: string, now: number): Promise<number> {
    if (hasNul(scope)) return 0;
    const { rows } = await this.query(
      `SELECT COUNT(*) AS n FROM tokens WHERE status <> 'revoked' AND (expires_at IS NULL OR expires_at > $2)
       AND scopes @> jsonb_build_array($1::text)`,
      [scope, now],
    );
    return rows[0]!.n;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    const placeholders = TOKEN_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    await this.query(`INSERT INTO tokens (${TOKEN_COLUMNS.join(', ')}) VALUES (${placeholders})`, tokenValues(token));
  }

  async updateToken(token: TokenRecord): Promise<void> {
    const sets = TOKEN_COLUMNS.map((c, i) => `${c} = $${i + 1}`).filter((_, i) => i > 0).join(', ');
    await this.query(`UPDATE tokens SET ${sets} WHERE id = $1`, tokenValues(token));
    this.session.changed?.add(token.id);
  }

  async insertAudit(e: AuditRecord): Promise<void> {
    await this.query(
      `INSERT INTO audit_events (id, at, actor, actor_ip, action, target, reason, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.id, e.at, e.actor, e.actorIp, e.action, e.target, json(e.reason), e.requestId, json(e.details)],
    );
  }

  async listAudit(f: AuditFilter): Promise<AuditRecord[]> {
    if (hasNul(f.target, f.actor, f.action, f.afterId)) return [];
    const p = new Params();
    const where: string[] = [];
    if (f.target !== undefined) where.push(`target = ${p.add(f.target)}`);
    if (f.actor !== undefined) where.push(`actor = ${p.add(f.actor)}`);
    if (f.action !== undefined) where.push(`action = ${p.add(f.action)}`);
    if (f.since !== undefined) where.push(`at >= ${p.add(f.since)}`);
    if (f.until !== undefined) where.push(`at < ${p.add(f.until)}`);
    if (f.afterId !== undefined) where.push(`id ${f.newestFirst ? '<' : '>'} ${p.add(f.afterId)}`);
    const order = f.newestFirst ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${order} LIMIT ${p.add(f.limit)}`;
    const { rows } = await this.query(sql, p.values);
    return rows.map(rowToAudit);
  }

  async listScopes(): Promise<ScopeRecord[]> {
    const { rows } = await this.query('SELECT * FROM scopes ORDER BY name');
    return rows.map(rowToScope);
  }

  async getScope(name: string): Promise<ScopeRecord | null> {
    if (hasNul(name)) return null;
    // In a transaction the answer is acted on (create the scope, grant it, delete it): keep it true.
    await this.lockKey(`scope:${name}`);
    const { rows } = await this.query('SELECT * FROM scopes WHERE name = $1', [name]);
    return rows[0] ? rowToScope(rows[0]) : null;
  }

  async insertScope(s: ScopeRecord): Promise<void> {
    await this.query('INSERT INTO scopes (name, description, created_at, created_by) VALUES ($1, $2, $3, $4)', [
      s.name,
      json(s.description),
      s.createdAt,
      s.createdBy,
    ]);
  }

  async deleteScope(name: string): Promise<void> {
    if (hasNul(name)) return;
    await this.query('DELETE FROM scopes WHERE name = $1', [name]);
  }

  async getIdempotency(keyHash: Buffer): Promise<IdempotencyRecord | null> {
    // The same key arriving at two instances at once: the second waits, then replays the first.
    await this.lockKey(`idempotency:${keyHash.toString('hex')}`);
    const { rows } = await this.query('SELECT * FROM idempotency_keys WHERE key_hash = $1', [keyHash]);
    const r = rows[0];
    if (!r) return null;
    return {
      keyHash,
      callerId: r.caller_id,
      requestHash: r.request_hash,
      responseStatus: r.response_status,
      responseBody: r.response_body,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    };
  }

  async putIdempotency(r: IdempotencyRecord): Promise<void> {
    await this.query(
      `INSERT INTO idempotency_keys (key_hash, caller_id, request_hash, response_status, response_body, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key_hash) DO UPDATE SET caller_id = EXCLUDED.caller_id, request_hash = EXCLUDED.request_hash,
         response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
      [r.keyHash, r.callerId, r.requestHash, r.responseStatus, r.responseBody, r.createdAt, r.expiresAt],
    );
  }

  async deleteExpiredIdempotency(now: number): Promise<number> {
    return (await this.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async recordUsage(updates: UsageUpdate[]): Promise<void> {
    // One row per token (a batch may name one twice), rows locked in id order so two instances
    // flushing overlapping batches queue instead of deadlocking.
    const merged = new Map<string, UsageUpdate>();
    for (const u of updates) {
      const prev = merged.get(u.id);
      if (!prev) merged.set(u.id, { ...u });
      else {
        prev.uses += u.uses;
        if (u.lastUsedAt >= prev.lastUsedAt) Object.assign(prev, { lastUsedAt: u.lastUsedAt, lastUsedIp: u.lastUsedIp });
      }
    }
    if (!merged.size) return;
    const batch = [...merged.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const ids = batch.map((u) => u.id);
    await this.query('SELECT id FROM tokens WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
    await this.query(
      `UPDATE tokens SET use_count = use_count + u.uses,
         last_used_at = GREATEST(COALESCE(last_used_at, 0), u.at),
         last_used_ip = CASE WHEN u.at >= COALESCE(last_used_at, 0) THEN u.ip ELSE last_used_ip END
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS u(id, uses, at, ip)
       WHERE tokens.id = u.id`,
      [ids, batch.map((u) => u.uses), batch.map((u) => u.lastUsedAt), batch.map((u) => u.lastUsedIp)],
    );
  }
}

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  changeFeed?: Partial<ChangeFeedOptions>;
}

export class PostgresStore extends PostgresOps implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly feeds = new Set<ChangeFeed>();

  constructor(
    private readonly connectionString: string,
    private readonly options: PostgresStoreOptions = {},
  ) {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      types: TYPES,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'tokens',
    });
    // An idle client losing its connection (database restart) is dropped from the pool; the next
    // query opens a new one. Without a listener the error would crash the process.
    pool.on('error', () => undefined);
    super({ query: (sql, params) => pool.query(sql, params) });
    this.pool = pool;
  }

  async migrate(): Promise<number> {
    const client = await this.pool.connect();
    try {
      // Session-level lock: instances starting together wait here, then find nothing left to do.
      await client.query("SELECT pg_advisory_lock(hashtextextended('tokens:migrate', 0))");
      try {
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
        const { rows } = await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
        const current = Number(rows[0].v);
        for (const migration of POSTGRES_MIGRATIONS) {
          if (migration.version <= current) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
            await client.query('COMMIT');
          } catch (err) {
            await client.query('ROLLBACK');
            throw err;
          }
        }
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended('tokens:migrate', 0))");
      }
    } finally {
      client.release();
    }
    return this.schemaVersion();
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    return Number(rows[0].v);
  }

  async transaction<T>(fn: (tx: StoreOps) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const changed = new Set<string>();
      let open = true;
      const session: Session = {
        changed,
        query: (sql, params) => {
          if (!open) return Promise.reject(new Error('the transaction has already ended'));
          return client.query(sql, params);
        },
      };
      try {
        await client.query('BEGIN');
        const result = await fn(new PostgresOps(session));
        if (changed.size) await publishTokenChanges(client, [...changed]);
        await client.query('COMMIT');
        open = false;
        client.release();
        return result;
      } catch (err) {
        open = false;
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        // A client whose connection failed mid-transaction is discarded, not reused.
        client.release(rolledBack ? undefined : true);
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
          continue;
        }
        throw err;
      }
    }
  }

  // Outside a transaction these still need one: the change feed is written at commit, and usage
  // locks its rows first.
  override updateToken(token: TokenRecord): Promise<void> {
    return this.transaction((tx) => tx.updateToken(token));
  }

  override recordUsage(updates: UsageUpdate[]): Promise<void> {
    return this.transaction((tx) => tx.recordUsage(updates));
  }

  watchChanges(handlers: ChangeHandlers): () => Promise<void> {
    const feed = new ChangeFeed(
      this.pool,
      () => {
        return new pg.Client({
          connectionString: this.connectionString,
          types: TYPES,
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          application_name: 'tokens-listen',
        });
      },
      handlers,
      { ...DEFAULT_CHANGE_FEED_OPTIONS, ...this.options.changeFeed },
    );
    this.feeds.add(feed);
    feed.start();
    return async () => {
      this.feeds.delete(feed);
      await feed.stop();
    };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([...this.feeds].map((feed) => feed.stop()));
    this.feeds.clear();
    if (!this.pool.ended) await this.pool.end();
  }
}

export function openPostgresStore(url: string, options?: PostgresStoreOptions): Store {
  return new PostgresStore(url, options);
}
