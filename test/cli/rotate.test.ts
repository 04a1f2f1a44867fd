// `tokens rotate` in-process against a real server whose clock the test moves: delivery to a command
// and to files, the check, rollback on failure, overlap, dry runs, confirmations, bulk runs with
// injected failures, the progress bar, and the secret kept out of argv, --debug and messages.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/server.js';
import { startClockServer } from '../helpers/clock-server.js';
import { ok, run, scriptedPrompter, useServerAndCli } from './helpers.js';

const shared = useServerAndCli({}, startClockServer);

const env = () => shared.cli.env;
const admin = (method: string, path: string, body?: unknown) => api(shared.server, shared.server.adminSecret, method, path, body);

async function createToken(name: string, scopes: string[] = ['tokens:read'], extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const r = await admin('POST', '/v1/tokens', { name, scopes, ...extra });
  expect(r.status).toBe(201);
  return { id: r.body.token.id, secret: r.body.secret };
}

/** Whether the shared.server accepts `secret` right now. */
async function works(secret: string): Promise<boolean> {
  return (await api(shared.server, secret, 'GET', '/v1/whoami')).status === 200;
}

async function lineage(name: string): Promise<{ id: string; status: string; rotated_from: string | null; rotated_to: string | null; rotation_pending: boolean }[]> {
  return (await admin('GET', `/v1/tokens?name=${encodeURIComponent(name)}&limit=100`)).body.data;
}

