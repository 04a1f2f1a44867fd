// `tokens server` as a user runs it: the built binary, a real port, signals.
import { afterEach, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { api } from '../helpers/server.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tokens.js');
const dirs: string[] = [];
const children: ResultPromise[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

function startBin(args: string[]) {
  const child = execa('node', [BIN, 'server', ...args], { reject: false, stdin: 'ignore', env: { TOKENS_LOG_LEVEL: 'info' } });
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

const SYSTEM_NODE = '/usr/bin/node';

describe('running under an older system Node', () => {
  it.skipIf(!existsSync(SYSTEM_NODE))('re-runs itself with the project Node, so `bin/tokens.js` works where /usr/bin/node is 20', async () => {
    const version = (await execa(SYSTEM_NODE, ['--version'])).stdout;
    const res = await execa(SYSTEM_NODE, [BIN, '--version'], { reject: false, stdin: 'ignore' });
    expect(res.exitCode, `system node ${version}`).toBe(0);
    expect(res.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
