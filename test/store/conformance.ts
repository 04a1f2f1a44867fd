// The Store contract, written once against the interface: every implementation runs this suite.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/shared/ids.js';
import type { Store, TokenRecord } from '../../src/server/store/types.js';
import { blankToken } from '../../src/server/service/tokens.js';

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

export function storeConformance(label: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
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
  });
}
