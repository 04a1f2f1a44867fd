// `tokens server --tls-cert/--tls-key` in process: HTTPS for the API and both verify paths, HSTS,
// keep-alive, TLS 1.2 at least, and certificates replaced on disk while a gateway keeps verifying.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { fingerprintOf, TestCa, type CertificateFiles } from '../helpers/tls.js';
import { issue, type Issued } from '../verify/helpers.js';

const HSTS = 'max-age=31536000';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-tls-'));
  dirs.push(dir);
  return dir;
}

const portOf = (server: TestServer) => Number(new URL(server.url).port);

/** The certificate a new TLS connection to the server is shown (its SHA-256 fingerprint), or the handshake error. */
function handshake(server: TestServer, opts: ConnectionOptions): Promise<{ fingerprint: string; protocol: string | null } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: portOf(server), servername: 'localhost', ...opts }, () => {
      const result = { fingerprint: socket.getPeerX509Certificate()!.fingerprint256, protocol: socket.getProtocol() };
      socket.end();
      resolve(result);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

const introspectBody = (token: string) => `token=${token}&scope=query`;
const FORM = 'application/x-www-form-urlencoded';

describe('tokens server over HTTPS', () => {
  let ca: TestCa;
  let server: TestServer;
  let gateway: Issued;
  let client: Issued;
  let agent: Agent;

  beforeAll(async () => {
    const dir = tempDir();
    ca = TestCa.create(join(dir, 'ca'));
    const pair = ca.issue('tokens server');
    server = await startTestServer({ tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: ca.cert });
    gateway = await issue(server, { scopes: ['verify'] });
    client = await issue(server, { scopes: ['query'] });
    agent = new Agent({ connect: { ca: ca.pem } });
  });
  afterAll(async () => {
    await agent?.close();
    await server?.destroy();
  });

  it('serves the management API over https, with Strict-Transport-Security on every response', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    for (const [path, secret, status] of [['/healthz', null, 200], ['/v1/whoami', server.adminSecret, 200], ['/v1/whoami', null, 401], ['/v1/nowhere', null, 404], ['/openapi.json', null, 200]] as const) {
      const res = await api(server, secret, 'GET', path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('strict-transport-security'), path).toBe(HSTS);
    }
  });

  it('serves both verify endpoints over https — the fast path and the fastify routes — with HSTS', async () => {
    const headers = { authorization: `Bearer ${gateway.secret}`, 'content-type': FORM };
    // The fast path takes a small body with a Content-Length…
    const fast = await request(`${server.url}/v1/introspect`, { method: 'POST', headers, body: introspectBody(client.secret), dispatcher: agent });
    expect(fast.headers['strict-transport-security']).toBe(HSTS);
    expect(await fast.body.json()).toMatchObject({ active: true, client_id: client.id });
    // …a chunked one goes to the fastify route, which answers the same.
    const chunked = await request(`${server.url}/v1/introspect`, { method: 'POST', headers, body: Readable.from([Buffer.from(introspectBody(client.secret))]), dispatcher: agent });
    expect(chunked.headers['transfer-encoding']).toBeUndefined();
    expect(chunked.headers['strict-transport-security']).toBe(HSTS);
    expect(await chunked.body.json()).toMatchObject({ active: true, client_id: client.id });

    const auth = await request(`${server.url}/v1/auth?scope=query`, { headers: { 'x-verifier-token': gateway.secret, authorization: `Bearer ${client.secret}` }, dispatcher: agent });
    await auth.body.dump();
    expect(auth.statusCode).toBe(200);
    expect(auth.headers['x-token-id']).toBe(client.id);
    expect(auth.headers['strict-transport-security']).toBe(HSTS);
    const refused = await request(`${server.url}/v1/auth`, { headers: { 'x-verifier-token': gateway.secret, authorization: 'Bearer tkn_nope' }, dispatcher: agent });
    await refused.body.dump();
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['strict-transport-security']).toBe(HSTS);
  });

  it('keeps a connection alive across requests (HTTP/1.1 keep-alive over TLS)', async () => {
    const keepAlive = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: ca.pem });
    const reused: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      reused.push(
        await new Promise<boolean>((resolve, reject) => {
          const req = httpsRequest(`${server.url}/v1/introspect`, { method: 'POST', agent: keepAlive, headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': FORM } }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve(req.reusedSocket) : reject(new Error(`HTTP ${res.statusCode}`))));
          });
          req.on('error', reject);
          req.end(introspectBody(client.secret));
        }),
      );
    }
    keepAlive.destroy();
    expect(reused).toEqual([false, true, true, true, true]);
  });

  it('speaks TLS 1.2 and 1.3 and refuses anything older', async () => {
    expect(await handshake(server, { ca: ca.pem, maxVersion: 'TLSv1.2' })).toMatchObject({ protocol: 'TLSv1.2' });
    expect(await handshake(server, { ca: ca.pem })).toMatchObject({ protocol: 'TLSv1.3' });
    const old = await handshake(server, { ca: ca.pem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    // The server's protocol_version alert: the client offered TLS 1.1 and was turned away.
    expect(old).toEqual({ error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
  });
});

describe('replacing the certificate on disk', () => {
  let ca: TestCa;
  let live: string;
  let server: TestServer;
  let gateway: Issued;
  let client: Issued;

  /** Lays the pair out as cert-manager does: tls.crt → ..data/tls.crt, ..data → a versioned directory. */
  function publish(version: string, pair: CertificateFiles, swap: boolean): void {
    const versioned = join(live, `..${version}`);
    mkdirSync(versioned);
    copyFileSync(pair.cert, join(versioned, 'tls.crt'));
    copyFileSync(pair.key, join(versioned, 'tls.key'));
    if (!swap) {
      symlinkSync(`..${version}`, join(live, '..data'));
      symlinkSync('..data/tls.crt', join(live, 'tls.crt'));
      symlinkSync('..data/tls.key', join(live, 'tls.key'));
      return;
    }
    symlinkSync(`..${version}`, join(live, '..data_tmp'));
    renameSync(join(live, '..data_tmp'), join(live, '..data'));
  }

  /** Replaces one file the way a script does: a new file beside it, renamed over it. */
  function replace(file: string, from: string): void {
    copyFileSync(from, `${file}.new`);
    renameSync(`${file}.new`, file);
  }

  async function servedFingerprint(): Promise<string> {
    const shown = await handshake(server, { ca: ca.pem });
    if ('error' in shown) throw new Error(shown.error);
    return shown.fingerprint;
  }

  async function waitForServed(fingerprint: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await servedFingerprint()) !== fingerprint) {
      if (Date.now() > deadline) throw new Error('the new certificate was not served within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    const dir = tempDir();
    ca = TestCa.create(join(dir, 'ca'));
    live = join(dir, 'tls');
    mkdirSync(live);
    publish('v1', ca.issue('tokens server'), false);
    server = await startTestServer({ tlsCert: join(live, 'tls.crt'), tlsKey: join(live, 'tls.key') }, {}, { trustCa: ca.cert });
    gateway = await issue(server, { scopes: ['verify'] });
    client = await issue(server, { scopes: ['query'] });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('serves new certificates to new connections while a keep-alive gateway verifies without one failure', async () => {
    const gatewayAgent = new Agent({ connect: { ca: ca.pem }, connections: 1 });
    let ok = 0;
    const failures: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const res = await request(`${server.url}/v1/introspect`, {
            method: 'POST',
            headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': FORM },
            body: introspectBody(client.secret),
            dispatcher: gatewayAgent,
          });
          const body = (await res.body.json()) as { active?: boolean };
          if (res.statusCode === 200 && body.active) ok++;
          else failures.push(`HTTP ${res.statusCode} ${JSON.stringify(body)}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    })();
    try {
      // cert-manager: the ..data symlink swapped to a new directory holding both files.
      const second = ca.issue('tokens server');
      publish('v2', second, true);
      await waitForServed(fingerprintOf(second.cert));
      const afterFirst = ok;

      // A script: each file replaced by rename, certificate first (for a moment it does not match the key).
      const third = ca.issue('tokens server');
      replace(join(live, 'tls.crt'), third.cert);
      replace(join(live, 'tls.key'), third.key);
      await waitForServed(fingerprintOf(third.cert));
      await new Promise((r) => setTimeout(r, 300));
      expect(ok).toBeGreaterThan(afterFirst);
    } finally {
      running = false;
      await loop;
      await gatewayAgent.close();
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(server.logText()).toContain('TLS certificate reloaded');

    // A client connecting now gets the new certificate and is served.
    const res = await api(server, server.adminSecret, 'GET', '/v1/whoami');
    expect(res.status).toBe(200);
  });

  it('refuses a pair that does not match, logs why, and keeps serving the previous certificate', async () => {
    const before = await servedFingerprint();
    const next = ca.issue('tokens server');
    const stranger = ca.issue('someone else');
    const logged = server.logText().length;
    replace(join(live, 'tls.key'), stranger.key); // the current certificate with a key that is not its own
    const deadline = Date.now() + 10_000;
    while (!server.logText().slice(logged).includes('TLS reload refused') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const refusal = server.logText().slice(logged);
    expect(refusal).toContain('TLS reload refused; still serving the previous certificate');
    expect(refusal).toContain('does not match the certificate');
    expect(refusal).not.toContain('PRIVATE KEY');
    expect(await servedFingerprint()).toBe(before);
    expect((await api(server, server.adminSecret, 'GET', '/v1/whoami')).status).toBe(200);

    // SIGHUP (reloadTls) with the files still wrong: refused again, nothing changes.
    expect(server.reloadTls()).toBe(false);
    expect(await servedFingerprint()).toBe(before);

    // The right pair arrives: served.
    replace(join(live, 'tls.crt'), next.cert);
    replace(join(live, 'tls.key'), next.key);
    await waitForServed(fingerprintOf(next.cert));
    expect(server.reloadTls()).toBe(true);
  });
});

describe('listening without TLS', () => {
  it('warns, naming the flags, when it listens beyond loopback', async () => {
    const open = await startTestServer({ host: '0.0.0.0' });
    try {
      const warning = open.logText().split('\n').find((line) => line.includes('without TLS'));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!)).toMatchObject({ level: 40, host: '0.0.0.0' });
      expect(warning).toContain('--tls-cert FILE --tls-key FILE');
    } finally {
      await open.destroy();
    }
    const local = await startTestServer();
    try {
      expect(local.logText()).not.toContain('without TLS');
    } finally {
      await local.destroy();
    }
  });
});

describe('mutual TLS for gateways', () => {
  let serverCa: TestCa;
  let gatewayCa: TestCa;
  let strangerCa: TestCa;
  let gatewayCert: CertificateFiles;
  let strangerCert: CertificateFiles;

  beforeAll(() => {
    const dir = tempDir();
    serverCa = TestCa.create(join(dir, 'server-ca'), 'server CA');
    gatewayCa = TestCa.create(join(dir, 'gateway-ca'), 'gateway CA');
    strangerCa = TestCa.create(join(dir, 'stranger-ca'), 'stranger CA');
    gatewayCert = gatewayCa.issue('nginx-edge', { client: true });
    strangerCert = strangerCa.issue('nginx-edge', { client: true });
  });

  async function mtlsServer(required: boolean) {
    const pair = serverCa.issue('tokens server');
    const server = await startTestServer(
      { tlsCert: pair.cert, tlsKey: pair.key, tlsClientCa: gatewayCa.cert, requireClientCertForVerify: required, logLevel: 'debug' },
      {},
      { trustCa: serverCa.cert },
    );
    const gateway = await issue(server, { scopes: ['verify'] });
    const client = await issue(server, { scopes: ['query'] });
    const agents = {
      none: new Agent({ connections: 1, connect: { ca: serverCa.pem } }),
      gateway: new Agent({ connections: 1, connect: { ca: serverCa.pem, cert: readFileSync(gatewayCert.cert), key: readFileSync(gatewayCert.key) } }),
      stranger: new Agent({ connections: 1, connect: { ca: serverCa.pem, cert: readFileSync(strangerCert.cert), key: readFileSync(strangerCert.key) } }),
    };
    type Caller = keyof typeof agents;
    const introspect = async (as: Caller, chunked = false) => {
      const body = introspectBody(client.secret);
      const res = await request(`${server.url}/v1/introspect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.secret}`, 'content-type': FORM },
        body: chunked ? Readable.from([Buffer.from(body)]) : body,
        dispatcher: agents[as],
      });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    const forwardAuth = async (as: Caller) => {
      const res = await request(`${server.url}/v1/auth?scope=query`, { headers: { 'x-verifier-token': gateway.secret, authorization: `Bearer ${client.secret}` }, dispatcher: agents[as] });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    };
    const whoami = async (as: Caller) => {
      const res = await request(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${server.adminSecret}` }, dispatcher: agents[as] });
      await res.body.dump();
      return res.statusCode;
    };
    const metrics = async () => (await api(server, null, 'GET', '/metrics')).text;
    const close = async () => {
      await Promise.all(Object.values(agents).map((a) => a.close()));
      await server.destroy();
    };
    return { server, client, introspect, forwardAuth, whoami, metrics, close };
  }

  it('asks for client certificates without requiring them, and records the subject of those from the client CA', async () => {
    const s = await mtlsServer(false);
    try {
      for (let i = 0; i < 3; i++) expect(await s.introspect('gateway')).toMatchObject({ status: 200, body: { active: true, client_id: s.client.id } });
      expect((await s.forwardAuth('gateway')).status).toBe(200);
      expect(await s.introspect('none')).toMatchObject({ status: 200, body: { active: true } });
      expect(await s.introspect('stranger')).toMatchObject({ status: 200, body: { active: true } });
      expect(await s.whoami('none')).toBe(200);

      const metrics = await s.metrics();
      expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="O=tokens tests, CN=nginx-edge"\} 4$/m);
      expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="none"\} 1$/m);
      // A certificate from another CA is counted, but its (self-chosen) subject is not believed.
      expect(metrics).toMatch(/^tokens_verify_client_cert_total\{subject="unverified"\} 1$/m);
      const debug = s.server.logText().split('\n').filter((l) => l.includes('verify caller presented a client certificate"'));
      // Once per connection (the gateway's four calls shared one), at debug level.
      expect(debug).toHaveLength(1);
      expect(JSON.parse(debug[0]!)).toMatchObject({ level: 20, subject: 'O=tokens tests, CN=nginx-edge', issuer: 'O=tokens tests, CN=gateway CA' });
    } finally {
      await s.close();
    }
  });

  it('with --require-client-cert-for-verify refuses verify calls without a certificate from the client CA (403), on both paths', async () => {
    const s = await mtlsServer(true);
    try {
      for (const as of ['none', 'stranger'] as const) {
        for (const chunked of [false, true]) {
          const res = await s.introspect(as, chunked);
          expect(res.status, `${as}${chunked ? ', chunked' : ''}`).toBe(403);
          expect(res.body).toMatchObject({ code: 'client_certificate_required', status: 403 });
        }
        expect(await s.forwardAuth(as)).toMatchObject({ status: 403, body: { code: 'client_certificate_required' } });
        // The management API does not need a certificate.
        expect(await s.whoami(as)).toBe(200);
      }
      expect(await s.introspect('gateway')).toMatchObject({ status: 200, body: { active: true } });
      expect(await s.introspect('gateway', true)).toMatchObject({ status: 200, body: { active: true } });
      expect((await s.forwardAuth('gateway')).status).toBe(200);
      const metrics = await s.metrics();
      expect(metrics).toMatch(/^tokens_verify_total\{endpoint="introspect",reason="caller_no_certificate"\} 4$/m);
      expect(metrics).toMatch(/^tokens_verify_total\{endpoint="auth",reason="caller_no_certificate"\} 2$/m);
    } finally {
      await s.close();
    }
  });
});
