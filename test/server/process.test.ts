// `tokens server` as a user runs it: the built binary, a real port, signals.
import { afterEach, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { freePort } from '../helpers/process.js';
import { Agent } from 'undici';
import { api } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tokens.js');
const dirs: string[] = [];
const children: ResultPromise[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function waitReady(url: string, server?: { dispatcher: Agent }): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await api({ url, ...server }, null, 'GET', '/readyz')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

function startBin(args: string[], env: Record<string, string> = {}) {
  const child = execa('node', [BIN, 'server', ...args], { reject: false, stdin: 'ignore', env: { TOKENS_LOG_LEVEL: 'info', ...env } });
  children.push(child);
  return child;
}

describe('tokens server (built binary)', () => {
  it('prints the bootstrap secret once to stderr, logs JSON without it, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-proc-'));
    dirs.push(dir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const db = join(dir, 'data', 'tokens.db');
    const first = startBin(['--port', String(port), '--db', db]);
    let stderr = '';
    first.stderr!.on('data', (d) => (stderr += d));
    await waitReady(url);
    const secret = /(tkn_[0-9A-Za-z]{38})/.exec(stderr)?.[1] ?? '';
    expect(secret).not.toBe('');
    expect(stderr).toContain('shown this once');
    expect(stderr).toContain(`Console: ${url}/ (sign in with a token secret)`);
    // The bundled server finds the console built beside it.
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>tokens console</title>');
    for (let i = 0; i < 3; i++) expect((await api({ url }, secret, 'GET', '/v1/whoami')).status).toBe(200);
    first.kill('SIGTERM');
    const done = await first;
    expect(done.exitCode).toBe(0);
    const lines = done.stdout.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(done.stdout).toContain('"msg":"stopped"');
    expect(done.stdout).not.toContain(secret);
    expect(statSync(`${db}.pepper`).mode & 0o777).toBe(0o600);

    // Restart on the same store: no second bootstrap, and the usage recorded before shutdown survived.
    const second = startBin(['--port', String(port), '--db', db]);
    await waitReady(url);
    const me = await api({ url }, secret, 'GET', '/v1/whoami');
    expect(me.body.token.use_count).toBeGreaterThanOrEqual(3);
    expect(me.body.token.last_used_ip).toBe('127.0.0.1');
    second.kill('SIGINT');
    const again = await second;
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toContain('tkn_');
  });

  it('writes the bootstrap secret 0600 to --bootstrap-file instead of printing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-proc-'));
    dirs.push(dir);
    const port = await freePort();
    const boot = join(dir, 'boot');
    const child = startBin(['--port', String(port), '--db', join(dir, 'db'), '--bootstrap-file', boot]);
    await waitReady(`http://127.0.0.1:${port}`);
    expect(existsSync(boot)).toBe(true);
    expect(statSync(boot).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
    const done = await child;
    expect(done.stderr).not.toContain('tkn_');
    expect(done.stderr).toContain(boot);
  });

  it('refuses bad flags with exit 2 and a one-line error', async () => {
    for (const args of [['--port', 'eighty'], ['--port', '70000'], ['--db', 'a', '--database-url', 'postgres://x'], ['--log-level', 'loud']]) {
      const res = await execa('node', [BIN, 'server', ...args], { reject: false, stdin: 'ignore' });
      expect(res.exitCode, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).not.toMatch(/\s+at /);
    }
  });

  it('reports a port already in use as one line, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-proc-'));
    dirs.push(dir);
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as { port: number };
    const res = await execa('node', [BIN, 'server', '--port', String(port), '--db', join(dir, 'db'), '--bootstrap-file', join(dir, 'b')], { reject: false, stdin: 'ignore' });
    blocker.close();
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toMatch(/address already in use|EADDRINUSE/i);
    expect(res.stderr).not.toMatch(/\s+at /);
  });
});

