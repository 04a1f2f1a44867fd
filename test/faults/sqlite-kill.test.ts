// Fault suite: kill -9 during writes on SQLite (README "The server"), and a database file another
// process keeps locked. A `tokens server` process on a
// temporary SQLite file runs a create → rotate → revoke loop from several clients and is killed with
// SIGKILL at a random moment, round after round. After each kill the file passes PRAGMA
// integrity_check, and once restarted the server has every write it acknowledged — each created
// token, each rotation's successor and link, each revocation.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { runCleanups } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { api, startTestServer } from '../helpers/server.js';

const ROUNDS = 3;
const WRITERS = 4;
/** Each round is killed at a random moment in this window after its writes start. */
const KILL_AFTER_MS: [number, number] = [300, 1500];

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

/** What the server acknowledged: the write's effect, to be found after every later kill. */
type Ack = { kind: 'created'; id: string; name: string } | { kind: 'rotated'; id: string; successor: string } | { kind: 'revoked'; id: string };

/** Holds the write lock of the database named in argv until told to let go on standard input. */
const LOCK_HOLDER = `
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('PRAGMA busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
console.log('locked');
process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); console.log('released'); });
`;

function integrity(path: string): string {
  const db = new DatabaseSync(path);
  try {
    return (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
  } finally {
    db.close();
  }
}

describe('kill -9 during writes on SQLite', () => {
  it('loses no acknowledged create, rotation or revocation, and leaves the file intact', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-sqlite-kill-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'tokens.db');
    const start = async (): Promise<ServerProcess> => {
      const server = await startServerProcess(['--db', db, '--bootstrap-file', join(dir, 'bootstrap'), '--log-level', 'warn']);
      cleanup.push(async () => void server.child.kill('SIGKILL'));
      return server;
    };
    const acks: Ack[] = [];
    let admin = '';
    let n = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const server = await start();
      admin ||= readFileSync(join(dir, 'bootstrap'), 'utf8').trim();
      // Everything acknowledged before (in earlier rounds, before their kills) is here.
      for (const ack of acks) {
        const res = await api(server, admin, 'GET', `/v1/tokens/${ack.id}`);
        expect(res.status, `${ack.kind} ${ack.id}: ${res.text}`).toBe(200);
        if (ack.kind === 'created') expect(res.body.name).toBe(ack.name);
        if (ack.kind === 'rotated') expect(res.body.rotated_to).toBe(ack.successor);
        if (ack.kind === 'revoked') expect(res.body.status).toBe('revoked');
      }

      let killed = false;
      const writer = async () => {
        while (!killed) {
          const name = `kill-${round}-${n++}`;
          try {
            const made = await api(server, admin, 'POST', '/v1/tokens', { name, scopes: ['tokens:read'] });
            if (made.status !== 201) throw new Error(`create answered ${made.status}: ${made.text}`);
            acks.push({ kind: 'created', id: made.body.token.id, name });
            const rotated = await api(server, admin, 'POST', `/v1/tokens/${made.body.token.id}/rotate`, { overlap_seconds: 60 });
            if (rotated.status !== 201) throw new Error(`rotate answered ${rotated.status}: ${rotated.text}`);
            acks.push({ kind: 'rotated', id: made.body.token.id, successor: rotated.body.token.id });
            acks.push({ kind: 'created', id: rotated.body.token.id, name });
            const revoked = await api(server, admin, 'POST', `/v1/tokens/${rotated.body.token.id}/revoke`, { reason: 'kill test' });
            if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}: ${revoked.text}`);
            acks.push({ kind: 'revoked', id: rotated.body.token.id });
          } catch (err) {
            // The kill cuts requests off mid-way: those were never acknowledged. Anything else is a failure.
            if (!killed) throw err;
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      const [lo, hi] = KILL_AFTER_MS;
      await new Promise((r) => setTimeout(r, lo + Math.random() * (hi - lo)));
      killed = true;
      server.child.kill('SIGKILL');
      expect((await server.child).signal).toBe('SIGKILL');
      await Promise.all(writers);
      expect(integrity(db)).toBe('ok');
    }

    expect(acks.filter((a) => a.kind === 'revoked').length, 'revocations acknowledged across the rounds').toBeGreaterThan(ROUNDS);
    const last = await start();
    for (const ack of acks) {
      const res = await api(last, admin, 'GET', `/v1/tokens/${ack.id}`);
      expect(res.status, `${ack.kind} ${ack.id}`).toBe(200);
      if (ack.kind === 'revoked') expect(res.body.status).toBe('revoked');
    }
  });

  it('a database another process keeps locked: 503 store_unavailable with Retry-After, nothing written, then served', { timeout: 30_000 }, async () => {
    const server = await startTestServer();
    cleanup.push(() => server.destroy());
    // Another process, as an operator's sqlite3 shell would be: it waits its turn for the write lock, then keeps it.
    const other = spawn(process.execPath, ['-e', LOCK_HOLDER, server.dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(async () => void other.kill('SIGKILL'));
    const said = createInterface({ input: other.stdout! })[Symbol.asyncIterator]();
    expect((await said.next()).value).toBe('locked');
    // The server waits busy_timeout (5 s) for the write lock, then gives up.
    const refused = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'while-locked', scopes: ['tokens:read'] });
    expect({ status: refused.status, code: refused.body.code, retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 503, code: 'store_unavailable', retryAfter: '1' });
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    other.stdin!.end('release\n');
    expect((await said.next()).value).toBe('released');
    expect((await api(server, server.adminSecret, 'GET', '/v1/tokens?name=while-locked')).body.data).toEqual([]);
    expect((await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'while-locked', scopes: ['tokens:read'] })).status).toBe(201);
  });
});
