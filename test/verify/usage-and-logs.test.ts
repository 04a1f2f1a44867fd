// Verify calls are recorded as usage (batched, flushed on graceful close), and no secret reaches the
// log — not at debug level, not when the store fails, not on the fastify fallback path.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/server/store/sqlite.js';
import { withTypo } from '../helpers/secrets.js';
import { startTestServer } from '../helpers/server.js';
import { forwardAuth, introspect, issue } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('usage', () => {
  it('last_used_at, last_used_ip and use_count are written by the time a graceful close returns', async () => {
    const server = await startTestServer({ trustProxy: ['127.0.0.1'] });
    dirs.push(server.dir);
    const gateway = await issue(server, { scopes: ['verify'] });
    const t = await issue(server);
    const started = Date.now();
    for (let i = 0; i < 3; i++) expect((await introspect(server, gateway.secret, { token: t.secret, ip: '192.0.2.10' })).body.active).toBe(true);
    expect((await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`, '', { 'x-forwarded-for': '2001:db8::9' })).status).toBe(200);
    // Refusals are not uses.
    await introspect(server, gateway.secret, { token: t.secret, scope: 'other' });
    await server.close();

    const store = new SqliteStore(server.dbPath);
    try {
      const row = (await store.getToken(t.id))!;
      expect(row.useCount).toBe(4);
      expect(row.lastUsedIp).toBe('2001:db8::9');
      expect(row.lastUsedAt).toBeGreaterThanOrEqual(started - 1000);
      const gw = (await store.getToken(gateway.id))!;
      expect(gw.useCount).toBe(5);
      expect(gw.lastUsedIp).toBe('127.0.0.1');
    } finally {
      await store.close();
    }
  });
});

/** A server logging at debug level whose store fails on demand. */
async function debugServer() {
  let failing = false;
  const server = await startTestServer({ logLevel: 'debug' }, {}, {
    wrapStore: (sqlite) =>
      new Proxy(sqlite, {
        get(target, prop, receiver) {
          if (prop === 'getTokensByHash' && failing) return async () => Promise.reject(new Error('disk I/O error'));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  });
  return { server, fail: (on: boolean) => (failing = on), logText: () => server.logText(), close: () => server.destroy() };
}

describe('logs', () => {
  it('never carry a secret, whatever the outcome', async () => {
    const { server, fail, logText, close } = await debugServer();
    try {
      const gateway = await issue(server, { scopes: ['verify'] });
      const t = await issue(server, { allowed_cidrs: ['10.0.0.0/8'], rate_limit: { requests: 1, per_seconds: 60 } });
      const revoked = await issue(server);
      const almost = withTypo(t.secret);
      await fetch(`${server.url}/v1/tokens/${revoked.id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${server.adminSecret}` } });
      await introspect(server, gateway.secret, { token: t.secret, ip: '10.0.0.1' });
      await introspect(server, gateway.secret, { token: t.secret, ip: '10.0.0.1' }); // rate limited
      await introspect(server, gateway.secret, { token: t.secret }); // outside the allowlist
      await introspect(server, gateway.secret, { token: almost });
      await introspect(server, gateway.secret, { token: revoked.secret });
      await introspect(server, t.secret, { token: gateway.secret }); // a caller without verify
      await introspect(server, almost, { token: t.secret });
      await forwardAuth(server, gateway.secret, `Bearer ${revoked.secret}`);
      await forwardAuth(server, almost, `Bearer ${t.secret}`);
      await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`, `?scope=x&audience=${t.secret}`);
      // The fastify fallback path logs every request at info level.
      await fetch(`${server.url}/v1/introspect/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ token: t.secret }),
      });
      await fetch(`${server.url}/v1/introspect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': 'application/json' },
        body: `{"token": "${t.secret}"`,
      });
      // A store failure: 503, logged, still without the secret.
      const cold = await issue(server);
      fail(true);
      const down = await introspect(server, gateway.secret, { token: cold.secret });
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('unavailable');
      expect((await forwardAuth(server, gateway.secret, `Bearer ${cold.secret}`)).status).toBe(503);
      fail(false);
      expect((await introspect(server, gateway.secret, { token: cold.secret })).body.active).toBe(true);

      const text = logText();
      expect(text).toContain('verify refused');
      expect(text).toContain('verify failed');
      for (const secret of [gateway.secret, t.secret, revoked.secret, almost, cold.secret, server.adminSecret]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(4, 30));
      }
    } finally {
      await close();
    }
  });
});
