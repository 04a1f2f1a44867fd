// Every statement the stores run, written once for both engines over a session: the autocommit one,
// or a transaction's. Where a transaction reads in order to write, it locks what it read (rows where
// the engine locks rows, keys where the check is about rows that do not exist yet), so that server
// instances sharing a database serialise exactly where SQLite's single writer would.
import { AUDIT_FIELDS, IDEMPOTENCY_FIELDS, POLICY_FIELDS, SCOPE_FIELDS, SESSION_FIELDS, TOKEN_FIELDS } from '../fields.js';
import type { DeliveryState, UsageGranularity } from '../../../shared/wire-constants.js';
import {
  EVERY_TOKEN,
  type AuditFilter,
  type AuditRecord,
  type DeliveryFilter,
  type DeliveryOutcome,
  type DeliveryRecord,
  type ExpiryCandidate,
  type IdempotencyRecord,
  type PolicyRecord,
  type QuotaRefillRecord,
  type RateLeaseGrant,
  type RateLeaseRequest,
  type ScopeRecord,
  type SessionRecord,
  type StoreOps,
  type TokenFilter,
  type TokenRecord,
  type UsageAddressRecord,
  type UsageCountRecord,
  type UsageRollup,
  type UsageTotals,
  type UsageUpdate,
  type UsesTaken,
  type WebhookRecord,
} from '../types.js';
import { insertSql, upsertSql, type Tables } from './columns.js';
import type { SqlSession } from './driver.js';
import * as rateLeases from './rate-leases.js';
import * as usage from './usage.js';
import * as webhooks from './webhooks.js';
import { Params, auditConditions, live, tokenConditions, tokenOrderBy, whereClause } from './where.js';

/** Stored keys never hold NUL (PostgreSQL text cannot): a lookup by such a value finds nothing. */
const hasNul = (...values: (string | null | undefined)[]) => values.some((v) => typeof v === 'string' && v.includes('\0'));

/** Usage rows per UPDATE, and the sizes a batch is padded to, so a statement cache holds a few shapes. */
const USAGE_ROWS_MAX = 512;
const usageShape = (n: number) => Math.min(USAGE_ROWS_MAX, 2 ** Math.ceil(Math.log2(n)));
/** Matches no token: fills a usage batch up to its shape. */
const NO_USAGE: readonly unknown[] = ['', 0, 0, null];

/** The lock key every claim of a name holds (shared) and a claim of many names holds alone. */
const ALL_NAMES = 'names';
/** Values bound in one `IN (…)` list, well under either engine's limit on parameters. */
const IN_LIST_MAX = 500;
/** Live at `now` (bound), and not superseded by a successor that is itself not revoked (a pending or overlapping rotation). */
const current = (now: string) => `${live(now)} AND (rotated_to IS NULL OR rotated_to IN (SELECT id FROM tokens WHERE status = 'revoked'))`;

const [TOKEN_KEY, ...TOKEN_REST] = TOKEN_FIELDS;
const INSERT_TOKEN = insertSql('tokens', TOKEN_FIELDS);
/**
 * The quota's count changes under concurrent verifies (takeUses) and is written only by the quota
 * statements: an update writing back the count it read would undo takes made in between.
 */
const QUOTA_STATE: ReadonlySet<string> = new Set(['usesRemaining', 'quotaRefilledAt']);
/** Indexes into a token's values (field order) of the columns updateToken writes. */
const TOKEN_MUTABLE = TOKEN_REST.map((f, i) => ({ f, i: i + 1 })).filter(({ f }) => !QUOTA_STATE.has(f.key));
/** Binds the mutable columns, then the id. */
const UPDATE_TOKEN = `UPDATE tokens SET ${TOKEN_MUTABLE.map(({ f }) => `${f.column} = ?`).join(', ')} WHERE ${TOKEN_KEY!.column} = ?`;
/** A quota's count after adding `?` (bound twice), never above max_uses. */
const USES_PLUS = 'CASE WHEN uses_remaining + ? > max_uses THEN max_uses ELSE uses_remaining + ? END';
/** Rounds of read-then-decrement a take tries before giving up (each lost round means the count fell). */
const TAKE_ATTEMPTS = 20;
const INSERT_AUDIT = insertSql('audit_events', AUDIT_FIELDS);
const INSERT_SCOPE = insertSql('scopes', SCOPE_FIELDS);
const INSERT_SESSION = insertSql('console_sessions', SESSION_FIELDS);
/** A session's columns under other names, so that one row can carry it and its token. */
const SESSION_ALIASES = SESSION_FIELDS.map((f) => [f.column, `s_${f.column}`] as const);
const SESSION_WITH_TOKEN = `SELECT t.*, ${SESSION_ALIASES.map(([column, alias]) => `s.${column} AS ${alias}`).join(', ')}
  FROM console_sessions s LEFT JOIN tokens t ON t.id = s.token_id WHERE s.id_hash = ?`;
