// The token commands in-process against a real server: create, list, show, update, scopes,
// rotate, suspend, resume, revoke, audit, export — TTY on and off, JSON, -q, --field.
import { describe, expect, it } from 'vitest';
import { ok, run, scriptedPrompter, useServerAndCli } from './helpers.js';

const shared = useServerAndCli();

const env = () => shared.cli.env;
const json = async (argv: string[]) => JSON.parse(await ok([...argv, '--json'], { env: env() }));

describe('create', () => {
  it('piped: prints only the secret on stdout, the rest on stderr', async () => {
    const r = await run(['create', '--name', 'pipe-1', '--scope', 'tokens:read', '--expires', '30d'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tkn_[0-9A-Za-z]{38}\n$/);
    expect(r.stderr).toContain('Created token pipe-1 (tok_');
    expect(r.stderr).toContain('cannot be shown again');
    expect(r.stderr).not.toContain(r.stdout.trim());
  });

  it('on a terminal: the record, then the secret once in a box with the reminder', async () => {
    const r = await run(['create', '--name', 'tty-1', '--scope', 'verify', '--expires', 'never'], { env: env(), tty: true });
    expect(r.code).toBe(0);
    const secret = /tkn_[0-9A-Za-z]{38}/.exec(r.stdout)![0];
    const id = /tok_[0-9a-z]{26}/.exec(r.stdout)![0];
    expect(r.stdout.split(secret)).toHaveLength(2);
    expect(r.stdout).toContain(`✓ Created token tty-1 (${id})\n\nID       ${id}\nName     tty-1\nStatus   active\nScopes   verify\n`);
    expect(r.stdout).toContain(`  ┌${'─'.repeat(46)}┐\n  │  ${secret}  │\n  └${'─'.repeat(46)}┘\n`);
    expect(r.stdout).toContain('Copy it now: it cannot be shown again.');
    expect(r.stdout).toContain('Expires  never\n');
  });

  it('--json: the token with schema_version and the secret as a field', async () => {
    const body = await json(['create', '--name', 'json-1', '--scope', 'tokens:read', '--audience', 'billing,search', '--cidr', '10.0.0.0/8', '--rate-limit', '100/1m', '--metadata', 'team=core', '--description', 'for tests']);
    expect(body).toMatchObject({
      schema_version: 1,
      name: 'json-1',
      scopes: ['tokens:read'],
      audiences: ['billing', 'search'],
      allowed_cidrs: ['10.0.0.0/8'],
      rate_limit: { requests: 100, per_seconds: 60 },
      metadata: { team: 'core' },
      description: 'for tests',
      expires_at: null,
    });
    expect(body.id).toMatch(/^tok_/);
    expect(body.secret).toMatch(/^tkn_/);
  });

  it('-q prints only the secret (the one thing that cannot be fetched again)', async () => {
    const out = await ok(['create', '--name', 'quiet-1', '--scope', 'verify', '-q'], { env: env() });
    expect(out).toMatch(/^tkn_[0-9A-Za-z]{38}\n$/);
  });

  it('at a terminal asks for the name, scopes (from the catalog) and expiry', async () => {
    const prompter = scriptedPrompter(['asked-1', ['tokens:read', 'verify'], '12h']);
    const r = await run(['create', '--json'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Name of the new token:', 'Scopes (space to select, enter to confirm):', 'Expires (e.g. 90d, 12h, 2027-03-01, never):']);
    expect(prompter.choicesSeen[0]!.map((c) => c.value)).toEqual(expect.arrayContaining(['management', 'tokens:read', 'verify']));
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ name: 'asked-1', scopes: ['tokens:read', 'verify'] });
    const hours = (Date.parse(body.expires_at) - Date.parse(body.created_at)) / 3_600_000;
    expect(Math.round(hours)).toBe(12);
  });

  it('without a terminal, a missing --name or --scope is a usage error naming the flag', async () => {
    const r = await run(['create', '--scope', 'verify'], { env: env() });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('error: --name is required (no terminal to ask on)\nhint: e.g. tokens create --name ci-deploy --scope tokens:read --expires 90d\n');
    const r2 = await run(['create', '--name', 'x'], { env: env() });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--scope is required');
  });

  it('in CI there are no prompts even on a terminal', async () => {
    const r = await run(['create'], { env: { ...env(), CI: 'true' }, tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name is required');
  });

  it('an invalid --expires exits 2 naming the accepted forms', async () => {
    for (const bad of ['90x', 'tomorrow', '2027-02-30', '2001-01-01']) {
      const r = await run(['create', '--name', 'bad', '--scope', 'verify', '--expires', bad], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
    const r = await run(['create', '--name', 'bad', '--scope', 'verify', '--expires', 'soon'], { env: env() });
    expect(r.stderr).toBe('error: --expires must be a duration like 90d, 12h, 30m or 1d12h (units s, m, h, d, w), a date like 2027-03-01, an ISO 8601 time like 2027-03-01T12:00:00Z, or "never" — not "soon"\n');
  });

  it('server-side refusals become one line with the right exit code', async () => {
    const unknown = await run(['create', '--name', 'u', '--scope', 'no-such-scope'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown scope: no-such-scope/);
    await ok(['create', '--name', 'dup', '--scope', 'verify'], { env: env() });
    const dup = await run(['create', '--name', 'dup', '--scope', 'verify'], { env: env() });
    expect(dup.code).toBe(6);
    expect(dup.stderr).toMatch(/^error: a live token named "dup" already exists/);
  });
});

describe('list and show', () => {
  it('piped: TSV with full values, no header, no colour', async () => {
    const created = await json(['create', '--name', 'tsv-1', '--scope', 'tokens:read,verify', '--expires', '2030-01-02']);
    const out = await ok(['list', '--name-prefix', 'tsv-'], { env: { ...env(), FORCE_COLOR: undefined } });
    // Times in full UTC ISO 8601; CREATED and OWNER (empty here) come last.
    expect(out).toBe(`${created.id}\ttsv-1\tactive\ttokens:read,verify\t${created.start}\t2030-01-02T00:00:00.000Z\t\t${created.created_at}\t\n`);
    expect(created.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  });

  it('on a terminal: an aligned table with relative times', async () => {
    const a = await json(['create', '--name', 'table-a', '--scope', 'verify']);
    const b = await json(['create', '--name', 'table-bb', '--scope', 'tokens:read', '--expires', '90d']);
    const out = await ok(['list', '--name-prefix', 'table-'], { env: env(), tty: true });
    expect(out).toBe(
      [
        'ID                              NAME      STATUS  SCOPES       START       EXPIRES      LAST USED  CREATED   OWNER',
        `${a.id}  table-a   active  verify       ${a.start}  never        never      just now  -`,
        `${b.id}  table-bb  active  tokens:read  ${b.start}  in 3 months  never      just now  -`,
        '',
      ].join('\n'),
    );
  });

  it('colour on a terminal unless NO_COLOR; FORCE_COLOR colours a pipe', async () => {
    await json(['create', '--name', 'colour-1', '--scope', 'verify']);
    const coloured = await ok(['list', '--name-prefix', 'colour-'], { env: { ...env(), NO_COLOR: undefined }, tty: true });
    expect(coloured).toContain('\u001b[32mactive\u001b[39m');
    const plain = await ok(['list', '--name-prefix', 'colour-'], { env: env(), tty: true });
    expect(plain).not.toContain('\u001b[');
    const forced = await ok(['list', '--name-prefix', 'colour-'], { env: { ...env(), NO_COLOR: undefined, FORCE_COLOR: '1' }, tty: true });
    expect(forced).toContain('\u001b[1m');
  });

  it('--json, -q and --field', async () => {
    const created = await json(['create', '--name', 'fmt-1', '--scope', 'verify']);
    const listed = await json(['list', '--name-prefix', 'fmt-']);
    expect(listed.schema_version).toBe(1);
    expect(listed.data.map((t: { id: string }) => t.id)).toEqual([created.id]);
    expect(await ok(['list', '--name-prefix', 'fmt-', '-q'], { env: env() })).toBe(`${created.id}\n`);
    expect(await ok(['list', '--name-prefix', 'fmt-', '--field', 'name'], { env: env() })).toBe('fmt-1\n');
    expect(await ok(['show', 'fmt-1', '--field', 'scopes'], { env: env() })).toBe('verify\n');
    const bad = await run(['show', 'fmt-1', '--field', 'nope'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --field nope: no such field\nhint: fields: id, name, /);
  });

  it('hides revoked tokens unless --all or --status', async () => {
    const t = await json(['create', '--name', 'gone-1', '--scope', 'verify']);
    await ok(['revoke', t.id, '--yes'], { env: env() });
    expect(await ok(['list', '--name-prefix', 'gone-', '-q'], { env: env() })).toBe('');
    expect(await ok(['list', '--name-prefix', 'gone-', '-q', '--all'], { env: env() })).toBe(`${t.id}\n`);
    expect(await ok(['list', '--name-prefix', 'gone-', '-q', '--status', 'revoked'], { env: env() })).toBe(`${t.id}\n`);
    const empty = await run(['list', '--name-prefix', 'gone-'], { env: env(), tty: true });
    expect(empty).toEqual({ code: 0, stdout: '', stderr: 'No tokens match these filters.\n' });
  });

  it('filters: --scope, --expiring-within, --older-than', async () => {
    const soon = await json(['create', '--name', 'filt-soon', '--scope', 'audit:read', '--expires', '3d']);
    await json(['create', '--name', 'filt-late', '--scope', 'audit:read', '--expires', '60d']);
    expect(await ok(['list', '--name-prefix', 'filt-', '--expiring-within', '7d', '-q'], { env: env() })).toBe(`${soon.id}\n`);
    expect((await ok(['list', '--scope', 'audit:read', '-q'], { env: env() })).trim().split('\n')).toHaveLength(2);
    expect(await ok(['list', '--name-prefix', 'filt-', '--older-than', '1d', '-q'], { env: env() })).toBe('');
    const bad = await run(['list', '--unused-for', 'ages'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--unused-for must be a duration like 90d');
    const badStatus = await run(['list', '--status', 'sleeping'], { env: env() });
    expect(badStatus.code).toBe(2);
  });

  it('show on a terminal lists every field with labels', async () => {
    const t = await json(['create', '--name', 'show-1', '--scope', 'verify', '--metadata', 'team=core', '--rate-limit', '10/30s']);
    const out = await ok(['show', 'show-1'], { env: env(), tty: true });
    expect(out).toContain(`ID              ${t.id}\n`);
    expect(out).toContain('Audiences       any\n');
    expect(out).toContain('Rate limit      10/30s\n');
    expect(out).toContain('Metadata        team=core\n');
    expect(out).toContain('Created         just now\n');
  });
});

describe('selectors', () => {
  it('by id, by exact name and by unique start prefix', async () => {
    const t = await json(['create', '--name', 'sel-1', '--scope', 'verify']);
    for (const selector of [t.id, 'sel-1', t.start, t.start.slice(0, 8)]) {
      expect(await ok(['show', selector, '--field', 'id'], { env: env() })).toBe(`${t.id}\n`);
    }
  });

  it('none → exit 5; unknown id → exit 5', async () => {
    const r = await run(['show', 'no-such-token'], { env: env() });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('error: no token matches "no-such-token" (by id, name or start prefix)\nhint: see the tokens there are with: tokens list --all\n');
    const id = await run(['show', 'tok_00000000000000000000000000'], { env: env() });
    expect(id.code).toBe(5);
    expect(id.stderr).toMatch(/^error: no token with id tok_0{26}\n$/);
  });

  it('ambiguous prefix → exit 6 listing the candidates', async () => {
    const r = await run(['show', 'tkn_'], { env: env() });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^error: "tkn_" matches \d+ tokens:\n {2}tok_/);
    expect(r.stderr).toContain('hint: name one by its id');
  });

  it('after a rotation with overlap the name means the successor', async () => {
    const old = await json(['create', '--name', 'sel-rot', '--scope', 'verify']);
    const rotated = await json(['rotate', 'sel-rot', '--overlap', '1h', '--yes']);
    expect(rotated.id).not.toBe(old.id);
    expect(await ok(['show', 'sel-rot', '--field', 'id'], { env: env() })).toBe(`${rotated.id}\n`);
    // The predecessor is still reachable by id and still active during the overlap.
    expect(await ok(['show', old.id, '--field', 'status'], { env: env() })).toBe('active\n');
  });

  it('a pasted secret is refused as a selector and never echoed', async () => {
    const secret = (await ok(['create', '--name', 'sel-secret', '--scope', 'verify'], { env: env() })).trim();
    const r = await run(['show', secret], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a token secret, not a selector');
    expect(r.stderr).toContain('tokens revoke --value -');
    expect(r.stderr).not.toContain(secret);
    // A mistyped or cut-off secret is still most of one: refused alike, by every command that takes selectors.
    for (const almost of [`${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`, secret.slice(0, -4)]) {
      for (const args of [['show', almost], ['revoke', almost, '--yes'], ['list', '--created-by', almost]]) {
        const typo = await run(args, { env: env() });
        expect(typo.code, args.join(' ')).toBe(2);
        expect(typo.stderr).toContain('looks like a token secret');
        expect(typo.stderr).not.toContain(almost.slice(4, 20));
      }
    }
    // Nor does any other error message repeat one: a flag's value, an unknown option.
    for (const args of [['list', '--unused-for', secret], ['create', '--name', 'x', '--scope', 'verify', '--rate-limit', secret], ['list', `--${secret}`]]) {
      const r2 = await run(args, { env: env() });
      expect(r2.code, args.join(' ')).toBe(2);
      expect(r2.stderr, args.join(' ')).toContain('tkn_…');
      expect(r2.stderr, args.join(' ')).not.toContain(secret.slice(4, 20));
    }
  });
});

describe('update', () => {
  it('changes only what is given; metadata merges, KEY= removes', async () => {
    await json(['create', '--name', 'upd-1', '--scope', 'verify', '--metadata', 'team=core,owner=bob']);
    const after = await json(['update', 'upd-1', '--description', 'new words', '--metadata', 'owner=alice', '--metadata', 'team=', '--cidr', '192.168.0.0/16', '--expires', '2031-05-06']);
    expect(after).toMatchObject({ name: 'upd-1', description: 'new words', metadata: { owner: 'alice' }, allowed_cidrs: ['192.168.0.0/16'], expires_at: '2031-05-06T00:00:00.000Z', version: 2 });
    const cleared = await json(['update', 'upd-1', '--clear-cidrs', '--rate-limit', 'none', '--expires', 'never']);
    expect(cleared).toMatchObject({ allowed_cidrs: [], rate_limit: null, expires_at: null });
  });

  it('on a terminal says what changed', async () => {
    const t = await json(['create', '--name', 'upd-2', '--scope', 'verify']);
    const out = await ok(['update', 'upd-2', '--name', 'upd-2b'], { env: env(), tty: true });
    expect(out.split('\n')[0]).toBe(`✓ Updated upd-2b (${t.id}): name`);
  });

  it('nothing to update → exit 2', async () => {
    const r = await run(['update', 'upd-1'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: nothing to update\n/);
  });
});

describe('scopes', () => {
  it('add, remove (with --yes) and set on a token', async () => {
    await json(['create', '--name', 'sc-1', '--scope', 'verify']);
    expect((await json(['scopes', 'add', 'sc-1', 'tokens:read', 'audit:read'])).scopes).toEqual(['verify', 'tokens:read', 'audit:read']);
    expect((await json(['scopes', 'remove', 'sc-1', 'verify', '--yes'])).scopes).toEqual(['tokens:read', 'audit:read']);
    expect((await json(['scopes', 'set', 'sc-1', 'verify,tokens:read', '--yes'])).scopes).toEqual(['verify', 'tokens:read']);
  });

  it('remove and set refuse without a terminal and without --yes', async () => {
    const r = await run(['scopes', 'remove', 'sc-1', 'verify'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: refusing to change the scopes of sc-1 without confirmation: there is no terminal to ask on\nhint: pass --yes to confirm\n');
  });

  it('at a terminal shows before and after, and "no" changes nothing', async () => {
    const prompter = scriptedPrompter([false]);
    const r = await run(['scopes', 'set', 'sc-1', 'audit:read'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('  before: verify, tokens:read\n  after:  audit:read\n');
    expect(r.stderr).toContain('error: cancelled');
    expect(await ok(['show', 'sc-1', '--field', 'scopes'], { env: env() })).toBe('verify,tokens:read\n');
  });

  it('catalog list, add and remove', async () => {
    const added = await run(['scopes', 'catalog', 'add', 'invoice:read', '--description', 'read invoices'], { env: env(), tty: true });
    expect(added).toMatchObject({ code: 0, stdout: '✓ Added scope invoice:read\n' });
    const listed = await ok(['scopes', 'catalog', 'list'], { env: env() });
    expect(listed).toContain('invoice:read\tcustom\tread invoices\t');
    expect(listed).toContain('management\tbuilt-in\t');
    expect(await ok(['scopes', 'catalog', 'remove', 'invoice:read', '--yes', '--json'], { env: env() })).toContain('"removed": true');
    const again = await run(['scopes', 'catalog', 'remove', 'invoice:read', '--yes'], { env: env() });
    expect(again.code).toBe(5);
  });
});

describe('rotate, suspend, resume, revoke', () => {
  it('rotate: successor with a new secret; the old one keeps working for the overlap', async () => {
    const old = await json(['create', '--name', 'rot-1', '--scope', 'verify', '--expires', '30d']);
    const r = await run(['rotate', 'rot-1', '--overlap', '24h', '--yes'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tkn_[0-9A-Za-z]{38}\n$/);
    expect(r.stdout.trim()).not.toBe(old.secret);
    expect(r.stderr).toMatch(/✓ Rotated rot-1: new token tok_\w+; the old one \(tok_\w+\) keeps working until 20/);
    const predecessor = await json(['show', old.id]);
    const hours = (Date.parse(predecessor.expires_at) - Date.now()) / 3_600_000;
    expect(Math.round(hours)).toBe(24);
    expect(predecessor.rotated_to).toMatch(/^tok_/);
  });

  it('rotate --json carries the secret and the predecessor', async () => {
    await json(['create', '--name', 'rot-2', '--scope', 'verify']);
    const body = await json(['rotate', 'rot-2', '--yes']);
    expect(body.secret).toMatch(/^tkn_/);
    expect(body.predecessor).toMatchObject({ name: 'rot-2', status: 'revoked' });
    expect(body.rotated_from).toBe(body.predecessor.id);
  });

  it('rotate at a terminal confirms with what will happen, then shows the secret box', async () => {
    await json(['create', '--name', 'rot-3', '--scope', 'verify']);
    const prompter = scriptedPrompter([true]);
    const r = await run(['rotate', 'rot-3', '--overlap', '1d'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(['Rotate rot-3?']);
    expect(r.stderr).toMatch(/^Rotate rot-3 \(tok_\w+\): a successor with a new secret is created; the current secret keeps working for 1 day \(until 20/);
    expect(r.stdout).toContain('cannot be shown again');
  });

  it('rotate with an Idempotency-Key twice gives the same successor back', async () => {
    await json(['create', '--name', 'rot-idem', '--scope', 'verify']);
    const first = await json(['rotate', 'rot-idem', '--yes', '--idempotency-key', 'ci-run-42']);
    const second = await json(['rotate', first.predecessor.id, '--yes', '--idempotency-key', 'ci-run-42']);
    expect(second.id).toBe(first.id);
    expect(second.secret).toBe(first.secret);
  });

  it('rotating a rotated token → exit 6', async () => {
    const old = await json(['create', '--name', 'rot-twice', '--scope', 'verify']);
    await json(['rotate', old.id, '--overlap', '1h', '--yes']);
    const r = await run(['rotate', old.id, '--yes'], { env: env() });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^error: token tok_\w+ was already rotated to tok_\w+\n$/);
  });

  it('suspend and resume; suspend confirms, resume does not', async () => {
    const t = await json(['create', '--name', 'sus-1', '--scope', 'verify']);
    expect((await run(['suspend', 'sus-1'], { env: env() })).code).toBe(2);
    const suspended = await run(['suspend', 'sus-1', '--yes', '--reason', 'investigating'], { env: env(), tty: true });
    expect(suspended.stdout.split('\n')[0]).toBe(`✓ Suspended sus-1 (${t.id})`);
    expect(await ok(['show', 'sus-1', '--field', 'status'], { env: env() })).toBe('suspended\n');
    const again = await run(['suspend', 'sus-1', '--json'], { env: env() });
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'suspended', changed: false });
    expect(await ok(['resume', 'sus-1', '--field', 'status'], { env: env() })).toBe('active\n');
    // --yes is accepted as by suspend, so a script passes the same flags to both.
    await ok(['suspend', 'sus-1', '--yes'], { env: env() });
    expect(await ok(['resume', 'sus-1', '--yes', '--field', 'status'], { env: env() })).toBe('active\n');
    expect(await ok(['resume', 'sus-1', '-y', '--json'], { env: env() })).toContain('"changed": false');
  });

  it('revoke: confirms at a terminal, re-reads, records the reason; revoking again succeeds', async () => {
    const t = await json(['create', '--name', 'rev-1', '--scope', 'verify']);
    const prompter = scriptedPrompter([true]);
    const r = await run(['revoke', 'rev-1', '--reason', 'leaked in a log'], { env: env(), tty: true, providers: { prompter: async () => prompter } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Revoke rev-1 (${t.id}): active → revoked. Requests with it are refused from now on. This cannot be undone.\n`);
    expect(r.stdout.split('\n')[0]).toBe(`✓ Revoked rev-1 (${t.id})`);
    expect(await json(['show', t.id])).toMatchObject({ status: 'revoked', revoke_reason: 'leaked in a log' });
    const again = await run(['revoke', t.id], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('status\trevoked\n');
    const resume = await run(['resume', t.id], { env: env() });
    expect(resume.code).toBe(6);
    expect(resume.stderr).toContain('revocation is final');
  });

  it('declining at a terminal cancels with exit 2 and changes nothing', async () => {
    const t = await json(['create', '--name', 'rev-2', '--scope', 'verify']);
    const r = await run(['revoke', 'rev-2'], { env: env(), tty: true, providers: { prompter: async () => scriptedPrompter([false]) } });
    expect(r.code).toBe(2);
    expect(await ok(['show', t.id, '--field', 'status'], { env: env() })).toBe('active\n');
  });
});

describe('audit and export', () => {
  it('audit shows the changes made, with reasons, newest last', async () => {
    const t = await json(['create', '--name', 'aud-1', '--scope', 'verify']);
    await ok(['revoke', 'aud-1', '--yes', '--reason', 'rotation drill'], { env: env() });
    const out = await ok(['audit', '--token', t.id], { env: env() });
    const rows = out.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => r[1])).toEqual(['token.created', 'token.revoked']);
    expect(rows[1]![2]).toBe(t.id);
    expect(rows[1]![4]).toBe('rotation drill');
    const last = await json(['audit', '--limit', '1']);
    expect(last.data).toHaveLength(1);
    expect(last.data[0].action).toBe('token.revoked');
    const lastTwo = await json(['audit', '--token', t.id, '--limit', '2']);
    expect(lastTwo.data.map((e: { action: string }) => e.action)).toEqual(['token.created', 'token.revoked']);
    const since = await run(['audit', '--since', 'last week'], { env: env() });
    expect(since.code).toBe(2);
  });

  it('export prints one JSON document without secrets, or writes it 0600', async () => {
    const out = await ok(['export'], { env: env() });
    const doc = JSON.parse(out);
    expect(doc.schema_version).toBe(2);
    expect(doc.tokens.length).toBeGreaterThan(5);
    expect(out).not.toMatch(/tkn_[0-9A-Za-z]{38}/);
    const file = `${shared.cli.configDir}/export.json`;
    const written = await run(['export', '--output', file], { env: env(), tty: true });
    expect(written.stdout).toMatch(/^✓ Wrote \d+ tokens, \d+ custom scopes, \d+ policies and \d+ webhooks to /);
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
