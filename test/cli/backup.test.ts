// Backup and restore between real servers: `tokens export --include-hashes` on one, `tokens import`
// on a fresh one with the same pepper (its pepper file, or TOKENS_PEPPER): the old secrets work there,
// revoked and suspended ones do not, links, owners, the catalog and the policies come along; dry runs
// and second imports change nothing; a newer version is never overwritten; a hand-edited file, another
// pepper or a file without digests are each handled as the README says.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { cliEnv, ok, run, type CliEnv } from './helpers.js';

const started: { server: TestServer; cli: CliEnv }[] = [];
async function server(overrides: Parameters<typeof startTestServer>[0] = {}, env: NodeJS.ProcessEnv = {}) {
  const s = await startTestServer(overrides, env);
  const entry = { server: s, cli: cliEnv(s) };
  started.push(entry);
  return entry;
}
afterAll(async () => {
  for (const { server: s, cli } of started) {
    cli.cleanup();
    await s.destroy();
  }
});

const call = (s: TestServer, secret: string | null, method: string, path: string, body?: unknown) => api(s, secret, method, path, body);
/** Whether `secret` gets into the API of `s` (401 when it does not). */
const works = async (s: TestServer, secret: string) => (await call(s, secret, 'GET', '/v1/whoami')).status === 200;

let source: { server: TestServer; cli: CliEnv };
let backupFile: string;
let backup: any;
const secrets: Record<string, { id: string; secret: string }> = {};

async function create(name: string, body: Record<string, unknown> = {}, as = source.server.adminSecret) {
  const r = await call(source.server, as, 'POST', '/v1/tokens', { name, scopes: ['tokens:read'], ...body });
  expect(r.status, r.text).toBe(201);
  secrets[name] = { id: r.body.token.id, secret: r.body.secret };
  return secrets[name]!;
}

let webhookId: string;

