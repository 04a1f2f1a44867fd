// One harness for the gateway tests (nginx, Caddy, HAProxy, Apache): a tokens server, an upstream that
// records what reached it, and a real gateway process (the Debian package) started in a temporary
// directory on a free port with the configuration printed in the README (README, Verify path and
// gateways), so the documented text is what runs. Started as root, the gateway drops to `nobody`: the
// documented configurations need no privilege and write only to their directory.
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { freePort } from '../helpers/process.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { readmeCodeBlocks } from '../helpers/readme.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { TestCa, type CertificateFiles } from '../helpers/tls.js';
import { issue, type Issued } from './helpers.js';

/** The README's stand-ins, replaced before a gateway starts. */
const README_TOKENS = '127.0.0.1:8787';
const README_UPSTREAM = '127.0.0.1:3000';
const README_GATEWAY_TOKEN = 'tkn_GATEWAY_TOKEN_WITH_SCOPE_VERIFY';
const NOBODY = 65534;

/** The first fenced block of each language under `heading` (e.g. `### Caddy`) in the README. */
export function readmeBlocks(heading: string): Record<string, string> {
  const blocks: Record<string, string> = {};
  for (const { lang, text } of readmeCodeBlocks(heading)) blocks[lang] ??= text;
  return blocks;
}

export interface RenderInput {
  /** The README's blocks with the addresses and the gateway's secret substituted. */
  blocks: Record<string, string>;
  /** The gateway's directory: its configuration, logs, pid and temporary files. */
  dir: string;
  port: number;
  /** For a gateway that reads it from its environment rather than its configuration. */
  gatewaySecret: string;
}

/** How to run one gateway from its README blocks. */
export interface GatewayDefinition {
  name: string;
  render(input: RenderInput): { files: Record<string, string>; command: string[]; env?: Record<string, string> };
  /** The file in its directory its errors go to. */
  errorLog: string;
}

export interface Upstream {
  address: string;
  /** What reached it, oldest first: the path and the token headers exactly as they arrived. */
  seen: { path: string; tokenId: string[] | null; tokenScopes: string[] | null }[];
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', tokenId: req.headersDistinct['x-token-id'] ?? null, tokenScopes: req.headersDistinct['x-token-scopes'] ?? null });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('upstream');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Makes `path` (a tree) belong to nobody, for a gateway that drops root. */
function handToNobody(path: string): void {
  chownSync(path, NOBODY, NOBODY);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) handToNobody(join(path, entry));
}

