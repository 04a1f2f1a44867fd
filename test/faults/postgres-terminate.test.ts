// Fault suite: a `tokens server` process on PostgreSQL whose database connections are terminated
// every 200 ms (pg_terminate_backend, as a failover or a proxy restart does) while clients create
// tokens and a gateway introspects (README "PostgreSQL", when the database drops). The process
// stays up; every create answered 201 is in the database; every failure is a 503 problem+json with
// Retry-After, never a 500 or a reset connection; requests succeed again within a second of the
// terminations stopping; webhook deliveries and usage counts come through whole, counted once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, runCleanups } from '../helpers/postgres.js';
import { startServerProcess, until } from '../helpers/process.js';
import { api } from '../helpers/server.js';
import { startReceiver } from '../webhooks/receiver.js';

const STORM_MS = 20_000;
const TERMINATE_EVERY_MS = 200;
const CREATORS = 6;
const INTROSPECTORS = 2;
/** After the terminations stop, the first request succeeds within this long. */
const RECOVERY_MS = 1000;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

type Answer = { kind: 'answer'; status: number; contentType: string; code: unknown; retryAfter: string | null; body: any } | { kind: 'network'; error: string };

async function call(url: string, secret: string, method: string, path: string, body: unknown): Promise<Answer> {
  try {
    const res = await api({ url }, secret, method, path, body);
    return { kind: 'answer', status: res.status, contentType: res.headers.get('content-type') ?? '', code: res.body?.code, retryAfter: res.headers.get('retry-after'), body: res.body };
  } catch (err) {
    return { kind: 'network', error: String((err as { cause?: unknown }).cause ?? err) };
  }
}

describe('PostgreSQL connections terminated under load', () => {
  it('keeps the process up, loses no acknowledged write, and answers every failure with 503 problem+json', { timeout: 90_000 }, async () => {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const dir = mkdtempSync(join(tmpdir(), 'tokens-pgfault-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());

    const server = await startServerProcess(
      ['--database-url', db.url, '--bootstrap-file', join(dir, 'bootstrap'), '--allow-private-webhooks', '--log-level', 'warn'],
      { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` },
    );
    cleanup.push(async () => void server.child.kill('SIGKILL'));
    const { url } = server;
    const admin = readFileSync(join(dir, 'bootstrap'), 'utf8').trim();

    const hook = await api({ url }, admin, 'POST', '/v1/webhooks', { url: receiver.url, events: ['token.created'] });
    expect(hook.status, hook.text).toBe(201);
    receiver.secret = hook.body.secret;
    const gateway = await api({ url }, admin, 'POST', '/v1/tokens', { name: 'gateway', scopes: ['verify'] });
    const client = await api({ url }, admin, 'POST', '/v1/tokens', { name: 'client', scopes: ['tokens:read'] });
    expect([gateway.status, client.status]).toEqual([201, 201]);

    // Only this test's database: its backends, never another's.
    const killer = new pg.Client({ connectionString: db.url });
    killer.on('error', () => undefined);
    await killer.connect();
    cleanup.push(() => killer.end().catch(() => undefined));
    let terminated = 0;
    let storming = true;
    const terminations = (async () => {
      while (storming) {
        const { rows } = await killer.query('SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
        terminated += rows[0].n;
        await new Promise((r) => setTimeout(r, TERMINATE_EVERY_MS));
      }
    })();

    const acknowledged: { id: string; name: string }[] = [];
    const failures: Answer[] = [];
    let admitted = 0;
    let next = 0;
    const stormEnds = Date.now() + STORM_MS;
    const creators = Array.from({ length: CREATORS }, async () => {
      while (Date.now() < stormEnds) {
        const name = `storm-${next++}`;
        const a = await call(url, admin, 'POST', '/v1/tokens', { name, scopes: ['tokens:read'] });
        if (a.kind === 'answer' && a.status === 201) acknowledged.push({ id: a.body.token.id, name });
        else failures.push(a);
      }
    });
    const introspectors = Array.from({ length: INTROSPECTORS }, async () => {
      while (Date.now() < stormEnds) {
        const a = await call(url, gateway.body.secret, 'POST', '/v1/introspect', { token: client.body.secret });
        if (a.kind === 'answer' && a.status === 200 && a.body.active === true) admitted++;
        else failures.push(a);
      }
    });
    await Promise.all([...creators, ...introspectors]);
    storming = false;
    await terminations;
    const stoppedAt = Date.now();
    expect(server.alive(), `the server exited:\n${server.output()}`).toBe(true);

    // Back within a second of the terminations stopping.
    let recoveredAfter = -1;
    for (let i = 0; ; i++) {
      const a = await call(url, admin, 'POST', '/v1/tokens', { name: `after-${i}`, scopes: ['tokens:read'] });
      if (a.kind === 'answer' && a.status === 201) {
        recoveredAfter = Date.now() - stoppedAt;
        acknowledged.push({ id: a.body.token.id, name: `after-${i}` });
        break;
      }
      failures.push(a);
      if (Date.now() - stoppedAt > 5000) break;
    }
    expect(recoveredAfter, 'ms from the last termination to the first successful create').toBeGreaterThanOrEqual(0);
    expect(recoveredAfter).toBeLessThanOrEqual(RECOVERY_MS);
    expect(server.alive(), server.output()).toBe(true);

    expect(terminated, 'backends terminated').toBeGreaterThan(STORM_MS / TERMINATE_EVERY_MS / 2);
    expect(acknowledged.length, 'creates acknowledged').toBeGreaterThan(50);
    expect(admitted, 'introspections admitted').toBeGreaterThan(50);

    // Every failure was a clean 503: no 500, no reset connection, no other status. (Most requests
    // whose connection dies are run again by the server, so there may be none at all.)
    const unclean = failures.filter(
      (f) => f.kind === 'network' || f.status !== 503 || f.retryAfter === null || !(f.code === 'store_unavailable' || f.code === 'unavailable'),
    );
    expect(unclean).toEqual([]);
    for (const f of failures) if (f.kind === 'answer' && f.code === 'store_unavailable') expect(f.contentType).toMatch(/^application\/problem\+json/);

    // Every acknowledged create is in the database, once; nothing else was created but what a 503 may have left.
    const ids = acknowledged.map((t) => t.id);
    const stored = await db.query<{ id: string; name: string }>("SELECT id, name FROM tokens WHERE name LIKE 'storm-%' OR name LIKE 'after-%'");
    const storedIds = new Set(stored.map((r) => r.id));
    expect(ids.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stored.length).toBeGreaterThanOrEqual(ids.length);
    expect(stored.length).toBeLessThanOrEqual(ids.length + failures.length);
    const byId = new Map(stored.map((r) => [r.id, r.name]));
    for (const t of acknowledged) expect(byId.get(t.id)).toBe(t.name);

    // Each stored token's token.created event is delivered, once.
    const storedCreated = () => new Set(receiver.events('token.created').map((r) => r.event!.data.token.id as string));
    await until(() => stored.every((r) => storedCreated().has(r.id)), 20_000);
    const deliveredIds = receiver.events('token.created').map((r) => r.id);
    expect(new Set(deliveredIds).size, 'a webhook-id delivered twice').toBe(deliveredIds.length);

    // Usage flushes survived: the client token's use count is every admitted introspection, once.
    await until(async () => (await api({ url }, admin, 'GET', `/v1/tokens/${client.body.token.id}`)).body.use_count >= admitted, 15_000);
    expect((await api({ url }, admin, 'GET', `/v1/tokens/${client.body.token.id}`)).body.use_count).toBe(admitted);
  });
});
