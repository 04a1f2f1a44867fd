// `tokens revoke` for on-call, against a real server: leaked secrets piped on stdin or typed at hidden
// prompts, selectors and filters, confirmation, the reason in the audit log, re-reads, the operator's
// own credential, dry runs, and bulk runs (revoke, suspend, resume) that report each token.
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/shared/secret.js';
import { api } from '../helpers/server.js';
import { withTypo } from '../helpers/secrets.js';
import { ok, run, scriptedPrompter, useServerAndCli } from './helpers.js';

const BIN = join(import.meta.dirname, '../../bin/tokens.js');
const shared = useServerAndCli();
const env = () => shared.cli.env;
const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);

async function createToken(name: string, scopes: string[] = ['tokens:read']): Promise<{ id: string; secret: string; start: string }> {
  const r = await admin('POST', '/v1/tokens', { name, scopes });
  expect(r.status).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret, start: r.body.token.start };
}

const statusOf = async (id: string): Promise<string> => (await admin('GET', `/v1/tokens/${id}`)).body.status;

describe('revoke --value - (leaked secrets)', () => {
  it('on-call: three leaked secrets piped on stdin revoke exactly those three, with the reason in the audit log, confirmed', async () => {
    const leaked = await Promise.all(['leak-1', 'leak-2', 'leak-3'].map((n) => createToken(n)));
    const bystander = await createToken('leak-bystander');
    const script = `printf '%s\\n' "$LEAKED_1" "$LEAKED_2" "$LEAKED_3" | "${process.execPath}" "${BIN}" revoke --value - --reason "posted in #general" --yes`;
    const r = await execa('bash', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(), LEAKED_1: leaked[0]!.secret, LEAKED_2: leaked[1]!.secret, LEAKED_3: leaked[2]!.secret },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.split('\n').map((line) => line.split('\t'));
    expect(rows).toEqual(leaked.map((t, i) => [t.id, `leak-${i + 1}`, 'revoked', 'confirmed revoked (re-read from the server)']));
    expect(r.stderr).toBe('3 of 3 revoked');
    for (const t of leaked) {
      expect(await statusOf(t.id)).toBe('revoked');
      const events = (await admin('GET', `/v1/audit?target=${t.id}&action=token.revoked`)).body.data;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ reason: 'posted in #general', details: { via: 'value' } });
    }
    expect(await statusOf(bystander.id)).toBe('active');
    for (const t of leaked) expect(r.stdout + r.stderr).not.toContain(t.secret);
  });

  it('again: "already revoked" is a success', async () => {
    const t = await createToken('leak-again');
    await ok(['revoke', '--value', '-', '--yes'], { env: env(), stdin: `${t.secret}\n` });
    const again = JSON.parse(await ok(['revoke', '--value', '-', '--yes', '--json'], { env: env(), stdin: `${t.secret}\n` }));
    expect(again.data).toEqual([{ id: t.id, name: 'leak-again', result: 'already revoked', ok: true, detail: 'confirmed revoked (re-read from the server)', line: 1, start: t.start, status: 'revoked' }]);
  });

  it('without a terminal and without --yes: refuses (exit 2), revokes nothing', async () => {
    const t = await createToken('leak-refused');
    const r = await run(['revoke', '--value', '-'], { env: env(), stdin: t.secret });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: refusing to revoke the tokens of 1 secret without confirmation: there is no terminal to ask on\nhint: pass --yes to confirm\n');
    expect(await statusOf(t.id)).toBe('active');
  });

  it('at a terminal: hidden prompts until an empty answer, the count and the tokens shown, then the question', async () => {
    const a = await createToken('leak-tty-a');
    const b = await createToken('leak-tty-b');
    const prompter = scriptedPrompter([a.secret, b.secret, '', true]);
    const r = await run(['revoke', '--value', '-', '--reason', 'pasted in chat'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Leaked secret (input hidden):', 'Another leaked secret (empty to finish):', 'Another leaked secret (empty to finish):', 'Revoke these 2?']);
    expect(r.stderr).toContain(
      'Revoke the tokens of 2 secrets. Requests with them are refused from now on. This cannot be undone.\n' +
        `  line 1: ${a.start}  → leak-tty-a (${a.id}) active\n` +
        `  line 2: ${b.start}  → leak-tty-b (${b.id}) active\n`,
    );
    expect(r.stdout + r.stderr).not.toContain(a.secret);
    expect(await statusOf(a.id)).toBe('revoked');
    expect(await statusOf(b.id)).toBe('revoked');
  });

  it('200 lines with unknown and malformed ones: each reported by line, never echoed; the rest revoked; exit 3', async () => {
    const created: { id: string; secret: string }[] = [];
    for (let i = 0; i < 195; i += 15) {
      created.push(...(await Promise.all(Array.from({ length: Math.min(15, 195 - i) }, (_, j) => createToken(`leak-bulk-${i + j}`)))));
    }
    const unknown = [generateSecret('tkn'), generateSecret('tkn'), generateSecret('tkn')];
    const malformed = ['tkn_not-a-secret', withTypo(created[0]!.secret)];
    const lines = [...created.map((t) => t.secret)];
    lines.splice(10, 0, unknown[0]!);
    lines.splice(50, 0, malformed[0]!);
    lines.splice(100, 0, unknown[1]!);
    lines.splice(150, 0, malformed[1]!);
    lines.push(unknown[2]!);
    expect(lines).toHaveLength(200);
    const r = await run(['revoke', '--value', '-', '--yes', '--reason', 'bulk leak', '--json'], { env: env(), stdin: `# from the paste bin\n${lines.join('\n')}\n` });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ total: 200, succeeded: 195, failed: 5 });
    const failed = report.data.filter((d: { ok: boolean }) => !d.ok).map((d: { line: number; result: string }) => [d.line, d.result]);
    expect(failed).toEqual([[12, 'not found'], [52, 'malformed'], [102, 'not found'], [152, 'malformed'], [201, 'not found']]);
    for (const secret of [...unknown, ...malformed, created[0]!.secret]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toContain('warning: 195 of 200 revoked, 5 failed');
    for (const t of created) expect(await statusOf(t.id)).toBe('revoked');
  });

  it('a caller with only tokens:revoke: revoked and confirmed without reading tokens', async () => {
    const oncall = await createToken('oncall-revoke-only', ['tokens:revoke']);
    const t = await createToken('leak-revoke-only');
    const r = await run(['revoke', '--value', '-', '--yes', '--json'], { env: { ...env(), TOKENS_TOKEN: oncall.secret }, stdin: t.secret });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data[0]).toMatchObject({ id: t.id, result: 'revoked', detail: 'confirmed revoked (re-read from the server)', status: 'revoked' });
  });

  it("refuses the CLI's own credential unless --include-self", async () => {
    const me = await createToken('oncall-self', ['tokens:revoke', 'tokens:read']);
    const other = await createToken('leak-with-self');
    const meEnv = { ...env(), TOKENS_TOKEN: me.secret };
    const r = await run(['revoke', '--value', '-', '--yes'], { env: meEnv, stdin: `${other.secret}\n${me.secret}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: refusing to revoke the secret on line 2: it is the credential this command is using (from TOKENS_TOKEN)\nhint: pass --include-self to revoke it anyway\n');
    expect(await statusOf(other.id)).toBe('active');
    const r2 = await run(['revoke', '--value', '-', '--yes', '--include-self', '--json'], { env: meEnv, stdin: `${me.secret}\n${other.secret}\n` });
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).data.map((d: { id: string; detail: string }) => [d.id, d.detail])).toEqual([
      [me.id, 'confirmed revoked (the server now refuses it)'],
      [other.id, 'confirmed revoked (re-read from the server)'],
    ]);
    expect(await statusOf(me.id)).toBe('revoked');
    expect(await statusOf(other.id)).toBe('revoked');
  });

  it('--value takes only "-", and never repeats what it was given', async () => {
    const t = await createToken('leak-argv');
    const r = await run(['revoke', '--value', t.secret, '--yes'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(t.secret);
    expect(r.stderr).toContain('--value takes "-"');
    expect(await statusOf(t.id)).toBe('active');
  });

  it('--dry-run shows which tokens the secrets belong to and revokes nothing', async () => {
    const t = await createToken('leak-dry');
    const out = await ok(['revoke', '--value', '-', '--dry-run'], { env: env(), stdin: t.secret });
    expect(out).toBe(`${t.id}\tleak-dry\twould revoke\tleak-dry active\n`);
    expect(await statusOf(t.id)).toBe('active');
  });
});

describe('revoke by selectors and filters', () => {
  it('several selectors: shown and counted before the question; one line each; re-read', async () => {
    const ts = await Promise.all(['sel-rev-1', 'sel-rev-2'].map((n) => createToken(n)));
    const prompter = scriptedPrompter([true]);
    const r = await run(['revoke', 'sel-rev-1', ts[1]!.id, '--reason', 'offboarding'], { env: env(), tty: true, columns: 200, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Revoke these 2 tokens?']);
    expect(r.stderr).toContain(`Revoke 2 tokens (→ revoked). Requests with them are refused from now on. This cannot be undone.\n  sel-rev-1 (${ts[0]!.id})  active  ${ts[0]!.start}\n`);
    expect(r.stdout).toMatch(/sel-rev-2 +revoked +confirmed revoked \(re-read from the server\)/);
    for (const t of ts) {
      expect(await statusOf(t.id)).toBe('revoked');
      expect((await admin('GET', `/v1/audit?target=${t.id}&action=token.revoked`)).body.data[0].reason).toBe('offboarding');
    }
  });

  it('filters: --scope and --unused-for; the own credential is refused unless --include-self; --dry-run first', async () => {
    await admin('POST', '/v1/scopes', { name: 'legacy:api' });
    const stale = await Promise.all(['filt-rev-1', 'filt-rev-2', 'filt-rev-3'].map((n) => createToken(n, ['legacy:api'])));
    const operator = await createToken('filt-operator', ['tokens:read', 'tokens:revoke', 'legacy:api']);
    // A clock 100 days ahead: every token here is "unused for 90 days".
    const later = { env: { ...env(), TOKENS_TOKEN: operator.secret }, clock: () => Date.now() + 100 * 86_400_000 };
    const refused = await run(['revoke', '--scope', 'legacy:api', '--unused-for', '90d', '--yes'], later);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: refusing to revoke filt-operator \(tok_\w+\): it is the credential this command is using \(from TOKENS_TOKEN\)\nhint: pass --include-self/);
    const dry = JSON.parse(await ok(['revoke', '--scope', 'legacy:api', '--unused-for', '90d', '--dry-run', '--include-self', '--json'], later));
    expect(dry.data.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual([...stale.map((_, i) => `filt-rev-${i + 1}:would revoke`), 'filt-operator:would revoke']);
    for (const t of stale) expect(await statusOf(t.id)).toBe('active');
    const one = await ok(['revoke', 'filt-rev-1', '--dry-run', '--yes'], later);
    expect(one).toBe(`${stale[0]!.id}\tfilt-rev-1\twould revoke\tactive → revoked\n`);
    expect(await statusOf(stale[0]!.id)).toBe('active');
    const done = JSON.parse(await ok(['revoke', '--scope', 'legacy:api', '--name-prefix', 'filt-rev-', '--unused-for', '90d', '--yes', '--json'], later));
    expect(done.data.map((d: { result: string }) => d.result)).toEqual(['revoked', 'revoked', 'revoked']);
    expect(await statusOf(operator.id)).toBe('active');
    const none = await run(['revoke', '--scope', 'legacy:api', '--unused-for', '90d', '--yes'], { env: env() });
    expect(none).toMatchObject({ code: 0, stdout: '' });
  });

  it('one selector naming the own credential is refused too; with --include-self the server refusing it confirms', async () => {
    const me = await createToken('self-single', ['tokens:read', 'tokens:revoke']);
    const meEnv = { env: { ...env(), TOKENS_TOKEN: me.secret } };
    const r = await run(['revoke', 'self-single', '--yes'], meEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: pass --include-self to revoke it anyway');
    expect(await statusOf(me.id)).toBe('active');
    expect(await ok(['revoke', 'self-single', '--yes', '--include-self', '--field', 'status'], meEnv)).toBe('revoked\n');
  });

  it('several tokens with the own one (--include-self): the others first, the own one last', async () => {
    const me = await createToken('self-bulk-me', ['tokens:read', 'tokens:revoke']);
    const others = await Promise.all(['self-bulk-1', 'self-bulk-2', 'self-bulk-3'].map((n) => createToken(n)));
    const out = JSON.parse(await ok(['revoke', '--name-prefix', 'self-bulk-', '--yes', '--include-self', '--json'], { env: { ...env(), TOKENS_TOKEN: me.secret } }));
    expect(out.data.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['self-bulk-me:revoked', 'self-bulk-1:revoked', 'self-bulk-2:revoked', 'self-bulk-3:revoked']);
    for (const t of [me, ...others]) expect(await statusOf(t.id)).toBe('revoked');
  });
});

describe('bulk suspend and resume on the same runner', () => {
  it('suspend by prefix; resume where some tokens hold scopes the caller lacks: each reported, exit 3', async () => {
    const names = ['bulk-sus-1', 'bulk-sus-2', 'bulk-sus-3', 'bulk-sus-4'];
    for (const n of names) await createToken(n, n === 'bulk-sus-3' ? ['tokens:read', 'audit:read'] : ['tokens:read']);
    const suspended = JSON.parse(await ok(['suspend', '--name-prefix', 'bulk-sus-', '--yes', '--json', '--reason', 'drill'], { env: env() }));
    expect(suspended.data.map((d: { result: string }) => d.result)).toEqual(['suspended', 'suspended', 'suspended', 'suspended']);
    const operator = await createToken('bulk-resumer', ['tokens:read', 'tokens:write']);
    const r = await run(['resume', '--name-prefix', 'bulk-sus-', '--json'], { env: { ...env(), TOKENS_TOKEN: operator.secret } });
    expect(r.code).toBe(3);
    const rows = JSON.parse(r.stdout).data;
    expect(rows.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['bulk-sus-1:resumed', 'bulk-sus-2:resumed', 'bulk-sus-3:failed', 'bulk-sus-4:resumed']);
    expect(rows[2].detail).toContain('audit:read');
  });
});
