// `tokens check` against real servers: each kind of finding with exit 8, a clean server with exit 0,
// table and JSON, and tokens ending in a rotation overlap left out.
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findIssues } from '../../src/shared/attention.js';
import type { Token } from '../../src/api/client.js';
import { api } from '../helpers/server.js';
import { startClockServer } from '../helpers/clock-server.js';
import { ok, run, useServerAndCli } from './helpers.js';

const shared = useServerAndCli({}, startClockServer);

const DAY = 86_400;
const inDays = (days: number) => new Date(shared.server.now() + days * DAY * 1000).toISOString();

async function createToken(secret: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await api(shared.server, secret, 'POST', '/v1/tokens', body);
  expect(r.status).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

interface Row {
  kind: string;
  id: string;
  name: string;
  profile?: string;
}

describe('tokens check', () => {
  it('a clean server: exit 0 and says so', async () => {
    // An operator that is everything check asks for: management limited to loopback, with an expiry.
    const operator = await createToken(shared.server.adminSecret, { name: 'operator', scopes: ['management'], allowed_cidrs: ['127.0.0.1/32'], expires_at: inDays(60) });
    await api(shared.server, operator.secret, 'POST', `/v1/tokens/${(await api(shared.server, shared.server.adminSecret, 'GET', '/v1/whoami')).body.token.id}/revoke`, { reason: 'replaced by operator' });
    shared.cli.env.TOKENS_TOKEN = operator.secret;
    const r = await run(['check'], { env: shared.cli.env, tty: true, clock: shared.server.now });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '✓ No tokens need attention (1 checked).\n' });
    const json = JSON.parse(await ok(['check', '--json'], { env: shared.cli.env, clock: shared.server.now }));
    expect(json).toEqual({ schema_version: 1, data: [], summary: { tokens_checked: 1, tokens_needing_attention: 0, findings: 0 } });
  });

  it('each kind of finding, exit 8; thresholds are flags', async () => {
    const admin = shared.cli.env.TOKENS_TOKEN!;
    const soon = await createToken(admin, { name: 'chk-soon', scopes: ['tokens:read'], expires_at: inDays(3) });
    await createToken(admin, { name: 'chk-later', scopes: ['tokens:read'], expires_at: inDays(40) });
    const forever = await createToken(admin, { name: 'chk-admin-forever', scopes: ['management'], allowed_cidrs: ['10.0.0.0/8'] });
    const open = await createToken(admin, { name: 'chk-admin-open', scopes: ['management'], expires_at: inDays(40) });
    // A profile logged in with a token that then expires.
    const short = await createToken(admin, { name: 'chk-profile-cred', scopes: ['tokens:read'], allowed_cidrs: ['127.0.0.1'], expires_at: inDays(20) });
    await ok(['login', '--profile', 'ops', '--api-url', shared.server.url, '--insecure-storage', '--token-stdin'], { env: { ...shared.cli.env, TOKENS_TOKEN: undefined }, stdin: short.secret });
    shared.server.advance(21 * DAY);

    const r = await run(['check', '--json'], { env: shared.cli.env, clock: shared.server.now });
    expect(r.code).toBe(8);
    const rows: Row[] = JSON.parse(r.stdout).data;
    const kinds = (id: string) => rows.filter((f) => f.id === id).map((f) => f.kind);
    expect(kinds(soon.id)).toEqual([]); // expired by now: no longer live
    expect(kinds(forever.id)).toEqual(['management_never_expires']);
    expect(kinds(open.id)).toEqual(['management_any_address']);
    expect(rows.find((f) => f.id === short.id)).toMatchObject({ kind: 'expired_in_profile', profile: 'ops', name: 'chk-profile-cred' });
    expect(r.stderr).toMatch(/^warning: \d+ tokens need attention \(\d+ findings\)\n$/);

    // Unused: counted from creation when never used; --unused-for sets the threshold.
    const unused = JSON.parse((await run(['check', '--unused-for', '20d', '--json'], { env: shared.cli.env, clock: shared.server.now })).stdout).data as Row[];
    const named = (found: Row[], kind: string) => found.filter((f) => f.kind === kind && f.name.startsWith('chk-')).map((f) => f.name).sort();
    expect(named(unused, 'unused')).toEqual(['chk-admin-forever', 'chk-admin-open', 'chk-later']);
    // 19 days left: expiring only with a window wider than the default 14 days.
    expect(named(rows, 'expiring')).toEqual([]);
    const wide = JSON.parse((await run(['check', '--expiring-within', '30d', '--json'], { env: shared.cli.env, clock: shared.server.now })).stdout).data as Row[];
    expect(named(wide, 'expiring')).toEqual(['chk-admin-open', 'chk-later']);

    const table = await run(['check'], { env: shared.cli.env, tty: true, columns: 200, clock: shared.server.now });
    expect(table.code).toBe(8);
    expect(table.stdout.split('\n')[0]).toMatch(/^PROBLEM +ID +NAME +STATUS +DETAIL$/);
    expect(table.stdout).toMatch(/management, no expiry +tok_\w+ +chk-admin-forever +active +holds scope management and never expires/);
    expect(table.stdout).toMatch(/expired, in a profile +tok_\w+ +chk-profile-cred +expired +expired at .*, still the credential of profile "ops"/);
  });

  it('a token ending in a rotation overlap is left out; its successor is checked', () => {
    const base = { description: '', audiences: [], allowed_cidrs: [], rate_limit: null, max_uses: null, refill: null, uses_remaining: null, metadata: {}, owner: null, start: 'tkn_x', created_by: null, last_used_at: null, last_used_ip: null, use_count: 0, revoked_at: null, revoked_by: null, revoke_reason: null, version: 1 };
    const now = Date.parse('2030-01-01T00:00:00Z');
    const old: Token = { ...base, id: 'tok_old', name: 'svc', scopes: ['verify'], status: 'active', created_at: '2029-12-31T00:00:00Z', expires_at: '2030-01-01T12:00:00Z', rotated_from: null, rotated_to: 'tok_new', rotation_pending: false };
    const successor: Token = { ...old, id: 'tok_new', expires_at: '2030-01-03T00:00:00Z', rotated_from: 'tok_old', rotated_to: null };
    const limits = { expiringWithinSeconds: 14 * DAY, unusedForSeconds: 90 * DAY };
    expect(findIssues([old, successor], [], now, limits).map((f) => `${f.id}:${f.kind}`)).toEqual(['tok_new:expiring']);
    // While the rotation is still pending the old token has not handed over yet.
    expect(findIssues([{ ...old, rotation_pending: true }, successor], [], now, limits).map((f) => f.id)).toEqual(['tok_old', 'tok_new']);
  });
});

describe('wiring', () => {
  it('check is in --help and in the shell completions', async () => {
    const bin = join(import.meta.dirname, '../../bin/tokens.js');
    const help = await execa(process.execPath, [bin, '--help'], { reject: false });
    expect(help.stdout).toMatch(/^ {2}check +Report tokens that need attention; exit 8 when there are any$/m);
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = (await execa(process.execPath, [bin, 'completion', shell], { reject: false })).stdout;
      expect(script).toContain('check');
      expect(script).toContain('--expiring-within');
    }
  });
});
