// Owners and creators against a real server: the owner on create/update/rotate, the --owner and
// --created-by filters (CLI and API), offboarding with `revoke --owner`, and the leaked-token case
// `revoke --created-by`, whose own credential goes last under --include-self.
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { ok, run, scriptedPrompter, useServerAndCli } from './helpers.js';

const shared = useServerAndCli();
const env = () => shared.cli.env;
const as = (secret: string) => ({ env: { ...env(), TOKENS_TOKEN: secret } });
const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);

async function createToken(body: Record<string, unknown>, secret = shared.server.adminSecret): Promise<{ id: string; secret: string }> {
  const r = await api(shared.server, secret, 'POST', '/v1/tokens', { scopes: ['tokens:read'], ...body });
  expect(r.status).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

const statusOf = async (id: string): Promise<string> => (await admin('GET', `/v1/tokens/${id}`)).body.status;

describe('owners', () => {
  it('set at create, changed and cleared by update, inherited by rotation, shown by list and show', async () => {
    const created = JSON.parse(await ok(['create', '--name', 'own-deploy', '--scope', 'tokens:read', '--owner', ' alice@example.com ', '--json'], { env: env() }));
    expect(created.owner).toBe('alice@example.com');
    const id = created.id as string;
    expect(await ok(['show', 'own-deploy', '--field', 'owner'], { env: env() })).toBe('alice@example.com\n');

    const table = await ok(['list', '--owner', 'alice@example.com'], { env: env(), tty: true, columns: 200 });
    expect(table.split('\n')[0]).toMatch(/^ID +NAME +STATUS +SCOPES +START +EXPIRES +LAST USED +CREATED +OWNER$/);
    expect(table).toMatch(/own-deploy .* alice@example\.com\n/);
    // Piped: the owner is the last column, after the ones scripts already cut.
    expect((await ok(['list', '--owner', 'alice@example.com'], { env: env() })).trimEnd().split('\t').at(-1)).toBe('alice@example.com');

    expect(JSON.parse(await ok(['update', 'own-deploy', '--owner', 'team-payments', '--json'], { env: env() })).owner).toBe('team-payments');
    const successor = JSON.parse(await ok(['rotate', 'own-deploy', '--yes', '--json'], { env: env() }));
    expect([successor.owner, successor.predecessor.id]).toEqual(['team-payments', id]);
    expect(JSON.parse(await ok(['update', successor.id, '--clear-owner', '--json'], { env: env() })).owner).toBeNull();
    expect((await admin('GET', `/v1/tokens/${id}`)).body.owner).toBe('team-payments');

    const bad = await run(['update', 'own-deploy', '--owner', 'x', '--clear-owner'], { env: env() });
    expect(bad).toMatchObject({ code: 2, stderr: 'error: use either --owner or --clear-owner\n' });
  });

  it('the API filters by exact owner and by creator, and refuses an owner with control characters', async () => {
    const creator = await createToken({ name: 'own-api-creator', scopes: ['tokens:read', 'tokens:write'] });
    const made = await createToken({ name: 'own-api-made', owner: 'carol@example.com' }, creator.secret);
    await createToken({ name: 'own-api-other', owner: 'Carol@example.com' });
    const byOwner = await admin('GET', '/v1/tokens?owner=carol%40example.com');
    expect(byOwner.body.data.map((t: { name: string }) => t.name)).toEqual(['own-api-made']);
    const byCreator = await admin('GET', `/v1/tokens?created_by=${creator.id}`);
    expect(byCreator.body.data.map((t: { id: string; created_by: string }) => [t.id, t.created_by])).toEqual([[made.id, creator.id]]);
    const refused = await admin('POST', '/v1/tokens', { name: 'own-api-bad', scopes: ['tokens:read'], owner: 'a\nb' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'owner', message: expect.stringContaining('owner') }]);
    const blank = await admin('PATCH', `/v1/tokens/${made.id}`, { owner: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.detail).toBe('owner must not be blank (null removes it)');
  });
});

describe('offboarding: revoke --owner', () => {
  it("revokes exactly one owner's live tokens, asks first at a terminal, re-reads each, and records the reason", async () => {
    const alice = [await createToken({ name: 'off-alice-1', owner: 'alice@corp.example' }), await createToken({ name: 'off-alice-2', owner: 'alice@corp.example', scopes: ['audit:read'] })];
    const aliceOld = await createToken({ name: 'off-alice-old', owner: 'alice@corp.example' });
    await admin('POST', `/v1/tokens/${aliceOld.id}/revoke`, { reason: 'earlier' });
    const bob = [await createToken({ name: 'off-bob-1', owner: 'bob@corp.example' }), await createToken({ name: 'off-bob-2', owner: 'bob@corp.example' })];

    const dry = JSON.parse(await ok(['revoke', '--owner', 'alice@corp.example', '--dry-run', '--json'], { env: env() }));
    expect(dry.data.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['off-alice-1:would revoke', 'off-alice-2:would revoke']);

    const prompter = scriptedPrompter([true]);
    const r = await run(['revoke', '--owner', 'alice@corp.example', '--reason', 'left the company'], { env: env(), tty: true, columns: 200, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Revoke these 2 tokens?']);
    expect(r.stderr).toContain('Revoke 2 tokens (→ revoked).');
    expect(r.stderr).toContain(`off-alice-1 (${alice[0]!.id})  active`);
    expect(r.stdout).toMatch(/off-alice-2 +revoked +confirmed revoked \(re-read from the server\)/);

    for (const t of alice) {
      expect(await statusOf(t.id)).toBe('revoked');
      const events = (await admin('GET', `/v1/audit?target=${t.id}&action=token.revoked`)).body.data;
      expect(events.map((e: { reason: string }) => e.reason)).toEqual(['left the company']);
    }
    expect((await admin('GET', `/v1/audit?target=${aliceOld.id}&action=token.revoked`)).body.data.map((e: { reason: string }) => e.reason)).toEqual(['earlier']);
    for (const t of bob) expect(await statusOf(t.id)).toBe('active');

    // Nothing left to do: a second run finds no live tokens of that owner.
    expect(await run(['revoke', '--owner', 'alice@corp.example', '--yes'], { env: env() })).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('a leaked token: revoke --created-by', () => {
  async function leakedWithCreations(prefix: string) {
    const leaked = await createToken({ name: `${prefix}-leaked`, scopes: ['management'] });
    const made = [
      await createToken({ name: `${prefix}-made-1`, scopes: ['management'] }, leaked.secret),
      await createToken({ name: `${prefix}-made-2`, scopes: ['verify'] }, leaked.secret),
    ];
    const madeRevoked = await createToken({ name: `${prefix}-made-gone` }, leaked.secret);
    await admin('POST', `/v1/tokens/${madeRevoked.id}/revoke`, {});
    const bystander = await createToken({ name: `${prefix}-bystander`, scopes: ['management'] });
    return { leaked, made, bystander };
  }

  it('lists what a token created; revoke revokes every live one, then the leaked token itself, last', async () => {
    const { leaked, made, bystander } = await leakedWithCreations('cb');
    const listed = JSON.parse(await ok(['list', '--created-by', 'cb-leaked', '--json'], { env: env() }));
    expect(listed.data.map((t: { name: string }) => t.name)).toEqual(['cb-made-1', 'cb-made-2']);

    const out = JSON.parse(await ok(['revoke', '--created-by', 'cb-leaked', '--reason', 'cb-leaked leaked', '--yes', '--json'], { env: env() }));
    expect(out.data.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['cb-made-1:revoked', 'cb-made-2:revoked', 'cb-leaked:revoked']);
    for (const t of [...made, leaked]) expect(await statusOf(t.id)).toBe('revoked');
    expect(await statusOf(bystander.id)).toBe('active');
    // Last means after: its revocation is the newest of the four.
    const events = (await admin('GET', `/v1/audit?action=token.revoked&order=desc&limit=3`)).body.data;
    expect(events[0].target).toBe(leaked.id);
    expect(events.map((e: { reason: string }) => e.reason)).toEqual(['cb-leaked leaked', 'cb-leaked leaked', 'cb-leaked leaked']);
  });

  it('other filters narrow it, the creator included only when it matches them too', async () => {
    const { leaked, made } = await leakedWithCreations('cbf');
    const out = JSON.parse(await ok(['revoke', '--created-by', leaked.id, '--scope', 'verify', '--yes', '--json'], { env: env() }));
    expect(out.data.map((d: { name: string }) => d.name)).toEqual(['cbf-made-2']);
    expect(await statusOf(leaked.id)).toBe('active');
    expect(await statusOf(made[0]!.id)).toBe('active');
  });

  it('run with the leaked credential itself: refused without --include-self; with it, its creations first and itself last', async () => {
    const { leaked, made, bystander } = await leakedWithCreations('cbs');
    const refused = await run(['revoke', '--created-by', 'cbs-leaked', '--yes'], as(leaked.secret));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: refusing to revoke cbs-leaked (${leaked.id}): it is the credential this command is using (from TOKENS_TOKEN)\nhint: pass --include-self to revoke it anyway\n`);
    for (const t of [...made, leaked]) expect(await statusOf(t.id)).toBe('active');

    const out = JSON.parse(await ok(['revoke', '--created-by', 'cbs-leaked', '--yes', '--include-self', '--json'], as(leaked.secret)));
    expect(out.data.map((d: { name: string; detail: string }) => `${d.name}: ${d.detail}`)).toEqual([
      'cbs-made-1: confirmed revoked (re-read from the server)',
      'cbs-made-2: confirmed revoked (re-read from the server)',
      'cbs-leaked: confirmed revoked (the server now refuses it)',
    ]);
    for (const t of [...made, leaked]) expect(await statusOf(t.id)).toBe('revoked');
    expect(await statusOf(bystander.id)).toBe('active');
  });
});
