// GET /v1/auth, forward-auth as nginx auth_request / Traefik ForwardAuth / Envoy ext_authz call it:
// the client's Authorization as sent, the gateway's own token in X-Verifier-Token.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer } from '../helpers/server.js';
import { forwardAuth, issue, serverWithGateway, type Issued } from './helpers.js';

const env = serverWithGateway({ trustProxy: ['127.0.0.1'] });

describe('admitted', () => {
  it('200 with X-Token-Id and X-Token-Scopes', async () => {
    const t = await issue(env.server, { scopes: ['query', 'messaging'] });
    const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?scope=query');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-id')).toBe(t.id);
    expect(res.headers.get('x-token-scopes')).toBe('query messaging');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.text).toBe('');
  });

  it('takes the required scopes and audience from query parameters or headers', async () => {
    const t = await issue(env.server, { scopes: ['query', 'messaging'], audiences: ['billing'] });
    const auth = `Bearer ${t.secret}`;
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?scope=query+messaging&audience=billing')).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?scope=query,messaging')).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?scope=query&scope=messaging')).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '', { 'x-required-scope': 'query messaging', 'x-required-audience': 'billing' })).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '', { 'x-required-scope': 'webhook' })).status).toBe(403);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '', { 'x-required-audience': 'search' })).status).toBe(403);
  });

  it('adds up requirements from the query and from headers: a client can only make them stricter', async () => {
    const t = await issue(env.server, { scopes: ['query'], audiences: ['billing'] });
    const auth = `Bearer ${t.secret}`;
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?scope=query', { 'x-required-scope': 'messaging' })).status).toBe(403);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?audience=billing', { 'x-required-audience': 'search' })).status).toBe(403);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?audience=search', { 'x-required-audience': 'billing' })).status).toBe(403);
    expect((await forwardAuth(env.server, env.gateway.secret, auth, '?audience=billing', { 'x-required-audience': 'billing' })).status).toBe(200);
  });

  it('serves any path below /v1/auth, as Envoy ext_authz sends it', async () => {
    const t = await issue(env.server, { scopes: ['query'] });
    const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '/api/v2/items?id=7&scope=query');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-token-id')).toBe(t.id);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '/api/v2/items?scope=messaging')).status).toBe(403);
  });

  it('accepts the gateway token with or without the Bearer scheme', async () => {
    const t = await issue(env.server);
    expect((await forwardAuth(env.server, `Bearer ${env.gateway.secret}`, `Bearer ${t.secret}`)).status).toBe(200);
  });

  it("takes the client's token in the Bearer scheme, in any case, and nothing else", async () => {
    const t = await issue(env.server);
    for (const auth of [`bearer ${t.secret}`, `BEARER  ${t.secret} `]) {
      expect((await forwardAuth(env.server, env.gateway.secret, auth)).status, auth).toBe(200);
    }
    // A bare secret, or another scheme, is refused with a hint (README, Verify path and gateways).
    for (const auth of [t.secret, `Token ${t.secret}`, `Basic ${Buffer.from(`${t.secret}:`).toString('base64')}`]) {
      const res = await forwardAuth(env.server, env.gateway.secret, auth);
      expect(res.status, auth.slice(0, 10)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tokens"');
      expect(res.body.detail).toBe('send the token as Authorization: Bearer <token>');
    }
  });
});

