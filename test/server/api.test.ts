// The management API end to end over HTTP: a real server, a temp SQLite file, the bootstrap secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, parseSecret } from '../../src/shared/secret.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { withTypo } from '../helpers/secrets.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { SQLITE_MIGRATIONS } from '../../src/server/store/sql/migrations/sqlite.js';

let server: TestServer;
const issued: string[] = [];
let counter = 0;

async function createToken(body: Record<string, unknown>, secret = server.adminSecret) {
  const res = await api(server, secret, 'POST', '/v1/tokens', { name: `tok-${++counter}`, scopes: ['tokens:read'], ...body });
  if (res.status === 201) issued.push(res.body.secret);
  return res;
}

beforeAll(async () => {
  server = await startTestServer();
  issued.push(server.adminSecret);
  await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'query', description: 'run queries' });
});

afterAll(async () => {
  await server.destroy();
});

describe('bootstrap and identity', () => {
  it('writes the first management secret 0600 and it authenticates', async () => {
    const mode = statSync(join(server.dir, 'bootstrap')).mode & 0o777;
    expect(mode).toBe(0o600);
    const me = await api(server, server.adminSecret, 'GET', '/v1/whoami');
    expect(me.status).toBe(200);
    expect(me.body.token.scopes).toEqual(['management']);
    expect(me.body.token.name).toBe('bootstrap');
    expect(me.body.token).not.toHaveProperty('secret');
  });

  it('keeps the pepper outside the database, 0600', () => {
    expect(statSync(`${server.dbPath}.pepper`).mode & 0o777).toBe(0o600);
  });

  it('answers 401 problem+json without a valid bearer token', async () => {
    for (const auth of [undefined, 'Bearer', 'Bearer nope', `Bearer ${withTypo(server.adminSecret)}`, 'Basic Zm9vOmJhcg==']) {
      const res = await api(server, null, 'GET', '/v1/whoami', undefined, auth ? { authorization: auth } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('unauthenticated');
    }
  });
});

describe('create, list, show', () => {
  it('creates a token with a custom scope and returns the secret once', async () => {
    const res = await createToken({ name: 'ci-deploy', scopes: ['query', 'tokens:read'], expires_at: '2099-01-01T00:00:00Z', metadata: { team: 'infra' } });
    expect(res.status).toBe(201);
    const { token, secret } = res.body;
    expect(parseSecret(secret, 'tkn')).not.toBeNull();
    expect(secret.startsWith(token.start)).toBe(true);
    expect(token.id).toMatch(/^tok_/);
    expect(token.status).toBe('active');
    expect(token.created_by).toMatch(/^tok_/);

    const shown = await api(server, server.adminSecret, 'GET', `/v1/tokens/${token.id}`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('etag')).toBe('"1"');
    expect(shown.body).toEqual(token);
    expect(JSON.stringify(shown.body)).not.toContain(secret);

    const listed = await api(server, server.adminSecret, 'GET', '/v1/tokens?scope=query');
    expect(listed.body.data.map((t: any) => t.name)).toContain('ci-deploy');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it('rejects an unknown scope, naming it', async () => {
    const res = await createToken({ scopes: ['nonexistent'] });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('nonexistent');
  });

  it('refuses a second live token with the same name', async () => {
    await createToken({ name: 'dup' });
    const again = await createToken({ name: 'dup' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('name_taken');
  });

  it('paginates with a stable cursor in creation order', async () => {
    for (let i = 0; i < 5; i++) await createToken({ name: `page-${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/tokens?name_prefix=page-&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await api(server, server.adminSecret, 'GET', q);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((t: any) => t.name));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const bad = await api(server, server.adminSecret, 'GET', '/v1/tokens?cursor=garbage');
    expect(bad.status).toBe(400);
  });

  it('filters by several statuses at once', async () => {
    const a = (await createToken({ name: 'multi-a' })).body.token;
    const b = (await createToken({ name: 'multi-b' })).body.token;
    await createToken({ name: 'multi-c' });
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${a.id}/suspend`, {});
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${b.id}/revoke`, {});
    const names = async (status: string) =>
      (await api(server, server.adminSecret, 'GET', `/v1/tokens?name_prefix=multi-&status=${status}`)).body.data.map((t: any) => t.name);
    expect(await names('suspended,revoked')).toEqual(['multi-a', 'multi-b']);
    expect(await names('active,suspended')).toEqual(['multi-a', 'multi-c']);
    expect((await api(server, server.adminSecret, 'GET', '/v1/tokens?status=active,zombie')).status).toBe(400);
  });
});

describe('authorization', () => {
  it('a tokens:read token can list but cannot create or grant management', async () => {
    const reader = (await createToken({ name: 'reader', scopes: ['tokens:read'] })).body.secret;
    expect((await api(server, reader, 'GET', '/v1/tokens')).status).toBe(200);
    const denied = await createToken({ name: 'x', scopes: ['tokens:read'] }, reader);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    expect(denied.body).toMatchObject({ status: 403, code: 'forbidden' });
    const grant = await createToken({ name: 'y', scopes: ['management'] }, reader);
    expect(grant.status).toBe(403);
    const audit = await api(server, server.adminSecret, 'GET', '/v1/audit?action=auth.denied');
    expect(audit.body.data.length).toBeGreaterThan(0);
  });

  it('a tokens:write token cannot escalate: no management, no scopes it lacks, no rotating stronger tokens', async () => {
    const writer = (await createToken({ name: 'writer', scopes: ['tokens:write', 'tokens:read'] })).body.secret;
    expect((await createToken({ name: 'w1', scopes: ['tokens:read'] }, writer)).status).toBe(201);
    expect((await createToken({ name: 'w2', scopes: ['management'] }, writer)).status).toBe(403);
    expect((await createToken({ name: 'w3', scopes: ['query'] }, writer)).status).toBe(403);
    const strong = (await createToken({ name: 'strong', scopes: ['management'] })).body.token;
    const rot = await api(server, writer, 'POST', `/v1/tokens/${strong.id}/rotate`, { overlap_seconds: 0 });
    expect(rot.status).toBe(403);
    const mine = (await createToken({ name: 'weak', scopes: ['tokens:read'] })).body.token;
    const scopeUp = await api(server, writer, 'POST', `/v1/tokens/${mine.id}/scopes`, { add: ['management'] });
    expect(scopeUp.status).toBe(403);
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${mine.id}/suspend`, {});
    expect((await api(server, writer, 'POST', `/v1/tokens/${strong.id}/suspend`, {})).status).toBe(200);
    expect((await api(server, writer, 'POST', `/v1/tokens/${strong.id}/resume`, {})).status).toBe(403);
  });

  it('an audit:read-less token cannot read the audit log; only management exports', async () => {
    const reader = (await createToken({ name: 'reader2', scopes: ['tokens:read'] })).body.secret;
    expect((await api(server, reader, 'GET', '/v1/audit')).status).toBe(403);
    expect((await api(server, reader, 'GET', '/v1/export')).status).toBe(403);
    expect((await api(server, reader, 'POST', '/v1/scopes', { name: 'sneaky' })).status).toBe(403);
  });

  it('enforces a token CIDR allowlist on the management API', async () => {
    const far = (await createToken({ name: 'far', scopes: ['tokens:read'], allowed_cidrs: ['10.0.0.0/8'] })).body.secret;
    const res = await api(server, far, 'GET', '/v1/whoami');
    expect(res.status).toBe(403);
    const near = (await createToken({ name: 'near', scopes: ['tokens:read'], allowed_cidrs: ['127.0.0.1', '::1/128'] })).body.secret;
    expect((await api(server, near, 'GET', '/v1/whoami')).status).toBe(200);
  });
});

describe('rotation', () => {
  it('keeps the old token usable during the overlap, then not', async () => {
    const { token, secret } = (await createToken({ name: 'rot-overlap', scopes: ['tokens:read'], expires_at: '2099-01-01T00:00:00Z' })).body;
    const res = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 1 });
    expect(res.status).toBe(201);
    issued.push(res.body.secret);
    const successor = res.body.token;
    expect(successor).toMatchObject({ name: 'rot-overlap', scopes: ['tokens:read'], rotated_from: token.id, status: 'active' });
    expect(res.body.predecessor.rotated_to).toBe(successor.id);
    expect(res.body.secret).not.toBe(secret);
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(200);
    expect((await api(server, res.body.secret, 'GET', '/v1/whoami')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    const after = await api(server, secret, 'GET', '/v1/whoami');
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('expired');
    expect((await api(server, res.body.secret, 'GET', '/v1/whoami')).status).toBe(200);
  });

  it('with no overlap the old token is revoked at once', async () => {
    const { token, secret } = (await createToken({ name: 'rot-now' })).body;
    const res = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, {});
    expect(res.status).toBe(201);
    issued.push(res.body.secret);
    expect(res.body.predecessor.status).toBe('revoked');
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(401);
  });

  it('lets exactly one of two concurrent rotations win', async () => {
    const { token } = (await createToken({ name: 'rot-race' })).body;
    const results = await Promise.all(
      [1, 2, 3].map(() => api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 60 })),
    );
    for (const r of results) if (r.status === 201) issued.push(r.body.secret);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const live = await api(server, server.adminSecret, 'GET', '/v1/tokens?name=rot-race&status=active');
    expect(live.body.data).toHaveLength(2); // the predecessor during its overlap, and one successor
    expect(live.body.data.filter((t: any) => t.rotated_from === token.id)).toHaveLength(1);
  });

  it('a pending rotation keeps the old token whole until complete applies the overlap', async () => {
    const { token, secret } = (await createToken({ name: 'rot-pending', expires_at: '2099-01-01T00:00:00Z' })).body;
    const res = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 0, pending: true });
    expect(res.status).toBe(201);
    issued.push(res.body.secret);
    expect(res.body.predecessor).toMatchObject({ status: 'active', rotation_pending: true, expires_at: '2099-01-01T00:00:00.000Z' });
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(200);
    expect((await api(server, res.body.secret, 'GET', '/v1/whoami')).status).toBe(200);
    // A second rotation cannot start while this one is open.
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { pending: true })).status).toBe(409);
    const done = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate/complete`);
    expect(done.status).toBe(200);
    expect(done.body.token).toMatchObject({ status: 'revoked', rotation_pending: false, rotated_to: res.body.token.id });
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(401);
    // Completing again is a no-op success; aborting now is a conflict.
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate/complete`)).status).toBe(200);
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate/abort`)).status).toBe(409);
  });

  it('aborting a pending rotation revokes the successor and leaves the old token as it was', async () => {
    const { token, secret } = (await createToken({ name: 'rot-abort' })).body;
    const res = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 60, pending: true });
    issued.push(res.body.secret);
    const aborted = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate/abort`, { reason: 'delivery failed' });
    expect(aborted.status).toBe(200);
    expect(aborted.body.token).toMatchObject({ status: 'active', rotated_to: null, rotation_pending: false, expires_at: null });
    expect(aborted.body.successor).toMatchObject({ id: res.body.token.id, status: 'revoked', revoke_reason: 'delivery failed' });
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(200);
    expect((await api(server, res.body.secret, 'GET', '/v1/whoami')).status).toBe(401);
    const live = await api(server, server.adminSecret, 'GET', '/v1/tokens?name=rot-abort&status=active');
    expect(live.body.data.map((t: any) => t.id)).toEqual([token.id]);
    const events = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${token.id}`);
    expect(events.body.data.map((e: any) => e.action)).toEqual(['token.created', 'token.rotated', 'token.rotation_aborted']);
    // And the token can be rotated again afterwards.
    const again = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 60 });
    expect(again.status).toBe(201);
    issued.push(again.body.secret);
  });

  it('refuses to rotate a revoked token', async () => {
    const { token } = (await createToken({ name: 'rot-dead' })).body;
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/revoke`, { reason: 'test' });
    const res = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, {});
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('token_not_active');
  });
});

