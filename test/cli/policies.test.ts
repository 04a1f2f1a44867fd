// Policies against a real server: `tokens policy set|list|remove` and /v1/policies, the refusals of
// create, update, scope changes and rotation (422 policy_violation naming the rule and the scope, exit
// 2 with the fix), rotation shortening a lifetime to max-ttl, `tokens check` listing older tokens that
// break a rule, and the audit of policy changes.
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { ok, run, useServerAndCli } from './helpers.js';

const shared = useServerAndCli();
const env = () => shared.cli.env;
const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);
const DAY = 86_400;

async function createToken(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const r = await admin('POST', '/v1/tokens', { scopes: ['tokens:read'], ...body });
  expect(r.status).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();

interface Finding {
  kind: string;
  name: string;
  scope?: string;
  rule?: string;
}

describe('a policy for management: max-ttl 90d, require-cidr', () => {
  it('refuses what breaks it, allows what keeps it, and check lists the older tokens breaking it', async () => {
    // Made before the policy: they keep working, and check reports them.
    const forever = await createToken({ name: 'pol-old-forever', scopes: ['management'] });
    const long = await createToken({ name: 'pol-old-long', scopes: ['management'], allowed_cidrs: ['10.0.0.0/8'], expires_at: inDays(365) });

    const set = await run(['policy', 'set', 'management', '--max-ttl', '90d', '--require-cidr'], { env: env() });
    expect(set).toMatchObject({ code: 0, stdout: '' });
    expect(set.stderr).toBe('Tokens that already break it keep working; "tokens check" lists them.\n✓ Policy for management: --max-ttl 90d --require-cidr\n');

    const refused = await run(['create', '--name', 'pol-new', '--scope', 'management'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'error: refused by the policy for scope management, rule max_ttl: tokens must expire at most 90d after they are created; this one never expires; ' +
        'and by the policy for scope management, rule require_cidr: tokens must be limited to addresses (allowed_cidrs); this one may be used from any address\n' +
        'hint: give --expires 90d or sooner; --cidr <address or block> (on create, or with "tokens update" on an existing token); the rules: tokens policy list\n',
    );
    const noCidr = await run(['create', '--name', 'pol-new', '--scope', 'management', '--expires', '90d'], { env: env() });
    expect(noCidr.code).toBe(2);
    expect(noCidr.stderr).toMatch(/^error: refused by the policy for scope management, rule require_cidr: /);
    const tooLong = await run(['create', '--name', 'pol-new', '--scope', 'management', '--expires', '91d', '--cidr', '10.0.0.0/8'], { env: env() });
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('rule max_ttl: tokens must expire at most 90d after they are created; this one lives 91d');

    // The API says the same, machine-readably.
    const viaApi = await admin('POST', '/v1/tokens', { name: 'pol-new', scopes: ['management', 'audit:read'] });
    expect(viaApi.status).toBe(422);
    expect(viaApi.headers.get('content-type')).toContain('application/problem+json');
    expect(viaApi.body).toMatchObject({ code: 'policy_violation', type: 'urn:tokens:problem:policy_violation', status: 422 });
    expect(viaApi.body.violations).toEqual([
      { scope: 'management', rule: 'max_ttl', message: 'tokens must expire at most 90d after they are created; this one never expires', limit: 90 * DAY },
      { scope: 'management', rule: 'require_cidr', message: 'tokens must be limited to addresses (allowed_cidrs); this one may be used from any address' },
    ]);
    expect((await admin('GET', '/v1/tokens?name=pol-new')).body.data).toEqual([]);

    const compliant = JSON.parse(await ok(['create', '--name', 'pol-new', '--scope', 'management', '--expires', '90d', '--cidr', '10.0.0.0/8', '--json'], { env: env() }));
    expect(compliant.status).toBe('active');
    // Other scopes are not covered.
    await ok(['create', '--name', 'pol-reader', '--scope', 'tokens:read'], { env: env() });

    const check = await run(['check', '--json'], { env: env() });
    expect(check.code).toBe(8);
    const findings = (JSON.parse(check.stdout).data as Finding[]).filter((f) => f.kind === 'policy' && f.name.startsWith('pol-'));
    expect(findings.map((f) => `${f.name} ${f.scope} ${f.rule}`)).toEqual(['pol-old-forever management max_ttl', 'pol-old-forever management require_cidr', 'pol-old-long management max_ttl']);
    const table = await run(['check'], { env: env(), tty: true, columns: 250 });
    expect(table.stdout).toMatch(/breaks a policy +tok_\w+ +pol-old-long +active +breaks the policy for scope management \(max_ttl\): tokens must expire at most 90d after they are created; this one lives 365d/);

    // Older tokens keep working, and their unrelated fields can still change.
    expect((await api(shared.server, forever.secret, 'GET', '/v1/whoami')).status).toBe(200);
    await ok(['update', 'pol-old-forever', '--description', 'still here'], { env: env() });

    // Updates are checked on what they touch.
    const widen = await run(['update', 'pol-new', '--clear-cidrs'], { env: env() });
    expect(widen.code).toBe(2);
    expect(widen.stderr).toContain('rule require_cidr');
    const extend = await run(['update', 'pol-new', '--expires', '200d'], { env: env() });
    expect(extend.code).toBe(2);
    expect(extend.stderr).toContain('rule max_ttl: tokens must expire at most 90d after they are created; this one lives 200d');
    await ok(['update', 'pol-new', '--expires', '30d'], { env: env() });

    // Scope changes: gaining management brings its policy.
    const grant = await run(['scopes', 'add', 'pol-reader', 'management'], { env: env() });
    expect(grant.code).toBe(2);
    expect(grant.stderr).toContain('refused by the policy for scope management, rule max_ttl');
    expect((await admin('GET', '/v1/tokens?name=pol-reader')).body.data[0].scopes).toEqual(['tokens:read']);

    // Rotation keeps the lifetime, shortened to max-ttl; what it cannot fix itself is refused.
    const rotated = JSON.parse(await ok(['rotate', 'pol-old-long', '--yes', '--json'], { env: env() }));
    const lifetime = (Date.parse(rotated.expires_at) - Date.parse(rotated.created_at)) / 1000;
    expect(lifetime).toBe(90 * DAY);
    const rotatedEvent = (await admin('GET', `/v1/audit?target=${long.id}&action=token.rotated`)).body.data[0];
    expect(rotatedEvent.details).toMatchObject({ successor: rotated.id, lifetime_capped_to_seconds: 90 * DAY });
    const noRotate = await run(['rotate', 'pol-old-forever', '--yes'], { env: env() });
    expect(noRotate.code).toBe(2);
    expect(noRotate.stderr).toContain('rule require_cidr');
    expect(noRotate.stderr).not.toContain('rule max_ttl');
    expect((await admin('GET', `/v1/tokens/${forever.id}`)).body.rotated_to).toBeNull();
  });
});

describe('managing policies', () => {
  it('list, replace and remove, audited; management only for changes, tokens:read to read', async () => {
    await admin('POST', '/v1/scopes', { name: 'pol:query' });
    await ok(['policy', 'set', 'pol:query', '--max-rate-limit', '100/1m', '--require-owner'], { env: env() });
    const replaced = await run(['policy', 'set', 'pol:query', '--require-expiry'], { env: env() });
    expect(replaced.stderr).toContain('replaced the earlier rules: --max-rate-limit 100/1m --require-owner');
    const listed = JSON.parse(await ok(['policy', 'list', '--json'], { env: env() })).data.find((p: { scope: string }) => p.scope === 'pol:query');
    expect(listed).toMatchObject({ scope: 'pol:query', max_ttl_seconds: null, require_expiry: true, require_cidr: false, max_rate_limit: null, require_owner: false });
    const table = await ok(['policy', 'list'], { env: env(), tty: true, columns: 200 });
    expect(table.split('\n')[0]).toMatch(/^SCOPE +RULES +UPDATED +UPDATED BY$/);
    expect(table).toMatch(/pol:query +--require-expiry +just now +tok_\w+/);

    const reader = await createToken({ name: 'pol-reader-only', scopes: ['tokens:read', 'tokens:write'] });
    expect((await api(shared.server, reader.secret, 'GET', '/v1/policies')).status).toBe(200);
    const forbidden = await api(shared.server, reader.secret, 'PUT', '/v1/policies/pol:query', { require_owner: true });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, 'forbidden']);
    const denied = await run(['policy', 'remove', 'pol:query', '--yes'], { env: { ...env(), TOKENS_TOKEN: reader.secret } });
    expect(denied.code).toBe(4);

    // The catalog keeps a scope that has a policy.
    const inUse = await admin('DELETE', '/v1/scopes/pol:query');
    expect([inUse.status, inUse.body.code]).toEqual([409, 'scope_has_policy']);

    const noConfirm = await run(['policy', 'remove', 'pol:query'], { env: env() });
    expect(noConfirm.code).toBe(2);
    expect(await run(['policy', 'remove', 'pol:query', '--yes'], { env: env() })).toEqual({ code: 0, stdout: '', stderr: '✓ Removed the policy for pol:query\n' });
    const gone = await run(['policy', 'remove', 'pol:query', '--yes'], { env: env() });
    expect(gone).toMatchObject({ code: 5, stderr: 'error: a policy for pol:query not found\n' });
    expect((await admin('DELETE', '/v1/scopes/pol:query')).status).toBe(204);

    const events = (await admin('GET', '/v1/audit?target=pol:query')).body.data.map((e: { action: string; details: Record<string, unknown> }) => [e.action, e.details]);
    expect(events.filter(([action]: [string]) => action.startsWith('policy.'))).toEqual([
      ['policy.set', { rules: { max_ttl_seconds: null, require_expiry: false, require_cidr: false, max_rate_limit: { requests: 100, per_seconds: 60 }, require_owner: true }, previous: null }],
      ['policy.set', { rules: expect.objectContaining({ require_expiry: true, require_owner: false }), previous: expect.objectContaining({ require_owner: true }) }],
      ['policy.removed', { previous: expect.objectContaining({ require_expiry: true }) }],
    ]);
  });

  it('refuses bad policies with clear errors', async () => {
    const empty = await run(['policy', 'set', 'management'], { env: env() });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error: give at least one rule');
    expect((await admin('PUT', '/v1/policies/management', {})).body.detail).toBe('a policy needs at least one rule (DELETE /v1/policies/{scope} removes it)');
    const unknown = await admin('PUT', '/v1/policies/no-such-scope', { require_owner: true });
    expect([unknown.status, unknown.body.detail]).toEqual([400, 'unknown scope: no-such-scope (a policy is for a built-in or registered scope, or * for every token)']);
    const badField = await admin('PUT', '/v1/policies/management', { max_ttl: 5 });
    expect([badField.status, badField.body.detail]).toEqual([400, 'body: unknown field "max_ttl"']);
    expect((await admin('PUT', '/v1/policies/Bad Scope', { require_owner: true })).status).toBe(400);
    const badFlag = await run(['policy', 'set', 'management', '--max-ttl', 'soon'], { env: env() });
    expect(badFlag.code).toBe(2);
  });

  it('* covers every token: owner and rate limit rules', async () => {
    await ok(['policy', 'set', '*', '--require-owner', '--max-rate-limit', '10/1s'], { env: env() });
    try {
      const r = await run(['create', '--name', 'pol-star', '--scope', 'verify', '--rate-limit', '20/1s'], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('refused by the policy for every token (*), rule max_rate_limit: tokens must have a rate limit of at most 10/1s (burst and rate); this one has 20/1s');
      expect(r.stderr).toContain('rule require_owner: tokens must have an owner; this one has none');
      expect(r.stderr).toContain('hint: give --rate-limit 10/1s or lower; --owner <who answers for it>');
      // A smaller burst over a longer period is the same rate: allowed.
      await ok(['create', '--name', 'pol-star', '--scope', 'verify', '--rate-limit', '5/1s', '--owner', 'gateway-team'], { env: env() });
      const clear = await run(['update', 'pol-star', '--clear-owner'], { env: env() });
      expect(clear.code).toBe(2);
      expect(clear.stderr).toContain('rule require_owner');
    } finally {
      await ok(['policy', 'remove', '*', '--yes'], { env: env() });
    }
  });
});
