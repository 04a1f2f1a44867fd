// Token lifecycle rules (README, The API and Security model): create, read, update, scopes, rotate,
// suspend, resume, revoke.
// No HTTP and no SQL here: callers pass plain values, the store does the persisting.
import { generateSecret, parseSecret } from '../../shared/secret.js';
import { newId, TOKEN_ID_RE } from '../../shared/ids.js';
import type {
  CreateTokenBody,
  ListTokensQuery,
  LookupByValueResponse,
  PatchTokenBody,
  RevokeByValueResponse,
  RotateResponse,
  RotationOutcome,
  ScopesBody,
  Token,
  TokenPage,
  TokenWithSecret,
} from '../../shared/schemas.js';
import { DomainError } from './errors.js';
import { orderValue, type QuotaRefillRecord, type StoreOps, type TokenFilter, type TokenOrder, type TokenRecord } from '../store/types.js';
import { isBuiltinScope, NEEDS, requireHoldsAll, requireMayLoosen, requireScope } from './authz.js';
import { holds } from '../../shared/grants.js';
import { looseningsOf } from './loosening.js';
import type { Caller } from './caller.js';
import type { ServiceDeps } from './deps.js';
import { decodeCursor, decodeKeysetCursor, encodeCursor, encodeKeysetCursor, parseTimestamp } from './list-query.js';
import { normalizeCidr } from './cidr.js';
import { findTokenBySecret } from './authn.js';
import { Idempotency, type IdempotentResult } from './idempotency.js';
import { effectiveStatus, quotaRefillFromWire, rateLimitFromWire, tokenToWire, usesRemainingAt } from './wire.js';
import { RULES_OF_FIELD, type PolicyService } from './policies.js';

const { writeTokens: WRITE, revokeTokens: REVOKE, readTokens: READ, lookUpSecrets: LOOK_UP } = NEEDS;

