// `tokens scan` against a real server: secrets found offline by prefix and checksum in files,
// directories and stdin; which are live, asked of POST /v1/tokens/lookup-by-value (which changes
// nothing and needs a credential that may read or revoke tokens); --revoke through the engine; and a
// secret never printed.
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/shared/secret.js';
import { run, useServerAndCli } from '../cli/helpers.js';
import { api, startTestServer } from '../helpers/server.js';
import { fixtureRepo, type FixtureRepo } from './fixture.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const shared = useServerAndCli();
const env = () => shared.cli.env;
const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);

let counter = 0;
async function createToken(scopes: string[] = ['tokens:read']): Promise<{ id: string; name: string; secret: string; start: string }> {
  const r = await admin('POST', '/v1/tokens', { name: `scan-${++counter}`, scopes });
  expect(r.status, r.text).toBe(201);
  return { id: r.body.token.id, name: r.body.token.name, secret: r.body.secret, start: r.body.token.start };
}

/** Nothing the command printed holds a planted secret. */
function expectNoSecret(output: string, repo: FixtureRepo) {
  for (const p of repo.planted) expect(output).not.toContain(p.secret);
}

let repo: FixtureRepo;
let tokens: Awaited<ReturnType<typeof createToken>>[];
beforeAll(async () => {
  tokens = [await createToken(), await createToken(), await createToken(), await createToken()];
  repo = fixtureRepo(tokens.map((t) => t.secret));
});
afterAll(() => repo?.remove());

const locations = () => repo.planted.map((p) => `${join(repo.dir, p.file)}:${p.line}:${p.column}`);