describe('idempotency', () => {
  it('replays the same response for the same key and body, 422 for a different body', async () => {
    const body = { name: 'idem-1', scopes: ['tokens:read'] };
    const headers = { 'idempotency-key': 'create-idem-1' };
    const first = await api(server, server.adminSecret, 'POST', '/v1/tokens', body, headers);
    const second = await api(server, server.adminSecret, 'POST', '/v1/tokens', body, headers);
    issued.push(first.body.secret);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const other = await api(server, server.adminSecret, 'POST', '/v1/tokens', { ...body, name: 'idem-2' }, headers);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const listed = await api(server, server.adminSecret, 'GET', '/v1/tokens?name=idem-1');
    expect(listed.body.data).toHaveLength(1);
  });

  it('replays a rotation instead of rotating twice', async () => {
    const { token } = (await createToken({ name: 'idem-rot' })).body;
    const headers = { 'idempotency-key': `rotate-${token.id}` };
    const a = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 30 }, headers);
    const b = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 30 }, headers);
    issued.push(a.body.secret);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.token.id).toBe(a.body.token.id);
    expect(b.body.secret).toBe(a.body.secret);
  });
});

describe('update, scopes, suspend, resume, revoke', () => {
  it('honours If-Match and bumps the version', async () => {
    const { token } = (await createToken({ name: 'patch-me' })).body;
    const stale = await api(server, server.adminSecret, 'PATCH', `/v1/tokens/${token.id}`, { description: 'x' }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    const ok = await api(server, server.adminSecret, 'PATCH', `/v1/tokens/${token.id}`, { description: 'x', rate_limit: { requests: 5, per_seconds: 1 }, allowed_cidrs: ['10.1.0.0/16', '2001:DB8::/32'] }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    expect(ok.body).toMatchObject({ description: 'x', version: 2, rate_limit: { requests: 5, per_seconds: 1 }, allowed_cidrs: ['10.1.0.0/16', '2001:db8::/32'] });
    const badCidr = await api(server, server.adminSecret, 'PATCH', `/v1/tokens/${token.id}`, { allowed_cidrs: ['10.0.0.0/33'] });
    expect(badCidr.status).toBe(400);
    expect(badCidr.body.errors[0].field).toBe('allowed_cidrs/0');
  });

  it('adds, removes and sets scopes, never to none', async () => {
    const { token } = (await createToken({ name: 'scoped' })).body;
    const path = `/v1/tokens/${token.id}/scopes`;
    expect((await api(server, server.adminSecret, 'POST', path, { add: ['query', 'audit:read'] })).body.scopes).toEqual(['tokens:read', 'query', 'audit:read']);
    expect((await api(server, server.adminSecret, 'POST', path, { remove: ['tokens:read'] })).body.scopes).toEqual(['query', 'audit:read']);
    expect((await api(server, server.adminSecret, 'POST', path, { set: ['verify'] })).body.scopes).toEqual(['verify']);
    expect((await api(server, server.adminSecret, 'POST', path, { remove: ['verify'] })).status).toBe(400);
    expect((await api(server, server.adminSecret, 'POST', path, { set: [] })).status).toBe(400);
    const audit = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${token.id}&action=token.scopes_changed`);
    expect(audit.body.data[0].details).toEqual({ added: ['query', 'audit:read'], removed: [] });
  });

  it('suspends and resumes; a suspended token cannot authenticate', async () => {
    const { token, secret } = (await createToken({ name: 'susp' })).body;
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/suspend`, { reason: 'investigating' })).body.status).toBe('suspended');
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(401);
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/resume`)).body.status).toBe('active');
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(200);
  });

  it('revokes idempotently and records the reason', async () => {
    const { token, secret } = (await createToken({ name: 'revoke-me' })).body;
    const first = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/revoke`, { reason: 'leaked in CI log' });
    const again = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/revoke`, { reason: 'again' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'revoked', revoke_reason: 'leaked in CI log', version: 2 });
    expect((await api(server, secret, 'GET', '/v1/whoami')).status).toBe(401);
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/resume`)).status).toBe(409);
    const events = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${token.id}&action=token.revoked`);
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0]).toMatchObject({ reason: 'leaked in CI log', actor_ip: '127.0.0.1' });
    expect(events.body.data[0].request_id).toBeTruthy();
  });

  it('revokes by value and reports each secret', async () => {
    const a = (await createToken({ name: 'leak-a' })).body;
    const b = (await createToken({ name: 'leak-b' })).body;
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${b.token.id}/revoke`, {});
    const unknown = generateSecret('tkn');
    const res = await api(server, server.adminSecret, 'POST', '/v1/tokens/revoke-by-value', {
      secrets: [a.secret, b.secret, 'garbage', `${a.secret.slice(0, -6)}AAAAAA`, unknown],
      reason: 'pasted in chat',
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.result)).toEqual(['revoked', 'already_revoked', 'malformed', 'malformed', 'not_found']);
    expect(res.body.results[0]).toMatchObject({ id: a.token.id, name: 'leak-a' });
    expect(res.body).toMatchObject({ revoked: 1, already_revoked: 1, malformed: 3 - 1, not_found: 1 });
    expect(res.text).not.toContain(a.secret);
    expect((await api(server, a.secret, 'GET', '/v1/whoami')).status).toBe(401);
  });

  it('returns 404 for unknown ids', async () => {
    for (const id of ['tok_00000000000000000000000000', 'nope', '..%2f..']) {
      expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${id}`)).status).toBe(404);
    }
  });
});

describe('audit, scopes catalog, export', () => {
  it('records the whole lifecycle of a token in order', async () => {
    const { token } = (await createToken({ name: 'lifecycle' })).body;
    const rot = await api(server, server.adminSecret, 'POST', `/v1/tokens/${token.id}/rotate`, { overlap_seconds: 60 });
    issued.push(rot.body.secret);
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${rot.body.token.id}/revoke`, { reason: 'done' });
    const old = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${token.id}`);
    expect(old.body.data.map((e: any) => e.action)).toEqual(['token.created', 'token.rotated']);
    expect(old.body.data[1].details.successor).toBe(rot.body.token.id);
    const succ = await api(server, server.adminSecret, 'GET', `/v1/audit?target=${rot.body.token.id}`);
    expect(succ.body.data.map((e: any) => e.action)).toEqual(['token.created', 'token.revoked']);
  });

  it('pages the audit log newest first with order=desc', async () => {
    const all = (await api(server, server.adminSecret, 'GET', '/v1/audit?limit=1000')).body.data;
    const first = await api(server, server.adminSecret, 'GET', '/v1/audit?order=desc&limit=3');
    expect(first.body.data.map((e: any) => e.id)).toEqual(all.slice(-3).reverse().map((e: any) => e.id));
    const next = await api(server, server.adminSecret, 'GET', `/v1/audit?order=desc&limit=2&cursor=${first.body.next_cursor}`);
    expect(next.body.data.map((e: any) => e.id)).toEqual(all.slice(-5, -3).reverse().map((e: any) => e.id));
  });

  it('manages the custom scope catalog', async () => {
    expect((await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'query' })).status).toBe(409);
    expect((await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'management' })).status).toBe(409);
    expect((await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'Bad Scope' })).status).toBe(400);
    expect((await api(server, server.adminSecret, 'POST', '/v1/scopes', { name: 'invoice:read' })).status).toBe(201);
    const list = await api(server, server.adminSecret, 'GET', '/v1/scopes');
    const names = list.body.data.map((s: any) => s.name);
    expect(names).toEqual(expect.arrayContaining(['management', 'verify', 'query', 'invoice:read']));
    const holder = (await createToken({ name: 'inv', scopes: ['invoice:read'] })).body.token;
    expect((await api(server, server.adminSecret, 'DELETE', '/v1/scopes/invoice:read')).status).toBe(409);
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${holder.id}/revoke`, {});
    expect((await api(server, server.adminSecret, 'DELETE', '/v1/scopes/invoice:read')).status).toBe(204);
    expect((await api(server, server.adminSecret, 'DELETE', '/v1/scopes/verify')).status).toBe(409);
  });

  it('exports metadata and the catalog, never secrets or digests', async () => {
    const res = await api(server, server.adminSecret, 'GET', '/v1/export');
    expect(res.status).toBe(200);
    expect(res.body.schema_version).toBe(2);
    expect(res.body.include_hashes).toBe(false);
    expect(res.body.tokens.length).toBeGreaterThan(10);
    expect(res.body.scopes.map((s: any) => s.name)).toContain('query');
    for (const secret of issued) expect(res.text).not.toContain(secret);
    expect(res.text).not.toMatch(/secret_hash|secretHash|pepper/);
  });
});

