// The HTTP client against real sockets: unreachable and silent servers (exit 7), --debug with secrets
// redacted, and a retry after a lost response that the Idempotency-Key turns into a replay.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { run, useServerAndCli } from './helpers.js';
import { startForwardingProxy, type ForwardingProxy } from './proxy.js';

const shared = useServerAndCli();

function listen<T extends Server | HttpServer>(s: T): Promise<string> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

describe('unreachable', () => {
  it('connection refused → exit 7 with one line and a hint', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const r = await run(['list'], { env: { ...shared.cli.env, TOKENS_API_URL: url, TOKENS_HTTP_RETRIES: '1' } });
    expect(r.code).toBe(7);
    expect(r.stderr).toBe(`error: cannot reach the tokens server at ${url}: connection refused\nhint: is the server running? Check the API URL with "tokens profile list" (or TOKENS_API_URL)\n`);
  });

  it('a server that accepts and never answers → exit 7 after the timeout', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    const url = await listen(silent);
    try {
      const r = await run(['list'], { env: { ...shared.cli.env, TOKENS_API_URL: url, TOKENS_HTTP_TIMEOUT: '1', TOKENS_HTTP_RETRIES: '0' } });
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(new RegExp(`^error: timed out waiting for the tokens server at ${url}\\n`));
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('something that is not a tokens server → one line, not a stack trace', async () => {
    const teapot = createHttpServer((_req, res) => res.writeHead(418, { 'content-type': 'text/html' }).end('<h1>hello</h1>'));
    const url = await listen(teapot);
    try {
      const r = await run(['list'], { env: { ...shared.cli.env, TOKENS_API_URL: url } });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: the server at ${url} answered HTTP 418\nhint: is the API URL pointing at a tokens server? (tokens profile list)\n`);
    } finally {
      await new Promise((resolve) => teapot.close(resolve));
    }
  });
});

describe('--debug', () => {
  it('prints requests, statuses and timings with every secret redacted', async () => {
    const r = await run(['create', '--name', 'debug-1', '--scope', 'verify', '--debug'], { env: shared.cli.env });
    expect(r.code).toBe(0);
    const secret = r.stdout.trim();
    expect(secret).toMatch(/^tkn_/);
    expect(r.stderr).toContain(`debug: → POST ${shared.server.url}/v1/tokens\n`);
    expect(r.stderr).toContain('debug:   authorization: Bearer [redacted]\n');
    expect(r.stderr).toMatch(/debug: {3}idempotency-key: toke…\[redacted\]\n/);
    expect(r.stderr).toMatch(/debug: ← 201 in \d+ ms \(request id [\w-]+\)\n/);
    expect(r.stderr).toContain('"secret":"[redacted]"');
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain(shared.server.adminSecret);
  });
});

describe('retries', () => {
  let proxy: ForwardingProxy;
  let proxyUrl: string;
  const seen: { method: string; path: string; key?: string; dropped: boolean }[] = [];
  let dropNext: ((method: string, path: string) => boolean) | null = null;

  beforeAll(async () => {
    // When asked, drops the connection after the server has answered, so the client never sees a
    // response that the server did commit.
    proxy = await startForwardingProxy(
      () => shared.server.url,
      (req) => {
        const drop = Boolean(dropNext?.(req.method, req.path));
        seen.push({ method: req.method, path: req.path, key: req.headers['idempotency-key'] as string | undefined, dropped: drop });
        if (drop) dropNext = null;
        return drop ? 'drop' : 'pass';
      },
    );
    proxyUrl = proxy.url;
  });
  afterAll(() => proxy.close());

  it('create whose response was lost is retried with the same Idempotency-Key: one token, its secret delivered', async () => {
    dropNext = (method, path) => method === 'POST' && path === '/v1/tokens';
    const r = await run(['create', '--name', 'retry-1', '--scope', 'verify', '--json'], { env: { ...shared.cli.env, TOKENS_API_URL: proxyUrl } });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const creates = seen.filter((s) => s.method === 'POST' && s.path === '/v1/tokens');
    expect(creates).toHaveLength(2);
    expect(creates[0]!.dropped).toBe(true);
    expect(creates[1]!.key).toBe(creates[0]!.key);
    const named = await api(shared.server, shared.server.adminSecret, 'GET', '/v1/tokens?name=retry-1');
    expect(named.body.data.map((t: { id: string }) => t.id)).toEqual([body.id]);
    const whoami = await api(shared.server, body.secret, 'GET', '/v1/whoami');
    expect(whoami.status).toBe(200);
  });

  it('a POST without an Idempotency-Key is not sent twice: the lost response is reported (exit 7)', async () => {
    dropNext = (method, path) => method === 'POST' && path === '/v1/scopes';
    const before = seen.length;
    const r = await run(['scopes', 'catalog', 'add', 'retry:scope'], { env: { ...shared.cli.env, TOKENS_API_URL: proxyUrl } });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^error: lost the connection to the tokens server at http:\/\/127\.0\.0\.1:\d+ before it answered\nhint: the change may or may not have been made/);
    expect(seen.slice(before).filter((s) => s.path === '/v1/scopes')).toHaveLength(1);
  });
});
