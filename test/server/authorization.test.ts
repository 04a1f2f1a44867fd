// No escalation (README, Security model): a change that loosens a token needs every scope that token
// has, and a token may not loosen itself. Each loosening change is tried by a caller with fewer
// scopes than the target and by the target itself; the tightening counterparts stay allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClockServer, type ClockServer } from '../helpers/clock-server.js';
import { api } from '../helpers/server.js';

let server: ClockServer;
/** tokens:write and tokens:read: fewer scopes than every target below. */
let writer: string;
let counter = 0;

interface Target {
  id: string;
  secret: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

/** A management token (it can call PATCH on itself), from 127.0.0.1, with `fields` set. */
async function target(fields: Record<string, unknown> = {}): Promise<Target> {
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: `target-${++counter}`, scopes: ['management'], ...fields });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.token.id, secret: res.body.secret };
}

const patch = (secret: string, t: Target, body: Record<string, unknown>) => api(server, secret, 'PATCH', `/v1/tokens/${t.id}`, body);

beforeAll(async () => {
  server = await startClockServer();
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'writer', scopes: ['tokens:write', 'tokens:read'] });
  writer = res.body.secret;
});
afterAll(() => server.destroy());

/** A loosening PATCH: the target's starting fields, and the change. */
const loosening: [string, Record<string, unknown>, (now: number) => Record<string, unknown>][] = [
  ['clearing its expiry', { expires_at: 'in 30 days' }, () => ({ expires_at: null })],
  ['extending its expiry', { expires_at: 'in 30 days' }, (now) => ({ expires_at: iso(now + 60 * DAY) })],
  ['clearing its CIDR allowlist', { allowed_cidrs: ['127.0.0.1/32', '::1/128'] }, () => ({ allowed_cidrs: [] })],
  ['widening its CIDR allowlist', { allowed_cidrs: ['127.0.0.1/32', '::1/128'] }, () => ({ allowed_cidrs: ['127.0.0.0/8', '::1/128'] })],
  ['adding an address to its CIDR allowlist', { allowed_cidrs: ['127.0.0.1/32'] }, () => ({ allowed_cidrs: ['127.0.0.1/32', '192.0.2.7'] })],
  ['clearing its audiences', { audiences: ['billing'] }, () => ({ audiences: [] })],
  ['widening its audiences', { audiences: ['billing'] }, () => ({ audiences: ['billing', 'search'] })],
  ['removing its rate limit', { rate_limit: { requests: 5, per_seconds: 60 } }, () => ({ rate_limit: null })],
  ['raising its burst', { rate_limit: { requests: 5, per_seconds: 60 } }, () => ({ rate_limit: { requests: 50, per_seconds: 600 } })],
  ['raising its rate', { rate_limit: { requests: 5, per_seconds: 60 } }, () => ({ rate_limit: { requests: 5, per_seconds: 30 } })],
];

/** Fields as the server takes them: "in 30 days" becomes a timestamp on the server's clock. */
function fieldsAt(fields: Record<string, unknown>, now: number): Record<string, unknown> {
  return fields.expires_at === 'in 30 days' ? { ...fields, expires_at: iso(now + 30 * DAY) } : fields;
}

