// POST /v1/introspect (RFC 7662) against a real server: what an active token answers, and that
// anything unusable answers {"active": false} and nothing more.
import { beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { api, startTestServer } from '../helpers/server.js';
import { introspect, issue, serverWithGateway, wellFormedUnknownSecret, type Issued } from './helpers.js';

const env = serverWithGateway();

const INACTIVE = '{"active":false}';

describe('an active token', () => {
  it('answers the RFC 7662 fields, as form or JSON', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const t = await issue(env.server, { scopes: ['query', 'messaging'], audiences: ['billing', 'search'], expires_at: expiresAt.toISOString() });
    for (const as of ['form', 'json'] as const) {
      const res = await introspect(env.server, env.gateway.secret, { token: t.secret }, as);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(res.body).toEqual({
        active: true,
        scope: 'query messaging',
        client_id: t.id,
        sub: t.id,
        username: t.name,
        exp: Math.floor(expiresAt.getTime() / 1000),
        iat: expect.any(Number),
        aud: ['billing', 'search'],
        token_type: 'Bearer',
      });
      expect(Math.abs(res.body.iat - Date.now() / 1000)).toBeLessThan(120);
    }
  });

  it('leaves out exp and aud when the token never expires and serves any audience', async () => {
    const t = await issue(env.server);
    const res = await introspect(env.server, env.gateway.secret, { token: t.secret });
    expect(res.body).toEqual({ active: true, scope: 'query', client_id: t.id, sub: t.id, username: t.name, iat: expect.any(Number), token_type: 'Bearer' });
  });

  it('echoes the X-Request-Id it was given', async () => {
    const t = await issue(env.server);
    const res = await introspect(env.server, env.gateway.secret, { token: t.secret }, 'form', { 'x-request-id': 'gw-123' });
    expect(res.headers.get('x-request-id')).toBe('gw-123');
  });
});

describe('anything unusable is {"active": false} and nothing more', () => {
  let live: Issued;
  beforeAll(async () => {
    live = await issue(env.server, { scopes: ['query'], audiences: ['billing'], allowed_cidrs: ['10.0.0.0/8', '2001:db8::/32'] });
  });

  it('malformed, mistyped, foreign-prefix and unknown secrets', async () => {
    const mistyped = live.secret.slice(0, 10) + (live.secret[10] === 'a' ? 'b' : 'a') + live.secret.slice(11);
    for (const token of ['', 'nope', mistyped, live.secret.replace(/^tkn_/, 'abc_'), `${live.secret}x`, 'x'.repeat(4000), wellFormedUnknownSecret('tkn')]) {
      const res = await introspect(env.server, env.gateway.secret, { token, ip: '10.1.1.1' });
      expect(res.status).toBe(200);
      expect(res.text).toBe(INACTIVE);
    }
  });

  it('scopes: every one asked for must be held', async () => {
    expect((await introspect(env.server, env.gateway.secret, { token: live.secret, ip: '10.1.1.1', scope: 'query' })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: live.secret, ip: '10.1.1.1', scope: 'query messaging' })).text).toBe(INACTIVE);
    expect((await introspect(env.server, env.gateway.secret, { token: live.secret, ip: '10.1.1.1', scope: 'management' })).text).toBe(INACTIVE);
  });

  it('audience: one of the token audiences', async () => {
    expect((await introspect(env.server, env.gateway.secret, { token: live.secret, ip: '10.1.1.1', audience: 'billing' })).body.active).toBe(true);
    expect((await introspect(env.server, env.gateway.secret, { token: live.secret, ip: '10.1.1.1', audience: 'search' })).text).toBe(INACTIVE);
    const anyAudience = await issue(env.server);
    expect((await introspect(env.server, env.gateway.secret, { token: anyAudience.secret, audience: 'search' })).body.active).toBe(true);
  });

  it('CIDR allowlist, IPv4 and IPv6; without ip the caller address is checked', async () => {
    const cases: [string | undefined, boolean][] = [
      ['10.200.3.4', true],
      ['::ffff:10.0.0.9', true],
      ['2001:db8:1::5', true],
      ['192.168.1.1', false],
      ['2001:db9::1', false],
      ['not-an-ip', false],
      [undefined, false], // the caller is 127.0.0.1
    ];
    for (const [ip, active] of cases) {
      const res = await introspect(env.server, env.gateway.secret, { token: live.secret, ...(ip ? { ip } : {}) });
      if (active) expect(res.body.active, ip).toBe(true);
      else expect(res.text, ip).toBe(INACTIVE);
    }
  });

  it('revoked, suspended, expired and rotated-away tokens', async () => {
    const revoked = await issue(env.server);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${revoked.id}/revoke`, { reason: 'test' });
    const suspended = await issue(env.server);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${suspended.id}/suspend`, {});
    const rotated = await issue(env.server);
    const rotation = await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${rotated.id}/rotate`, { overlap_seconds: 0 });
    expect(rotation.status).toBe(201);
    const expiring = await issue(env.server, { expires_at: new Date(Date.now() + 1500).toISOString() });
    expect((await introspect(env.server, env.gateway.secret, { token: expiring.secret })).body.active).toBe(true);
    await new Promise((r) => setTimeout(r, 1600));
    for (const t of [revoked, suspended, rotated, expiring]) {
      expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).text).toBe(INACTIVE);
    }
    expect((await introspect(env.server, env.gateway.secret, { token: rotation.body.secret })).body.active).toBe(true);
  });

  it('a rotation overlap ends: active until then, with exp at its end', async () => {
    const old = await issue(env.server);
    const rotation = await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${old.id}/rotate`, { overlap_seconds: 1 });
    expect(rotation.status).toBe(201);
    const during = await introspect(env.server, env.gateway.secret, { token: old.secret });
    expect(during.body.active).toBe(true);
    expect(during.body.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await introspect(env.server, env.gateway.secret, { token: old.secret })).text).toBe(INACTIVE);
  });
});

