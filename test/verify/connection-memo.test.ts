// A keep-alive connection remembers the last token it asked about, so asking again skips the lookup.
// It must never skip a check: on that same connection a revoked, suspended, expired or rate-limited
// token is refused at once, another address, scope or audience is judged afresh, another token is
// answered as itself, and the remembered copy never outlives the cache entry it came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { startClockServer, type ClockServer } from '../helpers/clock-server.js';
import { api } from '../helpers/server.js';
import { issue, metric, type Issued } from './helpers.js';

let server: ClockServer;
let gateway: Issued;
/** Every request of a test goes over one connection (one socket, reused). */
let connection: Agent;

beforeAll(async () => {
  server = await startClockServer();
  gateway = await issue(server, { scopes: ['verify'] });
});
afterAll(async () => {
  await server?.destroy();
});

async function introspect(token: string, fields: Record<string, string> = {}) {
  const res = await undiciFetch(`${server.url}/v1/introspect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, ...fields }).toString(),
    dispatcher: connection,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

async function forwardAuth(token: string, query = '') {
  const res = await undiciFetch(`${server.url}/v1/auth${query}`, {
    headers: { 'x-verifier-token': gateway.secret, authorization: `Bearer ${token}` },
    dispatcher: connection,
  });
  await res.arrayBuffer();
  return { status: res.status, tokenId: res.headers.get('x-token-id') };
}

const storeQueries = () => metric(server, 'tokens_verify_store_queries_total');
const admin = (method: string, path: string, body?: unknown) => api(server, server.adminSecret, method, path, body);

describe('the token remembered on a keep-alive connection', () => {
  beforeAll(() => {
    connection = new Agent({ connections: 1, pipelining: 1 });
  });
  afterAll(async () => {
    await connection.close();
  });

  it('is answered without the store, again and again, on the same connection', async () => {
    const t = await issue(server);
    const before = await storeQueries();
    expect((await introspect(t.secret)).body).toMatchObject({ active: true, username: t.name });
    // The token, and the gateway's own token on its first use.
    expect(await storeQueries()).toBe(before + 2);
    for (let i = 0; i < 5; i++) expect((await introspect(t.secret)).body).toMatchObject({ active: true, username: t.name });
    expect(await storeQueries()).toBe(before + 2);
  });

  it('is refused at once after a revocation, a suspension; admitted again after resume', async () => {
    const t = await issue(server);
    expect((await introspect(t.secret)).body.active).toBe(true);
    expect((await admin('POST', `/v1/tokens/${t.id}/suspend`, {})).status).toBe(200);
    expect((await introspect(t.secret)).body).toEqual({ active: false });
    expect((await admin('POST', `/v1/tokens/${t.id}/resume`, {})).status).toBe(200);
    expect((await introspect(t.secret)).body.active).toBe(true);
    expect((await admin('POST', `/v1/tokens/${t.id}/revoke`, { reason: 'memo' })).status).toBe(200);
    expect((await introspect(t.secret)).body).toEqual({ active: false });
    expect((await forwardAuth(t.secret)).status).toBe(401);
  });

  it('is refused once it expires, without a change notice', async () => {
    const t = await issue(server, { expires_at: new Date(server.now() + 60_000).toISOString() });
    expect((await introspect(t.secret)).body.active).toBe(true);
    expect((await forwardAuth(t.secret)).status).toBe(200);
    server.advance(61);
    expect((await introspect(t.secret)).body).toEqual({ active: false });
    expect((await forwardAuth(t.secret)).status).toBe(401);
  });

  it('is judged afresh for another address, scope or audience', async () => {
    const t = await issue(server, { audiences: ['billing'], allowed_cidrs: ['10.0.0.0/8'] });
    expect((await introspect(t.secret, { ip: '10.1.1.1', scope: 'query', audience: 'billing' })).body.active).toBe(true);
    expect((await introspect(t.secret, { ip: '192.0.2.1', scope: 'query', audience: 'billing' })).body).toEqual({ active: false });
    expect((await introspect(t.secret, { ip: '10.1.1.1', scope: 'verify', audience: 'billing' })).body).toEqual({ active: false });
    expect((await introspect(t.secret, { ip: '10.1.1.1', scope: 'query', audience: 'payroll' })).body).toEqual({ active: false });
    expect((await introspect(t.secret, { ip: '10.1.1.1' })).body.active).toBe(true);
    // The client's address on forward auth is the connection's peer (127.0.0.1): outside the allowlist.
    expect((await forwardAuth(t.secret)).status).toBe(403);
  });

  it('still counts against the rate limit', async () => {
    const t = await issue(server, { rate_limit: { requests: 2, per_seconds: 3600 } });
    expect((await introspect(t.secret)).body.active).toBe(true);
    expect((await introspect(t.secret)).body.active).toBe(true);
    const over = await introspect(t.secret);
    expect(over.body).toEqual({ active: false, reason: 'rate_limited' });
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    expect((await forwardAuth(t.secret)).status).toBe(429);
  });

  it('is never mistaken for another token on the same connection', async () => {
    const a = await issue(server);
    const b = await issue(server, { scopes: ['query', 'verify'] });
    // Same length, same prefix, one character apart from a's secret: a different (malformed) token.
    const near = `${a.secret.slice(0, -1)}${a.secret.endsWith('a') ? 'b' : 'a'}`;
    expect((await introspect(a.secret)).body.username).toBe(a.name);
    expect((await introspect(near)).body).toEqual({ active: false });
    expect((await introspect(b.secret)).body.username).toBe(b.name);
    expect((await introspect(a.secret)).body.username).toBe(a.name);
    expect((await forwardAuth(b.secret, '?scope=verify')).tokenId).toBe(b.id);
    expect((await forwardAuth(a.secret, '?scope=verify')).status).toBe(403);
    expect((await forwardAuth(a.secret)).tokenId).toBe(a.id);
  });

  it('is told apart from a secret that differs only beyond latin1 (a character whose low byte is the one it replaces)', async () => {
    const a = await issue(server);
    const twin = `${a.secret.slice(0, 5)}${String.fromCharCode(0x100 | a.secret.charCodeAt(5))}${a.secret.slice(6)}`;
    expect((await introspect(a.secret)).body.username).toBe(a.name);
    expect((await introspect(twin)).body).toEqual({ active: false });
    expect((await forwardAuth(a.secret)).tokenId).toBe(a.id);
    expect((await introspect(a.secret)).body.username).toBe(a.name);
  });

  it('does not outlive the cache entry: once the cache would read the store again, it does', async () => {
    const t = await issue(server);
    expect((await introspect(t.secret)).body.active).toBe(true);
    const before = await storeQueries();
    expect((await introspect(t.secret)).body.active).toBe(true);
    expect(await storeQueries()).toBe(before);
    // The cache trusts a found token for 30 s without a change notice.
    server.advance(31);
    expect((await introspect(t.secret)).body.active).toBe(true);
    // The token and the gateway's own token, both past the cache's 30 s.
    expect(await storeQueries()).toBe(before + 2);
  });

  it('is dropped by a change notice: the next request reads the store again', async () => {
    const t = await issue(server);
    expect((await introspect(t.secret)).body.active).toBe(true);
    const before = await storeQueries();
    // A scope change through the API invalidates by id; the next request reads the store again.
    expect((await admin('POST', `/v1/tokens/${t.id}/scopes`, { add: ['verify'] })).status).toBe(200);
    expect((await introspect(t.secret, { scope: 'verify' })).body.active).toBe(true);
    expect(await storeQueries()).toBe(before + 1);
  });
});