const PUT_IDEMPOTENCY = upsertSql('idempotency_keys', IDEMPOTENCY_FIELDS);
const PUT_POLICY = upsertSql('policies', POLICY_FIELDS);

export class SqlQueries implements StoreOps {
  constructor(
    protected readonly session: SqlSession,
    protected readonly tables: Tables,
  ) {}

  /** Appended to a read that this transaction is about to write on. */
  private get forUpdate(): string {
    return this.session.inTransaction && this.tables.dialect.rowLocks ? ' FOR UPDATE' : '';
  }

  private async tokens(sql: string, params: readonly unknown[]): Promise<TokenRecord[]> {
    return (await this.session.all(sql, params)).map((r) => this.tables.tokens.fromRow(r));
  }

  // --- tokens ---

  async getToken(id: string): Promise<TokenRecord | null> {
    if (hasNul(id)) return null;
    return (await this.tokens('SELECT * FROM tokens WHERE id = ?', [id]))[0] ?? null;
  }

  async lockToken(id: string): Promise<TokenRecord | null> {
    if (hasNul(id)) return null;
    return (await this.tokens(`SELECT * FROM tokens WHERE id = ?${this.forUpdate}`, [id]))[0] ?? null;
  }

  /** One query for all the digests (one per pepper version); results in the order asked. */
  async getTokensByHash(hashes: Buffer[]): Promise<TokenRecord[]> {
    if (!hashes.length) return [];
    const p = new Params();
    // Inside a transaction the caller reads in order to write (revoke by value): hold the rows, in id order.
    const found = await this.tokens(`SELECT * FROM tokens WHERE secret_hash IN ${p.list(hashes)} ORDER BY id${this.forUpdate}`, p.values);
    return hashes.flatMap((h) => found.filter((t) => t.secretHash.equals(h)));
  }

  async findCurrentByName(name: string, now: number): Promise<TokenRecord[]> {
    if (hasNul(name)) return [];
    // A caller in a transaction is about to give this name out: no other instance may do the same
    // until this transaction ends, and the query below (a fresh snapshot) sees what they committed.
    // The shared hold on every name yields to an import, which claims many names at once.
    await this.session.lock(ALL_NAMES, true);
    await this.session.lock(`name:${name}`);
    return this.tokens(`SELECT * FROM tokens WHERE name = ? AND ${current('?')} ORDER BY id`, [name, now]);
  }