describe('tokens scan, offline', () => {
  it('finds the 4 planted secrets and none of the look-alikes; prints where and the start, never the secret; exit 8', async () => {
    const r = await run(['scan', '--offline', repo.dir], { env: env() });
    expect(r.code).toBe(8);
    const rows = r.stdout.replace(/\n$/, '').split('\n').map((line) => line.split('\t'));
    const startOf = (secret: string) => tokens.find((t) => t.secret === secret)!.start;
    expect(rows).toEqual(repo.planted.map((p, i) => [locations()[i], startOf(p.secret), 'unchecked', '']));
    expect(r.stderr).toBe('warning: found 4 secrets in 4 places (not checked on the server)\n');
    expectNoSecret(r.stdout + r.stderr, repo);
  });

  it('reads standard input, and finds a secret glued to other text', async () => {
    const [t] = tokens;
    const r = await run(['scan', '--offline', '--json'], { env: env(), stdin: `build 41 ok\nGET /x?access_token=${t!.secret}&y=1 401\nkey:x${t!.secret}\n` });
    expect(r.code).toBe(8);
    const out = JSON.parse(r.stdout);
    expect(out.data.map((d: { location: string }) => d.location)).toEqual(['(stdin):2:21', '(stdin):3:6']);
    expect(out.data[0]).toMatchObject({ start: t!.start, checked: false, live: null, status: null, id: null });
    expect(out.summary).toEqual({ places: 2, secrets: 1, checked: false, live: 0, skipped_files: 0 });
  });

  it('--prefix keeps to one prefix; exit 0 and a note when there is nothing', async () => {
    const r = await run(['scan', '--offline', '--prefix', 'acme', repo.dir], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const atTerminal = await run(['scan', '--offline', '--prefix', 'acme', repo.dir], { env: env(), tty: true });
    expect(atTerminal.stderr).toBe('✓ No secrets found.\n');
    const other = await run(['scan', '--offline'], { env: env(), stdin: `${generateSecret('acme')}\n` });
    expect(other.code).toBe(8);
  });

  it('refuses bad usage with exit 2', async () => {
    for (const argv of [['scan', '--prefix', 'Bad!'], ['scan', '--offline', '--revoke', repo.dir], ['scan', '--yes', repo.dir], ['scan', join(repo.dir, 'missing')]]) {
      const r = await run(argv, { env: env() });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
    }
  });
});

describe('tokens scan, asking the server', () => {
  it('says which secrets are live, and what the others are; exit 8 while any is live', async () => {
    const [, suspended, revoked] = tokens;
    await admin('POST', `/v1/tokens/${suspended!.id}/suspend`, {});
    await admin('POST', `/v1/tokens/${revoked!.id}/revoke`, { reason: 'test' });
    const r = await run(['scan', '--json', repo.dir], { env: env() });
    expect(r.code).toBe(8);
    const out = JSON.parse(r.stdout);
    const byId = Object.fromEntries(out.data.map((d: { id: string }) => [d.id, d]));
    expect(byId[tokens[0]!.id]).toMatchObject({ checked: true, live: true, status: 'active', name: tokens[0]!.name });
    expect(byId[suspended!.id]).toMatchObject({ live: false, status: 'suspended' });
    expect(byId[revoked!.id]).toMatchObject({ live: false, status: 'revoked' });
    expect(out.summary).toMatchObject({ places: 4, secrets: 4, checked: true, live: 2 });
    expectNoSecret(r.stdout + r.stderr, repo);
    // Nothing changed: the lookup revokes nothing and is not audited as a change.
    expect((await admin('GET', `/v1/tokens/${tokens[0]!.id}`)).body.status).toBe('active');
  });

  it('a secret another server issued is "not found"; with no live secret the exit is 0', async () => {
    const r = await run(['scan'], { env: env(), stdin: `${generateSecret('tkn')}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\t').slice(2, 3)).toEqual(['not found']);
  });

  it('without a credential that may look secrets up, it warns and reports them unchecked (exit 8)', async () => {
    const gateway = await createToken(['verify']);
    const r = await run(['scan', repo.dir], { env: { ...env(), TOKENS_TOKEN: gateway.secret } });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^warning: could not ask the server which secrets are live: .*scope tokens:read or tokens:revoke or tokens:write/m);
    expect(r.stdout).toContain('unchecked');
  });
});

describe('POST /v1/tokens/lookup-by-value', () => {
  it('is no oracle for strangers: 401 without a valid credential, counted toward the failed-authentication limit', async () => {
    // A server of its own: the limit is per client address, and this test uses it up.
    const server = await startTestServer();
    try {
      const t = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name: 'looked-up', scopes: ['tokens:read'] });
      const body = { secrets: [t.body.secret] };
      const stranger = await api(server, null, 'POST', '/v1/tokens/lookup-by-value', body);
      expect(stranger.status).toBe(401);
      expect(stranger.text).not.toContain(t.body.token.id);
      // 30 failures a minute from one address, then 429 for its failures; a valid credential from there is still served.
      let status = 0;
      for (let i = 0; i < 40 && status !== 429; i++) status = (await api(server, generateSecret('tkn'), 'POST', '/v1/tokens/lookup-by-value', body)).status;
      expect(status).toBe(429);
      expect((await api(server, server.adminSecret, 'POST', '/v1/tokens/lookup-by-value', body)).status).toBe(200);
      expect((await api(server, generateSecret('tkn'), 'POST', '/v1/tokens/lookup-by-value', body)).status).toBe(429);
    } finally {
      await server.destroy();
    }
  });
});

describe('tokens scan --revoke', () => {
  it('revokes the live and suspended ones after confirming, with the reason in the audit log; the bin exits 0', async () => {
    const fresh = [await createToken(), await createToken(), await createToken(), await createToken()];
    const leaky = fixtureRepo(fresh.map((t) => t.secret));
    try {
      await admin('POST', `/v1/tokens/${fresh[1]!.id}/suspend`, {});
      await admin('POST', `/v1/tokens/${fresh[2]!.id}/revoke`, {});
      const r = await execa(process.execPath, [BIN, 'scan', leaky.dir, '--revoke', '--yes', '--reason', 'committed to the repo'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env() },
        extendEnv: false,
        reject: false,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe('3 of 3 revoked');
      for (const t of fresh) {
        expect((await admin('GET', `/v1/tokens/${t.id}`)).body.status).toBe('revoked');
      }
      const events = (await admin('GET', `/v1/audit?target=${fresh[0]!.id}&action=token.revoked`)).body.data;
      expect(events[0]).toMatchObject({ reason: 'committed to the repo', details: { via: 'value' } });
      expectNoSecret(r.stdout + r.stderr, leaky);
    } finally {
      leaky.remove();
    }
  });
});