export class TokenService {
  private readonly idempotency: Idempotency;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly policies: PolicyService,
  ) {
    this.idempotency = new Idempotency(deps);
  }

  private now(): number {
    return this.deps.clock();
  }

  private async mustGet(tx: StoreOps, id: string, lock = false): Promise<TokenRecord> {
    const token = TOKEN_ID_RE.test(id) ? await (lock ? tx.lockToken(id) : tx.getToken(id)) : null;
    if (!token) throw DomainError.notFound(`token ${id}`);
    return token;
  }

  private async assertKnownScopes(tx: StoreOps, scopes: string[]): Promise<void> {
    const unknown: string[] = [];
    for (const scope of scopes) if (!isBuiltinScope(scope) && !(await tx.getScope(scope))) unknown.push(scope);
    if (unknown.length) {
      throw DomainError.invalidInput(`unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (custom scopes must first be registered in the scope catalog)`, 'scopes');
    }
  }

  private async assertNameFree(tx: StoreOps, caller: Caller, name: string, exceptId?: string): Promise<void> {
    const holders = (await tx.findCurrentByName(name, this.now())).filter((t) => t.id !== exceptId);
    if (holders.length) throw DomainError.conflict('name_taken', `a live token named "${name}" already exists${this.idFor(caller, holders[0]!.id)}`);
  }

  /** " (tok_…)" to name another token in a message, for a caller who could read it anyway; else nothing. */
  private idFor(caller: Caller, id: string, shape = (x: string) => ` (${x})`): string {
    return holds(caller.token, 'tokens:read') ? shape(id) : '';
  }

  /** A change that loosens the token (see loosening.ts) needs every scope it has, and not from itself. */
  private requireMayApply(caller: Caller, before: TokenRecord, after: TokenRecord): void {
    const loosened = looseningsOf(before, after, this.now());
    if (loosened.length) requireMayLoosen(caller.token, before, 'loosen', loosened.join(', '));
  }

  private normalizeCidrs(cidrs: string[] | undefined): string[] | undefined {
    if (cidrs === undefined) return undefined;
    return cidrs.map((c, i) => {
      const normal = normalizeCidr(c);
      if (!normal) throw DomainError.invalidInput(`allowed_cidrs[${i}] is not an IPv4/IPv6 address or CIDR block`, `allowed_cidrs/${i}`);
      return normal;
    });
  }

  private futureExpiry(value: string | null | undefined): number | null | undefined {
    if (value === undefined || value === null) return value;
    const ms = parseTimestamp(value, 'expires_at')!;
    if (ms <= this.now()) throw DomainError.invalidInput('expires_at must be in the future', 'expires_at');
    return ms;
  }

  private committed(...ids: string[]): void {
    this.deps.changes.tokensChanged(ids);
  }

  private newSecret(): { secret: string; start: string; secretHash: Buffer; pepperVersion: number } {
    const secret = generateSecret(this.deps.secretPrefix);
    const { start } = parseSecret(secret, this.deps.secretPrefix)!;
    return { secret, start, secretHash: this.deps.peppers.digest(secret), pepperVersion: this.deps.peppers.current.version };
  }

  /** The first token of an empty store; no caller exists yet. */
  async bootstrap(): Promise<TokenWithSecret | null> {
    return this.deps.store.transaction(async (tx) => {
      if ((await tx.countTokens()) > 0) return null;
      const now = this.now();
      const fresh = this.newSecret();
      const token: TokenRecord = {
        ...blankToken(),
        id: newId('tok', now),
        name: 'bootstrap',
        description: 'created on first start; rotate or revoke it once you have your own tokens',
        scopes: ['management'],
        start: fresh.start,
        createdAt: now,
        secretHash: fresh.secretHash,
        pepperVersion: fresh.pepperVersion,
      };
      await tx.insertToken(token);
      await this.deps.audit.record(tx, null, { action: 'token.created', target: token.id, token, details: { name: token.name, scopes: token.scopes, bootstrap: true } });
      return { token: tokenToWire(token, now), secret: fresh.secret };
    });
  }

  async create(caller: Caller, input: CreateTokenBody, idempotencyKey?: string): Promise<IdempotentResult<TokenWithSecret>> {
    requireScope(caller.token, WRITE);
    requireHoldsAll(caller.token, input.scopes, 'granting these scopes');
    const allowedCidrs = this.normalizeCidrs(input.allowed_cidrs) ?? [];
    const expiresAt = this.futureExpiry(input.expires_at) ?? null;
    return this.idempotency.run(caller, idempotencyKey, 'create', input, async (tx) => {
      await this.assertKnownScopes(tx, input.scopes);
      await this.assertNameFree(tx, caller, input.name);
      const now = this.now();
      const fresh = this.newSecret();
      const token: TokenRecord = {
        ...blankToken(),
        id: newId('tok', now),
        name: input.name,
        description: input.description ?? '',
        scopes: input.scopes,
        audiences: input.audiences ?? [],
        allowedCidrs,
        rateLimit: rateLimitFromWire(input.rate_limit ?? null),
        ...newQuota(input.max_uses ?? null, quotaRefillFromWire(input.refill ?? null), now),
        metadata: input.metadata ?? {},
        owner: ownerOf(input.owner ?? null),
        start: fresh.start,
        createdAt: now,
        createdBy: caller.token.id,
        expiresAt,
        secretHash: fresh.secretHash,
        pepperVersion: fresh.pepperVersion,
      };
      await this.policies.check(tx, token);
      await tx.insertToken(token);
      await this.deps.audit.record(tx, caller, {
        action: 'token.created',
        target: token.id,
        token,
        details: { name: token.name, scopes: token.scopes, expires_at: input.expires_at ?? null, owner: token.owner },
      });
      return { status: 201, body: { token: tokenToWire(token, now), secret: fresh.secret } };
    });
  }

  async get(caller: Caller, id: string): Promise<Token> {
    requireScope(caller.token, READ);
    return tokenToWire(await this.mustGet(this.deps.store, id), this.now());
  }

  async list(caller: Caller, q: ListTokensQuery): Promise<TokenPage> {
    requireScope(caller.token, READ);
    const limit = q.limit ?? 100;
    const sort = q.sort ?? 'created_at';
    const descending = sort.startsWith('-');
    const by = sort.replace(/^-/, '');
    // Ids are sortable by creation time: the creation order is the order by id.
    const order: TokenOrder = { by: by === 'created_at' ? 'id' : (by as TokenOrder['by']), descending };
    const after = q.cursor === undefined ? undefined : order.by === 'id' ? { id: decodeCursor(q.cursor, TOKEN_ID_RE) } : decodeKeysetCursor(q.cursor, sort, TOKEN_ID_RE);
    const filter: TokenFilter = {
      now: this.now(),
      statuses: q.status === undefined ? undefined : ([...new Set(q.status.split(','))] as TokenFilter['statuses']),
      scope: q.scope,
      name: q.name,
      namePrefix: q.name_prefix,
      startPrefix: q.start_prefix,
      expiresBefore: parseTimestamp(q.expires_before, 'expires_before'),
      unusedSince: parseTimestamp(q.unused_since, 'unused_since'),
      createdBefore: parseTimestamp(q.created_before, 'created_before'),
      owner: q.owner === undefined ? undefined : q.owner.trim(),
      createdBy: q.created_by,
      order,
      afterId: after?.id,
      afterValue: after && 'value' in after ? after.value : undefined,
      limit: limit + 1,
    };
    const rows = await this.deps.store.listTokens(filter);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((t) => tokenToWire(t, filter.now)),
      next_cursor: rows.length > limit && last ? (order.by === 'id' ? encodeCursor(last.id) : encodeKeysetCursor(sort, orderValue(last, order.by), last.id)) : null,
    };
  }

  async update(caller: Caller, id: string, patch: PatchTokenBody, ifMatch?: number): Promise<Token> {
    requireScope(caller.token, WRITE);
    const allowedCidrs = this.normalizeCidrs(patch.allowed_cidrs);
    const expiresAt = this.futureExpiry(patch.expires_at);
    const result = await this.deps.store.transaction(async (tx) => {
      const token = await this.mustGet(tx, id, true);
      if (ifMatch !== undefined && ifMatch !== token.version) {
        throw DomainError.preconditionFailed(`token ${id} is at version ${token.version}, not ${ifMatch}`);
      }
      if (token.status === 'revoked') throw DomainError.conflict('token_revoked', `token ${id} is revoked and can no longer be changed`);
      if (patch.name !== undefined && patch.name !== token.name) await this.assertNameFree(tx, caller, patch.name, token.id);
      const next: TokenRecord = {
        ...token,
        name: patch.name ?? token.name,
        description: patch.description ?? token.description,
        expiresAt: expiresAt === undefined ? token.expiresAt : expiresAt,
        allowedCidrs: allowedCidrs ?? token.allowedCidrs,
        audiences: patch.audiences ?? token.audiences,
        rateLimit: patch.rate_limit === undefined ? token.rateLimit : rateLimitFromWire(patch.rate_limit),
        ...changedQuota(token, patch),
        metadata: patch.metadata ?? token.metadata,
        owner: patch.owner === undefined ? token.owner : ownerOf(patch.owner),
        version: token.version + 1,
      };
      this.requireMayApply(caller, token, next);
      const touched = Object.entries(RULES_OF_FIELD).flatMap(([field, rules]) => (patch[field as keyof PatchTokenBody] === undefined ? [] : rules));
      if (touched.length) await this.policies.check(tx, next, { rules: touched });
      await tx.updateToken(next);
      const quotaSet = await this.setQuotaCount(tx, token, next);
      await this.deps.audit.record(tx, caller, { action: 'token.updated', target: id, token: next, details: { fields: Object.keys(patch).sort() } });
      return tokenToWire(quotaSet ?? next, this.now());
    });
    this.committed(id);
    return result;
  }

  /**
   * A changed max_uses moves the store's count by the difference (a raise adds uses, a cut takes
   * them away, never below 0); a new quota starts full, a changed refill counts its periods from
   * now. Returns the token as stored afterwards, or null when the quota did not change.
   */
  private async setQuotaCount(tx: StoreOps, before: TokenRecord, after: TokenRecord): Promise<TokenRecord | null> {
    const refillChanged = JSON.stringify(before.quotaRefill) !== JSON.stringify(after.quotaRefill);
    if (before.maxUses === after.maxUses && !refillChanged) return null;
    const refilledAt = after.quotaRefill === null ? null : refillChanged ? this.now() : before.quotaRefilledAt;
    if (after.maxUses === null) await tx.setQuota(after.id, { remaining: null }, null);
    else if (before.maxUses === null) await tx.setQuota(after.id, { remaining: after.maxUses }, refilledAt);
    else await tx.setQuota(after.id, { adjust: after.maxUses - before.maxUses }, refilledAt);
    return tx.getToken(after.id);
  }

  async editScopes(caller: Caller, id: string, body: ScopesBody): Promise<Token> {
    requireScope(caller.token, WRITE);
    const result = await this.deps.store.transaction(async (tx) => {
      const token = await this.mustGet(tx, id, true);
      if (token.status === 'revoked') throw DomainError.conflict('token_revoked', `token ${id} is revoked and can no longer be changed`);
      const next = body.set ? [...body.set] : [...token.scopes.filter((s) => !(body.remove ?? []).includes(s))];
      for (const s of body.add ?? []) if (!next.includes(s)) next.push(s);
      if (!next.length) throw DomainError.invalidInput('a token needs at least one scope', 'scopes');
      const added = next.filter((s) => !token.scopes.includes(s));
      const removed = token.scopes.filter((s) => !next.includes(s));
      await this.assertKnownScopes(tx, added);
      requireHoldsAll(caller.token, added, 'granting these scopes');
      if (!added.length && !removed.length) return tokenToWire(token, this.now());
      const updated = { ...token, scopes: next, version: token.version + 1 };
      this.requireMayApply(caller, token, updated);
      // Policies of the scopes it just gained now apply to it.
      if (added.length) await this.policies.check(tx, updated, { scopes: added });
      await tx.updateToken(updated);
      await this.deps.audit.record(tx, caller, { action: 'token.scopes_changed', target: id, token: updated, details: { added, removed } });
      return tokenToWire(updated, this.now());
    });
    this.committed(id);
    return result;
  }

  async rotate(
    caller: Caller,
    id: string,
    overlapSeconds: number,
    idempotencyKey?: string,
    pending = false,
  ): Promise<IdempotentResult<RotateResponse>> {
    requireScope(caller.token, WRITE);
    const request = { overlap_seconds: overlapSeconds, pending };
    const result = await this.idempotency.run(caller, idempotencyKey, `rotate ${id}`, request, async (tx) => {
      const token = await this.mustGet(tx, id, true);
      const now = this.now();
      const status = effectiveStatus(token, now);
      if (status !== 'active') throw DomainError.conflict('token_not_active', `token ${id} is ${status}; only an active token can be rotated`);
      if (token.rotatedTo) {
        const successor = await tx.getToken(token.rotatedTo);
        if (successor && successor.status !== 'revoked') {
          throw DomainError.conflict('already_rotated', `token ${id} was already rotated${this.idFor(caller, token.rotatedTo, (x) => ` to ${x}`)}`);
        }
      }
      requireMayLoosen(caller.token, token, 'rotate');
      // The successor keeps the predecessor's lifetime, counted from now, shortened to what the
      // policies allow: rotation is how a token created before a max_ttl rule comes into line.
      const inherited = token.expiresAt === null ? null : token.expiresAt - token.createdAt;
      const cap = await this.policies.maxLifetimeMs(tx, token.scopes);
      const lifetime = cap === null ? inherited : Math.min(inherited ?? Infinity, cap);
      const fresh = this.newSecret();
      const successor: TokenRecord = {
        ...blankToken(),
        id: newId('tok', now),
        name: token.name,
        description: token.description,
        scopes: token.scopes,
        audiences: token.audiences,
        allowedCidrs: token.allowedCidrs,
        rateLimit: token.rateLimit,
        // The quota goes on with what is left of it, refills included: rotating never resets it.
        maxUses: token.maxUses,
        quotaRefill: token.quotaRefill,
        usesRemaining: usesRemainingAt(token, now),
        quotaRefilledAt: token.quotaRefill === null ? null : now,
        metadata: token.metadata,
        owner: token.owner,
        start: fresh.start,
        createdAt: now,
        createdBy: caller.token.id,
        expiresAt: lifetime === null ? null : now + lifetime,
        rotatedFrom: token.id,
        secretHash: fresh.secretHash,
        pepperVersion: fresh.pepperVersion,
      };
      const linked: TokenRecord = { ...token, rotatedTo: successor.id, version: token.version + 1 };
      const predecessor = pending ? { ...linked, pendingOverlapSeconds: overlapSeconds } : this.applyOverlap(caller, linked, overlapSeconds, now);
      await this.policies.check(tx, successor);
      await tx.insertToken(successor);
      await tx.updateToken(predecessor);
      const capped = lifetime !== inherited ? { lifetime_capped_to_seconds: lifetime! / 1000 } : {};
      const details = { successor: successor.id, overlap_seconds: overlapSeconds, pending, ...capped };
      await this.deps.audit.record(tx, caller, { action: 'token.rotated', target: token.id, token: predecessor, details });
      await this.deps.audit.record(tx, caller, {
        action: 'token.created',
        target: successor.id,
        token: successor,
        details: { name: successor.name, scopes: successor.scopes, rotated_from: token.id },
      });
      return {
        status: 201,
        body: { token: tokenToWire(successor, now), secret: fresh.secret, predecessor: tokenToWire(predecessor, now) },
      };
    });
    if (!result.replayed) this.committed(id);
    return result;
  }

  /** The old token ends `overlapSeconds` from now (0: revoked at once), never later than it would have. */
  private applyOverlap(caller: Caller, token: TokenRecord, overlapSeconds: number, now: number): TokenRecord {
    const ended = { ...token, pendingOverlapSeconds: null };
    if (overlapSeconds === 0) return { ...ended, status: 'revoked', revokedAt: now, revokedBy: caller.token.id, revokeReason: 'rotated' };
    return { ...ended, expiresAt: Math.min(token.expiresAt ?? Infinity, now + overlapSeconds * 1000) };
  }

  /**
   * Second step of a pending rotation: `complete` applies the overlap to the old token once the
   * new secret is delivered; `abort` revokes the successor and leaves the old token as it was.
   * Repeating a step that already happened succeeds without changing anything.
   */
  async finishRotation(caller: Caller, id: string, outcome: 'complete' | 'abort', reason?: string): Promise<RotationOutcome> {
    requireScope(caller.token, WRITE);
    const result = await this.deps.store.transaction(async (tx) => {
      const token = await this.mustGet(tx, id, true);
      const now = this.now();
      if (token.pendingOverlapSeconds === null) {
        const successor = token.rotatedTo ? await tx.getToken(token.rotatedTo) : null;
        const done = outcome === 'complete' ? successor && successor.status !== 'revoked' : !successor || successor.status === 'revoked';
        if (done) return { token: tokenToWire(token, now), successor: tokenToWire(successor ?? token, now), changed: [] };
        throw DomainError.conflict('no_pending_rotation', `token ${id} has no pending rotation to ${outcome}`);
      }
      requireHoldsAll(caller.token, token.scopes, 'finishing this rotation');
      const successor = await this.mustGet(tx, token.rotatedTo!, true);
      if (outcome === 'complete') {
        if (successor.status === 'revoked') throw DomainError.conflict('successor_revoked', `the successor${this.idFor(caller, successor.id)} was revoked; abort instead`);
        const ended = this.applyOverlap(caller, { ...token, version: token.version + 1 }, token.pendingOverlapSeconds, now);
        await tx.updateToken(ended);
        await this.deps.audit.record(tx, caller, {
          action: 'token.rotation_completed',
          target: id,
          details: { successor: successor.id, overlap_seconds: token.pendingOverlapSeconds },
        });
        return { token: tokenToWire(ended, now), successor: tokenToWire(successor, now), changed: [id] };
      }
      const restored: TokenRecord = { ...token, rotatedTo: null, pendingOverlapSeconds: null, version: token.version + 1 };
      await tx.updateToken(restored);
      const revoked = await this.revokeIn(tx, caller, successor, reason ?? 'rotation aborted', { rotation_aborted: true });
      await this.deps.audit.record(tx, caller, { action: 'token.rotation_aborted', target: id, details: { successor: successor.id }, reason });
      return { token: tokenToWire(restored, now), successor: tokenToWire(revoked, now), changed: [id, successor.id] };
    });
    if (result.changed.length) this.committed(...result.changed);
    return { token: result.token, successor: result.successor };
  }

  async suspend(caller: Caller, id: string, reason?: string): Promise<Token> {
    requireScope(caller.token, REVOKE);
    return this.setStatus(caller, id, 'suspended', reason);
  }

  async resume(caller: Caller, id: string, reason?: string): Promise<Token> {
    requireScope(caller.token, WRITE);
    return this.setStatus(caller, id, 'active', reason);
  }

  private async setStatus(caller: Caller, id: string, target: 'active' | 'suspended', reason?: string): Promise<Token> {
    const result = await this.deps.store.transaction(async (tx) => {
      const token = await this.mustGet(tx, id, true);
      if (token.status === 'revoked') throw DomainError.conflict('token_revoked', `token ${id} is revoked; revocation is final`);
      if (token.status === target) return tokenToWire(token, this.now());
      if (target === 'active') requireMayLoosen(caller.token, token, 'resume');
      const next: TokenRecord = { ...token, status: target, version: token.version + 1 };
      await tx.updateToken(next);
      await this.deps.audit.record(tx, caller, { action: target === 'active' ? 'token.resumed' : 'token.suspended', target: id, token: next, reason });
      return tokenToWire(next, this.now());
    });
    this.committed(id);
    return result;
  }

  async revoke(caller: Caller, id: string, reason?: string): Promise<Token> {
    requireScope(caller.token, REVOKE);
    const result = await this.deps.store.transaction(async (tx) => {
      const token = await this.mustGet(tx, id, true);
      return tokenToWire(await this.revokeIn(tx, caller, token, reason ?? null, {}), this.now());
    });
    this.committed(id);
    return result;
  }

  /** Revoking a revoked token is a success that changes nothing. */
  private async revokeIn(tx: StoreOps, caller: Caller, token: TokenRecord, reason: string | null, details: Record<string, unknown>): Promise<TokenRecord> {
    if (token.status === 'revoked') return token;
    const now = this.now();
    const next: TokenRecord = { ...token, status: 'revoked', revokedAt: now, revokedBy: caller.token.id, revokeReason: reason, version: token.version + 1 };
    await tx.updateToken(next);
    await this.deps.audit.record(tx, caller, { action: 'token.revoked', target: token.id, token: next, details, reason });
    return next;
  }

  /** The token behind each secret, by the same lookup as authentication: null when none, 'malformed' when not a secret of this server. */
  private async tokensBySecret(ops: StoreOps, secrets: string[]): Promise<(TokenRecord | null | 'malformed')[]> {
    const found: (TokenRecord | null | 'malformed')[] = [];
    for (const raw of secrets) {
      const secret = raw.trim();
      found.push(parseSecret(secret, this.deps.secretPrefix) ? await findTokenBySecret(ops, this.deps.peppers, secret) : 'malformed');
    }
    return found;
  }

  async revokeByValue(caller: Caller, secrets: string[], reason?: string): Promise<RevokeByValueResponse> {
    requireScope(caller.token, REVOKE);
    const changed: string[] = [];
    const response = await this.deps.store.transaction(async (tx) => {
      const results: RevokeByValueResponse['results'] = [];
      for (const [index, token] of (await this.tokensBySecret(tx, secrets)).entries()) {
        if (token === 'malformed' || token === null) {
          results.push({ index, result: token === null ? 'not_found' : 'malformed', id: null, name: null, start: null });
          continue;
        }
        const already = token.status === 'revoked';
        if (!already) {
          await this.revokeIn(tx, caller, token, reason ?? null, { via: 'value' });
          changed.push(token.id);
        }
        results.push({ index, result: already ? 'already_revoked' : 'revoked', id: token.id, name: token.name, start: token.start });
      }
      const count = (r: string) => results.filter((x) => x.result === r).length;
      return { results, revoked: count('revoked'), already_revoked: count('already_revoked'), not_found: count('not_found'), malformed: count('malformed') };
    });
    if (changed.length) this.committed(...changed);
    return response;
  }

  /**
   * Which tokens secrets belong to and whether they work now, changing nothing (tokens scan): what
   * revoke-by-value would find. Only for callers that may read or revoke tokens; like every route,
   * a failed authentication of the caller counts toward its address's limit.
   */
  async lookupByValue(caller: Caller, secrets: string[]): Promise<LookupByValueResponse> {
    requireScope(caller.token, LOOK_UP);
    const now = this.now();
    const results = (await this.tokensBySecret(this.deps.store, secrets)).map((token, index): LookupByValueResponse['results'][number] => {
      if (token === 'malformed' || token === null) {
        return { index, result: token === null ? 'not_found' : 'malformed', id: null, name: null, start: null, status: null, live: false };
      }
      const status = effectiveStatus(token, now);
      return { index, result: 'found', id: token.id, name: token.name, start: token.start, status, live: status === 'active' };
    });
    const count = (r: string) => results.filter((x) => x.result === r).length;
    return { results, found: count('found'), live: results.filter((r) => r.live).length, not_found: count('not_found'), malformed: count('malformed') };
  }
}

