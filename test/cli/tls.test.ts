// The CLI against `tokens server` over TLS with a private CA: trusted from a profile, --ca-file or
// TOKENS_CA_FILE, and every certificate failure one line naming the host, what failed and the fix.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { TestCa } from '../helpers/tls.js';
import { cliEnv, ok, run, type CliEnv } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');

let dir: string;
let ca: TestCa;
let otherCa: TestCa;
let server: TestServer;
let expired: TestServer;
let misnamed: TestServer;
let plain: TestServer;
let cli: CliEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokens-cli-tls-'));
  ca = TestCa.create(join(dir, 'ca'), 'private CA');
  otherCa = TestCa.create(join(dir, 'other-ca'), 'other CA');
  const serve = (pair: { cert: string; key: string }) => startTestServer({ tlsCert: pair.cert, tlsKey: pair.key }, {}, { trustCa: ca.cert });
  server = await serve(ca.issue('tokens server'));
  expired = await serve(ca.issue('expired server', { days: -1 }));
  misnamed = await serve(ca.issue('misnamed server', { dns: ['tokens.internal'], ips: ['127.0.0.2'] }));
  plain = await startTestServer();
  // No TOKENS_API_URL: the profiles say where to go.
  cli = cliEnv(null, { TOKENS_TOKEN: server.adminSecret, TOKENS_HTTP_RETRIES: '0' });
});

