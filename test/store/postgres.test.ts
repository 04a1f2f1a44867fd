import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../../src/server/store/postgres.js';
import { POSTGRES_MIGRATIONS } from '../../src/server/store/sql/migrations/postgres.js';
import { StoreUnavailableError, type Store } from '../../src/server/store/types.js';
import { createTestDatabase, runCleanups, type TestDatabase } from '../helpers/postgres.js';
import { expectColumnsForFields, firstReleaseToken, makeToken, storeConformance } from './conformance.js';

const databases = new Map<Store, TestDatabase>();

storeConformance('PostgreSQL', {
  open: async () => {
    const db = await createTestDatabase();
    const store = new PostgresStore(db.url);
    databases.set(store, db);
    return store;
  },
  dispose: async (store) => {
    const db = databases.get(store)!;
    databases.delete(store);
    try {
      await store.close();
    } finally {
      await db.drop();
    }
  },
  countStatements: async (fn) => {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await fn();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  },
});

/** Waits for a condition that the change feed makes true, bounded. */
async function until(condition: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PostgreSQL specifics', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await runCleanups(cleanup);
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    return db;
  }

  function open(db: TestDatabase, options?: PostgresStoreOptions): PostgresStore {
    const store = new PostgresStore(db.url, options);
    cleanup.push(() => store.close());
    return store;
  }

  function watch(store: Store) {
    const seen = { changed: [] as string[], resets: 0, health: [] as boolean[] };
    const stop = store.watchChanges!({
      onChange: (ids) => seen.changed.push(...ids),
      onReset: () => seen.resets++,
      onHealth: (healthy) => seen.health.push(healthy),
    });
    cleanup.push(stop);
    return seen;
  }

  it('applies each migration once when several instances start at the same moment', async () => {
    const db = await database();
    const stores = Array.from({ length: 4 }, () => open(db));
    const versions = await Promise.all(stores.map((s) => s.migrate()));
    const latest = POSTGRES_MIGRATIONS.at(-1)!.version;
    expect(versions).toEqual(stores.map(() => latest));
    const applied = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('opens a database the first release wrote (schema version 1), migrates it and reads its tokens', async () => {
    const db = await database();
    const legacy = firstReleaseToken({ description: `'"from v1"'`, secretHash: `'\\x00ff'` });
    await db.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL);
      ${POSTGRES_MIGRATIONS[0]!.sql};
      INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0);
      ${legacy.insert}`);
    const store = open(db);
    expect(await store.migrate()).toBe(POSTGRES_MIGRATIONS.at(-1)!.version);
    expect(await store.getToken('tok_legacy')).toEqual(legacy.expected);
  });

  it('has one column per field, typed for its kind', async () => {
    const db = await database();
    await open(db).migrate();
    await expectColumnsForFields(
      async (table) => {
        const columns = await db.query('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1', [table]);
        return Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]));
      },
      { text: ['text'], freeText: ['json'], json: ['json', 'jsonb'], integer: ['integer', 'bigint'], boolean: ['boolean'], time: ['bigint'], bytes: ['bytea'] },
    );
  });

  it('keeps bigint times exact and sorts keys bytewise', async () => {
    const db = await database();
    const store = open(db);
    await store.migrate();
    const far = 8_640_000_000_000_000; // the last millisecond a JavaScript Date can hold
    const t = makeToken({ name: 'Zeta', expiresAt: far });
    const u = makeToken({ name: 'alpha' });
    await store.transaction(async (tx) => {
      await tx.insertToken(t);
      await tx.insertToken(u);
    });
    expect((await store.getToken(t.id))!.expiresAt).toBe(far);
    const names = (await store.listTokens({ now: 0, limit: 10, namePrefix: '' })).map((x) => x.name).sort();
    expect(names).toEqual(['Zeta', 'alpha']);
    const columnTypes = await db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'tokens' AND column_name = 'created_at'");
    expect(columnTypes[0].data_type).toBe('bigint');
  });

  it('tells every instance which tokens another one changed, after commit only', async () => {
    const db = await database();
    const writer = open(db);
    await writer.migrate();
    const reader = open(db);
    const seen = watch(reader);
    await until(() => seen.resets > 0); // the feed has its position
    const t = makeToken();
    await writer.transaction((tx) => tx.insertToken(t));

    await expect(
      writer.transaction(async (tx) => {
        await tx.updateToken({ ...t, version: 2 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await writer.transaction(async (tx) => tx.updateToken({ ...t, status: 'revoked', version: 2 }));
    await until(() => seen.changed.includes(t.id));
    expect(seen.changed).toEqual([t.id]);

    // Outside a transaction too.
    await writer.updateToken({ ...t, status: 'revoked', version: 3 });
    await until(() => seen.changed.length === 2);

    // A restore: every instance drops everything, rather than a token or two.
    const resetsBefore = seen.resets;
    await writer.transaction(async (tx) => {
      await tx.insertToken(makeToken());
      await tx.announceRestore();
    });
    await until(() => seen.resets > resetsBefore);
    expect(seen.changed).toHaveLength(2);
  });

  it('runs a transaction again, once, when its connection dies before or during COMMIT; never writes it twice', async () => {
    const db = await database();
    const store = open(db);
    await store.migrate();
    // A trigger that terminates its own backend the first time a token is inserted: the transaction
    // dies mid-statement (before COMMIT) and is provably not committed.
    await db.query(`CREATE SEQUENCE die_once; CREATE FUNCTION die_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('die_once') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$;
      CREATE TRIGGER die_once AFTER INSERT ON tokens FOR EACH ROW EXECUTE FUNCTION die_once()`);
    const first = makeToken();
    let runs = 0;
    const value = await store.transaction(async (tx) => {
      runs++;
      await tx.insertToken(first);
      return runs;
    });
    expect({ runs, value }).toEqual({ runs: 2, value: 2 });
    expect(await db.query('SELECT id FROM tokens WHERE id = $1', [first.id])).toHaveLength(1);

    // Now at COMMIT: a deferred constraint trigger runs there and the backend dies inside it. The
    // outcome is looked up by the transaction's id (aborted), and it runs again.
    await db.query(`DROP TRIGGER die_once ON tokens; SELECT setval('die_once', 1, false);
      CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die_once()`);
    const second = makeToken();
    runs = 0;
    await store.transaction(async (tx) => {
      runs++;
      await tx.insertToken(second);
    });
    expect(runs).toBe(2);
    expect(await db.query('SELECT id FROM tokens WHERE id = $1', [second.id])).toHaveLength(1);

    // A statement outside a transaction that reads is run again too; the pool stays usable.
    await db.query(`DROP TRIGGER die_at_commit ON tokens`);
    expect(await store.getToken(first.id)).toMatchObject({ id: first.id });
    await store.close();
  });

  it('answers StoreUnavailableError, not a raw driver error, when the database cannot be reached', async () => {
    const store = new PostgresStore('postgres://postgres@127.0.0.1:1/nowhere', { timeouts: { connectMs: 500 } });
    cleanup.push(() => store.close());
    await expect(store.getToken('tok_x')).rejects.toMatchObject({ name: 'Error', code: 'store_unavailable' });
    await expect(store.transaction(async (tx) => tx.getToken('tok_x'))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('replays changes committed while its LISTEN connection was down', async () => {
    const db = await database();
    const writer = open(db);
    await writer.migrate();
    // No poll to speak of: only the reconnect's replay can deliver the change.
    const reader = open(db, { changeFeed: { pollMs: 60_000, failClosedMs: 120_000 } });
    const seen = watch(reader);
    // The feed has its position (a change committed before that would count as already seen).
    await until(() => seen.resets > 0);
    const t = makeToken();
    await writer.transaction((tx) => tx.insertToken(t));
    await until(async () => (await listeners(db)) === 1);
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tokens-listen' AND datname = $1", [db.name]);
    await writer.updateToken({ ...t, version: 2 });
    await until(() => seen.changed.includes(t.id));
  });

  it('fails closed: resets caches while the outbox cannot be read, and says when it recovers', async () => {
    const db = await database();
    const store = open(db, { changeFeed: { pollMs: 50, failClosedMs: 300 } });
    await store.migrate();
    const seen = watch(store);
    await until(() => seen.resets === 1);
    await db.query('ALTER TABLE token_changes RENAME TO token_changes_away');
    await until(() => seen.health.includes(false) && seen.resets >= 3);
    await db.query('ALTER TABLE token_changes_away RENAME TO token_changes');
    await until(() => seen.health.at(-1) === true);
    const resets = seen.resets;
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.resets).toBe(resets);
  });

  it('resets rather than guess when outbox rows it needed were pruned', async () => {
    const db = await database();
    const writer = open(db);
    await writer.migrate();
    const reader = open(db, { changeFeed: { pollMs: 50 } });
    const seen = watch(reader);
    await until(() => seen.resets === 1);
    // Two changes land in one transaction that also prunes the first, so the reader never sees it.
    await db.query(`INSERT INTO token_changes (token_id, at) VALUES ('tok_a', 0), ('tok_b', 0); DELETE FROM token_changes WHERE token_id = 'tok_a'`);
    await until(() => seen.resets === 2);
    expect(seen.changed).not.toContain('tok_b');
  });

  it('prunes old outbox rows', async () => {
    const db = await database();
    const store = open(db, { changeFeed: { pollMs: 20, pruneEveryMs: 50, retentionMs: 0 } });
    await store.migrate();
    const t = makeToken();
    await store.transaction((tx) => tx.insertToken(t));
    await store.updateToken({ ...t, version: 2 });
    expect(await db.query('SELECT seq FROM token_changes')).toHaveLength(1);
    watch(store);
    await until(async () => (await db.query('SELECT seq FROM token_changes')).length === 0);
  });
});

async function listeners(db: TestDatabase): Promise<number> {
  const rows = await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'tokens-listen' AND datname = $1", [db.name]);
  return rows[0].n;
}
