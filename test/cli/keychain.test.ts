// The real OS keychain: gnome-keyring's Secret Service in a private D-Bus session (scripts/with-keyring.sh
// sets TOKENS_TEST_KEYRING=1). Also a keychain that never answers, and none at all.
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCredentials } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { cliEnv, ok, run, type CliEnv } from './helpers.js';

let server: TestServer;
let cli: CliEnv;
const realKeychain = { keychain: undefined };

beforeAll(async () => {
  if (process.env.TOKENS_TEST_KEYRING !== '1') throw new Error('run the suite with "npm test" (scripts/with-keyring.sh provides the Secret Service)');
  server = await startTestServer();
  cli = cliEnv(server, { ...process.env, TOKENS_TOKEN: undefined, NO_COLOR: '1', TOKENS_API_URL: server.url, TOKENS_CONFIG_DIR: undefined });
  cli.env.TOKENS_CONFIG_DIR = cli.configDir;
});
afterAll(async () => {
  cli?.cleanup();
  await server?.destroy();
});

describe('with a Secret Service', () => {
  it('login stores the secret under service "tokens", account = profile, and nowhere else', async () => {
    const profile = `kc-${Date.now()}`;
    const env = { ...cli.env, TOKENS_PROFILE: profile };
    const r = await run(['login', '--token-stdin'], { env, stdin: server.adminSecret, providers: realKeychain });
    expect(r.code).toBe(0);
    expect(findCredentials('tokens').filter((c) => c.account === profile)).toEqual([{ account: profile, password: server.adminSecret }]);
    expect(findCredentials('tokens').filter((c) => c.password === server.adminSecret).map((c) => c.account)).toEqual([profile]);

    const who = await ok(['whoami', '--json'], { env, providers: realKeychain });
    expect(JSON.parse(who)).toMatchObject({ credential_source: 'keychain', name: 'bootstrap', profile });
    expect(await ok(['list', '--field', 'name'], { env, providers: realKeychain })).toContain('bootstrap\n');

    await ok(['logout', '--yes'], { env, providers: realKeychain });
    expect(findCredentials('tokens').filter((c) => c.account === profile)).toEqual([]);
    expect((await run(['whoami'], { env, providers: realKeychain })).code).toBe(4);
  });

  it('login --insecure-storage clears an older keychain entry so the file is what is used', async () => {
    const profile = `kc-file-${Date.now()}`;
    const env = { ...cli.env, TOKENS_PROFILE: profile };
    await ok(['login', '--token-stdin'], { env, stdin: server.adminSecret, providers: realKeychain });
    await ok(['login', '--insecure-storage', '--token-stdin'], { env, stdin: server.adminSecret, providers: realKeychain });
    expect(findCredentials('tokens').filter((c) => c.account === profile)).toEqual([]);
    expect(JSON.parse(await ok(['whoami', '--json'], { env, providers: realKeychain })).credential_source).toBe('file');
  });
});

describe('without a usable keychain', () => {
  let dir: string;
  let hung: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokens-dbus-'));
    // A D-Bus address that accepts connections and never says a word.
    hung = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => hung.listen(join(dir, 'bus'), resolve));
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((resolve) => hung.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a keychain that hangs errors after the time limit, naming both remedies', async () => {
    const env = { ...cli.env, TOKENS_PROFILE: 'hung', DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}`, TOKENS_KEYCHAIN_TIMEOUT: '1' };
    const r = await run(['list'], { env, providers: realKeychain });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      'error: not logged in to profile "hung", and the OS keychain is not available: it did not answer within 1 s\n' +
        'hint: set TOKENS_TOKEN (or pipe the secret with --token-stdin) for this shell, or run "tokens login --insecure-storage" to keep it in a 0600 file\n',
    );
    const login = await run(['login', '--token-stdin'], { env, stdin: server.adminSecret, providers: realKeychain });
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/^error: cannot store the credential: the OS keychain is not available: it did not answer within 1 s\n/);
    expect(login.stderr).not.toContain(server.adminSecret);
  });

  it('no Secret Service at all: the same clear error; TOKENS_TOKEN still works', async () => {
    const env = { ...cli.env, TOKENS_PROFILE: 'none', DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-such-bus')}` };
    const r = await run(['whoami'], { env, providers: realKeychain });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: not logged in to profile "none", and the OS keychain is not available: .+\nhint: set TOKENS_TOKEN .* --insecure-storage/);
    expect(await ok(['whoami', '--field', 'name'], { env: { ...env, TOKENS_TOKEN: server.adminSecret }, providers: realKeychain })).toBe('bootstrap\n');
  });
});