  async findCurrentByNames(names: string[], now: number): Promise<TokenRecord[]> {
    const wanted = [...new Set(names)].filter((n) => !hasNul(n));
    // One hold on every name instead of one per name (a restore may claim thousands).
    await this.session.lock(ALL_NAMES);
    const found: TokenRecord[] = [];
    for (let start = 0; start < wanted.length; start += IN_LIST_MAX) {
      const p = new Params();
      const list = p.list(wanted.slice(start, start + IN_LIST_MAX));
      found.push(...(await this.tokens(`SELECT * FROM tokens WHERE name IN ${list} AND ${current(p.add(now))}`, p.values)));
    }
    return found.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async listTokens(f: TokenFilter): Promise<TokenRecord[]> {
    if (hasNul(f.scope, f.name, f.namePrefix, f.startPrefix, f.owner, f.createdBy, f.afterId)) return [];
    const p = new Params();
    const where = whereClause(tokenConditions(f, p, this.tables.dialect));
    return this.tokens(`SELECT * FROM tokens ${where} ORDER BY ${tokenOrderBy(f.order)} LIMIT ${p.add(f.limit)}`, p.values);
  }

  async countTokens(): Promise<number> {
    // In a transaction this is the first-start check ("is the store empty?"): instances starting
    // together must not each bootstrap.
    await this.session.lock('count');
    const [row] = await this.session.all('SELECT COUNT(*) AS n FROM tokens');
    return Number(row!.n);
  }

  async countLiveTokensWithScope(scope: string, now: number): Promise<number> {
    if (hasNul(scope)) return 0;
    const [row] = await this.session.all(`SELECT COUNT(*) AS n FROM tokens WHERE ${live('?')} AND ${this.tables.dialect.scopeHeld('?')}`, [now, scope]);
    return Number(row!.n);
  }

  async insertToken(token: TokenRecord): Promise<void> {
    await this.session.run(INSERT_TOKEN, this.tables.tokens.values(token));
  }

  async updateToken(token: TokenRecord): Promise<void> {
    const values = this.tables.tokens.values(token);
    await this.session.run(UPDATE_TOKEN, [...TOKEN_MUTABLE.map(({ i }) => values[i]), values[0]]);
    this.session.changedTokens?.add(token.id);
  }

  // --- usage quotas: statements on their own, never in a transaction's read-then-write ---

  async takeUses(id: string, want: number, share: number, now: number): Promise<UsesTaken> {
    for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
      const [row] = await this.session.all('SELECT max_uses, quota_refill, uses_remaining, quota_refilled_at FROM tokens WHERE id = ?', [id]);
      if (!row || row.max_uses === null || row.uses_remaining === null) return { granted: 0, remaining: 0, nextRefillAt: null };
      const remaining = Number(row.uses_remaining);
      const refill = row.quota_refill === null ? null : (this.tables.dialect.codecs.json.decode(row.quota_refill) as QuotaRefillRecord);
      let nextRefillAt: number | null = null;
      if (refill !== null && row.quota_refilled_at !== null) {
        const refilledAt = Number(row.quota_refilled_at);
        const everyMs = refill.everySeconds * 1000;
        const periods = Math.floor((now - refilledAt) / everyMs);
        if (periods > 0) {
          // Whole periods only, once: of instances refilling at the same moment one matches.
          const added = Math.min(Number(row.max_uses), periods * refill.amount);
          await this.session.run(`UPDATE tokens SET uses_remaining = ${USES_PLUS}, quota_refilled_at = ? WHERE id = ? AND quota_refilled_at = ?`, [
            added,
            added,
            refilledAt + periods * everyMs,
            id,
            refilledAt,
          ]);
          continue;
        }
        nextRefillAt = refilledAt + everyMs;
      }
      if (remaining <= 0) return { granted: 0, remaining: 0, nextRefillAt };
      const uses = Math.max(1, Math.min(want, Math.floor(remaining / share)));
      // The one exact step: taken only while that many are left, whoever else takes at the same time.
      const [taken] = await this.session.all('UPDATE tokens SET uses_remaining = uses_remaining - ? WHERE id = ? AND uses_remaining >= ? RETURNING uses_remaining', [uses, id, uses]);
      if (taken) return { granted: uses, remaining: Number(taken.uses_remaining), nextRefillAt };
    }
    throw new Error(`the usage quota of ${id} kept changing under ${TAKE_ATTEMPTS} attempts to take from it`);
  }

  async returnUses(id: string, uses: number): Promise<void> {
    if (uses <= 0 || hasNul(id)) return;
    await this.session.run(`UPDATE tokens SET uses_remaining = ${USES_PLUS} WHERE id = ? AND uses_remaining IS NOT NULL AND max_uses IS NOT NULL`, [uses, uses, id]);
  }

  leaseRate(request: RateLeaseRequest): Promise<RateLeaseGrant> {
    return rateLeases.leaseRate(this.session, request);
  }

