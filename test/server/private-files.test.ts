// What the server writes to disk is private to its user: the default data directory 0700, the SQLite
// database with its WAL and SHM files and the pepper 0600, whatever the umask lets through.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/server/main.js';
import { api } from '../helpers/server.js';
import { collectingStream } from '../helpers/streams.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('files the server creates', () => {
  it('makes the default data directory 0700 and the database, its WAL and SHM files and the pepper 0600', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tokens-files-'));
    dirs.push(home);
    const previous = process.umask(0o022);
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      server = await startServer(
        { port: 0, host: '127.0.0.1', bootstrapFile: join(home, 'boot'), secretPrefix: 'tkn', trustProxy: [], logLevel: 'silent' },
        { stderr: collectingStream(), env: { XDG_DATA_HOME: join(home, 'share') }, logger: false },
      );
    } finally {
      process.umask(previous);
    }
    try {
      const dataDir = join(home, 'share', 'tokens');
      const db = join(dataDir, 'tokens.db');
      // A write, so that the WAL and its index exist.
      const secret = (await import('node:fs')).readFileSync(join(home, 'boot'), 'utf8').trim();
      expect((await api(server, secret, 'POST', '/v1/tokens', { name: 'files', scopes: ['tokens:read'] })).status).toBe(201);
      expect(mode(dataDir)).toBe(0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`, `${db}.pepper`]) {
        expect(existsSync(file), file).toBe(true);
        expect(mode(file), file).toBe(0o600);
      }
    } finally {
      await server.close();
    }
  });
});
