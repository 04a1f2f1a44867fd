import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { storeConformance } from './conformance.js';

storeConformance(
  'SQLite',
  async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'tokens-store-')), 'tokens.db')),
  async (store) => {
    await store.close();
    rmSync(join((store as SqliteStore).path, '..'), { recursive: true, force: true });
  },
);

describe('SQLite specifics', () => {
  it('creates its file and directories on first start, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-store-'));
    const store = new SqliteStore(join(dir, 'nested', 'deeper', 'tokens.db'));
    await store.migrate();
    const mode = store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    expect(mode.journal_mode).toBe('wal');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
