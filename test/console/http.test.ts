// The console over plain HTTP, as curl (or an attacker's page) would talk to it: the page and its
// assets with their headers and encodings, sign-in and the session cookie, the session standing in
// for the bearer token, CSRF and cross-site refusals, the shared brute-force limit, sessions ending
// when their token changes or time runs out, the event stream, and sign-out.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { readUntil, signIn, withSession } from './helpers.js';

let server: TestServer;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
let admin: string;

beforeAll(async () => {
  server = await startTestServer({ sessionIdleTimeout: 600, sessionLifetime: 3600, trustProxy: ['127.0.0.1'] }, {}, { clock: now });
  admin = server.adminSecret;
});
afterAll(() => server.destroy());

async function createToken(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await api(server, admin, 'POST', '/v1/tokens', body);
  expect(r.status, r.text).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

describe('the console page and its assets', () => {
  it('serves the same page at every console path, with a strict CSP and no-cache', async () => {
    for (const path of ['/', '/tokens', '/tokens/tok_01abc', '/audit', '/scopes']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      // No inline script or style: everything comes from fingerprinted files.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=/);
    }
    expect((await fetch(`${server.url}/v1/nothing-here`)).headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves fingerprinted assets for a year, in brotli or gzip as accepted, and revalidates the page by ETag', async () => {
    const html = await (await fetch(server.url)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => /\/assets\/app-[A-Z0-9]{8}\.js$/.test(a))).toBe(true);
    expect(assets.some((a) => /\/assets\/app-[A-Z0-9]{8}\.css$/.test(a))).toBe(true);
    for (const asset of assets) {
      const plain = await fetch(server.url + asset, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.get('content-encoding')).toBeNull();
      const body = Buffer.from(await plain.arrayBuffer());
      // undici's fetch would decode; ask with node:http semantics by reading raw bytes through a custom header set.
      const br = await rawGet(asset, 'br, gzip');
      expect(br.encoding).toBe('br');
      expect(brotliDecompressSync(br.body).equals(body)).toBe(true);
      const gz = await rawGet(asset, 'gzip, br;q=0');
      expect(gz.encoding).toBe('gzip');
      expect(gunzipSync(gz.body).equals(body)).toBe(true);
      expect(gz.vary).toBe('accept-encoding');
    }
    const page = await fetch(server.url);
    const again = await fetch(server.url, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

/** A GET whose body stays encoded (fetch would decode it). */
async function rawGet(path: string, acceptEncoding: string): Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(server.url + path, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('sign-in and the session cookie', () => {
  it('over plain-HTTP loopback: HttpOnly, SameSite=Strict, no Secure; the answer holds no secret', async () => {
    const s = await signIn(server, admin);
    expect(s.setCookie).toMatch(/^tokens_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    expect(JSON.stringify(s.body)).not.toContain(admin);
    expect(s.body.token.name).toBe('bootstrap');
    expect(s.body.session).toMatchObject({ idle_timeout_seconds: 600, csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('behind HTTPS: the cookie is Secure with the __Host- prefix, and a plain-HTTP cookie name is ignored', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tokens.example' };
    const s = await signIn(server, admin, https);
    expect(s.setCookie).toMatch(/^__Host-tokens_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure$/);
    expect((await withSession(server, s, 'GET', '/v1/session', undefined, https)).status).toBe(200);
    // The same id under the name a plain-HTTP page could have set (cookie tossing) does not count over HTTPS.
    const tossed = { ...s, cookie: s.cookie.replace('__Host-tokens_session', 'tokens_session') };
    expect((await withSession(server, tossed, 'GET', '/v1/session', undefined, https)).status).toBe(401);
  });

  it('refuses sign-in over plain HTTP to a non-loopback name, where the browser would drop the Secure cookie', async () => {
    const r = await api(server, null, 'POST', '/v1/session', { secret: admin }, { 'x-forwarded-host': 'tokens.example' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('insecure_transport');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a wrong secret with 401 and a sign-in from another origin with 403', async () => {
    const wrong = await api(server, null, 'POST', '/v1/session', { secret: 'tkn_notarealsecret' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('sign_in_failed');
    expect(wrong.text).not.toContain('tkn_notarealsecret');
    const cross = await api(server, null, 'POST', '/v1/session', { secret: admin }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(cross.status).toBe(403);
    expect(cross.body.code).toBe('cross_site_request');
    expect(cross.headers.get('set-cookie')).toBeNull();
  });

  it('the session stands in for the bearer token: the same caller and the same scope rules', async () => {
    const reader = await createToken({ name: 'session-reader', scopes: ['tokens:read'] });
    const s = await signIn(server, reader.secret);
    const me = await withSession(server, s, 'GET', '/v1/whoami');
    expect(me.status).toBe(200);
    expect(me.body.token.id).toBe(reader.id);
    expect((await withSession(server, s, 'GET', '/v1/tokens')).status).toBe(200);
    const denied = await withSession(server, s, 'POST', '/v1/tokens', { name: 'nope', scopes: ['tokens:read'] });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    // The bearer token keeps working exactly as before, with or without a cookie beside it.
    expect((await api(server, reader.secret, 'GET', '/v1/whoami')).body.token.id).toBe(reader.id);
    expect((await api(server, admin, 'GET', '/v1/whoami', undefined, { cookie: s.cookie })).body.token.name).toBe('bootstrap');
  });
});

describe('same-origin proof for changes made with a session', () => {
  it('refuses a change without the CSRF token, from another origin, or from another site, before reading the body', async () => {
    const s = await signIn(server, admin);
    const victim = await createToken({ name: 'csrf-victim', scopes: ['tokens:read'] });
    const attempts: [string, Record<string, string>, string][] = [
      ['no CSRF token', { cookie: s.cookie }, 'csrf_token_invalid'],
      ['a wrong CSRF token', { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) }, 'csrf_token_invalid'],
      ['another origin', { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'http://evil.example' }, 'cross_site_request'],
      ['another site', { cookie: s.cookie, 'x-csrf-token': s.csrf, 'sec-fetch-site': 'cross-site' }, 'cross_site_request'],
      ['the same site, another port', { cookie: s.cookie, 'x-csrf-token': s.csrf, 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:1' }, 'cross_site_request'],
    ];
    for (const [what, headers, code] of attempts) {
      const r = await api(server, null, 'POST', `/v1/tokens/${victim.id}/revoke`, { reason: 'csrf' }, headers);
      expect(r.status, what).toBe(403);
      expect(r.body.code, what).toBe(code);
    }
    // What a cross-site HTML form sends: a form body, the cookie, the other origin.
    const form = await fetch(`${server.url}/v1/tokens/${victim.id}/revoke`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'reason=csrf',
    });
    expect(form.status).toBe(403);
    expect((await api(server, admin, 'GET', `/v1/tokens/${victim.id}`)).body.status).toBe('active');
    // With its proof the same change goes through.
    const ok = await withSession(server, s, 'POST', `/v1/tokens/${victim.id}/revoke`, { reason: 'done by the console' }, { origin: server.url });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('revoked');
  });
});

describe('failed sign-ins', () => {
  it('count toward the per-address failed-authentication limit that the API uses', async () => {
    // A fresh address (the trusted proxy vouches for it), so other tests' failures do not count.
    const from = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 30; i++) {
      const r = await api(server, null, 'POST', '/v1/session', { secret: `tkn_guess${i}` }, from);
      expect(r.status).toBe(401);
    }
    const blocked = await api(server, null, 'POST', '/v1/session', { secret: 'tkn_guess-more' }, from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The API's bearer path shares the counter.
    expect((await api(server, 'tkn_another-guess', 'GET', '/v1/whoami', undefined, from)).status).toBe(429);
  });
});

describe('when a session ends', () => {
  const ended = async (s: Awaited<ReturnType<typeof signIn>>) => {
    const r = await withSession(server, s, 'GET', '/v1/tokens');
    return { status: r.status, code: r.body?.code, detail: r.body?.detail as string, cleared: r.headers.get('set-cookie') };
  };

  it('ends at once when its token is revoked, suspended, or loses a scope it had', async () => {
    for (const [change, reason] of [
      [(id: string) => api(server, admin, 'POST', `/v1/tokens/${id}/revoke`, { reason: 'test' }), 'its token was revoked'],
      [(id: string) => api(server, admin, 'POST', `/v1/tokens/${id}/suspend`, {}), 'its token was suspended'],
      [(id: string) => api(server, admin, 'POST', `/v1/tokens/${id}/scopes`, { remove: ['audit:read'] }), 'its token lost a scope'],
    ] as const) {
      const t = await createToken({ name: `ends-${reason.replace(/\W/g, '')}`, scopes: ['tokens:read', 'audit:read'] });
      const s = await signIn(server, t.secret);
      expect((await ended(s)).status).toBe(200);
      expect((await change(t.id)).status).toBe(200);
      const after = await ended(s);
      expect(after).toMatchObject({ status: 401, code: 'session_ended' });
      expect(after.detail).toContain(reason);
      expect(after.cleared).toMatch(/^tokens_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
      if (reason === 'its token was suspended') {
        // Resuming the token does not bring the session back.
        await api(server, admin, 'POST', `/v1/tokens/${t.id}/resume`, {});
        expect((await ended(s)).status).toBe(401);
      }
    }
  });

  it('ends after the idle timeout, after its lifetime, and when its token expires', async () => {
    const t = await createToken({ name: 'ends-by-time', scopes: ['tokens:read'], expires_at: new Date(now() + 5000 * 1000).toISOString() });
    const idle = await signIn(server, t.secret);
    offsetMs += 601_000;
    expect((await ended(idle)).detail).toContain('idle for too long');

    const busy = await signIn(server, t.secret);
    for (let i = 0; i < 7; i++) {
      offsetMs += 500_000; // always within the idle timeout, but 3,500 s in all
      expect((await ended(busy)).status).toBe(200);
    }
    offsetMs += 200_000;
    expect((await ended(busy)).detail).toContain('maximum lifetime');

    const late = await signIn(server, t.secret);
    offsetMs += 1_400_000; // past the token's own expiry (5,000 s after it was made)
    const gone = await ended(late);
    expect(gone.status).toBe(401);
  });

  it('tells the event stream within a second when its token is revoked', async () => {
    const t = await createToken({ name: 'stream-watcher', scopes: ['tokens:read'] });
    const s = await signIn(server, t.secret);
    const res = await fetch(`${server.url}/v1/session/events`, { headers: { cookie: s.cookie, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const revokedAt = Date.now();
    await api(server, admin, 'POST', `/v1/tokens/${t.id}/revoke`, { reason: 'stream test' });
    const text = await readUntil(reader, 'event: ended', 5000);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(text).toMatch(/event: ended\ndata: \{"reason":"token_revoked","message":"the console session ended because its token was revoked"\}/);
  });

  it('signs out: the session is gone, the cookie cleared, and the audit log has both ends', async () => {
    const s = await signIn(server, admin);
    const out = await withSession(server, s, 'DELETE', '/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await withSession(server, s, 'GET', '/v1/session')).body.code).toBe('session_ended');
    const events = (await api(server, admin, 'GET', '/v1/audit?order=desc&limit=5')).body.data.map((e: { action: string }) => e.action);
    expect(events.slice(0, 2)).toEqual(['session.ended', 'session.started']);
  });

  it('shuts the server down promptly with an event stream open', async () => {
    const other = await startTestServer();
    try {
      const s = await signIn(other, other.adminSecret);
      const res = await fetch(`${other.url}/v1/session/events`, { headers: { cookie: s.cookie } });
      expect(res.status).toBe(200);
      const started = Date.now();
      await other.close();
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await other.destroy();
    }
  });
});

describe('the token list for the console', () => {
  it('sorts with cursors that only continue the sort they came from', async () => {
    for (const name of ['sort-b', 'sort-a', 'sort-c']) await createToken({ name, scopes: ['tokens:read'] });
    const first = await api(server, admin, 'GET', '/v1/tokens?name_prefix=sort-&sort=name&limit=2');
    expect(first.body.data.map((t: { name: string }) => t.name)).toEqual(['sort-a', 'sort-b']);
    const next = await api(server, admin, 'GET', `/v1/tokens?name_prefix=sort-&sort=name&limit=2&cursor=${first.body.next_cursor}`);
    expect(next.body.data.map((t: { name: string }) => t.name)).toEqual(['sort-c']);
    const mixed = await api(server, admin, 'GET', `/v1/tokens?name_prefix=sort-&sort=-name&cursor=${first.body.next_cursor}`);
    expect(mixed.status).toBe(400);
    expect((await api(server, admin, 'GET', '/v1/tokens?sort=secret')).status).toBe(400);
  });
});