describe('tokens server --tls-cert/--tls-key (built binary)', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-proc-tls-'));
    dirs.push(dir);
    const ca = TestCa.create(join(dir, 'ca'));
    return { dir, ca, pair: ca.issue('tokens server') };
  };

  it('serves HTTPS and re-reads its certificate on SIGHUP without stopping', async () => {
    const { dir, ca, pair } = setup();
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const child = startBin(['--port', String(port), '--db', join(dir, 'db'), '--bootstrap-file', join(dir, 'boot')], { TOKENS_TLS_CERT: pair.cert, TOKENS_TLS_KEY: pair.key });
    const client = { url, dispatcher: new Agent({ connect: { ca: readFileSync(ca.cert) } }) };
    try {
      await waitReady(url, client);
      const secret = readFileSync(join(dir, 'boot'), 'utf8').trim();
      expect((await api(client, secret, 'GET', '/v1/whoami')).status).toBe(200);
      child.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
      expect((await api(client, secret, 'GET', '/v1/whoami')).status).toBe(200);
      child.kill('SIGTERM');
      const done = await child;
      expect(done.exitCode).toBe(0);
      const logs = done.stdout.trim().split('\n').map((line) => JSON.parse(line));
      // One line says where it listens, with everything about it.
      expect(logs.filter((l) => l.msg === 'listening')).toMatchObject([{ url, console: `${url}/`, store: 'sqlite', tls: { subject: 'O=tokens tests, CN=tokens server' } }]);
      expect(logs.find((l) => l.msg === 'TLS files unchanged')).toMatchObject({ trigger: 'SIGHUP' });
      expect(done.stdout).not.toContain('PRIVATE KEY');
    } finally {
      await client.dispatcher.close();
    }
  });

  it('refuses a missing, unreadable, mismatched or non-PEM certificate or key with one line and exit 2, before creating anything', async () => {
    const { dir, ca, pair } = setup();
    const other = ca.issue('another server');
    mkdirSync(join(dir, 'a-directory'));
    writeFileSync(join(dir, 'not-pem'), 'hello\n');
    const db = join(dir, 'data', 'tokens.db');
    const cases: [string[], RegExp][] = [
      [['--tls-cert', join(dir, 'missing.crt'), '--tls-key', pair.key], /cannot read the certificate .*missing\.crt \(--tls-cert\): no such file/],
      [['--tls-cert', pair.cert, '--tls-key', join(dir, 'missing.key')], /cannot read the private key .*missing\.key \(--tls-key\): no such file/],
      [['--tls-cert', join(dir, 'a-directory'), '--tls-key', pair.key], /cannot read the certificate .* \(--tls-cert\): it is a directory/],
      [['--tls-cert', pair.cert, '--tls-key', other.key], /the private key in .* \(--tls-key\) does not match the certificate in .* \(--tls-cert\)/],
      [['--tls-cert', join(dir, 'not-pem'), '--tls-key', pair.key], /not-pem \(--tls-cert\) holds no PEM certificate/],
      [['--tls-cert', pair.cert, '--tls-key', join(dir, 'not-pem')], /not-pem \(--tls-key\) holds no PEM private key/],
      [['--tls-cert', pair.cert, '--tls-key', pair.key, '--tls-client-ca', join(dir, 'missing-ca.pem')], /cannot read the client CA .* \(--tls-client-ca\): no such file/],
      [['--tls-cert', pair.cert], /--tls-cert and --tls-key go together/],
      [['--tls-client-ca', ca.cert], /--tls-client-ca needs --tls-cert and --tls-key/],
      [['--tls-cert', pair.cert, '--tls-key', pair.key, '--require-client-cert-for-verify'], /--require-client-cert-for-verify needs --tls-client-ca/],
    ];
    for (const [args, message] of cases) {
      const res = await execa('node', [BIN, 'server', '--port', '0', '--db', db, ...args], { reject: false, stdin: 'ignore', env: { TOKENS_LOG_LEVEL: 'info' } });
      expect(res.exitCode, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stderr).not.toMatch(/\s+at |PRIVATE KEY/);
      expect(existsSync(db), 'no store is created').toBe(false);
    }
  });
});

const SYSTEM_NODE = '/usr/bin/node';

describe('running under an older system Node', () => {
  it.skipIf(!existsSync(SYSTEM_NODE))('re-runs itself with the project Node, so `bin/tokens.js` works where /usr/bin/node is 20', async () => {
    const version = (await execa(SYSTEM_NODE, ['--version'])).stdout;
    const res = await execa(SYSTEM_NODE, [BIN, '--version'], { reject: false, stdin: 'ignore' });
    expect(res.exitCode, `system node ${version}`).toBe(0);
    expect(res.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
