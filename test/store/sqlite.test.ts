import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, StatementSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/server/store/sql/migrations/sqlite.js';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { expectColumnsForFields, firstReleaseToken, makeToken, storeConformance } from './conformance.js';

storeConformance('SQLite', {
  open: async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'tokens-store-')), 'tokens.db')),
  dispose: async (store) => {
    await store.close();
    rmSync(join((store as SqliteStore).path, '..'), { recursive: true, force: true });
  },
  countStatements: async (fn) => {
    const spies = (['all', 'get', 'run', 'iterate'] as const).map((method) => vi.spyOn(StatementSync.prototype, method));
    try {
      await fn();
      return spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  },
});

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return [];
    }
  });
}

describe('SQLite specifics', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-store-'));
    dirs.push(dir);
    return dir;
  };

  it('creates its file and directories on first start, in WAL mode', async () => {
    const store = new SqliteStore(join(tempDir(), 'nested', 'deeper', 'tokens.db'));
    await store.migrate();
    const mode = store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    expect(mode.journal_mode).toBe('wal');
    await store.close();
  });

  it('opens a file the first release wrote (schema version 1), migrates it and reads its tokens', async () => {
    const path = join(tempDir(), 'tokens.db');
    const first = new DatabaseSync(path);
    first.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    first.exec(SQLITE_MIGRATIONS[0]!.sql);
    first.exec('INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)');
    const legacy = firstReleaseToken({ description: "'from v1'", secretHash: "X'00ff'" });
    first.exec(legacy.insert);
    first.close();
    const store = new SqliteStore(path);
    expect(await store.migrate()).toBe(SQLITE_MIGRATIONS.at(-1)!.version);
    expect(await store.getToken('tok_legacy')).toEqual(legacy.expected);
    await store.close();
  });

  it('flushes a usage batch of 512 tokens by looking each id up, never by scanning the tokens table', async () => {
    // A scan holds the event loop for the whole table (200 ms at 1,000,000 tokens) on every flush.
    const store = new SqliteStore(join(tempDir(), 'tokens.db'));
    await store.migrate();
    const prepare = vi.spyOn(store.db, 'prepare');
    let prepared: string[];
    try {
      const at = Date.now();
      await store.recordUsage(Array.from({ length: 512 }, (_, i) => ({ id: `tok_${i}`, uses: 1, lastUsedAt: at, lastUsedIp: '127.0.0.1' })));
      prepared = prepare.mock.calls.map(([sql]) => sql);
    } finally {
      prepare.mockRestore();
    }
    const updates = prepared.filter((sql) => /^\s*WITH u\b/.test(sql));
    expect(updates).toHaveLength(1);
    for (const sql of updates) {
      const explain = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const plan = (explain.all(...Array(sql.split('?').length - 1).fill(null)) as { detail: string }[]).map((r) => r.detail);
      expect(plan.some((step) => /^SEARCH tokens USING/.test(step))).toBe(true);
      expect(plan.filter((step) => /^SCAN tokens\b/.test(step))).toEqual([]);
    }
    await store.close();
  });

  it('checkpoints the WAL on a worker thread, never inside a commit, and leaves no WAL behind on close', async () => {
    const path = join(tempDir(), 'tokens.db');
    const store = new SqliteStore(path);
    await store.migrate();
    // SQLite's automatic checkpoint would run in the commit that crosses 1,000 pages, on the event loop.
    expect(store.db.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 0 });
    // …on a thread of its own at the lowest priority, so that it never holds up requests on a busy core.
    await vi.waitFor(() => expect(threadNiceValues()).toContain(19), { timeout: 5_000, interval: 20 });
    const before = statSync(path).size;
    // About 2,500 pages of tokens, committed in batches as the server does.
    for (let batch = 0; batch < 10; batch++) {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 200; i++) await tx.insertToken(makeToken({ description: 'x'.repeat(4000) }));
      });
    }
    // The worker copies the committed pages into the database file within its interval.
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 8_000_000), { timeout: 5_000, interval: 50 });
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(threadNiceValues()).not.toContain(19);
  });

  it('has one column per field, typed for its kind', async () => {
    const store = new SqliteStore(join(tempDir(), 'tokens.db'));
    await store.migrate();
    await expectColumnsForFields(
      async (table) => {
        const columns = store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string }[];
        return Object.fromEntries(columns.map((c) => [c.name, c.type]));
      },
      { text: ['TEXT'], freeText: ['TEXT'], json: ['TEXT'], integer: ['INTEGER'], boolean: ['INTEGER'], time: ['INTEGER'], bytes: ['BLOB'] },
    );
    await store.close();
  });
});