type QuotaFields = Pick<TokenRecord, 'maxUses' | 'quotaRefill' | 'usesRemaining' | 'quotaRefilledAt'>;

/** A new token's quota: full, its refill periods counted from now. A refill needs a quota to refill. */
function newQuota(maxUses: number | null, refill: QuotaRefillRecord | null, now: number): QuotaFields {
  if (refill !== null && maxUses === null) throw DomainError.invalidInput('refill needs max_uses: the quota it refills up to', 'refill');
  return { maxUses, quotaRefill: refill, usesRemaining: maxUses, quotaRefilledAt: refill === null ? null : now };
}

/** The quota after a patch (the store's count is set apart, by setQuotaCount); removing max_uses removes its refill. */
function changedQuota(token: TokenRecord, patch: PatchTokenBody): Pick<TokenRecord, 'maxUses' | 'quotaRefill'> {
  const maxUses = patch.max_uses === undefined ? token.maxUses : patch.max_uses;
  const refill = patch.refill === undefined ? (maxUses === null ? null : token.quotaRefill) : quotaRefillFromWire(patch.refill);
  if (refill !== null && maxUses === null) throw DomainError.invalidInput('refill needs max_uses: the quota it refills up to', 'refill');
  return { maxUses, quotaRefill: refill };
}

/** Owners are compared exactly; surrounding blanks are never part of one. */
function ownerOf(owner: string | null): string | null {
  if (owner === null) return null;
  const trimmed = owner.trim();
  if (!trimmed) throw DomainError.invalidInput('owner must not be blank (null removes it)', 'owner');
  return trimmed;
}

export function blankToken(): Omit<TokenRecord, 'id' | 'name' | 'scopes' | 'start' | 'createdAt' | 'secretHash' | 'pepperVersion'> {
  return {
    description: '',
    audiences: [],
    allowedCidrs: [],
    rateLimit: null,
    maxUses: null,
    quotaRefill: null,
    usesRemaining: null,
    quotaRefilledAt: null,
    metadata: {},
    owner: null,
    status: 'active',
    createdBy: null,
    expiresAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    useCount: 0,
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
    rotatedFrom: null,
    rotatedTo: null,
    pendingOverlapSeconds: null,
    version: 1,
  };
}
