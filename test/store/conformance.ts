// The Store contract, written once against the interface: every implementation runs this suite.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/shared/ids.js';
import { orderValue, type DeliveryRecord, type SessionRecord, type Store, type StoreOps, type TokenOrder, type TokenRecord, type WebhookRecord } from '../../src/server/store/types.js';
import { blankToken } from '../../src/server/service/tokens.js';
import { AUDIT_FIELDS, DELIVERY_FIELDS, IDEMPOTENCY_FIELDS, POLICY_FIELDS, SCOPE_FIELDS, SESSION_FIELDS, TOKEN_FIELDS, WEBHOOK_FIELDS, type FieldKind } from '../../src/server/store/fields.js';

const HOUR = 3600_000;

export function makeToken(overrides: Partial<TokenRecord> = {}): TokenRecord {
  const createdAt = overrides.createdAt ?? Date.now();
  return {
    ...blankToken(),
    id: newId('tok', createdAt),
    name: `t-${randomBytes(4).toString('hex')}`,
    scopes: ['tokens:read'],
    start: `tkn_${randomBytes(3).toString('hex')}`,
    createdAt,
    secretHash: randomBytes(32),
    pepperVersion: 1,
    ...overrides,
  };
}

interface ConformanceDriver {
  open(): Promise<Store>;
  dispose(store: Store): Promise<void>;
  /** How many SQL statements `fn` sent to the database. */
  countStatements(fn: () => Promise<unknown>): Promise<number>;
}