  returnRateLease(leaseId: string, used: number, now: number): Promise<void> {
    return rateLeases.returnRateLease(this.session, leaseId, used, now);
  }

  async setQuota(id: string, change: { remaining: number | null } | { adjust: number }, refilledAt: number | null): Promise<void> {
    if ('remaining' in change) {
      await this.session.run('UPDATE tokens SET uses_remaining = ?, quota_refilled_at = ? WHERE id = ?', [change.remaining, refilledAt, id]);
    } else {
      await this.session.run(
        'UPDATE tokens SET uses_remaining = CASE WHEN COALESCE(uses_remaining, 0) + ? < 0 THEN 0 ELSE COALESCE(uses_remaining, 0) + ? END, quota_refilled_at = ? WHERE id = ?',
        [change.adjust, change.adjust, refilledAt, id],
      );
    }
    this.session.changedTokens?.add(id);
  }

  async announceRestore(): Promise<void> {
    this.session.changedTokens?.add(EVERY_TOKEN);
  }

  async recordUsage(updates: UsageUpdate[]): Promise<void> {
    // One row per token (a batch may name one twice), in id order so that two instances flushing
    // overlapping batches lock their rows in the same order and queue instead of deadlocking.
    const merged = new Map<string, UsageUpdate>();
    for (const u of updates) {
      const prev = merged.get(u.id);
      if (!prev) merged.set(u.id, { ...u });
      else {
        prev.uses += u.uses;
        if (u.lastUsedAt >= prev.lastUsedAt) Object.assign(prev, { lastUsedAt: u.lastUsedAt, lastUsedIp: u.lastUsedIp });
      }
    }
    const batch = [...merged.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let start = 0; start < batch.length; start += USAGE_ROWS_MAX) {
      const chunk = batch.slice(start, start + USAGE_ROWS_MAX);
      if (this.forUpdate !== '') {
        const p = new Params();
        await this.session.all(`SELECT id FROM tokens WHERE id IN ${p.list(chunk.map((u) => u.id))} ORDER BY id${this.forUpdate}`, p.values);
      }
      const rows: unknown[][] = chunk.map((u) => [u.id, u.uses, u.lastUsedAt, u.lastUsedIp]);
      while (rows.length < usageShape(chunk.length)) rows.push([...NO_USAGE]);
      // The IN is for SQLite's planner: without it, a batch of 512 joins by scanning every token
      // (200 ms at 1,000,000 tokens, the event loop blocked) instead of looking each id up.
      const values = rows.map(() => '(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))').join(', ');
      await this.session.run(
        `WITH u (id, uses, at, ip) AS (VALUES ${values})
         UPDATE tokens SET use_count = use_count + u.uses,
           last_used_at = CASE WHEN u.at > COALESCE(last_used_at, 0) THEN u.at ELSE COALESCE(last_used_at, 0) END,
           last_used_ip = CASE WHEN u.at >= COALESCE(last_used_at, 0) THEN u.ip ELSE last_used_ip END
         FROM u WHERE tokens.id = u.id AND tokens.id IN (SELECT id FROM u)`,
        rows.flat(),
      );
    }
  }

  async getTokensById(ids: string[]): Promise<TokenRecord[]> {
    const wanted = ids.filter((id) => !hasNul(id));
    if (!wanted.length) return [];
    const p = new Params();
    return this.tokens(`SELECT * FROM tokens WHERE id IN ${p.list(wanted)} ORDER BY id`, p.values);
  }

  // --- usage history (./usage.ts) ---

  addUsage(counts: UsageCountRecord[], addresses: UsageAddressRecord[]): Promise<void> {
    return usage.addUsage(this.session, counts, addresses);
  }

  usageSeries(tokenId: string, granularity: UsageGranularity, since: number, until: number): Promise<UsageCountRecord[]> {
    if (hasNul(tokenId)) return Promise.resolve([]);
    return usage.usageSeries(this.session, tokenId, granularity, since, until);
  }