describe('operations endpoints', () => {
  it('serves health, readiness with the schema version, and Prometheus metrics', async () => {
    expect((await api(server, null, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api(server, null, 'GET', '/readyz');
    expect(ready.body).toMatchObject({ status: 'ready', store: 'sqlite', schema_version: SQLITE_MIGRATIONS.at(-1)!.version });
    const metrics = await api(server, null, 'GET', '/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/^# TYPE tokens_http_requests_total counter$/m);
    expect(metrics.text).toMatch(/tokens_http_requests_total\{method="GET",route="\/v1\/whoami",status="200"\} \d+/);
  });

  it('publishes an OpenAPI 3.1 document that lists every route', async () => {
    const doc = (await api(server, null, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /v1/whoami',
        'POST /v1/tokens',
        'GET /v1/tokens',
        'GET /v1/tokens/{id}',
        'PATCH /v1/tokens/{id}',
        'POST /v1/tokens/{id}/scopes',
        'POST /v1/tokens/{id}/rotate',
        'POST /v1/tokens/{id}/rotate/complete',
        'POST /v1/tokens/{id}/rotate/abort',
        'POST /v1/tokens/{id}/suspend',
        'POST /v1/tokens/{id}/resume',
        'POST /v1/tokens/{id}/revoke',
        'POST /v1/tokens/revoke-by-value',
        'GET /v1/audit',
        'GET /v1/scopes',
        'POST /v1/scopes',
        'DELETE /v1/scopes/{name}',
        'GET /v1/export',
      ]),
    );
    const validation = await new Validator().validate(doc);
    expect(validation).toEqual({ valid: true });
    const create = doc.paths['/v1/tokens'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'scopes']));
  });

  it('puts an X-Request-Id and security headers on every response, echoing a sane given id', async () => {
    const given = await api(server, null, 'GET', '/healthz', undefined, { 'x-request-id': 'abc-123' });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const bad = await api(server, null, 'GET', '/nope', undefined, { 'x-request-id': 'evil\u00ff'.replace('\u00ff', '') + '"<>' });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.body.request_id).toBe(bad.headers.get('x-request-id'));
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff');
    expect(bad.headers.get('cache-control')).toBe('no-store');
  });
});

describe('secrets at rest and in logs', () => {
  it('never writes an issued secret to the database, its WAL, or the log', async () => {
    // Let usage batches and WAL writes land first.
    await new Promise((r) => setTimeout(r, 2500));
    expect(issued.length).toBeGreaterThan(20);
    const files = [server.dbPath, `${server.dbPath}-wal`, `${server.dbPath}-shm`].filter(existsSync);
    const blobs = files.map((f) => readFileSync(f).toString('latin1'));
    const log = server.logText();
    expect(log).toContain('"route":"/v1/tokens"');
    for (const secret of issued) {
      for (const blob of blobs) expect(blob.includes(secret)).toBe(false);
      expect(log.includes(secret)).toBe(false);
      // The random part alone must not be there either.
      expect(log.includes(secret.slice(4, 30))).toBe(false);
    }
  });
});
