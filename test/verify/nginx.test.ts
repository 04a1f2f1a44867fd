// A real nginx (the Debian package) in front of a small upstream, protecting it with auth_request to
// /v1/auth — running the configurations printed in the README (plain http to tokens, and over TLS with
// the private CA and a client certificate), so the documented examples are the tested ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTypo } from '../helpers/secrets.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';
import { issue, type Issued } from './helpers.js';

const NGINX = '/usr/sbin/nginx';
// nginx reaches tokens from 127.0.0.2 while clients come from 127.0.0.1, so the test can tell
// which address the CIDR check used: it must be the client's, from the proxy's X-Forwarded-For.
const PROXY_ADDRESS = '127.0.0.2';

/** The first ```nginx block under `heading` in the README. */
function readmeNginxConfig(heading: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no "${heading}" heading`);
  const match = /```nginx\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`README.md has no \`\`\`nginx example under "${heading}"`);
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

interface Nginx {
  url: string;
  errorLog: string;
  stop(): Promise<void>;
}

/** nginx running `site` (a README block with its placeholders replaced) in `dir`. */
async function startNginx(dir: string, site: string): Promise<Nginx> {
  mkdirSync(join(dir, 'temp'), { recursive: true });
  const port = await freePort();
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
${site.replace(/listen 8080;/, `listen 127.0.0.1:${port};`)}
}
`,
    { mode: 0o600 },
  );
  const nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForPort(port, nginx, errorLog);
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog,
    async stop() {
      if (nginx.exitCode !== null) return;
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    },
  };
}

let upstream: Server;
let upstreamUrl: string;
let upstreamHits = 0;
const dirs: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    upstreamHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, token_id: req.headers['x-token-id'] ?? null, token_scopes: req.headers['x-token-scopes'] ?? null }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `127.0.0.1:${(upstream.address() as { port: number }).port}`;
});

afterAll(async () => {
  if (upstream) await new Promise((resolve) => upstream.close(resolve));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The gateway checks, against nginx running the README block under `heading` in front of `tokens`. */
function gatewayChecks(heading: string, start: (dir: string) => Promise<{ tokens: TestServer; site: (config: string) => string }>) {
  let tokens: TestServer;
  let nginx: Nginx;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-nginx-'));
    dirs.push(dir);
    const started = await start(dir);
    tokens = started.tokens;
    const gateway = await issue(tokens, { scopes: ['verify'] });
    await api(tokens, tokens.adminSecret, 'POST', '/v1/scopes', { name: 'invoice:read' });
    const site = started
      .site(readmeNginxConfig(heading))
      .replace('127.0.0.1:8787', `127.0.0.1:${new URL(tokens.url).port}`)
      .replace('127.0.0.1:3000', upstreamUrl)
      .replace('tkn_GATEWAY_TOKEN_WITH_SCOPE_VERIFY', gateway.secret);
    nginx = await startNginx(dir, site);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    await tokens?.destroy();
  });

  async function through(path: string, authorization?: string, headers: Record<string, string> = {}) {
    const res = await fetch(nginx.url + path, { headers: { ...(authorization ? { authorization } : {}), ...headers } });
    const text = await res.text();
    return { status: res.status, text };
  }

  let client: Issued;
  beforeAll(async () => {
    client = await issue(tokens, { scopes: ['query'] });
  });

  it('admits a valid token and hands the upstream its id and scopes', async () => {
    const res = await through('/query/items?q=1', `Bearer ${client.secret}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ path: '/query/items?q=1', token_id: client.id, token_scopes: 'query' });
  });

  it('never lets X-Token-Id or X-Token-Scopes sent by the client reach the upstream', async () => {
    const forged = { 'x-token-id': 'tok_forged', 'x-token-scopes': 'management' };
    const res = await through('/query/a', `Bearer ${client.secret}`, forged);
    expect(JSON.parse(res.text)).toMatchObject({ token_id: client.id, token_scopes: 'query' });
    const before = upstreamHits;
    expect((await through('/query/a', undefined, forged)).status).toBe(401);
    expect(upstreamHits).toBe(before);
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
    const mistyped = withTypo(client.secret);
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${mistyped}`, 'Basic Zm9vOmJhcg==']) {
      expect((await through('/query/a', authorization)).status).toBe(401);
    }
    expect(upstreamHits).toBe(before);
  });

  return {
    get tokens() {
      return tokens;
    },
  };
}

describe('nginx auth_request → /v1/auth', () => {
  gatewayChecks('### nginx', async () => ({ tokens: await startTestServer({ trustProxy: [PROXY_ADDRESS] }), site: (config) => config }));
});

describe('nginx auth_request → /v1/auth over TLS, the private CA verified, with a client certificate', () => {
  let ca: TestCa;
  const placeFiles = (config: string, gatewayCa: TestCa) => {
    const gatewayCert = gatewayCa.issue('nginx-edge', { client: true });
    return config
      .replace('/etc/nginx/tokens-ca.pem', ca.cert)
      .replace('/etc/nginx/gateway.crt', gatewayCert.cert)
      .replace('/etc/nginx/gateway.key', gatewayCert.key);
  };
  const env = gatewayChecks('#### nginx over TLS', async (dir) => {
    ca = TestCa.create(join(dir, 'ca'), 'tokens CA');
    const gatewayCa = TestCa.create(join(dir, 'gateway-ca'), 'gateway CA');
    // Issued for the name the README's proxy_ssl_name sends (and 127.0.0.1, for the test's own calls).
    const pair = ca.issue('tokens server', { dns: ['tokens.internal'] });
    const tokens = await startTestServer(
      { trustProxy: [PROXY_ADDRESS], tlsCert: pair.cert, tlsKey: pair.key, tlsClientCa: gatewayCa.cert, requireClientCertForVerify: true },
      {},
      { trustCa: ca.cert },
    );
    return { tokens, site: (config) => placeFiles(config, gatewayCa) };
  });

  it("presented nginx's client certificate on every verify call", async () => {
    const metrics = (await api(env.tokens, null, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="O=tokens tests, CN=nginx-edge"\} [1-9]\d*$/m);
    expect(metrics).not.toMatch(/^tokens_verify_client_cert_total\{subject="(none|unverified)"\}/m);
  });

  it('refuses (500, nothing reaches the upstream) a tokens server whose certificate the CA did not issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-nginx-'));
    dirs.push(dir);
    const impostorCa = TestCa.create(join(dir, 'impostor-ca'), 'impostor CA');
    const pair = impostorCa.issue('tokens server', { dns: ['tokens.internal'] });
    const impostor = await startTestServer({ trustProxy: [PROXY_ADDRESS], tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: impostorCa.cert });
    const gateway = await issue(impostor, { scopes: ['verify'] });
    const client = await issue(impostor, { scopes: ['query'] });
    const site = placeFiles(readmeNginxConfig('#### nginx over TLS'), TestCa.create(join(dir, 'gateway-ca'), 'gateway CA'))
      .replace('127.0.0.1:8787', `127.0.0.1:${new URL(impostor.url).port}`)
      .replace('127.0.0.1:3000', upstreamUrl)
      .replace('tkn_GATEWAY_TOKEN_WITH_SCOPE_VERIFY', gateway.secret);
    const nginx = await startNginx(dir, site);
    try {
      const before = upstreamHits;
      const res = await fetch(`${nginx.url}/query/a`, { headers: { authorization: `Bearer ${client.secret}` } });
      await res.text();
      expect(res.status).toBe(500);
      expect(upstreamHits).toBe(before);
      expect(readFileSync(nginx.errorLog, 'utf8')).toMatch(/upstream SSL certificate verify error/);
    } finally {
      await nginx.stop();
      await impostor.destroy();
    }
  });
});
