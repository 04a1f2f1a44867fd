// The per-address limit on failed authentication throttles the failures, not the valid credentials:
// one bad script behind a NAT, a CI runner pool or an untrusted proxy must not lock out on-call
// behind the same address. Failures beyond the limit still get 429, and a blocked address's
// repeated or malformed guesses cost no store query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTypo } from '../helpers/secrets.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { forwardAuth, introspect, issue, wellFormedUnknownSecret, type Issued } from '../verify/helpers.js';

let server: TestServer;
let lookups = 0;
let reader: Issued;
let gateway: Issued;
let revoked: Issued;

beforeAll(async () => {
  server = await startTestServer({ trustProxy: ['127.0.0.1'] }, {}, {
    wrapStore: (sqlite) =>
      new Proxy(sqlite, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop === 'getTokensByHash') return (...args: unknown[]) => (lookups++, (value as (...a: unknown[]) => unknown).apply(target, args));
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  });
  reader = await issue(server, { scopes: ['tokens:read'] });
  gateway = await issue(server, { scopes: ['verify'] });
  revoked = await issue(server, { scopes: ['tokens:read'] });
  expect((await api(server, server.adminSecret, 'POST', `/v1/tokens/${revoked.id}/revoke`, { reason: 'test' })).status).toBe(200);
});
afterAll(async () => {
  await server?.destroy();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

/** 30 wrong bearer secrets from `address`, each a 401: the address is at the limit. */
async function exhaust(address: string): Promise<void> {
  for (let i = 0; i < 30; i++) expect((await api(server, wellFormedUnknownSecret('tkn'), 'GET', '/v1/whoami', undefined, from(address))).status).toBe(401);
}

describe('an address over the failed-authentication limit', () => {
  it('still gets 429 with Retry-After for wrong secrets, problem+json', async () => {
    await exhaust('203.0.113.10');
    const blocked = await api(server, wellFormedUnknownSecret('tkn'), 'GET', '/v1/whoami', undefined, from('203.0.113.10'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    expect(blocked.body.detail).toContain('too many failed authentication attempts');
  });

  it('serves a valid token from it: the management API, with any scope', async () => {
    await exhaust('203.0.113.11');
    const admin = await api(server, server.adminSecret, 'GET', '/v1/whoami', undefined, from('203.0.113.11'));
    expect(admin.status, admin.text).toBe(200);
    const read = await api(server, reader.secret, 'GET', '/v1/tokens', undefined, from('203.0.113.11'));
    expect(read.status, read.text).toBe(200);
    // …and its failures are still refused.
    expect((await api(server, 'tkn_garbage', 'GET', '/v1/whoami', undefined, from('203.0.113.11'))).status).toBe(429);
  });

  it('lets on-call sign in to the console from it, while wrong sign-ins get 429', async () => {
    await exhaust('203.0.113.12');
    const wrong = await api(server, null, 'POST', '/v1/session', { secret: wellFormedUnknownSecret('tkn') }, from('203.0.113.12'));
    expect(wrong.status).toBe(429);
    const signedIn = await api(server, null, 'POST', '/v1/session', { secret: reader.secret }, { ...from('203.0.113.12'), origin: server.url });
    expect(signedIn.status, signedIn.text).toBe(201);
  });

  it('lets a gateway behind it introspect with its own valid token; a wrong caller token gets 429', async () => {
    await exhaust('203.0.113.13');
    const t = await issue(server);
    const wrongCaller = await introspect(server, wellFormedUnknownSecret('tkn'), { token: t.secret }, 'form', from('203.0.113.13'));
    expect(wrongCaller.status).toBe(429);
    expect(Number(wrongCaller.headers.get('retry-after'))).toBeGreaterThan(0);
    const ok = await introspect(server, gateway.secret, { token: t.secret }, 'form', from('203.0.113.13'));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.active).toBe(true);
  });

  it('spends no store query on a repeated wrong secret, a revoked token or a malformed one', async () => {
    await exhaust('203.0.113.14');
    const wrong = wellFormedUnknownSecret('tkn');
    // The first sight of a well-formed secret costs the one lookup any failure costs.
    expect((await api(server, wrong, 'GET', '/v1/whoami', undefined, from('203.0.113.14'))).status).toBe(429);
    expect((await api(server, revoked.secret, 'GET', '/v1/whoami', undefined, from('203.0.113.14'))).status).toBe(429);
    const before = lookups;
    for (let i = 0; i < 10; i++) {
      expect((await api(server, wrong, 'GET', '/v1/whoami', undefined, from('203.0.113.14'))).status).toBe(429);
      expect((await api(server, revoked.secret, 'GET', '/v1/tokens', undefined, from('203.0.113.14'))).status).toBe(429);
      expect((await api(server, withTypo(reader.secret), 'GET', '/v1/whoami', undefined, from('203.0.113.14'))).status).toBe(429);
      expect((await api(server, null, 'POST', '/v1/session', { secret: wrong }, from('203.0.113.14'))).status).toBe(429);
    }
    expect(lookups).toBe(before);
  });

  it('other addresses are not affected', async () => {
    await exhaust('203.0.113.15');
    expect((await api(server, wellFormedUnknownSecret('tkn'), 'GET', '/v1/whoami', undefined, from('203.0.113.16'))).status).toBe(401);
  });

  // Last: forward-auth counts the gateway's own address (the socket peer, here 127.0.0.1).
  it('lets a forward-auth gateway at that address through with its valid X-Verifier-Token', async () => {
    const t = await issue(server);
    for (let i = 0; i < 30; i++) expect((await forwardAuth(server, wellFormedUnknownSecret('tkn'), `Bearer ${t.secret}`)).status).toBe(401);
    const wrong = await forwardAuth(server, wellFormedUnknownSecret('tkn'), `Bearer ${t.secret}`);
    expect(wrong.status).toBe(429);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const ok = await forwardAuth(server, gateway.secret, `Bearer ${t.secret}`);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('x-token-id')).toBe(t.id);
  });
});