describe('a change that loosens a token needs every scope it has', () => {
  for (const [what, start, change] of loosening) {
    it(`${what}: 403 for a caller with fewer scopes and for the token itself; allowed to a caller holding them all`, async () => {
      const weaker = await target(fieldsAt(start, server.now()));
      const denied = await patch(writer, weaker, change(server.now()));
      expect(denied.status, denied.text).toBe(403);
      expect(denied.body.code).toBe('forbidden');
      expect(denied.body.detail).toContain('management');

      const self = await target(fieldsAt(start, server.now()));
      const own = await patch(self.secret, self, change(server.now()));
      expect(own.status, own.text).toBe(403);
      expect(own.body.detail).toMatch(/may not .* itself/);

      // Nothing changed.
      for (const t of [weaker, self]) expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}`)).body.version).toBe(1);

      const allowed = await patch(server.adminSecret, await target(fieldsAt(start, server.now())), change(server.now()));
      expect(allowed.status, allowed.text).toBe(200);
    });
  }

  it('tightening stays allowed to a weaker caller and to the token itself', async () => {
    const tightening: [Record<string, unknown>, (now: number) => Record<string, unknown>][] = [
      [{}, (now) => ({ expires_at: iso(now + DAY) })],
      [{ expires_at: 'in 30 days' }, (now) => ({ expires_at: iso(now + DAY) })],
      [{ allowed_cidrs: ['127.0.0.0/8', '::1/128'] }, () => ({ allowed_cidrs: ['127.0.0.1', '::1'] })],
      [{}, () => ({ allowed_cidrs: ['127.0.0.1', '::1'] })],
      [{ audiences: ['billing', 'search'] }, () => ({ audiences: ['search'] })],
      [{}, () => ({ audiences: ['search'] })],
      [{ rate_limit: { requests: 5, per_seconds: 60 } }, () => ({ rate_limit: { requests: 2, per_seconds: 60 } })],
      [{}, () => ({ rate_limit: { requests: 100, per_seconds: 1 } })],
      [{ expires_at: 'in 30 days', rate_limit: { requests: 5, per_seconds: 60 } }, (now) => ({ description: 'x', name: `renamed-${now}-${++counter}`, metadata: { team: 'a' }, expires_at: iso(now + 30 * DAY - 1000) })],
    ];
    for (const [start, change] of tightening) {
      for (const caller of ['writer', 'self'] as const) {
        const t = await target(fieldsAt(start, server.now()));
        const res = await patch(caller === 'writer' ? writer : t.secret, t, change(server.now()));
        expect(res.status, `${caller} ${JSON.stringify(change(server.now()))}: ${res.text}`).toBe(200);
      }
    }
  });

  it('touching an expired token at all (update or scopes) needs every scope it has', async () => {
    const expiring = async () => target({ expires_at: iso(server.now() + 60_000) });
    const a = await expiring();
    const b = await expiring();
    const c = await expiring();
    server.advance(61);
    expect((await api(server, a.secret, 'GET', '/v1/whoami')).status).toBe(401); // so it cannot touch itself either
    for (const body of [{ description: 'still here' }, { expires_at: iso(server.now() + DAY) }, { expires_at: null }]) {
      const res = await patch(writer, a, body);
      expect(res.status, res.text).toBe(403);
      expect(res.body.detail).toMatch(/expired/);
    }
    expect((await api(server, writer, 'POST', `/v1/tokens/${b.id}/scopes`, { remove: ['management'], add: ['tokens:read'] })).status).toBe(403);
    // A caller holding every scope it has may revive it.
    const revived = await patch(server.adminSecret, c, { expires_at: null });
    expect(revived.status).toBe(200);
    expect(revived.body.status).toBe('active');
    expect((await api(server, c.secret, 'GET', '/v1/whoami')).status).toBe(200);
  });

  it('resuming: 403 for a weaker caller; a suspended token cannot resume itself', async () => {
    const t = await target();
    expect((await api(server, writer, 'POST', `/v1/tokens/${t.id}/suspend`, {})).status).toBe(200);
    expect((await api(server, writer, 'POST', `/v1/tokens/${t.id}/resume`, {})).status).toBe(403);
    expect((await api(server, t.secret, 'POST', `/v1/tokens/${t.id}/resume`, {})).status).toBe(401);
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/resume`, {})).status).toBe(200);
  });

  it('rotating: 403 for a weaker caller and for the token itself', async () => {
    const t = await target({ expires_at: iso(server.now() + 30 * DAY) });
    const weak = await api(server, writer, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 60 });
    expect(weak.status).toBe(403);
    expect((await api(server, writer, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 60, pending: true })).status).toBe(403);
    const self = await api(server, t.secret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 60 });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/may not rotate itself/);
    const pending = await api(server, t.secret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 60, pending: true });
    expect(pending.status).toBe(403);
    expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${t.id}`)).body).toMatchObject({ version: 1, rotated_to: null });
    expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 60 })).status).toBe(201);
  });

  it('a token may still tighten itself: suspend or revoke itself, drop its own scopes', async () => {
    const t = await target();
    expect((await api(server, t.secret, 'POST', `/v1/tokens/${t.id}/scopes`, { set: ['tokens:read'] })).status).toBe(200);
    const u = await target();
    expect((await api(server, u.secret, 'POST', `/v1/tokens/${u.id}/revoke`, { reason: 'done' })).status).toBe(200);
  });
});

describe('what a conflict tells a caller that cannot read tokens', () => {
  it('409 name_taken names the other token to a reader only', async () => {
    const creator = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'creator', scopes: ['tokens:write'] })).body.secret;
    const existing = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'taken-name', scopes: ['tokens:read'] })).body.token;
    const blind = await api(server, creator, 'POST', '/v1/tokens', { name: 'taken-name', scopes: ['tokens:write'] });
    expect(blind.status).toBe(409);
    expect(blind.body.code).toBe('name_taken');
    expect(blind.text).not.toContain(existing.id);
    expect(blind.body.detail).toContain('taken-name');
    const reader = await api(server, writer, 'POST', '/v1/tokens', { name: 'taken-name', scopes: ['tokens:read'] });
    expect(reader.status).toBe(409);
    expect(reader.body.detail).toContain(existing.id);
    // Renaming into a taken name says the same.
    const other = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'other-name', scopes: ['tokens:write'] })).body.token;
    const rename = await api(server, creator, 'PATCH', `/v1/tokens/${other.id}`, { name: 'taken-name' });
    expect(rename.status).toBe(409);
    expect(rename.text).not.toContain(existing.id);
  });

  it('409 already_rotated names the successor to a reader only', async () => {
    const rotator = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'rotator', scopes: ['tokens:write'] })).body.secret;
    const t = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'rotate-twice', scopes: ['tokens:read'] })).body.token;
    const first = await api(server, server.adminSecret, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 600 });
    expect(first.status).toBe(201);
    const again = await api(server, rotator, 'POST', `/v1/tokens/${t.id}/rotate`, { overlap_seconds: 600 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_rotated');
    expect(again.text).not.toContain(first.body.token.id);
  });
});
