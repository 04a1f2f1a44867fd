// Shared rate limits (README "Limits and quotas"): three real instances on one PostgreSQL database
// behind a round-robin proxy hold a token to its limit together, with a store call per lease rather
// than per request; the store unreachable, they fall back to their own buckets and say so.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups } from '../helpers/postgres.js';
import { startRoundRobinProxy } from '../helpers/round-robin.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { forwardAuth, metric, wellFormedUnknownSecret } from '../verify/helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await runCleanups(cleanup);
});

/** Server time runs this many times faster than real time: a one-minute window passes in 3 s. */
const SPEED = 20;

async function fleet(count: number, opts: { clock?: () => number; via?: (url: string) => string } = {}) {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  const env = { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` };
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const server = await startTestServer({ databaseUrl: opts.via ? opts.via(db.url) : db.url }, env, { clock: opts.clock });
    cleanup.push(() => server.destroy());
    servers.push(server);
  }
  const admin = servers[0]!.adminSecret;
  const issue = async (body: Record<string, unknown>) => {
    const res = await api(servers[0]!, admin, 'POST', '/v1/tokens', { name: `rate-${randomBytes(3).toString('hex')}`, scopes: ['tokens:read'], ...body });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.token.id as string, secret: res.body.secret as string };
  };
  const gateway = await issue({ scopes: ['verify'] });
  return { db, servers, issue, gateway };
}

describe('a shared rate limit over three instances on PostgreSQL', () => {
  it('120/min driven as fast as possible for a minute through a round-robin proxy: admitted between 96 (R − (n−1)·c) and 132 (R × 1.1)', async () => {
    const t0 = Date.now();
    const clock = () => t0 + (Date.now() - t0) * SPEED;
    const { servers, issue, gateway } = await fleet(3, { clock });
    const proxy = await startRoundRobinProxy(servers.map((s) => s.url));
    cleanup.push(() => proxy.close());
    const t = await issue({ rate_limit: { requests: 120, per_seconds: 60 } });
    let admitted = 0;
    let limited = 0;
    const start = clock();
    const client = async () => {
      while (clock() - start < 60_000) {
        const res = await forwardAuth(proxy, gateway.secret, `Bearer ${t.secret}`);
        if (res.status === 200) admitted++;
        else {
          expect(res.status).toBe(429);
          expect(res.body.code).toBe('rate_limited');
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          limited++;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    const seen = JSON.stringify({ admitted, limited, counts: proxy.counts });
    expect(admitted, seen).toBeGreaterThanOrEqual(96);
    expect(admitted, seen).toBeLessThanOrEqual(132);
    expect(limited).toBeGreaterThan(admitted);
    // Every instance served its third, and asked the store per lease, not per request: at most 2 calls
    // (take, give back) for each of the ⌈120/12⌉ + 3 leases, and one a second per instance while the
    // budget was spent.
    expect(Math.min(...proxy.counts)).toBeGreaterThan((admitted + limited) / 4);
    let storeCalls = 0;
    for (const s of servers) storeCalls += await metric(s, 'tokens_rate_lease_store_calls_total');
    expect(storeCalls).toBeLessThanOrEqual(2 * 13 + 3 * 61);
    expect(storeCalls).toBeLessThan(admitted + limited);
  }, 30_000);
});

describe('traffic moving between instances', () => {
  it('the share left on the instance the traffic left is missing for about a second, then comes back', async () => {
    const { servers, issue, gateway } = await fleet(2);
    const [a, b] = servers;
    const t = await issue({ rate_limit: { requests: 100, per_seconds: 3600 } });
    const call = async (server: TestServer) => (await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`)).status;
    for (let i = 0; i < 5; i++) expect(await call(a!)).toBe(200); // A holds a share of 10, 5 of it unused
    let onB = 0;
    while ((await call(b!)) === 200) onB++;
    // All but A's share: at most (n − 1)·c = 10 under, here the 5 A holds unused.
    expect(onB).toBe(90);
    // A's idle share goes back: B gets its unused 5.
    const movedAt = Date.now();
    let back = 0;
    while (Date.now() - movedAt < 3000 && back === 0) {
      if ((await call(b!)) === 200) back = Date.now() - movedAt;
      else await new Promise((r) => setTimeout(r, 100));
    }
    // Given back after 1 s idle; B, refused meanwhile, asks again at most a second later.
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(2500);
    let more = 1;
    while ((await call(b!)) === 200) more++;
    expect(more).toBe(5);
  }, 30_000);
});

describe('the failed-authentication limit over three instances', () => {
  it('guesses sprayed over the three meet one limit of 30 a minute; valid tokens from the address are still served', async () => {
    const { servers, issue } = await fleet(3);
    const reader = await issue({});
    let unauthenticated = 0;
    let firstBlocked = -1;
    for (let i = 0; i < 60; i++) {
      const res = await api(servers[i % 3]!, wellFormedUnknownSecret('tkn'), 'GET', '/v1/whoami');
      if (res.status === 401) unauthenticated++;
      else {
        expect(res.status).toBe(429);
        expect(res.body.code).toBe('rate_limited');
        if (firstBlocked < 0) firstBlocked = i;
      }
    }
    // One budget of 30 for the address (each instance alone would allow 30: 90 in all): never more
    // than 30 failures answered as such; fewer by at most the shares the other two instances still
    // hold when one finds the budget spent — (n − 1)·⌈30/10⌉ = 6 (README, Limits and quotas).
    expect(unauthenticated).toBeLessThanOrEqual(30);
    expect(unauthenticated).toBeGreaterThanOrEqual(24);
    expect(firstBlocked).toBeGreaterThanOrEqual(24);
    for (const server of servers) {
      expect((await api(server, wellFormedUnknownSecret('tkn'), 'GET', '/v1/whoami')).status).toBe(429);
      expect((await api(server, reader.secret, 'GET', '/v1/whoami')).status).toBe(200);
    }
  }, 30_000);
});

describe('faults', () => {
  it('the store failing: shares held are used, then the instance falls back to its own bucket (logged), and shares again once it answers', async () => {
    const t0 = Date.now();
    const clock = () => t0 + (Date.now() - t0) * SPEED;
    const { db, servers, issue, gateway } = await fleet(1, { clock });
    const [server] = servers;
    const t = await issue({ rate_limit: { requests: 1000, per_seconds: 3600 } });
    const call = async () => (await forwardAuth(server!, gateway.secret, `Bearer ${t.secret}`)).status;
    expect(await call()).toBe(200); // a share of 100 leased
    await db.query('ALTER TABLE rate_leases RENAME TO rate_leases_away');
    let admitted = 0;
    for (let i = 0; i < 300; i++) if ((await call()) === 200) admitted++;
    // Never refused: the share held, then this instance's own bucket of 1,000.
    expect(admitted).toBe(300);
    expect(server!.logText()).toContain('shared rate limits fall back to per-instance buckets');
    expect(await metric(server!, 'tokens_rate_lease_fallbacks_total')).toBeGreaterThanOrEqual(1);
    await db.query('ALTER TABLE rate_leases_away RENAME TO rate_leases');
    for (let i = 0; i < 100 && !server!.logText().includes('shared again'); i++) {
      await call();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server!.logText()).toContain('the store answers again: shared rate limits are shared again');
  }, 30_000);
});
