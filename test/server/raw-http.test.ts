// Every answer the server writes — whatever refuses the request: node's HTTP parser, fastify's
// router, a route, the verify fast path — is problem+json with a stable code, X-Request-Id and the
// hardening headers (README, The server). Each malformed request goes to a management route and to
// both verify endpoints over a raw socket, as no well-behaved client would send it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rawRequest, type RawAnswer } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';
import { metric } from '../verify/helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.destroy();
});

/** The contract every answer keeps. */
function expectContract(answer: RawAnswer, status: number, code: string): void {
  const what = `${status} ${code}: ${answer.raw.slice(0, 600)}`;
  expect(answer.status, what).toBe(status);
  expect(answer.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(answer.headers['x-request-id'], what).toMatch(/^[\w.:-]{1,128}$/);
  expect(answer.headers['x-content-type-options'], what).toBe('nosniff');
  expect(answer.headers['cache-control'], what).toBe('no-store');
  const doc = JSON.parse(answer.body);
  expect(doc, what).toMatchObject({ status, code, request_id: answer.headers['x-request-id'] });
  expect(doc.type).toBe(`urn:tokens:problem:${code}`);
  expect(typeof doc.detail).toBe('string');
}

const host = 'Host: 127.0.0.1\r\n';
const long = (n: number) => 'a'.repeat(n);

/** The request line's start for each kind of route: a management route and the two verify endpoints. */
const targets = [
  { name: 'management API', start: 'GET /v1/tokens', post: 'POST /v1/tokens' },
  { name: 'introspection', start: 'POST /v1/introspect', post: 'POST /v1/introspect' },
  { name: 'forward auth', start: 'GET /v1/auth', post: 'GET /v1/auth' },
];

describe('HTTP the parser refuses: problem+json, stable code, the usual headers, connection closed', () => {
  const malformed: [string, (t: (typeof targets)[number]) => string, number, string][] = [
    ['a URL over 16 KiB', (t) => `${t.start}?x=${long(17 * 1024)} HTTP/1.1\r\n${host}\r\n`, 431, 'headers_too_large'],
    ['headers over 16 KiB', (t) => `${t.start} HTTP/1.1\r\n${host}X-Big: ${long(17 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
    ['a bare CR in a header', (t) => `${t.start} HTTP/1.1\r\n${host}X-A: a\rb\r\n\r\n`, 400, 'malformed_request'],
    ['NUL in a header', (t) => `${t.start} HTTP/1.1\r\n${host}X-A: a\u0000b\r\n\r\n`, 400, 'malformed_request'],
    ['two Content-Length', (t) => `${t.post} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, 'malformed_request'],
    ['Transfer-Encoding with Content-Length', (t) => `${t.post} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 400, 'malformed_request'],
    ['a bad chunk size', (t) => `${t.post} HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'malformed_request'],
    ['folded headers', (t) => `${t.start} HTTP/1.1\r\n${host}X-A: a\r\n  folded\r\n\r\n`, 400, 'malformed_request'],
    ['no HTTP at all', () => `\u0016\u0003\u0001 hello\r\n\r\n`, 400, 'malformed_request'],
  ];
  for (const [what, request, status, code] of malformed) {
    for (const target of targets) {
      // Forward auth reads no body: it answers (here 401, no gateway token) before the bad chunk arrives, then the connection closes.
      const [wantStatus, wantCode] = what === 'a bad chunk size' && target.name === 'forward auth' ? [401, 'verifier_unauthenticated'] : [status, code];
      it(`${what} → ${wantStatus} (${target.name})`, async () => {
        const answer = await rawRequest(server.url, request(target));
        expectContract(answer, wantStatus, wantCode);
        if (wantStatus !== status) return;
        expect(answer.headers.connection).toBe('close');
        expect(answer.ended).not.toBe('timeout');
      });
    }
  }

  it('counts them in tokens_http_requests_total under route "unparsed"', async () => {
    expect(await metric(server, 'tokens_http_requests_total', { route: 'unparsed', status: '400' })).toBeGreaterThanOrEqual(15);
    expect(await metric(server, 'tokens_http_requests_total', { route: 'unparsed', status: '431' })).toBeGreaterThanOrEqual(6);
  });

  it('an Expect the server does not meet → 417, same form', async () => {
    for (const target of targets) {
      const answer = await rawRequest(server.url, `${target.post} HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nExpect: teapot\r\n\r\n{}`);
      expectContract(answer, 417, 'expectation_failed');
    }
  });
});

describe('requests node would answer or drop by itself', () => {
  it('CONNECT → 405 method_not_allowed, then closed', async () => {
    const answer = await rawRequest(server.url, `CONNECT 127.0.0.1:443 HTTP/1.1\r\n${host}\r\n`);
    expectContract(answer, 405, 'method_not_allowed');
    expect(answer.ended).not.toBe('timeout');
  });

  it('HTTP/1.1 without Host → 400 missing_host', async () => {
    const answer = await rawRequest(server.url, 'GET /v1/tokens HTTP/1.1\r\nConnection: close\r\n\r\n');
    expectContract(answer, 400, 'missing_host');
  });
});

describe('URLs the router refuses', () => {
  const urls: [string, string, number, string][] = [
    ['invalid UTF-8 in a percent-encoding', '/v1/tokens/%C3%28', 400, 'bad_url'],
    ['a broken percent-encoding', '/v1/tokens/%ZZ', 400, 'bad_url'],
    ['a broken percent-encoding under a verify endpoint', '/v1/introspect/%ZZ', 400, 'bad_url'],
    ['a path parameter over 200 characters', `/v1/tokens/${long(250)}`, 414, 'path_segment_too_long'],
    ['a long parameter of a nested route', `/v1/tokens/${long(250)}/revoke`, 414, 'path_segment_too_long'],
  ];
  for (const [what, url, status, code] of urls) {
    it(`${what} → ${status}`, async () => {
      const answer = await rawRequest(server.url, `GET ${url} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`);
      expectContract(answer, status, code);
      // The URL is not echoed: it may hold a secret.
      expect(answer.body).not.toContain(url.split('/').pop());
    });
  }
});

describe('over TLS', () => {
  let dir: string;
  let tlsServer: TestServer;
  let ca: TestCa;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokens-raw-tls-'));
    ca = TestCa.create(join(dir, 'ca'));
    const pair = ca.issue('tokens server');
    tlsServer = await startTestServer({ tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: ca.cert });
  });
  afterAll(async () => {
    await tlsServer?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parser and router refusals carry Strict-Transport-Security too', async () => {
    for (const [request, status, code] of [
      [`GET /v1/tokens HTTP/1.1\r\n${host}X-Big: ${long(17 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
      [`GET /v1/auth HTTP/1.1\r\n${host}X-A: a\u0000b\r\n\r\n`, 400, 'malformed_request'],
      [`GET /v1/tokens/%ZZ HTTP/1.1\r\n${host}Connection: close\r\n\r\n`, 400, 'bad_url'],
    ] as const) {
      const answer = await rawRequest(tlsServer.url, request, { ca: ca.pem });
      expectContract(answer, status, code);
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000');
    }
  });
});