export interface GatewayProcess {
  url: string;
  dir: string;
  /** What it wrote to its error log and to stdout/stderr. */
  log(): string;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

export interface GatewayStart {
  blocks: Record<string, string>;
  tokens: TestServer;
  upstream: Upstream;
  /** The gateway's own token, holding scope verify. */
  gatewaySecret: string;
  /** More substitutions (certificate paths…) on every block. */
  adapt?: (text: string) => string;
  /** Other directories the gateway reads (certificates), handed to it with its own. */
  reads?: string[];
}

/** Starts `gateway` on a free port and waits until it listens. */
export async function startGateway(gateway: GatewayDefinition, start: GatewayStart): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), `tokens-${gateway.name}-`));
  const port = await freePort();
  const blocks = Object.fromEntries(
    Object.entries(start.blocks).map(([lang, text]) => {
      const substituted = text
        .replaceAll(README_TOKENS, `127.0.0.1:${new URL(start.tokens.url).port}`)
        .replaceAll(README_UPSTREAM, start.upstream.address)
        .replaceAll(README_GATEWAY_TOKEN, start.gatewaySecret);
      return [lang, start.adapt ? start.adapt(substituted) : substituted];
    }),
  );
  const { files, command, env } = gateway.render({ blocks, dir, port, gatewaySecret: start.gatewaySecret });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  const dropRoot = process.getuid?.() === 0;
  if (dropRoot) for (const path of [dir, ...(start.reads ?? [])]) handToNobody(path);
  let output = '';
  const child = spawn(command[0]!, command.slice(1), {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(dropRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const errorLog = join(dir, gateway.errorLog);
  const log = () => `${output}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = child.exitCode !== null ? `exited with ${child.exitCode}` : 'did not listen within 15 s';
      const text = log();
      await stop();
      throw new Error(`${gateway.name} ${why}: ${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, dir, log, stop };
}

export interface GatewayEnv {
  tokens: TestServer;
  upstream: Upstream;
  gateway: GatewayProcess;
  /** A token with `scopes` that expires in a day (so a gateway caching answers until exp would show). */
  client(scopes: string[], body?: Record<string, unknown>): Promise<Issued>;
  /** A request through the gateway: its status. */
  through(path: string, headers?: Record<string, string>): Promise<number>;
}

interface GatewayOptions {
  /** The README heading whose blocks configure the gateway, e.g. `### Caddy`. */
  heading: string;
  /** Starts the tokens server (default: plain HTTP, trusting loopback as a proxy); `dir` is scratch space. */
  startTokens?: (dir: string) => Promise<TestServer>;
  adapt?: GatewayStart['adapt'];
}

/** A tokens server, an upstream and `gateway` for the tests of one describe block: started before them, stopped after. */
export function gatewayUnderTest(gateway: GatewayDefinition, options: GatewayOptions): GatewayEnv {
  const env = {} as GatewayEnv;
  let scratch: string | undefined;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), `tokens-${gateway.name}-scratch-`));
    env.tokens = await (options.startTokens ?? (() => startTestServer({ trustProxy: ['127.0.0.1'] })))(scratch);
    env.upstream = await startUpstream();
    for (const name of ['query', 'invoice:read']) await api(env.tokens, env.tokens.adminSecret, 'POST', '/v1/scopes', { name });
    const verifier = await issue(env.tokens, { scopes: ['verify'] });
    env.client = (scopes, body = {}) => issue(env.tokens, { scopes, expires_at: new Date(Date.now() + 86_400_000).toISOString(), ...body });
    env.gateway = await startGateway(gateway, {
      blocks: readmeBlocks(options.heading),
      tokens: env.tokens,
      upstream: env.upstream,
      gatewaySecret: verifier.secret,
      adapt: options.adapt,
      reads: [scratch],
    });
    env.through = async (path, headers = {}) => {
      const res = await fetch(env.gateway.url + path, { headers });
      await res.arrayBuffer();
      return res.status;
    };
  }, 30_000);
  afterAll(async () => {
    await env.gateway?.stop();
    await env.upstream?.close();
    await env.tokens?.destroy();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  return env;
}

/**
 * What every documented gateway must do on its README routes, `/query/…` (scope query) and
 * `/invoices/…` (scope invoice:read).
 */
export function gatewayChecks(env: GatewayEnv): void {
  const bearer = (t: Issued) => ({ authorization: `Bearer ${t.secret}` });

  it('admits a valid token and hands the upstream its id and scopes', async () => {
    const t = await env.client(['query', 'messaging']);
    expect(await env.through('/query/items?q=1', bearer(t))).toBe(200);
    expect(env.upstream.seen.at(-1)).toEqual({ path: '/query/items?q=1', tokenId: [t.id], tokenScopes: ['query messaging'] });
  });

  it("refuses a token lacking the route's scope: 403", async () => {
    const t = await env.client(['query']);
    expect(await env.through('/invoices/7', bearer(t))).toBe(403);
    const reader = await env.client(['invoice:read']);
    expect(await env.through('/invoices/7', bearer(reader))).toBe(200);
    expect(await env.through('/query/a', bearer(reader))).toBe(403);
  });

  it('refuses missing, malformed and unknown tokens with 401, without reaching the upstream', async () => {
    const t = await env.client(['query']);
    const before = env.upstream.seen.length;
    const mistyped = `${t.secret.slice(0, -1)}${t.secret.endsWith('a') ? 'b' : 'a'}`;
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${mistyped}`, 'Basic Zm9vOmJhcg==']) {
      expect(await env.through('/query/a', authorization ? { authorization } : {}), authorization).toBe(401);
    }
    expect(env.upstream.seen.length).toBe(before);
  });

  it('refuses a revoked token on the very next request', async () => {
    const doomed = await env.client(['query']);
    expect(await env.through('/query/a', bearer(doomed))).toBe(200);
    const revoke = await api(env.tokens, env.tokens.adminSecret, 'POST', `/v1/tokens/${doomed.id}/revoke`, { reason: 'leaked' });
    expect(revoke.status).toBe(200);
    expect(await env.through('/query/a', bearer(doomed))).toBe(401);
  });

  it('never lets X-Token-Id or X-Token-Scopes sent by the client reach the upstream', async () => {
    const t = await env.client(['query']);
    const forged = { 'x-token-id': 'tok_forged', 'x-token-scopes': 'management invoice:read' };
    expect(await env.through('/query/a', { ...bearer(t), ...forged })).toBe(200);
    expect(env.upstream.seen.at(-1)).toMatchObject({ tokenId: [t.id], tokenScopes: ['query'] });
    const before = env.upstream.seen.length;
    expect(await env.through('/query/a', forged)).toBe(401);
    expect(env.upstream.seen.length).toBe(before);
  });
}

/**
 * With tokens not answering at all (nothing listens at its address), `gateway` configured by the
 * README's `heading` fails closed: the client gets `status` and nothing reaches the upstream.
 */
export function failsClosedWithoutTokens(gateway: GatewayDefinition, options: { heading: string; status: number }): void {
  it(`fails closed (${options.status}, nothing reaches the upstream) when tokens does not answer`, async () => {
    const upstream = await startUpstream();
    // A port nothing listens on: the gateway's calls to tokens are refused.
    const down = { url: `http://127.0.0.1:${await freePort()}` } as TestServer;
    const process = await startGateway(gateway, { blocks: readmeBlocks(options.heading), tokens: down, upstream, gatewaySecret: 'tkn_GATEWAY_TOKEN_UNUSED' });
    try {
      const res = await fetch(`${process.url}/query/a`, { headers: { authorization: 'Bearer tkn_SOME_CLIENT_TOKEN_THAT_NOBODY_CAN_CHECK' } });
      await res.arrayBuffer();
      expect(res.status).toBe(options.status);
      expect(upstream.seen).toEqual([]);
    } finally {
      await process.stop();
      await upstream.close();
    }
  });
}

/** The test's files for a README "… over TLS" block, to put where the block names them. */
export interface TlsFiles {
  /** The private CA that issued tokens' certificate. */
  ca: string;
  /** The gateway's client certificate and key (issued by the CA tokens' --tls-client-ca names). */
  client: CertificateFiles;
}

export interface TlsGatewayOptions {
  /** The README heading of the TLS variant, e.g. `#### Caddy over TLS`. */
  heading: string;
  /** Puts the test's certificate files where the README's blocks name them. */
  placeFiles: (text: string, files: TlsFiles) => string;
  /**
   * The block presents a client certificate: tokens runs with --tls-client-ca and
   * --require-client-cert-for-verify, so a verify call without it would be refused.
   */
  clientCert: boolean;
  trustProxy?: string[];
  /** What a client gets when tokens' certificate comes from another CA, and what the gateway logs. */
  impostor: { status: number; log: RegExp };
}

/** The name the README's TLS blocks expect in tokens' certificate. */
const TLS_SERVER_NAME = 'tokens.internal';

/**
 * A tokens server over TLS with a certificate from a fresh private CA in `dir`, and a client
 * certificate for `gatewayName` from another CA — which tokens requires on verify calls when
 * `options.clientCert`.
 */
export async function startTlsTokens(
  dir: string,
  caName: string,
  options: Pick<TlsGatewayOptions, 'clientCert' | 'trustProxy'>,
  gatewayName: string,
): Promise<{ tokens: TestServer; files: TlsFiles }> {
  const ca = TestCa.create(join(dir, caName), `${caName} CA`);
  const gatewayCa = TestCa.create(join(dir, `${caName}-gateways`), `${caName} gateway CA`);
  // For the name the README's blocks send (and 127.0.0.1, for the test's own calls).
  const pair = ca.issue('tokens server', { dns: [TLS_SERVER_NAME] });
  const tokens = await startTestServer(
    {
      trustProxy: options.trustProxy ?? ['127.0.0.1'],
      tlsCert: pair.cert,
      tlsKey: pair.key,
      ...(options.clientCert ? { tlsClientCa: gatewayCa.cert, requireClientCertForVerify: true } : {}),
    },
    {},
    { trustCa: ca.cert },
  );
  const files: TlsFiles = { ca: ca.cert, client: gatewayCa.issue(`${gatewayName}-edge`, { client: true }) };
  return { tokens, files };
}

/**
 * `gateway` configured by the README's TLS variant, in front of a tokens server serving HTTPS with
 * a certificate from a private CA: the common checks, the client certificate it presents, and
 * failing closed on a tokens server whose certificate another CA issued.
 */
export function tlsGatewayUnderTest(gateway: GatewayDefinition, options: TlsGatewayOptions): GatewayEnv {
  let files: TlsFiles;
  const env = gatewayUnderTest(gateway, {
    heading: options.heading,
    startTokens: async (dir) => {
      const started = await startTlsTokens(dir, 'tokens', options, gateway.name);
      files = started.files;
      return started.tokens;
    },
    adapt: (text) => options.placeFiles(text, files),
  });
  gatewayChecks(env);

  if (options.clientCert) {
    it(`presented ${gateway.name}'s client certificate on every verify call`, async () => {
      const metrics = (await api(env.tokens, null, 'GET', '/metrics')).text;
      const subject = `O=tokens tests, CN=${gateway.name}-edge`;
      expect(metrics).toMatch(new RegExp(`^tokens_verify_client_cert_total\\{subject="${subject}"\\} [1-9]\\d*$`, 'm'));
      expect(metrics).not.toMatch(/^tokens_verify_client_cert_total\{subject="(none|unverified)"\}/m);
    });
  }

  it(`fails closed (${options.impostor.status}, nothing reaches the upstream) on a tokens server whose certificate another CA issued`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `tokens-${gateway.name}-impostor-`));
    let impostor: TestServer | undefined;
    let impostorGateway: GatewayProcess | undefined;
    try {
      // The impostor has the right name and, with mutual TLS, trusts the gateway's client
      // certificate: only the CA that issued its certificate differs from the one the block trusts.
      const started = await startTlsTokens(dir, 'impostor', options, gateway.name);
      impostor = started.tokens;
      impostorGateway = await startGateway(gateway, {
        blocks: readmeBlocks(options.heading),
        tokens: impostor,
        upstream: env.upstream,
        gatewaySecret: (await issue(impostor, { scopes: ['verify'] })).secret,
        adapt: (text) => options.placeFiles(text, { ...started.files, ca: files.ca }),
        reads: [dir],
      });
      await api(impostor, impostor.adminSecret, 'POST', '/v1/scopes', { name: 'query' });
      const client = await issue(impostor, { scopes: ['query'] });
      const before = env.upstream.seen.length;
      const res = await fetch(`${impostorGateway.url}/query/a`, { headers: { authorization: `Bearer ${client.secret}` } });
      await res.arrayBuffer();
      expect(res.status).toBe(options.impostor.status);
      expect(env.upstream.seen.length).toBe(before);
      // A gateway writes a line as each of its sessions ends, which may be just after it answered.
      await vi.waitFor(() => expect(impostorGateway!.log()).toMatch(options.impostor.log), { timeout: 5_000, interval: 50 });
    } finally {
      await impostorGateway?.stop();
      await impostor?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return env;
}