describe('per-token rate limit', () => {
  it('answers {"active": false, "reason": "rate_limited"} over the limit, with Retry-After', async () => {
    const t = await issue(env.server, { rate_limit: { requests: 3, per_seconds: 3600 } });
    for (let i = 0; i < 3; i++) expect((await introspect(env.server, env.gateway.secret, { token: t.secret })).body.active).toBe(true);
    const over = await introspect(env.server, env.gateway.secret, { token: t.secret });
    expect(over.status).toBe(200);
    expect(over.body).toEqual({ active: false, reason: 'rate_limited' });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the caller', () => {
  it('must present its own token: 401 with an OAuth error (and the problem members) otherwise', async () => {
    const t = await issue(env.server);
    for (const auth of ['nope', wellFormedUnknownSecret('tkn')]) {
      const res = await introspect(env.server, auth, { token: t.secret });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokens", error="invalid_token"');
      expect(res.body).toMatchObject({ error: 'invalid_token', error_description: expect.stringContaining('scope verify'), status: 401, code: 'unauthenticated' });
      expect(res.text).not.toContain(t.secret);
    }
    // No credentials at all: a challenge without an error code (RFC 6750 §3.1).
    const none = await introspect(env.server, null, { token: t.secret });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'invalid_client', code: 'unauthenticated' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tokens"');
  });

  it('a bare secret without the Bearer scheme is no credential', async () => {
    const t = await issue(env.server);
    const res = await introspect(env.server, null, { token: t.secret }, 'form', { authorization: env.gateway.secret });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('needs scope verify (management implies it): 403 insufficient_scope otherwise', async () => {
    const t = await issue(env.server);
    const reader = await issue(env.server, { scopes: ['tokens:read'] });
    const res = await introspect(env.server, reader.secret, { token: t.secret });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'insufficient_scope', code: 'verifier_forbidden' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokens", error="insufficient_scope", scope="verify"');
    expect((await introspect(env.server, env.server.adminSecret, { token: t.secret })).body.active).toBe(true);
  });

  it('is refused once revoked, on the next call', async () => {
    const t = await issue(env.server);
    const ownGateway = await issue(env.server, { scopes: ['verify'] });
    expect((await introspect(env.server, ownGateway.secret, { token: t.secret })).body.active).toBe(true);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${ownGateway.id}/revoke`, {});
    expect((await introspect(env.server, ownGateway.secret, { token: t.secret })).status).toBe(401);
  });
});

describe('client authentication (RFC 6749 §2.3.1), besides Bearer', () => {
  /** HTTP Basic as RFC 6749 §2.3.1 has it: id and secret form-urlencoded, then base64. */
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${new URLSearchParams({ x: id }).toString().slice(2)}:${new URLSearchParams({ x: secret }).toString().slice(2)}`).toString('base64')}`;

  it('client_secret_basic: any client id, the verify token as the password', async () => {
    const t = await issue(env.server);
    for (const id of ['gateway', 'gw: 1/é+x', '']) {
      const res = await introspect(env.server, null, { token: t.secret }, 'form', { authorization: basic(id, env.gateway.secret) });
      expect(res.status, id).toBe(200);
      expect(res.body).toMatchObject({ active: true, sub: t.id });
    }
    const lower = await introspect(env.server, null, { token: t.secret }, 'form', { authorization: basic('gw', env.gateway.secret).replace('Basic', 'basic') });
    expect(lower.body.active).toBe(true);
  });

  it('client_secret_post: client_id and client_secret in the form (or JSON) body', async () => {
    const t = await issue(env.server);
    for (const as of ['form', 'json'] as const) {
      const res = await introspect(env.server, null, { token: t.secret, client_id: 'gateway', client_secret: env.gateway.secret }, as);
      expect(res.status, as).toBe(200);
      expect(res.body).toMatchObject({ active: true, sub: t.id });
    }
  });

  it('refuses a wrong client secret: 401 invalid_client, challenged with the scheme the caller used', async () => {
    const t = await issue(env.server);
    const byBasic = await introspect(env.server, null, { token: t.secret }, 'form', { authorization: basic('gw', wellFormedUnknownSecret('tkn')) });
    expect(byBasic.status).toBe(401);
    expect(byBasic.body).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(byBasic.headers.get('www-authenticate')).toBe('Basic realm="tokens", error="invalid_client"');
    for (const authorization of ['Basic !!!', `Basic ${Buffer.from(env.gateway.secret).toString('base64')}`]) {
      const garbled = await introspect(env.server, null, { token: t.secret }, 'form', { authorization });
      expect(garbled.status, authorization).toBe(401);
      expect(garbled.body.error).toBe('invalid_client');
    }
    const byPost = await introspect(env.server, null, { token: t.secret, client_id: 'gw', client_secret: 'tkn_nope' });
    expect(byPost.status).toBe(401);
    expect(byPost.body.error).toBe('invalid_client');
    expect(byPost.headers.get('www-authenticate')).toBeNull();
  });

  it('a client token without scope verify: 403 unauthorized_client', async () => {
    const t = await issue(env.server);
    const reader = await issue(env.server, { scopes: ['tokens:read'] });
    const res = await introspect(env.server, null, { token: t.secret }, 'form', { authorization: basic('gw', reader.secret) });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'unauthorized_client', code: 'verifier_forbidden' });
  });

  it('two methods at once is invalid_request (RFC 6749 §2.3)', async () => {
    const t = await issue(env.server);
    const res = await introspect(env.server, env.gateway.secret, { token: t.secret, client_id: 'gw', client_secret: env.gateway.secret });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});

describe('RFC 8414 metadata at /.well-known/oauth-authorization-server', () => {
  it('names the issuer from the request, the introspection endpoint and the auth methods', async () => {
    const res = await api(env.server, null, 'GET', '/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      issuer: env.server.url,
      introspection_endpoint: `${env.server.url}/v1/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
    });
  });

  it('names the address the request reached when an HTTP/1.0 request has no Host', async () => {
    const answer = await rawRequest(env.server.url, 'GET /.well-known/oauth-authorization-server HTTP/1.0\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).issuer).toBe(env.server.url);
  });

  it('publishes --public-url instead, also below the well-known path for an issuer with a path', async () => {
    const server = await startTestServer({ publicUrl: 'https://edge.example.com/tokens/' });
    try {
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/tokens']) {
        const res = await api(server, null, 'GET', path, undefined, { host: 'evil.example' });
        expect(res.body.issuer, path).toBe('https://edge.example.com/tokens');
        expect(res.body.introspection_endpoint).toBe('https://edge.example.com/tokens/v1/introspect');
      }
    } finally {
      await server.destroy();
    }
  });

  it('believes X-Forwarded-Proto and X-Forwarded-Host only from a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'edge.example.com' };
    expect((await api(env.server, null, 'GET', '/.well-known/oauth-authorization-server', undefined, forwarded)).body.issuer).toBe(env.server.url);
    const behindProxy = await startTestServer({ trustProxy: ['127.0.0.1'] });
    try {
      expect((await api(behindProxy, null, 'GET', '/.well-known/oauth-authorization-server', undefined, forwarded)).body.issuer).toBe('https://edge.example.com');
    } finally {
      await behindProxy.destroy();
    }
  });

  it('refuses a --public-url that cannot be an issuer', async () => {
    for (const publicUrl of ['edge.example.com', 'ftp://edge.example.com', 'https://edge.example.com/?x=1', 'https://u:p@edge.example.com']) {
      await expect(startTestServer({ publicUrl }), publicUrl).rejects.toThrow(/--public-url/);
    }
  });
});