afterAll(async () => {
  cli?.cleanup();
  for (const s of [server, expired, misnamed, plain]) await s?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lines = (text: string) => text.trim().split('\n');

describe('a private CA', () => {
  it('is trusted from the profile: tokens profile add prod --api-url https://… --ca-file ca.pem', async () => {
    const added = await ok(['profile', 'add', 'prod', '--api-url', server.url, '--ca-file', ca.cert, '--json'], { env: cli.env });
    expect(JSON.parse(added)).toMatchObject({ name: 'prod', api_url: server.url, ca_file: ca.cert });
    const who = JSON.parse(await ok(['whoami', '--profile', 'prod', '--json'], { env: cli.env }));
    expect(who).toMatchObject({ name: 'bootstrap', api_url: server.url, ca_file: ca.cert });
    // The table says which CA the profile trusts.
    expect(await ok(['whoami', '--profile', 'prod'], { env: cli.env })).toContain(`ca_file\t${ca.cert} (from profile "prod")`);
    const created = JSON.parse(await ok(['create', '--profile', 'prod', '--name', 'over-tls', '--scope', 'tokens:read', '--json'], { env: cli.env }));
    expect(created.secret).toMatch(/^tkn_/);
    expect(JSON.parse(await ok(['show', 'over-tls', '--profile', 'prod', '--json'], { env: cli.env }))).toMatchObject({ name: 'over-tls', status: 'active' });
  });

  it('is trusted from --ca-file and TOKENS_CA_FILE, which win over the profile', async () => {
    await ok(['profile', 'add', 'wrong-ca', '--api-url', server.url, '--ca-file', otherCa.cert], { env: cli.env });
    expect(JSON.parse(await ok(['whoami', '--profile', 'wrong-ca', '--ca-file', ca.cert, '--json'], { env: cli.env }))).toMatchObject({ ca_file: ca.cert });
    expect(JSON.parse(await ok(['whoami', '--profile', 'wrong-ca', '--json'], { env: { ...cli.env, TOKENS_CA_FILE: ca.cert } }))).toMatchObject({ ca_file: ca.cert });
    const viaUrl = await run(['whoami', '--json'], { env: { ...cli.env, TOKENS_API_URL: server.url, TOKENS_CA_FILE: ca.cert } });
    expect(viaUrl.code, viaUrl.stderr).toBe(0);
  });

  it('from the wrong CA fails with one line naming the host, the CA and the fix, exit 7', async () => {
    const r = await run(['whoami', '--profile', 'wrong-ca'], { env: cli.env });
    expect(r.code).toBe(7);
    const host = new URL(server.url).host;
    expect(lines(r.stderr)).toEqual([
      `error: cannot trust the TLS certificate of ${host}: it is not issued by the CA in ${otherCa.cert} (from profile "wrong-ca") (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      'hint: check that the CA file is the one that issued the server certificate',
    ]);
  });

  it('missing altogether: the system CAs do not know it, and the hint names --ca-file', async () => {
    // A profile without a CA (the current one, prod, would lend its own).
    const r = await run(['whoami'], { env: { ...cli.env, TOKENS_API_URL: server.url, TOKENS_PROFILE: 'no-ca' } });
    expect(r.code).toBe(7);
    expect(lines(r.stderr)[0]).toMatch(/^error: cannot trust the TLS certificate of 127\.0\.0\.1:\d+: it is issued by a CA this machine does not trust \(unknown issuer\) \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
    expect(lines(r.stderr)[1]).toBe('hint: if the server uses a private CA, trust its certificate: --ca-file FILE, TOKENS_CA_FILE, or tokens profile add PROFILE --ca-file FILE');
  });

  it('that cannot be read is a usage error naming the file and where the setting came from', async () => {
    const missing = await run(['whoami', '--ca-file', join(dir, 'nope.pem')], { env: { ...cli.env, TOKENS_API_URL: server.url } });
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([`error: cannot read the CA file ${join(dir, 'nope.pem')} (from --ca-file): no such file`]);
    const notPem = join(dir, 'not-a-cert.pem');
    writeFileSync(notPem, readFileSync(join(dir, 'ca', 'private-CA.key')));
    const key = await run(['whoami'], { env: { ...cli.env, TOKENS_API_URL: server.url, TOKENS_CA_FILE: notPem } });
    expect(key.code).toBe(2);
    expect(lines(key.stderr)[0]).toBe(`error: ${notPem} (from TOKENS_CA_FILE) holds no PEM certificate`);
    expect(key.stderr).not.toContain('PRIVATE KEY');
    const add = await run(['profile', 'add', 'broken', '--api-url', server.url, '--ca-file', join(dir, 'nope.pem')], { env: cli.env });
    expect(add.code).toBe(2);
    expect(JSON.parse(await ok(['profile', 'list', '--json'], { env: cli.env })).data.map((p: { name: string }) => p.name)).not.toContain('broken');
  });

  it('tokens login --api-url https://… --ca-file keeps the CA with the profile it creates', async () => {
    const env = { ...cli.env, TOKENS_TOKEN: undefined };
    const login = await run(['login', '--profile', 'fresh', '--api-url', server.url, '--ca-file', ca.cert, '--token-stdin', '--insecure-storage'], { env, stdin: `${server.adminSecret}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(await ok(['profile', 'list', '--json'], { env: cli.env })).data.find((p: { name: string }) => p.name === 'fresh')).toMatchObject({ api_url: server.url, ca_file: ca.cert });
    expect(JSON.parse(await ok(['whoami', '--profile', 'fresh', '--json'], { env }))).toMatchObject({ name: 'bootstrap', credential_source: expect.any(String) });
  });

  it('is used by completion too: tokens __complete asks the profile\'s server over TLS with its CA', async () => {
    await ok(['create', '--name', 'tls-completed', '--scope', 'tokens:read'], { env: { ...cli.env, TOKENS_API_URL: server.url, TOKENS_CA_FILE: ca.cert } });
    await ok(['profile', 'add', 'complete-prod', '--api-url', server.url, '--ca-file', ca.cert], { env: cli.env });
    await ok(['profile', 'add', 'complete-wrong', '--api-url', server.url, '--ca-file', otherCa.cert], { env: cli.env });
    // As the completion scripts call it: the global flags of the command line first, then the source and the prefix.
    const complete = (flags: string[]) => run([...flags, '__complete', 'live-tokens', 'tls-comp'], { env: cli.env });
    expect(await complete(['--profile', 'complete-prod'])).toEqual({ code: 0, stdout: 'tls-completed\n', stderr: '' });
    expect(await complete(['--profile', 'complete-wrong', '--ca-file', ca.cert])).toEqual({ code: 0, stdout: 'tls-completed\n', stderr: '' });
    // A CA that did not issue the certificate: nothing offered, and quietly (a completion never prints errors).
    expect(await complete(['--profile', 'complete-wrong'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--ca-file "" removes the CA from a profile', async () => {
    await ok(['profile', 'add', 'dropped', '--api-url', server.url, '--ca-file', ca.cert], { env: cli.env });
    const updated = JSON.parse(await ok(['profile', 'add', 'dropped', '--ca-file', '', '--json'], { env: cli.env }));
    expect(updated).toMatchObject({ name: 'dropped', ca_file: null });
  });
});

describe('certificate failures', () => {
  it('an expired server certificate', async () => {
    const r = await run(['whoami'], { env: { ...cli.env, TOKENS_API_URL: expired.url, TOKENS_CA_FILE: ca.cert } });
    expect(r.code).toBe(7);
    // The server itself warned when it started with it.
    expect(expired.logText()).toContain('"msg":"the TLS certificate has expired"');
    expect(lines(r.stderr)).toEqual([
      `error: cannot trust the TLS certificate of ${new URL(expired.url).host}: it has expired (CERT_HAS_EXPIRED)`,
      "hint: the server's certificate must be renewed (tokens server re-reads it when the file changes); check this machine's clock too",
    ]);
  });

  it('a certificate for another name', async () => {
    const r = await run(['whoami'], { env: { ...cli.env, TOKENS_API_URL: misnamed.url, TOKENS_CA_FILE: ca.cert } });
    expect(r.code).toBe(7);
    expect(lines(r.stderr)).toEqual([
      `error: cannot trust the TLS certificate of ${new URL(misnamed.url).host}: it is not issued for the name 127.0.0.1 (it names DNS:tokens.internal, IP Address:127.0.0.2) (ERR_TLS_CERT_ALTNAME_INVALID)`,
      'hint: use a name the certificate is issued for in the API URL (tokens profile add PROFILE --api-url https://NAME:PORT, or TOKENS_API_URL)',
    ]);
  });

  it('https to a server speaking plain http', async () => {
    const r = await run(['whoami'], { env: { ...cli.env, TOKENS_API_URL: plain.url.replace('http:', 'https:') } });
    expect(r.code).toBe(7);
    expect(lines(r.stderr)[0]).toBe(`error: the server at ${new URL(plain.url).host} does not speak TLS (ERR_SSL_WRONG_VERSION_NUMBER)`);
  });
});

describe('the built binary', () => {
  it('reports the wrong CA in one line with exit 7, never a stack, and --debug shows the CA but no key material', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...cli.env, NO_COLOR: '1' };
    const wrong = await execa(process.execPath, [BIN, 'whoami', '--profile', 'wrong-ca', '--debug'], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(wrong.exitCode).toBe(7);
    expect(wrong.stderr).toContain('error: cannot trust the TLS certificate of');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);

    const right = await execa(process.execPath, [BIN, 'whoami', '--profile', 'prod', '--debug'], { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(right.exitCode, right.stderr).toBe(0);
    expect(right.stderr).toContain(`debug: TLS: trusting the CA in ${ca.cert} (from profile "prod"): O=tokens tests, CN=private CA`);
    const pemLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    for (const output of [wrong.stderr, right.stderr, right.stdout]) {
      expect(output).not.toContain('-----BEGIN');
      for (const line of [...pemLines(ca.cert), ...pemLines(join(dir, 'ca', 'private-CA.key'))]) expect(output).not.toContain(line);
      expect(output).not.toContain(server.adminSecret);
    }
  });
});
