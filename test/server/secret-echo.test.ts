// No answer, log line or audit detail repeats a caller-supplied value shaped like a secret (README,
// Security model: shown once). A lookup by a secret-shaped value says what it looks like instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/shared/secret.js';
import { rawRequest } from '../helpers/raw-http.js';
import { withTypo } from '../helpers/secrets.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let live: { id: string; secret: string };
beforeAll(async () => {
  server = await startTestServer({ logLevel: 'debug' });
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'echo-victim', scopes: ['tokens:read'] });
  live = { id: res.body.token.id, secret: res.body.secret };
});
afterAll(async () => {
  await server?.destroy();
});

/** The random part of a secret: what must appear in no answer or log. */
const randomOf = (secret: string) => secret.slice(secret.indexOf('_') + 1, secret.indexOf('_') + 25);

describe('a secret where an id goes', () => {
  const shapes = () => [
    ['a live secret', live.secret],
    ['a mistyped one', withTypo(live.secret)],
    ['one cut short', live.secret.slice(0, -5)],
    ['another prefix', generateSecret('ghx')],
  ] as const;

  it('is refused with 400 looks_like_secret that names the right way and repeats nothing, on every route taking an id', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/tokens/{}'],
      ['PATCH', '/v1/tokens/{}', { description: 'x' }],
      ['POST', '/v1/tokens/{}/revoke', { reason: 'leak' }],
      ['POST', '/v1/tokens/{}/suspend', {}],
      ['POST', '/v1/tokens/{}/rotate', {}],
      ['POST', '/v1/tokens/{}/scopes', { add: ['tokens:read'] }],
      ['GET', '/v1/tokens/{}/usage'],
      ['GET', '/v1/webhooks/{}'],
    ];
    for (const [what, value] of shapes()) {
      for (const [method, path, body] of routes) {
        const res = await api(server, server.adminSecret, method, path.replace('{}', value), body);
        const where = `${what}: ${method} ${path}`;
        expect(res.status, `${where} ${res.text}`).toBe(400);
        expect(res.body.code, where).toBe('looks_like_secret');
        expect(res.body.detail, where).toContain('POST /v1/tokens/lookup-by-value');
        expect(res.text, where).not.toContain(randomOf(value));
      }
    }
    // The token is as it was.
    expect((await api(server, server.adminSecret, 'GET', `/v1/tokens/${live.id}`)).body.status).toBe('active');
  });

  it('a stranger presenting it in the URL gets 401 first, and learns nothing', async () => {
    const res = await api(server, null, 'GET', `/v1/tokens/${live.secret}`);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(randomOf(live.secret));
  });
});

describe('secret-shaped values elsewhere are never echoed', () => {
  it('in a path no route has (404)', async () => {
    const res = await api(server, server.adminSecret, 'GET', `/v1/nothing/${live.secret}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(randomOf(live.secret));
    expect(res.body.detail).toContain('tkn_…');
  });

  it('in a field name, a name that is taken, a scope, a query', async () => {
    // A name shaped like a secret (lower case, as names are) is the caller's to choose; taken, it is not repeated.
    const secretName = live.secret.toLowerCase();
    expect((await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: secretName, scopes: ['tokens:read'] })).status).toBe(201);
    const answers = [
      await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'x', scopes: ['tokens:read'], [live.secret]: 1 }),
      await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: secretName, scopes: ['tokens:read'] }),
      await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'y', scopes: [live.secret] }),
      await api(server, server.adminSecret, 'GET', `/v1/tokens?status=${live.secret}`),
      await api(server, server.adminSecret, 'GET', `/v1/audit?since=${live.secret}`),
      await api(server, server.adminSecret, 'DELETE', `/v1/scopes/${live.secret}`),
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain(randomOf(live.secret));
      expect(res.text).not.toContain(randomOf(live.secret).toLowerCase());
    }
  });

  it('in a URL the router refuses, or a malformed request', async () => {
    for (const request of [
      `GET /v1/tokens/${live.secret}%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      `GET /v1/tokens/${live.secret}${'a'.repeat(200)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      `GET /v1/tokens/${live.secret} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0000${live.secret}\r\n\r\n`,
    ]) {
      const answer = await rawRequest(server.url, request);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.raw).not.toContain(randomOf(live.secret));
    }
  });

  it('and the log (at debug level) holds none of it', () => {
    expect(server.logText()).not.toContain(randomOf(live.secret));
  });
});