describe('one keep-alive connection', () => {
  it('sees its gateway token revoked, and another gateway token, on the next request', async () => {
    const { Agent, request } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    const call = (caller: string, token: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const body = `token=${token}`;
        const req = request(`${env.server.url}/v1/introspect`, {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${caller}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        });
        req.on('socket', (socket) => socket.once('connect', () => ports.add(socket.localPort!)));
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const t = await issue(env.server);
      const first = await issue(env.server, { scopes: ['verify'] });
      const second = await issue(env.server, { scopes: ['tokens:read'] });
      expect((await call(first.secret, t.secret)).status).toBe(200);
      expect((await call(first.secret, t.secret)).status).toBe(200);
      expect((await call(second.secret, t.secret)).status).toBe(403); // not the remembered token
      expect((await call(first.secret, t.secret)).status).toBe(200);
      await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${first.id}/suspend`, {});
      expect((await call(first.secret, t.secret)).status).toBe(401);
      expect(ports.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe('bad input is a 4xx, never a 5xx', () => {
  it('rejects bodies that are not a token request', async () => {
    const post = (body: string | undefined, type: string, extra: Record<string, string> = {}) =>
      fetch(`${env.server.url}/v1/introspect`, { method: 'POST', headers: { authorization: `Bearer ${env.gateway.secret}`, 'content-type': type, ...extra }, body });
    const cases: [string | undefined, string, number][] = [
      ['', 'application/x-www-form-urlencoded', 400],
      ['scope=query', 'application/x-www-form-urlencoded', 400],
      ['', 'application/json', 400],
      ['{"token":', 'application/json', 400],
      ['[1,2]', 'application/json', 400],
      ['null', 'application/json', 400],
      ['{"token": 5}', 'application/json', 400],
      ['{"token": "x", "scope": ["a"]}', 'application/json', 400],
      ['token=x', 'text/plain', 415],
      ['token=x', 'application/xml', 415],
      [`token=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded', 413],
      [`token=${'a'.repeat(20 * 1024)}`, 'application/x-www-form-urlencoded', 400],
      ['%%%token=%zz', 'application/x-www-form-urlencoded', 400],
    ];
    for (const [body, type, status] of cases) {
      const res = await post(body, type);
      expect(res.status, `${type} ${body?.slice(0, 40)}`).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const answer = (await res.json()) as { error: string; error_description: string };
      expect(answer).toMatchObject({ error: 'invalid_request', status });
      expect(answer.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
    }
  });

  it('answers a caller without a valid token 401 before looking at its body, on the fast path and through fastify', async () => {
    const bodies: [string, string][] = [
      ['scope=query', 'application/x-www-form-urlencoded'],
      ['{"token": 5}', 'application/json'],
      ['[1,2]', 'application/json'],
      // Over the fast path's size: fastify's route validates it.
      [`token=${'a'.repeat(20 * 1024)}`, 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of bodies) {
      for (const authorization of [undefined, 'Bearer tkn_unknown']) {
        const res = await fetch(`${env.server.url}/v1/introspect`, { method: 'POST', headers: { 'content-type': type, ...(authorization ? { authorization } : {}) }, body });
        expect(res.status, `${type} ${body.slice(0, 40)}`).toBe(401);
        const problem = (await res.json()) as { code: string };
        expect(problem.code).toBe('unauthenticated');
        expect(problem).not.toHaveProperty('errors');
      }
    }
  });

  it('survives garbage headers', async () => {
    const t = await issue(env.server);
    for (const auth of [`Bearer ${'x'.repeat(8000)}`, 'Bearer a b c', 'Bearer \u00e9\u00e9', `Bearer ${t.secret} trailing`]) {
      const res = await fetch(`${env.server.url}/v1/introspect`, {
        method: 'POST',
        headers: { authorization: Buffer.from(auth).toString('latin1'), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': 'garbage, ,', 'x-request-id': 'a b' },
        body: `token=${t.secret}`,
      });
      expect(res.status).toBe(401);
    }
  });
});

describe('the same answers however the request arrives', () => {
  it('chunked bodies, charset parameters and a trailing slash go through fastify and agree', async () => {
    const t = await issue(env.server, { scopes: ['query'] });
    const expected = (await introspect(env.server, env.gateway.secret, { token: t.secret, scope: 'query' })).body;
    const chunked = await fetch(`${env.server.url}/v1/introspect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.gateway.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(`token=${t.secret}`));
          c.enqueue(new TextEncoder().encode('&scope=query'));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(200);
    expect(await chunked.json()).toEqual(expected);
    const slash = await fetch(`${env.server.url}/v1/introspect/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.gateway.secret}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: t.secret, scope: 'query' }),
    });
    expect(await slash.json()).toEqual(expected);
    const charset = await introspect(env.server, env.gateway.secret, { token: t.secret }, 'form', { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(charset.body).toEqual(expected);
  });

  it('both endpoints are in /openapi.json', async () => {
    const doc = (await api(env.server, null, 'GET', '/openapi.json')).body;
    expect(doc.paths['/v1/introspect'].post).toBeTruthy();
    expect(doc.paths['/v1/auth'].get).toBeTruthy();
  });
});
