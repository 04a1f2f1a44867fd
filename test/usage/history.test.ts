// Usage history through the API (README "Usage history"): verify calls counted in the hour they
// happened, refusals by reason, client addresses, the ranking, and the answers to bad queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { forwardAuth, introspect, issue, type Issued } from '../verify/helpers.js';

const HOUR = 3_600_000;
/** 10:59:58 UTC on a fixed day: two seconds before the hour turns. */
const START = Date.UTC(2031, 4, 6, 10, 59, 58);

describe('usage history', () => {
  let now = START;
  let server: TestServer;
  let gateway: Issued;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: ['127.0.0.1'] }, {}, { clock: () => now });
    gateway = await issue(server, { scopes: ['verify'] });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const usage = async (id: string, query = '') => {
    const res = await api(server, server.adminSecret, 'GET', `/v1/tokens/${id}/usage${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const admitted = async (token: Issued, ip: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await introspect(server, gateway.secret, { token: token.secret, ip })).body.active).toBe(true);
  };

  it('counts admitted verify calls in the hour they happened, with their client addresses', async () => {
    now = START;
    const t = await issue(server);
    await admitted(t, '192.0.2.1', 3);
    now = START + 3000; // 11:00:01
    await admitted(t, '192.0.2.1', 2);
    await admitted(t, '192.0.2.2', 4);
    expect((await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`, '?scope=query', { 'x-forwarded-for': '2001:db8::7' })).status).toBe(200);

    const body = await usage(t.id, `?since=${new Date(START - 2 * HOUR).toISOString()}&until=${new Date(START + 2 * HOUR).toISOString()}`);
    expect(body.granularity).toBe('hour');
    expect(body.buckets.map((b: { start: string; uses: number }) => [b.start.slice(11, 16), b.uses])).toEqual([
      ['08:00', 0],
      ['09:00', 0],
      ['10:00', 3],
      ['11:00', 7],
      ['12:00', 0],
    ]);
    expect(body.totals).toMatchObject({ uses: 10, refused: 0 });
    expect(body.addresses).toEqual([
      { address: '192.0.2.1', uses: 5, refused: 0 },
      { address: '192.0.2.2', uses: 4, refused: 0 },
      { address: '2001:db8::7', uses: 1, refused: 0 },
    ]);
    // The same calls by day, and the use count agrees.
    const byDay = await usage(t.id, '?since=2031-05-01T00:00:00Z&granularity=day');
    expect(byDay.buckets.map((b: { uses: number }) => b.uses)).toEqual([0, 0, 0, 0, 0, 10]);
    expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}`)).body.use_count).toBe(10);
  });

  it('counts refusals that belong to a token by reason, and they add up', async () => {
    now = START + 5 * HOUR;
    await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'other' });
    const t = await issue(server, { audiences: ['billing'], allowed_cidrs: ['192.0.2.0/24'], rate_limit: { requests: 2, per_seconds: 3600 } });
    const refuse = async (fields: Record<string, string>) => expect((await introspect(server, gateway.secret, { token: t.secret, ...fields })).body.active).toBe(false);
    await refuse({ ip: '198.51.100.1' }); // ip
    await refuse({ ip: '192.0.2.9', scope: 'other' }); // scope
    await refuse({ ip: '192.0.2.9', scope: 'other' });
    await refuse({ ip: '192.0.2.9', audience: 'shipping' }); // audience
    expect((await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`, '?scope=other', { 'x-forwarded-for': '192.0.2.9' })).status).toBe(403);
    await admitted(t, '192.0.2.9', 2);
    await refuse({ ip: '192.0.2.9' }); // over the rate limit
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/suspend`);
    await refuse({ ip: '192.0.2.9' });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`);
    await refuse({ ip: '192.0.2.9' });
    await refuse({ ip: '192.0.2.9' });
    const expiring = await issue(server, { expires_at: new Date(now + 60_000).toISOString() });
    now += 120_000;
    expect((await introspect(server, gateway.secret, { token: expiring.secret })).body.active).toBe(false);

    const body = await usage(t.id);
    const refusals = { revoked: 2, suspended: 1, expired: 0, ip: 1, audience: 1, scope: 3, rate_limited: 1, usage_exceeded: 0 };
    expect(body.totals).toEqual({ uses: 2, refused: 9, refusals });
    const hour = body.buckets.find((b: { uses: number }) => b.uses > 0);
    expect(hour).toEqual({ start: '2031-05-06T15:00:00.000Z', uses: 2, refused: 9, refusals });
    expect(body.addresses).toEqual([
      { address: '192.0.2.9', uses: 2, refused: 8 },
      { address: '198.51.100.1', uses: 0, refused: 1 },
    ]);
    expect((await usage(expiring.id)).totals.refusals.expired).toBe(1);

    // Unknown and malformed secrets belong to no token: they are nobody's refusals.
    const ranking = (await api(server, server.adminSecret, 'GET', `/v1/usage?top=2&since=${new Date(START).toISOString()}`)).body;
    expect(ranking.most_refused[0]).toMatchObject({ id: t.id, status: 'revoked', uses: 2, refused: 9, refusals });
    expect(ranking.most_used[0].id).toBe(gateway.id);
    expect(ranking.most_used).toHaveLength(2);
  });

  it('refuses what it cannot answer, with the documented statuses', async () => {
    const t = await issue(server);
    const get = (path: string, secret = server.adminSecret) => api(server, secret, 'GET', path);
    expect((await get(`/v1/tokens/${t.id}/usage?since=2031-05-02T00:00:00Z&until=2031-05-01T00:00:00Z`)).status).toBe(400);
    const tooMany = await get(`/v1/tokens/${t.id}/usage?since=2020-01-01T00:00:00Z&granularity=day`);
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 'invalid_request']);
    const longAgo = `since=${new Date(now - 20 * 24 * HOUR).toISOString()}&until=${new Date(now - 19 * 24 * HOUR).toISOString()}`;
    const old = await get(`/v1/tokens/${t.id}/usage?${longAgo}&granularity=hour`);
    expect(old.status).toBe(400);
    expect(old.body.detail).toContain('granularity=day');
    // Without a granularity, a day that old is answered by day.
    expect((await get(`/v1/tokens/${t.id}/usage?${longAgo}`)).body.granularity).toBe('day');
    expect((await get(`/v1/tokens/${t.id}/usage?granularity=minute`)).status).toBe(400);
    expect((await get('/v1/tokens/tok_00000000000000000000000000/usage')).status).toBe(404);
    expect((await get('/v1/usage?top=0')).status).toBe(400);
    expect((await get(`/v1/tokens/${t.id}/usage`, t.secret)).status).toBe(403);
    expect((await get(`/v1/tokens/${t.id}/usage`, 'nope')).status).toBe(401);
  });
});