beforeAll(async () => {
  source = await server({ allowPrivateWebhooks: true });
  const admin = source.server.adminSecret;
  const hook = await call(source.server, admin, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/tokens-events', events: ['token.revoked'], description: 'alerts' });
  expect(hook.status, hook.text).toBe(201);
  webhookId = hook.body.webhook.id;
  await call(source.server, admin, 'POST', '/v1/scopes', { name: 'reports', description: 'read reports' });
  await call(source.server, admin, 'PUT', '/v1/policies/reports', { require_owner: true });
  const ops = await create('ops-admin', { scopes: ['management'], owner: 'ops@example.com' });
  await create('reports-reader', { scopes: ['reports'], owner: 'alice@example.com' }, ops.secret);
  await create('gateway', { scopes: ['verify'], allowed_cidrs: ['127.0.0.1/32'], rate_limit: { requests: 50, per_seconds: 1 } });
  const gone = await create('gone');
  await call(source.server, admin, 'POST', `/v1/tokens/${gone.id}/revoke`, { reason: 'left' });
  const paused = await create('paused');
  await call(source.server, admin, 'POST', `/v1/tokens/${paused.id}/suspend`, {});
  // A rotation in its overlap: the old secret and the new one both work.
  const deploy = await create('deploy');
  const rotated = await call(source.server, admin, 'POST', `/v1/tokens/${deploy.id}/rotate`, { overlap_seconds: 3600 });
  secrets['deploy-new'] = { id: rotated.body.token.id, secret: rotated.body.secret };
  expect(await works(source.server, secrets['paused']!.secret)).toBe(false);

  backupFile = join(source.cli.configDir, 'backup.json');
  const r = await run(['export', '--include-hashes', '--output', backupFile], { env: source.cli.env });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('warning: the export holds the secret digests');
  backup = JSON.parse(readFileSync(backupFile, 'utf8'));
});

describe('export --include-hashes', () => {
  it('writes schema_version 2 with digests, their pepper, policies and the catalog, 0600, audited as such', async () => {
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(backup).toMatchObject({ schema_version: 2, include_hashes: true, server: { secret_prefix: 'tkn' }, peppers: [{ version: 1, check: expect.stringMatching(/^[0-9a-f]{16}$/) }] });
    expect(backup.tokens).toHaveLength(8);
    for (const t of backup.tokens) expect(t.restore).toEqual(expect.objectContaining({ secret_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), pepper_version: 1 }));
    expect(backup.scopes.filter((s: { builtin: boolean }) => !s.builtin).map((s: { name: string }) => s.name)).toEqual(['reports']);
    expect(backup.policies).toEqual([expect.objectContaining({ scope: 'reports', require_owner: true })]);
    expect(backup.webhooks).toEqual([
      { id: webhookId, url: 'http://127.0.0.1:9/tokens-events', format: 'standard', events: ['token.revoked'], description: 'alerts', created_at: expect.any(String), created_by: expect.any(String) },
    ]);
    const text = readFileSync(backupFile, 'utf8');
    expect(text).not.toMatch(/whsec_|secret_sealed/);
    for (const { secret } of Object.values(secrets)) expect(text).not.toContain(secret);
    const events = (await call(source.server, source.server.adminSecret, 'GET', '/v1/audit?target=export')).body.data;
    expect(events.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([['tokens.exported_with_hashes', { tokens: 8, include_hashes: true }]]);
    // Without the flag: no digests.
    const plain = JSON.parse(await ok(['export'], { env: source.cli.env }));
    expect(plain.include_hashes).toBe(false);
    expect(JSON.stringify(plain)).not.toContain('secret_hash');
  });
});

describe('import into a fresh server with the same pepper', () => {
  it('dry run, then the restore: old secrets work, revoked and suspended ones do not; a second import changes nothing', async () => {
    // --pepper-file: the source's pepper file.
    const target = await server({ pepperFile: `${source.server.dbPath}.pepper` });
    const ids = async () => (await call(target.server, target.server.adminSecret, 'GET', '/v1/tokens')).body.data.map((t: { id: string; version: number }) => `${t.id}@${t.version}`);
    const before = await ids();

    const dry = await run(['import', backupFile, '--dry-run', '--json'], { env: target.cli.env });
    const dryReport = JSON.parse(dry.stdout);
    expect(dryReport).toMatchObject({ dry_run: true, summary: { created: 10, updated: 0, skipped: 0, refused: 1 } });
    expect(dry.stderr).toContain('10 created, 0 updated, 0 skipped, 1 refused (dry run: nothing changed)');
    expect(dry.stdout).not.toContain('whsec_');
    expect(await ids()).toEqual(before);
    expect(await works(target.server, secrets['ops-admin']!.secret)).toBe(false);
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/audit?target=import')).body.data).toEqual([]);

    // The fresh server's own bootstrap token holds the name "bootstrap": the source's is refused, the rest restored.
    const first = await run(['import', backupFile, '--json'], { env: target.cli.env });
    expect(first.code).toBe(3);
    const report = JSON.parse(first.stdout);
    expect(report.summary).toEqual({ created: 10, updated: 0, skipped: 0, refused: 1 });
    const refused = report.data.filter((r: { result: string }) => r.result === 'refused');
    expect(refused).toEqual([
      expect.objectContaining({ kind: 'token', name: 'bootstrap', detail: expect.stringMatching(/^a live token named "bootstrap" already exists here \(tok_\w+\): rename or revoke it, then import again$/) }),
    ]);
    expect(report.data.filter((r: { kind: string }) => r.kind !== 'token').map((r: { kind: string; id: string; result: string }) => `${r.kind} ${r.id} ${r.result}`)).toEqual([
      'scope reports created',
      'policy reports created',
      `webhook ${webhookId} created`,
    ]);
    // The webhook comes back with a new signing secret, in the report once.
    const hookRow = report.data.find((r: { kind: string }) => r.kind === 'webhook');
    expect(hookRow.secret).toMatch(/^whsec_/);
    expect(first.stderr).toContain('warning: restored webhooks have new signing secrets, in the last column');
    expect((await call(target.server, target.server.adminSecret, 'GET', `/v1/webhooks/${webhookId}`)).body).toMatchObject({ url: 'http://127.0.0.1:9/tokens-events', events: ['token.revoked'] });

    for (const name of ['ops-admin', 'reports-reader', 'deploy', 'deploy-new']) expect(await works(target.server, secrets[name]!.secret), name).toBe(true);
    for (const name of ['gone', 'paused']) expect(await works(target.server, secrets[name]!.secret), name).toBe(false);
    // The gateway's secret on the verify path, with its CIDR and scope.
    const gatewaySelf = await call(target.server, secrets['gateway']!.secret, 'POST', '/v1/introspect', { token: secrets['reports-reader']!.secret, scope: 'reports' });
    expect(gatewaySelf.body).toMatchObject({ active: true, client_id: secrets['reports-reader']!.id });
    const revokedThere = await call(target.server, secrets['gateway']!.secret, 'POST', '/v1/introspect', { token: secrets['gone']!.secret });
    expect(revokedThere.body).toEqual({ active: false });

    // Everything about the tokens came along: ids, owners, links, reasons, limits.
    const shown = async (name: string) => (await call(target.server, target.server.adminSecret, 'GET', `/v1/tokens/${secrets[name]!.id}`)).body;
    expect(await shown('reports-reader')).toMatchObject({ owner: 'alice@example.com', created_by: secrets['ops-admin']!.id, scopes: ['reports'] });
    expect(await shown('gone')).toMatchObject({ status: 'revoked', revoke_reason: 'left' });
    expect(await shown('paused')).toMatchObject({ status: 'suspended' });
    expect(await shown('deploy')).toMatchObject({ rotated_to: secrets['deploy-new']!.id });
    expect(await shown('deploy-new')).toMatchObject({ rotated_from: secrets['deploy']!.id });
    expect(await shown('gateway')).toMatchObject({ allowed_cidrs: ['127.0.0.1/32'], rate_limit: { requests: 50, per_seconds: 1 } });
    const sourceVersions = Object.fromEntries(backup.tokens.map((t: { id: string; version: number }) => [t.id, t.version]));
    expect((await shown('paused')).version).toBe(sourceVersions[secrets['paused']!.id]);
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/policies')).body.data).toEqual([expect.objectContaining({ scope: 'reports', require_owner: true })]);
    // The restore is audited per token, and once as a whole.
    const imported = (await call(target.server, target.server.adminSecret, 'GET', `/v1/audit?target=${secrets['gone']!.id}`)).body.data;
    expect(imported.map((e: { action: string }) => e.action)).toEqual(['token.imported']);
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/audit?target=import')).body.data[0].details).toMatchObject({ created: 10, refused: 1, include_hashes: true });

    // Rename the new server's own bootstrap token, import again: only the refused one is new.
    await ok(['update', 'bootstrap', '--name', 'restore-admin'], { env: target.cli.env });
    const second = JSON.parse(await ok(['import', backupFile, '--json'], { env: target.cli.env }));
    expect(second.summary).toEqual({ created: 1, updated: 0, skipped: 10, refused: 0 });
    expect(JSON.stringify(second)).not.toContain('whsec_');
    expect(await works(target.server, source.server.adminSecret)).toBe(true);

    // And once more: nothing changes at all.
    // Usage counters of the caller move with every call; the tokens themselves must not.
    const state = async () => JSON.stringify((await call(target.server, target.server.adminSecret, 'GET', '/v1/export')).body.tokens.map(({ last_used_at, last_used_ip, use_count, ...t }: Record<string, unknown>) => t));
    const unchanged = await state();
    const third = await run(['import', backupFile], { env: target.cli.env, tty: true, columns: 200 });
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('0 created, 0 updated, 11 skipped, 0 refused');
    expect(third.stdout).toMatch(/token +tok_\w+ +gateway +skipped +already present \(same version\)/);
    expect(await state()).toBe(unchanged);
  });

  it('never overwrites a newer version, and brings an older one up to date', async () => {
    const pepper = readFileSync(`${source.server.dbPath}.pepper`, 'utf8').trim();
    const other = await server({}, { TOKENS_PEPPER: pepper });
    const env = other.cli.env;
    await run(['import', backupFile], { env });
    // Newer here: kept.
    await ok(['update', 'reports-reader', '--description', 'changed after the restore'], { env });
    // Newer in the source: an export taken later updates the older copy here.
    await call(source.server, source.server.adminSecret, 'PATCH', `/v1/tokens/${secrets['gateway']!.id}`, { description: 'changed at the source' });
    const later = join(source.cli.configDir, 'later.json');
    await ok(['export', '--include-hashes', '-o', later], { env: source.cli.env });
    const report = JSON.parse((await run(['import', later, '--json'], { env })).stdout);
    const result = (name: string) => report.data.find((r: { name: string }) => r.name === name);
    expect(result('reports-reader')).toMatchObject({ result: 'skipped', detail: 'this server has a newer version (2 > 1)' });
    expect(result('gateway')).toMatchObject({ result: 'updated', detail: 'from version 1; its secret works again' });
    const shown = async (name: string) => (await call(other.server, other.server.adminSecret, 'GET', `/v1/tokens/${secrets[name]!.id}`)).body;
    expect((await shown('reports-reader')).description).toBe('changed after the restore');
    expect((await shown('gateway')).description).toBe('changed at the source');
    expect(await works(other.server, secrets['gateway']!.secret)).toBe(true);
  });
});

describe('files that cannot be imported', () => {
  it('a hand-edited file with a bad field is refused whole, naming the field; nothing is half-imported', async () => {
    const target = await server({ pepperFile: `${source.server.dbPath}.pepper` });
    const edited = structuredClone(backup);
    edited.tokens[3].allowed_cidrs = ['10.0.0.300/8'];
    const file = join(target.cli.configDir, 'edited.json');
    writeFileSync(file, JSON.stringify(edited));
    const r = await run(['import', file], { env: target.cli.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: the file is not a valid export (nothing was imported): tokens[3] (${edited.tokens[3].name}): allowed_cidrs[0] "10.0.0.300/8" is not an IPv4/IPv6 address or CIDR block\n`,
    );
    const schemaBreak = structuredClone(backup);
    schemaBreak.tokens[5].status = 'paused';
    writeFileSync(file, JSON.stringify(schemaBreak));
    const r2 = await run(['import', file], { env: target.cli.env });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe('error: body.tokens.5.status must be one of: active, suspended, revoked, expired\n');
    const extra = structuredClone(backup);
    extra.tokens[0].secret = 'tkn_x';
    writeFileSync(file, JSON.stringify(extra));
    expect((await run(['import', file], { env: target.cli.env })).stderr).toBe('error: body: unknown field "tokens/0/secret"\n');
    writeFileSync(file, '{"schema_version": 2, "tokens": [');
    expect(await run(['import', file], { env: target.cli.env })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: .*edited\.json is not JSON: /) });
    expect(await run(['import', join(target.cli.configDir, 'missing.json')], { env: target.cli.env })).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });

    // Nothing of any of them arrived.
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/tokens')).body.data.map((t: { name: string }) => t.name)).toEqual(['bootstrap']);
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/scopes')).body.data.filter((s: { builtin: boolean }) => !s.builtin)).toEqual([]);
    expect((await call(target.server, target.server.adminSecret, 'GET', '/v1/policies')).body.data).toEqual([]);
  });

  it('another pepper, or none with that version: refused, naming the version', async () => {
    const otherPepper = await server();
    const r = await run(['import', backupFile], { env: otherPepper.cli.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: the file's secret digests were made with pepper version 1 that differs from this server's: start this server with the pepper of the one the file came from (TOKENS_PEPPER or --pepper-file); nothing was imported\n",
    );
    const version2 = await server({}, { TOKENS_PEPPER: `2:${randomBytes(32).toString('base64')}` });
    const viaApi = await call(version2.server, version2.server.adminSecret, 'POST', '/v1/import', backup);
    expect([viaApi.status, viaApi.body.code]).toEqual([422, 'unknown_pepper_version']);
    expect(viaApi.body.detail).toContain('pepper version 1, which this server does not have (it has 2)');
    expect((await call(version2.server, version2.server.adminSecret, 'GET', '/v1/tokens')).body.data).toHaveLength(1);
  });

  it('without the digests: metadata and the catalog only, and it says the secrets must be reissued', async () => {
    const plainFile = join(source.cli.configDir, 'plain.json');
    await ok(['export', '-o', plainFile], { env: source.cli.env });
    const target = await server();
    await ok(['update', 'bootstrap', '--name', 'restore-admin'], { env: target.cli.env });
    const r = await run(['import', plainFile, '--json'], { env: target.cli.env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ created: 11, refused: 0 });
    expect(report.notice).toMatch(/^the file holds no secret digests: 7 restored tokens have no working secret; reissue each with "tokens rotate <token>"/);
    expect(r.stderr).toContain('warning: the file holds no secret digests');
    expect(await works(target.server, secrets['ops-admin']!.secret)).toBe(false);
    // Reissued: the successor's secret works.
    const rotated = JSON.parse(await ok(['rotate', 'reports-reader', '--yes', '--json'], { env: target.cli.env }));
    expect(rotated.owner).toBe('alice@example.com');
    expect(await works(target.server, rotated.secret)).toBe(true);
  });

  it('a real backup larger than the 256 KiB body limit of other requests is accepted', async () => {
    const target = await server({ pepperFile: `${source.server.dbPath}.pepper` });
    const big = structuredClone(backup);
    const template = backup.tokens.find((t: { name: string }) => t.name === 'paused');
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
    const id = (i: number) => `tok_${'0'.repeat(22)}${[3, 2, 1, 0].map((p) => alphabet[Math.floor(i / 32 ** p) % 32]).join('')}`;
    big.tokens = Array.from({ length: 600 }, (_, i) => ({
      ...template,
      id: id(i),
      name: `bulk-${i}`,
      description: 'x'.repeat(200),
      restore: { ...template.restore, secret_hash: randomBytes(32).toString('base64') },
    }));
    const body = JSON.stringify(big);
    expect(body.length).toBeGreaterThan(256 * 1024);
    const r = await call(target.server, target.server.adminSecret, 'POST', '/v1/import', body);
    expect(r.status, r.text).toBe(200);
    expect(r.body.summary).toMatchObject({ created: 603, refused: 0 });
    const elsewhere = await call(target.server, target.server.adminSecret, 'POST', '/v1/scopes', { name: 'x', description: 'y'.repeat(300 * 1024) });
    expect(elsewhere.status).toBe(413);
  });
});
