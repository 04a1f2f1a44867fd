// Garbage in never yields a 5xx: malformed JSON, unknown fields, wrong types, oversize values,
// odd headers — each gets a 4xx problem+json that names what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let tokenId: string;

beforeAll(async () => {
  server = await startTestServer();
  tokenId = (await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'target', scopes: ['tokens:read'] })).body.token.id;
});
afterAll(() => server.destroy());

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.detail).not.toMatch(/\n|at .*\(.*:\d+:\d+\)/);
}

describe('validation errors name the field', () => {
  const cases: [string, unknown, number, RegExp][] = [
    ['malformed JSON', '{"name": ', 400, /not valid JSON/],
    ['a JSON string', '"hello"', 400, /body/],
    ['unknown field', { name: 'x', scopes: ['tokens:read'], admin: true }, 400, /unknown field "admin"/],
    ['missing name', { scopes: ['tokens:read'] }, 400, /missing required field "name"/],
    ['wrong type', { name: 42, scopes: ['tokens:read'] }, 400, /name/],
    ['oversize name', { name: 'n'.repeat(101), scopes: ['tokens:read'] }, 400, /name.*100/],
    ['empty scopes', { name: 'x', scopes: [] }, 400, /scopes/],
    ['bad scope name', { name: 'x', scopes: ['DROP TABLE'] }, 400, /scopes/],
    ['past expiry', { name: 'x', scopes: ['tokens:read'], expires_at: '2001-01-01T00:00:00Z' }, 400, /future/],
    ['invalid date', { name: 'x', scopes: ['tokens:read'], expires_at: 'tomorrow' }, 400, /expires_at/],
    ['nested wrong type', { name: 'x', scopes: ['tokens:read'], rate_limit: { requests: '5', per_seconds: 1 } }, 400, /rate_limit/],
    ['prototype pollution', '{"name":"x","scopes":["tokens:read"],"__proto__":{"admin":true}}', 400, /./],
  ];
  for (const [label, body, status, detail] of cases) {
    it(`create with ${label} → ${status}`, async () => {
      const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', body);
      expectProblem(res, status);
      expect(res.body.detail).toMatch(detail);
    });
  }

  it('rejects a body over the size limit with 413', async () => {
    const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'x', scopes: ['tokens:read'], description: 'x'.repeat(2_000_000) });
    expectProblem(res, 413);
  });

  it('rejects a non-JSON content type with 415', async () => {
    const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', 'name=x', { 'content-type': 'text/plain' });
    expectProblem(res, 415);
  });

  it('rejects bad query parameters with 400', async () => {
    for (const q of ['limit=0', 'limit=abc', 'limit=100000', 'status=zombie', 'expires_before=yesterday', 'bogus=1']) {
      expectProblem(await api(server, server.adminSecret, 'GET', `/v1/tokens?${q}`), 400);
    }
  });

  it('rejects a malformed If-Match with 400', async () => {
    expectProblem(await api(server, server.adminSecret, 'PATCH', `/v1/tokens/${tokenId}`, { description: 'x' }, { 'if-match': 'banana' }), 400);
  });

  it('rejects an overlap out of range and bad idempotency keys', async () => {
    expectProblem(await api(server, server.adminSecret, 'POST', `/v1/tokens/${tokenId}/rotate`, { overlap_seconds: -1 }), 400);
    expectProblem(await api(server, server.adminSecret, 'POST', `/v1/tokens/${tokenId}/rotate`, { overlap_seconds: 1e12 }), 400);
    expectProblem(await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'k', scopes: ['tokens:read'] }, { 'idempotency-key': 'x'.repeat(300) }), 400);
  });

  it('caps revoke-by-value at 1,000 secrets', async () => {
    const res = await api(server, server.adminSecret, 'POST', '/v1/tokens/revoke-by-value', { secrets: Array(1001).fill('x') });
    expectProblem(res, 400);
  });
});