export function storeConformance(label: string, { open, dispose, countStatements }: ConformanceDriver): void {
  describe(`Store conformance: ${label}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('migrates to a positive schema version, and migrating again changes nothing', async () => {
      const v = await store.schemaVersion();
      expect(v).toBeGreaterThan(0);
      expect(await store.migrate()).toBe(v);
    });

    it('stores and reads back every field of a token', async () => {
      const t = makeToken({
        description: 'd',
        scopes: ['management', 'query'],
        audiences: ['billing'],
        allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
        rateLimit: { requests: 10, perSeconds: 60 },
        metadata: { team: 'infra' },
        owner: 'alice@example.com',
        expiresAt: Date.now() + HOUR,
        pendingOverlapSeconds: 3600,
      });
      await store.transaction((tx) => tx.insertToken(t));
      expect(await store.getToken(t.id)).toEqual(t);
      expect(await store.getTokensByHash([randomBytes(32), t.secretHash])).toEqual([t]);
      expect(await store.getToken('tok_nope')).toBeNull();
    });

    it('keeps secret digests unique', async () => {
      const a = makeToken();
      await store.transaction((tx) => tx.insertToken(a));
      await expect(store.transaction((tx) => tx.insertToken(makeToken({ secretHash: a.secretHash })))).rejects.toThrow();
      expect(await store.countTokens()).toBe(1);
    });

    it('rolls a failed transaction back completely', async () => {
      const t = makeToken();
      await expect(
        store.transaction(async (tx) => {
          await tx.insertToken(t);
          await tx.insertAudit({ id: newId('evt'), at: Date.now(), actor: null, actorIp: null, action: 'token.created', target: t.id, reason: null, requestId: null, details: {} });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.getToken(t.id)).toBeNull();
      expect(await store.listAudit({ limit: 10 })).toEqual([]);
    });

    it('serialises concurrent transactions on the same token', async () => {
      const t = makeToken();
      await store.transaction((tx) => tx.insertToken(t));
      const bump = () =>
        store.transaction(async (tx) => {
          const cur = (await tx.lockToken(t.id))!;
          await new Promise((r) => setTimeout(r, 5));
          await tx.updateToken({ ...cur, version: cur.version + 1 });
        });
      await Promise.all([bump(), bump(), bump(), bump()]);
      expect((await store.getToken(t.id))!.version).toBe(5);
    });

    it('updates mutable fields', async () => {
      const t = makeToken();
      await store.transaction((tx) => tx.insertToken(t));
      const next = { ...t, status: 'revoked' as const, revokedAt: Date.now(), revokedBy: 'tok_x', revokeReason: 'leak', version: 2, name: 'renamed' };
      await store.transaction((tx) => tx.updateToken(next));
      expect(await store.getToken(t.id)).toEqual(next);
    });

    it('lists with filters and keyset pagination in id order', async () => {
      const now = Date.now();
      const tokens = [
        makeToken({ createdAt: now - 5 * HOUR, name: 'ci-a', scopes: ['query'] }),
        makeToken({ createdAt: now - 4 * HOUR, name: 'ci-b', expiresAt: now - HOUR }),
        makeToken({ createdAt: now - 3 * HOUR, name: 'web', status: 'revoked' }),
        makeToken({ createdAt: now - 2 * HOUR, name: 'ci_c', status: 'suspended', lastUsedAt: now - 10 * 60_000 }),
        makeToken({ createdAt: now - 1 * HOUR, name: 'ci%d', expiresAt: now + 2 * HOUR }),
      ];
      await store.transaction(async (tx) => {
        for (const t of tokens) await tx.insertToken(t);
      });
      const ids = async (f: Partial<Parameters<Store['listTokens']>[0]>) =>
        (await store.listTokens({ now, limit: 100, ...f })).map((t) => t.name);
      expect(await ids({})).toEqual(['ci-a', 'ci-b', 'web', 'ci_c', 'ci%d']);
      expect(await ids({ statuses: ['active'] })).toEqual(['ci-a', 'ci%d']);
      expect(await ids({ statuses: ['expired'] })).toEqual(['ci-b']);
      expect(await ids({ statuses: ['revoked'] })).toEqual(['web']);
      expect(await ids({ statuses: ['suspended'] })).toEqual(['ci_c']);
      expect(await ids({ statuses: ['active', 'suspended'] })).toEqual(['ci-a', 'ci_c', 'ci%d']);
      expect(await ids({ statuses: ['revoked', 'expired'], namePrefix: 'ci' })).toEqual(['ci-b']);
      expect(await ids({ scope: 'query' })).toEqual(['ci-a']);
      expect(await ids({ namePrefix: 'ci_' })).toEqual(['ci_c']);
      expect(await ids({ namePrefix: 'ci%' })).toEqual(['ci%d']);
      expect(await ids({ name: 'web' })).toEqual(['web']);
      expect(await ids({ startPrefix: tokens[2]!.start })).toEqual(['web']);
      expect(await ids({ expiresBefore: now + 3 * HOUR })).toEqual(['ci-b', 'ci%d']);
      expect(await ids({ createdBefore: now - 3.5 * HOUR })).toEqual(['ci-a', 'ci-b']);
      expect(await ids({ unusedSince: now - 90 * 60_000 })).toEqual(['ci-a', 'ci-b', 'web']);
      expect(await ids({ limit: 2 })).toEqual(['ci-a', 'ci-b']);
      expect(await ids({ limit: 2, afterId: tokens[1]!.id })).toEqual(['web', 'ci_c']);
    });

    it('lists in every order, with keyset pages that continue where the last one stopped', async () => {
      const now = Date.now();
      const tokens = [
        makeToken({ createdAt: now - 5 * HOUR, name: 'delta', expiresAt: now + 3 * HOUR, lastUsedAt: now - 2 * HOUR }),
        makeToken({ createdAt: now - 4 * HOUR, name: 'alpha', expiresAt: null, lastUsedAt: null }),
        makeToken({ createdAt: now - 3 * HOUR, name: 'Charlie', expiresAt: now + 1 * HOUR, lastUsedAt: now - 1 * HOUR }),
        makeToken({ createdAt: now - 2 * HOUR, name: 'bravo', expiresAt: now + 1 * HOUR, lastUsedAt: null }),
        makeToken({ createdAt: now - 1 * HOUR, name: 'echo', expiresAt: null, lastUsedAt: now - 3 * HOUR }),
      ];
      await store.transaction(async (tx) => {
        for (const t of tokens) await tx.insertToken(t);
      });
      const names = (ts: TokenRecord[]) => ts.map((t) => t.name);
      // Every page of two, following the last row of each, must add up to the whole listing.
      const paged = async (order: TokenOrder) => {
        const all: TokenRecord[] = [];
        let after: TokenRecord | undefined;
        for (;;) {
          const page = await store.listTokens({ now, limit: 2, order, ...(after ? { afterId: after.id, afterValue: orderValue(after, order.by) } : {}) });
          all.push(...page);
          if (page.length < 2) return names(all);
          after = page[page.length - 1];
        }
      };
      const cases: [TokenOrder, string[]][] = [
        [{ by: 'id', descending: false }, ['delta', 'alpha', 'Charlie', 'bravo', 'echo']],
        [{ by: 'id', descending: true }, ['echo', 'bravo', 'Charlie', 'alpha', 'delta']],
        // Bytewise, as both engines compare names.
        [{ by: 'name', descending: false }, ['Charlie', 'alpha', 'bravo', 'delta', 'echo']],
        [{ by: 'name', descending: true }, ['echo', 'delta', 'bravo', 'alpha', 'Charlie']],
        // Soonest first, ties in id order, never-expiring last.
        [{ by: 'expires_at', descending: false }, ['Charlie', 'bravo', 'delta', 'alpha', 'echo']],
        // Never used first (ties in id order), then least recently used.
        [{ by: 'last_used_at', descending: false }, ['alpha', 'bravo', 'echo', 'delta', 'Charlie']],
        [{ by: 'last_used_at', descending: true }, ['Charlie', 'delta', 'echo', 'bravo', 'alpha']],
      ];
      for (const [order, expected] of cases) {
        expect(names(await store.listTokens({ now, limit: 100, order })), JSON.stringify(order)).toEqual(expected);
        expect(await paged(order), `pages of ${JSON.stringify(order)}`).toEqual(expected);
      }
    });

    it('keeps console sessions: read with their token in one statement, found by token, touched, marked ended, swept and deleted', async () => {
      const now = Date.now();
      const t = makeToken();
      await store.transaction((tx) => tx.insertToken(t));
      const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
        idHash: randomBytes(32),
        tokenId: t.id,
        scopes: ['tokens:read', 'audit:read'],
        createdAt: now,
        lastSeenAt: now,
        expiresAt: now + HOUR,
        endedReason: null,
        ...overrides,
      });
      const live = session();
      const idle = session({ lastSeenAt: now - 2 * HOUR });
      const over = session({ expiresAt: now - 1 });
      const orphan = session({ tokenId: 'tok_gone' });
      await store.transaction(async (tx) => {
        for (const s of [live, idle, over, orphan]) await tx.insertSession(s);
      });
      let found: Awaited<ReturnType<Store['getSessionWithToken']>> = null;
      expect(await countStatements(async () => (found = await store.getSessionWithToken(live.idHash)))).toBe(1);
      expect(found).toEqual({ session: live, token: t });
      expect(await store.getSessionWithToken(orphan.idHash)).toEqual({ session: orphan, token: null });
      expect(await store.getSessionWithToken(randomBytes(32))).toBeNull();
      const ofToken = await store.sessionsOfTokens([t.id, 'tok_other']);
      expect(ofToken.map((s) => s.idHash.toString('hex')).sort()).toEqual([live, idle, over].map((s) => s.idHash.toString('hex')).sort());
      expect(await store.sessionsOfTokens([])).toEqual([]);
      await store.touchSession(live.idHash, now + 5000);
      await store.touchSession(live.idHash, now + 1000); // never moves back
      expect((await store.getSessionWithToken(live.idHash))!.session.lastSeenAt).toBe(now + 5000);
      await store.endSession(live.idHash, 'token_revoked');
      await store.endSession(live.idHash, 'idle'); // the first reason stays
      expect((await store.getSessionWithToken(live.idHash))!.session.endedReason).toBe('token_revoked');
      expect(await store.deleteExpiredSessions(now, now - HOUR)).toBe(2);
      expect(await store.getSessionWithToken(idle.idHash)).toBeNull();
      expect(await store.getSessionWithToken(over.idHash)).toBeNull();
      await store.deleteSession(live.idHash);
      expect(await store.getSessionWithToken(live.idHash)).toBeNull();
      expect(await store.getSessionWithToken(orphan.idHash)).not.toBeNull();
    });

    it('lists the tokens of an owner, and the tokens a token created, by exact value', async () => {
      const now = Date.now();
      const admin = makeToken({ name: 'admin', owner: 'root@example.com' });
      const tokens = [
        makeToken({ name: 'a1', owner: 'alice@example.com', createdBy: admin.id }),
        makeToken({ name: 'b1', owner: 'bob@example.com', createdBy: admin.id, status: 'revoked' }),
        makeToken({ name: 'a2', owner: 'alice@example.com', createdBy: 'tok_other' }),
        makeToken({ name: 'a3', owner: 'Alice@example.com' }),
        makeToken({ name: 'none' }),
      ];
      await store.transaction(async (tx) => {
        for (const t of [admin, ...tokens]) await tx.insertToken(t);
      });
      const names = async (f: Partial<Parameters<Store['listTokens']>[0]>) => (await store.listTokens({ now, limit: 100, ...f })).map((t) => t.name);
      expect(await names({ owner: 'alice@example.com' })).toEqual(['a1', 'a2']);
      expect(await names({ owner: 'alice@example.com', statuses: ['active'], createdBy: admin.id })).toEqual(['a1']);
      expect(await names({ createdBy: admin.id })).toEqual(['a1', 'b1']);
      expect(await names({ owner: 'alice' })).toEqual([]);
      expect(await names({ owner: 'x\u0000' })).toEqual([]);
      expect(await names({ createdBy: 'x\u0000' })).toEqual([]);
      expect((await store.getToken(tokens[0]!.id))!.owner).toBe('alice@example.com');
      expect((await store.getToken(tokens[4]!.id))!.owner).toBeNull();
    });

    it('finds the current live holder of a name, skipping superseded and dead tokens', async () => {
      const now = Date.now();
      const succ = makeToken({ name: 'deploy' });
      const old = makeToken({ name: 'deploy', createdAt: now - HOUR, rotatedTo: succ.id, expiresAt: now + HOUR });
      const dead = makeToken({ name: 'deploy', status: 'revoked' });
      await store.transaction(async (tx) => {
        for (const t of [old, succ, dead]) await tx.insertToken(t);
      });
      expect((await store.findCurrentByName('deploy', now)).map((t) => t.id)).toEqual([succ.id]);
      expect(await store.countLiveTokensWithScope('tokens:read', now)).toBe(2);
      const other = makeToken({ name: 'other' });
      await store.transaction((tx) => tx.insertToken(other));
      const many = ['deploy', 'other', 'nobody', 'x\u0000', ...Array.from({ length: 1200 }, (_, i) => `filler-${i}`)];
      expect((await store.transaction((tx) => tx.findCurrentByNames(many, now))).map((t) => t.id)).toEqual([succ.id, other.id].sort());
      expect(await store.findCurrentByNames([], now)).toEqual([]);
    });

    it('lists several current holders of a name in id order, whatever order they were written in', async () => {
      const now = Date.now();
      const holders = [3, 2, 1].map((hoursAgo) => makeToken({ name: 'twin', createdAt: now - hoursAgo * HOUR }));
      await store.transaction(async (tx) => {
        for (const t of [holders[1]!, holders[2]!, holders[0]!]) await tx.insertToken(t);
      });
      const ids = holders.map((t) => t.id);
      expect((await store.findCurrentByName('twin', now)).map((t) => t.id)).toEqual(ids);
      expect((await store.transaction((tx) => tx.findCurrentByName('twin', now))).map((t) => t.id)).toEqual(ids);
    });

    it('looks several digests up in one query, answering in the order asked', async () => {
      const [a, b, c] = [makeToken(), makeToken(), makeToken()];
      await store.transaction(async (tx) => {
        for (const t of [a!, b!, c!]) await tx.insertToken(t);
      });
      const asked = [c!.secretHash, randomBytes(32), a!.secretHash];
      let found: TokenRecord[] = [];
      expect(await countStatements(async () => void (found = await store.getTokensByHash(asked)))).toBe(1);
      expect(found.map((t) => t.id)).toEqual([c!.id, a!.id]);
      expect(found[0]).toEqual(c);
      const inTransaction = await store.transaction((tx) => tx.getTokensByHash(asked));
      expect(inTransaction.map((t) => t.id)).toEqual([c!.id, a!.id]);
      expect(await store.getTokensByHash([])).toEqual([]);
    });

    it('keeps JSON columns as written: a blank token’s empty values, nesting, order and key order', async () => {
      const blank = makeToken();
      const full = makeToken({
        scopes: ['query', 'management'],
        audiences: ['zeta', 'alpha'],
        allowedCidrs: ['2001:db8::/32', '10.0.0.0/8'],
        rateLimit: { requests: 5, perSeconds: 1 },
        metadata: { zeta: '1', alpha: '', 'with space': 'x' },
      });
      const details = { zeta: [1, 'two', null, true, 1.5], alpha: { deep: { empty: [], none: {} } }, text: '' };
      const events = [details, {}].map((d, i) => ({ id: newId('evt', 1000 + i), at: 1000 + i, actor: null, actorIp: null, action: 'token.created', target: full.id, reason: null, requestId: null, details: d }));
      await store.transaction(async (tx) => {
        for (const t of [blank, full]) await tx.insertToken(t);
        for (const e of events) await tx.insertAudit(e);
      });
      const [readBlank, readFull] = [await store.getToken(blank.id), await store.getToken(full.id)];
      expect(readBlank).toEqual(blank);
      expect([readBlank!.description, readBlank!.audiences, readBlank!.allowedCidrs, readBlank!.rateLimit, readBlank!.metadata, readBlank!.revokeReason]).toEqual(['', [], [], null, {}, null]);
      // Key order and array order survive, not just equality.
      const jsonFields = (t: TokenRecord) => JSON.stringify([t.scopes, t.audiences, t.allowedCidrs, t.rateLimit, t.metadata]);
      expect(jsonFields(readFull!)).toBe(jsonFields(full));
      expect(JSON.stringify((await store.listAudit({ limit: 10 })).map((e) => e.details))).toBe(JSON.stringify([details, {}]));
      // Every read path decodes the same way.
      expect(await store.listTokens({ now: Date.now(), limit: 10, name: full.name })).toEqual([full]);
      expect(await store.getTokensByHash([full.secretHash])).toEqual([full]);
    });

    it('keeps a usage quota: takes that shrink with what is left, exact under concurrent takes, refills, give-backs, changes', async () => {
      const t = makeToken({ maxUses: 100, quotaRefill: { amount: 10, everySeconds: 60 }, usesRemaining: 100, quotaRefilledAt: 1_000_000 });
      const plain = makeToken();
      await store.transaction(async (tx) => {
        await tx.insertToken(t);
        await tx.insertToken(plain);
      });
      expect(await store.getToken(t.id)).toEqual(t);
      // Never more than max(1, left / share), nor more than asked for.
      expect(await store.takeUses(t.id, 50, 16, 1_000_000)).toEqual({ granted: 6, remaining: 94, nextRefillAt: 1_060_000 });
      expect(await store.takeUses(t.id, 2, 16, 1_000_000)).toEqual({ granted: 2, remaining: 92, nextRefillAt: 1_060_000 });
      // Concurrent single takes: each use handed out once.
      const takes = await Promise.all(Array.from({ length: 120 }, () => store.takeUses(t.id, 1, 16, 1_000_000)));
      expect(takes.reduce((n, x) => n + x.granted, 0)).toBe(92);
      expect(takes.filter((x) => x.granted === 0)).toHaveLength(28);
      expect(await store.takeUses(t.id, 1, 16, 1_000_000)).toEqual({ granted: 0, remaining: 0, nextRefillAt: 1_060_000 });
      // Two periods later: 20 back (once, however many take), and the next period counts from the last refill.
      const refilled = await Promise.all([store.takeUses(t.id, 1, 1, 1_130_000), store.takeUses(t.id, 1, 1, 1_130_000)]);
      expect(refilled.map((x) => x.granted)).toEqual([1, 1]);
      expect((await store.getToken(t.id))!).toMatchObject({ usesRemaining: 18, quotaRefilledAt: 1_120_000 });
      // Given back, never above max_uses.
      await store.returnUses(t.id, 5);
      expect((await store.getToken(t.id))!.usesRemaining).toBe(23);
      await store.returnUses(t.id, 500);
      expect((await store.getToken(t.id))!.usesRemaining).toBe(100);
      // An update writes every field but the quota's count, which it may have read before takes.
      const stale = (await store.getToken(t.id))!;
      await store.takeUses(t.id, 1, 1, 1_130_000);
      await store.transaction((tx) => tx.updateToken({ ...stale, description: 'changed', version: stale.version + 1 }));
      expect((await store.getToken(t.id))!).toMatchObject({ description: 'changed', usesRemaining: 99 });
      await store.transaction((tx) => tx.setQuota(t.id, { adjust: -150 }, 1_130_000));
      expect((await store.getToken(t.id))!).toMatchObject({ usesRemaining: 0, quotaRefilledAt: 1_130_000 });
      await store.transaction((tx) => tx.setQuota(t.id, { remaining: 7 }, null));
      expect((await store.getToken(t.id))!).toMatchObject({ usesRemaining: 7, quotaRefilledAt: null });
      // A token without a quota has nothing to take, and nothing to give back to.
      expect(await store.takeUses(plain.id, 5, 1, 1_000_000)).toEqual({ granted: 0, remaining: 0, nextRefillAt: null });
      await store.returnUses(plain.id, 5);
      expect((await store.getToken(plain.id))!.usesRemaining).toBeNull();
      expect(await store.takeUses('tok_missing', 5, 1, 1_000_000)).toEqual({ granted: 0, remaining: 0, nextRefillAt: null });
    });

    it('leases shares of a rate limit: never more than the budget in a window, given back, a lost lease stops counting at its end', async () => {
      const limit = { key: 'tok_rate', instance: 'inst_a', budget: 100, windowMs: 60_000, ttlMs: 10_000 };
      const ask = (leaseId: string, want: number, now: number, giveBack: { leaseId: string; used: number } | null = null, instance = 'inst_a') =>
        store.leaseRate({ ...limit, instance, leaseId, want, now, giveBack });
      expect(await ask('l1', 40, 1_000)).toEqual({ leaseId: 'l1', granted: 40, endsAt: 11_000, freeAt: null });
      // Concurrent asks: never more than the budget in all.
      const asks = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`c${i}`, 10, 1_000, null, `inst_${i}`)));
      expect(asks.reduce((n, g) => n + g.granted, 0)).toBe(60);
      expect(asks.filter((g) => g.granted === 0)).toHaveLength(4);
      // Nothing left: says when the earliest charge ends (a held lease's end).
      expect(await ask('l2', 10, 2_000)).toEqual({ leaseId: null, granted: 0, endsAt: 0, freeAt: 11_000 });
      // l1 given back having used 5: it charges 5 for a window after its return, so 35 come free at once.
      expect(await ask('l3', 50, 3_000, { leaseId: 'l1', used: 5 })).toMatchObject({ leaseId: 'l3', granted: 35 });
      // The c-leases were never given back (their instances died): past their end they charge nothing,
      // so at 11,000 their 60 are back; l3 (until 13,000) and l1's 5 still count.
      expect(await ask('l4', 100, 11_000)).toMatchObject({ granted: 60 });
      // A window after l1 came back its 5 are free; l3's 35 count until a window after its return
      // (giving back twice changes nothing); l4, never given back, is past its end.
      await store.returnRateLease('l3', 35, 12_000);
      await store.returnRateLease('l3', 0, 12_500);
      expect(await ask('l5', 100, 63_001)).toMatchObject({ granted: 65 });
      // Other keys have their own budget.
      expect(await store.leaseRate({ ...limit, key: 'auth:192.0.2.1', leaseId: 'l6', want: 100, now: 63_001, giveBack: null })).toMatchObject({ granted: 100 });
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      const t = makeToken();
      let committed: StoreOps | undefined;
      await store.transaction(async (tx) => {
        committed = tx;
        await tx.insertToken(t);
      });
      await expect(committed!.getToken(t.id)).rejects.toThrow('the transaction has already ended');
      await expect(committed!.insertToken(makeToken())).rejects.toThrow('the transaction has already ended');

      let rolledBack: StoreOps | undefined;
      await expect(
        store.transaction(async (tx) => {
          rolledBack = tx;
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      // Not even into a transaction that is open at the time.
      const other = makeToken();
      await expect(
        store.transaction(async (tx) => {
          await expect(rolledBack!.insertToken(other)).rejects.toThrow('the transaction has already ended');
          await expect(committed!.updateToken({ ...t, version: 9 })).rejects.toThrow('the transaction has already ended');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await store.getToken(other.id)).toBeNull();
      expect((await store.getToken(t.id))!.version).toBe(t.version);
      expect(await store.countTokens()).toBe(1);
    });

    it('appends and filters audit events in order', async () => {
      const base = Date.now();
      const events = ['token.created', 'token.rotated', 'token.revoked'].map((action, i) => ({
        id: newId('evt', base + i),
        at: base + i,
        actor: i === 0 ? 'tok_a' : 'tok_b',
        actorIp: '127.0.0.1',
        action,
        target: 'tok_t',
        reason: i === 2 ? 'leaked' : null,
        requestId: `r${i}`,
        details: { i },
      }));
      await store.transaction(async (tx) => {
        for (const e of events) await tx.insertAudit(e);
      });
      expect(await store.listAudit({ limit: 10 })).toEqual(events);
      expect((await store.listAudit({ limit: 10, actor: 'tok_b' })).map((e) => e.action)).toEqual(['token.rotated', 'token.revoked']);
      expect((await store.listAudit({ limit: 10, action: 'token.revoked' }))[0]!.reason).toBe('leaked');
      expect((await store.listAudit({ limit: 10, since: base + 1, until: base + 2 })).map((e) => e.action)).toEqual(['token.rotated']);
      expect((await store.listAudit({ limit: 1, afterId: events[0]!.id })).map((e) => e.action)).toEqual(['token.rotated']);
      expect((await store.listAudit({ limit: 2, newestFirst: true })).map((e) => e.action)).toEqual(['token.revoked', 'token.rotated']);
      expect((await store.listAudit({ limit: 5, newestFirst: true, afterId: events[1]!.id })).map((e) => e.action)).toEqual(['token.created']);
    });

    it('keeps the scope catalog', async () => {
      await store.transaction((tx) => tx.insertScope({ name: 'query', description: 'q', createdAt: 1, createdBy: 'tok_a' }));
      expect(await store.getScope('query')).toEqual({ name: 'query', description: 'q', createdAt: 1, createdBy: 'tok_a' });
      expect((await store.listScopes()).map((s) => s.name)).toEqual(['query']);
      await store.transaction((tx) => tx.deleteScope('query'));
      expect(await store.getScope('query')).toBeNull();
    });

    it('keeps policies: created, replaced whole, listed with * first, deleted', async () => {
      const base = { maxTtlSeconds: null, requireExpiry: false, requireCidr: false, maxRateLimit: null, requireOwner: false, createdAt: 1, createdBy: 'tok_a', updatedAt: 1, updatedBy: 'tok_a' };
      const management = { ...base, scope: 'management', maxTtlSeconds: 90 * 86_400, requireCidr: true };
      const all = { ...base, scope: '*', requireOwner: true, maxRateLimit: { requests: 100, perSeconds: 60 } };
      await store.transaction(async (tx) => {
        await tx.putPolicy(management);
        await tx.putPolicy(all);
      });
      expect(await store.listPolicies()).toEqual([all, management]);
      expect(await store.getPolicy('management')).toEqual(management);
      const replaced = { ...base, scope: 'management', requireExpiry: true, updatedAt: 2, updatedBy: 'tok_b' };
      await store.transaction((tx) => tx.putPolicy(replaced));
      expect(await store.getPolicy('management')).toEqual(replaced);
      expect(typeof (await store.getPolicy('management'))!.requireCidr).toBe('boolean');
      expect(await store.transaction((tx) => tx.deletePolicy('management'))).toBe(true);
      expect(await store.transaction((tx) => tx.deletePolicy('management'))).toBe(false);
      expect(await store.getPolicy('management')).toBeNull();
      expect(await store.getPolicy('x\u0000')).toBeNull();
      expect((await store.listPolicies()).map((p) => p.scope)).toEqual(['*']);
    });

    it('stores idempotency records and expires them', async () => {
      const rec = { keyHash: randomBytes(32), callerId: 'tok_a', requestHash: randomBytes(32), responseStatus: 201, responseBody: randomBytes(40), createdAt: 1, expiresAt: 1000 };
      await store.transaction((tx) => tx.putIdempotency(rec));
      expect(await store.getIdempotency(rec.keyHash)).toEqual(rec);
      expect(await store.deleteExpiredIdempotency(999)).toBe(0);
      expect(await store.deleteExpiredIdempotency(1000)).toBe(1);
      expect(await store.getIdempotency(rec.keyHash)).toBeNull();
    });

    it('round-trips any string a caller may send, and lookups by impossible values find nothing', async () => {
      const odd = 'nul\u0000 tab\t é 😀 \ud800';
      const t = makeToken({ description: odd, metadata: { [odd]: odd }, audiences: [odd], revokeReason: odd, rateLimit: { requests: 1, perSeconds: 1 } });
      await store.transaction(async (tx) => {
        await tx.insertToken(t);
        await tx.insertAudit({ id: newId('evt'), at: 1, actor: null, actorIp: null, action: 'token.created', target: t.id, reason: odd, requestId: null, details: { odd } });
        await tx.insertScope({ name: 'odd', description: odd, createdAt: 1, createdBy: null });
      });
      const read = (await store.getToken(t.id))!;
      // A lone surrogate is not valid UTF-8: an engine may keep it or store U+FFFD; all else must survive.
      const wellFormed = (v: string) => v.replace(/[\ud800\ufffd]$/, '');
      expect(wellFormed(read.description)).toBe(wellFormed(odd));
      expect(read.description).toContain('\u0000');
      expect(wellFormed(read.revokeReason!)).toBe(wellFormed(odd));
      expect(wellFormed((await store.listAudit({ limit: 1 }))[0]!.reason!)).toBe(wellFormed(odd));
      expect(wellFormed((await store.getScope('odd'))!.description)).toBe(wellFormed(odd));
      const nul = 'x\u0000';
      expect(await store.getToken(nul)).toBeNull();
      expect(await store.getScope(nul)).toBeNull();
      expect(await store.findCurrentByName(nul, Date.now())).toEqual([]);
      expect(await store.listTokens({ now: Date.now(), limit: 10, name: nul })).toEqual([]);
      expect(await store.listTokens({ now: Date.now(), limit: 10, namePrefix: nul })).toEqual([]);
      expect(await store.listTokens({ now: Date.now(), limit: 10, scope: nul })).toEqual([]);
      expect(await store.listAudit({ limit: 10, target: nul })).toEqual([]);
      expect(await store.countLiveTokensWithScope(nul, Date.now())).toBe(0);
      await store.transaction(async (tx) => {
        expect(await tx.findCurrentByName(nul, Date.now())).toEqual([]);
        expect(await tx.getScope(nul)).toBeNull();
        await tx.deleteScope(nul);
      });
    });

    // Check-then-write inside a transaction must hold against concurrent transactions, on one
    // process (SQLite) and across server instances sharing a database (PostgreSQL).
    const race = <T>(n: number, fn: () => Promise<T>) => Promise.all(Array.from({ length: n }, fn));
    const pause = () => new Promise((r) => setTimeout(r, 10));

    it('lets exactly one of several concurrent transactions claim a free name', async () => {
      const claimed = await race(4, () =>
        store.transaction(async (tx) => {
          if ((await tx.findCurrentByName('shared', Date.now())).length) return false;
          await pause();
          await tx.insertToken(makeToken({ name: 'shared' }));
          return true;
        }),
      );
      expect(claimed.filter(Boolean)).toHaveLength(1);
      expect(await store.findCurrentByName('shared', Date.now())).toHaveLength(1);
    });

    it('lets a claim of many names at once (a restore) and claims of one name exclude each other', async () => {
      const claimOne = () =>
        store.transaction(async (tx) => {
          if ((await tx.findCurrentByName('restored', Date.now())).length) return false;
          await pause();
          await tx.insertToken(makeToken({ name: 'restored' }));
          return true;
        });
      const claimMany = () =>
        store.transaction(async (tx) => {
          if ((await tx.findCurrentByNames(['restored', 'also-restored'], Date.now())).length) return false;
          await pause();
          await tx.insertToken(makeToken({ name: 'restored' }));
          await tx.insertToken(makeToken({ name: 'also-restored' }));
          return true;
        });
      const claimed = await Promise.all([claimOne(), claimMany(), claimOne(), claimMany()]);
      expect(claimed.filter(Boolean)).toHaveLength(1);
      expect(await store.findCurrentByName('restored', Date.now())).toHaveLength(1);
    });

    it('lets exactly one of several concurrent transactions fill an empty store', async () => {
      const filled = await race(3, () =>
        store.transaction(async (tx) => {
          if ((await tx.countTokens()) > 0) return false;
          await pause();
          await tx.insertToken(makeToken({ name: 'bootstrap' }));
          return true;
        }),
      );
      expect(filled.filter(Boolean)).toHaveLength(1);
      expect(await store.countTokens()).toBe(1);
    });

    it('lets exactly one of several concurrent transactions register a scope, without errors', async () => {
      const created = await race(3, () =>
        store.transaction(async (tx) => {
          if (await tx.getScope('query')) return false;
          await pause();
          await tx.insertScope({ name: 'query', description: '', createdAt: 1, createdBy: null });
          return true;
        }),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
    });

    it('never deletes a scope that a concurrent transaction is granting', async () => {
      await store.transaction((tx) => tx.insertScope({ name: 'query', description: '', createdAt: 1, createdBy: null }));
      const grant = store.transaction(async (tx) => {
        if (!(await tx.getScope('query'))) return;
        await pause();
        await tx.insertToken(makeToken({ scopes: ['query'] }));
      });
      const remove = store.transaction(async (tx) => {
        if (!(await tx.getScope('query'))) return;
        if (await tx.countLiveTokensWithScope('query', Date.now())) return;
        await pause();
        await tx.deleteScope('query');
      });
      await Promise.all([grant, remove]);
      const holders = await store.countLiveTokensWithScope('query', Date.now());
      const registered = (await store.getScope('query')) !== null;
      expect(holders === 0 || registered).toBe(true);
    });

    it('lets exactly one of several concurrent transactions record an idempotency key', async () => {
      const keyHash = randomBytes(32);
      const first = await race(3, () =>
        store.transaction(async (tx) => {
          if (await tx.getIdempotency(keyHash)) return false;
          await pause();
          await tx.putIdempotency({ keyHash, callerId: 'tok_a', requestHash: randomBytes(32), responseStatus: 201, responseBody: randomBytes(8), createdAt: 1, expiresAt: Date.now() + HOUR });
          return true;
        }),
      );
      expect(first.filter(Boolean)).toHaveLength(1);
    });

    it('records usage without losing counts and keeps the latest use', async () => {
      const t = makeToken();
      await store.transaction((tx) => tx.insertToken(t));
      await store.recordUsage([{ id: t.id, lastUsedAt: 2000, lastUsedIp: '10.0.0.2', uses: 3 }]);
      await store.recordUsage([{ id: t.id, lastUsedAt: 1000, lastUsedIp: '10.0.0.1', uses: 2 }]);
      const got = (await store.getToken(t.id))!;
      expect([got.useCount, got.lastUsedAt, got.lastUsedIp]).toEqual([5, 2000, '10.0.0.2']);
      expect(got.version).toBe(t.version);
      await store.recordUsage([
        { id: t.id, lastUsedAt: 4000, lastUsedIp: '10.0.0.4', uses: 1 },
        { id: t.id, lastUsedAt: 3000, lastUsedIp: '10.0.0.3', uses: 1 },
        { id: 'tok_gone', lastUsedAt: 3000, lastUsedIp: null, uses: 1 },
      ]);
      const again = (await store.getToken(t.id))!;
      expect([again.useCount, again.lastUsedAt, again.lastUsedIp]).toEqual([7, 4000, '10.0.0.4']);
    });

    it('records a usage batch of hundreds of tokens, each named several times', async () => {
      const tokens = Array.from({ length: 700 }, () => makeToken());
      await store.transaction(async (tx) => {
        for (const t of tokens) await tx.insertToken(t);
      });
      const uses = tokens.flatMap((t, i) => [
        { id: t.id, lastUsedAt: 5000 + i, lastUsedIp: `10.0.${i % 250}.1`, uses: 2 },
        { id: t.id, lastUsedAt: 4000, lastUsedIp: '192.0.2.1', uses: 1 },
      ]);
      await store.recordUsage(uses.reverse());
      const read = await store.listTokens({ now: Date.now(), limit: 1000 });
      expect(read.map((t) => [t.useCount, t.lastUsedAt, t.lastUsedIp])).toEqual(tokens.map((_, i) => [3, 5000 + i, `10.0.${i % 250}.1`]));
    });

    describe('usage history', () => {
      const DAY = 24 * HOUR;
      const day0 = Date.UTC(2027, 2, 1);
      const none = { revoked: 0, suspended: 0, expired: 0, ip: 0, audience: 0, scope: 0, rate_limited: 0, usage_exceeded: 0 };
      const count = (tokenId: string, start: number, uses: number, refusals: Partial<typeof none> = {}) => ({
        tokenId,
        period: 'hour' as const,
        start,
        uses,
        refusals: { ...none, ...refusals },
      });
      const address = (tokenId: string, start: number, addr: string, uses: number, refused = 0) => ({ tokenId, period: 'hour' as const, start, address: addr, uses, refused });

      it('adds counts and addresses per token and hour, and reads them back by hour and by day', async () => {
        await store.addUsage(
          [count('tok_a', day0, 3, { scope: 1 }), count('tok_a', day0 + 2 * HOUR, 5), count('tok_a', day0 + DAY, 7, { ip: 2 }), count('tok_b', day0, 1)],
          [address('tok_a', day0, '10.0.0.1', 3, 1), address('tok_a', day0 + 2 * HOUR, '10.0.0.2', 5)],
        );
        // Adding to rows that exist sums into them.
        await store.transaction((tx) => tx.addUsage([count('tok_a', day0, 2, { scope: 1, revoked: 4 })], [address('tok_a', day0, '10.0.0.1', 2)]));
        const hours = await store.usageSeries('tok_a', 'hour', day0, day0 + 2 * DAY);
        expect(hours.map((h) => [h.start - day0, h.uses, h.refusals.scope, h.refusals.revoked, h.refusals.ip])).toEqual([
          [0, 5, 2, 4, 0],
          [2 * HOUR, 5, 0, 0, 0],
          [DAY, 7, 0, 0, 2],
        ]);
        expect(await store.usageSeries('tok_a', 'hour', day0 + HOUR, day0 + DAY)).toHaveLength(1);
        const days = await store.usageSeries('tok_a', 'day', day0, day0 + 2 * DAY);
        expect(days).toEqual([
          { tokenId: 'tok_a', period: 'day', start: day0, uses: 10, refusals: { ...none, scope: 2, revoked: 4 } },
          { tokenId: 'tok_a', period: 'day', start: day0 + DAY, uses: 7, refusals: { ...none, ip: 2 } },
        ]);
        expect(await store.usageAddresses('tok_a', day0, day0 + DAY, 10)).toEqual([
          { address: '10.0.0.1', uses: 5, refused: 1 },
          { address: '10.0.0.2', uses: 5, refused: 0 },
        ]);
        expect(await store.usageSeries('tok_none', 'hour', day0, day0 + DAY)).toEqual([]);
        expect(await store.usageSeries('tok\u0000', 'day', day0, day0 + DAY)).toEqual([]);
      });

      it('ranks tokens by uses and by refusals, leaving out tokens without any', async () => {
        await store.addUsage(
          [count('tok_a', day0, 10), count('tok_b', day0, 20, { rate_limited: 1 }), count('tok_c', day0, 0, { scope: 3, ip: 1 }), count('tok_a', day0 + HOUR, 15)],
          [],
        );
        const top = await store.topUsage(day0, day0 + DAY, 'uses', 10);
        expect(top.map((t) => [t.tokenId, t.uses])).toEqual([
          ['tok_a', 25],
          ['tok_b', 20],
        ]);
        const refused = await store.topUsage(day0, day0 + DAY, 'refused', 10);
        expect(refused.map((t) => [t.tokenId, t.refusals.scope + t.refusals.ip + t.refusals.rate_limited])).toEqual([
          ['tok_c', 4],
          ['tok_b', 1],
        ]);
        expect((await store.topUsage(day0 + HOUR, day0 + DAY, 'uses', 1)).map((t) => t.tokenId)).toEqual(['tok_a']);
      });

      it('rolls whole days of hours up into days, keeps totals, compacts addresses and drops old days', async () => {
        const addresses = Array.from({ length: 4 }, (_, i) => address('tok_a', day0 + i * HOUR, `10.0.0.${i}`, i + 1, i === 0 ? 9 : 0));
        await store.addUsage(
          [count('tok_a', day0, 1, { expired: 1 }), count('tok_a', day0 + 5 * HOUR, 2), count('tok_a', day0 + DAY + HOUR, 4), count('tok_a', day0 - 30 * DAY, 8)],
          addresses,
        );
        await store.rollUpUsage({ hoursBefore: day0 + DAY + 3 * HOUR, daysBefore: day0 - 10 * DAY, compactHours: { from: day0 + DAY, to: day0 + 2 * DAY }, keepAddresses: 2 });
        // The first day became one day row; the second day (not whole before the cutoff) stays in hours.
        expect((await store.usageSeries('tok_a', 'hour', day0 - 40 * DAY, day0 + 2 * DAY)).map((h) => h.start)).toEqual([day0 + DAY + HOUR]);
        expect(await store.usageSeries('tok_a', 'day', day0 - 40 * DAY, day0 + 2 * DAY)).toEqual([
          { tokenId: 'tok_a', period: 'day', start: day0, uses: 3, refusals: { ...none, expired: 1 } },
          { tokenId: 'tok_a', period: 'day', start: day0 + DAY, uses: 4, refusals: none },
        ]);
        // The day keeps its two most frequent addresses (by calls, refused ones included).
        expect(await store.usageAddresses('tok_a', day0, day0 + DAY, 10)).toEqual([
          { address: '10.0.0.0', uses: 1, refused: 9 },
          { address: '10.0.0.3', uses: 4, refused: 0 },
        ]);
        // Rolling up again adds nothing twice.
        await store.rollUpUsage({ hoursBefore: day0 + DAY, daysBefore: day0 - 10 * DAY, compactHours: { from: day0, to: day0 }, keepAddresses: 2 });
        expect((await store.usageSeries('tok_a', 'day', day0, day0 + DAY))[0]!.uses).toBe(3);

        // Compaction: a closed hour keeps its most frequent addresses.
        const hour = day0 + DAY + HOUR;
        await store.addUsage([], ['a', 'b', 'c', 'd'].map((x, i) => address('tok_b', hour, `10.1.0.${x.charCodeAt(0)}`, i + 1)));
        await store.rollUpUsage({ hoursBefore: day0, daysBefore: day0 - 10 * DAY, compactHours: { from: hour, to: hour + HOUR }, keepAddresses: 2 });
        expect((await store.usageAddresses('tok_b', hour, hour + HOUR, 10)).map((a) => a.uses)).toEqual([4, 3]);
      });

      it('loses no count when several transactions add to the same rows at once', async () => {
        await race(6, () => store.addUsage([count('tok_a', day0, 1, { scope: 1 }), count('tok_b', day0, 2)], [address('tok_a', day0, '10.0.0.1', 1)]));
        const [a] = await store.usageSeries('tok_a', 'hour', day0, day0 + HOUR);
        expect([a!.uses, a!.refusals.scope]).toEqual([6, 6]);
        expect((await store.usageSeries('tok_b', 'hour', day0, day0 + HOUR))[0]!.uses).toBe(12);
        expect((await store.usageAddresses('tok_a', day0, day0 + HOUR, 1))[0]!.uses).toBe(6);
      });

      it('reads tokens by id in one query', async () => {
        const [a, b] = [makeToken(), makeToken()];
        await store.transaction(async (tx) => {
          await tx.insertToken(a!);
          await tx.insertToken(b!);
        });
        expect((await store.getTokensById([b!.id, 'tok_gone', a!.id])).map((t) => t.id).sort()).toEqual([a!.id, b!.id].sort());
        expect(await store.getTokensById([])).toEqual([]);
      });
    });

    describe('webhooks and their outbox', () => {
      const webhook = (overrides: Partial<WebhookRecord> = {}): WebhookRecord => ({
        id: newId('whk'),
        url: 'https://hooks.example.com/x?a=1&b=\u00e9',
        format: 'standard',
        events: ['token.revoked', 'token.created'],
        description: 'd',
        secretSealed: randomBytes(60),
        pepperVersion: 1,
        createdAt: 1000,
        createdBy: 'tok_a',
        ...overrides,
      });
      const delivery = (webhookId: string, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
        id: newId('msg'),
        webhookId,
        eventType: 'token.revoked',
        payload: JSON.stringify({ type: 'token.revoked', data: { odd: 'nul\u0000 é' } }),
        state: 'pending',
        attempts: 0,
        createdAt: 1000,
        nextAttemptAt: 1000,
        leaseUntil: null,
        lastAttemptAt: null,
        lastStatus: null,
        lastError: null,
        deliveredAt: null,
        ...overrides,
      });

      it('keeps webhooks and deliveries, and removing a webhook removes its deliveries', async () => {
        const [a, b] = [webhook(), webhook({ format: 'slack', events: ['auth.denied.burst'] })];
        const [d1, d2] = [delivery(a.id), delivery(b.id)];
        await store.transaction(async (tx) => {
          await tx.insertWebhook(a);
          await tx.insertWebhook(b);
          await tx.insertDeliveries([d1, d2]);
        });
        expect(await store.listWebhooks()).toEqual([a, b]);
        expect(await store.getWebhook(a.id)).toEqual(a);
        expect(await store.getDelivery(d1.id)).toEqual(d1);
        expect(await store.countUndelivered()).toEqual({ pending: 2, failed: 0 });
        expect(await store.transaction((tx) => tx.deleteWebhook(a.id))).toBe(true);
        expect(await store.transaction((tx) => tx.deleteWebhook(a.id))).toBe(false);
        expect(await store.getDelivery(d1.id)).toBeNull();
        expect(await store.listWebhooks()).toEqual([b]);
        expect(await store.getWebhook('whk\u0000')).toBeNull();
      });

      it('claims due deliveries under a lease, one claimer at a time, and records outcomes', async () => {
        const w = webhook();
        const due = Array.from({ length: 6 }, (_, i) => delivery(w.id, { nextAttemptAt: 1000 + i }));
        const later = delivery(w.id, { nextAttemptAt: 9000 });
        await store.transaction(async (tx) => {
          await tx.insertWebhook(w);
          await tx.insertDeliveries([...due, later]);
        });
        // Concurrent claimers split the due deliveries between them; none is claimed twice.
        const claims = await race(3, () => store.transaction((tx) => tx.claimDeliveries(5000, 6000, 4)));
        const claimed = claims.flat().map((d) => d.id);
        expect(claimed.sort()).toEqual(due.map((d) => d.id).sort());
        expect(claims.flat().every((d) => d.attempts === 1 && d.leaseUntil === 6000 && d.lastAttemptAt === 5000)).toBe(true);
        // Leased: not claimable again until the lease ends.
        expect(await store.transaction((tx) => tx.claimDeliveries(5500, 7000, 10))).toEqual([]);
        await store.transaction((tx) => tx.finishDelivery({ id: due[0]!.id, state: 'delivered', nextAttemptAt: 5100, lastStatus: 204, lastError: null, deliveredAt: 5100 }));
        await store.transaction((tx) => tx.finishDelivery({ id: due[1]!.id, state: 'pending', nextAttemptAt: 5200, lastStatus: 503, lastError: 'answered 503', deliveredAt: null }));
        // A finished delivery is not changed again.
        await store.transaction((tx) => tx.finishDelivery({ id: due[0]!.id, state: 'failed', nextAttemptAt: 1, lastStatus: null, lastError: 'late', deliveredAt: null }));
        expect(await store.getDelivery(due[0]!.id)).toMatchObject({ state: 'delivered', lastStatus: 204, deliveredAt: 5100, leaseUntil: null });
        // The retried one is due again at once; the others when their lease ends.
        expect((await store.transaction((tx) => tx.claimDeliveries(5300, 9999, 10))).map((d) => [d.id, d.attempts])).toEqual([[due[1]!.id, 2]]);
        const afterLease = await store.transaction((tx) => tx.claimDeliveries(6000, 12_000, 10));
        expect(afterLease.map((d) => d.id)).toEqual(due.slice(2).map((d) => d.id));
        expect((await store.transaction((tx) => tx.claimDeliveries(9000, 20_000, 10))).map((d) => d.id)).toEqual([later.id]);

        const page = await store.listDeliveries({ webhookId: w.id, limit: 3 });
        expect(page.map((d) => d.id)).toEqual([later, ...due].map((d) => d.id).sort().reverse().slice(0, 3));
        expect((await store.listDeliveries({ webhookId: w.id, limit: 10, state: 'delivered' })).map((d) => d.id)).toEqual([due[0]!.id]);
        expect((await store.listDeliveries({ webhookId: w.id, limit: 10, beforeId: page[2]!.id })).length).toBe(4);
        expect(await store.deleteOldDeliveries(2000)).toBe(1);
        expect(await store.countUndelivered()).toEqual({ pending: 6, failed: 0 });
      });

      it('finds tokens near their expiry with the notices already sent, and records each notice once', async () => {
        const now = 100 * 86_400_000;
        const DAY = 86_400_000;
        const soon = makeToken({ expiresAt: now + 5 * DAY });
        const far = makeToken({ expiresAt: now + 20 * DAY });
        const gone = makeToken({ expiresAt: now - DAY });
        const old = makeToken({ expiresAt: now - 30 * DAY });
        const revoked = makeToken({ expiresAt: now + DAY, status: 'revoked' });
        const rotated = makeToken({ expiresAt: now + DAY, rotatedTo: 'tok_next' });
        await store.transaction(async (tx) => {
          for (const t of [soon, far, gone, old, revoked, rotated]) await tx.insertToken(t);
        });
        const candidates = async () => (await store.expiryCandidates(now, 14 * DAY, 7 * DAY, 100)).map((c) => [c.token.id, c.notified]);
        expect(await candidates()).toEqual([
          [gone.id, null],
          [soon.id, null],
        ]);
        expect(await store.transaction((tx) => tx.insertExpiryNotice(soon.id, soon.expiresAt!, 7, now))).toBe(true);
        expect(await store.transaction((tx) => tx.insertExpiryNotice(soon.id, soon.expiresAt!, 7, now))).toBe(false);
        expect(await store.transaction((tx) => tx.insertExpiryNotice(gone.id, gone.expiresAt!, 0, now))).toBe(true);
        expect(await candidates()).toEqual([[soon.id, 7]]);
        // A new expiry is a new series of notices.
        await store.transaction((tx) => tx.updateToken({ ...soon, expiresAt: now + 6 * DAY, version: 2 }));
        expect(await candidates()).toEqual([[soon.id, null]]);
      });
    });
  });
}

/**
 * A token row as the first release (schema version 1) wrote it, for the upgrade tests: each store
 * supplies its own literals for the columns its engine encodes differently.
 */
export function firstReleaseToken(literals: { description: string; secretHash: string }): { insert: string; expected: TokenRecord } {
  const insert = `INSERT INTO tokens (id, name, description, scopes, audiences, allowed_cidrs, rate_limit, metadata, start, status,
      created_at, created_by, expires_at, last_used_at, last_used_ip, use_count, revoked_at, revoked_by, revoke_reason,
      rotated_from, rotated_to, version, secret_hash, pepper_version)
    VALUES ('tok_legacy', 'legacy', ${literals.description}, '["query"]', '[]', '["10.0.0.0/8"]', '{"requests":1,"perSeconds":2}',
      '{"team":"infra"}', 'tkn_abcdef', 'suspended', 1000, 'tok_admin', NULL, 2000, '10.0.0.1', 3, NULL, NULL, NULL, NULL, NULL, 4,
      ${literals.secretHash}, 1)`;
  const expected: TokenRecord = {
    ...blankToken(),
    id: 'tok_legacy',
    name: 'legacy',
    description: 'from v1',
    scopes: ['query'],
    allowedCidrs: ['10.0.0.0/8'],
    rateLimit: { requests: 1, perSeconds: 2 },
    metadata: { team: 'infra' },
    start: 'tkn_abcdef',
    status: 'suspended',
    createdAt: 1000,
    createdBy: 'tok_admin',
    lastUsedAt: 2000,
    lastUsedIp: '10.0.0.1',
    useCount: 3,
    version: 4,
    secretHash: Buffer.from([0x00, 0xff]),
    pepperVersion: 1,
  };
  return { insert, expected };
}

/**
 * The migrated schema has exactly one column per field of the field tables, of a type the engine
 * uses for the field's kind: the tables the SQL core reads and writes by are the schema's.
 */
export async function expectColumnsForFields(columnTypes: (table: string) => Promise<Record<string, string>>, typesByKind: Record<FieldKind, string[]>): Promise<void> {
  const tables = { tokens: TOKEN_FIELDS, audit_events: AUDIT_FIELDS, scopes: SCOPE_FIELDS, policies: POLICY_FIELDS, idempotency_keys: IDEMPOTENCY_FIELDS, webhooks: WEBHOOK_FIELDS, webhook_deliveries: DELIVERY_FIELDS, console_sessions: SESSION_FIELDS };
  for (const [table, fields] of Object.entries(tables)) {
    const actual = await columnTypes(table);
    expect(Object.keys(actual).sort(), table).toEqual(fields.map((f) => f.column).sort());
    for (const f of fields) expect(typesByKind[f.kind], `${table}.${f.column} (${f.kind})`).toContain(actual[f.column]);
  }
}
