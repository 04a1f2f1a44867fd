// Console sessions across server instances sharing one PostgreSQL database (README, Console): a
// session started on one instance works on the other, and revoking its token on either ends it
// everywhere — the next request at once, an open event stream on the other instance within 1 s.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { createTestDatabase, runCleanups } from '../helpers/postgres.js';
import { readUntil, signIn, withSession } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(() => runCleanups(cleanup));

async function twoInstances(): Promise<[TestServer, TestServer]> {
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  const env = { TOKENS_PEPPER: `1:${randomBytes(32).toString('base64')}` };
  const a = await startTestServer({ databaseUrl: db.url }, env);
  cleanup.push(() => a.destroy());
  const b = await startTestServer({ databaseUrl: db.url }, env);
  cleanup.push(() => b.destroy());
  return [a, b];
}

let a: TestServer;
let b: TestServer;
// Starting two instances (and migrating) is slow on a busy machine: outside the test's own time.
beforeAll(async () => {
  [a, b] = await twoInstances();
});

describe('console sessions on several PostgreSQL-backed instances', () => {
  it('are shared, and end everywhere when their token is revoked on another instance', async () => {
    const admin = a.adminSecret;
    const made = await api(a, admin, 'POST', '/v1/tokens', { name: 'operator', scopes: ['tokens:read'] });
    const session = await signIn(a, made.body.secret);
    // Signed in on A, used on B (the session id's hash is in the shared table).
    expect((await withSession(b, session, 'GET', '/v1/whoami')).body.token.name).toBe('operator');

    const stream = await fetch(`${a.url}/v1/session/events`, { headers: { cookie: session.cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    expect((await api(b, admin, 'POST', `/v1/tokens/${made.body.token.id}/revoke`, { reason: 'on B' })).status).toBe(200);
    const revokedAt = Date.now();
    // A's open stream hears of it through the change feed (nothing else asks A meanwhile)…
    const text = await readUntil(reader, 'event: ended', 5000);
    expect(text).toContain('"reason":"token_revoked"');
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    // …and every request with the session is refused, on both instances, saying why.
    for (const server of [a, b]) {
      const next = await withSession(server, session, 'GET', '/v1/tokens');
      expect(next.status).toBe(401);
      expect(next.body.detail).toContain('its token was revoked');
    }
  });
});
