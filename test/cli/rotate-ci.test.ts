// Rotation as a CI job runs it: the built binary in a non-interactive shell, and a run killed right
// after its rotate request reached the server, re-run with the same inputs: one successor, not two.
import { execa } from 'execa';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { startClockServer } from '../helpers/clock-server.js';
import { startForwardingProxy, type ForwardingProxy } from './proxy.js';
import { useServerAndCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const shared = useServerAndCli({}, startClockServer);

const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);
const works = async (secret: string) => (await api(shared.server, secret, 'GET', '/v1/whoami')).status === 200;

async function createToken(name: string): Promise<{ id: string; secret: string }> {
  const r = await admin('POST', '/v1/tokens', { name, scopes: ['tokens:read'], expires_at: new Date(shared.server.now() + 90 * 86_400_000).toISOString() });
  return { id: r.body.token.id, secret: r.body.secret };
}

async function lineage(name: string): Promise<{ id: string; status: string; rotated_to: string | null; rotation_pending: boolean }[]> {
  return (await admin('GET', `/v1/tokens?name=${name}`)).body.data;
}

function tokens(args: string[], env: Record<string, string | undefined> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...shared.cli.env, ...env },
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
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...shared.cli.env, SECRETS_DIR: shared.cli.configDir, CI: 'true' },
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(shared.cli.configDir, 'report.json'), 'utf8'));
    expect(r.stdout).toBe(report.id);
    expect(report).toMatchObject({ name: 'ci-deploy', rotated_from: old.id, checked_by: 'introspect', delivered_to: 'command' });
    const stored = readFileSync(join(shared.cli.configDir, 'api-token'), 'utf8');
    expect(statSync(join(shared.cli.configDir, 'api-token')).mode & 0o777).toBe(0o600);
    expect((await api(shared.server, stored, 'GET', '/v1/whoami')).body.token.id).toBe(report.id);
    expect(await works(old.secret)).toBe(true);
    shared.server.advance(24 * 3600 + 60);
    expect(await works(old.secret)).toBe(false);
    expect(await works(stored)).toBe(true);
  });
});

describe('a rotation whose response is lost', () => {
  let proxy: ForwardingProxy;
  /** Called once the server has answered a rotate request, instead of passing the answer on. */
  let onRotateAnswered: (() => void) | null = null;

  beforeAll(async () => {
    proxy = await startForwardingProxy(
      () => shared.server.url,
      (req) => {
        if (!onRotateAnswered || req.method !== 'POST' || !/\/rotate$/.test(req.path)) return 'pass';
        const hook = onRotateAnswered;
        onRotateAnswered = null;
        hook();
        // The answer is held back: the client dies without it (its socket closes with it).
        return 'hold';
      },
    );
  });
  afterAll(() => proxy.close());

  /** Runs the rotation through the proxy and kills the client the moment the shared.server has rotated. */
  async function killedRun(args: string[]) {
    const child = tokens(args, { TOKENS_API_URL: proxy.url });
    onRotateAnswered = () => child.kill('SIGKILL');
    const result = await child;
    expect(result.signal).toBe('SIGKILL');
    return result;
  }

  it('a client killed right after the request: the re-run with the same inputs resumes, one successor in all', async () => {
    const old = await createToken('crash-1');
    const file = join(shared.cli.configDir, 'crash-1.secret');
    const args = ['rotate', 'crash-1', '--overlap', '1h', '--yes', '--deliver-file', file, '--json'];
    await killedRun(args);
    // The shared.server did rotate (pending: the old token is still whole) and nobody got the secret.
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
    expect((await api(shared.server, readFileSync(file, 'utf8').trim(), 'GET', '/v1/whoami')).body.token.id).toBe(report.id);
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