describe('fuzzing every route never yields a 5xx', () => {
  const junk: unknown[] = [
    null, 0, -1, 1e308, true, 'x', '', [], [null], {}, { a: { b: { c: [] } } }, 'é'.repeat(300), '\u0000', ['\u0000'],
    { name: '\u0000' }, { name: ['x'] }, { scopes: 'management' }, { set: null }, { add: [1] }, { secrets: [null] },
    { overlap_seconds: 'soon' }, { reason: { text: 1 } }, { expires_at: 1 }, { metadata: { k: 1 } }, { metadata: 'x' },
    { allowed_cidrs: ['::/999'] }, { audiences: [''] },
  ];
  const routes: [string, string][] = [
    ['POST', '/v1/tokens'],
    ['PATCH', `/v1/tokens/${'ID'}`],
    ['POST', '/v1/tokens/ID/scopes'],
    ['POST', '/v1/tokens/ID/rotate'],
    ['POST', '/v1/tokens/ID/suspend'],
    ['POST', '/v1/tokens/ID/resume'],
    ['POST', '/v1/tokens/ID/revoke'],
    ['POST', '/v1/tokens/revoke-by-value'],
    ['POST', '/v1/scopes'],
  ];
  it('answers every junk body on every route with a 4xx or 2xx', async () => {
    const statuses = new Set<number>();
    for (const [method, path] of routes) {
      for (const body of junk) {
        const res = await api(server, server.adminSecret, method, path.replace('ID', tokenId), JSON.stringify(body));
        statuses.add(res.status);
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
    }
    expect(statuses.has(400)).toBe(true);
  });

  it('answers odd paths and methods with problem+json 4xx', async () => {
    for (const [method, path] of [
      ['GET', '/v1/tokens/%'],
      ['GET', '/v1/tokens/' + 'a'.repeat(5000)],
      ['PUT', '/v1/tokens'],
      ['DELETE', '/v1/tokens/x'],
      ['GET', '/v1/audit?since=notadate'],
      ['GET', '/v1/audit?cursor=%00'],
      ['GET', '/../../etc/passwd'],
    ] as const) {
      const res = await api(server, server.adminSecret, method, path);
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });

  it('survives garbage headers and raw malformed HTTP', async () => {
    for (const headers of [
      { authorization: 'Bearer ' + 'x'.repeat(8000) },
      { authorization: 'Bearer \u0001\u0002' },
      { 'content-type': 'application/json; charset=ebcdic' },
      { 'x-request-id': 'a'.repeat(500) },
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    ]) {
      const res = await fetch(`${server.url}/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json', ...headers },
        body: '{"name":"h","scopes":["tokens:read"]}',
      }).catch(() => null);
      if (res) expect(res.status).toBeLessThan(500);
    }
    const raw = await new Promise<string>((resolve) => {
      const url = new URL(server.url);
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/v1/tokens', headers: { 'content-length': '5', 'content-type': 'application/json', authorization: `Bearer ${server.adminSecret}` } }, (res) => resolve(String(res.statusCode)));
      req.on('error', () => resolve('closed'));
      req.end('{"a":1,"b":2}');
    });
    expect(raw).not.toMatch(/^5/);
    const log = server.logText();
    expect(log).not.toContain('"level":50');
  });
});

describe('authentication comes before validation', () => {
  // Each route with input its schema refuses: without a valid token the answer is 401 and names no field.
  const invalid: [string, string, unknown][] = [
    ['POST', '/v1/tokens', { scopes: [], admin: true }],
    ['GET', '/v1/tokens?limit=0&bogus=1', undefined],
    ['PATCH', '/v1/tokens/ID', { name: 42 }],
    ['POST', '/v1/tokens/ID/scopes', { set: 'management' }],
    ['POST', '/v1/tokens/ID/rotate', { overlap_seconds: -1 }],
    ['POST', '/v1/tokens/ID/rotate/complete', { reason: 7 }],
    ['POST', '/v1/tokens/ID/suspend', { reason: { text: 1 } }],
    ['POST', '/v1/tokens/ID/revoke', '{"reason": '],
    ['POST', '/v1/tokens/revoke-by-value', { secrets: [] }],
    ['GET', '/v1/audit?since=yesterday', undefined],
    ['POST', '/v1/scopes', { name: 'NOT A SCOPE' }],
  ];

  it('answers 401 with a Bearer challenge, not a 400 listing fields, to a caller without a valid token', async () => {
    for (const [method, path, body] of invalid) {
      for (const authorization of [undefined, 'Bearer tkn_not-a-token']) {
        const res = await api(server, null, method, path.replace('ID', tokenId), body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), authorization ? { authorization } : {});
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect(res.body.code).toBe('unauthenticated');
        expect(res.body).not.toHaveProperty('errors');
      }
      // The same input from a valid token is still refused for what it is.
      const res = await api(server, server.adminSecret, method, path.replace('ID', tokenId), body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      expectProblem(res, 400);
    }
  });

  it('refuses an oversized or non-JSON body from an unauthenticated caller with 401 too', async () => {
    expect((await api(server, null, 'POST', '/v1/tokens', { name: 'x', scopes: ['tokens:read'], description: 'x'.repeat(2_000_000) })).status).toBe(401);
    expect((await api(server, null, 'POST', '/v1/tokens', 'name=x', { 'content-type': 'text/plain' })).status).toBe(401);
  });
});