describe('rotate with --deliver (the CI path)', () => {
  it('quarterly rotation: the command stores the secret, which works; the old one works during the overlap, not after', async () => {
    const old = await createToken('quarterly', ['tokens:read'], { expires_at: new Date(shared.server.now() + 90 * 86_400_000).toISOString() });
    const file = join(shared.cli.configDir, 'quarterly.secret');
    const r = await run(['rotate', 'quarterly', '--overlap', '24h', '--yes', '--deliver', `cat > '${file}'`, '--json'], { env: env() });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ schema_version: 1, name: 'quarterly', rotated_from: old.id, delivered_to: 'command', checked_by: 'introspect', resumed: false });
    expect(body.secret).toBeUndefined();
    expect(body.predecessor).toMatchObject({ id: old.id, status: 'active', rotated_to: body.id, rotation_pending: false });
    const stored = readFileSync(file, 'utf8');
    expect(stored).toMatch(/^tkn_[0-9A-Za-z]{38}$/);
    expect(r.stdout + r.stderr).not.toContain(stored);

    const me = await api(shared.server, stored, 'GET', '/v1/whoami');
    expect(me.body.token.id).toBe(body.id);
    expect(await works(old.secret)).toBe(true);
    shared.server.advance(23 * 3600);
    expect(await works(old.secret)).toBe(true);
    shared.server.advance(2 * 3600);
    expect(await works(old.secret)).toBe(false);
    expect(await works(stored)).toBe(true);
  });

  it('the deliver command gets the token in its environment, not the operator credential, and nothing in argv', async () => {
    await createToken('env-check');
    const [vars, stdin, argv] = ['vars', 'stdin', 'argv'].map((f) => join(shared.cli.configDir, `env-check.${f}`)) as [string, string, string];
    const script = `printf '%s|%s|%s|%s|%s' "$TOKEN_ID" "$TOKEN_NAME" "$TOKEN_START" "$TOKEN_PREDECESSOR_ID" "\${TOKENS_TOKEN:-none}" > '${vars}'; cat > '${stdin}'; tr '\\0' ' ' < /proc/$$/cmdline > '${argv}'`;
    const body = JSON.parse(await ok(['rotate', 'env-check', '--yes', '--deliver', script, '--json'], { env: env() }));
    const [id, name, start, predecessor, operator] = readFileSync(vars, 'utf8').split('|');
    expect({ id, name, start, predecessor, operator }).toEqual({ id: body.id, name: 'env-check', start: body.start, predecessor: body.predecessor.id, operator: 'none' });
    const secret = readFileSync(stdin, 'utf8');
    expect(secret).toMatch(/^tkn_[0-9A-Za-z]{38}$/);
    expect(await works(secret)).toBe(true);
    expect(readFileSync(argv, 'utf8')).toContain('-c printf');
    expect(readFileSync(argv, 'utf8')).not.toContain(secret);
  });

  it('a failing --deliver: non-zero exit, the old token keeps working, and no live successor', async () => {
    const old = await createToken('deliver-fails');
    const r = await run(['rotate', 'deliver-fails', '--overlap', '1h', '--yes', '--deliver', 'cat > /dev/null; echo "vault is sealed" >&2; exit 3'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: the deliver command exited with status 3: vault is sealed; rotation aborted: the successor tok_\w+ was revoked and the old token keeps working as before\n$/);
    expect(await works(old.secret)).toBe(true);
    const tokens = await lineage('deliver-fails');
    expect(tokens).toHaveLength(2);
    const successor = tokens.find((t) => t.id !== old.id)!;
    expect(successor.status).toBe('revoked');
    expect(tokens.find((t) => t.id === old.id)).toMatchObject({ status: 'active', rotated_to: null, rotation_pending: false });
    // Still the same old token, and it can be rotated again once delivery works.
    expect((await run(['rotate', 'deliver-fails', '--yes', '--deliver', 'cat > /dev/null'], { env: env() })).code).toBe(0);
  });

  it('a deliver command that echoes the secret and fails: the secret is redacted from the error', async () => {
    await createToken('deliver-echo');
    const r = await run(['rotate', 'deliver-echo', '--yes', '--deliver', 'cat; exit 1'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the deliver command exited with status 1: [redacted]; rotation aborted');
    expect(r.stderr).not.toMatch(/tkn_[0-9A-Za-z]{38}/);
  });

  it('a deliver command over its time limit is stopped and the rotation aborted', async () => {
    const old = await createToken('deliver-slow');
    const r = await run(['rotate', 'deliver-slow', '--yes', '--deliver', 'sleep 30', '--deliver-timeout', '1s'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: the deliver command did not finish within 1 s and was stopped; rotation aborted/);
    expect(await works(old.secret)).toBe(true);
  });

  it('--debug shows the requests but never the new secret', async () => {
    await createToken('debug-rot');
    const file = join(shared.cli.configDir, 'debug-rot.secret');
    const r = await run(['rotate', 'debug-rot', '--yes', '--deliver-file', file, '--debug'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('/rotate/complete');
    expect(r.stderr).toContain('/v1/introspect');
    expect(r.stderr).not.toContain(readFileSync(file, 'utf8').trim());
  });
});

describe('rotate with --deliver-file', () => {
  it('writes the secret 0600 atomically, replacing an older file', async () => {
    await createToken('file-1');
    const file = join(shared.cli.configDir, 'file-1.secret');
    writeFileSync(file, 'old contents\n', { mode: 0o644 });
    const r = await run(['rotate', 'file-1', '--yes', '--deliver-file', file], { env: env(), tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^✓ Rotated file-1: new token tok_\\w+; the old one \\(tok_\\w+\\) was revoked; the new secret went to ${file}\\n`));
    expect(r.stdout).not.toMatch(/tkn_[0-9A-Za-z]{38}/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8');
    expect(secret).toMatch(/^tkn_[0-9A-Za-z]{38}\n$/);
    expect(await works(secret.trim())).toBe(true);
  });

  it('a directory that does not exist fails delivery and rolls back', async () => {
    const old = await createToken('file-2');
    const r = await run(['rotate', 'file-2', '--yes', '--deliver-file', join(shared.cli.configDir, 'no/such/dir/x')], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not exist; rotation aborted');
    expect(await works(old.secret)).toBe(true);
  });

  it('several tokens need {name} in the path', async () => {
    await createToken('tpl-a');
    await createToken('tpl-b');
    const r = await run(['rotate', '--name-prefix', 'tpl-', '--yes', '--deliver-file', join(shared.cli.configDir, 'one-file')], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--deliver-file needs {name} in the path');
    const out = JSON.parse(await ok(['rotate', '--name-prefix', 'tpl-', '--yes', '--deliver-file', join(shared.cli.configDir, '{name}.secret'), '--json'], { env: env() }));
    expect(out.data.map((d: { name: string; result: string }) => [d.name, d.result])).toEqual([['tpl-a', 'rotated'], ['tpl-b', 'rotated']]);
    for (const name of ['tpl-a', 'tpl-b']) expect(await works(readFileSync(join(shared.cli.configDir, `${name}.secret`), 'utf8').trim())).toBe(true);
  });
});

describe('selection, dry run and confirmation', () => {
  it('--dry-run lists exactly what would rotate and changes nothing', async () => {
    const a = await createToken('dry-a');
    const b = await createToken('dry-b');
    const before = await lineage('dry-a');
    const out = await ok(['rotate', '--name-prefix', 'dry-', '--dry-run'], { env: env() });
    expect(out).toBe(`${a.id}\tdry-a\twould rotate\t\tactive, scopes tokens:read\n${b.id}\tdry-b\twould rotate\t\tactive, scopes tokens:read\n`);
    expect(await lineage('dry-a')).toEqual(before);
    expect(await lineage('dry-b')).toHaveLength(1);
  });

  it('no terminal and no --yes: refuses with exit 2, naming --yes, and changes nothing', async () => {
    await createToken('confirm-a');
    await createToken('confirm-b');
    const r = await run(['rotate', '--name-prefix', 'confirm-'], { env: env() });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('error: refusing to rotate 2 tokens without confirmation: there is no terminal to ask on\nhint: pass --yes to confirm\n');
    expect(await lineage('confirm-a')).toHaveLength(1);
  });

  it('at a terminal shows the count and the tokens, then asks', async () => {
    const prompter = scriptedPrompter([false]);
    const r = await run(['rotate', 'confirm-a', 'confirm-b', '--overlap', '1h'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(2);
    expect(prompter.asked).toEqual(['Rotate 2 tokens?']);
    expect(r.stderr).toMatch(/^Rotate 2 tokens: each gets a successor with a new secret; each current secret keeps working for 1 hour \(until .*\)\.\n {2}confirm-a \(tok_\w+\) {2}active {2}tkn_\w+\n {2}confirm-b \(tok_\w+\) {2}active {2}tkn_\w+\n/);
    expect(await lineage('confirm-b')).toHaveLength(1);
  });

  it('selectors and filters together, or neither, are usage errors', async () => {
    expect((await run(['rotate', 'confirm-a', '--scope', 'verify', '--yes'], { env: env() })).code).toBe(2);
    const none = await run(['rotate', '--yes'], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the tokens to rotate');
  });
});

describe('bulk rotation', () => {
  it('200 tokens with injected failures: each outcome reported, the rest rotated, exit 3', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
    // Tokens holding audit:read cannot be rotated by a caller without it (no escalation).
    const noScope = new Set(['bulk-010', 'bulk-020']);
    const deliverFails = new Set(['bulk-013', 'bulk-077', 'bulk-150']);
    const original = new Map<string, string>();
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(
        names.slice(i, i + 20).map(async (name) => original.set(name, (await createToken(name, noScope.has(name) ? ['tokens:read', 'audit:read'] : ['tokens:read'])).secret)),
      );
    }
    const operator = await createToken('operator-bulk', ['tokens:read', 'tokens:write', 'verify']);
    const dir = mkdtempSync(join(shared.cli.configDir, 'bulk-'));
    const deliver = `case "$TOKEN_NAME" in bulk-013|bulk-077|bulk-150) exit 4;; esac; cat > "${dir}/$TOKEN_NAME"`;
    const r = await run(['rotate', '--name-prefix', 'bulk-', '--overlap', '1h', '--yes', '--deliver', deliver, '--json'], {
      env: { ...env(), TOKENS_TOKEN: operator.secret },
    });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.data.map((d: { name: string }) => d.name)).toEqual(names);
    expect(report.summary).toEqual({ total: 200, succeeded: 195, failed: 5 });
    for (const row of report.data) {
      if (noScope.has(row.name)) expect(row).toMatchObject({ result: 'failed', ok: false, detail: expect.stringContaining('audit:read') });
      else if (deliverFails.has(row.name)) expect(row).toMatchObject({ result: 'failed', ok: false, detail: expect.stringContaining('exited with status 4') });
      else expect(row).toMatchObject({ result: 'rotated', ok: true, checked_by: 'introspect', successor_id: expect.stringMatching(/^tok_/) });
    }
    expect(r.stderr).toContain('failed');
    // Delivered secrets shared.cli.configDir; the failures left their old tokens whole and no live successor.
    expect(await works(readFileSync(join(dir, 'bulk-042'), 'utf8'))).toBe(true);
    expect(existsSync(join(dir, 'bulk-077'))).toBe(false);
    for (const name of [...noScope, ...deliverFails]) {
      expect(await works(original.get(name)!)).toBe(true);
      const live = (await lineage(name)).filter((t) => t.status === 'active');
      expect(live).toHaveLength(1);
    }
  });

  it('a re-run after a partial failure rotates only what failed; the rest are "already rotated"', async () => {
    for (const n of ['quarter-1', 'quarter-2', 'quarter-3']) await createToken(n, ['verify']);
    shared.server.advance(100 * 86_400);
    const args = ['rotate', '--name-prefix', 'quarter-', '--older-than', '90d', '--overlap', '24h', '--yes', '--json'];
    const opts = { env: env(), clock: shared.server.now };
    const first = await run([...args, '--deliver', '[ "$TOKEN_NAME" != quarter-2 ] && cat > /dev/null'], opts);
    expect(first.code).toBe(3);
    expect(JSON.parse(first.stdout).data.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['quarter-1:rotated', 'quarter-2:failed', 'quarter-3:rotated']);
    const again = await run([...args, '--deliver', 'cat > /dev/null'], opts);
    expect(again.code).toBe(0);
    const rows = JSON.parse(again.stdout).data;
    expect(rows.map((d: { name: string; result: string }) => `${d.name}:${d.result}`)).toEqual(['quarter-2:rotated', 'quarter-1:already rotated', 'quarter-3:already rotated']);
    for (const name of ['quarter-1', 'quarter-2', 'quarter-3']) expect((await lineage(name)).filter((t) => t.status === 'active')).toHaveLength(2);
  });

  it('the own credential among several: the server refuses it (a token may not rotate itself), the others are rotated, exit 3', async () => {
    const me = await createToken('self-rot-me', ['tokens:read', 'tokens:write', 'verify']);
    for (const n of ['self-rot-1', 'self-rot-2', 'self-rot-3']) await createToken(n);
    const dir = mkdtempSync(join(shared.cli.configDir, 'self-'));
    const r = await run(['rotate', '--name-prefix', 'self-rot-', '--yes', '--deliver-file', join(dir, '{name}'), '--json'], { env: { ...env(), TOKENS_TOKEN: me.secret } });
    expect(r.code).toBe(3);
    const rows = JSON.parse(r.stdout).data as { name: string; result: string; detail: string }[];
    expect(rows.map((d) => `${d.name}:${d.result}`)).toEqual(['self-rot-me:failed', 'self-rot-1:rotated', 'self-rot-2:rotated', 'self-rot-3:rotated']);
    expect(rows[0]!.detail).toContain('a token may not rotate itself');
    expect(await works(me.secret)).toBe(true);
    expect(existsSync(join(dir, 'self-rot-me'))).toBe(false);
  });

  it('a progress bar on stderr when it is a terminal; a table on stdout', async () => {
    for (const n of ['prog-1', 'prog-2', 'prog-3']) await createToken(n);
    const r = await run(['rotate', '--name-prefix', 'prog-', '--yes', '--deliver', 'cat > /dev/null'], { env: env(), tty: true, columns: 250 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Rotating ');
    expect(r.stderr).toContain(' 3/3');
    expect(r.stderr).toContain('3 of 3 rotated\n');
    expect(r.stdout.split('\n')[0]).toMatch(/^ID +NAME +RESULT +NEW TOKEN +DETAIL$/);
    expect(r.stdout).toMatch(/prog-1 +rotated +tok_\w+ +delivered to command; checked by introspect; old token was revoked/);
  });

  it('bulk to stdout: each secret in the report, once', async () => {
    await createToken('out-1');
    await createToken('out-2');
    const r = await run(['rotate', 'out-1', 'out-2', '--yes'], { env: env() });
    expect(r.stderr).toContain('The new secrets are in the last column; they cannot be shown again.');
    const out = r.stdout;
    const secrets = out.trim().split('\n').map((line) => line.split('\t').at(-1)!);
    expect(secrets).toHaveLength(2);
    for (const s of secrets) expect(await works(s)).toBe(true);
  });
});

describe('the check of the new secret', () => {
  it('a caller with tokens:write but not verify: checked with whoami, and told so', async () => {
    await createToken('nover-1');
    const operator = await createToken('nover-operator', ['tokens:read', 'tokens:write']);
    const r = await run(['rotate', 'nover-1', '--yes', '--deliver', 'cat >/dev/null', '--json'], { env: { ...env(), TOKENS_TOKEN: operator.secret } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).checked_by).toBe('whoami');
    expect(r.stderr).toContain('warning: your credential lacks scope verify, so new secrets are checked with GET /v1/whoami instead of /v1/introspect');
  });

  it('a successor restricted to other addresses is still checked (introspection on its behalf)', async () => {
    await createToken('cidr-1', ['tokens:read'], { allowed_cidrs: ['10.9.0.0/16'] });
    const body = JSON.parse(await ok(['rotate', 'cidr-1', '--yes', '--deliver', 'cat >/dev/null', '--json'], { env: env() }));
    expect(body).toMatchObject({ checked_by: 'introspect', allowed_cidrs: ['10.9.0.0/16'] });
  });
});
