// Two real server instances sharing one PostgreSQL database (README "PostgreSQL": migrations,
// concurrency, changes reaching every instance within 1 s).
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { POSTGRES_MIGRATIONS } from '../../src/server/store/sql/migrations/postgres.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups, type TestDatabase } from '../helpers/postgres.js';

/** Revocation, suspension and scope changes take effect on every instance within this long. */
const PROPAGATION_MS = 1000;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

async function sharedDatabase(): Promise<{ db: TestDatabase; env: NodeJS.ProcessEnv }> {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  return { db, env: { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` } };
}

async function instance(db: TestDatabase, env: NodeJS.ProcessEnv): Promise<TestServer> {
  const server = await startTestServer({ databaseUrl: db.url }, env);
  cleanup.push(() => server.destroy());
  return server;
}

/** Two instances on one fresh database; A bootstrapped it. */
async function pair() {
  const { db, env } = await sharedDatabase();
  const a = await instance(db, env);
  const b = await instance(db, env);
  expect(a.adminSecret).not.toBe('');
  expect(b.adminSecret).toBe('');
  return { a, b, admin: a.adminSecret };
}

async function create(server: TestServer, secret: string, body: Record<string, unknown>) {
  const res = await api(server, secret, 'POST', '/v1/tokens', body);
  expect(res.status, res.text).toBe(201);
  return res.body as { token: { id: string; name: string }; secret: string };
}

/** Polls `refused` until it holds; fails if that takes longer than PROPAGATION_MS. */
async function withinPropagation(refused: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await refused()) return;
    const elapsed = Date.now() - started;
    if (elapsed > PROPAGATION_MS) throw new Error(`the change had not reached the other instance after ${elapsed} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('several server instances on one PostgreSQL database', () => {
  it('apply migrations once and bootstrap once when they start at the same moment', async () => {
    const { db, env } = await sharedDatabase();
    const servers = await Promise.all([instance(db, env), instance(db, env), instance(db, env)]);
    expect(servers.filter((s) => s.adminSecret !== '')).toHaveLength(1);
    const applied = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    expect(await db.query("SELECT id FROM tokens WHERE name = 'bootstrap'")).toHaveLength(1);
    for (const server of servers) {
      const ready = await api(server, null, 'GET', '/readyz');
      expect(ready.body).toMatchObject({ status: 'ready', store: 'postgres', schema_version: POSTGRES_MIGRATIONS.at(-1)!.version });
    }
  });

  it('serve a token created on one instance from the other, and refuse it there once revoked on the first', async () => {
    const { a, b, admin } = await pair();
    const made = await create(a, admin, { name: 'ci-deploy', scopes: ['tokens:read'] });
    expect((await api(b, made.secret, 'GET', '/v1/whoami')).status).toBe(200);
    expect((await api(b, admin, 'GET', `/v1/tokens/${made.token.id}`)).body.name).toBe('ci-deploy');

    expect((await api(a, admin, 'POST', `/v1/tokens/${made.token.id}/revoke`, { reason: 'leaked' })).status).toBe(200);
    await withinPropagation(async () => (await api(b, made.secret, 'GET', '/v1/whoami')).status === 401);
    expect((await api(b, admin, 'GET', `/v1/tokens/${made.token.id}`)).body.status).toBe('revoked');
  });

  it('carry suspension, scope changes and revocation to the other instance’s verify cache within 1 s', async () => {
    const { a, b, admin } = await pair();
    const gateway = await create(a, admin, { name: 'gateway', scopes: ['verify'] });
    const client = await create(a, admin, { name: 'client', scopes: ['tokens:read', 'audit:read'] });
    const introspect = async (scope?: string) => {
      const res = await api(b, gateway.secret, 'POST', '/v1/introspect', { token: client.secret, ...(scope ? { scope } : {}) });
      expect(res.status, res.text).toBe(200);
      return res.body.active as boolean;
    };
    const forwardAuth = async () =>
      (await api(b, client.secret, 'GET', '/v1/auth?scope=tokens:read', undefined, { 'x-verifier-token': gateway.secret })).status;

    // Warm B's cache, then change the token on A.
    expect(await introspect('audit:read')).toBe(true);
    expect(await forwardAuth()).toBe(200);

    expect((await api(a, admin, 'POST', `/v1/tokens/${client.token.id}/scopes`, { remove: ['audit:read'] })).status).toBe(200);
    await withinPropagation(async () => !(await introspect('audit:read')));
    expect(await introspect('tokens:read')).toBe(true);

    expect((await api(a, admin, 'POST', `/v1/tokens/${client.token.id}/suspend`, {})).status).toBe(200);
    await withinPropagation(async () => !(await introspect()));
    expect((await api(a, admin, 'POST', `/v1/tokens/${client.token.id}/resume`, {})).status).toBe(200);
    await withinPropagation(async () => await introspect());
    expect(await forwardAuth()).toBe(200);

    expect((await api(a, admin, 'POST', `/v1/tokens/${client.token.id}/revoke`, { reason: 'leaked' })).status).toBe(200);
    await withinPropagation(async () => !(await introspect()) && (await forwardAuth()) === 401);
  });

  it('let exactly one of two concurrent rotations of one token win, never leaving two live successors', async () => {
    const { a, b, admin } = await pair();
    for (let round = 0; round < 5; round++) {
      const made = await create(a, admin, { name: `rotated-${round}`, scopes: ['tokens:read'] });
      const [ra, rb] = await Promise.all(
        [a, b].map((server) => api(server, admin, 'POST', `/v1/tokens/${made.token.id}/rotate`, { overlap_seconds: 60 })),
      );
      expect([ra!.status, rb!.status].sort(), `${ra!.text} ${rb!.text}`).toEqual([201, 409]);
      const live = await api(b, admin, 'GET', `/v1/tokens?name=rotated-${round}&status=active`);
      const successors = live.body.data.filter((t: { rotated_from: string | null }) => t.rotated_from === made.token.id);
      expect(successors).toHaveLength(1);
    }
  });

  it('let exactly one of two concurrent creates of one name win', async () => {
    const { a, b, admin } = await pair();
    for (let round = 0; round < 5; round++) {
      const [ra, rb] = await Promise.all(
        [a, b].map((server) => api(server, admin, 'POST', '/v1/tokens', { name: `same-${round}`, scopes: ['tokens:read'] })),
      );
      expect([ra!.status, rb!.status].sort(), `${ra!.text} ${rb!.text}`).toEqual([201, 409]);
      const live = await api(a, admin, 'GET', `/v1/tokens?name=same-${round}`);
      expect(live.body.data).toHaveLength(1);
    }
  });

  it('replay one create to both instances when the same Idempotency-Key reaches them at once', async () => {
    const { a, b, admin } = await pair();
    const body = { name: 'once', scopes: ['tokens:read'] };
    const [ra, rb] = await Promise.all(
      [a, b].map((server) => api(server, admin, 'POST', '/v1/tokens', body, { 'idempotency-key': 'create-once-1' })),
    );
    expect([ra!.status, rb!.status], `${ra!.text} ${rb!.text}`).toEqual([201, 201]);
    expect(ra!.body.token.id).toBe(rb!.body.token.id);
    expect((await api(a, admin, 'GET', '/v1/tokens?name=once')).body.data).toHaveLength(1);
  });

  it('restore a backup on one instance: its secrets work on both, even where they were refused just before', async () => {
    const { db, env } = await sharedDatabase();
    // The backup comes from an embedded server with the same pepper.
    const source = await startTestServer({}, env);
    cleanup.push(() => source.destroy());
    const restored = await create(source, source.adminSecret, { name: 'restored', scopes: ['tokens:read'], owner: 'alice@example.com' });
    const backup = await api(source, source.adminSecret, 'GET', '/v1/export?include_hashes=true');
    expect(backup.status).toBe(200);

    const a = await instance(db, env);
    const b = await instance(db, env);
    const gateway = await create(a, a.adminSecret, { name: 'gateway', scopes: ['verify'] });
    const introspectOnB = async () => (await api(b, gateway.secret, 'POST', '/v1/introspect', { token: restored.secret })).body.active as boolean;
    // B looks the secret up and remembers that nobody has it.
    expect(await introspectOnB()).toBe(false);

    const imported = await api(a, a.adminSecret, 'POST', '/v1/import', backup.body);
    expect(imported.status, imported.text).toBe(200);
    // Both servers were bootstrapped: the source's bootstrap token keeps its name only on the source.
    expect(imported.body.summary).toEqual({ created: 1, updated: 0, skipped: 0, refused: 1 });
    await withinPropagation(introspectOnB);
    expect((await api(b, restored.secret, 'GET', '/v1/whoami')).body.token).toMatchObject({ id: restored.token.id, owner: 'alice@example.com' });
    const again = await api(b, a.adminSecret, 'POST', '/v1/import', backup.body);
    expect(again.body.summary).toEqual({ created: 0, updated: 0, skipped: 1, refused: 1 });
  });
});