describe('refused', () => {
  it('401 for a missing, malformed, unknown or revoked token, saying no more than that', async () => {
    const t = await issue(env.server);
    await api(env.server, env.server.adminSecret, 'POST', `/v1/tokens/${t.id}/revoke`, {});
    for (const auth of [null, '', 'Bearer', 'Bearer nope', 'Basic Zm9vOmJhcg==', `Bearer ${t.secret}`]) {
      const res = await forwardAuth(env.server, env.gateway.secret, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="tokens"/);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('x-token-id')).toBeNull();
    }
    const revoked = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`);
    expect(revoked.body.code).toBe('invalid_token');
    expect(revoked.body.detail).not.toContain('revoked ');
  });

  it('403 for a missing scope, with insufficient_scope', async () => {
    const t = await issue(env.server, { scopes: ['query'] });
    const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?scope=query%20invoice:read');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('403 for another audience', async () => {
    const t = await issue(env.server, { audiences: ['billing'] });
    const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?audience=search');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('audience_not_allowed');
  });

  it('429 with Retry-After over the rate limit', async () => {
    const t = await issue(env.server, { rate_limit: { requests: 2, per_seconds: 600 } });
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`)).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`)).status).toBe(200);
    const over = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`);
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the client address, from a trusted proxy', () => {
  let inTen: Issued;
  let v6: Issued;
  beforeAll(async () => {
    inTen = await issue(env.server, { allowed_cidrs: ['10.0.0.0/8'] });
    v6 = await issue(env.server, { allowed_cidrs: ['2001:db8::/32'] });
  });

  it('reads X-Forwarded-For (right to left past trusted hops) and X-Real-IP', async () => {
    const cases: [Record<string, string>, Issued, number][] = [
      [{ 'x-forwarded-for': '10.1.2.3' }, inTen, 200],
      [{ 'x-forwarded-for': '192.0.2.1' }, inTen, 403],
      [{ 'x-forwarded-for': '10.9.9.9, 127.0.0.1' }, inTen, 200],
      // A client that forges a first hop is still seen at its real address, appended by the proxy.
      [{ 'x-forwarded-for': '10.1.2.3, 192.0.2.7' }, inTen, 403],
      [{ 'x-forwarded-for': 'garbage' }, inTen, 403],
      [{ 'x-real-ip': '10.4.4.4' }, inTen, 200],
      [{ 'x-real-ip': '192.0.2.44' }, inTen, 403],
      [{}, inTen, 403],
      [{ 'x-forwarded-for': '2001:db8::42' }, v6, 200],
      [{ 'x-forwarded-for': '2001:db9::42' }, v6, 403],
    ];
    for (const [headers, token, status] of cases) {
      const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${token.secret}`, '', headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      if (status === 403) expect(res.body.code).toBe('ip_not_allowed');
    }
  });

  it('ignores those headers from a peer that is not a trusted proxy', async () => {
    const direct = await startTestServer();
    try {
      const gw = await issue(direct, { scopes: ['verify'] });
      const t = await issue(direct, { allowed_cidrs: ['10.0.0.0/8'] });
      for (const headers of [{ 'x-forwarded-for': '10.1.2.3' }, { 'x-real-ip': '10.1.2.3' }] as Record<string, string>[]) {
        expect((await forwardAuth(direct, gw.secret, `Bearer ${t.secret}`, '', headers)).status).toBe(403);
      }
      const loopback = await issue(direct, { allowed_cidrs: ['127.0.0.0/8', '::1'] });
      expect((await forwardAuth(direct, gw.secret, `Bearer ${loopback.secret}`, '', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(200);
    } finally {
      await direct.destroy();
    }
  });
});

describe('the gateway itself', () => {
  it('401 verifier_unauthenticated without a valid X-Verifier-Token, 403 without scope verify', async () => {
    const t = await issue(env.server);
    for (const verifier of [null, 'nope', t.secret.slice(0, -1)]) {
      const res = await forwardAuth(env.server, verifier, `Bearer ${t.secret}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('verifier_unauthenticated');
    }
    const res = await forwardAuth(env.server, t.secret, `Bearer ${t.secret}`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('verifier_forbidden');
  });

  it('is blocked after many failed attempts from one address (429), without touching other addresses', async () => {
    const limited = await startTestServer();
    try {
      const t = await issue(limited);
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i++) status = (await forwardAuth(limited, 'tkn_wrong', `Bearer ${t.secret}`)).status;
      expect(status).toBe(429);
    } finally {
      await limited.destroy();
    }
  });
});

describe('HEAD and odd URLs still get answers, never a 5xx', () => {
  it('answers HEAD, trailing slashes and long queries', async () => {
    const t = await issue(env.server);
    const head = await fetch(`${env.server.url}/v1/auth`, { method: 'HEAD', headers: { 'x-verifier-token': env.gateway.secret, authorization: `Bearer ${t.secret}` } });
    expect(head.status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '/')).status).toBe(200);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, `?scope=${'a'.repeat(5000)}`)).status).toBe(400);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?audience=a&audience=b')).status).toBe(400);
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?scope=%zz')).status).toBeLessThan(500);
  });

  it('answers a gateway without a valid token 401 before looking at the query, on the fast path (GET) and through fastify (HEAD)', async () => {
    const t = await issue(env.server);
    for (const query of [`?scope=${'a'.repeat(5000)}`, '?audience=a&audience=b']) {
      for (const verifier of [null, 'tkn_unknown']) {
        const get = await forwardAuth(env.server, verifier, `Bearer ${t.secret}`, query);
        expect(get.status, query).toBe(401);
        expect(get.body.code).toBe('verifier_unauthenticated');
        expect(get.body).not.toHaveProperty('errors');
        const head = await fetch(`${env.server.url}/v1/auth${query}`, { method: 'HEAD', headers: { authorization: `Bearer ${t.secret}`, ...(verifier ? { 'x-verifier-token': verifier } : {}) } });
        expect(head.status, query).toBe(401);
      }
    }
  });

  it('refuses required scopes and audiences that no header could carry, and keeps serving', async () => {
    const t = await issue(env.server, { scopes: ['query'], audiences: ['billing'] });
    for (const query of ['?scope=%0Aevil', '?scope=%22%3B%20x', '?scope=%C3%A9t%C3%A9', '?scope=a%0D%0AX-Injected:%201', '?audience=%0A%0D', '?scope=%00']) {
      const res = await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, query);
      expect(res.status, query).toBe(403);
      expect(res.headers.get('x-injected')).toBeNull();
    }
    expect((await forwardAuth(env.server, env.gateway.secret, `Bearer ${t.secret}`, '?scope=query')).status).toBe(200);
  });
});
