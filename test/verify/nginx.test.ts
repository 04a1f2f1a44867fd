// A real nginx (the Debian package) in front of a small upstream, protecting it with auth_request to
// /v1/auth — running the configuration printed in the README, so the documented example is tested.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { issue, type Issued } from './helpers.js';

const NGINX = '/usr/sbin/nginx';
// nginx reaches tokens from 127.0.0.2 while clients come from 127.0.0.1, so the test can tell
// which address the CIDR check used: it must be the client's, from the proxy's X-Forwarded-For.
const PROXY_ADDRESS = '127.0.0.2';

/** The ```nginx block of the README's "Verify path and gateways" section. */
function readmeNginxConfig(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Verify path and gateways'));
  const match = /```nginx\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```nginx example under "## Verify path and gateways"');
  return match[1]!;
}

async function freePort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitForPort(port: number, nginx: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start listening within 10 s');
}

let tokens: TestServer;
let upstream: Server;
let nginx: ChildProcess;
let dir: string;
let gatewayUrl: string;
let upstreamHits = 0;

beforeAll(async () => {
  tokens = await startTestServer({ trustProxy: [PROXY_ADDRESS] });
  upstream = createServer((req, res) => {
    upstreamHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, token_id: req.headers['x-token-id'] ?? null }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as { port: number }).port;
  const gateway = await issue(tokens, { scopes: ['verify'] });
  await api(tokens, tokens.adminSecret, 'POST', '/v1/scopes', { name: 'invoice:read' });

  dir = mkdtempSync(join(tmpdir(), 'tokens-nginx-'));
  mkdirSync(join(dir, 'temp'));
  const port = await freePort();
  const tokensPort = new URL(tokens.url).port;
  const site = readmeNginxConfig()
    .replace('127.0.0.1:8787', `127.0.0.1:${tokensPort}`)
    .replace('127.0.0.1:3000', `127.0.0.1:${upstreamPort}`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
    .replace('tkn_GATEWAY_TOKEN_WITH_SCOPE_VERIFY', gateway.secret);
  const errorLog = join(dir, 'error.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${dir}/temp/body;
    proxy_temp_path ${dir}/temp/proxy;
    fastcgi_temp_path ${dir}/temp/fastcgi;
    uwsgi_temp_path ${dir}/temp/uwsgi;
    scgi_temp_path ${dir}/temp/scgi;
    proxy_bind ${PROXY_ADDRESS};
${site}
}
`,
    { mode: 0o600 },
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForPort(port, nginx, errorLog);
  gatewayUrl = `http://127.0.0.1:${port}`;
}, 30_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGTERM');
    await exited;
  }
  if (upstream) await new Promise((resolve) => upstream.close(resolve));
  if (tokens) await tokens.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function through(path: string, authorization?: string) {
  const res = await fetch(gatewayUrl + path, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  return { status: res.status, text };
}

describe('nginx auth_request → /v1/auth', () => {
  let client: Issued;
  beforeAll(async () => {
    client = await issue(tokens, { scopes: ['query'] });
  });

  it('admits a valid token and hands the upstream its id', async () => {
    const res = await through('/query/items?q=1', `Bearer ${client.secret}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ path: '/query/items?q=1', token_id: client.id });
  });

  it('refuses a revoked token on the very next request', async () => {
    const doomed = await issue(tokens, { scopes: ['query'] });
    expect((await through('/query/a', `Bearer ${doomed.secret}`)).status).toBe(200);
    const revoke = await api(tokens, tokens.adminSecret, 'POST', `/v1/tokens/${doomed.id}/revoke`, { reason: 'leaked' });
    expect(revoke.status).toBe(200);
    expect((await through('/query/a', `Bearer ${doomed.secret}`)).status).toBe(401);
  });

  it('refuses a token from outside its CIDR allowlist, judged by the address the trusted proxy forwards', async () => {
    const tenOnly = await issue(tokens, { scopes: ['query'], allowed_cidrs: ['10.0.0.0/8'] });
    expect((await through('/query/a', `Bearer ${tenOnly.secret}`)).status).toBe(403);
    // The proxy's own address (the TCP peer tokens sees) does not count…
    const proxyOnly = await issue(tokens, { scopes: ['query'], allowed_cidrs: [`${PROXY_ADDRESS}/32`] });
    expect((await through('/query/a', `Bearer ${proxyOnly.secret}`)).status).toBe(403);
    // …the client's, from X-Forwarded-For, does.
    const clientOnly = await issue(tokens, { scopes: ['query'], allowed_cidrs: ['127.0.0.1/32'] });
    expect((await through('/query/a', `Bearer ${clientOnly.secret}`)).status).toBe(200);
  });

  it("refuses a token lacking the route's scope", async () => {
    expect((await through('/invoices/7', `Bearer ${client.secret}`)).status).toBe(403);
    const reader = await issue(tokens, { scopes: ['invoice:read'] });
    expect((await through('/invoices/7', `Bearer ${reader.secret}`)).status).toBe(200);
    expect((await through('/query/a', `Bearer ${reader.secret}`)).status).toBe(403);
  });

  it('refuses malformed and missing tokens with 401, without reaching the upstream', async () => {
    const before = upstreamHits;
    const mistyped = `${client.secret.slice(0, -1)}${client.secret.endsWith('a') ? 'b' : 'a'}`;
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${mistyped}`, 'Basic Zm9vOmJhcg==']) {
      expect((await through('/query/a', authorization)).status).toBe(401);
    }
    expect(upstreamHits).toBe(before);
  });
});
