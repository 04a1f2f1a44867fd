// Connections the server does not keep for ever (README, The server: flags): a slow or silent client
// is answered 408 and closed after --headers-timeout / --request-timeout, no more than
// --max-connections are open at once, and a body over the limit is answered 413 in a way a client
// still streaming it gets to read — on the management API and the verify endpoints alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { parseAnswer, rawRequest, type RawAnswer } from '../helpers/raw-http.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { metric } from '../verify/helpers.js';

/** The problem document (introspection's own errors: an OAuth error with the same members, as application/json). */
function expectProblem(answer: RawAnswer, status: number, code: string, oauth = false): void {
  const what = answer.raw.slice(0, 400);
  expect(answer.status, what).toBe(status);
  expect(answer.headers['content-type'], what).toMatch(oauth ? /^application\/json/ : /^application\/problem\+json/);
  expect(answer.headers['x-request-id'], what).toBeTruthy();
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(answer.body)).toMatchObject({ status, code });
}

describe('slow and silent clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ headersTimeout: 1, requestTimeout: 2 });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('headers that never finish: 408 problem+json, then the connection is closed', async () => {
    const starts = ['GET /v1/tokens', 'POST /v1/introspect', 'GET /v1/auth'];
    const answers = await Promise.all(starts.map((start) => rawRequest(server.url, `${start} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `, { waitMs: 6_000 })));
    for (const answer of answers) {
      expectProblem(answer, 408, 'request_timeout');
      expect(answer.ended).toBe('closed');
    }
  });

  it('a connection that sends nothing is closed', async () => {
    const answer = await rawRequest(server.url, '', { waitMs: 6_000 });
    expect(answer.ended).not.toBe('timeout');
  });

  it('a body that never finishes: 408 problem+json, then closed (the verify fast path too)', async () => {
    const requests = [['/v1/tokens', 'application/json'], ['/v1/introspect', 'application/x-www-form-urlencoded']].map(([path, type]) =>
      rawRequest(
        server.url,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.adminSecret}\r\nContent-Type: ${type}\r\nContent-Length: 100\r\n\r\ntoken=`,
        { waitMs: 6_000 },
      ),
    );
    for (const answer of await Promise.all(requests)) {
      expectProblem(answer, 408, 'request_timeout');
      expect(answer.ended).toBe('closed');
    }
  });
});

describe('--max-connections', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxConnections: 2 });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
      socket.once('error', reject);
    });

  it('closes a connection over the cap on arrival, without an answer, and counts it; a place that frees up is taken again', async () => {
    const held = [await open(), await open()];
    // Give the server the time to accept both.
    await new Promise((r) => setTimeout(r, 100));
    const refused = await rawRequest(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { waitMs: 3_000 });
    expect(refused.status).toBe(0);
    expect(refused.raw).toBe('');
    expect(refused.ended).not.toBe('timeout');
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const served = await rawRequest(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(served.status).toBe(200);
    held[1]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await metric(server, 'tokens_http_connections_dropped_total')).toBe(1);
    expect((await api(server, null, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('a body over the limit, still being sent', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  /** Streams `size` bytes after the headers as fast as the server takes them. */
  const stream = (size: number) => (socket: Socket) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    socket.on('error', () => undefined);
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  };

  for (const [name, path, type] of [
    ['the management API', '/v1/tokens', 'application/json'],
    ['introspection', '/v1/introspect', 'application/x-www-form-urlencoded'],
  ]) {
    it(`${name}: the client reads 413 problem+json, and the connection closes without a reset`, async () => {
      for (const framing of ['content-length', 'chunked'] as const) {
        const size = 4 * 1024 * 1024;
        const head = framing === 'content-length' ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked';
        const answer = await rawRequest(
          server.url,
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.adminSecret}\r\nContent-Type: ${type}\r\n${head}\r\n\r\n${framing === 'chunked' ? `${size.toString(16)}\r\n` : ''}`,
          { thenWrite: stream(size), waitMs: 8_000 },
        );
        expectProblem(answer, 413, 'body_too_large', path === '/v1/introspect');
        expect(answer.ended, framing).toBe('closed');
      }
    });
  }
});

describe('shutdown', () => {
  it('a request arriving on an open connection while the server drains gets 503 shutting_down in the usual form', async () => {
    const server = await startTestServer();
    try {
      const body = JSON.stringify({ name: 'during-shutdown', scopes: ['tokens:read'] });
      const { hostname, port } = new URL(server.url);
      const socket = connect({ host: hostname, port: Number(port) });
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // A request under way (its body not all there yet) keeps the connection busy through the close.
      socket.write(
        `POST /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.adminSecret}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await new Promise((r) => setTimeout(r, 100));
      const closed = server.close();
      await new Promise((r) => setTimeout(r, 100));
      // The rest of that request, and another one behind it on the same connection.
      socket.write(`${body.slice(5)}GET /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.adminSecret}\r\n\r\n`);
      await ended;
      await closed;
      const raw = Buffer.concat(chunks).toString('latin1');
      const first = parseAnswer(raw);
      expect(first.status, raw).toBe(201);
      const second = parseAnswer(raw.slice(raw.indexOf('HTTP/1.1', 10)));
      expect(second.status, raw).toBe(503);
      expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(second.headers['x-request-id']).toBeTruthy();
      expect(second.headers['cache-control']).toBe('no-store');
      expect(second.headers.connection).toBe('close');
      expect(JSON.parse(second.body)).toMatchObject({ status: 503, code: 'shutting_down' });
    } finally {
      await server.destroy();
    }
  });
});