describe('usage history off (--no-usage-history)', () => {
  it('keeps use_count and last use, answers the history endpoints with 409', async () => {
    const server = await startTestServer({ usageHistory: false });
    try {
      const gateway = await issue(server, { scopes: ['verify'] });
      const t = await issue(server);
      expect((await introspect(server, gateway.secret, { token: t.secret })).body.active).toBe(true);
      const res = await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}/usage`);
      expect([res.status, res.body.code]).toEqual([409, 'usage_history_off']);
      expect((await api(server, server.adminSecret, 'GET', '/v1/usage')).status).toBe(409);
      await server.close();
      const { SqliteStore } = await import('../../src/server/store/sqlite.js');
      const store = new SqliteStore(server.dbPath);
      try {
        expect((await store.getToken(t.id))!.useCount).toBe(1);
        expect(store.db.prepare('SELECT COUNT(*) AS n FROM usage_counts').get()).toEqual({ n: 0 });
      } finally {
        await store.close();
      }
    } finally {
      await server.destroy();
    }
  });
});

describe('retention', () => {
  it('rolls hours older than --usage-hourly-retention up into days at the next start; totals stay', async () => {
    let now = Date.UTC(2031, 0, 10, 9, 30);
    const first = await startTestServer({}, {}, { clock: () => now });
    try {
      const gateway = await issue(first, { scopes: ['verify'] });
      const t = await issue(first);
      for (let i = 0; i < 4; i++) await introspect(first, gateway.secret, { token: t.secret });
      await first.close();

      now += 3 * 86_400_000;
      const { startServer } = await import('../../src/server/main.js');
      const { default: pino } = await import('pino');
      const again = await startServer(
        { port: 0, host: '127.0.0.1', db: first.dbPath, secretPrefix: 'tkn', trustProxy: [], logLevel: 'silent', usageHourlyRetention: 86_400 },
        { stderr: process.stderr, env: {}, logger: pino({ level: 'silent' }), clock: () => now },
      );
      try {
        const get = (query: string) => api(again, first.adminSecret, 'GET', `/v1/tokens/${t.id}/usage${query}`);
        const byDay = await get('?since=2031-01-09T00:00:00Z&granularity=day');
        expect(byDay.body.buckets.map((b: { uses: number }) => b.uses)).toEqual([0, 4, 0, 0, 0]);
        expect((await get('?since=2031-01-10T00:00:00Z&until=2031-01-11T00:00:00Z&granularity=hour')).status).toBe(400);
        const { SqliteStore } = await import('../../src/server/store/sqlite.js');
        const store = new SqliteStore(first.dbPath);
        try {
          expect(store.db.prepare('SELECT period, start, uses FROM usage_counts WHERE token_id = ?').all(t.id)).toEqual([{ period: 'day', start: Date.UTC(2031, 0, 10), uses: 4 }]);
        } finally {
          await store.close();
        }
      } finally {
        await again.close();
      }
    } finally {
      await first.destroy();
    }
  });
});
