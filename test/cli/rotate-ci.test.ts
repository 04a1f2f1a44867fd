// Rotation as a CI job runs it: the built binary in a non-interactive shell, and a run killed right
// after its rotate request reached the server, re-run with the same inputs: one successor, not two.
import { execa } from 'execa';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { startClockServer, type ClockServer } from './clock-server.js';
import { cliEnv, type CliEnv } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
let server: ClockServer;
let cli: CliEnv;
let work: string;

beforeAll(async () => {
  server = await startClockServer();
  cli = cliEnv({ url: server.url, adminSecret: server.adminSecret } as never);
  work = mkdtempSync(join(tmpdir(), 'tokens-rotate-ci-'));
});
afterAll(async () => {
  cli?.cleanup();
  rmSync(work, { recursive: true, force: true });
  await server?.destroy();
});

const admin = (method: string, path: string, body?: unknown) => api(server, server.adminSecret, method, path, body);
const works = async (secret: string) => (await api(server, secret, 'GET', '/v1/whoami')).status === 200;

async function createToken(name: string): Promise<{ id: string; secret: string }> {
  const r = await admin('POST', '/v1/tokens', { name, scopes: ['tokens:read'], expires_at: new Date(server.now() + 90 * 86_400_000).toISOString() });
  return { id: r.body.token.id, secret: r.body.secret };
}

async function lineage(name: string): Promise<{ id: string; status: string; rotated_to: string | null; rotation_pending: boolean }[]> {
  return (await admin('GET', `/v1/tokens?name=${name}`)).body.data;
}

function tokens(args: string[], env: Record<string, string | undefined> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...cli.env, ...env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
}

describe('in a non-interactive shell', () => {
  it('a scripted quarterly rotation: deliver to a command, the stored secret works, the old one until the overlap ends', async () => {
    const old = await createToken('ci-deploy');
    const script = [
      'set -euo pipefail',
      `"${process.execPath}" "${BIN}" rotate ci-deploy --overlap 24h --yes --deliver 'umask 077; cat > "$SECRETS_DIR/api-token"' --json > "$SECRETS_DIR/report.json"`,
      'jq -r .id "$SECRETS_DIR/report.json"',
    ].join('\n');
    const r = await execa('bash', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...cli.env, SECRETS_DIR: work, CI: 'true' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    expect(r.stdout).toBe(report.id);
    expect(report).toMatchObject({ name: 'ci-deploy', rotated_from: old.id, checked_by: 'introspect', delivered_to: 'command' });
    const stored = readFileSync(join(work, 'api-token'), 'utf8');
    expect(statSync(join(work, 'api-token')).mode & 0o777).toBe(0o600);
    expect((await api(server, stored, 'GET', '/v1/whoami')).body.token.id).toBe(report.id);
    expect(await works(old.secret)).toBe(true);
    server.advance(24 * 3600 + 60);
    expect(await works(old.secret)).toBe(false);
    expect(await works(stored)).toBe(true);
  });
});

describe('a rotation whose response is lost', () => {
  let proxy: HttpServer;
  let proxyUrl: string;
  /** Called once the server has answered a rotate request, instead of passing the answer on. */
  let onRotateAnswered: (() => void) | null = null;
  const rotateRequests: string[] = [];

  beforeAll(async () => {
    proxy = createHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const upstream = await fetch(server.url + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const body = Buffer.from(await upstream.arrayBuffer());
      if (req.method === 'POST' && /\/rotate$/.test(req.url!)) {
        rotateRequests.push(req.url!);
        if (onRotateAnswered) {
          const hook = onRotateAnswered;
          onRotateAnswered = null;
          // The answer is held back: the client dies without it (its socket closes with it).
          hook();
          return;
        }
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });

  /** Runs the rotation through the proxy and kills the client the moment the server has rotated. */
  async function killedRun(args: string[]) {
    const child = tokens(args, { TOKENS_API_URL: proxyUrl });
    onRotateAnswered = () => child.kill('SIGKILL');
    const result = await child;
    expect(result.signal).toBe('SIGKILL');
    return result;
  }

  it('a client killed right after the request: the re-run with the same inputs resumes, one successor in all', async () => {
    const old = await createToken('crash-1');
    const file = join(work, 'crash-1.secret');
    const args = ['rotate', 'crash-1', '--overlap', '1h', '--yes', '--deliver-file', file, '--json'];
    await killedRun(args);
    // The server did rotate (pending: the old token is still whole) and nobody got the secret.
    const open = await lineage('crash-1');
    expect(open).toHaveLength(2);
    expect(open.find((t) => t.id === old.id)).toMatchObject({ rotation_pending: true, status: 'active' });
    expect(await works(old.secret)).toBe(true);

    const rerun = await tokens(args);
    expect(rerun.exitCode).toBe(0);
    const report = JSON.parse(rerun.stdout);
    expect(report).toMatchObject({ resumed: true, rotated_from: old.id, id: open.find((t) => t.id !== old.id)!.id });
    const after = await lineage('crash-1');
    expect(after.map((t) => t.id).sort()).toEqual(open.map((t) => t.id).sort());
    expect(after.every((t) => t.status === 'active')).toBe(true);
    expect(after.find((t) => t.id === old.id)).toMatchObject({ rotation_pending: false, rotated_to: report.id });
    expect((await api(server, readFileSync(file, 'utf8').trim(), 'GET', '/v1/whoami')).body.token.id).toBe(report.id);
    const rotations = (await admin('GET', `/v1/audit?target=${old.id}&action=token.rotated`)).body.data;
    expect(rotations).toHaveLength(1);

    // A third run is a fresh rotation of the successor, not a replay of the first.
    const third = await tokens(['rotate', 'crash-1', '--overlap', '1h', '--yes', '--deliver-file', file, '--json']);
    expect(JSON.parse(third.stdout).rotated_from).toBe(report.id);
  });

  it('the re-run names the token by its old id, or by filters: the same resume', async () => {
    const old = await createToken('crash-2');
    await killedRun(['rotate', old.id, '--overlap', '1h', '--yes', '--deliver', 'cat > /dev/null', '--json']);
    const rerun = await tokens(['rotate', '--name-prefix', 'crash-2', '--overlap', '1h', '--yes', '--deliver', 'cat > /dev/null', '--json']);
    expect(rerun.exitCode).toBe(0);
    const { data } = JSON.parse(rerun.stdout);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ id: old.id, result: 'rotated', resumed: true });
    expect(data[0].detail).toMatch(/^resumed an unfinished rotation; /);
    expect((await lineage('crash-2')).filter((t) => t.status === 'active')).toHaveLength(2);
  });

  it('a re-run with other inputs cannot replay the lost secret: it aborts that rotation and rotates afresh', async () => {
    const old = await createToken('crash-3');
    await killedRun(['rotate', 'crash-3', '--overlap', '1h', '--yes', '--deliver', 'cat > /dev/null']);
    const stale = (await lineage('crash-3')).find((t) => t.id !== old.id)!;
    const rerun = await tokens(['rotate', 'crash-3', '--overlap', '2h', '--yes', '--deliver', 'cat > /dev/null', '--json']);
    expect(rerun.exitCode).toBe(0);
    const report = JSON.parse(rerun.stdout);
    expect(report.id).not.toBe(stale.id);
    const after = await lineage('crash-3');
    expect(after.find((t) => t.id === stale.id)!.status).toBe('revoked');
    expect(after.filter((t) => t.status === 'active').map((t) => t.id).sort()).toEqual([old.id, report.id].sort());
  });
});
