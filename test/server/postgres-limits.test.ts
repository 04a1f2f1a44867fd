// Limits that hold across instances (README "Limits and quotas"): three real server instances on one
// PostgreSQL database; usage quotas exact however the calls spread over them, and refused rather than
// over-used while the store is unreachable.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups, type TestDatabase } from '../helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { forwardAuth, introspect } from '../verify/helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

async function fleet(count: number, url?: (db: TestDatabase) => Promise<string>) {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  const env = { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` };
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const server = await startTestServer({ databaseUrl: url ? await url(db) : db.url }, env);
    cleanup.push(() => server.destroy());
    servers.push(server);
  }
  const admin = servers[0]!.adminSecret;
  const issue = async (body: Record<string, unknown>) => {
    const res = await api(servers[0]!, admin, 'POST', '/v1/tokens', { name: `lim-${randomBytes(3).toString('hex')}`, scopes: ['tokens:read'], ...body });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.token.id as string, secret: res.body.secret as string };
  };
  const gateway = await issue({ scopes: ['verify'] });
  return { db, servers, admin, issue, gateway };
}

describe('usage quotas across three instances on PostgreSQL', () => {
  it('a single-use token presented 50 times at once across the three is admitted exactly once', async () => {
    const { servers, gateway, issue, admin } = await fleet(3);
    const t = await issue({ max_uses: 1 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => introspect(servers[i % 3]!, gateway.secret, { token: t.secret })));
    expect(answers.filter((a) => a.body.active === true)).toHaveLength(1);
    expect(answers.filter((a) => a.body.reason === 'usage_exceeded')).toHaveLength(49);
    expect((await api(servers[2]!, admin, 'GET', `/v1/tokens/${t.id}`)).body).toMatchObject({ max_uses: 1, uses_remaining: 0 });
  });

  it('a quota of 1,000 under full load over the three admits exactly 1,000, and says so once (token.quota_exhausted)', async () => {
    const { servers, gateway, issue, admin, db } = await fleet(3);
    const t = await issue({ max_uses: 1000 });
    let admitted = 0;
    let next = 0;
    const client = async (calls: number) => {
      for (let i = 0; i < calls; i++) {
        const res = await forwardAuth(servers[next++ % 3]!, gateway.secret, `Bearer ${t.secret}`);
        if (res.status === 200) admitted++;
        else expect(res.body).toMatchObject({ status: 429, code: 'usage_exceeded' });
      }
    };
    await Promise.all(Array.from({ length: 30 }, () => client(45)));
    expect(admitted).toBe(1000);
    // Whatever an instance still held went back when it stopped: the store's count is exact too.
    for (const s of servers.slice(1)) await s.close();
    expect((await api(servers[0]!, admin, 'GET', `/v1/tokens/${t.id}`)).body).toMatchObject({ max_uses: 1000, uses_remaining: 0 });
    const audit = await db.query("SELECT target FROM audit_events WHERE action = 'token.quota_exhausted'");
    expect(audit.map((r) => r.target)).toEqual([t.id]);
  });
});

describe('the store unreachable', () => {
  it('a quota token is refused (503, fail closed) once its lease is used, and admitted again once the store is back', async () => {
    let proxy!: TcpProxy;
    const { servers, gateway, issue } = await fleet(1, async (db) => {
      proxy = await startTcpProxy(db.url);
      cleanup.push(() => proxy.close());
      return proxy.url;
    });
    const [server] = servers;
    const quota = await issue({ max_uses: 1000 });
    // Cached, holding a small lease.
    expect((await introspect(server!, gateway.secret, { token: quota.secret })).body.active).toBe(true);
    proxy.cut();
    let admitted = 0;
    let unavailable = 0;
    for (let i = 0; i < 100; i++) {
      const res = await forwardAuth(server!, gateway.secret, `Bearer ${quota.secret}`);
      if (res.status === 200) admitted++;
      else if (res.status === 503) unavailable++;
    }
    // What it had leased it may use (the store already counted it); nothing more.
    expect(admitted).toBeLessThan(100);
    expect(admitted + unavailable).toBe(100);
    proxy.heal();
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = (await forwardAuth(server!, gateway.secret, `Bearer ${quota.secret}`)).status === 200;
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(true);
  }, 30_000);
});