  usageAddresses(tokenId: string, since: number, until: number, limit: number) {
    if (hasNul(tokenId)) return Promise.resolve([]);
    return usage.usageAddresses(this.session, tokenId, since, until, limit);
  }

  topUsage(since: number, until: number, by: 'uses' | 'refused', limit: number): Promise<UsageTotals[]> {
    return usage.topUsage(this.session, since, until, by, limit);
  }

  rollUpUsage(rollup: UsageRollup): Promise<void> {
    return usage.rollUpUsage(this.session, rollup);
  }

  // --- webhooks and their deliveries (./webhooks.ts) ---

  insertWebhook(webhook: WebhookRecord): Promise<void> {
    return webhooks.insertWebhook(this.session, this.tables, webhook);
  }

  getWebhook(id: string): Promise<WebhookRecord | null> {
    if (hasNul(id)) return Promise.resolve(null);
    return webhooks.getWebhook(this.session, this.tables, id);
  }

  listWebhooks(): Promise<WebhookRecord[]> {
    return webhooks.listWebhooks(this.session, this.tables);
  }

  deleteWebhook(id: string): Promise<boolean> {
    if (hasNul(id)) return Promise.resolve(false);
    return webhooks.deleteWebhook(this.session, id);
  }

  insertDeliveries(deliveries: DeliveryRecord[]): Promise<void> {
    return webhooks.insertDeliveries(this.session, this.tables, deliveries);
  }

  claimDeliveries(now: number, leaseUntil: number, limit: number): Promise<DeliveryRecord[]> {
    return webhooks.claimDeliveries(this.session, this.tables, now, leaseUntil, limit);
  }

  finishDelivery(outcome: DeliveryOutcome): Promise<void> {
    return webhooks.finishDelivery(this.session, this.tables, outcome);
  }

  getDelivery(id: string): Promise<DeliveryRecord | null> {
    if (hasNul(id)) return Promise.resolve(null);
    return webhooks.getDelivery(this.session, this.tables, id);
  }

  listDeliveries(filter: DeliveryFilter): Promise<DeliveryRecord[]> {
    if (hasNul(filter.webhookId, filter.beforeId)) return Promise.resolve([]);
    return webhooks.listDeliveries(this.session, this.tables, filter);
  }

  countUndelivered(): Promise<Record<Exclude<DeliveryState, 'delivered'>, number>> {
    return webhooks.countUndelivered(this.session);
  }

  deleteOldDeliveries(before: number): Promise<number> {
    return webhooks.deleteOldDeliveries(this.session, before);
  }

  expiryCandidates(now: number, horizonMs: number, lookbackMs: number, limit: number): Promise<ExpiryCandidate[]> {
    return webhooks.expiryCandidates(this.session, this.tables, now, horizonMs, lookbackMs, limit);
  }

  insertExpiryNotice(tokenId: string, expiresAt: number, threshold: number, at: number): Promise<boolean> {
    return webhooks.insertExpiryNotice(this.session, tokenId, expiresAt, threshold, at);
  }

  // --- audit events ---

  async insertAudit(event: AuditRecord): Promise<void> {
    await this.session.run(INSERT_AUDIT, this.tables.audit.values(event));
  }

  async listAudit(f: AuditFilter): Promise<AuditRecord[]> {
    if (hasNul(f.target, f.actor, f.action, f.afterId)) return [];
    const p = new Params();
    const where = whereClause(auditConditions(f, p));
    const rows = await this.session.all(`SELECT * FROM audit_events ${where} ORDER BY id ${f.newestFirst ? 'DESC' : 'ASC'} LIMIT ${p.add(f.limit)}`, p.values);
    return rows.map((r) => this.tables.audit.fromRow(r));
  }

  // --- the scope catalog ---

  async listScopes(): Promise<ScopeRecord[]> {
    return (await this.session.all('SELECT * FROM scopes ORDER BY name')).map((r) => this.tables.scopes.fromRow(r));
  }

  async getScope(name: string): Promise<ScopeRecord | null> {
    if (hasNul(name)) return null;
    // In a transaction the answer is acted on (create the scope, grant it, delete it): keep it true.
    await this.session.lock(`scope:${name}`);
    const [row] = await this.session.all('SELECT * FROM scopes WHERE name = ?', [name]);
    return row ? this.tables.scopes.fromRow(row) : null;
  }

