// Login, logout, whoami, credential precedence, profiles and the http guard — in-process, with an
// in-memory keychain (the real Secret Service is exercised in keychain.test.ts).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { withTypo } from '../helpers/secrets.js';
import { cliEnv, memoryKeychain, ok, run, scriptedPrompter, type CliEnv } from './helpers.js';

let server: TestServer;
let cli: CliEnv;
let keychain: ReturnType<typeof memoryKeychain>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.destroy();
});
beforeEach(() => {
  // Logged-out operator: no TOKENS_TOKEN, a fresh config dir, an empty keychain.
  cli = cliEnv(server, { TOKENS_TOKEN: undefined });
  keychain = memoryKeychain();
});
afterEach(() => cli.cleanup());

const withKeychain = () => ({ keychain: async () => keychain });

/** Every file under the config dir, concatenated. */
function configText(): string {
  return readdirSync(cli.configDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

async function newToken(name: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await api(server, server.adminSecret, 'POST', '/v1/tokens', { name, scopes: ['tokens:read'], ...body });
  return { id: res.body.token.id, secret: res.body.secret };
}

describe('login', () => {
  it('--token-stdin: verifies with the server, stores in the keychain, never in the config file', async () => {
    const r = await run(['login', '--token-stdin'], { env: cli.env, stdin: `${server.adminSecret}\n`, providers: withKeychain(), tty: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('storage\tthe OS keychain\n');
    expect(keychain.entries.get('default')).toBe(server.adminSecret);
    expect(configText()).not.toContain(server.adminSecret);
    expect(configText()).toContain('"storage": "keychain"');
    const who = await run(['whoami'], { env: cli.env, providers: withKeychain() });
    expect(who.stdout).toContain('credential_source\tthe OS keychain (service tokens, account default)\n');
    expect(who.stdout).toContain('name\tbootstrap\n');
  });

  it('at a terminal asks for the secret with a hidden prompt', async () => {
    const prompter = scriptedPrompter([server.adminSecret]);
    const r = await run(['login'], { env: cli.env, tty: true, providers: { ...withKeychain(), prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked[0]).toMatch(/^Paste the token secret for profile "default"/);
    expect(r.stdout).toContain('✓ Logged in to http://127.0.0.1:');
    expect(r.stdout + r.stderr).not.toContain(server.adminSecret);
  });

  it('without a terminal and without --token-stdin → exit 2 naming the flag', async () => {
    const r = await run(['login'], { env: cli.env, providers: withKeychain() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no terminal to ask for the secret on\nhint: pipe it in: tokens login --token-stdin < FILE\n');
  });

  it('a rejected or malformed secret is not stored, and not echoed', async () => {
    const revoked = await newToken('login-revoked');
    await api(server, server.adminSecret, 'POST', `/v1/tokens/${revoked.id}/revoke`, {});
    const r = await run(['login', '--token-stdin'], { env: cli.env, stdin: revoked.secret, providers: withKeychain() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: the server at http:\/\/127\.0\.0\.1:\d+ did not accept this secret/);
    expect(r.stderr).not.toContain(revoked.secret);
    expect(keychain.entries.size).toBe(0);
    const typo = withTypo(server.adminSecret);
    const bad = await run(['login', '--token-stdin'], { env: cli.env, stdin: typo, providers: withKeychain() });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('is not a well-formed token secret');
    expect(bad.stderr).not.toContain(typo);
  });

  it('no keychain and no opt-in → a clear error naming both remedies', async () => {
    const r = await run(['login', '--token-stdin'], { env: cli.env, stdin: server.adminSecret });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: cannot store the credential: the OS keychain is not available: no Secret Service on the session bus\n' +
        'hint: add --insecure-storage to keep it in a 0600 file instead, or skip the login and set TOKENS_TOKEN for this shell\n',
    );
    const later = await run(['list'], { env: cli.env });
    expect(later.code).toBe(4);
    expect(later.stderr).toContain('not logged in to profile "default", and the OS keychain is not available');
    expect(later.stderr).toContain('--insecure-storage');
  });

  it('--insecure-storage keeps it in a 0600 file beside the config, not in the config', async () => {
    const r = await run(['login', '--insecure-storage', '--token-stdin'], { env: cli.env, stdin: server.adminSecret });
    expect(r.code).toBe(0);
    const file = join(cli.configDir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).not.toContain(server.adminSecret);
    const who = await run(['login', '--status'], { env: cli.env });
    expect(who.stdout).toContain(`credential_source\t${file}\n`);
  });

  it('--api-url creates the profile; the first profile becomes current', async () => {
    const env = { ...cli.env, TOKENS_API_URL: undefined };
    const r = await run(['login', '--profile', 'local', '--api-url', server.url, '--token-stdin'], { env, stdin: server.adminSecret, providers: withKeychain() });
    expect(r.code).toBe(0);
    expect(keychain.entries.has('local')).toBe(true);
    expect(await ok(['profile', 'list'], { env, providers: withKeychain() })).toBe(`*\tlocal\t${server.url}\tauto\tbootstrap (keychain)\n`);
    expect(await ok(['whoami', '--field', 'profile'], { env, providers: withKeychain() })).toBe('local\n');
  });

  it('warns on stderr when the credential expires within 14 days', async () => {
    const short = await newToken('login-short', { scopes: ['tokens:read'], expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    const r = await run(['login', '--token-stdin'], { env: cli.env, stdin: short.secret, providers: withKeychain() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: this credential \(login-short\) expires in 3 days/);
    const list = await run(['list', '-q'], { env: cli.env, providers: withKeychain() });
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/^warning: the stored credential for profile "default" \(login-short\) expires in 3 days/);
    const viaEnv = await run(['whoami'], { env: { ...cli.env, TOKENS_TOKEN: short.secret } });
    expect(viaEnv.stderr).toMatch(/warning: the credential from TOKENS_TOKEN \(login-short\) expires in 3 days/);
  });
});

describe('rotating your own credential', () => {
  it('is refused (a token may not rotate itself): exit 4 with the reason, and the credential keeps working', async () => {
    const own = await newToken('own-cred', { scopes: ['tokens:read', 'tokens:write'] });
    await ok(['login', '--token-stdin'], { env: cli.env, stdin: own.secret, providers: withKeychain() });
    const r = await run(['rotate', own.id, '--overlap', '1h', '--yes'], { env: cli.env, providers: withKeychain() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('a token may not rotate itself');
    expect(await ok(['whoami', '--field', 'name'], { env: cli.env, providers: withKeychain() })).toBe('own-cred\n');
  });
});

describe('credential precedence', () => {
  it('--token-stdin > TOKENS_TOKEN > keychain > file', async () => {
    const a = await newToken('prec-a');
    const b = await newToken('prec-b');
    const c = await newToken('prec-c');
    await ok(['login', '--insecure-storage', '--token-stdin'], { env: cli.env, stdin: server.adminSecret });
    keychain.entries.set('default', c.secret);
    const name = (extra: { env?: Record<string, string | undefined>; stdin?: string; argv?: string[] }) =>
      ok(['whoami', '--field', 'name', ...(extra.argv ?? [])], { env: { ...cli.env, ...extra.env }, stdin: extra.stdin, providers: withKeychain() });
    expect(await name({ argv: ['--token-stdin'], stdin: a.secret, env: { TOKENS_TOKEN: b.secret } })).toBe('prec-a\n');
    expect(await name({ env: { TOKENS_TOKEN: b.secret } })).toBe('prec-b\n');
    expect(await name({})).toBe('prec-c\n');
    keychain.entries.clear();
    expect(await name({})).toBe('bootstrap\n');
    const json = JSON.parse(await ok(['whoami', '--json'], { env: { ...cli.env, TOKENS_TOKEN: b.secret } }));
    expect(json).toMatchObject({ schema_version: 1, name: 'prec-b', credential_source: 'TOKENS_TOKEN', profile: 'default' });
  });

  it('whoami on a terminal says where the credential came from', async () => {
    const out = await ok(['whoami'], { env: { ...cli.env, TOKENS_TOKEN: server.adminSecret }, tty: true });
    expect(out).toMatch(/^Profile          default\nAPI URL          http:\/\/127\.0\.0\.1:\d+ \(from TOKENS_API_URL\)\nCredential from  TOKENS_TOKEN\nToken            tok_\w+\nName             bootstrap\nScopes           management\nStatus           active\nExpires          never\n/);
  });

  it('not logged in → exit 4 with what to do', async () => {
    const r = await run(['whoami'], { env: cli.env, providers: withKeychain() });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('error: not logged in to profile "default"\nhint: run "tokens login", or set TOKENS_TOKEN\n');
  });

  it('a credential without the needed scope → exit 4', async () => {
    const reader = await newToken('prec-reader');
    const r = await run(['create', '--name', 'x', '--scope', 'verify'], { env: { ...cli.env, TOKENS_TOKEN: reader.secret } });
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('logout', () => {
  it('removes the stored credential after confirming; refuses without a terminal or --yes', async () => {
    await ok(['login', '--token-stdin'], { env: cli.env, stdin: server.adminSecret, providers: withKeychain() });
    const refused = await run(['logout'], { env: cli.env, providers: withKeychain() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    const r = await run(['logout', '--yes'], { env: cli.env, providers: withKeychain(), tty: true });
    expect(r).toMatchObject({ code: 0, stdout: '✓ Logged out of profile default (removed from the OS keychain)\n' });
    expect(keychain.entries.size).toBe(0);
    expect(configText()).not.toContain('"credential"');
    expect((await run(['whoami'], { env: cli.env, providers: withKeychain() })).code).toBe(4);
  });
});

describe('profiles', () => {
  const env = () => ({ ...cli.env, TOKENS_API_URL: undefined, TOKENS_TOKEN: server.adminSecret });

  it('add, list, use, remove', async () => {
    expect(await ok(['profile', 'add', 'dev', '--api-url', server.url], { env: env(), tty: true })).toBe(`✓ Added profile dev (${server.url}), now the current profile\n`);
    await ok(['profile', 'add', 'prod', '--api-url', 'https://tokens.example.com', '--output', 'json'], { env: env() });
    expect(await ok(['profile', 'list'], { env: env() })).toBe(`*\tdev\t${server.url}\tauto\t\n\tprod\thttps://tokens.example.com\tjson\t\n`);
    expect(await ok(['profile', 'list', '-q'], { env: env() })).toBe('dev\nprod\n');
    expect(JSON.parse(await ok(['whoami', '--json'], { env: env() })).api_url).toBe(server.url);
    await ok(['profile', 'use', 'prod'], { env: env() });
    expect(JSON.parse(await ok(['profile', 'list', '--json'], { env: env() })).data.find((p: { current: boolean }) => p.current).name).toBe('prod');
    // --profile and TOKENS_PROFILE pick another profile for one command.
    expect(await ok(['--profile', 'dev', 'whoami', '--field', 'profile'], { env: env() })).toBe('dev\n');
    expect(await ok(['whoami', '--field', 'api_url'], { env: { ...env(), TOKENS_PROFILE: 'dev' } })).toBe(`${server.url}\n`);
    const missing = await run(['whoami', '--profile', 'nope'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: no profile named "nope"\nhint: create it with: tokens profile add nope --api-url URL\n');
    expect((await run(['profile', 'remove', 'prod'], { env: env() })).code).toBe(2);
    await ok(['profile', 'remove', 'prod', '--yes'], { env: env() });
    expect(await ok(['profile', 'list', '-q'], { env: env() })).toBe('dev\n');
    expect((await run(['profile', 'use', 'prod'], { env: env() })).code).toBe(5);
  });

  it("a profile's default output applies when --json is not given", async () => {
    await ok(['profile', 'add', 'j', '--api-url', server.url, '--output', 'json', '--use'], { env: env() });
    expect(JSON.parse(await ok(['whoami'], { env: env() })).schema_version).toBe(1);
  });

  it('plain http is refused except loopback, unless --insecure-http', async () => {
    const r = await run(['profile', 'add', 'lan', '--api-url', 'http://10.1.2.3:8787'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: refusing to send credentials over plain http to 10.1.2.3:8787\nhint: use https, or pass --insecure-http if this network is trusted\n');
    const viaEnv = await run(['list'], { env: { ...env(), TOKENS_API_URL: 'http://tokens.internal' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('plain http to tokens.internal');
    await ok(['profile', 'add', 'lan', '--api-url', 'http://10.1.2.3:8787', '--insecure-http'], { env: env() });
    const bad = await run(['profile', 'add', 'x', '--api-url', 'ftp://example.com'], { env: env() });
    expect(bad.code).toBe(2);
    const nameBad = await run(['profile', 'add', '../etc', '--api-url', server.url], { env: env() });
    expect(nameBad.code).toBe(2);
  });
});