  async insertScope(scope: ScopeRecord): Promise<void> {
    await this.session.run(INSERT_SCOPE, this.tables.scopes.values(scope));
  }

  async deleteScope(name: string): Promise<void> {
    if (hasNul(name)) return;
    await this.session.run('DELETE FROM scopes WHERE name = ?', [name]);
  }

  // --- policies ---

  async listPolicies(): Promise<PolicyRecord[]> {
    return (await this.session.all('SELECT * FROM policies ORDER BY scope')).map((r) => this.tables.policies.fromRow(r));
  }

  async getPolicy(scope: string): Promise<PolicyRecord | null> {
    if (hasNul(scope)) return null;
    // In a transaction the answer is acted on (replace or remove it): keep it true.
    await this.session.lock(`policy:${scope}`);
    const [row] = await this.session.all('SELECT * FROM policies WHERE scope = ?', [scope]);
    return row ? this.tables.policies.fromRow(row) : null;
  }

  async putPolicy(policy: PolicyRecord): Promise<void> {
    await this.session.run(PUT_POLICY, this.tables.policies.values(policy));
  }

  async deletePolicy(scope: string): Promise<boolean> {
    if (hasNul(scope)) return false;
    return (await this.session.run('DELETE FROM policies WHERE scope = ?', [scope])) > 0;
  }

  // --- idempotency keys ---

  async getIdempotency(keyHash: Buffer): Promise<IdempotencyRecord | null> {
    // The same key arriving at two instances at once: the second waits, then replays the first.
    await this.session.lock(`idempotency:${keyHash.toString('hex')}`);
    const [row] = await this.session.all('SELECT * FROM idempotency_keys WHERE key_hash = ?', [keyHash]);
    return row ? this.tables.idempotency.fromRow(row) : null;
  }

  async putIdempotency(record: IdempotencyRecord): Promise<void> {
    await this.session.run(PUT_IDEMPOTENCY, this.tables.idempotency.values(record));
  }

  async deleteExpiredIdempotency(now: number): Promise<number> {
    return this.session.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [now]);
  }

  // --- console sessions ---

  async insertSession(session: SessionRecord): Promise<void> {
    await this.session.run(INSERT_SESSION, this.tables.sessions.values(session));
  }

  async getSessionWithToken(idHash: Buffer): Promise<{ session: SessionRecord; token: TokenRecord | null } | null> {
    const [row] = await this.session.all(SESSION_WITH_TOKEN, [idHash]);
    if (!row) return null;
    const session = this.tables.sessions.fromRow(Object.fromEntries(SESSION_ALIASES.map(([column, alias]) => [column, row[alias]])));
    return { session, token: row.id === null || row.id === undefined ? null : this.tables.tokens.fromRow(row) };
  }

  async sessionsOfTokens(tokenIds: readonly string[]): Promise<SessionRecord[]> {
    const ids = tokenIds.filter((id) => !hasNul(id));
    if (!ids.length) return [];
    const p = new Params();
    const rows = await this.session.all(`SELECT * FROM console_sessions WHERE token_id IN ${p.list(ids)}`, p.values);
    return rows.map((r) => this.tables.sessions.fromRow(r));
  }

  async touchSession(idHash: Buffer, lastSeenAt: number): Promise<void> {
    await this.session.run('UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?', [lastSeenAt, idHash, lastSeenAt]);
  }

  async endSession(idHash: Buffer, reason: string): Promise<void> {
    await this.session.run('UPDATE console_sessions SET ended_reason = ? WHERE id_hash = ? AND ended_reason IS NULL', [reason, idHash]);
  }

  async deleteSession(idHash: Buffer): Promise<void> {
    await this.session.run('DELETE FROM console_sessions WHERE id_hash = ?', [idHash]);
  }

  async deleteExpiredSessions(now: number, idleSince: number): Promise<number> {
    return this.session.run('DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at < ?', [now, idleSince]);
  }
}
